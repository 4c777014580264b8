"""read_graph and build_graph against a naive line-by-line reader and a naive numpy-sort builder."""
import bz2
import gzip
import os
import re

import numpy as np
import pytest
from _reference import assert_same_graph, naive_build, naive_subgraph
from conftest import SHARED_DATASETS

from seedwise._validation import InputFileError, SeedwiseError
from seedwise.graph import Graph, _build, build_graph, io, read_graph, save_graph
from seedwise.graph import _parse_kernels as pk

DATASETS = SHARED_DATASETS


def naive_read(text, directed=True, weights="wc"):
    """Obviously correct reader: split every line in Python, then Graph.from_edges."""
    rows = []
    for line in text.splitlines():
        s = line.strip()
        if not s or s[0] in "#%":
            continue
        rows.append(re.split(r"[\s,]+", s.strip(" \t,")))
    # an "n m" header: integer ids only (canonical: no sign, no leading zero), all < n
    canon = re.compile(r"[1-9][0-9]*|0")
    if len(rows) >= 2 and len(rows[0]) == 2 and all(canon.fullmatch(t) for t in rows[0]):
        a, b = int(rows[0][0]), int(rows[0][1])
        rest = rows[1:]
        if b == len(rest) and all(canon.fullmatch(t) and int(t) < a for r in rest for t in r[:2]):
            rows = rest
    # CSV column names: the first data line has no integer id, every later line has integer ids
    is_int = re.compile(r"-?[1-9][0-9]{0,17}|0")  # the reader's integer token
    if (len(rows) >= 2 and len(rows[0]) in (2, 3) and not any(is_int.fullmatch(t) for t in rows[0][:2])
            and all(is_int.fullmatch(t) for r in rows[1:] for t in r[:2])):
        rows = rows[1:]
    src = [r[0] for r in rows]
    dst = [r[1] for r in rows]
    values = [float(r[2]) for r in rows] if len(rows[0]) == 3 else None
    return Graph.from_edges(np.array(src), np.array(dst), values, directed=directed, weights=weights)



def write(tmp_path, text, name="g.txt", compress=None):
    p = tmp_path / name
    data = text.encode()
    if compress == "gz":
        data = gzip.compress(data)
    elif compress == "bz2":
        data = bz2.compress(data)
    p.write_bytes(data)
    return p


