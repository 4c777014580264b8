"""An HIM benchmark with a known truth: invitations accepted, then IC (SPEC section 5.1).

On a graph with given edge probabilities, each inviter i recommends its list L_i;
invitee j accepts with probability q_ij = P_ij U_j, independently, and accepted
invitees spread by IC on G. Inviters are active already and act only through their
invitations. The score of a method is the expected number of non-inviters reached,
estimated by Monte-Carlo with a 95% confidence interval. This is the quantity
HeteroIM's pair problem maximizes, so unlike metrics against observed pairs it ranks
methods by what a platform cares about.

Why the Higgs metrics cannot rank methods: there the observed spread pairs are the
mention graph's own edges, so every recommended pair (inviter, out-neighbour) is an
observed pair, Recall and NDCG are the same for every method, and NSpread counts
the recommended invitees' own observed out-pairs, i.e. their out-degrees, which
``degree`` maximizes by construction (docs/him.md).

References
----------
.. [1] "Heterogeneous Influence Maximization in User Recommendation" (Tencent),
   socialalgo/HIM; SPEC sections 5 and 5.1.
.. [2] D. Kempe, J. Kleinberg, E. Tardos. "Maximizing the spread of influence
   through a social network." KDD 2003 (IC).
"""
from __future__ import annotations

import time

import numpy as np

from .._parallel import map_blocks, split_range
from .._validation import HIM, SeedwiseError, default_threads, validated
from ..algorithms.him import METHODS, recommend, resolve_inviters, willingness_array
from ..diffusion.monte_carlo import _summary
from ..results import Recommendations
from . import _truth_kernels

#: Monte-Carlo runs per block handed to one thread (results do not depend on it)
BLOCK = 1024


def _list_pairs(graph, aps_dense, lists):
    """(inviter dense ids, invitee dense ids) of the distinct pairs of ``lists``."""
    if isinstance(lists, Recommendations):
        src, dst = lists.inviter.astype(np.int64), lists.invitee.astype(np.int64)
        if len(src) and (max(src.max(), dst.max()) >= graph.n
                         or graph.label(src[:1]) != lists.inviter_ids[:1]
                         or graph.label(dst[:1]) != lists.invitee_ids[:1]):
            raise SeedwiseError("the recommendations were made on another graph")
    elif isinstance(lists, dict):
        inv = [i for i, js in lists.items() for _ in js]
        friends = [j for js in lists.values() for j in js]
        src = graph.index_of(inv, what="inviter id").astype(np.int64) if inv else np.zeros(0, np.int64)
        dst = graph.index_of(friends, what="invitee id").astype(np.int64) if friends else np.zeros(0, np.int64)
    else:
        raise SeedwiseError("lists must be Recommendations or a dict inviter id -> [invitee ids]")
    is_ap = np.zeros(graph.n, dtype=bool)
    is_ap[aps_dense] = True
    if len(src) and not is_ap[src].all():
        bad = graph.label(src[~is_ap[src]][:3])
        raise SeedwiseError(f"lists name inviters that are not among the given inviters: {bad}")
    key = np.unique(src * graph.n + dst)
    return key // graph.n, key % graph.n


def _edges_of(graph, src, dst):
    """Out-CSR index of each edge src -> dst; SeedwiseError naming a pair that is no edge."""
    if len(src) == 0:
        return np.zeros(0, dtype=np.int64)
    lo, hi = graph.out_indptr[src], graph.out_indptr[src + 1]
    pos = np.empty(len(src), dtype=np.int64)
    ok = np.zeros(len(src), dtype=bool)
    for t in range(len(src)):  # one binary search per pair (targets sorted per row)
        row = graph.out_indices[lo[t]:hi[t]]
        p = int(np.searchsorted(row, dst[t]))
        ok[t] = p < len(row) and row[p] == dst[t]
        pos[t] = lo[t] + p
    if not ok.all():
        t = int(np.flatnonzero(~ok)[0])
        i, j = graph.label([src[t], dst[t]])
        raise SeedwiseError(f"invitee {j} of inviter {i} is not an out-neighbour of it (no edge {i} -> {j})")
    return pos


