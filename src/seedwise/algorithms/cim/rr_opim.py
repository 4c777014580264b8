"""RR-OPIM+eb (the default), RR-OPIM+, RR-OPIM and MG-OPIM: OPIM-C's sampling
framework with the CIM selectors.

R1 and R2 grow together; the selector (RR-Greedy or MG-Greedy) picks on R1, R2
gives sigma_l, and the vanilla bound 2 Lambda_R1(S) or RR-OPIM+'s tightened bound
gives sigma_u; the run stops at sigma_l / sigma_u >= 1/2 - eps or at i_max.
RR-OPIM+eb scores candidates by an empirical-Bayes posterior (coverage weighed
against a one-hop prior) and keeps the better of its answer and local-degree's on
R2 (docs/cim-default.md).

References
----------
S. Zhang, Y. Huang, J. Sun, W. Lin, X. Xiao, B. Tang. Capacity constrained influence
maximization in social networks. KDD 2023 (RR-Greedy, MG-Greedy, RR-OPIM+).
J. Tang, X. Tang, X. Xiao, J. Yuan. Online processing algorithms for influence
maximization. SIGMOD 2018 (OPIM-C's bounds, reused here).
"""
from __future__ import annotations

import math

import numpy as np

from ..._validation import SeedwiseError
from ...memory import MemoryGuard
from ...sampling import derive_seed
from ...selection import lower_bound, sizes, upper_bound
from ...selection._kernels import prior_weight
from . import _kernels as kernels
from ._run import _CHI, _R1, _R2, FILL_PRIOR, FILL_TIE_RULE, picks
from .baselines import _top_by_score


def _chi(run):
    """Distinct seeds of a random feasible assignment: chi <= OPT (SPEC section 4).

    APs in a random order each take up to k_u of their candidates not taken yet,
    starting from a random position of C_u.
    """
    q = run.query
    rng = np.random.default_rng(derive_seed(run.seed, _CHI))
    order = rng.permutation(q.d)
    offset = rng.integers(0, np.maximum(q.n_candidates, 1))
    return max(1, int(kernels.feasible_assignment(order, offset, q.cand_indptr, q.cand, run.cap, q.graph.n)))


def _sum_log_binomial(sizes, ks):
    """sum over APs of ln C(size_u, min(k_u, size_u)) (vectorised log-gamma)."""
    from scipy.special import gammaln

    sizes = np.asarray(sizes, dtype=np.float64)
    ks = np.minimum(np.asarray(ks, dtype=np.float64), sizes)
    return float(np.sum(gammaln(sizes + 1) - gammaln(ks + 1) - gammaln(sizes - ks + 1)))


def _opim_sizes(run, start, min_rr_sets=0):
    """theta_0, theta_max, i_max, a = ln(1/p_f) and chi for RR-OPIM(+) (SPEC section 4)."""
    q, eps, delta = run.query, run.eps, run.delta
    n_p = q.n_p
    chi = _chi(run)
    log_c = _sum_log_binomial(q.n_candidates, run.cap)
    theta_max = sizes.theta_max(n_p, log_c, eps, delta, chi, approx=sizes.APPROX_PARTITION)
    theta_paper = max(1, math.ceil(sizes.theta_zero(theta_max, n_p, eps, 1)))
    # the authors' start: L over the APs' full out-degrees, divided by sqrt(chi)
    log_auth = _sum_log_binomial(q.graph.out_degree[q.aps], run.cap)
    theta_auth = int(sizes.theta_max(1, log_auth, 1.0, delta, math.sqrt(chi), approx=sizes.APPROX_PARTITION))
    theta_0 = theta_paper if start == "paper" else max(theta_paper, theta_auth)
    theta_0 = max(theta_0, min_rr_sets)
    i_max = sizes.i_max(theta_max, theta_0)
    a = sizes.failure_exponent(i_max, delta)
    return dict(theta_0=theta_0, theta_max=theta_max, theta_paper=theta_paper, theta_authors=theta_auth,
                i_max=i_max, chi=chi, log_c=log_c, a=a)


#: Prior strength (Gamma shape, in pseudo-observations) of the default's empirical-Bayes
#: selector; docs/cim-default.md says how it was chosen.
PRIOR_STRENGTH = 16.0

