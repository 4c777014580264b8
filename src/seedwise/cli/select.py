"""``seedwise select`` and ``seedwise spread``: classic IM and spread estimates."""
from __future__ import annotations

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
    add_run_arguments(p)
    add_scale_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--output", metavar="FILE", help="also write the seeds to FILE (.csv: rank,seed; .json)")


def _select_run(args):
    from .. import api

    check_output_path(args.output)
    options = scale_options(args)
    g, name = load_graph(args)
    if args.simulations is not None:
        options["simulations"] = args.simulations
    bar = progress_bar("RR sets" if args.algorithm in ("opim-c", "imm") else "work")
    try:
        res = api.maximize(g, args.k, model=args.model, eps=args.eps, delta=args.delta, algorithm=args.algorithm,
                           seed=args.seed, threads=args.threads, progress=bar, **options)
    finally:
        bar.close()
    obj = res.to_dict()
    if args.output:
        write_output(args.output, obj, ["rank", "seed"], [(i, s) for i, s in enumerate(res.seeds, 1)])
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
    emit(args, obj, text)
    return 0


# ------------------------------------------------------------------ spread
def _spread_arguments(p):
    add_graph_arguments(p)
    p.add_argument("--model", default="ic", type=str.lower, choices=("ic", "lt"), help="diffusion model (default ic)")
    seeds = p.add_mutually_exclusive_group(required=True)
    seeds.add_argument("--seeds", metavar="ID,ID,...", help="comma-separated seed ids")
    seeds.add_argument("--seeds-file", metavar="FILE",
                       help="ids one per line, or the CSV/JSON written by `seedwise select --output`")
    p.add_argument("--method", default="mc", type=str.lower, choices=("mc", "rr"),
                   help="mc: Monte-Carlo simulation (default); rr: RR-set estimate")
    p.add_argument("--simulations", type=_pos_int, default=10_000, help="Monte-Carlo runs (default 10000)")
    p.add_argument("--rr-sets", type=_pos_int, default=None, help="RR sets for --method rr (default 100000)")
    add_run_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _spread_run(args):
    from .. import api

    if args.seeds is not None:
        ids = [x.strip() for x in args.seeds.split(",")]
        if not all(ids):
            raise UsageError(f"--seeds must be ids separated by commas, e.g. --seeds 3,17,42; got {args.seeds!r}")
    else:
        ids = api.read_seeds(args.seeds_file)
    g, name = load_graph(args)
    if args.method == "mc":
        bar = progress_bar("simulations", args.simulations)
    else:
        bar = progress_bar("RR sets", args.rr_sets or api.DEFAULT_RR_SETS)
    try:
        est = api.spread(g, ids, model=args.model, simulations=args.simulations, method=args.method,
                         rr_sets=args.rr_sets, seed=args.seed, threads=args.threads, progress=bar)
    finally:
        bar.close()
    labels = g.label(g.index_of(ids, what="seed id"))
    seeds = list(dict.fromkeys(labels))
    obj = {**est.to_dict(), "model": args.model, "seeds": seeds}
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


register_command("select", help="pick k seeds of largest spread", arguments=_select_arguments, run=_select_run,
                 description="Influence maximization: pick --k seeds (OPIM-C by default, with its certificate).")
register_command("spread", help="estimate the spread of a seed set", arguments=_spread_arguments, run=_spread_run,
                 description="Expected spread of a seed set with a 95%% confidence interval.")
