"""``seedwise compile``: the common commands' kernels compiled ahead of time (see :mod:`seedwise._aot`)."""
from __future__ import annotations

import sys

from ._common import register_command


def _compile_arguments(p):
    p.add_argument("--force", action="store_true", help="compile again even when an up-to-date module exists")
    p.add_argument("--check", action="store_true", help="only say whether an up-to-date module exists "
                                                         "(exit status 1 if not)")


def _compile_run(args):
    from .. import _aot

    if args.check:
        got = _aot.status()
        if got["path"] is None:
            print("no compiled kernels for this version of the sources: commands load numba "
                  "(run `seedwise compile`)")
            return 1
        state = "used" if got["enabled"] else "not used (SEEDWISE_AOT=0)"
        print(f"{got['overloads']} kernel overloads ({got['kernels']} kernels) in {got['path']}: {state}")
        return 0
    log = (lambda line: None) if args.quiet else (lambda line: print(line, file=sys.stderr))
    try:
        got = _aot.compile_kernels(force=args.force, log=log)
    except RuntimeError as e:
        print(f"seedwise: could not compile ahead of time: {e}", file=sys.stderr)
        return 1
    if got["compiled"]:
        print(f"compiled {got['overloads']} kernel overloads ({got['kernels']} kernels) in "
              f"{got['seconds']:.1f} s into {got['path']}")
    else:
        print(f"up to date: {got['overloads']} kernel overloads in {got['path']} (--force compiles again)")
    if not got["enabled"]:
        print("note: SEEDWISE_AOT=0 is set, so commands will not use them", file=sys.stderr)
    return 0


register_command(
    "compile", help="compile the common commands' kernels ahead of time (faster start of every command)",
    arguments=_compile_arguments, run=_compile_run,
    description="Run the common commands once on the embedded graphs and compile the numba kernels they use "
                "ahead of time (numba.pycc) into one extension module, so that later commands start without "
                "importing numba (about 0.5 s saved per process). Needs a C compiler; takes about a minute; "
                "run again after upgrading numba or editing a kernel (until then the JIT runs, as before).")
