"""What meeting users where they are costs (issue 8): the spread curve, coercion from
networkx, and the format readers, each against a baseline run in the same process.

1. OPIM-C on wiki-Vote (IC, WC, k = 50, eps = 0.1, 2 threads): median of 5 runs without and
   with ``curve=True`` (the certificate of every prefix); and the share of the always-on
   prefix coverage pass on R2 (the curve's spread column) in a default run.
2. ``seedwise.maximize(nx_graph, ...)``: converting wiki-Vote from networkx, against the
   run itself.
3. Reading the same edges (wiki-Vote) as a SNAP edge list and as an edge list with string
   ids (the text parser), a CSV with a header and string ids (pyarrow), Parquet, and Matrix
   Market (scipy): median of 3 reads, no cache.

Run: .venv/bin/python bench/bench_ecosystem.py  (writes bench/out/ecosystem.md)
"""
from __future__ import annotations

import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _machine import machine

import seedwise
from seedwise import datasets
from seedwise.selection import prefix_coverage

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
THREADS = 2


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    g = seedwise.load_dataset("wiki-vote")
    run = lambda curve: seedwise.maximize(g, 50, seed=0, threads=THREADS, curve=curve)  # noqa: E731
    run(True)  # compile outside the timing
    plain, certified = median_time(lambda: run(False), 5), median_time(lambda: run(True), 5)

    # the prefix pass alone, on a collection of the size a default run ends with
    from seedwise.sampling import sample_rr_sets

    res = run(False)
    rr = sample_rr_sets(g, res.n_rr_sets // 2, seed=2, threads=THREADS)
    dense = g.index_of(res.seeds)
    prefix = median_time(lambda: prefix_coverage(rr, dense), 5)

    import networkx as nx

    u = np.repeat(np.arange(g.n), np.diff(g.out_indptr))
    G = nx.DiGraph()
    G.add_edges_from(zip(g.ids[u].tolist(), g.ids[g.out_indices].tolist()))
    convert = median_time(lambda: seedwise.from_networkx(G), 3)

    rows = []
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        src, dst = g.ids[u], g.ids[g.out_indices]
        with datasets.path("wiki-vote") as p:
            text = Path(d / "wiki.txt")
            text.write_bytes(gzip.decompress(Path(p).read_bytes()))
        named = d / "wiki-named.txt"
        named.write_text("".join(f"u{a} u{b}\n" for a, b in zip(src.tolist(), dst.tolist())))
        csv = d / "wiki.csv"
        csv.write_text("source,target\n" + "".join(f"u{a},u{b}\n" for a, b in zip(src.tolist(), dst.tolist())))
        import pandas as pd
        import scipy.io
        import scipy.sparse as sp

        pd.DataFrame({"source": src, "target": dst}).to_parquet(d / "wiki.parquet")
        A = sp.coo_matrix((np.ones(len(src)), (np.searchsorted(g.ids, src), np.searchsorted(g.ids, dst))),
                          shape=(g.n, g.n))
        scipy.io.mmwrite(d / "wiki.mtx", A)
        for label, path in (("SNAP edge list (text parser)", text),
                            ("edge list, string ids (text parser)", named), ("CSV, header, string ids (pyarrow)", csv),
                            ("Parquet (pyarrow)", d / "wiki.parquet"), ("Matrix Market (scipy.io.mmread)",
                                                                        d / "wiki.mtx")):
            seedwise.read_graph(path, cache=False)
            t = median_time(lambda path=path: seedwise.read_graph(path, cache=False), 3)
            rows.append((label, path.stat().st_size, t))
    base = rows[0][2]
    lines = [
        "# Ecosystem: curve, networkx coercion, format readers",
        "",
        f"Machine: {machine()}; {THREADS} threads; shared with other engineers' work while it ran "
        "(ratios are taken in one process).",
        f"Command: `.venv/bin/python bench/bench_ecosystem.py`; wiki-Vote ({g.n:,} nodes, {g.m:,} edges), "
        "IC, WC, k = 50, eps = 0.1.",
        "",
        "| what | median | ratio |",
        "|---|---|---|",
        f"| OPIM-C, default (curve spread and gains included) | {plain:.3f} s (5 runs) | 1.00 |",
        f"| OPIM-C, `curve=True` (certificate of every k) | {certified:.3f} s (5 runs) | {certified / plain:.2f} |",
        f"| prefix coverage pass on R2 alone ({res.n_rr_sets // 2:,} sets) | {prefix * 1000:.1f} ms (5 runs) | "
        f"{prefix / plain:.3f} of a run |",
        f"| `from_networkx` of the same graph | {convert:.3f} s (3 runs) | {convert / plain:.2f} of a run |",
        "",
        "| format (same edges, no cache) | bytes | median of 3 reads | vs edge list |",
        "|---|---|---|---|",
    ]
    lines += [f"| {label} | {size:,} | {t:.3f} s | {t / base:.2f} |" for label, size, t in rows]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "ecosystem.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
