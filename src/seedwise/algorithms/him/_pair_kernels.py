"""numba kernels for HeteroIM as a pair problem (SPEC section 5.1).

Arrays: in_indptr int64 (n+1,), in_indices int32 (m,), in_prob float32 (m,),
in_shared_p float32 (n,) are the graph's in-CSR; ``blocked`` bool (n,) marks the
inviters; ``pair_of_in`` int32 (m,) is the pair id of in-edge e = (i -> j) when i is
an inviter and j is not (-1 elsewhere); ``accept`` float64 (n,) is U_j. A pair RR set
is the list of pair ids that cover it; only non-empty sets are stored (``offsets``
int64 (s+1,), ``pairs`` int32), their total number is kept apart. Pair ids are ranks
in a priority order, so the heap's ties go to the higher priority.
"""
import math

import numpy as np

from ..._numba import kernel
from ..._random import below, next_state, stream, to_unit
from ...sampling._kernels import _grow
from ...selection._kernels import cover_node, heap_key, heap_pop, heap_push, key_gain, key_node, sift_down, top_sum


@kernel
def _append(buf, size, x):
    """buf (grown if needed) with x at position ``size``, and size + 1."""
    buf = _grow(buf, size + 1)
    buf[size] = x
    return buf, size + 1


@kernel
def sample_pair_rr(in_indptr, in_indices, in_prob, in_shared_p, blocked, pair_of_in, accept, targets, seed,
                   start, stop):
    """Pair RR sets start..stop-1 (SPEC 5.1), each from its own stream.

    Target t uniform among ``targets`` (the non-inviters); reverse BFS from t over
    live in-edges through non-inviters only. At a visited node j an in-edge from an
    inviter i is live with probability q_ij = P_ij U_j and then covers the set with
    the pair (i, j); the search never enters an inviter (a blocked node, SPEC 5.2).
    Where j's in-edges share one probability p, live edges are found by geometric
    skipping (SUBSIM) and an inviter's edge is then kept with probability U_j
    (thinning: p U_j in all); elsewhere every in-edge gets its own coin.

    Returns sizes int32 (non-empty sets only), pairs int32 (their concatenation),
    empty (number of sets that no pair covers), edges examined.
    """
    n = in_indptr.shape[0] - 1
    n_targets = targets.shape[0]
    sizes = np.empty(stop - start, dtype=np.int32)
    out = np.empty(64, dtype=np.int32)
    queue = np.empty(64, dtype=np.int32)
    visited = np.zeros(n, dtype=np.bool_)
    n_sets = 0
    pos = 0
    examined = 0
    for r in range(stop - start):
        state = next_state(stream(seed, start + r))
        root = targets[below(state, n_targets)]
        first = pos
        queue[0] = root
        visited[root] = True
        tail = 1
        head = 0
        while head < tail:
            v = queue[head]
            head += 1
            a = in_indptr[v]
            b = in_indptr[v + 1]
            p = in_shared_p[v]
            u_v = accept[v]
            j = a
            if p < 0.0:
                j = b  # per-edge coins below
                for e in range(a, b):
                    u = in_indices[e]
                    examined += 1
                    if blocked[u]:
                        state = next_state(state)
                        if to_unit(state) < in_prob[e] * u_v:
                            out, pos = _append(out, pos, pair_of_in[e])
                    elif not visited[u]:
                        state = next_state(state)
                        if to_unit(state) < in_prob[e]:
                            visited[u] = True
                            queue, tail = _append(queue, tail, u)
            elif p == 0.0:
                j = b
            log1mp = math.log(1.0 - p) if 0.0 < p < 1.0 else 0.0
            while j < b:
                if p < 1.0:  # geometric skip to the next live edge
                    state = next_state(state)
                    j += np.int64(math.log(1.0 - to_unit(state)) / log1mp)
                    if j >= b:
                        break
                u = in_indices[j]
                examined += 1
                if blocked[u]:
                    keep = True
                    if u_v < 1.0:
                        state = next_state(state)
                        keep = to_unit(state) < u_v
                    if keep:
                        out, pos = _append(out, pos, pair_of_in[j])
                elif not visited[u]:
                    visited[u] = True
                    queue, tail = _append(queue, tail, u)
                j += 1
        for t in range(tail):
            visited[queue[t]] = False
        if pos > first:
            sizes[n_sets] = pos - first
            n_sets += 1
    return sizes[:n_sets].copy(), out[:pos].copy(), stop - start - n_sets, examined


