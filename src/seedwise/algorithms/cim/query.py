"""A CIM query: active participants (APs), their candidates, capacities and the passive graph.

SPEC section 4: the candidates of AP u are C_u = out-neighbours of u that are not
APs; spread is measured on the passive graph P = G restricted to V minus A, whose
edge probabilities stay those computed on G. :func:`build_query` builds all of it
once, so that several algorithms or capacities can run on the same query.

References
----------
S. Zhang, Y. Huang, J. Sun, W. Lin, X. Xiao, B. Tang. Capacity constrained
influence maximization in social networks. KDD 2023, section 2.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..._validation import CIM, SeedwiseError, check_int, validated

__all__ = ["CimQuery", "build_query", "random_aps", "resolve_capacities"]


@validated
def random_aps(graph, ap_fraction, seed=0):
    """Draw round(ap_fraction * n) APs uniformly without replacement (at least one).

    Parameters
    ----------
    graph : Graph
    ap_fraction : float in (0, 1)
        The paper's protocol uses 0.05 (SPEC section 4).
    seed : int, default 0

    Returns
    -------
    list of original ids, in ascending dense order.
    """
    size = max(1, int(round(ap_fraction * graph.n)))
    if size >= graph.n:
        raise SeedwiseError(f"ap_ap_fraction {ap_fraction} leaves no passive node in a graph of {graph.n} nodes")
    rng = np.random.default_rng(seed)
    dense = np.sort(rng.choice(graph.n, size=size, replace=False))
    return graph.label(dense)


# ------------------------------------------------------------------ query
@dataclass(frozen=True, eq=False)
class CimQuery:
    """APs, their candidates and the passive graph, built once per AP set.

    Attributes
    ----------
    graph : Graph
        The social network G.
    aps : int32 (d,)
        Dense ids (in G) of the APs, in the order given (repeats removed). RR-Greedy
        visits APs in this order.
    ap_ids : list
        Their original ids.
    is_ap : bool (n,)
    cand_indptr : int64 (d+1,), cand : int32, cand_weight : float32
        Candidates of AP i (dense ids in G, ascending) and the weight (intimacy) of
        the edge AP -> candidate.
    passive : Graph
        P = G restricted to V minus A; probabilities are those of G.
    g_of_p : int32 (n_p,), p_of_g : int64 (n,)
        Dense id maps between P and G (-1 for APs).
    cand_p : int32
        ``cand`` as dense ids of P.
    aps_without_candidates : list
        Original ids of APs whose out-neighbours are all APs (or that have none).
    seconds : float
        Time taken to build the query.
    """

    graph: object
    aps: np.ndarray
    ap_ids: list
    is_ap: np.ndarray
    cand_indptr: np.ndarray
    cand: np.ndarray
    cand_weight: np.ndarray
    passive: object
    g_of_p: np.ndarray
    p_of_g: np.ndarray
    cand_p: np.ndarray
    aps_without_candidates: list
    seconds: float = 0.0
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def d(self):
        """Number of APs."""
        return int(self.aps.shape[0])

    @property
    def n_candidates(self):
        """|C_u| per AP, int64 (d,)."""
        return np.diff(self.cand_indptr)

    @property
    def prio(self):
        """int64 (n_p,): rank of every node of P by its expected one-hop spread on P,
        1 + sum of p(v, w) over out-edges (largest first, then smaller id).

        Greedy ties (frequent when few RR sets cover a candidate, e.g. zero marginal
        coverage) go to the better-ranked candidate instead of an arbitrary id.
        """
        if "prio" not in self._cache:
            P = self.passive
            onehop = np.zeros(P.n)
            deg = np.diff(P.out_indptr)
            has = deg > 0
            onehop[has] = np.add.reduceat(P.out_prob.astype(np.float64), P.out_indptr[:-1][has])
            order = np.lexsort((np.arange(P.n), -onehop))
            prio = np.empty(P.n, dtype=np.int64)
            prio[order] = np.arange(P.n)
            self._cache["prio"] = prio
        return self._cache["prio"]

    @property
    def cand_ranked(self):
        """int32: ``cand_p`` with each AP's candidates in :attr:`prio` order."""
        if "cand_ranked" not in self._cache:
            ap_of_pair = np.repeat(np.arange(self.d, dtype=np.int64), self.n_candidates)
            order = np.lexsort((self.prio[self.cand_p], ap_of_pair))
            self._cache["cand_ranked"] = self.cand_p[order]
        return self._cache["cand_ranked"]

    def owners(self):
        """(cand_nodes int32, owner_indptr int64, owner_aps int32): the distinct
        candidates (P ids, in :attr:`prio` order) and, for each, the APs (ascending AP
        index) that have it as a candidate."""
        if "owners" not in self._cache:
            ap_of_pair = np.repeat(np.arange(self.d, dtype=np.int32), self.n_candidates)
            order = np.lexsort((ap_of_pair, self.prio[self.cand_p]))
            nodes = self.cand_p[order]
            first = np.ones(len(nodes), dtype=bool)
            first[1:] = nodes[1:] != nodes[:-1]
            starts = np.flatnonzero(first)
            indptr = np.append(starts, len(nodes)).astype(np.int64)
            self._cache["owners"] = (nodes[starts].astype(np.int32), indptr, ap_of_pair[order])
        return self._cache["owners"]

    def __repr__(self):
        return (f"<CimQuery {self.d:,} APs, {len(self.cand):,} AP-candidate pairs, "
                f"passive graph n={self.passive.n:,} m={self.passive.m:,}, "
                f"{len(self.aps_without_candidates):,} APs without candidates>")


