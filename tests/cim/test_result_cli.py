"""CimResult (JSON keys, rows, ranking by weight) and the cim / cim-compare commands."""
import argparse
import csv
import json
import os

import numpy as np
import pytest

from seedwise._output import dumps
from seedwise._validation import SeedwiseError
from seedwise.algorithms.cim import cim
from seedwise.cli.cim import cim_arguments, cim_compare_arguments, run_cim, run_cim_compare
from seedwise.graph import Graph

# the keys of issue 3, then (issue 13) the shared ones it used to drop: target, status, times, params
KEYS = ["algorithm", "k", "assignments", "distinct_seeds", "aps_without_candidates", "zero_gain_picks",
        "zero_gain_fill", "spread", "lower_bound", "upper_bound", "approximation", "target", "status", "rr_sets",
        "seconds", "times", "params"]
ROW_KEYS = ["ap", "rank", "friend", "marginal_gain", "weight", "pick", "cumulative_spread", "zero_gain"]


@pytest.fixture(scope="module")
def g():
    # APs 0 and 1 share friend 5; weights (intimacy) in the third column, probabilities given
    src = [0, 0, 0, 1, 1, 1, 5, 5, 6, 7, 8, 9]
    dst = [5, 6, 7, 5, 8, 9, 10, 11, 12, 13, 14, 15]
    w = [0.2, 0.9, 0.5, 0.3, 0.8, 0.1, 0.6, 0.6, 0.4, 0.4, 0.4, 0.4]
    return Graph.from_edges(np.array(src), np.array(dst), np.array(w), weights="given")


@pytest.fixture(scope="module")
def gs():
    return Graph.from_edges(np.array(["a", "a", "b", "x"]), np.array(["x", "y", "x", "z"]), weights="uniform:0.5")


def test_to_dict_keys_and_typed_ids(g, gs):
    res = cim(g, [0, 1], 2, seed=0)
    d = json.loads(dumps(res.to_dict()))
    assert list(d) == KEYS
    assert d["algorithm"] == "rr-opim+eb" and d["k"] == 2
    assert d["zero_gain_picks"] == res.zero_gain_picks == sum(1 for r in res.rows() if r[7])
    assert 0 <= d["zero_gain_picks"] <= len(res.friends) and "prior" in d["zero_gain_fill"]
    assert set(d["assignments"]) == {"0", "1"}
    assert all(isinstance(f, int) for fs in d["assignments"].values() for f in fs)
    assert d["approximation"] == pytest.approx(res.ratio) and d["rr_sets"] == res.n_rr_sets
    assert d["target"] == pytest.approx(0.4) and d["status"] == "target met" and d["params"]["seed"] == 0
    assert set(d["times"]) >= {"query", "sampling", "selection", "total"}
    res = cim(gs, ["a", "b"], 1, algorithm="local-degree")
    d = json.loads(dumps(res.to_dict()))
    assert d["assignments"] == {"a": ["x"], "b": ["x"]}  # local baselines overlap
    assert d["distinct_seeds"] == 1 and d["spread"] is None and d["approximation"] is None
    assert d["lower_bound"] is None and d["upper_bound"] is None and d["status"] == "no certificate"
    assert d["zero_gain_picks"] is None and d["zero_gain_fill"] is None  # no sample, nothing to say


def test_zero_gain_picks_counted_and_filled_by_the_tie_rule(g):
    # 1 RR set per collection: almost every pick has zero marginal coverage
    res = cim(g, [0, 1], 3, algorithm="rr-opim+", seed=0, eps=0.9, start="paper")
    zeros = [r for r in res.rows() if r[7]]
    assert res.zero_gain_picks == len(zeros) == int(np.sum(res.marginal_gains == 0)) > 0
    assert all(r[3] == 0 for r in zeros) and "one-hop spread" in res.zero_gain_fill
    more = cim(g, [0, 1], 3, algorithm="rr-opim+", seed=0, min_rr_sets=1 << 14)
    assert more.zero_gain_picks < res.zero_gain_picks


def test_rows_gains_weights_and_rank_by_weight(g):
    res = cim(g, [0, 1], 3, seed=0)
    rows = list(res.rows())
    assert len(rows) == len(res.friends) == 5  # friend 5 is shared: only one AP takes it
    for ap, rank, friend, gain, weight, _, _, zero in rows:
        assert zero == (gain == 0)
        assert res.assignments[ap][rank - 1] == friend
        ai, fi = g.index_of([ap, friend])
        lo, hi = g.out_indptr[ai], g.out_indptr[ai + 1]
        assert weight == pytest.approx(float(g.out_weight[lo:hi][g.out_indices[lo:hi] == fi][0]))
        assert gain >= 0
    ranked = cim(g, [0, 1], 3, seed=0, rank_by_weight=True)
    for ap in (0, 1):
        assert sorted(ranked.assignments[ap]) == sorted(res.assignments[ap])
        assert ranked.weights[ap] == sorted(ranked.weights[ap], reverse=True)
    weight_of = {5: 0.2, 6: 0.9, 7: 0.5}
    assert ranked.assignments[0] == sorted(res.assignments[0], key=lambda f: -weight_of[f])
    assert "rr-opim+" in repr(res) and "distinct seeds" in repr(res)
    degree = cim(g, [0, 1], 1, algorithm="local-degree")
    assert all(r[3] is None and r[7] is None for r in degree.rows())


# ------------------------------------------------------------------ CLI
def parser():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers()
    for name, arguments, run in (("cim", cim_arguments, run_cim), ("cim-compare", cim_compare_arguments,
                                                                       run_cim_compare)):
        q = sub.add_parser(name)
        q.add_argument("--graph")  # the graph comes in as an object: the flags below are what is tested
        arguments(q)
        q.set_defaults(func=run)
    return p


