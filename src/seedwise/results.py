"""Result objects: one hierarchy for the three problems and the spread estimate; the
comparison tables (:class:`Comparison`, :class:`MetricTable`) live in :mod:`seedwise.tables`
and are re-exported here.

:class:`Result` holds what every answer shares (algorithm, k, the spread estimate,
the certificate sigma_l / sigma_u against its target, RR sets, times, parameters)
and gives ``status``, ``to_dict`` (JSON), ``rows`` / ``to_pandas`` (one row per
chosen node) and a short repr. :class:`SelectionResult` (classic IM),
:class:`CimResult` (capacity constrained IM) and :class:`Recommendations` (HIM)
derive from it. Results hold original node ids, never a Graph.

Node ids are original ids (Python ints where every id of the graph is an
integer, strings otherwise), in selection or rank order.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from .tables import COMPARISON_COLUMNS, Comparison, MetricTable, frame  # noqa: F401 (re-exported)

#: ``Result.status`` values
TARGET_MET = "target met"
STOPPED_AT_THETA_MAX = "stopped at theta_max"
NO_CERTIFICATE = "no certificate"


def _nan(x):
    return float("nan") if x is None else x


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

    def to_pandas(self):
        """One row: spread, ci95_low, ci95_high, simulations, method, seconds."""
        lo, hi = self.ci95
        return frame([(self.mean, lo, hi, self.simulations, self.method, self.seconds)],
                     ["spread", "ci95_low", "ci95_high", "simulations", "method", "seconds"])

    def __repr__(self):
        lo, hi = self.ci95
        return (f"<SpreadEstimate {self.mean:,.2f} (95% CI {lo:,.2f} .. {hi:,.2f}, "
                f"{self.simulations:,} {self.method} runs)>")


@dataclass(frozen=True, eq=False, kw_only=True, repr=False)
class Result:
    """What every answer shares.

    Attributes
    ----------
    algorithm : str
    k : int or None
        Seeds (IM), friends per AP (CIM; None when every AP has its own capacity),
        list length (HIM).
    spread : float or None
        The algorithm's own estimate of the spread; None where it estimates nothing.
    lower, upper : float or None
        sigma_l and sigma_u where the algorithm certifies its answer.
    ratio : float or None
        lower / upper, the approximation the certificate proves.
    target : float or None
        The ratio the algorithm aims at (1 - 1/e - eps, 1/2 - eps).
    n_rr_sets : int
        RR sets generated (0 for Monte-Carlo and heuristics).
    times : dict
        Seconds per phase ("sampling", "selection", ...), and "total".
    params : dict
        eps, delta, seed, threads and anything else the run used.
    """

    #: column names of :meth:`rows` (and of the CSV the CLI writes)
    ROW_HEADER = ()

    algorithm: str
    k: int | None
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

    @property
    def status(self):
        """``"target met"`` (ratio >= target), ``"stopped at theta_max"`` (the run used
        its largest collection without reaching the target; the a-priori guarantee
        still holds) or ``"no certificate"`` (the algorithm certifies nothing)."""
        if self.ratio is None or self.target is None:
            return NO_CERTIFICATE
        return TARGET_MET if self.ratio >= self.target else STOPPED_AT_THETA_MAX

    def _fields(self):
        """The class's own keys of :meth:`to_dict`, after algorithm and k."""
        return {}

    def to_dict(self):
        """The JSON object of the CLI's ``--json``: shared keys and the class's own."""
        return {
            "algorithm": self.algorithm,
            "k": self.k,
            **self._fields(),
            "spread": self.spread,
            "lower_bound": self.lower,
            "upper_bound": self.upper,
            "approximation": self.ratio,
            "target": self.target,
            "status": self.status,
            "rr_sets": self.n_rr_sets,
            "seconds": self.seconds,
            "times": dict(self.times),
            "params": dict(self.params),
        }

    def rows(self):
        """One tuple per chosen node, with the columns ``ROW_HEADER``."""
        return []

    def to_pandas(self):
        """:meth:`rows` as a pandas DataFrame (columns ``ROW_HEADER``)."""
        return frame(self.rows(), self.ROW_HEADER)

    def _summary(self):
        """The class's part of the repr, after the algorithm."""
        return ""

    def __repr__(self):
        spread = f", spread ~ {self.spread:,.1f}" if self.spread is not None else ""
        cert = ""
        if self.ratio is not None:
            cmp = "" if self.target is None else f" {'>=' if self.ratio >= self.target else '<'} {self.target:.3f}"
            cert = f", sigma_l/sigma_u = {self.lower:,.1f}/{self.upper:,.1f} = {self.ratio:.3f}{cmp}"
        return (f"<{type(self).__name__} {self.algorithm} {self._summary()}{spread}{cert}, "
                f"{self.n_rr_sets:,} RR sets, {self.seconds:.3f} s>")


