"""Build the CSR arrays of a Graph: from dense edge arrays, or induced by a node subset.

Both run in O(n + m) with numba kernels (``_kernels``): counting sorts instead of
argsorts of 64-bit keys, and no per-edge int64 temporaries, so that graphs of
100 M edges and their CIM passive graphs fit in memory.
"""
from __future__ import annotations

import numpy as np

from .._validation import SeedwiseError
from . import _kernels, _schemes
from ._graph import Graph


def build_graph(u, v, ids, values=None, *, directed=True, weights="wc", stats=None):
    """Build a Graph from dense edge arrays (``Graph.from_dense`` calls this).

    Rows are bucketed and sorted by a counting sort: O(n + m) time and about 40
    bytes per edge at the peak (8 for the input, 24 for the final arrays, the rest
    temporaries), which is what lets 100 M edges fit.

    Parameters
    ----------
    u, v : int32 or int64 arrays, shape (e,)
        Dense tails and heads in [0, len(ids)).
    ids : ndarray, shape (n,)
        Sorted original ids; nodes without edges are kept.
    values : float64 array, shape (e,), optional
        Third column (probability, count or weight).
    directed, weights, stats
        As in :meth:`Graph.from_edges`.

    Returns
    -------
    Graph

    Raises
    ------
    SeedwiseError
        Empty graph, only self-loops, a scheme that needs values without them, or
        values that are not probabilities under "given".
    """
    scheme = _schemes.parse(weights)
    n = len(ids)
    if n == 0 or len(u) == 0:
        raise SeedwiseError("the graph is empty: no edges were read")
    if n > np.iinfo(np.int32).max:
        raise SeedwiseError(f"{n} nodes do not fit int32 node ids")
    if scheme.needs_values and values is None:
        raise SeedwiseError(f'weights="{weights}" needs a third column (probability or count) in the edge list')
    stats = dict(stats or {})
    has = values is not None
    vals = np.ascontiguousarray(values, dtype=np.float64) if has else np.empty(0, dtype=np.float64)
    indptr, dst, val, loops = _kernels.bucket_by_source(
        np.ascontiguousarray(u), np.ascontiguousarray(v), vals, has, n, not directed
    )
    del vals
    out_indptr = _kernels.sort_merge_rows(indptr, dst, val, has, scheme.name == "counts")
    del indptr
    m = int(out_indptr[-1])
    merged = len(dst) - m
    stats["self_loops_dropped"] = int(loops)
    stats["repeated_edges_merged"] = merged if directed else merged // 2
    if m == 0:
        raise SeedwiseError("the graph is empty: every edge was a self-loop")
    out_indices = dst[:m].copy() if merged else dst
    del dst
    if has:
        val = val[:m].copy() if merged else val
    in_indptr, in_indices = _kernels.reverse_csr(out_indptr, out_indices, n)
    prob = _probabilities(scheme, out_indptr, out_indices, val if has else None, in_indptr, n)
    in_prob = _kernels.to_in_order(out_indptr, out_indices, in_indptr, prob)
    if has:
        # float32 ranking weights: values past its range are kept as its largest number,
        # not inf (the probabilities above were computed in float64)
        weight = np.minimum(val, np.finfo(np.float32).max).astype(np.float32)
        del val
        in_weight = _kernels.to_in_order(out_indptr, out_indices, in_indptr, weight)
    else:
        weight = np.ones(m, dtype=np.float32)
        in_weight = np.ones(m, dtype=np.float32)
    stats.setdefault("edges", m)
    return Graph(
        n=n, m=m, directed=bool(directed), ids=ids,
        out_indptr=out_indptr, out_indices=out_indices, out_prob=prob, out_weight=weight,
        in_indptr=in_indptr, in_indices=in_indices, in_prob=in_prob, in_weight=in_weight,
        in_shared_p=_schemes.shared_in_probability(in_indptr, in_prob),
        weights=scheme.label, stats=stats,
    )


#: Edges per slice when probabilities are computed slice by slice (bounds temporaries).
PROB_BLOCK = 1 << 22


def _probabilities(scheme, out_indptr, out_indices, val, in_indptr, n):
    """_schemes.probabilities over the out-CSR; per-edge schemes go slice by slice."""
    m = len(out_indices)
    src = np.repeat(np.arange(n, dtype=np.int32), np.diff(out_indptr))
    if scheme.name in ("trivalency", "counts") or m <= PROB_BLOCK:
        return _schemes.probabilities(scheme, src, out_indices, val, in_indptr, n)
    prob = np.empty(m, dtype=np.float32)
    for a in range(0, m, PROB_BLOCK):
        b = min(a + PROB_BLOCK, m)
        part = None if val is None else val[a:b]
        prob[a:b] = _schemes.probabilities(scheme, src[a:b], out_indices[a:b], part, in_indptr, n)
    return prob


def induced_subgraph(graph, keep):
    """The subgraph of ``graph`` induced by the bool mask ``keep``, probabilities and
    weights unchanged; returns (subgraph, old_of_new int32)."""
    keep = np.ascontiguousarray(keep, dtype=np.bool_)
    old_of_new = np.flatnonzero(keep).astype(np.int32)
    n = len(old_of_new)
    out_indptr, out_indices, kept = _kernels.induced_rows(graph.out_indptr, graph.out_indices, keep, n)
    prob, weight = graph.out_prob[kept], graph.out_weight[kept]
    del kept
    in_indptr, in_indices = _kernels.reverse_csr(out_indptr, out_indices, n)
    in_prob = _kernels.to_in_order(out_indptr, out_indices, in_indptr, prob)
    in_weight = _kernels.to_in_order(out_indptr, out_indices, in_indptr, weight)
    sub = Graph(
        n=n, m=len(out_indices), directed=graph.directed, ids=graph.ids[old_of_new],
        out_indptr=out_indptr, out_indices=out_indices, out_prob=prob, out_weight=weight,
        in_indptr=in_indptr, in_indices=in_indices, in_prob=in_prob, in_weight=in_weight,
        in_shared_p=_schemes.shared_in_probability(in_indptr, in_prob),
        weights=graph.weights, stats={"induced_from": graph.n},
    )
    return sub, old_of_new
