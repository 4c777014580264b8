"""HeteroIR: rank an inviter's friends by beta_ij = P_ij U_j (1 + HeteroInf(j)).

References
----------
.. [1] "Heterogeneous Influence Maximization in User Recommendation" (Tencent), code
   at https://github.com/socialalgo/HIM (HeteroIR.py); SPEC section 5.
"""
from __future__ import annotations

import numpy as np

from ..._validation import validated
from . import _kernels
from .inputs import willingness_array


@validated
def hetero_inf(graph, capacity=4, willingness=None):
    """HeteroInf(j) = sum of the ``capacity`` largest P_jl U_l over j's out-neighbours l.

    Returns float64 (n,), 0 for nodes without out-neighbours.
    """
    # more than the largest out-degree counts every neighbour: held at n so that it fits int64
    capacity = min(capacity, max(graph.n, 1))
    u = willingness_array(graph, willingness)
    x = graph.out_prob.astype(np.float64)
    if u is not None:
        x = x * u[graph.out_indices]
    return _kernels.top_c_sum(graph.out_indptr, x, capacity)


@validated
def hetero_ir_scores(graph, capacity=4, willingness=None):
    """beta_ij = P_ij U_j (1 + HeteroInf(j)) for every edge, in out-CSR order.

    Parameters
    ----------
    graph : Graph
        Edge probability P_ij = ``graph.out_prob``.
    capacity : int, default 4
        Interaction capacity c: how many of j's out-neighbours count in HeteroInf(j).
    willingness : None, path, mapping or float64 (n,), optional
        U_j (default 1 for every node).

    Returns
    -------
    float64 ndarray (m,)

    Notes
    -----
    Follows HeteroIR.py of socialalgo/HIM, except that a node without
    out-neighbours has HeteroInf = 0 (the authors' code uses 1e-5) and that U_j
    multiplies beta as the paper's formula says (the authors' Twitter run has U = 1).
    """
    u = willingness_array(graph, willingness)
    inf = hetero_inf.__wrapped__(graph, capacity, u)
    v = graph.out_indices
    p = graph.out_prob.astype(np.float64)
    if u is not None:
        p = p * u[v]
    return p * (1.0 + inf[v])
