"""Concentration bounds on spread from RR-set coverage.

References
----------
J. Tang, X. Tang, X. Xiao, J. Yuan. Online processing algorithms for influence
maximization. SIGMOD 2018 (OPIM-C), Lemma 4.2 / Eq. (6)-(7); SPEC section 3.
"""
from __future__ import annotations

import math


def log_binomial(n, k):
    """ln C(n, k) via log-gamma (0 outside 0 <= k <= n)."""
    if k < 0 or k > n:
        return 0.0
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def lower_bound(coverage, theta, n, a):
    """sigma_l: with probability >= 1 - e^-a, sigma(S) >= this, from Lambda_R2(S).

    sigma_l = ((sqrt(Lambda + 2a/9) - sqrt(a/2))^2 - a/18) * n / theta
    """
    x = (math.sqrt(coverage + 2.0 * a / 9.0) - math.sqrt(a / 2.0)) ** 2 - a / 18.0
    return max(x, 0.0) * n / theta


def upper_bound(coverage_upper, theta, n, a):
    """sigma_u: with probability >= 1 - e^-a, OPT <= this, from an upper bound U on
    the optimal coverage in R1.

    sigma_u = (sqrt(U + a/2) + sqrt(a/2))^2 * n / theta
    """
    return (math.sqrt(coverage_upper + a / 2.0) + math.sqrt(a / 2.0)) ** 2 * n / theta
