"""CIM default against a baseline copy of seedwise, side by side in one process (issue 9).

Run from the repository root:

    .venv/bin/python bench/cim_speed_vs_old.py --baseline /tmp/old     # /tmp/old/seedwise_old = old code

``--baseline DIR`` names a folder holding an older seedwise renamed ``seedwise_old``
(``git archive b43733f src/seedwise | tar -x`` then ``mv src/seedwise DIR/seedwise_old``; the
code before issue 9, in the layout before issue 13):
both packages are imported in this process and their default ``cim`` runs alternate, so
machine load hits both alike. Cases (issue 9's targets): soc-Slashdot0902 with its shipped
5% query, k = 10; a 10 M-edge R-MAT (a=0.57, b=c=0.19, seed 0, WC) with 5% uniform APs
(seed 0), k = 10. One thread, warm process (one warm-up run each, numba compiled), the
whole ``cim`` call timed (building the query included), medians of ``--repeats`` runs.
Writes bench/out/cim-speed.md.
"""
from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import time

import numpy as np
from _machine import machine, write_section

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("SEEDWISE_DATA", os.path.join(os.path.dirname(ROOT), "shared", "datasets"))


def load_case(pkg, case, workdir):
    """(graph, AP ids) of ``case`` built with package ``pkg`` (either layout)."""
    api = importlib.import_module(f"{pkg}.api")
    if _has(pkg, "algorithms.cim_query"):  # before issue 13
        query = readers = importlib.import_module(f"{pkg}.algorithms.cim_query")
    else:
        query = importlib.import_module(f"{pkg}.algorithms.cim.query")
        readers = importlib.import_module(f"{pkg}.graph.readers")
    if case == "slashdot":
        g = api.read_graph(os.path.join(DATA, "soc-slashdot0902.txt.gz"), directed=True, weights="wc")
        return g, readers.read_aps(os.path.join(DATA, "query-soc-slashdot0902-ap5.txt.gz"))
    from seedwise.graph.generators import generate_rmat

    path = os.path.join(workdir, "rmat-10000000.swg")
    if not os.path.exists(path):
        os.makedirs(workdir, exist_ok=True)
        generate_rmat(10_000_000, seed=0, output=path, threads=2)
    binary = importlib.import_module(f"{pkg}.graph.binary")
    g = binary.load_graph(path, mmap=False)
    return g, query.random_aps(g, 0.05, seed=0)


def _has(pkg, mod):
    try:
        importlib.import_module(f"{pkg}.{mod}")
        return True
    except ImportError:
        return False



def cim_fn(pkg):
    return importlib.import_module(f"{pkg}.algorithms.cim").cim


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", required=True, help="folder holding the old package as seedwise_old")
    ap.add_argument("--cases", default="slashdot,rmat")
    ap.add_argument("--repeats", type=int, default=9)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--workdir", default="/tmp/seedwise-bench")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "cim-speed.md"))
    args = ap.parse_args(argv)
    sys.path.insert(0, os.path.abspath(args.baseline))
    cmdline = "python bench/cim_speed_vs_old.py " + " ".join(argv if argv is not None else sys.argv[1:])
    lines = ["# CIM default: speed against the code before issue 9, side by side", "",
             f"Machine: {machine()}; shared with other jobs while measured. "
             f"Command: `{cmdline.strip()}`", "",
             f"Both packages in one process, runs alternating; {args.threads} thread(s), k = {args.k}, seed 0, "
             f"eps = 0.1, delta = 1/n; whole `cim` call (query included); medians of {args.repeats} runs after "
             "a warm-up.", "",
             "| case | APs | old algorithm | old (s) | new algorithm | new (s) | speed-up | old RR sets | "
             "new RR sets | new zero-gain picks |", "|---|---:|---|---:|---|---:|---:|---:|---:|---:|"]
    for case in args.cases.split(","):
        runs = {}
        for pkg in ("seedwise_old", "seedwise"):
            g, aps = load_case(pkg, case, args.workdir)
            fn = cim_fn(pkg)
            fn(g, aps, args.k, seed=0, threads=args.threads)  # warm-up (compilation, caches)
            runs[pkg] = dict(g=g, aps=aps, fn=fn, times=[], res=None)
        for _ in range(args.repeats):
            for r in runs.values():
                t = time.perf_counter()
                r["res"] = r["fn"](r["g"], r["aps"], args.k, seed=0, threads=args.threads)
                r["times"].append(time.perf_counter() - t)
        old, new = runs["seedwise_old"], runs["seedwise"]
        t_old, t_new = statistics.median(old["times"]), statistics.median(new["times"])
        zero = getattr(new["res"], "zero_gain_picks", None)
        lines.append(f"| {case} | {len(new['aps']):,} | {old['res'].algorithm} | {t_old:.4f} | "
                     f"{new['res'].algorithm} | {t_new:.4f} | {t_old / t_new:.2f}x | {old['res'].n_rr_sets:,} | "
                     f"{new['res'].n_rr_sets:,} | {zero} |")
        print(lines[-1], file=sys.stderr)
        print(f"  old times {np.round(old['times'], 4).tolist()}\n  new times {np.round(new['times'], 4).tolist()}\n"
              f"  old phases {old['res'].times}\n  new phases {new['res'].times}", file=sys.stderr)
        del runs
    text = "\n".join(lines) + "\n"
    write_section(args.out, text)


if __name__ == "__main__":
    main()
