"""Slow, obviously correct references for tests (SPEC section 7): IM, graphs, k-NN.

- Exact spread by enumerating every live-edge graph, brute-force IM optima, and a
  few tiny graphs whose spreads are worked out by hand. Probabilities are the
  graph's float32 values read as float64, exactly what the kernels compare
  against. Only for graphs with a handful of edges: the work is 2^m (IC) or
  prod_v (indeg(v) + 1) (LT) reachability computations.
- Graphs: a numpy-sort builder (the reference of the counting-sort build and of
  induced subgraphs) and :func:`assert_same_graph`, the one graph-equality check.
- k nearest neighbours: every pair in float64, ties to the smaller row.

The CIM references are in ``_reference_cim.py`` and the HIM ones (pure-Python
HeteroIM, the exact pair problem) in ``_reference_him.py``.
"""
from __future__ import annotations

import itertools

import numpy as np

from seedwise.graph import Graph, _schemes

MAX_WORLDS = 1 << 17


# --------------------------------------------------------------- live-edge worlds
def _edges(graph):
    """(u, v, p) lists of every edge, p as float64."""
    u = np.repeat(np.arange(graph.n), np.diff(graph.out_indptr)).tolist()
    v = graph.out_indices.tolist()
    p = graph.out_prob.astype(np.float64).tolist()
    return u, v, p


def _reach_matrix(n, live_edges):
    """reach[a, b] True when b is reachable from a (a itself included) over live_edges."""
    adj = [[] for _ in range(n)]
    for a, b in live_edges:
        adj[a].append(b)
    reach = np.zeros((n, n), dtype=bool)
    for s in range(n):
        stack = [s]
        reach[s, s] = True
        while stack:
            a = stack.pop()
            for b in adj[a]:
                if not reach[s, b]:
                    reach[s, b] = True
                    stack.append(b)
    return reach


def ic_worlds(graph):
    """Every IC live-edge graph: (probabilities (W,), reach (W, n, n) bool).

    Each edge is live with its probability, independently: 2^m worlds.
    """
    u, v, p = _edges(graph)
    m = len(u)
    assert 2 ** m <= MAX_WORLDS, f"{m} edges: too many worlds to enumerate"
    probs, reaches = [], []
    for live in itertools.product((False, True), repeat=m):
        w = 1.0
        for j in range(m):
            w *= p[j] if live[j] else 1.0 - p[j]
        if w == 0.0:
            continue
        probs.append(w)
        reaches.append(_reach_matrix(graph.n, [(u[j], v[j]) for j in range(m) if live[j]]))
    return np.array(probs), np.array(reaches)


def lt_worlds(graph):
    """Every LT live-edge graph: each node keeps one in-edge (u, v) with probability
    w(u, v), or none with 1 - sum of its in-weights (Kempe et al. 2003, Claim 2.6)."""
    u, v, p = _edges(graph)
    n = graph.n
    options = []  # per node: [(edge index or None, probability)]
    for node in range(n):
        ins = [j for j in range(len(u)) if v[j] == node]
        total = sum(p[j] for j in ins)
        assert total < 1.0 + 1e-6, "in-weights sum to more than 1"
        # float32 weights such as 3 x 1/3 may sum to 1 + 3e-8: rescale those to 1
        scale = 1.0 / total if total > 1.0 else 1.0
        options.append([(None, max(1.0 - total, 0.0))] + [(j, p[j] * scale) for j in ins])
    total = 1
    for opt in options:
        total *= len(opt)
    assert total <= MAX_WORLDS, f"{total} LT worlds: too many to enumerate"
    probs, reaches = [], []
    for choice in itertools.product(*options):
        w = 1.0
        for _, q in choice:
            w *= q
        if w == 0.0:
            continue
        probs.append(w)
        reaches.append(_reach_matrix(n, [(u[j], v[j]) for j, _ in choice if j is not None]))
    return np.array(probs), np.array(reaches)


_CACHE = {}


def worlds(graph, model):
    """ic_worlds or lt_worlds, cached per (graph object, model)."""
    key = (id(graph), model)
    if key not in _CACHE or _CACHE[key][0] is not graph:
        _CACHE[key] = (graph, ic_worlds(graph) if model == "ic" else lt_worlds(graph))
    probs, reach = _CACHE[key][1]
    assert abs(probs.sum() - 1.0) < 1e-9
    return probs, reach


