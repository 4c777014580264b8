"""HeteroIM as a pair problem (SPEC 5.1): pair RR sets against exact f(L), greedy
against the brute-force optimum, its bounds, the truth-model Monte-Carlo, determinism."""
import itertools

import numpy as np
import pytest
from _reference_him import PairProblem

import seedwise
from seedwise import SeedwiseError
from seedwise.algorithms.him import recommend
from seedwise.algorithms.him.pairs import build_pairs, greedy, sample_pair_rr_sets
from seedwise.evaluation.truth_model import evaluate_truth_model, invitation_counts, invitation_spread
from seedwise.graph import Graph

#: inviters 0 and 1; edges into inviters (3 -> 0, 2 -> 1) must not matter
GIVEN = ([0, 0, 0, 1, 1, 1, 2, 3, 4, 5, 6, 3, 2],
         [2, 3, 4, 3, 4, 5, 6, 6, 5, 6, 2, 0, 1],
         [.5, .4, .3, .6, .5, .2, .5, .3, .4, .5, .2, .9, .5])


def given_graph():
    return Graph.from_edges(*GIVEN[:2], GIVEN[2], weights="given")


def wc_graph():
    """Weighted cascade: every node's in-edges share 1/indeg (the SUBSIM path)."""
    src = [0, 0, 0, 1, 1, 2, 3, 4, 4, 5, 6, 2]
    dst = [2, 3, 4, 4, 5, 5, 5, 6, 3, 6, 2, 6]
    return Graph.from_edges(src, dst, weights="wc")


def uniform_graph():
    src = [0, 0, 1, 1, 2, 3, 4, 3, 5]
    dst = [2, 3, 3, 4, 5, 5, 5, 6, 6]
    return Graph.from_edges(src, dst, weights="uniform:0.4")


CASES = [
    ("given", given_graph, [0, 1], None),
    ("wc", wc_graph, [0, 1], None),
    ("wc-willingness", wc_graph, [0, 1], np.array([1, 1, .5, .8, .3, 1, 1.0])),
    ("uniform", uniform_graph, [0, 1], np.array([1, 1, .9, .6, 1, 1, 1.0])),
]


def dense(g, ids):
    return g.index_of(ids)


def case(name):
    _, make, aps, u = next(c for c in CASES if c[0] == name)
    g = make()
    return g, dense(g, aps), u


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_pair_rr_sets_estimate_exact_value(name):
    """n' Pr[a pair of L covers a random pair RR set] = f(L) (exact), for several L."""
    g, aps, u = case(name)
    problem = PairProblem(g, aps, u)
    index = build_pairs(g, aps, np.full(len(aps), 2), u)
    rr = sample_pair_rr_sets(index, 200_000, seed=3)
    n_t = g.n - len(aps)
    pair_id = {(int(aps[index.owner[p]]), int(index.invitee[p])): p for p in range(index.n_pairs)}
    assert set(pair_id) == set(problem.pairs)
    for size in (1, 2, 3):
        for lists in itertools.combinations(problem.pairs, size):
            exact = problem.value(lists)
            hit = rr.coverage([pair_id[p] for p in lists]) / len(rr)
            sd = n_t * np.sqrt(hit * (1 - hit) / len(rr)) + 1e-9
            assert abs(n_t * hit - exact) < 4.5 * sd + 1e-3, (lists, n_t * hit, exact)


def _all_pairs_lists(problem, caps):
    per = []
    for i, cap in zip(problem.aps, caps):
        mine = [p for p in problem.pairs if p[0] == i]
        per.append(list(itertools.combinations(mine, min(cap, len(mine)))))
    return per


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_greedy_kernel_half_of_optimal_coverage_and_upper_bound(name):
    """On a fixed sample: greedy coverage >= 1/2 of the best feasible coverage, and its
    upper bound >= that best coverage (both deterministic statements about the sample)."""
    g, aps, u = case(name)
    for k in (1, 2):
        index = build_pairs(g, aps, np.full(len(aps), k), u)
        for seed in range(3):
            rr = sample_pair_rr_sets(index, 300, seed=seed)
            picks, gains, coverage, upper = greedy(index, rr)
            assert coverage == rr.coverage(picks)
            assert sum(gains) == coverage
            owners = np.bincount(index.owner[picks], minlength=len(aps))
            assert (owners <= k).all() and len(set(picks.tolist())) == len(picks)
            best = 0
            per = [[np.flatnonzero(index.owner == d)] for d in range(len(aps))]
            choices = [list(itertools.combinations(p[0].tolist(), min(k, len(p[0])))) for p in per]
            for choice in itertools.product(*choices):
                best = max(best, rr.coverage([x for part in choice for x in part]))
            assert 2 * coverage >= best
            assert upper >= best


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_hetero_im_half_opt_and_its_bounds_hold(name):
    """Exact f of the returned lists >= OPT / 2; lower <= f(L); upper >= OPT."""
    g, aps, u = case(name)
    problem = PairProblem(g, aps, u)
    ids = g.label(aps)
    for k in (1, 2):
        opt, _ = problem.optimum([k, k])
        for seed in range(4):
            recs = recommend(g, ids, k, willingness=u, seed=seed, eps=0.2)
            pairs = list(zip(recs.inviter.tolist(), recs.invitee.tolist()))
            value = problem.value(pairs)
            assert value >= 0.5 * opt - 1e-9
            assert recs.lower <= value + 1e-9
            assert recs.upper >= opt - 1e-9
            assert recs.ratio >= recs.target or recs.params["rounds"] == recs.params["i_max"]
            assert not np.isin(recs.invitee, aps).any()
            assert (np.bincount(recs.inviter, minlength=g.n)[aps] <= k).all()


