"""Small vectorised helpers over CSR arrays."""
from __future__ import annotations

import numpy as np


def ranges(starts, lengths):
    """Concatenation of arange(s, s + l) over the pairs (vectorised)."""
    starts = np.asarray(starts, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offs = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + (np.arange(total, dtype=np.int64) - offs)


def row_sums(indptr, values):
    """float64 (n,): the sum of ``values[indptr[i]:indptr[i + 1]]`` for every row i.

    One ``np.add.reduceat`` pass in float64 over the non-empty rows (a row between two
    of them has no entries), without the row-index array a ``bincount`` would need.
    """
    indptr = np.asarray(indptr)
    out = np.zeros(len(indptr) - 1, dtype=np.float64)
    filled = np.flatnonzero(indptr[1:] > indptr[:-1])
    if len(filled):
        out[filled] = np.add.reduceat(values, indptr[filled], dtype=np.float64)
    return out
