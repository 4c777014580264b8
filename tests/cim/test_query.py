"""CIM query input: AP files, random APs, capacities, candidates and the passive graph."""
import gzip
import os

import numpy as np
import pytest
from conftest import SHARED_DATASETS

from seedwise._validation import SeedwiseError
from seedwise.algorithms.cim import build_query, cim, random_aps, resolve_capacities
from seedwise.graph import Graph
from seedwise.graph.readers import read_aps, read_capacities

DATA = SHARED_DATASETS


@pytest.fixture
def g():
    # APs will be 0 and 2; 0 -> 1, 0 -> 2 (AP), 2 -> 3, 2 -> 4, 5 -> 0; 1 -> 3 passive
    return Graph.from_edges([0, 0, 2, 2, 5, 1, 6], [1, 2, 3, 4, 0, 3, 5], weights="uniform:0.5")


def write(tmp_path, name, text, gz=False):
    path = tmp_path / name
    if gz:
        with gzip.open(path, "wt") as f:
            f.write(text)
    else:
        path.write_text(text)
    return str(path)


# ------------------------------------------------------------------ read_aps
def test_read_aps_one_per_line_with_comments_and_repeats(tmp_path):
    path = write(tmp_path, "a.txt", "# header\n3\n\n1\n3\n 7 \n")
    assert read_aps(path) == [3, 1, 7]


def test_read_aps_gzip_detected_by_content(tmp_path):
    path = write(tmp_path, "a.bin", "5\n6\n", gz=True)
    assert read_aps(path) == [5, 6]


def test_read_aps_cim_query_sets(tmp_path):
    path = write(tmp_path, "q.ap", "# sets\n232\n232,74\n232,74,195\n", gz=True)
    assert read_aps(path) == [232]
    assert read_aps(path, ap_set=2) == [232, 74]
    assert read_aps(path, ap_set=3) == [232, 74, 195]
    with pytest.raises(SeedwiseError, match=r"ap_set must be in \[1, 3\].*got 4"):
        read_aps(path, ap_set=4)
    with pytest.raises(SeedwiseError, match="ap_set"):
        read_aps(path, ap_set=0)


def test_read_aps_ap_set_on_single_list_is_an_error(tmp_path):
    path = write(tmp_path, "a.txt", "1\n2\n")
    with pytest.raises(SeedwiseError, match="ap_set must be 1"):
        read_aps(path, ap_set=2)


def test_read_aps_string_ids(tmp_path):
    path = write(tmp_path, "a.txt", "alice\nbob\n")
    assert read_aps(path) == ["alice", "bob"]


def test_read_aps_bad_files(tmp_path):
    with pytest.raises(SeedwiseError, match="not found"):
        read_aps(str(tmp_path / "missing.txt"))
    empty = write(tmp_path, "e.txt", "# nothing\n\n")
    with pytest.raises(SeedwiseError, match="no AP ids"):
        read_aps(empty)
    edges = write(tmp_path, "edges.txt", "1\n2 3\n")
    with pytest.raises(SeedwiseError, match=r"edges.txt:2: expected one AP id per line"):
        read_aps(edges)
    gaps = write(tmp_path, "gaps.ap", "1,,2\n")
    with pytest.raises(SeedwiseError, match=r"gaps.ap:1"):
        read_aps(gaps)


@pytest.mark.skipif(not os.path.exists(f"{DATA}/cim-physic.ap.gz"), reason="datasets absent")
def test_read_aps_shipped_cim_file():
    sets = [read_aps(f"{DATA}/cim-physic.ap.gz", i) for i in (1, 2, 3, 4)]
    assert [len(s) for s in sets] == [1, 2, 5, 12]
    assert sets[3][:5] == sets[2]  # nested prefixes
    q = read_aps(f"{DATA}/query-soc-slashdot0902-ap5.txt.gz")
    assert len(q) == 4108


# ------------------------------------------------------------------ random_aps
def test_random_aps_seeded_and_sized():
    g = Graph.from_edges(np.arange(99), np.arange(1, 100))
    a = random_aps(g, 0.05, seed=3)
    assert a == random_aps(g, 0.05, seed=3) and len(a) == 5 and len(set(a)) == 5
    assert a != random_aps(g, 0.05, seed=4)
    with pytest.raises(SeedwiseError, match="ap_fraction"):
        random_aps(g, 0.0)
    with pytest.raises(SeedwiseError, match="ap_fraction"):
        random_aps(g, 1.5)


