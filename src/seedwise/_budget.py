"""Bounded work: a run's time and memory are estimated before it starts, and refused past a limit.

``spread --simulations 1e12`` or ``--rr-sets 1e12`` must not start and never
return. :func:`check_work` times a short pilot of the same kernel (1, then 2, 4, ...
items until it has run for PILOT_SECONDS), extrapolates to the whole count, and
raises with the estimate and what to change when the run would take longer than
``max_seconds`` (default DEFAULT_MAX_SECONDS) or need more memory than is
available. CELF does the same with its own cost model (``algorithms/celf.py``).
"""
from __future__ import annotations

import time

from ._validation import Constraint, MemoryBudgetError, SeedwiseError, check_float

#: Longest run started without an explicit ``max_seconds`` (CLI ``--max-seconds``).
DEFAULT_MAX_SECONDS = 3600.0
#: ``max_seconds`` of functions whose default (None) means DEFAULT_MAX_SECONDS, for ``@validated``.
OPTIONAL_SECONDS = Constraint("float", 0.0, low_open=True, optional=True)
#: Seconds of pilot work behind an estimate.
PILOT_SECONDS = 0.05


def duration(seconds):
    """'3.2 hours', '4.0 minutes', '12 seconds'."""
    if seconds >= 86400 * 365:
        return f"{seconds / (86400 * 365):,.3g} years"
    if seconds >= 3600:
        return f"{seconds / 3600:,.1f} hours"
    if seconds >= 60:
        return f"{seconds / 60:.1f} minutes"
    return f"{seconds:.2g} seconds"


def per_item_seconds(run, count):
    """Seconds per item of ``run(a, b)`` (items a..b-1), timed on at most ``count`` items.

    Item 0 runs first, untimed: it loads or compiles the kernel.
    """
    run(0, 1)
    if count <= 1:
        return 0.0
    items, start, spent = 1, 1, 0.0
    while True:
        b = min(start + items, count)
        t = time.perf_counter()
        run(start, b)
        spent += time.perf_counter() - t
        if spent >= PILOT_SECONDS or b >= count:
            return spent / (b - 1)
        start, items = b, 2 * items


def check_work(what, count, seconds_each, bytes_each, *, threads=1, max_seconds=None,
               available=None, flag=None):
    """Raise before the work starts when ``count`` items would take too long or need too much memory.

    Parameters
    ----------
    what : str
        The items, for messages ("Monte-Carlo runs", "RR sets").
    count : int
    seconds_each : float
        Measured seconds per item on one thread.
    bytes_each : float
        Bytes held per item until the end of the run.
    threads : int, default 1
    max_seconds : float, optional
        Longest accepted run (default DEFAULT_MAX_SECONDS).
    available : int, optional
        Bytes of memory the run may use (default: 80% of the available memory).
    flag : str, optional
        Option that sets ``count`` on the command line, for the message.

    Returns
    -------
    float
        The estimated seconds.

    Raises
    ------
    SeedwiseError
        Estimated time above ``max_seconds``.
    MemoryBudgetError
        Estimated memory above ``available``.
    """
    from .memory import available_memory, format_bytes

    limit = DEFAULT_MAX_SECONDS if max_seconds is None else check_float("max_seconds", max_seconds, 0.0,
                                                                       low_open=True)
    fewer = f"fewer {what}" + (f" ({flag})" if flag else "")
    need = float(count) * float(bytes_each)
    budget = 0.8 * available_memory() if available is None else float(available)
    if need > budget:
        raise MemoryBudgetError(
            f"{count:,} {what} would hold about {format_bytes(need)}, over the memory budget of "
            f"{format_bytes(budget)}; use {fewer}")
    seconds = float(count) * float(seconds_each) / max(1, int(threads))
    if seconds > limit:
        raise SeedwiseError(
            f"{count:,} {what} would take about {duration(seconds)} (estimated from a timed pilot), "
            f"over max_seconds={limit:g}; use {fewer}, or allow it with a larger max_seconds "
            "(CLI: --max-seconds)")
    return seconds
