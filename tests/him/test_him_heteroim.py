"""HeteroIM: exact spread on tiny graphs, pair validity, completeness, determinism,
identical rankings to the pure-Python implementation on the same RR sets."""
import itertools

import numpy as np
import pytest
from _reference_him import graph_lists, naive_hetero_im, rr_lists

from seedwise.algorithms.him import (
    hetero_im_candidates,
    hetero_im_pairs,
    hetero_im_rr_count,
    recommend,
    with_willingness,
)
from seedwise.graph import Graph
from seedwise.sampling import sample_rr_sets


def exact_ic_spread(g, v):
    """sigma({v}) under IC by enumerating all 2^m live-edge graphs."""
    u = np.repeat(np.arange(g.n), g.out_degree)
    edges = list(zip(u.tolist(), g.out_indices.tolist(), g.out_prob.astype(float).tolist()))
    total = 0.0
    for live in itertools.product([False, True], repeat=len(edges)):
        pr = 1.0
        adj = [[] for _ in range(g.n)]
        for on, (a, b, p) in zip(live, edges):
            pr *= p if on else 1.0 - p
            if on:
                adj[a].append(b)
        seen, stack = {v}, [v]
        while stack:
            x = stack.pop()
            for y in adj[x]:
                if y not in seen:
                    seen.add(y)
                    stack.append(y)
        total += pr * len(seen)
    return total


def tiny():
    # APs 0 and 1; candidates 2, 3, 4; 3 spreads most (to 5, 6, 7), 2 to 5 only
    edges = [(0, 2, 0.5), (0, 3, 0.5), (1, 3, 0.5), (1, 4, 0.5), (2, 5, 0.6), (3, 5, 0.7),
             (3, 6, 0.7), (3, 7, 0.6), (4, 7, 0.3), (6, 7, 0.5)]
    u, v, p = zip(*edges)
    return Graph.from_edges(np.array(u), np.array(v), np.array(p), weights="given")


def random_graph(seed, n=60, m=220):
    rng = np.random.default_rng(seed)
    u = rng.integers(0, n, m)
    v = rng.integers(0, n, m)
    return Graph.from_edges(u, v, weights="wc")


def test_first_pick_is_largest_exact_spread():
    g = tiny()
    aps = g.index_of([0, 1])
    cand = hetero_im_candidates(g, aps)
    assert sorted(g.label(cand)) == [2, 3, 4]
    spread = {int(c): exact_ic_spread(g, int(c)) for c in cand}
    best = max(spread, key=spread.get)
    assert spread[best] - sorted(spread.values())[-2] > 0.2  # a clear winner
    rr = sample_rr_sets(g, 200_000, seed=3)
    ap, inv, score, step = hetero_im_pairs(g, aps, rr)
    assert set(inv[step == 0].tolist()) == {best}
    # the RR estimate of the first pick's spread matches the enumeration
    assert rr.estimate([best]) == pytest.approx(spread[best], abs=0.05)


def test_pairs_valid_and_lists_complete():
    g = random_graph(1)
    ap_ids = g.label(np.flatnonzero(g.out_degree > 0)[::3])
    for k in (1, 2, 5):
        recs = recommend(g, ap_ids, k, method="hetero-im-authors", seed=1)
        lists = recs.lists()
        assert list(lists) == ap_ids
        for a, invitees in lists.items():
            nbrs = set(g.label(g.out_indices[g.out_indptr[a]:g.out_indptr[a + 1]]))
            assert set(invitees) <= nbrs
            assert len(invitees) == min(k, len(nbrs)) == len(set(invitees))
        ranks = recs.rank
        assert np.all(ranks >= 1) and np.all(ranks <= k)


def test_deterministic_and_thread_independent():
    g = random_graph(2)
    aps = g.label(np.flatnonzero(g.out_degree > 0)[:15])
    a = recommend(g, aps, 3, method="hetero-im-authors", seed=7, threads=1)
    b = recommend(g, aps, 3, method="hetero-im-authors", seed=7, threads=2)
    c = recommend(g, aps, 3, method="hetero-im-authors", seed=7, threads=1)
    assert a.rows() == b.rows() == c.rows()
    assert a.n_rr_sets == hetero_im_rr_count(g, g.index_of(aps), 3)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_identical_to_pure_python(seed):
    g = random_graph(10 + seed, n=80, m=300)
    aps = np.flatnonzero(g.out_degree > 0)[::2].astype(np.int32)
    rr = sample_rr_sets(g, 20_000, seed=seed)
    recs = recommend(g, g.label(aps), 3, method="hetero-im-authors", rr_sets=rr)
    out_nbrs, in_nbrs = graph_lists(g)
    naive = naive_hetero_im(rr_lists(rr), g.n, out_nbrs, in_nbrs, aps.tolist(), 3)
    ours = list(zip(recs.inviter.tolist(), recs.rank.tolist(), recs.invitee.tolist(), recs.score.tolist()))
    assert ours == naive


def test_shared_rr_sets_rank_first():
    g = tiny()
    rr = sample_rr_sets(g, 50_000, seed=0)
    ap, inv, score, step = hetero_im_pairs(g, g.index_of([0, 1]), rr)
    shared = score >= 1
    assert shared.any()
    assert np.all(score[~shared] < 1) and np.all(score[~shared] >= 0)
    assert np.all(score[shared] == np.round(score[shared]))


def test_willingness_scales_rr_probabilities():
    g = tiny()
    u = np.ones(g.n)
    u[g.index_of([5, 6, 7])] = 0.0  # nobody past the candidates accepts
    u[g.index_of([3])] = 0.5
    w = with_willingness(g, u)
    np.testing.assert_allclose(w.out_prob, g.out_prob * u[g.out_indices], rtol=1e-6)
    np.testing.assert_allclose(w.in_prob, g.in_prob * np.repeat(u, g.in_degree), rtol=1e-6)
    # RR sets on P * U: every candidate now spreads to itself only
    rr = sample_rr_sets(w, 20_000, seed=0)
    for c in g.index_of([2, 3, 4]):
        assert rr.estimate([c]) == pytest.approx(exact_ic_spread(w, int(c)), abs=0.05)
    assert exact_ic_spread(w, int(g.index_of([3])[0])) == pytest.approx(1.0)
    recs = recommend(g, [0, 1], 2, method="hetero-im-authors", willingness=u, eps=0.3, seed=0)
    assert recs.lists().keys() == {0, 1}
