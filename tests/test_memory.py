"""Memory budget: parsing, refusal before sampling, and a conservative estimate."""
import re

import numpy as np
import pytest

from seedwise._validation import MemoryBudgetError, SeedwiseError
from seedwise.algorithms.im.imm import imm
from seedwise.algorithms.im.opim_c import opim_c
from seedwise.graph import Graph
from seedwise.memory import (
    MemoryGuard,
    available_memory,
    estimate_rr_bytes,
    fits_here,
    parse_memory_budget,
    pilot,
)
from seedwise.sampling import derive_seed, sample_rr_sets


@pytest.mark.parametrize("text, expected", [
    ("1024", 1024), (4096, 4096), ("16G", 16 << 30), ("16g", 16 << 30), ("16GB", 16 << 30),
    ("512MiB", 512 << 20), ("1.5k", 1536), ("2T", 2 << 40), (" 3 M ", 3 << 20), ("100b", 100),
    ("80%", 800), ("100%", 1000), ("12.5%", 125),
])
def test_parse_forms(text, expected):
    assert parse_memory_budget(text, available=1000) == expected


@pytest.mark.parametrize("text", ["0", "-5", "150%", "0%", "lots", "", "16X", "1e", True, 0, -3, "%"])
def test_parse_errors(text):
    with pytest.raises(SeedwiseError, match="max.memory"):
        parse_memory_budget(text, available=1000)


def test_default_is_80_percent_of_available():
    avail = available_memory()
    assert avail > 0
    assert abs(parse_memory_budget(None) - 0.8 * available_memory()) <= 0.05 * avail


def random_graph(n=300, m=2400, seed=1, weights="wc"):
    rng = np.random.default_rng(seed)
    return Graph.from_edges(rng.integers(0, n, m), rng.integers(0, n, m), weights=weights)


def test_tiny_budget_refuses_before_sampling():
    g = random_graph()
    sampled = []
    with pytest.raises(MemoryBudgetError) as info:
        opim_c(g, 5, seed=0, max_memory="1M", progress=sampled.append)
    assert sampled == []  # refused before any RR set of the run was drawn
    msg = str(info.value)
    for part in ("OPIM-C needs about", "the first round", "RR sets", "per set", "budget of 1.0 MiB",
                 "larger eps", "--backend ray", "--max-memory"):
        assert part in msg, part
    with pytest.raises(MemoryBudgetError, match="IMM needs about"):
        imm(g, 5, seed=0, max_memory=1 << 20)
    # the parts add up to the total, and the numba allowance is named
    assert "allowance for numba" in msg
    unit = {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}
    sizes = [float(x) * unit[u] for x, u in re.findall(r"([0-9.]+) (B|KiB|MiB|GiB)\b", msg.split("over the")[0])]
    total, parts = sizes[0], sizes[1:2] + sizes[3:]  # sizes[2] is the per-set size
    assert sum(parts) == pytest.approx(total, rel=0.002)


def test_refuses_before_a_doubling():
    g = random_graph(weights="uniform:0.2")
    res = opim_c(g, 5, seed=0, eps=0.02, threads=2)
    assert res.params["rounds"] >= 3
    first = res.n_rr_sets // 2 ** (res.params["rounds"] - 1)
    guard = MemoryGuard(g, "ic", 0, 1 << 50, threads=2)
    budget = guard.estimate(first) + 1  # the first round fits, the second does not
    sampled = []
    with pytest.raises(MemoryBudgetError, match="round 2") as info:
        opim_c(g, 5, seed=0, eps=0.02, threads=2, max_memory=budget, progress=sampled.append)
    assert sum(sampled) == first
    assert "doubling" not in str(info.value)  # says the stage, the estimate and the fix
    # a generous budget changes nothing
    same = opim_c(g, 5, seed=0, eps=0.02, threads=2, max_memory="64G")
    assert same.seeds == res.seeds and same.lower == res.lower and same.n_rr_sets == res.n_rr_sets


def actual_bytes(g, model, seed, count):
    """Bytes of OPIM-C's R1 + R2 (count sets in all) with R1's node index."""
    r1 = sample_rr_sets(g, count // 2, model=model, seed=derive_seed(seed, 1))
    r2 = sample_rr_sets(g, count // 2, model=model, seed=derive_seed(seed, 2))
    indptr, sets = r1.node_index
    return sum(a.nbytes for a in (r1.offsets, r1.nodes, r2.offsets, r2.nodes, indptr, sets)), r1, r2


@pytest.mark.parametrize("model, weights", [("ic", "wc"), ("lt", "wc"), ("ic", "uniform:0.3"),
                                            ("ic", "uniform:0.05")])
def test_estimate_is_conservative(model, weights):
    g = random_graph(n=500, m=3000, seed=3, weights=weights)
    res = opim_c(g, 10, model=model, seed=5)
    guard = MemoryGuard(g, model, 5, "64G")
    real, r1, r2 = actual_bytes(g, model, 5, res.n_rr_sets)
    assert r1.total + r2.total == res.params["rr_entries"]
    mean = (r1.total + r2.total) / res.n_rr_sets
    assert guard.pilot.upper >= mean
    rr_only = estimate_rr_bytes(guard.pilot.upper, res.n_rr_sets)
    assert rr_only >= real
    assert guard.estimate(res.n_rr_sets) >= real + guard.graph_bytes


def test_pilot_uses_its_own_streams():
    g = random_graph()
    p1, p2 = pilot(g, "ic", 0, count=500), pilot(g, "ic", 0, count=500)
    assert p1 == p2 and p1.count == 500 and p1.upper >= p1.mean >= 1
    assert 1 <= p1.upper <= g.n


def test_fits_here_is_the_estimate_against_the_budget():
    need = estimate_rr_bytes(10, 1000, n=500, threads=0)  # 10,000 entries in 1,000 sets
    assert fits_here(10_000, 1000, 500, need) and not fits_here(10_000, 1000, 500, need - 1)
    assert not fits_here(1, 1, 1, 0)  # 0: nothing is pulled
    assert fits_here(10_000, 1000, 500, "1G") and not fits_here(10**9, 10**6, 500, "1M")


def test_estimate_rr_bytes_grows():
    assert estimate_rr_bytes(10, 1000) >= 8 * 10 * 1000 + 8 * 1000
    assert estimate_rr_bytes(10, 2000) > estimate_rr_bytes(10, 1000)
    assert estimate_rr_bytes(10, 1000, n=10**6, threads=4) > estimate_rr_bytes(10, 1000, n=10**6)
