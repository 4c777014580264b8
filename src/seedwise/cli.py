"""The ``seedwise`` command: parse, call one API function, format.

Commands are registered in ``COMMANDS`` through :func:`register_command`, each with
a function that declares its flags and one that runs it and returns the exit
status. New commands (``cim``, ``recommend``, ...) plug in the same way and reuse
:func:`add_graph_arguments`, :func:`load_graph`, :func:`emit` and
:func:`write_output`.

Exit status: 0 success, 2 bad input or usage (one ``seedwise: error: ...`` line on
stderr, no traceback), 1 internal failure (set ``SEEDWISE_DEBUG=1`` for the
traceback). Nothing here imports numpy or numba before a command runs, so
``seedwise --help`` is instant.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass

from . import cli_cim, cli_him
from ._cli_types import int_at_least

PROG = "seedwise"
WEIGHTS_HELP = "edge probabilities: wc (1/in-degree, default), uniform:P, trivalency, given (3rd column), counts"
ALGORITHMS = ("opim-c", "imm", "celf", "degree", "pagerank", "degree-discount", "random")


class UsageError(Exception):
    """A command-line usage error (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but errors become one line instead of usage + exit."""

    def error(self, message):
        raise UsageError(f"{message} (see `{self.prog} --help`)")


@dataclass
class Command:
    name: str
    help: str
    arguments: Callable  # (parser) -> None
    run: Callable  # (args) -> int
    description: str | None = None


COMMANDS: dict[str, Command] = {}


def register_command(name, *, help, arguments, run, description=None):
    """Add a subcommand: ``arguments(parser)`` declares flags, ``run(args)`` returns the exit status."""
    COMMANDS[name] = Command(name, help, arguments, run, description)


# ------------------------------------------------------------------ helpers
def add_graph_arguments(p, *, weights=True, undirected=True):
    """``--graph FILE | --dataset NAME``, ``--undirected``, ``--weights``, ``--no-cache``."""
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--graph", metavar="FILE",
                     help="edge list (text or .gz, 'u v [value]' per line) or binary .swg graph")
    src.add_argument("--dataset", metavar="NAME", help="an embedded dataset (see `seedwise datasets`)")
    if undirected:
        p.add_argument("--undirected", action="store_true", help="read each line as an edge in both directions")
    if weights:
        p.add_argument("--weights", default=None, metavar="SCHEME",
                       help=WEIGHTS_HELP + "; a binary graph keeps its stored scheme unless given")
    p.add_argument("--no-cache", dest="cache", action="store_false",
                   help="do not read or write the binary cache of a parsed graph")


def add_run_arguments(p):
    p.add_argument("--seed", type=_nonneg_int, default=0, metavar="S", help="random seed (default 0)")
    p.add_argument("--threads", type=_pos_int, default=None, metavar="T", help="threads (default: all cores)")


def add_scale_arguments(p):
    """``--backend local|ray``, ``--address``, ``--max-memory`` (issue 5)."""
    p.add_argument("--backend", default="local", type=str.lower, choices=("local", "ray"),
                   help="where RR sets live: this process (default) or a Ray cluster")
    p.add_argument("--address", default=None, metavar="auto|HOST:PORT",
                   help="Ray cluster to join with --backend ray (default: start a local one)")
    p.add_argument("--max-memory", default=None, metavar="BYTES|80%%",
                   help="refuse runs whose estimated memory exceeds this (default 80%% of available RAM)")


def scale_options(args):
    """The keyword arguments of ``add_scale_arguments`` that differ from their defaults."""
    options = {}
    if args.backend != "local":
        options["backend"] = args.backend
    if args.address is not None:
        if args.backend != "ray":
            raise UsageError("--address needs --backend ray")
        options["address"] = args.address
    if args.max_memory is not None:
        from .memory import parse_memory_budget

        parse_memory_budget(args.max_memory)  # fail before loading the graph
        options["max_memory"] = args.max_memory
    return options


def load_graph(args):
    """The graph named by ``--graph`` / ``--dataset``, and a short name for it."""
    from . import api

    weights = getattr(args, "weights", None)
    cache = getattr(args, "cache", True)
    if args.dataset is not None:
        from . import datasets

        d = datasets.get(args.dataset)
        if getattr(args, "undirected", False) and d.directed:
            raise UsageError(f"--undirected does not apply to --dataset {d.name} (it is read as published)")
        return api.load_dataset(d.name, weights=weights or "wc", cache=cache), d.name
    g = api.read_graph(args.graph, directed=not getattr(args, "undirected", False), weights=weights, cache=cache)
    return g, args.graph


def progress_bar(label, total=None):
    """A stderr progress callable (silent unless stderr is a terminal and 1 s has passed)."""
    from ._progress import Progress

    return Progress(label, total)


def emit(args, obj, text):
    """Print ``obj`` as JSON when ``--json`` was given, else the human-readable ``text``."""
    if getattr(args, "json", False):
        from ._output import dumps

        print(dumps(obj))
    else:
        print(text)


def write_output(path, obj, header, rows):
    """Write ``--output``: JSON (``obj``) or CSV (``header``, ``rows``) by suffix, atomically."""
    from ._output import write_result

    write_result(path, obj, header, rows)


def check_output_path(path):
    """Fail before the work starts if ``--output`` cannot be written."""
    from ._output import check_output_path

    check_output_path(path)


def _fmt_num(x, digits=1):
    if x is None:
        return "-"
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return f"{x:,.{digits}f}"


def _rows(pairs):
    """Aligned ``key: value`` lines; values wrap under their column."""
    width = max(len(k) for k, _ in pairs) + 2
    out = []
    for key, value in pairs:
        lines = textwrap.wrap(str(value), width=max(40, 88 - width), break_on_hyphens=False) or [""]
        out.append(f"{key + ':':<{width}}{lines[0]}")
        out.extend(" " * width + line for line in lines[1:])
    return "\n".join(out)


def _ids_text(ids):
    return ", ".join(str(x) for x in ids)


def _times(times):
    parts = [f"{k} {v:.3f} s" for k, v in times.items() if k != "total"]
    if "total" in times:
        parts.append(f"total {times['total']:.3f} s")
    return ", ".join(parts) or "-"


def _target_name(target, eps):
    if target is None or eps is None:
        return ""
    if abs(target - (1 - 1 / math.e - eps)) < 1e-9:
        return " (1 - 1/e - eps)"
    if abs(target - (0.5 - eps)) < 1e-9:
        return " (1/2 - eps)"
    return ""


def certificate_line(lower, upper, ratio, target, eps):
    """``sigma_l / sigma_u = 1234.5 / 2000.1 = 0.617 >= 0.532 (1 - 1/e - eps)``."""
    if ratio is None or lower is None or upper is None:
        return None
    text = f"sigma_l / sigma_u = {lower:.1f} / {upper:.1f} = {ratio:.3f}"
    if target is not None:
        text += f" {'>=' if ratio >= target else '<'} {target:.3f}{_target_name(target, eps)}"
    return text


def _graph_line(g, name):
    kind = "directed" if g.directed else "undirected, both directions"
    return f"{name}: {g.n:,} nodes, {g.m:,} edges ({kind}), weights {g.weights}"


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
    from . import api

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
    from . import api

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


# ------------------------------------------------------------------ info
def _info_arguments(p):
    add_graph_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _info_run(args):
    from . import api

    g, name = load_graph(args)
    info = api.describe(g)
    od, idg, pr = info["out_degree"], info["in_degree"], info["probability"]
    edges = f"{info['edges']:,}"
    if not info["directed"]:
        edges += f" directed ({info['undirected_pairs']:,} undirected pairs, stored both ways)"
    pairs = [
        ("graph", name),
        ("nodes", f"{info['nodes']:,} ({info['ids']} ids, {info['isolated_nodes']:,} isolated)"),
        ("edges", edges),
        ("directed", "yes" if info["directed"] else "no"),
        ("self-loops dropped", f"{info['self_loops_dropped']:,}"),
        ("repeated edges merged", f"{info['repeated_edges_merged']:,}"),
        ("out-degree", f"min {od['min']:,}, mean {od['mean']:.2f}, max {od['max']:,}"),
        ("in-degree", f"min {idg['min']:,}, mean {idg['mean']:.2f}, max {idg['max']:,}"),
        ("weights", f"{info['weights']}: probability min {pr['min']:.4g}, mean {pr['mean']:.4g}, max {pr['max']:.4g}"),
        ("LT-valid", ("yes" if info["lt_valid"] else "no")
         + f" (largest in-weight sum {info['max_in_weight']:.4g}{'' if info['lt_valid'] else ' > 1'})"),
    ]
    emit(args, info, _rows(pairs))
    return 0


# ------------------------------------------------------------------ datasets
def _datasets_arguments(p):
    p.add_argument("--json", action="store_true", help="print a JSON list")


def _datasets_run(args):
    from . import datasets

    items = datasets()
    lines = [f"{'name':<15}{'nodes':>8}{'edges':>10}  directed  description"]
    for d in items:
        lines.append(f"{d['name']:<15}{d['nodes']:>8,}{d['edges']:>10,}  {'yes' if d['directed'] else 'no ':<8}  "
                     f"{d['description']}")
    lines.append("use with --dataset NAME; sources and citations: `seedwise datasets --json` "
                 "or seedwise/datasets/README.md")
    emit(args, items, "\n".join(lines))
    return 0


# ------------------------------------------------------------------ generate
def _generate_arguments(p):
    sub = p.add_subparsers(dest="generator", metavar="GENERATOR", parser_class=_Parser)
    sub.required = True
    r = sub.add_parser("rmat", help="R-MAT / Kronecker graph (a=0.57, b=c=0.19), written in the binary format",
                       description="Seeded R-MAT graph written directly to a binary .swg file.")
    r.add_argument("--edges", type=_count, required=True, metavar="M",
                   help="number of edges (e.g. 1000000, 1e6 or 1M)")
    r.add_argument("--nodes", type=_count, default=None, metavar="N", help="number of nodes (default: chosen from M)")
    r.add_argument("--output", required=True, metavar="FILE", help="binary graph file to write")
    add_run_arguments(r)
    r.add_argument("--json", action="store_true", help="print one JSON object")


def _generate_run(args):
    from .graph.generators import generate_rmat

    t0 = time.perf_counter()
    out = generate_rmat(args.edges, nodes=args.nodes, seed=args.seed, output=args.output, threads=args.threads)
    seconds = time.perf_counter() - t0
    obj = {"generator": "rmat", "output": args.output, "seed": args.seed, "seconds": seconds}
    n, m = _size_of(out)
    if n is not None:
        obj.update(nodes=int(n), edges=int(m))
    size = f"{n:,} nodes, {m:,} edges, " if n is not None else ""
    emit(args, obj, f"wrote {args.output}: R-MAT, {size}seed {args.seed}, {seconds:.2f} s")
    return 0


def _size_of(out):
    """(n, m) of a Graph or of a stats dict with n and m; (None, None) otherwise."""
    if isinstance(out, dict):
        return out.get("n"), out.get("m")
    return getattr(out, "n", None), getattr(out, "m", None)


# ------------------------------------------------------------------ convert
def _convert_arguments(p):
    p.add_argument("input", metavar="IN_EDGE_LIST", help="text edge list (plain or .gz)")
    p.add_argument("output", metavar="OUT_FILE", help="binary graph file to write (.swg)")
    p.add_argument("--undirected", action="store_true", help="read each line as an edge in both directions")
    p.add_argument("--weights", default="wc", metavar="SCHEME", help=WEIGHTS_HELP)
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _convert_run(args):
    from .graph.convert import convert_edge_list

    if not os.path.exists(args.input):
        raise FileNotFoundError(2, "edge list not found", args.input)
    t0 = time.perf_counter()
    total = os.path.getsize(args.input) if not args.input.endswith((".gz", ".bz2", ".xz")) else None
    bar = progress_bar("bytes parsed", total)
    try:
        out = convert_edge_list(args.input, args.output, directed=not args.undirected, weights=args.weights,
                                progress=bar)
    finally:
        bar.close()
    seconds = time.perf_counter() - t0
    obj = {"input": args.input, "output": args.output, "directed": not args.undirected, "weights": args.weights,
           "seconds": seconds}
    n, m = _size_of(out)
    if n is not None:
        obj.update(nodes=int(n), edges=int(m))
    size = f"{n:,} nodes, {m:,} edges, " if n is not None else ""
    emit(args, obj, f"wrote {args.output}: {size}{seconds:.2f} s")
    return 0


register_command("select", help="pick k seeds of largest spread", arguments=_select_arguments, run=_select_run,
                 description="Influence maximization: pick --k seeds (OPIM-C by default, with its certificate).")
register_command("spread", help="estimate the spread of a seed set", arguments=_spread_arguments, run=_spread_run,
                 description="Expected spread of a seed set with a 95%% confidence interval.")
register_command("info", help="graph statistics", arguments=_info_arguments, run=_info_run,
                 description="Nodes, edges, degrees, weights and LT validity of a graph.")
register_command("datasets", help="list the embedded datasets", arguments=_datasets_arguments, run=_datasets_run)
register_command("generate", help="generate a synthetic graph (rmat)", arguments=_generate_arguments,
                 run=_generate_run)
register_command("convert", help="convert a text edge list to the binary format", arguments=_convert_arguments,
                 run=_convert_run, description="Stream a text edge list into a binary (memory-mappable) graph file.")


# ------------------------------------------------------------------ CIM and HIM
def _on_graph(arguments, run, *, scale=False):
    """A command whose flags are the graph flags plus ``arguments(p)`` and whose
    ``run(args, graph)`` gets the loaded graph."""

    def declare(p):
        add_graph_arguments(p)
        if scale:
            add_scale_arguments(p)
        arguments(p)

    def execute(args):
        if scale:
            scale_options(args)  # flag combinations, before the graph loads
        graph, _ = load_graph(args)
        return run(args, graph)

    return {"arguments": declare, "run": execute}


register_command("cim", help="capacity constrained IM: up to k friends per active participant",
                 description="Choose at most --k friends (out-neighbours that are not APs) for every active "
                             "participant so that their union spreads furthest on the passive graph "
                             "(Zhang et al., KDD 2023). Default RR-OPIM+: (1/2 - eps)-approximate w.p. 1 - delta.",
                 **_on_graph(cli_cim.cim_arguments, cli_cim.run_cim, scale=True))
register_command("cim-compare", help="compare CIM algorithms on one query: spread, distinct seeds, time",
                 description="Run several CIM algorithms on the same AP set for each capacity k and measure the "
                             "spread of every answer on the passive graph by Monte-Carlo.",
                 **_on_graph(cli_cim.cim_compare_arguments, cli_cim.run_cim_compare))
register_command("recommend", help="recommend invitees to inviters (HeteroIM, HeteroIR, baselines)",
                 description="Recommend up to --k out-neighbours (invitees) to each inviter: HeteroIM (RR sets, "
                             "greedy), HeteroIR (P_ij U_j (1 + HeteroInf(j))), or by P_ij, degree or PageRank.",
                 **_on_graph(cli_him.recommend_arguments, cli_him.run_recommend))
register_command("recommend-eval", help="score recommenders against observed pairs (Recall, NDCG, NSpread)",
                 description="Run several recommenders and print Recall@K, NDCG@K and NSpread@K (K = 1..3) side "
                             "by side, scored against observed inviter -> invitee pairs.",
                 **_on_graph(cli_him.recommend_eval_arguments, cli_him.run_recommend_eval))


# ------------------------------------------------------------------ parsing
def _pos_int(text):
    v = _count(text)
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {text!r}")
    return v


_nonneg_int = int_at_least(0)


def _count(text):
    """An integer count: 1000000, 1_000_000, 1e6, 1M, 10k, 2G."""
    t = str(text).strip().lower().replace("_", "")
    scale = {"k": 10**3, "m": 10**6, "g": 10**9, "b": 10**9}.get(t[-1:], 1)
    if scale != 1:
        t = t[:-1]
    try:
        x = float(t) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number such as 1000000, 1e6 or 1M, got {text!r}") from None
    if not math.isfinite(x) or x != int(x):
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}")
    return int(x)


def build_parser():
    from . import __version__

    parser = _Parser(
        prog=PROG,
        description="Influence maximization with proven guarantees (OPIM-C, IMM, CELF, baselines).",
        epilog="Exit status: 0 ok, 2 bad input, 1 internal error (SEEDWISE_DEBUG=1 shows the traceback).",
    )
    parser.add_argument("--version", action="version", version=f"seedwise {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for cmd in COMMANDS.values():
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.description or cmd.help)
        cmd.arguments(p)
        p.set_defaults(_run=cmd.run)
    return parser


def _one_line(text):
    return " ".join(str(text).split())


def main(argv=None):
    """Run the ``seedwise`` command line; returns the exit status."""
    debug = os.environ.get("SEEDWISE_DEBUG", "") not in ("", "0")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            raise UsageError(f"a command is required: {', '.join(COMMANDS)} (see `{PROG} --help`)")
    except UsageError as e:
        print(f"{PROG}: error: {_one_line(e)}", file=sys.stderr)
        return 2
    except SystemExit as e:  # --help, --version
        return e.code if isinstance(e.code, int) else 0
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # stdout closed early (e.g. `| head`): quiet, like other Unix tools
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except Exception as e:  # noqa: BLE001 - every failure becomes an exit status
        return _report(e, debug)


def _report(e, debug):
    from ._validation import SeedwiseError

    if debug:
        import traceback

        traceback.print_exception(type(e), e, e.__traceback__, file=sys.stderr)
    if isinstance(e, (SeedwiseError, UsageError)):
        print(f"{PROG}: error: {_one_line(e)}", file=sys.stderr)
        return 2
    if isinstance(e, OSError) and e.filename is not None:
        what = e.strerror or type(e).__name__
        print(f"{PROG}: error: {what}: {e.filename}", file=sys.stderr)
        return 2
    if isinstance(e, MemoryError):
        print(f"{PROG}: error: out of memory; try a larger --eps, fewer --threads or a smaller graph",
              file=sys.stderr)
        return 1
    msg = _one_line(f"{type(e).__name__}: {e}")
    if len(msg) > 300:
        msg = msg[:297] + "..."
    print(f"{PROG}: internal error: {msg}", file=sys.stderr)
    if not debug:
        print(f"{PROG}: this is a bug; rerun with SEEDWISE_DEBUG=1 for the traceback", file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
