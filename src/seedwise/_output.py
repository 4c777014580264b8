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


#: argparse destinations that name input files: an output may be none of them.
INPUT_ARGS = ("graph", "seeds_file", "aps", "ap_file", "capacities", "willingness", "truth", "pairs",
              "inviters", "input", "source")


def input_paths(args):
    """The input files named on a command line (argparse Namespace), for :func:`check_output_path`."""
    out = []
    for name in INPUT_ARGS:
        value = getattr(args, name, None)
        if isinstance(value, (str, os.PathLike)):
            out.append(value)
    return out


def check_output_path(path, suffixes=FORMATS, flag="--output", inputs=()):
    """Fail before the work starts if ``path`` cannot be written: its suffix picks the
    format (one of ``suffixes``), its folder must exist, it must not be a folder, and it
    must not be the same file as any of ``inputs`` (``os.path.samefile``)."""
    if path is None:
        return
    from ._validation import SeedwiseError

    ext = os.path.splitext(str(path))[1].lower()
    if suffixes is not None and ext not in suffixes:
        raise SeedwiseError(f"{flag} must end in {' or '.join(suffixes)} (the suffix picks the format); "
                            f"got {str(path)!r}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(2, f"folder for {flag} does not exist", folder)
    if os.path.isdir(path):
        raise SeedwiseError(f"{flag} {os.fspath(path)} is a folder; give a file name")
    refuse_overwrite(path, inputs, flag)


def refuse_overwrite(path, inputs, flag="--output"):
    """SeedwiseError when ``path`` is the same file as one of ``inputs`` (which it would replace)."""
    from ._validation import SeedwiseError

    for src in inputs:
        try:
            same = os.path.samefile(path, src)
        except (OSError, ValueError):
            same = False  # one of them does not exist (yet): nothing to overwrite
        if same:
            raise SeedwiseError(f"{flag} {os.fspath(path)} is the input file {os.fspath(src)}; writing it would "
                                "destroy the input: choose another name")


def write_atomic(path, text):
    """Write ``text`` to ``path`` through a temporary file and ``os.replace``.

    Errors name ``path``, never the temporary file.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, path) from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a result file gets the mode open() would give
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror, path) from None
        raise


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _needs_quotes(row):
    """True when a field would be misread by a lenient reader unless quoted: it starts
    with ``#`` (a comment), has ``;`` (a separator) or surrounding or inner spaces."""
    return any(isinstance(x, str) and (x[:1] == "#" or ";" in x or x != x.strip() or " " in x)
               for x in row)


def csv_text(header, rows):
    """CSV text with a header line, written by the csv module and read back exactly by it.

    The csv module quotes fields with ``,``, ``"`` or line breaks; a row with a field
    that starts with ``#`` or holds ``;`` or spaces is written fully quoted,
    so that no id is taken for a comment or split. numpy scalars are written as the
    Python values they hold.
    """
    buf = io.StringIO()
    minimal = csv.writer(buf, lineterminator="\n")
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in [header, *rows]:
        row = [x.item() if hasattr(x, "item") and not isinstance(x, str) else x for x in row]
        (quoted if _needs_quotes(row) else minimal).writerow(row)
    return buf.getvalue()


def write_result(path, obj, header, rows):
    """Write ``obj`` as JSON or ``header``/``rows`` as CSV, chosen by the suffix of ``path``."""
    if format_of(path) == ".json":
        write_atomic(path, dumps(obj, indent=2) + "\n")
    else:
        write_atomic(path, csv_text(header, rows))
