"""Inverted-file k-nearest-neighbour search: exact BLAS distances inside the probed cells.

The rows are split into about sqrt(n) cells by k-means (Lloyd's iterations on a
sample, seeded); the rows of each cell then search the rows of the ``probes``
cells whose centres lie nearest to their own cell's centre, with the blocked BLAS
product and float64 refinement of the exact search (``_knn_exact.search_block``; ``knn``
imports this module only when it runs). The work is about
n * probes * (n / cells) * d multiply-adds instead of n^2 d, all of it in BLAS; a
true neighbour is missed only when it lies in a cell that is not probed, which the
recall measured on a sample reports.

References
----------
H. Jégou, M. Douze, C. Schmid. Product quantization for nearest neighbor search.
IEEE TPAMI 33(1), 2011, section IV.A (the inverted file with asymmetric search).
"""
from __future__ import annotations

import math

import numpy as np

from ._knn_exact import search_block, squared_norms

#: Cells probed per cell (its own and the nearest others).
PROBES = 8

#: Lloyd iterations, and rows sampled to train the centres.
ITERS = 8
TRAIN_SAMPLE = 65_536

#: Rows per block when assigning rows to their nearest centre.
ASSIGN_BLOCK = 1 << 15


def ivf_neighbors(x, k, metric, *, seed=0, threads=1, probes=PROBES):
    """The k nearest other rows of every row, searched in the ``probes`` nearest cells.

    Parameters
    ----------
    x : float32 (n, d)
        Validated rows; unit rows under ``"cosine"``.
    k : int
    metric : {"euclidean", "cosine"}
    seed : int
        Picks the training sample and the first centres.
    threads : int
    probes : int

    Returns
    -------
    indices : int32 (n, k)
    distances : float32 (n, k)
    """
    n = x.shape[0]
    cosine = metric == "cosine"
    cells = max(1, min(n // (4 * (k + 1)), int(round(math.sqrt(n)))))
    centres = _train(x, cells, cosine, seed)
    label = _nearest(x, centres, cosine)
    order = np.argsort(label, kind="stable")  # rows of a cell stay ascending
    starts = np.searchsorted(label[order], np.arange(cells + 1))
    near = np.argsort(_centre_keys(centres, cosine), axis=1, kind="stable")  # cells by distance, own first
    sq = squared_norms(x, cosine)
    out_idx = np.empty((n, k), dtype=np.int32)
    out_dist = np.empty((n, k), dtype=np.float32)
    need = k + 1
    for c in range(cells):
        rows = order[starts[c]:starts[c + 1]]
        if len(rows) == 0:
            continue
        take, have = 0, 0
        while take < cells and (take < probes or have < need):
            have += starts[near[c, take] + 1] - starts[near[c, take]]
            take += 1
        cols = np.sort(np.concatenate([order[starts[p]:starts[p + 1]] for p in near[c, :take]]))
        bi = np.empty((len(rows), k), dtype=np.int32)
        bd = np.empty((len(rows), k), dtype=np.float32)
        search_block(x, sq, rows, cols, k, cosine, bi, bd, threads)
        out_idx[rows], out_dist[rows] = bi, bd
    return out_idx, out_dist


def _train(x, cells, cosine, seed):
    """k-means centres (float32 (cells, d)) from a sample: random rows, then Lloyd's iterations."""
    n = x.shape[0]
    rng = np.random.default_rng(seed)
    sample = x[np.sort(rng.choice(n, size=min(n, max(TRAIN_SAMPLE, 16 * cells)), replace=False))]
    centres = sample[np.sort(rng.choice(len(sample), size=cells, replace=False))].copy()
    for _ in range(ITERS):
        label = _nearest(sample, centres, cosine)
        order = np.argsort(label, kind="stable")
        counts = np.bincount(label, minlength=cells)
        filled = np.flatnonzero(counts)
        sums = np.add.reduceat(sample[order].astype(np.float64), np.searchsorted(label[order], filled), axis=0)
        means = sums / counts[filled, None]
        if cosine:
            means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-30)
        centres[filled] = means.astype(np.float32)  # an empty cell keeps its centre
    return centres


def _centre_keys(centres, cosine):
    """Ranking keys between centres (smaller is nearer): -dot for cosine, squared distance otherwise."""
    g = centres @ centres.T
    if cosine:
        return -g
    sq = np.einsum("ij,ij->i", centres, centres)
    return sq[:, None] - 2.0 * g + sq[None, :]


def _nearest(x, centres, cosine):
    """int64 (n,): the nearest centre of every row (ties: the smaller centre)."""
    csq = np.zeros(len(centres), dtype=np.float32) if cosine else np.einsum("ij,ij->i", centres, centres)
    out = np.empty(x.shape[0], dtype=np.int64)
    for a in range(0, x.shape[0], ASSIGN_BLOCK):
        key = x[a:a + ASSIGN_BLOCK] @ centres.T
        key *= -1.0 if cosine else -2.0
        key += csq[None, :]
        out[a:a + ASSIGN_BLOCK] = np.argmin(key, axis=1)
    return out
