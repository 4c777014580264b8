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
4. The cold CLI, `seedwise info`, `seedwise select --k 50` and `seedwise cim` on the
   cached Slashdot graph, this tree (on numba's JIT, and with the kernels compiled ahead
   of time by `seedwise compile`) against the code of --baseline-commit (checked out in a
   temporary worktree, or --baseline-src), runs interleaved, medians of --cold-repeats,
   the import-time split of each (`python -X importtime`), and the compiled kernels'
   speed against the JIT's in one process.

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
def cli_env(src, cache, aot=None):
    """The environment of a cold command: bytecode kept (as users have it), the graph cache in
    ``cache``; ``aot``: the directory of kernels compiled ahead of time, or None for numba's JIT."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "SEEDWISE_AOT_DIR")}
    env.update(PYTHONPATH=str(src), SEEDWISE_CACHE_DIR=str(cache))
    if aot is None:
        env["SEEDWISE_AOT"] = "0"
    else:
        env.update(SEEDWISE_AOT="1", SEEDWISE_AOT_DIR=str(aot))
    return env


COLD = {
    "info": ["info", "--graph", str(GRAPH)],
    "select --k 50": ["select", "--graph", str(GRAPH), "--k", "50"],
    "cim --k 10 (5% APs)": ["cim", "--graph", str(GRAPH), "--aps", str(QUERY), "--k", "10"],
}


def cold_run(argv, env):
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "seedwise", *argv], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
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


#: one process, the same OPIM-C query run alternately on the compiled copies and on numba's
#: JIT (module globals swapped between the two): the kernels' own speed, warm
AOT_VS_JIT = """
import json, statistics, sys, time
import seedwise
from seedwise import _aot, _numba
g = seedwise.read_graph(sys.argv[1])
k, eps, threads, repeats = 50, float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
stand_ins = [(m, key, v) for name, m in list(sys.modules.items()) if name.startswith("seedwise") and m is not None
             for key, v in list(vars(m).items()) if isinstance(v, _numba._Kernel)]
seedwise.maximize(g, k, eps=eps, threads=threads, seed=0)  # the compiled copies, before numba loads
assert "numba" not in sys.modules and not _aot.misses
def compiled(stand_in):
    return lambda *args: _aot.find(stand_in.name, args)(*args)
modes = {"compiled": {(m, key): compiled(v) for m, key, v in stand_ins}}
_numba.load()
modes["jit"] = {(m, key): v.dispatcher for m, key, v in stand_ins}
times = {mode: [] for mode in modes}
for r in range(repeats + 1):
    for mode, table in modes.items():
        for (m, key), fn in table.items():
            setattr(m, key, fn)
        t0 = time.perf_counter()
        res = seedwise.maximize(g, k, eps=eps, threads=threads, seed=r)
        if r:
            times[mode].append(time.perf_counter() - t0)
