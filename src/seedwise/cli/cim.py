"""``seedwise cim`` and ``seedwise cim-compare`` (capacity constrained IM, issue 3).

``cim_arguments`` / ``cim_compare_arguments`` declare the flags other than the graph
flags, and ``run_cim`` / ``run_cim_compare`` run a parsed command on a loaded graph;
they register themselves. Like every command module, nothing here imports numpy before a
command runs.

Examples
--------
::

    seedwise cim --graph soc-slashdot0902.txt.gz --aps query-soc-slashdot0902-ap5.txt.gz --k 10
    seedwise cim --dataset cim-physic --aps cim-physic.ap.gz --ap-set 4 --k 2 --json
    seedwise cim-compare --dataset cim-physic --ap-fraction 0.05 --ks 2,5,10 --plot cim.png
"""
from __future__ import annotations

import math
import sys

from ._common import (
    _on_graph,
    add_once,
    int_at_least,
    progress_bar,
    register_command,
    require,
    run_meta,
    write_output,
)

ALGORITHMS = ("rr-opim+eb", "rr-opim+", "rr-opim", "mg-opim", "mg-greedy", "rr-greedy", "local-degree",
              "local-pagerank", "local-opim-c", "local-imm")
COMPARE_DEFAULT = "rr-opim+eb,rr-opim+,rr-opim,local-degree,local-pagerank,local-opim-c"
PLOT_SUFFIXES = (".png", ".svg", ".pdf")
SHOW_APS = 10


# ------------------------------------------------------------------ flags
def _query_arguments(p):
    aps = p.add_mutually_exclusive_group(required=True)
    aps.add_argument("--aps", metavar="FILE",
                     help="active participants: one id per line ('#' comments), or the CIM query-set "
                          "format (comma-separated ids, one set per line); plain or .gz")
    aps.add_argument("--ap-fraction", type=float, metavar="F",
                     help="draw this fraction of the nodes as APs, uniformly (seeded by --seed)")
    add_once(p, "--ap-set", type=int_at_least(1), default=None, metavar="N",
         help="with a CIM query-set file: use line N (1-based, default 1)")
    add_once(p, "--capacities", metavar="FILE",
         help="per-AP capacities, 'id k_u' per line; APs not listed get --k")
    add_once(p, "--eps", type=float, default=0.1, help="RR-OPIM family stops at ratio >= 1/2 - eps (default 0.1)")
    add_once(p, "--delta", type=float, default=None, help="failure probability in (0, 1) (default 1/n)")
    add_once(p, "--seed", type=int_at_least(0), default=0, metavar="S", help="random seed (default 0)")
    add_once(p, "--threads", type=int_at_least(1), default=None, metavar="T", help="threads (default: all cores)")
    add_once(p, "--model", default="ic", type=str.lower, choices=("ic", "lt"),
             help="diffusion model on the passive graph (default ic)")


def cim_arguments(p):
    """Flags of ``seedwise cim`` other than the graph flags."""
    _query_arguments(p)
    add_once(p, "--k", type=int_at_least(1), default=None, metavar="K", help="friends each AP may recommend (capacity)")
    add_once(p, "--algorithm", default="rr-opim+eb", type=str.lower, choices=ALGORITHMS, metavar="NAME",
         help=f"one of {', '.join(ALGORITHMS)} (default rr-opim+eb)")
    add_once(p, "--rank-by-weight", action="store_true",
         help="list each AP's friends by descending edge weight (intimacy), as deployed")
    add_once(p, "--json", action="store_true", help="print one JSON object")
    add_once(p, "--output", metavar="FILE",
         help="write rows (ap, rank, friend, marginal_gain, weight, pick, cumulative_spread, zero_gain) to "
                  "FILE (.csv or .json)")


def cim_compare_arguments(p):
    """Flags of ``seedwise cim-compare`` other than the graph flags."""
    _query_arguments(p)
    add_once(p, "--k", type=int_at_least(1), default=None, metavar="K", help="capacity (or give several with --ks)")
    add_once(p, "--algorithms", default=COMPARE_DEFAULT, metavar="A,B,C",
         help=f"comma-separated algorithms (default {COMPARE_DEFAULT}; any of {', '.join(ALGORITHMS)})")
    add_once(p, "--ks", default=None, metavar="K1,K2,...", help="capacities to compare, e.g. 2,5,10,20")
    add_once(p, "--simulations", type=int_at_least(1), default=10_000,
         help="Monte-Carlo runs on the passive graph per evaluation (default 10000)")
    add_once(p, "--plot", metavar="FILE.png",
             help="draw spread (95%% CI), distinct seeds and time against k (.png, .svg, .pdf; needs matplotlib)")
    add_once(p, "--json", action="store_true", help="print JSON (one object per algorithm and k)")


def _error(message):
    from .._validation import SeedwiseError

    return SeedwiseError(message)


def _check_output(path, suffixes=(".csv", ".json"), flag="--output"):
    from .._output import check_output_path

    check_output_path(path, suffixes, flag)


