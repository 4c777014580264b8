"""``select_examples``: the examples to label, chosen by influence on their neighbour graph.

IDEAL (Zhang et al., ICLR 2024) in three phases, each timed:

1. ``knn``: the k nearest neighbours of every example (exact, or an inverted-file
   search at scale);
2. ``graph``: the directed graph j -> i for every neighbour j of i, with
   similarity-driven probabilities (``seedwise.graph.knn``);
3. ``selection``: the ``budget`` examples of largest IC spread, chosen by OPIM-C
   through :func:`seedwise.maximize` (the paper greedily adds the example of largest
   Monte-Carlo marginal gain; OPIM-C optimises the same objective with RR sets and
   certifies the result).

The baselines (random, k-means centres, vote-k) run behind the same call, and the
spread of their picks is estimated on the same graph for comparison.
"""
from __future__ import annotations

import numpy as np

from ... import api
from ..._timer import Timer
from ..._validation import Constraint, check_int, default_threads, validated
from ...graph import knn as _knn
from ...results import ExampleSelection
from . import baselines

METHODS = ("ideal", "random", "kmeans", "vote-k")

#: RR sets of the spread estimate reported for the baselines.
BASELINE_RR_SETS = 100_000


@validated(method=Constraint("choice", choices=METHODS), **_knn.CHOICES)
def select_examples(X, budget, *, neighbors=10, metric="euclidean", model="ic", weights="similarity",
                    method="ideal", eps=0.1, seed=0, threads=None, knn="auto", cache=False, max_memory=None):
    """Choose ``budget`` examples to label: those whose influence covers the data best.

    IDEAL [1]_ builds a directed k-nearest-neighbour graph over the examples'
    embeddings (here each example's ``neighbors`` nearest point to it: they could
    label it; docs/ideal.md says why this is the paper's graph reversed), lets
    similarity set the probability that an example "influences" another, and picks the
    subset of largest expected spread under the independent cascade. seedwise picks
    it with OPIM-C [2]_, whose certificate bounds how far the subset can be from the
    best one on that graph. ``method`` runs a baseline instead: random rows,
    the rows nearest to k-means centres, or vote-k [3]_.

    Parameters
    ----------
    X : array-like (n, d)
        Embeddings, one example per row; anything numpy turns into numbers.
    budget : int
        Examples to choose, 1 <= budget <= n.
    neighbors : int, default 10
        Nearest neighbours of each example, 1 <= neighbors < n; each of them gets
        an edge to the example.
    metric : {"euclidean", "cosine"}, default "euclidean"
    model : {"ic", "lt"}, default "ic"
        Diffusion model of the spread (LT needs weights="wc").
    weights : str, default "similarity"
        Edge probabilities: "similarity" (normalised per example, as in IDEAL),
        "wc" (1 / in-degree) or "uniform:P".
    method : {"ideal", "random", "kmeans", "vote-k"}, default "ideal"
    eps : float, default 0.1
        OPIM-C's approximation slack (method "ideal").
    seed : int, default 0
        The same seed gives the same selection for any ``threads`` (with the
        exact and inverted-file searches; pynndescent's result depends on its
        thread count).
    threads : int, optional
    knn : {"auto", "exact", "ivf", "nndescent"}, default "auto"
        Neighbour search: exact up to 50,000 rows, an inverted-file search
        (exact distances in the nearest k-means cells) above, whose recall on a
        sample is reported; "nndescent" uses pynndescent (the ``ideal`` extra).
    cache : bool, default False
        Keep the neighbours in the cache folder, keyed by a hash of ``X``.
    max_memory : int or str, optional
        Memory budget for the graph and the RR sets (default 80% of the
        available memory), checked before allocating.

    Returns
    -------
    ExampleSelection
        ``indices`` (rows in selection order), ``spread``, ``lower``/``upper``
        (certificate), graph size, ``times`` per phase; ``to_dict()``,
        ``to_pandas()``.

    Raises
    ------
    SeedwiseError
        Empty input, rows with NaN or infinity (the first is named), a zero row
        under cosine, budget outside [1, n], neighbors outside [1, n - 1],
        unknown metric, model, weights or method, a missing optional package.
    MemoryBudgetError
        The graph or the RR sets would not fit ``max_memory``.

    References
    ----------
    .. [1] S. Zhang, X. Xia, Z. Wang, L.-H. Chen, J. Liu, Q. Wu, T. Liu. IDEAL:
       Influence-driven selective annotations empower in-context learners in
       large language models. ICLR 2024.
    .. [2] J. Tang, X. Tang, X. Xiao, J. Yuan. Online processing algorithms for
       influence maximization. SIGMOD 2018.
    .. [3] H. Su et al. Selective annotation makes language models better
       few-shot learners. ICLR 2023 (arXiv 2209.01975).

    Examples
    --------
    >>> import numpy as np, seedwise
    >>> X = np.random.default_rng(0).normal(size=(300, 16))
    >>> res = seedwise.select_examples(X, budget=10, seed=0)
    >>> len(res.indices), res.lower <= res.spread <= res.upper
    (10, True)
    """
    threads = default_threads(threads)
    weights = _knn.check_weights(weights)
    x, neighbors, search = _knn.prepare(X, neighbors, metric, knn, max_memory)
    n = x.shape[0]
    budget = check_int("budget", budget, 1, n, hint=f" (the number of examples, {n})")
    if method == "kmeans":
        _require("sklearn", "method='kmeans' needs scikit-learn")

    timer = Timer()
    with timer("knn"):
        nb = _knn.nearest_neighbors(x, neighbors, metric, method=search, seed=seed, threads=threads, cache=cache)
    with timer("graph"):
        graph = _knn.graph_from_neighbors(nb, weights)
    if model == "lt":
        graph.check_lt()
    params = {"seed": seed, "threads": threads}
    lower = upper = ratio = None
    with timer("selection"):
        if method == "ideal":
            res = api.maximize(graph, budget, model=model, eps=eps, seed=seed, threads=threads,
                               algorithm="opim-c", max_memory=max_memory)
            indices = np.asarray(res.seeds, dtype=np.int64)
            spread, lower, upper, ratio = res.spread, res.lower, res.upper, res.ratio
            params.update(eps=eps, delta=res.params.get("delta"), rr_sets=res.n_rr_sets,
                          target=res.target)
        else:
            indices = _baseline(method, x, nb, budget, seed, metric, threads, cache)
    if method != "ideal":
        with timer("spread"):
            est = api.spread(graph, indices.tolist(), model=model, method="rr", rr_sets=BASELINE_RR_SETS,
                             seed=seed, threads=threads)
            spread = est.mean
            params.update(rr_sets=BASELINE_RR_SETS)
    return ExampleSelection(
        algorithm=method, k=budget, indices=[int(i) for i in indices], spread=spread, lower=lower, upper=upper,
        ratio=ratio, target=params.get("target"), n_rr_sets=params.get("rr_sets", 0), times=timer.done(),
        params=params, neighbors=neighbors, metric=metric, model=model, weights=weights, graph_nodes=graph.n,
        graph_edges=graph.m, knn_method=nb.method, knn_recall=nb.recall,
    )


def _baseline(method, x, nb, budget, seed, metric, threads, cache):
    n = x.shape[0]
    if method == "random":
        return baselines.random_examples(n, budget, seed)
    if method == "kmeans":
        if metric == "cosine":
            x = x / np.linalg.norm(x, axis=1, keepdims=True)
        return baselines.kmeans_examples(x, budget, seed)
    k = min(baselines.VOTE_K_NEIGHBORS, n - 1)
    votes = nb if nb.k == k else _knn.nearest_neighbors(x, k, metric, method=nb.method, seed=seed,
                                                          threads=threads, cache=cache, recall_sample=0)
    return baselines.vote_k(votes.indices, budget)


def _require(module, what):
    import importlib.util

    if importlib.util.find_spec(module) is None:
        from ..._validation import SeedwiseError

        raise SeedwiseError(f"{what}: pip install 'seedwise[ideal]'")
