"""Comparison tables: :class:`Comparison` (the records of :func:`seedwise.cim_compare`) and
:class:`MetricTable` (:func:`seedwise.evaluate_recommendations`), and :func:`frame`, the one
place that turns rows into a pandas DataFrame (also behind every ``Result.to_pandas``).
"""
from __future__ import annotations


def frame(rows, columns):
    """A pandas DataFrame of ``rows`` (tuples) with ``columns``; a clear error without pandas."""
    try:
        import pandas as pd
    except ImportError:
        from ._validation import SeedwiseError

        raise SeedwiseError("to_pandas needs pandas: pip install 'seedwise[interop]'") from None
    return pd.DataFrame.from_records(list(rows), columns=list(columns))


#: Columns of :meth:`Comparison.to_pandas`, one row per (algorithm, k).
COMPARISON_COLUMNS = ("algorithm", "k", "spread", "ci95_low", "ci95_high", "simulations", "distinct_seeds",
                      "recommendations", "seconds", "estimate", "lower_bound", "upper_bound", "approximation",
                      "rr_sets", "zero_gain_picks", "error")


class Comparison(list):
    """The records of :func:`seedwise.cim_compare`: one dict per (algorithm, k), the keys of
    ``seedwise cim-compare --json`` (a refused run has ``error`` instead of numbers).

    Attributes
    ----------
    query : CimQuery
        The APs, candidates and passive graph every run shared.
    simulations : int
        Monte-Carlo runs behind each ``spread``.
    """

    def __init__(self, records=(), *, query=None, simulations=None):
        super().__init__(records)
        self.query = query
        self.simulations = simulations

    def to_dict(self):
        """The object of ``seedwise cim-compare --json``."""
        q = self.query
        return {"aps": q.d, "aps_without_candidates": list(q.aps_without_candidates), "passive_nodes": q.n_p,
                "query_seconds": q.seconds, "simulations": self.simulations, "results": [dict(r) for r in self]}

    def to_pandas(self):
        """One row per (algorithm, k) with the columns ``COMPARISON_COLUMNS``."""
        nan = float("nan")
        rows = []
        for r in self:
            lo, hi = r.get("ci95") or (nan, nan)
            rows.append(tuple(lo if c == "ci95_low" else hi if c == "ci95_high" else
                              (r.get(c) if r.get(c) is not None or c == "error" else nan)
                              for c in COMPARISON_COLUMNS))
        return frame(rows, COMPARISON_COLUMNS)


class MetricTable(dict):
    """method -> {metric: value} (:func:`seedwise.evaluate_recommendations`); a dict with
    :meth:`to_pandas`: one row per method, one column per metric."""

    def to_dict(self):
        return {m: dict(row) for m, row in self.items()}

    def to_pandas(self):
        metrics = list(next(iter(self.values()))) if self else []
        df = frame([(m, *(row[k] for k in metrics)) for m, row in self.items()], ["method", *metrics])
        return df.set_index("method")
