"""docs/comparison.md stays true: every seedwise name its table cites exists."""
import os
import re

import seedwise
from seedwise.cli import COMMANDS

DOC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "comparison.md")


def seedwise_cells():
    with open(DOC, encoding="utf-8") as f:
        rows = [ln for ln in f if ln.startswith("| ") and not ln.startswith("| feature")]
    return [ln.split("|")[2] for ln in rows if not set(ln) <= set("|- \n")]


def test_every_cited_name_exists():
    cells = seedwise_cells()
    assert len(cells) >= 15
    names = {n for cell in cells for n in re.findall(r"`(seedwise\.[A-Za-z_.]+)`", cell)}
    assert len(names) >= 15
    for name in sorted(names):
        obj = seedwise
        for part in name.split(".")[1:]:
            assert hasattr(obj, part), name
            obj = getattr(obj, part)
    text = " ".join(cells)
    for flag in ("select --plot", "cim-compare --plot", "seedwise report"):
        assert flag in text
    assert {"select", "cim-compare", "report"} <= set(COMMANDS)
    for feature in ('method="rr"', "curve=True", 'backend="ray"', "weight="):
        assert feature in text, feature
    assert "to_pandas" in dir(seedwise.SpreadEstimate) and "to_pandas" in dir(seedwise.CimResult)
