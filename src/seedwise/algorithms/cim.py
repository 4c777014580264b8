"""Capacity constrained influence maximization (CIM): RR-OPIM+, its variants and baselines.

A set A of active participants (APs) may each recommend at most k (or k_u) of
their friends; the recommended friends become seeds, and the aim is the largest
spread of their union on the passive graph P = G minus A (SPEC section 4). This is
submodular maximization under a partition matroid over AP-friend pairs.

Algorithms (``ALGORITHMS``), all returning a :class:`CimResult`:

- ``rr-opim+`` (default): OPIM-C's sampling framework on RR sets of P with
  RR-Greedy as the selector and the tightened upper bound; (1/2 - eps)-approximate
  with probability >= 1 - delta, near-linear time.
- ``rr-opim``: the same with the vanilla bound U = 2 Lambda_R1(S).
- ``mg-opim``: the vanilla bound with MG-Greedy (largest pair first) as the selector.
- ``mg-greedy``, ``rr-greedy``: the greedy algorithms on a spread oracle (Monte-Carlo
  on P by default), with CELF lazy evaluation; small graphs only.
- ``local-degree``, ``local-pagerank``, ``local-opim-c``, ``local-imm``: what
  platforms do today, each AP ranks its own candidates independently (overlaps allowed).

References
----------
S. Zhang, Y. Huang, J. Sun, W. Lin, X. Xiao, B. Tang. Capacity constrained influence
maximization in social networks. KDD 2023 (RR-Greedy, MG-Greedy, RR-OPIM+).
J. Tang, X. Tang, X. Xiao, J. Yuan. Online processing algorithms for influence
maximization. SIGMOD 2018 (OPIM-C's bounds, reused here).
"""
from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from .._parallel import map_blocks, split_range
from .._validation import (
    SeedwiseError,
    check_choice,
    check_delta,
    check_eps,
    check_float,
    check_int,
    check_model,
    check_seed,
    check_threads,
)
from ..backends import make_backend
from ..memory import MemoryGuard
from ..results import SpreadEstimate
from ..sampling import derive_seed, sample_rr_sets
from ..selection import log_binomial, lower_bound, upper_bound
from . import _cim_kernels as kernels
from ._common import Timer
from .cim_query import CimQuery, build_query, resolve_capacities

__all__ = ["cim", "cim_spread", "CimResult", "ALGORITHMS", "CimQuery", "build_query", "TooSlowError"]

APPROX_IM = 1.0 - 1.0 / math.e
# stream labels (derive_seed) of the random collections; distinct so that R1, R2,
# the oracles and the evaluation never share random numbers
_R1, _R2, _CHI, _ORACLE, _IMM_SEARCH, _IMM_FINAL, _EVAL_MC, _EVAL_RR = 1, 2, 21, 22, 23, 24, 31, 32


class TooSlowError(SeedwiseError):
    """A greedy run whose estimated oracle time exceeds ``max_seconds``."""