@kernel
def _upper(coverage, gain, inv_indptr, inv_pairs, hot_end, cap, buf):
    """Lambda(S) + sum over inviters of the cap largest marginal coverages of their pairs.

    ``inv_pairs[inv_indptr[d]:hot_end[d]]`` holds inviter d's pairs of positive gain
    (compacted here as gains reach 0). An upper bound on the optimal coverage: an
    optimal solution has at most cap[d] pairs of inviter d, and each adds at most its
    marginal coverage w.r.t. S.
    """
    bound = coverage
    for d in range(cap.shape[0]):
        lo = inv_indptr[d]
        end = hot_end[d]
        j = lo
        while j < end:
            if gain[inv_pairs[j]] <= 0:
                end -= 1
                inv_pairs[j], inv_pairs[end] = inv_pairs[end], inv_pairs[j]
            else:
                j += 1
        hot_end[d] = end
        if cap[d] > 0 and end > lo:
            bound += top_sum(gain, inv_pairs, lo, end, cap[d], buf)
    return bound


@kernel
def pair_greedy(offsets, pairs, idx_indptr, idx_sets, pair_owner, inv_indptr, inv_pairs, cap, checkpoints):
    """Greedy over pairs under the per-inviter capacities (a partition matroid).

    Repeatedly the pair of largest marginal coverage whose inviter ``pair_owner[p]``
    has room (ties: the smaller pair id, i.e. the higher priority), until every
    inviter is full or no pair is left; once no pair has positive gain the open
    inviters are filled in pair-id order. 1/2-approximate for the coverage
    (Fisher, Nemhauser, Wolsey 1978).

    ``inv_pairs[inv_indptr[d]:inv_indptr[d+1]]`` lists inviter d's pairs (reordered
    in place). The upper bound on the optimal coverage is taken at the start and
    about ``checkpoints`` times along the way, and is
    min(2 Lambda(S), min over those states of :func:`_upper`).

    Returns
    -------
    picks int32, gains int64 (selection order), coverage Lambda(S), upper (int64).
    """
    n_pairs = idx_indptr.shape[0] - 1
    d = cap.shape[0]
    gain = np.diff(idx_indptr)
    left = cap.copy()
    total = 0
    kmax = 1
    for i in range(d):
        total += min(cap[i], inv_indptr[i + 1] - inv_indptr[i])
        kmax = max(kmax, cap[i])
    n_open = 0
    for i in range(d):
        if cap[i] > 0 and inv_indptr[i + 1] > inv_indptr[i]:
            n_open += 1
    heap = np.empty(n_pairs + 1, dtype=np.int64)
    size = 0
    for p in range(n_pairs):
        if gain[p] > 0:
            heap[size] = heap_key(gain[p], p)
            size += 1
    for i in range(size // 2 - 1, -1, -1):
        sift_down(heap, size, i)
    hot_end = inv_indptr[1:].copy()
    buf = np.empty(kmax, dtype=np.int64)
    covered = np.zeros(offsets.shape[0] - 1, dtype=np.bool_)
    chosen = np.zeros(n_pairs, dtype=np.bool_)
    picks = np.empty(total, dtype=np.int32)
    gains = np.empty(total, dtype=np.int64)
    every = max(1, total // max(checkpoints, 1))
    coverage = 0
    upper = _upper(0, gain, inv_indptr, inv_pairs, hot_end, cap, buf)
    picked = 0
    while n_open > 0 and size > 0:
        key, size = heap_pop(heap, size)
        p = key_node(key)
        owner = pair_owner[p]
        if left[owner] == 0:
            continue
        if key_gain(key) != gain[p]:
            if gain[p] > 0:
                size = heap_push(heap, size, heap_key(gain[p], p))
            continue
        picks[picked] = p
        gains[picked] = gain[p]
        chosen[p] = True
        picked += 1
        coverage += cover_node(p, idx_indptr, idx_sets, offsets, pairs, covered, gain)
        left[owner] -= 1
        if left[owner] == 0:
            n_open -= 1
        if picked % every == 0:
            upper = min(upper, _upper(coverage, gain, inv_indptr, inv_pairs, hot_end, cap, buf))
    upper = min(upper, _upper(coverage, gain, inv_indptr, inv_pairs, hot_end, cap, buf), 2 * coverage)
    # no positive gain left: fill the open inviters by priority (pair id)
    for p in range(n_pairs):
        if n_open == 0:
            break
        owner = pair_owner[p]
        if left[owner] > 0 and not chosen[p]:
            picks[picked] = p
            gains[picked] = 0
            chosen[p] = True
            picked += 1
            left[owner] -= 1
            if left[owner] == 0:
                n_open -= 1
    return picks[:picked], gains[:picked], coverage, upper


@kernel
def list_gains(offsets, pairs, idx_indptr, idx_sets, picks):
    """Marginal coverage of each pair of ``picks`` (int32) added in order; int64 (len(picks),)."""
    covered = np.zeros(offsets.shape[0] - 1, dtype=np.bool_)
    gain = np.diff(idx_indptr)
    out = np.empty(picks.shape[0], dtype=np.int64)
    for t in range(picks.shape[0]):
        out[t] = cover_node(picks[t], idx_indptr, idx_sets, offsets, pairs, covered, gain)
    return out
