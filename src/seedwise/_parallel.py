"""Run a nogil numba kernel over index blocks on a pool of threads.

Work (RR sets, Monte-Carlo runs) is cut into contiguous index ranges. Each range
draws from streams keyed by its indices (see ``_random``), so the result is the
same for any thread count; results are returned in range order so that float
reductions are always made in the same order.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor


def split_range(start, stop, block):
    """[(a, b), ...] covering [start, stop) in blocks of at most ``block``."""
    return [(a, min(a + block, stop)) for a in range(start, stop, block)]


def map_blocks(fn, ranges, threads, progress=None):
    """``[fn(a, b) for a, b in ranges]`` computed on ``threads`` threads, in order.

    ``fn`` must release the GIL (numba ``nogil=True``) for the threads to overlap.
    ``progress``, if given, is called with the number of items finished after each
    block.
    """
    if threads <= 1 or len(ranges) <= 1:
        out = []
        for a, b in ranges:
            out.append(fn(a, b))
            if progress is not None:
                progress(b - a)
        return out
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(fn, a, b) for a, b in ranges]
        out = []
        for (a, b), f in zip(ranges, futures):
            out.append(f.result())
            if progress is not None:
                progress(b - a)
        return out
