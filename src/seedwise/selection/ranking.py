"""Top-k by score, ties to the smaller id (baselines and per-AP candidate rankings)."""
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
