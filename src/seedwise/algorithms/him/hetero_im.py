"""HeteroIM: RR sets on G and a lazy greedy that credits each inviter with the RR
sets it shares with the invitee.

References
----------
.. [1] "Heterogeneous Influence Maximization in User Recommendation" (Tencent), code
   at https://github.com/socialalgo/HIM (HeteroIM.py); SPEC section 5.
"""
from __future__ import annotations

import math

import numpy as np

from ..._validation import HIM, validated
from ...graph.csr import ranges
from ...selection import log_binomial, sizes
from . import _kernels


@validated(**HIM)
def hetero_im_rr_count(graph, aps_dense, k, eps=0.1, delta=None):
    """Number of RR sets HeteroIM samples (the OPIM-style bound of the HIM code).

    theta = ceil(2 n (1/2 sqrt(ln(6/delta)) + sqrt(1/2 (L + ln(6/delta))))^2 / (eps^2 k |A|))

    with L = sum over the APs i of ln C(outdeg(i), k) (0 where outdeg(i) <= k) and
    |A| the number of APs: OPIM's theta_max (SPEC section 3) with ln C(n, k) replaced by
    ln prod_i C(deg(i), k) (the number of ways to fill every AP's list), the seed count
    k by k |A|, and the ratio 1 - 1/e by 1/2 (greedy under the per-AP partition).

    Notes
    -----
    run_HeteroIM in HeteroIM.py computes theta_0 = 2 (...)^2 and multiplies it by
    2^floor(log2(n / (eps^2 k |A|))), which is this bound rounded down to a power of
    two; we use the bound itself. delta defaults to 1/n and eps to 0.1, as there.
    """
    n = graph.n
    deg = graph.out_degree[np.asarray(aps_dense, dtype=np.int64)]
    vals, counts = np.unique(deg[deg > k], return_counts=True)
    L = float(sum(log_binomial(int(d), k) * int(c) for d, c in zip(vals, counts)))
    theta = sizes.theta_max(n, L, eps, delta, k * len(deg), approx=sizes.APPROX_PARTITION)
    return max(1, math.ceil(theta))


def hetero_im_candidates(graph, aps_dense):
    """Sorted dense ids of the out-neighbours of the APs (HeteroIM's candidates)."""
    starts = graph.out_indptr[aps_dense]
    lengths = graph.out_indptr[np.asarray(aps_dense, dtype=np.int64) + 1] - starts
    return np.unique(graph.out_indices[ranges(starts, lengths)]).astype(np.int32)


def hetero_im_pairs(graph, aps_dense, rr):
    """HeteroIM's global greedy on the RR sets ``rr``: every (AP, out-neighbour) pair, scored.

    Lazy greedy over the candidates (the APs' out-neighbours) by marginal coverage,
    ties to the smaller id, until every candidate is taken. When v is taken, every AP
    inviter i of v gets (i, v) with score = the number of v's newly covered RR sets
    that also contain i; where that number is 0, v's marginal coverage divided by
    (1 + the largest initial coverage of a candidate), a value in [0, 1).

    Returns
    -------
    ap, invitee : int32 (p,); score : float64 (p,); step : int64 (p,), the greedy step.

    Notes
    -----
    HeteroIM_global_selection in HeteroIM.py scores a shared pair s + 1 (it counts
    the AP once more) and a non-shared one -coverage / max coverage (the heap key is
    negated, and the maximum is over all nodes); both put shared pairs above
    non-shared ones, as here, but the authors' sign inverts the order among
    non-shared pairs, which we do not copy. Normalising by the largest candidate
    coverage instead of the largest of any node changes no ranking and spares a
    count over every node.
    """
    aps = np.unique(np.asarray(aps_dense, dtype=np.int32))
    return _kernels.hetero_im_greedy(rr.offsets, rr.nodes, hetero_im_candidates(graph, aps), aps,
                                         graph.out_indptr, graph.out_indices, graph.n)
