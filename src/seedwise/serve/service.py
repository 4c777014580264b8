"""The queries a server answers, on one resident graph, without HTTP.

:class:`Service` holds the graph (loaded once) and the per-request limits, and turns
one query into the JSON object the CLI prints with ``--json``, through the public API
and therefore through the same checks: ``k <= n``, the models, eps and delta, the
node ids, the memory guard before RR sets are sampled. On top of those a server bounds
what one request may cost: Monte-Carlo runs (``max_simulations``), RR sets of a spread
estimate (``max_rr_sets``) and the running time the greedy algorithms estimate before
they start (``max_seconds``). Every refusal is a :class:`~seedwise.SeedwiseError`,
which the web layer answers with 400.

The web layer (:mod:`seedwise.serve.asgi`) only parses, authorises and calls the
methods below, so the answers are those of the API for the same arguments.
"""
from __future__ import annotations

from .. import api
from .._validation import SeedwiseError, check_float, check_graph, check_int, check_model, check_seed, check_threads
from ..cli._common import result_meta
from ..cli.select import spread_object
from .defaults import MAX_RR_SETS, MAX_SECONDS, MAX_SIMULATIONS

#: the API's IM algorithms that sample RR sets under a memory guard, on any backend
_GUARDED_IM = ("opim-c", "imm")
#: CIM algorithms that estimate their running time first (they take max_seconds)
_TIMED_CIM = ("mg-greedy", "rr-greedy")


