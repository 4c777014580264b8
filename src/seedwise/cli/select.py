"""``seedwise select`` and ``seedwise spread``: classic IM and spread estimates."""
from __future__ import annotations

import os

from ._common import (
    ALGORITHMS,
    UsageError,
    _fmt_num,
    _graph_line,
    _ids_text,
    _pos_int,
    _rows,
    _times,
    add_graph_arguments,
    add_run_arguments,
    add_scale_arguments,
    certificate_line,
    check_output_path,
    emit,
    load_graph,
    progress_bar,
    register_command,
    require,
    run_meta,
    scale_options,
    write_output,
)


# ------------------------------------------------------------------ select
def _select_arguments(p):
    add_graph_arguments(p)
    p.add_argument("--model", default="ic", type=str.lower, choices=("ic", "lt"), help="diffusion model (default ic)")
    p.add_argument("--k", type=int, required=True, help="number of seeds")
    p.add_argument("--algorithm", default="opim-c", type=str.lower, metavar="NAME",
                   help=f"one of {', '.join(ALGORITHMS)} (default opim-c)")
    p.add_argument("--eps", type=float, default=0.1, help="approximation slack in (0, 1) (default 0.1)")
    p.add_argument("--delta", type=float, default=None, help="failure probability in (0, 1) (default 1/n)")
    p.add_argument("--simulations", type=_pos_int, default=None,
                   help="Monte-Carlo runs per estimate (celf only)")
    p.add_argument("--max-seconds", type=float, default=None, metavar="S",
                   help="celf: refuse to start when its time estimate exceeds S seconds (default 3600)")
    add_run_arguments(p)
    add_scale_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--output", metavar="FILE",
                   help="also write the seeds to FILE (.csv: rank, seed, marginal_gain, cumulative_spread; .json), "
                        "with the model, weights and graph for `seedwise spread --seeds-file`")
    p.add_argument("--plot", metavar="FILE",
                   help="draw the spread against k = 1..K (with OPIM-C's certificate at each k) to FILE "
                        "(.png, .svg or .pdf; needs matplotlib)")


CURVE_ALGORITHMS = ("opim-c", "imm", "celf")
PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def _select_run(args):
    from .. import api

    check_output_path(args.output)
    if args.plot:
        check_output_path(args.plot, PLOT_SUFFIXES)
        if args.algorithm not in CURVE_ALGORITHMS:
            raise UsageError(f"--plot draws the spread curve of {', '.join(CURVE_ALGORITHMS)}; "
                             f"{args.algorithm} estimates no spread")
        require("matplotlib", "--plot", "plot")  # before the work, not after it
    options = scale_options(args)
    if args.max_seconds is not None:
        if args.algorithm != "celf":
            raise UsageError("--max-seconds applies to --algorithm celf")
        options["max_seconds"] = args.max_seconds
    g, name = load_graph(args)
    if args.simulations is not None:
        options["simulations"] = args.simulations
    bar = progress_bar("RR sets" if args.algorithm in ("opim-c", "imm") else "simulations")
    try:
        res = api.maximize(g, args.k, model=args.model, eps=args.eps, delta=args.delta, algorithm=args.algorithm,
                           seed=args.seed, threads=args.threads, progress=bar,
                           curve=bool(args.plot) and args.algorithm == "opim-c", **options)
    finally:
        bar.close()
    meta = run_meta(args, g, res.model)
    obj = {**res.to_dict(), **meta}
    if args.output:
        write_output(args.output, obj, ["rank", "seed", "marginal_gain", "cumulative_spread"],
                     [(r, s, _cell(gain), _cell(c)) for r, s, gain, c, *_ in res.rows()], meta=meta)
    run = [f"{res.model.upper()} model", f"k = {res.k}"]
    if "eps" in res.params:
        run.append(f"eps = {res.params['eps']:g}")
    if "simulations" in res.params:
        run.append(f"{res.params['simulations']:,} simulations per estimate")
    if "seed" in res.params:
        run.append(f"seed {args.seed}")
    pairs = [
        ("algorithm", f"{res.algorithm}, " + ", ".join(run)),
        ("graph", _graph_line(g, name)),
        ("seeds", _ids_text(res.seeds)),
    ]
    if res.spread is not None:
        pairs.append(("spread", f"{_fmt_num(res.spread)} (the algorithm's estimate; check with `seedwise spread`)"))
    cert = certificate_line(res.lower, res.upper, res.ratio, res.target, res.params.get("eps", args.eps))
    if cert:
        pairs.append(("certificate", cert))
    if res.n_rr_sets:
        pairs.append(("RR sets", f"{res.n_rr_sets:,}"))
    pairs.append(("time", _times(res.times) if res.times else f"{res.seconds:.3f} s"))
    text = _rows(pairs)
    if args.output:
        text += f"\nwrote {args.output}"
    emit(args, obj, text)  # the table first: a failing plot does not lose it
    if args.plot:
        from .plot import plot_curve

        plot_curve(res, args.plot, graph=name)
        if not args.json:
            print(f"wrote {args.plot}")
    return 0


