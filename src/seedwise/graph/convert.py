"""Streaming conversion of a text edge list into the binary format (and, re-exported from
:mod:`.interop`, the networkx, scipy.sparse and pandas converters).

``convert_edge_list`` turns an edge list of any size into the binary format
(``binary.py``) with memory that does not grow with Python objects per line: the
text is read in chunks cut at a newline, each chunk is tokenized by the numba
kernel of ``read_graph`` and appended as raw int64/float64 to temporary files,
which are then memory-mapped for id mapping and the counting-sort CSR build.
"""
from __future__ import annotations

import os
import stat
import tempfile

import numpy as np

from .._output import refuse_overwrite
from .._textio import WIDE_BOMS, check_readable, decompress, read_bytes, stream_chunks, utf8
from .._validation import InputFileError, SeedwiseError
from . import _parse_kernels as pk
from . import _schemes
from .binary import MAGIC, load_graph, save_graph
from .interop import from_networkx, from_pandas_edgelist, from_scipy_sparse
from .io import (
    _BOM,
    _Chunk,
    build_graph,
    check_values,
    column_names_of,
    open_decompressed,
)

__all__ = ["convert_edge_list", "from_networkx", "from_scipy_sparse", "from_pandas_edgelist"]

#: Edges per block when ids are mapped from the temporary files.
MAP_BLOCK = 1 << 24


class _NeedStrings(Exception):
    """An id is not an integer: restart the conversion with string ids."""


def convert_edge_list(in_path, out_path, *, directed=True, weights="wc", chunk_bytes=64 << 20, progress=None):
    """Convert a text edge list to a seedwise binary graph file, streaming.

    Accepts every text format of :func:`read_graph` (comments, "n m" header, CSV
    column names, 2 or 3 columns, gzip/bz2/xz) and gives the same graph. The input
    is read ``chunk_bytes`` at a time; the parsed columns go to temporary files
    beside ``out_path`` (16 bytes per edge, 24 with a third column) and are
    memory-mapped for the rest.

    Memory: about 28 bytes per edge held in RAM for a two-column directed list
    (the final CSR arrays, 24, plus int32 tails while probabilities are computed;
    12 more per edge with a third column: float64 values during the build), plus
    O(n) for the id table and about 5 times ``chunk_bytes`` for the chunk being
    parsed. Measured peak RSS, file-backed pages of the memory-mapped temporaries
    included: 35 bytes per line on a 10 M line file. With string ids the
    distinct tokens of each chunk are kept until the end.

    Parameters
    ----------
    in_path : str or os.PathLike
        Text edge list (plain or compressed); a binary graph is copied.
    out_path : str or os.PathLike
        Binary graph file to write (atomically), suffix ``.swg`` suggested.
    directed : bool, default True
    weights : str, default "wc"
        Edge scheme, as in :func:`read_graph`.
    chunk_bytes : int, default 64 MiB
        Bytes of (decompressed) text parsed at a time.
    progress : callable, optional
        Called with the number of bytes parsed after each chunk.

    Returns
    -------
    dict
        The graph's stats (lines, comment lines, header, self-loops dropped,
        repeated edges merged, ...) plus ``n``, ``m``, ``path`` and ``bytes``.

    Raises
    ------
    InputFileError
        As :func:`read_graph`: the message names the file and the line.
    SeedwiseError
        ``out_path`` is the input file (it would be destroyed).
    """
    name = os.fspath(in_path)
    out = os.fspath(out_path)
    scheme = _schemes.parse(weights)
    chunk_bytes = int(chunk_bytes)
    if chunk_bytes < 1:
        raise SeedwiseError(f"chunk_bytes must be an int >= 1; got {chunk_bytes}")
    st = check_readable(name, "graph")
    refuse_overwrite(out, [name], "out_path")
    stream = st is None or not stat.S_ISREG(st.st_mode)
    head = b""
    if not stream:
        with open(name, "rb") as f:
            head = f.read(8)
    if head == MAGIC:
        g = load_graph(name, mmap=True)
        g = g.with_weights(scheme) if scheme.label != g.weights else g
        save_graph(g, out)
    else:
        folder = os.path.dirname(os.path.abspath(out))
        try:
            tmp_ctx = tempfile.TemporaryDirectory(prefix=".swg-convert-", dir=folder)
        except OSError as exc:
            raise SeedwiseError(f"cannot write in {folder}: {exc.strerror or exc}") from None
        with tmp_ctx as tmp:
            src, head = _plain_source(name, stream, head, tmp)
            try:
                g = _convert(name, src, head, tmp, True, bool(directed), scheme, chunk_bytes, progress)
            except _NeedStrings:
                g = _convert(name, src, head, tmp, False, bool(directed), scheme, chunk_bytes, progress)
            save_graph(g, out)
    result = dict(g.stats)
    result.update(n=g.n, m=g.m, path=out, bytes=os.path.getsize(out))
    return result


