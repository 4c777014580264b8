"""Hostile inputs for every reader and CLI command: the case generators and the campaign.

A :class:`Case` (``hostile_judge.py``, with the naive reference and the judge) is a set of
files, a command line and what a correct seedwise must do with them, decided by a naive
reference written without seedwise's parsers: either a clear error, or an answer the case's
``check`` verifies. Running a case (in-process, ``seedwise.cli.main``) gives one outcome class:

- ``clear error``: exit status 2 and one line ``seedwise: error: ...`` on stderr,
  where the reference says the input is invalid;
- ``valid answer``: exit status 0 and an answer the reference accepts;
- ``wrong answer``: exit 0 where the reference wants an error, an error where it
  wants an answer, or an answer that differs from the reference;
- ``internal error``: a traceback, exit 1, or "internal error";
- ``hang``: no result within the time limit;
- ``lost output``: an input file changed, or an output left partial or written
  after a failure.

The CI suite (``test_hostile.py``) runs the hand-written cases and a few hundred
hypothesis examples; ``bench/bench_reliability.py`` runs thousands of generated cases
and writes the counts per class to ``docs/reliability.md``.
"""
from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import json
import math
import os
import tempfile
import threading

import numpy as np
from hostile_judge import (
    _SPLIT,
    CLASSES,
    NUMBER,
    SEPS,
    Case,
    exact_spread,
    is_int_id,
    judge,
    naive_graph,
    naive_text,
    warm_up,
)


# ----------------------------------------------------------------- special files
def fifo_with_writer(data):
    """A FIFO whose writer (a thread) sends ``data`` once a reader opens it."""

    def make(path):
        os.mkfifo(path)
        stop = threading.Event()

        def write():
            while not stop.is_set():
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:
                    stop.wait(0.01)
                    continue
                os.set_blocking(fd, True)
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                return

        t = threading.Thread(target=write, daemon=True)
        t.start()

        def done():
            stop.set()
            t.join(1)
        return done
    return make


def fifo_without_writer(path):
    os.mkfifo(path)
    return None


# ----------------------------------------------------------------- checks
def check_info(n, m):
    def check(d, out):
        obj = json.loads(out)
        assert (obj["nodes"], obj["edges"]) == (n, m), f"info says {(obj['nodes'], obj['edges'])}, reference {(n, m)}"
    return check


def _check_swg(n, m):
    def check(d, out):
        from seedwise.graph import load_graph
        g = load_graph(os.path.join(d, "o.swg"))
        assert (g.n, g.m) == (n, m), f"converted graph has {(g.n, g.m)}, reference {(n, m)}"
    return check


def check_spread(edges, probs, seeds, label=None):
    """Seeds reported as given (ids exactly) and mean within 6 standard errors of the exact spread."""
    exact = exact_spread(edges, probs, seeds)

    def check(d, out):
        obj = json.loads(out)
        got = [str(x) for x in obj["seeds"]]
        assert sorted(got) == sorted(set(seeds)), f"seeds {got}, reference {sorted(set(seeds))}"
        sims = obj["simulations"]
        se = max(math.sqrt(len(set(edges) | {(0, 0)}) ** 2 / sims), 1e-9)
        assert abs(obj["spread"] - exact) <= 6 * se + 1e-6, f"spread {obj['spread']}, exact {exact}"
    return check


def wc_probs(edges):
    indeg = {}
    for _, b in edges:
        indeg[b] = indeg.get(b, 0) + 1
    return [1.0 / indeg[b] for _, b in edges]


# ----------------------------------------------------------------- generators
HOSTILE_CHARS = [",", ";", "#", '"', " ", "é", "日", "\u00a0", "\u2028", "٣", "_", "+", "-", "0", "\t", "%",
                 "\x00", "\x01", "\x7f", "'", "\\", "\ufeff", "𝟙", "ß"]
NUMBERS_OK = ["0.5", "1", "0", ".25", "5.", "1e-3", "1E-2", "+0.5", "-0", "0.30000000000000004",
              "0.1234567890123456789", "1e0"]
