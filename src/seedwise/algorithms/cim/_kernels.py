"""numba kernels for capacity constrained IM (CIM) over RR sets of the passive graph P.

Shared arrays (all node ids are dense ids of G; the RR sets are those of P, sampled
with the APs blocked, so they never hold an AP):
offsets int64 (theta+1,), nodes int32 (total,): the RR sets;
idx_indptr int64 (n+1,), idx_sets int32 (total,): node -> sets index;
cand_indptr int64 (d+1,), cand int32 (pairs,): candidates C_u of AP u, in ``prio`` order;
prio int64 (n,): tie-break rank of every candidate (smaller wins);
cap int64 (d,): capacity k_u of AP u.
Marginal coverages are kept exact by decrementing (selection._kernels.cover_node).
Ties go to the smaller ``prio``, so results are deterministic.
"""
import numpy as np

from ..._numba import kernel
from ...selection._kernels import cover_node, heap_key, heap_pop, heap_push, key_gain, key_node, prior_weight, top_sum

INT64_MAX = np.int64(0x7FFFFFFFFFFFFFFF)


@kernel
def rr_greedy(offsets, nodes, idx_indptr, idx_sets, cand_indptr, cand, prio, cap, tightened,
              prior_nodes, prior, strength, population):
    """RR-Greedy on coverage: rounds in which every open AP, in AP order, takes its
    not yet seeded candidate of largest score (zero gain included).

    The score of candidate v with marginal coverage g is ``(strength + g) * w[v]``,
    w from ``selection._kernels.prior_weight(initial gains, prior_nodes, prior,
    strength, population, theta)``: ``strength = 0`` gives the plain RR-Greedy
    (largest coverage); a positive one the empirical-Bayes selector of ``cim``
    (docs/cim-default.md). ``prior`` must not increase along each AP's candidates in
    ``cand`` order (``prio`` order), so that the best candidate of zero gain is the
    first unseeded one. Ties go to the smaller ``prio``.

    Returns
    -------
    pick_ap int32 (p,), pick_node int32 (p,), pick_gain int64 (p,) in selection order;
    coverage : Lambda_R(S);
    upper : min over the states S_t (before each round and after the last) of
        Lambda(S_t) + sum over APs u of the k_u largest marginal coverages of C_u,
        an upper bound on the optimal coverage whatever the picks (INT64_MAX when
        not ``tightened``);
    passed_over : int, picks for which the AP had a candidate of larger marginal
        coverage (0 for the plain greedy: the prior decided those picks).

    Notes
    -----
    Gains only decrease, so a candidate of zero gain stays at zero: each AP scans
    only its "hot" candidates (positive gain, not seeded; the list shrinks as they
    cool down) and compares the best of them with its first unseeded candidate in
    ``prio`` order (a pointer that only moves forward), the best of the cold ones.
    The picks are those of a full scan; with few RR sets most candidates are cold
    and a round costs far less than a pass over all pairs.
    """
    n = idx_indptr.shape[0] - 1
    theta = offsets.shape[0] - 1
    d = cap.shape[0]
    gain = np.diff(idx_indptr)  # marginal coverage of every node, kept exact
    weight = prior_weight(gain, prior_nodes, prior, strength, population, theta)
    covered = np.zeros(theta, dtype=np.bool_)
    seeded = np.zeros(n, dtype=np.bool_)
    count = np.zeros(d, dtype=np.int64)
    is_open = np.zeros(d, dtype=np.bool_)
    hot = np.empty(cand.shape[0], dtype=np.int32)
    hot_end = np.empty(d, dtype=np.int64)
    ptr = cand_indptr[:d].copy()
    n_open = 0
    total = 0
    kmax = 1
    for u in range(d):
        lo, hi = cand_indptr[u], cand_indptr[u + 1]
        end = lo
        for j in range(lo, hi):
            if gain[cand[j]] > 0:
                hot[end] = cand[j]
                end += 1
        hot_end[u] = end
        if cap[u] > 0 and hi > lo:
            is_open[u] = True
            n_open += 1
            total += min(cap[u], hi - lo)
        if cap[u] > kmax:
            kmax = cap[u]
    pick_ap = np.empty(total, dtype=np.int32)
    pick_node = np.empty(total, dtype=np.int32)
    pick_gain = np.empty(total, dtype=np.int64)
    buf = np.empty(kmax, dtype=np.int64)
    picked = 0
    coverage = 0
    passed_over = 0
    upper = INT64_MAX
    while True:
        if tightened:
            # cold candidates add 0; seeded ones have gain 0 (all their sets covered)
            bound = coverage
            for u in range(d):
                if cap[u] > 0 and hot_end[u] > cand_indptr[u]:
                    bound += top_sum(gain, hot, cand_indptr[u], hot_end[u], cap[u], buf)
            if bound < upper:
                upper = bound
        if n_open == 0:
            break
        for u in range(d):
            if not is_open[u]:
                continue
            best = -1
            best_score = -1.0
            top_gain = np.int64(0)
            j = cand_indptr[u]
            end = hot_end[u]
            while j < end:
                v = hot[j]
                g = gain[v]
                if g == 0 or seeded[v]:
                    end -= 1
                    hot[j] = hot[end]
                    continue
                score = (strength + g) * weight[v]
                if score > best_score or (score == best_score and prio[v] < prio[best]):
                    best = v
                    best_score = score
                if g > top_gain:
                    top_gain = g
                j += 1
            hot_end[u] = end
            p = ptr[u]
            hi = cand_indptr[u + 1]
            while p < hi and seeded[cand[p]]:
                p += 1
            ptr[u] = p
            if p < hi:
                v = cand[p]
                score = (strength + gain[v]) * weight[v]
                if best < 0 or score > best_score or (score == best_score and prio[v] < prio[best]):
                    best = v
            if best < 0:
                is_open[u] = False
                n_open -= 1
                continue
            best_gain = gain[best]
            if best_gain < top_gain:
                passed_over += 1
            pick_ap[picked] = u
            pick_node[picked] = best
            pick_gain[picked] = best_gain
            picked += 1
            seeded[best] = True
            if best_gain > 0:
                coverage += cover_node(best, idx_indptr, idx_sets, offsets, nodes, covered, gain)
            count[u] += 1
            if count[u] >= cap[u]:
                is_open[u] = False
                n_open -= 1
    return pick_ap[:picked], pick_node[:picked], pick_gain[:picked], coverage, upper, passed_over


