"""Hostile-input campaign: generated malformed files, encodings, id forms, corrupted binary
files and caches, pipes and FIFOs, extreme options, round trips and CIM/HIM inputs, each
run through the CLI and judged against a naive reference (tests/fuzz/hostile.py).

Writes the counts per outcome class to bench/out/reliability.md and docs/reliability.md.

Run: .venv/bin/python bench/bench_reliability.py [--cases 2000] [--seed 0]
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "fuzz"), str(ROOT / "bench")]

import hostile  # noqa: E402
from _machine import machine  # noqa: E402

DOC = """# Reliability: never a silent wrong answer

seedwise answers correctly or says clearly why it cannot; it never answers wrongly
with exit status 0, never hangs, never loses a file. What backs this up:

- **Binary files and caches cannot lie.** A `.swg` file (format version 2) holds the
  array lengths and a BLAKE2b digest of every array and of its header; `load_graph`
  checks them (hashing in 64 MiB blocks, so a memory-mapped file larger than RAM is
  checked too), then the ranges: index pointers monotone from 0 to m, indices in
  [0, n), probabilities finite in [0, 1], weights finite and >= 0, LT in-weights of
  `wc`/`counts` graphs summing to at most 1, sorted distinct ids. A corrupt explicit
  file is exit 2 naming the file and what is wrong; a newer format version is named
  as such. A cache entry records the source's size, modification time and content
  digest; any mismatch, or a corrupt entry, rebuilds it with a one-line notice.
- **One strict id parser** (`seedwise.ids`) for edge lists, seeds, APs, capacities,
  willingness and truth pairs: an id is an integer only when it is canonical ASCII
  decimal fitting int64 (`7`, `-3`, `9223372036854775807`); anything else (`007`,
  `+7`, `1_0`, `٣`, 20 digits) is a string matched exactly, never truncated. Control
  characters (NUL, ...) are refused with file:line.
- **Outputs round-trip.** CSV is written by the csv module (rows with ids that start
  with `#` or hold `;` or spaces fully quoted) and read back with it.
- **Encodings and streams.** UTF-8, or UTF-16/32 with a byte-order mark; other bytes
  get the byte offset and line of the first invalid byte (NUL bytes: a hint that the
  file is UTF-16 without a BOM). Pipes, `/dev/fd/N`, FIFOs and `-` (stdin) are read to
  their end; a FIFO without a writer fails after `SEEDWISE_FIFO_TIMEOUT` seconds (10);
  devices such as `/dev/zero` and folders are refused at once.
- **Bounded work.** `spread` times a pilot of its kernel and refuses `--simulations` or
  `--rr-sets` that would take longer than `--max-seconds` (default one hour) or hold
  more than 80% of the available memory; capacities above n count as n. Ctrl-C stops
  any command at once (exit 130) and leaves no partial output (outputs are written to a
  temporary file and renamed). Joining Ray gives up after `SEEDWISE_RAY_TIMEOUT`
  seconds (10) with a clear message.
- **Numerics.** `counts` normalises by each target's largest count before summing (two
  counts of 1e308 give 0.5 each); every scheme's probabilities are checked finite in
  [0, 1]; numbers in files are parsed strictly (no `_`, no non-ASCII digits).
- **Outputs never replace inputs.** An `--output` (or `--plot`, or `convert`'s target)
  that is the same file as an input (`os.path.samefile`) is refused before any work;
  messages name the user's path, never a temporary one.

## Campaign

`tests/fuzz/hostile.py` generates hostile inputs of every kind below, runs each through
`seedwise.cli.main` in-process with a time limit, and judges the outcome against a naive
reference written without seedwise's parsers (a decoder and tokenizer of the documented
formats, exact spread by enumerating live-edge worlds, exact id matching):

| class | meaning |
|---|---|
| clear error | exit 2 with one `seedwise: error:` line, where the reference refuses the input |
| valid answer | exit 0 with the reference's answer (graph size, seeds, spread within 6 standard \
errors of the exact value, ids read back) |
| wrong answer | exit 0 where the reference refuses, a refusal of a valid input, or an answer that differs |
| internal error | a traceback, exit 1 or "internal error" |
| hang | no result within {timeout:g} s |
| lost output | an input changed, an output written by a failed run, a temporary file left behind |

{table}

{kinds}

Machine: {machine}. Command: `{command}` ({seconds:.0f} s). The CI suite
(`tests/fuzz/test_hostile.py`, about 30 s) runs {hand} hand-written cases of the defects of
issue 11, 90 generated cases, hypothesis properties of the parsers and a Ctrl-C check (slow).
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=30.0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SEEDWISE_CACHE_DIR"] = os.path.join(tmp, "cache")
        counts, per_kind, bad = hostile.campaign(args.cases, seed=args.seed, root=tmp, timeout=args.timeout,
                                                 log=lambda s: print(s, file=sys.stderr))
    seconds = time.perf_counter() - t0
    table = "| class | cases |\n|---|---:|\n" + "".join(f"| {c} | {counts[c]:,} |\n" for c in hostile.CLASSES)
    table += f"| **total** | **{sum(counts.values()):,}** |\n"
    kinds = "| kind | " + " | ".join(hostile.CLASSES) + " |\n|---|" + "---:|" * len(hostile.CLASSES) + "\n"
    for kind in sorted(per_kind):
        kinds += f"| {kind} | " + " | ".join(str(per_kind[kind][c]) for c in hostile.CLASSES) + " |\n"
    command = f".venv/bin/python bench/bench_reliability.py --cases {args.cases} --seed {args.seed}"
    sys.path.insert(0, str(ROOT / "tests" / "fuzz"))
    from test_hostile import HAND

    text = DOC.format(table=table, kinds=kinds, machine=machine(), command=command, seconds=seconds,
                      timeout=args.timeout, hand=len(HAND))
    (ROOT / "docs" / "reliability.md").write_text(text)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "reliability.md").write_text(
        f"# Hostile-input campaign\n\n{table}\n{kinds}\nMachine: {machine()}. Command: `{command}` "
        f"({seconds:.0f} s). Classes and references: docs/reliability.md.\n")
    print(table)
    print(kinds)
    for i, kind, cls, detail in bad:
        print(f"case {i} ({kind}): {cls}: {detail}")
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
