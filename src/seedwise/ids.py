"""One strict node-id parser for every reader (edges, seeds, APs, capacities, willingness, pairs).

A token is an **integer id** when it is canonical ASCII decimal: an optional ``-``,
then ``0`` or digits without a leading zero, fitting int64 (``-9223372036854775808``
to ``9223372036854775807``). Everything else (``+5``, ``007``, ``1_0``, ``٣``, ``1e3``,
twenty digits) is a **string id**, matched exactly: never truncated, never read
through Python's lenient ``int()``. Two different texts are never the same node.
Tokens holding NUL or another control character are refused, because they are
invisible in messages and numpy's fixed-width strings drop trailing NULs.

Numbers in files (probabilities, counts, capacities, willingness) go through
:func:`parse_number`: ASCII decimal or exponent notation only, no underscores, no
non-ASCII digits (Python's ``float()`` accepts both).
"""
from __future__ import annotations

import re

import numpy as np

from ._validation import SeedwiseError

__all__ = ["parse_id", "parse_number", "check_token", "lookup", "find_control", "id_array"]

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,18})\Z")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_SPECIAL = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def find_control(text):
    """Index of the first control character (other than tab) in ``text``, or -1."""
    m = _CONTROL.search(text)
    return -1 if m is None else m.start()


def check_token(token, where=""):
    """Raise SeedwiseError (naming ``where``, e.g. "file:line") if ``token`` holds a control character."""
    i = find_control(token)
    if i >= 0:
        at = f"{where}: " if where else ""
        raise SeedwiseError(
            f"{at}id {token[:i]!r}+{token[i]!r}... holds control character {ord(token[i]):#04x}; "
            "ids must be printable text"
        )
    return token


def parse_id(token, where=""):
    """The id a token names: an int for canonical int64 decimal text, else the string itself.

    Parameters
    ----------
    token : str, int or numpy integer
        Text from a file or a value passed to the API (Python ints must fit int64).
    where : str, optional
        "file:line" put in front of error messages.

    Returns
    -------
    int or str

    Raises
    ------
    SeedwiseError
        A control character in the text, a bool, or a non-text non-int value.
    """
    if isinstance(token, (bool, np.bool_)):
        raise SeedwiseError(f"{where + ': ' if where else ''}a node id cannot be a bool ({token!r})")
    if isinstance(token, (int, np.integer)):
        v = int(token)
        return v if INT64_MIN <= v <= INT64_MAX else str(v)
    if isinstance(token, (float, np.floating)):
        if np.isfinite(token) and float(token).is_integer() and INT64_MIN <= token < 2.0**63:
            return int(token)  # 3.0 from a float column names node 3; 3.5 names nothing
        raise SeedwiseError(f"{where + ': ' if where else ''}node id {token!r} is not an integer")
    if isinstance(token, bytes):
        raise SeedwiseError(f"{where + ': ' if where else ''}node ids are text, not bytes ({token[:20]!r})")
    if not isinstance(token, str):
        raise SeedwiseError(f"{where + ': ' if where else ''}node ids are ints or strings; got "
                            f"{type(token).__name__} {token!r}")
    check_token(token, where)
    if _INT.match(token) and token != "-0":
        v = int(token)
        if INT64_MIN <= v <= INT64_MAX:
            return v
    return token


def parse_number(text, where="", what="value"):
    """float of strict ASCII number text (``0.5``, ``1e-3``, ``nan`` and ``inf`` spelt out).

    Raises SeedwiseError naming ``where`` for anything else (``0_5``, ``٠.٥``, ``0x1``, "").
    """
    t = text.strip() if isinstance(text, str) else text
    if isinstance(t, str) and (_NUMBER.match(t) or t.lower() in _SPECIAL):
        return float(t)
    at = f"{where}: " if where else ""
    raise SeedwiseError(f"{at}{what} {text!r} is not a number (ASCII digits, '.', exponent)")


def id_array(ids):
    """Parsed ids as a numpy array: int64 when every id is an int, else str (ints spelt in decimal)."""
    parsed = [parse_id(x) for x in ids]
    if parsed and all(isinstance(x, int) for x in parsed):
        return np.array(parsed, dtype=np.int64)
    return np.array([str(x) for x in parsed], dtype=str) if parsed else np.zeros(0, dtype=np.int64)


def lookup(graph_ids, ids):
    """Dense index of each of ``ids`` in the sorted ``graph_ids`` (-1 where absent), matched exactly.

    An int id matches only an integer graph id; a string id only the identical
    string (on a graph with string ids an int id matches its decimal text, the way
    the graph reader spells it).
    """
    parsed = [parse_id(x) for x in ids]
    out = np.full(len(parsed), -1, dtype=np.int64)
    if not parsed or len(graph_ids) == 0:
        return out
    if graph_ids.dtype.kind in "iu":
        sel = np.array([i for i, x in enumerate(parsed) if isinstance(x, int)], dtype=np.int64)
        if len(sel) == 0:
            return out
        arr = np.array([parsed[i] for i in sel], dtype=np.int64)
    else:
        sel = np.arange(len(parsed))
        arr = np.array([str(x) for x in parsed], dtype=str)  # its own width: never truncated
    pos = np.minimum(np.searchsorted(graph_ids, arr), len(graph_ids) - 1)
    found = graph_ids[pos] == arr
    out[sel[found]] = pos[found]
    return out
