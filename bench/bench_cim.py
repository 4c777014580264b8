"""CIM benchmark: RR-OPIM+, RR-OPIM, MG-OPIM and the local baselines on the paper's protocol.

Run from the repository root:

    .venv/bin/python bench/bench_cim.py                  # soc-Slashdot0902, 5% APs, k = 10 (issue 3)
    .venv/bin/python bench/bench_cim.py --grid           # the issue's grid (long: hours of MC)
    .venv/bin/python bench/bench_cim.py --datasets wiki-vote,cim-scinet --ks 2,5,10,20 --queries 5 \\
        --evaluate rr --eval-rr-sets 2000000

Writes bench/out/cim.md (merged into BENCHMARKS.md by the lead) and prints it.

Protocol (SPEC section 4, Zhang et al. KDD 2023): IC with weighted cascade on the graph
as the CIM code reads it (directed arcs, self-loops dropped), APs from the fixed query
files in ../shared/datasets (``query-*-ap5.txt.gz``: 5% of V; CIM graphs: the shipped
``.ap`` set, by default line 4 = 5%), plus ``--queries - 1`` further uniform 5% sets
(seeds 1, 2, ...) whose results are averaged; eps = 0.1, delta = 1/n. Every timed figure
is the median of ``--repeats`` runs after one warm-up run (numba compilation excluded);
the spread of every answer is measured on the passive graph independently of the
selection, by ``--simulations`` Monte-Carlo runs (default 10,000) or a fresh RR
collection (``--evaluate rr``).
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np
from _machine import cpu_name

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("SEEDWISE_DATA", os.path.join(os.path.dirname(ROOT), "shared", "datasets"))

import numba  # noqa: E402

from seedwise import api  # noqa: E402
from seedwise.algorithms.cim import (  # noqa: E402
    TooSlowError,
    build_query,
    cim,
    cim_spread,
    random_aps,  # noqa: E402
)
from seedwise.graph.readers import read_aps  # noqa: E402

#: name -> (graph file, directed, AP file, default AP set line or None)
DATASETS = {
    "soc-slashdot0902": ("soc-slashdot0902.txt.gz", True, "query-soc-slashdot0902-ap5.txt.gz", None),
    "wiki-vote": ("wiki-vote.txt.gz", True, "query-wiki-vote-ap5.txt.gz", None),
    "email-enron": ("email-enron.txt.gz", False, "query-email-enron-ap5.txt.gz", None),
    "ca-astroph": ("ca-astroph.txt.gz", False, "query-ca-astroph-ap5.txt.gz", None),
    "cim-dnc-corecipient": ("cim-dnc-corecipient.txt.gz", True, "cim-dnc-corecipient.ap.gz", 4),
    "cim-scinet": ("cim-scinet.txt.gz", True, "cim-scinet.ap.gz", 4),
    "cim-physic": ("cim-physic.txt.gz", True, "cim-physic.ap.gz", 4),
}
GRID_DATASETS = ["cim-physic", "cim-scinet", "cim-dnc-corecipient", "wiki-vote", "email-enron", "ca-astroph",
                 "soc-slashdot0902"]
DEFAULT_ALGORITHMS = "rr-opim+,rr-opim,mg-opim,local-degree,local-pagerank,local-opim-c"
GRID_ALGORITHMS = DEFAULT_ALGORITHMS + ",local-imm,mg-greedy,rr-greedy"
PHASES = ("query", "sampling", "selection", "total")

#: What the issue reports for the compiled C++ implementation of the paper
#: (single thread, soc-Slashdot0902, query-soc-slashdot0902-ap5, k = 10, WC).
CPP = {
    "rr-opim+": {"selection": 0.04, "spread": 55_400, "distinct": 11_400},
    "rr-opim": {"selection": 0.5},
    "mg-opim": {"selection": 2.8},
    "local-degree": {"spread": 49_700, "distinct": 6_900},
    "local-pagerank": {"spread": 49_300},
}


def load(name):
    fname, directed, _, _ = DATASETS[name]
    return api.read_graph(os.path.join(DATA, fname), directed=directed, weights="wc")


def queries(name, graph, count, ap_set):
    """[(label, AP ids)]: the shipped query first, then uniform 5% draws."""
    _, _, apfile, default_set = DATASETS[name]
    line = ap_set or default_set or 1
    out = [(f"{apfile}" + (f" (set {line})" if default_set else ""), read_aps(os.path.join(DATA, apfile), line))]
    for s in range(1, count):
        out.append((f"random 5% seed {s}", random_aps(graph, 0.05, seed=s)))
    return out


def timed(graph, query, k, algorithm, repeats, threads, options):
    """Median seconds per phase over ``repeats`` runs (after one warm-up) and the last result."""
    res = cim(graph, query, k, algorithm=algorithm, seed=0, threads=threads, **options)  # warm-up
    runs = [res]
    for _ in range(max(repeats - 1, 0)):
        runs.append(cim(graph, query, k, algorithm=algorithm, seed=0, threads=threads, **options))
    med = {p: statistics.median(r.times.get(p, 0.0) for r in runs[1:] or runs) for p in PHASES}
    return med, runs[-1]


def evaluate(graph, query, res, args, threads):
    if args.evaluate == "rr":
        return cim_spread(graph, query, res, rr_sets=args.eval_rr_sets, seed=12345, threads=threads)
    return cim_spread(graph, query, res, simulations=args.simulations, seed=12345, threads=threads)


def end_to_end(name, k):
    """Seconds of one `seedwise cim` run on a cached graph (a subprocess), if the command exists."""
    fname, directed, apfile, _ = DATASETS[name]
    exe = os.path.join(ROOT, ".venv", "bin", "seedwise")
    if not os.path.exists(exe):
        return None
    cmd = [exe, "cim", "--graph", os.path.join(DATA, fname), "--aps", os.path.join(DATA, apfile), "--k", str(k),
           "--json"] + ([] if directed else ["--undirected"])
    try:
        subprocess.run(cmd, capture_output=True, check=True, timeout=600)  # fills the cache
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, timeout=600)
        return time.perf_counter() - t, " ".join(os.path.relpath(c, ROOT) if os.path.isabs(c) else c
                                                 for c in cmd)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
        return None


def in_process(name, k, threads):
    """Median seconds of what `seedwise cim --json` does after start-up, graph cache warm."""
    from seedwise._output import dumps

    fname, directed, apfile, _ = DATASETS[name]
    times = []
    for _ in range(6):
        t = time.perf_counter()
        g = api.read_graph(os.path.join(DATA, fname), directed=directed, weights="wc")
        res = cim(g, read_aps(os.path.join(DATA, apfile)), k, threads=threads)
        dumps(res.to_dict())
        times.append(time.perf_counter() - t)
    return statistics.median(times[1:])


def fmt(x, digits=0):
    return "-" if x is None else f"{x:,.{digits}f}"


def ms(x):
    return f"{1000 * x:,.1f}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", default="soc-slashdot0902", help=f"comma-separated, of {', '.join(DATASETS)}")
    ap.add_argument("--ks", default="10", help="comma-separated capacities (default 10)")
    ap.add_argument("--algorithms", default=DEFAULT_ALGORITHMS)
    ap.add_argument("--grid", action="store_true",
                    help=f"every dataset, k in 2,5,10,20, 5 queries, algorithms {GRID_ALGORITHMS}")
    ap.add_argument("--queries", type=int, default=1, help="query sets per dataset (1 = the shipped one)")
    ap.add_argument("--ap-set", type=int, default=None, help="line of a CIM .ap file (default 4 = 5%%)")
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per algorithm (median)")
    ap.add_argument("--evaluate", choices=("mc", "rr"), default="mc")
    ap.add_argument("--simulations", type=int, default=10_000, help="MC runs on P per answer")
    ap.add_argument("--eval-rr-sets", type=int, default=2_000_000, help="RR sets for --evaluate rr")
    ap.add_argument("--threads", type=int, default=1,
                    help="threads for the timed runs (default 1, as the single-thread C++ figures)")
    ap.add_argument("--eval-threads", type=int, default=None, help="threads for the evaluation (default all)")
    ap.add_argument("--max-seconds", type=float, default=600.0, help="budget of mg-greedy / rr-greedy per run")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "cim.md"))
    args = ap.parse_args(argv)
    if args.grid:
        args.datasets, args.ks, args.queries = ",".join(GRID_DATASETS), "2,5,10,20", max(args.queries, 5)
        args.algorithms = GRID_ALGORITHMS
    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()]
    ks = [int(k) for k in args.ks.split(",")]
    algorithms = [a.strip() for a in args.algorithms.split(",") if a.strip()]
    eval_threads = args.eval_threads or numba.config.NUMBA_NUM_THREADS
    cmdline = "python bench/bench_cim.py " + " ".join(argv if argv is not None else sys.argv[1:])

    lines = [
        "# CIM: RR-OPIM+ and baselines (capacity constrained IM, issue 3)",
        "",
        f"Machine: {cpu_name()}, {os.cpu_count()} logical cores (shared with other jobs while measured); "
        f"timed runs on {args.threads} thread(s), evaluation on {eval_threads}; Python "
        f"{platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}.",
        f"Command: `{cmdline.strip()}`",
        "",
        f"Protocol: IC, weighted cascade (p = 1/in-degree on G, self-loops dropped), eps = 0.1, delta = 1/n, "
        f"seed 0. Times are medians of {args.repeats} runs after a warm-up run (ms). Spread = "
        + (f"mean of {args.simulations:,} Monte-Carlo runs on the passive graph P"
           if args.evaluate == "mc" else f"fresh {args.eval_rr_sets:,} RR sets on P")
        + " (+- half the 95% CI), measured independently of the selection. `distinct` = distinct seeds.",
    ]
    summary = {}
    for name in datasets:
        graph = load(name)
        qs = queries(name, graph, args.queries, args.ap_set)
        kind = "directed" if graph.directed else "undirected, both directions"
        lines += ["", f"## {name}: n = {graph.n:,}, m = {graph.m:,} ({kind})"]
        for k in ks:
            rows = {a: [] for a in algorithms}
            for label, aps in qs:
                t0 = time.perf_counter()
                query = build_query(graph, aps)
                qtime = time.perf_counter() - t0
                for a in algorithms:
                    greedy = a in ("mg-greedy", "rr-greedy")
                    opts = {"max_seconds": args.max_seconds, "simulations": 1000} if greedy else {}
                    try:
                        med, res = timed(graph, query, k, a, 1 if opts else args.repeats, args.threads, opts)
                    except TooSlowError as e:
                        rows[a].append({"skipped": str(e)})
                        print(f"{name} k={k} {a}: skipped ({e})", file=sys.stderr)
                        continue
                    est = evaluate(graph, query, res, args, eval_threads)
                    rows[a].append(dict(med=med, query=qtime, res=res, est=est, label=label))
                    print(f"{name} k={k} [{label}] {a}: total {med['total']:.4f} s, spread {est.mean:,.1f}, "
                          f"distinct {res.distinct_seeds:,}, RR sets {res.n_rr_sets:,}", file=sys.stderr)
            first = next(r for rs in rows.values() for r in rs if "res" in r)
            lines += ["", f"### k = {k}, {len(first['res'].ap_ids):,} APs"
                      + (f" ({qs[0][0]})" if len(qs) == 1 else f" (average over {len(qs)} query sets: {qs[0][0]} "
                         f"and {len(qs) - 1} uniform 5% draws)")
                      + f", {len(first['res'].aps_without_candidates):,} without candidates; building the query "
                        f"(candidates, P) {first['query'] * 1000:,.0f} ms",
                      "",
                      "| algorithm | sampling | selection | total | RR sets | distinct | spread on P | +- "
                      "| own estimate | ratio |",
                      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
            for a in algorithms:
                ok = [r for r in rows[a] if "res" in r]
                if not ok:
                    lines.append(f"| {a} | refused: estimated over --max-seconds | | | | | | | | |")
                    continue
                def mean(f, ok=ok):
                    return statistics.fmean(f(r) for r in ok)

                half = mean(lambda r: (r["est"].ci95[1] - r["est"].ci95[0]) / 2)
                own = [r["res"].spread for r in ok if r["res"].spread is not None]
                ratio = [r["res"].ratio for r in ok if r["res"].ratio is not None]
                entry = dict(sampling=mean(lambda r: r["med"]["sampling"]),
                             selection=mean(lambda r: r["med"]["selection"]),
                             total=mean(lambda r: r["med"]["total"]), rr=mean(lambda r: r["res"].n_rr_sets),
                             distinct=mean(lambda r: r["res"].distinct_seeds), spread=mean(lambda r: r["est"].mean))
                summary[(name, k, a)] = entry
                lines.append(
                    f"| {a} | {ms(entry['sampling'])} | {ms(entry['selection'])} | {ms(entry['total'])} | "
                    f"{fmt(entry['rr'])} | {fmt(entry['distinct'])} | {fmt(entry['spread'], 1)} | {fmt(half, 1)} | "
                    f"{fmt(statistics.fmean(own), 1) if own else '-'} | "
                    f"{f'{statistics.fmean(ratio):.3f}' if ratio else '-'} |")
    # ---- the comparison
    key = ("soc-slashdot0902", 10)
    if all((*key, a) in summary for a in ("rr-opim+", "rr-opim")):
        plus, van = summary[(*key, "rr-opim+")], summary[(*key, "rr-opim")]
        lines += ["", "## Against the C++ implementation of the paper "
                      "(soc-Slashdot0902, query-soc-slashdot0902-ap5, k = 10)",
                  "", "| algorithm | selection C++ (s) | selection seedwise (s) | spread C++ | spread seedwise | "
                      "distinct C++ | distinct seedwise |", "|---|---:|---:|---:|---:|---:|---:|"]
        for a, ref in CPP.items():
            s = summary.get((*key, a))
            if s is None:
                continue
            lines.append(f"| {a} | {ref.get('selection', '-')} | {s['selection']:.4f} | {fmt(ref.get('spread'))} | "
                         f"{fmt(s['spread'])} | {fmt(ref.get('distinct'))} | {fmt(s['distinct'])} |")
        locals_ = [summary[(*key, a)]["spread"] for a in algorithms if a.startswith("local-") and (*key, a) in summary]
        lines += ["", f"- RR-OPIM / RR-OPIM+: total time {van['total'] / plus['total']:.1f}x, selection "
                      f"{van['selection'] / plus['selection']:.1f}x, "
                      f"sampling {van['sampling'] / max(plus['sampling'], 1e-9):.1f}x, "
                      f"RR sets {van['rr'] / plus['rr']:.1f}x (C++: selection 0.5 / 0.04 = 12.5x).",
                  f"- RR-OPIM+ spread / C++ figure: {plus['spread'] / 55_400:.3f}"
                  + (f"; / best local baseline: {plus['spread'] / max(locals_):.3f}" if locals_ else "") + "."]
        lines.append(f"- In-process `seedwise cim` work on the cached graph (read_graph from the binary cache, "
                     f"read_aps, cim with RR-OPIM+, JSON text): "
                     f"{in_process('soc-slashdot0902', 10, args.threads):.3f} s "
                     f"(median of 5).")
        e2e = end_to_end("soc-slashdot0902", 10)
        if e2e:
            lines.append(f"- Whole `seedwise cim` command on the cached graph (process start, graph load, query, "
                         f"RR-OPIM+, JSON): {e2e[0]:.2f} s (`{e2e[1]}`).")
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
