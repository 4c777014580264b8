"""OPIM-C and IMM against brute force on tiny graphs (SPEC section 7)."""
import math

import numpy as np
import pytest
from _reference import brute_force_im, exact_spread
from conftest import lt_tiny_graphs, tiny_graphs

from seedwise import SeedwiseError
from seedwise.algorithms.im.imm import imm
from seedwise.algorithms.im.opim_c import opim_c

APPROX = 1 - 1 / math.e
EPS = 0.1


def check_selection(result, graph, k):
    """Any IM result: k distinct known seeds, lower <= estimate <= upper where given."""
    assert len(result.seeds) == k
    assert len(set(result.seeds)) == k
    dense = graph.index_of(result.seeds)
    if result.lower is not None:
        assert result.lower <= result.spread <= result.upper
        assert result.ratio == pytest.approx(result.lower / result.upper)
        # sigma_l bounds the seeds' exact spread from below
        assert result.lower <= exact_spread(graph, dense, result.model) + 1e-9
    return dense


CASES = [(name, g, "ic", k) for name, g in tiny_graphs() for k in (1, 2)] + \
        [(name, g, "lt", k) for name, g in lt_tiny_graphs() for k in (1, 2)]


@pytest.mark.parametrize("algorithm", [opim_c, imm], ids=["opim-c", "imm"])
@pytest.mark.parametrize("name,graph,model,k", CASES, ids=[f"{c[0]}-{c[2]}-k{c[3]}" for c in CASES])
def test_reaches_guarantee_against_brute_force(algorithm, name, graph, model, k):
    res = algorithm(graph, k, model=model, eps=EPS, seed=3, threads=1)
    dense = check_selection(res, graph, k)
    _, opt = brute_force_im(graph, k, model)
    value = exact_spread(graph, dense, model)
    assert value >= (APPROX - EPS) * opt - 1e-9
    if res.upper is not None:
        assert opt <= res.upper + 1e-9  # sigma_u bounds the optimum from above


@pytest.mark.parametrize("name,graph,model,k", CASES, ids=[f"{c[0]}-{c[2]}-k{c[3]}" for c in CASES])
def test_opim_c_certificate_brackets_truth(name, graph, model, k):
    """sigma_l <= sigma(S) and OPT <= sigma_u (holds w.p. 1 - delta; fixed seeds)."""
    for seed in range(3):
        res = opim_c(graph, k, model=model, eps=EPS, seed=seed, threads=1)
        dense = graph.index_of(res.seeds)
        _, opt = brute_force_im(graph, k, model)
        assert res.lower <= exact_spread(graph, dense, model) + 1e-9
        assert opt <= res.upper + 1e-9
        assert res.ratio >= res.target or res.params["rounds"] == res.params["i_max"]


@pytest.mark.parametrize("algorithm", [opim_c, imm], ids=["opim-c", "imm"])
@pytest.mark.parametrize("model", ["ic", "lt"])
def test_same_seed_same_result_across_threads(algorithm, model):
    rng = np.random.default_rng(5)

    from seedwise.graph import Graph

    src = rng.integers(0, 300, size=2000)
    dst = rng.integers(0, 300, size=2000)
    g = Graph.from_edges(src, dst)
    one = algorithm(g, 10, model=model, seed=11, threads=1)
    two = algorithm(g, 10, model=model, seed=11, threads=2)
    assert one.seeds == two.seeds
    assert one.spread == two.spread
    assert one.n_rr_sets == two.n_rr_sets
    assert (one.lower, one.upper) == (two.lower, two.upper)
    other = algorithm(g, 10, model=model, seed=12, threads=1)
    assert other.n_rr_sets != one.n_rr_sets or other.spread != one.spread


@pytest.mark.parametrize("algorithm", [opim_c, imm], ids=["opim-c", "imm"])
@pytest.mark.parametrize("kwargs,match", [
    ({"k": 0}, "k must be an int in \\[1, 4\\]"),
    ({"k": 5}, "k must be an int"),
    ({"k": 2, "eps": 0.0}, "eps"),
    ({"k": 2, "eps": 1.5}, "eps"),
    ({"k": 2, "delta": 2.0}, "delta"),
    ({"k": 2, "model": "sir"}, "model must be one of"),
])
def test_bad_arguments(algorithm, kwargs, match):
    from _reference import diamond_graph

    with pytest.raises(SeedwiseError, match=match):
        algorithm(diamond_graph(), **kwargs)


def test_lt_rejects_invalid_weights():
    from _reference import star_graph

    from seedwise.graph import Graph

    g = Graph.from_edges([0, 1], [2, 2], weights="uniform:0.9")
    with pytest.raises(SeedwiseError, match="LT needs in-weights"):
        opim_c(g, 1, model="lt")
    opim_c(star_graph(), 1, model="lt")  # star: one in-edge per leaf, valid