# ====================================================================== result
@dataclass(frozen=True, eq=False)
class CimResult:
    """Recommended friends per AP, with the spread of their union on P.

    The recommendations are stored flat (AP i owns ``friends[indptr[i]:indptr[i+1]]``,
    in rank order); :attr:`assignments`, :attr:`gains` and :attr:`weights` give them
    as dicts keyed by AP id, built on first use.

    Attributes
    ----------
    algorithm : str
    k : int or None
        The global capacity (None when every AP had its own capacity).
    ap_ids : list
        Every AP of the query (original ids) in query order, those without
        candidates included (with no friends).
    indptr : int64 (d+1,)
    friends : list
        Friend ids (original ids), rank order within each AP.
    marginal_gains : float64 (p,)
        Marginal gain of each friend in spread units: coverage gain * n_p / |R1| for
        the RR algorithms, the oracle's gain for the greedy ones, NaN for the degree
        and PageRank baselines.
    edge_weights : float64 (p,)
        Weight (intimacy) of each edge AP -> friend.
    distinct_seeds : int
        Size of the union of all friends.
    spread : float or None
        The algorithm's own estimate of the union's spread on P (n_p Lambda_R2(S) / |R2|
        for the OPIM family); use :func:`cim_spread` for an independent one.
    lower, upper, ratio, target : float or None
        sigma_l, sigma_u, sigma_l / sigma_u and 1/2 - eps for the OPIM family.
    n_rr_sets : int
        RR sets generated (|R1| + |R2| for the OPIM family).
    times : dict
        Seconds per phase: "query", "sampling", "selection", "total".
    aps_without_candidates : list
        APs whose out-neighbours are all APs: reported, never silently dropped.
    params : dict
        eps, delta, seed, threads and what the algorithm used (theta_0, i_max, chi...).
    """

    algorithm: str
    k: int | None
    ap_ids: list
    indptr: np.ndarray
    friends: list
    marginal_gains: np.ndarray
    edge_weights: np.ndarray
    distinct_seeds: int
    spread: float | None = None
    lower: float | None = None
    upper: float | None = None
    ratio: float | None = None
    target: float | None = None
    n_rr_sets: int = 0
    times: dict = field(default_factory=dict)
    aps_without_candidates: list = field(default_factory=list)
    params: dict = field(default_factory=dict)

    @property
    def seconds(self):
        return self.times.get("total", sum(self.times.values()))

    def _per_ap(self, values):
        bounds = self.indptr.tolist()
        return {ap: values[a:b] for ap, a, b in zip(self.ap_ids, bounds[:-1], bounds[1:])}

    @cached_property
    def assignments(self):
        """dict: AP id -> list of friend ids in rank order (every AP is a key)."""
        return self._per_ap(self.friends)

    @cached_property
    def gains(self):
        """dict: AP id -> marginal gains (None where the algorithm has none)."""
        return self._per_ap([None if math.isnan(g) else g for g in self.marginal_gains.tolist()])

    @cached_property
    def weights(self):
        """dict: AP id -> edge weights AP -> friend."""
        return self._per_ap(self.edge_weights.tolist())

    @property
    def seeds(self):
        """Distinct friends, in order of first appearance over the APs."""
        return list(dict.fromkeys(self.friends))

    def to_dict(self):
        """The JSON object of ``seedwise cim --json`` (keys fixed by issue 3)."""
        return {
            "algorithm": self.algorithm,
            "k": self.k,
            "assignments": {str(ap): list(friends) for ap, friends in self.assignments.items()},
            "distinct_seeds": self.distinct_seeds,
            "spread": self.spread,
            "lower_bound": self.lower,
            "upper_bound": self.upper,
            "approximation": self.ratio,
            "rr_sets": self.n_rr_sets,
            "seconds": self.seconds,
            "aps_without_candidates": list(self.aps_without_candidates),
        }

    def rows(self):
        """(ap, rank, friend, marginal_gain, weight) per recommendation; rank from 1,
        marginal_gain None where the algorithm has none."""
        gains = [None if math.isnan(g) else g for g in self.marginal_gains.tolist()]
        weights = self.edge_weights.tolist()
        bounds = self.indptr.tolist()
        for ap, a, b in zip(self.ap_ids, bounds[:-1], bounds[1:]):
            for j in range(a, b):
                yield ap, j - a + 1, self.friends[j], gains[j], weights[j]

    def ranked_by_weight(self):
        """This result with each AP's friends in descending edge weight (as deployed);
        equal weights keep the selection order."""
        ap_of = np.repeat(np.arange(len(self.ap_ids)), np.diff(self.indptr))
        order = np.lexsort((np.arange(len(ap_of)), -self.edge_weights, ap_of))
        return replace(self, friends=[self.friends[i] for i in order.tolist()],
                       marginal_gains=self.marginal_gains[order], edge_weights=self.edge_weights[order],
                       params={**self.params, "rank_by_weight": True})

    def __repr__(self):
        spread = f", spread ~ {self.spread:,.1f}" if self.spread is not None else ""
        cert = ""
        if self.ratio is not None:
            cmp = ">=" if self.ratio >= self.target else "<"
            cert = (f", sigma_l/sigma_u = {self.lower:,.1f}/{self.upper:,.1f} = {self.ratio:.3f} "
                    f"{cmp} {self.target:.3f}")
        k = f"k={self.k}" if self.k is not None else "k=per-AP"
        return (f"<CimResult {self.algorithm} {k}: {len(self.ap_ids):,} APs, "
                f"{self.distinct_seeds:,} distinct seeds{spread}{cert}, {self.n_rr_sets:,} RR sets, "
                f"{self.seconds:.3f} s>")


# ============================================================ run context
@dataclass
class _Run:
    """Validated arguments and the query of one run."""

    query: CimQuery
    cap: np.ndarray
    model: str
    eps: float
    delta: float
    seed: int
    threads: int
    progress: object
    timer: Timer
    options: dict
    backend: object = None
    max_memory: object = None

    @property
    def passive(self):
        return self.query.passive

    def sample(self, count, label, start=0):
        return sample_rr_sets(self.passive, int(count), model=self.model, seed=derive_seed(self.seed, label),
                              start=start, threads=self.threads, progress=self.progress)

    def grow(self, rr, count, label):
        """``rr`` extended to ``count`` sets (the same stream, so the prefix is unchanged)."""
        if rr is None:
            return self.sample(count, label)
        if count > len(rr):
            rr = rr.extend(self.sample(count - len(rr), label, len(rr)))
        return rr


def _picks(ap, node, gain=None, **extra):
    return dict(pick_ap=np.asarray(ap, dtype=np.int64), pick_node=np.asarray(node, dtype=np.int64),
                pick_gain=None if gain is None else np.asarray(gain, dtype=np.float64), **extra)


