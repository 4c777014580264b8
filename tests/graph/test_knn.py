"""k-nearest-neighbour graphs: exact search against brute force, weights, cache, bad input."""
import numpy as np
import pytest
from _reference import brute_force_knn

import seedwise
from seedwise import SeedwiseError
from seedwise.graph import _knn_exact, knn


def _points(seed, n, d, dup=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    if dup:  # copies of a few rows at other positions
        src = rng.choice(n, size=dup, replace=False)
        dst = rng.choice(np.setdiff1d(np.arange(n), src), size=dup, replace=False)
        x[dst] = x[src]
    return x


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
@pytest.mark.parametrize("seed,n,d,k,dup", [(0, 12, 2, 3, 0), (1, 40, 5, 7, 0), (2, 60, 3, 5, 8), (3, 25, 8, 24, 4)])
def test_exact_search_equals_brute_force(metric, seed, n, d, k, dup, monkeypatch):
    # small blocks so that several BLAS blocks and refinement tasks are exercised
    monkeypatch.setattr(_knn_exact, "BLOCK_BYTES", 4 * n * 7)
    monkeypatch.setattr(_knn_exact, "REFINE_ROWS", 3)
    x = _points(seed, n, d, dup)
    nb = knn.nearest_neighbors(x, k, metric, method="exact", threads=2)
    want_idx, want_dist = brute_force_knn(x, k, metric)
    np.testing.assert_array_equal(nb.indices, want_idx)
    np.testing.assert_allclose(nb.distances, want_dist, rtol=1e-5, atol=1e-5)
    assert nb.method == "exact" and nb.recall == 1.0


def test_self_is_never_a_neighbour_and_duplicates_are_nearest():
    x = np.array([[0.0, 0.0], [5.0, 5.0], [0.0, 0.0], [0.0, 0.0], [9.0, 9.0]])
    nb = knn.nearest_neighbors(x, 2, method="exact")
    assert all(i not in nb.indices[i] for i in range(len(x)))
    np.testing.assert_array_equal(nb.indices[0], [2, 3])  # the two copies, at distance 0
    np.testing.assert_array_equal(nb.indices[3], [0, 2])
    assert nb.distances[0].tolist() == [0.0, 0.0]


def test_all_rows_identical():
    nb = knn.nearest_neighbors(np.ones((6, 3)), 3, method="exact")
    np.testing.assert_array_equal(nb.indices[0], [1, 2, 3])
    np.testing.assert_array_equal(nb.indices[5], [0, 1, 2])


def test_far_from_origin_keeps_exact_order():
    # huge norms, small differences: the centring and the float64 refinement keep it exact
    x = (1e4 + _points(5, 50, 4) * 1e-2).astype(np.float32)
    nb = knn.nearest_neighbors(x, 4, method="exact")
    np.testing.assert_array_equal(nb.indices, brute_force_knn(x, 4)[0])


def test_graph_edges_and_similarity_weights():
    x = _points(7, 30, 4)
    g = seedwise.knn_graph(x, neighbors=4)
    nb = knn.nearest_neighbors(x, 4)
    assert (g.n, g.m) == (30, 120)
    for i in range(g.n):  # i's in-neighbours are its k nearest rows
        a, b = g.in_indptr[i], g.in_indptr[i + 1]
        assert set(g.in_indices[a:b].tolist()) == set(nb.indices[i].tolist())
        p = g.in_prob[a:b].astype(np.float64)
        assert abs(p.sum() - 1.0) < 1e-5  # IDEAL: similarity normalised per example
        # nearer neighbours get larger probabilities
        d = dict(zip(nb.indices[i].tolist(), nb.distances[i].tolist(), strict=True))
        dists = np.array([d[j] for j in g.in_indices[a:b]])
        assert np.all(np.diff(p[np.argsort(dists, kind="stable")]) <= 1e-7)
    assert g.weights == "similarity"


def test_cosine_similarity_weights_match_the_paper():
    x = _points(8, 20, 5)
    g = seedwise.knn_graph(x, neighbors=3, metric="cosine")
    u = x / np.linalg.norm(x, axis=1, keepdims=True)
    for i in (0, 7, 19):
        a, b = g.in_indptr[i], g.in_indptr[i + 1]
        s = np.clip(u[g.in_indices[a:b]] @ u[i], 0, None)
        np.testing.assert_allclose(g.in_prob[a:b], s / s.sum(), rtol=1e-4)


def test_wc_and_uniform_weights():
    x = _points(9, 25, 3)
    g = seedwise.knn_graph(x, neighbors=3, weights="wc")
    assert np.all(np.diff(g.in_indptr) == 3) and np.all(g.in_prob == np.float32(1 / 3))
    g = seedwise.knn_graph(x, neighbors=3, weights="uniform:0.2")
    assert np.all(g.out_prob == np.float32(0.2))


def test_cache_reads_back_and_tracks_content(tmp_path, monkeypatch):
    monkeypatch.setenv("SEEDWISE_CACHE_DIR", str(tmp_path))
    x = _points(10, 40, 3)
    first = knn.nearest_neighbors(x, 5, cache=True)
    again = knn.nearest_neighbors(x.copy(), 5, cache=True)
    assert not first.cached and again.cached
    np.testing.assert_array_equal(first.indices, again.indices)
    x[3, 1] += 1.0
    changed = knn.nearest_neighbors(x, 5, cache=True)
    assert not changed.cached
    assert len(list((tmp_path / "knn").iterdir())) == 2


def test_threads_do_not_change_neighbours():
    x = _points(11, 300, 6, dup=20)
    one = knn.nearest_neighbors(x, 8, threads=1)
    two = knn.nearest_neighbors(x, 8, threads=2)
    np.testing.assert_array_equal(one.indices, two.indices)
    np.testing.assert_array_equal(one.distances, two.distances)


# ------------------------------------------------------------------ approximate search
def _clustered(seed, n, d=16, centres=40):
    rng = np.random.default_rng(seed)
    c = rng.normal(size=(centres, d)) * 4
    return c[rng.integers(0, centres, n)] + rng.normal(size=(n, d))


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_ivf_recall_is_measured_against_exact(metric):
    x = _clustered(13, 4000)
    nb = knn.nearest_neighbors(x, 10, metric, method="ivf", recall_sample=400, threads=2)
    exact = knn.nearest_neighbors(x, 10, metric, method="exact")
    assert nb.method == "ivf" and nb.recall_sample == 400
    assert all(i not in nb.indices[i] for i in range(4000))
    overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(nb.indices, exact.indices, strict=True)])
    assert overlap >= 0.9 and abs(nb.recall - overlap) < 0.05
    # whatever it finds, it reports at its true distance
    rows = np.arange(0, 4000, 97)
    want = np.sqrt(((x[rows, None, :] - x[nb.indices[rows]]) ** 2).sum(-1)) if metric == "euclidean" else None
    if want is not None:
        np.testing.assert_allclose(nb.distances[rows], want, rtol=1e-4, atol=1e-4)


