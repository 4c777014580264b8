"""Greedy maximum coverage over a collection of RR sets."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _kernels


@dataclass(frozen=True)
class Coverage:
    """Greedy result on one RR collection.

    seeds : int32 dense ids in selection order; gains : marginal coverages;
    coverage : Lambda_R(S); upper : upper bound on the optimal coverage in R.
    """

    seeds: np.ndarray
    gains: np.ndarray
    coverage: int
    upper: int


def max_coverage(rr, k, allowed=None):
    """Lazy greedy maximum coverage of ``k`` nodes on the RR sets ``rr``.

    Parameters
    ----------
    rr : RRSets
    k : int
    allowed : bool ndarray (n,), optional
        Only these nodes may be picked (default all).

    Returns
    -------
    Coverage
        With the greedy seeds, their coverage and OPIM-C's upper bound on the
        optimal coverage (min over greedy steps of Lambda(S_i) plus the k largest
        marginal coverages).
    """
    if allowed is None:
        allowed = np.ones(rr.n, dtype=np.bool_)
    idx_indptr, idx_sets = rr.node_index
    seeds, gains, coverage, upper = _kernels.greedy_max_coverage(
        rr.offsets, rr.nodes, idx_indptr, idx_sets, allowed, int(k))
    return Coverage(seeds, gains, int(coverage), int(upper))