def build_query(graph, aps):
    """Map the APs, find their candidates and build the passive graph P.

    Parameters
    ----------
    graph : Graph
    aps : iterable of original ids, or CimQuery (returned as is)

    Returns
    -------
    CimQuery

    Raises
    ------
    SeedwiseError
        No APs, AP ids not in the graph (named), every node an AP, or no AP with
        any candidate.
    """
    if isinstance(aps, CimQuery):
        if aps.graph is not graph:
            raise SeedwiseError("the CimQuery was built on another graph; build it on this one")
        return aps
    t0 = time.perf_counter()
    if isinstance(aps, (str, bytes)) or not hasattr(aps, "__iter__"):
        raise SeedwiseError(f"aps must be a list of node ids (or a CimQuery); got {aps!r}")
    ap_list = list(aps)
    if not ap_list:
        raise SeedwiseError("aps is empty: give at least one active participant")
    dense = graph.index_of(ap_list, what="AP id")
    _, first = np.unique(dense, return_index=True)
    dense = dense[np.sort(first)]  # repeats removed, order kept
    is_ap = np.zeros(graph.n, dtype=bool)
    is_ap[dense] = True
    if is_ap.all():
        raise SeedwiseError("every node is an AP: the passive graph is empty")
    # candidate pairs: out-edges of the APs whose head is not an AP
    starts = graph.out_indptr[dense]
    deg = graph.out_indptr[dense + 1] - starts
    total = int(deg.sum())
    base = np.repeat(starts - np.concatenate([[0], np.cumsum(deg)[:-1]]), deg)
    edge = base + np.arange(total, dtype=np.int64)
    heads = graph.out_indices[edge]
    keep = ~is_ap[heads]
    ap_of_edge = np.repeat(np.arange(len(dense)), deg)[keep]
    cand = heads[keep].astype(np.int32)  # ascending within an AP (CSR rows are sorted)
    counts = np.bincount(ap_of_edge, minlength=len(dense))
    cand_indptr = np.zeros(len(dense) + 1, dtype=np.int64)
    np.cumsum(counts, out=cand_indptr[1:])
    ap_ids = graph.label(dense)
    without = [ap_ids[i] for i in np.flatnonzero(counts == 0)]
    if len(without) == len(dense):
        raise SeedwiseError(
            f"no AP has a candidate: every out-neighbour of the {len(dense)} APs is itself an AP "
            "(or they have no out-edges). Check the AP set, or --undirected for an undirected edge list.")
    passive, g_of_p = graph.subgraph(~is_ap)
    p_of_g = np.full(graph.n, -1, dtype=np.int64)
    p_of_g[g_of_p] = np.arange(passive.n)
    return CimQuery(
        graph=graph, aps=dense, ap_ids=ap_ids, is_ap=is_ap, cand_indptr=cand_indptr, cand=cand,
        cand_weight=graph.out_weight[edge[keep]], passive=passive, g_of_p=g_of_p, p_of_g=p_of_g,
        cand_p=p_of_g[cand].astype(np.int32), aps_without_candidates=without,
        seconds=time.perf_counter() - t0,
    )


@validated(**CIM)
def resolve_capacities(query, k, capacities=None):
    """Capacity k_u of every AP: ``capacities[id]`` where given, else the global ``k``.

    Parameters
    ----------
    query : CimQuery
    k : int >= 1 or None
        Global capacity; may be None only if ``capacities`` covers every AP.
    capacities : dict, optional
        Original id -> k_u (int >= 1). Ids that are nodes but not APs are ignored.

    Returns
    -------
    int64 (d,)

    Raises
    ------
    SeedwiseError
        k <= 0 or not an int, a k_u <= 0, an id not in the graph, or an AP without
        a capacity when ``k`` is None.
    """
    cap = np.full(query.d, k if k is not None else 0, dtype=np.int64)
    if capacities:
        if not isinstance(capacities, dict):
            raise SeedwiseError(f"capacities must be a dict id -> k_u; got {type(capacities).__name__}")
        ids = list(capacities)
        dense = query.graph.index_of(ids, what="capacity id")
        pos = np.full(query.graph.n, -1, dtype=np.int64)
        pos[query.aps] = np.arange(query.d)
        for node, key in zip(dense.tolist(), ids):
            value = check_int(f"capacity of {key}", capacities[key], 1)
            if pos[node] >= 0:
                cap[pos[node]] = value
    if k is None:
        missing = np.flatnonzero(cap == 0)
        if len(missing):
            raise SeedwiseError(
                f"k is required: {len(missing)} APs have no capacity in the capacities "
                f"(e.g. {query.ap_ids[missing[0]]}); give k for them")
    return cap
