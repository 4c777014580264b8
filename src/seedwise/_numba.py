"""The numba options of every kernel, defined once, numba loaded on first use, and a
cache that is never stale.

Every ``_kernels.py`` decorates its functions with :data:`kernel` (or :data:`inline`
for the tiny helpers of ``_random.py``): compiled once, cached on disk, GIL released
so that the thread pool of ``_parallel.py`` runs them side by side.

Importing numba costs about a second, and its first kernel call about another (the
registries of its numpy support). A command that runs no kernel, ``seedwise info`` on
a cached graph, should pay neither, so the decorators do not import numba: until the
first kernel call they return a stand-in that remembers the function. That call
(:func:`load`) imports numba, makes every kernel defined so far, and puts them in
place of their stand-ins in the modules of the package, so that compiled code calling
another kernel finds a real one (and ``inline="always"`` inlines it) exactly as if
numba had been imported first. Kernels defined later are made at once. numba's
registries probe for BLAS by importing ``scipy.linalg`` (about a second), only to
choose how ``np.correlate`` / ``np.convolve`` take inner products inside compiled
code; no seedwise kernel uses them, so :func:`load` loads those registries with the
probe answered "no" (their loops stay exact) and leaves ``scipy.linalg`` unimported.
Before loading numba, a stand-in asks :mod:`seedwise._aot` for a copy compiled ahead of
time (``seedwise compile``) for exactly the types of its arguments; with one, the
command never imports numba at all.

numba decides whether a cached kernel is stale from the kernel's own source file
only, so a kernel that calls a helper from another file (the random streams of
``_random.py``, the heap and cover helpers of ``selection/_kernels.py``) would keep
running an old helper after that file changes. Here the staleness stamp of every
seedwise kernel covers every file of the package that defines numba functions: an
edit to any of them recompiles the kernels on the next import, instead of leaving
a stale one in ``__pycache__``.
"""
from __future__ import annotations

import functools
import os
import sys
import threading

#: the options of every kernel
OPTIONS = {"cache": True, "nogil": True}

_numba = None  # the numba module, once load() ran
_waiting = []  # stand-ins made before that
_lock = threading.RLock()


class _Kernel:
    """A kernel whose numba dispatcher is made by :func:`load`, at the first call."""

    def __init__(self, fn, options):
        functools.update_wrapper(self, fn)
        self.py_func = fn
        self.name = f"{fn.__module__}.{fn.__qualname__}"
        self.options = options
        self.dispatcher = None

    def __call__(self, *args, **kwargs):
        if self.dispatcher is None:
            # a copy compiled ahead of time for exactly these argument types runs without numba
            from . import _aot

            compiled = None if kwargs else _aot.find(self.name, args)
            if compiled is not None:
                return compiled(*args)
            load()
        return self.dispatcher(*args, **kwargs)

    def __getattr__(self, name):  # signatures, targetoptions, ...: the dispatcher's
        if name.startswith("__") or name == "dispatcher":
            raise AttributeError(name)
        if self.dispatcher is None:
            load()
        return getattr(self.dispatcher, name)


def _jit(**options):
    def decorate(fn):
        with _lock:
            if _numba is not None:
                return _numba.njit(**options)(fn)
            stand_in = _Kernel(fn, options)
            _waiting.append(stand_in)
            return stand_in

    return decorate


kernel = _jit(**OPTIONS)
#: tiny helpers inlined into their callers (the random streams)
inline = _jit(**OPTIONS, inline="always")


def load():
    """Import numba (once), make every kernel defined so far and put it in place of its
    stand-in in the package's modules; returns the numba module."""
    global _numba
    with _lock:
        if _numba is not None:
            return _numba
        import numba

        _without_blas_probe()
        _install()
        for stand_in in _waiting:
            stand_in.dispatcher = numba.njit(**stand_in.options)(stand_in.py_func)
        for name, module in list(sys.modules.items()):
            if module is not None and (name == "seedwise" or name.startswith("seedwise.")):
                space = vars(module)
                for key, value in list(space.items()):
                    if isinstance(value, _Kernel):
                        space[key] = value.dispatcher
        _waiting.clear()
        _numba = numba
        return numba


def _without_blas_probe():
    """Load numba's numpy registries with its BLAS probe answered "no" (see the module
    docstring): ``import scipy.linalg.cython_blas`` fails at once while they load."""
    blas = "scipy.linalg.cython_blas"
    if "numba.np.arraymath" in sys.modules or blas in sys.modules:
        return
    sys.modules[blas] = None
    try:
        import numba.np.arraymath  # noqa: F401
    finally:
        if sys.modules.get(blas, 0) is None:
            del sys.modules[blas]

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def _numba_files():
    """Files of the package that define numba functions (sorted paths)."""
    out = []
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        out += [os.path.join(root, f) for f in files
                if f.endswith(".py") and ("kernels" in f or f in ("_random.py", "_schemes.py", "_numba.py"))]
    return sorted(out)


_FILES = _numba_files()


class _PackageStamp:
    """Mixin: the source stamp of a seedwise kernel is the (mtime, size) of every
    numba file of the package; other functions keep numba's own locators."""

    def get_source_stamp(self):
        stamps = []
        for path in _FILES:
            st = os.stat(path)
            stamps.append((os.path.relpath(path, _PACKAGE), st.st_mtime, st.st_size))
        return tuple(stamps)

    @classmethod
    def from_function(cls, py_func, py_file):
        if not os.path.abspath(py_file).startswith(_PACKAGE + os.sep):
            return None
        return super().from_function(py_func, py_file)


def _install():
    from numba.core import caching

    impl = getattr(caching, "CacheImpl", None) or caching._CacheImpl
    # numba's own order: $NUMBA_CACHE_DIR when set, else beside the source, else per user
    bases = [getattr(caching, name.lstrip("_"), None) or getattr(caching, name)
             for name in ("_UserProvidedCacheLocator", "_InTreeCacheLocator", "_UserWideCacheLocator")]
    ours = [type(f"Seedwise{b.__name__.lstrip('_')}", (_PackageStamp, b), {}) for b in bases]
    if not any(getattr(c, "__module__", "") == __name__ for c in impl._locator_classes):
        impl._locator_classes[0:0] = ours

