"""The public Python API: load a graph, pick seeds, measure their spread.

Every argument is checked here, at the boundary; the algorithms below trust their
inputs. Errors are :class:`~seedwise.SeedwiseError` with a message that names the
parameter, what is allowed and what arrived.

Examples
--------
>>> import seedwise
>>> g = seedwise.load_dataset("cim-physic")
>>> g
<Graph directed n=241 m=923 weights=wc>
>>> res = seedwise.maximize(g, k=3, seed=0)
>>> len(res.seeds), res.lower <= res.spread <= res.upper
(3, True)
"""
from __future__ import annotations

import errno
import importlib
import inspect
import os

from . import datasets as _datasets
from ._budget import OPTIONAL_SECONDS
from ._validation import SeedwiseError, validated
from .graph.readers import read_seeds

__all__ = ["ALGORITHMS", "datasets", "describe", "load_dataset", "maximize", "read_graph", "read_seeds",
           "register_algorithm", "spread"]

#: CLI / API algorithm name -> (module, function). Imported on first use so that
#: ``import seedwise`` and ``seedwise --help`` stay fast.
ALGORITHMS = {
    "opim-c": ("seedwise.algorithms.im.opim_c", "opim_c"),
    "imm": ("seedwise.algorithms.im.imm", "imm"),
    "celf": ("seedwise.algorithms.im.celf", "celf"),
    "degree": ("seedwise.algorithms.im.baselines", "degree"),
    "pagerank": ("seedwise.algorithms.im.baselines", "pagerank"),
    "degree-discount": ("seedwise.algorithms.im.baselines", "degree_discount"),
    "random": ("seedwise.algorithms.im.baselines", "random_seeds"),
}

SPREAD_METHODS = ("mc", "rr")

#: RR sets used by ``spread(..., method="rr")`` when ``rr_sets`` is not given.
DEFAULT_RR_SETS = 100_000


def register_algorithm(name, module, function):
    """Make ``maximize(..., algorithm=name)`` call ``module.function``.

    The function must take ``(graph, k, *, model, eps, delta, seed, threads,
    progress, **options)`` and return a :class:`SelectionResult`.
    """
    ALGORITHMS[str(name).lower()] = (module, function)