def exact_spread(graph, dense_seeds, model="ic"):
    """sigma(S) = sum over worlds of Pr[world] * |nodes reachable from S in it|."""
    seeds = sorted(set(int(s) for s in dense_seeds))
    if not seeds:
        return 0.0
    probs, reach = worlds(graph, model)
    reached = reach[:, seeds, :].any(axis=1).sum(axis=1)
    return float(probs @ reached)


def exact_spread_ic(graph, dense_seeds):
    return exact_spread(graph, dense_seeds, "ic")


def exact_spread_lt(graph, dense_seeds):
    return exact_spread(graph, dense_seeds, "lt")


def exact_variance(graph, dense_seeds, model="ic"):
    """Var of the number of active nodes, for standard errors of estimators."""
    seeds = sorted(set(int(s) for s in dense_seeds))
    probs, reach = worlds(graph, model)
    reached = reach[:, seeds, :].any(axis=1).sum(axis=1).astype(float)
    mean = probs @ reached
    return float(probs @ (reached - mean) ** 2)


def brute_force_im(graph, k, model="ic"):
    """(best dense seed tuple, its exact spread) over all k-subsets (ties: first in order)."""
    best, best_value = None, -1.0
    for subset in itertools.combinations(range(graph.n), k):
        value = exact_spread(graph, subset, model)
        if value > best_value + 1e-12:
            best, best_value = subset, value
    return best, best_value


# ------------------------------------------------------------------ tiny graphs
def random_tiny_graph(rng, n, m, weights="wc", probs=None):
    """A random directed graph on nodes 0..n-1 with m distinct non-loop edges.

    ``weights`` is an edge scheme; with ``weights="given"`` the probabilities are
    ``probs`` (array of m) or drawn uniformly from [0.05, 0.95].
    Nodes without edges are not part of the Graph (dense ids are relabelled).
    """
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    idx = rng.choice(len(pairs), size=m, replace=False)
    src = np.array([pairs[i][0] for i in idx])
    dst = np.array([pairs[i][1] for i in idx])
    values = None
    if weights == "given":
        values = probs if probs is not None else rng.uniform(0.05, 0.95, size=m)
    return Graph.from_edges(src, dst, values, weights=weights)


def lt_random_weights(rng, graph):
    """The graph with random LT weights: each node's in-weights sum to a random s <= 1."""
    u = np.repeat(np.arange(graph.n), np.diff(graph.out_indptr))
    v = graph.out_indices
    raw = rng.uniform(0.1, 1.0, size=graph.m)
    total = np.bincount(v, weights=raw, minlength=graph.n)
    scale = rng.uniform(0.5, 1.0, size=graph.n)  # some mass left for "no edge"
    w = raw / total[v] * scale[v]
    return Graph.from_dense(u, v, graph.ids, w, weights="given")


def path_graph(p=0.5):
    """0 -> 1 -> 2, uniform p. sigma_IC({0}) = 1 + p + p^2 (1.75 at p = 0.5)."""
    return Graph.from_edges([0, 1], [1, 2], weights=f"uniform:{p}")


def star_graph(leaves=4, p=0.5):
    """Hub 0 -> leaves 1..L, uniform p. sigma_IC({0}) = 1 + L p (3.0 for L=4, p=0.5)."""
    return Graph.from_edges([0] * leaves, list(range(1, leaves + 1)), weights=f"uniform:{p}")


def diamond_graph(weights="uniform:0.5"):
    """0 -> 1, 0 -> 2, 1 -> 3, 2 -> 3.

    uniform:0.5, IC, S = {0}: 1 + 0.5 + 0.5 + Pr[3], Pr[3] = 1 - (1 - 0.25)^2 = 0.4375,
    so sigma = 2.4375.
    wc (p(0,1) = p(0,2) = 1, p(1,3) = p(2,3) = 0.5): IC sigma({0}) = 3 + (1 - 0.25) = 3.75;
    LT sigma({0}) = 4 (node 3 keeps the edge from 1 or from 2, both active);
    LT sigma({1}) = 1 + Pr[3 keeps (1, 3)] = 1.5.
    """
    return Graph.from_edges([0, 0, 1, 2], [1, 2, 3, 3], weights=weights)