NUMBERS_BAD = ["0_5", "٠.٥", "0x1", "nan", "inf", "-1", "1e400", "", "1,5", "½", "1..2", "e5", "１", "NaN", "+", "-inf"]


def random_id(rng, hostile=True):
    """An id token: canonical ints, near-ints ("007", "+5", "1_0", 20 digits) or hostile text."""
    kind = rng.integers(0, 6 if hostile else 2)
    if kind == 0:
        return str(int(rng.integers(0, 50)))
    if kind == 1:
        return rng.choice(["a", "b", "c", "node", "x1", "ü", "日本"]) + str(int(rng.integers(0, 20)))
    if kind == 2:
        return rng.choice(["007", "+5", "1_0", "-0", "٣", "12345678901234567890", "9223372036854775807",
                           "9223372036854775808", "-9223372036854775808", "1e3", "3.0", "１"])
    base = "".join(rng.choice(["a", "b", "7", "z"]) for _ in range(int(rng.integers(1, 4))))
    pos = int(rng.integers(0, len(base) + 1))
    return base[:pos] + str(rng.choice(HOSTILE_CHARS)) + base[pos:]


def edge_list_text(rng, n_edges, hostile=True, third=None):
    ids = [random_id(rng, hostile) for _ in range(int(rng.integers(2, 7)))]
    sep = str(rng.choice([" ", "\t", ",", " , ", "  "]))
    lines = ["# generated"] if rng.random() < 0.7 else []
    for _ in range(n_edges):
        a, b = rng.choice(ids), rng.choice(ids)
        row = [str(a), str(b)]
        if third is not None:
            row.append(str(third(rng)))
        lines.append(sep.join(row))
        if rng.random() < 0.1:
            lines.append(str(rng.choice(["", "% konect", "   ", "#c"])))
    eol = str(rng.choice(["\n", "\r\n"]))
    return eol.join(lines) + (eol if rng.random() < 0.8 else "")


