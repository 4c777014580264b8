"""Greedy maximum coverage against a naive greedy and against brute force."""
import itertools

import numpy as np
import pytest

from seedwise.sampling import RRSets
from seedwise.selection import lower_bound, max_coverage, upper_bound


def make_rr(sets, n):
    offsets = np.zeros(len(sets) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(s) for s in sets])
    nodes = np.array([v for s in sets for v in s], dtype=np.int32)
    return RRSets(n, offsets, nodes)


def naive_greedy(sets, n, k):
    """Plain greedy: largest marginal coverage, ties to the smaller id."""
    covered = set()
    seeds = []
    for _ in range(k):
        best, best_gain = None, -1
        for v in range(n):
            if v in seeds:
                continue
            gain = sum(1 for i, s in enumerate(sets) if i not in covered and v in s)
            if gain > best_gain:
                best, best_gain = v, gain
        seeds.append(best)
        covered |= {i for i, s in enumerate(sets) if best in s}
    return seeds, len(covered)


def random_sets(rng, n, count):
    return [sorted(rng.choice(n, size=rng.integers(1, 5), replace=False).tolist()) for _ in range(count)]


@pytest.mark.parametrize("trial", range(20))
def test_greedy_equals_naive(trial):
    rng = np.random.default_rng(trial)
    n, k = 12, int(rng.integers(1, 6))
    sets = random_sets(rng, n, 40)
    res = max_coverage(make_rr(sets, n), k)
    seeds, cov = naive_greedy(sets, n, k)
    assert res.seeds.tolist() == seeds
    assert res.coverage == cov
    assert res.gains.sum() == cov


@pytest.mark.parametrize("trial", range(20))
def test_upper_bound_is_an_upper_bound_and_greedy_within_ratio(trial):
    rng = np.random.default_rng(100 + trial)
    n, k = 10, int(rng.integers(1, 4))
    sets = random_sets(rng, n, 30)
    res = max_coverage(make_rr(sets, n), k)
    opt = max(sum(1 for s in sets if set(s) & set(c)) for c in itertools.combinations(range(n), k))
    assert res.coverage <= opt <= res.upper
    assert res.coverage >= (1 - 1 / np.e) * opt


def test_allowed_mask_restricts_picks():
    sets = [[0, 1], [0], [0, 2], [3]]
    allowed = np.array([False, True, True, True])
    res = max_coverage(make_rr(sets, 4), 2, allowed=allowed)
    assert 0 not in res.seeds.tolist()
    assert res.coverage == 2


def test_k_larger_than_useful_nodes_fills_with_zero_gain():
    res = max_coverage(make_rr([[0], [0], [1]], 4), 3)
    assert res.seeds.tolist()[:2] == [0, 1]
    assert len(res.seeds) == 3 and res.gains[-1] == 0


def test_bounds_bracket_the_estimate():
    n, theta, a = 1000, 5000, np.log(3 * 10 / 0.001)
    cov = 1200
    est = n * cov / theta
    assert lower_bound(cov, theta, n, a) < est < upper_bound(cov, theta, n, a)
    # more samples at the same fraction: tighter bounds
    lo2 = lower_bound(cov * 10, theta * 10, n, a)
    up2 = upper_bound(cov * 10, theta * 10, n, a)
    assert lower_bound(cov, theta, n, a) < lo2 < est < up2 < upper_bound(cov, theta, n, a)
