"""``seedwise recommend`` / ``recommend-eval``: flags, JSON keys, atomic output."""
import argparse
import csv
import json

import numpy as np
import pytest

from seedwise.cli import him as cli_him
from seedwise.graph import Graph

EDGES = [(1, 2, 3), (1, 3, 1), (1, 4, 1), (2, 3, 2), (3, 4, 1), (4, 5, 1), (6, 1, 1), (6, 7, 1)]


def graph():
    u, v, w = zip(*EDGES)
    return Graph.from_edges(np.array(u), np.array(v), np.array(w, dtype=float), weights="counts")


def parser():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers()

    def add_graph_args(q):
        q.add_argument("--graph")
        q.add_argument("--weights", default="wc")

    for name, arguments, func in (("recommend", cli_him.recommend_arguments, cli_him.run_recommend),
                                  ("recommend-eval", cli_him.recommend_eval_arguments, cli_him.run_recommend_eval)):
        q = sub.add_parser(name)
        add_graph_args(q)
        arguments(q)
        q.set_defaults(func=func)
    return p


def run(argv, capsys):
    args = parser().parse_args(argv)
    rc = args.func(args, graph())
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.fixture
def aps(tmp_path):
    path = tmp_path / "aps.txt"
    path.write_text("# inviters\n1\n6\n99\n")
    return str(path)


def test_recommend_json(aps, capsys):
    rc, out, err = run(["recommend", "--graph", "g", "--aps", aps, "--k", "2", "--method", "hetero-ir",
                        "--skip-unknown", "--json"], capsys)
    assert rc == 0
    obj = json.loads(out)
    # the shared result keys (issue 13) around HIM's own: method, recommendations, skipped
    assert list(obj)[:5] == ["algorithm", "k", "method", "recommendations", "skipped"]
    assert obj["status"] == "no certificate" and obj["skipped"] == ["99"] and "times" in obj
    assert obj["method"] == "hetero-ir" and obj["k"] == 2
    assert list(obj["recommendations"]) == ["1", "6"]
    first = obj["recommendations"]["1"]
    assert [list(x) for x in first] == [["invitee", "score"]] * 2
    assert all(isinstance(x["invitee"], int) for x in first)
    assert "1 inviter ids are not nodes" in err


def test_recommend_unknown_is_error(aps):
    args = parser().parse_args(["recommend", "--graph", "g", "--aps", aps, "--k", "2"])
    with pytest.raises(Exception, match="99"):
        args.func(args, graph())


@pytest.mark.parametrize("method", cli_him.METHODS)
def test_recommend_output_csv(aps, tmp_path, capsys, method):
    out = tmp_path / "recs.csv"
    rc, text, _ = run(["recommend", "--graph", "g", "--aps", aps, "--k", "3", "--method", method,
                       "--skip-unknown", "--eps", "0.3", "--seed", "4", "--output", str(out)], capsys)
    assert rc == 0 and "written to" in text
    with out.open() as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["inviter", "rank", "invitee", "score", "weights", "graph", "directed"]  # + the run's settings
    # hetero-im never recommends an inviter (6 -> 1): inviters reach nobody new
    six = [["6", "1"]] if method == "hetero-im" else [["6", "1"], ["6", "2"]]
    assert [r[:2] for r in rows[1:]] == [["1", "1"], ["1", "2"], ["1", "3"]] + six
    assert not list(tmp_path.glob(".*tmp"))


def test_recommend_eval_table_and_json(aps, tmp_path, capsys):
    truth = tmp_path / "truth.csv"
    truth.write_text("uid,frienduid\n1,2\n1,4\n2,3\n4,5\n6,7\n")
    rc, out, _ = run(["recommend-eval", "--graph", "g", "--aps", aps, "--truth", str(truth),
                      "--methods", "prob,degree", "--skip-unknown"], capsys)
    assert rc == 0
    assert "2 served (1 unknown ids skipped), 2 with observed pairs" in out
    assert out.splitlines()[1].split() == ["metric", "prob", "degree"]
    rc, out, _ = run(["recommend-eval", "--graph", "g", "--aps", aps, "--truth", str(truth),
                      "--skip-unknown", "--json"], capsys)
    obj = json.loads(out)
    assert list(obj) == ["methods"]
    assert list(obj["methods"]) == list(cli_him.METHODS)
    keys = [f"{m}@{k}" for m in ("recall", "ndcg", "nspread") for k in (1, 2, 3)] + ["seconds"]
    assert all(list(v) == keys for v in obj["methods"].values())


def test_recommend_eval_bad_methods(aps, tmp_path):
    truth = tmp_path / "truth.txt"
    truth.write_text("1 2\n")
    args = parser().parse_args(["recommend-eval", "--graph", "g", "--aps", aps, "--truth", str(truth),
                                "--methods", "prob,nope", "--skip-unknown"])
    with pytest.raises(Exception, match="--methods"):
        args.func(args, graph())


def test_with_the_main_cli_graph_flags(tmp_path, capsys):
    from seedwise.cli import main

    edges = tmp_path / "g.txt"
    edges.write_text("".join(f"{u} {v} {w}\n" for u, v, w in EDGES))
    aps = tmp_path / "aps.txt"
    aps.write_text("1\n6\n")
    assert main(["recommend", "--graph", str(edges), "--weights", "counts", "--no-cache",
                 "--aps", str(aps), "--k", "1", "--method", "prob", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["recommendations"] == {
        "1": [{"invitee": 2, "score": 1.0}], "6": [{"invitee": 1, "score": 1.0}]}  # w / sum of w into the invitee
