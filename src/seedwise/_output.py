"""Writing results: JSON with typed node ids, CSV, both atomically.

A result file is either complete or absent: text goes to a temporary file in the
target's folder, then ``os.replace`` renames it, so a crash or Ctrl-C never leaves a
half-written file where a script expects a result.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile

FORMATS = (".csv", ".json")


def jsonable(obj):
    """``obj`` with numpy scalars/arrays turned into Python values and NaN/inf into None.

    Node ids keep their type: Python ints stay JSON numbers, strings stay strings
    (the output rule of issue 2: ids as they were read).
    """
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, int):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    tolist = getattr(obj, "tolist", None)  # numpy scalars and arrays
    if tolist is not None:
        return jsonable(tolist())
    return str(obj)


def dumps(obj, indent=None):
    """JSON text of ``obj`` (see :func:`jsonable`), strict: never NaN."""
    return json.dumps(jsonable(obj), indent=indent, allow_nan=False)


def format_of(path):
    """".csv" or ".json" from the file name; SeedwiseError otherwise."""
    ext = os.path.splitext(str(path))[1].lower()
    if ext not in FORMATS:
        from ._validation import SeedwiseError

        raise SeedwiseError(f"--output must end in .csv or .json (the suffix picks the format); got {str(path)!r}")
    return ext


def check_output_path(path, suffixes=FORMATS, flag="--output"):
    """Fail before the work starts if ``path`` cannot be written: its suffix picks the
    format (one of ``suffixes``) and its folder must exist."""
    if path is None:
        return
    ext = os.path.splitext(str(path))[1].lower()
    if ext not in suffixes:
        from ._validation import SeedwiseError

        raise SeedwiseError(f"{flag} must end in {' or '.join(suffixes)} (the suffix picks the format); "
                            f"got {str(path)!r}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(2, f"folder for {flag} does not exist", folder)


def write_atomic(path, text):
    """Write ``text`` to ``path`` through a temporary file and ``os.replace``."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a result file gets the mode open() would give
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def csv_text(header, rows):
    """CSV text with a header line (values written as ``str``)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write_result(path, obj, header, rows):
    """Write ``obj`` as JSON or ``header``/``rows`` as CSV, chosen by the suffix of ``path``."""
    if format_of(path) == ".json":
        write_atomic(path, dumps(obj, indent=2) + "\n")
    else:
        write_atomic(path, csv_text(header, rows))
