"""``seedwise serve --backend ray``: the actors and the graph stay up between queries,
and the answers are those of the local backend for the same seed."""
import json

import pytest

import seedwise
from seedwise._output import dumps
from seedwise.serve.service import Service

pytestmark = pytest.mark.ray

#: what differs between a local and a Ray run: the clock and where it ran
UNSHARED = ("seconds", "times")
WHERE = ("backend", "num_workers")


@pytest.fixture(scope="module")
def pool(ray_cluster):  # the local Ray instance of tests/conftest.py
    from seedwise.backends.ray import RayPool

    with RayPool(num_workers=2) as pool:
        yield pool


def comparable(obj):
    obj = json.loads(dumps(obj))
    out = {k: v for k, v in obj.items() if k not in UNSHARED}
    if "params" in out:
        out["params"] = {k: v for k, v in out["params"].items() if k not in WHERE}
    return out


def test_resident_actors_answer_as_local(pool):
    ray = pytest.importorskip("ray")
    g = seedwise.load_dataset("email-eu-core")
    key = pool.keep(g)
    local, resident = Service(g), Service(g, backend=pool)
    actors = [w._actor_id for w in pool.workers]
    queries = [("select", {"k": 5, "seed": 3}), ("select", {"k": 4, "model": "lt", "eps": 0.3, "seed": 1}),
               ("select", {"k": 3, "algorithm": "imm", "eps": 0.3}),
               ("cim", {"aps": [2, 5, 9, 14, 160], "k": 2, "seed": 4}),
               ("cim", {"aps": [2, 5, 9], "k": 1, "algorithm": "rr-opim", "eps": 0.2}),
               ("select", {"k": 5, "seed": 3})]  # again: nothing left over from the runs between
    for method, body in queries:
        got = getattr(resident, method)(**body)
        assert comparable(got) == comparable(getattr(local, method)(**body)), (method, body)
        if "params" in got:
            assert got["params"]["backend"] == "ray" and got["params"]["num_workers"] == 2
        # the same actors, holding the kept graph only: each run's sets (and CIM's passive graph) are gone
        assert [w._actor_id for w in pool.workers] == actors
        assert ray.get([w.held.remote() for w in pool.workers]) == [([key], [])] * 2


def test_keep_is_once_per_graph(pool):
    g = seedwise.load_dataset("cim-physic")
    assert pool.keep(g) == pool.keep(g)
    other = seedwise.load_dataset("cim-physic")
    assert pool.kept(other) is None


def test_an_unreachable_cluster_is_an_error_at_once(monkeypatch):
    ray = pytest.importorskip("ray")
    from seedwise._validation import SeedwiseError
    from seedwise.backends import ray as ray_backend

    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", lambda **kw: pytest.fail("ray.init must not run: the probe failed"))
    with pytest.raises(SeedwiseError, match=r"no answer from 127.0.0.1:1 within 2 s"):
        ray_backend.connect("127.0.0.1:1", timeout=2)