def _cell(x):
    return "" if x is None or x != x else x


# ------------------------------------------------------------------ spread
def _spread_arguments(p):
    add_graph_arguments(p)
    p.add_argument("--model", default=None, type=str.lower, choices=("ic", "lt"),
                   help="diffusion model (default: the one --seeds-file records, else ic)")
    seeds = p.add_mutually_exclusive_group(required=True)
    seeds.add_argument("--seeds", metavar="ID,ID,...", help="comma-separated seed ids")
    seeds.add_argument("--seeds-file", metavar="FILE",
                       help="ids one per line, or the CSV/JSON written by `seedwise select --output`")
    p.add_argument("--method", default="mc", type=str.lower, choices=("mc", "rr"),
                   help="mc: Monte-Carlo simulation (default); rr: RR-set estimate")
    p.add_argument("--simulations", type=_pos_int, default=10_000, help="Monte-Carlo runs (default 10000)")
    p.add_argument("--rr-sets", type=_pos_int, default=None, help="RR sets for --method rr (default 100000)")
    p.add_argument("--max-seconds", type=float, default=None, metavar="S",
                   help="refuse runs estimated (by a timed pilot) to take longer (default 3600)")
    add_run_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _spread_run(args):
    from .. import api
    from ..graph.readers import read_result_meta

    meta = {}
    if args.seeds is not None:
        ids = [x.strip() for x in args.seeds.split(",")]
        if not all(ids):
            raise UsageError(f"--seeds must be ids separated by commas, e.g. --seeds 3,17,42; got {args.seeds!r}")
    else:
        ids = api.read_seeds(args.seeds_file)
        meta = read_result_meta(args.seeds_file)
    model = args.model or meta.get("model") or "ic"
    g, name = load_graph(args)
    _check_meta(args, meta, model, g, name)
    if args.method == "mc":
        bar = progress_bar("simulations", args.simulations)
    else:
        bar = progress_bar("RR sets", args.rr_sets or api.DEFAULT_RR_SETS)
    try:
        est = api.spread(g, ids, model=model, simulations=args.simulations, method=args.method,
                         rr_sets=args.rr_sets, seed=args.seed, threads=args.threads, progress=bar,
                         max_seconds=args.max_seconds)
    finally:
        bar.close()
    args.model = model
    obj = spread_object(g, ids, est, args.model)
    seeds = obj["seeds"]
    lo, hi = est.ci95
    runs = "Monte-Carlo runs" if est.method == "mc" else "RR sets"
    text = _rows([
        ("graph", _graph_line(g, name)),
        ("seeds", _ids_text(seeds)),
        ("spread", f"{_fmt_num(est.mean, 2)} (95% CI {_fmt_num(lo, 2)} .. {_fmt_num(hi, 2)})"),
        ("method", f"{args.model.upper()}, {est.simulations:,} {runs}, seed {args.seed}"),
        ("time", f"{est.seconds:.3f} s"),
    ])
    emit(args, obj, text)
    return 0


def _check_meta(args, meta, model, g, name):
    """Warn when the seeds file was written for another model, weights or graph than this run's."""
    import warnings

    from .._validation import SeedwiseWarning

    said = []
    if meta.get("model") and meta["model"] != model:
        said.append(f"model {meta['model'].upper()} (measuring under {model.upper()} as --model asks)")
    if meta.get("weights") and meta["weights"] != g.weights:
        said.append(f"weights {meta['weights']} (this graph has {g.weights})")
    if meta.get("graph") and os.path.basename(str(meta["graph"])) != os.path.basename(str(name)):
        said.append(f"graph {meta['graph']} (this is {name})")
    if said:
        warnings.warn(f"{args.seeds_file} was selected with " + "; ".join(said), SeedwiseWarning, stacklevel=2)


def spread_object(graph, ids, estimate, model):
    """The object of ``seedwise spread --json`` (and of ``POST /spread``): the estimate,
    the model and the seeds (original ids, repeats once, in the order given)."""
    seeds = list(dict.fromkeys(graph.label(graph.index_of(ids, what="seed id"))))
    return {**estimate.to_dict(), "model": model, "seeds": seeds}


register_command("select", help="pick k seeds of largest spread", arguments=_select_arguments, run=_select_run,
                 description="Influence maximization: pick --k seeds (OPIM-C by default, with its certificate).")
register_command("spread", help="estimate the spread of a seed set", arguments=_spread_arguments, run=_spread_run,
                 description="Expected spread of a seed set with a 95% confidence interval.")
