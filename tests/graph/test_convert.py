"""Streaming convert_edge_list equals read_graph; networkx / scipy / pandas converters."""
import gzip
import os

import numpy as np
import pytest
from _reference import assert_same_graph
from conftest import SHARED_DATASETS

from seedwise._validation import InputFileError, SeedwiseError
from seedwise.graph import (
    Graph,
    convert_edge_list,
    from_networkx,
    from_pandas_edgelist,
    from_scipy_sparse,
    load_graph,
    read_graph,
    save_graph,
)

TEXTS = {
    "snap": "# c\n# d\n0 0\n0 1\n0 2\n1 2\n2 0\n% k\n\n2 3\n3 1\n3 1\n",
    "header": "6 5\n0 1 0.5\n1 2 0.25\n2 3 0.125\n3 4 1\n4 5 0.75\n",
    "csv_names": "\ufeffsrc,dst,w\n10,20,1\n20,30,2\n30,10,3\n10,20,4\n",
    "strings": "alpha beta\nbeta gamma\n# x\ngamma alpha\ndelta alpha\nalpha beta\n",
    "late_string": "1 2\n2 3\n3 4\n4 5\n5 six\nsix 1\n",
    "sparse_ids": "1000000000000 5\n5 77777777777\n77777777777 1000000000000\n",
    "three_col": "a b 1\nb c 2.5\nc a 0.5\nc d 1e-3\n",
}
WEIGHTS = {"snap": "wc", "header": "given", "csv_names": "counts", "strings": "trivalency",
           "late_string": "wc", "sparse_ids": "uniform:0.1", "three_col": "counts"}


@pytest.mark.parametrize("name", sorted(TEXTS))
@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
@pytest.mark.parametrize("directed", [True, False])
def test_convert_equals_read_graph(tmp_path, name, chunk, directed):
    p = tmp_path / "in.txt"
    p.write_bytes(TEXTS[name].encode())
    out = tmp_path / "out.swg"
    seen = []
    st = convert_edge_list(p, out, directed=directed, weights=WEIGHTS[name], chunk_bytes=chunk, progress=seen.append)
    ref = read_graph(p, directed=directed, weights=WEIGHTS[name], cache=False)
    g = load_graph(out)
    assert_same_graph(g, ref)
    for key in ("lines", "comment_lines", "blank_lines", "header", "column_names", "columns",
                "self_loops_dropped", "repeated_edges_merged"):
        assert st[key] == ref.stats[key], key
    assert (st["n"], st["m"]) == (ref.n, ref.m)
    assert sum(seen) >= len(TEXTS[name].encode()) - 3
    assert sorted(os.listdir(tmp_path)) == ["in.txt", "out.swg"]  # temporaries removed


def test_convert_gzip_dataset(tmp_path):
    p = os.path.join(SHARED_DATASETS, "wiki-vote.txt.gz")
    if not os.path.exists(p):
        pytest.skip("dataset absent")
    st = convert_edge_list(p, tmp_path / "w.swg", chunk_bytes=1 << 18)
    assert (st["n"], st["m"]) == (7115, 103689)
    assert_same_graph(load_graph(tmp_path / "w.swg"), read_graph(p, cache=False))


@pytest.mark.parametrize("chunk", [5, 1 << 20])
@pytest.mark.parametrize("text,pattern", [
    ("1 2\n2 3\n3\n", r"in.txt line 3: expected 2 or 3 columns, got 1"),
    ("1 2\n2 3\n# c\n3 4 5 6\n", r"in.txt line 4: expected 2 or 3 columns, got 4"),
    ("1 2 1\n2 3 abc\n", r"in.txt line 2: third column 'abc' is not a number"),
    ("1 2 1\n2 3 1\n3 4 nan\n", r"in.txt line 3: third column must be a finite number"),
    ("1 2\n2 3\n3 4 1\n", r"in.txt line 3: got 3 columns but the lines before have 2"),
    ("1 2 1\n2 3\n", r"in.txt line 2: got 2 columns but line 1 has 3"),
    ("# only\n\n", r"in.txt: no edges found \(2 lines: 1 comments, 1 blank\)"),
    ("", r"in.txt: no edges found"),
    ("1 1\n", r"every edge was a self-loop"),
])
def test_convert_errors(tmp_path, chunk, text, pattern):
    p = tmp_path / "in.txt"
    p.write_text(text)
    with pytest.raises(InputFileError, match=pattern):
        convert_edge_list(p, tmp_path / "out.swg", chunk_bytes=chunk)
    assert not (tmp_path / "out.swg").exists()


def test_convert_binary_input_and_missing(tmp_path):
    g = Graph.from_edges([1, 2], [2, 3])
    save_graph(g, tmp_path / "a.swg")
    convert_edge_list(tmp_path / "a.swg", tmp_path / "b.swg")
    assert_same_graph(load_graph(tmp_path / "b.swg"), g)
    with pytest.raises(InputFileError, match="no such file"):
        convert_edge_list(tmp_path / "none.txt", tmp_path / "c.swg")
    with pytest.raises(SeedwiseError, match="chunk_bytes"):
        convert_edge_list(tmp_path / "a.swg", tmp_path / "c.swg", chunk_bytes=0)


def test_convert_compressed(tmp_path):
    p = tmp_path / "in.gz"
    p.write_bytes(gzip.compress(TEXTS["strings"].encode()))
    convert_edge_list(p, tmp_path / "o.swg", chunk_bytes=9)
    assert_same_graph(load_graph(tmp_path / "o.swg"), read_graph(p, cache=False))