@validated
def invitation_counts(graph, aps, lists, *, willingness=None, simulations=10_000, seed=0, threads=None,
                      progress=None):
    """Non-inviters reached in each Monte-Carlo run of the truth model.

    Parameters
    ----------
    graph : Graph
        Edge probability P_ij = ``graph.out_prob``; IC spread on the same probabilities.
    aps : path or sequence of ids
        The inviters.
    lists : Recommendations or dict
        Each inviter's recommended invitees (original ids), e.g. ``recommend(...)``.
    willingness : None, path, mapping or float64 (n,), optional
        U_j (default 1): j accepts i's invitation with probability P_ij U_j.
    simulations : int, default 10000
    seed : int, default 0
        Run r is the same live-edge world for every list (common random numbers).
    threads : int, optional
    progress : callable, optional

    Returns
    -------
    int32 ndarray (simulations,)

    Raises
    ------
    SeedwiseError
        A listed invitee that is not an out-neighbour of its inviter, an inviter not
        in ``aps``, or bad arguments.
    """
    threads = default_threads(threads)
    aps_dense, _, _ = resolve_inviters(graph, aps)
    u = willingness_array(graph, willingness)
    src, dst = _list_pairs(graph, aps_dense, lists)
    edge = _edges_of(graph, src, dst)
    q = graph.out_prob[edge].astype(np.float64) * (1.0 if u is None else u[dst])
    blocked = np.zeros(graph.n, dtype=np.bool_)
    blocked[aps_dense] = True
    args = (graph.out_indptr, graph.out_indices, graph.out_prob, blocked, edge, dst.astype(np.int32), q,
            np.uint64(seed))
    block = max(64, min(BLOCK, -(-simulations // max(threads, 1))))

    def run(a, b):
        return _truth_kernels.simulate_invitations(*args, a, b)

    return np.concatenate(map_blocks(run, split_range(0, simulations, block), threads, progress))


@validated
def invitation_spread(graph, aps, lists, *, willingness=None, simulations=10_000, seed=0, threads=None,
                      progress=None):
    """Expected number of non-inviters reached by the lists under the truth model (MC, 95% CI).

    Parameters
    ----------
    graph : Graph
    aps : path or sequence of ids
        The inviters.
    lists : Recommendations or dict
        Inviter id -> recommended invitee ids.
    willingness : None, path, mapping or float64 (n,), optional
        U_j, default 1.
    simulations : int, default 10000
    seed : int, default 0
    threads : int, optional
    progress : callable, optional

    Returns
    -------
    SpreadEstimate

    Raises
    ------
    SeedwiseError
        As :func:`invitation_counts`.

    References
    ----------
    .. [1] SPEC section 5.1 (the pair problem's value f(L)).

    Examples
    --------
    >>> import seedwise
    >>> g = seedwise.load_dataset("email-eu-core", weights="wc")
    >>> recs = seedwise.recommend(g, [0, 2, 5], 2, method="prob")
    >>> est = seedwise.invitation_spread(g, [0, 2, 5], recs, simulations=1000)
    >>> est.ci95[0] <= est.mean <= est.ci95[1]
    True
    """
    t = time.perf_counter()
    counts = invitation_counts.__wrapped__(graph, aps, lists, willingness=willingness, simulations=simulations,
                                           seed=seed, threads=threads, progress=progress)
    return _summary(counts, time.perf_counter() - t)


@validated(**HIM)
def evaluate_truth_model(graph, aps, k, methods=METHODS, *, willingness=None, simulations=10_000, seed=0,
                         eval_seed=1, threads=None, skip_unknown=False, baseline="hetero-im", **options):
    """Run several recommenders and score each by the truth model, with paired margins.

    Parameters
    ----------
    graph : Graph
    aps : path or sequence of ids
        The inviters.
    k : int >= 1
        List length per inviter.
    methods : sequence of str, default every method of :func:`seedwise.recommend`
    willingness : None, path, mapping or float64 (n,), optional
    simulations : int, default 10000
        Monte-Carlo runs per method (the same worlds for every method).
    seed : int, default 0
        Seed of the recommenders (RR sets).
    eval_seed : int, default 1
        Seed of the Monte-Carlo evaluation (keep it apart from ``seed``).
    threads : int, optional
    skip_unknown : bool, default False
    baseline : str, default "hetero-im"
        Margins are ``baseline`` minus each method, per run (a paired difference).
    **options
        Passed to :func:`seedwise.recommend` (``capacity``, ``eps``, ``delta``, ...).

    Returns
    -------
    dict
        method -> {"spread", "ci95" (low, high), "margin" (baseline minus this
        method), "margin_ci95", "seconds" (the recommender's time)}.

    Raises
    ------
    SeedwiseError
        Unknown method, unknown inviters (without ``skip_unknown``), bad arguments.

    References
    ----------
    .. [1] SPEC section 5.1; issue 9 ("an HIM benchmark with a known truth").
    """
    methods = list(dict.fromkeys(methods))
    if baseline not in methods:
        methods.insert(0, baseline)
    _, inviters, _ = resolve_inviters(graph, aps, skip_unknown)
    u = willingness_array(graph, willingness)
    counts, out = {}, {}
    for m in methods:
        t = time.perf_counter()
        recs = recommend(graph, inviters, k, method=m, willingness=u, seed=seed, threads=threads, **options)
        seconds = time.perf_counter() - t
        counts[m] = invitation_counts.__wrapped__(graph, inviters, recs, willingness=u, simulations=simulations,
                                      seed=eval_seed, threads=threads)
        est = _summary(counts[m])
        out[m] = {"spread": est.mean, "ci95": est.ci95, "seconds": seconds}
    for m in methods:
        diff = _summary(counts[baseline].astype(np.int64) - counts[m])
        out[m].update(margin=diff.mean, margin_ci95=diff.ci95)
    return out
