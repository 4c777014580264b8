"""The seedwise binary graph format (``.swg``): one file, raw arrays, memory-mappable.

Layout (all integers little-endian)::

    bytes 0-7    magic  b"\\x93SWGRAPH"
    bytes 8-11   uint32 format version (3)
    bytes 12-15  uint32 length L of the JSON header
    bytes 16..   JSON header: n, m, directed, weights, stats, and for every array
                 {"offset", "dtype", "shape", "nbytes", "crc32"} with offsets from
                 the data start and the CRC-32 of the array's bytes; last,
                 "header_crc32", the CRC-32 of the header's JSON without this key
    data start = 16 + L rounded up to 64; every array starts on a 64-byte boundary

Version 2 was the same with BLAKE2b-128 digests ("blake2b", "header_blake2b"); it is
still read. Version 3 checks with CRC-32 because the check runs on every load (a cached
graph too) and CRC-32 runs at memory speed (23 MB in 6 ms, BLAKE2b 29 ms): it is there
to catch a damaged or changed file, which CRC-32 detects (every burst of up to 32 bits,
any other change but with probability 2^-32), not a forged one.

A file cannot lie: :func:`load_graph` checks the version, the array lengths against
n and m, every array's checksum (hashed in blocks, so a file larger than RAM is
checked while it stays memory-mapped), and then the ranges: index pointers
monotone from 0 to m, node indices in [0, n), probabilities finite in [0, 1],
weights finite and >= 0, the shared in-probabilities consistent, and sorted ids.
Any failure is an InputFileError naming the file and what is wrong.

``load_graph(path, mmap=True)`` maps the file read-only and returns a Graph whose
arrays are views into the mapping, so a graph larger than the RAM left free can
still be used (pages are read as the kernels touch them). String ids are stored as
a fixed-width unicode array.
"""
from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
import zlib

import numpy as np

from .._validation import InputFileError, SeedwiseError
from ._graph import Graph
from .csr import row_sums

MAGIC = b"\x93SWGRAPH"
VERSION = 3
#: the checksum of each format version read (version 1 had none)
CHECKSUM = {2: "blake2b", 3: "crc32"}
#: Bytes hashed at a time, so that checking a mapped file does not load it whole.
HASH_BLOCK = 64 << 20
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
        meta["arrays"][name] = {"offset": offset, "dtype": a.dtype.str, "shape": list(a.shape),
                                "nbytes": int(a.nbytes), "crc32": digest(a)}
        offset = _align(offset + a.nbytes)
    meta["header_crc32"] = _meta_digest(meta, "crc32")
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


def digest(a, checksum="crc32"):
    """Hex checksum ("crc32" or "blake2b", see :data:`CHECKSUM`) of an array's bytes (or
    any buffer), computed in HASH_BLOCK pieces."""
    mv = memoryview(np.ascontiguousarray(a).reshape(-1)).cast("B") if isinstance(a, np.ndarray) else memoryview(a)
    if checksum == "crc32":
        crc = 0
        for start in range(0, len(mv), HASH_BLOCK):
            crc = zlib.crc32(mv[start:start + HASH_BLOCK], crc)
        return f"{crc:08x}"
    h = hashlib.blake2b(digest_size=16)
    for start in range(0, len(mv), HASH_BLOCK):
        h.update(mv[start:start + HASH_BLOCK])
    return h.hexdigest()


def _meta_digest(meta, checksum):
    """Checksum of the header's JSON without its own checksum (key order kept, as written)."""
    rest = {k: v for k, v in meta.items() if k != f"header_{checksum}"}
    return digest(json.dumps(rest, separators=(",", ":")).encode(), checksum)


def _bad(path, why):
    return InputFileError(f"{path}: not a valid seedwise graph file ({why})")


