"""networkx / scipy / pandas in and out, and the coercion every public function applies."""
import numpy as np
import pytest
from _reference import assert_same_graph

import seedwise
from seedwise._validation import SeedwiseError
from seedwise.graph import Graph, as_graph, from_networkx, from_pandas_edgelist, from_scipy_sparse, to_networkx

nx = pytest.importorskip("networkx")
pd = pytest.importorskip("pandas")


def edge_set(graph):
    u = np.repeat(np.arange(graph.n), np.diff(graph.out_indptr))
    return {(a, b): float(p) for a, b, p in zip(graph.label(u), graph.label(graph.out_indices),
                                                 graph.out_prob.astype(np.float64))}


def test_top_level_exports():
    for name in ("from_networkx", "to_networkx", "from_pandas_edgelist", "from_scipy_sparse"):
        assert getattr(seedwise, name) is getattr(seedwise.graph, name)
        assert name in seedwise.__all__


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("labels", ["int", "str"])
def test_networkx_round_trip_keeps_nodes_edges_and_attributes(directed, labels):
    rng = np.random.default_rng(3)
    G = nx.gnp_random_graph(25, 0.15, seed=5, directed=directed)
    G.add_node(99)  # isolated
    if labels == "str":
        G = nx.relabel_nodes(G, {v: f"n{v}" for v in G})
    for a, b in G.edges():
        G[a][b]["p"] = round(float(rng.uniform(0.01, 0.3)), 4)
    g = from_networkx(G, weight="p")
    assert g.weights == "given" and g.directed == directed
    H = to_networkx(g)
    assert H.is_directed() == directed
    assert set(H.nodes()) == set(G.nodes())
    assert {frozenset(e) if not directed else e for e in H.edges()} == \
        {frozenset(e) if not directed else e for e in G.edges()}
    for a, b, p in G.edges(data="p"):
        assert H[a][b]["p"] == p  # the attribute keeps its name and value


def test_to_networkx_wc_undirected_is_a_digraph_both_ways():
    G = nx.path_graph(4)
    H = to_networkx(seedwise.from_networkx(G))
    assert H.is_directed() and H.number_of_edges() == 6
    assert H[1][0]["weight"] == pytest.approx(1.0) and H[0][1]["weight"] == pytest.approx(0.5)  # 1 / in-degree


def test_ignored_or_missing_attribute_is_an_error():
    D = nx.DiGraph()
    D.add_edge(1, 2, p=0.5)
    D.add_edge(2, 3)
    with pytest.raises(SeedwiseError, match="would be ignored"):
        from_networkx(D, value_attr="p", weights="wc")
    with pytest.raises(SeedwiseError, match="1 edges have no attribute 'p'"):
        from_networkx(D, weight="p")
    with pytest.raises(SeedwiseError, match="name the edge attribute"):
        from_networkx(D, weights="given")
    df = pd.DataFrame({"source": [1], "target": [2], "w": [0.5]})
    with pytest.raises(SeedwiseError, match="would be ignored"):
        from_pandas_edgelist(df, weight="w", weights="uniform:0.1")
    g = Graph.from_edges([1], [2])
    with pytest.raises(SeedwiseError, match="already has its probabilities"):
        seedwise.maximize(g, 1, weight="p")


def test_api_takes_networkx_scipy_and_pandas():
    G = nx.karate_club_graph()
    ref = seedwise.maximize(from_networkx(G), k=3, seed=0)
    assert seedwise.maximize(G, k=3, seed=0).seeds == ref.seeds
    A = nx.to_scipy_sparse_array(G, nodelist=sorted(G), weight=None)
    assert seedwise.maximize(A, k=3, seed=0).seeds == \
        seedwise.maximize(from_scipy_sparse(A), k=3, seed=0).seeds
    D = nx.DiGraph()
    D.add_weighted_edges_from([(0, 1, 0.5), (1, 2, 0.5), (0, 3, 0.1)], weight="p")
    est = seedwise.spread(D, [0], weight="p", simulations=20_000, seed=1)
    assert est.ci95[0] <= 1 + 0.5 + 0.25 + 0.1 <= est.ci95[1]  # exact spread of node 0
    df = nx.to_pandas_edgelist(D)
    assert seedwise.spread(df, [0], weight="p", simulations=20_000, seed=1).mean == est.mean
    assert seedwise.api.describe(D, weight="p")["probability"]["max"] == pytest.approx(0.5)
    with pytest.raises(SeedwiseError, match="read 'x.txt' with seedwise.read_graph"):
        as_graph("x.txt")
    with pytest.raises(SeedwiseError, match="got dict"):
        seedwise.maximize({0: [1]}, k=1)


def test_dataframe_gives_the_text_readers_graph(tmp_path):
    rows = [("a", "b", 3), ("b", "c", 1), ("c", "a", 2), ("a", "b", 1), ("d", "a", 5), ("c", "c", 1)]
    p = tmp_path / "e.txt"
    p.write_text("".join(f"{u} {v} {w}\n" for u, v, w in rows))
    df = pd.DataFrame(rows, columns=["source", "target", "count"])
    for weights in ("wc", "counts"):
        text = seedwise.read_graph(p, weights=weights, cache=False)
        frame = from_pandas_edgelist(df, weight="count", weights="counts") if weights == "counts" else \
            from_pandas_edgelist(df)
        assert edge_set(frame) == edge_set(text)
        assert frame.stats["self_loops_dropped"] == text.stats["self_loops_dropped"] == 1
        assert frame.stats["repeated_edges_merged"] == text.stats["repeated_edges_merged"] == 1
        if weights == "counts":
            assert_same_graph(frame, text)


def test_scipy_weight_names_the_entries():
    sp = pytest.importorskip("scipy.sparse")
    A = sp.csr_array(np.array([[0, 0.5], [0.25, 0]]))
    g = from_scipy_sparse(A, weight="p")
    assert g.weights == "given" and sorted(g.out_prob.tolist()) == [0.25, 0.5]
    assert to_networkx(g)[0][1]["p"] == 0.5
    assert from_scipy_sparse(A).weights == "wc"