def mutate(rng, data):
    """One random byte-level mutation of ``data``."""
    kind = int(rng.integers(0, 11))
    b = bytearray(data)
    if kind == 0 and b:
        b[int(rng.integers(0, len(b)))] = int(rng.integers(0, 256))
    elif kind == 1:
        b = b[: int(rng.integers(0, len(b) + 1))]
    elif kind == 2:
        pos = int(rng.integers(0, len(b) + 1))
        b[pos:pos] = bytes([int(rng.integers(0, 256)) for _ in range(int(rng.integers(1, 4)))])
    elif kind == 3:
        return data.decode("utf-8", "replace").encode(str(rng.choice(["utf-16", "utf-32", "utf-8-sig"])))
    elif kind == 4:
        return data.decode("utf-8", "replace").encode(str(rng.choice(["utf-16-le", "utf-32-be"])))
    elif kind == 5:
        return data.decode("utf-8", "replace").encode("latin-1", "replace") + b"\xe9"
    elif kind == 6:
        return gzip.compress(data, mtime=0)
    elif kind == 7:
        z = gzip.compress(data, mtime=0)
        return z[: max(2, len(z) // 2)]
    elif kind == 8:
        pos = int(rng.integers(0, len(b) + 1))
        b[pos:pos] = b"\x00"
    elif kind == 9:
        return bz2.compress(data)
    return bytes(b)


GOOD_GRAPH = "a b\nb c\nc a\nc d\n"
GOOD_EDGES = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]


def graph_case(rng):
    """A random edge list, often mutated, read by ``info``; the reference gives n, m or refuses."""
    weights = str(rng.choice(["wc", "wc", "given", "counts"]))
    third = None
    if weights != "wc" or rng.random() < 0.2:
        third = (lambda r: r.choice(NUMBERS_OK + NUMBERS_BAD)) if rng.random() < 0.5 else \
            (lambda r: r.choice(NUMBERS_OK))
    data = edge_list_text(rng, int(rng.integers(1, 9)), third=third).encode("utf-8")
    if rng.random() < 0.6:
        data = mutate(rng, data)
    ref = naive_graph(data, weights)
    argv = ["info", "--graph", "{d}/g.txt", "--weights", weights, "--no-cache", "--json"]
    if ref is None:
        return Case("edge list", {"g.txt": data}, argv, "error", note=f"{data[:80]!r}")
    return Case("edge list", {"g.txt": data}, argv, "ok", check_info(*ref), note=f"{data[:80]!r}")


def seeds_case(rng):
    """Seed ids (text, csv file, json file) against a small graph with hostile string ids."""
    ids = list(dict.fromkeys(random_id(rng) for _ in range(5)))
    # ids that the edge-list format cannot hold are left out: separators, a leading comment
    # sign, and U+FEFF first (at the start of the file it is the byte-order mark)
    ids = [x for x in ids if naive_text(x.encode()) is not None and _SPLIT.split(x.strip(SEPS)) == [x]
           and x[:1] not in "#%\ufeff" and x] or ["a", "b"]
    if len(ids) < 2:
        ids = ids + ["zz"]
    edges = [(ids[i], ids[(i + 1) % len(ids)]) for i in range(len(ids))]
    text = "".join(f"{a} {b}\n" for a, b in edges)
    seeds = [str(rng.choice(ids)) for _ in range(int(rng.integers(1, 3)))]
    bogus = rng.random() < 0.4
    if bogus:
        seeds.append(str(rng.choice([ids[0] + "X", ids[0][:-1] or "q", ids[0] + "\x00", " " + ids[0],
                                     "007", "1_0", "٣", "99999999999999999999"])))
    form = int(rng.integers(0, 3))
    files = {"g.txt": text.encode()}
    if form == 0:
        tokens = [s.strip() for s in seeds]
        if any("," in s or not s.strip() for s in seeds) or any(s != s.strip() for s in seeds):
            form = 1
        else:
            argv = ["spread", "--graph", "{d}/g.txt", "--seeds=" + ",".join(tokens)]
    if form == 1:
        buf = io.StringIO()
        import csv
        w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
        w.writerow(["rank", "seed"])
        for i, s in enumerate(seeds, 1):
            w.writerow([i, s])
        files["s.csv"] = buf.getvalue().encode()
        argv = ["spread", "--graph", "{d}/g.txt", "--seeds-file", "{d}/s.csv"]
    elif form == 2:
        files["s.json"] = json.dumps({"seeds": seeds}).encode()
        argv = ["spread", "--graph", "{d}/g.txt", "--seeds-file", "{d}/s.json"]
    argv += ["--simulations", "4000", "--json", "--no-cache"]
    unknown = [s for s in seeds if s not in ids]
    note = f"ids {ids!r} seeds {seeds!r}"
    if unknown:
        return Case("seed ids", files, argv, "error", note=note)
    return Case("seed ids", files, argv, "ok", check_spread(edges, wc_probs(edges), seeds), note=note)


def roundtrip_case(rng):
    """select --output x.csv|json, then spread --seeds-file: the ids must come back exactly."""
    pool = ["a;b", "c#d", 'e"f', "ü", "日本", "x", "y%z", "q'r", "\\s", "#t", "u,v", "w x", "5", "007"]
    ids = list(rng.choice(pool, size=int(rng.integers(3, 6)), replace=False))
    # the edge-list format splits at commas and spaces and takes '#' first as a comment:
    # those ids go in through the API's seeds, not through the edge list
    ids = [x for x in ids if "," not in x and " " not in x and x[:1] not in "#%"] or ["x", "y"]
    if len(ids) < 2:
        ids.append("zz")
    edges = [(ids[i], ids[(i + 1) % len(ids)]) for i in range(len(ids))]
    text = "".join(f"{a} {b}\n" for a, b in edges)
    suffix = str(rng.choice([".csv", ".json"]))
    k = int(rng.integers(1, len(ids) + 1))

    def check(d, out):
        from seedwise.cli import main
        sel = json.loads(out)["seeds"]
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
            rc = main(["spread", "--graph", f"{d}/g.txt", "--seeds-file", f"{d}/out{suffix}", "--json",
                       "--simulations", "10", "--no-cache"])
        assert rc == 0, "the written seeds file does not read back"
        back = json.loads(buf.getvalue())["seeds"]
        assert [str(x) for x in back] == [str(x) for x in sel], f"wrote {sel}, read back {back}"
    argv = ["select", "--graph", "{d}/g.txt", "--k", str(k), "--output", "{d}/out" + suffix, "--json",
            "--no-cache"]
    return Case("round trip", {"g.txt": text.encode()}, argv, "ok", check, note=f"ids {ids!r}")


def binary_case(rng):
    """A .swg with one corruption: a flipped byte, a truncation or another version."""
    from seedwise.graph import read_graph, save_graph

    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "g.txt")
        with open(p, "w") as f:
            f.write(GOOD_GRAPH)
        save_graph(read_graph(p, cache=False), os.path.join(tmp, "g.swg"))
        with open(os.path.join(tmp, "g.swg"), "rb") as f:
            clean = f.read()
    b = bytearray(clean)
    kind = int(rng.integers(0, 4))
    if kind == 0:
        header_end = 16 + int.from_bytes(clean[12:16], "little")
        pos = int(rng.integers(0, header_end)) if rng.random() < 0.5 else int(rng.integers(0, len(b)))
        b[pos] ^= 1 << int(rng.integers(0, 8))
    elif kind == 1:
        b = b[: int(rng.integers(0, len(b)))]
    elif kind == 2:
        b[8:12] = int(rng.choice([0, 1, 3, 99, 2**32 - 1])).to_bytes(4, "little")
    else:
        b[12:16] = int(rng.integers(0, 2**32)).to_bytes(4, "little")
    data = bytes(b)
    argv = ["info", "--graph", "{d}/g.swg", "--json"]
    if data == clean:
        return Case("binary file", {"g.swg": data}, argv, "ok", check_info(4, 4))
    # a flip in the 64-byte alignment padding changes nothing that is read: the answer must be the clean one
    return Case("binary file", {"g.swg": data}, argv, "either", check_info(4, 4), note=f"kind {kind}")


