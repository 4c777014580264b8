"""RR-set sampling (IC with and without SUBSIM skipping, LT) against exact enumeration."""
import math

import numpy as np
import pytest
from _reference import exact_spread, random_tiny_graph

from seedwise.graph import Graph
from seedwise.sampling import sample_rr_sets

THETA = 40_000


def reaches(graph):
    """reach[a, b]: b reachable from a along edges with p > 0 (a itself included)."""
    n = graph.n
    reach = np.eye(n, dtype=bool)
    u = np.repeat(np.arange(n), np.diff(graph.out_indptr))
    pos = graph.out_prob > 0
    adj = np.zeros((n, n), dtype=bool)
    adj[u[pos], graph.out_indices[pos]] = True
    for _ in range(n):
        reach = reach | ((reach.astype(np.int64) @ adj.astype(np.int64)) > 0)
    return reach


def check_estimates(graph, model, theta=THETA, seed=0):
    R = sample_rr_sets(graph, theta, model=model, seed=seed, threads=2)
    n = graph.n
    for seeds in ([0], [n - 1], [0, 1], [1, n - 2, n - 1]):
        exact = exact_spread(graph, seeds, model)
        p = exact / n
        se = n * math.sqrt(max(p * (1 - p), 1e-12) / theta)
        assert abs(R.estimate(seeds) - exact) <= 4 * se + 1e-6, (seeds, R.estimate(seeds), exact)


def test_fixtures_exercise_both_ic_paths(mixed_graph):
    # node 3's in-edges differ (one coin per edge), node 4's share p = 0.4 (skipping)
    assert mixed_graph.in_shared_p[3] == -1
    assert mixed_graph.in_shared_p[4] == pytest.approx(0.4)


def test_rr_estimate_matches_exact_ic(tiny_graph):
    check_estimates(tiny_graph, "ic")


def test_rr_estimate_matches_exact_lt(lt_tiny_graph):
    check_estimates(lt_tiny_graph, "lt")


@pytest.mark.parametrize("model", ["ic", "lt"])
def test_structure(model):
    rng = np.random.default_rng(1)
    g = random_tiny_graph(rng, 12, 40, "wc")
    R = sample_rr_sets(g, 3000, model=model, seed=3, threads=2)
    reach = reaches(g)
    in_sets = [set(g.in_indices[g.in_indptr[v]:g.in_indptr[v + 1]].tolist()) for v in range(g.n)]
    assert R.offsets[0] == 0 and R.offsets[-1] == R.total and np.all(np.diff(R.offsets) >= 1)
    roots = np.empty(len(R), dtype=np.int64)
    for i in range(len(R)):
        s = R[i].tolist()
        root = s[0]
        roots[i] = root
        assert len(set(s)) == len(s)
        assert all(reach[x, root] for x in s)
        if model == "lt":
            # a simple path backwards along in-edges: s[j+1] is an in-neighbour of s[j]
            assert all(s[j + 1] in in_sets[s[j]] for j in range(len(s) - 1))
        else:
            # breadth first: every later node is an in-neighbour of an earlier one
            assert all(any(x in in_sets[y] for y in s[:j]) for j, x in enumerate(s) if j)
    # roots are uniform over the nodes
    freq = np.bincount(roots, minlength=g.n) / len(R)
    assert np.all(np.abs(freq - 1 / g.n) <= 4 * math.sqrt((1 / g.n) / len(R)))


@pytest.mark.parametrize("model", ["ic", "lt"])
def test_same_sets_for_one_and_two_threads(model):
    g = random_tiny_graph(np.random.default_rng(2), 40, 200, "wc")
    a = sample_rr_sets(g, 5000, model=model, seed=11, threads=1)
    b = sample_rr_sets(g, 5000, model=model, seed=11, threads=2)
    np.testing.assert_array_equal(a.offsets, b.offsets)
    np.testing.assert_array_equal(a.nodes, b.nodes)
    c = sample_rr_sets(g, 5000, model=model, seed=12, threads=2)
    assert not np.array_equal(a.nodes, c.nodes)


def star_in(leaves, p, given=None):
    """Leaves 1..L -> centre 0, all with probability p (or the array ``given``)."""
    src = np.arange(1, leaves + 1)
    dst = np.zeros(leaves, dtype=np.int64)
    if given is None:
        return Graph.from_edges(src, dst, weights=f"uniform:{p}")
    return Graph.from_edges(src, dst, given, weights="given")


@pytest.mark.parametrize("shared", [True, False])
def test_inclusion_frequency_on_a_star(shared):
    # 50 in-edges of p = 0.3: an RR set rooted at the centre has 1 + Binomial(50, 0.3) nodes,
    # each leaf in it with probability 0.3, whether found by skipping or by coins
    L, p = 50, 0.3
    if shared:
        g = star_in(L, p)
        assert g.in_shared_p[0] == pytest.approx(p)
    else:
        given = np.full(L, p)
        given[0] = 0.30001  # one differing edge turns skipping off at the centre
        g = star_in(L, p, given)
        assert g.in_shared_p[0] == -1
    R = sample_rr_sets(g, 150_000, seed=4, threads=2)
    sizes = np.diff(R.offsets)
    firsts = R.nodes[R.offsets[:-1]]
    at_centre = firsts == 0
    assert np.all(sizes[~at_centre] == 1)
    s = sizes[at_centre]
    count = s.shape[0]
    assert abs(s.mean() - (1 + L * p)) <= 4 * math.sqrt(L * p * (1 - p) / count)
    assert abs(s.var() - L * p * (1 - p)) <= 0.1 * L * p * (1 - p)
    # every leaf equally often (no off-by-one in the skips): per-leaf frequency near p
    members = np.concatenate([R[i][1:] for i in np.flatnonzero(at_centre)])
    freq = np.bincount(members, minlength=L + 1)[1:] / count
    assert np.all(np.abs(freq - p) <= 4.5 * math.sqrt(p * (1 - p) / count))


def test_wc_hub_estimate():
    # WC star into the centre: each RR set from the centre keeps ~1 leaf
    g = Graph.from_edges(np.arange(1, 201), np.zeros(200, np.int64))
    R = sample_rr_sets(g, 100_000, seed=5, threads=2)
    # sigma({leaf}) = 1 + 1/200 (itself + the centre with p = 1/200)
    est = R.estimate([1])
    exact = 1 + 1 / 200
    p = exact / g.n
    assert abs(est - exact) <= 4 * g.n * math.sqrt(p * (1 - p) / len(R))
