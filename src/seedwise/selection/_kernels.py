"""numba kernels for greedy maximum coverage over RR sets.

Arrays: offsets int64 (theta+1,), nodes int32 (total,) hold the RR sets;
idx_indptr int64 (n+1,), idx_sets int32 (total,) is the node -> sets index.
Marginal coverages are kept exact (decremented when a set gets covered), and a
lazy max-heap of int64 keys ``gain << 32 | (MAXID - node)`` finds the largest
(ties go to the smaller node id, so results are deterministic).
"""
import numpy as np

from .._numba import kernel

MAXID = np.int64(0xFFFFFFFF)
SHIFT = np.int64(32)


@kernel
def heap_key(gain, node):
    return (np.int64(gain) << SHIFT) | (MAXID - np.int64(node))


@kernel
def key_node(key):
    return np.int32(MAXID - (key & MAXID))


@kernel
def key_gain(key):
    return key >> SHIFT


@kernel
def heap_push(heap, size, key):
    """Push ``key`` onto the max-heap heap[:size]; returns the new size."""
    i = size
    heap[i] = key
    while i > 0:
        parent = (i - 1) >> 1
        if heap[parent] >= heap[i]:
            break
        heap[parent], heap[i] = heap[i], heap[parent]
        i = parent
    return size + 1


@kernel
def heap_pop(heap, size):
    """Pop the largest key of heap[:size]; returns (key, new size)."""
    top = heap[0]
    size -= 1
    heap[0] = heap[size]
    sift_down(heap, size, 0)
    return top, size


@kernel
def sift_down(heap, size, i):
    """Restore the max-heap property of heap[:size] below position i."""
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        if left + 1 < size and heap[left + 1] > heap[left]:
            child = left + 1
        if heap[i] >= heap[child]:
            break
        heap[i], heap[child] = heap[child], heap[i]
        i = child


@kernel
def cover_node(v, idx_indptr, idx_sets, offsets, nodes, covered, gain):
    """Mark the uncovered sets of v covered and decrement the gains of their nodes.

    Returns the number of newly covered sets.
    """
    new = 0
    for j in range(idx_indptr[v], idx_indptr[v + 1]):
        s = idx_sets[j]
        if covered[s]:
            continue
        covered[s] = True
        new += 1
        for t in range(offsets[s], offsets[s + 1]):
            gain[nodes[t]] -= 1
    return new


