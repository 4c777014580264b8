"""How many RR sets: every sample-size formula of the RR algorithms, written once.

- OPIM-C's theta_max, theta_0, i_max and the per-round failure exponent
  a = ln(1 / p_f) (Tang, Tang, Xiao, Yuan, SIGMOD 2018, Algorithm 2; SPEC section 3);
  RR-OPIM+ and HeteroIM use the same theta_max with their own approximation ratio,
  number of assignments and seed count (SPEC sections 4 and 5);
- IMM's lambda' and lambda* and its lower-bound search (Tang, Shi, Xiao, SIGMOD 2015,
  with the ell of Chen, arXiv:1808.09363; SPEC section 3);
- the approximation targets the certificates are compared with.

References
----------
J. Tang, X. Tang, X. Xiao, J. Yuan. Online processing algorithms for influence
maximization. SIGMOD 2018.
Y. Tang, Y. Shi, X. Xiao. Influence maximization in near-linear time: a martingale
approach. SIGMOD 2015.
S. Zhang, Y. Huang, J. Sun, W. Lin, X. Xiao, B. Tang. Capacity constrained influence
maximization in social networks. KDD 2023.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

#: greedy's ratio for cardinality constraints, 1 - 1/e
APPROX_IM = 1.0 - 1.0 / math.e
#: greedy's ratio under a partition matroid (CIM's per-AP capacities, HIM's per-inviter lists)
APPROX_PARTITION = 0.5


def target_im(eps):
    """The ratio OPIM-C certifies and IMM guarantees: 1 - 1/e - eps."""
    return APPROX_IM - eps


def target_partition(eps):
    """The ratio RR-OPIM(+) certifies: 1/2 - eps."""
    return APPROX_PARTITION - eps


def theta_max(n, log_choices, eps, delta, seeds, approx=APPROX_IM):
    """OPIM-C's largest collection size (SPEC section 3).

    theta_max = 2 n (approx sqrt(ln 6/delta) + sqrt(approx (L + ln 6/delta)))^2 / (eps^2 seeds)

    with L = ``log_choices`` the log of the number of feasible answers (ln C(n, k) for
    k seeds) and ``seeds`` a lower bound on the optimum's size in nodes (k; chi for
    RR-OPIM+; k |A| for HeteroIM). With n = 1 and eps = 1 it is the authors' start
    of RR-OPIM+ before the division by sqrt(chi).
    """
    ln6 = math.log(6.0 / delta)
    return 2.0 * n * (approx * math.sqrt(ln6) + math.sqrt(approx * (log_choices + ln6))) ** 2 / (eps * eps * seeds)


def theta_zero(theta_max_, n, eps, seeds):
    """OPIM-C's first collection size theta_0 = theta_max eps^2 seeds / n (unrounded)."""
    return theta_max_ * eps * eps * seeds / n


def i_max(theta_max_, theta_0):
    """Rounds of doubling from theta_0 to theta_max: ceil(log2(theta_max / theta_0)), at least 1."""
    return max(1, math.ceil(math.log2(max(theta_max_ / theta_0, 1.0))))


def failure_exponent(i_max_, delta):
    """a = ln(1 / p_f) with p_f = delta / (3 i_max): each bound of each round fails w.p. <= p_f."""
    return math.log(3.0 * i_max_ / delta)


@dataclass(frozen=True)
class ImmSizes:
    """IMM's constants for n nodes, ln C(n, k) = ``log_choices``, eps and delta.

    lambda_prime : lambda' of the lower-bound search (Algorithm 2: theta_i = lambda' / x)
    lambda_star : lambda* of the final collection (theta = lambda* / LB)
    eps_prime : sqrt(2) eps
    search_steps : the search tries x = n / 2^i for i = 1 .. search_steps - 1
    """

    lambda_prime: float
    lambda_star: float
    eps_prime: float
    search_steps: int


def imm_sizes(n, log_choices, eps, delta):
    """IMM's lambda' and lambda* (ell raised by 1 + ln 2 / ln n to cover both phases)."""
    log_n = math.log(n) if n > 1 else 1.0
    ell = math.log(1.0 / delta) / log_n
    ell = ell * (1.0 + math.log(2.0) / log_n)
    eps_p = math.sqrt(2.0) * eps
    lambda_p = ((2.0 + 2.0 / 3.0 * eps_p) * (log_choices + ell * log_n + math.log(max(math.log2(n), 1.0)))
                * n / (eps_p ** 2))
    alpha = math.sqrt(ell * log_n + math.log(2.0))
    beta = math.sqrt(APPROX_IM * (log_choices + ell * log_n + math.log(2.0)))
    lambda_star = 2.0 * n * (APPROX_IM * alpha + beta) ** 2 / (eps ** 2)
    return ImmSizes(lambda_p, lambda_star, eps_p, max(2, math.ceil(math.log2(n))))
