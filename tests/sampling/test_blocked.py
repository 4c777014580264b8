"""Blocked-node sampling (SPEC 5.2): RR sets on G with nodes B blocked have the
distribution of RR sets on P = G minus B. Checked against exact inclusion
probabilities on P, computed by enumerating P's live-edge graphs."""
import itertools
import math

import numpy as np
import pytest
from _reference import lt_random_weights, random_tiny_graph, worlds

from seedwise import SeedwiseError
from seedwise.sampling import Blocked, sample_rr_sets

THETA = 60_000


def exact_inclusion(P, model):
    """Pr[v in R] and Pr[u, v both in R] for a random RR set R of P (target uniform)."""
    probs, reach = worlds(P, model)  # reach[w, a, b]: b reachable from a in world w
    single = np.einsum("w,wvt->v", probs, reach.astype(float)) / P.n
    pair = np.einsum("w,wut,wvt->uv", probs, reach.astype(float), reach.astype(float)) / P.n
    return single, pair


def empirical(rr, n):
    """Frequencies of every node and pair of nodes over the sets of ``rr``."""
    member = np.zeros((len(rr), n), dtype=bool)
    rows = np.repeat(np.arange(len(rr)), np.diff(rr.offsets))
    member[rows, rr.nodes] = True
    m = member.astype(float)
    return m.mean(axis=0), (m.T @ m) / len(rr)


def cases():
    rng = np.random.default_rng(5)
    wc = random_tiny_graph(rng, 8, 15, "wc")              # shared p per node: geometric skipping
    given = random_tiny_graph(rng, 8, 15, "given")        # one coin per edge
    lt = lt_random_weights(rng, random_tiny_graph(rng, 8, 14, "wc"))
    return [("ic-wc", wc, "ic"), ("ic-given", given, "ic"), ("lt", lt, "lt"), ("lt-wc", wc, "lt")]


def blocked_nodes(g):
    """Two blocked nodes with edges on both sides, so blocking changes P."""
    out_deg, in_deg = np.diff(g.out_indptr), np.diff(g.in_indptr)
    both = np.flatnonzero((out_deg > 0) & (in_deg > 0))
    mask = np.zeros(g.n, dtype=bool)
    mask[both[:2]] = True
    return mask


@pytest.mark.parametrize("name,g,model", cases(), ids=[c[0] for c in cases()])
def test_blocked_sampling_matches_exact_inclusion_on_P(name, g, model):
    mask = blocked_nodes(g)
    P, g_of_p = g.subgraph(~mask)
    single, pair = exact_inclusion(P, model)
    rr = sample_rr_sets(g, THETA, model=model, seed=3, threads=2, blocked=mask)
    assert rr.population == P.n and rr.n == g.n
    assert not mask[rr.nodes].any(), "a search entered a blocked node"
    freq1, freq2 = empirical(rr, g.n)
    f1, f2 = freq1[g_of_p], freq2[np.ix_(g_of_p, g_of_p)]
    se1 = np.sqrt(np.maximum(single * (1 - single), 1e-4) / THETA)
    assert np.all(np.abs(f1 - single) <= 4.5 * se1), (name, f1, single)
    se2 = np.sqrt(np.maximum(pair * (1 - pair), 1e-4) / THETA)
    assert np.all(np.abs(f2 - pair) <= 4.5 * se2), name
    # the estimator scales by the population (nodes of P), so spreads match those on P
    from _reference import exact_spread

    for s in ([0], [1, 3]):
        exact = exact_spread(P, s, model)
        p = exact / P.n
        se = P.n * math.sqrt(max(p * (1 - p), 1e-6) / THETA)
        assert abs(rr.estimate(g_of_p[s]) - exact) <= 4.5 * se


def test_blocking_is_exact_where_nothing_is_blocked():
    """An all-False mask draws roots from the same streams as no mask at all."""
    g = cases()[1][1]
    plain = sample_rr_sets(g, 500, seed=9)
    none_blocked = sample_rr_sets(g, 500, seed=9, blocked=np.zeros(g.n, dtype=bool))
    roots = [int(plain[i][0]) for i in range(len(plain))]
    assert roots == [int(none_blocked[i][0]) for i in range(len(none_blocked))]
    assert len({tuple(plain[i]) == tuple(none_blocked[i]) for i in range(len(plain))}) == 1


@pytest.mark.parametrize("model", ["ic", "lt"])
def test_blocked_sets_do_not_depend_on_threads(model):
    g = cases()[0][1]
    mask = blocked_nodes(g)
    a = sample_rr_sets(g, 9000, model=model, seed=4, threads=1, blocked=mask)
    b = sample_rr_sets(g, 9000, model=model, seed=4, threads=2, blocked=Blocked(mask))
    assert np.array_equal(a.offsets, b.offsets) and np.array_equal(a.nodes, b.nodes)
    # extending a blocked collection continues the same streams
    head = sample_rr_sets(g, 4000, model=model, seed=4, blocked=mask)
    tail = sample_rr_sets(g, 5000, model=model, seed=4, start=4000, blocked=mask)
    joined = head.extend(tail)
    assert np.array_equal(joined.nodes, a.nodes) and joined.population == a.population


def test_bad_masks():
    g = cases()[0][1]
    with pytest.raises(SeedwiseError, match="entries"):
        sample_rr_sets(g, 10, blocked=np.zeros(g.n + 1, dtype=bool))
    with pytest.raises(SeedwiseError, match="every node"):
        sample_rr_sets(g, 10, blocked=np.ones(g.n, dtype=bool))


def test_pairs_are_checked():
    # the pair check above is not vacuous: some pair has an inclusion probability
    # strictly between the product of its singles and their minimum
    g = cases()[0][1]
    P, _ = g.subgraph(~blocked_nodes(g))
    single, pair = exact_inclusion(P, "ic")
    off = [(u, v) for u, v in itertools.combinations(range(P.n), 2)]
    assert any(abs(pair[u, v] - single[u] * single[v]) > 1e-3 for u, v in off)
