"""CELF: lazy-forward greedy on Monte-Carlo spread estimates (small graphs only).

References
----------
J. Leskovec, A. Krause, C. Guestrin, C. Faloutsos, J. VanBriesen, N. Glance.
Cost-effective outbreak detection in networks. KDD 2007 (lazy forward, CELF).
D. Kempe, J. Kleinberg, E. Tardos. Maximizing the spread of influence through a
social network. KDD 2003 (greedy with MC estimates).
"""
from __future__ import annotations

import time

import numpy as np

from ..._parallel import map_blocks, split_range
from ..._timer import Timer
from ..._validation import SeedwiseError, default_threads, validated
from ...diffusion import _kernels
from ...diffusion.monte_carlo import BLOCK, _simulate, lt_intervals, simulator
from ...results import SelectionResult
from ...selection.curve import gains_curve
from ...selection.lazy import lazy_forward

#: Re-evaluations per selected seed assumed by the cost estimate (CELF on
#: NetHEPT under WC, k = 50: about 14 per round).
LAZY_FACTOR = 20
#: Nodes sampled to time the first round, and runs per timing batch.
_TIMING_NODES = 64
_TIMING_RUNS = 32
#: Largest (runs x nodes) table of reached nodes kept for incremental gains;
#: above it every gain is a full simulation of S + v (same result, slower).
COVER_BYTES = 1 << 29


@validated
def celf(graph, k, *, model="ic", simulations=10_000, seed=0, threads=None, max_seconds=3600,
         progress=None):
    """Select k seeds by greedy hill climbing with lazy (CELF) evaluation of MC spread.

    Every evaluation of sigma(S) uses the same ``seed``, i.e. the same
    ``simulations`` live-edge graphs (common random numbers). The estimate is
    then the average reach over a fixed sample of graphs, a monotone submodular
    function, so marginal gains are comparable, lazy evaluation loses nothing,
    and the result is deterministic. Gains are compared as integer sums of
    active counts; ties go to the smaller dense id.

    Before selecting, the running time is estimated from timed batches (random
    nodes for the first round, the k highest-degree nodes for later ones) and
    the call refuses graphs on which it would exceed ``max_seconds``.

    Parameters
    ----------
    graph : Graph
    k : int
        Number of seeds, 1 <= k <= n.
    model : {"ic", "lt"}, default "ic"
    simulations : int, default 10000
        Monte-Carlo runs per evaluation of sigma.
    seed : int, default 0
        Stream seed shared by all evaluations; the result does not depend on ``threads``.
    threads : int, optional
    max_seconds : float, default 3600
        Refuse to run when the estimated time is larger.
    progress : callable, optional
        Called with the number of simulations run; if it has an ``announce(text,
        total)`` method (:class:`seedwise._progress.Progress`), that is called
        first with the time estimate and the expected number of simulations.

    Returns
    -------
    SelectionResult
        algorithm "celf", seeds (original ids, selection order), spread = MC
        estimate of sigma(S) on the shared runs; lower, upper, ratio None;
        times {"estimate", "selection", "total"}; params with simulations, seed,
        threads, evaluations (number of sigma evaluations) and estimated_seconds.

    Raises
    ------
    SeedwiseError
        Bad arguments, invalid LT weights, or an estimated time above
        ``max_seconds`` (the message gives the estimate and what to use instead).

    Notes
    -----
    On the sampled live-edge graphs the greedy value is at least (1 - 1/e) of
    the best k-set's; with respect to the true sigma this holds up to the MC
    error. Cost: n + (a few per round) evaluations of r simulations each; a
    gain is a search from v that stops where S already reaches (a runs x n
    table of reached nodes, kept while it fits COVER_BYTES). The time estimate
    is rough (within a few times on NetHEPT) and meant to refuse hopeless runs.

    References
    ----------
    .. [1] Leskovec, Krause, Guestrin, Faloutsos, VanBriesen, Glance.
       "Cost-effective Outbreak Detection in Networks." KDD 2007.
    .. [2] Kempe, Kleinberg, Tardos. "Maximizing the Spread of Influence through
       a Social Network." KDD 2003.

    Examples
    --------
    >>> from seedwise.graph import Graph
    >>> g = Graph.from_edges([0, 0, 0, 1, 4], [1, 2, 3, 4, 5], weights="uniform:0.5")
    >>> celf(g, 1, simulations=2000).seeds
    [0]
    """
    timer = Timer()
    threads = default_threads(threads)

    with timer("estimate"):
        incremental = simulations * graph.n <= COVER_BYTES
        expected = estimate_seconds(graph, k, model, simulations, seed, threads, incremental)
    if expected > max_seconds:
        raise SeedwiseError(
            f"celf would take about {_duration(expected)} on this graph (n={graph.n:,}, m={graph.m:,}, "
            f"k={k}, {simulations:,} simulations; max_seconds={max_seconds:g}); use algorithm opim-c, "
            f"or fewer simulations"
        )
    announce = getattr(progress, "announce", None)
    if announce is not None:  # say what to expect before the long part starts
        announce(f"celf: about {_duration(expected)} expected (n={graph.n:,}, k={k}, {simulations:,} simulations "
                 f"per estimate; max_seconds={max_seconds:g})",
                 total=simulations * (graph.n + k * LAZY_FACTOR))

    with timer("selection"):
        if incremental:
            chosen, gains, evaluations = _lazy_greedy_incremental(graph, k, model, simulations, seed, threads,
                                                                  progress)
        else:
            chosen, gains, evaluations = _lazy_greedy(graph, k, model, simulations, seed, threads, progress)
    times = timer.done()
    labels = graph.label(chosen)
    return SelectionResult(
        algorithm="celf", model=model, k=k, seeds=labels, spread=sum(gains) / simulations,
        curve=gains_curve(labels, np.asarray(gains, dtype=np.float64) / simulations),
        times=times,
        params={"simulations": simulations, "seed": seed, "threads": threads, "max_seconds": max_seconds,
                "evaluations": evaluations, "estimated_seconds": expected},
    )