print(json.dumps({mode: statistics.median(t) for mode, t in times.items()} | {"rr_sets": res.n_rr_sets}))
"""


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
    commit = _commit(base) if args.baseline_src is None else args.baseline_commit  # a copy has no .git
    before = f"commit {commit} ({base if args.baseline_src else 'a temporary worktree'})"
    aot = Path(tmp) / "aot"
    trees = {"before": cli_env(base, Path(tmp) / "cache-before"),
             "now, JIT": cli_env(ROOT / "src", Path(tmp) / "cache-now"),
             "now, compiled": cli_env(ROOT / "src", Path(tmp) / "cache-now", aot=aot)}
    try:
        t0 = time.perf_counter()  # `seedwise compile` with numba's cache warm (as after `make`)
        subprocess.run([sys.executable, "-m", "seedwise", "compile", "--quiet"], env=trees["now, compiled"],
                       check=True, stdout=subprocess.DEVNULL)
        compile_s = time.perf_counter() - t0
        for env in trees.values():  # the graph cache, bytecode and numba's kernel cache, once
            for argv in COLD.values():
                cold_run(argv, env)
        times = {(t, c): [] for t in trees for c in COLD}
        for _ in range(args.cold_repeats):  # interleaved: load on the machine hits all alike
            for c, argv in COLD.items():
                for t, env in trees.items():
                    times[t, c].append(cold_run(argv, env))
        splits = {(t, c): import_split(argv, env) for t, env in trees.items() for c, argv in COLD.items()
                  if c != "cim --k 10 (5% APs)"}
        loads = {t: kernel_loads(COLD["select --k 50"], trees[t]) for t in ("before", "now, JIT")}
        speed = json.loads(subprocess.run(
            [sys.executable, "-c", AOT_VS_JIT, str(GRAPH), "0.02", "2", str(args.cold_repeats)],
            env=trees["now, compiled"], check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    finally:
        if worktree is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)], check=False)
    lines += [
        "### Cold CLI on the cached Slashdot graph",
        "",
        f"before = {before}; now = this tree, on numba's JIT (`SEEDWISE_AOT=0`) and with the kernels compiled "
        f"ahead of time (`seedwise compile`, which took {compile_s:.1f} s with numba's cache warm). The same "
        f"Python and packages; wall time of the whole process; medians of {args.cold_repeats} runs taken in "
        "turn (bytecode, graph cache and numba's kernel cache warm); the spread is min-max.",
        "",
        "| command | before (s) | now, JIT (s) | now, compiled (s) | speed-up before / compiled |",
        "|---|---|---|---|---|",
    ]
    for c in COLD:
        cells = []
        for t in trees:
            xs = times[t, c]
            cells.append(f"{statistics.median(xs):.2f} ({min(xs):.2f}-{max(xs):.2f})")
        ratio = statistics.median(times["before", c]) / statistics.median(times["now, compiled", c])
        lines.append(f"| `seedwise {c}` | " + " | ".join(cells) + f" | **{ratio:.2f}x** |")
    groups = ["numpy", "numba", "llvmlite", "scipy", "seedwise", "other"]
    lines += ["", "import time by package (`python -X importtime`, self times summed, one run each):", "",
              "| command | " + " | ".join(groups) + " | all imports |", "|---" * (len(groups) + 2) + "|"]
    for (t, c), s in splits.items():
        lines.append(f"| `{c}` {t} | " + " | ".join(f"{s.get(g, 0.0):.2f}" for g in groups)
                     + f" | {sum(s.values()):.2f} |")
    lines += ["", "numba's start-up in `select --k 50` (one run each): importing numba, then each kernel loaded from "
              "its cache; the first load also loads numba's registries (before: with the BLAS probe that imports "
              "scipy.linalg). With the compiled kernels numba is not imported at all.", ""]
    for t, got in loads.items():
        first, rest = got["loads"][0], got["loads"][1:]
        lines.append(f"- {t}: numba import {got['numba_import']:.2f} s; first kernel ({first[0]}) {first[1]:.2f} s; "
                     f"{len(rest)} more kernels {sum(x[1] for x in rest):.2f} s ({', '.join(x[0] for x in rest)})")
    lines += ["", f"The kernels' own speed, warm, in one process (OPIM-C k = 50, eps = 0.02, 2 threads, "
                  f"{speed['rr_sets']:,} RR sets; runs alternating, median of {args.cold_repeats}): compiled "
                  f"{speed['compiled']:.3f} s, JIT {speed['jit']:.3f} s, compiled / JIT = "
                  f"**{speed['compiled'] / speed['jit']:.2f}**.", ""]


def rerun(args, section, heading):
    """Replace one section of serve.md (the one under ``heading``) by a new run of ``section``,
    saying when and how it ran; the other sections stay as they were."""
    lines, load = [], os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        section(args, lines, tmp)
    lines[2:2] = [f"- re-run alone: `.venv/bin/python bench/bench_serve.py {' '.join(sys.argv[1:])}` "
                  f"({time.strftime('%Y-%m-%d')}, load average at the start {load:.1f})", ""]
    head, _, rest = (OUT / "serve.md").read_text().partition(heading)
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
    p.add_argument("--baseline-src", type=Path, default=None,
                   help="src/ of a copy of --baseline-commit (instead of a temporary worktree)")
    p.add_argument("--skip-ray", action="store_true")
    p.add_argument("--skip-cold", action="store_true")
    p.add_argument("--ray-only", action="store_true",
                   help="re-run the Ray section only and replace it in the existing serve.md")
    p.add_argument("--cold-only", action="store_true",
                   help="re-run the cold-CLI section only and replace it in the existing serve.md")
    args = p.parse_args()
    if args.ray_only:
        return rerun(args, ray_section, "### Ray that stays up")
    if args.cold_only:
        return rerun(args, cold_section, "### Cold CLI on the cached Slashdot graph")
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
