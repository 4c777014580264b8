"""Baselines for choosing examples to label: random, k-means centres, vote-k.

Each returns int64 row indices in selection order. They take validated inputs
(``select.py`` checks them).

References
----------
H. Su, J. Kasai, C. H. Wu, W. Shi, T. Wang, J. Xin, R. Zhang, M. Ostendorf,
L. Zettlemoyer, N. A. Smith, T. Yu. Selective annotation makes language models
better few-shot learners. ICLR 2023 (arXiv 2209.01975, 2022), section 2.1 (vote-k).
"""
from __future__ import annotations

import numpy as np

from ..._validation import SeedwiseError

#: Neighbours of the vote-k graph (Su et al. use k = 150).
VOTE_K_NEIGHBORS = 150

#: Vote discount of vote-k: a vote from a row with c selected neighbours weighs rho^-c.
VOTE_K_RHO = 10.0


def random_examples(n, budget, seed):
    """``budget`` distinct rows drawn uniformly, in draw order."""
    rng = np.random.default_rng(seed)
    return rng.choice(n, size=budget, replace=False).astype(np.int64)


def kmeans_examples(x, budget, seed):
    """k-means with ``budget`` centres (k-means++, Lloyd), then the row nearest each centre.

    Rows come biggest cluster first; a row nearest to two centres is taken once and
    the second centre takes its next nearest row.
    """
    try:
        from sklearn.cluster import KMeans
    except ImportError:
        raise SeedwiseError("method='kmeans' needs scikit-learn: pip install 'seedwise[ideal]'") from None
    km = KMeans(n_clusters=budget, n_init=1, random_state=int(seed % (2 ** 31))).fit(x)
    centres = km.cluster_centers_.astype(np.float64)
    sizes = np.bincount(km.labels_, minlength=budget)
    xd = x.astype(np.float64)
    d2 = (xd * xd).sum(1)[:, None] - 2.0 * xd @ centres.T + (centres * centres).sum(1)[None, :]
    taken = np.zeros(len(x), dtype=bool)
    out = []
    for c in np.lexsort((np.arange(budget), -sizes)):
        order = np.lexsort((np.arange(len(x)), d2[:, c]))
        row = next(int(r) for r in order if not taken[r])
        taken[row] = True
        out.append(row)
    return np.array(out, dtype=np.int64)


def vote_k(indices, budget, rho=VOTE_K_RHO):
    """Graph-based vote-k (Su et al. 2022, the selection without a language model).

    Every row v votes for its k nearest neighbours; a vote from v weighs
    rho^-c(v), where c(v) counts the selected rows among v's neighbours, and a
    selected row no longer votes. Each step selects the unselected row with the
    largest total vote (ties: smaller row), which spreads the selection over
    regions not yet represented.

    Parameters
    ----------
    indices : int32 (n, k)
        The k nearest neighbours of every row.
    budget : int
    rho : float, default 10

    Returns
    -------
    int64 (budget,)
    """
    n, k = indices.shape
    flat = indices.reshape(-1)
    w = np.ones(n)  # rho^-c(v) for unselected v, 0 once selected
    chosen = np.zeros(n, dtype=bool)
    out = np.empty(budget, dtype=np.int64)
    for step in range(budget):
        # recounted each step (O(n k)) in one fixed order: exact ties go to the smaller row
        score = np.bincount(flat, weights=np.repeat(w, k), minlength=n)
        score[chosen] = -np.inf
        u = int(np.argmax(score))
        out[step] = u
        chosen[u] = True
        w[u] = 0.0
        voters = np.flatnonzero((indices == u).any(axis=1) & ~chosen)
        w[voters] /= rho
    return out
