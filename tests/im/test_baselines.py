"""Heuristic baselines: degree, PageRank, degree discount, random."""
import networkx as nx
import numpy as np
import pytest
from _reference import random_tiny_graph, star_graph

from seedwise._validation import SeedwiseError
from seedwise.algorithms.im.baselines import degree, degree_discount, pagerank, random_seeds
from seedwise.graph import Graph
from seedwise.graph.pagerank import pagerank_scores
from seedwise.selection.ranking import top_k

ALL = [degree, pagerank, degree_discount, random_seeds]


def naive_degree_discount(graph, k):
    """O(n k) reference: recompute every score, take the best (ties: smaller id)."""
    n = graph.n
    d = graph.out_degree.astype(float)
    t = np.zeros(n)
    s = np.zeros(n)
    chosen = []
    for _ in range(k):
        dd = d - 2 * t - (d - t) * s
        dd[chosen] = -np.inf
        u = int(np.flatnonzero(dd == dd.max())[0])
        chosen.append(u)
        for j in range(graph.out_indptr[u], graph.out_indptr[u + 1]):
            v = graph.out_indices[j]
            if v not in chosen:
                t[v] += 1
                s[v] += float(graph.out_prob[j])
    return chosen


def to_networkx(graph):
    G = nx.DiGraph()
    G.add_nodes_from(range(graph.n))
    u = np.repeat(np.arange(graph.n), graph.out_degree)
    G.add_edges_from(zip(u.tolist(), graph.out_indices.tolist()))
    return G


def test_degree_picks_the_hub_and_breaks_ties_by_id():
    g = star_graph(6)
    assert degree(g, 1).seeds == [0]
    # 7 and 3 both have out-degree 2; 3 is the smaller id
    h = Graph.from_edges([7, 7, 3, 3, 1], [1, 2, 1, 2, 2])
    assert degree(h, 3).seeds == [3, 7, 1]
    r = degree(h, 2)
    assert r.algorithm == "degree" and r.spread is None and r.lower is None and "total" in r.times


def test_top_k_matches_a_full_sort():
    rng = np.random.default_rng(0)
    for _ in range(20):
        scores = rng.integers(0, 5, size=50)
        full = np.lexsort((np.arange(50), -scores))
        for k in (1, 7, 49, 50):
            np.testing.assert_array_equal(top_k(scores, k), full[:k])


@pytest.mark.parametrize("reverse", [True, False])
def test_pagerank_scores_match_networkx(reverse):
    rng = np.random.default_rng(1)
    g = random_tiny_graph(rng, 60, 150, "wc")  # sparse: some nodes dangle either way
    assert (g.out_degree == 0).any() and (g.in_degree == 0).any()
    G = to_networkx(g)
    ref = nx.pagerank(G.reverse() if reverse else G, alpha=0.85, tol=1e-12)
    ours = pagerank_scores(g, 0.85, reverse=reverse)
    assert ours.dtype == np.float64 and ours.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(ours, [ref[i] for i in range(g.n)], atol=1e-6)


def test_pagerank_ranks_nodes_that_reach_many():
    # 10 -> {1..5}, 20 -> 30: reversed, 10 collects from five nodes, 20 from one,
    # and the rest only teleport mass
    g = Graph.from_edges([10, 10, 10, 10, 10, 20], [1, 2, 3, 4, 5, 30])
    r = pagerank(g, 2)
    assert r.seeds == [10, 20] and r.algorithm == "pagerank"
    # chains add up: 0 -> 1 -> {2..6}, 0 reaches all that 1 reaches and 1
    assert pagerank(Graph.from_edges([0, 1, 1, 1, 1, 1], [1, 2, 3, 4, 5, 6]), 2).seeds == [0, 1]
    with pytest.raises(SeedwiseError, match="damping"):
        pagerank(g, 1, damping=1.5)


def test_degree_discount_hand_example():
    # d0 = 4, d1 = d2 = 3. After 0: dd1 = 3 - 2 - (3 - 1) 0.9 = -0.8, dd2 = 3 - 2 - 2 (0.1) = 0.8,
    # dd3 = dd4 = 0 - 2 - (0 - 1) 0.5 = -1.5. Then 2. Then the untouched 5 (dd = 0) wins.
    src = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]
    dst = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    p = [0.9, 0.1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    g = Graph.from_edges(src, dst, p, weights="given")
    r = degree_discount(g, 3)
    assert r.seeds == [0, 2, 5] and r.algorithm == "degree-discount"
    assert degree(g, 3).seeds == [0, 1, 2]


@pytest.mark.parametrize("weights", ["uniform:0.1", "wc", "given"])
def test_degree_discount_matches_naive(weights):
    rng = np.random.default_rng(2)
    for _ in range(5):
        g = random_tiny_graph(rng, 30, 120, weights)
        for k in (1, 5, g.n):
            assert degree_discount(g, k).seeds == g.label(naive_degree_discount(g, k))


def test_degree_discount_undirected_is_the_paper():
    # undirected, uniform p: d_v - 2 t_v - (d_v - t_v) t_v p with t_v chosen neighbours
    rng = np.random.default_rng(3)
    u = rng.integers(0, 40, 150)
    v = rng.integers(0, 40, 150)
    g = Graph.from_edges(u, v, directed=False, weights="uniform:0.05")
    assert degree_discount(g, 10).seeds == g.label(naive_degree_discount(g, 10))


def test_random_is_seeded():
    g = random_tiny_graph(np.random.default_rng(4), 30, 60, "wc")
    a = random_seeds(g, 10, seed=5)
    assert a.seeds == random_seeds(g, 10, seed=5).seeds
    assert a.seeds != random_seeds(g, 10, seed=6).seeds
    assert len(set(a.seeds)) == 10 and all(g.contains(a.seeds))
    assert sorted(random_seeds(g, g.n, seed=1).seeds) == g.ids.tolist()


@pytest.mark.parametrize("algorithm", ALL)
def test_k_is_checked(algorithm):
    g = star_graph(4)
    with pytest.raises(SeedwiseError, match=r"^k must be an int in \[1, 5\] \(the number of nodes\); got 0$"):
        algorithm(g, 0)
    with pytest.raises(SeedwiseError, match="got 6"):
        algorithm(g, 6)
    with pytest.raises(SeedwiseError, match="k must be an int"):
        algorithm(g, "3")
    r = algorithm(g, 5)
    assert sorted(r.seeds) == [0, 1, 2, 3, 4] and r.k == 5
