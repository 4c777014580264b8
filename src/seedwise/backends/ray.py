"""The Ray backend: RR sets sampled and kept on worker actors, greedy reduced on the driver.

How a run is spread (issue 5; the same scheme as the distributed RR-OPIM+ of the
CIM paper, on Ray instead of a home-made cluster):

1. The driver puts the graph's reverse CSR (``in_indptr``, ``in_indices``,
   ``in_prob``, ``in_shared_p``) in Ray's object store once; every worker actor
   maps it read-only (zero-copy, one copy per machine).
2. Each round, the index range of the new RR sets ``[len, len + count)`` is cut
   into one contiguous slice per worker. Set ``i`` is drawn from
   ``stream(seed, i)`` by the same numba kernels as the local backend, so the
   collection is identical whatever the number of workers; a worker keeps the
   sets it made (and their node -> set index) in its own memory.
3. Greedy algorithms (maximum coverage in ``selection``, RR-Greedy in
   ``algorithms.cim``) run on the driver through two calls: ``gains()``, where
   every worker returns its local marginal coverages and the driver sums them
   into the exact global gains, and ``cover(v)``, sent to all workers in one
   batched call; each covers its local sets and returns the gain decrements of
   the nodes in them (sparse), keeping the driver's gains exact. One round trip
   per greedy step. The backend knows no algorithm.
4. Bounds come from reduced counts: Lambda_R2(S) is the sum of the workers'
   local coverages; OPIM-C's upper bound uses the top-k sum of the driver's
   global gains. Seeds, sigma_l, sigma_u and the RR-set counts therefore equal
   those of ``backend="local"`` for the same seed.

Memory: each worker holds ``1/num_workers`` of the RR sets (8 bytes per entry
with the index, 24 per set) plus the graph's reverse CSR in its machine's object
store (4 m + 12 n bytes under WC / uniform probabilities, where the
per-edge probabilities are not needed, else 8 m + 12 n); the driver holds the graph and a few arrays of n.
See ``docs/scaling.md``.

Ray is imported inside the functions only: ``pip install 'seedwise[ray]'``.
"""
from __future__ import annotations

import numpy as np

from .._validation import SeedwiseError


def import_ray():
    """The ray module, or a SeedwiseError saying how to install it."""
    try:
        import ray
    except ImportError:
        raise SeedwiseError(
            "backend='ray' needs the optional dependency ray; install it with "
            "pip install 'seedwise[ray]' (or use backend='local')") from None
    return ray


def connect(address=None):
    """Start or join Ray; returns the ray module.

    address : None (reuse the running instance, else start a local one), ``"auto"``
    (the cluster started on this machine with ``ray start``), ``"HOST:PORT"`` or
    ``"ray://HOST:PORT"``.
    """
    ray = import_ray()
    if ray.is_initialized():
        return ray
    kwargs = {"include_dashboard": False, "log_to_driver": False, "ignore_reinit_error": True}
    try:
        if address is None or str(address).lower() == "local":
            ray.init(**kwargs)
        else:
            ray.init(address=str(address), **kwargs)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise SeedwiseError(
            f"could not connect to the Ray cluster at address={address!r}: {exc}. Start one with "
            f"'ray start --head' (then --address auto), or pass --address HOST:PORT of the head node"
        ) from None
    return ray


