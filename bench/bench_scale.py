"""Scale benchmark (issue 5): time and peak memory vs m on R-MAT graphs, Ray vs local.

Usage::

    python bench/bench_scale.py [--edges 1e6 1e7] [--threads 2] [--ray] [--cim]
                                [--workdir /tmp/seedwise-bench] [--out bench/out/scale.md]

Every measurement runs in a fresh subprocess (``--one``) so that ``ru_maxrss``
is the peak of that run alone: the graph is memory-mapped from the binary file
(generated once, seeded), then OPIM-C (k=50, eps=0.1, IC, WC) or RR-OPIM+ (5%
random APs, k=10) runs on ``--threads`` threads. Reported: seconds, peak RSS,
the RSS right after loading the graph, bytes of peak RSS per edge, RR entries,
and the MemoryGuard's estimate for the same run, which must be >= the growth of
anonymous memory (sampled RssAnon) plus the whole graph: pages of the memory-mapped
graph count in ru_maxrss (with read-ahead) but the OS can drop them, so they cannot
get the run killed.
The log-log slope of time vs m is fitted over the sizes run. With ``--ray``,
OPIM-C also runs on a local Ray cluster (2 workers) on the largest graph, and
the seeds are compared with the single-process run. Finally a table projects
what a cluster of 16 GiB machines needs for a 3 B-edge graph.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rss_now(field="VmRSS"):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


class AnonPeak:
    """Samples RssAnon (memory the OS cannot reclaim by dropping file pages) every 5 ms.

    ru_maxrss also counts the pages of the memory-mapped graph file, which the
    kernel reads ahead and can drop under pressure; the budget is about the rest.
    """

    def __init__(self):
        import threading

        self.peak = rss_now("RssAnon")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_now("RssAnon"))

    def stop(self):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_now("RssAnon"))
        return self.peak


def one(spec):
    """Run one measurement in this process; print a JSON line."""
    import numpy as np

    import seedwise.algorithms.cim  # noqa: F401  (imports before the baseline)
    import seedwise.algorithms.im.opim_c  # noqa: F401
    from seedwise.graph.binary import load_graph
    from seedwise.memory import MemoryGuard, graph_bytes

    before = rss_now()
    anon_before = rss_now("RssAnon")
    anon = AnonPeak()
    g = load_graph(spec["path"], mmap=True, check=False)
    # touch the arrays the run reads, so "after load" counts them as the run will
    for a in (g.in_indptr, g.in_indices, g.in_shared_p, g.out_indptr, g.out_indices):
        int(np.asarray(a[::4096]).sum())
    base = rss_now()
    t = time.perf_counter()
    out = {"what": spec["what"], "n": g.n, "m": g.m, "graph_bytes": graph_bytes(g)}
    if spec["what"] == "opim-c":
        from seedwise.algorithms.im.opim_c import opim_c

        kw = dict(eps=0.1, seed=0, threads=spec["threads"])
        if spec.get("backend") == "ray":
            import ray

            ray.init(num_cpus=spec["workers"], include_dashboard=False, log_to_driver=False)
            kw.update(backend="ray", num_workers=spec["workers"], threads=None)
            # Ray's start-up and the workers' first-use JIT are not part of the run
            t = time.perf_counter()
            opim_c(g, 50, **kw)
            out["first_seconds"] = time.perf_counter() - t
            t = time.perf_counter()
        res = opim_c(g, 50, **kw)
        out.update(seconds=time.perf_counter() - t, seeds=[int(s) for s in res.seeds],
                   n_rr_sets=res.n_rr_sets, rr_entries=res.params["rr_entries"],
                   ratio=res.ratio, lower=res.lower, upper=res.upper, times=res.times)
        guard = MemoryGuard(g, "ic", 0, "1P", threads=spec["threads"])
        out["estimate"] = guard.estimate(res.n_rr_sets)
        out["pilot_mean"] = guard.pilot.mean
    else:
        from seedwise.algorithms.cim import cim, random_aps

        aps = random_aps(g, 0.05, seed=0)
        res = cim(g, aps, 10, algorithm="rr-opim+", eps=0.1, seed=0, threads=spec["threads"])
        out.update(seconds=time.perf_counter() - t, n_rr_sets=res.n_rr_sets,
                   rr_entries=res.params.get("rr_entries"), ratio=res.ratio, aps=len(aps),
                   distinct_seeds=res.distinct_seeds, times=res.times)
    out["rss_after_load"] = base
    out["rss_before_load"] = before
    out["anon_growth"] = anon.stop() - anon_before
    out["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print("RESULT " + json.dumps(out))


def run_one(spec, timeout):
    cmd = [sys.executable, os.path.abspath(__file__), "--one", json.dumps(spec)]
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"what": spec["what"], "error": f"timeout after {timeout} s"}
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"what": spec["what"], "error": (p.stderr or p.stdout)[-400:]}


def graph_file(edges, workdir):
    from seedwise.graph.generators import generate_rmat

    path = os.path.join(workdir, f"rmat-{edges}.swg")
    if not os.path.exists(path):
        t = time.perf_counter()
        generate_rmat(edges, seed=0, output=path, threads=2)
        print(f"generated {path} in {time.perf_counter() - t:.1f} s", flush=True)
    return path


def slope(xs, ys):
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def gib(x):
    return f"{x / 2**30:.2f}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--edges", nargs="+", type=float, default=[1e6, 1e7])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ray", action="store_true")
    ap.add_argument("--ray-edges", type=float, default=1e7, help="graph of the Ray comparison")
    ap.add_argument("--cim", action="store_true")
    ap.add_argument("--timeout", type=int, default=1800)
    ap.add_argument("--workdir", default="/tmp/seedwise-bench")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "scale.md"))
    args = ap.parse_args(argv)
    if args.one:
        return one(json.loads(args.one))
    os.makedirs(args.workdir, exist_ok=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    rows = []
    for e in args.edges:
        path = graph_file(int(e), args.workdir)
        for what in ("opim-c", "rr-opim+") if args.cim else ("opim-c",):
            r = run_one({"what": what, "path": path, "threads": args.threads}, args.timeout)
            r["edges"] = int(e)
            print(json.dumps({k: v for k, v in r.items() if k not in ("seeds", "times")}), flush=True)
            rows.append(r)
    ray_rows = []
    if args.ray:
        path = graph_file(int(args.ray_edges), args.workdir)
        r = run_one({"what": "opim-c", "path": path, "threads": args.threads, "backend": "ray",
                     "workers": 2}, args.timeout)
        print(json.dumps({k: v for k, v in r.items() if k not in ("seeds", "times")}), flush=True)
        r["edges"] = int(args.ray_edges)
        ray_rows.append(r)
    write_report(args, rows, ray_rows)


def write_report(args, rows, ray_rows):
    lines = ["# Scale benchmark (issue 5)", "",
             f"`python bench/bench_scale.py --edges {' '.join(f'{e:g}' for e in args.edges)} "
             f"--threads {args.threads}{' --ray' if args.ray else ''}{' --cim' if args.cim else ''}`; "
             "R-MAT (a=0.57, b=c=0.19, seed 0), WC, IC, memory-mapped binary graph; "
             f"one subprocess per run; {os.cpu_count()} CPUs.", "",
             "| algorithm | m | n | seconds | peak RSS GiB | RSS after load GiB | peak bytes / edge "
             "| RR sets | RR entries | guard estimate GiB | peak RSS - interpreter GiB | peak anonymous growth GiB "
             "| estimate >= anon growth + graph |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['what']} | {r['edges']:,} | | failed: {r['error'][:80]!r} | | | | | | | |")
            continue
        est = r.get("estimate")
        used = r["peak_rss"] - r["rss_before_load"]
        anon_used = r["anon_growth"] + r["graph_bytes"]
        lines.append(
            f"| {r['what']} | {r['m']:,} | {r['n']:,} | {r['seconds']:.1f} | {gib(r['peak_rss'])} | "
            f"{gib(r['rss_after_load'])} | {r['peak_rss'] / r['m']:.1f} | {r['n_rr_sets']:,} | "
            f"{r['rr_entries'] or 0:,} | {gib(est) if est else '-'} | {gib(used)} | "
            f"{gib(r['anon_growth'])} | {'yes' if est and est >= anon_used else ('-' if not est else 'NO')} |")
    for what in ("opim-c", "rr-opim+"):
        ok = [r for r in rows if r["what"] == what and "error" not in r]
        if len(ok) >= 2:
            s = slope([r["m"] for r in ok], [r["seconds"] for r in ok])
            lines += ["", f"{what}: log-log slope of time vs m = **{s:.2f}** (goal <= 1.15)."]
    if ray_rows:
        r = ray_rows[0]
        local = [x for x in rows if x["what"] == "opim-c" and x.get("edges") == int(args.ray_edges)
                 and "error" not in x]
        lines += ["", "## Ray local cluster (2 workers) vs single process (2 threads), OPIM-C", ""]
        if "error" in r or not local:
            lines.append(f"Ray run failed or no local run to compare: {r.get('error', '')[:200]!r}")
        else:
            lo = local[0]
            lines += ["| backend | seconds | peak RSS of the driver GiB | RR sets | same seeds | same bounds |",
                      "|---|---:|---:|---:|---|---|",
                      f"| local | {lo['seconds']:.1f} | {gib(lo['peak_rss'])} | {lo['n_rr_sets']:,} | | |",
                      f"| ray | {r['seconds']:.1f} | {gib(r['peak_rss'])} | {r['n_rr_sets']:,} | "
                      f"{r['seeds'] == lo['seeds']} | {(r['lower'], r['upper']) == (lo['lower'], lo['upper'])} |",
                      "", f"Overhead of the Ray path: **{r['seconds'] / lo['seconds']:.2f}x** the single-process "
                      f"time (second run in the same driver; the first, with actor start-up and the "
                      f"workers' JIT, took {r['first_seconds']:.1f} s; Ray's own start-up excluded). "
                      "The driver's RSS includes Ray's shared object store mapping."]
    ok = [r for r in rows if r["what"] == "opim-c" and "error" not in r]
    if ok:
        big = max(ok, key=lambda r: r["m"])
        lines += cluster_table(big)
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def cluster_table(r):
    """What N machines of 16 GiB need for a 3 B-edge graph, from the measured run."""
    m3 = 3e9
    n3 = r["n"] * m3 / r["m"]  # R-MAT keeps m/n fixed (16 drawn edges per node)
    entries_per_edge = r["rr_entries"] / r["m"]
    sets_per_edge = r["n_rr_sets"] / r["m"]
    entries = entries_per_edge * m3
    sets = sets_per_edge * m3
    rr_total = 8 * entries + 24 * sets
    worker_graph = 4 * m3 + 12 * n3  # reverse CSR without per-edge probabilities (WC)
    usable = 0.8 * 16 * 2**30
    lines = ["", "## Projection: a 3 B-edge graph on machines of 16 GiB", "",
             f"From the {r['m']:,}-edge run: {entries_per_edge:.3f} RR entries and {sets_per_edge:.4f} RR sets "
             f"per edge at OPIM-C's stopping point (k=50, eps=0.1), 8 bytes per entry (set + index) "
             f"and 24 per set; the projection assumes the RR budget stays proportional to m (it grows "
             f"like n log n / OPT, so this is a rough guide). Graph copy per machine: 4 m + 12 n bytes "
             f"(reverse CSR, WC: no per-edge probabilities) = {gib(worker_graph)} GiB for m = 3e9, "
             f"n = {n3:.3g}. RR sets in all: {gib(rr_total)} GiB.", "",
             "| machines N | graph per machine GiB | RR per machine GiB | total per machine GiB | fits 80% of 16 GiB |",
             "|---:|---:|---:|---:|---|"]
    for N in (1, 2, 4, 8, 16, 32, 64, 128):
        per = worker_graph + rr_total / N
        lines.append(f"| {N} | {gib(worker_graph)} | {gib(rr_total / N)} | {gib(per)} | "
                     f"{'yes' if per <= usable else 'no'} |")
    if worker_graph > usable:
        lines += ["", "The replicated graph alone exceeds 80% of 16 GiB: with this design (one graph copy "
                  "per machine) a 3 B-edge graph needs machines of at least "
                  f"{math.ceil((worker_graph + rr_total / 128) / 0.8 / 2**30)} GiB, or a partitioned graph "
                  "(not implemented)."]
    return lines


if __name__ == "__main__":
    sys.exit(main())
