"""Heuristic baselines: degree, PageRank, degree discount, random (SPEC section 3).

None of them estimates spread or certifies anything; they are what IM
algorithms are compared against, and CIM's local baselines rank candidates
with ``pagerank_scores`` and the degree.

References
----------
W. Chen, Y. Wang, S. Yang. Efficient influence maximization in social networks.
KDD 2009 (DegreeDiscountIC, single discount).
L. Page, S. Brin, R. Motwani, T. Winograd. The PageRank citation ranking:
bringing order to the web. Stanford InfoLab 1999.
"""
from __future__ import annotations

import heapq

import numpy as np

from ..._timer import Timer
from ..._validation import validated
from ...graph.pagerank import pagerank_scores
from ...results import SelectionResult
from ...selection.ranking import top_k


def _result(name, graph, k, dense, timer, **params):
    times = timer.done()
    return SelectionResult(algorithm=name, model=params.pop("model", "ic"), k=k, seeds=graph.label(dense),
                           times=times, params=params)


@validated
def degree(graph, k, *, seed=0, model="ic"):
    """The k nodes of largest out-degree (ties: smaller dense id, i.e. smaller original id).

    Parameters
    ----------
    graph : Graph
    k : int
        Number of seeds, 1 <= k <= n.
    seed : int, default 0
        Unused (the ranking is deterministic); accepted for a uniform interface.
    model : str, default "ic"
        Recorded in the result only.

    Returns
    -------
    SelectionResult
        algorithm "degree", seeds by decreasing out-degree, spread None.

    Raises
    ------
    SeedwiseError
        k outside [1, n].

    References
    ----------
    .. [1] Kempe, Kleinberg, Tardos. "Maximizing the Spread of Influence through a
       Social Network." KDD 2003 (the high-degree heuristic as a baseline).

    Examples
    --------
    >>> from seedwise.graph import Graph
    >>> g = Graph.from_edges([5, 5, 5, 1], [1, 2, 3, 2])
    >>> degree(g, 2).seeds
    [5, 1]
    """
    timer = Timer()
    with timer("selection"):
        dense = top_k(graph.out_degree, k)
    return _result("degree", graph, k, dense, timer, model=model)


@validated
def pagerank(graph, k, *, damping=0.85, model="ic"):
    """The k nodes of largest PageRank on the reversed graph.

    Influence flows along u -> v, so a node matters when it reaches many
    important nodes: that is PageRank with every edge reversed (v "links to" u).
    Edges are unweighted here; probabilities do not enter.

    Parameters
    ----------
    graph : Graph
    k : int
        Number of seeds, 1 <= k <= n.
    damping : float in (0, 1), default 0.85
    model : str, default "ic"
        Recorded in the result only.

    Returns
    -------
    SelectionResult
        algorithm "pagerank", seeds by decreasing score (ties: smaller dense id).

    Raises
    ------
    SeedwiseError
        k outside [1, n] or damping outside (0, 1).

    References
    ----------
    .. [1] Page, Brin, Motwani, Winograd. "The PageRank Citation Ranking: Bringing
       Order to the Web." Stanford InfoLab, 1999.

    Examples
    --------
    >>> from seedwise.graph import Graph
    >>> g = Graph.from_edges([0, 0, 0, 3], [1, 2, 3, 4])
    >>> pagerank(g, 1).seeds
    [0]
    """
    timer = Timer()
    with timer("selection"):
        dense = top_k(pagerank_scores(graph, damping), k)
    return _result("pagerank", graph, k, dense, timer, model=model, damping=float(damping))


