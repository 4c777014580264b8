"""``seedwise select-examples``: choose which examples to label (IDEAL, issue 12).

``select_examples_arguments`` declares the flags and ``run_select_examples`` runs a
parsed command; the module registers them. Like every command module, nothing here
imports numpy before a command runs.
"""
from __future__ import annotations

from ._common import _rows, _times, certificate_line, check_output_path, int_at_least, register_command

METHODS = ("ideal", "random", "kmeans", "vote-k")
HEADER = ["rank", "index"]


def select_examples_arguments(p):
    """Flags of ``seedwise select-examples``."""
    p.add_argument("--embeddings", required=True, metavar="FILE",
                   help="one example per row: .npy, .npz (with --key), .csv or .parquet (needs pyarrow)")
    p.add_argument("--key", metavar="NAME", help="array of an .npz file, or list column of a parquet file")
    p.add_argument("--budget", required=True, type=int_at_least(1), metavar="B", help="examples to choose")
    p.add_argument("--neighbors", type=int_at_least(1), default=10, metavar="K",
                   help="nearest neighbours of each example in the graph; each gets an edge to it (default 10)")
    p.add_argument("--metric", default="euclidean", type=str.lower, choices=("euclidean", "cosine"),
                   help="distance of the neighbour search (default euclidean)")
    p.add_argument("--method", default="ideal", type=str.lower, choices=METHODS,
                   help="ideal (influence on the graph, OPIM-C; default) or a baseline")
    p.add_argument("--weights", default="similarity", metavar="SCHEME",
                   help="edge probabilities: similarity (normalised per example; default), wc, uniform:P")
    p.add_argument("--model", default="ic", type=str.lower, choices=("ic", "lt"), help="diffusion model (default ic)")
    p.add_argument("--eps", type=float, default=0.1, help="OPIM-C approximation slack (default 0.1)")
    p.add_argument("--knn", default="auto", type=str.lower, choices=("auto", "exact", "ivf", "nndescent"),
                   help="neighbour search: exact up to 50,000 rows, inverted file above (default auto); "
                        "nndescent needs pynndescent")
    p.add_argument("--cache", action="store_true", help="keep the neighbours in the cache, keyed by content hash")
    p.add_argument("--max-memory", default=None, metavar="BYTES|N%",
                   help="memory budget, checked before allocating (default 80%% of the available memory)")
    p.add_argument("--seed", type=int_at_least(0), default=0, metavar="S", help="random seed (default 0)")
    p.add_argument("--threads", type=int_at_least(1), default=None, metavar="T", help="threads (default: all cores)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--output", metavar="FILE", help="write rank,index rows (.csv) or the JSON object (.json)")


def run_select_examples(args):
    """Read the embeddings, select, print (and write ``--output``); returns the exit status."""
    from .._output import dumps, write_result
    from ..algorithms.ideal import select_examples
    from ..algorithms.ideal.io import read_embeddings

    check_output_path(args.output)
    X = read_embeddings(args.embeddings, key=args.key)
    res = select_examples(X, args.budget, neighbors=args.neighbors, metric=args.metric, model=args.model,
                          weights=args.weights, method=args.method, eps=args.eps, seed=args.seed,
                          threads=args.threads, knn=args.knn, cache=args.cache, max_memory=args.max_memory)
    obj = res.to_dict()
    if args.output:
        write_result(args.output, obj, HEADER, [[r + 1, i] for r, i in enumerate(res.indices)])
    if args.json:
        print(dumps(obj))
    else:
        print(_text(args, X.shape, res))
    return 0


def _text(args, shape, res):
    knn = f"{res.knn_method} search" + (f", recall {res.knn_recall:.3f} on a sample" if res.knn_method != "exact"
                                         and res.knn_recall is not None else "")
    how = "OPIM-C on the neighbour graph" if res.method == "ideal" else "baseline"
    pairs = [
        ("method", f"{res.method} ({how}), {res.model.upper()} model, budget {res.budget}, seed {args.seed}"),
        ("embeddings", f"{args.embeddings}: {shape[0]:,} x {shape[1]:,}, metric {res.metric}"),
        ("graph", f"{res.graph_nodes:,} nodes, {res.graph_edges:,} edges ({res.neighbors} neighbours each, "
                  f"weights {res.weights}), {knn}"),
        ("indices", ", ".join(str(i) for i in res.indices)),
        ("spread", f"{res.spread:,.1f} examples reached (of {res.graph_nodes:,})"),
    ]
    cert = certificate_line(res.lower, res.upper, res.ratio, res.params.get("target"), res.params.get("eps"))
    if cert:
        pairs.append(("certificate", cert))
    pairs.append(("time", _times(res.times)))
    return _rows(pairs)


register_command("select-examples", help="choose which examples to label (IDEAL: influence on a kNN graph)",
                 description="Choose --budget rows of an embeddings file to label: build the directed "
                             "k-nearest-neighbour graph of the rows and pick the rows of largest influence "
                             "spread with OPIM-C (Zhang et al., ICLR 2024), or a baseline.",
                 arguments=select_examples_arguments, run=run_select_examples)
