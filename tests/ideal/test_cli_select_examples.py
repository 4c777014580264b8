"""seedwise select-examples: file formats, JSON keys, --output, errors as one line with exit 2."""
import json

import numpy as np
import pytest

import seedwise
from seedwise.cli import main

KEYS = {"indices", "budget", "spread", "lower_bound", "upper_bound", "neighbors", "metric", "seconds"}


@pytest.fixture
def X():
    rng = np.random.default_rng(0)
    c = rng.normal(size=(3, 5)) * 5
    return c[rng.integers(0, 3, 90)] + rng.normal(size=(90, 5))


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_matches_the_api(tmp_path, capsys, X):
    path = tmp_path / "emb.npy"
    np.save(path, X)
    code, out, _ = _run(capsys, "select-examples", "--embeddings", str(path), "--budget", "6", "--neighbors", "7",
                        "--seed", "3", "--json")
    assert code == 0
    got = json.loads(out)
    assert KEYS <= set(got)
    res = seedwise.select_examples(X, 6, neighbors=7, seed=3)
    assert got["indices"] == res.indices and got["budget"] == 6 and got["neighbors"] == 7
    assert got["metric"] == "euclidean" and got["lower_bound"] == pytest.approx(res.lower)
    assert got["upper_bound"] == pytest.approx(res.upper) and got["spread"] == pytest.approx(res.spread)


@pytest.mark.parametrize("fmt", ["npz", "csv", "csv-header", "parquet", "parquet-list"])
def test_every_input_format_gives_the_same_selection(tmp_path, capsys, X, fmt):
    args = []
    if fmt == "npz":
        path = tmp_path / "emb.npz"
        np.savez(path, emb=X, labels=np.arange(90))
        args = ["--key", "emb"]
    elif fmt.startswith("csv"):
        path = tmp_path / "emb.csv"
        header = ",".join(f"f{i}" for i in range(5)) if fmt == "csv-header" else ""
        np.savetxt(path, X, delimiter=",", header=header, comments="", fmt="%.17g")
    else:
        pa = pytest.importorskip("pyarrow")
        import pyarrow.parquet as pq

        path = tmp_path / "emb.parquet"
        if fmt == "parquet":
            table = pa.table({f"f{i}": X[:, i] for i in range(5)})
        else:
            table = pa.table({"id": np.arange(90), "vec": [list(r) for r in X]})
            args = ["--key", "vec"]
        pq.write_table(table, path)
    code, out, err = _run(capsys, "select-examples", "--embeddings", str(path), "--budget", "5", "--json", *args)
    assert code == 0, err
    assert json.loads(out)["indices"] == seedwise.select_examples(X, 5).indices


def test_output_csv_and_json(tmp_path, capsys, X):
    path = tmp_path / "emb.npy"
    np.save(path, X)
    csv_out, json_out = tmp_path / "picked.csv", tmp_path / "picked.json"
    code, out, _ = _run(capsys, "select-examples", "--embeddings", str(path), "--budget", "4", "--output", str(csv_out))
    assert code == 0 and "certificate" in out and "indices" in out
    lines = csv_out.read_text().split()
    res = seedwise.select_examples(X, 4)
    assert lines[0] == "rank,index"
    assert [int(x.split(",")[1]) for x in lines[1:]] == res.indices
    assert [int(x.split(",")[0]) for x in lines[1:]] == [1, 2, 3, 4]
    code, _, _ = _run(capsys, "select-examples", "--embeddings", str(path), "--budget", "4", "--output", str(json_out))
    assert code == 0
    assert json.loads(json_out.read_text())["indices"] == res.indices


@pytest.mark.parametrize("method", ["random", "vote-k"])
def test_baseline_methods(tmp_path, capsys, X, method):
    path = tmp_path / "emb.npy"
    np.save(path, X)
    code, out, _ = _run(capsys, "select-examples", "--embeddings", str(path), "--budget", "5", "--method", method,
                        "--json")
    got = json.loads(out)
    assert code == 0 and got["method"] == method and got["lower_bound"] is None and len(got["indices"]) == 5


def _error(capsys, *argv):
    code, out, err = _run(capsys, "select-examples", *argv)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("seedwise: error:"), err
    return lines[0]


def test_errors_are_one_line(tmp_path, capsys, X):
    bad = X.copy()
    bad[40, 2] = np.nan
    np.save(tmp_path / "bad.npy", bad)
    np.save(tmp_path / "ok.npy", X)
    np.savez(tmp_path / "two.npz", a=X, b=X)
    (tmp_path / "bad.csv").write_text("1,2\n3,x\n")
    (tmp_path / "emb.txt").write_text("1 2\n")
    ok = str(tmp_path / "ok.npy")
    assert "row 40 has NaN" in _error(capsys, "--embeddings", str(tmp_path / "bad.npy"), "--budget", "3")
    assert "budget must be an int in [1, 90]" in _error(capsys, "--embeddings", ok, "--budget", "91")
    assert "neighbors must be an int in [1, 89]" in _error(capsys, "--embeddings", ok, "--budget", "3",
                                                           "--neighbors", "90")
    assert "choose one with --key" in _error(capsys, "--embeddings", str(tmp_path / "two.npz"), "--budget", "3")
    assert "no array 'c'" in _error(capsys, "--embeddings", str(tmp_path / "two.npz"), "--key", "c", "--budget", "3")
    assert "bad.csv" in _error(capsys, "--embeddings", str(tmp_path / "bad.csv"), "--budget", "1")
    assert ".npy, .npz, .csv, .parquet" in _error(capsys, "--embeddings", str(tmp_path / "emb.txt"), "--budget", "1")
    assert "not found" in _error(capsys, "--embeddings", str(tmp_path / "none.npy"), "--budget", "1")
    assert "--output must end in" in _error(capsys, "--embeddings", ok, "--budget", "1", "--output", "x.txt")
    assert "over the memory budget" in _error(capsys, "--embeddings", ok, "--budget", "1", "--max-memory", "1K")
    assert "--budget" in _error(capsys, "--embeddings", ok, "--budget", "0")
