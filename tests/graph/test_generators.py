"""R-MAT generator: a pure-Python reference, determinism across threads, parameters."""
import numpy as np
import pytest

from seedwise._validation import SeedwiseError
from seedwise.graph import Graph, _kernels, generate_rmat, generators, load_graph

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def _mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def naive_rmat(edges, nodes, seed, a, b, c):
    """Obviously correct R-MAT in Python: SplitMix64 stream per edge, one quadrant per level."""
    scale = max(1, (nodes - 1).bit_length())
    us, vs = [], []
    for i in range(edges):
        state = _mix(seed ^ _mix((i * GOLDEN + GOLDEN) & MASK))
        while True:
            x = y = 0
            for _ in range(scale):
                state = (state + GOLDEN) & MASK
                r = (_mix(state) >> 11) * 2.0**-53
                x, y = 2 * x, 2 * y
                if r < a:
                    pass
                elif r < a + b:
                    y += 1
                elif r < a + b + c:
                    x += 1
                else:
                    x, y = x + 1, y + 1
            if x < nodes and y < nodes:
                break
        us.append(x)
        vs.append(y)
    return np.array(us), np.array(vs)


@pytest.mark.parametrize("edges,nodes,seed", [(300, None, 0), (500, 100, 7), (200, 37, 2**63 + 5)])
def test_matches_naive_reference(edges, nodes, seed):
    g = generate_rmat(edges, nodes=nodes, seed=seed)
    n = nodes or generators._default_nodes(edges)
    u, v = naive_rmat(edges, n, seed, 0.57, 0.19, 0.19)
    ref = Graph.from_dense(u, v, np.arange(n), None)
    assert g.n == n and g.m == ref.m
    for f in ("out_indptr", "out_indices", "out_prob", "in_indptr", "in_indices", "in_prob", "in_shared_p"):
        assert np.array_equal(getattr(g, f), getattr(ref, f)), f
    assert g.stats["self_loops_dropped"] == ref.stats["self_loops_dropped"]
    assert g.stats["repeated_edges_merged"] == ref.stats["repeated_edges_merged"]
    assert g.stats["self_loops_dropped"] + g.stats["repeated_edges_merged"] + g.m == edges


def test_same_for_any_thread_count(monkeypatch):
    monkeypatch.setattr(generators, "BLOCK", 997)
    g1 = generate_rmat(20000, seed=42, threads=1)
    g2 = generate_rmat(20000, seed=42, threads=2)
    g3 = generate_rmat(20000, seed=42, threads=3)
    for f in ("out_indptr", "out_indices", "in_indices", "out_prob"):
        assert np.array_equal(getattr(g1, f), getattr(g2, f))
        assert np.array_equal(getattr(g1, f), getattr(g3, f))
    assert not np.array_equal(generate_rmat(20000, seed=43).out_indices[:1000], g1.out_indices[:1000])


def test_quadrant_frequencies():
    edges, scale = 200000, 10
    u = np.empty(edges, np.int32)
    v = np.empty(edges, np.int32)
    a, b, c = 0.45, 0.15, 0.25
    _kernels.rmat_edges(np.uint64(9), 0, edges, scale, 1 << scale, a, a + b, a + b + c, u, v)
    top_u, top_v = u < 512, v < 512  # the first level decides the top bit
    freq = [np.mean(top_u & top_v), np.mean(top_u & ~top_v), np.mean(~top_u & top_v), np.mean(~top_u & ~top_v)]
    sd = np.sqrt(0.25 / edges)
    assert np.allclose(freq, [a, b, c, 1 - a - b - c], atol=5 * sd)
    # levels are independent: the lowest bit follows the same split
    low_u, low_v = (u & 1) == 0, (v & 1) == 0
    assert abs(np.mean(low_u & low_v) - a) < 5 * sd


def test_default_nodes_and_undirected(tmp_path):
    assert generators._default_nodes(1_000_000) == 65536
    assert generators._default_nodes(100_000_000) == 1 << 23
    assert generators._default_nodes(1) == 2
    g = generate_rmat(4000, seed=1, directed=False, output=tmp_path / "r.swg")
    assert not g.directed and g.n == 256 and g.m % 2 == 0
    assert np.array_equal(np.sort(g.out_indices), np.sort(g.in_indices))
    h = load_graph(tmp_path / "r.swg")
    assert np.array_equal(h.out_indices, g.out_indices) and h.stats["generator"]["seed"] == 1


def test_memory_estimate():
    assert generators.rmat_memory_bytes(100_000_000) < 5e9


@pytest.mark.parametrize("kwargs,pattern", [
    ({"edges": 0}, "edges must be an int"),
    ({"edges": 10, "nodes": 1}, "nodes must be an int"),
    ({"edges": 10, "a": 0.6, "b": 0.3, "c": 0.3}, "a \\+ b \\+ c <= 1"),
    ({"edges": 10, "a": -0.1}, "a must be a finite number"),
    ({"edges": 10, "seed": -1}, "seed must be an int"),
    ({"edges": 10, "threads": 0}, "threads must be an int"),
    ({"edges": 10, "a": 1.0, "b": 0.0, "c": 0.0}, "every edge was a self-loop"),
])
def test_bad_arguments(kwargs, pattern):
    with pytest.raises(SeedwiseError, match=pattern):
        generate_rmat(**kwargs)
