"""Memory budget: estimate what an RR-set run needs before it allocates, and refuse early.

An RR-based run (OPIM-C, IMM, RR-OPIM+) spends almost all of its memory on the
RR sets and on the node -> RR-set index that greedy coverage walks. Both grow
with the number of RR sets times their mean size, which depends on the graph
and the model and is unknown until sampled. :class:`MemoryGuard` measures it on
a small pilot sample (its own random streams, so the run's results are
unchanged), adds the graph and the working arrays, and compares the sum with the
budget before the first round and before every doubling. A run that would not
fit stops with :class:`~seedwise.MemoryBudgetError` (CLI exit status 2) naming
the estimate, the budget and what to change, instead of being killed by the
operating system half way.

Bytes counted (``E`` = RR entries, ``T`` = RR sets, summed over all collections):

- 4 E for the node ids of the sets (int32) and 4 E for the set ids of the node
  index (int32). The index only exists for OPIM-C's R1, but the copies made
  while a collection doubles (old + new part + concatenation) reach the same
  total, so 8 E bounds the peak;
- 24 T for offsets (int64, doubled while concatenating), block sizes (int32)
  and the greedy's covered flags;
- ~50 n for the greedy's arrays (gain, lazy heap, index pointers, masks) and,
  per sampling thread, one visited flag per node and a growing output buffer;
- the graph arrays, plus a fixed allowance (320 MiB) for numba's runtime and
  JIT compilation on first use.

The mean RR-set size is replaced by an upper confidence bound
(mean + 4 standard errors, times 1.05), so a run that the guard lets through
does not exceed its estimate in practice (``tests/test_memory.py`` checks it).

Budgets: ``"80%"`` (of the memory available to this run: ``MemAvailable`` from
``/proc/meminfo``, capped by a cgroup limit, plus the graph arrays already held in
RAM), ``"16G"`` / ``"512MiB"`` / ``"1.5T"`` (binary units) or a number of bytes.
An explicit byte budget is trusted as given.
"""
from __future__ import annotations

import math
import mmap
import os
import re
from dataclasses import dataclass

import numpy as np

from ._validation import MemoryBudgetError, SeedwiseError

#: Default budget: this share of the memory available to the run.
DEFAULT_BUDGET = "80%"

#: RR sets in the pilot sample that measures the mean RR-set size.
PILOT_SETS = 2000

#: Fixed allowance for numba's runtime and JIT compilation (compiling the kernels
#: for new array types, e.g. a read-only memory-mapped graph, takes ~250 MB once;
#: measured in bench/bench_scale.py) and small Python objects.
OVERHEAD = 320 << 20

#: Bytes per RR entry (int32 node in the set + int32 set id in the node index).
BYTES_PER_ENTRY = 8

#: Bytes per RR set (int64 offset twice while concatenating, int32 block size,
#: covered flag, with slack).
BYTES_PER_SET = 24

#: Bytes per node for the greedy and bound computations (gain, heap, index
#: pointers and fill pointers int64, chosen / seed masks).
BYTES_PER_NODE = 48

_UNITS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}
_PATTERN = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*(%|[bkmgtp]?)(?:i?b)?\s*$", re.I)


# ------------------------------------------------------------------ budget
def available_memory():
    """Bytes of RAM this process may still allocate (``MemAvailable``, cgroup-capped).

    Reads ``/proc/meminfo``; elsewhere falls back to ``os.sysconf`` free pages.
    A cgroup v2 / v1 memory limit (containers) caps the answer.
    """
    avail = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    avail = int(line.split()[1]) * 1024
                    break
    except OSError:
        pass
    if avail is None:
        try:
            avail = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):  # pragma: no cover - exotic platforms
            avail = 4 << 30
    for limit_path, usage_path in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                                   ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
                                    "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        try:
            with open(limit_path) as f:
                limit = f.read().strip()
            with open(usage_path) as f:
                usage = int(f.read().strip())
        except (OSError, ValueError):
            continue
        if limit.isdigit() and int(limit) < (1 << 60):
            avail = min(avail, max(int(limit) - usage, 0))
        break
    return int(avail)