# --------------------------------------------------------------------- graphs
def read_graph(path, *, directed=None, weights=None, cache=True, source=None, target=None, weight=None):
    """Read a graph file: an edge list (text, ``.gz``), a binary ``.swg`` file, or another format.

    Text edge lists have one edge ``u v [value]`` per line, separated by
    whitespace, commas or tabs; ``#`` and ``%`` lines are comments and an
    ``n m`` header line is skipped. Self-loops are dropped and repeated edges
    merged (``graph.stats`` says how many). Node ids are kept as they are
    (integers or strings) and every result reports them.

    Other formats are recognised by their first bytes or their name (see
    :mod:`seedwise.graph.formats`): Matrix Market (``.mtx``, through
    :func:`scipy.io.mmread`; a symmetric matrix is an undirected graph),
    GraphML, GEXF and GML (through networkx), Parquet, Arrow IPC/Feather and
    CSV/TSV whose first line names the columns (through pyarrow).

    Direction: with ``directed=None`` a file is read as it describes itself: a
    SNAP header ``# Undirected graph`` or KONECT's ``% sym`` reads it undirected;
    a symmetric matrix and undirected GraphML are undirected. An edge list read
    directed whose every edge also appears reversed gives a
    :class:`~seedwise.SeedwiseWarning` suggesting ``directed=False``
    (``--undirected``); the graph is the same either way, only ``directed``
    differs.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    directed : bool, optional
        None (default): as the file says, else directed. False reads every edge
        in both directions; True reads a text edge list directed even when its
        header says undirected.
    weights : str or None, default None
        Edge probabilities: ``"wc"`` (weighted cascade, 1 / in-degree of the
        target), ``"uniform:P"``, ``"trivalency"``, ``"given"`` (third column is
        the probability) or ``"counts"`` (third column is an interaction count,
        normalised per target node). None keeps the scheme stored in a binary
        file, reads the ``weight`` column as probabilities when it is named, and
        is ``"wc"`` otherwise.
    cache : bool, default True
        Keep a binary copy of a parsed edge list (in ``$SEEDWISE_CACHE_DIR``, else
        ``~/.cache/seedwise``) so that the next read of the same file is fast.
    source, target : str, optional
        Tables (Parquet, Arrow, CSV with names): the columns of the edge tails
        and heads; default ``source``/``target`` where present, else the first
        two columns.
    weight : str, optional
        Tables: the column holding the probability; GraphML/GEXF/GML: the edge
        attribute; Matrix Market: any name reads the entries as probabilities.

    Returns
    -------
    Graph
        ``graph.stats["format"]`` names the reader; ``stats["undirected_by"]``
        is "header" when the file's header made it undirected.

    Raises
    ------
    FileNotFoundError
        No such file.
    SeedwiseError
        A malformed line (the message names the file and the line), bad
        probabilities, an unknown weight scheme, an empty graph, a column or
        attribute that is missing or would be ignored, or a format whose
        optional package is not installed (the message gives the pip command).

    Examples
    --------
    >>> import seedwise
    >>> from seedwise import datasets
    >>> with datasets.path("email-eu-core") as p:
    ...     g = seedwise.read_graph(p, cache=False)
    >>> g.n, g.m, g.stats["self_loops_dropped"]
    (1005, 24929, 642)
    """
    import warnings

    from ._textio import is_stream, spooled
    from ._validation import SeedwiseWarning
    from .graph import formats, io

    path = os.fspath(path)
    if path != "-" and not os.path.exists(path):  # "-" is stdin
        raise FileNotFoundError(errno.ENOENT, "graph file not found", path)
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, "expected a graph file, got a folder", path)
    if is_stream(path):  # a pipe, FIFO or stdin: read once, to the end, then as a file
        with spooled(path, "graph") as copy:
            g = read_graph(copy, directed=directed, weights=weights, cache=False, source=source, target=target,
                           weight=weight)
        g.stats["source"] = path
        return g
    sniffed = formats.sniff(path, source, target)
    if sniffed.format is not None:
        return formats.read_formatted(path, sniffed, directed=directed, weights=weights, source=source,
                                      target=target, weight=weight)
    if source is not None or target is not None or weight is not None:
        raise SeedwiseError(f"{path} is an edge list without column names; source=, target= and weight= "
                            "(--source-col, --target-col, --weight-col) name the columns of a table "
                            "(CSV with a header line, Parquet, Arrow); its third column is read with "
                            "weights='given' or 'counts'")
    by_header = directed is None and sniffed.undirected_header
    g = io.read_graph(path, directed=not by_header and directed is not False, weights=weights, cache=bool(cache))
    if by_header:
        g.stats["undirected_by"] = "header"
    elif directed is None and g.directed and g.stats.get("format") != "binary" and formats.symmetric(g):
        warnings.warn(f"{path}: every edge also appears reversed, so the graph looks undirected; read it "
                      "with directed=False (--undirected) to say so (the edges are the same)",
                      SeedwiseWarning, stacklevel=2)
    return g


def load_dataset(name, *, weights="wc", cache=True):
    """Load one of the networks shipped with seedwise.

    Parameters
    ----------
    name : str
        A name listed by :func:`datasets` (``"wiki-vote"``, ``"email-eu-core"``,
        ``"ca-grqc"``, ``"cim-physic"``).
    weights : str, default "wc"
        Edge scheme, as in :func:`read_graph`.
    cache : bool, default True
        As in :func:`read_graph`.

    Returns
    -------
    Graph
        Read directed or undirected as the dataset is.

    Raises
    ------
    SeedwiseError
        Unknown name (the message lists the embedded datasets).

    References
    ----------
    Sources and citations: ``seedwise/datasets/README.md`` and :func:`datasets`.

    Examples
    --------
    >>> import seedwise
    >>> g = seedwise.load_dataset("wiki-vote")
    >>> g.n, g.m, g.directed
    (7115, 103689, True)
    """
    d = _datasets.get(name)
    with _datasets.path(d.name) as p:
        return read_graph(p, directed=d.directed, weights=weights, cache=cache)