# ============================================================ OPIM family
def _chi(run):
    """Distinct seeds of a random feasible assignment: chi <= OPT (SPEC section 4).

    APs in a random order each take up to k_u of their candidates not taken yet,
    starting from a random position of C_u.
    """
    q = run.query
    rng = np.random.default_rng(derive_seed(run.seed, _CHI))
    order = rng.permutation(q.d)
    offset = rng.integers(0, np.maximum(q.n_candidates, 1))
    return max(1, int(kernels.feasible_assignment(order, offset, q.cand_indptr, q.cand_p, run.cap, q.passive.n)))


def _sum_log_binomial(sizes, ks):
    """sum over APs of ln C(size_u, min(k_u, size_u)) (vectorised log-gamma)."""
    from scipy.special import gammaln

    sizes = np.asarray(sizes, dtype=np.float64)
    ks = np.minimum(np.asarray(ks, dtype=np.float64), sizes)
    return float(np.sum(gammaln(sizes + 1) - gammaln(ks + 1) - gammaln(sizes - ks + 1)))


def _opim_sizes(run, start, min_rr_sets=0):
    """theta_0, theta_max, i_max, a = ln(1/p_f) and chi for RR-OPIM(+) (SPEC section 4)."""
    q, eps, delta = run.query, run.eps, run.delta
    n_p = q.passive.n
    chi = _chi(run)
    ln6 = math.log(6.0 / delta)
    log_c = _sum_log_binomial(q.n_candidates, run.cap)
    theta_max = 2.0 * n_p * (0.5 * math.sqrt(ln6) + math.sqrt(0.5 * (log_c + ln6))) ** 2 / (eps * eps * chi)
    theta_paper = max(1, math.ceil(eps * eps / n_p * theta_max))
    # the authors' start: L over the APs' full out-degrees, divided by sqrt(chi)
    log_auth = _sum_log_binomial(q.graph.out_degree[q.aps], run.cap)
    theta_auth = int(2.0 * (0.5 * math.sqrt(ln6) + math.sqrt(0.5 * (log_auth + ln6))) ** 2 / math.sqrt(chi))
    theta_0 = theta_paper if start == "paper" else max(theta_paper, theta_auth)
    theta_0 = max(theta_0, min_rr_sets)
    i_max = max(1, math.ceil(math.log2(max(theta_max / theta_0, 1.0))))
    a = math.log(3.0 * i_max / delta)  # ln(1 / p_f), p_f = delta / (3 i_max)
    return dict(theta_0=theta_0, theta_max=theta_max, theta_paper=theta_paper, theta_authors=theta_auth,
                i_max=i_max, chi=chi, log_c=log_c, a=a)


def _select_rr(run, r1, tightened):
    q = run.query
    if run.backend.name == "ray":
        from ..backends.ray import rr_greedy

        ap, node, gain, coverage, tight = rr_greedy(r1, q.cand_indptr, q.cand_ranked, run.cap, tightened)
    else:
        idx_indptr, idx_sets = r1.rr.node_index
        ap, node, gain, coverage, tight = kernels.rr_greedy(
            r1.rr.offsets, r1.rr.nodes, idx_indptr, idx_sets, q.cand_indptr, q.cand_ranked, q.prio, run.cap,
            tightened)
    upper = 2 * int(coverage)
    if tightened:
        upper = min(upper, int(tight))
    return ap, node, gain, int(coverage), upper


def _select_mg(run, r1, tightened):
    if run.backend.name != "local":
        raise SeedwiseError("mg-opim runs on the local backend only; use rr-opim+ or rr-opim with --backend ray")
    cand_nodes, owner_indptr, owner_aps = run.query.owners()
    idx_indptr, idx_sets = r1.rr.node_index
    ap, node, gain, coverage = kernels.mg_greedy(
        r1.rr.offsets, r1.rr.nodes, idx_indptr, idx_sets, cand_nodes, owner_indptr, owner_aps, run.cap)
    return ap, node, gain, int(coverage), 2 * int(coverage)


def _opim(run, selector, tightened):
    start = run.options.get("start", "authors")
    floor = check_int("min_rr_sets", run.options.get("min_rr_sets", 0), 0)
    sizes = _opim_sizes(run, start, floor)
    n_p, a = run.passive.n, sizes["a"]
    target = 0.5 - run.eps
    theta = sizes["theta_0"]
    guard = MemoryGuard(run.passive, run.model, run.seed, run.max_memory, threads=run.threads,
                        algorithm="RR-OPIM", workers=run.backend.machines,
                        theta_max=2 * math.ceil(sizes["theta_max"]))
    guard.check(2 * theta, "the first round")
    r1 = run.backend.collection(derive_seed(run.seed, _R1))
    r2 = run.backend.collection(derive_seed(run.seed, _R2))
    for i in range(1, sizes["i_max"] + 1):
        with run.timer("sampling"):
            r1.grow(theta - len(r1))
            r2.grow(theta - len(r2))
            if run.backend.name == "local":
                _ = r1.rr.node_index  # built here so that selection times only the greedy
        with run.timer("selection"):
            ap, node, gain, coverage, upper_cov = selector(run, r1, tightened)
            cov2 = r2.coverage(node)
            sigma_l = lower_bound(cov2, len(r2), n_p, a)
            sigma_u = upper_bound(upper_cov, len(r1), n_p, a)
            ratio = sigma_l / sigma_u
        if ratio >= target or i == sizes["i_max"]:
            break
        theta = 2 * len(r1)
        guard.check(2 * theta, f"round {i + 1} ({theta:,} RR sets per collection)")
    params = dict(rounds=i, start=start, theta_0=sizes["theta_0"], theta_max=sizes["theta_max"],
                  i_max=sizes["i_max"], chi=sizes["chi"], coverage_r1=coverage, coverage_r2=cov2,
                  upper_coverage_r1=upper_cov, rr_entries=r1.total + r2.total)
    if run.backend.name != "local":
        params.update(backend=run.backend.name, num_workers=run.backend.num_workers)
    return _picks(
        ap, node, gain * (n_p / len(r1)), spread=n_p * cov2 / len(r2), lower=sigma_l, upper=sigma_u,
        ratio=ratio, target=target, n_rr_sets=len(r1) + len(r2), params=params)


