"""Graphs from other libraries: networkx, scipy.sparse and pandas.

Each converter keeps the library's node labels as the graph's original ids and
builds through the same counting-sort CSR builder as :func:`read_graph`.
"""
from __future__ import annotations

import numpy as np

from .._validation import SeedwiseError
from . import _schemes
from ._build import build_graph
from ._graph import _unique_ids

__all__ = ["from_networkx", "from_pandas_edgelist", "from_scipy_sparse"]


def _dense_of(ids_sorted, nodes):
    return np.searchsorted(ids_sorted, nodes).astype(np.int32)


def _node_table(nodes):
    """Sorted id array (int64 or str) for a list of node labels; error on collisions."""
    if all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in nodes):
        return np.sort(np.asarray(nodes, dtype=np.int64)), True
    strs = np.array([str(x) for x in nodes], dtype=str)
    if len(np.unique(strs)) != len(strs):
        raise SeedwiseError("node labels collide once written as text (e.g. 1 and '1'); relabel the nodes first")
    return np.sort(strs), False


def from_networkx(G, *, weights="wc", value_attr=None):
    """A Graph from a networkx graph (all nodes kept, isolated ones included).

    Directed graphs keep their edges; an undirected ``nx.Graph`` gives
    ``directed=False`` (both directions). Multigraph parallel edges are merged like
    repeated lines. Node labels that are all ints stay ints; others become strings.

    Parameters
    ----------
    G : networkx.Graph, DiGraph, MultiGraph or MultiDiGraph
    weights : str, default "wc"
        Edge scheme; "given" and "counts" read the edge attribute ``value_attr``.
    value_attr : str, optional
        Edge attribute used as the third column (missing attributes count as 1).

    Returns
    -------
    Graph

    Raises
    ------
    SeedwiseError
        Not a networkx graph, no edges, colliding labels, or bad values.
    """
    try:
        import networkx as nx
    except ImportError:
        raise SeedwiseError("from_networkx needs networkx: pip install networkx") from None
    if not isinstance(G, nx.Graph):
        raise SeedwiseError(f"from_networkx needs a networkx graph; got {type(G).__name__}")
    scheme = _schemes.parse(weights)
    if scheme.needs_values and value_attr is None:
        raise SeedwiseError(f"weights='{scheme.label}' needs value_attr, the edge attribute holding the value")
    nodes = list(G.nodes())
    if not nodes or G.number_of_edges() == 0:
        raise SeedwiseError("the graph is empty: no edges")
    ids, is_int = _node_table(nodes)
    key = (lambda x: x) if is_int else str
    if value_attr is None:
        edges = list(G.edges())
        values = None
    else:
        edges = list(G.edges(data=value_attr, default=1.0))
        values = np.array([e[2] for e in edges], dtype=np.float64)
    src = np.array([key(e[0]) for e in edges], dtype=ids.dtype)
    dst = np.array([key(e[1]) for e in edges], dtype=ids.dtype)
    return build_graph(
        _dense_of(ids, src), _dense_of(ids, dst), ids, values,
        directed=G.is_directed(), weights=scheme, stats={"format": "networkx"},
    )


def from_scipy_sparse(A, *, ids=None, weights="wc", directed=True):
    """A Graph from a square sparse matrix: ``A[i, j] != 0`` is the edge i -> j.

    The entry is the edge's third column (probability with "given", count with
    "counts", a weight otherwise). Explicitly stored zeros are not edges. With
    ``directed=False`` each entry gives both directions (a symmetric matrix then
    lists every pair twice; the repeats are merged and counted in the stats).

    Parameters
    ----------
    A : scipy.sparse matrix or array, shape (n, n)
    ids : array-like, shape (n,), optional
        Original id of row/column i (ints or strings, distinct); default 0..n-1.
    weights : str, default "wc"
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

    if not sp.issparse(A):
        A = sp.coo_array(np.asarray(A))
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise SeedwiseError(f"the adjacency matrix must be square; got shape {A.shape}")
    n = A.shape[0]
    coo = A.tocoo()
    keep = coo.data != 0
    rows, cols = coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64)
    values = np.asarray(coo.data[keep], dtype=np.float64)
    if ids is None:
        table = np.arange(n, dtype=np.int64)
        rank = None
    else:
        given = np.asarray(ids)
        if given.shape != (n,):
            raise SeedwiseError(f"ids must have one entry per row ({n}); got shape {given.shape}")
        table, inverse = _unique_ids(given, given[:0])
        if len(table) != n:
            raise SeedwiseError("ids must be distinct")
        rank = inverse.astype(np.int32)
    if rank is not None:
        rows, cols = rank[rows], rank[cols]
    return build_graph(rows, cols, table, values, directed=directed, weights=weights, stats={"format": "scipy.sparse"})


def from_pandas_edgelist(df, source="source", target="target", value=None, *, directed=True, weights="wc"):
    """A Graph from a pandas DataFrame with one edge per row.

    Parameters
    ----------
    df : pandas.DataFrame
    source, target : str
        Columns holding the tail and head ids (ints or strings).
    value : str, optional
        Column used as the third column (probability, count or weight).
    directed : bool, default True
    weights : str, default "wc"

    Returns
    -------
    Graph

    Raises
    ------
    SeedwiseError
        Missing columns, missing (NaN) ids, no rows, or bad values.
    """
    try:
        import pandas as pd
    except ImportError:
        raise SeedwiseError("from_pandas_edgelist needs pandas: pip install pandas") from None
    if not isinstance(df, pd.DataFrame):
        raise SeedwiseError(f"from_pandas_edgelist needs a pandas DataFrame; got {type(df).__name__}")
    for col in (source, target) + ((value,) if value is not None else ()):
        if col not in df.columns:
            raise SeedwiseError(f"column {col!r} is not in the DataFrame (columns: {', '.join(map(str, df.columns))})")
    if len(df) == 0:
        raise SeedwiseError("the graph is empty: the DataFrame has no rows")
    if df[source].isna().any() or df[target].isna().any():
        raise SeedwiseError(f"columns {source!r} and {target!r} must not contain missing ids")
    src = df[source].to_numpy()
    dst = df[target].to_numpy()
    if src.dtype == object or dst.dtype == object:
        src, dst = src.astype(str), dst.astype(str)
    ids, inverse = _unique_ids(src, dst)
    e = len(src)
    values = None if value is None else df[value].to_numpy(dtype=np.float64)
    if values is not None:
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise SeedwiseError(f"column {value!r} must hold finite numbers >= 0; row {i} has {values[i]!r}")
    inverse = inverse.astype(np.int32)
    return build_graph(inverse[:e], inverse[e:], ids, values, directed=directed, weights=weights,
                       stats={"format": "pandas"})
