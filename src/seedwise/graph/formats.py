"""Graph file formats other than the plain edge list, and what a file says about itself.

:func:`sniff` looks at the first bytes of a file (and its name) and says which
reader it needs:

- Matrix Market (``%%MatrixMarket`` banner, ``.mtx``): :func:`scipy.io.mmread`;
  ``symmetric`` (also skew-symmetric, hermitian) matrices are undirected graphs.
  Row i is node id i (1-based, as in the file).
- GraphML, GEXF, GML: read by networkx (``pip install 'seedwise[interop]'``),
  directed as the file declares.
- Parquet, Arrow IPC / Feather, and CSV/TSV whose first line names the columns:
  read by pyarrow (``pip install 'seedwise[arrow]'``) with named source, target
  and weight columns (default ``source``/``target``, else the first two
  columns). Ids may be strings.
- Anything else is a plain edge list for :func:`seedwise.graph.io.read_graph`; its
  leading comment lines are searched for what the header says about direction:
  SNAP's ``# Undirected graph``, ``# directed: no`` or KONECT's ``% sym`` mean
  undirected.

:func:`symmetric` tells whether a directed read holds every edge in both
directions (the content of an undirected graph).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

import numpy as np

from .._textio import decompress, read_bytes, utf8
from .._validation import InputFileError, SeedwiseError
from ..ids import parse_number
from . import _schemes
from ._graph import _unique_ids
from .binary import MAGIC
from .interop import edges_from_columns, from_networkx, value_scheme
from .io import open_decompressed

__all__ = ["Sniffed", "sniff", "read_formatted", "symmetric", "TABLE_FORMATS", "NETWORKX_FORMATS"]

NETWORKX_FORMATS = ("graphml", "gexf", "gml")
TABLE_FORMATS = ("parquet", "arrow", "csv")
_SUFFIX = {".mtx": "matrix-market", ".mm": "matrix-market", ".graphml": "graphml", ".gexf": "gexf",
           ".gml": "gml", ".parquet": "parquet", ".pq": "parquet", ".arrow": "arrow", ".feather": "arrow",
           ".ipc": "arrow"}
_COMPRESSED = (".gz", ".bz2", ".xz")
#: First-line names that mark a CSV header (besides --source-col/--target-col).
HEADER_NAMES = {"source", "target", "src", "dst", "from", "to", "u", "v", "head", "tail", "node1", "node2",
                "weight", "p", "prob", "probability", "count", "value", "id1", "id2", "user", "friend"}
_UNDIRECTED = re.compile(rb"^[#%][^\n]*(\bundirected\b|\bdirected\s*[:=]\s*(no|false)\b)", re.I | re.M)
_KONECT_SYM = re.compile(rb"\A\s*%\s*sym\b", re.I)
SNIFF_BYTES = 1 << 16


@dataclass(frozen=True)
class Sniffed:
    """What a file is: ``format`` (None for a plain edge list), whether its header
    says undirected, and for a CSV with names the column names of its first line."""

    format: str | None
    undirected_header: bool = False
    header: tuple | None = None


def sniff(path, source=None, target=None):
    """Which reader ``path`` needs (see the module docstring)."""
    name = os.fspath(path)
    base = name.lower()
    for ext in _COMPRESSED:
        if base.endswith(ext):
            base = base[: -len(ext)]
    suffix = os.path.splitext(base)[1]
    with open(name, "rb") as f:
        magic = f.read(8)
    if magic == MAGIC:
        return Sniffed(None)  # seedwise's binary format: io.read_graph maps it
    if magic.startswith(b"PAR1"):
        return Sniffed("parquet")
    if magic.startswith(b"ARROW1"):
        return Sniffed("arrow")
    if suffix in (".parquet", ".pq", ".arrow", ".feather", ".ipc"):
        return Sniffed(_SUFFIX[suffix])
    try:
        with open_decompressed(name, magic) as f:
            head = f.read(SNIFF_BYTES)
    except (OSError, EOFError, ValueError):
        return Sniffed(None)  # the edge-list reader reports a corrupt file with its line
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text[:14].lower() == b"%%matrixmarket":
        return Sniffed("matrix-market")
    if suffix in (".graphml", ".gexf", ".gml"):
        return Sniffed(_SUFFIX[suffix])
    if text.startswith(b"<"):
        low = text[:4096].lower()
        for tag in (b"graphml", b"gexf"):
            if b"<" + tag in low:
                return Sniffed(tag.decode())
    if re.match(rb"(\s*(#[^\n]*|comment\s+\"[^\"]*\"|creator\s+\"[^\"]*\"))*\s*graph\s*\[", text):
        return Sniffed("gml")
    header = _csv_header(text, source, target)
    if header is not None:
        return Sniffed("csv", header=header)
    comments = text[: _comment_block_end(text)]
    undirected = bool(_UNDIRECTED.search(comments) or _KONECT_SYM.match(comments))
    return Sniffed(None, undirected_header=undirected)


def _comment_block_end(text):
    """Bytes of the leading comment/blank lines."""
    pos = 0
    for line in text.splitlines(keepends=True):
        s = line.strip()
        if s and not s.startswith((b"#", b"%")):
            break
        pos += len(line)
    return pos


def _fields(line):
    return [f.strip().strip('"').strip("'") for f in re.split(r"[,\t;]" if re.search(r"[,\t;]", line) else r"\s+",
                                                             line.strip())]


def _is_number(x):
    """Strict number text (seedwise.ids.parse_number): "٠.٥" or "0_5" are not numbers here either."""
    try:
        parse_number(x)
        return True
    except SeedwiseError:
        return False


#: A column name guessed from the data alone: ASCII letters first ("weight", "w_2"); an id such
#: as "日本1", "0x1" or "770a" is data, so that a malformed edge list is not read as a table
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


def _csv_header(text, source, target):
    """The first line's fields when it names columns, else None.

    A first line names columns when it holds ``source``/``target`` (as given),
    when its first two fields are common column names (source, target, from, to,
    ...), or when its third field is not a number while the next line's is.
    """
    lines = []  # the first two data lines
    for ln in text.decode("utf-8", "replace").splitlines():
        if ln.strip() and not ln.lstrip().startswith(("#", "%")):
            lines.append(ln)
            if len(lines) == 2:
                break
    if not lines:
        return None
    first = _fields(lines[0])
    if len(first) < 2:
        return None
    lowered = [f.lower() for f in first]
    if source is not None or target is not None:
        if all(c is None or c in first for c in (source, target)):
            return tuple(first)
        return None
    if lowered[0] in HEADER_NAMES and lowered[1] in HEADER_NAMES:
        return tuple(first)
    if len(first) >= 3 and len(lines) == 2:
        second = _fields(lines[1])
        if (len(second) == len(first) and not _is_number(first[2]) and _is_number(second[2])
                and all(_NAME.match(f) for f in first)):
            return tuple(first)
    return None


# ------------------------------------------------------------------ readers
def read_formatted(path, sniffed, *, directed=None, weights=None, source=None, target=None, weight=None):
    """Read ``path`` with the reader ``sniffed.format`` names.

    Parameters
    ----------
    path : str
    sniffed : Sniffed
        From :func:`sniff`; ``sniffed.format`` is not None.
    directed : bool, optional
        None: as the file says (Matrix Market symmetry, GraphML ``edgedefault``;
        directed for tables). False reads every edge both ways; True keeps a
        directed file's edges (a symmetric matrix or undirected GraphML stays
        undirected: the file says so).
    weights : str, optional
        Edge scheme; default "given" when ``weight`` names the probability
        column or attribute, else "wc" (see :func:`seedwise.read_graph`).
    source, target : str, optional
        Tables: columns of the edge tails and heads (default "source"/"target"
        where present, else the first two columns).
    weight : str, optional
        Tables: the probability column; GraphML/GEXF/GML: the edge attribute;
        Matrix Market: any name makes the entries the probabilities.

    Returns
    -------
    Graph
        ``stats["format"]`` names the format.

    Raises
    ------
    InputFileError
        A file the reader rejects (the message names the file), a missing
        optional package (the message gives the pip command).
    """
    fmt = sniffed.format
    name = os.fspath(path)
    if fmt != "matrix-market" and fmt not in TABLE_FORMATS and (source or target):
        raise SeedwiseError(f"--source-col/--target-col name table columns; {name} is {fmt}")
    try:
        if fmt == "matrix-market":
            g = _read_matrix_market(name, directed, weights, weight)
        elif fmt in NETWORKX_FORMATS:
            g = _read_networkx(name, fmt, directed, weights, weight)
        else:
            g = _read_table(name, fmt, sniffed.header, directed, weights, source, target, weight)
    except InputFileError:
        raise
    except SeedwiseError as exc:
        raise InputFileError(f"{name}: {exc}") from None
    g.stats.update(format=fmt, source=os.path.abspath(name))
    return g


def _read_matrix_market(name, directed, weights, weight):
    import scipy.io

    try:
        rows, cols, _, _, field, symmetry = scipy.io.mminfo(name)
        A = scipy.io.mmread(name)
    except (ValueError, OSError, IndexError) as exc:
        raise InputFileError(f"{name}: not a readable Matrix Market file ({exc})") from None
    if rows != cols:
        raise InputFileError(f"{name}: a {rows} x {cols} matrix is not an adjacency matrix (it must be square)")
    if field == "complex":
        raise InputFileError(f"{name}: complex entries cannot be edge values")
    if field == "pattern" and weight is not None:
        raise InputFileError(f"{name}: a pattern matrix has no entries to read as probabilities (weight=)")
    from .interop import from_scipy_sparse

    undirected = symmetry != "general" or directed is False
    coo = A.tocoo() if hasattr(A, "tocoo") else _coo(A)
    if symmetry != "general":
        keep = coo.row <= coo.col  # mmread mirrors the stored triangle: keep each pair once
        coo = type(coo)((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=coo.shape)
    if field != "pattern":
        coo = type(coo)((np.abs(coo.data) if symmetry == "skew-symmetric" else coo.data, (coo.row, coo.col)),
                        shape=coo.shape)
    ids = np.arange(1, rows + 1, dtype=np.int64)
    g = from_scipy_sparse(coo, ids=ids, weight=weight, weights=weights, directed=not undirected)
    g.stats.update(symmetry=symmetry, field=field, entries=int(coo.nnz))
    return g


def _coo(A):
    import scipy.sparse as sp

    return sp.coo_array(np.asarray(A))


def _read_networkx(name, fmt, directed, weights, weight):
    try:
        import networkx as nx
    except ImportError:
        raise InputFileError(f"{name}: reading {fmt.upper()} needs networkx: pip install 'seedwise[interop]'") \
            from None
    try:
        if fmt == "graphml":
            G = nx.read_graphml(name)
        elif fmt == "gexf":
            G = nx.read_gexf(name)
        else:
            try:
                G = nx.read_gml(name)
            except nx.NetworkXError:
                G = nx.read_gml(name, label="id")  # nodes without (distinct) labels: their ids
    except ImportError as exc:
        raise InputFileError(f"{name}: reading {fmt.upper()} needs {exc.name or 'a missing package'}") from None
    except Exception as exc:  # noqa: BLE001 - the parsers raise many types for a bad file
        raise InputFileError(f"{name}: not a readable {fmt.upper()} file ({type(exc).__name__}: {exc})") from None
    if directed is False and G.is_directed():
        G = G.to_undirected()
    labels = list(G.nodes())
    if labels and all(isinstance(x, str) and re.fullmatch(r"-?(0|[1-9][0-9]*)", x) for x in labels):
        G = nx.relabel_nodes(G, int)  # GraphML and GEXF store every id as text: "7" is node 7, as in an edge list
    if weight is None and weights is not None:
        value_scheme(None, weights, "edge attribute")  # the scheme needs a named attribute
    return from_networkx(G, weight=weight, weights=weights)


def _read_table(name, fmt, header, directed, weights, source, target, weight):
    try:
        import pyarrow as pa
    except ImportError:
        raise InputFileError(f"{name}: reading {fmt} files needs pyarrow: pip install 'seedwise[arrow]'") from None
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            table = pq.read_table(name)
        elif fmt == "arrow":
            table = _read_ipc(name)
        else:
            table = _read_csv(name, header)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError, KeyError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{name}: not a readable {fmt} file ({_one_line(exc)})") from None
    names = [str(c) for c in table.column_names]
    if len(names) < 2:
        raise InputFileError(f"{name}: a table of edges needs at least two columns; got {names}")
    src = source or ("source" if "source" in names else names[0])
    dst = target or ("target" if "target" in names else names[1])
    if weight is None and len(names) == 3 and weights is not None and _schemes.parse(weights).needs_values:
        weight = names[2]  # as in an edge list: the third column holds the value the scheme reads
    scheme = value_scheme(weight, weights, "column (--weight-col)")
    ids = None
    if src in names and dst in names and _text_ids(table, src, dst):
        ids, dense = _encode_text_ids(table, src, dst)
        cols = {src: dense[:table.num_rows], dst: dense[table.num_rows:]}
    else:
        cols = {c: _column(table, c) for c in (src, dst) if c in names}
    if weight is not None and weight in names:
        cols[weight] = _column(table, weight)
    return edges_from_columns(cols, names, src, dst, weight, directed=directed is not False, scheme=scheme,
                              stats={"format": fmt, "weight_attr": weight, "columns": names}, where=name, ids=ids)


def _text_ids(table, src, dst):
    """True when both id columns are text without missing values."""
    import pyarrow as pa

    cols = (table.column(src), table.column(dst))
    return all((pa.types.is_string(c.type) or pa.types.is_large_string(c.type)) and c.null_count == 0 for c in cols)


def _encode_text_ids(table, src, dst):
    """(sorted id table, dense position of every endpoint, sources then targets) for text id
    columns: the distinct ids by hashing in pyarrow, so that only they are sorted (ids that
    all spell integers become integers, as everywhere)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    both = pa.chunked_array(table.column(src).chunks + table.column(dst).chunks, type=table.column(src).type)
    distinct = pc.unique(both)
    ids, rank = _unique_ids(distinct.to_numpy(zero_copy_only=False), np.empty(0, dtype=object))
    position = pc.index_in(both, value_set=distinct).to_numpy()
    return ids, rank[position]