@kernel
def mg_greedy(offsets, nodes, idx_indptr, idx_sets, cand_nodes, owner_indptr, owner_aps, cap):
    """MG-Greedy on coverage: repeatedly the feasible pair (u, v) of largest marginal
    coverage, until no pair is left (lazy max-heap over candidate nodes).

    cand_nodes int32 (c,): distinct candidates in prio order; owner_indptr int64 (c+1,),
    owner_aps int32: the APs (ascending) having cand_nodes[j] as a candidate. A node's
    gain does not depend on the AP, so the pair goes to its first owner with capacity.

    Returns pick_ap, pick_node, pick_gain (as rr_greedy) and the coverage.
    """
    theta = offsets.shape[0] - 1
    c = cand_nodes.shape[0]
    gain = np.diff(idx_indptr)  # marginal coverage of every node, kept exact
    left = cap.copy()
    heap = np.empty(c + 1, dtype=np.int64)
    size = 0
    for j in range(c):
        # keys carry the position j: cand_nodes is in prio order, so ties go to the better prio
        size = heap_push(heap, size, heap_key(gain[cand_nodes[j]], j))
    covered = np.zeros(theta, dtype=np.bool_)
    pick_ap = np.empty(c, dtype=np.int32)
    pick_node = np.empty(c, dtype=np.int32)
    pick_gain = np.empty(c, dtype=np.int64)
    picked = 0
    coverage = 0
    while size > 0:
        key, size = heap_pop(heap, size)
        j = key_node(key)
        v = cand_nodes[j]
        owner = -1
        for t in range(owner_indptr[j], owner_indptr[j + 1]):
            if left[owner_aps[t]] > 0:
                owner = owner_aps[t]
                break
        if owner < 0:
            continue  # every AP of v is full: the pair set of v is gone for good
        if key_gain(key) != gain[v]:
            size = heap_push(heap, size, heap_key(gain[v], j))
            continue
        pick_ap[picked] = owner
        pick_node[picked] = v
        pick_gain[picked] = gain[v]
        picked += 1
        left[owner] -= 1
        coverage += cover_node(v, idx_indptr, idx_sets, offsets, nodes, covered, gain)
    return pick_ap[:picked], pick_node[:picked], pick_gain[:picked], coverage


