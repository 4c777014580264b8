"""The `seedwise` command: JSON contract of issue 2, output files, exit statuses."""
import csv
import json
import os
import subprocess
import sys

import pytest

from seedwise import cli
from seedwise.cli import main


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Graph caches go to a temporary folder, not the user's ~/.cache."""
    monkeypatch.setenv("SEEDWISE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "graph-cache"))

SELECT_KEYS = {"algorithm", "model", "k", "seeds", "spread", "lower_bound", "upper_bound", "approximation",
               "rr_sets", "seconds"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def tiny(tmp_path):
    """1 -> 2 -> 3 -> 4 plus 1 -> 3: integer ids, 4 nodes, 4 edges."""
    p = tmp_path / "tiny.txt"
    p.write_text("# a comment\n1 2\n1 3\n2 3\n3 4\n")
    return str(p)


@pytest.fixture
def named(tmp_path):
    """String ids."""
    p = tmp_path / "named.txt"
    p.write_text("alice bob\nalice carol\nbob dave\ncarol dave\ndave erin\n")
    return str(p)


def assert_usage_error(code, out, err):
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("seedwise: error: "), err
    assert "Traceback" not in err
    assert out == ""


# ---------------------------------------------------------------- select
def test_select_json_keys_and_types(capsys):
    obj = run_json(capsys, "select", "--dataset", "email-eu-core", "--k", "5", "--seed", "0")
    assert SELECT_KEYS <= set(obj)
    assert obj["algorithm"] == "opim-c" and obj["model"] == "ic" and obj["k"] == 5
    assert len(obj["seeds"]) == 5 and len(set(obj["seeds"])) == 5
    assert all(type(s) is int for s in obj["seeds"])
    assert isinstance(obj["spread"], float)
    assert obj["lower_bound"] <= obj["upper_bound"]
    assert obj["approximation"] == pytest.approx(obj["lower_bound"] / obj["upper_bound"])
    assert isinstance(obj["rr_sets"], int) and obj["rr_sets"] > 0
    assert isinstance(obj["seconds"], float) and obj["seconds"] >= 0


def test_select_human_output_has_certificate(capsys):
    code, out, err = run(capsys, "select", "--dataset", "email-eu-core", "--k", "3", "--seed", "1")
    assert code == 0, err
    cert = [line for line in out.splitlines() if line.startswith("certificate:")]
    assert len(cert) == 1
    assert "sigma_l / sigma_u = " in cert[0] and "(1 - 1/e - eps)" in cert[0]
    assert any(line.startswith("seeds:") for line in out.splitlines())
    assert any(line.startswith("RR sets:") for line in out.splitlines())


def test_select_baseline_has_null_bounds(capsys):
    obj = run_json(capsys, "select", "--dataset", "email-eu-core", "--k", "4", "--algorithm", "degree")
    assert SELECT_KEYS <= set(obj)
    assert obj["algorithm"] == "degree"
    assert obj["approximation"] is None and obj["lower_bound"] is None
    assert len(obj["seeds"]) == 4


def test_select_string_ids(capsys, named):
    obj = run_json(capsys, "select", "--graph", named, "--k", "2", "--seed", "0")
    assert all(type(s) is str for s in obj["seeds"])
    assert set(obj["seeds"]) <= {"alice", "bob", "carol", "dave", "erin"}


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_select_output_file_atomic(capsys, tmp_path, suffix):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / f"seeds{suffix}"
    obj = run_json(capsys, "select", "--dataset", "email-eu-core", "--k", "4", "--seed", "0",
                   "--output", str(target))
    assert os.listdir(out_dir) == [target.name]  # no temporary leftovers
    mask = os.umask(0)
    os.umask(mask)
    assert os.stat(target).st_mode & 0o777 == 0o666 & ~mask  # as open() would create it, not mkstemp's 0600
    meta = {"model": "ic", "weights": "wc", "graph": "email-eu-core", "directed": True}
    if suffix == ".csv":
        with open(target, newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0] == ["rank", "seed", "marginal_gain", "cumulative_spread", "model", "weights", "graph",
                           "directed"]
        assert all(r[4:] == ["ic", "wc", "email-eu-core", "True"] for r in rows[1:])
        assert [int(r[0]) for r in rows[1:]] == [1, 2, 3, 4]
        assert [int(r[1]) for r in rows[1:]] == obj["seeds"]
        assert float(rows[-1][3]) == pytest.approx(obj["spread"])
    else:
        saved = json.loads(target.read_text())
        assert saved["seeds"] == obj["seeds"]
        assert SELECT_KEYS <= set(saved) and meta.items() <= saved.items()


def test_select_output_bad_suffix_fails_before_work(capsys, tmp_path):
    code, out, err = run(capsys, "select", "--dataset", "email-eu-core", "--k", "2",
                         "--output", str(tmp_path / "seeds.txt"))
    assert_usage_error(code, out, err)
    assert ".csv or .json" in err
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- spread
def test_spread_json(capsys):
    obj = run_json(capsys, "spread", "--dataset", "email-eu-core", "--seeds", "160,82", "--simulations", "500")
    assert {"spread", "ci95", "simulations"} <= set(obj)
    lo, hi = obj["ci95"]
    assert lo <= obj["spread"] <= hi
    assert obj["simulations"] == 500
    assert obj["seeds"] == [160, 82]


def test_spread_rr_method(capsys):
    obj = run_json(capsys, "spread", "--dataset", "email-eu-core", "--seeds", "160", "--method", "rr",
                   "--rr-sets", "2000")
    assert obj["method"] == "rr" and obj["simulations"] == 2000


def test_spread_reads_select_output(capsys, tmp_path):
    target = tmp_path / "seeds.csv"
    sel = run_json(capsys, "select", "--dataset", "cim-physic", "--k", "3", "--output", str(target))
    obj = run_json(capsys, "spread", "--dataset", "cim-physic", "--seeds-file", str(target), "--simulations", "200")
    assert obj["seeds"] == sel["seeds"]
    js = tmp_path / "seeds.json"
    run_json(capsys, "select", "--dataset", "cim-physic", "--k", "3", "--output", str(js))
    obj2 = run_json(capsys, "spread", "--dataset", "cim-physic", "--seeds-file", str(js), "--simulations", "200")
    assert obj2 == {**obj, "seconds": obj2["seconds"]}


def test_spread_human(capsys, named):
    code, out, err = run(capsys, "spread", "--graph", named, "--seeds", "alice", "--simulations", "100")
    assert code == 0, err
    assert "spread:" in out and "95% CI" in out


# ---------------------------------------------------------------- info, datasets
def test_info_json(capsys, tiny):
    obj = run_json(capsys, "info", "--graph", tiny)
    assert obj["nodes"] == 4 and obj["edges"] == 4 and obj["directed"] is True
    assert obj["lt_valid"] is True
    obj = run_json(capsys, "info", "--graph", tiny, "--undirected")
    assert obj["nodes"] == 4 and obj["edges"] == 8 and obj["directed"] is False


def test_info_dataset_counts(capsys):
    obj = run_json(capsys, "info", "--dataset", "email-eu-core")
    assert (obj["nodes"], obj["edges"], obj["directed"]) == (1005, 24929, True)
    assert obj["self_loops_dropped"] == 642 and obj["repeated_edges_merged"] == 0
    code, out, _ = run(capsys, "info", "--dataset", "email-eu-core")
    assert code == 0 and "self-loops dropped:" in out and "LT-valid:" in out


def test_datasets(capsys):
    items = run_json(capsys, "datasets")
    names = [d["name"] for d in items]
    assert {"wiki-vote", "email-eu-core", "ca-grqc", "cim-physic"} <= set(names)
    for d in items:
        assert {"name", "description", "nodes", "edges", "directed", "citation"} <= set(d)
    code, out, _ = run(capsys, "datasets")
    assert code == 0 and "wiki-vote" in out


def test_help_and_version(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "select" in out
    code, out, _ = run(capsys, "--version")
    assert code == 0 and "seedwise" in out


# ---------------------------------------------------------------- bad input: exit 2
BAD = {
    "unknown dataset": (["info", "--dataset", "no-such-graph"], "wiki-vote"),
    "missing file": (["info", "--graph", "/nonexistent/edges.txt"], "/nonexistent/edges.txt"),
    "k zero": (["select", "--dataset", "cim-physic", "--k", "0"],
               "k must be an int in [1, 241] (the number of nodes); got 0"),
    "k above n": (["select", "--dataset", "cim-physic", "--k", "242"], "[1, 241]"),
    "k not int": (["select", "--dataset", "cim-physic", "--k", "two"], "--k"),
    "eps 2": (["select", "--dataset", "cim-physic", "--k", "2", "--eps", "2"], "eps"),
    "delta 0": (["select", "--dataset", "cim-physic", "--k", "2", "--delta", "0"], "delta"),
    "bad algorithm": (["select", "--dataset", "cim-physic", "--k", "2", "--algorithm", "magic"], "opim-c"),
    "bad model": (["select", "--dataset", "cim-physic", "--k", "2", "--model", "sir"], "--model"),
    "bad weights": (["select", "--dataset", "cim-physic", "--k", "2", "--weights", "uniform:7"], "uniform"),
    "missing k": (["select", "--dataset", "cim-physic"], "--k"),
    "no graph": (["select", "--k", "2"], "--graph"),
    "no command": ([], "command"),
    "unknown seed": (["spread", "--dataset", "cim-physic", "--seeds", "0,99999"], "99999"),
    "empty seeds": (["spread", "--dataset", "cim-physic", "--seeds", ",,"], "--seeds"),
    "missing seeds file": (["spread", "--dataset", "cim-physic", "--seeds-file", "/nonexistent/s.txt"],
                           "/nonexistent/s.txt"),
    "simulations 0": (["spread", "--dataset", "cim-physic", "--seeds", "0", "--simulations", "0"], "simulations"),
    "undirected dataset": (["info", "--dataset", "wiki-vote", "--undirected"], "--undirected"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exit_2(capsys, case):
    argv, needle = BAD[case]
    code, out, err = run(capsys, *argv)
    assert_usage_error(code, out, err)
    assert needle in err


def test_malformed_file_names_file_and_line(capsys, tmp_path):
    p = tmp_path / "broken.txt"
    p.write_text("1 2\n2 3\n3\n4 5\n")
    code, out, err = run(capsys, "info", "--graph", str(p))
    assert_usage_error(code, out, err)
    assert "broken.txt" in err and "3" in err


def test_non_numeric_probability(capsys, tmp_path):
    p = tmp_path / "probs.txt"
    p.write_text("1 2 0.5\n2 3 abc\n")
    code, out, err = run(capsys, "info", "--graph", str(p), "--weights", "given")
    assert_usage_error(code, out, err)
    assert "probs.txt" in err


def test_lt_invalid_weights(capsys, tmp_path):
    p = tmp_path / "two_in.txt"
    p.write_text("1 3\n2 3\n3 4\n")
    code, out, err = run(capsys, "select", "--graph", str(p), "--model", "lt", "--weights", "uniform:0.9", "--k", "1")
    assert_usage_error(code, out, err)
    assert "LT" in err
    code, out, err = run(capsys, "spread", "--graph", str(p), "--model", "lt", "--weights", "uniform:0.9",
                         "--seeds", "1")
    assert_usage_error(code, out, err)
    # the same graph is fine under IC, and under LT with weighted cascade
    assert run(capsys, "select", "--graph", str(p), "--model", "lt", "--k", "1")[0] == 0


def test_internal_error_exit_1(capsys, monkeypatch):
    from seedwise import api

    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(api, "maximize", boom)
    monkeypatch.delenv("SEEDWISE_DEBUG", raising=False)
    code, _, err = run(capsys, "select", "--dataset", "cim-physic", "--k", "2")
    assert code == 1
    assert "kaboom" in err and "SEEDWISE_DEBUG=1" in err and "Traceback" not in err
    monkeypatch.setenv("SEEDWISE_DEBUG", "1")
    code, _, err = run(capsys, "select", "--dataset", "cim-physic", "--k", "2")
    assert code == 1 and "Traceback" in err


def test_subcommand_registry_is_extensible(capsys, monkeypatch):
    seen = {}

    def args(p):
        cli.add_graph_arguments(p)
        p.add_argument("--json", action="store_true")

    def go(a):
        g, _ = cli.load_graph(a)
        seen["n"] = g.n
        cli.emit(a, {"n": g.n}, f"n = {g.n}")
        return 0

    monkeypatch.setitem(cli.COMMANDS, "count", cli.Command("count", "count nodes", args, go))
    assert run_json(capsys, "count", "--dataset", "cim-physic") == {"n": 241}


def test_console_script_exit_status(tmp_path):
    """`python -m seedwise` turns main's return value into the process status."""
    env = {**os.environ, "SEEDWISE_DEBUG": ""}
    r = subprocess.run([sys.executable, "-m", "seedwise", "info", "--dataset", "nope"],
                       capture_output=True, text=True, check=False, env=env)
    assert r.returncode == 2 and r.stderr.startswith("seedwise: error: ")
    r = subprocess.run([sys.executable, "-m", "seedwise", "datasets", "--json"],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0 and json.loads(r.stdout)


def test_help_does_not_load_numba():
    code = "import sys, seedwise.cli as c; c.build_parser(); print('numba' in sys.modules, 'numpy' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert r.stdout.split() == ["False", "False"], r.stderr


# ---------------------------------------------------------------- generate, convert
def test_generate_rmat_then_select(capsys, tmp_path):
    out = tmp_path / "r.swg"
    obj = run_json(capsys, "generate", "rmat", "--edges", "2k", "--seed", "3", "--output", str(out))
    assert out.is_file() and obj["edges"] <= 2000 and obj["nodes"] >= 1
    info = run_json(capsys, "info", "--graph", str(out))
    assert (info["nodes"], info["edges"]) == (obj["nodes"], obj["edges"])
    sel = run_json(capsys, "select", "--graph", str(out), "--k", "3")
    assert len(sel["seeds"]) == 3 and all(type(s) is int for s in sel["seeds"])


def test_convert_matches_text(capsys, tmp_path, named):
    out = tmp_path / "named.swg"
    obj = run_json(capsys, "convert", named, str(out), "--undirected")
    assert (obj["nodes"], obj["edges"]) == (5, 10)
    a = run_json(capsys, "info", "--graph", str(out))
    b = run_json(capsys, "info", "--graph", named, "--undirected")
    for key in ("nodes", "edges", "directed", "ids", "out_degree", "in_degree", "weights"):
        assert a[key] == b[key], key
    sel = run_json(capsys, "select", "--graph", str(out), "--k", "2", "--seed", "0")
    text = run_json(capsys, "select", "--graph", named, "--undirected", "--k", "2", "--seed", "0")
    assert sel["seeds"] == text["seeds"]


@pytest.mark.parametrize("argv, needle", [
    (["generate", "rmat", "--edges", "1.5", "--output", "x.swg"], "--edges"),
    (["generate", "rmat", "--edges", "100"], "--output"),
    (["generate"], "GENERATOR"),
    (["convert", "/nonexistent/in.txt", "out.swg"], "/nonexistent/in.txt"),
])
def test_generate_convert_bad_input(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert_usage_error(code, out, err)
    assert needle in err
