"""IMM: influence maximization via martingales.

References
----------
Y. Tang, Y. Shi, X. Xiao. Influence maximization in near-linear time: a
martingale approach. SIGMOD 2015, Algorithms 1-3 (with the corrected lower
bound search of Chen, arXiv:1808.09363); SPEC section 3.
"""
from __future__ import annotations

import math

import numpy as np

from ..._timer import Timer
from ..._validation import validated
from ...backends import make_backend
from ...memory import MemoryGuard
from ...results import SelectionResult
from ...sampling import derive_seed
from ...selection import log_binomial, select, sizes
from ...selection.curve import coverage_curve
from ._args import run_args


@validated
def imm(graph, k, *, model="ic", eps=0.1, delta=None, seed=0, threads=None, progress=None,
        backend="local", address=None, num_workers=None, max_memory=None):
    """Select k seeds with IMM: a (1 - 1/e - eps)-approximation w.p. >= 1 - delta.

    Phase 1 (sampling) searches for a lower bound LB on OPT by halving a guess x
    and testing greedy coverage on lambda'/x RR sets; phase 2 samples
    theta = lambda* / LB sets afresh and runs greedy maximum coverage on them.

    Parameters
    ----------
    graph : Graph
    k : int
        Number of seeds, 1 <= k <= n.
    model : {"ic", "lt"}, default "ic"
    eps : float in (0, 1), default 0.1
    delta : float in (0, 1), default 1/n
        Failure probability; IMM's l is set so that n^-l = delta, then raised by
        (1 + ln 2 / ln n) to cover both phases as in the paper.
    seed : int, default 0
    threads : int, optional
    progress : callable, optional
    backend : {"local", "ray"} or RayPool, default "local"
        Where RR sets are sampled and kept (see :mod:`seedwise.backends`); a
        ``RayPool`` lends its resident actors.
    address : str, optional
        Ray only: None (local Ray), "auto" or "HOST:PORT".
    num_workers : int, optional
        Ray only: worker actors (default: the cluster's CPUs).
    max_memory : int or str, optional
        Memory budget: bytes, "16G" or "80%" (default). Checked before each
        sampling step (see :mod:`seedwise.memory`).

    Returns
    -------
    SelectionResult
        seeds in selection order, spread = n Lambda_R(S) / |R| on the final
        collection, n_rr_sets counting both phases, times per phase. IMM has no
        per-run certificate: lower/upper/ratio are None; target = 1 - 1/e - eps.

    Raises
    ------
    MemoryBudgetError
        When the next RR collection would not fit ``max_memory``.

    Notes
    -----
    The final collection is sampled independently of the lower-bound search
    (Chen 2018 showed that reusing the search's sets breaks the martingale
    argument); this costs at most a factor of two in RR sets.

    References
    ----------
    .. [1] Tang, Shi, Xiao. "Influence Maximization in Near-Linear Time: A
       Martingale Approach." SIGMOD 2015.
    .. [2] W. Chen. "An Issue in the Martingale Analysis of the Influence
       Maximization Algorithm IMM." arXiv:1808.09363, 2018.

    Examples
    --------
    >>> import seedwise
    >>> g = seedwise.load_dataset("email-eu-core")
    >>> res = seedwise.maximize(g, k=5, algorithm="imm", seed=0)
    >>> len(res.seeds)
    5
    """
    args = run_args(graph, k, model, eps, delta, seed, threads)
    n, k = graph.n, args.k
    timer = Timer()
    imm_sizes = sizes.imm_sizes(n, log_binomial(n, k), args.eps, args.delta)
    eps_p = imm_sizes.eps_prime

    search_seed, final_seed = derive_seed(args.seed, 3), derive_seed(args.seed, 4)
    lb = 1.0
    store = make_backend(backend, graph, args.model, threads=threads, progress=progress,
                         address=address, num_workers=num_workers)
    guard = MemoryGuard(graph, args.model, args.seed, max_memory, threads=args.threads,
                        algorithm="IMM", workers=store.machines)
    try:
        rr = store.collection(search_seed)
        for i in range(1, imm_sizes.search_steps):
            x = n / 2.0 ** i
            theta_i = math.ceil(imm_sizes.lambda_prime / x)
            if theta_i > len(rr):
                guard.check(theta_i, f"the lower-bound search (step {i})")
                with timer("sampling"):
                    rr.grow(theta_i - len(rr))
            with timer("selection"):
                cov = select(rr, k)
            if n * cov.coverage / len(rr) >= (1.0 + eps_p) * x:
                lb = n * cov.coverage / (len(rr) * (1.0 + eps_p))
                break
        search_sets, search_edges = len(rr), rr.edges_examined
        rr.drop()  # the final collection is independent of the search's
        theta = max(1, math.ceil(imm_sizes.lambda_star / lb))
        guard.check(theta, "the final collection")
        final = store.collection(final_seed)
        with timer("sampling"):
            final.grow(theta)
        with timer("selection"):
            cov = select(final, k)
        extra = dict(lower_bound_opt=lb, edges_examined=search_edges + final.edges_examined)
        extra.update(store.describe())
    finally:
        store.close()
    labels = graph.label(cov.seeds)
    return SelectionResult(
        algorithm="imm", model=args.model, k=k, seeds=labels,
        curve=coverage_curve(labels, np.cumsum(cov.gains), n, len(final)),
        spread=n * cov.coverage / len(final), target=sizes.target_im(args.eps),
        n_rr_sets=search_sets + len(final), times=timer.done(),
        params=args.params(**extra),
    )