def parse_memory_budget(text=None, *, available=None):
    """Turn ``--max-memory`` text into bytes.

    Parameters
    ----------
    text : str, int or None
        ``"80%"`` (share of the available memory), ``"16G"``, ``"512MiB"``,
        ``"1.5T"``, ``"2000000000"`` (bytes) or an int. Units are binary
        (K = 1024). None means the default, ``"80%"``.
    available : int, optional
        What a percentage refers to (default :func:`available_memory`).

    Returns
    -------
    int
        The budget in bytes (> 0).

    Raises
    ------
    SeedwiseError
        For anything else, e.g. ``"0"``, ``"150%"``, ``"lots"``.
    """
    if text is None:
        text = DEFAULT_BUDGET
    if isinstance(text, bool):
        raise SeedwiseError(f"max_memory must be bytes (int), 'NN%' or a size like '16G'; got {text!r}")
    if isinstance(text, (int, np.integer)):
        value = int(text)
        if value <= 0:
            raise SeedwiseError(f"max_memory must be a positive number of bytes; got {value}")
        return value
    match = _PATTERN.match(str(text))
    if not match:
        raise SeedwiseError(
            f"--max-memory must be bytes, a percentage of the available memory or a size "
            f"with a unit (e.g. 17179869184, 80%, 16G, 512MiB); got {text!r}")
    number, unit = float(match.group(1)), match.group(2).lower()
    if unit == "%":
        if not 0 < number <= 100:
            raise SeedwiseError(f"--max-memory percentage must be in (0, 100]; got {text!r}")
        base = available_memory() if available is None else int(available)
        return max(1, int(base * number / 100.0))
    value = int(number * _UNITS[unit])
    if value <= 0:
        raise SeedwiseError(f"--max-memory must be positive; got {text!r}")
    return value


def format_bytes(n):
    """'1.5 GiB'-style text for messages."""
    n = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024.0
    return f"{n:.1f} TiB"  # pragma: no cover


# ---------------------------------------------------------------- estimates
def estimate_rr_bytes(avg_entries_per_set, count, *, n=0, threads=1, block=4096):
    """Peak bytes of ``count`` RR sets of mean size ``avg_entries_per_set``, with
    their node index and the greedy's working arrays.

    Parameters
    ----------
    avg_entries_per_set : float
        Mean RR-set size (use an upper bound, e.g. :attr:`Pilot.upper`).
    count : int
        RR sets held at the same time (OPIM-C: |R1| + |R2|).
    n : int, default 0
        Nodes of the graph, for the per-node greedy arrays.
    threads : int, default 1
        Sampling threads; each keeps a visited flag per node and an output buffer.
    block : int, default 4096
        RR sets per sampling block (``seedwise.sampling.rr_sets.BLOCK``).

    Returns
    -------
    int
    """
    entries = float(avg_entries_per_set) * float(count)
    per_thread = n + 2 * 4 * (8 * block + avg_entries_per_set * block)
    return int(math.ceil(BYTES_PER_ENTRY * entries + BYTES_PER_SET * count
                         + BYTES_PER_NODE * n + threads * per_thread))


def fits_here(entries, count, n, budget):
    """True when ``count`` RR sets of ``entries`` entries in all, with their node index
    and the greedy's arrays over ``n`` nodes, fit ``budget`` (see
    :func:`parse_memory_budget`; 0 fits nothing) in this process."""
    if budget == 0:
        return False
    need = estimate_rr_bytes(entries / max(count, 1), count, n=n, threads=0)
    return need <= parse_memory_budget(budget)


def graph_bytes(graph, *, resident_only=False):
    """Bytes of the graph's arrays (``resident_only``: skip memory-mapped ones)."""
    total = 0
    for value in vars(graph).values():
        if isinstance(value, np.ndarray):
            if resident_only and _is_mapped(value):
                continue
            # string ids: the pointer plus a small str object each
            total += value.nbytes + (64 * value.size if value.dtype == object else 0)
    return int(total)


def _is_mapped(a):
    for _ in range(32):
        if isinstance(a, np.memmap) or isinstance(a, mmap.mmap):
            return True
        if not isinstance(a, np.ndarray):
            return False
        a = a.base
    return False


@dataclass(frozen=True)
class Pilot:
    """Mean RR-set size measured on a pilot sample.

    mean, std : of the set sizes; count : sets sampled; upper : mean + 4
    standard errors, times 1.05 (what the guard plans with).
    """

    mean: float
    std: float
    count: int
    upper: float


def pilot(graph, model="ic", seed=0, *, count=PILOT_SETS, threads=None):
    """Sample ``count`` RR sets on their own streams and measure their sizes.

    The streams come from ``derive_seed(seed, 0x9170)``, disjoint from every
    collection a run uses, so running the pilot does not change any result.

    Returns
    -------
    Pilot
    """
    from .sampling import derive_seed, sample_rr_sets

    count = max(1, min(int(count), 50 * max(graph.n, 1)))
    rr = sample_rr_sets(graph, count, model=model, seed=derive_seed(seed, 0x9170), threads=threads)
    sizes = np.diff(rr.offsets).astype(np.float64)
    mean = float(sizes.mean())
    std = float(sizes.std())
    upper = min(float(graph.n), 1.05 * (mean + 4.0 * std / math.sqrt(count)) + 1.0)
    return Pilot(mean, std, count, upper)


