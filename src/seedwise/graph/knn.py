"""Directed k-nearest-neighbour graphs over vectors, for choosing examples to label (SPEC section 6).

Every row of ``X`` becomes a node, and each of its k nearest other rows j gets an
edge j -> i: j can "influence" i, as the labelled j would label i in a nearest-
neighbour rule. IDEAL (Zhang et al., ICLR 2024, section 3.1) builds the same k-NN
graph; its code points the edges the other way (i -> its neighbours), which picks
outliers whose neighbours lead into dense regions (docs/ideal.md has the
measurements). Two searches:

- exact (``_knn_exact.py``): blocked BLAS products rank the candidates, then ``_knn_kernels.refine_block``
  recomputes every candidate within rounding error of the cut in float64 and keeps
  the k smallest by (distance, row). Used up to :data:`EXACT_MAX_N` rows.
- inverted file (``_ivf.py``, the default above that): k-means cells, and for each
  cell the same exact search over the rows of its nearest cells; all BLAS.
- NN-descent (Dong, Charikar, Li, WWW 2011) through pynndescent, the same numba
  stack, on request (``knn="nndescent"``, the ``ideal`` extra). pynndescent compiles
  its kernels in every process (a minute or more on 2 cores) and took 166 s for
  200,000 x 64 rows here, which is why it is not the default at scale.

The recall of an approximate search against the exact one is measured on a sample
of rows and reported with the neighbours.

A row is never its own neighbour; duplicate rows are each other's nearest
neighbours (distance 0) with ties going to the smaller row. Under ``"cosine"`` a
zero row has no direction and is refused.

Edge probabilities (``weights``):

- ``"similarity"`` (default, the paper's normalisation): p(j, i) = s(i, j) / sum of
  s(i, j') over the k neighbours j' of i, so that the in-probabilities of every node
  sum to 1 (the graph is also valid for LT). s is the cosine similarity (clipped at
  0) under ``"cosine"``; under ``"euclidean"`` it is exp(-d(i, j)^2 / sigma_i^2) with
  sigma_i the distance from i to its k-th neighbour (a Gaussian kernel at the local
  scale of i).
- ``"wc"``, ``"uniform:P"``: the schemes of :mod:`seedwise.graph._schemes`.
"""
from __future__ import annotations

import hashlib
import math
import os
import time
from dataclasses import dataclass

import numpy as np

from .._validation import (
    Constraint,
    MemoryBudgetError,
    SeedwiseError,
    check_choice,
    check_int,
    default_threads,
    validated,
)
from . import _knn_kernels
from ._graph import Graph
from ._knn_exact import BLOCK_BYTES, exact_neighbors, search_block, squared_norms  # noqa: F401 (re-exported)

__all__ = ["KNN_METHODS", "METRICS", "Neighbors", "check_embeddings", "exact_neighbors", "graph_from_neighbors",
           "knn_graph", "nearest_neighbors"]

METRICS = ("euclidean", "cosine")
KNN_METHODS = ("auto", "exact", "ivf", "nndescent")
WEIGHTS = ("similarity", "wc", "uniform:P")

#: Above this many rows ``method="auto"`` uses the inverted-file search (exact costs n^2 d).
EXACT_MAX_N = 50_000

#: Rows whose exact neighbours are computed to measure an approximate search's recall.
RECALL_SAMPLE = 1000

PIP_EXTRA = "pip install 'seedwise[ideal]'"


@dataclass(frozen=True)
class Neighbors:
    """The k nearest other rows of every row.

    Attributes
    ----------
    indices : int32 (n, k)
        Row ids, nearest first (ties by row id in the exact search).
    distances : float32 (n, k)
        Euclidean distances, or cosine distances 1 - cos.
    metric : str
    method : str
        "exact", "ivf" or "nndescent".
    recall : float or None
        Share of true k nearest neighbours found, measured on ``recall_sample``
        rows against the exact search (1.0 for the exact search).
    recall_sample : int
    seconds : float
    cached : bool
        True when read from the cache.
    """

    indices: np.ndarray
    distances: np.ndarray
    metric: str
    method: str
    recall: float | None = 1.0
    recall_sample: int = 0
    seconds: float = 0.0
    cached: bool = False

    @property
    def n(self):
        return self.indices.shape[0]

    @property
    def k(self):
        return self.indices.shape[1]


