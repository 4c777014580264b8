"""Argument checks for the public API.

Everything below the API trusts its inputs; everything that crosses the boundary
goes through the helpers here, so that every failure reads the same way:
parameter, what is allowed, what arrived and, where useful, what to change.
"""
from __future__ import annotations

import functools
import inspect
import math
import numbers
import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


class SeedwiseError(ValueError, TypeError):
    """Bad input: a clear message, shown to CLI users as one line (exit status 2)."""


class SeedwiseWarning(UserWarning):
    """Input that is read but probably not as meant (the CLI prints it as one line)."""


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
    """Return ``value`` lower-cased (``_`` read as ``-``) if it is one of ``choices``."""
    v = str(value).strip().lower()
    if v not in choices:
        v = v.replace("_", "-")
    if v not in choices:
        raise SeedwiseError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return v


def check_graph(graph, weight=None):
    """A seedwise Graph from any graph the API takes: a Graph, a networkx graph, a scipy
    sparse matrix or a pandas edge DataFrame, ``weight`` naming the probabilities (the one
    coercion of :func:`seedwise.graph.as_graph`); a path gets a hint."""
    from .graph.interop import as_graph

    return as_graph(graph, weight)


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
    if threads is None:
        return default_threads()
    return check_int("threads", threads, 1, 1024)


def default_threads(threads=None):
    """``threads``, or every core numba may use when it is None (no checks: see :func:`validated`).

    numba's own rule (``numba.config.NUMBA_NUM_THREADS``), read here without importing
    numba: ``$NUMBA_NUM_THREADS`` if set, else the cores this process may run on."""
    if threads is not None:
        return int(threads)
    env = os.environ.get("NUMBA_NUM_THREADS", "").strip()
    if env:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no sched_getaffinity (macOS, Windows)
        return max(1, os.cpu_count() or 1)


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


# ====================================================================== the table
@dataclass(frozen=True)
class Constraint:
    """What one parameter may be: a row of :data:`CONSTRAINTS`.

    kind : "int", "float", "choice", "choices" (a list of words, or one comma-separated string) or
        "backend" (a choice, or a pool that stays up: any object with ``open``, e.g. a RayPool)
    low, high : bounds; ``high="n"`` is the graph's number of nodes
    low_open, high_open : open ends of a float interval
    choices : the allowed words (a tuple, or a callable returning one)
    optional : None is allowed (it selects the documented default)
    hint : appended to the message (e.g. what the upper bound is)
    """

    kind: str
    low: float | None = None
    high: float | str | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple | Callable = ()
    optional: bool = False
    hint: str = ""

    def allowed(self):
        return tuple(self.choices() if callable(self.choices) else self.choices)

    def check(self, name, value, n=None):
        """``value`` normalised (int, float, lower-case word), or SeedwiseError."""
        if value is None and self.optional:
            return None
        if self.kind == "backend" and hasattr(value, "open"):
            return value
        high = n if self.high == "n" else self.high
        if self.kind == "int":
            return check_int(name, value, self.low, high, self.hint if self.high == "n" and n else "")
        if self.kind == "float":
            return check_float(name, value, self.low, high, self.low_open, self.high_open)
        if self.kind == "choices":
            words = value.split(",") if isinstance(value, str) else list(value)
            words = list(dict.fromkeys(str(w).strip().lower() for w in words if str(w).strip()))
            unknown = [w for w in words if w not in self.allowed()]
            if unknown or not words:
                raise SeedwiseError(f"{name} must be among {', '.join(self.allowed())}; "
                                    f"got {', '.join(unknown) or 'none'}")
            return words
        return check_choice(name, value, self.allowed())

    def bad_values(self, n=None):
        """Values just outside this constraint, for the test that walks every public function."""
        if self.kind in ("choice", "backend"):
            return ["no-such-choice"]
        if self.kind == "choices":
            return [["no-such-choice"], []]
        high = n if self.high == "n" else self.high
        out = ["x", [1]] + ([] if self.optional else [None])
        if self.kind == "int":
            out.append(1.5)
            if self.low is not None:
                out.append(int(self.low) - 1)
            if high is not None:
                out.append(int(high) + 1)
        else:
            out.append(float("nan"))
            if self.low is not None:
                out.append(self.low if self.low_open else self.low - 0.5)
            if high is not None:
                out.append(high if self.high_open else high + 0.5)
        return out


def _int(low=None, high=None, **kw):
    return Constraint("int", low, high, **kw)