def _plain_source(name, stream, head, tmp):
    """(path, first bytes) of a regular file holding the input: ``name`` itself, or a copy in
    ``tmp`` of a pipe (read to its end) or of a UTF-16/32 file re-encoded as UTF-8."""
    src = name
    if stream:
        src = os.path.join(tmp, "input")
        with open(src, "wb") as f:
            for chunk in stream_chunks(name):
                f.write(chunk)
        with open(src, "rb") as f:
            head = f.read(8)
        if head == MAGIC:
            raise InputFileError(f"{name}: a binary graph is memory-mapped and must be a regular file, not a pipe")
    with open_decompressed(src, head) as f:
        start = f.read(4)
    if start.startswith(WIDE_BOMS):
        data, _ = decompress(read_bytes(src), name)
        src = os.path.join(tmp, "input.utf8")
        with open(src, "wb") as f:
            f.write(utf8(data, name))
        head = b""
    return src, head


def _convert(name, src, head, tmp, want_ints, directed, scheme, chunk_bytes, progress):
    """One streaming pass over ``src`` (messages name ``name``); raises _NeedStrings when
    ``want_ints`` meets a string id."""
    paths = {k: os.path.join(tmp, k) for k in ("u", "v", "val")}
    files = {k: open(p, "wb") for k, p in paths.items()}
    st = dict(lines=0, comments=0, blanks=0, count=0, first_cols=0, rest_cols=0)
    rec0 = rec1_line = rec0_line = None
    lo_rest, hi_rest = np.iinfo(np.int64).max, np.iinfo(np.int64).min
    column_names = None
    uniques = []  # string mode: distinct tokens of each chunk
    base = 0
    done = 0  # bytes of text before the chunk
    try:
        with open_decompressed(src, head) as f:
            carry = b""
            first = True
            while True:
                try:
                    block = f.read(chunk_bytes)
                except (OSError, EOFError, ValueError) as exc:
                    raise InputFileError(f"{name}: corrupt compressed file ({exc})") from None
                eof = not block
                data = carry + block
                if first:
                    if len(data) < 3 and not eof:
                        carry = data
                        continue
                    if data[:3] == _BOM:
                        data = data[3:]
                    first = False
                if not eof:
                    cut = data.rfind(b"\n")
                    if cut < 0:
                        carry = data
                        continue
                    chunk, carry = data[: cut + 1], data[cut + 1:]
                else:
                    chunk, carry = data, b""
                if chunk:
                    chunk = utf8(chunk, name, offset=done, line=st["lines"])
                    done += len(chunk)
                    buf = np.frombuffer(chunk, dtype=np.uint8)
                    ch = _Chunk(buf, 0, len(buf), name, st["lines"], want_ints, st["first_cols"], st["rest_cols"])
                    skipped = 0
                    if ch.status == pk.NOT_INT and st["count"] == 0 and ch.count == 0 and column_names is None:
                        line, a, b = pk.locate_record(buf, 0, len(buf), 0)
                        names = column_names_of(buf, a, b) if want_ints else None
                        retry = _Chunk(buf, b + 1, len(buf), name, st["lines"] + int(line), want_ints, 0, 0) \
                            if names else None
                        if names and retry.status != pk.NOT_INT:
                            column_names = names
                            st["comments"] += int(ch.info[pk.COMMENTS])
                            st["blanks"] += int(ch.info[pk.BLANKS])
                            skipped = int(line)
                            ch = retry
                    if ch.status == pk.NOT_INT:
                        raise _NeedStrings
                    if ch.status != pk.OK:
                        ch.raise_status(st["rest_cols"])
                    first_count = st["count"]
                    if first_count == 0 and ch.count:
                        rec0_line = ch.where(0)[0]
                        if want_ints:
                            rec0 = (int(ch.u[0]), int(ch.v[0]))
                    if first_count <= 1 < first_count + ch.count:
                        rec1_line = ch.where(1 - first_count)[0]
                    _append_chunk(ch, files, want_ints, uniques, base, first_count)
                    if want_ints and ch.count:
                        k0 = 1 if first_count == 0 else 0
                        if ch.count > k0:
                            lo_rest = min(lo_rest, int(ch.u[k0:ch.count].min()), int(ch.v[k0:ch.count].min()))
                            hi_rest = max(hi_rest, int(ch.u[k0:ch.count].max()), int(ch.v[k0:ch.count].max()))
                    if not want_ints:
                        base += len(uniques[-1])
                    st["first_cols"] = int(ch.info[pk.FIRST_COLS])
                    st["rest_cols"] = int(ch.info[pk.REST_COLS])
                    # values: check now, while the line text is at hand (the header line has none)
                    if max(st["first_cols"], st["rest_cols"]) == 3 and ch.count:
                        k0 = 1 if (first_count == 0 and st["first_cols"] == 2) else 0
                        vals = ch.values_slice(0)
                        check_values(vals[k0:], ch.where, name, scheme, offset=k0)
                        vals.tofile(files["val"])
                    else:
                        np.zeros(ch.count, dtype=np.float64).tofile(files["val"])
                    st["lines"] += int(ch.info[pk.LINES]) + skipped
                    st["comments"] += int(ch.info[pk.COMMENTS])
                    st["blanks"] += int(ch.info[pk.BLANKS])
                    st["count"] += ch.count
                    if progress is not None:
                        progress(len(chunk))
                    del ch, buf
                if eof:
                    break
    finally:
        for fh in files.values():
            fh.close()
    return _finish(name, paths, st, want_ints, uniques, rec0, rec0_line, rec1_line, lo_rest, hi_rest,
                   column_names, directed, scheme)


