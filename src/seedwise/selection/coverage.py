"""Greedy maximum coverage over a collection of RR sets.

:func:`select` runs on any backend's collection: where the sets are in this process
(``collection.local_sets()``) the fused lazy-greedy kernel runs on them; elsewhere
(Ray) the same greedy is driven through the collection's ``gains()`` and
``cover(v)``, with the same picks and bound.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _kernels


@dataclass(frozen=True)
class Coverage:
    """Greedy result on one RR collection.

    seeds : int32 dense ids in selection order; gains : marginal coverages;
    coverage : Lambda_R(S); upper : upper bound on the optimal coverage in R;
    uppers : with ``curve``, the same bound for every prefix size 1..k (else None).
    """

    seeds: np.ndarray
    gains: np.ndarray
    coverage: int
    upper: int
    uppers: np.ndarray | None = None


def max_coverage(rr, k, allowed=None, curve=False):
    """Lazy greedy maximum coverage of ``k`` nodes on the RR sets ``rr``.

    Parameters
    ----------
    rr : RRSets
    k : int
    allowed : bool ndarray (n,), optional
        Only these nodes may be picked (default all).
    curve : bool, default False
        Also bound the optimal coverage of every prefix size (``uppers``).

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
    seeds, gains, coverage, upper, uppers = _kernels.greedy_max_coverage(
        rr.offsets, rr.nodes, idx_indptr, idx_sets, allowed, int(k), bool(curve))
    return Coverage(seeds, gains, int(coverage), int(upper), uppers if curve else None)


def select(collection, k, allowed=None, curve=False):
    """Greedy maximum coverage of ``k`` nodes on a backend collection (local or not).

    Parameters
    ----------
    collection : LocalCollection or RayCollection
    k : int
    allowed : bool ndarray (n,), optional
    curve : bool, default False
        Also bound the optimal coverage of every prefix size (``uppers``).

    Returns
    -------
    Coverage
        As :func:`max_coverage`: the largest marginal coverage first, ties to the
        smaller id; ``upper`` = min over steps of Lambda(S_i) + the k largest gains.
    """
    rr = collection.local_sets()
    if rr is not None:
        return max_coverage(rr, k, allowed, curve)
    return _driven_max_coverage(collection, int(k), allowed, curve)


def _driven_max_coverage(collection, k, allowed, curve=False):
    """The greedy through ``gains()`` / ``cover(v)`` (one round trip per pick)."""
    gain = collection.gains()
    n = gain.shape[0]
    avail = np.ones(n, dtype=np.bool_) if allowed is None else np.array(allowed, dtype=np.bool_)
    left = int(avail.sum())
    seeds, gains = [], []
    coverage = 0
    upper = 2 * len(collection) + 1
    uppers = np.full(k if curve else 0, upper, dtype=np.int64)
    for step in range(k + 1):
        found = min(k, left)
        masked = np.where(avail, gain, -1)
        top = np.sort(np.partition(masked, n - found)[n - found:])[::-1] if found else np.zeros(0, np.int64)
        total = int(top.sum())
        upper = min(upper, coverage + total)
        if curve:
            sums = np.full(k, coverage + total, dtype=np.int64)
            sums[:found] = coverage + np.cumsum(top)
            np.minimum(uppers, sums, out=uppers)
        if step == k or found == 0:
            break
        v = int(np.argmax(masked))  # first maximum: ties go to the smaller id
        new = collection.cover(v, gain)
        seeds.append(v)
        gains.append(new)
        coverage += new
        avail[v] = False
        left -= 1
    return Coverage(np.array(seeds, dtype=np.int32), np.array(gains, dtype=np.int64), int(coverage), int(upper),
                    uppers if curve else None)


def prefix_coverage(collection, dense_seeds):
    """int64 (k,): Lambda of every prefix of ``dense_seeds`` on an RRSets or a backend collection.

    Local sets: one pass over them; elsewhere one coverage query per prefix.
    """
    seeds = np.asarray(dense_seeds, dtype=np.int64)
    rr = collection.local_sets() if hasattr(collection, "local_sets") else collection
    if rr is None:
        return np.array([collection.coverage(seeds[:j]) for j in range(1, len(seeds) + 1)], dtype=np.int64)
    rank = np.full(rr.n, len(seeds), dtype=np.int64)
    rank[seeds[::-1]] = np.arange(len(seeds) - 1, -1, -1)  # a repeated id keeps its first position
    return _kernels.prefix_coverage(rr.offsets, rr.nodes, rank, len(seeds))
