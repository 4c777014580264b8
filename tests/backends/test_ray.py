"""The Ray backend gives the single-process answer, whatever the number of workers."""
import sys

import numpy as np
import pytest

import seedwise
from seedwise._validation import SeedwiseError
from seedwise.algorithms.im.imm import imm
from seedwise.algorithms.im.opim_c import opim_c
from seedwise.backends import make_backend
from seedwise.graph import Graph
from seedwise.sampling import sample_rr_sets
from seedwise.selection import max_coverage, select

pytestmark = pytest.mark.ray


@pytest.fixture(params=["pulled", "on-workers"])
def where(request, monkeypatch):
    """Greedy on the driver's copy of the sets (they fit its memory share) or driven on
    the workers, one round trip per pick (driver_memory 0): both give the local answer."""
    import seedwise.backends.ray as ray_backend

    monkeypatch.setattr(ray_backend, "DRIVER_MEMORY", "25%" if request.param == "pulled" else 0)
    return request.param


def random_graph(n=200, m=1200, seed=1, weights="wc"):
    rng = np.random.default_rng(seed)
    return Graph.from_edges(rng.integers(0, n, m), rng.integers(0, n, m), weights=weights)


GRAPHS = {
    "random-wc": lambda: random_graph(),
    "random-uniform": lambda: random_graph(seed=2, weights="uniform:0.1"),
    "cim-physic": lambda: seedwise.load_dataset("cim-physic"),
    # per-edge probabilities: the workers need in_prob
    "random-given": lambda: Graph.from_edges(*np.random.default_rng(5).integers(0, 200, (2, 1200)),
                                             values=np.random.default_rng(6).uniform(0, 0.4, 1200),
                                             weights="given"),
}

CASES = [("random-wc", "ic", 5), ("random-wc", "lt", 5), ("random-uniform", "ic", 8), ("random-given", "ic", 6),
         ("cim-physic", "ic", 10), ("cim-physic", "lt", 3)]
# one case runs everywhere; the whole matrix (about a minute of Ray round trips) runs with --runslow / on CI
MATRIX = [pytest.param(*case, workers, marks=() if (case, workers) == (CASES[4], 2) else pytest.mark.slow)
          for case in CASES for workers in (1, 2)]


@pytest.mark.parametrize("name, model, k, workers", MATRIX)
def test_opim_c_same_as_local(ray_cluster, where, name, model, k, workers):
    g = GRAPHS[name]()
    local = opim_c(g, k, model=model, seed=11)
    dist = opim_c(g, k, model=model, seed=11, backend="ray", num_workers=workers)
    assert dist.seeds == local.seeds
    assert dist.lower == local.lower and dist.upper == local.upper and dist.ratio == local.ratio
    assert dist.spread == local.spread
    assert dist.n_rr_sets == local.n_rr_sets
    for key in ("rounds", "edges_examined", "rr_entries"):
        assert dist.params[key] == local.params[key], key
    assert dist.params["num_workers"] == workers


@pytest.mark.slow
def test_imm_same_as_local(ray_cluster):
    g = random_graph(seed=4)
    local = imm(g, 4, seed=2)
    dist = imm(g, 4, seed=2, backend="ray", num_workers=2)
    assert (dist.seeds, dist.spread, dist.n_rr_sets) == (local.seeds, local.spread, local.n_rr_sets)


@pytest.mark.parametrize("restrict", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_distributed_greedy_equals_kernel(ray_cluster, where, restrict):
    """Gains, ties, coverage and the upper bound match the lazy-heap kernel exactly,
    on a collection grown in uneven steps across 2 workers (3 sets per worker slice)."""
    g = random_graph(n=60, m=150, seed=9, weights="uniform:0.3")
    allowed = None
    if restrict:
        allowed = np.zeros(g.n, dtype=bool)
        allowed[::3] = True
    with make_backend("ray", g, "ic", num_workers=2) as backend:
        coll = backend.collection(77)
        for step in (7, 1, 30, 200):
            coll.grow(step)
            if where == "pulled":  # pulled a slice at a time, in index order: the local sets
                rr = sample_rr_sets(g, len(coll), seed=77)
                np.testing.assert_array_equal(coll.local_sets().offsets, rr.offsets)
                np.testing.assert_array_equal(coll.local_sets().nodes, rr.nodes)
        rr = sample_rr_sets(g, len(coll), seed=77)
        assert coll.total == rr.total
        for k in (1, 4, 25, 60):
            want = max_coverage(rr, k, allowed)
            got = select(coll, k, allowed)
            np.testing.assert_array_equal(got.seeds, want.seeds)
            np.testing.assert_array_equal(got.gains, want.gains)
            assert (got.coverage, got.upper) == (want.coverage, want.upper)
            assert coll.coverage(want.seeds) == rr.coverage(want.seeds)
            assert (coll.local_sets() is not None) == (where == "pulled")


def test_bad_backend_name():
    with pytest.raises(SeedwiseError, match="backend must be one of local, ray"):
        opim_c(random_graph(), 3, backend="spark")


def test_clear_error_without_ray(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # makes "import ray" fail
    with pytest.raises(SeedwiseError, match=r"pip install 'seedwise\[ray\]'"):
        opim_c(random_graph(), 3, backend="ray")


SLOW = pytest.mark.slow


@pytest.mark.parametrize("algorithm, workers", [("rr-opim+eb", 2), pytest.param("rr-opim+eb", 1, marks=SLOW),
                                               ("rr-opim+", 2), pytest.param("rr-opim+", 1, marks=SLOW),
                                               pytest.param("rr-opim", 2, marks=SLOW)])
def test_rr_opim_plus_same_as_local(ray_cluster, where, algorithm, workers):
    from seedwise.algorithms.cim import cim

    g = seedwise.load_dataset("cim-physic")
    aps = list(np.random.default_rng(0).choice(np.asarray(g.ids), 12, replace=False))
    local = cim(g, aps, 3, algorithm=algorithm, seed=5)
    dist = cim(g, aps, 3, algorithm=algorithm, seed=5, backend="ray", num_workers=workers)
    assert dist.assignments == local.assignments and dist.gains == local.gains
    assert (dist.lower, dist.upper, dist.ratio, dist.spread) == (local.lower, local.upper, local.ratio, local.spread)
    assert dist.n_rr_sets == local.n_rr_sets and dist.zero_gain_picks == local.zero_gain_picks
    assert dist.params["num_workers"] == workers


def test_cim_ray_refuses_other_algorithms(ray_cluster):
    from seedwise.algorithms.cim import cim

    g = seedwise.load_dataset("cim-physic")
    with pytest.raises(SeedwiseError, match="local backend only"):
        cim(g, [232, 74], 2, algorithm="local-degree", backend="ray")
