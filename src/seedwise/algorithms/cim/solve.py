"""Capacity constrained influence maximization (CIM): the default, RR-OPIM+, its variants and baselines.

A set A of active participants (APs) may each recommend at most k (or k_u) of
their friends; the recommended friends become seeds, and the aim is the largest
spread of their union on the passive graph P = G minus A (SPEC section 4). This is
submodular maximization under a partition matroid over AP-friend pairs.

Algorithms (``ALGORITHMS``), all returning a :class:`CimResult`:

- ``rr-opim+eb`` (default): RR-OPIM+'s rounds and certificate with an empirical-Bayes
  RR-Greedy (coverage weighed against a one-hop prior), the better of its answer and
  local-degree's on R2 returned (union bound); (1/2 - eps)-approximate with
  probability >= 1 - delta, RR-OPIM+'s speed, RR-OPIM's quality (docs/cim-default.md).
- ``rr-opim+``: OPIM-C's sampling framework on RR sets of P with RR-Greedy as the
  selector and the tightened upper bound; (1/2 - eps)-approximate with probability
  >= 1 - delta, near-linear time (the paper's algorithm).
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

import time
from dataclasses import replace

import numpy as np

from ..._timer import Timer
from ..._validation import CIM, SeedwiseError, default_threads, validated
from ...backends import make_backend
from ...results import CimResult
from ...sampling import derive_seed, sample_rr_sets
from ...sampling.estimate import rr_interval
from ._run import _EVAL_MC, _EVAL_RR, _Run
from .baselines import _local_degree, _local_imm, _local_opim_c, _local_pagerank
from .greedy import _mg_greedy, _rr_greedy
from .query import build_query, resolve_capacities
from .rr_opim import _mg_opim, _rr_opim, _rr_opim_eb, _rr_opim_plus

ALGORITHMS = {
    "rr-opim+eb": (_rr_opim_eb, ("start", "min_rr_sets", "prior_strength")),
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

#: algorithms whose RR sets may live on any backend (the others sample in this process)
ANY_BACKEND = ("rr-opim+eb", "rr-opim+", "rr-opim")


@validated(**CIM)
def cim(graph, aps, k, *, algorithm="rr-opim+eb", eps=0.1, delta=None, capacities=None, seed=0, threads=None,
        rank_by_weight=False, progress=None, model="ic", backend="local", address=None, num_workers=None,
        max_memory=None, weight=None, **options):
    """Choose at most k friends per active participant to maximise the spread of their union.

    Parameters
    ----------
    graph : Graph, networkx graph, scipy.sparse matrix or pandas DataFrame
        The social network G; edge (u, v) means u can influence v.
    aps : list of original ids, or CimQuery
        The active participants A. A :class:`CimQuery` from :func:`build_query`
        reuses the candidates and the passive graph across runs.
    k : int >= 1, or None
        Capacity of every AP (None only if ``capacities`` covers every AP).
    algorithm : str, default "rr-opim+eb"
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
    backend : {"local", "ray"} or RayPool, default "local"
        Where the RR sets of the OPIM family live; "ray" runs rr-opim+eb, rr-opim+ and
        rr-opim with the sets on Ray worker actors (same answer for the same seed); a
        ``RayPool`` lends actors that stay up between runs.
    address : str, optional
        Ray cluster address ("auto", "HOST:PORT"); None starts a local one.
    num_workers : int, optional
        Ray worker actors (default: the cluster's CPUs).
    max_memory : int or str, optional
        Memory budget of the OPIM family (bytes, "16G", "80%"; default 80% of the
        available RAM): the run is refused before sampling a round that would not fit.
    weight : str, optional
        The probability attribute or column when ``graph`` is a networkx or
        pandas graph (see :func:`seedwise.graph.as_graph`).
    **options
        ``start="authors"|"paper"`` (OPIM family: the first RR collection size, see
        Notes); ``min_rr_sets`` (OPIM family, default 0: start R1 and R2 at no fewer
        sets; the guarantee is unchanged, small instances gain accuracy for a few
        milliseconds); ``prior_strength`` (rr-opim+eb, default 16: the Gamma prior's
        shape in pseudo-observations); ``oracle``, ``simulations`` (default 10,000), ``max_seconds``
        (default 3600) for mg-greedy and rr-greedy. ``oracle(passive_graph,
        dense_ids) -> float`` replaces Monte-Carlo (tests pass exact spread).

    Returns
    -------
    CimResult
        With ``zero_gain_picks`` (recommendations of zero marginal coverage in the RR
        sample) and ``zero_gain_fill`` (how they were filled) for the RR algorithms.

    Raises
    ------
    SeedwiseError
        Unknown algorithm or option, AP ids not in the graph, no AP with candidates,
        k or a capacity <= 0, bad eps/delta, or a greedy run estimated to exceed
        ``max_seconds``.

    Notes
    -----
    RR sets of P are sampled on G with the APs blocked (SPEC section 5.2): the same
    distribution as on P, without copying the graph per query.

    rr-opim+eb (the default) runs RR-OPIM+'s rounds below with two changes
    (derivation in docs/cim-default.md). (1) RR-Greedy takes, in each AP's turn, the
    friend of largest posterior mean marginal spread n_p (s + g_v) / (s n_p / (kappa
    h_v) + theta) instead of the largest coverage g_v: a Gamma prior of shape s = 16 and
    mean kappa h_v, h_v the one-hop spread on P, kappa = sum of the candidates' coverage
    / (theta sum of h_v / n_p). With RR-OPIM+'s few RR sets most friends have coverage 0
    or 1, and luck no longer beats a much better neighbourhood. (2) The answer S_eb and
    the local-degree assignment, both fixed before R2 is read, are scored on R2 and the
    larger coverage is returned; sigma_l uses ln(1/p_f) + ln(2) (a union bound over
    the two), sigma_u the minimum of the tightened bounds of both the prior's and the
    plain RR-Greedy's states on R1 and 2 Lambda_R1 of the plain RR-Greedy's answer.
    Stop at sigma_l / sigma_u >= 1/2 - eps as RR-OPIM+; at i_max without a certificate
    the plain RR-Greedy's answer is returned. ``params["chosen"]`` says which answer
    was returned.

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
    name = algorithm
    fn, allowed = ALGORITHMS[name]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise SeedwiseError(f"unknown option{'s' if len(unknown) > 1 else ''} for {name}: {', '.join(unknown)} "
                            f"(it takes {', '.join(allowed) or 'none'})")
    threads = default_threads(threads)
    timer = Timer()
    with timer("query"):
        query = build_query(graph, aps)
        cap = resolve_capacities.__wrapped__(query, k, capacities)
    if backend != "local" and name not in ANY_BACKEND:
        raise SeedwiseError(f"{name} runs on the local backend only; --backend ray supports "
                            f"{' and '.join(ANY_BACKEND)}")
    store = make_backend(backend, graph, model, threads=threads, progress=progress, address=address,
                         num_workers=num_workers, blocked=query.blocked)
    run = _Run(query, cap, model, eps, delta, seed, threads, progress, timer, options, store, max_memory)
    try:
        out = fn(run)
    finally:
        store.close()
    result = _result(query, name, k, cap, out, timer.done(),
                     dict(eps=eps, delta=delta, seed=seed, threads=threads, model=model, aps=query.d,
                          candidate_pairs=int(len(query.cand)), passive_nodes=query.n_p,
                          **out.get("params", {})))
    if rank_by_weight:
        result = result.ranked_by_weight()
    # total: the whole call, result assembly included
    return replace(result, times={**result.times, "total": time.perf_counter() - t0})


def _result(q, name, k, cap, out, times, params):
    """CimResult from picks (AP index, G id, gain) in rank order per AP."""
    pick_ap, pick_node = out["pick_ap"], out["pick_node"]
    n = q.graph.n
    # locate each pick among the candidate pairs (sorted by AP, then id)
    pair_key = np.repeat(np.arange(q.d, dtype=np.int64), q.n_candidates) * n + q.cand
    order = np.argsort(pick_ap, kind="stable")  # rank order within each AP kept
    pos = np.searchsorted(pair_key, (pick_ap * n + pick_node)[order])
    gains = np.full(len(pos), np.nan) if out["pick_gain"] is None else out["pick_gain"][order]
    indptr = np.zeros(q.d + 1, dtype=np.int64)
    np.cumsum(np.bincount(pick_ap, minlength=q.d), out=indptr[1:])
    distinct = np.zeros(n, dtype=bool)
    distinct[pick_node] = True
    return CimResult(
        algorithm=name, k=None if k is None else int(k), ap_ids=list(q.ap_ids), indptr=indptr,
        friends=q.graph.label(q.cand[pos]), marginal_gains=gains,
        edge_weights=q.cand_weight[pos].astype(np.float64), distinct_seeds=int(distinct.sum()),
        spread=out.get("spread"), lower=out.get("lower"), upper=out.get("upper"), ratio=out.get("ratio"),
        target=out.get("target"), n_rr_sets=int(out.get("n_rr_sets", 0)), times=times,
        aps_without_candidates=list(q.aps_without_candidates), params=params, pick=order,
        zero_gain_picks=int(np.count_nonzero(gains == 0)) if "zero_gain_fill" in out else None,
        zero_gain_fill=out.get("zero_gain_fill"),
    )


@validated(**CIM)
def cim_spread(graph, aps, assignments_or_result, *, simulations=10_000, rr_sets=None, seed=0, threads=None,
               model="ic", progress=None, weight=None):
    """Spread on the passive graph P of the union of recommended friends, measured
    independently of the selection.

    Parameters
    ----------
    graph : Graph, networkx graph, scipy.sparse matrix or pandas DataFrame
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
    weight : str, optional
        The probability attribute or column when ``graph`` is a networkx or
        pandas graph (see :func:`seedwise.graph.as_graph`).

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
    seeds = np.unique(dense).astype(np.int32)
    if rr_sets is not None:
        # RR sets of P, sampled on G with the APs blocked (SPEC section 5.2)
        count = rr_sets
        rr = sample_rr_sets(graph, count, model=model, seed=derive_seed(seed, _EVAL_RR), threads=threads,
                            progress=progress, blocked=query.blocked)
        covered = rr.coverage(seeds) if len(seeds) else 0
        return rr_interval(covered, count, query.n_p, seconds=time.perf_counter() - t0)
    from ...diffusion.monte_carlo import monte_carlo_spread

    # Monte-Carlo runs forward from the seeds, on P built for it
    est = monte_carlo_spread.__wrapped__(query.passive, query.p_of_g[seeds].astype(np.int32), model=model,
                                         simulations=simulations, seed=derive_seed(seed, _EVAL_MC),
                                         threads=threads, progress=progress)
    return replace(est, seconds=time.perf_counter() - t0)
