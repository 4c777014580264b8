"""Heterogeneous influence maximization in user recommendation (HIM): HeteroIR, HeteroIM.

An inviter (AP, active participant) is recommended invitees among its out-neighbours.
A good invitee both accepts the invitation (edge probability P_ij, willingness U_j)
and passes it on. Two recommenders from the HIM paper and three baselines:

- ``hetero-ir``: rank i's out-neighbours j by beta_ij = P_ij U_j (1 + HeteroInf(j)),
  HeteroInf(j) = the sum of the c largest P_jl U_l over j's out-neighbours l.
- ``hetero-im``: RR sets on G, lazy greedy over the candidates (out-neighbours of the
  APs) by marginal coverage; each taken invitee v is scored for each AP inviter i by
  the RR sets it newly covers that also contain i.
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

import gzip
import math
import os
from dataclasses import dataclass, field, replace

import numpy as np

from .._validation import (
    InputFileError,
    SeedwiseError,
    check_choice,
    check_delta,
    check_eps,
    check_int,
    check_seed,
    check_threads,
)
from ..memory import MemoryGuard
from ..sampling import sample_rr_sets
from ..selection import log_binomial
from . import _him_kernels
from ._common import Timer

METHODS = ("hetero-im", "hetero-ir", "prob", "degree", "pagerank")

#: ranking rule of every method: score descending, then this tie-break ascending
TIE_BREAK = {"hetero-im": "greedy step", "hetero-ir": "invitee id", "prob": "invitee id",
             "degree": "invitee id", "pagerank": "invitee id"}


# ---------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class Recommendations:
    """Per-inviter top-k invitee lists.

    Rows are grouped by inviter (in the order the inviters were given, unknown ones
    left out) and ranked within each group: ``inviter[r]`` recommends
    ``invitee[r]`` at ``rank[r]`` (1-based) with ``score[r]``. An inviter with fewer
    than k out-neighbours gets all of them; one with none gets an empty list.

    Attributes
    ----------
    method : str
    k : int
    inviters : list
        Original ids of the inviters served (duplicates and unknown ids removed).
    aps : int32 ndarray
        Dense ids of ``inviters``.
    inviter, invitee : int32 ndarray (rows,)
        Dense node ids.
    rank : int32 ndarray (rows,)
    score : float64 ndarray (rows,)
    skipped : list
        Inviter ids left out because they are not nodes of the graph.
    n_rr_sets : int
        RR sets sampled (hetero-im only).
    times : dict
        Seconds per phase and "total".
    params : dict
        The parameters the run used.
    """

    method: str
    k: int
    inviters: list
    aps: np.ndarray
    inviter: np.ndarray
    rank: np.ndarray
    invitee: np.ndarray
    score: np.ndarray
    skipped: list = field(default_factory=list)
    n_rr_sets: int = 0
    times: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    graph: object = field(default=None, repr=False)

    @property
    def seconds(self):
        return self.times.get("total", 0.0)

    def __len__(self):
        return int(self.rank.shape[0])

    def rows(self):
        """[(inviter id, rank, invitee id, score), ...] in original ids, in rank order."""
        return list(zip(self.graph.label(self.inviter), self.rank.tolist(),
                        self.graph.label(self.invitee), self.score.tolist()))

    def lists(self):
        """{inviter id: [invitee id, ...]} in rank order (every served inviter, maybe empty)."""
        out = {i: [] for i in self.inviters}
        for i, _, j, _ in self.rows():
            out[i].append(j)
        return out

    def to_dict(self):
        """``method``, ``k`` and ``recommendations``: inviter id (str) -> [{"invitee", "score"}]."""
        recs = {str(i): [] for i in self.inviters}
        for i, _, j, s in self.rows():
            recs[str(i)].append({"invitee": j, "score": s})
        return {"method": self.method, "k": self.k, "recommendations": recs}

    def __repr__(self):
        skipped = f", {len(self.skipped)} unknown inviters skipped" if self.skipped else ""
        return (f"<Recommendations {self.method} k={self.k}: {len(self.inviters):,} inviters, "
                f"{len(self):,} pairs{skipped}, {self.seconds:.3f} s>")


# ---------------------------------------------------------------- inputs
def _read_text(path, what):
    """Text of a (possibly gzip) UTF-8 file, BOM removed."""
    path = os.fspath(path)
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as e:
            raise InputFileError(f"{path}: {what} file is not a valid gzip file ({e})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputFileError(f"{path}: {what} file is not UTF-8 text (byte {e.start})") from None


def read_rows(path, what):
    """Data lines of a small text table: (line numbers, field lists).

    ``#`` lines and blank lines are skipped; fields are separated by commas, tabs
    or spaces; a UTF-8 BOM and gzip compression are handled. Used for the inviter,
    willingness and truth-pair files (one pass of C-level string methods).
    """
    lines = _read_text(path, what).replace(",", " ").splitlines()
    fields = list(map(str.split, lines))
    keep = [i for i, f in enumerate(fields) if f and not f[0].startswith("#")]
    return [i + 1 for i in keep], [fields[i] for i in keep]


def _as_graph_ids(graph, tokens):
    """Original-id array of ``tokens`` in the graph's id type, and a mask of those that can be ids."""
    if graph.integer_ids:
        arr = np.asarray(tokens) if len(tokens) else np.zeros(0, dtype=np.int64)
        if arr.dtype.kind == "f":  # 3.0 names node 3; 3.5 names nothing
            ok = np.isfinite(arr) & (arr == np.round(arr))
            return np.where(ok, arr, 0).astype(np.int64), ok
        try:
            return np.array(tokens, dtype=np.int64), np.ones(len(tokens), dtype=bool)
        except (ValueError, OverflowError, TypeError):
            ok = np.array([_int_or_none(t) is not None for t in tokens], dtype=bool)
            vals = np.array([_int_or_none(t) if o else 0 for t, o in zip(tokens, ok)], dtype=np.int64)
            return vals, ok
    return np.array([str(t) for t in tokens], dtype=str), np.ones(len(tokens), dtype=bool)