def _unit(**kw):
    """A float strictly between 0 and 1."""
    return Constraint("float", 0.0, 1.0, low_open=True, high_open=True, **kw)


def _algorithms():
    from .api import ALGORITHMS as im

    return tuple(im)


def _him_methods():
    from .algorithms.him.recommend import METHODS

    return METHODS


def _cim_algorithms():
    from .algorithms.cim.solve import ALGORITHMS as cim

    return tuple(cim)


#: parameter name -> what it may be, for every public function and CLI command.
#: ``validated(...)`` overrides a row where one function gives a name another meaning.
CONSTRAINTS = {
    "k": _int(1, "n", hint=" (the number of nodes)"),
    "model": Constraint("choice", choices=MODELS),
    "eps": _unit(),
    "delta": _unit(optional=True),
    "seed": _int(0, optional=True),
    "threads": _int(1, 1024, optional=True),
    "simulations": _int(1),
    "rr_sets": _int(1, optional=True),
    "max_seconds": Constraint("float", 0.0, low_open=True),
    "damping": _unit(),
    "max_iter": _int(1),
    "num_workers": _int(1, 100_000, optional=True),
    "backend": Constraint("backend", choices=("local", "ray")),
    "method": Constraint("choice", choices=("mc", "rr")),
    "algorithm": Constraint("choice", choices=_algorithms),
    "capacity": _int(1),
    "k_max": _int(1),
    "spread": Constraint("choice", choices=("inviter", "union")),
    "methods": Constraint("choices", choices=_him_methods),
    "baseline": Constraint("choice", choices=_him_methods),
    "eval_seed": _int(0),
    "ap_set": _int(1),
    "ap_fraction": _unit(),
    "min_rr_sets": _int(0),
    "prior_strength": Constraint("float", 0.0, low_open=True),
    "start": Constraint("choice", choices=("authors", "paper")),
    "edges": _int(1, 2**40),
    "nodes": _int(2, 2**31 - 1, optional=True),
    "a": Constraint("float", 0.0, 1.0),
    "b": Constraint("float", 0.0, 1.0),
    "c": Constraint("float", 0.0, 1.0),
}

#: per-problem rows that replace the general ones
CIM = {"k": _int(1, optional=True, hint=" (friends each AP may recommend)"),
       "algorithm": Constraint("choice", choices=_cim_algorithms)}
HIM = {"k": _int(1), "method": Constraint("choice", choices=_him_methods),
       "rr_sets": None}  # recommend(rr_sets=) takes an RRSets collection, not a count

#: every function decorated with :func:`validated`, for the test that walks them all
VALIDATED = []


def validated(fn=None, /, **overrides):
    """Check a public function's arguments against :data:`CONSTRAINTS` before it runs.

    Every parameter (and every ``**options`` entry) whose name is in the table is
    checked and normalised; ``high="n"`` bounds use ``graph.n``; LT runs need
    LT-valid weights; ``delta=None`` becomes 1/n and ``seed=None`` a fresh random
    seed. The function body then trusts its arguments. ``fn.__wrapped__`` is the
    unchecked function, for callers that have checked already.
    """

    def decorate(fn):
        table = {**CONSTRAINTS, **overrides}
        sig = inspect.signature(fn)
        names = [p for p in sig.parameters if table.get(p) is not None]
        var_kw = next((p.name for p in sig.parameters.values() if p.kind is p.VAR_KEYWORD), None)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            values = bound.arguments
            graph = None
            if "graph" in values:  # any graph type becomes a Graph here, once, before the body runs
                graph = values["graph"] = check_graph(values["graph"], values.get("weight"))
                if "weight" in values:
                    values["weight"] = None
            n = None if graph is None else graph.n
            for name in names:
                if name in values:
                    values[name] = table[name].check(name, values[name], n)
            if var_kw and values.get(var_kw):
                extra = values[var_kw]
                for name in extra:
                    if table.get(name) is not None:
                        extra[name] = table[name].check(name, extra[name], n)
            if "delta" in names and values["delta"] is None and n is not None:
                values["delta"] = 1.0 / max(n, 2)
            if "seed" in names:
                values["seed"] = check_seed(values["seed"])
            if values.get("model") == "lt" and graph is not None:
                graph.check_lt()
            return fn(*bound.args, **bound.kwargs)

        wrapper.constraints = {name: table[name] for name in names}
        VALIDATED.append(wrapper)
        return wrapper

    return decorate if fn is None else decorate(fn)
