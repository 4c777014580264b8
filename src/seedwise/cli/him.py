"""``seedwise recommend`` and ``seedwise recommend-eval`` (HIM, issue 4).

``recommend_arguments`` / ``recommend_eval_arguments`` declare the flags other than the
graph flags, and ``run_recommend`` / ``run_recommend_eval`` run a parsed command on a
loaded graph; they register themselves. Like every command module, nothing here imports numpy
before a command runs.
"""
from __future__ import annotations

import sys

from ._common import _on_graph, add_once, int_at_least, register_command, run_meta, write_output

METHODS = ("hetero-im", "hetero-ir", "prob", "degree", "pagerank")
SPREAD_MODES = ("inviter", "union")
ROW_HEADER = ["inviter", "rank", "invitee", "score"]


def _common(p):
    add_once(p, "--aps", required=True, metavar="FILE",
         help="inviters (APs): one node id per line, '#' comments, .gz allowed")
    add_once(p, "--capacity", type=int, default=4, metavar="C",
         help="HeteroIR interaction capacity: the C largest P_jl*U_l count in HeteroInf(j) (default 4)")
    add_once(p, "--willingness", metavar="FILE",
         help="per-node willingness U_j in [0, 1]: 'id value' lines (default 1 for every node)")
    add_once(p, "--eps", type=float, default=0.1, help="HeteroIM accuracy of the RR-set budget (default 0.1)")
    add_once(p, "--seed", type=int_at_least(0), default=0, metavar="S", help="random seed (default 0)")
    add_once(p, "--skip-unknown", action="store_true",
         help="leave out inviter ids that are not nodes of the graph (and report how many)")
    add_once(p, "--json", action="store_true", help="print JSON instead of text")


def recommend_arguments(p):
    """Flags of ``seedwise recommend`` other than the graph flags."""
    _common(p)
    add_once(p, "--k", required=True, type=int, metavar="K", help="list length per inviter")
    add_once(p, "--method", default="hetero-im", choices=METHODS, help="recommender (default hetero-im)")
    add_once(p, "--output", metavar="FILE",
         help="write (inviter, rank, invitee, score) rows to FILE: .csv, or .json for the JSON object")


def recommend_eval_arguments(p):
    """Flags of ``seedwise recommend-eval`` other than the graph flags."""
    _common(p)
    add_once(p, "--truth", required=True, metavar="FILE",
         help="observed spread pairs 'inviter invitee' per line (or 'uid,frienduid' CSV), .gz allowed")
    add_once(p, "--methods", default=",".join(METHODS), metavar="A,B,C",
         help=f"comma-separated methods to compare (default {','.join(METHODS)})")
    add_once(p, "--spread", default="inviter", choices=SPREAD_MODES,
         help="NSpread: sum per inviter (default, in [0, 1]) or one union over inviters (HIM's evaluators.py)")


def _check_output(path):
    from .._output import check_output_path

    check_output_path(path)


def _skip_note(skipped, total_known):
    if skipped:
        print(f"note: {len(skipped)} inviter ids are not nodes of the graph and were skipped "
              f"({total_known} inviters served)", file=sys.stderr)


def run_recommend(args, graph):
    """Run ``seedwise recommend`` on ``graph``; prints rows (or JSON), writes ``--output``."""
    from .._output import dumps
    from ..algorithms.him import recommend

    _check_output(args.output)
    recs = recommend(graph, args.aps, args.k, method=args.method, capacity=args.capacity,
                     willingness=args.willingness, eps=args.eps, seed=args.seed,
                     threads=getattr(args, "threads", None), skip_unknown=args.skip_unknown)
    _skip_note(recs.skipped, len(recs.inviters))
    obj = recs.to_dict()
    if args.output:
        write_output(args.output, obj, ROW_HEADER, recs.rows(), meta=run_meta(args, graph))
    if args.json:
        print(dumps(obj))
        return 0
    if args.output:
        print(f"{recs.method}: {len(recs):,} recommendations for {len(recs.inviters):,} inviters "
              f"written to {args.output} ({recs.seconds:.3f} s)")
        return 0
    lines = ["\t".join(ROW_HEADER)]
    lines += [f"{i}\t{r}\t{j}\t{s:.6g}" for i, r, j, s in recs.rows()]
    print("\n".join(lines))
    rr = f", {recs.n_rr_sets:,} RR sets" if recs.n_rr_sets else ""
    print(f"# {recs.method} k={recs.k}: {len(recs):,} recommendations for {len(recs.inviters):,} inviters"
          f"{rr}, {recs.seconds:.3f} s", file=sys.stderr)
    return 0


def run_recommend_eval(args, graph):
    """Run ``seedwise recommend-eval`` on ``graph``; prints the metric table (or JSON)."""
    from .._output import dumps
    from .._validation import SeedwiseError
    from ..algorithms.him import resolve_inviters
    from ..evaluation.recommendation import _evaluated_users, evaluate_recommendations, read_truth_pairs

    methods = [m.strip().lower() for m in str(args.methods).split(",") if m.strip()]
    bad = [m for m in methods if m not in METHODS]
    if bad or not methods:
        raise SeedwiseError(f"--methods must be a comma-separated list of {', '.join(METHODS)}; "
                            f"got {args.methods!r}")
    truth = read_truth_pairs(args.truth, integer_ids=graph.integer_ids)
    _, inviters, skipped = resolve_inviters(graph, args.aps, args.skip_unknown)
    _skip_note(skipped, len(inviters))
    evaluated = int(_evaluated_users(truth, inviters)[1].sum())
    res = evaluate_recommendations(graph, inviters, truth, methods, 3, capacity=args.capacity,
                                   willingness=args.willingness, eps=args.eps, seed=args.seed,
                                   threads=getattr(args, "threads", None), spread=args.spread)
    if args.json:
        print(dumps({"methods": res}))
        return 0
    print(f"inviters: {len(inviters):,} served"
          + (f" ({len(skipped):,} unknown ids skipped)" if skipped else "")
          + f", {evaluated:,} with observed pairs; truth: {truth.n_pairs:,} pairs; NSpread: {args.spread}")
    print(format_table(res))
    return 0


def format_table(res):
    """Metrics as rows, methods as columns."""
    methods = list(res)
    keys = list(next(iter(res.values())))
    width = max(10, *(len(m) for m in methods))
    lines = ["metric".ljust(10) + "".join(m.rjust(width + 2) for m in methods)]
    for key in keys:
        cells = []
        for m in methods:
            v = res[m][key]
            cells.append((f"{v:.3f}" if key == "seconds" else f"{v:.4f}").rjust(width + 2))
        lines.append(key.ljust(10) + "".join(cells))
    return "\n".join(lines)


register_command("recommend", help="recommend invitees to inviters (HeteroIM, HeteroIR, baselines)",
                 description="Recommend up to --k out-neighbours (invitees) to each inviter: HeteroIM (RR sets, "
                             "greedy), HeteroIR (P_ij U_j (1 + HeteroInf(j))), or by P_ij, degree or PageRank.",
                 **_on_graph(recommend_arguments, run_recommend))
register_command("recommend-eval", help="score recommenders against observed pairs (Recall, NDCG, NSpread)",
                 description="Run several recommenders and print Recall@K, NDCG@K and NSpread@K (K = 1..3) side "
                             "by side, scored against observed inviter -> invitee pairs.",
                 **_on_graph(recommend_eval_arguments, run_recommend_eval))
