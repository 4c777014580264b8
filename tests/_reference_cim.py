"""Slow, obviously correct references for the CIM tests (SPEC section 7): exact spread
on the passive graph, the optimum over every feasible assignment, the optimal coverage
of a feasible assignment on RR sets, and small random instances. The IM and graph
references they build on are in :mod:`_reference`.
"""
from __future__ import annotations

import itertools

import numpy as np
from _reference import exact_spread

from seedwise.algorithms.cim import build_query
from seedwise.graph import Graph


def exact_oracle(passive, dense_seeds):
    """Exact sigma_P(S): the ``oracle`` option of mg-greedy / rr-greedy in tests."""
    return exact_spread(passive, dense_seeds, "ic")


def exact_cim_spread(query, friends_orig):
    """Exact spread on P of the union of the friends (original ids)."""
    g = query.graph
    dense = g.index_of(list(friends_orig)) if len(friends_orig) else np.zeros(0, np.int64)
    return exact_oracle(query.passive, query.p_of_g[dense])


def feasible_unions(query, cap):
    """Every union of a feasible assignment (per AP a subset of C_u of size <= k_u),
    as sorted tuples of G ids, without repeats."""
    per_ap = []
    for u in range(query.d):
        cands = query.cand[query.cand_indptr[u]:query.cand_indptr[u + 1]].tolist()
        k = min(int(cap[u]), len(cands))
        # monotone objective: only maximal subsets matter, but keep every size <= k
        subsets = [c for r in range(k + 1) for c in itertools.combinations(cands, r)]
        per_ap.append(subsets)
    seen = set()
    for choice in itertools.product(*per_ap):
        union = tuple(sorted(set(itertools.chain.from_iterable(choice))))
        if union not in seen:
            seen.add(union)
            yield union


def brute_force_cim(query, cap):
    """(best union of G ids, its exact spread on P) over all feasible assignments."""
    best, value = (), -1.0
    for union in feasible_unions(query, cap):
        v = exact_oracle(query.passive, query.p_of_g[list(union)])
        if v > value + 1e-12:
            best, value = union, v
    return best, value


def max_coverage_feasible(rr, query, cap):
    """The largest coverage on ``rr`` of any feasible assignment (brute force)."""
    best = 0
    for union in feasible_unions(query, cap):
        if union:
            best = max(best, rr.coverage(np.array(union, dtype=np.int64)))
    return best


def random_instance(rng, n=9, n_aps=3, p_edges=10, ap_edges=7, weights="given"):
    """A random CIM instance: APs 0..n_aps-1 with out-edges to the other nodes (and
    to each other, which must be ignored), and a passive graph of ``p_edges`` edges.

    Returns (graph, AP ids). Every node id 0..n-1 appears (a chain of zero-weight
    edges is avoided by adding node ids through the AP edges).
    """
    aps = list(range(n_aps))
    passive = list(range(n_aps, n))
    pairs = [(a, b) for a in passive for b in passive if a != b]
    idx = rng.choice(len(pairs), size=p_edges, replace=False)
    src = [pairs[i][0] for i in idx]
    dst = [pairs[i][1] for i in idx]
    ap_pairs = [(a, b) for a in aps for b in passive]
    idx = rng.choice(len(ap_pairs), size=ap_edges, replace=False)
    src += [ap_pairs[i][0] for i in idx]
    dst += [ap_pairs[i][1] for i in idx]
    # an AP -> AP edge (must never be a candidate) and edges into APs (paths through an AP)
    src += [0, passive[0]]
    dst += [1, 1]
    # make sure every node exists
    for v in range(n):
        if v not in src and v not in dst:
            src.append(0 if v >= n_aps else passive[-1])
            dst.append(v)
    values = rng.uniform(0.1, 0.9, size=len(src))
    g = Graph.from_edges(np.array(src), np.array(dst), values, weights=weights)
    return g, aps


def query_of(graph, aps):
    return build_query(graph, aps)
