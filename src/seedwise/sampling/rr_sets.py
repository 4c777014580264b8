"""Reverse-reachable (RR) sets, sampled in parallel and stored flat.

A :class:`Blocked` node mask samples the RR sets of the graph with those nodes
removed without building that graph (SPEC section 5.2): targets are drawn among
the other nodes and the reverse search never enters a blocked one. The sets keep
the graph's node ids.

References
----------
C. Borgs, M. Brautbar, J. Chayes, B. Lucier. Maximizing social influence in
nearly optimal time. SODA 2014.
Q. Guo, S. Wang, Z. Wei, M. Chen. Influence maximization revisited: efficient
reverse reachable set generation with bound tightened. SIGMOD 2020 (SUBSIM).
"""
from __future__ import annotations

import numpy as np

from .._parallel import map_blocks, split_range
from .._random import mix64
from .._validation import SeedwiseError, default_threads
from ..graph._kernels import reverse_csr
from . import _kernels

#: RR sets per block handed to one thread; results do not depend on it.
BLOCK = 4096
#: Budgets below this are sampled on the calling thread.
SMALL = 512

_SAMPLERS = {"ic": _kernels.sample_rr_ic, "lt": _kernels.sample_rr_lt}


class Blocked:
    """Nodes that RR sets never start from and never enter (SPEC section 5.2).

    Sampling on a graph G with the nodes B blocked gives the distribution of RR
    sets on G minus B (edges with an end in B removed, other probabilities kept),
    in G's ids: a root uniform over V minus B, and live in-edges from B ignored.

    Parameters
    ----------
    mask : bool array (n,)
        True for a blocked node.

    Attributes
    ----------
    mask : bool (n,)
    targets : int32 (population,)
        The nodes that are not blocked, ascending.
    """

    def __init__(self, mask):
        self.mask = np.ascontiguousarray(mask, dtype=np.bool_)
        self.targets = np.flatnonzero(~self.mask).astype(np.int32)

    @property
    def population(self):
        """Number of nodes that are not blocked."""
        return int(self.targets.shape[0])

    def __repr__(self):
        return f"<Blocked {self.mask.shape[0] - self.population:,} of {self.mask.shape[0]:,} nodes>"


_NONE = np.zeros(0, dtype=np.bool_), np.zeros(0, dtype=np.int32)


def _mask_arrays(blocked):
    """(mask, targets) kernel arguments; empty arrays when nothing is blocked."""
    return _NONE if blocked is None else (blocked.mask, blocked.targets)


def as_blocked(blocked, n):
    """``blocked`` (None, a bool mask (n,) or a :class:`Blocked`) as a Blocked or None."""
    if blocked is None or isinstance(blocked, Blocked):
        out = blocked
    else:
        out = Blocked(blocked)
    if out is not None and out.mask.shape[0] != n:
        raise SeedwiseError(f"blocked mask has {out.mask.shape[0]} entries for a graph of {n} nodes")
    if out is not None and out.population == 0:
        raise SeedwiseError("every node is blocked: no RR set can start")
    return out


