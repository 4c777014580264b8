"""``seedwise report``: one static page from result JSON, checked in a real headless Chromium."""
import json
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

import seedwise
from seedwise._validation import InputFileError
from seedwise.report import kind_of, write_report


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """JSON files of select (with its certified curve), cim, cim-compare and recommend-eval."""
    d = tmp_path_factory.mktemp("results")
    g = seedwise.load_dataset("cim-physic")
    files = {}
    sel = seedwise.maximize(g, 6, seed=0, curve=True).to_dict()
    files["select"] = d / "select.json"
    files["select"].write_text(json.dumps(sel))
    cim = seedwise.cim(g, [232, 74, 195, 10, 20], 2, seed=0).to_dict()
    files["cim"] = d / "cim.json"
    files["cim"].write_text(json.dumps(cim))
    out = subprocess.run([sys.executable, "-m", "seedwise", "cim-compare", "--dataset", "cim-physic",
                          "--ap-fraction", "0.05", "--ks", "1,2,3", "--algorithms", "rr-opim+,local-degree",
                          "--simulations", "500", "--json"], capture_output=True, text=True, check=True)
    files["cim-compare"] = d / "compare.json"
    files["cim-compare"].write_text(out.stdout)
    files["recommend-eval"] = d / "eval.json"
    files["recommend-eval"].write_text(json.dumps(
        {"methods": {"hetero-im": {"Recall@1": 0.25, "NDCG@1": 0.5, "seconds": 0.1},
                     "degree": {"Recall@1": 0.125, "NDCG@1": 0.375, "seconds": 0.01}}}))
    return files, sel


def test_kinds_and_refusals(results, tmp_path):
    files, _ = results
    for kind, path in files.items():
        assert kind_of(json.loads(path.read_text())) == kind
    bad = tmp_path / "x.json"
    bad.write_text('{"spread": 3}')
    with pytest.raises(InputFileError, match="not the JSON of select"):
        write_report([bad], tmp_path / "r.html")


def test_page_is_self_contained_with_tables_and_svg(results, tmp_path):
    files, sel = results
    out = tmp_path / "report.html"
    info = write_report([str(p) for p in files.values()], out)
    assert info["inputs"] == 4 and info["plots"] >= 3  # curve, spread over k, time over k
    page = out.read_text()
    assert page.count("<svg") == info["plots"]
    assert not re.search(r"<script|<link|src=\"http|href=\"http", page)  # static, nothing fetched
    for row in sel["curve"]:
        assert f"<td>{row['seed']:,}</td>" in page or f"<td>{row['seed']}</td>" in page
    assert f"{sel['upper_bound']:,.1f}" in page and "Recall@1" in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="needs the chromium package (.ci/run installs it)")
def test_report_in_headless_chromium(results, tmp_path):
    files, sel = results
    page = tmp_path / "report.html"
    subprocess.run([sys.executable, "-m", "seedwise", "report", *map(str, files.values()), "--output", str(page)],
                   check=True, capture_output=True, text=True)
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--no-first-run", "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}"]
    url = page.resolve().as_uri()
    dom = subprocess.run(flags + ["--dump-dom", url], capture_output=True, text=True, timeout=120).stdout
    assert "<table>" in dom and "<svg" in dom
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", dom)
    for row in sel["curve"]:  # every seed of the curve, and its cumulative spread, made it into the DOM
        assert f"{row['seed']:,}" in cells or str(row["seed"]) in cells
        assert f"{row['spread']:,.2f}" in cells
    assert "Recall@1" in cells and "local-degree" in cells
    shot = tmp_path / "shot.png"
    subprocess.run(flags + [f"--screenshot={shot}", "--window-size=1000,1400", "--hide-scrollbars", url],
                   capture_output=True, text=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 1000
    image = pytest.importorskip("matplotlib.image")
    pixels = (image.imread(shot)[..., :3] * 255).astype(np.int64)
    dark = (pixels.sum(axis=2) < 300).mean()
    colours = len(np.unique(pixels.reshape(-1, 3)[::7], axis=0))
    assert 0.002 < dark < 0.5 and colours > 8, (dark, colours)  # text and plots drawn, not a blank page
