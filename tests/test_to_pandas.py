"""to_pandas() of every result matches its to_dict(): one row per seed or recommendation."""
import math

import numpy as np
import pytest

import seedwise
from seedwise.algorithms.cim import random_aps
from seedwise.results import MetricTable

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def physic():
    return seedwise.load_dataset("cim-physic")


@pytest.mark.parametrize("algorithm,curve", [("opim-c", True), ("opim-c", False), ("imm", False),
                                             ("degree", False)])
def test_selection_rows(physic, algorithm, curve):
    res = seedwise.maximize(physic, 5, algorithm=algorithm, seed=0, curve=curve)
    d, df = res.to_dict(), res.to_pandas()
    assert list(df.columns) == list(res.ROW_HEADER)
    assert df["rank"].tolist() == list(range(1, 6)) and df["seed"].tolist() == d["seeds"]
    if algorithm == "degree":
        assert df["cumulative_spread"].isna().all()
        return
    assert df["cumulative_spread"].iloc[-1] == pytest.approx(d["spread"])
    assert np.allclose(df["marginal_gain"].cumsum(), df["cumulative_spread"])
    assert df["cumulative_spread"].is_monotonic_increasing
    if curve:
        last = df.iloc[-1]
        assert (last.lower_bound, last.upper_bound, last.approximation) == \
            pytest.approx((d["lower_bound"], d["upper_bound"], d["approximation"]))
    else:
        assert df["lower_bound"].isna().all()


def test_spread_estimate_row(physic):
    est = seedwise.spread(physic, [0, 1], simulations=500)
    d, df = est.to_dict(), est.to_pandas()
    assert len(df) == 1 and df.spread[0] == d["spread"] and [df.ci95_low[0], df.ci95_high[0]] == d["ci95"]


@pytest.mark.parametrize("algorithm", ["rr-opim+", "local-degree"])
def test_cim_rows(physic, algorithm):
    res = seedwise.cim(physic, random_aps(physic, 0.05, 0), 2, algorithm=algorithm, seed=0)
    d, df = res.to_dict(), res.to_pandas()
    grouped = {str(ap): g.sort_values("rank")["friend"].tolist() for ap, g in df.groupby("ap", sort=False)}
    assert grouped == {ap: fs for ap, fs in d["assignments"].items() if fs}
    if algorithm == "local-degree":
        assert df["marginal_gain"].isna().all()
        return
    # the last pick's cumulative spread is the sum of every gain: the union's estimate on R1
    by_pick = df.sort_values("pick")
    assert by_pick["pick"].tolist() == list(range(len(df)))
    assert np.allclose(by_pick["marginal_gain"].cumsum(), by_pick["cumulative_spread"])
    assert by_pick["cumulative_spread"].iloc[-1] == pytest.approx(res.marginal_gains.sum())


def test_recommendations_rows():
    g = seedwise.load_dataset("email-eu-core")
    recs = seedwise.recommend(g, [0, 2, 5], 3, method="hetero-ir")
    d, df = recs.to_dict(), recs.to_pandas()
    for inviter, items in d["recommendations"].items():
        sub = df[df.inviter.astype(str) == inviter].sort_values("rank")
        assert sub["invitee"].tolist() == [x["invitee"] for x in items]
        assert sub["score"].tolist() == pytest.approx([x["score"] for x in items])


def test_comparison_tables(physic):
    cmp = seedwise.cim_compare(physic, random_aps(physic, 0.05, 0), [1, 2], ["rr-opim+", "local-degree"],
                               simulations=300)
    d, df = cmp.to_dict(), cmp.to_pandas()
    assert len(df) == len(d["results"]) == 4
    for (_, row), rec in zip(df.iterrows(), d["results"]):
        assert (row.algorithm, row.k, row.spread) == (rec["algorithm"], rec["k"], rec["spread"])
        assert [row.ci95_low, row.ci95_high] == rec["ci95"]
        assert (rec["approximation"] is None) == math.isnan(row.approximation)
    table = MetricTable(
        {"a": {"recall@1": 0.5, "seconds": 1.0}, "b": {"recall@1": 0.25, "seconds": 2.0}})
    df = table.to_pandas()
    assert df.loc["b", "recall@1"] == 0.25 and list(df.columns) == ["recall@1", "seconds"]
    assert table.to_dict() == {"a": {"recall@1": 0.5, "seconds": 1.0}, "b": {"recall@1": 0.25, "seconds": 2.0}}
