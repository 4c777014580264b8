"""The context of one CIM run: validated arguments, the query, the RR stream labels.

Every algorithm of the family is a function ``run -> picks`` (see :func:`picks`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..._timer import Timer
from ...sampling import derive_seed, sample_rr_sets
from .query import CimQuery

# stream labels (derive_seed) of the random collections; distinct so that R1, R2,
# the oracles and the evaluation never share random numbers
_R1, _R2, _CHI, _ORACLE, _IMM_SEARCH, _IMM_FINAL, _EVAL_MC, _EVAL_RR = 1, 2, 21, 22, 23, 24, 31, 32

#: How the picks of zero marginal coverage are filled, per selector.
FILL_TIE_RULE = "the tie rule: largest expected one-hop spread on P (1 + sum of p(v, w)), then smaller id"
FILL_PRIOR = "the prior: largest expected one-hop spread on P (1 + sum of p(v, w)), scaled to the sample"


@dataclass
class _Run:
    """Validated arguments and the query of one run."""

    query: CimQuery
    cap: np.ndarray
    model: str
    eps: float
    delta: float
    seed: int
    threads: int
    progress: object
    timer: Timer
    options: dict
    backend: object = None
    max_memory: object = None

    @property
    def n_p(self):
        return self.query.n_p

    def sample(self, count, label, start=0):
        """RR sets of P: sampled on G with the APs blocked (SPEC section 5.2)."""
        q = self.query
        return sample_rr_sets(q.graph, int(count), model=self.model, seed=derive_seed(self.seed, label),
                              start=start, threads=self.threads, progress=self.progress, blocked=q.blocked)

    def grow(self, rr, count, label):
        """``rr`` extended to ``count`` sets (the same stream, so the prefix is unchanged)."""
        if rr is None:
            return self.sample(count, label)
        if count > len(rr):
            rr = rr.extend(self.sample(count - len(rr), label, len(rr)))
        return rr


def picks(ap, node, gain=None, **extra):
    return dict(pick_ap=np.asarray(ap, dtype=np.int64), pick_node=np.asarray(node, dtype=np.int64),
                pick_gain=None if gain is None else np.asarray(gain, dtype=np.float64), **extra)
