"""HeteroIM as a pair problem: greedy over (inviter, invitee) pairs on pair RR sets.

Each inviter i chooses a list L_i of at most K_i out-neighbours that are not
inviters; j accepts i's invitation with probability q_ij = P_ij U_j, independently,
and accepted invitees spread by IC on G (through non-inviters; the inviters are
active already and spread only through their invitations). f(L) = the expected
number of non-inviters reached is monotone submodular over pairs, the lists form a
partition matroid, and greedy over pairs is >= 1/2 OPT (Fisher, Nemhauser, Wolsey
1978). RR sets of pairs (SPEC 5.1) estimate f without bias, and OPIM-C's doubling
with a lower bound on an independent collection and an upper bound on the optimum
certifies the answer (SPEC 3), with the matroid's 1/2 in place of 1 - 1/e, as
RR-OPIM does for CIM (SPEC 4).

References
----------
.. [1] J. Tang, X. Tang, X. Xiao, J. Yuan. "Online Processing Algorithms for
   Influence Maximization." SIGMOD 2018 (OPIM-C).
.. [2] S. Zhang, Y. Huang, J. Sun, W. Lin, X. Xiao, B. Tang. "Capacity Constrained
   Influence Maximization in Social Networks." KDD 2023 (RR-OPIM over a partition
   matroid).
.. [3] M. Fisher, G. Nemhauser, L. Wolsey. "An analysis of approximations for
   maximizing submodular set functions II." Math. Prog. Study 8, 1978.
.. [4] "Heterogeneous Influence Maximization in User Recommendation" (Tencent),
   socialalgo/HIM; SPEC sections 5, 5.1, 5.2.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..._parallel import map_blocks, split_range
from ..._timer import Timer
from ..._validation import MemoryBudgetError
from ...graph._kernels import reverse_csr
from ...memory import format_bytes, parse_memory_budget
from ...sampling import derive_seed
from ...sampling._kernels import count_covered
from ...selection import lower_bound, sizes, upper_bound
from . import _pair_kernels as kernels

#: pair RR sets per block handed to one thread (results do not depend on it)
BLOCK = 8192
#: how often (in picks, spread evenly) the greedy re-evaluates the tightened upper bound
CHECKPOINTS = 64
_R1, _R2 = 1, 2


# ---------------------------------------------------------------- the pairs
@dataclass(frozen=True, eq=False)
class PairIndex:
    """The ground set of the pair problem for one set of inviters.

    Pairs are the edges i -> j with i an inviter and j not, numbered by priority:
    q_ij (1 + sum of j's out-probabilities to non-inviters) descending, i.e. the
    expected one-hop reach of the invitation, then inviter position and invitee id.

    Attributes
    ----------
    aps : int32 (d,)
        Dense ids of the inviters, in the caller's order; ``cap`` int64 (d,) their K_i.
    owner : int32 (P,)
        Position in ``aps`` of each pair's inviter; ``invitee`` int32 (P,) dense id of j.
    q : float64 (P,)
        Acceptance probability q_ij = P_ij U_j.
    out_edge : int64 (P,)
        Index of the edge i -> j in the out-CSR.
    pair_of_in : int32 (m,)
        Pair id of each in-CSR edge (-1 for edges that are no pair).
    blocked : bool (n,)
        The inviters.
    accept : float64 (n,)
        U (ones by default).
    """

    graph: object
    aps: np.ndarray
    cap: np.ndarray
    owner: np.ndarray
    invitee: np.ndarray
    q: np.ndarray
    out_edge: np.ndarray
    pair_of_in: np.ndarray
    blocked: np.ndarray
    accept: np.ndarray

    @property
    def n_pairs(self):
        return int(self.owner.shape[0])

    @property
    def d(self):
        return int(self.aps.shape[0])

    @cached_property
    def targets(self):
        """Dense ids of the non-inviters (RR targets), int32."""
        return np.flatnonzero(~self.blocked).astype(np.int32)

    @cached_property
    def by_inviter(self):
        """(indptr int64 (d+1,), pair ids int32): the pairs of each inviter."""
        order = np.argsort(self.owner, kind="stable").astype(np.int32)
        indptr = np.zeros(self.d + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.owner, minlength=self.d), out=indptr[1:])
        return indptr, order

    @property
    def candidates(self):
        """Number of pairs of each inviter, int64 (d,)."""
        return np.diff(self.by_inviter[0])


def build_pairs(graph, aps_dense, cap, accept=None):
    """:class:`PairIndex` of the inviters ``aps_dense`` (distinct dense ids) with capacities ``cap``."""
    n = graph.n
    aps = np.asarray(aps_dense, dtype=np.int32)
    blocked = np.zeros(n, dtype=np.bool_)
    blocked[aps] = True
    accept = np.ones(n, dtype=np.float64) if accept is None else np.asarray(accept, dtype=np.float64)
    pos_of = np.full(n, -1, dtype=np.int64)
    pos_of[aps] = np.arange(len(aps))
    head = np.repeat(np.arange(n, dtype=np.int32), graph.in_degree)  # j of in-edge (i -> j)
    tail = graph.in_indices
    in_edges = np.flatnonzero(blocked[tail] & ~blocked[head])
    i, j = tail[in_edges], head[in_edges]
    q = graph.in_prob[in_edges].astype(np.float64) * accept[j]
    # expected one-hop reach of j beyond itself: sum of p(j, l) over non-inviters l
    out_src = np.repeat(np.arange(n), graph.out_degree)
    live = ~blocked[graph.out_indices]
    onehop = np.bincount(out_src[live], weights=graph.out_prob[live].astype(np.float64), minlength=n)
    owner = pos_of[i]
    order = np.lexsort((j, owner, -(q * (1.0 + onehop[j]))))
    in_edges, i, j, q, owner = in_edges[order], i[order], j[order], q[order], owner[order]
    pair_of_in = np.full(graph.m, -1, dtype=np.int32)
    pair_of_in[in_edges] = np.arange(len(in_edges), dtype=np.int32)
    # the same edge in the out-CSR (targets sorted within each source row)
    out_edge = _out_edge(graph, i, j)
    return PairIndex(graph=graph, aps=aps, cap=np.asarray(cap, dtype=np.int64), owner=owner.astype(np.int32),
                     invitee=j.astype(np.int32), q=q, out_edge=out_edge, pair_of_in=pair_of_in,
                     blocked=blocked, accept=accept)


def _out_edge(graph, src, dst):
    """Out-CSR index of each edge src -> dst (edges known to exist)."""
    keys = np.repeat(np.arange(graph.n, dtype=np.int64), graph.out_degree) * graph.n + graph.out_indices
    order = np.argsort(keys, kind="stable")
    want = np.asarray(src, dtype=np.int64) * graph.n + np.asarray(dst, dtype=np.int64)
    return order[np.searchsorted(keys, want, sorter=order)].astype(np.int64)


# ---------------------------------------------------------------- pair RR sets
class PairRRSets:
    """A collection of pair RR sets: ``count`` sets, of which only the non-empty ones
    are stored (``pairs[offsets[s]:offsets[s+1]]`` are the pairs covering set s).

    Set i draws only from ``stream(seed, i)``, so a collection and its extensions are
    the same whatever the number of threads.
    """

    def __init__(self, n_pairs, count, offsets, pairs, *, seed=0, edges_examined=0):
        self.n_pairs = int(n_pairs)
        self.count = int(count)
        self.offsets = offsets
        self.pairs = pairs
        self.seed = seed
        self.edges_examined = int(edges_examined)
        self._index = None

    def __len__(self):
        return self.count

    @property
    def total(self):
        return int(self.pairs.shape[0])

    @property
    def index(self):
        """(indptr int64 (P+1,), set ids int32): the stored sets each pair covers."""
        if self._index is None:
            self._index = reverse_csr(self.offsets, self.pairs, self.n_pairs)  # pair -> sets: the transpose
        return self._index

    def coverage(self, chosen):
        """Number of sets covered by the pair ids ``chosen``."""
        mask = np.zeros(self.n_pairs, dtype=np.bool_)
        mask[np.asarray(chosen, dtype=np.int64)] = True
        return int(count_covered(self.offsets, self.pairs, mask))

    def extend(self, more):
        offsets = np.concatenate([self.offsets, more.offsets[1:] + self.offsets[-1]])
        return PairRRSets(self.n_pairs, self.count + more.count, offsets, np.concatenate([self.pairs, more.pairs]),
                          seed=self.seed, edges_examined=self.edges_examined + more.edges_examined)

    def __repr__(self):
        stored = self.offsets.shape[0] - 1
        return f"<PairRRSets {self.count:,} sets, {stored:,} covered by some pair, {self.total:,} entries>"


def sample_pair_rr_sets(index, count, *, seed=0, start=0, threads=1, progress=None):
    """Pair RR sets ``start .. start+count-1`` of the :class:`PairIndex` ``index`` (SPEC 5.1).

    Parameters
    ----------
    index : PairIndex
    count : int
    seed : int
        Stream seed; set i depends only on (seed, i).
    start : int
        Index of the first set (to extend a collection).
    threads : int, default 1
    progress : callable, optional
        Called with the number of sets finished after each block.

    Returns
    -------
    PairRRSets
    """
    g = index.graph
    args = (g.in_indptr, g.in_indices, g.in_prob, g.in_shared_p, index.blocked, index.pair_of_in, index.accept,
            index.targets, np.uint64(seed))
    block = max(512, min(BLOCK, -(-count // max(threads, 1))))

    def run(a, b):
        return kernels.sample_pair_rr(*args, a, b)

    parts = map_blocks(run, split_range(start, start + count, block), threads, progress)
    sizes = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int32)
    pairs = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int32)
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return PairRRSets(index.n_pairs, count, offsets, pairs, seed=seed,
                      edges_examined=sum(int(p[3]) for p in parts))


def grow(index, rr, count, seed, threads, progress=None):
    """``rr`` extended to ``count`` sets of the same stream (None: a new collection)."""
    if rr is None:
        return sample_pair_rr_sets(index, count, seed=seed, threads=threads, progress=progress)
    if count > len(rr):
        rr = rr.extend(sample_pair_rr_sets(index, count - len(rr), seed=seed, start=len(rr), threads=threads,
                                           progress=progress))
    return rr


# ---------------------------------------------------------------- OPIM over pairs
def greedy(index, rr):
    """Pair greedy on ``rr`` under the capacities: (picks, gains, coverage, upper coverage)."""
    idx_indptr, idx_sets = rr.index
    inv_indptr, inv_pairs = index.by_inviter
    return kernels.pair_greedy(rr.offsets, rr.pairs, idx_indptr, idx_sets, index.owner, inv_indptr,
                               inv_pairs.copy(), index.cap, CHECKPOINTS)


def opt_lower_bound(index):
    """A lower bound on OPT: each inviter's K_i pairs of largest q_ij reach, in
    expectation, at least the invitees that accept:
    sum over j of 1 - prod over chosen (i, j) of (1 - q_ij)."""
    keep = top_pairs(index, index.q)
    miss = np.ones(index.graph.n)
    np.multiply.at(miss, index.invitee[keep], 1.0 - index.q[keep])
    return float(np.sum(1.0 - miss))


def opim_sizes(index, eps, delta, min_rr_sets=0):
    """theta_0, theta_max, i_max and a = ln(3 i_max / delta) (SPEC 3 and 5.1).

    theta_max = 2 n' (1/2 sqrt(ln 6/delta) + sqrt(1/2 (L + ln 6/delta)))^2 / (eps^2 OPT_l)
    with n' the non-inviters, L = sum_i ln C(c_i, min(K_i, c_i)) over the inviters'
    candidate pairs c_i (the number of lists greedy chooses among) and OPT_l =
    :func:`opt_lower_bound`; theta_0 = theta_max eps^2 OPT_l / n' (OPIM-C's start).
    """
    from scipy.special import gammaln

    n_t = len(index.targets)
    c = index.candidates.astype(np.float64)
    k = np.minimum(index.cap.astype(np.float64), c)
    log_c = float(np.sum(gammaln(c + 1) - gammaln(k + 1) - gammaln(c - k + 1)))
    opt_l = max(opt_lower_bound(index), 1e-12)
    theta_max = sizes.theta_max(n_t, log_c, eps, delta, opt_l, approx=sizes.APPROX_PARTITION)
    theta_0 = max(1, math.ceil(sizes.theta_zero(theta_max, n_t, eps, opt_l)), int(min_rr_sets))
    i_max = sizes.i_max(theta_max, theta_0)
    return dict(theta_0=theta_0, theta_max=theta_max, i_max=i_max, a=sizes.failure_exponent(i_max, delta),
                log_c=log_c, opt_lower=opt_l)


def top_pairs(index, score):
    """Pair ids of each inviter's K_i pairs of largest ``score`` (float (P,); ties: smaller pair id)."""
    order = np.lexsort((np.arange(index.n_pairs), -np.asarray(score, dtype=np.float64), index.owner))
    owner = index.owner[order]
    first = np.searchsorted(owner, owner)  # start of each inviter's run
    return order[(np.arange(len(order)) - first) < index.cap[owner]].astype(np.int32)