def _rr_opim_plus(run):
    """RR-OPIM+: RR-Greedy, tightened bound."""
    return _opim(run, _select_rr, True)


def _rr_opim(run):
    """RR-OPIM: RR-Greedy, vanilla bound U = 2 Lambda_R1(S)."""
    return _opim(run, _select_rr, False)


def _mg_opim(run):
    """MG-OPIM: MG-Greedy, vanilla bound U = 2 Lambda_R1(S)."""
    return _opim(run, _select_mg, False)


# ============================================================ greedy on an oracle
def _oracle(run):
    """(oracle, probe): the spread oracle f(P, dense P ids) -> float (the ``oracle``
    option or Monte-Carlo on P) and a function timing one call of it on a seed set."""
    oracle = run.options.get("oracle")
    if oracle is not None:
        if not callable(oracle):
            raise SeedwiseError("oracle must be a callable (passive_graph, dense_seeds) -> spread")

        def probe(passive, seeds):
            t0 = time.perf_counter()
            oracle(passive, seeds)
            return time.perf_counter() - t0

        return oracle, probe
    from ..diffusion.monte_carlo import monte_carlo_spread

    simulations = check_int("simulations", run.options.get("simulations", 10_000), 1)
    seed = derive_seed(run.seed, _ORACLE)  # one seed for every call: common random numbers

    def mc(passive, seeds, runs=simulations):
        return monte_carlo_spread(passive, seeds, model=run.model, simulations=runs, seed=seed,
                                  threads=run.threads).mean

    def probe(passive, seeds):
        # MC time is linear in the runs: time a few and scale, so refusing is quick
        runs = min(simulations, 100)
        t0 = time.perf_counter()
        mc(passive, seeds, runs)
        return (time.perf_counter() - t0) * simulations / runs

    return mc, probe


def _check_cost(run, probe, name):
    """Refuse a greedy run whose oracle calls would take more than ``max_seconds``.

    The probe times one call on a full feasible assignment (about the largest seed
    sets the greedy evaluates); CELF needs at least one call per distinct candidate
    plus one per pick.
    """
    max_seconds = check_float("max_seconds", run.options.get("max_seconds", 3600.0), 0.0, low_open=True)
    q = run.query
    taken = np.zeros(q.passive.n, dtype=bool)
    probe_set = []
    for u in range(q.d):
        cands = q.cand_p[q.cand_indptr[u]:q.cand_indptr[u + 1]]
        free = cands[~taken[cands]][:run.cap[u]]
        taken[free] = True
        probe_set.extend(free.tolist())
    per_call = probe(q.passive, np.array(probe_set, dtype=np.int32))
    calls = len(q.owners()[0]) + len(probe_set)
    estimate = calls * per_call
    if estimate > max_seconds:
        raise TooSlowError(
            f"{name} would need at least {calls:,} spread evaluations of about {per_call:.3g} s each "
            f"(~{estimate / 60:,.0f} min > max_seconds={max_seconds:g} s). Use algorithm='rr-opim+' "
            "(the same 1/2 - eps guarantee in seconds), fewer simulations, or a larger max_seconds.")
    return dict(oracle_calls_estimate=calls, seconds_per_call=per_call)


def _mg_greedy(run):
    """MG-Greedy with CELF: the feasible pair of largest marginal gain, lazily re-evaluated."""
    oracle, probe = _oracle(run)
    q = run.query
    P = q.passive
    cost = _check_cost(run, probe, "mg-greedy")
    cand_nodes, owner_indptr, owner_aps = q.owners()
    left = run.cap.copy()
    seeds, value = [], 0.0
    calls = 0
    with run.timer("selection"):
        heap = []
        for j, v in enumerate(cand_nodes.tolist()):
            heap.append((-oracle(P, np.array([v], dtype=np.int32)), v, j, 0))
            calls += 1
        heapq.heapify(heap)
        pick_ap, pick_node, pick_gain = [], [], []
        while heap:
            neg, v, j, stamp = heapq.heappop(heap)
            owners = owner_aps[owner_indptr[j]:owner_indptr[j + 1]]
            free = owners[left[owners] > 0]
            if len(free) == 0:
                continue
            if stamp == len(seeds):
                u = int(free[0])
                left[u] -= 1
                seeds.append(v)
                value += -neg
                pick_ap.append(u)
                pick_node.append(v)
                pick_gain.append(-neg)
                continue
            gain = oracle(P, np.array(seeds + [v], dtype=np.int32)) - value
            calls += 1
            heapq.heappush(heap, (-gain, v, j, len(seeds)))
    return _picks(pick_ap, pick_node, pick_gain, spread=value,
                  params=dict(oracle_calls=calls, **cost))


