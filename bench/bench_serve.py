"""seedwise serve and the cold CLI (issue 10).

1. A warm server on soc-Slashdot0902 (cached): POST /cim with the 5% query set
   (query-soc-slashdot0902-ap5, k = 10) and POST /select (k = 50), round trips over
   HTTP with a keep-alive client: median of --repeats requests, with the compute time
   the server reports.
2. 8 concurrent clients x 25 POST /cim: throughput and latency percentiles.
3. /select (k = 50) on a 10M-edge R-MAT, --backend ray (actors and graph resident)
   against --backend local, both warm: medians of --ray-repeats; and, for reference,
   one API call with backend="ray" that starts its actors and puts the graph (what
   every run cost before).
4. The cold CLI, `seedwise info` and `seedwise select --k 50` on the cached Slashdot
   graph, this tree against the code of --baseline-commit (checked out in a temporary
   worktree, or --baseline-src), runs interleaved, medians of --cold-repeats, and the
   import-time split of each (`python -X importtime`).

Run: .venv/bin/python bench/bench_serve.py [--baseline-src DIR] [--skip-ray]  (writes bench/out/serve.md)
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _machine import machine

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets"
GRAPH = DATA / "soc-slashdot0902.txt.gz"
QUERY = DATA / "query-soc-slashdot0902-ap5.txt.gz"
OUT = ROOT / "bench" / "out"
BASELINE = "b43733f"


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q / 100 * (len(xs) - 1))))]


def timed_posts(client, path, body, repeats):
    """(round-trip seconds, server-reported seconds) of ``repeats`` identical requests."""
    trips, work = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        r = client.post(path, json=body)
        trips.append(time.perf_counter() - t0)
        r.raise_for_status()
        work.append(r.json().get("seconds", float("nan")))
    return trips, work


def concurrent(url, path, body, clients, each):
    """Latencies of ``clients`` threads sending ``each`` requests; and the wall time."""
    import httpx

    latencies, errors = [], []
    lock = threading.Lock()

    def one():
        with httpx.Client(base_url=url, timeout=600) as c:
            for _ in range(each):
                t0 = time.perf_counter()
                r = c.post(path, json=body)
                dt = time.perf_counter() - t0
                with lock:
                    (latencies if r.status_code == 200 else errors).append(dt)

    threads = [threading.Thread(target=one) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - t0


def serve_section(args, lines):
    import httpx

    from seedwise.graph.readers import read_aps
    from seedwise.serve.server import launch

    aps = read_aps(QUERY)
    cim_body = {"aps": aps, "k": 10, "seed": 0}
    select_body = {"k": 50, "seed": 0}
    t0 = time.perf_counter()
    with launch(["--graph", GRAPH, "--port", 0, "--max-concurrency", args.concurrency]) as server:
        started = time.perf_counter() - t0
        with httpx.Client(base_url=server.url, timeout=600) as client:
            timed_posts(client, "/cim", cim_body, 2)  # the first requests of a connection
            timed_posts(client, "/select", select_body, 2)
            cim_trip, cim_work = timed_posts(client, "/cim", cim_body, args.repeats)
            sel_trip, sel_work = timed_posts(client, "/select", select_body, args.repeats)
        lat, errors, wall = concurrent(server.url, "/cim", cim_body, 8, 25)
    lines += [
        "### Warm server (local backend)",
        "",
        f"- `seedwise serve --graph soc-slashdot0902.txt.gz --max-concurrency {args.concurrency}` (cached graph): "
        f"started, graph loaded and kernels warmed in {started:.1f} s",
        f"- POST /cim, {len(aps):,} APs (the 5% query set), k = 10, RR-OPIM+: median round trip "
        f"**{statistics.median(cim_trip) * 1000:.1f} ms** over {args.repeats} requests (p90 "
        f"{percentile(cim_trip, 90) * 1000:.1f} ms; the server's own time {statistics.median(cim_work) * 1000:.1f} ms)"
        f" (target <= 100 ms)",
        f"- POST /select, k = 50, OPIM-C: median round trip **{statistics.median(sel_trip) * 1000:.1f} ms** over "
        f"{args.repeats} requests (p90 {percentile(sel_trip, 90) * 1000:.1f} ms; the server's own time "
        f"{statistics.median(sel_work) * 1000:.1f} ms) (target <= 100 ms)",
        f"- 8 concurrent clients x 25 POST /cim: {len(lat)} answered, {len(errors)} errors, {len(lat) / wall:.1f} "
        f"requests/s, latency p50 {percentile(lat, 50) * 1000:.0f} ms, p99 {percentile(lat, 99) * 1000:.0f} ms "
        f"(queries run {args.concurrency} at a time on 2 cores; the others wait)",
        "",
    ]


def ray_section(args, lines, tmp):
    import httpx

    import seedwise
    from seedwise.serve.server import launch

    rmat = Path(tmp) / "rmat-10m.swg"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "seedwise", "generate", "rmat", "--edges", args.rmat_edges, "--seed", "1",
                    "--output", str(rmat)], check=True, stdout=subprocess.DEVNULL)
    gen = time.perf_counter() - t0
    body = {"k": 50, "seed": 0}
    medians, answers = {}, {}
    for backend in ("local", "ray"):
        with launch(["--graph", rmat, "--port", 0, "--backend", backend]) as server:
            with httpx.Client(base_url=server.url, timeout=1200) as client:
                timed_posts(client, "/select", body, 1)
                trips, work = timed_posts(client, "/select", body, args.ray_repeats)
                answers[backend] = client.post("/select", json=body).json()["seeds"]
        medians[backend] = (statistics.median(trips), statistics.median(work))
    g = seedwise.read_graph(rmat)
    t0 = time.perf_counter()
    per_run = seedwise.maximize(g, 50, seed=0, backend="ray")
    per_run_seconds = time.perf_counter() - t0
    local, ray = medians["local"], medians["ray"]
    lines += [
        "### Ray that stays up",
        "",
        f"- graph: `seedwise generate rmat --edges {args.rmat_edges} --seed 1` ({g.n:,} nodes, {g.m:,} edges; "
        f"generated in {gen:.1f} s)",
        f"- POST /select k = 50, warm, median of {args.ray_repeats}: local backend {local[0]:.2f} s (server's own "
        f"{local[1]:.2f} s), Ray backend with resident actors and graph {ray[0]:.2f} s (server's own "
        f"{ray[1]:.2f} s): **{ray[0] / local[0]:.2f}x** local (target within 2x); the same seeds: "
        f"{answers['local'] == answers['ray'] == per_run.seeds}",
        f"- for reference, one API call that starts its actors and puts the graph, as every run did before: "
        f"{per_run_seconds:.2f} s ({per_run_seconds / local[0]:.1f}x the warm local server)",
        "",
    ]


# ---------------------------------------------------------------- cold CLI
def cli_env(src, cache):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # users keep bytecode
    env.update(PYTHONPATH=str(src), SEEDWISE_CACHE_DIR=str(cache))
    return env


COLD = {
    "info": ["info", "--graph", str(GRAPH)],
    "select --k 50": ["select", "--graph", str(GRAPH), "--k", "50"],
}


def cold_run(argv, env):
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "seedwise", *argv], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def import_split(argv, env):
    """Seconds of import by top-level module group, from ``python -X importtime``."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-m", "seedwise", *argv], env=env, check=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    groups = {}
    for line in err.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, self_us, name = line.split("|")
        top = name.strip().split(".")[0]
        group = top if top in ("numpy", "numba", "llvmlite", "scipy", "seedwise") else "other"
        groups[group] = groups.get(group, 0.0) + int(self_us.split(":")[-1]) / 1e6
    return groups