def _int_or_none(x):
    try:
        v = int(x)
    except (TypeError, ValueError, OverflowError):
        return None
    return v if -2**63 <= v < 2**63 else None


def _lookup(graph, ids, ok):
    """Dense ids of ``ids`` (-1 where not a node)."""
    if len(ids) == 0:
        return np.zeros(0, dtype=np.int64)
    pos = np.minimum(np.searchsorted(graph.ids, ids), graph.n - 1)
    found = ok & (graph.ids[pos] == ids)
    return np.where(found, pos, -1)


def read_inviters(path):
    """Inviter ids from a file: one id per line, ``#`` comments, ``.gz`` allowed.

    Returns the ids as strings, in file order (duplicates kept).

    Raises
    ------
    InputFileError
        A line with more than one field (file:line named).
    """
    numbers, fields = read_rows(path, "inviter")
    bad = _field_counts(fields) != 1
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputFileError(f"{os.fspath(path)}:{numbers[i]}: expected one inviter id per line, "
                             f"got {len(fields[i])} fields")
    return [f[0] for f in fields]


def _field_counts(fields):
    return np.fromiter(map(len, fields), dtype=np.int64, count=len(fields))


def resolve_inviters(graph, aps, skip_unknown=False):
    """Dense ids of the inviters ``aps`` (a path or a sequence of ids), deduplicated in order.

    Returns
    -------
    dense : int32 ndarray
    inviters : list of original ids (graph type)
    skipped : list of the ids that are not nodes (empty unless ``skip_unknown``)

    Raises
    ------
    SeedwiseError
        Unknown ids without ``skip_unknown`` (a few are named), or no inviter left.
    """
    if isinstance(aps, (str, os.PathLike)):
        tokens = read_inviters(aps)
        source = f" in {os.fspath(aps)}"
    else:
        tokens = list(np.asarray(aps).tolist()) if isinstance(aps, np.ndarray) else list(aps)
        source = ""
    ids, ok = _as_graph_ids(graph, tokens)
    dense = _lookup(graph, ids, ok)
    unknown = dense < 0
    skipped = []
    if unknown.any():
        bad = [tokens[i] for i in np.flatnonzero(unknown)]
        if not skip_unknown:
            shown = ", ".join(str(x) for x in bad[:5]) + (" ..." if len(bad) > 5 else "")
            raise SeedwiseError(
                f"{len(bad)} of {len(tokens)} inviter ids{source} are not nodes of the graph: {shown}; "
                f"leave them out with skip_unknown=True (CLI: --skip-unknown)")
        skipped = list(dict.fromkeys(bad))
    dense = dense[~unknown]
    _, first = np.unique(dense, return_index=True)
    dense = dense[np.sort(first)].astype(np.int32)
    if len(dense) == 0:
        raise SeedwiseError(f"no inviter{source} is a node of the graph ({len(tokens)} ids given)")
    return dense, graph.label(dense), skipped


