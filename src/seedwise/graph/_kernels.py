"""numba kernels for building CSR graphs and generating R-MAT edges.

The CSR build is a counting sort (two passes over the edges, O(n + m), no argsort
of 64-bit keys), so that a 100 M edge graph needs little more memory than its
final arrays. Its output is identical to ``Graph.from_dense``: rows sorted by
(u, v), repeats merged in input order, reverse CSR ordered by (v, u).

Arrays: u, v int32/int64 (e,) dense ids; values float64 (e,) or (0,);
indptr int64 (n+1,); indices int32 (m,).
"""
import numpy as np

from .._numba import kernel
from .._random import next_state, stream, to_unit


@kernel
def bucket_by_source(u, v, values, has_values, n, undirected):
    """Counting sort of the non-loop edges by tail, stable in input order.

    With ``undirected`` every edge (u, v) also gives (v, u); the reversed copies
    come after all forward ones.

    Returns indptr int64 (n+1,), dst int32 (k,), val float64 (k,) or (0,),
    loops (self-loop input edges, counted once each).
    """
    e = u.shape[0]
    indptr = np.zeros(n + 1, dtype=np.int64)
    loops = 0
    for i in range(e):
        a = u[i]
        b = v[i]
        if a == b:
            loops += 1
            continue
        indptr[a + 1] += 1
        if undirected:
            indptr[b + 1] += 1
    for x in range(n):
        indptr[x + 1] += indptr[x]
    k = indptr[n]
    dst = np.empty(k, dtype=np.int32)
    val = np.empty(k if has_values else 0, dtype=np.float64)
    fill = indptr[:-1].copy()
    for reverse in range(2 if undirected else 1):
        for i in range(e):
            a = v[i] if reverse else u[i]
            b = u[i] if reverse else v[i]
            if a == b:
                continue
            p = fill[a]
            dst[p] = b
            if has_values:
                val[p] = values[i]
            fill[a] = p + 1
    return indptr, dst, val, loops


@kernel
def sort_merge_rows(indptr, dst, val, has_values, add):
    """Sort each row by head and merge repeated heads, compacting dst/val in place.

    Repeats keep the largest value, or the sum (``add``, the "counts" scheme), taken
    in input order (stable sort). Returns the new indptr int64 (n+1,).
    """
    n = indptr.shape[0] - 1
    new_ptr = np.zeros(n + 1, dtype=np.int64)
    w = 0
    for x in range(n):
        a = indptr[x]
        b = indptr[x + 1]
        if b - a > 1:
            if has_values:
                order = np.argsort(dst[a:b], kind="mergesort")
                seg = dst[a:b][order]
                sv = val[a:b][order]
            else:
                seg = np.sort(dst[a:b])
                sv = val[:0]
            last = -1
            for t in range(b - a):
                h = seg[t]
                if h == last:
                    if has_values:
                        if add:
                            val[w - 1] += sv[t]
                        elif sv[t] > val[w - 1]:
                            val[w - 1] = sv[t]
                    continue
                dst[w] = h
                if has_values:
                    val[w] = sv[t]
                w += 1
                last = h
        elif b - a == 1:
            dst[w] = dst[a]
            if has_values:
                val[w] = val[a]
            w += 1
        new_ptr[x + 1] = w
    return new_ptr


@kernel
def reverse_csr(out_indptr, out_indices, n):
    """The transpose of a CSR with columns 0..n-1: in_indptr int64 (n+1,), in_indices int32 (m,) (rows sorted).

    The in-CSR of a graph's out-CSR, and the node -> RR sets index of RR sets
    (``offsets``, ``nodes``)."""
    m = out_indices.shape[0]
    in_indptr = np.zeros(n + 1, dtype=np.int64)
    for j in range(m):
        in_indptr[out_indices[j] + 1] += 1
    for x in range(n):
        in_indptr[x + 1] += in_indptr[x]
    in_indices = np.empty(m, dtype=np.int32)
    fill = in_indptr[:-1].copy()
    for x in range(out_indptr.shape[0] - 1):  # rows: n for a graph, the sets for RR sets
        for j in range(out_indptr[x], out_indptr[x + 1]):
            y = out_indices[j]
            in_indices[fill[y]] = x
            fill[y] += 1
    return in_indptr, in_indices


@kernel
def induced_rows(out_indptr, out_indices, keep, n_new):
    """Out-CSR of the subgraph induced by ``keep`` (bool (n,)), nodes renumbered in
    order: indptr int64 (n_new+1,), indices int32, kept bool (m,) marking the edges
    kept (to gather per-edge arrays)."""
    n = out_indptr.shape[0] - 1
    new_of_old = np.full(n, -1, dtype=np.int64)
    x = 0
    for s in range(n):
        if keep[s]:
            new_of_old[s] = x
            x += 1
    kept = np.zeros(out_indices.shape[0], dtype=np.bool_)
    indptr = np.zeros(n_new + 1, dtype=np.int64)
    count = 0
    for s in range(n):
        if not keep[s]:
            continue
        for j in range(out_indptr[s], out_indptr[s + 1]):
            if keep[out_indices[j]]:
                kept[j] = True
                count += 1
        indptr[new_of_old[s] + 1] = count
    indices = np.empty(count, dtype=np.int32)
    w = 0
    for j in range(out_indices.shape[0]):
        if kept[j]:
            indices[w] = new_of_old[out_indices[j]]
            w += 1
    return indptr, indices, kept


@kernel
def to_in_order(out_indptr, out_indices, in_indptr, x):
    """x (m,) per out-edge, permuted to in-edge order (the scatter of reverse_csr replayed)."""
    n = out_indptr.shape[0] - 1
    out = np.empty_like(x)
    fill = in_indptr[:-1].copy()
    for s in range(n):
        for j in range(out_indptr[s], out_indptr[s + 1]):
            y = out_indices[j]
            out[fill[y]] = x[j]
            fill[y] += 1
    return out


@kernel
def rmat_edges(seed, start, stop, scale, nodes, a, ab, abc, u, v):
    """R-MAT edges start..stop-1 into u[i], v[i] (int32); edge i uses stream(seed, i).

    Each of ``scale`` levels picks a quadrant of the adjacency matrix with
    probabilities a, b, c, d (cumulative a, ab, abc), most significant bit first
    (Chakrabarti, Zhan, Faloutsos, SDM 2004). An edge with an endpoint >= nodes is
    redrawn from the same stream (only when nodes is not a power of two).
    """
    for i in range(start, stop):
        state = stream(seed, i)
        while True:
            x = 0
            y = 0
            for _ in range(scale):
                state = next_state(state)
                r = to_unit(state)
                # quadrants [0,a) -> (0,0), [a,ab) -> (0,1), [ab,abc) -> (1,0), [abc,1) -> (1,1),
                # written without branches (the quadrant is random, branches mispredict)
                in_a = np.int64(r >= a)
                in_ab = np.int64(r >= ab)
                in_abc = np.int64(r >= abc)
                x = (x << 1) | in_ab
                y = (y << 1) | (in_a ^ in_ab ^ in_abc)
            if x < nodes and y < nodes:
                break
        u[i] = x
        v[i] = y
