"""Graphs from and to the ecosystem: networkx, scipy.sparse, pandas.

:func:`as_graph` is the one coercion every public function applies to its
``graph`` argument, so that ``seedwise.maximize(nx.karate_club_graph(), k=3)``
works as it reads. ``weight=`` names the edge attribute (networkx), the column
(pandas) or, for a matrix, the entries, that hold the probabilities, the way
networkx names them: with it the values are read as probabilities
(``weights="given"``) unless another scheme that reads values (``"counts"``) is
asked for. A named value that the scheme would not read is an error, never
silently dropped.
"""
from __future__ import annotations

import numpy as np

from .._validation import SeedwiseError
from . import _schemes
from ._build import build_graph
from ._graph import Graph, _unique_ids

__all__ = ["as_graph", "from_networkx", "from_pandas_edgelist", "from_scipy_sparse", "to_networkx"]


def value_scheme(weight, weights, where):
    """The edge scheme for a reader given ``weight`` (name of the values) and ``weights``.

    ``weights=None`` means "given" when ``weight`` names values, else weighted
    cascade. Raises when values are named but the scheme would ignore them, or a
    scheme needs values that are not named.
    """
    if weights is None:
        return _schemes.parse("given" if weight is not None else "wc")
    scheme = _schemes.parse(weights)
    if scheme.needs_values and weight is None:
        raise SeedwiseError(f"weights='{scheme.label}' reads a value per edge: name the {where} holding it "
                            f"with weight=")
    if weight is not None and not scheme.needs_values:
        raise SeedwiseError(f"weight={weight!r} would be ignored under weights='{scheme.label}': use "
                            f"weights='given' ({weight!r} is the probability) or 'counts' (an interaction "
                            f"count), or leave weight= out")
    return scheme


def as_graph(graph, weight=None):
    """A :class:`Graph` from any graph seedwise accepts; the API calls this on entry.

    Parameters
    ----------
    graph : Graph, networkx graph, scipy.sparse matrix or pandas.DataFrame
        A DataFrame has one edge per row in columns ``source`` and ``target``.
    weight : str, optional
        Edge attribute (networkx), column (pandas) or name of the entries
        (scipy) holding the probabilities; default: weighted cascade.

    Returns
    -------
    Graph

    Raises
    ------
    SeedwiseError
        Another type, a file name (read it with :func:`seedwise.read_graph`),
        or ``weight`` given with a :class:`Graph` (whose probabilities are set).
    """
    if isinstance(graph, Graph):
        if weight is not None:
            raise SeedwiseError(f"weight={weight!r} applies to networkx, scipy and pandas graphs; this "
                                f"seedwise.Graph already has its probabilities (weights={graph.weights}); "
                                f"use graph.with_weights(...) or read it again")
        return graph
    module = type(graph).__module__ or ""
    if module.startswith("networkx"):
        return from_networkx(graph, weight=weight)
    if module.startswith("scipy.sparse"):
        return from_scipy_sparse(graph, weight=weight)
    if module.startswith("pandas") and type(graph).__name__ == "DataFrame":
        return from_pandas_edgelist(graph, weight=weight)
    import os

    if isinstance(graph, (str, os.PathLike)):
        raise SeedwiseError(
            f"graph must be a seedwise.Graph or a networkx/scipy/pandas graph; read {os.fspath(graph)!r} "
            "with seedwise.read_graph() first")
    raise SeedwiseError("graph must be a seedwise.Graph, a networkx graph, a scipy.sparse adjacency matrix "
                        f"or a pandas edge DataFrame; got {type(graph).__name__}")


