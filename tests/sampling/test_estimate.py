"""rr_spread: the RR-set spread estimator against exact enumeration."""
import math

import numpy as np
import pytest
from _reference import diamond_graph, exact_spread, mixed_graph, random_tiny_graph

from seedwise._validation import SeedwiseError
from seedwise.diffusion import monte_carlo_spread
from seedwise.sampling.estimate import rr_spread

THETA = 50_000


def check(graph, seeds, model):
    est = rr_spread(graph, seeds, model=model, rr_sets=THETA, seed=1, threads=2)
    exact = exact_spread(graph, seeds, model)
    n = graph.n
    p = exact / n
    se = n * math.sqrt(max(p * (1 - p), 1e-12) / THETA)
    assert abs(est.mean - exact) <= 4 * se + 1e-6
    lo, hi = est.ci95
    half = max((hi - lo) / 2, 1e-6)
    assert est.mean - 2.1 * half <= exact + 1e-6 and exact - 1e-6 <= est.mean + 2.1 * half
    # the binomial interval n (p +- 1.96 sqrt(p (1 - p) / theta)), clipped to [0, n]
    q = est.mean / n
    width = 1.96 * n * math.sqrt(q * (1 - q) / THETA)
    assert lo == pytest.approx(max(0.0, est.mean - width)) and hi == pytest.approx(min(n, est.mean + width))
    assert est.method == "rr" and est.simulations == THETA


def test_rr_spread_ic(tiny_graph):
    for seeds in ([0], [0, 1], [tiny_graph.n - 1]):
        check(tiny_graph, seeds, "ic")


def test_rr_spread_lt(lt_tiny_graph):
    for seeds in ([0], [1, lt_tiny_graph.n - 1]):
        check(lt_tiny_graph, seeds, "lt")


def test_hand_value_interval():
    # diamond, uniform 0.5: sigma({0}) = 2.4375 (reference.diamond_graph)
    est = rr_spread(diamond_graph(), [0], rr_sets=200_000, seed=3)
    assert est.ci95[0] - 0.01 <= 2.4375 <= est.ci95[1] + 0.01


def test_rr_and_mc_agree():
    g = random_tiny_graph(np.random.default_rng(8), 60, 300, "wc")
    rr = rr_spread(g, [0, 5, 9], rr_sets=100_000, seed=2, threads=2)
    mc = monte_carlo_spread(g, [0, 5, 9], simulations=20_000, seed=2, threads=2)
    se = math.hypot((rr.ci95[1] - rr.ci95[0]) / 3.92, (mc.ci95[1] - mc.ci95[0]) / 3.92)
    assert abs(rr.mean - mc.mean) <= 4 * se


def test_deterministic_across_threads():
    g = random_tiny_graph(np.random.default_rng(9), 40, 160, "wc")
    a = rr_spread(g, [1, 2], rr_sets=20_000, seed=7, threads=1)
    b = rr_spread(g, [1, 2], rr_sets=20_000, seed=7, threads=2)
    assert (a.mean, a.ci95) == (b.mean, b.ci95)


def test_edge_cases_and_bad_input():
    g = mixed_graph()
    assert rr_spread(g, [], rr_sets=100).mean == 0.0
    assert rr_spread(g, np.arange(g.n), rr_sets=100).mean == g.n
    with pytest.raises(SeedwiseError, match="rr_sets must be an int >= 1"):
        rr_spread(g, [0], rr_sets=0)
    with pytest.raises(SeedwiseError, match="LT needs in-weights"):
        rr_spread(g, [0], model="lt")
    with pytest.raises(SeedwiseError, match=r"in \[0, 6\)"):
        rr_spread(g, [-1])
