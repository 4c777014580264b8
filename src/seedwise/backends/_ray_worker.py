"""The Ray worker: holds its share of every RR collection next to the shared graphs.

A plain class (Ray is not imported here); :mod:`seedwise.backends.ray` turns it
into an actor. A worker outlives runs: it is given graphs (``load``, read-only views
into Ray's object store) under keys, and each collection samples one of them under
one model. Each collection is stored flat (offsets int64, nodes int32) with its node
index, exactly as :class:`~seedwise.sampling.RRSets`, and holds the RR sets of the
index ranges the driver gave this worker. RR set ``i`` comes from
``stream(seed, i)``, so which worker samples it does not change it.
"""
from __future__ import annotations

import types

import numpy as np

from ..graph._kernels import reverse_csr
from ..graph.csr import ranges
from ..sampling import _kernels as sampling_kernels
from ..sampling.rr_sets import Blocked, RRSets, _sample


class _Part:
    """This worker's sets of one collection, on one graph (with its blocked nodes) under one model."""

    def __init__(self, graph, model):
        self.graph, self.blocked = graph
        self.model = model
        self.offsets = np.zeros(1, dtype=np.int64)
        self.nodes = np.zeros(0, dtype=np.int32)
        self.index = None
        self.covered = None
        self.edges_examined = 0
        self.chunks = []  # (first set index, first local position, sets) of every grow, in index order

    def __len__(self):
        return self.offsets.shape[0] - 1


class RRWorker:
    """Samples and keeps RR sets for its index ranges; answers greedy steps.

    Parameters
    ----------
    threads : int
        Sampling threads inside this worker.
    """

    def __init__(self, threads=1):
        self.threads = int(threads)
        self.graphs = {}
        self.parts = {}

    def ping(self):
        return True

    def load(self, key, arrays, n, blocked=None):
        """Keep graph ``key``: ``in_indptr``, ``in_indices``, ``in_prob``, ``in_shared_p``
        (read-only views into Ray's object store: one copy per machine) and ``blocked``,
        a bool mask of nodes its RR sets never enter (or None)."""
        graph = types.SimpleNamespace(n=int(n), **arrays)
        self.graphs[key] = (graph, None if blocked is None else Blocked(blocked))
        return True

    def unload(self, key):
        """Forget graph ``key`` and every collection sampled on it."""
        entry = self.graphs.pop(key, None)
        self.parts = {name: part for name, part in self.parts.items()
                      if entry is None or part.graph is not entry[0] or part.blocked is not entry[1]}
        return True

    def held(self):
        """(graph keys, collection names) this worker holds: what outlives a run."""
        return sorted(self.graphs), sorted(self.parts)

    def grow(self, name, key, model, seed, start, stop):
        """Sample sets [start, stop) of collection ``name`` on graph ``key``; returns (sets, entries)."""
        part = self.parts.get(name)
        if part is None:
            part = self.parts[name] = _Part(self.graphs[key], model)
        if stop <= start:
            return 0, 0
        rr = _sample(part.graph, int(stop - start), part.model, int(seed), int(start), self.threads,
                     blocked=part.blocked)
        part.chunks.append((int(start), len(part), int(stop - start)))
        part.offsets = np.concatenate([part.offsets, rr.offsets[1:] + part.offsets[-1]])
        part.index = None
        part.nodes = np.concatenate([part.nodes, rr.nodes])
        part.edges_examined += rr.edges_examined
        return len(rr), rr.total

    def stats(self, name):
        part = self.parts[name]
        return len(part), int(part.nodes.shape[0]), part.edges_examined

    def start_greedy(self, name):
        """Build the node index (once per size), uncover every set; return the
        local marginal coverages, int32 (n,)."""
        part = self.parts[name]
        n = part.graph.n
        if part.index is None:
            part.index = reverse_csr(part.offsets, part.nodes, n)
        part.covered = np.zeros(len(part), dtype=np.bool_)
        # RR sets containing each node: the initial marginal coverages (int32 to halve the transfer)
        return np.diff(part.index[0]).astype(np.int32)

    def cover(self, name, v):
        """Cover v's local sets: (newly covered, nodes int32, decrements int32): every node
        of a newly covered set loses one unit of marginal coverage per such set."""
        part = self.parts[name]
        idx_indptr, idx_sets = part.index
        sets = idx_sets[idx_indptr[v]:idx_indptr[v + 1]]
        sets = sets[~part.covered[sets]]
        part.covered[sets] = True
        starts = part.offsets[sets]
        dec_nodes, dec = np.unique(part.nodes[ranges(starts, part.offsets[sets + 1] - starts)], return_counts=True)
        return len(sets), dec_nodes.astype(np.int32), dec.astype(np.int32)

    def coverage(self, name, dense_seeds):
        """Local Lambda(S) of collection ``name``."""
        part = self.parts.get(name)
        if part is None or len(part) == 0:
            return 0
        mask = np.zeros(part.graph.n, dtype=np.bool_)
        mask[np.asarray(dense_seeds, dtype=np.int64)] = True
        return int(sampling_kernels.count_covered(part.offsets, part.nodes, mask))

    def sets_from(self, name, start):
        """This worker's sets of index >= ``start``: a list of (first index, offsets from 0,
        nodes), one per slice it sampled, in index order."""
        part = self.parts.get(name)
        out = []
        for first, local, count in [] if part is None else part.chunks:
            skip = max(0, start - first)
            if skip >= count:
                continue
            lo, hi = local + skip, local + count
            a, b = part.offsets[lo], part.offsets[hi]
            out.append((first + skip, part.offsets[lo:hi + 1] - a, part.nodes[a:b]))
        return out

    def drop(self, name):
        self.parts.pop(name, None)
        return True

    def rr_sets(self, name):
        """The local sets as an RRSets (tests)."""
        part = self.parts[name]
        return RRSets(part.graph.n, part.offsets, part.nodes)
