"""The numba options of every kernel, defined once, and a cache that is never stale.

Every ``_kernels.py`` decorates its functions with :data:`kernel` (or :data:`inline`
for the tiny helpers of ``_random.py``): compiled once, cached on disk, GIL released
so that the thread pool of ``_parallel.py`` runs them side by side.

numba decides whether a cached kernel is stale from the kernel's own source file
only, so a kernel that calls a helper from another file (the random streams of
``_random.py``, the heap and cover helpers of ``selection/_kernels.py``) would keep
running an old helper after that file changes. Here the staleness stamp of every
seedwise kernel covers every file of the package that defines numba functions: an
edit to any of them recompiles the kernels on the next import, instead of leaving
a stale one in ``__pycache__``.
"""
from __future__ import annotations

import os

import numba
from numba.core import caching

#: the options of every kernel
OPTIONS = {"cache": True, "nogil": True}

kernel = numba.njit(**OPTIONS)
#: tiny helpers inlined into their callers (the random streams)
inline = numba.njit(**OPTIONS, inline="always")

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
    impl = getattr(caching, "CacheImpl", None) or caching._CacheImpl
    bases = [getattr(caching, "InTreeCacheLocator", None) or caching._InTreeCacheLocator,
             getattr(caching, "UserWideCacheLocator", None) or caching._UserWideCacheLocator]
    ours = [type(f"Seedwise{b.__name__.lstrip('_')}", (_PackageStamp, b), {}) for b in bases]
    if not any(getattr(c, "__module__", "") == __name__ for c in impl._locator_classes):
        impl._locator_classes[0:0] = ours


_install()