def read_willingness(path, graph):
    """Per-node willingness U from a file of ``id value`` lines (default 1 for absent nodes).

    ``#`` comments, comma/space/tab separators, ``.gz`` and an optional header line
    (a first line of two words that are not numbers) are accepted.

    Returns
    -------
    float64 ndarray (n,)

    Raises
    ------
    InputFileError
        Naming file:line for a line without exactly two fields, an id that is not a
        node, a repeated id, or a value that is not a number in [0, 1].
    """
    name = os.fspath(path)
    numbers, fields = read_rows(path, "willingness")
    if fields and len(fields[0]) == 2 and all(_float_or_none(x) is None for x in fields[0]):
        numbers, fields = numbers[1:], fields[1:]  # a header such as "id,willingness"
    bad = _field_counts(fields) != 2
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputFileError(f"{name}:{numbers[i]}: expected 'id value', got {len(fields[i])} fields")
    tokens = [f[0] for f in fields]
    ids, ok = _as_graph_ids(graph, tokens)
    dense = _lookup(graph, ids, ok)
    if (dense < 0).any():
        i = int(np.flatnonzero(dense < 0)[0])
        raise InputFileError(f"{name}:{numbers[i]}: node id {tokens[i]} is not in the graph "
                             f"({int((dense < 0).sum())} unknown ids in the file)")
    values = np.array([_float_or_none(f[1]) for f in fields], dtype=np.float64)
    bad = ~np.isfinite(values) | (values < 0) | (values > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputFileError(f"{name}:{numbers[i]}: willingness must be a number in [0, 1], got {fields[i][1]!r}")
    _, first, counts = np.unique(dense, return_index=True, return_counts=True)
    if (counts > 1).any():
        i = int(np.sort(first[counts > 1])[0])
        later = np.flatnonzero(dense == dense[i])[1]
        raise InputFileError(f"{name}:{numbers[later]}: node id {tokens[later]} repeated (first on line {numbers[i]})")
    u = np.ones(graph.n, dtype=np.float64)
    u[dense] = values
    return u


def _float_or_none(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan") if str(x).strip().lower() == "nan" else None


def willingness_array(graph, willingness):
    """U as float64 (n,) from None (all 1), a path, a {id: value} mapping or an array (n,)."""
    if willingness is None:
        return None
    if isinstance(willingness, (str, os.PathLike)):
        return read_willingness(willingness, graph)
    if isinstance(willingness, dict):
        tokens = list(willingness.keys())
        ids, ok = _as_graph_ids(graph, tokens)
        dense = _lookup(graph, ids, ok)
        if (dense < 0).any():
            bad = [str(tokens[i]) for i in np.flatnonzero(dense < 0)[:5]]
            raise SeedwiseError(f"willingness names ids that are not nodes of the graph: {', '.join(bad)}")
        u = np.ones(graph.n, dtype=np.float64)
        vals = np.array([_float_or_none(v) if not isinstance(v, (int, float)) else float(v)
                         for v in willingness.values()], dtype=np.float64)
        u[dense] = vals
    else:
        u = np.asarray(willingness, dtype=np.float64)
        if u.shape != (graph.n,):
            raise SeedwiseError(f"willingness array must have shape ({graph.n},) (one value per node); got {u.shape}")
    bad = ~np.isfinite(u) | (u < 0) | (u > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise SeedwiseError(f"willingness must be in [0, 1]; node {graph.ids[i]} has {u[i]!r}")
    return u


def with_willingness(graph, u):
    """``graph`` with every edge probability P_ij multiplied by U_j (None: unchanged).

    The probability that j, invited by i, accepts and interacts is P_ij U_j; RR sets
    for HeteroIM are sampled on these probabilities.
    """
    if u is None:
        return graph
    out_prob = (graph.out_prob * u[graph.out_indices]).astype(np.float32)
    in_prob = (graph.in_prob * np.repeat(u, graph.in_degree)).astype(np.float32)
    shared = np.where(graph.in_shared_p >= 0, graph.in_shared_p * u, -1.0).astype(np.float32)
    return replace(graph, out_prob=out_prob, in_prob=in_prob, in_shared_p=shared,
                   weights=f"{graph.weights}*willingness")


# ------------------------------------------------------------ HeteroIR
def hetero_inf(graph, capacity=4, willingness=None):
    """HeteroInf(j) = sum of the ``capacity`` largest P_jl U_l over j's out-neighbours l.

    Returns float64 (n,), 0 for nodes without out-neighbours.
    """
    capacity = check_int("capacity", capacity, 1)
    u = willingness_array(graph, willingness)
    x = graph.out_prob.astype(np.float64)
    if u is not None:
        x = x * u[graph.out_indices]
    return _him_kernels.top_c_sum(graph.out_indptr, x, capacity)


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
    inf = hetero_inf(graph, capacity, u)
    v = graph.out_indices
    p = graph.out_prob.astype(np.float64)
    if u is not None:
        p = p * u[v]
    return p * (1.0 + inf[v])


# ------------------------------------------------------------ HeteroIM
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
    k = check_int("k", k, 1)
    eps = check_eps(eps)
    delta = check_delta(delta, n)
    deg = graph.out_degree[np.asarray(aps_dense, dtype=np.int64)]
    vals, counts = np.unique(deg[deg > k], return_counts=True)
    L = float(sum(log_binomial(int(d), k) * int(c) for d, c in zip(vals, counts)))
    ln6 = math.log(6.0 / delta)
    theta = 2.0 * n * (0.5 * math.sqrt(ln6) + math.sqrt(0.5 * (L + ln6))) ** 2 / (eps * eps * k * len(deg))
    return max(1, math.ceil(theta))


def hetero_im_candidates(graph, aps_dense):
    """Sorted dense ids of the out-neighbours of the APs (HeteroIM's candidates)."""
    starts = graph.out_indptr[aps_dense]
    lengths = graph.out_indptr[np.asarray(aps_dense, dtype=np.int64) + 1] - starts
    return np.unique(graph.out_indices[_ranges(starts, lengths)]).astype(np.int32)


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
    return _him_kernels.hetero_im_greedy(rr.offsets, rr.nodes, hetero_im_candidates(graph, aps), aps,
                                         graph.out_indptr, graph.out_indices, graph.n)


# ------------------------------------------------------------ ranking
def _ranges(starts, lengths):
    """Concatenation of arange(s, s + l) over the pairs (vectorised)."""
    starts = np.asarray(starts, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offs = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + (np.arange(total, dtype=np.int64) - offs)


def rank_pairs(ap_pos, invitee, score, tie, k):
    """Top ``k`` pairs per inviter: score descending, then ``tie`` ascending.

    ``ap_pos`` is the inviter's position in the inviter list; rows come back grouped
    in that order. Returns (row indices into the inputs, 1-based ranks).
    """
    order = np.lexsort((tie, -np.asarray(score, dtype=np.float64), ap_pos))
    pos = np.asarray(ap_pos)[order]
    if len(pos) == 0:
        return order, np.zeros(0, dtype=np.int32)
    new = np.ones(len(pos), dtype=bool)
    new[1:] = pos[1:] != pos[:-1]
    starts = np.flatnonzero(new)
    lengths = np.diff(np.append(starts, len(pos)))
    rank = np.arange(len(pos)) - np.repeat(starts, lengths)
    keep = rank < k
    return order[keep], (rank[keep] + 1).astype(np.int32)


def _ap_edges(graph, aps_dense):
    """(AP position, edge index) of every out-edge of the APs."""
    a = np.asarray(aps_dense, dtype=np.int64)
    starts = graph.out_indptr[a]
    lengths = graph.out_indptr[a + 1] - starts
    pos = np.repeat(np.arange(len(a), dtype=np.int64), lengths)
    return pos, _ranges(starts, lengths)


def _pagerank(graph):
    """PageRank of every node on the reversed graph (its influence), float64 (n,)."""
    from .baselines import pagerank_scores

    return np.asarray(pagerank_scores(graph, damping=0.85, reverse=True), dtype=np.float64)


# ------------------------------------------------------------ entry point
def recommend(graph, aps, k, *, method="hetero-im", capacity=4, willingness=None, eps=0.1, delta=None,
              seed=0, threads=None, skip_unknown=False, rr_sets=None, max_memory=None, progress=None):
    """Recommend up to ``k`` invitees (out-neighbours) to each inviter.

    Parameters
    ----------
    graph : Graph
        Edge probability P_ij = ``graph.out_prob`` (given, or derived from
        interaction counts with ``weights="counts"``, or WC).
    aps : path or sequence of ids
        The inviters (APs): a file with one id per line (``#`` comments, .gz), or ids.
    k : int >= 1
        List length.
    method : {"hetero-im", "hetero-ir", "prob", "degree", "pagerank"}
    capacity : int >= 1, default 4
        HeteroIR's interaction capacity c.
    willingness : None, path, mapping or float64 (n,), optional
        U_j in [0, 1], default 1. Used by hetero-ir and hetero-im (RR sets are
        sampled on P_ij U_j).
    eps : float in (0, 1), default 0.1
    delta : float in (0, 1), default 1/n
        Accuracy and failure probability of HeteroIM's RR budget
        (:func:`hetero_im_rr_count`).
    seed : int, default 0
        RR-set stream seed; results do not depend on ``threads``.
    threads : int, optional
    skip_unknown : bool, default False
        Leave out inviter ids that are not nodes instead of raising.
    rr_sets : RRSets, optional
        hetero-im only: use these RR sets instead of sampling.
    max_memory : int or str, optional
        hetero-im only: memory budget for the RR sets ("80%" of the available
        memory by default, "16G", bytes); checked before sampling.
    progress : callable, optional
        Called with the number of RR sets sampled.

    Returns
    -------
    Recommendations

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
    method = check_choice("method", method, METHODS)
    k = check_int("k", k, 1)
    capacity = check_int("capacity", capacity, 1)
    with timer("inputs"):
        aps_dense, inviters, skipped = resolve_inviters(graph, aps, skip_unknown)
        u = willingness_array(graph, willingness)
    params = {"capacity": capacity} if method == "hetero-ir" else {}
    n_rr = 0
    if method == "hetero-im":
        eps = check_eps(eps)
        delta = check_delta(delta, graph.n)
        seed = check_seed(seed)
        threads = check_threads(threads)
        theta = hetero_im_rr_count(graph, aps_dense, k, eps, delta)
        params.update(eps=eps, delta=delta, seed=seed, threads=threads, theta=theta)
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
            rows, rank = rank_pairs(pos_of[ap], inv, score, tie, k)
            inviter, invitee, score = ap[rows], inv[rows], score[rows]
    else:
        with timer("selection"):
            pos, e = _ap_edges(graph, aps_dense)
            inv = graph.out_indices[e]
            if method == "hetero-ir":
                score = hetero_ir_scores(graph, capacity, u)[e]
            elif method == "prob":
                score = graph.out_prob[e].astype(np.float64)
            elif method == "degree":
                score = graph.out_degree[inv].astype(np.float64)
            else:
                score = _pagerank(graph)[inv]
            rows, rank = rank_pairs(pos, inv, score, inv, k)
            inviter, invitee, score = aps_dense[pos[rows]], inv[rows], score[rows]
    return Recommendations(
        method=method, k=k, inviters=inviters, aps=aps_dense, inviter=inviter.astype(np.int32), rank=rank,
        invitee=invitee.astype(np.int32), score=np.asarray(score, dtype=np.float64), skipped=skipped,
        n_rr_sets=n_rr, times=timer.done(), params=params, graph=graph,
    )