def _append_chunk(ch, files, want_ints, uniques, base, first_count):
    k = ch.count
    if want_ints:
        ch.u[:k].tofile(files["u"])
        ch.v[:k].tofile(files["v"])
        return
    offs = ch.offs[:k]
    starts = np.concatenate([offs[:, 0], offs[:, 2]])
    ends = np.concatenate([offs[:, 1], offs[:, 3]])
    width = max(int((ends - starts).max()) if k else 1, 1)
    toks = pk.gather_tokens(ch.buf, starts, ends, width).view(f"S{width}").ravel()
    uniq, inverse = np.unique(toks, return_inverse=True)
    uniques.append(uniq)
    inverse = inverse.astype(np.int64) + base
    inverse[:k].tofile(files["u"])
    inverse[k:].tofile(files["v"])


def _finish(name, paths, st, want_ints, uniques, rec0, rec0_line, rec1_line, lo_rest, hi_rest,
            column_names, directed, scheme):
    count = st["count"]
    if count == 0 and column_names is not None:
        raise _NeedStrings  # the "column names" were the only edge: read it as one, as read_graph does
    stats = {"lines": st["lines"], "comment_lines": st["comments"], "blank_lines": st["blanks"]}
    if count == 0:
        raise InputFileError(
            f"{name}: no edges found ({st['lines']} lines: {st['comments']} comments, "
            f"{st['blanks']} blank); expected lines 'u v' or 'u v value'"
        )
    first_cols, rest_cols = st["first_cols"], st["rest_cols"]
    header = None
    if (want_ints and first_cols == 2 and count >= 2 and rec0[0] > 0 and rec0[1] == count - 1
            and lo_rest >= 0 and hi_rest < rec0[0]):
        header = list(rec0)
    start = 1 if header else 0
    if start == 0 and rest_cols and rest_cols != first_cols:
        raise InputFileError(
            f"{name} line {rec1_line}: got {rest_cols} columns but line {rec0_line} has {first_cols}; "
            "every edge line needs the same number of columns"
        )
    columns = rest_cols if start else first_cols
    stats.update(header=header, column_names=column_names, columns=columns, data_lines=count - start)
    if scheme.needs_values and columns != 3:
        raise InputFileError(
            f"{name}: weights='{scheme.label}' needs a third column (probability or count), "
            "but the lines have 2 columns"
        )
    e = count - start
    u_raw = np.memmap(paths["u"], dtype=np.int64, mode="r")[start:]
    v_raw = np.memmap(paths["v"], dtype=np.int64, mode="r")[start:]
    values = np.memmap(paths["val"], dtype=np.float64, mode="r")[start:] if columns == 3 else None
    du = np.memmap(paths["u"] + ".dense", dtype=np.int32, mode="w+", shape=(e,))
    dv = np.memmap(paths["v"] + ".dense", dtype=np.int32, mode="w+", shape=(e,))
    if want_ints:
        lo = lo_rest if header else min(lo_rest, *rec0)
        hi = hi_rest if header else max(hi_rest, *rec0)
        ids = _map_int_blocks(u_raw, v_raw, lo, hi, du, dv)
    else:
        ids = _map_string_blocks(name, uniques, u_raw, v_raw, du, dv)
    du.flush()
    dv.flush()
    del u_raw, v_raw
    try:
        g = build_graph(du, dv, ids, values, directed=directed, weights=scheme, stats=stats)
    except InputFileError:
        raise
    except SeedwiseError as exc:
        raise InputFileError(f"{name}: {exc}") from None
    g.stats.update(format="converted", source=os.path.abspath(name))
    return g