class MemoryGuard:
    """Checks, before each round of RR sampling, that the run fits its budget.

    Parameters
    ----------
    graph : Graph
    model : {"ic", "lt"}
    seed : int
        The run's seed (the pilot uses its own streams derived from it).
    max_memory : int, str or None
        Budget (see :func:`parse_memory_budget`); None means 80% of the memory
        available to the run. A percentage counts the graph arrays already in
        RAM as available to the run (they are part of what it needs).
    threads : int
    algorithm : str
        Named in messages.
    workers : int, default 1
        RR sets are spread over this many processes (Ray backend, remote
        cluster): each holds 1/workers of them, plus the graph.
    theta_max : int, optional
        RR sets of the worst case, reported by :meth:`worst_case`.

    Notes
    -----
    The pilot is skipped while even RR sets as large as the graph (n nodes
    each) would fit; it only runs when the answer depends on it.
    """

    def __init__(self, graph, model, seed, max_memory=None, *, threads=1, algorithm="OPIM-C",
                 workers=1, theta_max=None):
        self.graph = graph
        self.model = model
        self.seed = seed
        self.threads = int(threads)
        self.algorithm = algorithm
        self.workers = max(1, int(workers))
        self.theta_max = theta_max
        self.graph_bytes = graph_bytes(graph)
        if max_memory is None or (isinstance(max_memory, str) and max_memory.strip().endswith("%")):
            available = available_memory() + graph_bytes(graph, resident_only=True)
            self.budget = parse_memory_budget(max_memory, available=available)
        else:
            self.budget = parse_memory_budget(max_memory)
        self._pilot = None

    @property
    def pilot(self):
        """The :class:`Pilot` (sampled on first use)."""
        if self._pilot is None:
            self._pilot = pilot(self.graph, self.model, self.seed, threads=self.threads)
        return self._pilot

    def estimate(self, count, avg=None):
        """Estimated peak bytes while ``count`` RR sets are held (graph included)."""
        if avg is None:
            avg = self.pilot.upper
        n = self.graph.n
        share = -(-int(count) // self.workers)
        return (self.graph_bytes + OVERHEAD
                + estimate_rr_bytes(avg, share, n=n, threads=self.threads))

    def fits(self, count):
        """True when ``count`` RR sets fit the budget (pilot sampled only if needed)."""
        if self.estimate(count, avg=max(self.graph.n, 1)) <= self.budget:
            return True
        return self.estimate(count) <= self.budget

    def check(self, count, stage="the first round"):
        """Raise MemoryBudgetError unless ``count`` RR sets fit.

        Parameters
        ----------
        count : int
            RR sets held after this round (all collections).
        stage : str
            What is about to happen, for the message.
        """
        if self.fits(count):
            return
        need = self.estimate(count)
        p = self.pilot
        per_set = BYTES_PER_ENTRY * p.upper + BYTES_PER_SET
        share = -(-int(count) // self.workers)
        sets = per_set * share
        buffers = need - sets - self.graph_bytes - OVERHEAD  # greedy arrays, per-thread sampling buffers
        where = f" per worker ({self.workers} workers)" if self.workers > 1 else ""
        hint = "a larger eps (RR sets scale with 1/eps^2)"
        if self.threads > 1:
            hint += ", fewer threads"
        hint += ", the Ray backend (--backend ray) to spread RR sets over machines"
        hint += ", or a larger --max-memory"
        raise MemoryBudgetError(
            f"{self.algorithm} needs about {format_bytes(need)}{where} for {stage} = "
            f"{format_bytes(sets)} for {share:,} RR sets (~{p.mean:.1f} nodes each, {format_bytes(per_set)} "
            f"per set with its index) + {format_bytes(self.graph_bytes)} graph + {format_bytes(OVERHEAD)} "
            f"allowance for numba's runtime and compilation + {format_bytes(buffers)} greedy and sampling "
            f"buffers, over the memory budget of {format_bytes(self.budget)}; use {hint}")

    def worst_case(self):
        """Estimated bytes at theta_max RR sets (None if theta_max is unknown)."""
        if self.theta_max is None:
            return None
        return self.estimate(self.theta_max)