def rr_greedy(collection, query, cap, tightened, strength=0.0):
    """RR-Greedy on a backend collection: (pick_ap, pick_node, pick_gain, coverage, upper,
    passed_over).

    ``strength`` = 0: largest marginal coverage, ties to the smaller ``prio``;
    ``strength`` > 0: the empirical-Bayes score (strength + gain) * w_v of
    :func:`~seedwise.selection._kernels.prior_weight` with the one-hop prior
    (:attr:`CimQuery.onehop`). Where the sets live in this process the fused kernel
    :func:`_kernels.rr_greedy` runs on them; elsewhere (Ray) the same rule is driven
    through the collection's ``gains()`` and ``cover(v)``: the same picks and the same
    tightened bound (INT64_MAX when not ``tightened``). tests/cim check that both
    paths agree.
    """
    prior = (query.distinct_candidates, query.onehop, float(strength), query.n_p)
    rr = collection.local_sets()
    if rr is not None:
        idx_indptr, idx_sets = rr.node_index
        return kernels.rr_greedy(rr.offsets, rr.nodes, idx_indptr, idx_sets, query.cand_indptr, query.cand_ranked,
                                 query.prio, cap, tightened, *prior)
    return _driven_rr_greedy(collection, query.cand_indptr, query.cand_ranked, cap, tightened, prior)


def _driven_rr_greedy(collection, cand_indptr, cand, cap, tightened, prior):
    """RR-Greedy through ``gains()`` / ``cover(v)`` (one round trip per pick)."""
    gain = collection.gains()
    weight = prior_weight(gain, *prior, len(collection))
    strength = prior[2]
    cap = np.asarray(cap, dtype=np.int64)
    d = cap.shape[0]
    is_open = (cap > 0) & (np.diff(cand_indptr) > 0)
    n_open = int(is_open.sum())
    count = np.zeros(d, dtype=np.int64)
    seeded = np.zeros(gain.shape[0], dtype=np.bool_)
    buf = np.empty(max(1, int(cap.max(initial=1))), dtype=np.int64)
    pick_ap, pick_node, pick_gain = [], [], []
    coverage = passed_over = 0
    upper = int(kernels.INT64_MAX)
    while True:
        if tightened:
            upper = min(upper, coverage + int(kernels.tight_bound(gain, cand_indptr, cand, cap, buf)))
        if n_open == 0:
            break
        for u in range(d):
            if not is_open[u]:
                continue
            best, best_gain, top_gain = kernels.best_candidate(gain, cand, cand_indptr[u], cand_indptr[u + 1], seeded,
                                                               weight, strength)
            if best < 0:
                is_open[u] = False
                n_open -= 1
                continue
            passed_over += int(best_gain < top_gain)
            pick_ap.append(u)
            pick_node.append(int(best))
            pick_gain.append(int(best_gain))
            seeded[best] = True
            coverage += collection.cover(int(best), gain)
            count[u] += 1
            if count[u] >= cap[u]:
                is_open[u] = False
                n_open -= 1
    return (np.array(pick_ap, dtype=np.int32), np.array(pick_node, dtype=np.int32),
            np.array(pick_gain, dtype=np.int64), coverage, upper, passed_over)


def _select_rr(run, r1, tightened, strength=0.0):
    """(ap, node, gain, coverage, upper coverage, passed over) of RR-Greedy on R1."""
    ap, node, gain, coverage, tight, passed = rr_greedy(r1, run.query, run.cap, tightened, strength)
    # 2 Lambda_R1(S) bounds the optimum only when S is the coverage greedy's own answer
    upper = int(tight) if strength > 0 else 2 * int(coverage)
    if tightened:
        upper = min(upper, int(tight))
    return ap, node, gain, int(coverage), upper, int(passed)


def _select_mg(run, r1, tightened, strength=0.0):
    rr = r1.local_sets()
    if rr is None:
        raise SeedwiseError("mg-opim needs the RR sets in this process; use rr-opim+ or rr-opim with --backend ray")
    cand_nodes, owner_indptr, owner_aps = run.query.owners()
    idx_indptr, idx_sets = rr.node_index
    ap, node, gain, coverage = kernels.mg_greedy(
        rr.offsets, rr.nodes, idx_indptr, idx_sets, cand_nodes, owner_indptr, owner_aps, run.cap)
    return ap, node, gain, int(coverage), 2 * int(coverage), 0


