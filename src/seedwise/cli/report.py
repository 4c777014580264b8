"""``seedwise report``: one static HTML page from result JSON files (see :mod:`seedwise.report`)."""
from __future__ import annotations

from ._common import check_output_path, register_command


def _report_arguments(p):
    p.add_argument("results", nargs="+", metavar="RESULT.json",
                   help="JSON written by select, cim, cim-compare or recommend-eval (--json or --output x.json)")
    p.add_argument("--output", required=True, metavar="FILE.html", help="the page to write")
    p.add_argument("--title", default="seedwise report", help="the page's title")


def _report_run(args):
    from ..report import write_report

    check_output_path(args.output, (".html", ".htm"))
    info = write_report(args.results, args.output, title=args.title)
    print(f"wrote {args.output}: {info['inputs']} result files, {info['plots']} plots")
    return 0


register_command("report", help="one static HTML page (plots and tables) from result JSON files",
                 arguments=_report_arguments, run=_report_run,
                 description="Spread and time against k, certificates and tables of select, cim, cim-compare "
                             "and recommend-eval JSON results, in one self-contained HTML page (inline SVG).")