def pair_opim(index, *, eps, delta, seed, threads, alternatives=(), max_memory=None, progress=None, min_rr_sets=0,
              settle=True, timer=None):
    """OPIM-C over pairs: greedy on R1, sigma_l on R2, sigma_u from the greedy's upper bound.

    Each round, the greedy's lists S and the ``alternatives`` (name, pair ids) are
    scored on R2 and the best is the answer A (ties: S). sigma_l bounds f(A) from
    Lambda_R2(A) with a = ln(3 i_max / delta) + ln(number compared) (a union bound over
    the candidates); since Lambda_R2(A) >= Lambda_R2(S), the (1/2 - eps) guarantee of
    S carries over. sigma_u bounds OPT from R1 (:func:`greedy`). R1 and R2 double
    until sigma_l / sigma_u >= 1/2 - eps and, with ``settle``, the answer has settled:
    sigma_l >= (1 - eps) n' Lambda_R1(S) / |R1|, i.e. the value certified on R2 is
    within 1 - eps of what the greedy believed it chose on R1 (while R1 overrates S
    by more, the picks follow sampling noise); or at i = i_max (theta_max sets).

    Returns
    -------
    dict with picks (pair ids, in selection order), gains (estimated marginal spread
    of each pick, n' Lambda_R1 / |R1|), zero_gain_picks, chosen (the candidate's name),
    spread (n' Lambda_R2(A) / |R2|), lower, upper, ratio, target, n_rr_sets, params.
    """
    timer = timer or Timer()
    plan = opim_sizes(index, eps, delta, min_rr_sets)
    n_t, target = len(index.targets), sizes.target_partition(eps)
    a = plan["a"] + math.log(1 + len(alternatives))
    budget = parse_memory_budget(max_memory)
    seed1, seed2 = derive_seed(seed, _R1), derive_seed(seed, _R2)
    theta = plan["theta_0"]
    r1 = r2 = None
    for i in range(1, plan["i_max"] + 1):
        if r1 is not None:
            _check_memory(r1, r2, theta, budget)
        with timer("sampling"):
            r1 = grow(index, r1, theta, seed1, threads, progress)
            r2 = grow(index, r2, theta, seed2, threads, progress)
            _ = r1.index
        with timer("selection"):
            picks, gains, coverage, upper_cov = greedy(index, r1)
            candidates = [("greedy", picks)] + list(alternatives)
            covs = [r2.coverage(c) for _, c in candidates]
            best = int(np.argmax(covs))
            sigma_l = lower_bound(covs[best], len(r2), n_t, a)
            sigma_u = upper_bound(int(upper_cov), len(r1), n_t, a)
            ratio = sigma_l / sigma_u if sigma_u > 0 else 1.0
            stable = sigma_l >= (1.0 - eps) * n_t * coverage / len(r1)
        if (ratio >= target and (stable or not settle)) or i == plan["i_max"]:
            break
        theta = 2 * len(r1)
    chosen, picks = candidates[best]
    if best > 0:
        idx_indptr, idx_sets = r1.index
        gains = kernels.list_gains(r1.offsets, r1.pairs, idx_indptr, idx_sets, picks)
    params = dict(rounds=i, theta_0=plan["theta_0"], theta_max=plan["theta_max"], i_max=plan["i_max"],
                  opt_lower=plan["opt_lower"], log_c=plan["log_c"], coverage_r1=int(coverage),
                  coverage_r2=covs[best], upper_coverage_r1=int(upper_cov), rr_entries=r1.total + r2.total,
                  edges_examined=r1.edges_examined + r2.edges_examined, chosen=chosen,
                  candidates_r2={name: c for (name, _), c in zip(candidates, covs)})
    return dict(picks=picks, gains=gains * (n_t / len(r1)), zero_gain_picks=int(np.sum(gains == 0)),
                chosen=chosen, spread=n_t * covs[best] / len(r2), lower=sigma_l, upper=sigma_u, ratio=ratio,
                target=target, n_rr_sets=len(r1) + len(r2), params=params)


def _check_memory(r1, r2, theta, budget):
    """Refuse a doubling whose pair RR sets would not fit ``budget`` (from the sizes so far)."""
    held = len(r1) + len(r2)
    per_set = (8.0 * (r1.total + r2.total) + 24.0 * (r1.offsets.shape[0] + r2.offsets.shape[0])) / held
    need = int(per_set * 2 * theta * 1.5)  # copies while concatenating
    if need > budget:
        raise MemoryBudgetError(
            f"HeteroIM's next round ({2 * theta:,} pair RR sets) needs about {format_bytes(need)}, over the "
            f"memory budget of {format_bytes(budget)}; use a larger eps or raise max_memory")
