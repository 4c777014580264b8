"""Validated arguments of the classic IM algorithms (OPIM-C, IMM)."""
from __future__ import annotations

from dataclasses import dataclass

from ..._validation import check_delta, check_eps, check_k, check_model, check_seed, check_threads


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


def run_args(graph, k, model="ic", eps=0.1, delta=None, seed=0, threads=None):
    """Validate the common arguments against ``graph`` (LT validity included)."""
    model = check_model(model)
    if model == "lt":
        graph.check_lt()
    return RunArgs(
        k=check_k(k, graph.n), model=model, eps=check_eps(eps), delta=check_delta(delta, graph.n),
        seed=check_seed(seed), threads=check_threads(threads),
    )