def _opim(run, selector, tightened, strength=0.0, rivals=()):
    """OPIM-C's doubling rounds with ``selector`` on R1 (SPEC section 4).

    ``strength`` > 0 (the default algorithm): the empirical-Bayes selector, whose
    upper bound also takes the plain RR-Greedy's on R1 when its own does not certify. ``rivals``: (name, picks)
    of assignments fixed before R2 is looked at (local baselines); each round the
    selector's answer and the rivals are scored on R2 and the best is kept, its
    lower bound taken with a union bound over the number scored.
    """
    start = run.options.get("start", "authors")
    floor = run.options.get("min_rr_sets", 0)
    plan = _opim_sizes(run, start, floor)
    n_p, a = run.n_p, plan["a"]
    target = sizes.target_partition(run.eps)
    theta = plan["theta_0"]
    guard = MemoryGuard(run.query.graph, run.model, run.seed, run.max_memory, threads=run.threads,
                        algorithm="RR-OPIM", workers=run.backend.machines,
                        theta_max=2 * math.ceil(plan["theta_max"]))
    guard.check(2 * theta, "the first round")
    r1 = run.backend.collection(derive_seed(run.seed, _R1))
    r2 = run.backend.collection(derive_seed(run.seed, _R2))
    fallback = False
    for i in range(1, plan["i_max"] + 1):
        with run.timer("sampling"):
            r1.grow(theta - len(r1))
            r2.grow(theta - len(r2))
            r1.local_sets()  # builds a local node index here, so that selection times only the greedy
        with run.timer("selection"):
            ap, node, gain, coverage, upper_cov, passed = selector(run, r1, tightened, strength)
            chosen, cov2, scored = _best_on_r2(r2, node, rivals)
            sigma_u = upper_bound(upper_cov, len(r1), n_p, a)
            ratio = lower_bound(cov2, len(r2), n_p, a + math.log(scored)) / sigma_u
            if ratio < target and strength > 0:
                # the plain RR-Greedy on R1 bounds the optimum too (2 Lambda_R1 and its tightened
                # bound); run only when the prior's own bound does not certify
                plain = selector(run, r1, True, 0.0)
                upper_cov = min(upper_cov, plain[4])
                sigma_u = upper_bound(upper_cov, len(r1), n_p, a)
                ratio = lower_bound(cov2, len(r2), n_p, a + math.log(scored)) / sigma_u
            if ratio < target and i == plan["i_max"] and strength > 0:
                # no certificate at theta_max: return the plain RR-Greedy, whose guarantee holds there
                fallback, chosen = True, None
                ap, node, gain, coverage, _, passed = plain
                cov2, scored = r2.coverage(node), scored + 1
                ratio = lower_bound(cov2, len(r2), n_p, a + math.log(scored)) / sigma_u
            sigma_l = lower_bound(cov2, len(r2), n_p, a + math.log(scored))
        if ratio >= target or i == plan["i_max"]:
            break
        theta = 2 * len(r1)
        guard.check(2 * theta, f"round {i + 1} ({theta:,} RR sets per collection)")
    params = dict(rounds=i, start=start, theta_0=plan["theta_0"], theta_max=plan["theta_max"],
                  i_max=plan["i_max"], chi=plan["chi"], coverage_r1=coverage, coverage_r2=cov2,
                  upper_coverage_r1=upper_cov, rr_entries=r1.total + r2.total)
    if strength > 0:
        params.update(prior_strength=strength, assignments_scored=scored, passed_over=passed,
                      chosen=chosen or ("rr-greedy (fallback at theta_max)" if fallback else "rr-greedy+prior"))
    params.update(run.backend.describe())
    bounds = dict(spread=n_p * cov2 / len(r2), lower=sigma_l, upper=sigma_u, ratio=ratio, target=target,
                  n_rr_sets=len(r1) + len(r2), params=params)
    if chosen is not None:
        return {**dict(rivals)[chosen], **bounds}
    return picks(ap, node, gain * (n_p / len(r1)),
                 zero_gain_fill=FILL_PRIOR if strength > 0 and not fallback else FILL_TIE_RULE, **bounds)


def _best_on_r2(r2, node, rivals):
    """(name of the winning rival or None, its coverage on R2, assignments scored)."""
    chosen, best = None, r2.coverage(node)
    for name, rival in rivals:
        cov = r2.coverage(rival["pick_node"])
        if cov > best:
            chosen, best = name, cov
    return chosen, best, 1 + len(rivals)


def _rr_opim_eb(run):
    """The default: RR-OPIM+'s rounds with the empirical-Bayes RR-Greedy, compared on
    R2 with the local-degree assignment (see :func:`~seedwise.algorithms.cim.cim`, Notes)."""
    strength = run.options.get("prior_strength", PRIOR_STRENGTH)
    rivals = [("local-degree", _top_by_score(run, run.query.graph.out_degree.astype(np.float64)))]
    return _opim(run, _select_rr, True, strength, rivals)


def _rr_opim_plus(run):
    """RR-OPIM+: RR-Greedy, tightened bound."""
    return _opim(run, _select_rr, True)


def _rr_opim(run):
    """RR-OPIM: RR-Greedy, vanilla bound U = 2 Lambda_R1(S)."""
    return _opim(run, _select_rr, False)


def _mg_opim(run):
    """MG-OPIM: MG-Greedy, vanilla bound U = 2 Lambda_R1(S)."""
    return _opim(run, _select_mg, False)
