"""Heterogeneous influence maximization in user recommendation (HIM): HeteroIR, HeteroIM.

An inviter (AP, active participant) is recommended invitees among its out-neighbours.
A good invitee both accepts the invitation (edge probability P_ij, willingness U_j)
and passes it on. Two recommenders from the HIM paper and three baselines:

- ``hetero-im`` (default): the pair problem of SPEC 5.1, solved with a certificate:
  greedy over (inviter, invitee) pairs on pair RR sets, at most k pairs per inviter,
  >= 1/2 OPT of the expected number of non-inviters reached (:mod:`.pairs`).
- ``hetero-ir``: rank i's out-neighbours j by beta_ij = P_ij U_j (1 + HeteroInf(j)),
  HeteroInf(j) = the sum of the c largest P_jl U_l over j's out-neighbours l.
- ``hetero-im-authors``: the authors' HeteroIM, kept for reproduction: RR sets on G,
  lazy greedy over the candidates (out-neighbours of the APs) by marginal coverage;
  each taken invitee v is scored for each AP inviter i by the RR sets it newly covers
  that also contain i. A heuristic: it picks invitees, not pairs.
- ``prob`` (P_ij alone), ``degree`` (out-degree of j), ``pagerank`` (PageRank of j on
  the reversed graph, i.e. influence).

What follows the authors' code (socialalgo/HIM: HeteroIR.py, HeteroIM.py) and where it
differs is stated in :func:`hetero_ir_scores`, :func:`hetero_im_rr_count` and
:func:`hetero_im_pairs`.

References
----------
.. [1] "Heterogeneous Influence Maximization in User Recommendation" (Tencent), code
   at https://github.com/socialalgo/HIM; SPEC section 5.
"""
from __future__ import annotations

import numpy as np

from ..._timer import Timer
from ..._validation import HIM, SeedwiseError, check_int, default_threads, validated
from ...graph.csr import ranges
from ...graph.pagerank import pagerank_scores
from ...memory import MemoryGuard
from ...results import Recommendations
from ...sampling import sample_rr_sets
from ...selection import sizes
from ...selection.ranking import top_k_per_group
from .hetero_im import hetero_im_pairs, hetero_im_rr_count
from .hetero_ir import hetero_ir_scores
from .inputs import resolve_inviters, willingness_array, with_willingness
from .pairs import build_pairs, pair_opim, top_pairs

METHODS = ("hetero-im", "hetero-im-authors", "hetero-ir", "prob", "degree", "pagerank")

#: ranking rule of every method: score descending, then this tie-break ascending
TIE_BREAK = {"hetero-im": "selection order", "hetero-im-authors": "greedy step", "hetero-ir": "invitee id",
             "prob": "invitee id", "degree": "invitee id", "pagerank": "invitee id"}


def _ap_edges(graph, aps_dense):
    """(AP position, edge index) of every out-edge of the APs."""
    a = np.asarray(aps_dense, dtype=np.int64)
    starts = graph.out_indptr[a]
    lengths = graph.out_indptr[a + 1] - starts
    pos = np.repeat(np.arange(len(a), dtype=np.int64), lengths)
    return pos, ranges(starts, lengths)


def _pagerank(graph):
    """PageRank of every node on the reversed graph (its influence), float64 (n,)."""
    return np.asarray(pagerank_scores(graph, damping=0.85, reverse=True), dtype=np.float64)


def _hetero_im_pairs(graph, aps_dense, cap, u, capacity, eps, delta, seed, threads, max_memory, progress, timer):
    """The pair problem's greedy with its certificate: (rows of recommend, extra result fields)."""
    with timer("pairs"):
        index = build_pairs(graph, aps_dense, cap, u)
        # the answers of the cheap rankers, restricted to pairs: scored on R2 beside the greedy's
        beta = hetero_ir_scores.__wrapped__(graph, capacity, u)[index.out_edge]
        alternatives = [("prob", top_pairs(index, index.q)), ("hetero-ir", top_pairs(index, beta))]
    if index.n_pairs == 0:  # no inviter has a non-inviter friend: nothing can be reached
        empty = np.zeros(0, dtype=np.int64)
        return (empty, empty, np.zeros(0), np.zeros(0, dtype=np.int32)), dict(
            spread=0.0, lower=0.0, upper=0.0, ratio=1.0, target=sizes.target_partition(eps), zero_gain_picks=0,
            n_rr_sets=0, params={})
    out = pair_opim(index, eps=eps, delta=delta, seed=seed, threads=threads, alternatives=alternatives,
                    max_memory=max_memory, progress=progress, timer=timer)
    picks = out["picks"]
    owner = index.owner[picks]
    rows, rank = top_k_per_group(owner, out["gains"], np.arange(len(picks)), cap)
    rows_out = (index.aps[owner[rows]], index.invitee[picks][rows], out["gains"][rows], rank)
    extra = {key: out[key] for key in ("spread", "lower", "upper", "ratio", "target", "zero_gain_picks",
                                       "n_rr_sets", "params")}
    return rows_out, extra


