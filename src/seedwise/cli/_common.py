"""What every command module shares: the command registry, the graph/run/scale flags,
loading the graph, output and formatting helpers, argparse types.

Nothing here imports numpy or numba at import time, so ``seedwise --help`` is instant.
"""
from __future__ import annotations

import argparse
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

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
    """``--graph FILE | --dataset NAME``, ``--undirected``/``--directed``, ``--weights``, the table
    column flags and ``--no-cache``."""
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--graph", metavar="FILE",
                     help="edge list (text or .gz, 'u v [value]' per line), binary .swg, Matrix Market .mtx, "
                          "GraphML/GEXF/GML, Parquet/Arrow, or CSV with a header line")
    src.add_argument("--dataset", metavar="NAME", help="an embedded dataset (see `seedwise datasets`)")
    if undirected:
        way = p.add_mutually_exclusive_group()
        way.add_argument("--undirected", action="store_true", help="read each edge in both directions")
        way.add_argument("--directed", action="store_true",
                         help="read an edge list directed even when its header says undirected "
                              "(default: as the file says)")
    if weights:
        p.add_argument("--weights", default=None, metavar="SCHEME",
                       help=WEIGHTS_HELP + "; a binary graph keeps its stored scheme unless given")
    p.add_argument("--source-col", default=None, metavar="NAME",
                   help="tables (CSV with a header, Parquet, Arrow): the column of edge tails (default source)")
    p.add_argument("--target-col", default=None, metavar="NAME",
                   help="tables: the column of edge heads (default target)")
    p.add_argument("--weight-col", default=None, metavar="NAME",
                   help="tables: the probability column (GraphML/GEXF/GML: the edge attribute); "
                        "implies --weights given unless --weights counts")
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
    p.add_argument("--max-memory", default=None, metavar="BYTES|80%",
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
        from ..memory import parse_memory_budget

        parse_memory_budget(args.max_memory)  # fail before loading the graph
        options["max_memory"] = args.max_memory
    return options


def load_graph(args):
    """The graph named by ``--graph`` / ``--dataset``, and a short name for it."""
    from .. import api

    weights = getattr(args, "weights", None)
    cache = getattr(args, "cache", True)
    columns = {k: getattr(args, f"{k}_col", None) for k in ("source", "target", "weight")}
    if args.dataset is not None:
        from .. import datasets

        d = datasets.get(args.dataset)
        if getattr(args, "undirected", False) and d.directed:
            raise UsageError(f"--undirected does not apply to --dataset {d.name} (it is read as published)")
        if any(columns.values()):
            raise UsageError("--source-col, --target-col and --weight-col apply to --graph tables, not --dataset")
        return api.load_dataset(d.name, weights=weights or "wc", cache=cache), d.name
    directed = False if getattr(args, "undirected", False) else (True if getattr(args, "directed", False) else None)
    g = api.read_graph(args.graph, directed=directed, weights=weights, cache=cache, **columns)
    return g, args.graph


def require(module, flag, extra):
    """Fail at once, before any work, when ``flag`` needs an optional package that is missing."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        from .._validation import SeedwiseError

        raise SeedwiseError(f"{flag} needs {module}: pip install 'seedwise[{extra}]'")


def progress_bar(label, total=None):
    """A stderr progress callable (silent unless stderr is a terminal and 1 s has passed)."""
    from .._progress import Progress

    return Progress(label, total)


def emit(args, obj, text):
    """Print ``obj`` as JSON when ``--json`` was given, else the human-readable ``text``."""
    if getattr(args, "json", False):
        from .._output import dumps

        print(dumps(obj))
    else:
        print(text)


def run_meta(args, graph, model=None):
    """What an output file records about its run: model, weights, graph (name) and direction."""
    return result_meta(graph, getattr(args, "dataset", None) or getattr(args, "graph", None), model)


def result_meta(graph, name, model=None):
    """:func:`run_meta` for a graph called ``name`` (also what ``POST /select`` adds)."""
    meta = {"model": model} if model else {}
    meta.update(weights=graph.weights, graph=name, directed=graph.directed)
    return meta


def write_output(path, obj, header, rows, meta=None):
    """Write ``--output``: JSON (``obj``) or CSV (``header``, ``rows``) by suffix, atomically.

    ``meta`` (model, weights, graph) goes into the JSON object as keys, and into a CSV as
    columns repeated on every row, so that pandas and spreadsheets read the file as it is
    and :func:`seedwise.graph.readers.read_result_meta` finds the run's settings.
    """
    from .._output import write_result

    meta = meta or {}
    if isinstance(obj, list):  # one JSON object per row: each carries the settings
        obj = [{**row, **meta} for row in obj]
    else:
        obj = {**meta, **obj}
    write_result(path, obj, [*header, *meta], [(*r, *meta.values()) for r in rows])


def check_output_path(path, suffixes=(".csv", ".json"), flag="--output"):
    """Fail before the work starts if ``flag`` cannot be written (its suffix is one of ``suffixes``)."""
    from .._output import check_output_path

    check_output_path(path, suffixes, flag)


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
    from ..selection.sizes import target_im, target_partition

    if abs(target - target_im(eps)) < 1e-9:
        return " (1 - 1/e - eps)"
    if abs(target - target_partition(eps)) < 1e-9:
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
    if g.stats.get("undirected_by") == "header":
        kind += "; the file's header says undirected"
    return f"{name}: {g.n:,} nodes, {g.m:,} edges ({kind}), weights {g.weights}"


# ------------------------------------------------------------------ commands on a graph
def _on_graph(arguments, run, *, scale=False, precheck=None):
    """A command whose flags are the graph flags plus ``arguments(p)`` and whose
    ``run(args, graph)`` gets the loaded graph; ``precheck(args)`` runs before the
    graph loads (optional packages, output paths)."""

    def declare(p):
        add_graph_arguments(p)
        if scale:
            add_scale_arguments(p)
        arguments(p)

    def execute(args):
        if scale:
            scale_options(args)  # flag combinations, before the graph loads
        if precheck is not None:
            precheck(args)
        graph, _ = load_graph(args)
        return run(args, graph)

    return {"arguments": declare, "run": execute}


# ------------------------------------------------------------------ argparse types
def _pos_int(text):
    v = _count(text)
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {text!r}")
    return v




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


def int_at_least(low):
    """An argparse ``type``: an integer >= ``low``, with a one-line error otherwise."""

    def parse(text):
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer >= {low}, got {text!r}") from None
        if v < low:
            raise argparse.ArgumentTypeError(f"must be an integer >= {low}, got {text!r}")
        return v

    parse.__name__ = "int"
    return parse


def add_once(p, *flags, **kw):
    """Add a flag unless the parser already has it (the graph or run flags may declare --seed)."""
    if any(f in p._option_string_actions for f in flags):
        return
    p.add_argument(*flags, **kw)


_nonneg_int = int_at_least(0)
