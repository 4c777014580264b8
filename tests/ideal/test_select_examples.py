"""select_examples: certificate against exact spread, baselines, determinism, bad input."""
import math

import numpy as np
import pytest
from _reference import brute_force_im, exact_spread

import seedwise
from seedwise import SeedwiseError
from seedwise.algorithms.ideal import baselines
from seedwise.graph import knn


def _blobs(seed, n=120, d=4, centres=4):
    rng = np.random.default_rng(seed)
    c = rng.normal(size=(centres, d)) * 6
    return c[rng.integers(0, centres, n)] + rng.normal(size=(n, d))


# ------------------------------------------------------------------ certificate vs exact
@pytest.mark.parametrize("seed,metric,weights", [(0, "euclidean", "similarity"), (1, "cosine", "similarity"),
                                                 (2, "euclidean", "wc"), (3, "euclidean", "uniform:0.5")])
def test_certificate_brackets_exact_spread(seed, metric, weights):
    x = np.random.default_rng(seed).normal(size=(6, 3))
    g = seedwise.knn_graph(x, neighbors=2, metric=metric, weights=weights)
    assert g.m == 12  # 2^12 live-edge worlds: exact enumeration
    budget = 2
    res = seedwise.select_examples(x, budget, neighbors=2, metric=metric, weights=weights, seed=seed)
    exact = exact_spread(g, np.array(res.indices))
    _, opt = brute_force_im(g, budget)
    assert res.lower <= exact + 1e-9
    assert opt <= res.upper + 1e-9
    assert exact >= (1 - 1 / math.e - 0.1) * opt - 1e-9
    assert len(set(res.indices)) == budget and res.ratio == pytest.approx(res.lower / res.upper)


def test_result_fields_and_conversions():
    x = _blobs(0)
    res = seedwise.select_examples(x, 8, neighbors=5, seed=3)
    assert (res.graph_nodes, res.graph_edges, res.neighbors, res.budget) == (120, 600, 5, 8)
    assert {"knn", "graph", "selection", "total"} <= set(res.times)
    d = res.to_dict()
    for key in ("indices", "budget", "spread", "lower_bound", "upper_bound", "neighbors", "metric", "seconds"):
        assert key in d
    assert d["indices"] == res.indices and d["metric"] == "euclidean"
    df = res.to_pandas()
    assert df["index"].tolist() == res.indices and df["rank"].tolist() == list(range(1, 9))
    assert "ExampleSelection ideal budget=8" in repr(res)


def test_selection_covers_every_cluster():
    # well separated blobs: a good selection puts a seed in each of them
    x = _blobs(4, n=200, centres=5)
    labels = np.argmin(((x[:, None, :] - _blobs_centres(4, 5)[None]) ** 2).sum(-1), axis=1)
    res = seedwise.select_examples(x, 5, neighbors=8, seed=0)
    assert len(set(labels[res.indices].tolist())) == 5


def _blobs_centres(seed, centres, d=4):
    return np.random.default_rng(seed).normal(size=(centres, d)) * 6


# ------------------------------------------------------------------ baselines
def test_vote_k_by_hand():
    nbrs = np.array([[1, 2], [0, 2], [0, 1], [0, 1], [0, 5], [0, 3]], dtype=np.int32)
    # votes: 0 <- 1,2,3,4,5; 1 <- 0,2,3; 2 <- 0,1; 3 <- 5; 5 <- 4; 4 <- nobody
    # step 2: 0 no longer votes, its voters weigh 0.1: 1 <- 2,3 (0.2) beats 2, 3, 5 (0.1 each)
    # step 3: 1 no longer votes, 2 and 3 weigh 0.01: 2 has no vote left, 3 <- 5 and 5 <- 4 tie at 0.1 -> 3
    assert baselines.vote_k(nbrs, 3).tolist() == [0, 1, 3]


def test_vote_k_matches_a_direct_recount():
    x = _blobs(5, n=80)
    nb = knn.nearest_neighbors(x, 6)
    got = baselines.vote_k(nb.indices, 12)
    chosen = []
    for _ in range(12):  # Su et al.: score(u) = sum over unselected voters v of 10^-|N(v) & L|
        c = np.array([len(set(nb.indices[v]) & set(chosen)) for v in range(80)])
        score = np.zeros(80)
        for v in range(80):
            if v not in chosen:
                for u in nb.indices[v]:
                    score[u] += 10.0 ** -c[v]
        score[chosen] = -np.inf
        chosen.append(int(np.argmax(score)))
    assert got.tolist() == chosen