def _list_sizes(graph, aps_dense, k, list_sizes):
    """K_i per inviter, int64 (d,): ``list_sizes`` (original id -> int >= 0) where given, else k.

    Sizes above n count as n (no inviter has more out-neighbours), so that a huge k
    bounds the work instead of an allocation."""
    n = graph.n
    cap = np.full(len(aps_dense), min(k, n), dtype=np.int64)
    if list_sizes:
        dense = graph.index_of(list(list_sizes), what="inviter id in list_sizes")
        pos_of = {int(v): p for p, v in enumerate(np.asarray(aps_dense).tolist())}
        for v, x in zip(dense.tolist(), list_sizes.values()):
            if v in pos_of:
                cap[pos_of[v]] = min(check_int("list size of an inviter", x, 0), n)
    return cap


@validated(**HIM)
def recommend(graph, aps, k, *, method="hetero-im", capacity=4, willingness=None, eps=0.1, delta=None,
              seed=0, threads=None, skip_unknown=False, rr_sets=None, max_memory=None, progress=None, weight=None,
              list_sizes=None):
    """Recommend up to ``k`` invitees (out-neighbours) to each inviter.

    Parameters
    ----------
    graph : Graph, networkx graph, scipy.sparse matrix or pandas DataFrame
        Edge probability P_ij = ``graph.out_prob`` (given, or derived from
        interaction counts with ``weights="counts"``, or WC).
    aps : path or sequence of ids
        The inviters (APs): a file with one id per line (``#`` comments, .gz), or ids.
    k : int >= 1
        List length.
    method : {"hetero-im", "hetero-im-authors", "hetero-ir", "prob", "degree", "pagerank"}
        ``hetero-im`` (default) maximizes the expected number of non-inviters reached
        (SPEC 5.1, :func:`.pairs.pair_opim`) and never recommends an inviter (that
        reaches nobody new); ``hetero-im-authors`` is the authors' heuristic.
    capacity : int >= 1, default 4
        HeteroIR's interaction capacity c (hetero-ir, and the hetero-ir lists that
        hetero-im compares with its own).
    willingness : None, path, mapping or float64 (n,), optional
        U_j in [0, 1], default 1. Used by hetero-ir, hetero-im (j accepts i's
        invitation with probability P_ij U_j) and hetero-im-authors (RR sets are
        sampled on P_ij U_j).
    eps : float in (0, 1), default 0.1
        hetero-im: its certificate's target is 1/2 - eps and it samples until its
        answer has settled within 1 - eps; hetero-im-authors: the accuracy of its
        RR budget (:func:`hetero_im_rr_count`).
    delta : float in (0, 1), default 1/n
        Failure probability of HeteroIM's guarantee / RR budget.
    seed : int, default 0
        RR-set stream seed; results do not depend on ``threads``.
    threads : int, optional
    skip_unknown : bool, default False
        Leave out inviter ids that are not nodes instead of raising.
    rr_sets : RRSets, optional
        hetero-im-authors only: use these RR sets instead of sampling.
    max_memory : int or str, optional
        hetero-im and hetero-im-authors: memory budget for the RR sets ("80%" of
        the available memory by default, "16G", bytes).
    progress : callable, optional
        Called with the number of RR sets sampled.
    weight : str, optional
        The probability attribute or column when ``graph`` is a networkx or
        pandas graph (see :func:`seedwise.graph.as_graph`).
    list_sizes : mapping, optional
        Inviter id -> K_i, a list length of its own (>= 0) instead of ``k``; ids
        that are not inviters are ignored.

    Returns
    -------
    Recommendations
        hetero-im also fills ``spread`` (expected non-inviters reached, estimated on
        an independent collection), ``lower``, ``upper``, ``ratio``, ``target`` and
        ``zero_gain_picks`` (pairs with no marginal coverage in the sample, taken by
        priority to fill the lists).

    Raises
    ------
    SeedwiseError
        Unknown method, k or capacity < 1, unknown inviter ids (without
        ``skip_unknown``), willingness outside [0, 1], malformed input files.
    MemoryBudgetError
        hetero-im's RR sets would not fit ``max_memory`` (use a larger eps).

    References
    ----------
    .. [1] "Heterogeneous Influence Maximization in User Recommendation" (Tencent);
       socialalgo/HIM; SPEC section 5.
    .. [2] J. Tang, X. Tang, X. Xiao, J. Yuan. "Online Processing Algorithms for
       Influence Maximization." SIGMOD 2018 (the certificate); SPEC section 5.1.

    Examples
    --------
    >>> import seedwise
    >>> from seedwise.algorithms.him import recommend
    >>> g = seedwise.load_dataset("email-eu-core", weights="wc")
    >>> recs = recommend(g, [0, 2, 5], 3, method="hetero-ir")
    >>> [len(x) for x in recs.lists().values()]
    [3, 3, 3]
    """
    timer = Timer()
    with timer("inputs"):
        aps_dense, inviters, skipped = resolve_inviters(graph, aps, skip_unknown)
        u = willingness_array(graph, willingness)
    params = {"capacity": capacity} if method == "hetero-ir" else {}
    cap = _list_sizes(graph, aps_dense, k, list_sizes)
    n_rr = 0
    extra = {}
    if method.startswith("hetero-im"):
        threads = default_threads(threads)
        params.update(eps=eps, delta=delta, seed=seed, threads=threads)
    if method == "hetero-im":
        (inviter, invitee, score, rank), extra = _hetero_im_pairs(
            graph, aps_dense, cap, u, capacity, eps, delta, seed, threads, max_memory, progress, timer)
        params.update(extra.pop("params"))
        n_rr = extra.pop("n_rr_sets")
    elif method == "hetero-im-authors":
        theta = hetero_im_rr_count.__wrapped__(graph, aps_dense, k, eps, delta)
        params.update(theta=theta)
        g = with_willingness(graph, u)
        with timer("sampling"):
            if rr_sets is None:
                MemoryGuard(g, "ic", seed, max_memory, threads=threads, algorithm="HeteroIM").check(
                    theta, stage=f"its RR sets (eps = {eps:g})")
                rr_sets = sample_rr_sets(g, theta, model="ic", seed=seed, threads=threads, progress=progress)
            elif rr_sets.n != graph.n:
                raise SeedwiseError(f"rr_sets were sampled on a graph of {rr_sets.n} nodes, not {graph.n}")
        n_rr = len(rr_sets)
        with timer("selection"):
            ap, inv, score, tie = hetero_im_pairs(graph, aps_dense, rr_sets)
            pos_of = np.full(graph.n, -1, dtype=np.int64)
            pos_of[aps_dense] = np.arange(len(aps_dense))
            rows, rank = top_k_per_group(pos_of[ap], score, tie, cap)
            inviter, invitee, score = ap[rows], inv[rows], score[rows]
    else:
        with timer("selection"):
            pos, e = _ap_edges(graph, aps_dense)
            inv = graph.out_indices[e]
            if method == "hetero-ir":
                score = hetero_ir_scores.__wrapped__(graph, capacity, u)[e]
            elif method == "prob":
                score = graph.out_prob[e].astype(np.float64)
            elif method == "degree":
                score = graph.out_degree[inv].astype(np.float64)
            else:
                score = _pagerank(graph)[inv]
            rows, rank = top_k_per_group(pos, score, inv, cap)
            inviter, invitee, score = aps_dense[pos[rows]], inv[rows], score[rows]
    return Recommendations(
        algorithm=method, k=k, inviters=inviters, aps=aps_dense, inviter=inviter.astype(np.int32), rank=rank,
        invitee=invitee.astype(np.int32), score=np.asarray(score, dtype=np.float64), skipped=skipped,
        inviter_ids=graph.label(inviter), invitee_ids=graph.label(invitee), n_rr_sets=n_rr, times=timer.done(),
        params=params, **extra,
    )
