"""The CLI of issue 8: output files that remember their run, formats and flags, optional
packages checked before the work, plots after the tables, the report command."""
import importlib.util
import json

import pytest
from test_cli import assert_usage_error, run, run_json

import seedwise
from seedwise import _progress


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("SEEDWISE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "graph-cache"))
    yield
    _progress.set_quiet(False)


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_lt_round_trip_select_output_then_spread(capsys, tmp_path, suffix):
    out = tmp_path / f"seeds{suffix}"
    sel = run_json(capsys, "select", "--dataset", "cim-physic", "--k", "5", "--model", "lt", "--output", str(out))
    got = run_json(capsys, "spread", "--dataset", "cim-physic", "--seeds-file", str(out), "--simulations", "3000")
    assert got["model"] == "lt" and got["seeds"] == sel["seeds"]
    if suffix == ".csv":  # a plain table for pandas too: the run's settings are columns
        pd = pytest.importorskip("pandas")
        df = pd.read_csv(out)
        assert df["seed"].tolist() == sel["seeds"] and set(df["model"]) == {"lt"}
        assert df["cumulative_spread"].iloc[-1] == pytest.approx(sel["spread"])
    g = seedwise.load_dataset("cim-physic")
    lt = seedwise.spread(g, sel["seeds"], model="lt", simulations=3000, seed=0)
    ic = seedwise.spread(g, sel["seeds"], model="ic", simulations=3000, seed=0)
    assert got["spread"] == pytest.approx(lt.mean)  # the LT spread, run for run
    assert abs(lt.mean - ic.mean) > 3 * (lt.ci95[1] - lt.ci95[0])  # and not the IC one, which differs
    # told otherwise: measured under IC, with a warning that names both models
    code, text, err = run(capsys, "spread", "--dataset", "cim-physic", "--seeds-file", str(out), "--model", "ic",
                          "--simulations", "500", "--json")
    assert code == 0 and json.loads(text)["model"] == "ic"
    assert err.count("seedwise: warning:") == 1 and "model LT" in err and "under IC" in err


def test_spread_warns_on_other_weights_or_graph(capsys, tmp_path):
    out = tmp_path / "s.json"
    run_json(capsys, "select", "--dataset", "cim-physic", "--k", "2", "--output", str(out))
    code, _, err = run(capsys, "spread", "--dataset", "cim-physic", "--weights", "uniform:0.1", "--seeds-file",
                       str(out), "--simulations", "100")
    assert code == 0 and "weights wc (this graph has uniform:0.1)" in err


def test_plot_without_matplotlib_fails_at_once(capsys, tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    monkeypatch.setattr(seedwise.api, "load_dataset", lambda *a, **k: pytest.fail("loaded the graph first"))
    code, out, err = run(capsys, "select", "--dataset", "cim-physic", "--k", "3", "--plot", str(tmp_path / "c.png"))
    assert_usage_error(code, out, err)
    assert "pip install 'seedwise[plot]'" in err
    code, out, err = run(capsys, "cim-compare", "--dataset", "cim-physic", "--ap-fraction", "0.05", "--k", "2",
                         "--plot", str(tmp_path / "c.png"))
    assert_usage_error(code, out, err)
    assert "pip install 'seedwise[plot]'" in err


def test_table_printed_before_a_failing_plot(capsys, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from seedwise.cli import plot

    def broken(*a, **k):
        raise RuntimeError("no display")

    monkeypatch.setattr(plot, "plot_curve", broken)
    code, out, err = run(capsys, "select", "--dataset", "cim-physic", "--k", "3", "--plot", str(tmp_path / "c.png"))
    assert code == 1 and "certificate:" in out and "no display" in err


def test_select_plot_draws_the_curve(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "curve.svg"
    code, out, err = run(capsys, "select", "--dataset", "cim-physic", "--k", "4", "--plot", str(target))
    assert code == 0, err
    assert target.read_text().count("<path") > 3 and f"wrote {target}" in out
    code, out, err = run(capsys, "select", "--dataset", "cim-physic", "--k", "4", "--algorithm", "degree",
                         "--plot", str(target))
    assert_usage_error(code, out, err)


def test_celf_max_seconds_and_its_estimate(capsys):
    code, out, err = run(capsys, "select", "--dataset", "email-eu-core", "--k", "2", "--algorithm", "celf",
                         "--max-seconds", "0.000001")
    assert_usage_error(code, out, err)
    assert "max_seconds=1e-06" in err
    code, out, err = run(capsys, "select", "--dataset", "cim-physic", "--k", "2", "--algorithm", "celf",
                         "--simulations", "200")
    assert code == 0 and err.startswith("celf: about ") and "expected" in err  # said before the work
    code, out, err = run(capsys, "select", "--dataset", "cim-physic", "--k", "2", "--algorithm", "celf",
                         "--simulations", "200", "--quiet")
    assert code == 0 and err == ""
    code, out, err = run(capsys, "select", "--dataset", "cim-physic", "--k", "2", "--max-seconds", "5")
    assert_usage_error(code, out, err)


def test_cim_model_flag(capsys):
    ic = run_json(capsys, "cim", "--dataset", "cim-physic", "--ap-fraction", "0.05", "--k", "2")
    lt = run_json(capsys, "cim", "--dataset", "cim-physic", "--ap-fraction", "0.05", "--k", "2", "--model", "lt")
    g = seedwise.load_dataset("cim-physic")
    from seedwise.algorithms.cim import random_aps

    ref = seedwise.cim(g, random_aps(g, 0.05, 0), 2, model="lt", seed=0)
    assert lt["assignments"] == json.loads(json.dumps(ref.to_dict()))["assignments"]
    assert lt["spread"] != ic["spread"]


def test_formats_through_the_cli(capsys, tmp_path):
    csv = tmp_path / "e.csv"
    csv.write_text("who,whom,p\nann,bo,0.5\nbo,cy,0.5\ncy,ann,0.5\ndi,ann,0.25\n")
    info = run_json(capsys, "info", "--graph", str(csv), "--source-col", "who", "--target-col", "whom",
                    "--weight-col", "p")
    assert info["edges"] == 4 and info["ids"] == "str" and info["weights"] == "given" and info["format"] == "csv"
    mtx = tmp_path / "g.mtx"
    mtx.write_text("%%MatrixMarket matrix coordinate pattern symmetric\n3 3 2\n2 1\n3 2\n")
    info = run_json(capsys, "info", "--graph", str(mtx))
    assert not info["directed"] and info["edges"] == 4 and info["nodes"] == 3
    snap = tmp_path / "snap.txt"
    snap.write_text("# Undirected graph: x\n1 2\n2 3\n")
    code, out, err = run(capsys, "info", "--graph", str(snap))
    assert code == 0 and "header says undirected" not in err and "directed:" in out
    assert not run_json(capsys, "info", "--graph", str(snap))["directed"]
    assert run_json(capsys, "info", "--graph", str(snap), "--directed")["directed"]
    sym = tmp_path / "sym.txt"
    sym.write_text("1 2\n2 1\n")
    code, out, err = run(capsys, "info", "--graph", str(sym), "--no-cache")
    assert code == 0 and err.startswith("seedwise: warning:") and "--undirected" in err
    code, out, err = run(capsys, "info", "--graph", str(sym), "--weight-col", "w")
    assert_usage_error(code, out, err)


def test_convert_reads_other_formats_and_headers(capsys, tmp_path):
    mtx = tmp_path / "g.mtx"
    mtx.write_text("%%MatrixMarket matrix coordinate pattern symmetric\n3 3 2\n2 1\n3 2\n")
    obj = run_json(capsys, "convert", str(mtx), str(tmp_path / "g.swg"))
    assert obj["edges"] == 4 and obj["directed"] is False  # the size line is no edge; symmetric: both ways
    snap = tmp_path / "snap.txt"
    snap.write_text("# Undirected graph: x\n1 2\n2 3\n")
    obj = run_json(capsys, "convert", str(snap), str(tmp_path / "s.swg"))
    assert obj["edges"] == 4 and obj["directed"] is False
    assert not seedwise.read_graph(tmp_path / "s.swg").directed


def test_report_command(capsys, tmp_path):
    sel = tmp_path / "s.json"
    run_json(capsys, "select", "--dataset", "cim-physic", "--k", "3", "--output", str(sel))
    code, out, err = run(capsys, "report", str(sel), "--output", str(tmp_path / "r.html"))
    assert code == 0 and "1 result files" in out
    page = (tmp_path / "r.html").read_text()
    assert "<svg" in page and "cumulative spread" in page
    code, out, err = run(capsys, "report", str(sel), "--output", str(tmp_path / "r.txt"))
    assert_usage_error(code, out, err)


def test_small_fixes(capsys, tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_text("".join(f"{i} {i + 1}\n{i} {i + 7}\n" for i in range(40_000)))  # above the cache threshold
    first = run_json(capsys, "info", "--graph", str(big))
    again = run_json(capsys, "info", "--graph", str(big))
    assert (first["cache"], again["cache"]) == ("written", "hit")  # info --json reports the cache
    code, out, err = run(capsys, "select", "--help")
    assert "BYTES|80%" in out and "80%%" not in out
    code, out, err = run(capsys, "spread", "--help")
    assert "95% confidence" in out and "%%" not in out
    code, out, err = run(capsys, "convert", str(big), str(tmp_path / "big.txt2"))
    assert_usage_error(code, out, err)
    assert "OUT_FILE must end in .swg" in err and not (tmp_path / "big.txt2").exists()
    code, out, err = run(capsys, "generate", "rmat", "--edges", "10k", "--output", str(tmp_path / "g.txt"))
    assert_usage_error(code, out, err)
    obj = run_json(capsys, "generate", "rmat", "--edges", "10k", "--output", str(tmp_path / "g.swg"))
    assert obj["edges_drawn"] == 10_000
    assert obj["edges"] + obj["self_loops_dropped"] + obj["repeated_edges_merged"] == 10_000
    code, out, err = run(capsys, "generate", "rmat", "--edges", "10k", "--output", str(tmp_path / "g.swg"))
    assert f"{obj['edges']:,} edges, 10,000 drawn (R-MAT draws every edge independently" in out
    for d in run_json(capsys, "datasets"):
        assert d["path"] and seedwise.load_dataset(d["name"]).n == d["nodes"]
        if d["ap_file"]:  # a path that --aps takes as it is
            cim = run_json(capsys, "cim", "--dataset", d["name"], "--aps", d["ap_path"], "--k", "1")
            assert cim["assignments"]


def test_cim_compare_progress_per_algorithm():
    import io
    import re

    from seedwise._progress import Progress
    from seedwise.algorithms.cim import random_aps

    g = seedwise.load_dataset("cim-physic")
    buf = io.StringIO()
    bar = Progress("cim-compare", stream=buf, enabled=True, delay=0, interval=0)
    seedwise.cim_compare(g, random_aps(g, 0.05, 0), [1, 2], ["rr-opim+", "local-degree"], simulations=300,
                         progress=bar)
    bar.close()
    labels = set(re.findall(r"([a-z+-]+ k=\d: (?:RR sets|MC on P))", buf.getvalue()))
    assert labels == {f"{a} k={k}: {what}" for a in ("rr-opim+", "local-degree") for k in (1, 2)
                      for what in ("RR sets", "MC on P")}