@kernel
def local_greedy(offsets, nodes, idx_indptr, idx_sets, cand_indptr, cand, cap, first, last):
    """Greedy maximum coverage restricted to C_u, independently for APs first..last-1,
    on one shared RR collection (each AP starts from nothing covered).

    Returns pick_ap, pick_node, pick_gain (per AP in rank order) and, per AP of the
    range, coverage int64 (last-first,) and upper int64 (last-first,): OPIM-C's bound,
    min over steps i of Lambda(S_i) + the k_u largest marginal coverages in C_u.
    """
    n = idx_indptr.shape[0] - 1
    theta = offsets.shape[0] - 1
    total = 0
    kmax = 1
    for u in range(first, last):
        total += min(cap[u], cand_indptr[u + 1] - cand_indptr[u])
        if cap[u] > kmax:
            kmax = cap[u]
    pick_ap = np.empty(total, dtype=np.int32)
    pick_node = np.empty(total, dtype=np.int32)
    pick_gain = np.empty(total, dtype=np.int64)
    cov_out = np.zeros(last - first, dtype=np.int64)
    up_out = np.zeros(last - first, dtype=np.int64)
    pos = np.full(n, -1, dtype=np.int64)
    covered = np.zeros(theta, dtype=np.bool_)
    touched = np.empty(16, dtype=np.int64)
    local_gain = np.empty(1, dtype=np.int64)
    taken = np.empty(1, dtype=np.bool_)
    buf = np.empty(kmax, dtype=np.int64)
    picked = 0
    for u in range(first, last):
        lo, hi = cand_indptr[u], cand_indptr[u + 1]
        size = hi - lo
        if local_gain.shape[0] < size:
            local_gain = np.empty(size, dtype=np.int64)
            taken = np.empty(size, dtype=np.bool_)
        for j in range(size):
            v = cand[lo + j]
            pos[v] = j
            local_gain[j] = idx_indptr[v + 1] - idx_indptr[v]
            taken[j] = False
        n_touched = 0
        coverage = 0
        upper = INT64_MAX
        k = min(cap[u], size)
        for step in range(k + 1):
            # bound: coverage + the k_u largest marginal coverages (k_u >= size: all)
            bound = coverage
            if size <= cap[u]:
                for j in range(size):
                    bound += local_gain[j]
            else:
                for j in range(cap[u]):
                    buf[j] = local_gain[j]
                low = 0
                for j in range(1, cap[u]):
                    if buf[j] < buf[low]:
                        low = j
                for j in range(cap[u], size):
                    if local_gain[j] > buf[low]:
                        buf[low] = local_gain[j]
                        low = 0
                        for t in range(1, cap[u]):
                            if buf[t] < buf[low]:
                                low = t
                for j in range(cap[u]):
                    bound += buf[j]
            if bound < upper:
                upper = bound
            if step == k:
                break
            best = -1
            for j in range(size):
                if not taken[j] and (best < 0 or local_gain[j] > local_gain[best]):
                    best = j
            v = cand[lo + best]
            taken[best] = True
            pick_ap[picked] = u
            pick_node[picked] = v
            pick_gain[picked] = local_gain[best]
            picked += 1
            for t in range(idx_indptr[v], idx_indptr[v + 1]):
                s = idx_sets[t]
                if covered[s]:
                    continue
                covered[s] = True
                coverage += 1
                if n_touched == touched.shape[0]:
                    grown = np.empty(2 * n_touched, dtype=np.int64)
                    grown[:n_touched] = touched
                    touched = grown
                touched[n_touched] = s
                n_touched += 1
                for r in range(offsets[s], offsets[s + 1]):
                    w = pos[nodes[r]]
                    if w >= 0:
                        local_gain[w] -= 1
        cov_out[u - first] = coverage
        up_out[u - first] = upper
        for t in range(n_touched):
            covered[touched[t]] = False
        for j in range(size):
            pos[cand[lo + j]] = -1
    return pick_ap[:picked], pick_node[:picked], pick_gain[:picked], cov_out, up_out


