"""OPIM-C: online processing IM with a per-run approximation certificate.

References
----------
J. Tang, X. Tang, X. Xiao, J. Yuan. Online processing algorithms for influence
maximization. SIGMOD 2018, Algorithm 2 (OPIM-C); SPEC section 3.
"""
from __future__ import annotations

import math

from ..._timer import Timer
from ..._validation import validated
from ...backends import make_backend
from ...memory import MemoryGuard
from ...results import SelectionResult
from ...sampling import derive_seed
from ...selection import log_binomial, lower_bound, prefix_coverage, select, sizes, upper_bound
from ...selection.curve import coverage_curve
from ._args import run_args


@validated
def opim_c(graph, k, *, model="ic", eps=0.1, delta=None, seed=0, threads=None, progress=None,
           backend="local", address=None, num_workers=None, max_memory=None, curve=False):
    """Select k seeds with OPIM-C; the result certifies its own approximation ratio.

    Two independent RR collections are grown together: greedy maximum coverage
    picks S on R1, R2 gives an unbiased lower bound sigma_l on sigma(S), and the
    greedy's coverage upper bound on R1 gives sigma_u >= OPT. Sampling stops as
    soon as sigma_l / sigma_u >= 1 - 1/e - eps (or at theta_max, where the
    guarantee holds regardless).

    Parameters
    ----------
    graph : Graph
    k : int
        Number of seeds, 1 <= k <= n.
    model : {"ic", "lt"}, default "ic"
    eps : float in (0, 1), default 0.1
    delta : float in (0, 1), default 1/n
        Failure probability of the guarantee.
    seed : int, default 0
        Random seed; the result does not depend on ``threads``.
    threads : int, optional
    progress : callable, optional
        Called with the number of RR sets generated.
    backend : {"local", "ray"} or RayPool, default "local"
        Where RR sets are sampled and kept: this process, or Ray worker actors
        (see :mod:`seedwise.backends.ray`; a ``RayPool`` lends actors that stay
        up between runs). Both give the same result.
    address : str, optional
        Ray only: None (local Ray), "auto" or "HOST:PORT".
    num_workers : int, optional
        Ray only: worker actors (default: the cluster's CPUs).
    max_memory : int or str, optional
        Memory budget: bytes, "16G" or "80%" (the default: 80% of the available
        memory). Checked before sampling and before every doubling, from a
        pilot estimate of the RR-set size (see :mod:`seedwise.memory`).
    curve : bool, default False
        Also certify every prefix: ``result.curve`` rows then carry sigma_l,
        sigma_u and their ratio for each j = 1..k (see
        :mod:`seedwise.selection.curve`); without it the rows carry the
        spread estimate and marginal gain only.

    Returns
    -------
    SelectionResult
        seeds (original ids, selection order), spread (n Lambda_R2(S) / |R2|),
        lower = sigma_l, upper = sigma_u, ratio = sigma_l / sigma_u,
        target = 1 - 1/e - eps, n_rr_sets = |R1| + |R2|, times per phase,
        curve (one row per prefix S_j: spread on R2, marginal gain, certificate).

    Raises
    ------
    MemoryBudgetError
        When the next round of RR sets would not fit ``max_memory``.

    Notes
    -----
    With probability at least 1 - delta, sigma(S) >= ratio * OPT, and the
    returned S is (1 - 1/e - eps)-approximate.

    References
    ----------
    .. [1] Tang, Tang, Xiao, Yuan. "Online Processing Algorithms for Influence
       Maximization." SIGMOD 2018.

    Examples
    --------
    >>> import seedwise
    >>> g = seedwise.load_dataset("email-eu-core")
    >>> res = seedwise.maximize(g, k=5, algorithm="opim-c", seed=0)
    >>> res.ratio >= res.target
    True
    """
    args = run_args(graph, k, model, eps, delta, seed, threads)
    n, k, eps, delta = graph.n, args.k, args.eps, args.delta
    timer = Timer()
    theta_max = sizes.theta_max(n, log_binomial(n, k), eps, delta, k)
    theta_0 = sizes.theta_zero(theta_max, n, eps, k)
    i_max = sizes.i_max(theta_max, theta_0)
    a = sizes.failure_exponent(i_max, delta)
    target = sizes.target_im(eps)
    seed1, seed2 = derive_seed(args.seed, 1), derive_seed(args.seed, 2)
    theta = max(1, math.ceil(theta_0))

    store = make_backend(backend, graph, args.model, threads=threads, progress=progress,
                         address=address, num_workers=num_workers)
    guard = MemoryGuard(graph, args.model, args.seed, max_memory, threads=args.threads,
                        algorithm="OPIM-C", workers=store.machines, theta_max=2 * math.ceil(theta_max))
    try:
        guard.check(2 * theta, "the first round")
        r1, r2 = store.collection(seed1), store.collection(seed2)
        with timer("sampling"):
            r1.grow(theta)
            r2.grow(theta)
        for i in range(1, i_max + 1):
            with timer("selection"):
                cov = select(r1, k, curve=curve)
                cov2 = r2.coverage(cov.seeds)
                sigma_l = lower_bound(cov2, len(r2), n, a)
                sigma_u = upper_bound(cov.upper, len(r1), n, a)
                ratio = sigma_l / sigma_u
            if ratio >= target or i == i_max:
                break
            guard.check(2 * (len(r1) + len(r2)), f"round {i + 1} ({2 * len(r1):,} RR sets per collection)")
            with timer("sampling"):
                r1.grow(len(r1))
                r2.grow(len(r2))
        with timer("selection"):
            labels = graph.label(cov.seeds)
            rows = coverage_curve(labels, prefix_coverage(r2, cov.seeds), n, len(r2), uppers=cov.uppers,
                                  theta_upper=len(r1), a=a)
        extra = dict(rounds=i, i_max=i_max, edges_examined=r1.edges_examined + r2.edges_examined,
                     rr_entries=r1.total + r2.total)
        extra.update(store.describe())
    finally:
        store.close()
    return SelectionResult(
        algorithm="opim-c", model=args.model, k=k, seeds=labels, curve=rows,
        spread=n * cov2 / len(r2), lower=sigma_l, upper=sigma_u, ratio=ratio, target=target,
        n_rr_sets=len(r1) + len(r2), times=timer.done(),
        params=args.params(**extra),
    )
