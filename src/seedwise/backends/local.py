"""The in-process backend: RR sets in this process's memory, sampled on threads."""
from __future__ import annotations

from ..sampling import sample_rr_sets
from ..selection import max_coverage


class LocalCollection:
    """A growable RR collection held in this process (wraps :class:`RRSets`)."""

    def __init__(self, graph, model, seed, threads, progress):
        self.graph = graph
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
                              start=len(self), threads=self.threads, progress=self.progress)
        if self.rr is None:
            self.rr = more
        else:
            self.rr._index = None  # free the stale node index before concatenating
            self.rr = self.rr.extend(more)

    def select(self, k, allowed=None):
        return max_coverage(self.rr, k, allowed)

    def coverage(self, dense_seeds):
        return self.rr.coverage(dense_seeds)

    def drop(self):
        self.rr = None


class LocalBackend:
    """RR collections in this process; ``threads`` sampling threads."""

    name = "local"
    machines = 1

    def __init__(self, graph, model, *, threads=1, progress=None):
        self.graph = graph
        self.model = model
        self.threads = threads
        self.progress = progress

    def collection(self, seed):
        return LocalCollection(self.graph, self.model, seed, self.threads, self.progress)

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