#: runs a command with numba's cache loads timed: which kernels load, and what the first one costs
KERNEL_LOADS = """
import json, sys, time
t0 = time.perf_counter()
from numba.core import caching
numba_import = time.perf_counter() - t0
load, loads = caching.Cache.load_overload, []
def timed(self, sig, ctx):
    t = time.perf_counter()
    out = load(self, sig, ctx)
    loads.append((self._name.split(" at ")[0].replace("<function ", ""), time.perf_counter() - t))
    return out
caching.Cache.load_overload = timed
from seedwise.cli import main
main(sys.argv[1:])
print(json.dumps({"numba_import": numba_import, "loads": loads}), file=sys.stderr)
"""


def kernel_loads(argv, env):
    err = subprocess.run([sys.executable, "-c", KERNEL_LOADS, *argv], env=env, check=True, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True).stderr
    return json.loads(err.strip().splitlines()[-1])


def _commit(src):
    out = subprocess.run(["git", "-C", str(src), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() or "?"


def cold_section(args, lines, tmp):
    base = args.baseline_src
    worktree = None
    if base is None:
        worktree = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), args.baseline_commit],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = worktree / "src"
    before = f"commit {_commit(base)} ({base if args.baseline_src else 'a temporary worktree'})"
    trees = {"before": cli_env(base, Path(tmp) / "cache-before"), "now": cli_env(ROOT / "src", Path(tmp) / "cache-now")}
    try:
        for env in trees.values():  # the graph cache, bytecode and numba's kernel cache, once
            for argv in COLD.values():
                cold_run(argv, env)
        times = {(t, c): [] for t in trees for c in COLD}
        for _ in range(args.cold_repeats):  # interleaved: load on the machine hits both alike
            for c, argv in COLD.items():
                for t, env in trees.items():
                    times[t, c].append(cold_run(argv, env))
        splits = {(t, c): import_split(argv, env) for t, env in trees.items() for c, argv in COLD.items()}
        loads = {t: kernel_loads(COLD["select --k 50"], env) for t, env in trees.items()}
    finally:
        if worktree is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)], check=False)
    lines += [
        "### Cold CLI on the cached Slashdot graph",
        "",
        f"before = {before}, now = this "
        f"tree; the same Python and packages, wall time of the whole process, medians of {args.cold_repeats} runs "
        f"taken in turn (bytecode, graph cache and numba's kernel cache warm)",
        "",
        "| command | before (s) | now (s) | speed-up |",
        "|---|---|---|---|",
    ]
    for c in COLD:
        b, n = statistics.median(times["before", c]), statistics.median(times["now", c])
        lines.append(f"| `seedwise {c}` | {b:.2f} | {n:.2f} | **{b / n:.2f}x** |")
    groups = ["numpy", "numba", "llvmlite", "scipy", "seedwise", "other"]
    lines += ["", "import time by package (`python -X importtime`, self times summed, one run each):", "",
              "| command | " + " | ".join(groups) + " | all imports |", "|---" * (len(groups) + 2) + "|"]
    for c in COLD:
        for t in trees:
            s = splits[t, c]
            lines.append(f"| `{c}` {t} | " + " | ".join(f"{s.get(g, 0.0):.2f}" for g in groups)
                         + f" | {sum(s.values()):.2f} |")
    lines += ["", "numba's start-up in `select --k 50` (one run each): importing numba, then each kernel loaded from "
              "its cache; the first load also loads numba's registries (before: with the BLAS probe that imports "
              "scipy.linalg)", ""]
    for t, got in loads.items():
        first, rest = got["loads"][0], got["loads"][1:]
        lines.append(f"- {t}: numba import {got['numba_import']:.2f} s; first kernel ({first[0]}) {first[1]:.2f} s; "
                     f"{len(rest)} more kernels {sum(x[1] for x in rest):.2f} s ({', '.join(x[0] for x in rest)})")
    lines.append("")


