"""Edge-probability schemes (SPEC section 1).

- ``wc``: weighted cascade, p(u, v) = 1 / indeg(v)
- ``uniform:P``: p(u, v) = P
- ``trivalency``: p drawn uniformly from {0.1, 0.01, 0.001} with a fixed seed
- ``given``: the third column is the probability
- ``counts``: the third column is an interaction count, normalised per target:
  w(u, v) / sum of w(*, v) (CIM section 7.2)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._numba import kernel
from .._validation import SeedwiseError, check_probabilities

SCHEMES = ("wc", "uniform:P", "trivalency", "given", "counts")
TRIVALENCY = np.array([0.1, 0.01, 0.001])
TRIVALENCY_SEED = 20090628  # fixed, so every load of a graph gets the same draws


@dataclass(frozen=True)
class Scheme:
    name: str
    p: float = 0.0

    @property
    def needs_values(self):
        return self.name in ("given", "counts")

    @property
    def label(self):
        return f"uniform:{self.p:g}" if self.name == "uniform" else self.name


def parse(weights):
    """Parse "wc", "uniform:0.01", "trivalency", "given", "counts" into a Scheme."""
    if isinstance(weights, Scheme):
        return weights
    text = str(weights).strip().lower()
    if text.startswith("uniform"):
        _, _, p = text.partition(":")
        try:
            p = float(p)
        except ValueError:
            p = float("nan")
        if not (0.0 < p <= 1.0):
            raise SeedwiseError(f"weights uniform:P needs P in (0, 1], e.g. uniform:0.01; got {weights!r}")
        return Scheme("uniform", p)
    if text in ("wc", "trivalency", "given", "counts"):
        return Scheme(text)
    raise SeedwiseError(f"weights must be one of {', '.join(SCHEMES)}; got {weights!r}")


def probabilities(scheme, u, v, values, in_indptr, n):
    """float32 probability of each edge (edges sorted by (u, v)); SeedwiseError unless finite in [0, 1]."""
    p = _raw_probabilities(scheme, u, v, values, in_indptr, n)
    if len(p) and not (np.isfinite(p).all() and p.min() >= 0 and p.max() <= 1):
        raise SeedwiseError(f"weights={scheme.label!r} gave probabilities that are not finite numbers in [0, 1]")
    return p


def _raw_probabilities(scheme, u, v, values, in_indptr, n):
    m = len(u)
    if scheme.name == "wc":
        indeg = np.diff(in_indptr)
        return (1.0 / indeg[v]).astype(np.float32)
    if scheme.name == "uniform":
        return np.full(m, scheme.p, dtype=np.float32)
    if scheme.name == "trivalency":
        rng = np.random.default_rng(TRIVALENCY_SEED)
        return TRIVALENCY[rng.integers(0, 3, size=m)].astype(np.float32)
    if scheme.name == "given":
        check_probabilities("edge probabilities (third column)", values)
        return values.astype(np.float32)
    # counts: normalise per target node; dividing by the target's largest count first keeps
    # the sum finite (two counts of 1e308 give 0.5 each, not inf and then 0)
    values = np.asarray(values, dtype=np.float64)
    top = np.zeros(n, dtype=np.float64)
    np.maximum.at(top, v, values)
    scale = top[v]
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(scale > 0, values / scale, 0.0)
        total = np.bincount(v, weights=scaled, minlength=n)
        p = np.where(total[v] > 0, scaled / total[v], 0.0)
    return p.astype(np.float32)


@kernel
def shared_in_probability(in_indptr, in_prob):
    """p where every in-edge of a node has probability p, else -1 (float32, shape (n,))."""
    n = in_indptr.shape[0] - 1
    out = np.full(n, -1.0, dtype=np.float32)
    for v in range(n):
        a, b = in_indptr[v], in_indptr[v + 1]
        if b == a:
            out[v] = 0.0
            continue
        p = in_prob[a]
        same = True
        for j in range(a + 1, b):
            if in_prob[j] != p:
                same = False
                break
        if same:
            out[v] = p
    return out
