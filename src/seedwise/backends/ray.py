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
   ``algorithms.cim``) run on the driver's own copy of the sets when they fit its
   memory share (``driver_memory``, default 25% of the available memory, checked with
   :func:`seedwise.memory.fits_here`): ``local_sets()`` pulls the sets sampled since
   the last pull from the workers, in index order, and the fused kernels run on
   them with no round trip per pick. Larger collections stay on the workers and the
   greedy is driven through two calls: ``gains()``, where
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

import itertools
import os

import numpy as np

from .._validation import SeedwiseError, check_int
from ..memory import fits_here, parse_memory_budget
from ..sampling.rr_sets import RRSets


def import_ray():
    """The ray module, or a SeedwiseError saying how to install it."""
    try:
        import ray
    except ImportError:
        raise SeedwiseError(
            "backend='ray' needs the optional dependency ray; install it with "
            "pip install 'seedwise[ray]' (or use backend='local')") from None
    return ray


#: share of the available memory a collection pulled to the driver may take
DRIVER_MEMORY = "25%"

#: seconds to reach a cluster and to start the worker actors before giving up
CONNECT_TIMEOUT = 60.0


def connect(address=None, timeout=CONNECT_TIMEOUT):
    """Start or join Ray; returns the ray module.

    address : None (reuse the running instance, else start a local one), ``"auto"``
    (the cluster started on this machine with ``ray start``), ``"HOST:PORT"`` or
    ``"ray://HOST:PORT"``. A remote address is probed first: one that does not accept
    a connection within ``timeout`` seconds is an error at once, not a long hang.
    """
    ray = import_ray()
    if ray.is_initialized():
        return ray
    kwargs = {"include_dashboard": False, "log_to_driver": False, "ignore_reinit_error": True}
    hint = ("Start one with 'ray start --head' (then --address auto), or pass --address HOST:PORT of the "
            "head node")
    try:
        if address is None or str(address).lower() == "local":
            ray.init(**kwargs)
        else:
            _probe(str(address), min(timeout, JOIN_TIMEOUT))
            # something that accepts the connection but is not a Ray head (a proxy, another
            # service) makes ray.init retry for minutes: a deadline bounds it
            with _Deadline(min(timeout, JOIN_TIMEOUT)):
                ray.init(address=str(address), **kwargs)
    except TimeoutError as exc:
        try:
            ray.shutdown()
        except Exception:  # noqa: BLE001 - a half-made connection; the error below is what matters
            pass
        raise SeedwiseError(f"could not connect to the Ray cluster at address={address!r}: {exc}. {hint} "
                            "(SEEDWISE_RAY_TIMEOUT sets the wait)") from None
    except (ConnectionError, RuntimeError, ValueError, OSError) as exc:
        raise SeedwiseError(f"could not connect to the Ray cluster at address={address!r}: {exc}. {hint}") from None
    return ray


def _join_timeout():
    try:
        return float(os.environ.get("SEEDWISE_RAY_TIMEOUT", 10.0))
    except ValueError:
        return 10.0


#: seconds ray.init may take to join a remote address (``$SEEDWISE_RAY_TIMEOUT``, default 10)
JOIN_TIMEOUT = _join_timeout()


