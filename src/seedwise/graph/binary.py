"""The seedwise binary graph format (``.swg``): one file, raw arrays, memory-mappable.

Layout (all integers little-endian)::

    bytes 0-7    magic  b"\\x93SWGRAPH"
    bytes 8-11   uint32 format version (1)
    bytes 12-15  uint32 length L of the JSON header
    bytes 16..   JSON header: n, m, directed, weights, stats, and for every array
                 {"offset", "dtype", "shape"} with offsets from the data start
    data start = 16 + L rounded up to 64; every array starts on a 64-byte boundary

``load_graph(path, mmap=True)`` maps the file read-only and returns a Graph whose
arrays are views into the mapping, so a graph larger than the RAM left free can
still be used (pages are read as the kernels touch them). String ids are stored as
a fixed-width unicode array.
"""
from __future__ import annotations

import json
import os
import struct
import tempfile

import numpy as np

from .._validation import InputFileError, SeedwiseError
from ._graph import Graph

MAGIC = b"\x93SWGRAPH"
VERSION = 1
ALIGN = 64
SUFFIX = ".swg"

#: Graph fields stored as arrays, with the dtypes they must have and their length.
_ARRAYS = {
    "ids": (None, "n"),
    "out_indptr": ("<i8", "n+1"),
    "out_indices": ("<i4", "m"),
    "out_prob": ("<f4", "m"),
    "out_weight": ("<f4", "m"),
    "in_indptr": ("<i8", "n+1"),
    "in_indices": ("<i4", "m"),
    "in_prob": ("<f4", "m"),
    "in_weight": ("<f4", "m"),
    "in_shared_p": ("<f4", "n"),
}


def is_binary_graph(path):
    """True when ``path`` starts with the seedwise binary magic bytes."""
    try:
        with open(path, "rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _align(x):
    return (x + ALIGN - 1) // ALIGN * ALIGN


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    return str(x)


def _stored_ids(ids):
    ids = np.asarray(ids)
    if ids.dtype.kind in "iu":
        return ids.astype("<i8", copy=False)
    if ids.dtype.kind == "U":
        return ids.astype(ids.dtype.newbyteorder("<"), copy=False)
    return ids.astype(str)


def save_graph(graph, path):
    """Write ``graph`` to ``path`` in the binary format, atomically.

    The file is written to a temporary name in the same folder and renamed, so a
    reader never sees a half-written file.

    Parameters
    ----------
    graph : Graph
    path : str or os.PathLike
        Target file; the suffix ``.swg`` is suggested, not required.

    Returns
    -------
    path : str

    Raises
    ------
    SeedwiseError
        If ``graph`` is not a Graph, or the file cannot be written.
    """
    if not isinstance(graph, Graph):
        raise SeedwiseError(f"save_graph needs a seedwise Graph; got {type(graph).__name__}")
    path = os.fspath(path)
    arrays = {}
    for name, (dtype, _) in _ARRAYS.items():
        a = getattr(graph, name)
        a = _stored_ids(a) if name == "ids" else np.asarray(a).astype(dtype, copy=False)
        arrays[name] = np.ascontiguousarray(a)
    meta = {
        "n": int(graph.n),
        "m": int(graph.m),
        "directed": bool(graph.directed),
        "weights": graph.weights,
        "stats": _jsonable(graph.stats),
        "arrays": {},
    }
    offset = 0
    for name, a in arrays.items():
        meta["arrays"][name] = {"offset": offset, "dtype": a.dtype.str, "shape": list(a.shape)}
        offset = _align(offset + a.nbytes)
    header = json.dumps(meta, separators=(",", ":")).encode()
    data_start = _align(16 + len(header))
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=folder)
    except OSError as exc:
        raise SeedwiseError(f"cannot write graph file {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + struct.pack("<II", VERSION, len(header)) + header)
            f.write(b"\0" * (data_start - 16 - len(header)))
            pos = 0
            for name, a in arrays.items():
                start = meta["arrays"][name]["offset"]
                f.write(b"\0" * (start - pos))
                f.write(memoryview(a.reshape(-1)).cast("B"))
                pos = start + a.nbytes
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise SeedwiseError(f"cannot write graph file {path}: {exc.strerror or exc}") from None
        raise
    return path


def _bad(path, why):
    return InputFileError(f"{path}: not a valid seedwise graph file ({why})")


def read_header(path):
    """(meta dict, data start offset, file size) of a binary graph file; InputFileError if invalid."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(16)
            if len(head) < 16 or head[:8] != MAGIC:
                raise _bad(path, "wrong magic bytes")
            version, hlen = struct.unpack("<II", head[8:16])
            if version != VERSION:
                raise _bad(path, f"format version {version}, this seedwise reads version {VERSION}")
            if hlen > size - 16:
                raise _bad(path, "truncated header")
            meta = json.loads(f.read(hlen).decode())
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except (ValueError, UnicodeDecodeError):
        raise _bad(path, "unreadable header") from None
    return meta, _align(16 + hlen), size


def load_graph(path, mmap=True, *, check=True):
    """Load a graph written by :func:`save_graph`.

    Parameters
    ----------
    path : str or os.PathLike
    mmap : bool, default True
        Map the file read-only instead of reading it: the arrays are views of the
        mapping (``np.memmap``), pages are read on demand and the file may be larger
        than the free RAM. With False the file is read into one writable buffer.
    check : bool, default True
        Verify the CSR structure (indptr monotone and ending at m, indices in
        [0, n)); one pass over the index arrays.

    Returns
    -------
    Graph

    Raises
    ------
    InputFileError
        Missing, truncated or corrupt file.
    """
    path = os.fspath(path)
    meta, data_start, size = read_header(path)
    try:
        n, m = int(meta["n"]), int(meta["m"])
        specs = meta["arrays"]
        if mmap:
            buf = np.memmap(path, dtype=np.uint8, mode="r")
        else:
            buf = np.empty(size, dtype=np.uint8)
            with open(path, "rb") as f:
                if f.readinto(memoryview(buf)) != size:
                    raise _bad(path, "short read")
        arrays = {}
        for name, (dtype, length) in _ARRAYS.items():
            spec = specs[name]
            dt = np.dtype(spec["dtype"])
            want = {"n": n, "n+1": n + 1, "m": m}[length]
            if dtype is not None and dt != np.dtype(dtype):
                raise _bad(path, f"{name} has dtype {dt}, expected {dtype}")
            if dtype is None and dt.kind not in "iU":
                raise _bad(path, f"ids have dtype {dt}")
            if list(spec["shape"]) != [want]:
                raise _bad(path, f"{name} has shape {spec['shape']}, expected [{want}]")
            start = data_start + int(spec["offset"])
            stop = start + want * dt.itemsize
            if start < data_start or stop > size:
                raise _bad(path, "truncated file")
            arrays[name] = buf[start:stop].view(dt)
    except InputFileError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise _bad(path, f"inconsistent header: {exc}") from None
    if check:
        _check_csr(path, n, m, arrays["out_indptr"], arrays["out_indices"])
        _check_csr(path, n, m, arrays["in_indptr"], arrays["in_indices"])
    stats = dict(meta.get("stats") or {})
    return Graph(
        n=n, m=m, directed=bool(meta["directed"]), weights=str(meta["weights"]), stats=stats, **arrays
    )


def _check_csr(path, n, m, indptr, indices):
    if indptr[0] != 0 or indptr[-1] != m or (n > 0 and np.any(np.diff(indptr) < 0)):
        raise _bad(path, "corrupt index pointers")
    if m and (int(indices.min()) < 0 or int(indices.max()) >= n):
        raise _bad(path, "node index out of range")
