"""Spread of a given seed set estimated from a fresh RR-set collection (SPEC section 2).

References
----------
C. Borgs, M. Brautbar, J. Chayes, B. Lucier. Maximizing social influence in
nearly optimal time. SODA 2014 (sigma(S) = n Pr[S meets a random RR set]).
"""
from __future__ import annotations

import math
import time

from .._budget import OPTIONAL_SECONDS
from .._validation import CONSTRAINTS, default_threads, validated
from ..results import SpreadEstimate
from .rr_sets import _sample


@validated(rr_sets=CONSTRAINTS["simulations"], max_seconds=OPTIONAL_SECONDS)
def rr_spread(graph, dense_seeds, *, model="ic", rr_sets=100_000, seed=0, threads=None, progress=None,
              max_seconds=None):
    """Estimate sigma(S) as n * Lambda_R(S) / |R| on ``rr_sets`` fresh RR sets.

    Parameters
    ----------
    graph : Graph
    dense_seeds : array-like of int
        Seed set S as dense node ids in [0, n).
    model : {"ic", "lt"}, default "ic"
    rr_sets : int, default 100000
        Size theta of the collection.
    seed : int, default 0
        Stream seed of the collection; the estimate does not depend on ``threads``.
        Use a seed other than the one that selected S, or the estimate is biased upwards.
    threads : int, optional
    progress : callable, optional
        Called with the number of RR sets generated after each block.
    max_seconds : float, optional
        Refuse (before sampling) when a timed pilot says the sets would take longer
        or not fit in memory; default ``seedwise._budget.DEFAULT_MAX_SECONDS``.

    Returns
    -------
    SpreadEstimate
        mean = n p with p = Lambda_R(S) / theta, ci95 = n (p +- 1.96 sqrt(p (1 - p) / theta))
        clipped to [0, n] (binomial proportion, normal approximation), method "rr",
        simulations = theta.

    Raises
    ------
    SeedwiseError
        Unknown model, bad counts, seed ids outside [0, n), invalid LT weights, or
        more RR sets than ``max_seconds`` or the memory allow.

    References
    ----------
    .. [1] Borgs, Brautbar, Chayes, Lucier. "Maximizing Social Influence in Nearly
       Optimal Time." SODA 2014.
    """
    from ..diffusion.monte_carlo import check_dense_seeds

    t0 = time.perf_counter()
    theta = rr_sets
    seeds = check_dense_seeds(graph, dense_seeds)
    threads = default_threads(threads)
    _check_sets(graph, theta, model, seed, threads, max_seconds)
    R = _sample(graph, theta, model, seed, 0, threads, progress)
    covered = R.coverage(seeds) if seeds.size else 0
    return rr_interval(covered, theta, graph.n, seconds=time.perf_counter() - t0)


def rr_interval(covered, theta, n, seconds=0.0):
    """The RR estimate of a spread and its 95% interval, from Lambda_R(S) = ``covered``
    of ``theta`` sets on n nodes: n p, n (p +- 1.96 sqrt(p (1 - p) / theta)) clipped
    to [0, n] (binomial proportion, normal approximation)."""
    p = covered / theta
    half = 1.96 * math.sqrt(p * (1.0 - p) / theta)
    ci = (max(0.0, n * (p - half)), min(float(n), n * (p + half)))
    return SpreadEstimate(mean=n * p, ci95=ci, simulations=theta, method="rr", seconds=seconds)


def _check_sets(graph, theta, model, seed, threads, max_seconds):
    """Time a pilot of RR sets on the run's own streams (one thread) and refuse what would not end."""
    from .._budget import check_work, per_item_seconds
    from ..memory import BYTES_PER_ENTRY, BYTES_PER_SET

    sets, entries = [0], [0]

    def run(a, b):
        sets[0] += b - a
        entries[0] += int(_sample(graph, b - a, model, seed, a, 1).offsets[-1])

    each = per_item_seconds(run, theta)
    mean = entries[0] / max(1, sets[0])
    check_work("RR sets", theta, each, BYTES_PER_ENTRY * mean + BYTES_PER_SET, threads=threads,
               max_seconds=max_seconds, flag="--rr-sets")
