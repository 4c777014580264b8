"""Progress on stderr, drawn by tqdm.

Algorithms take ``progress``: any callable that accepts a number of finished work
items (RR sets, simulations, bytes). :class:`Progress` is such a callable around a
``tqdm`` bar that appears only after ``delay`` seconds (short runs stay silent),
only when its stream is a terminal (pipes, files and ``--json`` output never see
it), and never after :func:`set_quiet` (the CLI's ``--quiet``).

An algorithm that knows its work before it starts (CELF's time estimate) calls
:meth:`Progress.announce`, which prints one line at once and sets the bar's total.
"""
from __future__ import annotations

import sys
import threading

_QUIET = False


def set_quiet(quiet=True):
    """Turn every :class:`Progress` created afterwards off (``--quiet``)."""
    global _QUIET
    _QUIET = bool(quiet)


def _is_terminal(stream):
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # closed stream
        return False


class Progress:
    """Callable progress counter drawn as a tqdm bar.

    Parameters
    ----------
    label : str
        What is being counted, e.g. ``"RR sets"``.
    total : int, optional
        Expected number of items; with it a bar, a percentage and the time left
        are drawn, without it a running count and rate.
    stream : file, default sys.stderr
    enabled : bool, optional
        Force drawing on or off; by default drawing happens only when ``stream`` is
        a terminal and :func:`set_quiet` was not called.
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
        self.stream = stream if stream is not None else sys.stderr
        self._forced_off = enabled is False
        if enabled is None:
            enabled = not _QUIET and _is_terminal(self.stream)
        self.enabled = bool(enabled)
        self.delay = float(delay)
        self.interval = float(interval)
        self.count = 0
        self._lock = threading.Lock()
        self._bar = None
        self._total = total
        if self.enabled:
            self._open(label, total)

    def _open(self, label, total):
        from tqdm import tqdm

        self._bar = tqdm(total=total, desc=label, file=self.stream, delay=self.delay, mininterval=self.interval,
                         unit_scale=True, dynamic_ncols=True, leave=False, smoothing=0.1)

    @property
    def total(self):
        return self._total

    @total.setter
    def total(self, total):
        with self._lock:
            self._total = total
            if self._bar is not None:
                self._bar.total = total
                self._bar.refresh()

    def __call__(self, n=1):
        with self._lock:
            self.count += int(n)
            if self._bar is not None:
                self._bar.update(int(n))

    def set_label(self, label, total=None):
        """Start counting something else (the count restarts)."""
        with self._lock:
            self.label, self._total, self.count = label, total, 0
            if self._bar is not None:
                self._bar.close()
                self._open(label, total)

    def announce(self, text, total=None):
        """Print ``text`` on its own line now and set the expected total.

        The line is printed unless the bar was turned off (``enabled=False`` or
        ``--quiet``), also when the stream is not a terminal: a log should say
        what a long run expects before it starts.
        """
        if self.enabled or not (self._forced_off or _QUIET):
            try:
                print(text, file=self.stream, flush=True)
            except (ValueError, OSError):
                pass
        if total is not None:
            self.total = total

    def close(self):
        """Remove the bar if it was drawn."""
        with self._lock:
            if self._bar is not None:
                self._bar.close()
                self._bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
