"""Slow, obviously correct references for the HIM tests and bench/bench_him.py (SPEC
section 7): a pure-Python HeteroIM (lists, dicts, heapq, Counter) in the shape of
socialalgo/HIM's HeteroIM.py with the naive RR sampler it reads, and the exact pair
problem f(L) by enumerating worlds.
"""
from __future__ import annotations

import heapq
import itertools
from collections import Counter, defaultdict

import numpy as np


def naive_hetero_im(rr_sets, n, out_nbrs, in_nbrs, aps, k):
    """Rows (ap, rank, invitee, score) in AP order, each AP's top k.

    rr_sets : list of lists of dense node ids; out_nbrs, in_nbrs : list of lists
    (graph CSR order); aps : list of dense AP ids (distinct, in output order).
    """
    ap_set = set(aps)
    candidates = set()
    for a in aps:
        for v in out_nbrs[a]:
            candidates.add(v)
    covered_by = [[] for _ in range(n)]
    for s, rr in enumerate(rr_sets):
        for w in rr:
            covered_by[w].append(s)
    cover_num = [len(c) for c in covered_by]
    norm = float(max(cover_num[v] for v in candidates) + 1)
    heap = [(-cover_num[v], v) for v in candidates]
    heapq.heapify(heap)
    done = [False] * len(rr_sets)
    pairs = defaultdict(list)
    step = 0
    while heap:
        neg, v = heapq.heappop(heap)
        if -neg != cover_num[v]:
            heapq.heappush(heap, (-cover_num[v], v))
            continue
        gain = cover_num[v]
        inviters = [i for i in in_nbrs[v] if i in ap_set]
        inviter_set = set(inviters)
        shared = Counter()
        for s in covered_by[v]:
            if done[s]:
                continue
            done[s] = True
            for w in rr_sets[s]:
                cover_num[w] -= 1
                if w in inviter_set:
                    shared[w] += 1
        for i in inviters:
            score = float(shared[i]) if shared[i] > 0 else gain / norm
            pairs[i].append((-score, step, v))
        step += 1
    rows = []
    for a in aps:
        for r, (neg_score, _, v) in enumerate(sorted(pairs[a])[:k]):
            rows.append((a, r + 1, v, -neg_score))
    return rows


def graph_lists(graph):
    """(out_nbrs, in_nbrs) of a seedwise Graph as Python lists (CSR order)."""
    oi, ox = graph.out_indptr.tolist(), graph.out_indices.tolist()
    ii, ix = graph.in_indptr.tolist(), graph.in_indices.tolist()
    out_nbrs = [ox[oi[u]:oi[u + 1]] for u in range(graph.n)]
    in_nbrs = [ix[ii[u]:ii[u + 1]] for u in range(graph.n)]
    return out_nbrs, in_nbrs


def rr_lists(rr):
    """RRSets as a list of lists."""
    offs, nodes = rr.offsets.tolist(), rr.nodes.tolist()
    return [nodes[offs[i]:offs[i + 1]] for i in range(len(rr))]


def naive_rr_sets(graph, count, seed=0):
    """``count`` IC RR sets by a plain reverse BFS, one coin per in-edge (Python ``random``).

    The pure-Python counterpart of the sampling step (RR_set_IC_instance in
    HeteroIM.py): same distribution as seedwise.sampling, different random draws.
    """
    import random

    rng = random.Random(seed)
    ii, ix, ip = graph.in_indptr.tolist(), graph.in_indices.tolist(), graph.in_prob.tolist()
    in_edges = [list(zip(ix[ii[u]:ii[u + 1]], ip[ii[u]:ii[u + 1]])) for u in range(graph.n)]
    n = graph.n
    out = []
    for _ in range(count):
        root = rng.randrange(n)
        seen = {root}
        queue = [root]
        head = 0
        while head < len(queue):
            u = queue[head]
            head += 1
            for v, p in in_edges[u]:
                if v not in seen and rng.random() < p:
                    seen.add(v)
                    queue.append(v)
        out.append(queue)
    return out


# ------------------------------------------------------- HIM pair problem (SPEC 5.1)
# f(L) = expected number of non-inviters reached when invitee j accepts inviter i's
# invitation with probability q_ij = P_ij U_j and accepted invitees spread by IC over
# non-inviters; computed by enumerating the liveness of every relevant edge (the
# inviter -> non-inviter edges with probability q, the edges between non-inviters with p).


def pair_relevant_edges(graph, aps, accept=None):
    """[(u, v, probability, is_pair)] of the edges that matter, in out-CSR order."""
    aps = set(int(a) for a in aps)
    src = np.repeat(np.arange(graph.n), graph.out_degree).tolist()
    out = []
    for e, (u, v) in enumerate(zip(src, graph.out_indices.tolist())):
        p = float(graph.out_prob[e])
        if u in aps and v not in aps:
            out.append((u, v, p * (1.0 if accept is None else float(accept[v])), True))
        elif u not in aps and v not in aps:
            out.append((u, v, p, False))
    return out


class PairProblem:
    """Exact f(L) for any lists over one enumeration of worlds."""

    def __init__(self, graph, aps, accept=None):
        self.graph = graph
        self.aps = [int(a) for a in aps]
        edges = pair_relevant_edges(graph, aps, accept)
        assert len(edges) <= 16, f"{len(edges)} relevant edges: too many worlds"
        self.pairs = [(u, v) for u, v, _, is_pair in edges if is_pair]
        self.worlds = []  # (probability, live pairs set, reach: node -> frozenset)
        for live in itertools.product((False, True), repeat=len(edges)):
            w = 1.0
            for on, (_, _, p, _) in zip(live, edges):
                w *= p if on else 1.0 - p
            if w == 0.0:
                continue
            adj = {}
            live_pairs = set()
            for on, (u, v, _, is_pair) in zip(live, edges):
                if on and is_pair:
                    live_pairs.add((u, v))
                elif on:
                    adj.setdefault(u, []).append(v)
            self.worlds.append((w, live_pairs, adj))

    @staticmethod
    def _reach(adj, starts):
        seen, stack = set(starts), list(starts)
        while stack:
            x = stack.pop()
            for y in adj.get(x, ()):
                if y not in seen:
                    seen.add(y)
                    stack.append(y)
        return seen

    def value(self, pairs):
        """f(L) for the pairs (i, j) of L (pairs to inviters add nothing)."""
        pairs = set(pairs)
        total = 0.0
        for w, live_pairs, adj in self.worlds:
            starts = {j for (i, j) in pairs & live_pairs}
            total += w * len(self._reach(adj, starts))
        return total

    def optimum(self, caps):
        """(OPT, best lists) by brute force over every inviter's min(K_i, c_i)-subsets."""
        per = []
        for i, cap in zip(self.aps, caps):
            mine = [p for p in self.pairs if p[0] == i]
            per.append(list(itertools.combinations(mine, min(cap, len(mine)))))
        best, best_lists = -1.0, None
        for choice in itertools.product(*per):
            pairs = [p for part in choice for p in part]
            v = self.value(pairs)
            if v > best:
                best, best_lists = v, pairs
        return best, best_lists
