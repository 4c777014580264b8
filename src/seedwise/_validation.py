"""Argument checks for the public API.

Everything below the API trusts its inputs; everything that crosses the boundary
goes through the helpers here, so that every failure reads the same way:
parameter, what is allowed, what arrived and, where useful, what to change.
"""
from __future__ import annotations

import math
import numbers

import numpy as np


class SeedwiseError(ValueError, TypeError):
    """Bad input: a clear message, shown to CLI users as one line (exit status 2)."""


class InputFileError(SeedwiseError):
    """A malformed input file; the message names the file and the line."""


class MemoryBudgetError(SeedwiseError):
    """A run whose estimated memory exceeds the budget; the message says what to change."""


MODELS = ("ic", "lt")


def check_int(name, value, low=None, high=None, hint=""):
    """Return ``value`` as an int in [low, high] or raise SeedwiseError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise SeedwiseError(f"{name} must be an int{_range(low, high)}{hint}; got {value!r}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise SeedwiseError(f"{name} must be an int{_range(low, high)}{hint}; got {value}")
    return value


def check_float(name, value, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as a finite float in the given interval or raise SeedwiseError."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise SeedwiseError(f"{name} must be a number; got {value!r}") from None
    bad = not math.isfinite(x)
    if low is not None:
        bad |= x <= low if low_open else x < low
    if high is not None:
        bad |= x >= high if high_open else x > high
    if bad:
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        interval = f" in {lo}{low if low is not None else '-inf'}, {high if high is not None else 'inf'}{hi}"
        raise SeedwiseError(f"{name} must be a finite number{interval}; got {value!r}")
    return x


def check_choice(name, value, choices):
    """Return ``value`` lower-cased if it is one of ``choices``."""
    v = str(value).lower()
    if v not in choices:
        raise SeedwiseError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return v


def check_k(k, n):
    """k seeds out of n nodes: an int in [1, n]."""
    return check_int("k", k, 1, n, hint=" (the number of nodes)" if n else "")


def check_model(model):
    return check_choice("model", model, MODELS)


def check_eps(eps):
    return check_float("eps", eps, 0.0, 1.0, low_open=True, high_open=True)


def check_delta(delta, n):
    """delta defaults to 1/n (SPEC section 3)."""
    if delta is None:
        return 1.0 / max(n, 2)
    return check_float("delta", delta, 0.0, 1.0, low_open=True, high_open=True)


def check_seed(seed):
    """Turn ``seed`` (None or an int) into a 64-bit unsigned integer."""
    if seed is None:
        return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0])
    seed = check_int("seed", seed, 0)
    return seed & 0xFFFFFFFFFFFFFFFF


def check_threads(threads):
    """None means every core numba may use."""
    import numba

    if threads is None:
        return int(numba.config.NUMBA_NUM_THREADS)
    return check_int("threads", threads, 1, 1024)


def check_probabilities(name, p):
    """Raise unless every entry of ``p`` is finite and in [0, 1]."""
    p = np.asarray(p, dtype=np.float64)
    bad = ~np.isfinite(p) | (p < 0) | (p > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise SeedwiseError(
            f"{name} must be probabilities in [0, 1]; entry {i} is {p[i]!r} "
            f"({int(bad.sum())} bad entries in all)"
        )
    return p


def _range(low, high):
    if low is None and high is None:
        return ""
    if high is None:
        return f" >= {low}"
    if low is None:
        return f" <= {high}"
    return f" in [{low}, {high}]"
