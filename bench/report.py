"""Merge the section files that the benchmarks write (bench/out/*.md) into BENCHMARKS.md.

Run: .venv/bin/python bench/report.py
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["core", "cim", "cim-default", "cim-speed", "cim-summary", "cim-greedy", "cim-grid", "him", "him-truth",
         "scale"]

HEADER = """# Benchmarks

Every figure below was produced by a script under `bench/` on the machine it names,
with the command it names; times are medians of repeated runs, ratios are against a
baseline run in the same process. Tests never assert times. Re-run one script and then
`.venv/bin/python bench/report.py` to refresh this page (`make bench` runs them all).
"""


def _titled(name, text):
    """The section with its first heading naming the file it came from (several files
    come from one script with different arguments)."""
    first, _, rest = text.partition("\n")
    title = first.lstrip("#").strip()
    return f"# {title} [bench/out/{name}.md]\n{rest}"


def main():
    out = ROOT / "bench" / "out"
    parts = {p.stem: p.read_text() for p in sorted(out.glob("*.md"))}
    names = [n for n in ORDER if n in parts] + sorted(n for n in parts if n not in ORDER)
    text = HEADER + "\n" + "\n".join(_titled(n, parts[n]).rstrip() + "\n" for n in names)
    (ROOT / "BENCHMARKS.md").write_text(text)
    print(f"BENCHMARKS.md: {', '.join(names)}")


if __name__ == "__main__":
    main()
