"""Small argparse helpers shared by the command modules (cli, cli_cim, cli_him)."""
from __future__ import annotations

import argparse


def int_at_least(low):
    """An argparse ``type``: an integer >= ``low``, with a one-line error otherwise."""

    def parse(text):
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer >= {low}, got {text!r}") from None
        if v < low:
            raise argparse.ArgumentTypeError(f"must be an integer >= {low}, got {text!r}")
        return v

    parse.__name__ = "int"
    return parse


def add_once(p, *flags, **kw):
    """Add a flag unless the parser already has it (the graph or run flags may declare --seed)."""
    if any(f in p._option_string_actions for f in flags):
        return
    p.add_argument(*flags, **kw)
