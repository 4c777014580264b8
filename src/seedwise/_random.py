"""Counter-based random streams for the numba kernels.

Every unit of random work (one RR set, one Monte-Carlo run) owns a stream seeded
from ``(seed, index)`` through SplitMix64, so the numbers it draws do not depend
on which thread or Ray worker handles it: results are identical across thread
counts and backends. The generator itself is SplitMix64 (Steele, Lea, Flood,
OOPSLA 2014): a 64-bit state advanced by a constant and mixed, small enough to
live in a register inside the kernels.

Kernels keep the state as a local ``uint64`` and call ``next_state`` then
``to_unit`` (or ``below``). An edit here recompiles every kernel that inlines these
helpers (see ``_numba.py``: the cache stamp covers every numba file of the package).
"""
import numpy as np

from ._numba import inline

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_INV53 = 1.0 / 9007199254740992.0  # 2**-53



@inline
def mix64(z):
    """SplitMix64 finaliser: a bijective 64-bit mix. uint64 -> uint64."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@inline
def stream(seed, index):
    """Initial state of the stream of work item ``index`` under ``seed``."""
    return mix64(np.uint64(seed) ^ mix64(np.uint64(index) * GOLDEN + GOLDEN))


@inline
def next_state(state):
    return state + GOLDEN


@inline
def to_unit(state):
    """A float64 in [0, 1) from the current state (53 random bits)."""
    return float(mix64(state) >> _S11) * _INV53


@inline
def below(state, bound):
    """An int in [0, bound) from the current state (bound >= 1)."""
    return np.int64(to_unit(state) * bound)
