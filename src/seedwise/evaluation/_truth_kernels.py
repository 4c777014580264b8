"""numba kernel of the HIM truth model: invitations accepted, then IC (SPEC section 5.1).

Arrays: out_indptr int64 (n+1,), out_indices int32 (m,), out_prob float32 (m,) are
the graph's out-CSR; ``blocked`` bool (n,) marks the inviters; the pairs of the lists
are ``pair_edge`` int64 (out-CSR index of i -> j), ``pair_invitee`` int32 and
``pair_q`` float64 (q_ij = P_ij U_j).
"""
import numpy as np

from .._numba import kernel
from .._random import stream
from ..diffusion._kernels import _draw, _reach


@kernel
def simulate_invitations(out_indptr, out_indices, out_prob, blocked, pair_edge, pair_invitee, pair_q, seed,
                         start, stop):
    """Non-inviters reached in runs start..stop-1.

    In run r, pair (i, j) is accepted when draw e + 1 of stream(seed, r) is below
    q_ij (e = the edge i -> j), and IC edge e' is live when draw e' + 1 is below
    its probability, as in :mod:`seedwise.diffusion`. Accepted invitees spread
    forward over live edges; inviters are marked from the start, so they are
    neither counted nor expanded (they act only through their invitations). Each
    run is one fixed live-edge world, the same for every list: comparing two
    methods with one seed is a paired comparison (common random numbers).

    Returns counts int32 (stop-start,).
    """
    n = out_indptr.shape[0] - 1
    counts = np.empty(stop - start, dtype=np.int32)
    row = blocked.copy()
    queue = np.empty(n, dtype=np.int32)
    for r in range(stop - start):
        base = stream(seed, start + r)
        tail = 0
        for t in range(pair_edge.shape[0]):
            if _draw(base, pair_edge[t] + 1) < pair_q[t]:
                tail = _reach(out_indptr, out_indices, out_prob, out_prob, False, row, pair_invitee[t], base,
                              queue, tail)
        counts[r] = tail
        for i in range(tail):
            row[queue[i]] = False
    return counts
