"""HIM truth benchmark: each method's expected number of non-inviters reached (SPEC 5.1).

Each inviter recommends K friends; friend j accepts inviter i with P_ij (U_j = 1) and
then spreads by IC on the same probabilities; score = the expected number of
non-inviters reached, by Monte-Carlo (the same live-edge worlds for every method, so
the margins are paired differences with their own 95% CI).

Run from the repository root:

    .venv/bin/python bench/bench_him_truth.py [--graphs ca-hepth,wiki-vote,ca-grqc]
        [--weights trivalency,wc] [--cells email-enron:wc,...] [--fraction 0.01] [--k 3]
        [--simulations 10000] [--repeats 3]

Writes bench/out/him-truth.md (rewritten after every cell, so a long run keeps what it
has) and prints it. Data: ../shared/datasets (MANIFEST.md).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np
from _machine import machine

from seedwise.algorithms.cim.query import random_aps
from seedwise.algorithms.him import METHODS, recommend
from seedwise.evaluation.truth_model import evaluate_truth_model
from seedwise.graph import io

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("SEEDWISE_DATA", os.path.join(os.path.dirname(ROOT), "shared", "datasets"))
#: file, directed
GRAPHS = {"ca-hepth": ("ca-hepth.txt.gz", False), "email-enron": ("email-enron.txt.gz", False),
          "wiki-vote": ("wiki-vote.txt.gz", True), "ca-grqc": ("ca-grqc.txt.gz", False),
          "soc-slashdot0902": ("soc-slashdot0902.txt.gz", True), "nethept": ("nethept.txt.gz", False)}
ORDER = ["hetero-im", "hetero-ir", "prob", "degree", "pagerank", "hetero-im-authors"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graphs", default="ca-hepth,wiki-vote,ca-grqc")
    ap.add_argument("--weights", default="trivalency,wc")
    ap.add_argument("--cells", default="", help="more graph:weights cells, e.g. email-enron:wc")
    ap.add_argument("--fraction", type=float, default=0.01, help="share of nodes drawn as inviters")
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--simulations", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=3, help="timed runs of each recommender (median)")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "him-truth.md"))
    args = ap.parse_args(argv)
    command = "`.venv/bin/python bench/bench_him_truth.py " + " ".join(argv if argv is not None else sys.argv[1:]) + "`"
    load = os.getloadavg()[0]
    md = ["# HIM truth benchmark: expected non-inviters reached", "",
          f"Machine: {machine()}; load average {load:.1f} at the start (shared machine).",
          f"Command: {command.replace(' `', '`')}", "",
          f"Inviters: {args.fraction:.0%} of the nodes drawn uniformly (seed 0); K = {args.k} per inviter; "
          "U_j = 1. Each method's lists are scored by "
          f"{args.simulations:,} Monte-Carlo runs of the truth model (evaluation seed 1; recommenders seed 0): "
          "friend j accepts inviter i with P_ij, accepted friends spread by IC, inviters are active already "
          "and act only through their invitations. Cells: mean ± 95% CI half-width. Margin: hetero-im minus "
          "the method, per run (the same worlds for every method), ± its 95% CI half-width; a margin whose "
          "interval lies above 0 is a significant win. hetero-im: eps = 0.1, delta = 1/n. "
          f"Seconds: median of {args.repeats} runs of the recommender, the first one inside the evaluation "
          "(machine shared with other jobs).", ""]
    cells = [(name, w) for name in args.graphs.split(",") for w in args.weights.split(",")]
    cells += [tuple(c.split(":")) for c in args.cells.split(",") if c]
    rows = []
    for name, weights in cells:
        path, directed = GRAPHS[name]
        g = io.read_graph(os.path.join(DATA, path), directed=directed, weights=weights)
        aps = random_aps(g, args.fraction, seed=0)
        res = evaluate_truth_model(g, aps, args.k, ORDER, simulations=args.simulations, seed=0, eval_seed=1,
                                   threads=args.threads)
        secs = {}
        for m in ORDER:
            # the evaluation's own run is the first timing; hetero-im runs again for its certificate
            times = [res[m]["seconds"]]
            for _ in range(args.repeats - 1 if m != "hetero-im" else max(args.repeats - 1, 1)):
                t = time.perf_counter()
                recs = recommend(g, aps, args.k, method=m, seed=0, threads=args.threads)
                times.append(time.perf_counter() - t)
                if m == "hetero-im":
                    cert = recs
            secs[m] = statistics.median(times)
        rows.append((name, g, weights, len(aps), res, secs, cert))
        print(name, weights, {m: round(res[m]["spread"], 2) for m in ORDER}, flush=True)
        text = "\n".join(md + _tables(rows))
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    print(text)
    return 0


def _tables(rows):
    """The three tables of the cells done so far."""
    wins = sum(res[m]["margin_ci95"][0] > 0 for _, _, _, _, res, _, _ in rows for m in ORDER[1:])
    total = len(rows) * (len(ORDER) - 1)
    md = []
    md += ["| graph | P | inviters | " + " | ".join(ORDER) + " |", "|---|---|---:|" + "---:|" * len(ORDER)]
    for name, g, weights, d, res, _, _ in rows:
        cells = []
        for m in ORDER:
            half = (res[m]["ci95"][1] - res[m]["ci95"][0]) / 2
            cells.append(f"{res[m]['spread']:,.2f} ± {half:,.2f}")
        md.append(f"| {name} (n = {g.n:,}) | {weights} | {d:,} | " + " | ".join(cells) + " |")
    md += ["", "Margins (hetero-im minus method, paired, ± 95% CI half-width; relative margin in brackets):", "",
           "| graph | P | " + " | ".join(ORDER[1:]) + " |", "|---|---|" + "---:|" * (len(ORDER) - 1)]
    for name, _, weights, _, res, _, _ in rows:
        cells = []
        for m in ORDER[1:]:
            half = (res[m]["margin_ci95"][1] - res[m]["margin_ci95"][0]) / 2
            rel = res[m]["margin"] / res[m]["spread"] if res[m]["spread"] > 0 else float("nan")
            cells.append(f"{res[m]['margin']:+,.2f} ± {half:,.2f} ({rel:+.1%})")
        md.append(f"| {name} | {weights} | " + " | ".join(cells) + " |")
    md += ["", f"hetero-im is significantly above the method (margin CI above 0) in {wins} of {total} "
           "(graph, P, method) cells.", "",
           "hetero-im's own account (certificate, RR sets, zero-gain picks) and every recommender's time:", "",
           "| graph | P | estimate | lower / upper = ratio | pair RR sets | zero-gain picks | "
           + " | ".join(f"s {m}" for m in ORDER) + " |", "|---|---|---:|---:|---:|---:|" + "---:|" * len(ORDER)]
    for name, _, weights, _, _, secs, c in rows:
        md.append(f"| {name} | {weights} | {c.spread:,.2f} | {c.lower:,.2f} / {c.upper:,.2f} = {c.ratio:.3f} | "
                  f"{c.n_rr_sets:,} | {c.zero_gain_picks:,} of {len(c):,} | "
                  + " | ".join(f"{secs[m]:.3f}" for m in ORDER) + " |")
    return md


if __name__ == "__main__":
    assert set(ORDER) == set(METHODS)
    np.seterr(all="ignore")
    sys.exit(main())
