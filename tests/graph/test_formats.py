"""Each format reader against a naive reference on generated files (Matrix Market, GraphML,
GEXF, GML, Parquet, Arrow, CSV with names), and what a file says about its direction."""
import csv
import gzip
import os
import re
import warnings
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from conftest import SHARED_DATASETS

import seedwise
from seedwise._validation import InputFileError, SeedwiseError, SeedwiseWarning
from seedwise.graph import formats

nx = pytest.importorskip("networkx")


def edges_of(graph):
    """{(u, v): p} over original ids."""
    u = np.repeat(np.arange(graph.n), np.diff(graph.out_indptr))
    return {(a, b): float(p) for a, b, p in zip(graph.label(u), graph.label(graph.out_indices),
                                                 graph.out_prob.astype(np.float64))}


def both_ways(pairs):
    return {(a, b) for a, b in pairs} | {(b, a) for a, b in pairs}


# ------------------------------------------------------------ Matrix Market
def naive_mtx(text):
    """(symmetric, {(i, j): value}) from Matrix Market text, by hand."""
    lines = text.splitlines()
    banner = lines[0].lower().split()
    body = [ln for ln in lines[1:] if ln.strip() and not ln.startswith("%")]
    entries = {}
    for ln in body[1:]:  # body[0] is the size line, not an edge
        f = ln.split()
        i, j = int(f[0]), int(f[1])
        if i != j:
            entries[(i, j)] = float(f[2]) if len(f) > 2 else 1.0
    return banner[4] != "general", entries


def random_mtx(rng, n, nnz, symmetry, field):
    rows, cols = rng.integers(1, n + 1, nnz), rng.integers(1, n + 1, nnz)
    if symmetry == "symmetric":
        rows, cols = np.maximum(rows, cols), np.minimum(rows, cols)  # lower triangle, as the format stores it
    keys = sorted(set(zip(rows.tolist(), cols.tolist())))
    vals = rng.uniform(0.01, 1.0, len(keys)).round(3)
    out = [f"%%MatrixMarket matrix coordinate {field} {symmetry}", "% a comment", f"{n} {n} {len(keys)}"]
    for (i, j), x in zip(keys, vals):
        out.append(f"{i} {j}" + ("" if field == "pattern" else f" {x}"))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("symmetry", ["symmetric", "general"])
@pytest.mark.parametrize("field", ["real", "pattern"])
@pytest.mark.parametrize("compress", [False, True])
def test_matrix_market_against_naive(tmp_path, symmetry, field, compress):
    rng = np.random.default_rng(len(symmetry) + len(field))
    text = random_mtx(rng, 40, 150, symmetry, field)
    p = tmp_path / ("g.mtx.gz" if compress else "g.mtx")
    p.write_bytes(gzip.compress(text.encode()) if compress else text.encode())
    sym, entries = naive_mtx(text)
    g = seedwise.read_graph(p)
    assert g.stats["format"] == "matrix-market"
    assert g.directed == (not sym)
    assert g.n == 40  # every row is a node, isolated ones included; the size line is no edge
    expect = both_ways(entries) if sym else set(entries)
    assert set(edges_of(g)) == expect
    if field == "real":
        h = seedwise.read_graph(p, weight="p")
        got = edges_of(h)
        for (i, j), x in entries.items():
            assert got[(i, j)] == pytest.approx(x, rel=1e-6)
            if sym:
                assert got[(j, i)] == pytest.approx(x, rel=1e-6)


def test_matrix_market_refusals(tmp_path):
    p = tmp_path / "rect.mtx"
    p.write_text("%%MatrixMarket matrix coordinate real general\n3 4 1\n1 2 0.5\n")
    with pytest.raises(InputFileError, match="square"):
        seedwise.read_graph(p)
    q = tmp_path / "pat.mtx"
    q.write_text("%%MatrixMarket matrix coordinate pattern general\n3 3 1\n1 2\n")
    with pytest.raises(InputFileError, match="no entries"):
        seedwise.read_graph(q, weight="p")