def _rr_greedy(run):
    """RR-Greedy with CELF: rounds over the open APs, each taking its best friend; cached
    gains are upper bounds (submodularity) and are re-evaluated only when on top."""
    oracle, probe = _oracle(run)
    q = run.query
    P = q.passive
    cost = _check_cost(run, probe, "rr-greedy")
    n_p = P.n
    cached = np.full(n_p, np.inf)
    stamp = np.full(n_p, -1, dtype=np.int64)
    seeded = np.zeros(n_p, dtype=bool)
    count = np.zeros(q.d, dtype=np.int64)
    is_open = (run.cap > 0) & (q.n_candidates > 0)
    seeds, value, calls = [], 0.0, 0
    pick_ap, pick_node, pick_gain = [], [], []
    with run.timer("selection"):
        while is_open.any():
            for u in np.flatnonzero(is_open).tolist():
                cands = q.cand_p[q.cand_indptr[u]:q.cand_indptr[u + 1]]
                cands = cands[~seeded[cands]]
                if len(cands) == 0:
                    is_open[u] = False
                    continue
                while True:
                    v = int(cands[np.argmax(cached[cands])])  # first max: smallest id
                    if stamp[v] == len(seeds):
                        break
                    cached[v] = oracle(P, np.array(seeds + [v], dtype=np.int32)) - value
                    stamp[v] = len(seeds)
                    calls += 1
                seeded[v] = True
                seeds.append(v)
                value += cached[v]
                pick_ap.append(u)
                pick_node.append(v)
                pick_gain.append(cached[v])
                count[u] += 1
                if count[u] >= run.cap[u]:
                    is_open[u] = False
    return _picks(pick_ap, pick_node, pick_gain, spread=value, params=dict(oracle_calls=calls, **cost))


# ============================================================ local baselines
def _top_by_score(run, score_g):
    """Each AP's k_u candidates of highest score (ties: smaller id), independently."""
    q = run.query
    ap_of_pair = np.repeat(np.arange(q.d, dtype=np.int64), q.n_candidates)
    order = np.lexsort((q.cand_p, -score_g[q.cand], ap_of_pair))
    rank = np.arange(len(order)) - q.cand_indptr[ap_of_pair[order]]
    keep = order[rank < run.cap[ap_of_pair[order]]]
    return _picks(ap_of_pair[keep], q.cand_p[keep], None)


def _local_degree(run):
    """Rank C_u by out-degree in G, as the authors' implementation does."""
    with run.timer("selection"):
        return _top_by_score(run, run.query.graph.out_degree.astype(np.float64))


def _local_pagerank(run):
    """Rank C_u by PageRank on G (forward direction, damping 0.8, as the authors' code)."""
    from .baselines import pagerank_scores

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
    n_p = q.passive.n
    u, c, k = _largest_ap(run)
    ln6 = math.log(6.0 / run.delta)
    theta_max = (2.0 * n_p * (APPROX_IM * math.sqrt(ln6) + math.sqrt(APPROX_IM * (log_binomial(c, k) + ln6))) ** 2
                 / (run.eps ** 2 * k))
    theta = max(1, math.ceil(theta_max * run.eps ** 2 * k / n_p))
    i_max = max(1, math.ceil(math.log2(theta_max / theta)))
    a = math.log(3.0 * i_max / run.delta)
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
        if ratio >= APPROX_IM - run.eps or i == i_max:
            break
        theta = 2 * len(r1)
    with run.timer("selection"):
        ap, node, gain = _local_greedy_all(run, r1)
        spread = n_p * r2.coverage(node) / len(r2)
    return _picks(ap, node, gain * (n_p / len(r1)), spread=spread, n_rr_sets=len(r1) + len(r2),
                  params=dict(sized_by_ap=q.ap_ids[u], rounds=i, ratio_of_sizing_ap=ratio))


