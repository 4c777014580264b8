"""A CIM query: active participants (APs), their candidates, capacities and the passive graph.

SPEC section 4: the candidates of AP u are C_u = out-neighbours of u that are not
APs; spread is measured on the passive graph P = G restricted to V minus A, whose
edge probabilities stay those computed on G. :func:`build_query` builds all of it
once, so that several algorithms or capacities can run on the same query.

P is not copied (SPEC section 5.2): RR sets of P are sampled on G with the APs
blocked (:class:`~seedwise.sampling.Blocked`), and every node id stays G's. Only
Monte-Carlo on P (``CimQuery.passive``, built on first use) copies it.

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
from ...sampling import Blocked
from . import _kernels as kernels

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
    """APs, their candidates and the APs as blocked nodes, built once per AP set.

    Every node id is a dense id of G: the passive graph P = G minus A is sampled
    through :attr:`blocked` and is not copied.

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
    blocked : Blocked
        The APs as nodes that RR sets never start from nor enter: RR sets of P in
        G's ids.
    cand_indptr : int64 (d+1,), cand : int32, cand_weight : float32
        Candidates of AP i (dense ids in G, ascending) and the weight (intimacy) of
        the edge AP -> candidate.
    aps_without_candidates : list
        Original ids of APs whose out-neighbours are all APs (or that have none).
    seconds : float
        Time taken to build the query.
    """

    graph: object
    aps: np.ndarray
    ap_ids: list
    is_ap: np.ndarray
    blocked: object
    cand_indptr: np.ndarray
    cand: np.ndarray
    cand_weight: np.ndarray
    aps_without_candidates: list
    seconds: float = 0.0
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def d(self):
        """Number of APs."""
        return int(self.aps.shape[0])

    @property
    def n_p(self):
        """Nodes of P (the non-APs)."""
        return self.blocked.population

    @property
    def n_candidates(self):
        """|C_u| per AP, int64 (d,)."""
        return np.diff(self.cand_indptr)

    def _cached(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def _subgraph(self):
        return self._cached("passive", lambda: self.graph.subgraph(~self.is_ap))

    @property
    def passive(self):
        """P as a Graph of its own (built on first use, for Monte-Carlo on P); its
        node i is G's node ``g_of_p[i]``."""
        return self._subgraph()[0]

    @property
    def g_of_p(self):
        """int32 (n_p,): G id of every node of :attr:`passive`."""
        return self._subgraph()[1]

    @property
    def p_of_g(self):
        """int64 (n,): id in :attr:`passive` of every node of G (-1 for APs)."""
        def make():
            p_of_g = np.full(self.graph.n, -1, dtype=np.int64)
            p_of_g[self.g_of_p] = np.arange(self.n_p)
            return p_of_g
        return self._cached("p_of_g", make)

    @property
    def distinct_candidates(self):
        """int32: every node that is a candidate of some AP, ascending."""
        def make():
            mark = np.zeros(self.graph.n, dtype=bool)
            mark[self.cand] = True
            return np.flatnonzero(mark).astype(np.int32)
        return self._cached("distinct", make)

    @property
    def onehop(self):
        """float64 (len(distinct_candidates),): expected one-hop spread on P of each
        distinct candidate, 1 + sum of p(v, w) over out-edges to non-APs."""
        G = self.graph
        return self._cached("onehop", lambda: kernels.onehop_spread(
            G.out_indptr, G.out_indices, G.out_prob, self.is_ap, self.distinct_candidates))

    @property
    def prio(self):
        """int64 (n,): rank of every candidate by its expected one-hop spread on P,
        :attr:`onehop` (largest first, then smaller id); n for other nodes.

        Greedy ties (frequent when few RR sets cover a candidate, e.g. zero marginal
        coverage) go to the better-ranked candidate instead of an arbitrary id.
        """
        def make():
            nodes = self.distinct_candidates
            order = np.lexsort((nodes, -self.onehop))
            prio = np.full(self.graph.n, self.graph.n, dtype=np.int64)
            prio[nodes[order]] = np.arange(len(nodes))
            return prio
        return self._cached("prio", make)

    @property
    def cand_ranked(self):
        """int32: ``cand`` with each AP's candidates in :attr:`prio` order."""
        return self._cached("cand_ranked", lambda: kernels.sort_segments(self.cand_indptr, self.cand,
                                                                         self.prio[self.cand]))

    def owners(self):
        """(cand_nodes int32, owner_indptr int64, owner_aps int32): the distinct
        candidates (G ids, in :attr:`prio` order) and, for each, the APs (ascending AP
        index) that have it as a candidate."""
        def make():
            ap_of_pair = np.repeat(np.arange(self.d, dtype=np.int32), self.n_candidates)
            order = np.lexsort((ap_of_pair, self.prio[self.cand]))
            nodes = self.cand[order]
            first = np.ones(len(nodes), dtype=bool)
            first[1:] = nodes[1:] != nodes[:-1]
            starts = np.flatnonzero(first)
            indptr = np.append(starts, len(nodes)).astype(np.int64)
            return nodes[starts].astype(np.int32), indptr, ap_of_pair[order]
        return self._cached("owners", make)

    def __repr__(self):
        return (f"<CimQuery {self.d:,} APs, {len(self.cand):,} AP-candidate pairs, "
                f"passive graph n={self.n_p:,}, "
                f"{len(self.aps_without_candidates):,} APs without candidates>")


def build_query(graph, aps):
    """Map the APs and find their candidates; P is the graph with the APs blocked.

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
    return CimQuery(
        graph=graph, aps=dense, ap_ids=ap_ids, is_ap=is_ap, blocked=Blocked(is_ap), cand_indptr=cand_indptr,
        cand=cand, cand_weight=graph.out_weight[edge[keep]], aps_without_candidates=without,
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
        Capacities above n (and ``k`` above n) count as n.

    Returns
    -------
    int64 (d,)

    Raises
    ------
    SeedwiseError
        k <= 0 or not an int, a k_u <= 0, an id not in the graph, or an AP without
        a capacity when ``k`` is None.
    """
    # an AP cannot recommend more friends than the graph has nodes: larger capacities
    # (10**30 from a file) mean "no limit" and are held as n, so that they fit int64 and
    # bound the work
    n = query.graph.n
    if k is not None:
        k = min(k, n)
    cap = np.full(query.d, k if k is not None else 0, dtype=np.int64)
    if capacities:
        if not isinstance(capacities, dict):
            raise SeedwiseError(f"capacities must be a dict id -> k_u; got {type(capacities).__name__}")
        ids = list(capacities)
        dense = query.graph.index_of(ids, what="capacity id")
        pos = np.full(query.graph.n, -1, dtype=np.int64)
        pos[query.aps] = np.arange(query.d)
        for node, key in zip(dense.tolist(), ids):
            value = min(check_int(f"capacity of {key}", capacities[key], 1), n)
            if pos[node] >= 0:
                cap[pos[node]] = value
    if k is None:
        missing = np.flatnonzero(cap == 0)
        if len(missing):
            raise SeedwiseError(
                f"k is required: {len(missing)} APs have no capacity in the capacities "
                f"(e.g. {query.ap_ids[missing[0]]}); give k for them")
    return cap