def call(argv, graph, capsys):
    args = parser().parse_args(argv)
    status = args.func(args, graph)
    return status, capsys.readouterr().out


def test_cli_cim_json_and_outputs(g, tmp_path, capsys):
    aps = tmp_path / "aps.txt"
    aps.write_text("0\n1\n")
    status, out = call(["cim", "--aps", str(aps), "--k", "2", "--json"], g, capsys)
    assert status == 0 and list(json.loads(out)) == KEYS
    status, out = call(["cim", "--aps", str(aps), "--k", "2"], g, capsys)
    assert "zero-gain picks:" in out and "filled by" in out
    csv_path, json_path = tmp_path / "r.csv", tmp_path / "r.json"
    status, out = call(["cim", "--aps", str(aps), "--k", "2", "--output", str(csv_path), "--rank-by-weight",
                        "--algorithm", "rr-opim"], g, capsys)
    assert status == 0 and "rr-opim" in out and "wrote 4 rows" in out
    with open(csv_path) as f:
        rows = list(csv.reader(f))
    assert rows[0] == ROW_KEYS + ["model", "weights", "graph", "directed"]  # the row, then the run's settings
    assert len(rows) == 5 and rows[1][8:10] == ["ic", g.weights]
    assert all(r[7] in ("True", "False") for r in rows[1:])
    call(["cim", "--aps", str(aps), "--k", "1", "--output", str(json_path), "--algorithm", "local-degree"],
         g, capsys)
    with open(json_path) as f:
        objs = json.load(f)
    assert [sorted(o) for o in objs] == [sorted(ROW_KEYS + ["model", "weights", "graph", "directed"])] * 2
    assert objs[0]["marginal_gain"] is None and objs[0]["zero_gain"] is None
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]


def test_cli_cim_query_flags_and_errors(g, tmp_path, capsys):
    sets = tmp_path / "q.ap"
    sets.write_text("0\n0,1\n")
    status, out = call(["cim", "--aps", str(sets), "--ap-set", "2", "--k", "1", "--json"], g, capsys)
    assert set(json.loads(out)["assignments"]) == {"0", "1"}
    with pytest.raises(SeedwiseError, match="ap_set must be in"):
        call(["cim", "--aps", str(sets), "--ap-set", "3", "--k", "1"], g, capsys)
    status, out = call(["cim", "--ap-fraction", "0.2", "--k", "1", "--seed", "3", "--json"], g, capsys)
    assert len(json.loads(out)["assignments"]) == round(0.2 * g.n)
    caps = tmp_path / "caps.txt"
    caps.write_text("0 1\n1 3\n")
    status, out = call(["cim", "--aps", str(sets), "--ap-set", "2", "--capacities", str(caps), "--json"], g, capsys)
    d = json.loads(out)
    assert len(d["assignments"]["0"]) <= 1 and len(d["assignments"]["1"]) <= 3 and d["k"] is None
    bad = tmp_path / "bad.txt"
    bad.write_text("0 1\n1 x\n")
    with pytest.raises(SeedwiseError, match="bad.txt:2"):
        call(["cim", "--aps", str(sets), "--capacities", str(bad), "--k", "1"], g, capsys)
    with pytest.raises(SeedwiseError, match="--k is required"):
        call(["cim", "--aps", str(sets)], g, capsys)
    with pytest.raises(SeedwiseError, match="--output must end in"):
        call(["cim", "--aps", str(sets), "--k", "1", "--output", str(tmp_path / "r.txt")], g, capsys)
    with pytest.raises(SeedwiseError, match="--ap-set applies"):
        call(["cim", "--ap-fraction", "0.1", "--ap-set", "2", "--k", "1"], g, capsys)
    with pytest.raises(SystemExit):
        parser().parse_args(["cim", "--aps", "x", "--ap-fraction", "0.1", "--k", "1"])
    with pytest.raises(SystemExit):
        parser().parse_args(["cim", "--aps", "x", "--k", "0"])


def test_cli_cim_compare(g, tmp_path, capsys):
    aps = tmp_path / "aps.txt"
    aps.write_text("0\n1\n")
    plot = tmp_path / "cmp.png"
    status, out = call(["cim-compare", "--aps", str(aps), "--ks", "1,2", "--algorithms", "rr-opim+,local-degree",
                        "--simulations", "500", "--plot", str(plot)], g, capsys)
    assert status == 0 and plot.exists() and plot.stat().st_size > 1000
    assert "rr-opim+" in out and "local-degree" in out and "distinct seeds" in out
    assert "zero-gain picks" in out
    status, out = call(["cim-compare", "--aps", str(aps), "--k", "2", "--algorithms", "rr-opim,mg-opim",
                        "--simulations", "200", "--json"], g, capsys)
    d = json.loads(out)
    assert [(r["algorithm"], r["k"]) for r in d["results"]] == [("rr-opim", 2), ("mg-opim", 2)]
    assert all(r["spread"] > 0 and r["simulations"] == 200 for r in d["results"])
    with pytest.raises(SeedwiseError, match="unknown algorithm"):
        call(["cim-compare", "--aps", str(aps), "--k", "2", "--algorithms", "rr-opim,foo"], g, capsys)
    with pytest.raises(SeedwiseError, match="--ks must list integers"):
        call(["cim-compare", "--aps", str(aps), "--ks", "2,0"], g, capsys)
    with pytest.raises(SeedwiseError, match="give --k"):
        call(["cim-compare", "--aps", str(aps)], g, capsys)
