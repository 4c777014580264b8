"""Read embeddings (one example per row) from .npy, .npz, .csv or .parquet files."""
from __future__ import annotations

import io
import os

import numpy as np

from ..._validation import InputFileError, SeedwiseError
from ...graph.readers import MissingFileError, open_text

FORMATS = (".npy", ".npz", ".csv", ".parquet")


def read_embeddings(path, key=None):
    """The (n, d) array stored in ``path``; the suffix picks the format.

    Parameters
    ----------
    path : str or os.PathLike
        ``.npy`` (memory-mapped), ``.npz`` (the array named ``key``, or its only
        array), ``.csv`` (numbers separated by commas, an optional header line) or
        ``.parquet`` (numeric columns, or the list column named ``key``; needs
        pyarrow).
    key : str, optional
        Array of an ``.npz`` file or list column of a parquet file.

    Returns
    -------
    ndarray (n, d)

    Raises
    ------
    MissingFileError
        No such file (a SeedwiseError and a FileNotFoundError).
    InputFileError
        An unknown suffix, a missing or ambiguous key, a malformed file (the
        message names the file and, for CSV, the line).
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise MissingFileError(f"embeddings file not found: {path}")
    ext = os.path.splitext(path)[1].lower()
    if ext not in FORMATS:
        raise InputFileError(f"{path}: embeddings must be {', '.join(FORMATS)} (the suffix picks the format)")
    if key is not None and ext in (".npy", ".csv"):
        raise InputFileError(f"{path}: --key applies to .npz and .parquet files only")
    try:
        if ext == ".npy":
            return np.load(path, mmap_mode="r", allow_pickle=False)
        if ext == ".npz":
            return _npz(path, key)
    except (ValueError, OSError, EOFError) as e:
        raise InputFileError(f"{path}: not a readable numpy file ({e})") from None
    if ext == ".csv":
        return _csv(path)
    return _parquet(path, key)


def _npz(path, key):
    with np.load(path, allow_pickle=False) as z:
        names = list(z.files)
        if key is None:
            if len(names) != 1:
                raise InputFileError(f"{path} holds {len(names)} arrays ({', '.join(names) or 'none'}); "
                                     f"choose one with --key")
            key = names[0]
        if key not in names:
            raise InputFileError(f"{path} has no array {key!r}; it holds {', '.join(names)}")
        return z[key]


def _csv(path):
    """Numbers separated by commas, one example per line, an optional header line (.gz too)."""
    text = open_text(path, "embeddings")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise InputFileError(f"{path}: no rows")
    try:
        [float(x) for x in first.split(",")]
        skip = 0
    except ValueError:
        skip = 1  # a header line
    try:
        return np.loadtxt(io.StringIO(text), delimiter=",", skiprows=skip, dtype=np.float64, ndmin=2)
    except ValueError as e:
        raise InputFileError(f"{path}: {e}") from None


def _parquet(path, key):
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise SeedwiseError(".parquet embeddings need pyarrow: pip install 'seedwise[ideal]'") from None
    try:
        table = pq.read_table(path)
    except Exception as e:  # noqa: BLE001 - pyarrow raises many kinds
        raise InputFileError(f"{path}: not a readable parquet file ({e})") from None
    if key is not None:
        if key not in table.column_names:
            raise InputFileError(f"{path} has no column {key!r}; it has {', '.join(table.column_names)}")
        col = table.column(key).to_pylist()
        try:
            return np.array(col, dtype=np.float64)
        except (TypeError, ValueError):
            raise InputFileError(f"{path}: column {key!r} is not a list of equal-length number vectors") from None
    import pyarrow.types as pt

    bad = [f.name for f in table.schema if not (pt.is_integer(f.type) or pt.is_floating(f.type))]
    if bad:
        raise InputFileError(f"{path}: columns {', '.join(bad)} are not numbers; give the list column of "
                             f"embeddings with --key, or keep only numeric columns")
    return np.column_stack([table.column(c).to_numpy() for c in table.column_names]).astype(np.float64)