def _lazy_greedy(graph, k, model, simulations, seed, threads, progress):
    """CELF with every sigma(S + v) simulated in full. Returns (dense seeds, summed counts, evaluations)."""

    def total(nodes):
        counts = _simulate(graph, np.asarray(nodes, dtype=np.int32), model, simulations, seed, threads)
        if progress is not None:
            progress(simulations)
        return int(counts.sum(dtype=np.int64))

    # heap of (-gain, node, size of S when the gain was computed)
    heap = [(-total([v]), v, 0) for v in range(graph.n)]
    return _select(heap, k, lambda chosen, value, v: total(chosen + [v]) - value, lambda v: None)


def _lazy_greedy_incremental(graph, k, model, simulations, seed, threads, progress):
    """CELF on a (runs x n) table of reached nodes: the gain of v is a search from v
    that stops at nodes S reaches already, so later rounds cost only the new reach."""
    if model == "ic":
        low = high = graph.out_prob  # IC reads only high: the edge's probability
    else:
        low, high = lt_intervals(graph)
    args = (graph.out_indptr, graph.out_indices, low, high, model == "lt")
    covered = np.zeros((simulations, graph.n), dtype=np.bool_)
    seed = np.uint64(seed)
    block = max(64, min(BLOCK, -(-simulations // threads)))
    ranges = split_range(0, simulations, block)

    def gains(candidates):
        def run(a, b):
            return _kernels.reach_gains(*args, covered[a:b], candidates, seed, a, b)

        out = np.sum(map_blocks(run, ranges, threads), axis=0)
        if progress is not None:
            progress(simulations * len(candidates))
        return out

    def commit(v):
        def run(a, b):
            return _kernels.reach_commit(*args, covered[a:b], v, seed, a, b)

        map_blocks(run, ranges, threads)

    first = gains(np.arange(graph.n, dtype=np.int32))
    heap = [(-int(g), v, 0) for v, g in enumerate(first)]
    return _select(heap, k, lambda chosen, value, v: int(gains(np.array([v], np.int32))[0]), commit)


def _select(heap, k, gain_of, commit):
    """:func:`~seedwise.selection.lazy.lazy_forward` over nodes: (chosen, their marginal gains,
    evaluations); ``gain_of(chosen, value, v)``, ``commit(v)`` after each pick."""
    chosen, gains, value = [], [], [0]

    def take(v, gain):
        chosen.append(v)
        gains.append(gain)
        value[0] += gain
        commit(v)

    evaluations = lazy_forward(heap, k, lambda v: gain_of(chosen, value[0], v), take)
    return chosen, gains, evaluations


def estimate_seconds(graph, k, model, simulations, seed, threads, incremental=True):
    """Rough running time of :func:`celf`: n first-round evaluations timed on random
    nodes, plus k * LAZY_FACTOR later ones timed on the highest-degree nodes
    (alone when gains are incremental, as the set of k otherwise)."""
    kernel, args = simulator(graph, model)
    seed = np.uint64(seed)
    kernel(*args, np.zeros(1, np.int32), seed, 0, 1)  # compile or load outside the timing
    rng = np.random.default_rng(int(seed) % (1 << 32))
    sample = rng.choice(graph.n, size=min(graph.n, _TIMING_NODES), replace=False)
    top = np.argsort(-graph.out_degree, kind="stable")[:k].astype(np.int32)

    def per_run(nodes, runs):
        t = time.perf_counter()
        kernel(*args, nodes, seed, 0, runs)
        return (time.perf_counter() - t) / runs

    # one run each first, so that a hopeless graph is refused without a long timing
    runs = 1
    while True:
        first = np.mean([per_run(np.array([v], np.int32), runs) for v in sample])
        # lazy re-evaluations fall on the best candidates: time the top-degree nodes alone
        # (incremental gains search no further than v's own reach) or the top-k set
        later = (np.mean([per_run(top[i:i + 1], runs) for i in range(min(k, 8))]) if incremental
                 else per_run(top, runs))
        block = max(64, min(BLOCK, -(-simulations // threads)))  # as _simulate cuts the runs
        parallel = min(threads, -(-simulations // block))
        expected = simulations * (graph.n * first + k * LAZY_FACTOR * later) / parallel
        if runs >= min(_TIMING_RUNS, simulations) or expected > 1e4:
            return float(expected)
        runs = min(_TIMING_RUNS, simulations)


def _duration(seconds):
    if seconds >= 3600:
        return f"{seconds / 3600:,.1f} hours"
    if seconds >= 60:
        return f"{seconds / 60:.1f} minutes"
    return f"{seconds:.2g} seconds"
