"""Greedy maximum coverage over a collection of RR sets.

:func:`select` runs on any backend's collection: where the sets are (or can be
brought) in this process (``collection.local_sets()``) the fused lazy-greedy kernel
runs on them; elsewhere (a Ray collection too large for the driver) the same greedy
is driven through the collection's ``gains()`` and ``cover(v)``, with the same picks
and bound.
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
    """The same greedy through ``gains()`` / ``cover(v)`` (one round trip per pick), with
    the kernel's lazy heap on this side: a step costs O(k log n) here, not O(n)."""
    gain = collection.gains()
    n = gain.shape[0]
    allowed = np.ones(n, dtype=np.bool_) if allowed is None else np.asarray(allowed, dtype=np.bool_)
    heap, size = _kernels.gain_heap(gain, allowed, k)
    top = np.empty(max(k, 1), dtype=np.int64)
    chosen = np.zeros(n, dtype=np.bool_)
    seeds, gains = [], []
    coverage = 0
    upper = 2 * len(collection) + 1
    uppers = np.full(k if curve else 0, upper, dtype=np.int64)
    for step in range(k + 1):
        found, total, size = _kernels.pop_top(heap, size, gain, k, top)
        upper = min(upper, coverage + int(total))
        if curve:
            _kernels.lower_curve(uppers, coverage, top, found, gain)
        if step == k:
            break
        if found == 0:  # every remaining node has zero gain: the smallest allowed ids
            rest = np.flatnonzero(allowed & ~chosen)[:k - len(seeds)].tolist()
            seeds += rest
            gains += [0] * len(rest)
            break
        v = int(_kernels.key_node(top[0]))
        size = _kernels.push_back(heap, size, top, found)
        new = collection.cover(v, gain)
        seeds.append(v)
        gains.append(new)
        chosen[v] = True
        coverage += new
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
