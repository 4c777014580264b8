"""The ``seedwise`` command line: one module per problem, each a thin layer over the API.

- :mod:`.main`: the parser and :func:`main` (exit status 0 / 2 bad input / 1 internal);
- :mod:`._common`: the command registry and the helpers every command shares;
- :mod:`.select` (select, spread), :mod:`.graph` (info, datasets, generate, convert),
  :mod:`.cim` (cim, cim-compare), :mod:`.him` (recommend, recommend-eval), :mod:`.serve` (serve).
"""
from . import _common
from .main import build_parser, main


def __getattr__(name):
    """The helpers of :mod:`._common` (``register_command``, ``add_graph_arguments``,
    ``load_graph``, ``emit``, ...) for commands added from outside."""
    return getattr(_common, name)


__all__ = ["COMMANDS", "Command", "UsageError", "add_graph_arguments", "add_run_arguments", "add_scale_arguments",
           "build_parser", "check_output_path", "emit", "load_graph", "main", "progress_bar", "register_command",
           "scale_options", "write_output"]