def read_header(path):
    """(meta dict, data start offset, file size) of a binary graph file; InputFileError if invalid."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(16)
            if head[:8] != MAGIC:
                raise _bad(path, "wrong magic bytes")
            if len(head) < 16:
                raise _bad(path, f"truncated: {size} bytes, the fixed header alone has 16")
            version, hlen = struct.unpack("<II", head[8:16])
            if version > VERSION:
                raise _bad(path, f"format version {version} is newer than this seedwise reads ({VERSION}); "
                                 "upgrade seedwise, or convert the text edge list again")
            if version not in CHECKSUM:
                raise _bad(path, f"format version {version} has no checksums; this seedwise reads versions "
                                 f"{min(CHECKSUM)}-{VERSION}: convert the text edge list again (seedwise convert)")
            if hlen > size - 16:
                raise _bad(path, f"truncated: the header needs {hlen} bytes, the file has {size - 16} after it")
            text = f.read(hlen)
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        meta = json.loads(text.decode())
    except (ValueError, UnicodeDecodeError) as exc:
        raise _bad(path, f"corrupt JSON header: {exc}") from None
    if not isinstance(meta, dict):
        raise _bad(path, "corrupt JSON header: not an object")
    checksum = CHECKSUM[version]
    if meta.get(f"header_{checksum}") != _meta_digest(meta, checksum):
        raise _bad(path, "checksum mismatch in the header: the file was changed or damaged")
    return meta, _align(16 + hlen), size


def load_graph(path, mmap=True, *, check=True):
    """Load a graph written by :func:`save_graph`, verified.

    Parameters
    ----------
    path : str or os.PathLike
    mmap : bool, default True
        Map the file read-only instead of reading it: the arrays are views of the
        mapping (``np.memmap``), pages are read on demand and the file may be larger
        than the free RAM. With False the file is read into one writable buffer.
    check : bool, default True
        Verify every array's checksum and the ranges (index pointers
        monotone from 0 to m, indices in [0, n), probabilities finite in [0, 1],
        weights finite and >= 0, sorted ids): one pass over the file. Only code that
        has just written the file itself should pass False.

    Returns
    -------
    Graph

    Raises
    ------
    InputFileError
        Missing, truncated, corrupt or newer-version file; the message names the
        file and what is wrong.
    """
    path = os.fspath(path)
    meta, data_start, size = read_header(path)
    checksum = "crc32" if "header_crc32" in meta else "blake2b"  # as read_header verified
    try:
        n, m = int(meta["n"]), int(meta["m"])
        specs = meta["arrays"]
        if n < 1 or m < 0:
            raise _bad(path, f"n={n}, m={m}")
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
            if list(spec["shape"]) != [want] or int(spec["nbytes"]) != want * dt.itemsize:
                raise _bad(path, f"{name} has shape {spec['shape']}, expected [{want}] (n={n}, m={m})")
            start = data_start + int(spec["offset"])
            stop = start + want * dt.itemsize
            if start < data_start or stop > size:
                raise _bad(path, f"truncated: {name} ends at byte {stop}, the file has {size}")
            arrays[name] = buf[start:stop].view(dt)
            if check and digest(buf[start:stop], checksum) != spec[checksum]:
                raise _bad(path, f"checksum mismatch in {name}: the file was changed or damaged")
    except InputFileError:
        raise
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise _bad(path, f"inconsistent header: {type(exc).__name__} {exc}") from None
    if check:
        check_arrays(path, n, m, arrays, str(meta["weights"]))
    stats = dict(meta.get("stats") or {})
    return Graph(
        n=n, m=m, directed=bool(meta["directed"]), weights=str(meta["weights"]), stats=stats, **arrays
    )


def check_arrays(path, n, m, arrays, weights):
    """Raise InputFileError (naming ``path``) unless the arrays of a graph are in range."""
    for side in ("out", "in"):
        indptr, indices = arrays[f"{side}_indptr"], arrays[f"{side}_indices"]
        if indptr[0] != 0 or indptr[-1] != m or np.any(indptr[1:] < indptr[:-1]):
            raise _bad(path, f"corrupt {side}_indptr (not monotone from 0 to m={m})")
        if m and (int(indices.min()) < 0 or int(indices.max()) >= n):
            raise _bad(path, f"{side}_indices out of range [0, {n})")
        prob = arrays[f"{side}_prob"]
        if m and not (np.isfinite(prob).all() and prob.min() >= 0 and prob.max() <= 1):
            raise _bad(path, f"{side}_prob holds values that are not probabilities in [0, 1]")
        weight = arrays[f"{side}_weight"]
        if m and not (np.isfinite(weight).all() and weight.min() >= 0):
            raise _bad(path, f"{side}_weight holds values that are not finite numbers >= 0")
    shared = arrays["in_shared_p"]
    if not (np.isfinite(shared).all() and ((shared == -1) | ((shared >= 0) & (shared <= 1))).all()):
        raise _bad(path, "in_shared_p out of range")
    if weights in ("wc", "counts") and m:  # these schemes give LT-valid in-weights (sum <= 1)
        sums = row_sums(arrays["in_indptr"], arrays["in_prob"])
        if sums.max() > 1 + 1e-5:
            raise _bad(path, f"in-weights of a {weights!r} graph sum to {sums.max():.4g} > 1 at a node")
    ids = arrays["ids"]
    if n > 1 and not (ids[1:] > ids[:-1]).all():
        raise _bad(path, "node ids are not sorted and distinct")
