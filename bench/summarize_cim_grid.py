"""Summarise bench/out/cim-grid.md (written by ``bench_cim.py --grid``-style runs) into
bench/out/cim-summary.md: RR-OPIM+ against RR-OPIM, MG-OPIM and the best local baseline
for every dataset and k.

Run: .venv/bin/python bench/summarize_cim_grid.py
"""
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def parse(text):
    """{(dataset, k): {algorithm: (spread, distinct, total ms)}} from the per-k tables."""
    rows, ds, k = {}, None, None
    for line in text.splitlines():
        if line.startswith("## Against"):
            ds = None  # the C++ comparison table that follows is not a grid cell
            continue
        m = re.match(r"## (\S+): n", line)
        if m:
            ds = m.group(1)
            continue
        m = re.match(r"### k = (\d+)", line)
        if m:
            k = int(m.group(1))
            continue
        if ds and line.startswith("| ") and not line.startswith("| algorithm") and not line.startswith("|---"):
            c = [x.strip().replace(",", "") for x in line.strip("|").split("|")]
            rows.setdefault((ds, k), {})[c[0]] = (float(c[6]), int(c[5]), float(c[3]))
    return rows


def main():
    source = OUT / "cim-grid.md"
    rows = parse(source.read_text())
    command = next((line for line in source.read_text().splitlines() if line.startswith("Command:")), "")
    lines = ["## CIM grid summary: RR-OPIM+ against the alternatives", "",
             f"From `bench/out/cim-grid.md` ({command.removeprefix('Command: ')}); spreads are averages over "
             "5 query sets of the spread on P measured by a fresh 2,000,000-set RR collection. Times there are "
             "single runs (the medians are in the CIM section above).", "",
             "| dataset | k | rr-opim+ | rr-opim | mg-opim | best local baseline | rr-opim+ / best local |",
             "|---|---|---:|---:|---:|---:|---:|"]
    wins, misses = 0, []
    for (ds, k), r in rows.items():
        local = max(((a, v) for a, v in r.items() if a.startswith("local")), key=lambda x: x[1][0])
        plus = r["rr-opim+"][0]
        wins += plus > local[1][0]
        if plus <= local[1][0]:
            misses.append(f"{ds} k={k} ({plus / local[1][0]:.3f})")
        lines.append(f"| {ds} | {k} | {plus:,.1f} | {r['rr-opim'][0]:,.1f} | {r['mg-opim'][0]:,.1f} "
                     f"| {local[1][0]:,.1f} ({local[0]}) | {plus / local[1][0]:.3f} |")
    lines += ["", f"RR-OPIM+ is above the best local baseline in {wins} of {len(rows)} (dataset, k) cells"
              + (f"; not in: {', '.join(misses)}." if misses else "."), ""]
    (OUT / "cim-summary.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
