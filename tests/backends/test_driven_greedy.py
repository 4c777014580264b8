"""The greedy algorithms written on a collection's ``gains()`` / ``cover(v)`` (the path
Ray takes) pick exactly what the fused kernels pick on the same sets, without Ray."""
import numpy as np
import pytest

import seedwise
from seedwise.algorithms.cim import build_query
from seedwise.algorithms.cim.rr_opim import rr_greedy
from seedwise.backends import make_backend
from seedwise.selection import prefix_coverage, select


class Remote:
    """A local collection that hides its sets, as a Ray collection does."""

    def __init__(self, collection):
        self.inner = collection

    def local_sets(self):
        return None

    def __len__(self):
        return len(self.inner)

    def gains(self):
        return self.inner.gains()

    def cover(self, v, gain):
        return self.inner.cover(v, gain)

    def coverage(self, dense_seeds):
        return self.inner.coverage(dense_seeds)


@pytest.fixture(scope="module")
def graph():
    return seedwise.load_dataset("cim-physic")


@pytest.mark.parametrize("restrict", [False, True])
def test_driven_max_coverage_equals_kernel(graph, restrict):
    coll = make_backend("local", graph, "ic", threads=1).collection(11)
    coll.grow(300)
    allowed = None
    if restrict:
        allowed = np.zeros(graph.n, dtype=bool)
        allowed[::3] = True
    for k in (1, 5, 40):
        want, got = select(coll, k, allowed), select(Remote(coll), k, allowed)
        np.testing.assert_array_equal(got.seeds, want.seeds)
        np.testing.assert_array_equal(got.gains, want.gains)
        assert (got.coverage, got.upper) == (want.coverage, want.upper)


@pytest.mark.parametrize("strength", [0.0, 16.0])
@pytest.mark.parametrize("tightened", [False, True])
@pytest.mark.parametrize("sets", [20, 400])
def test_driven_rr_greedy_equals_kernel(graph, tightened, sets, strength):
    q = build_query(graph, [232, 74, 195, 121, 149, 9, 23])
    cap = np.array([2, 1, 3, 2, 2, 1, 4], dtype=np.int64)
    coll = make_backend("local", graph, "ic", threads=1, blocked=q.blocked).collection(5)
    coll.grow(sets)
    want = rr_greedy(coll, q, cap, tightened, strength)
    got = rr_greedy(Remote(coll), q, cap, tightened, strength)
    for a, b in zip(got[:3], want[:3]):
        np.testing.assert_array_equal(a, b)
    assert [int(x) for x in got[3:]] == [int(x) for x in want[3:]]


def test_driven_curve_equals_kernel(graph):
    """The spread curve's per-prefix bounds and prefix coverages on the driven path."""
    coll = make_backend("local", graph, "ic", threads=1).collection(3)
    coll.grow(500)
    want, got = select(coll, 8, curve=True), select(Remote(coll), 8, curve=True)
    np.testing.assert_array_equal(got.seeds, want.seeds)
    np.testing.assert_array_equal(got.uppers, want.uppers)
    np.testing.assert_array_equal(prefix_coverage(Remote(coll), got.seeds), prefix_coverage(coll, want.seeds))
