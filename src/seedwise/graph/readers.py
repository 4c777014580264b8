"""Small input files that name nodes of a graph: seeds, APs, capacities, inviters,
willingness and observed (truth) pairs.

Every reader opens its file through :func:`open_text` (plain, gzip, bz2 or xz,
detected by the magic bytes; UTF-8, or UTF-16/32 with a BOM; pipes read to the end)
and maps ids to dense ids through :func:`lookup_ids`, which uses the one strict id
parser of :mod:`seedwise.ids`, so that a missing file, a bad encoding or an unknown
id reads the same whatever the file. Errors name the file and the line.
"""
from __future__ import annotations

import csv
import errno
import json
import os
import re

import numpy as np

from .._textio import read_text, table_rows
from .._validation import InputFileError, SeedwiseError, validated
from ..ids import lookup, parse_id, parse_number

__all__ = ["MissingFileError", "lookup_ids", "open_text", "read_aps", "read_capacities", "read_inviters",
           "read_pairs", "read_rows", "read_seeds", "read_willingness", "typed_ids"]


class MissingFileError(SeedwiseError, FileNotFoundError):
    """An input file that does not exist (both a SeedwiseError and a FileNotFoundError)."""


# ------------------------------------------------------------------ text
def open_text(path, what):
    """Text of a (possibly compressed) file, a pipe or ``-`` (stdin), read to its end.

    UTF-8 with or without a BOM, or UTF-16/32 with a BOM (see :mod:`seedwise._textio`).

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
        A folder or device, a broken compressed stream, text that is not UTF-8 (the
        byte offset is named), or a control character such as NUL (file:line named).
    """
    path = os.fspath(path)
    if path != "-" and not os.path.lexists(path):
        raise MissingFileError(errno.ENOENT, f"{what} file not found: {path}", path)
    return read_text(path, what)


def read_rows(path, what):
    """Data lines of a small text table: (line numbers, field lists).

    ``#`` lines and blank lines are skipped; fields are separated by commas, tabs
    or spaces, and a line with double quotes is read by the csv module
    (:func:`seedwise._textio.table_rows`).
    """
    name = os.fspath(path)
    rows = table_rows(open_text(name, what), name)
    return [no for no, _ in rows], [f for _, f in rows]


def _field_counts(fields):
    return np.fromiter(map(len, fields), dtype=np.int64, count=len(fields))


# ------------------------------------------------------------------ ids
def typed_ids(tokens):
    """Ints where every token is a strict int64 integer (:func:`seedwise.ids.parse_id`), the
    tokens as text otherwise."""
    parsed = [parse_id(t) for t in tokens]
    if all(isinstance(x, int) for x in parsed):
        return parsed
    return [str(t) for t in tokens]


def _is_int(x):
    try:
        return isinstance(parse_id(x), int)
    except SeedwiseError:
        return False


def lookup_ids(where, tokens):
    """Dense ids of ``tokens`` (original ids or their text) in ``where``, -1 where absent.

    The one place where ids given by users are matched, by the strict parser of
    :mod:`seedwise.ids`: on a graph with integer ids a token names a node when it is
    canonical int64 text or an int (3.0 names node 3; "007", "+3", "3_0", "٣", 3.5 and
    "x" name nothing); string ids are compared as whole text, never truncated.
    ``where`` is a Graph, or anything with a sorted ``ids`` array (a SpreadTruth), or
    that array.

    Returns
    -------
    int64 ndarray (len(tokens),)
    """
    known = getattr(where, "ids", where)
    tokens = tokens.tolist() if isinstance(tokens, np.ndarray) else list(tokens)
    return lookup(known, tokens)


# ------------------------------------------------------------------ seeds
def read_seeds(path):
    """Node ids from a seeds file, as strings (``graph.index_of`` maps them).

    Accepted: one id per line or several separated by commas/whitespace (``#``
    comments allowed), the CSV that ``seedwise select --output x.csv`` writes
    (a ``rank,seed`` header: the ``seed`` column is read; quoted ids holding
    ``,`` ``;`` ``#`` ``"`` or spaces come back exactly), or a JSON list or object
    with a ``seeds`` list (as ``seedwise select --json`` prints).

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
        for lineno, fields in table_rows(text, path):
            lower = [x.lower() for x in fields]
            if not ids and column is None and "seed" in lower:
                column = lower.index("seed")  # CSV header
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
    for no, fields in table_rows(open_text(path, "capacities"), os.fspath(path)):
        if len(fields) != 2:
            raise InputFileError(f"{path}:{no}: expected two columns 'id k_u'; got {' '.join(fields)[:80]!r}")
        token, value = fields
        k_u = parse_id(value)
        if not isinstance(k_u, int) or k_u <= 0:
            shown = k_u if isinstance(k_u, int) else f"{value!r} (not ASCII digits fitting int64)"
            raise InputFileError(f"{path}:{no}: capacity must be an integer >= 1; got {shown}")
        out[token] = k_u
        where[token] = no
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
    """float of a number or of strict number text (:func:`seedwise.ids.parse_number`: no "0_5",
    no non-ASCII digits; "nan" gives NaN), None for anything else."""
    if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool):
        return float(x)
    try:
        return parse_number(x)
    except SeedwiseError:
        return None


#: A column name of a header line: ASCII letters first (so that "1_0" or "٣" is data, and refused)
_HEADER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*\Z")


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
    if fields and len(fields[0]) == 2 and all(_HEADER_NAME.match(x) and float_or_none(x) is None for x in fields[0]) \
            and lookup_ids(graph, fields[0][:1])[0] < 0:
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
    ints = integer_ids is not False and all(_is_int(x) for x in src + dst)
    if integer_ids and not ints:
        i = next(i for i in range(len(src)) if not (_is_int(src[i]) and _is_int(dst[i])))
        raise InputFileError(f"{name}:{numbers[i]}: node ids must be integers (the graph's ids are), "
                             f"got {' '.join(fields[i])!r}")
    if ints:
        s, d = np.array([parse_id(x) for x in src], dtype=np.int64), np.array([parse_id(x) for x in dst],
                                                                            dtype=np.int64)
    else:
        s, d = np.array(src, dtype=str), np.array(dst, dtype=str)
    if len(s) == 0:
        raise InputFileError(f"{name}: no truth pairs in the file")
    return s, d
