"""Result objects: frozen dataclasses with a short repr and a ``to_dict`` for JSON.

Node ids are original ids (Python ints where every id of the graph is an
integer, strings otherwise), seeds in selection order.
"""
from __future__ import annotations

from dataclasses import dataclass, field


def _ratio_text(lower, upper, ratio, target):
    if ratio is None:
        return ""
    tgt = f" >= {target:.3f}" if target is not None and ratio >= target else (
        f" < {target:.3f}" if target is not None else "")
    return f", sigma_l/sigma_u = {lower:,.1f}/{upper:,.1f} = {ratio:.3f}{tgt}"


def _short(items, limit=8):
    items = list(items)
    head = ", ".join(str(x) for x in items[:limit])
    return head + (f", ... ({len(items)} in all)" if len(items) > limit else "")


@dataclass(frozen=True)
class SpreadEstimate:
    """Mean spread with a 95% confidence interval.

    Attributes
    ----------
    mean : float
    ci95 : (float, float)
        Normal-approximation interval (MC) or the RR estimator's interval.
    simulations : int
        Monte-Carlo runs, or RR sets for an RR estimate.
    method : str
        "mc" or "rr".
    """

    mean: float
    ci95: tuple
    simulations: int
    method: str = "mc"
    seconds: float = 0.0

    def to_dict(self):
        return {"spread": self.mean, "ci95": list(self.ci95), "simulations": self.simulations,
                "method": self.method, "seconds": self.seconds}

    def __repr__(self):
        lo, hi = self.ci95
        return (f"<SpreadEstimate {self.mean:,.2f} (95% CI {lo:,.2f} .. {hi:,.2f}, "
                f"{self.simulations:,} {self.method} runs)>")


@dataclass(frozen=True)
class SelectionResult:
    """Seeds chosen by an IM algorithm.

    Attributes
    ----------
    algorithm, model : str
    k : int
    seeds : list
        Original ids in selection order.
    spread : float
        The algorithm's own estimate (RR coverage on R2 for OPIM-C); None for
        heuristics that estimate nothing.
    lower, upper : float or None
        sigma_l and sigma_u where the algorithm certifies its answer.
    ratio : float or None
        lower / upper, the approximation the certificate proves.
    target : float or None
        The ratio the algorithm aims at (1 - 1/e - eps).
    n_rr_sets : int
        RR sets generated (0 for MC and heuristics).
    times : dict
        Seconds per phase ("sampling", "selection", ...), and "total".
    params : dict
        eps, delta, seed, threads and anything else the run used.
    """

    algorithm: str
    model: str
    k: int
    seeds: list
    spread: float | None = None
    lower: float | None = None
    upper: float | None = None
    ratio: float | None = None
    target: float | None = None
    n_rr_sets: int = 0
    times: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)

    @property
    def seconds(self):
        return self.times.get("total", sum(self.times.values()))

    def to_dict(self):
        return {
            "algorithm": self.algorithm,
            "model": self.model,
            "k": self.k,
            "seeds": list(self.seeds),
            "spread": self.spread,
            "lower_bound": self.lower,
            "upper_bound": self.upper,
            "approximation": self.ratio,
            "target": self.target,
            "rr_sets": self.n_rr_sets,
            "seconds": self.seconds,
            "times": dict(self.times),
            "params": dict(self.params),
        }

    def __repr__(self):
        spread = f", spread ~ {self.spread:,.1f}" if self.spread is not None else ""
        return (f"<SelectionResult {self.algorithm} {self.model} k={self.k}: seeds [{_short(self.seeds)}]"
                f"{spread}{_ratio_text(self.lower, self.upper, self.ratio, self.target)}"
                f", {self.n_rr_sets:,} RR sets, {self.seconds:.3f} s>")
