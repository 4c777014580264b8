"""Shared argument handling and timing for the algorithm entry points."""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass

from .._validation import check_delta, check_eps, check_int, check_model, check_seed, check_threads


@dataclass(frozen=True)
class RunArgs:
    """Validated arguments of one run."""

    k: int
    model: str
    eps: float
    delta: float
    seed: int
    threads: int

    def params(self, **extra):
        return {"eps": self.eps, "delta": self.delta, "seed": self.seed, "threads": self.threads, **extra}


def check_k(k, n):
    return check_int("k", k, 1, n, hint=" (the number of nodes)" if n else "")


def run_args(graph, k, model="ic", eps=0.1, delta=None, seed=0, threads=None):
    """Validate the common arguments against ``graph`` (LT validity included)."""
    model = check_model(model)
    if model == "lt":
        graph.check_lt()
    return RunArgs(
        k=check_k(k, graph.n), model=model, eps=check_eps(eps), delta=check_delta(delta, graph.n),
        seed=check_seed(seed), threads=check_threads(threads),
    )


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