# ------------------------------------------------------ GraphML, GEXF, GML
def naive_xml_edges(path):
    """(directed, [(source, target)]) from GraphML or GEXF by walking the XML."""
    root = ET.parse(path).getroot()
    strip = lambda tag: tag.split("}")[-1]  # noqa: E731
    graph = next(e for e in root.iter() if strip(e.tag) == "graph")
    default = graph.get("edgedefault") or graph.get("defaultedgetype") or "directed"
    edges = [(e.get("source"), e.get("target")) for e in root.iter() if strip(e.tag) == "edge"]
    return default == "directed", edges


def naive_gml_edges(path):
    text = path.read_text()
    directed = re.search(r"directed\s+1", text) is not None
    ids = dict(re.findall(r"node\s*\[\s*id\s+(\d+)\s+label\s+\"([^\"]*)\"", text))
    edges = [(ids[a], ids[b]) for a, b in re.findall(r"edge\s*\[\s*source\s+(\d+)\s+target\s+(\d+)", text)]
    return directed, edges


def graph_with_attributes(directed):
    G = nx.gnp_random_graph(30, 0.12, seed=2, directed=directed)
    G = nx.relabel_nodes(G, {v: f"user{v}" for v in G})
    rng = np.random.default_rng(1)
    for a, b in G.edges():
        G[a][b]["p"] = round(float(rng.uniform(0.05, 0.5)), 3)
    return G


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "gml"])
@pytest.mark.parametrize("directed", [True, False])
def test_networkx_formats_against_naive(tmp_path, fmt, directed):
    G = graph_with_attributes(directed)
    p = tmp_path / f"g.{fmt}"
    getattr(nx, f"write_{fmt}")(G, p)
    is_dir, edges = naive_gml_edges(p) if fmt == "gml" else naive_xml_edges(p)
    g = seedwise.read_graph(p, weight="p")
    assert g.stats["format"] == fmt and g.directed == is_dir == directed
    assert set(edges_of(g)) == (set(edges) if directed else both_ways(edges))
    for a, b, x in G.edges(data="p"):
        assert edges_of(g)[(a, b)] == pytest.approx(x, rel=1e-6)
    assert g.n == G.number_of_nodes()


def test_graphml_integer_ids_and_errors(tmp_path):
    G = nx.DiGraph([(1, 2), (2, 3)])
    p = tmp_path / "g.graphml"
    nx.write_graphml(G, p)
    g = seedwise.read_graph(p)
    assert g.integer_ids and g.ids.tolist() == [1, 2, 3]
    with pytest.raises(SeedwiseError, match="would be ignored"):
        seedwise.read_graph(p, weight="p", weights="wc")
    with pytest.raises(InputFileError, match="no attribute 'p'"):
        seedwise.read_graph(p, weight="p")
    bad = tmp_path / "bad.graphml"
    bad.write_text("<?xml version='1.0'?><graphml><graph><node id='a'/></graph>")
    with pytest.raises(InputFileError, match="not a readable GRAPHML file"):
        seedwise.read_graph(bad)


# ------------------------------------------------- tables: CSV, Parquet, Arrow
ROWS = [("alice", "bob", 0.5), ("bob", "carol", 0.25), ("carol", "alice", 1.0), ("dave", "alice", 0.125),
        ("alice", "bob", 0.5)]


def naive_csv_edges(path):
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        return {(row["source"], row["target"]): float(row["weight"]) for row in r}