def rerun_ray(args):
    """Replace the Ray section of serve.md by a new run, saying when and how it ran."""
    lines, load = [], os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        ray_section(args, lines, tmp)
    lines.insert(2, f"- re-run alone: `.venv/bin/python bench/bench_serve.py {' '.join(sys.argv[1:])}` "
                    f"({time.strftime('%Y-%m-%d')}, load average at the start {load:.1f})")
    old = (OUT / "serve.md").read_text()
    head, _, rest = old.partition("### Ray that stays up")
    tail = rest[rest.find("\n### "):] if "\n### " in rest else ""
    (OUT / "serve.md").write_text(head + "\n".join(lines).rstrip() + "\n" + tail)
    print("\n".join(lines))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--concurrency", type=int, default=4, help="the server's --max-concurrency")
    p.add_argument("--ray-repeats", type=int, default=5)
    p.add_argument("--rmat-edges", default="10M")
    p.add_argument("--cold-repeats", type=int, default=7)
    p.add_argument("--baseline-commit", default=BASELINE)
    p.add_argument("--baseline-src", type=Path, default=None, help="src/ of a baseline tree (instead of a worktree)")
    p.add_argument("--skip-ray", action="store_true")
    p.add_argument("--skip-cold", action="store_true")
    p.add_argument("--ray-only", action="store_true",
                   help="re-run the Ray section only and replace it in the existing serve.md")
    args = p.parse_args()
    if args.ray_only:
        return rerun_ray(args)
    started = time.strftime("%Y-%m-%d")
    lines = ["## seedwise serve and the cold CLI (issue 10)", "",
             f"- machine: {machine()}",
             f"- command: `.venv/bin/python bench/bench_serve.py {' '.join(sys.argv[1:])}`".rstrip() + f" ({started})",
             "- round trips include HTTP (httpx, keep-alive, loopback); the server's own time is the `seconds` "
             "field of its answer",
             f"- load average at the start: {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)",
             ""]
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        os.environ["SEEDWISE_CACHE_DIR"] = os.environ.get("SEEDWISE_CACHE_DIR") or str(Path(tmp) / "cache")
        serve_section(args, lines)
        if not args.skip_ray:
            ray_section(args, lines, tmp)
        if not args.skip_cold:
            cold_section(args, lines, tmp)
        shutil.rmtree(Path(tmp) / "cache", ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "serve.md").write_text("\n".join(lines).rstrip() + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
