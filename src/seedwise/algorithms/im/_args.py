"""The arguments of one run of OPIM-C or IMM, checked already by :func:`~seedwise._validation.validated`."""
from __future__ import annotations

from dataclasses import dataclass

from ..._validation import default_threads


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


def run_args(graph, k, model, eps, delta, seed, threads):
    """The run's arguments (``threads=None``: every numba thread)."""
    return RunArgs(k=k, model=model, eps=eps, delta=delta, seed=seed, threads=default_threads(threads))