def _query(args, graph):
    """(APs, capacities dict or None, a short description of the AP source)."""
    from ..algorithms.cim import random_aps
    from ..graph.readers import read_aps, read_capacities

    if args.aps is not None:
        aps = read_aps(args.aps, args.ap_set or 1)
        source = args.aps + (f" (set {args.ap_set})" if args.ap_set else "")
    else:
        if args.ap_set is not None:
            raise _error("--ap-set applies to --aps FILE, not to --ap-fraction")
        aps = random_aps(graph, args.ap_fraction, args.seed)
        source = f"{args.ap_fraction:g} of the nodes drawn with seed {args.seed}"
    caps = read_capacities(args.capacities, graph) if args.capacities else None
    return aps, caps, source


def _fmt(x, digits=1):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    return f"{x:,.{digits}f}"


def _short(ids, limit=12):
    ids = list(ids)
    text = ", ".join(str(x) for x in ids[:limit])
    return text + (f", ... ({len(ids)} in all)" if len(ids) > limit else "")


def _times(times):
    order = [p for p in ("query", "sampling", "selection") if p in times]
    parts = [f"{p} {times[p]:.3f} s" for p in order]
    return ", ".join(parts + [f"total {times.get('total', 0.0):.3f} s"])


def _summary(res, source):
    eps = res.params.get("eps")
    lines = [
        ("algorithm", f"{res.algorithm}, k = {res.k if res.k is not None else 'per AP'}"
                      + (f", eps = {eps:g}" if res.ratio is not None and eps is not None else "")
                      + f", seed {res.params.get('seed')}"),
        ("APs", f"{len(res.ap_ids):,} from {source}; {len(res.aps_without_candidates):,} without candidates"),
        ("recommendations", f"{len(res.friends):,} ({res.distinct_seeds:,} distinct seeds)"),
        ("spread on P", "-" if res.spread is None
         else f"{_fmt(res.spread)} (the algorithm's estimate; cim-compare measures it by Monte-Carlo)"),
    ]
    if res.ratio is not None:
        cmp = ">=" if res.ratio >= res.target else "<"
        lines.append(("certificate", f"sigma_l / sigma_u = {_fmt(res.lower)} / {_fmt(res.upper)} = "
                                     f"{res.ratio:.3f} {cmp} {res.target:.3f} (1/2 - eps)"))
    if res.n_rr_sets:
        lines.append(("RR sets", f"{res.n_rr_sets:,}"))
    if res.zero_gain_picks is not None:
        lines.append(("zero-gain picks", f"{res.zero_gain_picks:,} of {len(res.friends):,} had no marginal "
                                         f"coverage in the sample; filled by {res.zero_gain_fill}"))
    if "chosen" in res.params:
        lines.append(("answer", f"{res.params['chosen']} (the larger coverage of R2 among "
                                f"{res.params['assignments_scored']} assignments scored)"))
    lines.append(("time", _times(res.times)))
    width = max(len(k) for k, _ in lines) + 2
    return "\n".join(f"{k + ':':<{width}}{v}" for k, v in lines)


def _ap_table(res, limit=SHOW_APS):
    shown = 0
    out = ["", f"{'AP':>12}  friends in rank order"]
    for ap, friends in res.assignments.items():
        if not friends:
            continue
        out.append(f"{str(ap):>12}  {_short(friends, 10)}")
        shown += 1
        if shown == limit:
            break
    with_friends = sum(1 for f in res.assignments.values() if f)
    if with_friends > shown:
        out.append(f"{'':>12}  ... {with_friends - shown:,} more APs; --output FILE writes every row")
    if res.aps_without_candidates:
        out.append(f"APs without candidates: {_short(res.aps_without_candidates)}")
    return "\n".join(out)


# ------------------------------------------------------------------ run
def run_cim(args, graph):
    """Run ``seedwise cim`` on ``graph``; prints a summary (or JSON), writes ``--output``."""
    from .._output import dumps
    from ..algorithms.cim import cim

    _check_output(args.output)
    aps, caps, source = _query(args, graph)
    if args.k is None and caps is None:
        raise _error("--k is required (or give every AP a capacity with --capacities)")
    bar = progress_bar("RR sets")
    try:
        res = cim(graph, aps, args.k, algorithm=args.algorithm, eps=args.eps, delta=args.delta, capacities=caps,
                  seed=args.seed, threads=args.threads, rank_by_weight=args.rank_by_weight, progress=bar,
                  model=args.model, backend=getattr(args, "backend", "local"),
                  address=getattr(args, "address", None), max_memory=getattr(args, "max_memory", None))
    finally:
        bar.close()
    if args.output:
        rows = res.rows()
        objs = [dict(zip(res.ROW_HEADER, r)) for r in rows]
        write_output(args.output, objs, res.ROW_HEADER, [["" if x is None else x for x in r] for r in rows],
                     meta=run_meta(args, graph, args.model))
    if args.json:
        print(dumps(res.to_dict()))
        return 0
    text = _summary(res, source) + "\n" + _ap_table(res)
    if args.output:
        text += f"\nwrote {len(res.friends):,} rows to {args.output}"
    print(text)
    return 0