def datasets():
    """The embedded datasets: a list of dicts.

    Returns
    -------
    list of dict
        Keys ``name``, ``description``, ``nodes``, ``edges``, ``directed``,
        ``citation``, ``source``, ``file`` and ``ap_file`` (CIM query sets or None),
        ``path`` and ``ap_path``: absolute paths of those files, usable as
        ``--graph`` and ``--aps`` (None where there is no such file on disk).

    Examples
    --------
    >>> import seedwise
    >>> [d["name"] for d in seedwise.datasets()]
    ['wiki-vote', 'email-eu-core', 'ca-grqc', 'cim-physic']
    """
    return _datasets._list()


@validated
def describe(graph, *, weight=None):
    """Statistics of a graph, as ``seedwise info`` prints them.

    Parameters
    ----------
    graph : Graph, networkx graph, scipy.sparse matrix or pandas DataFrame
        See :func:`seedwise.graph.as_graph`.
    weight : str, optional
        The probability attribute or column of a networkx or pandas graph.

    Returns
    -------
    dict
        ``nodes``, ``edges`` (directed edges stored; an undirected pair counts
        twice), ``directed``, ``ids`` ("int" or "str"), ``self_loops_dropped``,
        ``repeated_edges_merged``, ``isolated_nodes``, ``out_degree`` and
        ``in_degree`` (min, mean, max), ``weights`` (the edge scheme),
        ``probability`` (min, mean, max), ``lt_valid`` and ``max_in_weight``
        (largest sum of in-edge probabilities; LT needs it <= 1), and ``cache``
        ("hit", "written" or "off") for a file read through the cache.
    """
    import numpy as np

    out_deg, in_deg = graph.out_degree, graph.in_degree
    prob = graph.out_prob.astype(np.float64)
    in_sums = graph.in_weight_sums
    max_in = float(in_sums.max()) if len(in_sums) else 0.0
    stats = graph.stats or {}
    info = {
        "nodes": int(graph.n),
        "edges": int(graph.m),
        "directed": bool(graph.directed),
        "ids": "int" if graph.integer_ids else "str",
        "self_loops_dropped": int(stats.get("self_loops_dropped", 0)),
        "repeated_edges_merged": int(stats.get("repeated_edges_merged", 0)),
        "isolated_nodes": int(((out_deg == 0) & (in_deg == 0)).sum()),
        "out_degree": _summary(out_deg),
        "in_degree": _summary(in_deg),
        "weights": graph.weights,
        "probability": _summary(prob),
        "lt_valid": bool(max_in <= 1.0 + 1e-6),
        "max_in_weight": max_in,
    }
    if not graph.directed:
        info["undirected_pairs"] = int(graph.m) // 2
    for key in ("lines", "source", "cache", "format"):
        if key in stats:
            info[key] = stats[key]
    return info


def _summary(x):
    if len(x) == 0:
        return {"min": 0, "mean": 0.0, "max": 0}
    lo, hi = x.min(), x.max()
    cast = int if x.dtype.kind in "iu" else float
    return {"min": cast(lo), "mean": float(x.mean()), "max": cast(hi)}