def test_auto_switches_to_ivf_above_the_threshold(monkeypatch):
    monkeypatch.setattr(knn, "EXACT_MAX_N", 500)
    x = _clustered(14, 800)
    g = seedwise.knn_graph(x, neighbors=5)
    assert g.stats["knn_method"] == "ivf" and 0.9 <= g.stats["knn_recall"] <= 1.0
    one = knn.nearest_neighbors(x, 5, threads=1)
    two = knn.nearest_neighbors(x, 5, threads=2)
    np.testing.assert_array_equal(one.indices, two.indices)


@pytest.mark.slow  # pynndescent compiles its kernels in every process (about a minute)
def test_nndescent_recall_is_measured_against_exact():
    pytest.importorskip("pynndescent")
    x = _points(12, 3000, 8)
    nb = knn.nearest_neighbors(x, 10, method="nndescent", recall_sample=300, threads=1)
    exact = knn.nearest_neighbors(x, 10, method="exact")
    assert nb.method == "nndescent" and nb.recall_sample == 300
    assert all(i not in nb.indices[i] for i in range(0, 3000, 37))
    overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(nb.indices, exact.indices, strict=True)])
    assert nb.recall >= 0.9 and abs(nb.recall - overlap) < 0.05


def test_drop_self_keeps_k_other_entries():
    from seedwise.graph._knn_kernels import drop_self

    idx = np.array([[0, 2, 1], [2, 1, 0], [1, -1, 2]], dtype=np.int64)
    dist = np.array([[0, 1, 2], [0, 0, 3], [1, 9, 4]], dtype=np.float32)
    got_idx, got_dist = drop_self(idx, dist, 2)
    assert got_idx.tolist() == [[2, 1], [2, 0], [1, -1]]  # row 2 lists itself: one entry left
    assert got_dist[0].tolist() == [1, 2] and got_dist[2, 1] == np.inf


def test_missing_pynndescent_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pynndescent", None)
    with pytest.raises(SeedwiseError, match=r"seedwise\[ideal\]"):
        knn.nearest_neighbors(_points(0, 20, 2), 3, method="nndescent")


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("X,match", [
    (np.zeros((0, 4)), "empty"),
    (np.zeros((5, 0)), "empty"),
    (np.zeros(5), "2-d"),
    ([["a", "b"], ["c", "d"]], "numbers"),
    (np.ones((1, 3)), "at least 2"),
])
def test_bad_arrays(X, match):
    with pytest.raises(SeedwiseError, match=match):
        seedwise.knn_graph(X, neighbors=1)


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_non_finite_rows_are_named(value):
    x = _points(0, 20, 3)
    x[13, 2] = value
    x[17, 0] = value
    with pytest.raises(SeedwiseError, match=r"row 13 has NaN or infinite values \(2 such rows: 13, 17\)"):
        seedwise.knn_graph(x, neighbors=3)


def test_zero_vector_under_cosine():
    x = _points(0, 10, 3)
    x[4] = 0.0
    with pytest.raises(SeedwiseError, match="row 4 is a zero vector"):
        seedwise.knn_graph(x, neighbors=3, metric="cosine")
    assert seedwise.knn_graph(x, neighbors=3).n == 10  # fine under euclidean


@pytest.mark.parametrize("neighbors", [0, 10, 11, 2.5, "3"])
def test_neighbors_out_of_range(neighbors):
    with pytest.raises(SeedwiseError, match="neighbors must be an int in"):
        seedwise.knn_graph(_points(0, 10, 2), neighbors=neighbors)


@pytest.mark.parametrize("kw,match", [({"metric": "manhattan"}, "metric"), ({"weights": "given"}, "weights"),
                                      ({"knn": "annoy"}, "knn"), ({"weights": "uniform:2"}, "uniform")])
def test_bad_options(kw, match):
    with pytest.raises(SeedwiseError, match=match):
        seedwise.knn_graph(_points(0, 10, 2), neighbors=2, **kw)


def test_memory_guard_refuses_before_searching(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("searched despite the memory budget")

    monkeypatch.setattr(knn, "nearest_neighbors", boom)
    with pytest.raises(seedwise.SeedwiseError, match="over the memory budget"):
        seedwise.knn_graph(np.zeros((1000, 4)), neighbors=5, max_memory=10_000)
    assert knn.knn_bytes(10**6, 64, 10, "nndescent") < 4 << 30