@dataclass(frozen=True, eq=False, kw_only=True, repr=False)
class SelectionResult(Result):
    """Seeds chosen by an IM algorithm (see :class:`Result` for the shared fields).

    Attributes
    ----------
    model : str
    seeds : list
        Original ids in selection order.
    curve : list of dict or None
        Spread against k for every prefix of the seeds, from the run's own
        samples (RR sets, or CELF's simulations): one row per j = 1..k with
        ``k``, ``seed``, ``marginal_gain``, ``spread`` and, for OPIM-C with
        ``curve=True``, ``lower_bound``, ``upper_bound``, ``approximation``
        (see :mod:`seedwise.selection.curve`). None for the heuristics.
    """

    ROW_HEADER = ("rank", "seed", "marginal_gain", "cumulative_spread", "lower_bound", "upper_bound",
                  "approximation")

    model: str
    seeds: list
    curve: list | None = None

    def _fields(self):
        return {"model": self.model, "seeds": list(self.seeds),
                "curve": None if self.curve is None else [dict(r) for r in self.curve]}

    def rows(self):
        """One tuple per seed: rank, seed, marginal_gain, cumulative_spread (the spread
        of the first ``rank`` seeds), lower_bound, upper_bound, approximation (the
        certificate of that prefix, with ``maximize(..., curve=True)``). NaN where the
        run has no such number (heuristics estimate nothing)."""
        nan = float("nan")
        if self.curve is None:
            return [(i, s, nan, nan, nan, nan, nan) for i, s in enumerate(self.seeds, 1)]
        return [(r["k"], r["seed"], r["marginal_gain"], r["spread"], _nan(r["lower_bound"]), _nan(r["upper_bound"]),
                 _nan(r["approximation"])) for r in self.curve]

    def _summary(self):
        return f"{self.model} k={self.k}: seeds [{_short(self.seeds)}]"


@dataclass(frozen=True, eq=False, kw_only=True, repr=False)
class CimResult(Result):
    """Recommended friends per AP, with the spread of their union on P.

    The recommendations are stored flat (AP i owns ``friends[indptr[i]:indptr[i+1]]``,
    in rank order); :attr:`assignments`, :attr:`gains` and :attr:`weights` give them
    as dicts keyed by AP id, built on first use. Shared fields: :class:`Result`
    (``spread`` is n_p Lambda_R2(S) / |R2| for the OPIM family; use ``cim_spread``
    for an independent estimate; ``n_rr_sets`` is |R1| + |R2|; ``times`` has
    "query", "sampling", "selection", "total").

    Attributes
    ----------
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
    aps_without_candidates : list
        APs whose out-neighbours are all APs: reported, never silently dropped.
    pick : int64 (p,) or None
        Position of each recommendation in the order the algorithm picked them.
    zero_gain_picks : int or None
        Recommendations whose marginal coverage in the RR sample was 0 when picked:
        the sample said nothing about them (None for algorithms without a sample).
    zero_gain_fill : str or None
        How those picks were filled (the tie rule, or the prior of the default).
    """

    ROW_HEADER = ("ap", "rank", "friend", "marginal_gain", "weight", "pick", "cumulative_spread", "zero_gain")

    ap_ids: list
    indptr: np.ndarray
    friends: list
    marginal_gains: np.ndarray
    edge_weights: np.ndarray
    distinct_seeds: int
    aps_without_candidates: list = field(default_factory=list)
    pick: np.ndarray | None = None
    zero_gain_picks: int | None = None
    zero_gain_fill: str | None = None

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

    def _fields(self):
        return {"assignments": {str(ap): list(friends) for ap, friends in self.assignments.items()},
                "distinct_seeds": self.distinct_seeds,
                "aps_without_candidates": list(self.aps_without_candidates),
                "zero_gain_picks": self.zero_gain_picks,
                "zero_gain_fill": self.zero_gain_fill}

    def rows(self):
        """One tuple per recommendation, grouped by AP in rank order (``ROW_HEADER``): ap,
        rank (from 1), friend, marginal_gain, weight, pick (the selection step),
        cumulative_spread (the sum of the marginal gains of every recommendation
        picked up to this one: the estimate of the union's spread so far) and
        zero_gain (True when the pick had zero marginal coverage in the RR sample);
        gains, cumulative spreads and zero_gain are None where the algorithm has none."""
        gains = self.marginal_gains.astype(np.float64)
        pick = np.arange(len(gains)) if self.pick is None else np.asarray(self.pick)
        in_order = np.argsort(pick, kind="stable")
        cumulative = np.empty(len(gains))
        cumulative[in_order] = np.cumsum(gains[in_order])
        none = lambda x: None if math.isnan(x) else x  # noqa: E731
        sampled = self.zero_gain_picks is not None
        weights, bounds = self.edge_weights.tolist(), self.indptr.tolist()
        gains, cumulative, pick = gains.tolist(), cumulative.tolist(), pick.tolist()
        return [(ap, j - a + 1, self.friends[j], none(gains[j]), weights[j], int(pick[j]), none(cumulative[j]),
                 gains[j] == 0 if sampled else None)
                for ap, a, b in zip(self.ap_ids, bounds[:-1], bounds[1:]) for j in range(a, b)]

    def ranked_by_weight(self):
        """This result with each AP's friends in descending edge weight (as deployed);
        equal weights keep the selection order."""
        ap_of = np.repeat(np.arange(len(self.ap_ids)), np.diff(self.indptr))
        order = np.lexsort((np.arange(len(ap_of)), -self.edge_weights, ap_of))
        return replace(self, friends=[self.friends[i] for i in order.tolist()],
                       marginal_gains=self.marginal_gains[order], edge_weights=self.edge_weights[order],
                       pick=None if self.pick is None else np.asarray(self.pick)[order],
                       params={**self.params, "rank_by_weight": True})

    def _summary(self):
        k = f"k={self.k}" if self.k is not None else "k=per-AP"
        return f"{k}: {len(self.ap_ids):,} APs, {self.distinct_seeds:,} distinct seeds"