# ------------------------------------------------------------------ selection
@validated
def maximize(graph, k, *, model="ic", eps=0.1, delta=None, algorithm="opim-c", seed=0,
             threads=None, progress=None, curve=False, weight=None, **options):
    """Pick ``k`` seed nodes of largest expected spread.

    The default, OPIM-C [1]_, returns a (1 - 1/e - eps)-approximate seed set
    with probability at least 1 - delta and a certificate: a lower bound
    sigma_l on the spread of the seeds and an upper bound sigma_u on the
    optimum, whose ratio is the approximation actually proven for this run.

    Parameters
    ----------
    graph : Graph, networkx graph, scipy.sparse matrix or pandas DataFrame
        From :func:`read_graph` or :func:`load_dataset`, or any graph
        :func:`seedwise.graph.as_graph` converts (weighted cascade unless
        ``weight`` names the probabilities).
    k : int
        Number of seeds, 1 <= k <= graph.n.
    model : {"ic", "lt"}, default "ic"
        Independent cascade or linear threshold (LT needs in-weights summing to
        at most 1 per node, as weighted cascade gives).
    eps : float, default 0.1
        Approximation slack, 0 < eps < 1.
    delta : float, optional
        Failure probability, 0 < delta < 1; default 1/n.
    algorithm : str, default "opim-c"
        ``"opim-c"`` [1]_, ``"imm"`` [2]_, ``"celf"`` (greedy with Monte-Carlo
        estimates and lazy evaluation [3]_, small graphs only), or the
        baselines ``"degree"``, ``"pagerank"``, ``"degree-discount"`` [4]_ and
        ``"random"``.
    seed : int, default 0
        Random seed; the same seed gives the same seeds for any ``threads``.
    threads : int, optional
        Threads for sampling (default: all cores numba may use).
    progress : callable, optional
        Called with the number of work items finished (see
        :class:`seedwise._progress.Progress`).
    curve : bool, default False
        OPIM-C: certify every prefix of the seeds too, so that
        ``result.curve`` gives spread, sigma_l, sigma_u and their ratio for each
        j = 1..k from the same RR sets. (OPIM-C, IMM and CELF always give the
        curve's spread and marginal gains; the heuristics give none.)
    weight : str, optional
        The edge attribute (networkx), column (pandas) or entries (scipy)
        holding the probabilities; see :func:`seedwise.graph.as_graph`.
    **options
        Passed to the algorithm (e.g. ``simulations=`` for CELF).

    Returns
    -------
    SelectionResult
        ``seeds`` (original ids, selection order), ``spread``, ``lower``,
        ``upper``, ``ratio`` (None where the algorithm has no bounds),
        ``n_rr_sets``, ``times`` per phase, ``curve`` (spread against k).

    Raises
    ------
    SeedwiseError
        ``k`` outside [1, n], unknown model or algorithm, eps or delta outside
        (0, 1), LT on weights that sum above 1 at some node, an option the
        algorithm does not take, ``curve=True`` with an algorithm other than
        OPIM-C.

    References
    ----------
    .. [1] J. Tang, X. Tang, X. Xiao, J. Yuan. Online processing algorithms for
       influence maximization. SIGMOD 2018.
    .. [2] Y. Tang, Y. Shi, X. Xiao. Influence maximization in near-linear
       time: a martingale approach. SIGMOD 2015.
    .. [3] J. Leskovec, A. Krause, C. Guestrin, C. Faloutsos, J. VanBriesen,
       N. Glance. Cost-effective outbreak detection in networks. KDD 2007.
    .. [4] W. Chen, Y. Wang, S. Yang. Efficient influence maximization in
       social networks. KDD 2009.

    Examples
    --------
    >>> import seedwise
    >>> g = seedwise.load_dataset("email-eu-core")
    >>> res = seedwise.maximize(g, k=5, eps=0.2, seed=0)
    >>> len(res.seeds), res.k, res.algorithm
    (5, 5, 'opim-c')
    >>> seedwise.maximize(g, k=0)
    Traceback (most recent call last):
    ...
    seedwise._validation.SeedwiseError: k must be an int in [1, 1005] (the number of nodes); got 0
    """
    fn, name = _algorithm(algorithm)
    if curve:
        if "curve" not in inspect.signature(fn).parameters:
            raise SeedwiseError(f"curve=True certifies every k with OPIM-C's bounds; algorithm {name!r} has none "
                                "(its result.curve gives the spread against k where it estimates spread)")
        options["curve"] = True
    _check_options(fn, name, options)
    common = dict(model=model, eps=eps, delta=delta, seed=seed, threads=threads, progress=progress)
    params = inspect.signature(fn).parameters
    # an algorithm takes the common arguments it uses (degree has no eps)
    common = {key: value for key, value in common.items() if key in params}
    # checked above: the algorithm's own checks need not run again
    return getattr(fn, "__wrapped__", fn)(graph, k, **common, **options)


def _algorithm(name):
    key = name  # checked and normalised by validated()
    module, function = ALGORITHMS[key]
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name and module.startswith(e.name):
            raise SeedwiseError(f"algorithm {key!r} is not available in this build of seedwise") from None
        raise
    return getattr(mod, function), key


