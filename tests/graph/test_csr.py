"""The CSR helpers against their plain definitions."""
import numpy as np
import pytest

from seedwise.graph.csr import ranges, row_sums


@pytest.mark.parametrize("n", [1, 2, 7, 60])
def test_row_sums_is_the_sum_of_each_row(n):
    rng = np.random.default_rng(n)
    for _ in range(50):
        deg = rng.integers(0, 4, size=n)
        deg[rng.random(n) < 0.4] = 0  # empty rows first, inside and last
        indptr = np.concatenate([[0], np.cumsum(deg)]).astype(np.int64)
        values = rng.random(indptr[-1]).astype(np.float32)
        want = [float(np.sum(values[indptr[i]:indptr[i + 1]], dtype=np.float64)) for i in range(n)]
        got = row_sums(indptr, values)
        assert got.dtype == np.float64 and np.allclose(got, want, rtol=1e-15, atol=0)


def test_ranges_concatenates_aranges():
    assert ranges([5, 0, 9], [2, 0, 3]).tolist() == [5, 6, 9, 10, 11]
    assert ranges([], []).tolist() == []