class RRSets:
    """A collection of RR sets: ``nodes[offsets[i]:offsets[i+1]]`` is set i.

    Attributes
    ----------
    n : int
        Nodes of the graph the sets were sampled on (node ids are in 0..n-1).
    population : int
        Nodes a set's target was drawn from: n, or the nodes not blocked. Spread
        estimates scale by it.
    offsets : int64 (count+1,)
    nodes : int32 (total,)
    edges_examined : int
        In-edges looked at while sampling (for throughput figures).
    seed, model : the stream seed and diffusion model used; sets start..start+count-1
        were drawn from streams start..start+count-1.
    """

    def __init__(self, n, offsets, nodes, *, edges_examined=0, seed=0, model="ic", start=0, population=None):
        self.n = int(n)
        self.population = self.n if population is None else int(population)
        self.offsets = offsets
        self.nodes = nodes
        self.edges_examined = int(edges_examined)
        self.seed = seed
        self.model = model
        self.start = int(start)
        self._index = None

    def __len__(self):
        return self.offsets.shape[0] - 1

    @property
    def total(self):
        """Number of (set, node) entries."""
        return int(self.nodes.shape[0])

    def __getitem__(self, i):
        return self.nodes[self.offsets[i]:self.offsets[i + 1]]

    @property
    def node_index(self):
        """(indptr int64 (n+1,), sets int32): the RR sets containing each node. Built once."""
        if self._index is None:
            # node -> sets is the transpose of sets -> nodes
            self._index = reverse_csr(self.offsets, self.nodes, self.n)
        return self._index

    def coverage(self, dense_seeds):
        """Lambda(S): number of RR sets hit by the dense node ids ``dense_seeds``."""
        mask = np.zeros(self.n, dtype=np.bool_)
        mask[np.asarray(dense_seeds, dtype=np.int64)] = True
        return int(_kernels.count_covered(self.offsets, self.nodes, mask))

    def estimate(self, dense_seeds):
        """population * Lambda(S) / |R|, the unbiased spread estimate."""
        return self.population * self.coverage(dense_seeds) / max(len(self), 1)

    def extend(self, more):
        """This collection followed by ``more`` (the next stream indices)."""
        if more.start != self.start + len(self):
            raise ValueError("RR collections must be contiguous in stream index")
        offsets = np.concatenate([self.offsets, more.offsets[1:] + self.offsets[-1]])
        return RRSets(self.n, offsets, np.concatenate([self.nodes, more.nodes]),
                      edges_examined=self.edges_examined + more.edges_examined,
                      seed=self.seed, model=self.model, start=self.start, population=self.population)

    def __repr__(self):
        return f"<RRSets {len(self):,} sets, {self.total:,} entries, model={self.model}>"


def sample_rr_sets(graph, count, *, model="ic", seed=0, start=0, threads=None, progress=None, blocked=None):
    """Sample RR sets ``start .. start+count-1`` of ``graph`` in parallel.

    Parameters
    ----------
    graph : Graph
    count : int
        Number of RR sets.
    model : {"ic", "lt"}
    seed : int
        Stream seed; set i depends only on (seed, i), not on ``threads``.
    start : int
        Index of the first set, so that a collection can be extended.
    threads : int, optional
        Threads to use (default: all numba threads).
    progress : callable, optional
        Called with the number of sets finished after each block.
    blocked : bool array (n,) or Blocked, optional
        Nodes removed from the graph for this sample (see :class:`Blocked`): the
        sets are those of the graph without them, in this graph's ids, and
        ``population`` is the number of other nodes.

    Returns
    -------
    RRSets
    """
    blocked = as_blocked(blocked, graph.n)
    return _sample(graph, int(count), model, int(seed), int(start), default_threads(threads), progress, blocked)


def _sample(graph, count, model, seed, start, threads, progress=None, blocked=None):
    kernel = _SAMPLERS[model]
    args = (graph.in_indptr, graph.in_indices, graph.in_prob, graph.in_shared_p, *_mask_arrays(blocked),
            np.uint64(seed))
    if count < SMALL:
        threads = 1  # a thread pool costs more than it saves here (the sets are the same)
    # smaller blocks for small budgets so both threads get work
    block = max(256, min(BLOCK, -(-count // max(threads, 1))))
    ranges = split_range(start, start + count, block)

    def run(a, b):
        return kernel(*args, a, b, 8 * (b - a))

    parts = map_blocks(run, ranges, threads, progress)
    if parts:
        sizes = np.concatenate([p[0] for p in parts])
        nodes = np.concatenate([p[1] for p in parts])
    else:
        sizes, nodes = np.zeros(0, np.int32), np.zeros(0, np.int32)
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return RRSets(graph.n, offsets, nodes, edges_examined=sum(int(p[2]) for p in parts),
                  seed=seed, model=model, start=start,
                  population=None if blocked is None else blocked.population)


def derive_seed(seed, label):
    """An independent stream seed for a second collection (e.g. OPIM-C's R2)."""
    return int(mix64(np.uint64(seed) ^ np.uint64((label * 0x632BE59BD9B4E019) & 0xFFFFFFFFFFFFFFFF)))