def _check_options(fn, name, options):
    if not options:
        return
    params = inspect.signature(fn).parameters
    unknown = sorted(set(options) - set(params))
    if unknown:
        known = sorted(p for p, v in params.items() if v.kind is v.KEYWORD_ONLY
                       and p not in ("model", "eps", "delta", "seed", "threads", "progress"))
        raise SeedwiseError(
            f"algorithm {name!r} takes no option {', '.join(unknown)}"
            f"{'; its options: ' + ', '.join(known) if known else ''}"
        )


# --------------------------------------------------------------------- spread
@validated(max_seconds=OPTIONAL_SECONDS)
def spread(graph, seeds, *, model="ic", simulations=10_000, method="mc", rr_sets=None, seed=0,
           threads=None, progress=None, weight=None, max_seconds=None):
    """Expected spread of a seed set, with a 95% confidence interval.

    Parameters
    ----------
    graph : Graph, networkx graph, scipy.sparse matrix or pandas DataFrame
        See :func:`seedwise.graph.as_graph`.
    seeds : iterable of node ids
        Original ids, as in the input file (strings that spell integers are
        accepted for integer ids). Repeated ids count once.
    model : {"ic", "lt"}, default "ic"
    simulations : int, default 10_000
        Monte-Carlo runs (``method="mc"``).
    method : {"mc", "rr"}, default "mc"
        Forward Monte-Carlo simulation, or the RR-set estimator n * coverage /
        |R| [1]_ on a fresh collection of ``rr_sets`` sets.
    rr_sets : int, optional
        RR sets for ``method="rr"`` (default 100,000).
    seed : int, default 0
        Random seed; results do not depend on ``threads``.
    threads : int, optional
    progress : callable, optional
        Called with the number of simulations (or RR sets) finished.
    weight : str, optional
        The probability attribute or column of a networkx or pandas graph.
    max_seconds : float, optional
        Refuse, before the work starts, a run that a timed pilot estimates to take
        longer (default one hour) or to need more memory than is available.

    Returns
    -------
    SpreadEstimate
        ``mean``, ``ci95`` (low, high), ``simulations`` (runs or RR sets), ``method``.

    Raises
    ------
    SeedwiseError
        Empty seed list, seed ids not in the graph (the message names them),
        bad model, method or counts, LT on weights that sum above 1, or a run
        estimated to exceed ``max_seconds`` or the memory.

    References
    ----------
    .. [1] C. Borgs, M. Brautbar, J. Chayes, B. Lucier. Maximizing social
       influence in nearly optimal time. SODA 2014.

    Examples
    --------
    >>> import seedwise
    >>> g = seedwise.load_dataset("cim-physic")
    >>> est = seedwise.spread(g, [0, 1], simulations=1000, seed=0)
    >>> est.simulations, est.ci95[0] <= est.mean <= est.ci95[1]
    (1000, True)
    """
    if isinstance(seeds, (str, bytes, int)) or (hasattr(seeds, "ndim") and seeds.ndim == 0):
        seeds = [seeds]
    seeds = list(seeds)
    if not seeds:
        raise SeedwiseError("seeds is empty: give at least one node id")
    dense = graph.index_of(seeds, what="seed id")
    # a set: repeats count once, first occurrence order kept
    _, first = _unique_first(dense)
    dense = dense[first]
    if method == "mc":
        from .diffusion.monte_carlo import monte_carlo_spread

        return monte_carlo_spread.__wrapped__(graph, dense, model=model, simulations=simulations, seed=seed,
                                              threads=threads, progress=progress, max_seconds=max_seconds)
    from .sampling.estimate import rr_spread

    return rr_spread.__wrapped__(graph, dense, model=model, rr_sets=DEFAULT_RR_SETS if rr_sets is None else rr_sets,
                                 seed=seed, threads=threads, progress=progress, max_seconds=max_seconds)


def _unique_first(dense):
    import numpy as np

    uniq, first = np.unique(dense, return_index=True)
    return uniq, np.sort(first)
