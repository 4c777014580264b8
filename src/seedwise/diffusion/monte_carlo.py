"""Monte-Carlo estimation of the spread sigma(S) under IC and LT (SPEC sections 1-2).

References
----------
D. Kempe, J. Kleinberg, E. Tardos. Maximizing the spread of influence through a
social network. KDD 2003 (the IC and LT models, and LT's live-edge form).
"""
from __future__ import annotations

import math
import time
import weakref

import numpy as np

from .._budget import OPTIONAL_SECONDS
from .._parallel import map_blocks, split_range
from .._validation import SeedwiseError, default_threads, validated
from ..results import SpreadEstimate
from . import _kernels

#: Monte-Carlo runs per block handed to one thread; results do not depend on it.
BLOCK = 1024

# LT edge intervals, computed once per graph (Graph compares by identity)
_LT_INTERVALS = weakref.WeakKeyDictionary()


@validated(max_seconds=OPTIONAL_SECONDS)
def monte_carlo_spread(graph, dense_seeds, *, model="ic", simulations=10_000, seed=0, threads=None,
                       progress=None, max_seconds=None):
    """Estimate sigma(S) by forward simulation, with a 95% confidence interval.

    Parameters
    ----------
    graph : Graph
    dense_seeds : array-like of int
        Seed set S as dense node ids in [0, n) (the API maps original ids);
        repeats are ignored.
    model : {"ic", "lt"}, default "ic"
        LT needs in-weights summing to at most 1 per node.
    simulations : int, default 10000
        Number of runs r >= 1.
    seed : int, default 0
        Run i uses the random stream (seed, i) only, so the estimate is the same
        for any ``threads``; equal seeds give common random numbers across seed sets.
    threads : int, optional
        Threads to use (default: all numba threads).
    progress : callable, optional
        Called with the number of runs finished after each block.
    max_seconds : float, optional
        Refuse (before simulating) when a timed pilot says the runs would take
        longer; default ``seedwise._budget.DEFAULT_MAX_SECONDS`` (one hour).

    Returns
    -------
    SpreadEstimate
        mean of the r active counts (seeds included), ci95 = mean +- 1.96 s / sqrt(r)
        with the sample standard deviation s, method "mc".

    Raises
    ------
    SeedwiseError
        Unknown model, bad counts, seed ids outside [0, n), LT weights summing
        to more than 1 at some node, or more runs than ``max_seconds`` or the
        memory allow.

    References
    ----------
    .. [1] Kempe, Kleinberg, Tardos. "Maximizing the Spread of Influence through a
       Social Network." KDD 2003.
    """
    t0 = time.perf_counter()
    check_runs(graph, dense_seeds, model, simulations, seed, threads, max_seconds)
    counts = simulate_counts(graph, dense_seeds, model=model, simulations=simulations, seed=seed,
                             threads=threads, progress=progress)
    return _summary(counts, time.perf_counter() - t0)


def simulate_counts(graph, dense_seeds, *, model="ic", simulations=10_000, seed=0, threads=None,
                    start=0, progress=None):
    """Active counts of runs ``start .. start+simulations-1``: int32 array (simulations,).

    Same parameters as :func:`monte_carlo_spread`; ``start`` selects the stream
    indices so that runs can be added to an earlier batch.
    """
    seeds = check_dense_seeds(graph, dense_seeds)
    return _simulate(graph, seeds, model, int(simulations), seed, default_threads(threads), int(start), progress)


def check_runs(graph, dense_seeds, model, simulations, seed, threads, max_seconds=None):
    """Refuse ``simulations`` runs that a timed pilot says would exceed ``max_seconds`` or the memory
    (arguments already validated)."""
    from .._budget import check_work, per_item_seconds

    seeds = check_dense_seeds(graph, dense_seeds)
    kernel, args = simulator(graph, model)
    each = per_item_seconds(lambda a, b: kernel(*args, seeds, np.uint64(seed), a, b), simulations)
    # int32 count per run, twice while the blocks are concatenated
    check_work("Monte-Carlo runs", simulations, each, 8, threads=default_threads(threads),
               max_seconds=max_seconds, flag="--simulations")


def check_dense_seeds(graph, dense_seeds):
    """Unique dense seed ids as int32, or SeedwiseError."""
    seeds = np.asarray(dense_seeds)
    if seeds.size == 0:
        return np.zeros(0, dtype=np.int32)
    if seeds.dtype.kind not in "iu" or seeds.ndim != 1:
        raise SeedwiseError(f"dense seed ids must be a 1-d array of ints; got {seeds.dtype} of shape {seeds.shape}")
    bad = (seeds < 0) | (seeds >= graph.n)
    if bad.any():
        raise SeedwiseError(f"dense seed ids must be in [0, {graph.n}); got {int(seeds[bad][0])}")
    return np.unique(seeds).astype(np.int32)


def lt_intervals(graph):
    """(low, high) float64 (m,) in out-CSR order: the slice of [0, 1) owned by each edge
    in its head's in-edge choice (LT live-edge form). Cached per graph."""
    cached = _LT_INTERVALS.get(graph)
    if cached is not None:
        return cached
    low_in, high_in = _kernels.lt_in_intervals(graph.in_indptr, graph.in_prob)
    n = np.int64(graph.n)
    u_out = np.repeat(np.arange(graph.n, dtype=np.int64), np.diff(graph.out_indptr))
    key_out = graph.out_indices.astype(np.int64) * n + u_out
    v_in = np.repeat(np.arange(graph.n, dtype=np.int64), np.diff(graph.in_indptr))
    key_in = v_in * n + graph.in_indices.astype(np.int64)
    order = np.argsort(key_in, kind="stable")
    pos = order[np.searchsorted(key_in[order], key_out)]
    out = (low_in[pos], high_in[pos])
    _LT_INTERVALS[graph] = out
    return out


def simulator(graph, model):
    """(kernel, graph arrays) simulating ``model`` on ``graph``; the kernel is called as
    ``kernel(*arrays, seeds, seed, start, stop)``."""
    if model == "ic":
        return _kernels.simulate_ic, (graph.out_indptr, graph.out_indices, graph.out_prob)
    return _kernels.simulate_lt, (graph.out_indptr, graph.out_indices, *lt_intervals(graph))


def _simulate(graph, seeds, model, simulations, seed, threads, start=0, progress=None):
    """Validated core: int32 counts of runs start .. start+simulations-1."""
    if simulations == 0:
        return np.zeros(0, dtype=np.int32)
    kernel, args = simulator(graph, model)
    seed = np.uint64(seed)
    # smaller blocks for small budgets so that every thread gets work
    block = max(64, min(BLOCK, -(-simulations // max(threads, 1))))
    ranges = split_range(start, start + simulations, block)

    def run(a, b):
        return kernel(*args, seeds, seed, a, b)

    return np.concatenate(map_blocks(run, ranges, threads, progress))


def _summary(counts, seconds=0.0):
    r = counts.shape[0]
    x = counts.astype(np.float64)
    mean = float(x.mean())
    sd = float(x.std(ddof=1)) if r > 1 else 0.0
    half = 1.96 * sd / math.sqrt(r)
    return SpreadEstimate(mean=mean, ci95=(mean - half, mean + half), simulations=int(r), method="mc",
                          seconds=seconds)
