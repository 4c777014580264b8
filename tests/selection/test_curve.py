"""The spread-vs-k curve: prefix coverages, per-prefix upper bounds, and maximize(curve=True)
against exact spreads and brute-force optima on tiny graphs."""
import itertools

import numpy as np
import pytest
from _reference import brute_force_im, exact_spread
from conftest import tiny_graphs
from test_coverage import make_rr, random_sets

import seedwise
from seedwise._validation import SeedwiseError
from seedwise.selection import max_coverage, prefix_coverage


def best_coverage(sets, n, j):
    return max(sum(1 for s in sets if set(s) & set(c)) for c in itertools.combinations(range(n), j))


@pytest.mark.parametrize("trial", range(15))
def test_prefix_bounds_against_brute_force(trial):
    rng = np.random.default_rng(100 + trial)
    n, k = 9, int(rng.integers(1, 6))
    sets = random_sets(rng, n, 30)
    rr = make_rr(sets, n)
    res = max_coverage(rr, k, curve=True)
    assert res.uppers[len(res.seeds) - 1] == res.upper  # the last prefix is the run's own bound
    prefix = prefix_coverage(rr, res.seeds)
    for j in range(1, len(res.seeds) + 1):
        assert prefix[j - 1] == rr.coverage(res.seeds[:j])
        alone = max_coverage(rr, j)
        assert alone.seeds.tolist() == res.seeds[:j].tolist()  # greedy is nested
        assert best_coverage(sets, n, j) <= res.uppers[j - 1] <= alone.upper  # valid, and at least as tight
    assert max_coverage(rr, k).uppers is None


def test_prefix_coverage_repeated_ids_count_once():
    rr = make_rr([[0, 1], [1], [2]], 3)
    assert prefix_coverage(rr, [1, 1, 2]).tolist() == [2, 2, 3]


@pytest.mark.parametrize("name,graph", tiny_graphs()[:6], ids=[n for n, _ in tiny_graphs()[:6]])
def test_certified_curve_on_tiny_graphs(name, graph):
    k = min(3, graph.n)
    res = seedwise.maximize(graph, k, eps=0.3, seed=1, curve=True)
    assert [r["k"] for r in res.curve] == list(range(1, k + 1))
    assert [r["seed"] for r in res.curve] == res.seeds
    last = res.curve[-1]
    assert (last["spread"], last["lower_bound"], last["upper_bound"], last["approximation"]) == \
        pytest.approx((res.spread, res.lower, res.upper, res.ratio))
    assert sum(r["marginal_gain"] for r in res.curve) == pytest.approx(res.spread)
    for r in res.curve:
        j = r["k"]
        exact = exact_spread(graph, graph.index_of(res.seeds[:j]))
        _, opt = brute_force_im(graph, j)
        assert r["lower_bound"] <= exact + 1e-9
        assert r["upper_bound"] >= opt - 1e-9
        assert r["approximation"] == pytest.approx(r["lower_bound"] / r["upper_bound"])


def test_curve_without_certificate_and_refusals():
    g = seedwise.load_dataset("cim-physic")
    plain = seedwise.maximize(g, 4, seed=0)
    assert plain.curve[-1]["spread"] == pytest.approx(plain.spread)
    assert all(r["lower_bound"] is None for r in plain.curve)
    imm = seedwise.maximize(g, 4, seed=0, algorithm="imm")
    assert imm.curve[-1]["spread"] == pytest.approx(imm.spread)
    assert seedwise.maximize(g, 4, algorithm="degree").curve is None
    with pytest.raises(SeedwiseError, match="curve=True certifies every k with OPIM-C"):
        seedwise.maximize(g, 4, algorithm="imm", curve=True)