# ------------------------------------------------------------------ capacities
def test_read_capacities_ok_and_errors(tmp_path, g):
    ok = write(tmp_path, "c.txt", "# id k\n0 3\n2 1\n")
    assert read_capacities(ok, g) == {0: 3, 2: 1}
    unknown = write(tmp_path, "u.txt", "0 3\n99 2\n")
    with pytest.raises(SeedwiseError, match=r"u.txt:2: id 99 is not a node"):
        read_capacities(unknown, g)
    frac = write(tmp_path, "f.txt", "0 2.5\n")
    with pytest.raises(SeedwiseError, match=r"f.txt:1: capacity must be an integer"):
        read_capacities(frac, g)
    zero = write(tmp_path, "z.txt", "0 1\n2 0\n")
    with pytest.raises(SeedwiseError, match=r"z.txt:2: capacity must be an integer >= 1; got 0"):
        read_capacities(zero, g)
    cols = write(tmp_path, "k.txt", "0 1 5\n")
    with pytest.raises(SeedwiseError, match=r"k.txt:1: expected two columns"):
        read_capacities(cols, g)


def test_resolve_capacities(g):
    q = build_query(g, [0, 2])
    assert resolve_capacities(q, 2).tolist() == [2, 2]
    assert resolve_capacities(q, 2, {2: 5, 3: 9}).tolist() == [2, 5]  # 3 is not an AP: ignored
    assert resolve_capacities(q, None, {0: 1, 2: 4}).tolist() == [1, 4]
    with pytest.raises(SeedwiseError, match="k is required"):
        resolve_capacities(q, None, {0: 1})
    for bad in (0, -1, 1.5, "2"):
        with pytest.raises(SeedwiseError, match="k must be an int"):
            resolve_capacities(q, bad)
    with pytest.raises(SeedwiseError, match="capacity of 2"):
        resolve_capacities(q, 1, {2: 0})
    with pytest.raises(SeedwiseError, match="unknown capacity id"):
        resolve_capacities(q, 1, {42: 1})


# ------------------------------------------------------------------ query
def test_candidates_and_passive_graph(g):
    q = build_query(g, [2, 0])
    assert q.ap_ids == [2, 0]  # order kept
    assert [g.label(q.cand[q.cand_indptr[i]:q.cand_indptr[i + 1]]) for i in range(2)] == [[3, 4], [1]]
    # P = G minus {0, 2}: nodes 1, 3, 4, 5, 6 and the edges 1 -> 3, 6 -> 5 with G's probabilities
    assert q.passive.n == 5 and q.passive.m == 2
    assert g.label(q.g_of_p) == [1, 3, 4, 5, 6]
    assert np.allclose(q.passive.out_prob, 0.5)
    assert q.aps_without_candidates == []


def test_ap_ids_not_in_graph_are_named(g):
    with pytest.raises(SeedwiseError, match=r"unknown AP ids.*77, 88"):
        build_query(g, [0, 77, 88])
    with pytest.raises(SeedwiseError, match="empty"):
        build_query(g, [])


def test_aps_without_candidates_reported_not_dropped(g):
    # 5's only out-neighbour is the AP 0; 3 has no out-edges
    res = cim(g, [0, 5, 3], 1, seed=0)
    assert res.aps_without_candidates == [5, 3]
    assert res.assignments[5] == [] and res.assignments[3] == []
    assert len(res.assignments[0]) == 1 and res.assignments[0][0] in (1, 2)
    assert res.to_dict()["aps_without_candidates"] == [5, 3]


def test_no_ap_with_candidates_is_an_error():
    g = Graph.from_edges([0, 1, 2, 3], [1, 0, 0, 4])
    with pytest.raises(SeedwiseError, match="no AP has a candidate"):
        build_query(g, [0, 1, 2])
    with pytest.raises(SeedwiseError, match="no AP has a candidate"):
        cim(g, [0, 1, 2], 3)

def test_every_node_an_ap(g):
    with pytest.raises(SeedwiseError, match="every node is an AP"):
        build_query(g, g.label(np.arange(g.n)))


def test_sort_segments_is_a_stable_sort_per_segment():
    from seedwise.algorithms.cim import _kernels as kernels

    rng = np.random.default_rng(3)
    sizes = [0, 1, 2, 5, 31, 32, 33, 200]  # both the insertion sort and argsort paths
    indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    values = rng.permutation(indptr[-1]).astype(np.int32)
    key = rng.integers(0, 6, indptr[-1]).astype(np.float64)  # many ties
    got = kernels.sort_segments(indptr, values, key)
    for lo, hi in zip(indptr[:-1], indptr[1:]):
        order = np.argsort(key[lo:hi], kind="stable")
        assert got[lo:hi].tolist() == values[lo:hi][order].tolist()
