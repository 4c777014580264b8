"""numba kernels for HeteroIR and HeteroIM (HIM, SPEC section 5).

Arrays: out_indptr int64 (n+1,), out_indices int32 (m,) and in_indptr int64 (n+1,),
in_indices int32 (m,) are the graph's CSR; offsets int64 (theta+1,), nodes int32
(total,) the RR sets. The lazy max-heap of int64 keys ``gain << 32 | (MAXID - c)`` is
the one of greedy maximum coverage, keyed by the position c in the sorted candidate
array (ties go to the smaller node id).
"""
import numpy as np

from ..._numba import kernel
from ...selection._kernels import heap_key, heap_pop, heap_push, key_gain, key_node, push_top


@kernel
def top_c_sum(out_indptr, x, c):
    """Per node, the sum of the ``c`` largest edge values ``x`` (float64 (m,)) of its out-edges.

    Returns float64 (n,). O(deg * c) per node with a small sorted buffer, so no
    sort of the whole edge array.
    """
    n = out_indptr.shape[0] - 1
    out = np.zeros(n, dtype=np.float64)
    buf = np.empty(max(c, 1), dtype=np.float64)
    for u in range(n):
        a, b = out_indptr[u], out_indptr[u + 1]
        size = 0
        for e in range(a, b):
            size = push_top(buf, size, c, x[e])
        s = 0.0
        for j in range(size):
            s += buf[j]
        out[u] = s
    return out


@kernel
def candidate_index(offsets, nodes, candidates, n):
    """Coverage and RR sets of the candidates only (the greedy never reads other nodes).

    Returns cpos int32 (n,) (position of a node in ``candidates``, -1 if none),
    gain int64 (c,) (number of RR sets containing each candidate), cand_indptr
    int64 (c+1,) and cand_sets int32: the sets containing ``candidates[c]`` are
    ``cand_sets[cand_indptr[c]:cand_indptr[c+1]]``, ascending. Two sequential
    sweeps over the RR entries; only candidate entries do more than a mask test.
    """
    n_cand = candidates.shape[0]
    cpos = np.full(n, -1, dtype=np.int32)
    is_cand = np.zeros(n, dtype=np.bool_)
    for c in range(n_cand):
        cpos[candidates[c]] = c
        is_cand[candidates[c]] = True
    gain = np.zeros(n_cand, dtype=np.int64)
    for t in range(nodes.shape[0]):
        v = nodes[t]
        if is_cand[v]:
            gain[cpos[v]] += 1
    cand_indptr = np.zeros(n_cand + 1, dtype=np.int64)
    for c in range(n_cand):
        cand_indptr[c + 1] = cand_indptr[c] + gain[c]
    fill = cand_indptr[:-1].copy()
    cand_sets = np.empty(cand_indptr[n_cand], dtype=np.int32)
    s = 0
    for t in range(nodes.shape[0]):
        v = nodes[t]
        if is_cand[v]:
            while offsets[s + 1] <= t:  # the set holding entry t
                s += 1
            c = cpos[v]
            cand_sets[fill[c]] = s
            fill[c] += 1
    return cpos, gain, cand_indptr, cand_sets


@kernel
def hetero_im_greedy(offsets, nodes, candidates, aps, out_indptr, out_indices, n):
    """HeteroIM's global lazy greedy over ``candidates`` (int32, sorted: the out-neighbours of ``aps``).

    Every candidate is taken once, in decreasing marginal coverage (ties: smaller
    id), until none is left. When v is taken, each AP i with an edge i -> v (``aps``
    int32, distinct) gets the pair (i, v), scored by the number of v's newly
    covered RR sets that also contain i; where there is none, by v's marginal
    coverage / (1 + the largest initial coverage of a candidate), a number in
    [0, 1) that keeps such pairs below every pair with a shared RR set.

    Returns
    -------
    pair_ap, pair_invitee : int32 (p,)
    pair_score : float64 (p,)
    pair_step : int64 (p,), the greedy step at which the invitee was taken
    """
    n_cand = candidates.shape[0]
    cpos, gain, cand_indptr, cand_sets = candidate_index(offsets, nodes, candidates, n)
    # the AP inviters of each candidate, from the APs' out-edges (CSR by candidate)
    inv_indptr = np.zeros(n_cand + 1, dtype=np.int64)
    for a in range(aps.shape[0]):
        i = aps[a]
        for e in range(out_indptr[i], out_indptr[i + 1]):
            inv_indptr[cpos[out_indices[e]] + 1] += 1
    for c in range(n_cand):
        inv_indptr[c + 1] += inv_indptr[c]
    n_pairs = inv_indptr[n_cand]
    inviters = np.empty(n_pairs, dtype=np.int32)
    fill = inv_indptr[:-1].copy()
    for a in range(aps.shape[0]):
        i = aps[a]
        for e in range(out_indptr[i], out_indptr[i + 1]):
            c = cpos[out_indices[e]]
            inviters[fill[c]] = i
            fill[c] += 1
    max_cov = 0
    for c in range(n_cand):
        if gain[c] > max_cov:
            max_cov = gain[c]
    norm = float(max_cov + 1)
    # one heap slot per candidate: a stale key is pushed back only after its pop;
    # keyed by candidate position (candidates are sorted, so ties go to the smaller id)
    heap = np.empty(n_cand + 1, dtype=np.int64)
    size = 0
    for c in range(n_cand):
        size = heap_push(heap, size, heap_key(gain[c], c))
    pair_ap = np.empty(n_pairs, dtype=np.int32)
    pair_inv = np.empty(n_pairs, dtype=np.int32)
    pair_score = np.empty(n_pairs, dtype=np.float64)
    pair_step = np.empty(n_pairs, dtype=np.int64)
    covered = np.zeros(offsets.shape[0] - 1, dtype=np.bool_)
    stamp = np.full(n, -1, dtype=np.int32)
    shared = np.zeros(n, dtype=np.int64)
    step = 0
    p = 0
    while size > 0:
        key, size = heap_pop(heap, size)
        c = key_node(key)
        if key_gain(key) != gain[c]:
            size = heap_push(heap, size, heap_key(gain[c], c))
            continue
        v = candidates[c]
        g = gain[c]
        for q in range(inv_indptr[c], inv_indptr[c + 1]):
            i = inviters[q]
            stamp[i] = step
            shared[i] = 0
        # cover v's sets; count, per AP inviter, the new sets it shares with v
        for j in range(cand_indptr[c], cand_indptr[c + 1]):
            s = cand_sets[j]
            if covered[s]:
                continue
            covered[s] = True
            for t in range(offsets[s], offsets[s + 1]):
                w = nodes[t]
                if cpos[w] >= 0:
                    gain[cpos[w]] -= 1
                if stamp[w] == step:
                    shared[w] += 1
        for q in range(inv_indptr[c], inv_indptr[c + 1]):
            i = inviters[q]
            pair_ap[p] = i
            pair_inv[p] = v
            pair_score[p] = float(shared[i]) if shared[i] > 0 else g / norm
            pair_step[p] = step
            p += 1
        step += 1
    return pair_ap, pair_inv, pair_score, pair_step