def test_list_sizes_and_zero_gain_fill():
    g = given_graph()
    recs = recommend(g, [0, 1], 3, list_sizes={1: 1, 2: 5}, seed=0)
    lists = recs.lists()
    assert len(lists[1]) == 1 and len(lists[0]) == 3
    assert recs.zero_gain_picks >= 0 and recs.to_dict()["zero_gain_picks"] == recs.zero_gain_picks
    for method in ("prob", "hetero-im-authors"):
        other = recommend(g, [0, 1], 3, method=method, list_sizes={1: 1})
        assert len(other.lists()[1]) == 1


def test_no_non_inviter_friend_gives_empty_lists():
    g = Graph.from_edges([0, 1], [1, 0], weights="given", values=[.5, .5])
    recs = recommend(g, [0, 1], 2)
    assert len(recs) == 0 and recs.spread == 0.0 and recs.ratio == 1.0


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_truth_model_monte_carlo_matches_exact(name):
    g, aps, u = case(name)
    problem = PairProblem(g, aps, u)
    ids = g.label(aps)
    for lists in ([(aps[0], p[1]) for p in problem.pairs if p[0] == aps[0]][:2] + [problem.pairs[-1]],
                  problem.pairs):
        by_inviter = {}
        for i, j in lists:
            by_inviter.setdefault(g.label([i])[0], []).append(g.label([j])[0])
        est = invitation_spread(g, ids, by_inviter, willingness=u, simulations=100_000, seed=5)
        exact = problem.value(lists)
        half = (est.ci95[1] - est.ci95[0]) / 2
        assert abs(est.mean - exact) <= 2.3 * half + 1e-9, (est, exact)


def test_truth_model_rejects_pairs_that_are_not_edges():
    g = given_graph()
    with pytest.raises(SeedwiseError, match="not an out-neighbour"):
        invitation_spread(g, [0, 1], {0: [5]}, simulations=10)
    with pytest.raises(SeedwiseError, match="not among the given inviters"):
        invitation_spread(g, [0], {1: [3]}, simulations=10)


def test_same_seed_same_answer_for_one_and_two_threads():
    g = seedwise.load_dataset("email-eu-core", weights="wc")
    aps = g.label(np.arange(0, g.n, 25))
    one = recommend(g, aps, 3, seed=4, threads=1)
    two = recommend(g, aps, 3, seed=4, threads=2)
    assert one.rows() == two.rows()
    assert (one.lower, one.upper, one.n_rr_sets) == (two.lower, two.upper, two.n_rr_sets)
    c1 = invitation_counts(g, aps, one, simulations=3000, seed=2, threads=1)
    c2 = invitation_counts(g, aps, one, simulations=3000, seed=2, threads=2)
    assert np.array_equal(c1, c2)


def test_evaluate_truth_model_margins_are_paired_differences():
    g = seedwise.load_dataset("email-eu-core", weights="wc")
    aps = g.label(np.arange(0, g.n, 25))
    res = evaluate_truth_model(g, aps, 2, ["prob", "degree"], simulations=2000)
    assert list(res) == ["hetero-im", "prob", "degree"]
    assert res["hetero-im"]["margin"] == 0.0
    for m in ("prob", "degree"):
        assert res[m]["margin"] == pytest.approx(res["hetero-im"]["spread"] - res[m]["spread"])
        lo, hi = res[m]["margin_ci95"]
        assert lo <= res[m]["margin"] <= hi