class _Deadline:
    """SIGALRM after ``seconds`` raises TimeoutError in the main thread (elsewhere: no limit)."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.old = None

    def __enter__(self):
        import signal
        import threading

        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            self.old = signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def _expire(self, *_):
        raise TimeoutError(f"no answer within {self.seconds:g} s")

    def __exit__(self, *exc):
        import signal

        if self.old is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.old)


def _probe(address, timeout):
    """Raise ConnectionError unless ``HOST:PORT`` (or ``ray://HOST:PORT``) accepts a TCP connection."""
    import socket

    target = address.split("://", 1)[-1]
    host, sep, port = target.rpartition(":")
    if not sep or not port.isdigit():
        return  # "auto" and other forms: ray resolves them
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise ConnectionError(f"no answer from {host}:{port} within {timeout:g} s ({exc.strerror or exc})") from None


class RayCollection:
    """One RR collection spread over the backend's workers (see module docstring)."""

    def __init__(self, backend, name, seed):
        self.backend = backend
        self.name = name
        self.seed = int(seed)
        self._len = 0
        self.total = 0
        self._rr = None  # the sets pulled to this process so far (RRSets), or None

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
        key, model = self.backend.key, self.backend.model
        out = ray.get([w.grow.remote(self.name, key, model, self.seed, int(cuts[i]), int(cuts[i + 1]))
                       for i, w in enumerate(workers)])
        self._len = stop
        self.total += sum(int(o[1]) for o in out)
        if self.backend.progress is not None:
            self.backend.progress(int(count))

    def local_sets(self):
        """The RRSets, pulled to this process (the sets new since the last pull, in index
        order) with their node index, when they fit the pool's ``driver_memory``; else
        None and greedy runs on the workers through gains / cover."""
        backend = self.backend
        if not fits_here(self.total, self._len, backend.n, backend.pool.driver_memory):
            self._rr = None
            return None
        pulled = 0 if self._rr is None else len(self._rr)
        if pulled < self._len:
            ray = backend.ray
            chunks = sorted((c for part in ray.get([w.sets_from.remote(self.name, pulled) for w in backend.workers])
                             for c in part), key=lambda c: c[0])
            sizes = np.concatenate([np.diff(c[1]) for c in chunks])
            offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
            more = RRSets(backend.n, offsets, np.concatenate([c[2] for c in chunks]), seed=self.seed,
                          model=backend.model, start=pulled, population=backend.population)
            if self._rr is not None:
                self._rr._index = None  # free the stale node index before concatenating
            self._rr = more if self._rr is None else self._rr.extend(more)
        _ = self._rr.node_index
        return self._rr

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
        self._rr = None
        ray, workers = self.backend.ray, self.backend.workers
        ray.get([w.drop.remote(self.name) for w in workers])


def worker_arrays(graph):
    """The reverse CSR the workers sample from. When every node with in-edges has a
    shared probability (WC, uniform), the kernels never read ``in_prob``, so it is
    left out: 4 m + 12 n bytes instead of 8 m + 12 n."""
    shared = graph.in_shared_p >= 0
    needs_prob = bool((~shared & (np.diff(graph.in_indptr) > 0)).any())
    return {"in_indptr": graph.in_indptr, "in_indices": graph.in_indices,
            "in_prob": graph.in_prob if needs_prob else np.zeros(1, dtype=np.float32),
            "in_shared_p": graph.in_shared_p}


class RayPool:
    """Ray worker actors that stay up across runs, with the graphs they were given.

    A server opens one pool and lends it to every query (``backend=pool``): the actors
    start once, and a graph kept with :meth:`keep` is put in the object store once.
    Any other graph (CIM's passive graph of one query) is loaded for the run that
    samples it and unloaded after. Collections are named, so runs may share a pool.

    Parameters
    ----------
    threads : int, default 1
        Sampling threads per worker.
    address : str, optional
        See :func:`connect`.
    num_workers : int, optional
        Default: the CPUs of the cluster divided by ``threads``.
    timeout : float, default 60
        Seconds to reach the cluster and to start the actors.
    driver_memory : int or str, optional
        Memory this process may give a copy of a collection (see
        :func:`~seedwise.memory.parse_memory_budget`; default :data:`DRIVER_MEMORY`,
        "25%" of the memory available at the time): a collection that fits is pulled
        here and the greedy runs on it in one kernel call; 0 keeps every collection on
        the workers (one round trip per greedy pick).

    Raises
    ------
    SeedwiseError
        When ray is not installed, the cluster cannot be reached, or the actors do
        not start within ``timeout`` (e.g. the cluster has no free CPU).
    """

    def __init__(self, *, threads=1, address=None, num_workers=None, timeout=CONNECT_TIMEOUT,
                 driver_memory=None):
        from ._ray_worker import RRWorker

        ray = connect(address, timeout)
        self.ray = ray
        self.driver_memory = DRIVER_MEMORY if driver_memory is None else driver_memory
        if self.driver_memory != 0:
            parse_memory_budget(self.driver_memory)  # bad text is an error now, not at the first greedy
        self.threads = max(1, int(threads or 1))
        cpus = float(ray.cluster_resources().get("CPU", 1.0))
        if num_workers is None:
            num_workers = max(1, int(cpus // self.threads))
        num_workers = check_int("num_workers", num_workers, 1, 100_000)
        self.machines = max(1, sum(1 for node in ray.nodes() if node.get("Alive")))
        # never ask for more CPUs than the cluster has: actors would wait forever
        per_actor = min(float(self.threads), cpus / num_workers)
        actor = ray.remote(RRWorker).options(num_cpus=per_actor, scheduling_strategy="SPREAD")
        self.workers = [actor.remote(self.threads) for _ in range(num_workers)]
        try:
            ray.get([w.ping.remote() for w in self.workers], timeout=timeout)
        except ray.exceptions.GetTimeoutError:
            self.close()
            raise SeedwiseError(f"the Ray cluster did not start {num_workers} worker actors within {timeout:g} s "
                                f"({cpus:g} CPUs); give fewer workers or free some CPUs") from None
        self._refs = {}  # graph key -> object ref of its arrays
        self._kept = {}  # id(graph) -> (graph, key, arrays' ref) of the graphs kept for every run
        self._names = itertools.count(1)  # next() is atomic: concurrent runs get distinct names

    @property
    def num_workers(self):
        return len(self.workers)

    def name(self, prefix):
        """A fresh name for a graph or a collection."""
        return f"{prefix}{next(self._names)}"

    def load(self, graph, blocked=None):
        """Put ``graph``'s reverse CSR on every worker (once: a kept graph's copy is
        reused) with the nodes its RR sets never enter (:class:`Blocked`, optional);
        returns its key."""
        key = self.name("g")
        kept = self._kept.get(id(graph))
        ref = kept[2] if kept is not None and kept[0] is graph else self.ray.put(worker_arrays(graph))
        mask = None if blocked is None else blocked.mask
        self.ray.get([w.load.remote(key, ref, graph.n, mask) for w in self.workers])
        self._refs[key] = ref
        return key

    def unload(self, key):
        """Forget the graph ``key`` on every worker (with its collections)."""
        if self._refs.pop(key, None) is not None and self.workers:
            self.ray.get([w.unload.remote(key) for w in self.workers])

    def keep(self, graph):
        """Load ``graph`` once for every later run on it; returns its key."""
        if id(graph) not in self._kept:
            key = self.load(graph)
            self._kept[id(graph)] = (graph, key, self._refs[key])
        return self._kept[id(graph)][1]

    def kept(self, graph):
        """The key of ``graph`` if it is kept, else None."""
        entry = self._kept.get(id(graph))
        return entry[1] if entry is not None and entry[0] is graph else None

    def open(self, graph, model, *, progress=None, blocked=None):
        """A :class:`RayBackend` for one run on ``graph``; closing it keeps the actors."""
        return RayBackend(graph, model, progress=progress, pool=self, blocked=blocked)

    def close(self):
        """Stop the worker actors (their RR sets and graphs go with them)."""
        for w in self.workers:
            self.ray.kill(w)
        self.workers = []
        self._refs.clear()
        self._kept.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class RayBackend:
    """RR collections of one graph on Ray actors sharing one copy of it.

    Without ``pool`` the backend starts its own actors and stops them on
    :meth:`close`; with one it borrows the pool's actors (and its copy of the graph
    when the pool keeps it) and closing only drops what this run made.

    Parameters
    ----------
    graph : Graph
    model : {"ic", "lt"}
    threads : int, default 1
        Sampling threads per worker (own actors only).
    progress : callable, optional
    address : str, optional
        See :func:`connect` (own actors only).
    num_workers : int, optional
        Default: the CPUs of the cluster divided by ``threads`` (own actors only).
    pool : RayPool, optional
        Actors that outlive this backend.
    blocked : Blocked, optional
        Nodes the RR sets never start from nor enter (SPEC section 5.2).

    Raises
    ------
    SeedwiseError
        When ray is not installed or the cluster cannot be reached.
    """

    def __init__(self, graph, model, *, threads=1, progress=None, address=None, num_workers=None, pool=None,
                 blocked=None):
        self.own_pool = pool is None
        if pool is None:
            pool = RayPool(threads=threads, address=address, num_workers=num_workers)
        self.pool = pool
        self.ray = pool.ray
        self.n = graph.n
        self.population = graph.n if blocked is None else blocked.population
        self.model = model
        self.progress = progress
        self.machines = pool.machines
        kept = pool.kept(graph) if blocked is None else None
        self.loaded = kept is None  # a graph (or blocked nodes) for this run only
        self.key = pool.load(graph, blocked) if kept is None else kept
        self._collections = []

    @property
    def workers(self):
        return self.pool.workers

    @property
    def num_workers(self):
        return self.pool.num_workers

    def describe(self):
        """Parameters a result records about where it ran."""
        return {"backend": "ray", "num_workers": self.num_workers}

    def collection(self, seed):
        coll = RayCollection(self, self.pool.name("c"), seed)
        self._collections.append(coll)
        return coll

    def close(self):
        """Drop this run's collections and graph; stop the actors if they are this backend's own."""
        if self.own_pool:
            self.pool.close()
        elif self.pool.workers:
            if self.loaded:
                self.pool.unload(self.key)  # its collections go with it
            else:
                for coll in self._collections:
                    coll.drop()
        self._collections = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
