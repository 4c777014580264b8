"""numba kernels for reverse-reachable (RR) set sampling.

Arrays: in_indptr int64 (n+1,), in_indices int32 (m,), in_prob float32 (m,),
in_shared_p float32 (n,) (p when all in-edges of v share it, else -1).
RR set i draws only from ``stream(seed, i)``, so a block [start, stop) gives the
same sets whichever thread or worker samples it.

Blocked nodes (SPEC section 5.2): ``blocked`` bool (n,) and ``targets`` int32 (the
nodes not blocked, ascending). A search starts at ``targets[below(state, len)]`` and
never enters a blocked node (they start out "visited", and only the set's own nodes
are reset afterwards), which gives the RR sets of the graph with the blocked nodes
removed, in the original ids, without copying the graph. Empty arrays mean no
blocked node (then the root is ``below(state, n)``, as always).
"""
import math

import numpy as np

from .._numba import inline, kernel
from .._random import below, next_state, stream, to_unit


@kernel
def _grow(buf, need):
    """buf, or a copy with at least ``need`` slots (capacity doubles)."""
    if need <= buf.shape[0]:
        return buf
    cap = max(need, 2 * buf.shape[0])
    out = np.empty(cap, dtype=buf.dtype)
    out[: buf.shape[0]] = buf
    return out


@inline
def _add(u, visited, out, pos):
    """Put node u in the RR set being built unless it is there already: (out, pos)."""
    if not visited[u]:
        visited[u] = True
        out = _grow(out, pos + 1)
        out[pos] = u
        pos += 1
    return out, pos


@kernel
def _work_space(in_indptr, blocked, start, stop, capacity):
    """n, the set sizes (stop-start,), the output buffer and the visited marks of one
    batch; the blocked nodes (if any) start out visited, so no search enters them."""
    n = in_indptr.shape[0] - 1
    visited = np.zeros(n, dtype=np.bool_) if blocked.shape[0] == 0 else blocked.copy()
    return n, np.empty(stop - start, dtype=np.int32), np.empty(max(capacity, 16), dtype=np.int32), visited


@kernel
def _root(seed, index, targets, n):
    """The random state of RR set ``index`` and its root, drawn uniformly from
    ``targets`` (from the n nodes when empty)."""
    state = next_state(stream(seed, index))
    if targets.shape[0] == 0:
        return state, np.int32(below(state, n))
    return state, targets[below(state, targets.shape[0])]


@kernel
def sample_rr_ic(in_indptr, in_indices, in_prob, in_shared_p, blocked, targets, seed, start, stop, capacity):
    """IC RR sets start..stop-1 by reverse BFS over live in-edges.

    Where a node's in-edges share one probability p, live edges are found by
    geometric skipping (SUBSIM, Guo et al. SIGMOD 2020): the gap to the next live
    edge is floor(log U / log(1 - p)), one draw per live edge instead of one per
    edge. Elsewhere each in-edge of an unvisited tail gets its own coin.

    Returns sizes int32 (stop-start,), nodes int32 (sum of sizes,), edges examined.
    """
    n, sizes, out, visited = _work_space(in_indptr, blocked, start, stop, capacity)
    pos = examined = 0
    for r in range(stop - start):
        state, root = _root(seed, start + r, targets, n)
        out = _grow(out, pos + 1)
        first = pos
        out[pos] = root
        pos += 1
        visited[root] = True
        head = first
        while head < pos:
            v = out[head]
            head += 1
            a = in_indptr[v]
            b = in_indptr[v + 1]
            if a == b:
                continue
            p = in_shared_p[v]
            if p >= 1.0:
                for j in range(a, b):
                    examined += 1
                    out, pos = _add(in_indices[j], visited, out, pos)
            elif p > 0.0:
                log1mp = math.log(1.0 - p)
                j = a
                while True:
                    state = next_state(state)
                    j += np.int64(math.log(1.0 - to_unit(state)) / log1mp)
                    if j >= b:
                        break
                    examined += 1
                    out, pos = _add(in_indices[j], visited, out, pos)
                    j += 1
            elif p < 0.0:
                for j in range(a, b):
                    u = in_indices[j]
                    examined += 1
                    if visited[u]:
                        continue
                    state = next_state(state)
                    if to_unit(state) < in_prob[j]:
                        out, pos = _add(u, visited, out, pos)
        for j in range(first, pos):
            visited[out[j]] = False
        sizes[r] = pos - first
    return sizes, out[:pos].copy(), examined


@kernel
def sample_rr_lt(in_indptr, in_indices, in_prob, in_shared_p, blocked, targets, seed, start, stop, capacity):
    """LT RR sets start..stop-1: a reverse random walk, each node keeping at most one
    in-edge (u, v) with probability w(u, v); the walk stops at a node that keeps none
    or at one already in the set (or blocked: the edge is then absent, as on the graph
    without the blocked nodes).

    Returns sizes int32 (stop-start,), nodes int32 (sum of sizes,), edges examined.
    """
    n, sizes, out, visited = _work_space(in_indptr, blocked, start, stop, capacity)
    pos = examined = 0
    for r in range(stop - start):
        state, v = _root(seed, start + r, targets, n)
        first = pos
        while True:
            out = _grow(out, pos + 1)
            out[pos] = v
            pos += 1
            visited[v] = True
            a = in_indptr[v]
            b = in_indptr[v + 1]
            if a == b:
                break
            state = next_state(state)
            x = to_unit(state)
            p = in_shared_p[v]
            chosen = -1
            if p >= 0.0:
                examined += 1
                if p > 0.0:
                    j = np.int64(x / p)
                    if j < b - a:
                        chosen = in_indices[a + j]
            else:
                acc = 0.0
                for j in range(a, b):
                    examined += 1
                    acc += in_prob[j]
                    if x < acc:
                        chosen = in_indices[j]
                        break
            if chosen < 0 or visited[chosen]:
                break
            v = chosen
        for j in range(first, pos):
            visited[out[j]] = False
        sizes[r] = pos - first
    return sizes, out[:pos].copy(), examined


@kernel
def count_covered(offsets, nodes, in_seed):
    """Number of RR sets containing at least one node with in_seed[node] True."""
    count = offsets.shape[0] - 1
    hit = 0
    for s in range(count):
        for j in range(offsets[s], offsets[s + 1]):
            if in_seed[nodes[j]]:
                hit += 1
                break
    return hit
