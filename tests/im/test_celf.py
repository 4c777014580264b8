"""CELF against brute force with exact spread, and against plain greedy on the same runs."""
import math

import numpy as np
import pytest
from _reference import brute_force_im, exact_spread, random_tiny_graph

from seedwise._validation import SeedwiseError
from seedwise.algorithms.im import celf as celf_module
from seedwise.algorithms.im.celf import celf
from seedwise.diffusion import monte_carlo_spread, simulate_counts
from seedwise.graph import Graph

GUARANTEE = 1 - 1 / math.e - 0.05


def plain_greedy(graph, k, model, simulations, seed):
    """Non-lazy greedy on the summed counts of the same runs (ties: smaller id)."""
    chosen = []
    for _ in range(k):
        best, best_total = None, -1
        for v in range(graph.n):
            if v in chosen:
                continue
            total = int(simulate_counts(graph, chosen + [v], model=model, simulations=simulations,
                                        seed=seed, threads=1).sum())
            if total > best_total:
                best, best_total = v, total
        chosen.append(best)
    return chosen


def lt_graph(rng, n, m):
    """A random WC graph whose last node has an in-edge (Graph.check_lt fails on
    trailing nodes without in-edges; see test_monte_carlo.test_lt_check_with_sources_last)."""
    while True:
        g = random_tiny_graph(rng, n, m, "wc")
        if g.in_degree[-1] > 0:
            return g


def tiny_instances():
    rng = np.random.default_rng(21)
    return [
        ("ic", random_tiny_graph(rng, 7, 12, "wc")),
        ("ic", random_tiny_graph(rng, 7, 12, "given")),
        ("ic", random_tiny_graph(rng, 8, 12, "uniform:0.4")),
        ("lt", lt_graph(rng, 7, 12)),
        ("lt", lt_graph(rng, 8, 11)),
    ]


@pytest.mark.parametrize("case", range(len(tiny_instances())))
def test_celf_meets_the_greedy_guarantee(case):
    model, g = tiny_instances()[case]
    for k in (1, 2, 3):
        r = celf(g, k, model=model, simulations=4000, seed=1, threads=2)
        assert len(set(r.seeds)) == k and all(g.contains(r.seeds))
        value = exact_spread(g, g.index_of(r.seeds), model)
        _, best = brute_force_im(g, k, model)
        assert value >= GUARANTEE * best - 1e-9, (k, value, best)
        # its reported spread is an MC estimate of the chosen set
        assert abs(r.spread - value) <= 0.1 * value


@pytest.mark.parametrize("model", ["ic", "lt"])
def test_lazy_equals_plain_greedy_on_the_same_runs(model):
    g = random_tiny_graph(np.random.default_rng(5), 25, 70, "wc")
    r = celf(g, 5, model=model, simulations=300, seed=3, threads=2)
    assert g.index_of(r.seeds).tolist() == plain_greedy(g, 5, model, 300, 3)
    # the spread is the MC mean of the final set on the same runs
    assert r.spread == monte_carlo_spread(g, g.index_of(r.seeds), model=model, simulations=300, seed=3).mean
    assert r.params["evaluations"] < 5 * g.n


@pytest.mark.parametrize("model", ["ic", "lt"])
def test_incremental_and_full_evaluation_agree(model, monkeypatch):
    g = random_tiny_graph(np.random.default_rng(6), 30, 90, "wc")
    a = celf(g, 4, model=model, simulations=500, seed=2, threads=2)
    monkeypatch.setattr(celf_module, "COVER_BYTES", 0)
    b = celf(g, 4, model=model, simulations=500, seed=2, threads=2)
    assert (a.seeds, a.spread, a.params["evaluations"]) == (b.seeds, b.spread, b.params["evaluations"])


def test_deterministic_across_threads_and_calls():
    g = random_tiny_graph(np.random.default_rng(7), 40, 150, "wc")
    a = celf(g, 4, simulations=1000, seed=9, threads=1)
    b = celf(g, 4, simulations=1000, seed=9, threads=2)
    c = celf(g, 4, simulations=1000, seed=9, threads=2)
    assert a.seeds == b.seeds == c.seeds and a.spread == b.spread == c.spread
    assert a.algorithm == "celf" and a.lower is None and a.upper is None and a.ratio is None
    assert set(a.times) >= {"selection", "total"}
    assert a.params["simulations"] == 1000 and a.params["seed"] == 9


def test_refuses_when_too_slow():
    rng = np.random.default_rng(8)
    g = Graph.from_edges(rng.integers(0, 2000, 8000), rng.integers(0, 2000, 8000))
    with pytest.raises(SeedwiseError, match=r"^celf would take about .* on this graph \(n=[\d,]+, m=.*use "
                                            r"algorithm opim-c, or fewer simulations$"):
        celf(g, 10, simulations=100_000, max_seconds=1e-6)
    with pytest.raises(SeedwiseError, match="celf would take about"):
        celf(g, 10, max_seconds=0.01)


def test_bad_arguments():
    g = random_tiny_graph(np.random.default_rng(9), 6, 8, "uniform:0.9")
    with pytest.raises(SeedwiseError, match=r"k must be an int in \[1, \d\] \(the number of nodes\); got 0"):
        celf(g, 0)
    with pytest.raises(SeedwiseError, match="simulations must be an int >= 1"):
        celf(g, 1, simulations=0)
    with pytest.raises(SeedwiseError, match="max_seconds"):
        celf(g, 1, max_seconds=0)
    with pytest.raises(SeedwiseError, match="LT needs in-weights"):
        celf(g, 1, model="lt")
