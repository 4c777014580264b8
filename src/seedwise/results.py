"""Result objects: frozen dataclasses with a short repr and a ``to_dict`` for JSON.

Node ids are original ids (Python ints where every id of the graph is an
integer, strings otherwise), seeds in selection order.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np


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


@dataclass(frozen=True, eq=False)
class CimResult:
    """Recommended friends per AP, with the spread of their union on P.

    The recommendations are stored flat (AP i owns ``friends[indptr[i]:indptr[i+1]]``,
    in rank order); :attr:`assignments`, :attr:`gains` and :attr:`weights` give them
    as dicts keyed by AP id, built on first use.

    Attributes
    ----------
    algorithm : str
    k : int or None
        The global capacity (None when every AP had its own capacity).
    ap_ids : list
        Every AP of the query (original ids) in query order, those without
        candidates included (with no friends).
    indptr : int64 (d+1,)
    friends : list
        Friend ids (original ids), rank order within each AP.
    marginal_gains : float64 (p,)
        Marginal gain of each friend in spread units: coverage gain * n_p / |R1| for
        the RR algorithms, the oracle's gain for the greedy ones, NaN for the degree
        and PageRank baselines.
    edge_weights : float64 (p,)
        Weight (intimacy) of each edge AP -> friend.
    distinct_seeds : int
        Size of the union of all friends.
    spread : float or None
        The algorithm's own estimate of the union's spread on P (n_p Lambda_R2(S) / |R2|
        for the OPIM family); use :func:`cim_spread` for an independent one.
    lower, upper, ratio, target : float or None
        sigma_l, sigma_u, sigma_l / sigma_u and 1/2 - eps for the OPIM family.
    n_rr_sets : int
        RR sets generated (|R1| + |R2| for the OPIM family).
    times : dict
        Seconds per phase: "query", "sampling", "selection", "total".
    aps_without_candidates : list
        APs whose out-neighbours are all APs: reported, never silently dropped.
    params : dict
        eps, delta, seed, threads and what the algorithm used (theta_0, i_max, chi...).
    """

    algorithm: str
    k: int | None
    ap_ids: list
    indptr: np.ndarray
    friends: list
    marginal_gains: np.ndarray
    edge_weights: np.ndarray
    distinct_seeds: int
    spread: float | None = None
    lower: float | None = None
    upper: float | None = None
    ratio: float | None = None
    target: float | None = None
    n_rr_sets: int = 0
    times: dict = field(default_factory=dict)
    aps_without_candidates: list = field(default_factory=list)
    params: dict = field(default_factory=dict)

    @property
    def seconds(self):
        return self.times.get("total", sum(self.times.values()))

    def _per_ap(self, values):
        bounds = self.indptr.tolist()
        return {ap: values[a:b] for ap, a, b in zip(self.ap_ids, bounds[:-1], bounds[1:])}

    @cached_property
    def assignments(self):
        """dict: AP id -> list of friend ids in rank order (every AP is a key)."""
        return self._per_ap(self.friends)

    @cached_property
    def gains(self):
        """dict: AP id -> marginal gains (None where the algorithm has none)."""
        return self._per_ap([None if math.isnan(g) else g for g in self.marginal_gains.tolist()])

    @cached_property
    def weights(self):
        """dict: AP id -> edge weights AP -> friend."""
        return self._per_ap(self.edge_weights.tolist())

    @property
    def seeds(self):
        """Distinct friends, in order of first appearance over the APs."""
        return list(dict.fromkeys(self.friends))

    def to_dict(self):
        """The JSON object of ``seedwise cim --json`` (keys fixed by issue 3)."""
        return {
            "algorithm": self.algorithm,
            "k": self.k,
            "assignments": {str(ap): list(friends) for ap, friends in self.assignments.items()},
            "distinct_seeds": self.distinct_seeds,
            "spread": self.spread,
            "lower_bound": self.lower,
            "upper_bound": self.upper,
            "approximation": self.ratio,
            "rr_sets": self.n_rr_sets,
            "seconds": self.seconds,
            "aps_without_candidates": list(self.aps_without_candidates),
        }

    def rows(self):
        """(ap, rank, friend, marginal_gain, weight) per recommendation; rank from 1,
        marginal_gain None where the algorithm has none."""
        gains = [None if math.isnan(g) else g for g in self.marginal_gains.tolist()]
        weights = self.edge_weights.tolist()
        bounds = self.indptr.tolist()
        for ap, a, b in zip(self.ap_ids, bounds[:-1], bounds[1:]):
            for j in range(a, b):
                yield ap, j - a + 1, self.friends[j], gains[j], weights[j]

    def ranked_by_weight(self):
        """This result with each AP's friends in descending edge weight (as deployed);
        equal weights keep the selection order."""
        ap_of = np.repeat(np.arange(len(self.ap_ids)), np.diff(self.indptr))
        order = np.lexsort((np.arange(len(ap_of)), -self.edge_weights, ap_of))
        return replace(self, friends=[self.friends[i] for i in order.tolist()],
                       marginal_gains=self.marginal_gains[order], edge_weights=self.edge_weights[order],
                       params={**self.params, "rank_by_weight": True})

    def __repr__(self):
        spread = f", spread ~ {self.spread:,.1f}" if self.spread is not None else ""
        cert = ""
        if self.ratio is not None:
            cmp = ">=" if self.ratio >= self.target else "<"
            cert = (f", sigma_l/sigma_u = {self.lower:,.1f}/{self.upper:,.1f} = {self.ratio:.3f} "
                    f"{cmp} {self.target:.3f}")
        k = f"k={self.k}" if self.k is not None else "k=per-AP"
        return (f"<CimResult {self.algorithm} {k}: {len(self.ap_ids):,} APs, "
                f"{self.distinct_seeds:,} distinct seeds{spread}{cert}, {self.n_rr_sets:,} RR sets, "
                f"{self.seconds:.3f} s>")


@dataclass(frozen=True, eq=False)
class Recommendations:
    """Per-inviter top-k invitee lists.

    Rows are grouped by inviter (in the order the inviters were given, unknown ones
    left out) and ranked within each group: ``inviter[r]`` recommends
    ``invitee[r]`` at ``rank[r]`` (1-based) with ``score[r]``. An inviter with fewer
    than k out-neighbours gets all of them; one with none gets an empty list.

    Attributes
    ----------
    method : str
    k : int
    inviters : list
        Original ids of the inviters served (duplicates and unknown ids removed).
    aps : int32 ndarray
        Dense ids of ``inviters``.
    inviter, invitee : int32 ndarray (rows,)
        Dense node ids.
    rank : int32 ndarray (rows,)
    score : float64 ndarray (rows,)
    skipped : list
        Inviter ids left out because they are not nodes of the graph.
    n_rr_sets : int
        RR sets sampled (hetero-im only).
    times : dict
        Seconds per phase and "total".
    params : dict
        The parameters the run used.
    """

    method: str
    k: int
    inviters: list
    aps: np.ndarray
    inviter: np.ndarray
    rank: np.ndarray
    invitee: np.ndarray
    score: np.ndarray
    skipped: list = field(default_factory=list)
    n_rr_sets: int = 0
    times: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    graph: object = field(default=None, repr=False)

    @property
    def seconds(self):
        return self.times.get("total", 0.0)

    def __len__(self):
        return int(self.rank.shape[0])

    def rows(self):
        """[(inviter id, rank, invitee id, score), ...] in original ids, in rank order."""
        return list(zip(self.graph.label(self.inviter), self.rank.tolist(),
                        self.graph.label(self.invitee), self.score.tolist()))

    def lists(self):
        """{inviter id: [invitee id, ...]} in rank order (every served inviter, maybe empty)."""
        out = {i: [] for i in self.inviters}
        for i, _, j, _ in self.rows():
            out[i].append(j)
        return out

    def to_dict(self):
        """``method``, ``k`` and ``recommendations``: inviter id (str) -> [{"invitee", "score"}]."""
        recs = {str(i): [] for i in self.inviters}
        for i, _, j, s in self.rows():
            recs[str(i)].append({"invitee": j, "score": s})
        return {"method": self.method, "k": self.k, "recommendations": recs}

    def __repr__(self):
        skipped = f", {len(self.skipped)} unknown inviters skipped" if self.skipped else ""
        return (f"<Recommendations {self.method} k={self.k}: {len(self.inviters):,} inviters, "
                f"{len(self):,} pairs{skipped}, {self.seconds:.3f} s>")
