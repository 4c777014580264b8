"""The ``seedwise`` command: parse, call one API function, format.

Commands are registered in ``COMMANDS`` through :func:`register_command`, each with
a function that declares its flags and one that runs it and returns the exit
status. New commands (``cim``, ``recommend``, ...) plug in the same way and reuse
:func:`add_graph_arguments`, :func:`load_graph`, :func:`emit` and
:func:`write_output`.

Exit status: 0 success, 2 bad input or usage (one ``seedwise: error: ...`` line on
stderr, no traceback), 1 internal failure (set ``SEEDWISE_DEBUG=1`` for the
traceback). Nothing here imports numpy or numba before a command runs, so
``seedwise --help`` is instant.
"""
from __future__ import annotations

import os
import sys
import warnings

# the command modules register themselves
from . import aot, cim, graph, him, ideal, report, select, serve  # noqa: F401, I001
from ._common import COMMANDS, PROG, UsageError, _Parser

#: the order `seedwise --help` lists the commands in
ORDER = ("select", "spread", "info", "datasets", "generate", "convert", "cim", "cim-compare", "recommend",
         "recommend-eval", "select-examples", "report", "serve", "compile")


def build_parser(only=None):
    """The argument parser; with ``only`` (a command name) just that command's flags are
    declared, which is all a command line needs (the others cost a new process ~10 ms)."""
    from .. import __version__

    parser = _Parser(
        prog=PROG,
        description="Influence maximization with proven guarantees (OPIM-C, IMM, CELF, baselines).",
        epilog="Exit status: 0 ok, 2 bad input, 1 internal error (SEEDWISE_DEBUG=1 shows the traceback).",
    )
    parser.add_argument("--version", action="version", version=f"seedwise {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    # the commands of this package in a reading order, then any registered from outside
    order = {name: i for i, name in enumerate(ORDER)}
    for cmd in sorted(COMMANDS.values(), key=lambda c: order.get(c.name, len(order))):
        if only is not None and cmd.name != only:
            continue
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.description or cmd.help)
        cmd.arguments(p)
        p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or notes on stderr")
        p.set_defaults(_run=cmd.run)
    return parser


def _one_line(text):
    return " ".join(str(text).split())


def main(argv=None):
    """Run the ``seedwise`` command line; returns the exit status."""
    debug = os.environ.get("SEEDWISE_DEBUG", "") not in ("", "0")
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(words[0] if words and words[0] in COMMANDS else None)
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            raise UsageError(f"a command is required: {', '.join(COMMANDS)} (see `{PROG} --help`)")
    except UsageError as e:
        print(f"{PROG}: error: {_one_line(e)}", file=sys.stderr)
        return 2
    except SystemExit as e:  # --help, --version
        return e.code if isinstance(e.code, int) else 0
    from .. import _progress
    from .._validation import SeedwiseWarning

    _progress.set_quiet(getattr(args, "quiet", False))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", SeedwiseWarning)  # shown, as one line, whatever the filters say
            warnings.showwarning = _show_warning
            _refuse_outputs_over_inputs(args)
            status = int(args._run(args) or 0)
        _suggest_compile(args)
        return status
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        if argv is None:
            # the command line itself: leave at once, without waiting for the kernel blocks
            # still running on worker threads (outputs are written atomically: none is partial)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(130)
        return 130
    except BrokenPipeError:
        # stdout closed early (e.g. `| head`): quiet, like other Unix tools
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except Exception as e:  # noqa: BLE001 - every failure becomes an exit status
        return _report(e, debug)


def _suggest_compile(args):
    """One note when this command loaded numba for want of compiled kernels (seedwise._aot)."""
    compiled = sys.modules.get("seedwise._aot")
    if compiled is not None and compiled.absent and not getattr(args, "quiet", False) and args.command != "compile":
        print(f"{PROG}: note: this command loaded numba (about 0.5 s); run `{PROG} compile` once and later "
              "commands start without it", file=sys.stderr)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """A warning (e.g. a graph that looks undirected) as one stderr line."""
    print(f"{PROG}: warning: {_one_line(message)}", file=sys.stderr)


def _refuse_outputs_over_inputs(args):
    """--output or --plot naming one of the command's input files is refused before any work."""
    from .._output import input_paths, refuse_overwrite

    inputs = input_paths(args)
    for flag in ("output", "plot"):
        path = getattr(args, flag, None)
        if isinstance(path, str):
            refuse_overwrite(path, inputs, f"--{flag}")


def _report(e, debug):
    from .._validation import SeedwiseError

    if debug:
        import traceback

        traceback.print_exception(type(e), e, e.__traceback__, file=sys.stderr)
    if isinstance(e, (SeedwiseError, UsageError)):
        print(f"{PROG}: error: {_one_line(e)}", file=sys.stderr)
        return 2
    if isinstance(e, OSError) and e.filename is not None:
        what = e.strerror or type(e).__name__
        print(f"{PROG}: error: {what}: {e.filename}", file=sys.stderr)
        return 2
    if isinstance(e, MemoryError):
        print(f"{PROG}: error: out of memory; try a larger --eps, fewer --threads or a smaller graph",
              file=sys.stderr)
        return 1
    msg = _one_line(f"{type(e).__name__}: {e}")
    if len(msg) > 300:
        msg = msg[:297] + "..."
    print(f"{PROG}: internal error: {msg}", file=sys.stderr)
    if not debug:
        print(f"{PROG}: this is a bug; rerun with SEEDWISE_DEBUG=1 for the traceback", file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