def _local_imm(run):
    """IMM per AP on one shared RR collection of P.

    IMM's lower-bound search and theta = lambda* / LB are computed for the AP with
    the largest C_u (n = n_p, ln C(|C_u|, k_u)); a fresh collection of that size is
    sampled and every AP runs greedy restricted to its C_u on it.
    """
    q = run.query
    n_p = q.passive.n
    u, c, k = _largest_ap(run)
    log_n = math.log(max(n_p, 2))
    ell = math.log(1.0 / run.delta) / log_n * (1.0 + math.log(2.0) / log_n)
    lnc = log_binomial(c, k)
    eps_p = math.sqrt(2.0) * run.eps
    lambda_p = ((2.0 + 2.0 / 3.0 * eps_p) * (lnc + ell * log_n + math.log(max(math.log2(n_p), 1.0)))
                * n_p / eps_p ** 2)
    alpha = math.sqrt(ell * log_n + math.log(2.0))
    beta = math.sqrt(APPROX_IM * (lnc + ell * log_n + math.log(2.0)))
    lambda_star = 2.0 * n_p * (APPROX_IM * alpha + beta) ** 2 / run.eps ** 2
    lb, rr = 1.0, None
    for i in range(1, max(2, math.ceil(math.log2(n_p)))):
        x = n_p / 2.0 ** i
        with run.timer("sampling"):
            rr = run.grow(rr, math.ceil(lambda_p / x), _IMM_SEARCH)
            idx_indptr, idx_sets = rr.node_index
        with run.timer("selection"):
            _, _, _, cov, _ = kernels.local_greedy(rr.offsets, rr.nodes, idx_indptr, idx_sets, q.cand_indptr,
                                                   q.cand_ranked, run.cap, u, u + 1)
        if n_p * int(cov[0]) / len(rr) >= (1.0 + eps_p) * x:
            lb = n_p * int(cov[0]) / (len(rr) * (1.0 + eps_p))
            break
    search = len(rr)
    with run.timer("sampling"):
        final = run.sample(max(1, math.ceil(lambda_star / lb)), _IMM_FINAL)
        _ = final.node_index
    with run.timer("selection"):
        ap, node, gain = _local_greedy_all(run, final)
    return _picks(ap, node, gain * (n_p / len(final)), n_rr_sets=search + len(final),
                  params=dict(sized_by_ap=q.ap_ids[u], lower_bound_opt=lb))


#: algorithm name -> (function, options it accepts)
ALGORITHMS = {
    "rr-opim+": (_rr_opim_plus, ("start", "min_rr_sets")),
    "rr-opim": (_rr_opim, ("start", "min_rr_sets")),
    "mg-opim": (_mg_opim, ("start", "min_rr_sets")),
    "mg-greedy": (_mg_greedy, ("oracle", "simulations", "max_seconds")),
    "rr-greedy": (_rr_greedy, ("oracle", "simulations", "max_seconds")),
    "local-degree": (_local_degree, ()),
    "local-pagerank": (_local_pagerank, ()),
    "local-opim-c": (_local_opim_c, ()),
    "local-imm": (_local_imm, ()),
}