@kernel
def feasible_assignment(order, offset, cand_indptr, cand, cap, n):
    """Distinct seeds of a random feasible assignment (chi, a lower bound on OPT): the
    APs in ``order`` each take up to k_u candidates not taken yet, scanning C_u
    cyclically from position ``offset[u]``."""
    taken = np.zeros(n, dtype=np.bool_)
    count = 0
    for i in range(order.shape[0]):
        u = order[i]
        lo, hi = cand_indptr[u], cand_indptr[u + 1]
        size = hi - lo
        left = cap[u]
        for t in range(size):
            if left == 0:
                break
            v = cand[lo + (offset[u] + t) % size]
            if not taken[v]:
                taken[v] = True
                left -= 1
                count += 1
    return count


@kernel
def best_candidate(gain, cand, lo, hi, seeded, weight, strength):
    """RR-Greedy's pick for one AP: its not yet seeded candidate of largest score
    (strength + gain) * weight, the first in ``cand`` order on ties (pass
    ``CimQuery.cand_ranked``, in ``prio`` order, to match :func:`rr_greedy`); -1 if
    none. Returns (node, its gain, the largest gain among the candidates)."""
    best = -1
    best_score = -1.0
    top_gain = np.int64(0)
    for j in range(lo, hi):
        v = cand[j]
        if seeded[v]:
            continue
        score = (strength + gain[v]) * weight[v]
        if score > best_score:
            best = v
            best_score = score
        if gain[v] > top_gain:
            top_gain = gain[v]
    return best, gain[best] if best >= 0 else np.int64(0), top_gain


@kernel
def tight_bound(gain, cand_indptr, cand, cap, buf):
    """Sum over APs u of the cap[u] largest gains of C_u (RR-OPIM+'s tightened term)."""
    total = 0
    for u in range(cap.shape[0]):
        if cap[u] > 0:
            total += top_sum(gain, cand, cand_indptr[u], cand_indptr[u + 1], cap[u], buf)
    return total


@kernel
def onehop_spread(out_indptr, out_indices, out_prob, blocked, nodes):
    """float64 (len(nodes),): 1 + sum of p(v, w) over the out-edges of each v in
    ``nodes`` whose head w is not blocked (expected one-hop spread on P)."""
    out = np.ones(nodes.shape[0])
    for j in range(nodes.shape[0]):
        v = nodes[j]
        total = 0.0
        for e in range(out_indptr[v], out_indptr[v + 1]):
            if not blocked[out_indices[e]]:
                total += out_prob[e]
        out[j] += total
    return out


@kernel
def sort_segments(indptr, values, key):
    """``values`` with each segment indptr[i]:indptr[i+1] sorted by ascending ``key``
    (stable: equal keys keep their order)."""
    out = values.copy()
    k = key.copy()
    for i in range(indptr.shape[0] - 1):
        lo, hi = indptr[i], indptr[i + 1]
        if hi - lo <= 32:  # insertion sort: most segments are short, and it needs no allocation
            for j in range(lo + 1, hi):
                kj, vj = k[j], out[j]
                t = j
                while t > lo and k[t - 1] > kj:
                    k[t] = k[t - 1]
                    out[t] = out[t - 1]
                    t -= 1
                k[t] = kj
                out[t] = vj
        else:
            order = np.argsort(key[lo:hi], kind="mergesort")
            for j in range(hi - lo):
                out[lo + j] = values[lo + order[j]]
    return out
