"""Top-k by score: over all nodes (the IM baselines) and within groups (each AP's or inviter's
candidates, CIM's local baselines and the HIM recommenders)."""
from __future__ import annotations

import numpy as np


def top_k(scores, k):
    """Dense ids of the k largest ``scores``, largest first, ties by smaller id."""
    scores = np.asarray(scores)
    n = scores.shape[0]
    if k < n:
        # everything strictly above the k-th largest value, plus enough of the ties
        kth = np.partition(scores, n - k)[n - k]
        cand = np.flatnonzero(scores >= kth)
    else:
        cand = np.arange(n)
    order = np.lexsort((cand, -scores[cand]))
    return cand[order[:k]]


def top_k_per_group(group, score, tie, k):
    """The ``k`` largest scores of every group: score descending, then ``tie`` ascending.

    Parameters
    ----------
    group, score, tie : arrays (rows,)
    k : int, or int array indexed by group

    Returns
    -------
    rows : int64, indices into the inputs, grouped by ascending group then rank
    rank : int32, 1-based rank within the group
    """
    order = np.lexsort((tie, -np.asarray(score, dtype=np.float64), group))
    g = np.asarray(group)[order]
    if len(g) == 0:
        return order, np.zeros(0, dtype=np.int32)
    new = np.ones(len(g), dtype=bool)
    new[1:] = g[1:] != g[:-1]
    starts = np.flatnonzero(new)
    rank = np.arange(len(g)) - np.repeat(starts, np.diff(np.append(starts, len(g))))
    keep = rank < (k if np.isscalar(k) else np.asarray(k)[g])
    return order[keep], (rank[keep] + 1).astype(np.int32)