# ============================================================ entry points
def cim(graph, aps, k, *, algorithm="rr-opim+", eps=0.1, delta=None, capacities=None, seed=0, threads=None,
        rank_by_weight=False, progress=None, model="ic", backend="local", address=None, num_workers=None,
        max_memory=None, **options):
    """Choose at most k friends per active participant to maximise the spread of their union.

    Parameters
    ----------
    graph : Graph
        The social network G; edge (u, v) means u can influence v.
    aps : list of original ids, or CimQuery
        The active participants A. A :class:`CimQuery` from :func:`build_query`
        reuses the candidates and the passive graph across runs.
    k : int >= 1, or None
        Capacity of every AP (None only if ``capacities`` covers every AP).
    algorithm : str, default "rr-opim+"
        One of ``ALGORITHMS`` (see the module docstring).
    eps : float in (0, 1), default 0.1
        The OPIM family stops at sigma_l / sigma_u >= 1/2 - eps.
    delta : float in (0, 1), default 1/n
        Failure probability of the OPIM family's guarantee.
    capacities : dict, optional
        Original id -> k_u, overriding ``k`` for those APs (ids that are not APs
        are ignored; ids not in the graph are an error).
    seed : int, default 0
        Random seed; results do not depend on ``threads``.
    threads : int, optional
        Threads for sampling (selection is sequential).
    rank_by_weight : bool, default False
        Re-order each AP's friends by descending edge weight (intimacy), as deployed.
    progress : callable, optional
        Called with the number of RR sets generated.
    model : {"ic", "lt"}, default "ic"
    backend : {"local", "ray"}, default "local"
        Where the RR sets of the OPIM family live; "ray" runs rr-opim+ and rr-opim
        with the sets on Ray worker actors (same answer for the same seed).
    address : str, optional
        Ray cluster address ("auto", "HOST:PORT"); None starts a local one.
    num_workers : int, optional
        Ray worker actors (default: the cluster's CPUs).
    max_memory : int or str, optional
        Memory budget of the OPIM family (bytes, "16G", "80%"; default 80% of the
        available RAM): the run is refused before sampling a round that would not fit.
    **options
        ``start="authors"|"paper"`` (OPIM family: the first RR collection size, see
        Notes); ``min_rr_sets`` (OPIM family, default 0: start R1 and R2 at no fewer
        sets; the guarantee is unchanged, small instances gain accuracy for a few
        milliseconds); ``oracle``, ``simulations`` (default 10,000), ``max_seconds``
        (default 3600) for mg-greedy and rr-greedy. ``oracle(passive_graph,
        dense_ids) -> float`` replaces Monte-Carlo (tests pass exact spread).

    Returns
    -------
    CimResult

    Raises
    ------
    SeedwiseError
        Unknown algorithm or option, AP ids not in the graph, no AP with candidates,
        k or a capacity <= 0, bad eps/delta, or a greedy run estimated to exceed
        ``max_seconds``.

    Notes
    -----
    RR-OPIM+ (SPEC section 4): chi = distinct seeds of a random feasible assignment
    (<= OPT); theta_max = 2 n_p (0.5 sqrt(ln 6/delta) + sqrt(0.5 (ln prod_u C(|C_u|, k_u)
    + ln 6/delta)))^2 / (eps^2 chi); i_max = ceil(log2(theta_max / theta_0));
    p_f = delta / (3 i_max). R1 and R2 (independent streams) start at theta_0 sets and
    double; S = RR-Greedy on R1; sigma_l from Lambda_R2(S), sigma_u from
    U = min(2 Lambda_R1(S), min over RR-Greedy states S_t of Lambda_R1(S_t) + sum over
    APs of the k_u largest marginal coverages of C_u). The minimum runs over the states
    before every round and after the last one; each term bounds the optimal coverage
    because OPT is a union of at most k_u candidates per AP.

    Start: ``start="authors"`` (default) uses theta_0 = max(paper, authors), where the
    paper's is ceil(eps^2 theta_max / n_p) and the authors' implementation's is
    2 (0.5 sqrt(ln 6/delta) + sqrt(0.5 (L + ln 6/delta)))^2 / sqrt(chi) with L over the
    APs' full out-degrees; it is the larger, so the run stops at no fewer RR sets than
    their code and the spread does not fall below theirs. ``start="paper"`` uses the
    paper's (smaller) start. The guarantee holds for both.

    RR-Greedy: in each round every open AP (fewer than k_u friends and candidates
    left), in the order of ``aps``, takes its candidate of largest marginal coverage.
    A friend already chosen by another AP is skipped (recommending it again adds no
    spread); an AP does take a friend of zero marginal coverage on R1, since any new
    seed adds at least its own activation. So all friends are distinct for the rr-*
    and mg-* algorithms; the local baselines rank independently and overlap. Ties in
    marginal coverage, frequent when RR-OPIM+ stops early (most candidates then have
    zero coverage), go to the candidate with the larger expected one-hop spread on P,
    1 + sum of p(v, w) (then the smaller id; ``CimQuery.prio``), not to an arbitrary
    id: on soc-Slashdot0902 (5% APs, k = 10) this lifts the spread of RR-OPIM+ from
    about 55,400 (ties by id, as the authors' code) to about 56,600 at no cost, and
    by about 4% at k = 2. The guarantees do not depend on how ties are broken.

    The local baselines with RR sets (local-opim-c, local-imm) share one collection on
    P sized for the AP with the largest C_u (see their functions); local-degree ranks by
    out-degree in G and local-pagerank by forward PageRank on G (damping 0.8), as the
    authors' code does.

    References
    ----------
    .. [1] Zhang, Huang, Sun, Lin, Xiao, Tang. "Capacity Constrained Influence
       Maximization in Social Networks." KDD 2023.
    .. [2] Tang, Tang, Xiao, Yuan. "Online Processing Algorithms for Influence
       Maximization." SIGMOD 2018.

    Examples
    --------
    >>> import seedwise
    >>> from seedwise.algorithms.cim import cim
    >>> g = seedwise.load_dataset("cim-physic")
    >>> res = cim(g, [232, 74, 195, 121, 149], k=2, seed=0)
    >>> res.ratio >= res.target, all(len(f) <= 2 for f in res.assignments.values())
    (True, True)
    """
    t0 = time.perf_counter()
    name = check_choice("algorithm", algorithm, tuple(ALGORITHMS))
    fn, allowed = ALGORITHMS[name]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise SeedwiseError(f"unknown option{'s' if len(unknown) > 1 else ''} for {name}: {', '.join(unknown)} "
                            f"(it takes {', '.join(allowed) or 'none'})")
    if "start" in options:
        options["start"] = check_choice("start", options["start"], ("authors", "paper"))
    model = check_model(model)
    if model == "lt":
        graph.check_lt()
    eps, delta = check_eps(eps), check_delta(delta, graph.n)
    seed, threads = check_seed(seed), check_threads(threads)
    timer = Timer()
    with timer("query"):
        query = build_query(graph, aps)
        cap = resolve_capacities(query, k, capacities)
    store = make_backend(backend, query.passive, model, threads=threads, progress=progress, address=address,
                         num_workers=num_workers)
    if store.name != "local" and name not in ("rr-opim+", "rr-opim"):
        store.close()
        raise SeedwiseError(f"{name} runs on the local backend only; --backend ray supports rr-opim+ and rr-opim")
    run = _Run(query, cap, model, eps, delta, seed, threads, progress, timer, options, store, max_memory)
    try:
        out = fn(run)
    finally:
        store.close()
    result = _result(query, name, k, cap, out, timer.done(),
                     dict(eps=eps, delta=delta, seed=seed, threads=threads, model=model, aps=query.d,
                          candidate_pairs=int(len(query.cand)), passive_nodes=query.passive.n,
                          **out.get("params", {})))
    if rank_by_weight:
        result = result.ranked_by_weight()
    # total: the whole call, result assembly included
    return replace(result, times={**result.times, "total": time.perf_counter() - t0})