def test_kmeans_picks_rows_nearest_the_centres():
    pytest.importorskip("sklearn")
    from sklearn.cluster import KMeans

    x = _blobs(6, n=150)
    rows = baselines.kmeans_examples(x, 6, seed=1)
    km = KMeans(n_clusters=6, n_init=1, random_state=1).fit(x)
    assert len(set(rows.tolist())) == 6
    for c in km.cluster_centers_:
        assert np.argmin(((x - c) ** 2).sum(1)) in rows


@pytest.mark.parametrize("method", ["random", "kmeans", "vote-k"])
def test_baselines_behind_the_same_api(method):
    if method == "kmeans":
        pytest.importorskip("sklearn")
    x = _blobs(7)
    res = seedwise.select_examples(x, 10, neighbors=5, method=method, seed=2)
    assert res.method == method and len(set(res.indices)) == 10
    assert res.lower is None and res.upper is None and 10 <= res.spread <= 120


def test_kmeans_without_sklearn_names_the_extra(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "sklearn" else real(name, *a))
    with pytest.raises(SeedwiseError, match=r"seedwise\[ideal\]"):
        seedwise.select_examples(_blobs(0), 3, method="kmeans")


# ------------------------------------------------------------------ determinism
@pytest.mark.parametrize("method", ["ideal", "vote-k", "random"])
def test_same_seed_same_selection_for_any_threads(method):
    x = _blobs(8, n=400, d=6)
    one = seedwise.select_examples(x, 15, neighbors=7, method=method, seed=11, threads=1)
    two = seedwise.select_examples(x, 15, neighbors=7, method=method, seed=11, threads=2)
    assert one.indices == two.indices
    assert one.spread == two.spread and one.lower == two.lower and one.upper == two.upper
    other = seedwise.select_examples(x, 15, neighbors=7, method=method, seed=12, threads=2)
    if method != "vote-k":  # vote-k has no randomness
        assert other.indices != one.indices


# ------------------------------------------------------------------ bad input
def test_nan_and_inf_rows_are_named():
    x = _blobs(0, n=30)
    x[21, 1] = np.nan
    with pytest.raises(SeedwiseError, match="row 21 has NaN or infinite values"):
        seedwise.select_examples(x, 3)
    x[21, 1] = np.inf
    with pytest.raises(SeedwiseError, match="row 21"):
        seedwise.select_examples(x, 3)


@pytest.mark.parametrize("budget", [0, 31, -1, 2.5, None])
def test_budget_out_of_range(budget):
    with pytest.raises(SeedwiseError, match=r"budget must be an int in \[1, 30\]"):
        seedwise.select_examples(_blobs(0, n=30), budget)


def test_neighbors_must_be_below_n():
    with pytest.raises(SeedwiseError, match=r"neighbors must be an int in \[1, 29\]"):
        seedwise.select_examples(_blobs(0, n=30), 3, neighbors=30)


@pytest.mark.parametrize("X", [np.zeros((0, 3)), [], [[]]])
def test_empty_input(X):
    with pytest.raises(SeedwiseError, match="empty|2-d"):
        seedwise.select_examples(X, 1)


def test_zero_row_under_cosine():
    x = _blobs(0, n=30)
    x[2] = 0
    with pytest.raises(SeedwiseError, match="row 2 is a zero vector"):
        seedwise.select_examples(x, 3, metric="cosine")


@pytest.mark.parametrize("kw,match", [({"method": "herding"}, "method"), ({"model": "sir"}, "model"),
                                      ({"metric": "l1"}, "metric"), ({"weights": "counts"}, "weights"),
                                      ({"eps": 0}, "eps"), ({"seed": -1}, "seed")])
def test_bad_options(kw, match):
    with pytest.raises(SeedwiseError, match=match):
        seedwise.select_examples(_blobs(0, n=30), 3, **kw)


def test_lt_needs_valid_weights():
    x = _blobs(0, n=40)
    with pytest.raises(SeedwiseError, match="LT needs"):
        seedwise.select_examples(x, 3, model="lt", weights="uniform:0.9")
    assert len(seedwise.select_examples(x, 3, model="lt", weights="wc").indices) == 3


def test_memory_guard_before_allocating(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("searched despite the memory budget")

    monkeypatch.setattr(knn, "nearest_neighbors", boom)
    with pytest.raises(seedwise.SeedwiseError, match="over the memory budget"):
        seedwise.select_examples(_blobs(0, n=500), 10, max_memory="1K")
