"""Read text edge lists (SNAP, KONECT, CSV, NetHEPT) and binary graphs into a Graph.

A text file is read whole (gzip, bz2 and xz are recognised by their magic bytes),
tokenized by one numba pass over its bytes (``_parse_kernels.tokenize``) and turned
into CSR by a counting sort (``_kernels``): no Python runs per line or per edge.
Parsed graphs are cached in the binary format (``binary.py``) so that the next
read of the same file only maps arrays.

Accepted text, one edge per line::

    # comment            (lines starting with '#' or '%', anywhere)
    15233 58891          (optional "n m" header line, see read_graph)
    u v                  (whitespace, tab or comma separated)
    u v value            (optional third column: probability, weight or count)
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
import zlib

import numpy as np

from .._textio import check_readable, compression_of, decompress, read_bytes, utf8
from .._validation import InputFileError, SeedwiseError
from ..ids import parse_id, parse_number
from . import _parse_kernels as pk
from . import _schemes
from ._build import build_graph
from .binary import HASH_BLOCK, MAGIC, load_graph, save_graph

#: Bump when parsing or building changes, so that old cache files are not reused.
PARSER_VERSION = 3
#: Text files smaller than this are parsed every time (faster than a cache look-up).
CACHE_MIN_BYTES = 64 << 10

_BOM = b"\xef\xbb\xbf"

__all__ = ["read_graph", "build_graph", "default_cache_dir"]


# --------------------------------------------------------------------- public
def read_graph(path, *, directed=True, weights=None, cache=True, cache_dir=None):
    """Read a graph from a text edge list or a seedwise binary file.

    Text format: one edge ``u v`` or ``u v value`` per line, fields separated by
    spaces, tabs or commas; lines starting with ``#`` or ``%`` are comments
    (SNAP, KONECT) and blank lines are skipped. Node ids are integers or arbitrary
    strings and are kept as the graph's original ids. The optional third column
    becomes the edge value: a probability (``weights="given"``), an interaction
    count (``"counts"``) or a weight kept for ranking. Self-loops are dropped and
    repeated edges merged (counts add up, other values keep the largest).

    Two kinds of first lines are recognised and skipped:

    - an ``n m`` header (NetHEPT's original format): the first data line has two
      integers a, b, exactly b data lines follow and every id is in [0, a);
    - CSV column names (``source,target,weight``): the first data line has no
      integer id while every later line has integer ids.

    Files may be plain or compressed (gzip, bz2, xz; detected by magic bytes).
    A seedwise binary file (see :func:`save_graph`) is recognised by its magic
    bytes and memory-mapped; ``directed`` is then taken from the file.

    Parameters
    ----------
    path : str or os.PathLike
    directed : bool, default True
        False reads each line as an undirected edge (both directions).
    weights : str, optional
        Edge scheme: "wc" (default for text), "uniform:P", "trivalency", "given" or
        "counts". For a binary file None keeps the stored scheme.
    cache : bool, default True
        Keep the parsed graph in the binary format under ``cache_dir``: one entry
        per absolute path, ``directed`` and ``weights``, holding the file's size,
        modification time and CRC-32 of its content. The next read hashes the file
        and loads the entry (more than 10x faster than parsing) when all three match
        and the entry verifies; otherwise it is rebuilt with a one-line notice on
        stderr. Files smaller than ``CACHE_MIN_BYTES`` and pipes are not cached. An
        unwritable folder disables the cache silently.
    cache_dir : str or os.PathLike, optional
        Default: ``$SEEDWISE_CACHE_DIR``, else ``$XDG_CACHE_HOME/seedwise``, else
        ``~/.cache/seedwise``.

    Returns
    -------
    Graph
        ``graph.stats`` holds what the reader did: ``lines``, ``comment_lines``,
        ``blank_lines``, ``header`` ([n, m] or None), ``column_names``,
        ``columns``, ``self_loops_dropped``, ``repeated_edges_merged``, ``format``
        and ``cache`` ("hit", "written", "off").

    Raises
    ------
    InputFileError
        Missing or unreadable file, a line without 2 or 3 fields, a third column
        that is not a finite number >= 0 (or not in [0, 1] with "given"), or a
        file without edges. The message names the file and the line.
    SeedwiseError
        Invalid ``weights``.

    References
    ----------
    J. Leskovec, A. Krevl. SNAP Datasets: Stanford large network dataset collection.
    W. Chen, Y. Wang, S. Yang. Efficient influence maximization in social networks.
    KDD 2009 (NetHEPT).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.txt"
    >>> _ = p.write_text("# tiny\\n1 2\\n2 3\\n3 1\\n1 1\\n")
    >>> g = read_graph(p)
    >>> g.n, g.m, g.stats["self_loops_dropped"]
    (3, 3, 1)
    """
    name = os.fspath(path)
    st = check_readable(name, "graph")
    raw = None
    if st is not None and stat.S_ISREG(st.st_mode):
        with open(name, "rb") as f:
            head = f.read(8)
        if head == MAGIC:
            g = load_graph(name, mmap=True)
            g.stats["format"] = "binary"
            if weights is not None:
                g = g.with_weights(weights)
            return g
    else:  # a pipe, FIFO or stdin: read once, to the end
        raw = read_bytes(name, "graph")
        if raw[:8] == MAGIC:
            raise InputFileError(f"{name}: a binary graph is memory-mapped and must be a regular file, not a pipe")
    scheme = _schemes.parse("wc" if weights is None else weights)
    directed = bool(directed)
    cache_file = None
    if cache and raw is None and st.st_size >= CACHE_MIN_BYTES:
        cache_file = _cache_file(name, directed, scheme.label, cache_dir)
        key = _source_key(name, st)
        g = _load_cache(cache_file, name, directed, scheme.label, key)
        if g is not None:
            return g
    if raw is None:
        raw = read_bytes(name, "graph")
    data, fmt = decompress(raw, name)
    del raw
    data = utf8(data, name)
    u, v, ids, values, stats = parse_edge_bytes(data, name, scheme)
    del data
    stats["format"] = fmt
    stats["source"] = os.path.abspath(name) if name != "-" else "-"
    g = _build_from_file(name, u, v, ids, values, directed, scheme, stats)
    g.stats["cache"] = "off"
    if cache_file is not None:
        g.stats.update(key)
        if _save_cache(g, cache_file):
            g.stats["cache"] = "written"
    return g


def default_cache_dir():
    """``$SEEDWISE_CACHE_DIR``, else ``$XDG_CACHE_HOME/seedwise``, else ``~/.cache/seedwise``."""
    env = os.environ.get("SEEDWISE_CACHE_DIR")
    if env:
        return env
    xdg = os.environ.get("XDG_CACHE_HOME")
    return os.path.join(xdg, "seedwise") if xdg else os.path.join(os.path.expanduser("~"), ".cache", "seedwise")


# -------------------------------------------------------------------- reading
def open_decompressed(name, head):
    """A binary file object yielding the (decompressed) bytes of the regular file ``name``."""
    kind = compression_of(head)
    if kind == "gzip":
        import gzip

        return gzip.open(name, "rb")
    if kind == "bz2":
        import bz2

        return bz2.open(name, "rb")
    if kind == "xz":
        import lzma

        return lzma.open(name, "rb")
    return open(name, "rb")


def _line_text(buf, start, stop):
    return bytes(buf[start:stop]).decode("utf-8", "replace").strip()


def _token(buf, start, stop):
    return bytes(buf[start:stop]).decode("utf-8", "replace")


class _Chunk:
    """Parsed data lines of one buffer: ids (int64 values or token offsets) and values."""

    def __init__(self, buf, pos, end, name, line0, want_ints, first_cols, rest_cols):
        self.buf, self.pos, self.end, self.name, self.line0 = buf, pos, end, name, line0
        cap = int(np.count_nonzero(buf[pos:end] == 10)) + 1
        empty = np.empty(0, dtype=np.int64)
        self.u = np.empty(cap, dtype=np.int64) if want_ints else empty
        self.v = np.empty(cap, dtype=np.int64) if want_ints else empty
        self.offs = np.empty((0 if want_ints else cap, 4), dtype=np.int64)
        self.val = np.empty(cap, dtype=np.float64)
        self.info, self.slow = pk.tokenize(
            buf, pos, end, want_ints, first_cols, rest_cols, self.u, self.v, self.offs, self.val
        )
        self.count = int(self.info[pk.COUNT])
        self.status = int(self.info[pk.STATUS])

    def where(self, k):
        """(absolute line number, line text) of data line k of this chunk."""
        line, a, b = pk.locate_record(self.buf, self.pos, self.end, k)
        return self.line0 + int(line), _line_text(self.buf, a, b)

    def raise_status(self, rest_cols_before=0):
        """Raise the InputFileError for a BAD_COLUMNS or MIXED_COLUMNS status."""
        info = self.info
        line = self.line0 + int(info[pk.ERR_LINE])
        got = int(info[pk.ERR_COLS])
        if self.status == pk.BAD_COLUMNS:
            text = _line_text(self.buf, info[pk.ERR_START], info[pk.ERR_END])
            raise InputFileError(
                f"{self.name} line {line}: expected 2 or 3 columns, got {got} ({_short(text)!r})"
            )
        if self.status == pk.MIXED_COLUMNS:
            want = int(info[pk.REST_COLS]) or rest_cols_before
            raise InputFileError(
                f"{self.name} line {line}: got {got} columns but the lines before have {want}; "
                "every edge line needs the same number of columns"
            )

    def values_slice(self, start=0):
        """float64 third column of records start..count-1, with the slow tokens parsed."""
        val = self.val[start:self.count]
        if len(self.slow):  # >17 digits, nan, inf, or not a number: the strict parser decides
            slow = self.slow[self.slow[:, 0] >= start]
            for r, a, b in slow:
                text = bytes(self.buf[a:b]).decode("utf-8", "replace")
                try:
                    val[r - start] = parse_number(text, what="third column")
                except SeedwiseError:
                    line, _ = self.where(int(r))
                    raise InputFileError(f"{self.name} line {line}: third column {text!r} is not a number "
                                         "(ASCII digits, '.', exponent; no '_')") from None
        return val


def _short(text, width=60):
    return text if len(text) <= width else text[: width - 3] + "..."


def check_values(val, where, name, scheme, offset=0):
    """Raise naming the line when a third-column value is not finite and >= 0 (or > 1 under 'given').

    ``where(k)`` gives (line number, line text) of record k + offset.
    """
    bad = ~np.isfinite(val) | (val < 0)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        line, text = where(k + offset)
        raise InputFileError(
            f"{name} line {line}: third column must be a finite number >= 0; got {float(val[k])!r} ({_short(text)!r})"
        )
    if scheme.name == "given":
        over = val > 1
        if over.any():
            k = int(np.flatnonzero(over)[0])
            line, text = where(k + offset)
            raise InputFileError(
                f"{name} line {line}: third column {float(val[k])!r} is not a probability in [0, 1] "
                f"(weights='given'; {int(over.sum())} such lines). Use weights='counts' for weights or counts."
            )


def parse_edge_bytes(data, name, scheme):
    """Parse an edge list held in ``data`` (bytes).

    Returns (u, v, ids, values, stats): with ``ids`` None, u and v are raw int64
    ids; otherwise u, v are dense indices into the sorted string ``ids``. values is
    float64 or None.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    pos = 3 if data[:3] == _BOM else 0
    end = len(buf)
    stats = {}
    column_names = None
    ch = _Chunk(buf, pos, end, name, 0, True, 0, 0)
    if ch.status == pk.NOT_INT and ch.count == 0:
        # the first data line may be CSV column names ("source,target,weight")
        line, a, b = pk.locate_record(buf, pos, end, 0)
        names = column_names_of(buf, a, b)
        retry = _Chunk(buf, b + 1, end, name, int(line), True, 0, 0) if names else None
        if names and retry.status != pk.NOT_INT and retry.count > 0:
            column_names = names
            retry.info[pk.LINES] += line
            retry.info[pk.COMMENTS] += ch.info[pk.COMMENTS]
            retry.info[pk.BLANKS] += ch.info[pk.BLANKS]
            ch = retry
    if ch.status == pk.NOT_INT:
        ch = _Chunk(buf, pos, end, name, 0, False, 0, 0)
    if ch.status not in (pk.OK, pk.NOT_INT):
        ch.raise_status()
    info = ch.info
    count = ch.count
    stats["lines"] = int(info[pk.LINES])
    stats["comment_lines"] = int(info[pk.COMMENTS])
    stats["blank_lines"] = int(info[pk.BLANKS])
    if count == 0:
        raise InputFileError(
            f"{name}: no edges found ({stats['lines']} lines: {stats['comment_lines']} comments, "
            f"{stats['blank_lines']} blank); expected lines 'u v' or 'u v value'"
        )
    first_cols, rest_cols = int(info[pk.FIRST_COLS]), int(info[pk.REST_COLS])
    ints = len(ch.u) > 0
    start = 0
    header = None
    if ints and first_cols == 2 and count >= 2 and _is_header(ch.u[:count], ch.v[:count]):
        header = [int(ch.u[0]), int(ch.v[0])]
        start = 1
    if start == 0 and rest_cols and rest_cols != first_cols:
        line, _ = ch.where(1)
        first_line, _ = ch.where(0)
        raise InputFileError(
            f"{name} line {line}: got {rest_cols} columns but line {first_line} has {first_cols}; "
            "every edge line needs the same number of columns"
        )
    columns = rest_cols if start else first_cols
    stats["header"] = header
    stats["column_names"] = column_names
    stats["columns"] = columns
    stats["data_lines"] = count - start
    values = None
    if columns == 3:
        values = ch.values_slice(start)
        check_values(values, ch.where, name, scheme, offset=start)
    if scheme.needs_values and values is None:
        raise InputFileError(
            f"{name}: weights='{scheme.label}' needs a third column (probability or count), "
            "but the lines have 2 columns"
        )
    if ints:
        return ch.u[start:count], ch.v[start:count], None, values, stats
    offs = ch.offs[:count]
    starts = np.concatenate([offs[:, 0], offs[:, 2]])
    ends = np.concatenate([offs[:, 1], offs[:, 3]])
    ids, inverse = _string_ids(buf, starts, ends, name)
    return inverse[:count], inverse[count:], ids, values, stats


def column_names_of(buf, start, stop):
    """The fields of a CSV column-name line (2 or 3 fields, neither id field an integer), else None."""
    names = re.split(r"[\s,]+", _line_text(buf, start, stop).strip(" \t,"))
    if len(names) not in (2, 3) or any(isinstance(parse_id(t), int) for t in names[:2]):
        return None
    return names


def _is_header(u, v):
    """First line "a b" is NetHEPT's "n m": b lines follow and every id is in [0, a)."""
    a, b = int(u[0]), int(v[0])
    if a <= 0 or b != len(u) - 1:
        return False
    lo = min(int(u[1:].min()), int(v[1:].min()))
    hi = max(int(u[1:].max()), int(v[1:].max()))
    return lo >= 0 and hi < a


def _string_ids(buf, starts, ends, name):
    """Sorted unique ids and the dense index of each token, built without Python per token.

    Tokens are copied into a fixed-width bytes array (np.unique sorts it in C); ids
    that all spell int64 integers become integers, as in ``Graph.from_edges``.
    """
    width = max(int((ends - starts).max()), 1)
    toks = pk.gather_tokens(buf, starts, ends, width).view(f"S{width}").ravel()
    uniq, inverse = np.unique(toks, return_inverse=True)
    try:
        ids = np.char.decode(uniq, "utf-8")
    except UnicodeDecodeError:
        raise InputFileError(f"{name}: node ids are not valid UTF-8 text") from None
    try:
        as_int = ids.astype(np.int64)
        if np.array_equal(as_int.astype(str), ids):
            order = np.argsort(as_int, kind="stable")
            rank = np.empty_like(order)
            rank[order] = np.arange(len(order))
            return as_int[order], rank[inverse]
    except (ValueError, OverflowError):
        pass
    return ids, inverse


def map_int_ids(u, v, lo, hi):
    """Sorted unique int64 ids and dense int32 u, v.

    Dense id ranges (SNAP's 0..n-1) use a lookup table, O(e + span); sparse ones
    (Twitter user ids) np.unique.
    """
    e = len(u)
    span = hi - lo + 1
    if span <= max(4 * e, 1 << 20):
        present = np.zeros(span, dtype=np.bool_)
        present[u - lo] = True
        present[v - lo] = True
        ids = np.flatnonzero(present).astype(np.int64) + lo
        lookup = np.empty(span, dtype=np.int32)
        lookup[ids - lo] = np.arange(len(ids), dtype=np.int32)
        return ids, lookup[u - lo], lookup[v - lo]
    ids, inverse = np.unique(np.concatenate([u, v]), return_inverse=True)
    inverse = inverse.astype(np.int32)
    return ids.astype(np.int64), inverse[:e], inverse[e:]


def _build_from_file(name, u, v, ids, values, directed, scheme, stats):
    if ids is None:
        lo = int(min(u.min(), v.min()))
        hi = int(max(u.max(), v.max()))
        ids, u, v = map_int_ids(u, v, lo, hi)
    try:
        return build_graph(u, v, ids, values, directed=directed, weights=scheme, stats=stats)
    except InputFileError:
        raise
    except SeedwiseError as exc:
        raise InputFileError(f"{name}: {exc}") from None


# ---------------------------------------------------------------------- cache
def _cache_file(name, directed, label, cache_dir):
    """Where the cache of ``name`` lives: one entry per (path, directed, scheme, parser version),
    replaced when the source changes."""
    key = "|".join(str(x) for x in (os.path.abspath(name), directed, label, PARSER_VERSION))
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    base = os.path.basename(name).replace(os.sep, "_")[:40]
    folder = os.fspath(cache_dir) if cache_dir is not None else default_cache_dir()
    return os.path.join(folder, f"{base}.{digest}.swg")


def _source_key(name, st):
    """What a cache entry must match: the source's size, modification time and CRC-32
    (computed in blocks: a cache hit never holds the source in memory)."""
    crc = 0
    try:
        with open(name, "rb") as f:
            for block in iter(lambda: f.read(HASH_BLOCK), b""):
                crc = zlib.crc32(block, crc)
    except OSError as exc:
        raise InputFileError(f"{name}: cannot read ({exc.strerror or exc})") from None
    return {"source_size": int(st.st_size), "source_mtime_ns": int(st.st_mtime_ns), "source_crc32": f"{crc:08x}"}


def _notice(text):
    print(f"seedwise: note: {text}", file=sys.stderr)


def _load_cache(cache_file, name, directed, label, key):
    """The cached Graph when it matches ``key`` and verifies; else None (with a one-line notice
    when an entry existed: it is then rebuilt)."""
    if not os.path.isfile(cache_file):
        return None
    try:
        g = load_graph(cache_file, mmap=True)  # pages shared with the page cache: no copy
    except SeedwiseError as exc:
        _notice(f"cache of {name} is corrupt or outdated ({str(exc).split('(', 1)[-1].rstrip(')')}); rebuilding it")
        return None
    stored = {k: g.stats.get(k) for k in key}
    if stored != key or g.directed != directed or g.weights != label or g.stats.get("source") != os.path.abspath(name):
        what = "content" if stored["source_size"] == key["source_size"] and \
            stored["source_mtime_ns"] == key["source_mtime_ns"] else "size or modification time"
        _notice(f"cache of {name} is stale (the file's {what} changed); rebuilding it")
        return None
    g.stats["cache"] = "hit"
    g.stats["cache_file"] = cache_file
    return g


def _save_cache(g, cache_file):
    """Write the cache file atomically; False (silently) when the folder is not writable."""
    try:
        os.makedirs(os.path.dirname(cache_file), exist_ok=True)
        save_graph(g, cache_file)
        return True
    except (SeedwiseError, OSError):
        return False
