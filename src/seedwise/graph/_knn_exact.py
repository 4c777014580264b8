"""The exact k-nearest-neighbour search of :mod:`seedwise.graph.knn`: blocked BLAS
products rank the candidates, then ``_knn_kernels.refine_block`` recomputes every
candidate within rounding error of the cut in float64 and keeps the k smallest by
(distance, row). The inverted-file search (``_ivf.py``) runs the same blocks over
the rows of its probed cells.
"""
from __future__ import annotations

import math

import numpy as np

from . import _knn_kernels

#: Bytes of float32 keys per BLAS block of the exact search.
BLOCK_BYTES = 64 << 20

#: Extra candidates cut from the float32 keys before the float64 refinement.
EXTRA_CANDIDATES = 8

#: Rows per refinement task on the thread pool.
REFINE_ROWS = 256


def exact_neighbors(x, k, metric="euclidean", *, rows=None, threads=1):
    """Exact k nearest other rows of ``rows`` (default: all), by blocked BLAS and float64 refinement.

    Parameters
    ----------
    x : float32 (n, d)
        Validated rows (:func:`check_embeddings`); unit rows under ``"cosine"``.
    k : int
        1 <= k < n.
    metric : {"euclidean", "cosine"}
    rows : int array, optional
        The rows whose neighbours are wanted.
    threads : int, default 1
        Threads for the refinement (BLAS uses its own).

    Returns
    -------
    indices : int32 (len(rows), k)
    distances : float32 (len(rows), k)
    """
    n = x.shape[0]
    rows = np.arange(n, dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64)
    cosine = metric == "cosine"
    sq = squared_norms(x, cosine)
    out_idx = np.empty((len(rows), k), dtype=np.int32)
    out_dist = np.empty((len(rows), k), dtype=np.float32)
    search_block(x, sq, rows, np.arange(n, dtype=np.int64), k, cosine, out_idx, out_dist, threads)
    return out_idx, out_dist


def search_block(x, sq, rows, cols, k, cosine, out_idx, out_dist, threads):
    """The k nearest of ``cols`` (ascending global rows) for each of ``rows``, into the outputs.

    Ranks by a float32 BLAS product, ``BLOCK_BYTES`` of keys at a time, then refines
    in float64 (``_knn_kernels.refine_block``). ``sq``: float64 squared norms of all rows.
    """
    from .._parallel import map_blocks, split_range

    d = x.shape[1]
    # float32 product error is ~ sqrt(d) ulps of |x_i| |x_j|; keys and the cut both carry it
    tol_scale = 8.0 * (math.sqrt(d) + 2.0) * 2.0 ** -24
    max_sq = float(sq[cols].max())
    cand = min(k + EXTRA_CANDIDATES, len(cols) - 1)
    xc = x if len(cols) == x.shape[0] else x[cols]  # all rows: cols is 0..n-1
    sq32 = sq[cols].astype(np.float32)
    block = max(1, min(len(rows), BLOCK_BYTES // (4 * len(cols))))
    for a in range(0, len(rows), block):
        r = rows[a:a + block]
        key = x[r] @ xc.T
        if cosine:
            np.negative(key, out=key)
        else:
            key *= -2.0
            key += sq32[None, :]
        bi, bd = out_idx[a:a + block], out_dist[a:a + block]
        map_blocks(lambda s, e, key=key, r=r, bi=bi, bd=bd: _knn_kernels.refine_block(
            key, r, cols, x, sq, k, cand, tol_scale, max_sq, cosine, bi, bd, s, e),
            split_range(0, len(r), REFINE_ROWS), threads)


def squared_norms(x, cosine=False):
    """float64 (n,) squared norms (1 for the unit rows of the cosine metric)."""
    return np.ones(x.shape[0]) if cosine else np.einsum("ij,ij->i", x, x, dtype=np.float64)
