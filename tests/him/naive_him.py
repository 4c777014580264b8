"""A straightforward pure-Python HeteroIM (the shape of socialalgo/HIM's HeteroIM.py).

Lists, dicts, ``heapq`` and ``collections.Counter`` only: the baseline that
bench/bench_him.py times against the numba kernels and that the tests compare with
for identical rankings on the same RR sets. Same rules as
seedwise.algorithms.him: lazy greedy over the APs' out-neighbours by marginal
coverage (ties: smaller id), every candidate taken; pair (i, v) scored by the number
of v's newly covered RR sets containing i, else v's marginal coverage / (1 + the
largest initial coverage of a candidate); per-AP ranking by score descending, then greedy step.
"""
import heapq
from collections import Counter, defaultdict


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
