"""The in-process backend: RR sets in this process's memory, sampled on threads."""
from __future__ import annotations

import numpy as np

from ..sampling import sample_rr_sets
from ..selection._kernels import cover_node


class LocalCollection:
    """A growable RR collection held in this process (wraps :class:`RRSets`)."""

    def __init__(self, graph, model, seed, threads, progress, blocked=None):
        self.graph = graph
        self.blocked = blocked
        self.model = model
        self.seed = seed
        self.threads = threads
        self.progress = progress
        self.rr = None

    def __len__(self):
        return 0 if self.rr is None else len(self.rr)

    @property
    def total(self):
        return 0 if self.rr is None else self.rr.total

    @property
    def edges_examined(self):
        return 0 if self.rr is None else self.rr.edges_examined

    def grow(self, count):
        """Sample sets len(self) .. len(self)+count-1 and append them."""
        more = sample_rr_sets(self.graph, int(count), model=self.model, seed=self.seed,
                              start=len(self), threads=self.threads, progress=self.progress, blocked=self.blocked)
        if self.rr is None:
            self.rr = more
        else:
            self.rr._index = None  # free the stale node index before concatenating
            self.rr = self.rr.extend(more)

    def local_sets(self):
        """The RRSets themselves, node index built (the sets live in this process)."""
        _ = self.rr.node_index
        return self.rr

    def coverage(self, dense_seeds):
        return self.rr.coverage(dense_seeds)

    def gains(self):
        """Start covering: every set uncovered; returns the marginal coverage of every node."""
        idx_indptr, _ = self.rr.node_index
        self._covered = np.zeros(len(self.rr), dtype=np.bool_)
        return np.diff(idx_indptr).astype(np.int64)

    def cover(self, v, gain):
        """Cover the uncovered sets of node ``v``; lowers ``gain`` (from :meth:`gains`)
        by what each node loses; returns the number of sets newly covered."""
        idx_indptr, idx_sets = self.rr.node_index
        return int(cover_node(np.int64(v), idx_indptr, idx_sets, self.rr.offsets, self.rr.nodes, self._covered,
                              gain))

    def drop(self):
        self.rr = None


class LocalBackend:
    """RR collections in this process; ``threads`` sampling threads."""

    machines = 1

    def __init__(self, graph, model, *, threads=1, progress=None, blocked=None):
        self.graph = graph
        self.blocked = blocked
        self.model = model
        self.threads = threads
        self.progress = progress

    def collection(self, seed):
        return LocalCollection(self.graph, self.model, seed, self.threads, self.progress, self.blocked)

    def describe(self):
        """Parameters a result records about where it ran (nothing: this process is the default)."""
        return {}

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