def _package(name, user):
    """The optional package ``name``, or an error that says how to install it."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        raise SeedwiseError(f"{user} needs {name}: pip install 'seedwise[interop]'") from None


def _renamed(weight, old, old_name):
    """``weight``, or the value of its older name ``old_name``; an error when both differ."""
    if old is not None and weight is not None and old != weight:
        raise SeedwiseError(f"give the weight once: weight= ({old_name}= is its older name)")
    return weight if weight is not None else old


# ----------------------------------------------------------------- networkx
def _node_table(nodes):
    """Sorted id array (int64 or str) for a list of node labels; error on collisions."""
    if all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in nodes):
        return np.sort(np.asarray(nodes, dtype=np.int64)), True
    strs = np.array([str(x) for x in nodes], dtype=str)
    if len(np.unique(strs)) != len(strs):
        raise SeedwiseError("node labels collide once written as text (e.g. 1 and '1'); relabel the nodes first")
    return np.sort(strs), False


def from_networkx(G, *, weight=None, weights=None, value_attr=None):
    """A Graph from a networkx graph (all nodes kept, isolated ones included).

    Directed graphs keep their edges; an undirected ``nx.Graph`` gives
    ``directed=False`` (both directions). Multigraph parallel edges are merged like
    repeated lines. Node labels that are all ints stay ints; others become strings.

    Parameters
    ----------
    G : networkx.Graph, DiGraph, MultiGraph or MultiDiGraph
    weight : str, optional
        Edge attribute holding the probability (networkx's ``weight=``); every
        edge must have it. With it ``weights`` defaults to "given".
    weights : str, optional
        Edge scheme; "given" and "counts" read the attribute ``weight``.
        Default: "given" with ``weight``, else "wc".
    value_attr : str, optional
        Older name of ``weight``.

    Returns
    -------
    Graph
        ``stats["weight_attr"]`` records ``weight``.

    Raises
    ------
    SeedwiseError
        Not a networkx graph, no edges, colliding labels, an edge without the
        attribute, bad values, or an attribute the scheme would ignore.
    """
    nx = _package("networkx", "from_networkx")
    if not isinstance(G, nx.Graph):
        raise SeedwiseError(f"from_networkx needs a networkx graph; got {type(G).__name__}")
    attr = _renamed(weight, value_attr, "value_attr")
    scheme = value_scheme(attr, weights, "edge attribute")
    nodes = list(G.nodes())
    if not nodes or G.number_of_edges() == 0:
        raise SeedwiseError("the graph is empty: no edges")
    ids, is_int = _node_table(nodes)
    key = (lambda x: x) if is_int else str
    if attr is None:
        edges = list(G.edges())
        values = None
    else:
        edges = list(G.edges(data=attr))
        missing = [e for e in edges if e[2] is None]
        if missing:
            u, v, _ = missing[0]
            raise SeedwiseError(f"{len(missing)} edges have no attribute {attr!r}, e.g. ({u!r}, {v!r}); "
                                f"every edge needs its probability")
        try:
            values = np.array([e[2] for e in edges], dtype=np.float64)
        except (TypeError, ValueError):
            raise SeedwiseError(f"edge attribute {attr!r} must hold numbers") from None
    src = np.array([key(e[0]) for e in edges], dtype=ids.dtype)
    dst = np.array([key(e[1]) for e in edges], dtype=ids.dtype)
    stats = {"format": "networkx", "weight_attr": attr}
    return build_graph(np.searchsorted(ids, src).astype(np.int32), np.searchsorted(ids, dst).astype(np.int32),
                       ids, values, directed=G.is_directed(), weights=scheme, stats=stats)


def to_networkx(graph, *, weight=None):
    """A networkx graph with the nodes, edges and probabilities of ``graph``.

    Parameters
    ----------
    graph : Graph
    weight : str, optional
        Edge attribute that receives the probability; default the attribute the
        graph was read from (``from_networkx(..., weight=...)``), else "weight".

    Returns
    -------
    networkx.DiGraph or networkx.Graph
        A ``Graph`` for an undirected graph whose probabilities are the same both
        ways (one attribute per pair), a ``DiGraph`` otherwise (weighted cascade
        gives p(u, v) != p(v, u)). Node ids are Python ints or strings; every
        node is kept, isolated ones included.

    Raises
    ------
    SeedwiseError
        networkx is not installed.
    """
    nx = _package("networkx", "to_networkx")
    graph = as_graph(graph)
    attr = weight or graph.stats.get("weight_attr") or "weight"
    u = np.repeat(np.arange(graph.n), np.diff(graph.out_indptr))
    v = graph.out_indices
    # the graph keeps float32; its shortest decimal gives back the float64 a user wrote (0.4, not 0.40000001)
    p = graph.out_prob.astype(str).astype(np.float64)
    labels = graph.ids.tolist()
    undirected = not graph.directed and _symmetric_probabilities(graph, u, v, p)
    G = nx.Graph() if undirected else nx.DiGraph()
    G.add_nodes_from(labels)
    keep = u < v if undirected else slice(None)
    G.add_edges_from((labels[a], labels[b], {attr: float(x)})
                     for a, b, x in zip(u[keep].tolist(), v[keep].tolist(), p[keep].tolist()))
    return G


def _symmetric_probabilities(graph, u, v, p):
    key = u.astype(np.int64) * graph.n + v
    rev = v.astype(np.int64) * graph.n + u
    order, rorder = np.argsort(key), np.argsort(rev)
    return bool(np.array_equal(key[order], rev[rorder]) and np.array_equal(p[order], p[rorder]))


# ----------------------------------------------------------------- scipy
def from_scipy_sparse(A, *, ids=None, weight=None, weights=None, directed=True):
    """A Graph from a square sparse matrix: ``A[i, j] != 0`` is the edge i -> j.

    Explicitly stored zeros are not edges. With ``directed=False`` each entry
    gives both directions (a symmetric matrix then lists every pair twice; the
    repeats are merged and counted in the stats).

    Parameters
    ----------
    A : scipy.sparse matrix or array, shape (n, n)
    ids : array-like, shape (n,), optional
        Original id of row/column i (ints or strings, distinct); default 0..n-1.
    weight : str, optional
        Name of the entries, as networkx's ``edge_attribute``: with it the
        entries are the probabilities (``weights`` defaults to "given").
        Without it the entries are kept as edge weights (for ranking by
        intimacy) and the probabilities come from ``weights``.
    weights : str, optional
        Edge scheme; default "given" with ``weight``, else "wc".
    directed : bool, default True

    Returns
    -------
    Graph
        All n nodes, isolated ones included.

    Raises
    ------
    SeedwiseError
        Not square, ids of the wrong length or repeated, no edges, bad values.
    """
    import scipy.sparse as sp

    if weights is None or weight is not None:
        scheme = value_scheme(weight, weights, "matrix entries")
    else:
        scheme = _schemes.parse(weights)  # the entries are the third column when the scheme reads one
    if not sp.issparse(A):
        A = sp.coo_array(np.asarray(A))
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise SeedwiseError(f"the adjacency matrix must be square; got shape {A.shape}")
    n = A.shape[0]
    coo = A.tocoo()
    keep = coo.data != 0
    rows, cols = coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64)
    try:
        values = np.asarray(coo.data[keep], dtype=np.float64)
    except TypeError:
        raise SeedwiseError(f"the matrix entries must be real numbers; got {coo.data.dtype}") from None
    if ids is None:
        table = np.arange(n, dtype=np.int64)
    else:
        given = np.asarray(ids)
        if given.shape != (n,):
            raise SeedwiseError(f"ids must have one entry per row ({n}); got shape {given.shape}")
        table, inverse = _unique_ids(given, given[:0])
        if len(table) != n:
            raise SeedwiseError("ids must be distinct")
        rank = inverse.astype(np.int32)
        rows, cols = rank[rows], rank[cols]
    return build_graph(rows, cols, table, values, directed=directed, weights=scheme,
                       stats={"format": "scipy.sparse", "weight_attr": weight})


# ----------------------------------------------------------------- pandas
def from_pandas_edgelist(df, source="source", target="target", weight=None, *, directed=True, weights=None,
                         value=None):
    """A Graph from a pandas DataFrame with one edge per row (networkx's column names).

    Parameters
    ----------
    df : pandas.DataFrame
    source, target : str
        Columns holding the tail and head ids (ints or strings).
    weight : str, optional
        Column holding the probability; with it ``weights`` defaults to "given".
    directed : bool, default True
    weights : str, optional
        Edge scheme; "given" and "counts" read the column ``weight``. Default:
        "given" with ``weight``, else "wc".
    value : str, optional
        Older name of ``weight``.

    Returns
    -------
    Graph
        The same graph as :func:`seedwise.read_graph` gives for the same edges.

    Raises
    ------
    SeedwiseError
        Missing columns, missing (NaN) ids, no rows, bad values, or a column the
        scheme would ignore.
    """
    pd = _package("pandas", "from_pandas_edgelist")
    if not isinstance(df, pd.DataFrame):
        raise SeedwiseError(f"from_pandas_edgelist needs a pandas DataFrame; got {type(df).__name__}")
    col = _renamed(weight, value, "value")
    scheme = value_scheme(col, weights, "column")
    cols = [source, target] + ([col] if col is not None else [])
    return edges_from_columns({c: df[c].to_numpy() for c in cols if c in df.columns}, list(map(str, df.columns)),
                              source, target, col, directed=directed, scheme=scheme,
                              stats={"format": "pandas", "weight_attr": col}, where="the DataFrame")


def edges_from_columns(columns, names, source, target, weight, *, directed, scheme, stats, where, ids=None):
    """A Graph from named columns (dict name -> 1-d array): the pandas and table readers.

    ``names`` lists every column (for the message when one is missing). With ``ids`` (the
    sorted id table) the source and target columns hold dense positions in it already.
    """
    for c in (source, target) + ((weight,) if weight is not None else ()):
        if c not in columns:
            raise SeedwiseError(f"column {c!r} is not in {where} (columns: {', '.join(names)})")
    src, dst = np.asarray(columns[source]), np.asarray(columns[target])
    if len(src) == 0:
        raise SeedwiseError(f"the graph is empty: {where} has no rows")
    for c, arr in ((source, src), (target, dst)):
        missing = _missing(arr)
        if missing.any():
            raise SeedwiseError(f"column {c!r} must not contain missing ids (row {int(np.flatnonzero(missing)[0])})")
    if src.dtype == object or dst.dtype == object or src.dtype.kind != dst.dtype.kind:
        src, dst = src.astype(str), dst.astype(str)
    values = None
    if weight is not None:
        try:
            values = np.asarray(columns[weight], dtype=np.float64)
        except (TypeError, ValueError):
            raise SeedwiseError(f"column {weight!r} must hold numbers") from None
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise SeedwiseError(f"column {weight!r} must hold finite numbers >= 0; row {i} has {values[i]!r}")
    if ids is None:
        ids, inverse = _unique_ids(src, dst)
    else:
        inverse = np.concatenate([src, dst])
    inverse = inverse.astype(np.int32)
    e = len(src)
    return build_graph(inverse[:e], inverse[e:], ids, values, directed=directed, weights=scheme, stats=stats)


def _missing(arr):
    if arr.dtype.kind == "f":
        return np.isnan(arr)
    if arr.dtype == object:
        return np.array([x is None or (isinstance(x, float) and x != x) for x in arr], dtype=bool)
    return np.zeros(len(arr), dtype=bool)
