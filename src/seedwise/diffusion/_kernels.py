"""numba kernels for forward Monte-Carlo simulation of IC and LT.

Arrays: out_indptr int64 (n+1,), out_indices int32 (m,), out_prob float32 (m,),
lt_low / lt_high float64 (m,) (LT interval of each out-edge), seeds int32 (s,).
Run r draws only from ``stream(seed, r)``, and draw number ``i + 1`` of that
stream belongs to edge i (IC) or node i (LT), whatever order the BFS visits
them in. A run is therefore a fixed live-edge graph: the same run gives the
same graph for every seed set (common random numbers), so the sample mean of a
fixed ``seed`` is itself a monotone submodular function of the seed set.
"""
import numpy as np

from .._numba import kernel
from .._random import GOLDEN, stream, to_unit


@kernel
def _draw(base, i):
    """Draw number i of the stream that starts at ``base`` (SplitMix64 is random access)."""
    return to_unit(base + np.uint64(i) * GOLDEN)


@kernel
def simulate_ic(out_indptr, out_indices, out_prob, seeds, seed, start, stop):
    """Active counts of IC runs start..stop-1 from ``seeds`` (forward BFS).

    Edge j = (u, v) is live in run r when draw j + 1 of stream(seed, r) is below
    out_prob[j]; the coin is only looked at when u is active and v is not.

    Returns counts int32 (stop-start,).
    """
    return _simulate(out_indptr, out_indices, out_prob, out_prob, False, seeds, seed, start, stop)


@kernel
def simulate_lt(out_indptr, out_indices, lt_low, lt_high, seeds, seed, start, stop):
    """Active counts of LT runs start..stop-1 from ``seeds`` (forward BFS).

    LT is simulated through its live-edge form (Kempe et al. 2003, Claim 2.6):
    node v keeps in-edge j exactly when x_v, draw v + 1 of stream(seed, r), lies
    in [lt_low[j], lt_high[j]), the slice of [0, 1) that edge owns (the slices of
    v's in-edges are laid end to end in in-CSR order, as the RR sampler does); v
    becomes active when the tail of its kept edge is. This has the final-state
    distribution of uniform thresholds and weights summed over active
    in-neighbours.

    Returns counts int32 (stop-start,).
    """
    return _simulate(out_indptr, out_indices, lt_low, lt_high, True, seeds, seed, start, stop)


@kernel
def _simulate(out_indptr, out_indices, low, high, lt, seeds, seed, start, stop):
    """Active counts of runs start..stop-1 from ``seeds``: one :func:`_reach` per seed
    on a run's live edges. Returns counts int32 (stop-start,)."""
    n = out_indptr.shape[0] - 1
    counts = np.empty(stop - start, dtype=np.int32)
    active = np.zeros(n, dtype=np.bool_)
    queue = np.empty(n, dtype=np.int32)
    for r in range(stop - start):
        base = stream(seed, start + r)
        tail = 0
        for s in seeds:
            tail = _reach(out_indptr, out_indices, low, high, lt, active, s, base, queue, tail)
        counts[r] = tail
        for i in range(tail):
            active[queue[i]] = False
    return counts


@kernel
def lt_in_intervals(in_indptr, in_prob):
    """[low, high) of each in-edge: v's in-edge weights laid end to end from 0.

    Summed sequentially in float64, as the LT RR sampler does. Returns low, high
    float64 (m,) in in-CSR order.
    """
    m = in_prob.shape[0]
    low = np.empty(m, dtype=np.float64)
    high = np.empty(m, dtype=np.float64)
    n = in_indptr.shape[0] - 1
    for v in range(n):
        acc = 0.0
        for j in range(in_indptr[v], in_indptr[v + 1]):
            low[j] = acc
            acc += in_prob[j]
            high[j] = acc
    return low, high


# ---------------------------------------------------------------- live-edge BFS
# simulate_*, reach_gains and reach_commit walk the same live-edge graph of a run:
# IC: edge j is live when draw j + 1 is below high[j] = its probability (low unused);
# LT: edge j = (u, v) is live when draw v + 1 lies in [low[j], high[j]), the
# intervals above. So CELF's gains sum exactly to the simulated counts.
# covered is bool (stop-start, n): row r marks the nodes run start + r already
# reaches from the chosen seeds. Each block of runs owns its rows.


@kernel
def _reach(out_indptr, out_indices, low, high, lt, row, v, base, queue, tail):
    """Mark in ``row`` the nodes reachable from v over live edges that are not marked
    yet, appending them to queue[tail:]; returns the new tail. Marked nodes are not
    expanded: whatever they reach is marked already."""
    if row[v]:
        return tail
    row[v] = True
    queue[tail] = v
    head = tail
    tail += 1
    while head < tail:
        u = queue[head]
        head += 1
        for j in range(out_indptr[u], out_indptr[u + 1]):
            w = out_indices[j]
            if row[w]:
                continue
            if lt:
                x = _draw(base, w + 1)
                live = low[j] <= x and x < high[j]
            else:
                live = _draw(base, j + 1) < high[j]
            if live:
                row[w] = True
                queue[tail] = w
                tail += 1
    return tail


@kernel
def reach_gains(out_indptr, out_indices, low, high, lt, covered, candidates, seed, start, stop):
    """Summed over runs start..stop-1, the new nodes each candidate would reach.

    Returns int64 (len(candidates),); ``covered`` is left unchanged.
    """
    n = out_indptr.shape[0] - 1
    gains = np.zeros(candidates.shape[0], dtype=np.int64)
    queue = np.empty(n, dtype=np.int32)
    for r in range(stop - start):
        base = stream(seed, start + r)
        row = covered[r]
        for c in range(candidates.shape[0]):
            tail = _reach(out_indptr, out_indices, low, high, lt, row, candidates[c], base, queue, 0)
            gains[c] += tail
            for i in range(tail):
                row[queue[i]] = False
    return gains


@kernel
def reach_commit(out_indptr, out_indices, low, high, lt, covered, v, seed, start, stop):
    """Add v to the seed set: mark what it newly reaches; returns the summed gain (int64)."""
    n = out_indptr.shape[0] - 1
    queue = np.empty(n, dtype=np.int32)
    total = 0
    for r in range(stop - start):
        base = stream(seed, start + r)
        total += _reach(out_indptr, out_indices, low, high, lt, covered[r], v, base, queue, 0)
    return total
