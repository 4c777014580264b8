"""``seedwise info``, ``datasets``, ``generate`` and ``convert``: graphs in and out."""
from __future__ import annotations

import os
import time

from ._common import (
    WEIGHTS_HELP,
    _count,
    _Parser,
    _rows,
    add_graph_arguments,
    add_run_arguments,
    check_output_path,
    emit,
    load_graph,
    progress_bar,
    register_command,
)


# ------------------------------------------------------------------ info
def _info_arguments(p):
    add_graph_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _info_run(args):
    from .. import api

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
    from .. import datasets

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
    from ..graph.generators import generate_rmat

    check_output_path(args.output, (".swg",))
    t0 = time.perf_counter()
    g = generate_rmat(args.edges, nodes=args.nodes, seed=args.seed, output=args.output, threads=args.threads)
    seconds = time.perf_counter() - t0
    loops, merged = g.stats.get("self_loops_dropped", 0), g.stats.get("repeated_edges_merged", 0)
    obj = {"generator": "rmat", "output": args.output, "seed": args.seed, "seconds": seconds,
           "edges_drawn": args.edges, "self_loops_dropped": loops, "repeated_edges_merged": merged}
    why = ""
    if g.m != args.edges:  # say why the count is not the one asked for
        why = (f"{args.edges:,} drawn (R-MAT draws every edge independently: {loops:,} were self-loops and "
               f"{merged:,} repeated an earlier edge), ")
    return _wrote(args, obj, g, "R-MAT, ", f"{why}seed {args.seed}, {seconds:.2f} s")


def _wrote(args, obj, out, before, after):
    """Report a written graph: ``obj`` with its nodes and edges where ``out`` (a Graph or
    a stats dict with n and m) gives them; exit status 0."""
    n, m = (out.get("n"), out.get("m")) if isinstance(out, dict) else (getattr(out, "n", None),
                                                                       getattr(out, "m", None))
    if n is not None:
        obj.update(nodes=int(n), edges=int(m))
    size = f"{n:,} nodes, {m:,} edges, " if n is not None else ""
    emit(args, obj, f"wrote {args.output}: {before}{size}{after}")
    return 0


# ------------------------------------------------------------------ convert
def _convert_arguments(p):
    p.add_argument("input", metavar="IN_EDGE_LIST",
                   help="text edge list (plain or .gz; a SNAP 'Undirected' header reads it undirected), or any "
                        "other format read_graph reads (Matrix Market, GraphML, Parquet, ...)")
    p.add_argument("output", metavar="OUT_FILE", help="binary graph file to write (.swg)")
    p.add_argument("--undirected", action="store_true", help="read each line as an edge in both directions")
    p.add_argument("--weights", default="wc", metavar="SCHEME", help=WEIGHTS_HELP)
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _convert_run(args):
    from .._textio import spooled

    stream = args.input == "-" or (os.path.exists(args.input) and not os.path.isfile(args.input))
    if not stream and not os.path.exists(args.input):
        raise FileNotFoundError(2, "edge list not found", args.input)
    check_output_path(args.output, (".swg",), "OUT_FILE")
    t0 = time.perf_counter()
    with spooled(args.input, "graph") as src:  # a pipe is read once, to the end, into a temporary file
        out, directed = _convert(args, src)
    seconds = time.perf_counter() - t0
    obj = {"input": args.input, "output": args.output, "directed": directed, "weights": args.weights,
           "seconds": seconds}
    return _wrote(args, obj, out, "", f"{seconds:.2f} s")


def _convert(args, src):
    """(stats or Graph, directed) of converting the regular file ``src`` to ``args.output``."""
    from ..graph import formats
    from ..graph.convert import convert_edge_list

    sniffed = formats.sniff(src)
    directed = not (args.undirected or sniffed.undirected_header)  # a SNAP "Undirected" header, as read_graph
    if sniffed.format is not None:  # Matrix Market, GraphML, tables: their reader, then the binary file
        from .. import api
        from ..graph import save_graph

        out = api.read_graph(src, directed=None if directed else False, weights=args.weights, cache=False)
        save_graph(out, args.output)
        return out, out.directed
    total = os.path.getsize(src) if not src.endswith((".gz", ".bz2", ".xz")) else None
    bar = progress_bar("bytes parsed", total)
    try:
        out = convert_edge_list(src, args.output, directed=directed, weights=args.weights, progress=bar)
    finally:
        bar.close()
    return out, directed


register_command("info", help="graph statistics", arguments=_info_arguments, run=_info_run,
                 description="Nodes, edges, degrees, weights and LT validity of a graph.")
register_command("datasets", help="list the embedded datasets", arguments=_datasets_arguments, run=_datasets_run)
register_command("generate", help="generate a synthetic graph (rmat)", arguments=_generate_arguments,
                 run=_generate_run)
register_command("convert", help="convert a text edge list to the binary format", arguments=_convert_arguments,
                 run=_convert_run, description="Stream a text edge list into a binary (memory-mappable) graph file.")
