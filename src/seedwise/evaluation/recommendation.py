"""Metrics of invitee recommendations against observed spread pairs (HIM, SPEC section 5).

The truth is a list of observed pairs inviter -> invitee (who passed the message to
whom). For the inviters served, with K = 1..k_max:

- Recall@K = |top-K picks of u that are truth invitees of u| / |truth invitees of u|,
  averaged over the inviters with at least one truth pair.
- NDCG@K: binary relevance, DCG = sum over ranks r <= K of hit_r / log2(r + 1),
  divided by the ideal DCG of min(K, |truth invitees of u|) hits; averaged likewise.
- Spread@K = the sum over inviters u of |the correct top-K picks of u, together
  with their own truth invitees| (first- and second-order spread; u itself is not
  counted).
- ISpread@K = the same sum for the best picks: per inviter, the K of its truth
  invitees with the largest first- plus second-order spread, found by exhaustive
  search (all of them when it has at most K). It is the best value any method can
  reach, so NSpread@K = Spread@K / ISpread@K lies in [0, 1].

Recall and NDCG follow evaluators.py of socialalgo/HIM: recall is divided by the
number of truth invitees (not by min(K, .)), self pairs u -> u are ignored, and a
pick counts when (u, pick) is an observed pair. For the spread, evaluators.py takes
one union over all inviters for Spread@K and the union of the per-inviter optima for
ISpread@K; that union of optima is not an optimum (inviters' best picks overlap), and
on the Higgs data where every recommended pair is observed it gives NSpread > 1. We
therefore sum per inviter by default and keep the authors' unions as
``spread="union"``. In both, the per-inviter search maximises the spread without the
inviter itself (as the authors intend), and among equally good subsets the first in
lexicographic order of the invitees' (sorted) ids is kept.

References
----------
.. [1] "Heterogeneous Influence Maximization in User Recommendation" (Tencent);
   socialalgo/HIM evaluators.py; SPEC section 5.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import numpy as np

from .._validation import HIM, SeedwiseError, validated
from ..algorithms.him import METHODS, recommend, resolve_inviters
from ..graph.csr import ranges
from ..graph.readers import lookup_ids, read_pairs
from ..results import MetricTable
from . import _kernels


@dataclass(frozen=True, eq=False)
class SpreadTruth:
    """Observed spread pairs as CSR over their own id space.

    Attributes
    ----------
    ids : ndarray (T,)
        Sorted original ids of every node named in a pair (int64, or str).
    indptr : int64 (T+1,), dst : int32 (pairs,)
        Invitees of truth node t: ``dst[indptr[t]:indptr[t+1]]``, sorted, distinct.
    source : str
        Where the pairs came from.
    stats : dict
        pairs read, self pairs dropped, repeated pairs merged.
    """

    ids: np.ndarray
    indptr: np.ndarray
    dst: np.ndarray
    source: str = "pairs"
    stats: dict = field(default_factory=dict)

    @classmethod
    def from_pairs(cls, src, dst, source="pairs"):
        """Build from parallel arrays of original ids (pairs u -> u are dropped)."""
        src = np.asarray(src)
        dst = np.asarray(dst)
        if src.shape != dst.shape or src.ndim != 1:
            raise SeedwiseError("truth pairs need two 1-d id arrays of the same length")
        both = np.concatenate([src, dst])
        if both.dtype.kind not in "iu":
            both = both.astype(str)
        ids, inv = np.unique(both, return_inverse=True)
        e = len(src)
        u, v = inv[:e].astype(np.int64), inv[e:].astype(np.int64)
        loops = u == v
        u, v = u[~loops], v[~loops]
        T = len(ids)
        key = np.unique(u * T + v)
        u, v = key // T, key % T
        indptr = np.zeros(T + 1, dtype=np.int64)
        np.cumsum(np.bincount(u, minlength=T), out=indptr[1:])
        stats = {"pairs_read": int(e), "self_pairs_dropped": int(loops.sum()),
                 "repeated_pairs_merged": int(e - loops.sum() - len(key)), "pairs": int(len(key))}
        return cls(ids=ids, indptr=indptr, dst=v.astype(np.int32), source=source, stats=stats)

    @property
    def n_pairs(self):
        return int(self.dst.shape[0])

    def index(self, ids):
        """Truth dense ids of original ``ids`` (-1 where absent)."""
        return lookup_ids(self, ids)

    def invitees(self, inviter):
        """Original ids of the observed invitees of ``inviter``."""
        t = int(self.index([inviter])[0])
        return [] if t < 0 else self.ids[self.dst[self.indptr[t]:self.indptr[t + 1]]].tolist()

    def __repr__(self):
        return f"<SpreadTruth {self.n_pairs:,} pairs over {len(self.ids):,} ids from {self.source}>"


def read_truth_pairs(path, *, integer_ids=None):
    """Observed spread pairs ``inviter invitee`` of a file, as a :class:`SpreadTruth`.

    The format (comments, separators, a header line, gzip, an ignored weight
    column) is that of :func:`seedwise.graph.readers.read_pairs`.

    Parameters
    ----------
    path : str or PathLike
    integer_ids : bool, optional
        True when the graph's ids are integers (every id must be one), False for
        string ids, None to decide from the file.

    Returns
    -------
    SpreadTruth

    Raises
    ------
    InputFileError
        As :func:`~seedwise.graph.readers.read_pairs`, naming file:line.
    """
    src, dst = read_pairs(path, integer_ids=integer_ids)
    return SpreadTruth.from_pairs(src, dst, source=os.fspath(path))


def _as_truth(truth, integer_ids=None):
    if isinstance(truth, SpreadTruth):
        return truth
    if isinstance(truth, (str, os.PathLike)):
        return read_truth_pairs(truth, integer_ids=integer_ids)
    try:
        src, dst = truth
    except (TypeError, ValueError):
        raise SeedwiseError("truth must be a path, a SpreadTruth or a pair (inviter ids, invitee ids)") from None
    return SpreadTruth.from_pairs(src, dst)


def _reach(truth, picks):
    """|picks + every truth invitee of picks| (picks: truth dense ids, -1 ignored)."""
    picks = np.asarray(picks, dtype=np.int64)
    picks = picks[picks >= 0]
    if len(picks) == 0:
        return 0
    starts = truth.indptr[picks]
    second = truth.dst[ranges(starts, truth.indptr[picks + 1] - starts)]
    return int(len(np.unique(np.concatenate([picks, second.astype(np.int64)]))))


def _evaluated_users(truth, inviter_ids):
    t = truth.index(inviter_ids)
    has = np.zeros(len(t), dtype=bool)
    ok = t >= 0
    has[ok] = truth.indptr[t[ok] + 1] > truth.indptr[t[ok]]
    return t, has


@validated
def ispread(truth, inviters, k_max=3, *, spread="inviter"):
    """ISpread@K for K = 1..k_max: the spread of every inviter's best K picks.

    Parameters
    ----------
    truth : SpreadTruth, path or (src, dst)
    inviters : sequence of original ids
    k_max : int
    spread : {"inviter", "union"}
        Sum over inviters of each one's best reach (default), or the size of the
        union of all best picks' reach (HIM's evaluators.py).

    Returns
    -------
    list of int (k_max,)
    """
    truth = _as_truth(truth)
    t, has = _evaluated_users(truth, list(inviters))
    users = np.unique(t[has]).astype(np.int64)
    out = []
    for K in range(1, k_max + 1):
        picks, best = _kernels.best_spread_picks(users, truth.indptr, truth.dst, K)
        out.append(int(best.sum()) if spread == "inviter" else _reach(truth, picks.ravel()))
    return out


@validated
def recommendation_metrics(recs, truth, k_max=3, *, spread="inviter", ispread_values=None):
    """Recall@K, NDCG@K, Spread@K, ISpread@K and NSpread@K of ``recs``, K = 1..k_max.

    Parameters
    ----------
    recs : Recommendations
        Lists of length >= k_max are needed for the larger K (shorter lists count
        the missing ranks as misses).
    truth : SpreadTruth, path or (src, dst)
    k_max : int, default 3
    spread : {"inviter", "union"}, default "inviter"
        How Spread@K and ISpread@K add up over inviters (see the module notes).
    ispread_values : list of int, optional
        Precomputed :func:`ispread` for the same inviters (saves the search when
        several methods are scored).

    Returns
    -------
    dict
        ``recall@K``, ``ndcg@K``, ``nspread@K``, ``spread@K``, ``ispread@K`` for each K,
        and ``inviters`` (the number evaluated: served inviters with a truth pair).

    Raises
    ------
    SeedwiseError
        When no served inviter has a truth pair.
    """
    # the inviters' ids are ints exactly when the graph's are
    truth = _as_truth(truth, integer_ids=all(isinstance(i, int) for i in recs.inviters))
    t_inv, has = _evaluated_users(truth, recs.inviters)
    if not has.any():
        raise SeedwiseError(
            f"none of the {len(recs.inviters)} inviters has an observed spread pair in {truth.source}; "
            "check that the truth file uses the graph's node ids")
    # top-k_max invitees per inviter, in truth dense ids (-1: missing or not in the truth)
    by_id = np.argsort(recs.aps)
    rows = np.flatnonzero(recs.rank <= k_max)
    inv_pos = by_id[np.searchsorted(recs.aps[by_id], recs.inviter[rows])]
    R = np.full((len(recs.inviters), k_max), -1, dtype=np.int64)
    if len(rows):
        R[inv_pos, recs.rank[rows] - 1] = truth.index([recs.invitee_ids[r] for r in rows.tolist()])
    # hit: (inviter, pick) is an observed pair
    T = len(truth.ids)
    pair_keys = np.repeat(np.arange(T, dtype=np.int64), np.diff(truth.indptr)) * T + truth.dst
    q = np.where((R >= 0) & (t_inv[:, None] >= 0), t_inv[:, None] * T + R, -1)
    loc = np.minimum(np.searchsorted(pair_keys, q), max(len(pair_keys) - 1, 0))
    hits = (q >= 0) & (pair_keys[loc] == q) if len(pair_keys) else np.zeros_like(q, dtype=bool)
    hits &= has[:, None]
    H = hits[has].astype(np.float64)
    d = np.diff(truth.indptr)[t_inv[has]].astype(np.float64)
    disc = 1.0 / np.log2(np.arange(2, k_max + 2))
    cum = np.concatenate([[0.0], np.cumsum(disc)])
    if ispread_values is None:
        ispread_values = ispread(truth, recs.inviters, k_max, spread=spread)
    out = {}
    for K in range(1, k_max + 1):
        out[f"recall@{K}"] = float(np.mean(H[:, :K].sum(axis=1) / d))
    for K in range(1, k_max + 1):
        dcg = H[:, :K] @ disc[:K]
        idcg = cum[np.minimum(K, d).astype(np.int64)]
        out[f"ndcg@{K}"] = float(np.mean(dcg / idcg))
    for K in range(1, k_max + 1):
        correct = np.where(hits[:, :K], R[:, :K], -1)
        if spread == "inviter":
            reached = int(_kernels.reach_sizes(t_inv[has], correct[has], truth.indptr, truth.dst).sum())
        else:
            reached = _reach(truth, correct.ravel())
        best = int(ispread_values[K - 1])
        out[f"spread@{K}"] = reached
        out[f"ispread@{K}"] = best
        out[f"nspread@{K}"] = reached / best if best > 0 else float("nan")
    out["inviters"] = int(has.sum())
    return out


@validated(**HIM)
def evaluate_recommendations(graph, aps, truth_pairs, methods=METHODS, k_max=3, *, capacity=4,
                             willingness=None, eps=0.1, delta=None, seed=0, threads=None,
                             skip_unknown=False, spread="inviter", weight=None):
    """Run several recommenders on the same inviters and score them against observed pairs.

    Parameters
    ----------
    graph : Graph, networkx graph, scipy.sparse matrix or pandas DataFrame
    aps : path or sequence of ids
        The inviters.
    truth_pairs : path, SpreadTruth or (src ids, dst ids)
        Observed spread pairs inviter -> invitee (:func:`read_truth_pairs`).
    methods : sequence of str, default all of
        "hetero-im", "hetero-ir", "prob", "degree", "pagerank".
    k_max : int, default 3
        Lists of length k_max; metrics for K = 1..k_max.
    capacity, willingness, eps, delta, seed, threads, skip_unknown
        As in :func:`seedwise.algorithms.him.recommend`.
    spread : {"inviter", "union"}, default "inviter"
        How Spread@K and ISpread@K add up over inviters (see the module notes).
    weight : str, optional
        The probability attribute or column when ``graph`` is a networkx or
        pandas graph (see :func:`seedwise.graph.as_graph`).

    Returns
    -------
    MetricTable
        A dict method -> {"recall@K", ..., "ndcg@K", ..., "nspread@K", ..., "seconds"}
        (K = 1..k_max; seconds = time of the recommender run); ``to_pandas()``
        gives one row per method.

    Raises
    ------
    SeedwiseError
        Unknown method, unknown inviters (without ``skip_unknown``), malformed
        truth file, or no served inviter with a truth pair.

    References
    ----------
    .. [1] "Heterogeneous Influence Maximization in User Recommendation" (Tencent);
       socialalgo/HIM evaluators.py; SPEC section 5.
    """
    truth = _as_truth(truth_pairs, integer_ids=graph.integer_ids)
    _, inviters, _ = resolve_inviters(graph, aps, skip_unknown)
    best = ispread.__wrapped__(truth, inviters, k_max, spread=spread)
    out = {}
    for m in methods:
        t = time.perf_counter()
        recs = recommend.__wrapped__(graph, inviters, k_max, method=m, capacity=capacity, willingness=willingness,
                         eps=eps, delta=delta, seed=seed, threads=threads)
        seconds = time.perf_counter() - t
        res = recommendation_metrics.__wrapped__(recs, truth, k_max, spread=spread, ispread_values=best)
        row = {}
        for name in ("recall", "ndcg", "nspread"):
            for K in range(1, k_max + 1):
                row[f"{name}@{K}"] = res[f"{name}@{K}"]
        row["seconds"] = seconds
        out[m] = row
    return MetricTable(out)
