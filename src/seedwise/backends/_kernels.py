"""numba kernel that covers a node's RR sets and reports the gain decrements (local
collections and Ray workers).

Arrays as in ``selection._kernels``: offsets int64, nodes int32 (the worker's RR
sets), idx_indptr int64 / idx_sets int32 (its node -> set index).
"""
import numpy as np

from .._numba import kernel


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
