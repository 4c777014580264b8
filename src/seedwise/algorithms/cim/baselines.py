"""The per-AP baselines of CIM: each AP ranks its own candidates independently
(overlaps allowed), as platforms do today.

- ``local-degree``: out-degree in G; ``local-pagerank``: forward PageRank on G
  (damping 0.8), as the authors' code does;
- ``local-opim-c``, ``local-imm``: greedy coverage restricted to C_u on one shared
  RR collection of P sized by OPIM-C's or IMM's rule for the AP with the largest C_u.

References
----------
S. Zhang, Y. Huang, J. Sun, W. Lin, X. Xiao, B. Tang. Capacity constrained influence
maximization in social networks. KDD 2023 (the local baselines).
"""
from __future__ import annotations

import math

import numpy as np

from ..._parallel import map_blocks, split_range
from ...graph.pagerank import pagerank_scores
from ...selection import log_binomial, lower_bound, sizes, upper_bound
from ...selection.ranking import top_k_per_group
from . import _kernels as kernels
from ._run import _IMM_FINAL, _IMM_SEARCH, _R1, _R2, FILL_TIE_RULE, picks


def _top_by_score(run, score_g):
    """Each AP's k_u candidates of highest score (ties: smaller id), independently."""
    q = run.query
    ap_of_pair = np.repeat(np.arange(q.d, dtype=np.int64), q.n_candidates)
    keep, _ = top_k_per_group(ap_of_pair, score_g[q.cand], q.cand, run.cap)
    return picks(ap_of_pair[keep], q.cand[keep], None)


def _local_degree(run):
    """Rank C_u by out-degree in G, as the authors' implementation does."""
    with run.timer("selection"):
        return _top_by_score(run, run.query.graph.out_degree.astype(np.float64))


def _local_pagerank(run):
    """Rank C_u by PageRank on G (forward direction, damping 0.8, as the authors' code)."""
    with run.timer("selection"):
        scores = pagerank_scores(run.query.graph, damping=0.8, reverse=False)
        out = _top_by_score(run, np.asarray(scores, dtype=np.float64))
    out["params"] = dict(damping=0.8, direction="forward")
    return out


def _local_greedy_all(run, rr):
    """Per-AP greedy coverage restricted to C_u on the shared collection ``rr``."""
    q = run.query
    idx_indptr, idx_sets = rr.node_index
    block = max(64, -(-q.d // max(4 * run.threads, 1)))

    def part(a, b):
        return kernels.local_greedy(rr.offsets, rr.nodes, idx_indptr, idx_sets, q.cand_indptr, q.cand_ranked,
                                    run.cap, a, b)

    parts = map_blocks(part, split_range(0, q.d, block), run.threads)
    ap = np.concatenate([p[0] for p in parts])
    node = np.concatenate([p[1] for p in parts])
    gain = np.concatenate([p[2] for p in parts])
    return ap, node, gain


def _largest_ap(run):
    q = run.query
    u = int(np.argmax(q.n_candidates))
    return u, int(q.n_candidates[u]), int(min(run.cap[u], q.n_candidates[u]))


def _local_opim_c(run):
    """OPIM-C per AP on one shared RR collection of P.

    The collection grows by OPIM-C's doubling rule until the certificate of the AP
    with the largest C_u (greedy restricted to C_u on R1, sigma_l on R2) reaches
    1 - 1/e - eps, or theta_max; then every AP runs greedy restricted to its C_u on it.
    """
    q = run.query
    n_p = q.n_p
    u, c, k = _largest_ap(run)
    theta_max = sizes.theta_max(n_p, log_binomial(c, k), run.eps, run.delta, k)
    theta_0 = sizes.theta_zero(theta_max, n_p, run.eps, k)
    theta = max(1, math.ceil(theta_0))
    i_max = sizes.i_max(theta_max, theta_0)
    a = sizes.failure_exponent(i_max, run.delta)
    r1 = r2 = None
    for i in range(1, i_max + 1):
        with run.timer("sampling"):
            r1 = run.grow(r1, theta, _R1)
            r2 = run.grow(r2, theta, _R2)
            idx_indptr, idx_sets = r1.node_index
        with run.timer("selection"):
            _, node, _, cov, up = kernels.local_greedy(r1.offsets, r1.nodes, idx_indptr, idx_sets, q.cand_indptr,
                                                       q.cand_ranked, run.cap, u, u + 1)
            ratio = (lower_bound(r2.coverage(node), len(r2), n_p, a)
                     / upper_bound(int(up[0]), len(r1), n_p, a))
        if ratio >= sizes.target_im(run.eps) or i == i_max:
            break
        theta = 2 * len(r1)
    with run.timer("selection"):
        ap, node, gain = _local_greedy_all(run, r1)
        spread = n_p * r2.coverage(node) / len(r2)
    return picks(ap, node, gain * (n_p / len(r1)), spread=spread, n_rr_sets=len(r1) + len(r2),
                 zero_gain_fill=FILL_TIE_RULE, params=dict(sized_by_ap=q.ap_ids[u], rounds=i,
                                                           ratio_of_sizing_ap=ratio))


def _local_imm(run):
    """IMM per AP on one shared RR collection of P.

    IMM's lower-bound search and theta = lambda* / LB are computed for the AP with
    the largest C_u (n = n_p, ln C(|C_u|, k_u)); a fresh collection of that size is
    sampled and every AP runs greedy restricted to its C_u on it.
    """
    q = run.query
    n_p = q.n_p
    u, c, k = _largest_ap(run)
    imm = sizes.imm_sizes(n_p, log_binomial(c, k), run.eps, run.delta)
    eps_p = imm.eps_prime
    lb, rr = 1.0, None
    for i in range(1, imm.search_steps):
        x = n_p / 2.0 ** i
        with run.timer("sampling"):
            rr = run.grow(rr, math.ceil(imm.lambda_prime / x), _IMM_SEARCH)
            idx_indptr, idx_sets = rr.node_index
        with run.timer("selection"):
            _, _, _, cov, _ = kernels.local_greedy(rr.offsets, rr.nodes, idx_indptr, idx_sets, q.cand_indptr,
                                                   q.cand_ranked, run.cap, u, u + 1)
        if n_p * int(cov[0]) / len(rr) >= (1.0 + eps_p) * x:
            lb = n_p * int(cov[0]) / (len(rr) * (1.0 + eps_p))
            break
    search = len(rr)
    with run.timer("sampling"):
        final = run.sample(max(1, math.ceil(imm.lambda_star / lb)), _IMM_FINAL)
        _ = final.node_index
    with run.timer("selection"):
        ap, node, gain = _local_greedy_all(run, final)
    return picks(ap, node, gain * (n_p / len(final)), n_rr_sets=search + len(final), zero_gain_fill=FILL_TIE_RULE,
                 params=dict(sized_by_ap=q.ap_ids[u], lower_bound_opt=lb))


#: algorithm name -> (function, options it accepts)
