"""Obviously correct graph building with numpy sorts: the reference for the counting-sort
builder (``seedwise.graph._build``) and for induced subgraphs."""
import numpy as np

from seedwise.graph import Graph, _schemes


def naive_build(u, v, ids, values=None, *, directed=True, weights="wc"):
    """Sort (u, v) keys, merge repeats (counts add up, other values keep the largest)."""
    n = len(ids)
    scheme = _schemes.parse(weights)
    if values is None:
        values = np.ones(len(u), dtype=np.float64)
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    if not directed:
        u, v, values = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([values, values])
    keep = u != v
    u, v, values = u[keep], v[keep], values[keep]
    key = u * n + v
    order = np.argsort(key, kind="stable")
    key, values = key[order], values[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    reduce = np.add if scheme.name == "counts" else np.maximum
    values, key = reduce.reduceat(values, starts), key[starts]
    return _assemble(n, (key // n).astype(np.int32), (key % n).astype(np.int32), values, ids, scheme, directed,
                     _schemes.probabilities(scheme, key // n, key % n, values,
                                            _indptr(key % n, n), n))


def naive_subgraph(graph, keep):
    """Induced subgraph by masking the edge list and renumbering with a lookup table."""
    keep = np.asarray(keep, dtype=bool)
    new_of_old = np.cumsum(keep) - 1
    u = np.repeat(np.arange(graph.n), np.diff(graph.out_indptr))
    v = graph.out_indices
    e = keep[u] & keep[v]
    sub_ids = graph.ids[keep]
    scheme = _schemes.parse(graph.weights)
    return _assemble(len(sub_ids), new_of_old[u[e]].astype(np.int32), new_of_old[v[e]].astype(np.int32),
                     graph.out_weight[e].astype(np.float64), sub_ids, scheme, graph.directed,
                     graph.out_prob[e])


def _indptr(rows, n):
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr


def _assemble(n, u, v, values, ids, scheme, directed, prob):
    rev = np.argsort(v, kind="stable")
    in_indptr = _indptr(v, n)
    prob = np.asarray(prob, dtype=np.float32)
    weight = values.astype(np.float32)
    return Graph(
        n=n, m=len(u), directed=bool(directed), ids=ids, out_indptr=_indptr(u, n), out_indices=v,
        out_prob=prob, out_weight=weight, in_indptr=in_indptr, in_indices=u[rev], in_prob=prob[rev],
        in_weight=weight[rev], in_shared_p=_schemes.shared_in_probability(in_indptr, prob[rev]),
        weights=scheme.label,
    )