def mixed_graph():
    """Heterogeneous probabilities: node 3's in-edges differ (one coin per edge),
    node 4's in-edges share p = 0.4 (SUBSIM skipping), and a cycle 4 -> 5 -> 0.

    Edges (u, v, p): (0,1,.6) (0,2,.3) (1,3,.7) (2,3,.2) (1,4,.4) (2,4,.4) (3,4,.4)
    (4,5,.5) (5,0,.25).  LT-valid: in-weights of 3 sum to .9, of 4 to 1.2 -- not
    valid, so LT tests use lt_random_weights or the WC scheme on it.
    """
    src = [0, 0, 1, 2, 1, 2, 3, 4, 5]
    dst = [1, 2, 3, 3, 4, 4, 4, 5, 0]
    p = [0.6, 0.3, 0.7, 0.2, 0.4, 0.4, 0.4, 0.5, 0.25]
    return Graph.from_edges(src, dst, p, weights="given")


# =============================================================== graph building
def naive_build(u, v, ids, values=None, *, directed=True, weights="wc"):
    """Sort (u, v) keys, merge repeats (counts add up, other values keep the largest)."""
    n = len(ids)
    scheme = _schemes.parse(weights)
    if values is None:
        values = np.ones(len(u), dtype=np.float64)
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    if not directed:
        u, v, values = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([values, values])
    keep = u != v
    u, v, values = u[keep], v[keep], values[keep]
    key = u * n + v
    order = np.argsort(key, kind="stable")
    key, values = key[order], values[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    reduce = np.add if scheme.name == "counts" else np.maximum
    values, key = reduce.reduceat(values, starts), key[starts]
    return _assemble(n, (key // n).astype(np.int32), (key % n).astype(np.int32), values, ids, scheme, directed,
                     _schemes.probabilities(scheme, key // n, key % n, values,
                                            _indptr(key % n, n), n))


def naive_subgraph(graph, keep):
    """Induced subgraph by masking the edge list and renumbering with a lookup table."""
    keep = np.asarray(keep, dtype=bool)
    new_of_old = np.cumsum(keep) - 1
    u = np.repeat(np.arange(graph.n), np.diff(graph.out_indptr))
    v = graph.out_indices
    e = keep[u] & keep[v]
    sub_ids = graph.ids[keep]
    scheme = _schemes.parse(graph.weights)
    return _assemble(len(sub_ids), new_of_old[u[e]].astype(np.int32), new_of_old[v[e]].astype(np.int32),
                     graph.out_weight[e].astype(np.float64), sub_ids, scheme, graph.directed,
                     graph.out_prob[e])


def _indptr(rows, n):
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr


def _assemble(n, u, v, values, ids, scheme, directed, prob):
    rev = np.argsort(v, kind="stable")
    in_indptr = _indptr(v, n)
    prob = np.asarray(prob, dtype=np.float32)
    weight = values.astype(np.float32)
    return Graph(
        n=n, m=len(u), directed=bool(directed), ids=ids, out_indptr=_indptr(u, n), out_indices=v,
        out_prob=prob, out_weight=weight, in_indptr=in_indptr, in_indices=u[rev], in_prob=prob[rev],
        in_weight=weight[rev], in_shared_p=_schemes.shared_in_probability(in_indptr, prob[rev]),
        weights=scheme.label,
    )


# =============================================================== graph equality
FIELDS = ("ids", "out_indptr", "out_indices", "out_prob", "out_weight", "in_indptr", "in_indices",
          "in_prob", "in_weight", "in_shared_p")


def assert_same_graph(g, h, exact_dtypes=False):
    """Same sizes, direction, scheme and CSR arrays; dtypes equal (``exact_dtypes``) or of one kind."""
    assert (g.n, g.m, g.directed, g.weights) == (h.n, h.m, h.directed, h.weights)
    for f in FIELDS:
        a, b = getattr(g, f), getattr(h, f)
        assert (a.dtype == b.dtype) if exact_dtypes else (a.dtype.kind == b.dtype.kind), f
        assert np.array_equal(a, b), f


# --------------------------------------------------------------- k nearest neighbours
def brute_force_knn(X, k, metric="euclidean"):
    """(indices int (n, k), distances float64 (n, k)) of the k nearest other rows."""
    x = np.asarray(X, dtype=np.float64)
    if metric == "cosine":
        x = x / np.linalg.norm(x, axis=1, keepdims=True)
    n = len(x)
    idx = np.empty((n, k), dtype=np.int64)
    dist = np.empty((n, k))
    for i in range(n):
        if metric == "cosine":
            d = np.maximum(1.0 - x @ x[i], 0.0)
        else:
            d = np.sqrt(((x - x[i]) ** 2).sum(axis=1))
        others = [j for j in range(n) if j != i]
        others.sort(key=lambda j: (d[j], j))
        idx[i] = others[:k]
        dist[i] = d[others[:k]]
    return idx, dist