def test_string_id_csv_with_header_against_naive(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("source,target,weight\n" + "".join(f"{a},{b},{w}\n" for a, b, w in ROWS))
    ref = naive_csv_edges(p)
    g = seedwise.read_graph(p, weight="weight")
    assert g.stats["format"] == "csv" and g.weights == "given"
    assert edges_of(g) == ref
    assert g.stats["repeated_edges_merged"] == 1
    # without weight= the edges are the same under weighted cascade
    assert set(edges_of(seedwise.read_graph(p))) == set(ref)


def test_csv_named_columns_in_other_order(tmp_path):
    p = tmp_path / "e.tsv"
    p.write_text("# exported\nw\tto\tfrom\n" + "".join(f"{w}\t{b}\t{a}\n" for a, b, w in ROWS))
    g = seedwise.read_graph(p, source="from", target="to", weight="w")
    assert edges_of(g) == {(a, b): w for a, b, w in ROWS}
    with pytest.raises(InputFileError, match="column 'nope' is not in"):
        seedwise.read_graph(p, source="from", target="to", weight="nope")


def test_csv_with_names_reads_like_the_edge_list(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("\ufeffsrc,dst,w\n10,20,1\n20,30,2\n30,10,3\n10,20,4\n")
    for weights in ("counts", "wc"):
        g = seedwise.read_graph(p, weights=weights, cache=False)
        ref = seedwise.graph.io.read_graph(p, weights=weights, cache=False)  # the text parser
        assert g.stats["format"] == "csv" and edges_of(g) == edges_of(ref)


def test_integer_csv_header_keeps_integer_ids(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("source,target\n1,2\n2,3\n10,1\n")
    g = seedwise.read_graph(p)
    assert g.integer_ids and set(edges_of(g)) == {(1, 2), (2, 3), (10, 1)}


@pytest.mark.parametrize("fmt", ["parquet", "feather"])
def test_parquet_and_arrow_against_pandas(tmp_path, fmt):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    df = pd.DataFrame(ROWS, columns=["u", "v", "prob"])
    p = tmp_path / f"e.{fmt}"
    getattr(df, f"to_{fmt}")(p)
    back = getattr(pd, f"read_{fmt}")(p)  # the naive reference: pandas reads the same file
    ref = {(a, b): w for a, b, w in back.itertuples(index=False)}
    g = seedwise.read_graph(p, weight="prob")
    assert g.stats["format"] == ("parquet" if fmt == "parquet" else "arrow")
    assert edges_of(g) == ref
    h = seedwise.read_graph(p, directed=False)  # u, v: the first two columns
    assert set(edges_of(h)) == both_ways(ref)


def test_edge_list_refuses_column_names(tmp_path):
    p = tmp_path / "e.txt"
    p.write_text("1 2\n2 3\n")
    with pytest.raises(SeedwiseError, match="edge list without column names"):
        seedwise.read_graph(p, weight="w")


# ------------------------------------------------------------- direction
def test_snap_undirected_header_reads_undirected(tmp_path):
    p = tmp_path / "snap.txt"
    p.write_text("# Undirected graph: ../../data/output/x.txt\n# Nodes: 3 Edges: 2\n1\t2\n2\t3\n")
    g = seedwise.read_graph(p, cache=False)
    assert not g.directed and g.stats["undirected_by"] == "header" and g.m == 4
    assert seedwise.read_graph(p, directed=True, cache=False).directed  # told otherwise
    k = tmp_path / "konect.txt"
    k.write_text("% sym unweighted\n% 2 3 3\n1 2\n2 3\n")
    assert not seedwise.read_graph(k, cache=False).directed


def test_symmetric_content_warns_with_the_hint(tmp_path):
    p = tmp_path / "sym.txt"
    p.write_text("1 2\n2 1\n2 3\n3 2\n")
    with pytest.warns(SeedwiseWarning, match="looks undirected.*--undirected"):
        g = seedwise.read_graph(p, cache=False)
    assert g.directed
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not seedwise.read_graph(p, directed=False, cache=False).directed
        q = tmp_path / "dir.txt"
        q.write_text("1 2\n2 1\n2 3\n")
        assert seedwise.read_graph(q, cache=False).directed


def test_symmetric_matches_a_naive_check():
    rng = np.random.default_rng(0)
    for _ in range(30):
        n = int(rng.integers(2, 8))
        u, v = rng.integers(0, n, 12), rng.integers(0, n, 12)
        if rng.random() < 0.5:
            u, v = np.concatenate([u, v]), np.concatenate([v, u])
        keep = u != v
        if not keep.any():
            continue
        g = seedwise.graph.Graph.from_edges(u[keep], v[keep])
        pairs = set(edges_of(g))
        assert formats.symmetric(g) == all((b, a) in pairs for a, b in pairs)


@pytest.mark.skipif(not os.path.exists(os.path.join(SHARED_DATASETS, "ca-grqc.txt.gz")),
                    reason="needs ../shared/datasets")
def test_snap_ca_grqc_header():
    p = os.path.join(SHARED_DATASETS, "ca-grqc.txt.gz")
    g = seedwise.read_graph(p, cache=False)
    assert not g.directed and g.stats["undirected_by"] == "header"
    assert g.m == seedwise.read_graph(p, directed=False, cache=False).m