# ------------------------------------------------------------------ validation
def check_embeddings(X, *, metric="euclidean", name="X"):
    """``X`` as a C-contiguous float32 (n, d) array, or a SeedwiseError that names the problem.

    Refused: anything that is not a 2-d array of numbers, an empty array, rows with
    NaN or infinity (the first such row is named), and zero rows under ``"cosine"``.
    """
    metric = check_choice("metric", metric, METRICS)
    try:
        arr = np.asarray(X)
    except Exception as e:  # noqa: BLE001 - whatever numpy cannot take
        raise SeedwiseError(f"{name} must be a 2-d array of numbers (n examples x d features); {e}") from None
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise SeedwiseError(f"{name} must be a 2-d array of numbers (n examples x d features); got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise SeedwiseError(f"{name} must be a 2-d array (n examples x d features); got shape {arr.shape}")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise SeedwiseError(f"{name} is empty (shape {arr.shape}): give at least 2 examples with 1 feature or more")
    x = np.ascontiguousarray(arr, dtype=np.float32)
    finite = _finite_rows(x)
    if not finite.all():
        bad = np.flatnonzero(~finite)
        raise SeedwiseError(f"{name} row {int(bad[0])} has NaN or infinite values ({len(bad)} such rows"
                            f"{': ' + ', '.join(str(int(r)) for r in bad[:5]) if len(bad) > 1 else ''}"
                            f"{' ...' if len(bad) > 5 else ''}); drop or impute them first")
    if metric == "cosine":
        zero = ~np.any(x != 0, axis=1)
        if zero.any():
            bad = np.flatnonzero(zero)
            raise SeedwiseError(f"{name} row {int(bad[0])} is a zero vector, which has no cosine similarity "
                                f"({len(bad)} such rows); drop them or use metric='euclidean'")
    return x


def _finite_rows(x, block=1 << 16):
    out = np.empty(x.shape[0], dtype=bool)
    for a in range(0, x.shape[0], block):
        out[a:a + block] = np.isfinite(x[a:a + block]).all(axis=1)
    return out


def check_neighbors(neighbors, n):
    if n < 2:
        raise SeedwiseError(f"need at least 2 examples to build a neighbour graph; got {n}")
    return check_int("neighbors", neighbors, 1, n - 1, hint=f" (fewer than the {n} examples)")


# ------------------------------------------------------------------ search (exact: _knn_exact.py)
def _nndescent(x, k, metric, seed, threads):
    index = _nndescent_available().NNDescent(
        x, n_neighbors=k + 1, metric="cosine" if metric == "cosine" else "euclidean",
        random_state=int(seed % (2 ** 32)), n_jobs=threads, low_memory=True, compressed=True, verbose=False,
    )
    idx, dist = index.neighbor_graph
    idx, dist = _knn_kernels.drop_self(np.ascontiguousarray(idx), np.ascontiguousarray(dist, dtype=np.float32), k)
    if (idx < 0).any():
        raise SeedwiseError("NN-descent left some rows with fewer than k neighbours; use fewer neighbours "
                            "or knn='exact'")
    return idx, dist


def measure_recall(x, indices, distances, metric, *, sample=RECALL_SAMPLE, seed=0, threads=1):
    """Share of the true k nearest neighbours that ``indices`` found, on ``sample`` random rows.

    A found neighbour counts when its distance is within rounding of the true k-th
    distance, so that ties among duplicates are not counted as misses.
    """
    n, k = indices.shape
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(n, size=min(sample, n), replace=False))
    _, true_dist = exact_neighbors(x, k, metric, rows=rows, threads=threads)
    kth = true_dist[:, -1:].astype(np.float64)
    found = distances[rows].astype(np.float64) <= kth * (1 + 1e-5) + 1e-6
    return float(found.mean()), len(rows)


