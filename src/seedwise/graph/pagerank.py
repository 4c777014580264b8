"""PageRank by power iteration over the CSR arrays (used by the IM, CIM and HIM baselines).

References
----------
L. Page, S. Brin, R. Motwani, T. Winograd. The PageRank citation ranking:
bringing order to the web. Stanford InfoLab 1999.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .._validation import validated


@validated
def pagerank_scores(graph, damping=0.85, tol=1e-10, max_iter=200, reverse=True):
    """PageRank of every node by power iteration over the CSR arrays.

    Parameters
    ----------
    graph : Graph
    damping : float in (0, 1), default 0.85
    tol : float, default 1e-10
        Stop when the L1 change of the score vector is below ``n * tol``
        (networkx's criterion).
    max_iter : int, default 200
    reverse : bool, default True
        Rank on the reversed graph (node u gains from the nodes it points to),
        the right direction for influence; False gives the usual PageRank.

    Returns
    -------
    float64 (n,), summing to 1. The mass of dangling nodes (no out-links in the
    ranked direction) is spread uniformly, as in networkx.

    References
    ----------
    .. [1] Page, Brin, Motwani, Winograd. "The PageRank Citation Ranking: Bringing
       Order to the Web." Stanford InfoLab, 1999.
    """
    n = graph.n
    # x_new[a] = d * sum over the b that link to a of x[b] / outdeg(b) + teleport.
    # Reversed, b links to a when a -> b is an edge of G: row a of the out-CSR, and
    # b's out-links are its in-edges in G. Unreversed: row a of the in-CSR.
    ones = np.ones(graph.m, dtype=np.float64)
    if reverse:
        links = sp.csr_matrix((ones, graph.out_indices, graph.out_indptr), shape=(n, n))
        outdeg = np.diff(graph.in_indptr).astype(np.float64)  # links out of v in the reversed graph
    else:
        links = sp.csr_matrix((ones, graph.in_indices, graph.in_indptr), shape=(n, n))
        outdeg = np.diff(graph.out_indptr).astype(np.float64)
    dangling = outdeg == 0
    inv = np.divide(1.0, outdeg, out=np.zeros(n), where=~dangling)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = damping * (links @ (x * inv))
        new += (damping * x[dangling].sum() + 1.0 - damping) / n
        err = np.abs(new - x).sum()
        x = new
        if err < n * tol:
            break
    return x / x.sum()
