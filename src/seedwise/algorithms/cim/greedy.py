"""MG-Greedy and RR-Greedy on a spread oracle (Monte-Carlo on P by default), with CELF
lazy evaluation; small graphs only, refused when the estimated time exceeds
``max_seconds``.

References
----------
S. Zhang, Y. Huang, J. Sun, W. Lin, X. Xiao, B. Tang. Capacity constrained influence
maximization in social networks. KDD 2023 (MG-Greedy, RR-Greedy).
J. Leskovec et al. Cost-effective outbreak detection in networks. KDD 2007 (CELF).
"""
from __future__ import annotations

import time

import numpy as np

from ..._validation import SeedwiseError
from ...sampling import derive_seed
from ...selection.lazy import lazy_forward
from ._run import _ORACLE, picks


class TooSlowError(SeedwiseError):
    """A greedy run whose estimated oracle time exceeds ``max_seconds``."""


def _oracle(run):
    """(oracle, probe) on seed sets given as G ids: the spread oracle f(P, dense P ids)
    -> float (the ``oracle`` option or Monte-Carlo on P, which is built for them) and
    a function timing one call of it on a seed set."""
    q = run.query
    P, p_of_g = q.passive, q.p_of_g

    def on_p(seeds):
        return p_of_g[np.asarray(seeds, dtype=np.int64)].astype(np.int32)

    oracle = run.options.get("oracle")
    if oracle is not None:
        if not callable(oracle):
            raise SeedwiseError("oracle must be a callable (passive_graph, dense_seeds) -> spread")

        def value(seeds):
            return oracle(P, on_p(seeds))

        def probe(seeds):
            t0 = time.perf_counter()
            value(seeds)
            return time.perf_counter() - t0

        return value, probe
    from ...diffusion.monte_carlo import monte_carlo_spread

    simulations = run.options.get("simulations", 10_000)
    seed = derive_seed(run.seed, _ORACLE)  # one seed for every call: common random numbers

    def mc(seeds, runs=simulations):
        return monte_carlo_spread.__wrapped__(P, on_p(seeds), model=run.model, simulations=runs, seed=seed,
                                              threads=run.threads).mean

    def probe(seeds):
        # MC time is linear in the runs: time a few and scale, so refusing is quick
        runs = min(simulations, 100)
        t0 = time.perf_counter()
        mc(seeds, runs)
        return (time.perf_counter() - t0) * simulations / runs

    return mc, probe


def _check_cost(run, probe, name):
    """Refuse a greedy run whose oracle calls would take more than ``max_seconds``.

    The probe times one call on a full feasible assignment (about the largest seed
    sets the greedy evaluates); CELF needs at least one call per distinct candidate
    plus one per pick.
    """
    max_seconds = run.options.get("max_seconds", 3600.0)
    q = run.query
    taken = np.zeros(q.graph.n, dtype=bool)
    probe_set = []
    for u in range(q.d):
        cands = q.cand[q.cand_indptr[u]:q.cand_indptr[u + 1]]
        free = cands[~taken[cands]][:run.cap[u]]
        taken[free] = True
        probe_set.extend(free.tolist())
    per_call = probe(np.array(probe_set, dtype=np.int32))
    calls = len(q.owners()[0]) + len(probe_set)
    estimate = calls * per_call
    if estimate > max_seconds:
        raise TooSlowError(
            f"{name} would need at least {calls:,} spread evaluations of about {per_call:.3g} s each "
            f"(~{estimate / 60:,.0f} min > max_seconds={max_seconds:g} s). Use algorithm='rr-opim+' "
            "(the same 1/2 - eps guarantee in seconds), fewer simulations, or a larger max_seconds.")
    return dict(oracle_calls_estimate=calls, seconds_per_call=per_call)


def _mg_greedy(run):
    """MG-Greedy with CELF: the feasible pair of largest marginal gain, lazily re-evaluated."""
    oracle, probe = _oracle(run)
    q = run.query
    cost = _check_cost(run, probe, "mg-greedy")
    cand_nodes, owner_indptr, owner_aps = q.owners()
    left = run.cap.copy()
    seeds, value = [], [0.0]
    pick_ap, pick_node, pick_gain = [], [], []

    def free_owners(key):
        owners = owner_aps[owner_indptr[key[1]]:owner_indptr[key[1] + 1]]
        return owners[left[owners] > 0]

    def gain_of(key):
        return oracle(np.array(seeds + [key[0]], dtype=np.int32)) - value[0]

    def take(key, gain):
        u = int(free_owners(key)[0])
        left[u] -= 1
        seeds.append(key[0])
        value[0] += gain
        pick_ap.append(u)
        pick_node.append(key[0])
        pick_gain.append(gain)

    with run.timer("selection"):
        # keys (node, position among the candidates): ties go to the smaller node id
        heap = [(-oracle(np.array([v], dtype=np.int32)), (v, j), 0) for j, v in enumerate(cand_nodes.tolist())]
        calls = lazy_forward(heap, len(heap), gain_of, take, feasible=lambda key: len(free_owners(key)) > 0)
    return picks(pick_ap, pick_node, pick_gain, spread=value[0], params=dict(oracle_calls=calls, **cost))


def _rr_greedy(run):
    """RR-Greedy with CELF: rounds over the open APs, each taking its best friend; cached
    gains are upper bounds (submodularity) and are re-evaluated only when on top."""
    oracle, probe = _oracle(run)
    q = run.query
    cost = _check_cost(run, probe, "rr-greedy")
    n = q.graph.n
    cached = np.full(n, np.inf)
    stamp = np.full(n, -1, dtype=np.int64)
    seeded = np.zeros(n, dtype=bool)
    count = np.zeros(q.d, dtype=np.int64)
    is_open = (run.cap > 0) & (q.n_candidates > 0)
    seeds, value, calls = [], 0.0, 0
    pick_ap, pick_node, pick_gain = [], [], []
    with run.timer("selection"):
        while is_open.any():
            for u in np.flatnonzero(is_open).tolist():
                cands = q.cand[q.cand_indptr[u]:q.cand_indptr[u + 1]]
                cands = cands[~seeded[cands]]
                if len(cands) == 0:
                    is_open[u] = False
                    continue
                while True:
                    v = int(cands[np.argmax(cached[cands])])  # first max: smallest id
                    if stamp[v] == len(seeds):
                        break
                    cached[v] = oracle(np.array(seeds + [v], dtype=np.int32)) - value
                    stamp[v] = len(seeds)
                    calls += 1
                seeded[v] = True
                seeds.append(v)
                value += cached[v]
                pick_ap.append(u)
                pick_node.append(v)
                pick_gain.append(cached[v])
                count[u] += 1
                if count[u] >= run.cap[u]:
                    is_open[u] = False
    return picks(pick_ap, pick_node, pick_gain, spread=value, params=dict(oracle_calls=calls, **cost))
