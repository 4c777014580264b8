"""A tiny progress indicator for stderr (no tqdm dependency).

Algorithms take ``progress``: any callable that accepts a number of finished work
items (RR sets, simulations, lines). :class:`Progress` is such a callable; it draws
nothing until ``delay`` seconds have passed, so short runs stay silent, and nothing at
all unless its stream is a terminal, so pipes, files and ``--json`` output never see it.
"""
from __future__ import annotations

import sys
import threading
import time


class Progress:
    """Callable progress counter drawn on one terminal line.

    Parameters
    ----------
    label : str
        What is being counted, e.g. ``"RR sets"``.
    total : int, optional
        Expected number of items; with it a bar and a percentage are drawn, without
        it a running count and rate. May be set later through :attr:`total`.
    stream : file, default sys.stderr
    enabled : bool, optional
        Force drawing on or off; by default drawing happens only when ``stream`` is
        a terminal.
    delay : float, default 1.0
        Seconds before anything is drawn.
    interval : float, default 0.1
        Minimum seconds between redraws.

    Examples
    --------
    >>> p = Progress("RR sets", enabled=False)
    >>> p(4096); p(4096)
    >>> p.count
    8192
    >>> p.close()
    """

    def __init__(self, label="", total=None, *, stream=None, enabled=None, delay=1.0, interval=0.1):
        self.label = label
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            try:
                enabled = bool(isatty and isatty())
            except (ValueError, OSError):  # closed stream
                enabled = False
        self.enabled = enabled
        self.delay = float(delay)
        self.interval = float(interval)
        self.count = 0
        self._start = time.perf_counter()
        self._last_draw = 0.0
        self._width = 0
        self._lock = threading.Lock()

    def __call__(self, n=1):
        with self._lock:
            self.count += int(n)
            if not self.enabled:
                return
            now = time.perf_counter()
            if now - self._start < self.delay or now - self._last_draw < self.interval:
                return
            self._last_draw = now
            self._draw(now)

    def set_label(self, label, total=None):
        """Start counting something else (the count restarts)."""
        with self._lock:
            self.label = label
            self.total = total
            self.count = 0

    def _draw(self, now):
        elapsed = now - self._start
        rate = self.count / elapsed if elapsed > 0 else 0.0
        if self.total:
            frac = min(self.count / self.total, 1.0)
            bar = "#" * int(24 * frac)
            text = f"{self.label} [{bar:<24}] {100 * frac:5.1f}% {_human(self.count)}/{_human(self.total)}"
        else:
            text = f"{self.label} {_human(self.count)}"
        text += f"  {elapsed:.1f} s  {_human(rate)}/s"
        pad = max(self._width - len(text), 0)
        self._width = len(text)
        try:
            self.stream.write("\r" + text + " " * pad)
            self.stream.flush()
        except (ValueError, OSError):
            self.enabled = False

    def close(self):
        """Erase the line if anything was drawn."""
        with self._lock:
            if self.enabled and self._width:
                try:
                    self.stream.write("\r" + " " * self._width + "\r")
                    self.stream.flush()
                except (ValueError, OSError):
                    pass
            self._width = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _human(x):
    x = float(x)
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(x) >= scale:
            return f"{x / scale:.1f}{unit}"
    return f"{x:.0f}"