class RayCollection:
    """One RR collection spread over the backend's workers (see module docstring)."""

    def __init__(self, backend, name, seed):
        self.backend = backend
        self.name = name
        self.seed = int(seed)
        self._len = 0
        self.total = 0

    def __len__(self):
        return self._len

    @property
    def edges_examined(self):
        ray, workers = self.backend.ray, self.backend.workers
        return sum(s[2] for s in ray.get([w.stats.remote(self.name) for w in workers]))

    def grow(self, count):
        """Sample sets len .. len+count-1, one contiguous slice per worker."""
        ray, workers = self.backend.ray, self.backend.workers
        start, stop = self._len, self._len + int(count)
        cuts = np.linspace(start, stop, len(workers) + 1).round().astype(np.int64)
        out = ray.get([w.grow.remote(self.name, self.seed, int(cuts[i]), int(cuts[i + 1]))
                       for i, w in enumerate(workers)])
        self._len = stop
        self.total += sum(int(o[1]) for o in out)
        if self.backend.progress is not None:
            self.backend.progress(int(count))

    def local_sets(self):
        """None: the sets live on the workers (greedy runs through gains / cover)."""
        return None

    def gains(self):
        """Start covering on every worker; the global marginal coverage of every node."""
        ray, workers = self.backend.ray, self.backend.workers
        gain = np.zeros(self.backend.n, dtype=np.int64)
        for local in ray.get([w.start_greedy.remote(self.name) for w in workers]):
            gain += local
        return gain

    def cover(self, v, gain):
        """Cover node ``v``'s sets on every worker (one batched round trip); lowers
        ``gain`` by the reduced decrements; returns the number of sets newly covered."""
        ray, workers = self.backend.ray, self.backend.workers
        new = 0
        for got, dec_nodes, dec in ray.get([w.cover.remote(self.name, int(v)) for w in workers]):
            new += int(got)
            gain[dec_nodes] -= dec
        return new

    def coverage(self, dense_seeds):
        """Lambda(S): the sum of the workers' local coverages."""
        ray, workers = self.backend.ray, self.backend.workers
        seeds = np.asarray(dense_seeds, dtype=np.int64)
        return int(sum(ray.get([w.coverage.remote(self.name, seeds) for w in workers])))

    def drop(self):
        ray, workers = self.backend.ray, self.backend.workers
        ray.get([w.drop.remote(self.name) for w in workers])


def worker_arrays(graph, blocked=None):
    """The reverse CSR the workers sample from, and the blocked-node mask if any. When
    every node with in-edges has a shared probability (WC, uniform), the kernels never
    read ``in_prob``, so it is left out: 4 m + 12 n bytes instead of 8 m + 12 n."""
    shared = graph.in_shared_p >= 0
    needs_prob = bool((~shared & (np.diff(graph.in_indptr) > 0)).any())
    return {"in_indptr": graph.in_indptr, "in_indices": graph.in_indices,
            "in_prob": graph.in_prob if needs_prob else np.zeros(1, dtype=np.float32),
            "in_shared_p": graph.in_shared_p, "blocked": None if blocked is None else blocked.mask}


class RayBackend:
    """RR collections on ``num_workers`` Ray actors sharing one copy of the graph.

    Parameters
    ----------
    graph : Graph
    model : {"ic", "lt"}
    threads : int, default 1
        Sampling threads per worker.
    progress : callable, optional
    address : str, optional
        See :func:`connect`.
    num_workers : int, optional
        Default: the CPUs of the cluster divided by ``threads``.
    blocked : Blocked, optional
        Nodes the RR sets never start from nor enter (SPEC section 5.2).

    Raises
    ------
    SeedwiseError
        When ray is not installed or the cluster cannot be reached.
    """

    def __init__(self, graph, model, *, threads=1, progress=None, address=None, num_workers=None, blocked=None):
        from ._ray_worker import RRWorker

        ray = connect(address)
        self.ray = ray
        self.n = graph.n
        self.progress = progress
        threads = max(1, int(threads or 1))
        cpus = float(ray.cluster_resources().get("CPU", 1.0))
        if num_workers is None:
            num_workers = max(1, int(cpus // threads))
        self.machines = max(1, sum(1 for node in ray.nodes() if node.get("Alive")))
        self.graph_ref = ray.put(worker_arrays(graph, blocked))
        # never ask for more CPUs than the cluster has: actors would wait forever
        per_actor = min(float(threads), cpus / num_workers)
        actor = ray.remote(RRWorker).options(num_cpus=per_actor, scheduling_strategy="SPREAD")
        self.workers = [actor.remote(self.graph_ref, graph.n, model, threads)
                        for _ in range(num_workers)]
        ray.get([w.ping.remote() for w in self.workers])
        self._names = 0

    @property
    def num_workers(self):
        return len(self.workers)

    def describe(self):
        """Parameters a result records about where it ran."""
        return {"backend": "ray", "num_workers": self.num_workers}

    def collection(self, seed):
        self._names += 1
        return RayCollection(self, f"c{self._names}", seed)

    def close(self):
        """Stop the worker actors (their RR sets go with them)."""
        for w in self.workers:
            self.ray.kill(w)
        self.workers = []
        self.graph_ref = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
