"""CELF: lazy forward greedy selection, the one loop behind every greedy on a spread oracle.

References
----------
J. Leskovec, A. Krause, C. Guestrin, C. Faloutsos, J. VanBriesen, N. Glance.
Cost-effective outbreak detection in networks. KDD 2007 (lazy forward evaluation).
"""
from __future__ import annotations

import heapq


def lazy_forward(heap, k, gain_of, take, feasible=None):
    """Pick up to ``k`` items of largest marginal gain, re-evaluating gains lazily.

    ``heap`` holds entries (-gain, key, picks when the gain was computed); ties go to
    the smaller key. A gain computed since the last pick is exact and, by
    submodularity, at least every stale gain below it, so the top of the heap is
    taken when it is fresh and re-evaluated otherwise.

    Parameters
    ----------
    heap : list of (-gain, key, int)
        The first gains (computed for the empty set: stamp 0). Heapified here.
    k : int
        Picks at most.
    gain_of : callable key -> gain
        The marginal gain of ``key`` for the current picks.
    take : callable (key, gain) -> None
        Called for each pick, in order.
    feasible : callable key -> bool, optional
        Entries that can no longer be taken are dropped when they reach the top.

    Returns
    -------
    int
        Gain evaluations made (the first ones included).
    """
    heapq.heapify(heap)
    evaluations = len(heap)
    picks = 0
    while heap and picks < k:
        neg_gain, key, at = heapq.heappop(heap)
        if feasible is not None and not feasible(key):
            continue
        if at == picks:
            take(key, -neg_gain)
            picks += 1
            continue
        heapq.heappush(heap, (-gain_of(key), key, picks))
        evaluations += 1
    return evaluations
