"""HeteroIR against hand-computed values of beta_ij = P_ij U_j (1 + HeteroInf(j))."""
import numpy as np
import pytest

from seedwise.algorithms.him import hetero_inf, hetero_ir_scores, recommend
from seedwise.graph import Graph

# edges (u, v, P_uv); U_1 = 0.8, U_3 = 0.5, every other U = 1
EDGES = [(0, 1, 0.5), (0, 2, 0.4), (1, 3, 0.9), (1, 4, 0.2), (1, 5, 0.3), (1, 6, 0.6), (2, 3, 0.1)]
U = {1: 0.8, 3: 0.5}


def graph():
    u, v, p = zip(*EDGES)
    return Graph.from_edges(np.array(u), np.array(v), np.array(p), weights="given")


def u_array(g):
    out = np.ones(g.n)
    for node, val in U.items():
        out[g.index_of([node])[0]] = val
    return out


def beta(g, scores, a, b):
    e = [i for i in range(g.out_indptr[a], g.out_indptr[a + 1]) if g.out_indices[i] == b]
    return scores[e[0]]


def test_hetero_inf_by_hand_and_capacity():
    g = graph()
    u = u_array(g)
    # node 1: P*U over out-neighbours 3, 4, 5, 6 = 0.45, 0.2, 0.3, 0.6
    expected = {1: 0.6, 2: 1.05, 3: 1.35, 4: 1.55, 10: 1.55}
    for c, val in expected.items():
        inf = hetero_inf(g, capacity=c, willingness=u)
        assert inf[1] == pytest.approx(val, rel=1e-6)
        assert inf[2] == pytest.approx(0.05, rel=1e-6)  # 0.1 * U_3
        assert inf[3] == 0.0  # no out-neighbours
        # node 0: P*U = 0.5*0.8 = 0.4 and 0.4*1 = 0.4
        assert inf[0] == pytest.approx(0.4 if c == 1 else 0.8, rel=1e-6)


def test_hetero_ir_formula_by_hand():
    g = graph()
    u = u_array(g)
    s2 = hetero_ir_scores(g, capacity=2, willingness=u)
    s4 = hetero_ir_scores(g, capacity=4, willingness=u)
    # beta_01 = 0.5 * 0.8 * (1 + 1.05) = 0.82 (c=2); 0.5 * 0.8 * (1 + 1.55) = 1.02 (c=4)
    assert beta(g, s2, 0, 1) == pytest.approx(0.82, rel=1e-6)
    assert beta(g, s4, 0, 1) == pytest.approx(1.02, rel=1e-6)
    # beta_02 = 0.4 * 1 * (1 + 0.05) = 0.42
    assert beta(g, s2, 0, 2) == pytest.approx(0.42, rel=1e-6)
    # beta_13 = 0.9 * 0.5 * (1 + 0) = 0.45 ; beta_16 = 0.6 * 1 * 1 = 0.6
    assert beta(g, s2, 1, 3) == pytest.approx(0.45, rel=1e-6)
    assert beta(g, s2, 1, 6) == pytest.approx(0.6, rel=1e-6)
    # without willingness U = 1: beta_01 = 0.5 * (1 + 0.9 + 0.6) (c=2)
    assert beta(g, hetero_ir_scores(g, 2), 0, 1) == pytest.approx(1.25, rel=1e-6)


def test_hetero_ir_ranking():
    g = graph()
    recs = recommend(g, [1, 0], 3, method="hetero-ir", capacity=2, willingness={1: 0.8, 3: 0.5})
    # AP 1: beta = 0.45 (3), 0.2 (4), 0.3 (5), 0.6 (6) -> 6, 3, 5
    assert recs.lists() == {1: [6, 3, 5], 0: [1, 2]}
    assert recs.rows()[0] == (1, 1, 6, pytest.approx(0.6, rel=1e-6))
    assert recs.inviters == [1, 0]


def test_baseline_rankings():
    g = graph()
    assert recommend(g, [1], 2, method="prob").lists() == {1: [3, 6]}
    # degree of invitees 3, 4, 5, 6 is 0 for all: ties go to the smaller id
    assert recommend(g, [1], 2, method="degree").lists() == {1: [3, 4]}
    assert recommend(g, [0], 2, method="degree").lists() == {0: [1, 2]}
    pr = recommend(g, [0], 1, method="pagerank")
    assert pr.lists() == {0: [1]}  # 1 reaches 4 nodes, 2 only one
