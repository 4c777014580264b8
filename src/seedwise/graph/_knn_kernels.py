"""numba kernels of the exact k-nearest-neighbour search (``knn.py``).

BLAS ranks every candidate in float32; these kernels then recompute the distance
of every candidate that could be among the k nearest (all within rounding error
of the cut) in float64, in a fixed order, and keep the k smallest by (distance,
row). The answer therefore does not depend on how BLAS blocked or threaded its
product, and ties (duplicate vectors) go to the smaller row id.

Arrays: key float32 (B, C) ranking keys of a row block against C candidate rows;
rows int64 (B,) the block's global ids; cols int64 (C,) the candidates' global
ids; x float32 (n, d); sq float64 (n,) squared norms; out_idx int32 (B, k);
out_dist float32 (B, k).
"""
import numpy as np

from .._numba import kernel


@kernel
def refine_block(key, rows, cols, x, sq, k, cand, tol_scale, max_sq, cosine, out_idx, out_dist, a, b):
    """Rows a..b of the block: the k nearest candidates (self excluded) from the float32 keys.

    ``cand`` (>= k, < C) candidates are cut from the keys; every candidate whose key
    lies within ``tol_scale * (sq[i] + max_sq)`` of the cut is kept as well, so
    rounding in the keys cannot drop a true neighbour. ``cols`` must be ascending
    (ties then go to the smaller row).
    """
    d = x.shape[1]
    C = cols.shape[0]
    top = np.empty(cand, dtype=np.float32)
    js = np.empty(C, dtype=np.int64)
    dist = np.empty(C, dtype=np.float64)
    for r in range(a, b):
        i = rows[r]
        cut = smallest_key(key[r], cols, i, top)
        limit = cut + tol_scale * (sq[i] + max_sq)
        c = 0
        for t in range(C):
            if cols[t] != i and key[r, t] <= limit:
                js[c] = cols[t]
                c += 1
        for t in range(c):
            j = js[t]
            acc = 0.0
            if cosine:
                for f in range(d):
                    acc += np.float64(x[i, f]) * np.float64(x[j, f])
                dist[t] = max(1.0 - acc, 0.0)
            else:
                for f in range(d):
                    diff = np.float64(x[i, f]) - np.float64(x[j, f])
                    acc += diff * diff
                dist[t] = np.sqrt(acc)
        # js is ascending, so a stable sort by distance breaks ties by row id
        order = np.argsort(dist[:c], kind="mergesort")
        for t in range(k):
            out_idx[r, t] = js[order[t]]
            out_dist[r, t] = dist[order[t]]
    return 0


@kernel
def smallest_key(row, cols, i, top):
    """The len(top)-th smallest of ``row`` over the columns that are not row ``i``.

    One pass with a sorted buffer ``top`` (float32 (cand,)): most keys are rejected
    by a single comparison with the largest kept one.
    """
    m = top.shape[0]
    filled = 0
    for c in range(row.shape[0]):
        v = row[c]
        if cols[c] == i or (filled == m and v >= top[m - 1]):
            continue
        t = filled if filled < m else m - 1
        while t > 0 and top[t - 1] > v:
            top[t] = top[t - 1]
            t -= 1
        top[t] = v
        if filled < m:
            filled += 1
    return top[m - 1]


@kernel
def drop_self(idx, dist, k):
    """Neighbour lists of k + 1 that may contain the row itself -> lists of k without it.

    Returns int32 (n, k), float32 (n, k); a row that does not list itself loses its
    farthest entry. Missing entries (-1 in the input) stay -1.
    """
    n = idx.shape[0]
    out_idx = np.full((n, k), -1, dtype=np.int32)
    out_dist = np.full((n, k), np.inf, dtype=np.float32)
    for i in range(n):
        t = 0
        for c in range(idx.shape[1]):
            if idx[i, c] == i or idx[i, c] < 0 or t == k:
                continue
            out_idx[i, t] = idx[i, c]
            out_dist[i, t] = dist[i, c]
            t += 1
    return out_idx, out_dist
