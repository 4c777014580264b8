"""Kernels compiled ahead of time, so that a new process runs them without numba.

A new ``seedwise`` process that runs a kernel pays for importing numba and loading
its typing and lowering registries (about 0.5 s on a 2-core machine) before the
first kernel starts, even when numba's on-disk cache holds the compiled code: a
``select --k 50`` whose work takes 0.02 s ran for 0.9 s. ``seedwise compile`` removes
that cost once per install:

1. it runs the common commands (select, spread, cim, recommend, select-examples,
   ... see :data:`WORKLOAD`) on small embedded graphs with numba's JIT, which
   compiles every kernel overload those commands reach, with the argument types that
   seedwise's own arrays give them (they do not depend on the graph's size);
2. it compiles exactly those overloads with numba's ahead-of-time compiler
   (``numba.pycc``) into one extension module, which needs neither numba nor
   llvmlite to load (0.5 ms), with the GIL released as the JIT kernels release it
   (``nogil``), so the thread pool of ``_parallel`` still runs them side by side.

A kernel stand-in of :mod:`seedwise._numba` asks :func:`find` before loading numba:
when every argument has exactly the numba type of an exported overload (dtype,
dimensions, layout, read-only and alignment of each array; the scalar type of each
number) the compiled copy runs; any other call loads numba and runs the JIT kernel.
The match must be exact: a compiled wrapper does not check the types it is given.
Both are the same source compiled by the same numba, so they give the same answers
(``tests/test_aot.py`` compares the commands' outputs).

The module lives beside the package (``__pycache__/aot-<stamp>/``) or, where that
is not writable, in ``$XDG_CACHE_HOME/seedwise/aot/<stamp>/``; ``$SEEDWISE_AOT_DIR``
replaces both, ``SEEDWISE_AOT=0`` turns the compiled copies off. The stamp covers the
content of every numba file of the package, numba's version, the Python and numpy
versions and the machine type: after an edit or an upgrade the old module is not
used (numba's JIT runs) until ``seedwise compile`` runs again.

numba's ``pycc`` is pending deprecation in numba (since 0.57) without a replacement
yet; if a numba release drops it, ``seedwise compile`` says so and every kernel runs
on the JIT as before.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.machinery
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings

import numpy as np

from . import _numba

MODULE = "_seedwise_aot"
MANIFEST = "manifest.json"
_PACKAGE = os.path.dirname(os.path.abspath(__file__))

#: the command lines whose kernels are compiled, on the embedded graphs: text (parsed and
#: cached, writable arrays) and binary .swg files (memory-mapped, read-only arrays: other
#: numba types). ``{eu}`` / ``{physic}`` are the email-eu-core / cim-physic edge lists,
#: ``{physic_aps}`` the latter's AP query sets, ``{aps}`` a list of inviters, ``{tmp}`` a
#: scratch directory (with ``x.npy``, random embeddings).
_EU, _PHYSIC = ["--dataset", "email-eu-core"], ["--dataset", "cim-physic"]
_EU_SWG, _PHYSIC_SWG = ["--graph", "{tmp}/eu.swg"], ["--graph", "{tmp}/physic.swg"]
WORKLOAD = (
    ["info", *_EU],
    ["convert", "{eu}", "{tmp}/eu.swg"],
    ["convert", "{physic}", "{tmp}/physic.swg"],
    *([cmd, *graph, *rest]
      for graph in (_EU, _EU_SWG)
      for cmd, *rest in (
          ["select", "--k", "5"],
          ["select", "--k", "5", "--model", "lt"],
          ["select", "--k", "5", "--algorithm", "imm"],
          ["select", "--k", "5", "--algorithm", "imm", "--model", "lt"],
          ["select", "--k", "3", "--algorithm", "celf", "--simulations", "50"],
          ["select", "--k", "5", "--algorithm", "degree-discount"],
          ["select", "--k", "5", "--algorithm", "pagerank"],
          ["spread", "--seeds", "1,2,3", "--simulations", "200"],
          ["spread", "--seeds", "1,2,3", "--simulations", "200", "--model", "lt"],
          ["spread", "--seeds", "1,2,3", "--method", "rr", "--rr-sets", "2000"],
          ["spread", "--seeds", "1,2,3", "--method", "rr", "--rr-sets", "2000", "--model", "lt"],
          ["recommend", "--aps", "{aps}", "--k", "3"],
          ["recommend", "--aps", "{aps}", "--k", "3", "--method", "hetero-ir"],
      )),
    ["select", "--dataset", "ca-grqc", "--k", "5", "--weights", "trivalency"],
    ["select", "--dataset", "ca-grqc", "--k", "5", "--weights", "uniform:0.05"],
    ["select", *_EU_SWG, "--k", "5", "--weights", "trivalency"],
    *([cmd, *graph, "--aps", "{physic_aps}", "--ap-set", "4", "--k", "2", *rest]
      for graph in (_PHYSIC, _PHYSIC_SWG)
      for cmd, *rest in (
          ["cim"],
          ["cim", "--model", "lt"],
          ["cim", "--algorithm", "rr-opim+"],
          ["cim", "--algorithm", "rr-opim"],
          ["cim", "--algorithm", "local-degree"],
      )),
    ["cim-compare", *_PHYSIC, "--aps", "{physic_aps}", "--ap-set", "4", "--ks", "2", "--simulations", "50"],
    ["select-examples", "--embeddings", "{tmp}/x.npy", "--budget", "5", "--neighbors", "5"],
)

_lock = threading.Lock()
_table = None  # {kernel name: {argument types: compiled function}}, once loaded
#: True once a kernel call found no module for these sources (while enabled): the CLI then
#: says that `seedwise compile` would make its next start faster
absent = False
#: calls that found no compiled copy in this process, (kernel, argument types): they ran on
#: the JIT (tests check that the common commands have none)
misses = []


# ---------------------------------------------------------------- types
def arg_key(x):
    """The numba type of one argument as a short string, or None for a value that no
    compiled copy takes (it then runs on the JIT). Mirrors ``numba.typeof``."""
    if isinstance(x, np.ndarray):
        dtype = x.dtype
        if not dtype.isnative or dtype.kind not in "biuf":
            return None
        flags = x.flags
        layout = "C" if flags.c_contiguous else "F" if flags.f_contiguous else "A"
        return (f"{dtype.name}[{x.ndim}{layout}{'' if flags.writeable else 'r'}"
                f"{'' if flags.aligned else 'u'}]")
    if isinstance(x, (bool, np.bool_)):
        return "bool"
    if isinstance(x, int):
        return "int64" if -(1 << 63) <= x < (1 << 63) else None
    if isinstance(x, float):
        return "float64"
    if isinstance(x, (np.integer, np.floating)):
        return x.dtype.name
    return None


def type_key(t):
    """:func:`arg_key` of a numba type (used when compiling), or None."""
    from numba.core import types

    if isinstance(t, types.Array):
        if not isinstance(t.dtype, (types.Boolean, types.Integer, types.Float)):
            return None
        return f"{t.dtype}[{t.ndim}{t.layout}{'' if t.mutable else 'r'}{'' if t.aligned else 'u'}]"
    if isinstance(t, (types.Boolean, types.Integer, types.Float)):
        return str(t)
    return None


# ---------------------------------------------------------------- where
def stamp():
    """Hash of what the compiled module depends on (see the module docstring)."""
    h = hashlib.sha256()
    for path in _numba._FILES:
        with open(path, "rb") as f:
            h.update(os.path.relpath(path, _PACKAGE).encode() + b"\0" + f.read())
    spec = importlib.util.find_spec("numba")  # numba's version without importing numba
    if spec is not None and spec.origin:
        with contextlib.suppress(OSError), open(os.path.join(os.path.dirname(spec.origin), "_version.py"), "rb") as f:
            h.update(f.read())
    h.update(f"{sys.version}\0{np.__version__}\0{os.uname().machine}\0{sys.platform}".encode())
    return h.hexdigest()[:20]


def candidate_dirs():
    """Where the module of the current stamp may be, in the order they are tried."""
    s = stamp()
    if os.environ.get("SEEDWISE_AOT_DIR"):
        return [os.path.join(os.environ["SEEDWISE_AOT_DIR"], s)]
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return [os.path.join(_PACKAGE, "__pycache__", f"aot-{s}"), os.path.join(xdg, "seedwise", "aot", s)]


def _enabled():
    return os.environ.get("SEEDWISE_AOT", "1").strip() not in ("0", "no", "false", "off")


def _module_file(directory):
    return os.path.join(directory, MODULE + importlib.machinery.EXTENSION_SUFFIXES[0])


def _found():
    """(directory, manifest) of the module for the current sources, or (None, None)."""
    for d in candidate_dirs():
        try:
            with open(os.path.join(d, MANIFEST)) as f:
                manifest = json.load(f)
        except (OSError, ValueError):
            continue
        if os.path.exists(_module_file(d)):
            return d, manifest
    return None, None


def status():
    """``{"path": directory or None, "kernels": n, "overloads": n, "enabled": bool, ...}``."""
    d, manifest = _found()
    if d is None:
        return {"path": None, "kernels": 0, "overloads": 0, "enabled": _enabled()}
    kernels = manifest["kernels"]
    return {"path": d, "kernels": len(kernels), "overloads": sum(len(v) for v in kernels.values()),
            "enabled": _enabled(), "numba": manifest.get("numba"), "built": manifest.get("built")}


# ---------------------------------------------------------------- use
def _load():
    """{kernel: {types: function}} of the module for this stamp; {} if there is none."""
    if not _enabled():
        return {}
    d, manifest = _found()
    if d is None:
        return {}
    try:
        spec = importlib.util.spec_from_file_location(MODULE, _module_file(d))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return {kernel: {tuple(types.split(",")) if types else (): getattr(module, name)
                         for types, name in overloads.items()}
                for kernel, overloads in manifest["kernels"].items()}
    except (OSError, KeyError, ImportError, AttributeError):
        return {}  # unreadable or partial: the JIT runs


def find(name, args):
    """The compiled copy of kernel ``name`` (module.qualname) for these arguments, or None."""
    global _table, absent
    if _table is None:
        with _lock:
            if _table is None:
                _table = _load()
                absent = not _table and _enabled()
    if not _table:
        return None
    key = tuple(arg_key(a) for a in args)
    fn = _table.get(name, {}).get(key)
    if fn is None:
        misses.append((name, key))
    return fn


# ---------------------------------------------------------------- build
def _run_workload(tmp, workload=WORKLOAD):
    """Run ``workload`` in this process on the JIT, output discarded, graphs cached in ``tmp``."""
    from . import datasets
    from .cli.main import main

    aps = os.path.join(tmp, "aps.txt")
    with open(aps, "w") as f:
        f.write("\n".join(str(i) for i in range(3, 40)) + "\n")
    np.save(os.path.join(tmp, "x.npy"), np.random.default_rng(0).normal(size=(300, 8)).astype(np.float32))
    with datasets.path("cim-physic", ap=True) as physic_aps, datasets.path("cim-physic") as physic, \
            datasets.path("email-eu-core") as eu, _environ("SEEDWISE_CACHE_DIR", os.path.join(tmp, "g")):
        for argv in workload:
            argv = [a.format(tmp=tmp, aps=aps, physic_aps=physic_aps, physic=physic, eu=eu) for a in argv]
            argv += ["--quiet"]
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
                status_ = main(argv)
            if status_ != 0:
                raise RuntimeError(f"seedwise {' '.join(argv)} failed: {err.getvalue().strip()}")


@contextlib.contextmanager
def _environ(name, value):
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _overloads():
    """Every compiled overload of a seedwise kernel in this process whose argument types
    :func:`arg_key` can name: [(kernel name, types, signature, python function)]."""
    from numba.core.registry import CPUDispatcher

    out, seen = [], set()
    for module_name, module in list(sys.modules.items()):
        if module is None or not module_name.startswith("seedwise"):
            continue
        for value in list(vars(module).values()):
            if not isinstance(value, CPUDispatcher) or id(value) in seen:
                continue
            seen.add(id(value))
            fn = value.py_func
            if not fn.__module__.startswith("seedwise"):
                continue
            for cres in value.overloads.values():
                keys = [type_key(t) for t in cres.signature.args]
                if all(k is not None for k in keys):
                    out.append((f"{fn.__module__}.{fn.__qualname__}", ",".join(keys), cres.signature, fn))
    return sorted(out, key=lambda o: (o[0], o[1]))


_FILL_CACHE = ("import json, sys; from seedwise._aot import _run_workload; "
               "_run_workload(sys.argv[1], json.loads(sys.argv[2]))")


def compile_kernels(force=False, workload=WORKLOAD, log=None):
    """Compile the kernels of :data:`WORKLOAD` ahead of time (``seedwise compile``).

    Parameters
    ----------
    force : bool
        Compile even when a module for the current stamp exists.
    workload : sequence of argv lists
        The command lines whose kernels are compiled.
    log : callable or None
        Called with a line of progress.

    Returns
    -------
    dict
        ``path``, ``kernels``, ``overloads``, ``seconds`` and ``compiled`` (False when an
        up-to-date module was found).
    """
    global _table
    log = log or (lambda line: None)
    found = status()
    if found["path"] is not None and not force:
        return {**found, "seconds": 0.0, "compiled": False}
    t0 = time.perf_counter()
    try:
        from numba.pycc import CC
    except ImportError as e:  # a numba without its AOT compiler: the JIT keeps working
        raise RuntimeError(f"this numba cannot compile ahead of time ({e}); kernels run on the JIT") from e
    import numba.pycc.compiler as pycc_compiler

    target = _writable_target()
    parent = os.path.dirname(target)
    with tempfile.TemporaryDirectory(prefix="seedwise-aot-") as tmp:
        # numba's cache gets every kernel the commands reach (in another process); here they
        # are then loaded from it, which makes exactly the overloads called from Python (a
        # kernel compiled here would also make the helpers it calls, which Python never calls)
        log("running the common commands on the embedded graphs (numba JIT) ...")
        child = subprocess.run([sys.executable, "-c", _FILL_CACHE, tmp, json.dumps(list(map(list, workload)))],
                               capture_output=True, text=True, env={**os.environ, "SEEDWISE_AOT": "0"})
        if child.returncode != 0:
            raise RuntimeError(f"the commands failed on the JIT: {child.stderr.strip()[-2000:]}")
        _numba.load()
        _run_workload(tmp, workload)
        overloads = _overloads()
        log(f"compiling {len(overloads)} kernel overloads ahead of time ...")
        build = tempfile.mkdtemp(prefix=".aot-", dir=parent)
        plain = pycc_compiler.compile_extra

        def each(typingctx, targetctx, func, args, return_type, flags, **kwargs):
            # pycc shares one Flags between its functions and a compile can change it (one that
            # inlines the random-stream helpers made the next typing fail): each gets a copy,
            # with the GIL released as the JIT kernels release it (``nogil``), so threads run
            # them side by side
            flags = flags.copy()
            flags.release_gil = True
            return plain(typingctx, targetctx, func, args, return_type, flags, **kwargs)

        pycc_compiler.compile_extra = each
        try:
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")  # pycc's pending-deprecation notice
                cc = CC(MODULE, source_module=__name__)  # checks for a working C compiler
                cc.output_dir = build
                kernels = {}
                for i, (name, keys, signature, fn) in enumerate(overloads):
                    cc.export(f"k{i}", tuple(signature.args))(fn)  # the return type is inferred again
                    kernels.setdefault(name, {})[keys] = f"k{i}"
                cc.compile()
            import numba

            manifest = {"stamp": stamp(), "numba": numba.__version__, "python": sys.version.split()[0],
                        "built": time.strftime("%Y-%m-%dT%H:%M:%S"), "kernels": kernels}
            with open(os.path.join(build, MANIFEST), "w") as f:
                json.dump(manifest, f, indent=1, sort_keys=True)
        except Exception as e:  # no C compiler, no Python headers, ...
            shutil.rmtree(build, ignore_errors=True)
            raise RuntimeError(f"numba.pycc failed ({' '.join(str(e).split())}); it needs a C compiler and the "
                               "Python headers; kernels run on the JIT") from e
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        finally:
            pycc_compiler.compile_extra = plain
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(build, 0o777 & ~umask)  # mkdtemp made it private; others may run this install too
    shutil.rmtree(target, ignore_errors=True)
    try:
        os.replace(build, target)  # atomic: a process sees the whole module or none
    except OSError:  # another `seedwise compile` put its module there first
        shutil.rmtree(build, ignore_errors=True)
        if status()["path"] is None:
            raise
    _remove_stale(parent, keep=os.path.basename(target))
    with _lock:
        _table = None
    return {"path": target, "kernels": len(kernels), "overloads": len(overloads),
            "seconds": time.perf_counter() - t0, "compiled": True, "enabled": _enabled()}


def _writable_target():
    """The first candidate directory whose parent can be written."""
    for d in candidate_dirs():
        parent = os.path.dirname(d)
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError:
            continue
        if os.access(parent, os.W_OK):
            return d
    raise RuntimeError(f"none of {candidate_dirs()} can be written; set SEEDWISE_AOT_DIR")


def _remove_stale(parent, keep):
    """Modules of other stamps in the same place: they are never used again."""
    for entry in os.listdir(parent):
        try:
            with open(os.path.join(parent, entry, MANIFEST)) as f:
                ours = {"stamp", "kernels"} <= set(json.load(f))
        except (OSError, ValueError, TypeError):
            continue
        if ours and entry != keep:
            shutil.rmtree(os.path.join(parent, entry), ignore_errors=True)
