"""Seconds per named phase of a run, shared by every algorithm family."""
from __future__ import annotations

import time
from contextlib import contextmanager


class Timer:
    """Accumulates seconds per named phase: ``with timer("sampling"): ...``."""

    def __init__(self):
        self.times = {}
        self._start = time.perf_counter()

    @contextmanager
    def __call__(self, phase):
        t = time.perf_counter()
        try:
            yield
        finally:
            self.times[phase] = self.times.get(phase, 0.0) + time.perf_counter() - t

    def done(self):
        self.times["total"] = time.perf_counter() - self._start
        return dict(self.times)