@dataclass(frozen=True, eq=False, kw_only=True, repr=False)
class Recommendations(Result):
    """Per-inviter top-k invitee lists (``algorithm`` is the method's name).

    Rows are grouped by inviter (in the order the inviters were given, unknown ones
    left out) and ranked within each group: ``inviter[r]`` recommends
    ``invitee[r]`` at ``rank[r]`` (1-based) with ``score[r]``. An inviter with fewer
    than k out-neighbours gets all of them; one with none gets an empty list.

    Attributes
    ----------
    inviters : list
        Original ids of the inviters served (duplicates and unknown ids removed).
    aps : int32 ndarray
        Dense ids of ``inviters``.
    inviter, invitee : int32 ndarray (rows,)
        Dense node ids.
    inviter_ids, invitee_ids : list (rows,)
        The same as original ids.
    rank : int32 ndarray (rows,)
    score : float64 ndarray (rows,)
    skipped : list
        Inviter ids left out because they are not nodes of the graph.
    zero_gain_picks : int or None
        hetero-im: pairs with no marginal coverage in its sample, taken by priority
        to fill the lists (None for the other methods).
    """

    ROW_HEADER = ("inviter", "rank", "invitee", "score")

    inviters: list
    aps: np.ndarray
    inviter: np.ndarray
    rank: np.ndarray
    invitee: np.ndarray
    score: np.ndarray
    inviter_ids: list
    invitee_ids: list
    skipped: list = field(default_factory=list)
    zero_gain_picks: int | None = None

    @property
    def method(self):
        """The recommender's name (the same as ``algorithm``)."""
        return self.algorithm

    def __len__(self):
        return int(self.rank.shape[0])

    def rows(self):
        """[(inviter id, rank, invitee id, score), ...] in original ids, in rank order."""
        return list(zip(self.inviter_ids, self.rank.tolist(), self.invitee_ids, self.score.tolist()))

    def lists(self):
        """{inviter id: [invitee id, ...]} in rank order (every served inviter, maybe empty)."""
        out = {i: [] for i in self.inviters}
        for i, _, j, _ in self.rows():
            out[i].append(j)
        return out

    def _fields(self):
        recs = {str(i): [] for i in self.inviters}
        for i, _, j, s in self.rows():
            recs[str(i)].append({"invitee": j, "score": s})
        out = {"method": self.algorithm, "recommendations": recs, "skipped": list(self.skipped)}
        if self.zero_gain_picks is not None:
            out["zero_gain_picks"] = self.zero_gain_picks
        return out

    def _summary(self):
        skipped = f", {len(self.skipped)} unknown inviters skipped" if self.skipped else ""
        return f"k={self.k}: {len(self.inviters):,} inviters, {len(self):,} pairs{skipped}"


@dataclass(frozen=True, eq=False, kw_only=True, repr=False)
class ExampleSelection(Result):
    """Examples chosen to be labelled (IDEAL), with what the choice is worth on their
    neighbour graph (see :class:`Result` for the shared fields: ``algorithm`` is the
    method, ``k`` the budget, ``lower`` / ``upper`` the certificate of "ideal").

    Attributes
    ----------
    indices : list of int
        0-based rows of ``X``, in selection order.
    neighbors : int
    metric, model, weights : str
    graph_nodes, graph_edges : int
    knn_method : str
        "exact", "ivf" or "nndescent".
    knn_recall : float or None
        Recall of an approximate search against the exact one on a sample (1.0 when
        exact).
    """

    ROW_HEADER = ("rank", "index")

    indices: list
    neighbors: int
    metric: str
    model: str
    weights: str
    graph_nodes: int
    graph_edges: int
    knn_method: str
    knn_recall: float | None = None

    @property
    def budget(self):
        return self.k

    @property
    def method(self):
        return self.algorithm

    def _fields(self):
        return {"indices": list(self.indices), "budget": self.k, "method": self.algorithm,
                "neighbors": self.neighbors, "metric": self.metric, "model": self.model, "weights": self.weights,
                "graph": {"nodes": self.graph_nodes, "edges": self.graph_edges},
                "knn": {"method": self.knn_method, "recall": self.knn_recall}}

    def rows(self):
        return [(r, i) for r, i in enumerate(self.indices, 1)]

    def _summary(self):
        return (f"budget={self.k}: rows [{_short(self.indices)}], {self.neighbors}-NN {self.metric} graph "
                f"n={self.graph_nodes:,} m={self.graph_edges:,}")
