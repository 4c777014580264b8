"""Several CIM algorithms on one query, each answer measured by Monte-Carlo on P
(``seedwise cim-compare``)."""
from __future__ import annotations

from ..._validation import CIM, Constraint, check_int, validated
from ...results import Comparison
from .greedy import TooSlowError
from .query import build_query
from .solve import ALGORITHMS, cim, cim_spread

DEFAULT_ALGORITHMS = ("rr-opim+eb", "rr-opim+", "rr-opim", "local-degree", "local-pagerank", "local-opim-c")


@validated(**CIM, algorithms=Constraint("choices", choices=lambda: tuple(ALGORITHMS)))
def cim_compare(graph, aps, ks, algorithms=DEFAULT_ALGORITHMS, *, simulations=10_000, eps=0.1, delta=None,
                capacities=None, seed=0, threads=None, model="ic", progress=None, on_skip=None, weight=None):
    """Run every algorithm at every capacity k on the same query; measure each answer's spread on P.

    Parameters
    ----------
    graph : Graph, networkx graph, scipy.sparse matrix or pandas DataFrame
    aps : list of original ids, or CimQuery
    ks : int or sequence of int
        Capacities to compare.
    algorithms : sequence of str
        Names from :data:`seedwise.algorithms.cim.ALGORITHMS`.
    simulations : int, default 10000
        Monte-Carlo runs on P per answer (:func:`cim_spread`).
    eps, delta, capacities, seed, threads, model
        As in :func:`cim`.
    progress : callable, optional
        Called with the RR sets, then the simulations, of each run; if it has
        ``set_label(label, total)`` (:class:`seedwise._progress.Progress`), each
        algorithm's run is labelled ("rr-opim+ k=5: MC").
    on_skip : callable, optional
        Called with (algorithm, k, message) when a greedy run is refused as too slow.
    weight : str, optional
        The probability attribute or column of a networkx or pandas graph.

    Returns
    -------
    Comparison
        One record per (algorithm, k): spread and ci95 (MC on P), distinct seeds,
        recommendations, seconds, the algorithm's own estimate and certificate,
        RR sets, zero-gain picks; ``error`` for a refused run. ``to_pandas()`` gives one row each.

    Raises
    ------
    SeedwiseError
        Unknown algorithms, capacities below 1, or what :func:`cim` refuses.
    """
    ks = [ks] if isinstance(ks, int) else list(ks)
    ks = list(dict.fromkeys(check_int("ks", k, 1) for k in ks)) or [check_int("ks", None, 1)]
    query = build_query(graph, aps)
    relabel = getattr(progress, "set_label", None)
    records = Comparison(query=query, simulations=simulations)
    for k in ks:
        for name in algorithms:
            rec = {"algorithm": name, "k": k}
            if relabel is not None:
                relabel(f"{name} k={k}: RR sets")
            try:
                res = cim(graph, query, k, algorithm=name, eps=eps, delta=delta, capacities=capacities, seed=seed,
                          threads=threads, model=model, progress=progress)
            except TooSlowError as e:
                rec["error"] = str(e)
                records.append(rec)
                if on_skip is not None:
                    on_skip(name, k, str(e))
                continue
            if relabel is not None:
                relabel(f"{name} k={k}: MC on P", simulations)
            est = cim_spread(graph, query, res, simulations=simulations, seed=seed, threads=threads, model=model,
                             progress=progress)
            rec.update(spread=est.mean, ci95=list(est.ci95), simulations=est.simulations,
                       distinct_seeds=res.distinct_seeds, recommendations=len(res.friends),
                       seconds=res.seconds, times=dict(res.times), estimate=res.spread,
                       lower_bound=res.lower, upper_bound=res.upper, approximation=res.ratio,
                       rr_sets=res.n_rr_sets, zero_gain_picks=res.zero_gain_picks)
            records.append(rec)
    return records