def _read_ipc(name):
    import pyarrow as pa
    import pyarrow.ipc as ipc

    with pa.memory_map(name) as src:
        try:
            return ipc.open_file(src).read_all()
        except pa.ArrowInvalid:
            src.seek(0)
            return ipc.open_stream(src).read_all()


def _read_csv(name, header):
    """pyarrow's multi-threaded CSV reader on the file itself (it decompresses .gz and .bz2);
    leading comment lines are skipped and the id columns read as text, so that ids keep
    their spelling."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    # pyarrow decodes leniently: the bytes are checked first (UTF-8, no control characters)
    utf8(decompress(read_bytes(name, "graph"), name)[0], name)
    with open(name, "rb") as f:
        magic = f.read(8)
    with open_decompressed(name, magic) as f:
        head = f.read(SNIFF_BYTES).decode("utf-8", "replace").lstrip("\ufeff")
    lines = head.splitlines()
    skip = next(i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith(("#", "%")))
    delim = next((d for d in (",", "\t", ";") if d in lines[skip]), " ")
    options = dict(read_options=pcsv.ReadOptions(skip_rows=skip), parse_options=pcsv.ParseOptions(delimiter=delim),
                   convert_options=pcsv.ConvertOptions(column_types={c: pa.string() for c in header[:2]}))
    if name.lower().endswith((".gz", ".bz2")) or magic[:2] not in (b"\x1f\x8b", b"BZ", b"\xfd7"):
        return pcsv.read_csv(name, **options)
    with open_decompressed(name, magic) as f:  # compressed, but not named so: pyarrow cannot tell
        return pcsv.read_csv(pa.BufferReader(f.read()), **options)


def _column(table, c):
    """A column as numpy: text as a fixed-width str array (converted in C, not per item),
    numbers as they are; with missing values, an object array with None (reported)."""
    import pyarrow as pa

    col = table.column(c)
    arr = col.to_numpy(zero_copy_only=False)
    if col.null_count == 0 and (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        return arr.astype(str)
    return arr


def _one_line(exc):
    return " ".join(str(exc).split())


# ------------------------------------------------------------------ content
def symmetric(graph):
    """True when every edge (u, v) of ``graph`` has its reverse (v, u).

    O(n) when some node's in-degree differs from its out-degree (the common
    case for a directed graph), O(m) otherwise: the rows of both CSRs are
    sorted, so the graph is symmetric exactly when they are equal.
    """
    if not np.array_equal(np.diff(graph.out_indptr), np.diff(graph.in_indptr)):
        return False
    # rows of the forward and reverse CSR are both sorted: equal index arrays mean equal edge sets
    return bool(np.array_equal(graph.out_indices, graph.in_indices))