@validated
def degree_discount(graph, k, *, model="ic"):
    """DegreeDiscountIC (Chen, Wang, Yang 2009), generalised to directed graphs with
    heterogeneous probabilities.

    Start from dd_v = d_v (out-degree). When u is chosen, each out-neighbour v of
    u not chosen yet gets t_v += 1 and s_v += p(u, v), and

        dd_v = d_v - 2 t_v - (d_v - t_v) s_v,

    where t_v counts chosen in-neighbours of v and s_v sums their edge
    probabilities. With one probability p everywhere s_v = t_v p and this is the
    paper's d_v - 2 t_v - (d_v - t_v) t_v p; otherwise s_v = t_v * (mean
    probability of v's chosen in-edges), the chance, to first order, that v is
    already active. On an undirected graph (both directions stored) d_v and t_v
    are the paper's degree and count of chosen neighbours.

    Parameters
    ----------
    graph : Graph
    k : int
        Number of seeds, 1 <= k <= n.
    model : str, default "ic"
        Recorded in the result only (the heuristic is derived for IC).

    Returns
    -------
    SelectionResult
        algorithm "degree-discount", seeds in selection order (ties: smaller dense id).

    Raises
    ------
    SeedwiseError
        k outside [1, n].

    Notes
    -----
    O(n log n + sum of the chosen nodes' out-degrees * log n): nodes are sorted
    by degree once; only discounted nodes enter a heap (with a version stamp, as
    discounts may move a score either way).

    References
    ----------
    .. [1] Chen, Wang, Yang. "Efficient Influence Maximization in Social
       Networks." KDD 2009, Algorithm 4 (DegreeDiscountIC).

    Examples
    --------
    >>> from seedwise.graph import Graph
    >>> g = Graph.from_edges([0, 0, 0, 1, 1, 4], [1, 2, 3, 2, 3, 5], weights="uniform:0.1")
    >>> degree_discount(g, 2).seeds  # 1 is discounted to 2 - 2 - (2 - 1) * 0.1; degree picks [0, 1]
    [0, 4]
    """
    timer = Timer()
    with timer("selection"):
        dense = _degree_discount(graph, k)
    return _result("degree-discount", graph, k, dense, timer, model=model)


def _degree_discount(graph, k):
    d = graph.out_degree.astype(np.float64)
    order = np.lexsort((np.arange(graph.n), -d)).tolist()  # by degree, then id
    d = d.tolist()
    t = {}  # only nodes that were discounted
    s = {}
    score = {}  # current dd of discounted nodes
    chosen = np.zeros(graph.n, dtype=bool)
    heap = []  # (-dd, v) of discounted nodes; stale when dd != score[v]
    result = []
    nxt = 0  # next untouched node in ``order`` (its dd is still d_v)
    indptr, indices, prob = graph.out_indptr, graph.out_indices, graph.out_prob
    while len(result) < k:
        while heap and (chosen[heap[0][1]] or -heap[0][0] != score[heap[0][1]]):
            heapq.heappop(heap)
        while nxt < graph.n and (chosen[order[nxt]] or order[nxt] in score):
            nxt += 1
        best = None
        if nxt < graph.n:
            best = (-d[order[nxt]], order[nxt])
        if heap and (best is None or heap[0] < best):
            best = heap[0]
        u = best[1]
        chosen[u] = True
        result.append(u)
        a, b = indptr[u], indptr[u + 1]
        for v, p in zip(indices[a:b].tolist(), prob[a:b].tolist()):
            if chosen[v]:
                continue
            t[v] = t.get(v, 0) + 1
            s[v] = s.get(v, 0.0) + p
            dd = d[v] - 2 * t[v] - (d[v] - t[v]) * s[v]
            score[v] = dd
            heapq.heappush(heap, (-dd, v))
    return result


@validated
def random_seeds(graph, k, *, seed=0, model="ic"):
    """k distinct nodes drawn uniformly at random (reproducible for a given ``seed``).

    Parameters
    ----------
    graph : Graph
    k : int
        Number of seeds, 1 <= k <= n.
    seed : int or None, default 0
    model : str, default "ic"
        Recorded in the result only.

    Returns
    -------
    SelectionResult
        algorithm "random".

    Raises
    ------
    SeedwiseError
        k outside [1, n] or a bad seed.

    References
    ----------
    .. [1] Kempe, Kleinberg, Tardos. "Maximizing the Spread of Influence through a
       Social Network." KDD 2003 (the random baseline).
    """
    timer = Timer()
    with timer("selection"):
        dense = np.random.default_rng(seed).choice(graph.n, size=k, replace=False)
    return _result("random", graph, k, dense, timer, model=model, seed=seed)