def cache_case(rng, root):
    """A text graph above the cache threshold whose cache entry is corrupted: the answer must be the clean one."""
    from seedwise.graph.io import CACHE_MIN_BYTES

    lines = [f"{i} {(i * 7 + 1) % 500}" for i in range(CACHE_MIN_BYTES // 8 + 10)]
    text = ("\n".join(lines) + "\n").encode()
    ref = naive_graph(text)
    cache = os.path.join(root, f"cache-{int(rng.integers(0, 2**31))}")

    def make(path):
        from seedwise.graph import read_graph
        from seedwise.graph.io import _cache_file
        with open(path, "wb") as f:
            f.write(text)
        read_graph(path, cache_dir=cache)
        entry = _cache_file(path, True, "wc", cache)
        with open(entry, "r+b") as f:
            size = os.path.getsize(entry)
            pos = int(rng.integers(16, size))
            f.seek(pos)
            old = f.read(1)
            f.seek(pos)
            f.write(bytes([old[0] ^ 0xFF]))
        return None
    return Case("corrupted cache", {"g.txt": make}, ["info", "--graph", "{d}/g.txt", "--json"], "ok",
                check_info(*ref), env={"SEEDWISE_CACHE_DIR": cache})


def stream_case(rng):
    """stdin ('-'), a FIFO with and without a writer, /dev/zero, a folder."""
    data = GOOD_GRAPH.encode()
    if rng.random() < 0.3:
        data = gzip.compress(data, mtime=0)
    kind = int(rng.integers(0, 7))
    argv = ["info", "--graph", "{d}/g", "--json", "--no-cache"]
    if kind == 5:
        return Case("stream", {}, ["convert", "-", "{d}/o.swg", "--json"], "ok", _check_swg(4, 4), stdin=data)
    if kind == 6:
        return Case("stream", {"g": fifo_with_writer(data)}, ["convert", "{d}/g", "{d}/o.swg", "--json"], "ok",
                    _check_swg(4, 4))
    if kind == 0:
        return Case("stream", {}, ["info", "--graph", "-", "--json"], "ok", check_info(4, 4), stdin=data)
    if kind == 1:
        return Case("stream", {"g": fifo_with_writer(data)}, argv, "ok", check_info(4, 4))
    if kind == 2:
        return Case("stream", {"g": fifo_without_writer}, argv, "error", env={"SEEDWISE_FIFO_TIMEOUT": "0.3"})
    if kind == 3:
        return Case("stream", {}, ["info", "--graph", "/dev/zero", "--json"], "error")
    return Case("stream", {}, ["info", "--graph", "{d}", "--json"], "error")


def options_case(rng):
    """Extreme or malformed options on a valid graph."""
    files = {"g.txt": GOOD_GRAPH.encode(), "h.txt": b"a c\nb c\n", "a.txt": b"a\nc\n"}
    g = ["--graph", "{d}/g.txt", "--no-cache"]
    choices = [
        (["spread", *g, "--seeds", "a", "--simulations", "1e12"], "error"),
        (["spread", *g, "--seeds", "a", "--method", "rr", "--rr-sets", "1e12"], "error"),
        (["spread", *g, "--seeds", "a", "--simulations", "1e12", "--max-seconds", "1"], "error"),
        (["spread", *g, "--seeds", "a", "--simulations", "0"], "error"),
        (["spread", *g, "--seeds", "a", "--simulations", "-5"], "error"),
        (["spread", *g, "--seeds", "a", "--simulations", "nan"], "error"),
        (["select", *g, "--k", "0"], "error"),
        (["select", *g, "--k", "99999999999999999999"], "error"),
        (["select", *g, "--k", "2", "--eps", "0"], "error"),
        (["select", *g, "--k", "2", "--eps", "nan"], "error"),
        (["select", *g, "--k", "2", "--seed", "-1"], "error"),
        (["select", *g, "--k", "2", "--threads", "0"], "error"),
        (["select", *g, "--k", "2", "--output", "{d}/g.txt"], "error"),
        (["select", *g, "--k", "2", "--output", "{d}"], "error"),
        (["select", *g, "--k", "2", "--output", "{d}/no/such/x.csv"], "error"),
        (["select", *g, "--k", "2", "--output", "{d}/x.txt"], "error"),
        (["convert", "{d}/g.txt", "{d}/g.txt"], "error"),
        (["info", "--graph", "{d}/missing.txt"], "error"),
        (["spread", *g, "--seeds", "a", "--weights", "uniform:2"], "error"),
        (["spread", *g, "--seeds", "a", "--weights", "uniform:0_5"], "error"),
        (["spread", "--graph", "{d}/h.txt", "--seeds", "a", "--model", "lt", "--weights", "uniform:0.9"], "error"),
        (["select", *g, "--k", "2", "--backend", "ray", "--address", "127.0.0.1:1"], "error"),
        (["select", *g, "--k", "2", "--algorithm", "celf", "--simulations", "1e12"], "error"),
        (["recommend", *g, "--aps", "{d}/a.txt", "--k", "2", "--method", "hetero-ir", "--capacity",
          "100000000000000000000", "--json"], "ok"),
        (["recommend", *g, "--aps", "{d}/a.txt", "--k", "1000000000000000", "--json"], "ok"),
        (["cim", *g, "--aps", "{d}/a.txt", "--k", "100000000000000000000", "--json"], "ok"),
        (["spread", *g, "--seeds", "a,b", "--simulations", "2000", "--json"], "ok"),
        (["select", *g, "--k", "2", "--json"], "ok"),
    ]
    argv, expect = choices[int(rng.integers(0, len(choices)))]
    check = None
    if argv[0] == "spread" and expect == "ok":
        check = check_spread(GOOD_EDGES, wc_probs(GOOD_EDGES), ["a", "b"])
    elif argv[0] == "recommend":
        def check(d, out):
            recs = json.loads(out)["recommendations"]
            assert set(recs) == {"a", "c"}, f"inviters {sorted(recs)}"
    elif argv[0] == "cim":
        def check(d, out):
            assert set(json.loads(out)["assignments"]) == {"a", "c"}
    elif expect == "ok":
        def check(d, out):
            assert len(json.loads(out)["seeds"]) == 2
    return Case("options", files, argv, expect, check, outputs=("x.csv", "x.txt"), note=" ".join(argv))


def cim_case(rng):
    """CIM and HIM inputs (APs, capacities, willingness, truth pairs) with hostile ids and numbers."""
    files = {"g.txt": b"1 2\n1 3\n2 3\n3 4\n4 1\n1 5\n5 6\n2 6\n"}
    nodes = {"1", "2", "3", "4", "5", "6"}
    g = ["--graph", "{d}/g.txt", "--no-cache"]
    which = int(rng.integers(0, 4))
    tok = str(rng.choice(["1", "2", "007", "+1", "1_0", "٣", "1 ", "x", "99999999999999999999", "\x001", "4"]))
    num = str(rng.choice(["1", "2", "0", "-1", "1_0", "٢", "1.5", "99999999999999999999", "3", "0.5", "0_5",
                          "nan"]))
    if which == 0:  # APs
        files["a.txt"] = f"# aps\n{tok}\n".encode()
        ok = tok.strip() in nodes
        return Case("CIM APs", files, ["cim", *g, "--aps", "{d}/a.txt", "--k", "1", "--json"],
                    "ok" if ok else "error", _check_cim_aps([tok.strip()]), note=repr(tok))
    if which == 1:  # capacities
        files["a.txt"] = b"1\n2\n"
        files["c.txt"] = f"1 {num}\n".encode()
        ok = is_int_id(num) and int(num) >= 1
        return Case("CIM capacities", files, ["cim", *g, "--aps", "{d}/a.txt", "--capacities", "{d}/c.txt",
                                              "--k", "1", "--json"], "ok" if ok else "error",
                    _check_cim_aps(["1", "2"]), note=repr(num))
    if which == 2:  # willingness
        files["a.txt"] = b"1\n"
        files["w.txt"] = f"{tok} {num}\n".encode()
        ok = tok.strip() in nodes and NUMBER.match(num) is not None and 0 <= float(num) <= 1
        return Case("HIM willingness", files, ["recommend", *g, "--aps", "{d}/a.txt", "--willingness",
                                               "{d}/w.txt", "--k", "1", "--json"], "ok" if ok else "error",
                    note=f"{tok!r} {num!r}")
    files["a.txt"] = b"1\n2\n"
    files["t.txt"] = f"1 {tok}\n2 3\n".encode()
    ok = naive_text(tok.encode()) is not None and len(_SPLIT.split(tok.strip(SEPS))) == 1
    return Case("HIM truth pairs", files, ["recommend-eval", *g, "--aps", "{d}/a.txt", "--truth", "{d}/t.txt",
                                           "--json"], "either" if ok else "error", note=repr(tok))


def _check_cim_aps(expected):
    def check(d, out):
        aps = set(json.loads(out)["assignments"])
        assert aps == set(expected), f"APs {sorted(aps)}, reference {sorted(expected)}"
    return check


GENERATORS = {
    "edge list": graph_case,
    "seed ids": seeds_case,
    "round trip": roundtrip_case,
    "binary file": binary_case,
    "stream": stream_case,
    "options": options_case,
    "CIM/HIM inputs": cim_case,
}


def generate(rng, root, kinds=None):
    """One generated case of a kind drawn from ``kinds`` (all by default; the cache kind needs ``root``)."""
    kinds = list(GENERATORS) + ["corrupted cache"] if kinds is None else kinds
    kind = kinds[int(rng.integers(0, len(kinds)))]
    if kind == "corrupted cache":
        return cache_case(rng, root)
    return GENERATORS[kind](rng)


def campaign(count, seed=0, root=None, kinds=None, timeout=60.0, log=None):
    """Counts per class of ``count`` generated cases, and the details of the bad ones."""
    warm_up()
    counts = {c: 0 for c in CLASSES}
    per_kind = {}
    bad = []
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = root or tmp
        for i in range(count):
            case = generate(rng, root, kinds)
            cls, detail = judge(case, root, timeout)
            counts[cls] += 1
            per_kind.setdefault(case.kind, {c: 0 for c in CLASSES})[cls] += 1
            if cls not in ("clear error", "valid answer"):
                bad.append((i, case.kind, cls, detail))
                if log is not None:
                    log(f"case {i} ({case.kind}): {cls}: {detail}")
    return counts, per_kind, bad