@kernel
def gain_heap(gain, allowed, k):
    """The lazy max-heap of the allowed nodes of positive gain, heapified in linear time;
    returns (heap, size), with room for k more keys. Nodes of zero gain stay out: they
    are taken afterwards in id order, the order the heap would give them."""
    n = gain.shape[0]
    heap = np.empty(n + k + 1, dtype=np.int64)
    size = 0
    for v in range(n):
        if allowed[v] and gain[v] > 0:
            heap[size] = heap_key(gain[v], v)
            size += 1
    for i in range(size // 2 - 1, -1, -1):
        sift_down(heap, size, i)
    return heap, size


@kernel
def pop_top(heap, size, gain, k, top):
    """Pop the keys of the k largest exact gains into top (largest first); stale keys are
    pushed again with their current gain on the way. Returns (found, their gain sum, size);
    the caller pushes back top[1:found] (:func:`push_back`) once top[0] is picked."""
    found = 0
    total = 0
    while found < k and size > 0:
        key, size = heap_pop(heap, size)
        v = key_node(key)
        if key_gain(key) != gain[v]:
            if gain[v] > 0:
                size = heap_push(heap, size, heap_key(gain[v], v))
            continue
        top[found] = key
        total += gain[v]
        found += 1
    return found, total, size


@kernel
def push_back(heap, size, top, found):
    """Push top[1:found] (all but the pick) back onto the heap; returns the new size."""
    for i in range(1, found):
        size = heap_push(heap, size, top[i])
    return size


@kernel
def lower_curve(uppers, coverage, top, found, gain):
    """uppers[j] = min(uppers[j], coverage + the j + 1 largest gains (top[:found], largest first))."""
    run = coverage
    for j in range(uppers.shape[0]):
        if j < found:
            run += gain[key_node(top[j])]
        if run < uppers[j]:
            uppers[j] = run


@kernel
def greedy_max_coverage(offsets, nodes, idx_indptr, idx_sets, allowed, k, curve=False):
    """Greedy maximum coverage of k nodes among ``allowed`` (bool (n,)).

    Returns
    -------
    seeds : int32 (k,), in selection order (fewer if fewer nodes are allowed)
    gains : int64 (k,), marginal coverage of each pick
    coverage : int, Lambda(S_k)
    upper : int, min over i = 0..k of Lambda(S_i) + the sum of the k largest
        marginal coverages w.r.t. S_i: an upper bound on the optimal coverage
        (Tang et al. SIGMOD 2018, OPIM-C).
    uppers : int64 (k,) with ``curve`` (else empty): uppers[j] bounds the optimal
        coverage of j + 1 nodes the same way (sum of the j + 1 largest marginal
        coverages), min over every step i = 0..k: for any set S, OPT_j <= Lambda(S)
        + the j largest marginals w.r.t. S, by submodularity.
    """
    n = idx_indptr.shape[0] - 1
    theta = offsets.shape[0] - 1
    gain = np.empty(n, dtype=np.int64)
    for v in range(n):
        gain[v] = idx_indptr[v + 1] - idx_indptr[v]
    heap, size = gain_heap(gain, allowed, k)
    covered = np.zeros(theta, dtype=np.bool_)
    chosen = np.zeros(n, dtype=np.bool_)
    seeds = np.empty(k, dtype=np.int32)
    gains = np.empty(k, dtype=np.int64)
    top = np.empty(k, dtype=np.int64)
    coverage = 0
    upper = np.int64(theta) * 2 + 1
    uppers = np.full(k if curve else 0, upper, dtype=np.int64)
    picked = 0
    for step in range(k + 1):
        # the k largest exact marginal coverages; the first is the greedy pick
        found, total, size = pop_top(heap, size, gain, k, top)
        if coverage + total < upper:
            upper = coverage + total
        if curve:
            lower_curve(uppers, coverage, top, found, gain)
        if step == k:
            break
        if found == 0:
            # every remaining node has zero gain: the smallest allowed ids
            for v in range(n):
                if picked == k:
                    break
                if allowed[v] and not chosen[v]:
                    seeds[picked] = v
                    gains[picked] = 0
                    chosen[v] = True
                    picked += 1
            break
        v = key_node(top[0])
        size = push_back(heap, size, top, found)
        seeds[picked] = v
        gains[picked] = gain[v]
        chosen[v] = True
        coverage += cover_node(v, idx_indptr, idx_sets, offsets, nodes, covered, gain)
        picked += 1
    return seeds[:picked], gains[:picked], coverage, upper, uppers


@kernel
def push_top(buf, size, k, val):
    """Insert ``val`` into buf[:size], kept in decreasing order with at most k entries
    (a value below the k-th largest is dropped); returns the new size."""
    if size < k:
        j = size
        size += 1
    elif val > buf[size - 1]:
        j = size - 1
    else:
        return size
    while j > 0 and buf[j - 1] < val:
        buf[j] = buf[j - 1]
        j -= 1
    buf[j] = val
    return size


@kernel
def top_sum(gain, cand, lo, hi, k, buf):
    """Sum of the k largest gain[cand[lo:hi]] (all of them if there are <= k); buf: int64 (>= k,)."""
    if hi - lo <= k:
        total = 0
        for j in range(lo, hi):
            total += gain[cand[j]]
        return total
    # keep the k largest seen in buf; track the position of their minimum
    for j in range(k):
        buf[j] = gain[cand[lo + j]]
    low = 0
    for j in range(1, k):
        if buf[j] < buf[low]:
            low = j
    for j in range(lo + k, hi):
        g = gain[cand[j]]
        if g > buf[low]:
            buf[low] = g
            low = 0
            for t in range(1, k):
                if buf[t] < buf[low]:
                    low = t
    total = 0
    for j in range(k):
        total += buf[j]
    return total


@kernel
def prefix_coverage(offsets, nodes, rank, k):
    """Lambda(S_1), ..., Lambda(S_k) for the prefixes of a seed sequence, in one pass.

    ``rank[v]`` is v's position in the sequence (k for nodes not in it); a set is
    first covered by the prefix that holds its smallest-ranked node.
    """
    hits = np.zeros(k + 1, dtype=np.int64)
    for s in range(offsets.shape[0] - 1):
        best = k
        for t in range(offsets[s], offsets[s + 1]):
            r = rank[nodes[t]]
            if r < best:
                best = r
        hits[best] += 1
    return np.cumsum(hits[:k])


@kernel
def prior_weight(gain, nodes, prior, strength, population, theta):
    """Per-node weights w of the empirical-Bayes greedy score (strength + gain) * w.

    A node v with prior spread estimate ``prior[j]`` (v = ``nodes[j]``) gets a Gamma
    prior of shape ``strength`` and mean kappa * prior[j] on its spread sigma_v;
    after seeing it in ``gain[v]`` of ``theta`` RR sets (targets drawn among
    ``population`` nodes), the posterior mean of sigma_v is
    population * (strength + gain[v]) * w_v with w_v = 1 / (strength * population /
    (kappa prior[j]) + theta). kappa = (sum of gain over ``nodes``) / (theta * sum of
    prior / population) scales the prior so that its total matches the sample's.
    ``strength = 0`` gives w = 1 (the plain coverage greedy). Other nodes get 0.
    Returns float64 (len(gain),).
    """
    w = np.zeros(gain.shape[0])
    if strength <= 0.0:
        w[:] = 1.0
        return w
    seen = 0.0
    mass = 0.0
    for j in range(nodes.shape[0]):
        seen += gain[nodes[j]]
        mass += prior[j]
    kappa = max(seen, 1.0) * population / (theta * mass)
    for j in range(nodes.shape[0]):
        w[nodes[j]] = 1.0 / (strength * population / (kappa * prior[j]) + theta)
    return w