def _result(q, name, k, cap, out, times, params):
    """CimResult from picks (AP index, P id, gain) in rank order per AP."""
    pick_ap, pick_p = out["pick_ap"], out["pick_node"]
    n_p = q.passive.n
    # locate each pick among the candidate pairs (sorted by AP, then id)
    pair_key = np.repeat(np.arange(q.d, dtype=np.int64), q.n_candidates) * n_p + q.cand_p
    order = np.argsort(pick_ap, kind="stable")  # rank order within each AP kept
    pos = np.searchsorted(pair_key, (pick_ap * n_p + pick_p)[order])
    gains = np.full(len(pos), np.nan) if out["pick_gain"] is None else out["pick_gain"][order]
    indptr = np.zeros(q.d + 1, dtype=np.int64)
    np.cumsum(np.bincount(pick_ap, minlength=q.d), out=indptr[1:])
    distinct = np.zeros(n_p, dtype=bool)
    distinct[pick_p] = True
    return CimResult(
        algorithm=name, k=None if k is None else int(k), ap_ids=list(q.ap_ids), indptr=indptr,
        friends=q.graph.label(q.cand[pos]), marginal_gains=gains,
        edge_weights=q.cand_weight[pos].astype(np.float64), distinct_seeds=int(distinct.sum()),
        spread=out.get("spread"), lower=out.get("lower"), upper=out.get("upper"), ratio=out.get("ratio"),
        target=out.get("target"), n_rr_sets=int(out.get("n_rr_sets", 0)), times=times,
        aps_without_candidates=list(q.aps_without_candidates), params=params,
    )


def cim_spread(graph, aps, assignments_or_result, *, simulations=10_000, rr_sets=None, seed=0, threads=None,
               model="ic", progress=None):
    """Spread on the passive graph P of the union of recommended friends, measured
    independently of the selection.

    Parameters
    ----------
    graph : Graph
    aps : list of original ids, or CimQuery
        The APs that define P = G minus A.
    assignments_or_result : CimResult, dict (AP id -> friend ids), or iterable of friend ids
    simulations : int, default 10000
        Monte-Carlo runs on P (used unless ``rr_sets`` is given).
    rr_sets : int, optional
        Estimate with a fresh collection of this many RR sets on P instead (a stream
        independent of every selection stream).
    seed : int, default 0
    threads : int, optional
    model : {"ic", "lt"}, default "ic"
    progress : callable, optional

    Returns
    -------
    SpreadEstimate
        mean with a 95% confidence interval, method "mc" or "rr".

    Raises
    ------
    SeedwiseError
        A friend that is not a node of the graph or is itself an AP.
    """
    t0 = time.perf_counter()
    query = build_query(graph, aps)
    seed, threads, model = check_seed(seed), check_threads(threads), check_model(model)
    if isinstance(assignments_or_result, CimResult):
        friends = assignments_or_result.seeds
    elif isinstance(assignments_or_result, dict):
        friends = [f for fs in assignments_or_result.values() for f in fs]
    else:
        friends = list(assignments_or_result)
    dense = graph.index_of(friends, what="friend id") if friends else np.zeros(0, dtype=np.int32)
    if query.is_ap[dense].any():
        bad = graph.label(dense[query.is_ap[dense]][:3])
        raise SeedwiseError(f"friends must not be APs (spread is measured on the passive graph); got {bad}")
    seeds = np.unique(query.p_of_g[dense]).astype(np.int32)
    passive = query.passive
    if rr_sets is not None:
        count = check_int("rr_sets", rr_sets, 1)
        rr = sample_rr_sets(passive, count, model=model, seed=derive_seed(seed, _EVAL_RR), threads=threads,
                            progress=progress)
        p = rr.coverage(seeds) / count if len(seeds) else 0.0
        half = 1.96 * passive.n * math.sqrt(p * (1.0 - p) / count)
        mean = passive.n * p
        return SpreadEstimate(mean=mean, ci95=(mean - half, mean + half), simulations=count, method="rr",
                              seconds=time.perf_counter() - t0)
    from ..diffusion.monte_carlo import monte_carlo_spread

    est = monte_carlo_spread(passive, seeds, model=model, simulations=simulations,
                             seed=derive_seed(seed, _EVAL_MC), threads=threads, progress=progress)
    return replace(est, seconds=time.perf_counter() - t0)
