"""Run a nogil numba kernel over index blocks on a pool of threads.

Work (RR sets, Monte-Carlo runs) is cut into contiguous index ranges. Each range
draws from streams keyed by its indices (see ``_random``), so the result is the
same for any thread count; results are returned in range order so that float
reductions are always made in the same order.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

_pool = None
_pool_lock = threading.Lock()


def split_range(start, stop, block):
    """[(a, b), ...] covering [start, stop) in blocks of at most ``block``."""
    return [(a, min(a + block, stop)) for a in range(start, stop, block)]


def _executor(threads):
    """One process-wide pool, grown when more threads are asked for: starting threads
    on every call would cost more than a small sampling batch takes."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool._max_workers < threads:
            old, _pool = _pool, ThreadPoolExecutor(max_workers=threads, thread_name_prefix="seedwise")
            if old is not None:
                old.shutdown(wait=False)
        return _pool


def map_blocks(fn, ranges, threads, progress=None):
    """``[fn(a, b) for a, b in ranges]`` computed on ``threads`` threads, in order.

    ``fn`` must release the GIL (numba ``nogil=True``) for the threads to overlap.
    ``progress``, if given, is called with the number of items finished after each
    block.
    """
    if threading.current_thread() is not threading.main_thread() or not ranges:
        out = []
        for a, b in ranges:
            out.append(fn(a, b))
            if progress is not None:
                progress(b - a)
        return out
    # even one thread runs on the pool: the main thread only waits, so Ctrl-C reaches it at
    # once instead of after a kernel block that may take minutes
    threads = max(1, threads)
    pool = _executor(threads)
    # a window of ``threads`` blocks in flight (the shared pool may be larger), results
    # taken in order, so progress moves as blocks finish
    futures = [pool.submit(fn, a, b) for a, b in ranges[:threads]]
    out = []
    for i, (a, b) in enumerate(ranges):
        out.append(futures[i].result())
        futures[i] = None
        if i + threads < len(ranges):
            futures.append(pool.submit(fn, *ranges[i + threads]))
        if progress is not None:
            progress(b - a)
    return out
