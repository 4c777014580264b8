"""One result hierarchy: shared fields, status, to_dict / to_pandas, no Graph inside."""
import dataclasses

import numpy as np
import pytest

import seedwise
from seedwise.graph import Graph
from seedwise.results import CimResult, Recommendations, Result, SelectionResult


@pytest.fixture(scope="module")
def results():
    g = seedwise.load_dataset("cim-physic")
    return [
        seedwise.maximize(g, 3, seed=0),
        seedwise.maximize(g, 3, algorithm="degree"),
        seedwise.cim(g, [232, 74, 195], 2, seed=0),
        seedwise.recommend(g, [232, 74], 2, method="hetero-ir"),
        seedwise.select_examples(np.random.default_rng(0).normal(size=(60, 4)), 3, seed=0),
    ]


def test_every_result_derives_from_result_and_holds_no_graph(results):
    for res in results:
        assert isinstance(res, Result)
        for f in dataclasses.fields(res):
            assert not isinstance(getattr(res, f.name), Graph), f"{type(res).__name__}.{f.name} holds a Graph"


def test_shared_keys_and_rows(results):
    shared = {"algorithm", "k", "spread", "lower_bound", "upper_bound", "approximation", "target", "status",
              "rr_sets", "seconds", "times", "params"}
    for res in results:
        d = res.to_dict()
        assert shared <= set(d)
        df = res.to_pandas()
        assert list(df.columns) == list(res.ROW_HEADER) and len(df) == len(res.rows()) > 0
        assert repr(res).startswith(f"<{type(res).__name__} {res.algorithm} ")
    assert results[0].to_pandas()["seed"].tolist() == results[0].seeds
    assert results[3].to_pandas()["invitee"].tolist() == [r[2] for r in results[3].rows()]


def test_status():
    base = dict(algorithm="x", k=2, model="ic", seeds=[1, 2], lower=1.0, upper=2.0)
    assert SelectionResult(**base, ratio=0.5, target=0.4).status == "target met"
    assert SelectionResult(**base, ratio=0.5, target=0.6).status == "stopped at theta_max"
    assert SelectionResult(algorithm="degree", k=2, model="ic", seeds=[1, 2]).status == "no certificate"
    assert "< 0.600" in repr(SelectionResult(**base, ratio=0.5, target=0.6))


def test_a_real_run_that_meets_its_target_says_so(results):
    opim, degree, cim, recs, examples = results
    assert examples.status == "target met" and examples.ratio >= examples.target
    assert opim.status == "target met" and opim.ratio >= opim.target
    assert cim.status == ("target met" if cim.ratio >= cim.target else "stopped at theta_max")
    assert degree.status == recs.status == "no certificate"
    assert isinstance(cim, CimResult) and isinstance(recs, Recommendations) and recs.method == "hetero-ir"
    assert np.isfinite(cim.params["theta_max"])