def _parse_list(text, flag, kind):
    items = [t.strip() for t in str(text).split(",") if t.strip()]
    if not items:
        raise _error(f"{flag} must be a comma-separated list; got {text!r}")
    if kind is int:
        out = []
        for t in items:
            try:
                v = int(t)
            except ValueError:
                raise _error(f"{flag} must list integers >= 1; got {t!r}") from None
            if v < 1:
                raise _error(f"{flag} must list integers >= 1; got {v}")
            out.append(v)
        return list(dict.fromkeys(out))
    bad = [t for t in items if t.lower() not in ALGORITHMS]
    if bad:
        raise _error(f"{flag}: unknown algorithm {bad[0]!r}; choose from {', '.join(ALGORITHMS)}")
    return list(dict.fromkeys(t.lower() for t in items))


def _compare_precheck(args):
    """--plot: its suffix and matplotlib, before the graph loads."""
    if args.plot:
        _check_output(args.plot, PLOT_SUFFIXES, "--plot")
        require("matplotlib", "--plot", "plot")


def run_cim_compare(args, graph):
    """Run ``seedwise cim-compare`` on ``graph``: every algorithm at every k, spread by MC on P."""
    from .._output import dumps
    from ..algorithms.cim import cim_compare

    algorithms = _parse_list(args.algorithms, "--algorithms", str)
    if args.ks is not None:
        ks = _parse_list(args.ks, "--ks", int)
    elif args.k is not None:
        ks = [args.k]
    else:
        raise _error("give --k K or --ks K1,K2,...")
    aps, caps, source = _query(args, graph)
    bar = progress_bar("cim-compare")  # relabelled per algorithm and k
    try:
        records = cim_compare(graph, aps, ks, algorithms, simulations=args.simulations, eps=args.eps,
                              delta=args.delta, capacities=caps, seed=args.seed, threads=args.threads,
                              model=args.model, progress=bar,
                              on_skip=lambda name, k, msg: print(f"note: {name} at k={k} skipped: {msg}",
                                                                 file=sys.stderr))
    finally:
        bar.close()
    if args.json:
        print(dumps(records.to_dict()))
    else:
        print(_compare_table(records, records.query, source, args))
    if args.plot:  # after the table: a failing plot does not lose it
        from .plot import plot_compare

        plot_compare(records, args.plot)
        if not args.json:
            print(f"wrote {args.plot}")
    return 0


def _compare_table(records, query, source, args):
    head = (f"{query.d:,} APs from {source} ({len(query.aps_without_candidates):,} without candidates); "
            f"passive graph {query.n_p:,} nodes; "
            f"spread = mean of {args.simulations:,} Monte-Carlo runs on P (+- 95% CI)")
    cols = ["algorithm", "k", "spread", "+-", "distinct seeds", "time (s)", "own estimate", "ratio", "RR sets",
            "zero-gain picks"]
    rows = []
    for r in records:
        if "error" in r:
            rows.append([r["algorithm"], str(r["k"]), "refused (too slow)"] + [""] * (len(cols) - 3))
            continue
        half = (r["ci95"][1] - r["ci95"][0]) / 2
        rows.append([r["algorithm"], str(r["k"]), _fmt(r["spread"]), _fmt(half), f"{r['distinct_seeds']:,}",
                     f"{r['seconds']:.3f}", _fmt(r["estimate"]),
                     "-" if r["approximation"] is None else f"{r['approximation']:.3f}",
                     f"{r['rr_sets']:,}" if r["rr_sets"] else "-",
                     "-" if r["zero_gain_picks"] is None else f"{r['zero_gain_picks']:,}"])
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(cols)]
    fmt = lambda row: "  ".join(  # noqa: E731
        (v.ljust(w) if i == 0 else v.rjust(w)) for i, (v, w) in enumerate(zip(row, widths)))
    return "\n".join([head, "", fmt(cols), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows])


register_command("cim", help="capacity constrained IM: up to k friends per active participant",
                 description="Choose at most --k friends (out-neighbours that are not APs) for every active "
                             "participant so that their union spreads furthest on the passive graph "
                             "(Zhang et al., KDD 2023). Default rr-opim+eb: RR-OPIM+'s (1/2 - eps) certificate w.p. "
                             "1 - delta with an empirical-Bayes selector (docs/cim-default.md).",
                 **_on_graph(cim_arguments, run_cim, scale=True))
register_command("cim-compare", help="compare CIM algorithms on one query: spread, distinct seeds, time",
                 description="Run several CIM algorithms on the same AP set for each capacity k and measure the "
                             "spread of every answer on the passive graph by Monte-Carlo.",
                 **_on_graph(cim_compare_arguments, run_cim_compare, precheck=_compare_precheck))