class Service:
    """One graph, kept in memory, answering select / cim / recommend / spread queries.

    Parameters
    ----------
    graph : Graph
    name : str, optional
        How ``/health`` names the graph (a file or dataset name).
    threads : int, optional
        Sampling threads per query (default: all cores numba may use).
    max_simulations : int, default 100,000
        Largest ``simulations`` a request may ask for (spread, CELF).
    max_rr_sets : int, default 2,000,000
        Largest ``rr_sets`` of a spread estimate with ``method="rr"``.
    max_seconds : float, default 60
        Greedy algorithms (CELF, mg-greedy, rr-greedy) refuse requests they
        estimate to take longer.
    max_memory : int or str, optional
        Memory budget of one query's RR sets (bytes, "4G", "40%"; the API's default
        is 80% of the available memory). Checked before sampling.
    backend : RayPool, optional
        Resident Ray actors (with the graph kept on them) for the algorithms that
        run on Ray: OPIM-C, IMM and the RR-OPIM family; None: this process.

    Raises
    ------
    SeedwiseError
        A limit that is not a positive number.
    """

    def __init__(self, graph, *, name=None, threads=None, max_simulations=MAX_SIMULATIONS,
                 max_rr_sets=MAX_RR_SETS, max_seconds=MAX_SECONDS, max_memory=None, backend=None):
        from ..memory import parse_memory_budget

        check_graph(graph)
        self.graph = graph
        self.name = name
        self.threads = None if threads is None else check_threads(threads)
        self.max_simulations = check_int("max_simulations", max_simulations, 1)
        self.max_rr_sets = check_int("max_rr_sets", max_rr_sets, 1)
        self.max_seconds = check_float("max_seconds", max_seconds, 0.0, low_open=True)
        if max_memory is not None:
            parse_memory_budget(max_memory)  # refuse a bad budget now, not at the first query
        self.max_memory = max_memory
        self.backend = backend

    # ------------------------------------------------------------------ queries
    def health(self):
        """``{"status": "ok", "graph": {...}}``: the graph this server answers on."""
        g = self.graph
        info = {"n": int(g.n), "m": int(g.m), "weights": g.weights, "directed": bool(g.directed)}
        if self.name is not None:
            info["name"] = self.name
        return {"status": "ok", "graph": info}

    def select(self, *, k, model="ic", eps=0.1, delta=None, algorithm="opim-c", seed=0, simulations=None):
        """The object of ``seedwise select --json``: :func:`seedwise.maximize` on the graph,
        with the run's model, weights, graph name and direction.

        ``simulations`` is CELF's Monte-Carlo runs per estimate (at most
        ``max_simulations``); CELF also gets ``max_seconds``.
        """
        options = {}
        name = str(algorithm).strip().lower().replace("_", "-")
        if simulations is not None:
            options["simulations"] = self._simulations(simulations)
        if name == "celf":
            options["max_seconds"] = self.max_seconds
        if name in _GUARDED_IM and self.max_memory is not None:
            options["max_memory"] = self.max_memory
        if name in _GUARDED_IM and self.backend is not None:
            options["backend"] = self.backend
        res = api.maximize(self.graph, k, model=model, eps=eps, delta=delta, algorithm=algorithm, seed=seed,
                           threads=self.threads, **options)
        return {**res.to_dict(), **result_meta(self.graph, self.name, res.model)}

    def cim(self, *, aps, k=None, algorithm=None, capacities=None, eps=0.1, delta=None, seed=0,
            model="ic", rank_by_weight=False):
        """The object of ``seedwise cim --json``: :func:`seedwise.cim` for the APs ``aps``
        (``algorithm`` None: the API's default)."""
        from .. import cim
        from ..algorithms.cim.solve import ANY_BACKEND

        self._ids("aps", aps)
        options = {"max_memory": self.max_memory}
        if algorithm is not None:
            options["algorithm"] = algorithm
        name = str(algorithm).strip().lower()
        if name in _TIMED_CIM:
            options["max_seconds"] = self.max_seconds
        if self.backend is not None and (algorithm is None or name in ANY_BACKEND):
            options["backend"] = self.backend
        res = cim(self.graph, aps, k, eps=eps, delta=delta, capacities=capacities or None,
                  seed=seed, threads=self.threads, rank_by_weight=rank_by_weight, model=model, **options)
        return res.to_dict()

    def recommend(self, *, aps, k, method="hetero-im", capacity=4, willingness=None, eps=0.1, delta=None, seed=0,
                  skip_unknown=False):
        """The object of ``seedwise recommend --json``: :func:`seedwise.recommend` for the inviters ``aps``.

        ``willingness`` is a mapping id -> U_j (never a path: a request reads no file).
        """
        from .. import recommend

        self._ids("aps", aps)
        if willingness is not None and not isinstance(willingness, dict):
            raise SeedwiseError(f"willingness must be an object id -> value in [0, 1]; got {willingness!r}")
        recs = recommend(self.graph, aps, k, method=method, capacity=capacity, willingness=willingness, eps=eps,
                         delta=delta, seed=seed, threads=self.threads, skip_unknown=skip_unknown,
                         max_memory=self.max_memory)
        return recs.to_dict()

    def spread(self, *, seeds, simulations=10_000, model="ic", method="mc", rr_sets=None, seed=0):
        """The object of ``seedwise spread --json``: :func:`seedwise.spread` of ``seeds``."""
        self._ids("seeds", seeds)
        if str(method).lower() == "rr":
            rr_sets = self._rr_sets(api.DEFAULT_RR_SETS if rr_sets is None else rr_sets, model, seed)
        else:  # the API names a method that is neither
            simulations = self._simulations(simulations)
        est = api.spread(self.graph, seeds, model=model, simulations=simulations, method=method, rr_sets=rr_sets,
                         seed=seed, threads=self.threads)
        return spread_object(self.graph, seeds, est, check_model(model))

    # ------------------------------------------------------------------ limits
    def _simulations(self, simulations):
        return check_int("simulations", simulations, 1, self.max_simulations,
                         hint=" (this server's --max-simulations)")

    def _rr_sets(self, rr_sets, model, seed):
        from ..memory import MemoryGuard

        rr_sets = check_int("rr_sets", rr_sets, 1, self.max_rr_sets, hint=" (this server's --max-rr-sets)")
        MemoryGuard(self.graph, check_model(model), check_seed(seed), self.max_memory,
                    threads=check_threads(self.threads), algorithm="the RR estimate").check(rr_sets, "its RR sets")
        return rr_sets

    @staticmethod
    def _ids(name, ids):
        """A request names nodes in a list: a string would be read as a file path by the API."""
        if not isinstance(ids, (list, tuple)):
            raise SeedwiseError(f"{name} must be a list of node ids; got {type(ids).__name__}")

    def warm(self):
        """Load every kernel a query uses (numba's cache), with the backend's workers, by
        one small query of each kind on a small piece of the graph: the kernels are those
        of the whole graph (same array types), the cost is not, and the first real
        request is then as fast as the next ones."""
        piece = _neighbourhood(self.graph)
        small = Service(piece, threads=self.threads, backend=self.backend)
        node = piece.label([int(piece.out_degree.argmax())])[0]
        small.select(k=1, eps=0.5)
        small.spread(seeds=[node], simulations=2)
        small.spread(seeds=[node], method="rr", rr_sets=64)
        if piece.m:
            small.cim(aps=[node], k=1, eps=0.5)
            small.recommend(aps=[node], k=1, eps=0.5)
            small.recommend(aps=[node], k=1, method="hetero-ir")


def _neighbourhood(graph, size=256):
    """The graph induced by about ``size`` nodes reached from the node of largest out-degree."""
    import numpy as np

    keep = np.zeros(graph.n, dtype=bool)
    frontier = np.array([int(graph.out_degree.argmax())])
    while len(frontier) and keep.sum() < size:
        keep[frontier] = True
        nxt = np.concatenate([graph.out_indices[graph.out_indptr[v]:graph.out_indptr[v + 1]] for v in frontier[:size]])
        frontier = np.unique(nxt[~keep[nxt]])[:size]
    piece = graph.subgraph(keep)[0]
    for name, value in vars(piece).items():  # read-only where the graph's arrays are (a mapped file):
        theirs = getattr(graph, name, None)  # numba types those apart, and the kernels must be the same
        if isinstance(value, np.ndarray) and isinstance(theirs, np.ndarray) and not theirs.flags.writeable:
            value.flags.writeable = False
    return piece
