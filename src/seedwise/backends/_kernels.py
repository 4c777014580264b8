"""numba kernels of the distributed greedy (run inside each Ray worker).

Arrays as in ``selection._kernels``: offsets int64, nodes int32 (the worker's RR
sets), idx_indptr int64 / idx_sets int32 (its node -> set index).
"""
import numba
import numpy as np

from ..selection._kernels import top_sum

kernel = numba.njit(cache=True, nogil=True)


@kernel
def cover_collect(v, idx_indptr, idx_sets, offsets, nodes, covered, scratch, touched):
    """Cover the local sets of v; return what the driver must subtract from its gains.

    scratch : int32 (n,), all zero on entry and on exit.
    touched : int32 (n,), work space.

    Returns
    -------
    new : int, sets newly covered here
    dec_nodes : int32, distinct nodes whose marginal coverage dropped
    dec : int32, by how much (same order)
    """
    new = 0
    count = 0
    for j in range(idx_indptr[v], idx_indptr[v + 1]):
        s = idx_sets[j]
        if covered[s]:
            continue
        covered[s] = True
        new += 1
        for t in range(offsets[s], offsets[s + 1]):
            u = nodes[t]
            if scratch[u] == 0:
                touched[count] = u
                count += 1
            scratch[u] += 1
    dec_nodes = touched[:count].copy()
    dec = np.empty(count, dtype=np.int32)
    for i in range(count):
        dec[i] = scratch[dec_nodes[i]]
        scratch[dec_nodes[i]] = 0
    return new, dec_nodes, dec


@kernel
def best_candidate(gain, cand, lo, hi, seeded):
    """RR-Greedy's pick for one AP: its not yet seeded candidate of largest gain,
    the first in ``cand`` order on ties (pass ``CimQuery.cand_ranked``, in ``prio``
    order, to match ``_cim_kernels.rr_greedy``); -1 if none."""
    best = -1
    best_gain = np.int64(-1)
    for j in range(lo, hi):
        v = cand[j]
        if not seeded[v] and gain[v] > best_gain:
            best = v
            best_gain = gain[v]
    return best, best_gain


@kernel
def tight_bound(gain, cand_indptr, cand, cap, buf):
    """Sum over APs u of the cap[u] largest gains of C_u (RR-OPIM+'s tightened term)."""
    total = 0
    for u in range(cap.shape[0]):
        if cap[u] > 0:
            total += top_sum(gain, cand, cand_indptr[u], cand_indptr[u + 1], cap[u], buf)
    return total
