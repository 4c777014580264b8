"""``seedwise recommend`` and ``seedwise recommend-eval`` (HIM, issue 4).

``recommend_arguments`` / ``recommend_eval_arguments`` declare the flags other than the
graph flags, and ``run_recommend`` / ``run_recommend_eval`` run a parsed command on a
loaded graph; they register themselves. Like every command module, nothing here imports numpy
before a command runs.
"""
from __future__ import annotations

import sys

from ._common import _on_graph, add_once, int_at_least, register_command, run_meta, write_output

METHODS = ("hetero-im", "hetero-im-authors", "hetero-ir", "prob", "degree", "pagerank")
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
    add_once(p, "--method", default="hetero-im", choices=METHODS,
         help="recommender (default hetero-im: maximizes the expected number of non-inviters reached, "
              "with a certificate; hetero-im-authors: the HIM authors' heuristic)")
    add_once(p, "--list-sizes", metavar="FILE",
         help="per-inviter list lengths, 'id K_i' per line; inviters not listed get --k")
    add_once(p, "--output", metavar="FILE",
         help="write (inviter, rank, invitee, score) rows to FILE: .csv, or .json for the JSON object")


def recommend_eval_arguments(p):
    """Flags of ``seedwise recommend-eval`` other than the graph flags."""
    _common(p)
    add_once(p, "--truth", metavar="FILE",
         help="observed spread pairs 'inviter invitee' per line (or 'uid,frienduid' CSV), .gz allowed")
    add_once(p, "--truth-model", action="store_true",
         help="instead of observed pairs, score each method by the truth model: invitee j accepts with "
              "P_ij*U_j, then spreads by IC; the expected number of non-inviters reached (Monte-Carlo, 95%% CI)")
    add_once(p, "--k", type=int_at_least(1), default=3, metavar="K",
         help="--truth-model: list length per inviter (default 3)")
    add_once(p, "--simulations", type=int_at_least(1), default=10_000, metavar="R",
         help="--truth-model: Monte-Carlo runs per method, the same worlds for every method (default 10000)")
    add_once(p, "--eval-seed", type=int_at_least(0), default=1, metavar="S",
         help="--truth-model: seed of the Monte-Carlo evaluation (default 1)")
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
    from ..graph.readers import read_capacities

    _check_output(args.output)
    sizes = read_capacities(args.list_sizes, graph) if args.list_sizes else None
    recs = recommend(graph, args.aps, args.k, method=args.method, capacity=args.capacity,
                     willingness=args.willingness, eps=args.eps, seed=args.seed,
                     threads=getattr(args, "threads", None), skip_unknown=args.skip_unknown, list_sizes=sizes)
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
    if recs.ratio is not None:
        print(f"# expected non-inviters reached: {recs.spread:,.2f}; certificate: lower / upper = "
              f"{recs.lower:,.2f} / {recs.upper:,.2f} = {recs.ratio:.3f} (target {recs.target:.3f}); "
              f"{recs.zero_gain_picks:,} zero-gain picks filled by priority", file=sys.stderr)
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
    if bool(args.truth) == bool(args.truth_model):
        raise SeedwiseError("give either --truth FILE (observed pairs) or --truth-model, not both and not neither")
    if args.truth_model:
        return _run_truth_model(args, graph, methods)
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


def _run_truth_model(args, graph, methods):
    from .._output import dumps
    from ..algorithms.him import resolve_inviters
    from ..evaluation.truth_model import evaluate_truth_model

    _, inviters, skipped = resolve_inviters(graph, args.aps, args.skip_unknown)
    _skip_note(skipped, len(inviters))
    res = evaluate_truth_model(graph, inviters, args.k, methods, willingness=args.willingness,
                               simulations=args.simulations, seed=args.seed, eval_seed=args.eval_seed,
                               threads=getattr(args, "threads", None), capacity=args.capacity, eps=args.eps)
    if args.json:
        print(dumps({"truth_model": {"k": args.k, "inviters": len(inviters), "simulations": args.simulations,
                                     "eval_seed": args.eval_seed}, "methods": res}))
        return 0
    print(f"truth model: {len(inviters):,} inviters, k = {args.k}, {args.simulations:,} Monte-Carlo runs "
          f"(seed {args.eval_seed}, the same worlds for every method); expected non-inviters reached")
    width = max(10, *(len(m) for m in res))
    print("method".ljust(width) + "spread".rjust(12) + "95% CI".rjust(12) + "hetero-im - method".rjust(22)
          + "seconds".rjust(10))
    for m, row in res.items():
        half = (row["ci95"][1] - row["ci95"][0]) / 2
        mhalf = (row["margin_ci95"][1] - row["margin_ci95"][0]) / 2
        print(m.ljust(width) + f"{row['spread']:12,.2f}" + f"{'± ' + format(half, ',.2f'):>12}"
              + f"{format(row['margin'], '+,.2f') + ' ± ' + format(mhalf, ',.2f'):>22}" + f"{row['seconds']:10.3f}")
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
                 description="Recommend up to --k out-neighbours (invitees) to each inviter: HeteroIM (greedy over "
                             "(inviter, invitee) pairs on RR sets, with a certificate), the authors' HeteroIM, "
                             "HeteroIR (P_ij U_j (1 + HeteroInf(j))), or by P_ij, degree or PageRank.",
                 **_on_graph(recommend_arguments, run_recommend))
register_command("recommend-eval", help="score recommenders against observed pairs or the truth model",
                 description="Run several recommenders and print Recall@K, NDCG@K and NSpread@K (K = 1..3) side "
                             "by side, scored against observed inviter -> invitee pairs (--truth), or the expected "
                             "number of non-inviters reached when invitees accept with P_ij U_j and spread by IC "
                             "(--truth-model, Monte-Carlo with 95% CIs and paired margins).",
                 **_on_graph(recommend_eval_arguments, run_recommend_eval))