#: rows of the validation table that differ here (``method`` is the search)
CHOICES = {"metric": Constraint("choice", choices=METRICS), "knn": Constraint("choice", choices=KNN_METHODS)}


@validated(metric=CHOICES["metric"], method=CHOICES["knn"])
def nearest_neighbors(X, neighbors=10, metric="euclidean", *, method="auto", seed=0, threads=None,
                      cache=False, recall_sample=RECALL_SAMPLE):
    """The ``neighbors`` nearest other rows of every row of ``X``.

    Parameters
    ----------
    X : array-like (n, d)
    neighbors : int, default 10
        1 <= neighbors < n.
    metric : {"euclidean", "cosine"}, default "euclidean"
    method : {"auto", "exact", "ivf", "nndescent"}, default "auto"
        "auto" is exact up to :data:`EXACT_MAX_N` rows and the inverted-file
        search (``_ivf``) above; "nndescent" runs pynndescent.
    seed : int, default 0
        The approximate searches' random state and the recall sample.
    threads : int, optional
    cache : bool, default False
        Keep the neighbours in the cache folder keyed by a hash of the content of
        ``X`` and the arguments; a second call with the same data reads them back.
    recall_sample : int, default 1000
        Rows on which an approximate search's recall is measured (0: not measured).

    Returns
    -------
    Neighbors

    References
    ----------
    .. [1] H. Jégou, M. Douze, C. Schmid. Product quantization for nearest
       neighbor search. IEEE TPAMI 2011 (the inverted file).
    .. [2] W. Dong, M. Charikar, K. Li. Efficient k-nearest neighbor graph
       construction for generic similarity measures. WWW 2011 (NN-descent).
    """
    t0 = time.perf_counter()
    x = check_embeddings(X, metric=metric)
    k = check_neighbors(neighbors, x.shape[0])
    threads = default_threads(threads)
    if method == "auto":
        method = auto_method(x.shape[0])
    if method == "nndescent":
        _nndescent_available()
    path = _cache_path(x, k, metric, method, seed) if cache else None
    if path is not None and os.path.exists(path):
        with np.load(path) as z:
            return Neighbors(z["indices"], z["distances"], metric, method, float(z["recall"]),
                             int(z["recall_sample"]), time.perf_counter() - t0, cached=True)
    if metric == "cosine":
        x = x / np.sqrt(np.einsum("ij,ij->i", x, x, dtype=np.float64))[:, None].astype(np.float32)
    elif method != "nndescent":
        # distances do not change under translation; centring keeps the BLAS keys accurate
        x = x - x.mean(axis=0, dtype=np.float64).astype(np.float32)
    if method == "exact":
        idx, dist = exact_neighbors(x, k, metric, threads=threads)
        recall, sample = 1.0, 0
    else:
        if method == "ivf":
            from ._ivf import ivf_neighbors

            idx, dist = ivf_neighbors(x, k, metric, seed=seed, threads=threads)
        else:
            idx, dist = _nndescent(x, k, metric, seed, threads)
        recall, sample = (measure_recall(x, idx, dist, metric, sample=recall_sample, seed=seed, threads=threads)
                          if recall_sample > 0 else (None, 0))
    result = Neighbors(idx, dist, metric, method, recall, sample, time.perf_counter() - t0)
    if path is not None:
        _save_cache(path, result)
    return result


def auto_method(n):
    """The search ``knn="auto"`` picks for n rows."""
    return "exact" if n <= EXACT_MAX_N else "ivf"


def _nndescent_available():
    """The pynndescent module, or a SeedwiseError naming the extra that installs it."""
    try:
        import pynndescent
    except ImportError:
        raise SeedwiseError(f"knn='nndescent' needs pynndescent: {PIP_EXTRA}") from None
    return pynndescent


