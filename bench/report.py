"""Merge the section files that the benchmarks write (bench/out/*.md) into BENCHMARKS.md.

Run: .venv/bin/python bench/report.py
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["core", "cim", "him", "scale"]

HEADER = """# Benchmarks

Every figure below was produced by a script under `bench/` on the machine it names,
with the command it names; times are medians of repeated runs, ratios are against a
baseline run in the same process. Tests never assert times. Re-run one script and then
`.venv/bin/python bench/report.py` to refresh this page (`make bench` runs them all).
"""


def main():
    out = ROOT / "bench" / "out"
    parts = {p.stem: p.read_text() for p in sorted(out.glob("*.md"))}
    names = [n for n in ORDER if n in parts] + sorted(n for n in parts if n not in ORDER)
    text = HEADER + "\n" + "\n".join(parts[n].rstrip() + "\n" for n in names)
    (ROOT / "BENCHMARKS.md").write_text(text)
    print(f"BENCHMARKS.md: {', '.join(names)}")


if __name__ == "__main__":
    main()
