"""Small input files that name nodes of a graph: seeds, APs, capacities, inviters,
willingness and observed (truth) pairs.

Every reader opens its file through :func:`open_text` (plain or gzip, detected by the
magic bytes, UTF-8 with or without a BOM) and maps ids to dense ids through
:func:`lookup_ids`, so that a missing file, a bad encoding or an unknown id reads
the same whatever the file. Errors name the file and the line.
"""
from __future__ import annotations

import csv
import errno
import gzip
import json
import os
import re

import numpy as np

from .._validation import InputFileError, SeedwiseError, validated

__all__ = ["MissingFileError", "lookup_ids", "open_text", "read_aps", "read_capacities", "read_inviters",
           "read_pairs", "read_rows", "read_seeds", "read_willingness", "typed_ids"]


class MissingFileError(SeedwiseError, FileNotFoundError):
    """An input file that does not exist (both a SeedwiseError and a FileNotFoundError)."""


# ------------------------------------------------------------------ text
def open_text(path, what):
    """Text of a (possibly gzip-compressed) UTF-8 file, BOM removed.

    Parameters
    ----------
    path : str or os.PathLike
    what : str
        What the file holds ("AP", "seeds", ...), for the messages.

    Returns
    -------
    str

    Raises
    ------
    MissingFileError
        No such file.
    InputFileError
        A folder, a broken gzip stream or text that is not UTF-8.
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise MissingFileError(errno.ENOENT, f"{what} file not found: {path}", path) from None
    except OSError as e:
        raise InputFileError(f"cannot read {what} file {path}: {e.strerror or e}") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as e:
            raise InputFileError(f"{path}: {what} file is not a valid gzip file ({e})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputFileError(f"{path}: {what} file is not UTF-8 text (byte {e.start})") from None


def read_rows(path, what):
    """Data lines of a small text table: (line numbers, field lists).

    ``#`` lines and blank lines are skipped; fields are separated by commas, tabs
    or spaces (one pass of C-level string methods).
    """
    lines = open_text(path, what).replace(",", " ").splitlines()
    fields = list(map(str.split, lines))
    keep = [i for i, f in enumerate(fields) if f and not f[0].startswith("#")]
    return [i + 1 for i in keep], [fields[i] for i in keep]


def _field_counts(fields):
    return np.fromiter(map(len, fields), dtype=np.int64, count=len(fields))


# ------------------------------------------------------------------ ids
def typed_ids(tokens):
    """Ints where every token is an integer, strings otherwise."""
    try:
        return [int(t) for t in tokens]
    except ValueError:
        return list(tokens)


def _int_or_none(x):
    try:
        v = int(x)
    except (TypeError, ValueError, OverflowError):
        return None
    return v if -2**63 <= v < 2**63 else None


def lookup_ids(where, tokens):
    """Dense ids of ``tokens`` (original ids or their text) in ``where``, -1 where absent.

    The one place where ids given by users are parsed. ``where`` is a Graph, or
    anything with a sorted ``ids`` array (a SpreadTruth), or that array. Where the
    ids are integers a token names a node when it is an integer (3.0 names node 3;
    3.5 and "x" name nothing); string ids are compared as text.

    Returns
    -------
    int64 ndarray (len(tokens),)
    """
    known = getattr(where, "ids", where)
    tokens = tokens.tolist() if isinstance(tokens, np.ndarray) else list(tokens)
    if len(tokens) == 0 or len(known) == 0:
        return np.full(len(tokens), -1, dtype=np.int64)
    if known.dtype.kind in "iu":
        arr = np.asarray(tokens)
        if arr.dtype.kind == "f":
            ok = np.isfinite(arr) & (arr == np.round(arr))
            ids = np.where(ok, arr, 0).astype(np.int64)
        else:
            try:
                ids, ok = np.array(tokens, dtype=np.int64), np.ones(len(tokens), dtype=bool)
            except (ValueError, OverflowError, TypeError):
                ok = np.array([_int_or_none(t) is not None for t in tokens], dtype=bool)
                ids = np.array([_int_or_none(t) if o else 0 for t, o in zip(tokens, ok)], dtype=np.int64)
    else:
        ids, ok = np.array([str(t) for t in tokens], dtype=str), np.ones(len(tokens), dtype=bool)
    pos = np.minimum(np.searchsorted(known, ids), len(known) - 1)
    return np.where(ok & (known[pos] == ids), pos, -1)


# ------------------------------------------------------------------ seeds
_SPLIT = re.compile(r"[\s,;]+")


def read_seeds(path):
    """Node ids from a seeds file, as strings (``graph.index_of`` maps them).

    Accepted: one id per line or several separated by commas/whitespace (``#``
    comments allowed), the CSV that ``seedwise select --output x.csv`` writes
    (a ``rank,seed`` header: the ``seed`` column is read), or a JSON list or
    object with a ``seeds`` list (as ``seedwise select --json`` prints).

    Raises
    ------
    MissingFileError
    InputFileError
        A file with no ids or a JSON file without a ``seeds`` list.
    """
    path = os.fspath(path)
    text = open_text(path, "seeds")
    if text.lstrip().startswith(("{", "[")):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputFileError(f"{path} line {e.lineno}: not valid JSON ({e.msg})") from None
        if isinstance(obj, dict):
            obj = obj.get("seeds")
        if not isinstance(obj, list) or not all(isinstance(x, (int, str)) and not isinstance(x, bool) for x in obj):
            raise InputFileError(f"{path}: expected a JSON list of ids or an object with a 'seeds' list")
        ids = [str(x) for x in obj]
    else:
        ids = []
        column = None
        for lineno, line in enumerate(text.splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x for x in _SPLIT.split(line) if x]
            if not ids and column is None and "seed" in [x.lower() for x in fields]:
                column = [x.lower() for x in fields].index("seed")  # CSV header
                continue
            if column is not None:
                if column >= len(fields):
                    raise InputFileError(f"{path} line {lineno}: expected a value in column {column + 1} (seed)")
                ids.append(fields[column])
            else:
                ids.extend(fields)
    if not ids:
        raise InputFileError(f"{path}: no seed ids found")
    return ids


META_KEYS = ("model", "weights", "graph", "algorithm", "directed")


def read_result_meta(path):
    """What a result file records about its run: ``model``, ``weights``, ``graph``, ... (a dict,
    empty when it records nothing).

    Reads the keys of a JSON object, or the columns of that name in the first row of a
    CSV written by ``seedwise select --output``.
    """
    path = os.fspath(path)
    text = open_text(path, "seeds")
    if text.lstrip().startswith("{"):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError:
            return {}
    else:
        rows = [r for r in csv.reader(ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))]
        if len(rows) < 2 or "model" not in rows[0]:
            return {}
        obj = dict(zip(rows[0], rows[1]))
    return {k: obj[k] for k in META_KEYS if k in obj and obj[k] not in (None, "")}


# ------------------------------------------------------------------ CIM: APs and capacities
@validated
def read_aps(path, ap_set=1):
    """Read an AP (active participant) set from a file, plain or gzip-compressed.

    Two formats are accepted; lines starting with ``#`` and blank lines are skipped:

    - one id per line (``query-*-ap5.txt.gz``): the whole file is one AP set;
    - the CIM query-set format of Zhang et al.'s ``*.ap`` files (``cim-*.ap.gz``):
      one AP set per line, ids separated by commas without spaces, e.g.
      ``232,74,195``. ``ap_set`` picks line N (1-based, after skipped lines).

    A file in which no line holds a comma is read as one id per line (so a CIM file
    whose sets all have a single id reads as one set); use the CIM format with at
    least one comma to give several sets.

    Parameters
    ----------
    path : str or path-like
    ap_set : int, default 1
        Which set of a CIM query-set file (1 = the first line). Must be 1 for a
        one-id-per-line file.

    Returns
    -------
    list
        Original node ids in file order, repeats removed (ints where every id is an
        integer, strings otherwise).

    Raises
    ------
    SeedwiseError
        Missing file, empty file, ``ap_set`` out of range, or a line with several
        whitespace-separated fields (an edge list given by mistake), naming file:line.
    """
    lines = [(i + 1, ln.strip()) for i, ln in enumerate(open_text(path, "AP").splitlines())]
    lines = [(no, ln) for no, ln in lines if ln and not ln.startswith("#")]
    if not lines:
        raise InputFileError(f"{path}: no AP ids (the file is empty or only has # comments)")
    if any("," in ln for _, ln in lines):
        if ap_set > len(lines):
            raise SeedwiseError(
                f"ap_set must be in [1, {len(lines)}]: {path} holds {len(lines)} AP set"
                f"{'s' if len(lines) > 1 else ''} (one per line); got {ap_set}")
        no, line = lines[ap_set - 1]
        tokens = [t.strip() for t in line.split(",")]
        if any(not t or len(t.split()) > 1 for t in tokens):
            raise InputFileError(f"{path}:{no}: expected comma-separated ids without gaps; got {line[:80]!r}")
    else:
        if ap_set != 1:
            raise SeedwiseError(
                f"ap_set must be 1: {path} is one id per line (a single AP set); got {ap_set}. "
                "Files with several sets list one set per line, ids separated by commas.")
        tokens = []
        for no, line in lines:
            if len(line.split()) > 1:
                raise InputFileError(
                    f"{path}:{no}: expected one AP id per line (or comma-separated sets); got {line[:80]!r}")
            tokens.append(line)
    return list(dict.fromkeys(typed_ids(tokens)))


def read_capacities(path, graph=None):
    """Read per-AP capacities: two whitespace-separated columns ``id k_u`` per line.

    Lines starting with ``#`` and blank lines are skipped; plain or gzip.

    Parameters
    ----------
    path : str or path-like
    graph : Graph, optional
        When given, every id must be a node of it.

    Returns
    -------
    dict
        Original id -> k_u (int >= 1). A repeated id keeps its last value.

    Raises
    ------
    SeedwiseError
        A line without exactly two fields, a k_u that is not an integer >= 1, or an
        id that is not in ``graph``; the message names file:line.
    """
    out = {}
    where = {}
    for i, raw in enumerate(open_text(path, "capacities").splitlines()):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) != 2:
            raise InputFileError(f"{path}:{i + 1}: expected two columns 'id k_u'; got {line[:80]!r}")
        token, value = fields
        try:
            k_u = int(value)
        except ValueError:
            raise InputFileError(f"{path}:{i + 1}: capacity must be an integer >= 1; got {value!r}") from None
        if k_u <= 0:
            raise InputFileError(f"{path}:{i + 1}: capacity must be an integer >= 1; got {k_u}")
        out[token] = k_u
        where[token] = i + 1
    if not out:
        raise InputFileError(f"{path}: no capacities (the file is empty or only has # comments)")
    ids = typed_ids(list(out))
    if graph is not None:
        known = lookup_ids(graph, ids) >= 0
        if not known.all():
            bad = [t for t, ok in zip(out, known) if not ok]
            raise InputFileError(
                f"{path}:{where[bad[0]]}: id {bad[0]} is not a node of the graph"
                f"{f' ({len(bad)} unknown ids in all)' if len(bad) > 1 else ''}")
    return dict(zip(ids, out.values()))


# ------------------------------------------------------------------ HIM: inviters, willingness, pairs
def read_inviters(path):
    """Inviter ids from a file: one id per line, ``#`` comments, ``.gz`` allowed.

    Returns the ids as strings, in file order (duplicates kept).

    Raises
    ------
    InputFileError
        A line with more than one field (file:line named).
    """
    numbers, fields = read_rows(path, "inviter")
    bad = _field_counts(fields) != 1
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputFileError(f"{os.fspath(path)}:{numbers[i]}: expected one inviter id per line, "
                             f"got {len(fields[i])} fields")
    return [f[0] for f in fields]


def float_or_none(x):
    """float(x), NaN for the text "nan", None where x is not a number."""
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan") if str(x).strip().lower() == "nan" else None


def read_willingness(path, graph):
    """Per-node willingness U from a file of ``id value`` lines (default 1 for absent nodes).

    ``#`` comments, comma/space/tab separators, ``.gz`` and an optional header line
    (a first line of two words that are not numbers) are accepted.

    Returns
    -------
    float64 ndarray (n,)

    Raises
    ------
    InputFileError
        Naming file:line for a line without exactly two fields, an id that is not a
        node, a repeated id, or a value that is not a number in [0, 1].
    """
    name = os.fspath(path)
    numbers, fields = read_rows(path, "willingness")
    if fields and len(fields[0]) == 2 and all(float_or_none(x) is None for x in fields[0]):
        numbers, fields = numbers[1:], fields[1:]  # a header such as "id,willingness"
    bad = _field_counts(fields) != 2
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputFileError(f"{name}:{numbers[i]}: expected 'id value', got {len(fields[i])} fields")
    tokens = [f[0] for f in fields]
    dense = lookup_ids(graph, tokens)
    if (dense < 0).any():
        i = int(np.flatnonzero(dense < 0)[0])
        raise InputFileError(f"{name}:{numbers[i]}: node id {tokens[i]} is not in the graph "
                             f"({int((dense < 0).sum())} unknown ids in the file)")
    values = np.array([float_or_none(f[1]) for f in fields], dtype=np.float64)
    bad = ~np.isfinite(values) | (values < 0) | (values > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputFileError(f"{name}:{numbers[i]}: willingness must be a number in [0, 1], got {fields[i][1]!r}")
    _, first, counts = np.unique(dense, return_index=True, return_counts=True)
    if (counts > 1).any():
        i = int(np.sort(first[counts > 1])[0])
        later = np.flatnonzero(dense == dense[i])[1]
        raise InputFileError(f"{name}:{numbers[later]}: node id {tokens[later]} repeated (first on line {numbers[i]})")
    u = np.ones(graph.n, dtype=np.float64)
    u[dense] = values
    return u


_HEADER_WORDS = {"uid", "frienduid", "src", "dst", "source", "target", "from", "to", "u", "v",
                 "inviter", "invitee", "user", "friend", "id", "w", "weight"}


def _is_int(x):
    return _int_or_none(x) is not None


def _is_header(fields, integer_ids):
    first = fields[0]
    if len(first) < 2:
        return False
    words = {x.lower() for x in first}
    if words <= _HEADER_WORDS:
        return True
    if integer_ids is False:
        return False
    numeric = _is_int(first[0]) and _is_int(first[1])
    nxt = fields[1] if len(fields) > 1 else None
    return not numeric and nxt is not None and len(nxt) >= 2 and _is_int(nxt[0]) and _is_int(nxt[1])


def read_pairs(path, *, integer_ids=None):
    """Read pairs ``inviter invitee`` (one per line) as two parallel id arrays.

    Accepted: ``#`` comment lines, whitespace- or comma-separated fields, a header
    line (e.g. HIM's ``uid,frienduid`` CSV with a UTF-8 BOM), gzip, and a third
    column (a weight, ignored), so that an edge list like higgs-mention.txt.gz
    reads too.

    Parameters
    ----------
    path : str or PathLike
    integer_ids : bool, optional
        Ids must be integers (True), are strings (False), or integers if every id
        is one (None).

    Returns
    -------
    src, dst : ndarray (int64, or str)

    Raises
    ------
    InputFileError
        A line without 2 or 3 fields, a non-integer id where integers are required,
        or no pairs; the message names file:line.
    """
    name = os.fspath(path)
    numbers, fields = read_rows(path, "truth-pair")
    if fields and _is_header(fields, integer_ids):
        numbers, fields = numbers[1:], fields[1:]
    lens = _field_counts(fields)
    bad = (lens < 2) | (lens > 3)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputFileError(f"{name}:{numbers[i]}: expected 'inviter invitee' (2 fields, or 3 with a weight), "
                             f"got {lens[i]} field{'s' if lens[i] != 1 else ''}: {' '.join(fields[i])!r}")
    src = [f[0] for f in fields]
    dst = [f[1] for f in fields]
    if integer_ids is not False:
        try:
            s, d = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
        except (ValueError, OverflowError):
            if integer_ids:
                i = next(i for i in range(len(src)) if not (_is_int(src[i]) and _is_int(dst[i])))
                raise InputFileError(f"{name}:{numbers[i]}: node ids must be integers (the graph's ids are), "
                                     f"got {' '.join(fields[i])!r}") from None
            s, d = np.array(src, dtype=str), np.array(dst, dtype=str)
    else:
        s, d = np.array(src, dtype=str), np.array(dst, dtype=str)
    if len(s) == 0:
        raise InputFileError(f"{name}: no truth pairs in the file")
    return s, d
