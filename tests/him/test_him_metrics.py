"""Recall / NDCG / NSpread on a hand-built example; ISpread@K against brute force."""
import itertools
import math

import numpy as np
import pytest

from seedwise.algorithms.him import recommend
from seedwise.evaluation import SpreadTruth, evaluate_recommendations, ispread, recommendation_metrics
from seedwise.graph import Graph

# truth: 1 -> 10, 11, 12 ; 2 -> 10 ; 10 -> 20, 21, 1 ; 11 -> 20 ; 12 -> 22, 23, 24
TRUTH = [(1, 10), (1, 11), (1, 12), (2, 10), (10, 20), (10, 21), (10, 1), (11, 20),
         (12, 22), (12, 23), (12, 24), (3, 3)]
# graph: P orders AP 1's list 13, 10, 12 (13 is not an observed invitee) and AP 2's list 14, 10
EDGES = [(1, 13, 0.9), (1, 10, 0.8), (1, 12, 0.5), (1, 11, 0.1), (2, 10, 0.3), (2, 14, 0.7)]


def setup():
    u, v, p = zip(*EDGES)
    g = Graph.from_edges(np.array(u), np.array(v), np.array(p), weights="given")
    s, d = zip(*TRUTH)
    return g, SpreadTruth.from_pairs(np.array(s), np.array(d))


def test_hand_built_metrics():
    g, truth = setup()
    recs = recommend(g, [1, 2], 3, method="prob")
    assert recs.lists() == {1: [13, 10, 12], 2: [14, 10]}
    m = recommendation_metrics(recs, truth, 3)
    # hits: AP 1 [0, 1, 1] of 3 invitees, AP 2 [0, 1] of 1 invitee
    assert m["recall@1"] == 0.0
    assert m["recall@2"] == pytest.approx((1 / 3 + 1) / 2)
    assert m["recall@3"] == pytest.approx((2 / 3 + 1) / 2)
    l3 = 1 / math.log2(3)
    assert m["ndcg@1"] == 0.0
    assert m["ndcg@2"] == pytest.approx((l3 / (1 + l3) + l3) / 2)
    assert m["ndcg@3"] == pytest.approx(((l3 + 0.5) / (1 + l3 + 0.5) + l3) / 2)
    # per inviter, inviter excluded: AP 1 picks {10} -> {10, 20, 21} (1 left out), {10, 12} -> 7 nodes;
    # AP 2 picks {10} -> {10, 20, 21, 1} = 4
    assert [m[f"spread@{k}"] for k in (1, 2, 3)] == [0, 3 + 4, 7 + 4]
    # best: AP 1 {12} = 4, {10, 12} = 7, {10, 11, 12} = 8; AP 2 {10} = 4
    assert [m[f"ispread@{k}"] for k in (1, 2, 3)] == [8, 11, 12]
    assert [m[f"nspread@{k}"] for k in (1, 2, 3)] == pytest.approx([0, 7 / 11, 11 / 12])
    assert m["inviters"] == 2
    # HIM evaluators.py unions: picks {10} -> {10, 20, 21, 1}; {10, 12} -> 8 nodes;
    # best picks {12} + {10} -> 8, {10, 12} + {10} -> 8, {10, 11, 12} + {10} -> 9
    u = recommendation_metrics(recs, truth, 3, spread="union")
    assert [u[f"spread@{k}"] for k in (1, 2, 3)] == [0, 4, 8]
    assert [u[f"ispread@{k}"] for k in (1, 2, 3)] == [8, 8, 9]


def test_short_lists_and_inviters_without_truth():
    g, truth = setup()
    recs = recommend(g, [1, 2], 1, method="prob")  # lists shorter than k_max
    m = recommendation_metrics(recs, truth, 3)
    assert m["recall@3"] == 0.0 and m["ndcg@3"] == 0.0
    g2 = Graph.from_edges(np.array([1, 1, 2, 99]), np.array([10, 12, 10, 10]))
    m2 = recommendation_metrics(recommend(g2, [1, 99], 2, method="degree"), truth, 2)
    assert m2["inviters"] == 1  # 99 has no observed pair: left out of the means


def brute_ispread(pairs, inviters, K, mode):
    out = {}
    for a, b in pairs:
        if a != b:
            out.setdefault(a, set()).add(b)
    total, union = 0, set()
    for u in inviters:
        cands = sorted(out.get(u, ()))
        if not cands:
            continue
        best, best_b = -1, None
        for b in itertools.combinations(cands, min(K, len(cands))):
            reach = set(b).union(*(out.get(c, set()) for c in b)) - {u}
            if len(reach) > best:
                best, best_b = len(reach), b
        total += best
        union |= set(best_b).union(*(out.get(c, set()) for c in best_b))
    return total if mode == "inviter" else len(union)


@pytest.mark.parametrize("seed", range(6))
def test_ispread_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 25
    s = rng.integers(0, n, 160)
    d = rng.integers(0, n, 160)
    pairs = list(zip(s.tolist(), d.tolist()))
    truth = SpreadTruth.from_pairs(s, d)
    inviters = rng.choice(n, 10, replace=False).tolist()
    for mode in ("inviter", "union"):
        got = ispread(truth, inviters, 4, spread=mode)
        assert got == [brute_ispread(pairs, inviters, K, mode) for K in range(1, 5)]


def test_nspread_at_most_one_and_oracle_reaches_one():
    rng = np.random.default_rng(5)
    s = rng.integers(0, 30, 200)
    d = rng.integers(0, 30, 200)
    keep = s != d
    g = Graph.from_edges(s[keep], d[keep])
    truth = SpreadTruth.from_pairs(s, d)
    aps = g.label(np.flatnonzero(g.out_degree > 0))
    res = evaluate_recommendations(g, aps, truth, methods=["hetero-im-authors", "prob", "degree"], eps=0.3)
    assert list(res) == ["hetero-im-authors", "prob", "degree"]
    for row in res.values():
        assert list(row) == [f"{m}@{k}" for m in ("recall", "ndcg", "nspread") for k in (1, 2, 3)] + ["seconds"]
        assert all(0 <= row[f"nspread@{k}"] <= 1 + 1e-12 for k in (1, 2, 3))
        assert row["ndcg@1"] == 1.0  # truth = graph edges: every pick is observed
