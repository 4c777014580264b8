"""The judge of hostile-input cases (see :mod:`hostile` for the generators): the naive
reference, written here without seedwise's parsers (text, edge lists, exact spread),
the :class:`Case` record, and :func:`run_case` / :func:`judge`, which run a case
in-process (``seedwise.cli.main``) and give its outcome class (``CLASSES``).
"""
from __future__ import annotations

import bz2
import codecs
import contextlib
import gzip
import io
import itertools
import math
import os
import re
import signal
import stat
import sys
import tempfile
import threading
from dataclasses import dataclass, field

CLASSES = ("clear error", "valid answer", "wrong answer", "internal error", "hang", "lost output")

INT64 = re.compile(r"-?(?:0|[1-9][0-9]{0,18})\Z")
NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
SEPS = " \t,\r\x0b\x0c"
_SPLIT = re.compile(r"[ \t,\r\x0b\x0c]+")
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


# ----------------------------------------------------------------- references
def is_int_id(token):
    """Canonical int64 decimal text (the rule of seedwise.ids, written again)."""
    return bool(INT64.match(token)) and token != "-0" and -(2**63) <= int(token) < 2**63


def naive_text(data):
    """Decoded text, or None where a correct reader must refuse the bytes."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(enc)
            except UnicodeDecodeError:
                return None
            break
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if any((ord(c) < 32 and c not in "\t\n\r\x0b\x0c") or c == "\x7f" for c in text):
        return None
    return text


def naive_graph(data, weights="wc", directed=True):
    """(n, m) of an edge list as the documented format defines it, or None for "must refuse"."""
    for magic, unpack in ((b"\x1f\x8b", gzip.decompress), (b"BZh", bz2.decompress)):
        if data.startswith(magic):
            try:
                data = unpack(data)
            except Exception:  # noqa: BLE001 - any corrupt stream must be refused
                return None
    text = naive_text(data)
    if text is None:
        return None
    records = []
    for line in text.split("\n"):
        body = line.strip(SEPS)
        if not body or body[0] in "#%":
            continue
        records.append(_SPLIT.split(body))
    if not records:
        return None
    if any(len(r) not in (2, 3) for r in records):
        return None
    first, rest = records[0], records[1:]
    if (not is_int_id(first[0]) and not is_int_id(first[1]) and rest
            and all(is_int_id(r[0]) and is_int_id(r[1]) for r in rest)):
        records = rest  # CSV column names: neither id field of the first line is an integer
    elif (len(first) == 2 and rest and all(is_int_id(t) for r in records for t in r[:2])
          and int(first[0]) > 0 and int(first[1]) == len(rest)
          and all(0 <= int(t) < int(first[0]) for r in rest for t in r[:2])):
        records = rest  # NetHEPT "n m" header
    if len({len(r) for r in records}) != 1:
        return None
    cols = len(records[0])
    if weights in ("given", "counts") and cols != 3:
        return None
    if cols == 3:
        for r in records:
            if not NUMBER.match(r[2]):
                return None
            x = float(r[2])
            if not math.isfinite(x) or x < 0 or (weights == "given" and x > 1):
                return None
    nodes = {t for r in records for t in r[:2]}
    edges = {(r[0], r[1]) for r in records if r[0] != r[1]}
    if not directed:
        edges |= {(b, a) for a, b in edges}
    if not edges:
        return None
    return len(nodes), len(edges)


def exact_spread(edges, probs, seeds):
    """sigma(seeds) under IC by enumerating every live-edge world (tiny graphs only)."""
    nodes = sorted({x for e in edges for x in e} | set(seeds))
    total = 0.0
    for live in itertools.product((0, 1), repeat=len(edges)):
        p = 1.0
        for bit, q in zip(live, probs):
            p *= q if bit else 1 - q
        if p == 0:
            continue
        out = {v: [] for v in nodes}
        for bit, (a, b) in zip(live, edges):
            if bit:
                out[a].append(b)
        seen, stack = set(seeds), list(seeds)
        while stack:
            for w in out[stack.pop()]:
                if w not in seen:
                    seen.add(w)
                    stack.append(w)
        total += p * len(seen)
    return total


# ----------------------------------------------------------------- cases
@dataclass
class Case:
    """Files (name -> bytes, or a callable(dir) making a special file), a command line whose
    ``{d}`` is the case's folder, and the reference: ``expect`` "error" or "ok", and
    ``check(d, out)`` raising AssertionError when an answer (stdout JSON or text) is wrong."""

    kind: str
    files: dict
    argv: list
    expect: str
    check: object = None
    outputs: tuple = ()
    env: dict = field(default_factory=dict)
    stdin: bytes | None = None
    note: str = ""


class _Hang(BaseException):
    pass


def _alarm(*_):
    raise _Hang


def run_case(case, root, timeout=60.0):
    """(class, detail) of running ``case`` in a fresh folder under ``root``."""
    from seedwise.cli import main

    d = tempfile.mkdtemp(dir=root)
    specials = []
    for name, content in case.files.items():
        path = os.path.join(d, name)
        if callable(content):
            specials.append(content(path))
        else:
            with open(path, "wb") as f:
                f.write(content)
    before = {n: _snapshot(os.path.join(d, n)) for n in case.files}
    outs_before = {o: _snapshot(os.path.join(d, o)) for o in case.outputs}
    argv = [a.replace("{d}", d) for a in case.argv]
    old_env = {k: os.environ.get(k) for k in case.env}
    os.environ.update(case.env)
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    status = None
    crash = None
    try:
        if case.stdin is not None:
            sys.stdin = _pipe_stdin(case.stdin)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
    except _Hang:
        return "hang", " ".join(argv)
    except BaseException as exc:  # noqa: BLE001 - any escape from main() is a crash
        crash = f"{type(exc).__name__}: {exc}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if sys.stdin is not old_stdin:
            sys.stdin.close()
            sys.stdin = old_stdin
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        for s in specials:
            if s is not None:
                s()
    stdout, stderr = out.getvalue(), err.getvalue()
    if crash is not None or status not in (0, 2) or "internal error" in stderr or "Traceback" in stderr:
        return "internal error", crash or stderr.strip()[-300:]
    for n, snap in before.items():
        if _snapshot(os.path.join(d, n)) != snap:
            return "lost output", f"input {n} changed"
    if status == 2:
        lines = [ln for ln in stderr.splitlines() if ln.startswith("seedwise: error:")]
        if len(lines) != 1:
            return "internal error", f"error without one clear line: {stderr.strip()[-300:]}"
        for o, snap in outs_before.items():
            if _snapshot(os.path.join(d, o)) != snap:
                return "lost output", f"output {o} written or changed by a failed run"
        leftovers = [x for x in os.listdir(d) if x.endswith(".tmp") or x.startswith(".swg-convert-")]
        if leftovers:
            return "lost output", f"temporary files left: {leftovers}"
        if case.expect == "ok":
            return "wrong answer", f"refused a valid input: {lines[0]}"
        return "clear error", lines[0]
    if case.expect == "error":
        return "wrong answer", f"accepted an invalid input ({case.note}): {stdout.strip()[:200]}"
    try:
        if case.check is not None:
            case.check(d, stdout)
    except AssertionError as exc:
        return "wrong answer", f"{case.note}: {exc}"
    except Exception as exc:  # noqa: BLE001 - an output the check cannot read is lost
        return "lost output", f"{type(exc).__name__}: {exc}"
    return "valid answer", ""


def _snapshot(path):
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISREG(st.st_mode):
        with open(path, "rb") as f:
            return f.read()
    return ("special", stat.S_IFMT(st.st_mode))


def _pipe_stdin(data):
    r, w = os.pipe()

    def feed():
        with os.fdopen(w, "wb") as f:
            f.write(data)

    threading.Thread(target=feed, daemon=True).start()
    return os.fdopen(r, "r")


def judge(case, root, timeout=60.0):
    """run_case, with "either" cases (the reference allows an error or the checked answer) folded in."""
    cls, detail = run_case(case, root, timeout)
    return cls, detail


def warm_up():
    """Load (or compile) the numba kernels of every command the cases run, outside any time
    limit: an alarm raised inside numba's compiler would leave it broken for the process,
    and a cold cache (a fresh CI machine) compiles for tens of seconds."""
    from seedwise.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        files = {"g.txt": b"1 2\n1 3\n2 3\n3 4\n4 1\n1 5\n5 6\n2 6\n", "a.txt": b"1\n2\n",
                 "t.txt": b"1 3\n2 6\n", "w.txt": b"1 0.5\n", "c.txt": b"1 2\n"}
        for name, data in files.items():
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(data)
        g = ["--graph", os.path.join(tmp, "g.txt"), "--no-cache"]
        a = ["--aps", os.path.join(tmp, "a.txt")]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            for argv in (["info", *g], ["spread", *g, "--seeds", "1", "--simulations", "100"],
                         ["spread", *g, "--seeds", "1", "--method", "rr", "--rr-sets", "100"],
                         ["spread", *g, "--seeds", "1", "--model", "lt", "--simulations", "100"],
                         ["select", *g, "--k", "1"], ["select", *g, "--k", "1", "--algorithm", "celf"],
                         ["convert", g[1], os.path.join(tmp, "o.swg")],
                         ["info", "--graph", os.path.join(tmp, "o.swg")],
                         ["cim", *g, *a, "--k", "1", "--capacities", os.path.join(tmp, "c.txt")],
                         ["recommend", *g, *a, "--k", "1", "--willingness", os.path.join(tmp, "w.txt")],
                         ["recommend", *g, *a, "--k", "1", "--method", "hetero-ir"],
                         ["recommend-eval", *g, *a, "--truth", os.path.join(tmp, "t.txt")]):
                main(argv)