FORMATS = {
    "space": "1 2\n2 3\n3 1\n3 4\n",
    "tab": "1\t2\n2\t3\n3\t1\n3\t4\n",
    "comma": "1,2\n2,3\n3,1\n3,4\n",
    "comma_space": "1, 2\n2, 3\n3 ,1\n3,4,\n",
    "crlf": "1 2\r\n2 3\r\n3 1\r\n3 4",
    "snap_comments": ("# Directed graph\n# Nodes: 4 Edges: 4\n# FromNodeId\tToNodeId\n"
                      "1\t2\n2\t3\n# mid comment\n3\t1\n\n3\t4\n"),
    "konect_comments": "% sym unweighted\n% 4 4 4\n1 2\n2 3\n   % indented comment\n3 1\n3 4\n",
    "blank_and_spaces": "\n\n  1   2  \n\t2 3\n\n3 1\n3 4\n\n",
    "three_columns": "1 2 0.5\n2 3 0.25\n3 1 1\n3 4 1e-3\n",
    "header": "5 4\n0 1\n1 2\n2 0\n2 4\n",
    "header_three_columns": "5 4\n0 1 0.1\n1 2 0.2\n2 0 0.3\n2 4 0.4\n",
    "not_header_count": "5 4\n0 1\n1 2\n2 0\n",
    "not_header_range": "3 3\n0 1\n1 2\n2 3\n",
    "string_ids": "alice bob\nbob carol\ncarol alice\ncarol dave\n",
    "mixed_ids": "1 bob\nbob 2\n2 1\n007 1\n",
    "unicode_ids": "zoë ünï\nünï 東京\n東京 zoë\n",
    "negative_ids": "-1 2\n2 -3\n-3 -1\n",
    "big_ids": "1234567890123456789 5\n5 9\n9 1234567890123456789\n",
    "repeats_and_loops": "1 2\n1 2\n2 2\n2 1\n3 3\n1 3\n",
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("directed", [True, False])
def test_formats_match_naive_reader(tmp_path, fmt, directed):
    text = FORMATS[fmt]
    g = read_graph(write(tmp_path, text), directed=directed, cache=False)
    assert_same_graph(g, naive_read(text, directed=directed))


@pytest.mark.parametrize("compress", ["gz", "bz2"])
def test_compressed_detected_by_magic(tmp_path, compress):
    text = FORMATS["snap_comments"]
    # a misleading suffix: detection must use the magic bytes
    g = read_graph(write(tmp_path, text, name="edges.txt", compress=compress), cache=False)
    assert_same_graph(g, naive_read(text))
    assert g.stats["format"] == f"{'gzip' if compress == 'gz' else 'bz2'} text"


def test_bom_and_csv_column_names(tmp_path):
    text = "\ufeffsource,target,weight\n1,2,3\n2,3,1\n3,1,2\n"
    g = read_graph(write(tmp_path, text), weights="counts", cache=False)
    assert g.stats["column_names"] == ["source", "target", "weight"]
    assert_same_graph(g, naive_read("1,2,3\n2,3,1\n3,1,2\n", weights="counts"))
    # a string-id file whose first line looks like column names keeps it as an edge
    g = read_graph(write(tmp_path, "a b\nc d\n"), cache=False)
    assert g.m == 2 and g.stats["column_names"] is None


def test_original_ids_kept(tmp_path):
    g = read_graph(write(tmp_path, "100 7\n7 5000\n5000 100\n"), cache=False)
    assert g.ids.tolist() == [7, 100, 5000] and g.integer_ids
    d = g.index_of([100, 5000])
    assert g.label(g.out_indices[g.out_indptr[d[0]]:g.out_indptr[d[0] + 1]]) == [7]
    s = read_graph(write(tmp_path, "x y\ny z\n", name="s.txt"), cache=False)
    assert s.ids.tolist() == ["x", "y", "z"] and not s.integer_ids
    assert s.label(s.index_of(["z", "x"])) == ["z", "x"]


def test_stats(tmp_path):
    text = "# c1\n% c2\n\n5 4\n0 1\n0 1\n2 2\n1 0\n"
    g = read_graph(write(tmp_path, text), cache=False)
    st = g.stats
    assert st["lines"] == 8 and st["comment_lines"] == 2 and st["blank_lines"] == 1
    assert st["header"] == [5, 4]
    assert st["self_loops_dropped"] == 1 and st["repeated_edges_merged"] == 1
    assert g.m == 2 and st["data_lines"] == 4
    u = read_graph(write(tmp_path, "1 2\n2 1\n1 2\n3 3\n", name="u.txt"), directed=False, cache=False)
    assert u.m == 2 and u.stats["self_loops_dropped"] == 1 and u.stats["repeated_edges_merged"] == 2


def test_values_merge_and_schemes(tmp_path):
    text = "1 2 2\n1 2 3\n3 2 5\n"
    c = read_graph(write(tmp_path, text), weights="counts", cache=False)
    # counts add up: w(1,2) = 5, w(3,2) = 5, so p = 0.5 each
    assert np.allclose(c.in_prob, [0.5, 0.5]) and c.out_weight.tolist() == [5, 5]
    gv = read_graph(write(tmp_path, "1 2 0.2\n1 2 0.7\n", name="p.txt"), weights="given", cache=False)
    assert gv.out_prob.tolist() == [np.float32(0.7)]


def test_float_parsing_matches_python(tmp_path):
    rng = np.random.default_rng(5)
    toks = ["0", "1", "0.1", "1e-5", "5.", ".5", "1E+2", "0.30000000000000004", "123456789012345678",
            "2.5e-300", "7e22", "7e23", "+0.5", "0.000000000000000000001", "1.0000000000000002"]
    toks += [repr(float(x)) for x in rng.random(200)]
    scaled = rng.random(200) * 10.0 ** rng.integers(-30, 30, 200)
    toks += [f"{x:.{d}g}" for x, d in zip(scaled, rng.integers(1, 18, 200))]
    text = "".join(f"{i} {i + 1} {t}\n" for i, t in enumerate(toks))
    buf = np.frombuffer(text.encode(), dtype=np.uint8)
    ch = io._Chunk(buf, 0, len(buf), "f.txt", 0, True, 0, 0)
    assert ch.status == pk.OK
    got = ch.values_slice(0)
    assert got.tolist() == [float(t) for t in toks]


def test_int_ids_exact(tmp_path):
    ids = [0, 9, 10, 99999999, 123456789012345678, -5, -999999999999999999]
    text = "".join(f"{a} {b}\n" for a, b in zip(ids, ids[1:] + ids[:1]))
    g = read_graph(write(tmp_path, text), cache=False)
    assert g.ids.tolist() == sorted(ids)


# ---------------------------------------------------------------- bad inputs
BAD = {
    "one_field": ("1 2\n3\n", r"line 2: expected 2 or 3 columns, got 1"),
    "four_fields": ("# c\n1 2\n3 4 5 6\n", r"line 3: expected 2 or 3 columns, got 4"),
    "non_numeric_third": ("1 2 0.5\n2 3 abc\n", r"line 2: third column 'abc' is not a number"),
    "nan_third": ("1 2 0.5\n\n2 3 nan\n", r"line 3: third column must be a finite number >= 0; got nan"),
    "inf_third": ("1 2 inf\n", r"line 1: third column must be a finite number"),
    "negative_third": ("1 2 0.5\n2 3 -0.5\n", r"line 2: third column must be a finite number >= 0"),
    "mixed_columns": ("1 2\n2 3\n3 4 0.5\n", r"line 3: got 3 columns but the lines before have 2"),
    "mixed_first": ("1 2 0.5\n2 3\n3 4\n", r"line 2: got 2 columns but line 1 has 3"),
    "empty": ("", r"no edges found \(0 lines"),
    "only_comments": ("# a\n% b\n\n", r"no edges found \(3 lines: 2 comments, 1 blank\)"),
    "only_self_loops": ("1 1\n2 2\n", r"every edge was a self-loop"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_names_file_and_line(tmp_path, case):
    text, pattern = BAD[case]
    p = write(tmp_path, text, name=f"{case}.txt")
    with pytest.raises(InputFileError, match=pattern) as info:
        read_graph(p, cache=False)
    assert str(p) in str(info.value)


def test_probability_above_one_with_given(tmp_path):
    p = write(tmp_path, "1 2 0.5\n2 3 1.5\n")
    with pytest.raises(InputFileError, match=r"g.txt line 2: third column 1.5 is not a probability in \[0, 1\]"):
        read_graph(p, weights="given", cache=False)
    assert read_graph(p, weights="counts", cache=False).m == 2


def test_given_needs_third_column(tmp_path):
    with pytest.raises(InputFileError, match="needs a third column"):
        read_graph(write(tmp_path, "1 2\n"), weights="given", cache=False)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputFileError, match="nope.txt: no such file"):
        read_graph(tmp_path / "nope.txt")
    with pytest.raises(InputFileError, match="is a folder"):
        read_graph(tmp_path)
    assert issubclass(InputFileError, SeedwiseError)


def test_corrupt_gzip(tmp_path):
    p = tmp_path / "bad.gz"
    p.write_bytes(gzip.compress(b"1 2\n2 3\n" * 100)[:30])
    with pytest.raises(InputFileError, match="bad.gz: corrupt gzip"):
        read_graph(p, cache=False)


def test_bad_weights():
    with pytest.raises(SeedwiseError, match="weights must be one of"):
        read_graph(__file__, weights="bogus")


# --------------------------------------------------------------------- cache
@pytest.fixture
def small_cache(monkeypatch):
    monkeypatch.setattr(io, "CACHE_MIN_BYTES", 0)


def test_cache_round_trip(tmp_path, small_cache):
    text = FORMATS["string_ids"]
    p = write(tmp_path, text)
    cdir = tmp_path / "cache"
    g = read_graph(p, cache_dir=cdir)
    assert g.stats["cache"] == "written" and len(os.listdir(cdir)) == 1
    h = read_graph(p, cache_dir=cdir)
    assert h.stats["cache"] == "hit"
    assert_same_graph(g, h)
    assert h.stats["lines"] == g.stats["lines"]
    # another scheme or direction is another cache entry
    assert read_graph(p, cache_dir=cdir, directed=False).stats["cache"] == "written"
    assert read_graph(p, cache_dir=cdir, weights="uniform:0.1").stats["cache"] == "written"
    assert len(os.listdir(cdir)) == 3


def test_cache_stale_and_corrupt(tmp_path, small_cache):
    p = write(tmp_path, "1 2\n2 3\n")
    cdir = tmp_path / "cache"
    read_graph(p, cache_dir=cdir)
    p.write_text("1 2\n2 3\n3 4\n")  # new size: the old entry is not used
    g = read_graph(p, cache_dir=cdir)
    assert g.m == 3 and g.stats["cache"] == "written"
    for f in os.listdir(cdir):
        (cdir / f).write_bytes(b"garbage")
    g = read_graph(p, cache_dir=cdir)
    assert g.m == 3 and g.stats["cache"] == "written"
    assert read_graph(p, cache_dir=cdir).stats["cache"] == "hit"


def test_cache_unwritable_folder(tmp_path, small_cache):
    p = write(tmp_path, "1 2\n2 3\n")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    g = read_graph(p, cache_dir=blocker / "sub")  # cannot create a folder under a file
    assert g.m == 2 and g.stats["cache"] == "off"


def test_cache_env_and_small_files(tmp_path, monkeypatch):
    monkeypatch.setenv("SEEDWISE_CACHE_DIR", str(tmp_path / "envcache"))
    assert io.default_cache_dir() == str(tmp_path / "envcache")
    g = read_graph(write(tmp_path, "1 2\n"))
    assert g.stats["cache"] == "off"  # below CACHE_MIN_BYTES: not worth a cache file
    assert not (tmp_path / "envcache").exists()


def test_reads_binary_file(tmp_path):
    g = read_graph(write(tmp_path, "1 2 3\n2 3 1\n"), weights="counts", cache=False)
    path = tmp_path / "g.bin"  # no .swg suffix: detected by magic
    save_graph(g, path)
    h = read_graph(path)
    assert_same_graph(g, h)
    assert h.stats["format"] == "binary"
    assert read_graph(path, weights="wc").weights == "wc"


# --------------------------------------------------------------- build_graph
@pytest.mark.parametrize("weights", ["wc", "uniform:0.1", "trivalency", "given", "counts"])
@pytest.mark.parametrize("directed", [True, False])
def test_build_graph_equals_naive_sort(weights, directed):
    rng = np.random.default_rng(11)
    for _trial in range(5):
        n = int(rng.integers(2, 30))
        e = int(rng.integers(1, 200))
        u = rng.integers(0, n, e)
        v = rng.integers(0, n, e)
        if not (u != v).any():
            continue
        values = np.round(rng.random(e), 3) if weights != "counts" else rng.integers(1, 5, e).astype(float)
        ids = np.arange(n, dtype=np.int64) * 3
        ref = naive_build(u, v, ids, values, directed=directed, weights=weights)
        got = build_graph(u.astype(np.int32), v.astype(np.int32), ids, values, directed=directed, weights=weights)
        assert_same_graph(got, ref)
        loops = int((u == v).sum())
        assert got.stats["self_loops_dropped"] == loops
        merged = (e - loops) * (1 if directed else 2) - got.m
        assert got.stats["repeated_edges_merged"] == (merged if directed else merged // 2)


@pytest.mark.parametrize("trial", range(6))
def test_subgraph_equals_naive(trial):
    rng = np.random.default_rng(trial)
    n = int(rng.integers(3, 40))
    u, v = rng.integers(0, n, 300), rng.integers(0, n, 300)
    values = rng.integers(1, 5, 300).astype(float)
    g = build_graph(u, v, np.arange(n, dtype=np.int64) * 7, values, weights="counts")
    keep = rng.random(n) < 0.6
    sub, old_of_new = g.subgraph(keep)
    assert old_of_new.tolist() == np.flatnonzero(keep).tolist()
    assert_same_graph(sub, naive_subgraph(g, keep))


def test_build_graph_large_sliced_probabilities(monkeypatch):
    monkeypatch.setattr(_build, "PROB_BLOCK", 7)
    rng = np.random.default_rng(2)
    u, v = rng.integers(0, 50, 500), rng.integers(0, 50, 500)
    values = rng.random(500)
    for w in ("wc", "given", "uniform:0.3"):
        ref = naive_build(u, v, np.arange(50), values, weights=w)
        assert_same_graph(build_graph(u, v, np.arange(50), values, weights=w), ref)


# ------------------------------------------------------------ real datasets
def test_wiki_vote():
    p = os.path.join(DATASETS, "wiki-vote.txt.gz")
    if not os.path.exists(p):
        pytest.skip("dataset absent")
    g = read_graph(p, cache=False)
    assert (g.n, g.m) == (7115, 103689)


def test_soc_slashdot():
    p = os.path.join(DATASETS, "soc-slashdot0902.txt.gz")
    if not os.path.exists(p):
        pytest.skip("dataset absent")
    g = read_graph(p, cache=False)
    assert (g.n, g.m) == (82168, 870161)
    assert g.stats["self_loops_dropped"] == 78303 and g.stats["lines"] == 948474


def test_nethept_multigraph_undirected():
    p = os.path.join(DATASETS, "nethept.txt.gz")
    if not os.path.exists(p):
        pytest.skip("dataset absent")
    g = read_graph(p, directed=False, cache=False)
    # MANIFEST: 31,376 distinct non-loop pairs, 39 self-loop lines
    assert g.n == 15233 and g.m == 2 * 31376 and g.stats["self_loops_dropped"] == 39


# --------------------------------------------------------------- properties
hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies
ID = st.one_of(st.integers(-5, 40).map(str), st.sampled_from(["a", "bb", "x1", "07", "é"]))
SEP = st.sampled_from([" ", "\t", ",", ", ", "  "])


@hypothesis.settings(deadline=None, max_examples=60)
@hypothesis.given(
    edges=st.lists(st.tuples(ID, ID, SEP, st.booleans()), min_size=1, max_size=30),
    third=st.booleans(),
    directed=st.booleans(),
    data=st.data(),
)
def test_random_edge_lists_match_naive_reader(tmp_path_factory, edges, third, directed, data):
    lines = []
    for i, (a, b, sep, comment) in enumerate(edges):
        if comment:
            lines.append(data.draw(st.sampled_from(["# note", "% k", "", "   "])))
        lines.append(f"{a}{sep}{b}" + (f"{sep}{(i % 7) / 4}" if third else ""))
    text = "\n".join(lines) + data.draw(st.sampled_from(["", "\n", "\r\n"]))
    p = tmp_path_factory.mktemp("h") / "g.txt"
    p.write_text(text)
    try:
        ref = naive_read(text, directed=directed)
    except SeedwiseError as exc:  # only self-loops
        with pytest.raises(InputFileError, match=re.escape(str(exc))):
            read_graph(p, directed=directed, cache=False)
        return
    assert_same_graph(read_graph(p, directed=directed, cache=False), ref)