# ------------------------------------------------------------------ cache
def _cache_path(x, k, metric, method, seed):
    from .io import default_cache_dir

    h = hashlib.blake2b(digest_size=20)
    h.update(f"knn-v1 {x.shape} {k} {metric} {method} {seed if method != 'exact' else 0}".encode())
    h.update(memoryview(x).cast("B"))
    return os.path.join(default_cache_dir(), "knn", h.hexdigest() + ".npz")


def _save_cache(path, nb):
    """Atomic write; a cache that cannot be written is skipped, never an error."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp.npz"
        np.savez(tmp, indices=nb.indices, distances=nb.distances,
                 recall=np.nan if nb.recall is None else nb.recall, recall_sample=nb.recall_sample)
        os.replace(tmp, path)
    except OSError:
        pass


# ------------------------------------------------------------------ graph
def edge_probabilities(nb, weights="similarity"):
    """float64 (n, k): the probability of edge indices[i, c] -> i under ``"similarity"``
    (None for the other schemes, which the graph build computes)."""
    w = str(weights).strip().lower()
    if w == "similarity":
        d = nb.distances.astype(np.float64)
        if nb.metric == "cosine":
            s = np.clip(1.0 - d, 0.0, None)
        else:
            sigma2 = d[:, -1:] ** 2
            s = np.exp(-np.divide(d * d, sigma2, out=np.zeros_like(d), where=sigma2 > 0))
        total = s.sum(axis=1, keepdims=True)
        # a row whose neighbours all have similarity 0 spreads evenly
        return np.where(total > 0, s / np.where(total > 0, total, 1.0), 1.0 / nb.k)
    return None


def graph_from_neighbors(nb, weights="similarity"):
    """The directed graph j -> i for every j among the neighbours of i.

    Parameters
    ----------
    nb : Neighbors
    weights : str, default "similarity"
        "similarity" (see the module docstring), "wc" or "uniform:P".

    Returns
    -------
    Graph
        Node ids are the row numbers 0..n-1.
    """
    n, k = nb.indices.shape
    v = np.repeat(np.arange(n, dtype=np.int32), k)
    u = nb.indices.reshape(-1)
    ids = np.arange(n, dtype=np.int64)
    p = edge_probabilities(nb, weights)
    stats = {"knn_method": nb.method, "knn_recall": nb.recall, "neighbors": k, "metric": nb.metric}
    if p is not None:
        g = Graph.from_dense(u, v, ids, p.reshape(-1), directed=True, weights="given", stats=stats)
        return _relabel(g, "similarity")
    return Graph.from_dense(u, v, ids, directed=True, weights=weights, stats=stats)


def _relabel(g, label):
    from dataclasses import replace

    return replace(g, weights=label)


def knn_bytes(n, d, k, method):
    """Peak bytes of building the neighbour graph of n rows of dimension d (search and CSR)."""
    data = 2 * 4 * n * d  # the float32 copy and its centred / unit-length version
    lists = 8 * n * k
    if method == "exact":
        search = min(BLOCK_BYTES, 4 * n * n) + 20 * n
    elif method == "ivf":  # keys, labels and order, one cell's candidates and their rows
        search = BLOCK_BYTES + 24 * n + (1 << 15) * 4 * int(math.sqrt(n) + 1)
    else:  # NN-descent heaps (index, distance, flag) of k + 1 and its random-projection forest
        trees = min(64, 5 + int(round(n ** 0.25)))
        search = 3 * 9 * n * (k + 1) + 8 * n * trees + (300 << 20)
    build = 48 * n * k + 32 * n
    return data + lists + max(search, build)


def check_knn_memory(n, d, k, method, max_memory=None):
    """Raise MemoryBudgetError when the neighbour graph would not fit ``max_memory``."""
    from ..memory import format_bytes, parse_memory_budget

    budget = parse_memory_budget(max_memory)
    need = knn_bytes(n, d, k, method)
    if need > budget:
        raise MemoryBudgetError(
            f"the {k}-nearest-neighbour graph of {n:,} x {d} vectors needs about {format_bytes(need)} "
            f"({method} search), over the memory budget of {format_bytes(budget)}; use fewer neighbors, "
            f"fewer dimensions (e.g. PCA), a subsample, or a larger max_memory")
    return need


@validated(**CHOICES)
def knn_graph(X, neighbors=10, metric="euclidean", *, weights="similarity", knn="auto", seed=0, threads=None,
              cache=False, max_memory=None):
    """The directed k-nearest-neighbour graph of the rows of ``X``, ready for any seedwise algorithm.

    Each of the ``neighbors`` nearest other rows j of row i gets an edge j -> i
    (j can influence i), with the probability ``weights`` gives it (IDEAL [1]_:
    similarity normalised over the neighbours of i).
    Node ids are row numbers, so seeds chosen on the graph are row indices.

    Parameters
    ----------
    X : array-like (n, d)
        Embeddings, one example per row (anything numpy turns into numbers).
    neighbors : int, default 10
        1 <= neighbors < n.
    metric : {"euclidean", "cosine"}, default "euclidean"
    weights : str, default "similarity"
        "similarity" (IDEAL's normalised similarity), "wc" (1 / in-degree) or
        "uniform:P".
    knn : {"auto", "exact", "ivf", "nndescent"}, default "auto"
        Exact blocked search up to 50,000 rows, an inverted-file search (exact
        distances in the nearest k-means cells) above; "nndescent" runs
        pynndescent [2]_ (the ``ideal`` extra). The recall of an approximate search,
        measured on 1,000 rows, is in ``graph.stats["knn_recall"]``.
    seed : int, default 0
    threads : int, optional
    cache : bool, default False
        Reuse neighbours computed before for the same content (hash of ``X``).
    max_memory : int or str, optional
        Memory budget ("80%" of the available memory by default), checked before
        anything large is allocated.

    Returns
    -------
    Graph

    Raises
    ------
    SeedwiseError
        Empty input, rows with NaN or infinity (named), zero rows under cosine,
        neighbors outside [1, n - 1], unknown metric or weights, pynndescent
        missing where it is needed.
    MemoryBudgetError
        The graph would not fit ``max_memory``.

    References
    ----------
    .. [1] S. Zhang, X. Xia, Z. Wang, L.-H. Chen, J. Liu, Q. Wu, T. Liu. IDEAL:
       Influence-driven selective annotations empower in-context learners in
       large language models. ICLR 2024, section 3.1.
    .. [2] W. Dong, M. Charikar, K. Li. Efficient k-nearest neighbor graph
       construction for generic similarity measures. WWW 2011.

    Examples
    --------
    >>> import numpy as np, seedwise
    >>> X = np.random.default_rng(0).normal(size=(200, 8))
    >>> g = seedwise.knn_graph(X, neighbors=5)
    >>> g.n, g.m
    (200, 1000)
    """
    weights = check_weights(weights)
    x, k, method = prepare(X, neighbors, metric, knn, max_memory)
    return graph_from_neighbors(nearest_neighbors(x, k, metric, method=method, seed=seed, threads=threads,
                                                  cache=cache), weights)


def check_weights(weights):
    text = str(weights).strip().lower()
    if text == "similarity":
        return text
    from ._schemes import parse

    scheme = parse(weights)
    if scheme.name not in ("wc", "uniform"):
        raise SeedwiseError(f"weights must be one of {', '.join(WEIGHTS)} for a neighbour graph; got {weights!r}")
    return scheme.label


def prepare(X, neighbors, metric="euclidean", knn="auto", max_memory=None):
    """Validate the embeddings and ``neighbors``, pick the search and check the memory budget.

    Returns
    -------
    x : float32 (n, d), k : int, method : "exact", "ivf" or "nndescent"
    """
    metric = check_choice("metric", metric, METRICS)
    knn = check_choice("knn", knn, KNN_METHODS)
    x = check_embeddings(X, metric=metric)
    n, d = x.shape
    k = check_neighbors(neighbors, n)
    method = knn if knn != "auto" else auto_method(n)
    if method == "nndescent":
        _nndescent_available()
    check_knn_memory(n, d, k, method, max_memory)
    return x, k, method
