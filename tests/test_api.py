"""The public API: same answers as the CLI, typed ids, messages at the boundary."""
import doctest
import io
import json
import math

import numpy as np
import pytest

import seedwise
from seedwise import api
from seedwise._output import dumps, jsonable, write_atomic, write_result
from seedwise._progress import Progress
from seedwise.cli import main


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Graph caches go to a temporary folder, not the user's ~/.cache."""
    monkeypatch.setenv("SEEDWISE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "graph-cache"))


@pytest.fixture(scope="module")
def email():
    return seedwise.load_dataset("email-eu-core")


@pytest.fixture
def named():
    return seedwise.Graph.from_edges(["a", "a", "b", "c", "d"], ["b", "c", "d", "d", "e"])


@pytest.fixture
def tiny():
    return seedwise.Graph.from_edges([1, 1, 2, 3], [2, 3, 3, 4])


def cli_json(capsys, *argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def strip_times(d):
    return {k: v for k, v in d.items() if k not in ("seconds", "times")}


def test_public_names():
    for name in ("Graph", "read_graph", "load_dataset", "datasets", "maximize", "spread", "SelectionResult",
                 "SpreadEstimate", "SeedwiseError", "__version__"):
        assert hasattr(seedwise, name), name
    assert issubclass(seedwise.SeedwiseError, ValueError)
    with pytest.raises(AttributeError):
        _ = seedwise.no_such_thing


@pytest.mark.parametrize("algorithm", ["opim-c", "imm", "degree"])
def test_maximize_equals_cli(capsys, email, algorithm):
    res = seedwise.maximize(email, 5, algorithm=algorithm, seed=3)
    obj = cli_json(capsys, "select", "--dataset", "email-eu-core", "--k", "5", "--algorithm", algorithm,
                   "--seed", "3")
    expected = json.loads(dumps({**res.to_dict(), "graph": "email-eu-core", "weights": "wc", "directed": True}))
    got = strip_times(obj)
    want = strip_times(expected)
    # params may differ only in thread count when the CLI gets none either
    assert got == want


def test_spread_equals_cli(capsys, email):
    res = seedwise.maximize(email, 3, seed=0)
    est = seedwise.spread(email, res.seeds, simulations=300, seed=5)
    obj = cli_json(capsys, "spread", "--dataset", "email-eu-core", "--seeds", ",".join(map(str, res.seeds)),
                   "--simulations", "300", "--seed", "5")
    assert obj["spread"] == est.mean and obj["ci95"] == list(est.ci95) and obj["simulations"] == 300


def test_ids_keep_their_type(named, tiny):
    res = seedwise.maximize(named, 2, seed=0)
    assert all(type(s) is str for s in res.seeds)
    res = seedwise.maximize(tiny, 2, seed=0)
    assert all(type(s) is int for s in res.seeds)
    assert json.loads(dumps(res.to_dict()))["seeds"] == res.seeds


def test_spread_accepts_original_ids(tiny, named):
    a = seedwise.spread(tiny, [1], simulations=200, seed=1)
    b = seedwise.spread(tiny, ["1"], simulations=200, seed=1)
    c = seedwise.spread(tiny, 1, simulations=200, seed=1)
    d = seedwise.spread(tiny, [1, 1], simulations=200, seed=1)  # repeats count once
    assert a.mean == b.mean == c.mean == d.mean
    assert seedwise.spread(named, "a", simulations=100).mean >= 1


def test_spread_seed_from_source_is_everything_reachable(tiny):
    # uniform p = 1: seed 1 reaches all 4 nodes in every run
    g = tiny.with_weights("uniform:1")
    est = seedwise.spread(g, [1], simulations=50)
    assert est.mean == 4.0
    est = seedwise.spread(g, [1], method="rr", rr_sets=500)
    assert est.mean == pytest.approx(4.0)


K_MSG = "k must be an int in [1, 1005] (the number of nodes); got 0"


@pytest.mark.parametrize("kwargs, needle", [
    ({"k": 0}, K_MSG),
    ({"k": 1006}, "k must be an int in [1, 1005] (the number of nodes); got 1006"),
    ({"k": 2.5}, "k must be an int"),
    ({"k": "3"}, "k must be an int"),
    ({"k": 3, "eps": 0}, "eps"),
    ({"k": 3, "eps": 1.5}, "eps"),
    ({"k": 3, "eps": float("nan")}, "eps"),
    ({"k": 3, "delta": 1}, "delta"),
    ({"k": 3, "model": "sir"}, "model must be one of ic, lt"),
    ({"k": 3, "algorithm": "magic"}, "opim-c, imm, celf, degree, pagerank, degree-discount, random"),
    ({"k": 3, "seed": -1}, "seed"),
    ({"k": 3, "threads": 0}, "threads"),
])
def test_maximize_validation(email, kwargs, needle):
    with pytest.raises(seedwise.SeedwiseError) as e:
        seedwise.maximize(email, **kwargs)
    assert needle in str(e.value)


def test_maximize_rejects_non_graph():
    with pytest.raises(seedwise.SeedwiseError, match="read_graph"):
        seedwise.maximize("edges.txt", 3)
    with pytest.raises(seedwise.SeedwiseError, match="seedwise.Graph"):
        seedwise.maximize([[1, 2]], 3)


def test_lt_validity_checked(tiny):
    g = seedwise.Graph.from_edges([1, 2, 3], [3, 3, 4], weights="uniform:0.9")
    with pytest.raises(seedwise.SeedwiseError, match="LT"):
        seedwise.maximize(g, 1, model="lt")
    with pytest.raises(seedwise.SeedwiseError, match="LT"):
        seedwise.spread(g, [1], model="lt")
    assert seedwise.maximize(g, 1, model="ic").k == 1


def test_spread_validation(tiny):
    with pytest.raises(seedwise.SeedwiseError, match="empty"):
        seedwise.spread(tiny, [])
    with pytest.raises(seedwise.SeedwiseError, match="77"):
        seedwise.spread(tiny, [1, 77])
    with pytest.raises(seedwise.SeedwiseError, match="method"):
        seedwise.spread(tiny, [1], method="exact")
    with pytest.raises(seedwise.SeedwiseError, match="simulations"):
        seedwise.spread(tiny, [1], simulations=0)


def test_read_graph_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        seedwise.read_graph(tmp_path / "nope.txt")


def test_read_graph_matches_dataset(tmp_path):
    p = tmp_path / "tiny.txt"
    p.write_text("1 2\n1 3\n2 3\n3 4\n")
    g = seedwise.read_graph(p, cache=False)
    assert (g.n, g.m, g.integer_ids) == (4, 4, True)
    assert g.ids.tolist() == [1, 2, 3, 4]


def test_read_seeds_formats(tmp_path):
    (tmp_path / "a.txt").write_text("# seeds\n3\n17 42\n5,6\n")
    assert api.read_seeds(tmp_path / "a.txt") == ["3", "17", "42", "5", "6"]
    (tmp_path / "b.csv").write_text("rank,seed\n1,x\n2,y\n")
    assert api.read_seeds(tmp_path / "b.csv") == ["x", "y"]
    (tmp_path / "c.json").write_text('{"seeds": [1, "b"]}')
    assert api.read_seeds(tmp_path / "c.json") == ["1", "b"]
    (tmp_path / "d.txt").write_text("# nothing\n")
    with pytest.raises(seedwise.SeedwiseError, match="no seed ids"):
        api.read_seeds(tmp_path / "d.txt")
    (tmp_path / "e.json").write_text('{"nodes": [1]}')
    with pytest.raises(seedwise.SeedwiseError, match="seeds"):
        api.read_seeds(tmp_path / "e.json")


def test_describe(tiny):
    info = api.describe(tiny)
    assert info["nodes"] == 4 and info["edges"] == 4 and info["directed"] is True
    assert info["out_degree"] == {"min": 0, "mean": 1.0, "max": 2}
    assert info["in_degree"]["max"] == 2
    assert info["lt_valid"] and info["max_in_weight"] == pytest.approx(1.0)
    assert not api.describe(tiny.with_weights("uniform:0.9"))["lt_valid"]


def test_doctests():
    from seedwise import _progress

    for module in (api, seedwise, _progress):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0


# ---------------------------------------------------------------- helpers
def test_jsonable():
    obj = {"a": np.int64(3), "b": np.float32(0.5), "c": [np.int32(1), "x"], "d": float("nan"), "e": np.array([1, 2]),
           "f": True, "g": None, "h": (1.0, float("inf"))}
    assert jsonable(obj) == {"a": 3, "b": 0.5, "c": [1, "x"], "d": None, "e": [1, 2], "f": True, "g": None,
                             "h": [1.0, None]}
    assert type(jsonable(np.int64(3))) is int
    json.loads(dumps(obj))


def test_write_atomic_replaces_and_cleans_up(tmp_path):
    target = tmp_path / "r.json"
    target.write_text("old")
    write_atomic(target, "new")
    assert target.read_text() == "new"

    with pytest.raises(TypeError):
        write_atomic(target, 123)  # not text: nothing replaced, no temp file left
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]
    write_result(tmp_path / "r.csv", {}, ["rank", "seed"], [(1, "a"), (2, "b")])
    assert (tmp_path / "r.csv").read_text() == "rank,seed\n1,a\n2,b\n"


def test_progress_silent_unless_terminal_and_slow():
    buf = io.StringIO()  # not a TTY
    p = Progress("RR sets", stream=buf, delay=0)
    p(10)
    p.close()
    assert buf.getvalue() == "" and p.count == 10

    buf = io.StringIO()
    p = Progress("RR sets", stream=buf, enabled=True, delay=3600)
    p(10)
    assert buf.getvalue() == ""  # nothing before the delay
    p.close()

    buf = io.StringIO()
    p = Progress("RR sets", total=100, stream=buf, enabled=True, delay=0, interval=0)
    p(50)
    assert "RR sets" in buf.getvalue() and "50%" in buf.getvalue()  # drawn by tqdm
    p.close()
    assert buf.getvalue().endswith("\r")
    assert math.isclose(p.count, 50)

    from seedwise import _progress

    _progress.set_quiet(True)
    try:
        buf = io.StringIO()
        p = Progress("RR sets", stream=buf, delay=0)
        assert not p.enabled
        p.announce("celf: about 3 minutes")
        assert buf.getvalue() == ""  # --quiet: not even the announcement
    finally:
        _progress.set_quiet(False)
    buf = io.StringIO()
    Progress("work", stream=buf).announce("celf: about 3 minutes", total=10)
    assert buf.getvalue() == "celf: about 3 minutes\n"  # said before the work, terminal or not


def test_lt_on_graph_whose_last_nodes_have_no_in_edges():
    """LT validity with sources at the end of the id order (reduceat over empty tail rows)."""
    g = seedwise.Graph.from_edges([2, 3], [1, 1])  # node 3 (last) has no in-edge
    assert api.describe(g)["lt_valid"]
    res = seedwise.maximize(g, 1, model="lt", seed=0)
    # WC: p(2, 1) = p(3, 1) = 1/2, so 2 and 3 each reach 1.5 nodes in expectation, 1 only itself
    assert res.seeds in ([2], [3])
    assert seedwise.spread(g, [2, 3], model="lt", simulations=100).mean == 3.0


def test_cim_and_recommend_are_public():
    """The issue's API: seedwise.cim(graph, aps, k, ...) and seedwise.recommend(graph, aps, k, ...)."""
    import seedwise

    g = seedwise.load_dataset("cim-physic")
    res = seedwise.cim(g, [232, 74, 195], 2, algorithm="rr-opim+", eps=0.1, seed=0)
    assert isinstance(res, seedwise.CimResult)
    assert set(res.assignments) <= {232, 74, 195}
    recs = seedwise.recommend(g, [232, 74, 195], 2, method="hetero-im", seed=0)
    assert isinstance(recs, seedwise.Recommendations)
    for items in recs.to_dict()["recommendations"].values():
        assert len(items) <= 2


def test_cim_and_recommend_through_main(capsys, tmp_path):
    import json

    from seedwise.cli import main

    inviters = tmp_path / "inviters.txt"
    inviters.write_text("# inviters\n232\n74\n195\n")

    assert main(["cim", "--dataset", "cim-physic", "--aps", _physic_aps(), "--k", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["algorithm"] == "rr-opim+eb" and out["k"] == 2 and out["distinct_seeds"] >= 1
    assert main(["recommend", "--dataset", "cim-physic", "--aps", str(inviters), "--k", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "hetero-im" and out["recommendations"]
    assert main(["cim", "--dataset", "cim-physic", "--aps", _physic_aps(), "--k", "0"]) == 2
    assert "error" in capsys.readouterr().err


def _physic_aps():
    from importlib import resources

    return str(resources.files("seedwise.datasets") / "cim-physic.ap.gz")