def _map_int_blocks(u_raw, v_raw, lo, hi, du, dv):
    """Sorted unique int64 ids; writes the dense ids of u_raw, v_raw into du, dv (block by block)."""
    e = len(u_raw)
    span = hi - lo + 1
    if span <= max(4 * e, 1 << 20):
        present = np.zeros(span, dtype=np.bool_)
        for a in range(0, e, MAP_BLOCK):
            present[u_raw[a:a + MAP_BLOCK] - lo] = True
            present[v_raw[a:a + MAP_BLOCK] - lo] = True
        ids = np.flatnonzero(present).astype(np.int64) + lo
        del present
        lookup = np.empty(span, dtype=np.int32)
        lookup[ids - lo] = np.arange(len(ids), dtype=np.int32)
        for a in range(0, e, MAP_BLOCK):
            du[a:a + MAP_BLOCK] = lookup[u_raw[a:a + MAP_BLOCK] - lo]
            dv[a:a + MAP_BLOCK] = lookup[v_raw[a:a + MAP_BLOCK] - lo]
        return ids
    ids = np.empty(0, dtype=np.int64)
    for a in range(0, e, MAP_BLOCK):
        ids = np.union1d(ids, np.unique(np.concatenate([u_raw[a:a + MAP_BLOCK], v_raw[a:a + MAP_BLOCK]])))
    for a in range(0, e, MAP_BLOCK):
        du[a:a + MAP_BLOCK] = np.searchsorted(ids, u_raw[a:a + MAP_BLOCK])
        dv[a:a + MAP_BLOCK] = np.searchsorted(ids, v_raw[a:a + MAP_BLOCK])
    return ids


def _map_string_blocks(name, uniques, u_loc, v_loc, du, dv):
    """Merge the per-chunk distinct tokens; writes global dense ids into du, dv."""
    width = max(u.dtype.itemsize for u in uniques)
    allt = np.concatenate([u.astype(f"S{width}") for u in uniques])
    uniq, remap = np.unique(allt, return_inverse=True)
    del allt
    try:
        ids = np.char.decode(uniq, "utf-8")
    except UnicodeDecodeError:
        raise InputFileError(f"{name}: node ids are not valid UTF-8 text") from None
    try:  # ids that all spell integers become integers, as in Graph.from_edges
        as_int = ids.astype(np.int64)
        if np.array_equal(as_int.astype(str), ids):
            order = np.argsort(as_int, kind="stable")
            rank = np.empty_like(order)
            rank[order] = np.arange(len(order))
            remap = rank[remap]
            ids = as_int[order]
    except (ValueError, OverflowError):
        pass
    remap = remap.astype(np.int32)
    e = len(u_loc)
    for a in range(0, e, MAP_BLOCK):
        du[a:a + MAP_BLOCK] = remap[u_loc[a:a + MAP_BLOCK]]
        dv[a:a + MAP_BLOCK] = remap[v_loc[a:a + MAP_BLOCK]]
    return ids
