"""Where RR sets live: in this process (``"local"``) or spread over Ray actors (``"ray"``).

The RR-based algorithms (OPIM-C, IMM, the RR-OPIM family) talk to a backend
through one small interface, so the same driver code runs on both and gives the
same answer. A backend knows no algorithm: it samples, counts and covers.

- ``backend.collection(seed)`` -> a growable RR collection whose set ``i`` is
  drawn from ``stream(seed, i)``;
- ``collection.grow(count)`` samples the next ``count`` sets;
- ``collection.coverage(dense_seeds)`` -> Lambda(S);
- ``collection.gains()`` -> int64 (n,) marginal coverages, every set uncovered;
  ``collection.cover(v, gain)`` covers v's sets, lowers ``gain`` accordingly and
  returns the sets newly covered (greedy algorithms are written on these two);
- ``collection.local_sets()`` -> the :class:`RRSets` when they live in this
  process or fit in it (Ray pulls them when they fit the driver's memory share), so
  fused kernels may run on them, else None;
- ``len(collection)``, ``collection.total`` (entries), ``collection.edges_examined``;
- ``backend.machines``, ``backend.describe()`` (what a result records), ``backend.close()``.

A backend lives for one run, unless it borrows from a pool that stays up
(:class:`~seedwise.backends.ray.RayPool`, what ``seedwise serve --backend ray``
keeps): then the actors and the graph outlive the run and only the run's
collections are dropped.
"""
from __future__ import annotations

from .._validation import default_threads

BACKENDS = ("local", "ray")


def make_backend(name, graph, model, *, threads=None, progress=None, address=None, num_workers=None, blocked=None):
    """Open the backend ``name`` ("local" or "ray") for RR sets of ``graph`` under ``model``.

    Parameters
    ----------
    name : {"local", "ray"} or RayPool
        A :class:`~seedwise.backends.ray.RayPool` lends its resident actors (and its
        copy of ``graph`` if it keeps it) to this run; ``address``, ``threads`` and
        ``num_workers`` are then the pool's.
    graph : Graph
    model : {"ic", "lt"}
    threads : int, optional
        Local: sampling threads (default: all numba threads). Ray: sampling
        threads per worker actor (default 1: one worker per CPU).
    progress : callable, optional
        Called with the number of RR sets generated.
    address : str, optional
        Ray only: None starts (or reuses) a local Ray instance, ``"auto"`` joins the
        cluster started on this machine with ``ray start``, ``"HOST:PORT"`` /
        ``"ray://HOST:PORT"`` joins a remote one.
    num_workers : int, optional
        Ray only: worker actors (default: the CPUs of the cluster).
    blocked : Blocked, optional
        Nodes the RR sets never start from nor enter (SPEC section 5.2): the sets
        are those of the graph without them, in the graph's ids.

    Returns
    -------
    LocalBackend or RayBackend

    Raises
    ------
    SeedwiseError
        ``"ray"`` without the ray package installed (the name is checked at the API).
    """
    if hasattr(name, "open"):  # a pool that stays up (RayPool): this run borrows its actors
        return name.open(graph, model, progress=progress, blocked=blocked)
    if name == "local":
        from .local import LocalBackend

        return LocalBackend(graph, model, threads=default_threads(threads), progress=progress, blocked=blocked)
    from .ray import RayBackend

    return RayBackend(graph, model, threads=1 if threads is None else int(threads), progress=progress,
                      address=address, num_workers=num_workers, blocked=blocked)


__all__ = ["BACKENDS", "make_backend"]
