"""Bad input gives clear errors: unknown inviters, willingness, k, truth lines."""
import gzip

import numpy as np
import pytest

from seedwise._validation import InputFileError, SeedwiseError
from seedwise.algorithms.him import recommend
from seedwise.evaluation import evaluate_recommendations, read_truth_pairs
from seedwise.graph import Graph
from seedwise.graph.readers import read_inviters, read_willingness


@pytest.fixture
def g():
    return Graph.from_edges(np.array([1, 1, 2, 3]), np.array([2, 3, 3, 4]))


def test_unknown_inviters(g, tmp_path):
    with pytest.raises(SeedwiseError, match=r"2 of 3 inviter ids.*not nodes.*77, 88.*skip_unknown"):
        recommend(g, [1, 77, 88], 2, method="prob")
    recs = recommend(g, [1, 77, 88, 1], 2, method="prob", skip_unknown=True)
    assert recs.inviters == [1] and recs.skipped == [77, 88]
    with pytest.raises(SeedwiseError, match="no inviter"):
        recommend(g, [77], 2, method="prob", skip_unknown=True)
    path = tmp_path / "aps.txt.gz"
    with gzip.open(path, "wt") as f:
        f.write("# inviters\n1\n\n2\nx9\n")
    assert read_inviters(path) == ["1", "2", "x9"]
    with pytest.raises(SeedwiseError, match=r"aps.txt.gz.*x9"):
        recommend(g, path, 1, method="degree")
    (tmp_path / "bad.txt").write_text("1\n2 3\n")
    with pytest.raises(InputFileError, match=r"bad.txt:2: expected one inviter id"):
        read_inviters(tmp_path / "bad.txt")


@pytest.mark.parametrize("k", [0, -1, 1.5, "3"])
def test_bad_k(g, k):
    with pytest.raises(SeedwiseError, match="k must be an int"):
        recommend(g, [1], k, method="prob")


def test_bad_method_and_capacity(g):
    with pytest.raises(SeedwiseError, match="method must be one of"):
        recommend(g, [1], 1, method="celf")
    with pytest.raises(SeedwiseError, match="capacity"):
        recommend(g, [1], 1, method="hetero-ir", capacity=0)


@pytest.mark.parametrize("text, line, what", [
    ("1 0.5\n2 1.5\n", 2, r"in \[0, 1\]"),
    ("# c\n1 0.5\n2 nan\n", 3, r"in \[0, 1\]"),
    ("1 -0.1\n", 1, r"in \[0, 1\]"),
    ("1 0.5\n9 0.5\n", 2, "not in the graph"),
    ("1 0.5\n1 0.4\n", 2, "repeated"),
    ("1 0.5 7\n", 1, "expected 'id value'"),
    ("1 0.5\n2 abc\n", 2, r"in \[0, 1\]"),
])
def test_bad_willingness_file(g, tmp_path, text, line, what):
    path = tmp_path / "u.txt"
    path.write_text(text)
    with pytest.raises(InputFileError, match=rf"u.txt:{line}: .*{what}"):
        read_willingness(path, g)
    with pytest.raises(SeedwiseError):
        recommend(g, [1], 1, method="hetero-ir", willingness=path)


def test_willingness_file_ok_and_arrays(g, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("\ufeffid,u\n1,0.5\n3,0\n")
    u = read_willingness(path, g)
    assert u.tolist() == [0.5, 1.0, 0.0, 1.0]
    with pytest.raises(SeedwiseError, match=r"in \[0, 1\]"):
        recommend(g, [1], 1, method="hetero-ir", willingness=np.array([1, 2, 1, 1.0]))
    with pytest.raises(SeedwiseError, match="shape"):
        recommend(g, [1], 1, method="hetero-ir", willingness=np.ones(3))
    with pytest.raises(SeedwiseError, match="not nodes"):
        recommend(g, [1], 1, method="hetero-ir", willingness={42: 0.5})


@pytest.mark.parametrize("text, line", [
    ("1 2\n3\n", 2),
    ("# h\n1 2\n\n1 2 3 4\n", 4),
    ("uid,frienduid\n1,2\n2,x\n", 3),
])
def test_malformed_truth_lines(g, tmp_path, text, line):
    path = tmp_path / "t.txt"
    path.write_text(text)
    with pytest.raises(InputFileError, match=rf"t.txt:{line}: "):
        read_truth_pairs(path, integer_ids=True)
    with pytest.raises(SeedwiseError, match=rf"t.txt:{line}"):
        evaluate_recommendations(g, [1], path, methods=["prob"])


def test_truth_formats(tmp_path):
    a = tmp_path / "a.csv"
    a.write_bytes("\ufeffuid,frienduid\n1,2\n1,3\n3,3\n".encode())
    b = tmp_path / "b.txt.gz"
    with gzip.open(b, "wt") as f:
        f.write("# pairs\n1 2 5\n1 3 1\n1 2 1\n")
    ta, tb = read_truth_pairs(a), read_truth_pairs(b)
    assert ta.invitees(1) == tb.invitees(1) == [2, 3]
    assert ta.stats["self_pairs_dropped"] == 1 and tb.stats["repeated_pairs_merged"] == 1
    empty = tmp_path / "e.txt"
    empty.write_text("# nothing\n")
    with pytest.raises(InputFileError, match="no truth pairs"):
        read_truth_pairs(empty)


def test_no_inviter_with_truth(g):
    with pytest.raises(SeedwiseError, match="none of the 1 inviters"):
        evaluate_recommendations(g, [1], (np.array([7]), np.array([8])), methods=["prob"])


def test_memory_budget_checked_before_sampling():
    from seedwise._validation import MemoryBudgetError

    rng = np.random.default_rng(0)
    big = Graph.from_edges(rng.integers(0, 5000, 20000), rng.integers(0, 5000, 20000))
    with pytest.raises(MemoryBudgetError, match="HeteroIM needs about"):
        recommend(big, [int(big.ids[0])], 3, method="hetero-im-authors", max_memory="40M")


def test_willingness_first_line_is_data_not_header(g, tmp_path):
    path = tmp_path / "u.txt"
    path.write_text("1 abc\n2 0.5\n")
    with pytest.raises(InputFileError, match=r"u.txt:1: "):
        read_willingness(path, g)
