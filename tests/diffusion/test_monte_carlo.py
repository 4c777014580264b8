"""Monte-Carlo spread against exact enumeration (tests/_reference.py)."""
import math

import numpy as np
import pytest
from _reference import (
    diamond_graph,
    exact_spread,
    exact_variance,
    mixed_graph,
    path_graph,
    random_tiny_graph,
    star_graph,
)

from seedwise._validation import SeedwiseError
from seedwise.diffusion import monte_carlo_spread, simulate_counts
from seedwise.graph import Graph

SIMS = 20_000


def seed_sets(graph):
    n = graph.n
    return [[0], [n - 1], [0, 1], [1, n - 2, n - 1]]


def test_reference_matches_hand_values():
    # the worked values in _reference.py's docstrings
    assert exact_spread(path_graph(), [0]) == pytest.approx(1.75)
    assert exact_spread(star_graph(), [0]) == pytest.approx(3.0)
    assert exact_spread(diamond_graph(), [0]) == pytest.approx(2.4375)
    wc = diamond_graph("wc")
    assert exact_spread(wc, [0], "ic") == pytest.approx(3.75)
    assert exact_spread(wc, [0], "lt") == pytest.approx(4.0, abs=1e-6)
    assert exact_spread(wc, [1], "lt") == pytest.approx(1.5, abs=1e-6)
    assert exact_spread(wc, [3], "lt") == pytest.approx(1.0)


def check_close(graph, seeds, model, sims=SIMS, seed=0):
    est = monte_carlo_spread(graph, seeds, model=model, simulations=sims, seed=seed, threads=2)
    exact = exact_spread(graph, seeds, model)
    se = math.sqrt(exact_variance(graph, seeds, model) / sims)
    assert abs(est.mean - exact) <= 4 * se + 1e-6, (est, exact, se)
    lo, hi = est.ci95
    half = (hi - lo) / 2
    # the exact value lies in the interval widened to 4 standard errors
    assert est.mean - 2.1 * half - 1e-6 <= exact <= est.mean + 2.1 * half + 1e-6
    assert est.simulations == sims and est.method == "mc"
    return est


def test_mc_matches_exact_ic(tiny_graph):
    for seeds in seed_sets(tiny_graph):
        check_close(tiny_graph, seeds, "ic")


def test_mc_matches_exact_lt(lt_tiny_graph):
    for seeds in seed_sets(lt_tiny_graph):
        check_close(lt_tiny_graph, seeds, "lt")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mc_other_seeds(seed):
    # random graphs with heterogeneous probabilities, several stream seeds
    rng = np.random.default_rng(100 + seed)
    g = random_tiny_graph(rng, 7, 12, "given")
    check_close(g, [int(rng.integers(g.n))], "ic", seed=seed)


@pytest.mark.parametrize("model", ["ic", "lt"])
def test_same_counts_for_one_and_two_threads(model):
    g = random_tiny_graph(np.random.default_rng(5), 30, 90, "wc")
    a = simulate_counts(g, [0, 3], model=model, simulations=5000, seed=42, threads=1)
    b = simulate_counts(g, [0, 3], model=model, simulations=5000, seed=42, threads=2)
    c = simulate_counts(g, [0, 3], model=model, simulations=5000, seed=43, threads=2)
    assert a.dtype == np.int32 and a.shape == (5000,)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    ea = monte_carlo_spread(g, [0, 3], model=model, simulations=5000, seed=42, threads=1)
    eb = monte_carlo_spread(g, [0, 3], model=model, simulations=5000, seed=42, threads=2)
    assert (ea.mean, ea.ci95) == (eb.mean, eb.ci95)


def test_start_continues_the_runs():
    g = mixed_graph()
    whole = simulate_counts(g, [0], simulations=3000, seed=5, threads=2)
    head = simulate_counts(g, [0], simulations=1000, seed=5, threads=1)
    rest = simulate_counts(g, [0], simulations=2000, seed=5, threads=2, start=1000)
    np.testing.assert_array_equal(whole, np.concatenate([head, rest]))


@pytest.mark.parametrize("model", ["ic", "lt"])
def test_common_random_numbers_are_monotone_and_submodular(model):
    # run r is one fixed live-edge graph whatever the seed set, so the per-run
    # counts are monotone and submodular set functions
    rng = np.random.default_rng(3)
    g = random_tiny_graph(rng, 9, 20, "wc")
    runs = 2000
    c = {}
    for s in [(), (0,), (0, 1), (2,), (0, 2), (0, 1, 2)]:
        c[s] = simulate_counts(g, list(s), model=model, simulations=runs, seed=9, threads=2)
    assert np.all(c[(0,)] <= c[(0, 1)]) and np.all(c[(0, 1)] <= c[(0, 1, 2)])
    # gain of 2 on top of {0} >= gain of 2 on top of {0, 1}
    assert np.all(c[(0, 2)] - c[(0,)] >= c[(0, 1, 2)] - c[(0, 1)])
    assert np.all(c[()] == 0)


def test_repeated_seeds_and_edge_cases():
    g = star_graph()
    a = monte_carlo_spread(g, [0, 0, 0], simulations=500)
    b = monte_carlo_spread(g, [0], simulations=500)
    assert a.mean == b.mean
    assert monte_carlo_spread(g, [], simulations=10).mean == 0.0
    one = monte_carlo_spread(g, [1], simulations=1)
    assert one.mean == 1.0 and one.ci95 == (1.0, 1.0)
    full = monte_carlo_spread(g, np.arange(g.n), simulations=100)
    assert full.mean == g.n


def test_bad_input():
    g = mixed_graph()
    with pytest.raises(SeedwiseError, match=r"dense seed ids must be in \[0, 6\); got 6"):
        monte_carlo_spread(g, [6])
    with pytest.raises(SeedwiseError, match="model must be one of ic, lt"):
        monte_carlo_spread(g, [0], model="sir")
    with pytest.raises(SeedwiseError, match="simulations must be an int >= 1"):
        monte_carlo_spread(g, [0], simulations=0)
    with pytest.raises(SeedwiseError, match="LT needs in-weights summing to <= 1"):
        monte_carlo_spread(g, [0], model="lt")
    with pytest.raises(SeedwiseError, match="1-d array of ints"):
        monte_carlo_spread(g, [0.5])


def test_lt_check_with_sources_last():
    # node 2 (dense id 2, the last) has no in-edges
    g = Graph.from_edges([2, 2, 0], [0, 1, 1])
    est = monte_carlo_spread(g, [2], model="lt", simulations=1000)
    assert est.mean == pytest.approx(exact_spread(g, [2], "lt"), abs=0.2)
