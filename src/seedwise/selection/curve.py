"""Spread against k for every prefix of a greedy seed sequence, from the RR sets of the run.

Greedy maximum coverage is nested: the first j picks of a run for k are the picks
of a run for j. So one run gives the whole curve j = 1..k: the spread estimate of
S_j and, for OPIM-C, its certificate sigma_l(S_j) / sigma_u(OPT_j), with sigma_l
from the coverage of S_j on R2 and sigma_u from the greedy bound of j nodes on R1
(min over the greedy steps i of Lambda(S_i) + the j largest marginal coverages).

Each row's bounds hold with the run's probability (Tang et al., SIGMOD 2018,
Lemma 4.2 and Eq. (6)-(7), applied to S_j); all k rows at once hold with
probability at least 1 - k * delta by the union bound.

References
----------
J. Tang, X. Tang, X. Xiao, J. Yuan. Online processing algorithms for influence
maximization. SIGMOD 2018.
"""
from __future__ import annotations

import numpy as np

from .bounds import lower_bound, upper_bound

#: Keys of every row of a curve.
CURVE_KEYS = ("k", "seed", "marginal_gain", "spread", "lower_bound", "upper_bound", "approximation")


def coverage_curve(labels, prefix_cov, n, theta, *, uppers=None, theta_upper=None, a=None):
    """Rows of the spread curve from the prefix coverages of a seed sequence.

    Parameters
    ----------
    labels : list
        Original ids of the seeds, in selection order.
    prefix_cov : int array (k,)
        Lambda_R(S_j) on the collection that estimates the spread (R2 for OPIM-C).
    n : int
        Nodes of the graph.
    theta : int
        Size of that collection.
    uppers : int array (k,), optional
        Upper bounds on the optimal coverage of j nodes on R1 (OPIM-C); with
        them each row carries the certificate.
    theta_upper : int, optional
        |R1|, with ``uppers``.
    a : float, optional
        The confidence term of the bounds (OPIM-C's ln(3 i_max / delta)).

    Returns
    -------
    list of dict
        One row per prefix size j: ``k`` (= j), ``seed`` (the j-th pick),
        ``marginal_gain`` and ``spread`` (n Lambda(S_j) / theta and its increase),
        ``lower_bound``, ``upper_bound``, ``approximation`` (None without ``uppers``).
    """
    cov = np.asarray(prefix_cov, dtype=np.int64)
    spread = n * cov / max(int(theta), 1)
    gain = np.diff(np.concatenate([[0.0], spread]))
    rows = []
    for j, seed in enumerate(labels):
        lo = up = ratio = None
        if uppers is not None:
            lo = lower_bound(int(cov[j]), theta, n, a)
            up = upper_bound(int(uppers[j]), theta_upper, n, a)
            ratio = lo / up if up > 0 else None
        rows.append(dict(zip(CURVE_KEYS, (j + 1, seed, float(gain[j]), float(spread[j]), lo, up, ratio))))
    return rows


def gains_curve(labels, gains):
    """Rows of the curve from marginal gains in spread units (CELF's Monte-Carlo estimates)."""
    spread = np.cumsum(np.asarray(gains, dtype=np.float64))
    return [dict(zip(CURVE_KEYS, (j + 1, seed, float(g), float(s), None, None, None)))
            for j, (seed, g, s) in enumerate(zip(labels, np.asarray(gains, dtype=np.float64), spread))]