# -------------------------------------------------------------- networkx
def test_from_networkx_digraph():
    nx = pytest.importorskip("networkx")
    G = nx.DiGraph()
    G.add_nodes_from([1, 2, 3, 4, 99])  # 99 isolated
    G.add_edges_from([(1, 2), (2, 3), (3, 1), (3, 4), (4, 4)])
    g = from_networkx(G)
    assert g.directed and g.n == 5 and g.m == 4
    assert sorted((g.label([u])[0], g.label([v])[0]) for u in range(g.n) for v in
                  g.out_indices[g.out_indptr[u]:g.out_indptr[u + 1]]) == [(1, 2), (2, 3), (3, 1), (3, 4)]
    # weighted cascade against networkx's in-degrees (self-loop dropped)
    for u, v in [(1, 2), (3, 4)]:
        du, dv = g.index_of([u, v])
        j = g.out_indptr[du] + list(g.out_indices[g.out_indptr[du]:g.out_indptr[du + 1]]).index(dv)
        indeg = sum(1 for w in G.predecessors(v) if w != v)
        assert g.out_prob[j] == np.float32(1.0 / indeg)


def test_from_networkx_undirected_strings_and_values():
    nx = pytest.importorskip("networkx")
    G = nx.Graph()
    G.add_edge("a", "b", w=2.0)
    G.add_edge("b", "c", w=3.0)
    G.add_node("z")
    g = from_networkx(G, weights="counts", value_attr="w")
    ref = Graph.from_edges(np.array(["a", "b"]), np.array(["b", "c"]), [2.0, 3.0], directed=False, weights="counts")
    assert not g.directed and g.n == 4 and g.ids.tolist() == ["a", "b", "c", "z"]
    sub, _ = g.subgraph(g.contains(["a", "b", "c", "z"]) & (g.out_degree > 0))
    assert_same_graph(sub, ref)


def test_from_networkx_multigraph_and_errors():
    nx = pytest.importorskip("networkx")
    M = nx.MultiDiGraph([(1, 2), (1, 2), (2, 3)])
    g = from_networkx(M)
    assert g.m == 2 and g.stats["repeated_edges_merged"] == 1
    with pytest.raises(SeedwiseError, match="name the edge attribute holding it"):
        from_networkx(M, weights="given")
    with pytest.raises(SeedwiseError, match="collide"):
        from_networkx(nx.DiGraph([(1, "1")]))
    with pytest.raises(SeedwiseError, match="needs a networkx graph"):
        from_networkx({1: 2})
    with pytest.raises(SeedwiseError, match="empty"):
        from_networkx(nx.DiGraph())


# ------------------------------------------------------------------ scipy
def test_from_scipy_sparse():
    sp = pytest.importorskip("scipy.sparse")
    dense = np.array([[0, 0.5, 0, 0], [0, 0, 0.25, 0], [1.0, 0, 0, 0], [0, 0, 0, 0]])
    A = sp.csr_array(dense)
    A.data[0] = 0.5
    g = from_scipy_sparse(A, weights="given")
    r, c = np.nonzero(dense)
    ref = Graph.from_dense(r, c, np.arange(4), dense[r, c], weights="given")
    assert_same_graph(g, ref)
    assert g.n == 4  # the isolated node 3 is kept
    # explicit zeros are not edges
    B = sp.coo_array((np.array([0.0, 1.0]), (np.array([0, 1]), np.array([1, 2]))), shape=(3, 3))
    assert from_scipy_sparse(B).m == 1
    # string ids, given in any order
    h = from_scipy_sparse(A, ids=["d", "c", "b", "a"])
    assert h.label(h.index_of(["d"])) == ["d"]
    dd = h.index_of(["d"])[0]
    assert h.label(h.out_indices[h.out_indptr[dd]:h.out_indptr[dd + 1]]) == ["c"]
    with pytest.raises(SeedwiseError, match="square"):
        from_scipy_sparse(sp.csr_array(np.ones((2, 3))))
    with pytest.raises(SeedwiseError, match="distinct"):
        from_scipy_sparse(A, ids=[1, 1, 2, 3])
    with pytest.raises(SeedwiseError, match="one entry per row"):
        from_scipy_sparse(A, ids=[1, 2])


def test_from_scipy_matches_networkx():
    nx = pytest.importorskip("networkx")
    G = nx.gnp_random_graph(40, 0.1, seed=4, directed=True)
    A = nx.to_scipy_sparse_array(G, nodelist=sorted(G.nodes()))
    assert_same_graph(from_scipy_sparse(A), from_networkx(G))


# ----------------------------------------------------------------- pandas
def test_from_pandas_edgelist():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1, 2, 3, 3], "b": [2, 3, 1, 1], "w": [1.0, 2.0, 3.0, 4.0]})
    g = from_pandas_edgelist(df, "a", "b", "w", weights="counts")
    ref = Graph.from_edges(df["a"].to_numpy(), df["b"].to_numpy(), df["w"].to_numpy(), weights="counts")
    assert_same_graph(g, ref)
    s = from_pandas_edgelist(pd.DataFrame({"source": ["x", 1], "target": [2, "y"]}))
    assert s.ids.tolist() == ["1", "2", "x", "y"]
    with pytest.raises(SeedwiseError, match="column 'nope' is not in the DataFrame"):
        from_pandas_edgelist(df, "nope", "b")
    with pytest.raises(SeedwiseError, match="missing ids"):
        from_pandas_edgelist(pd.DataFrame({"source": [1, None], "target": [2, 3]}))
    with pytest.raises(SeedwiseError, match="finite numbers >= 0"):
        from_pandas_edgelist(df.assign(w=[1, -1, 2, 3]), "a", "b", "w")
    with pytest.raises(SeedwiseError, match="no rows"):
        from_pandas_edgelist(df.iloc[:0], "a", "b")
