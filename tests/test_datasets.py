"""Embedded datasets: each loads from the package with the documented size."""
import gzip
import os
from importlib import resources

import pytest

import seedwise
from seedwise import datasets as ds


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Graph caches go to a temporary folder, not the user's ~/.cache."""
    monkeypatch.setenv("SEEDWISE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "graph-cache"))

# n, m of the graph seedwise builds: self-loops dropped, undirected pairs stored both ways
EXPECTED = {
    "wiki-vote": (7_115, 103_689, True, 0),
    "email-eu-core": (1_005, 24_929, True, 642),
    "ca-grqc": (5_242, 28_968, False, 12),
    "cim-physic": (241, 923, True, 0),
}


def test_registry_matches_expected():
    assert set(ds.names()) == set(EXPECTED)
    for name, (n, m, directed, _) in EXPECTED.items():
        d = ds.get(name)
        assert (d.nodes, d.edges, d.directed) == (n, m, directed)
        assert d.citation and d.source and d.description


@pytest.mark.parametrize("name", list(EXPECTED))
def test_dataset_loads(name):
    n, m, directed, loops = EXPECTED[name]
    g = seedwise.load_dataset(name, cache=False)
    assert (g.n, g.m, g.directed) == (n, m, directed)
    assert g.integer_ids
    assert g.stats["self_loops_dropped"] == loops
    assert g.stats["repeated_edges_merged"] == 0


def test_listing():
    items = seedwise.datasets()
    assert [d["name"] for d in items] == ds.names()
    assert items == seedwise.api.datasets()
    for d in items:
        assert {"name", "description", "nodes", "edges", "directed", "citation", "source"} <= set(d)


def test_names_are_case_insensitive_and_unknown_is_clear():
    assert seedwise.load_dataset("CIM-Physic", cache=False).n == 241
    with pytest.raises(seedwise.SeedwiseError, match="wiki-vote"):
        seedwise.load_dataset("karate")


def test_files_ship_in_the_package():
    root = resources.files("seedwise.datasets")
    readme = root.joinpath("README.md").read_text()
    for d in ds.DATASETS.values():
        for f in (d.file, d.ap_file):
            if f is None:
                continue
            assert root.joinpath(f).is_file(), f
            assert f in readme, f"{f} not documented in datasets/README.md"
        assert f"`{d.name}`" in readme


def test_cim_physic_query_sets_refer_to_nodes():
    g = seedwise.load_dataset("cim-physic", cache=False)
    with ds.path("cim-physic", ap=True) as p, gzip.open(p, "rt") as f:
        sets = [line.strip().split(",") for line in f if line.strip() and not line.startswith("#")]
    assert [len(s) for s in sets] == [1, 2, 5, 12]
    for s in sets:
        assert g.contains(s).all()
    with pytest.raises(seedwise.SeedwiseError, match="no AP"):
        ds.path("wiki-vote", ap=True)


def test_package_data_declared():
    """pyproject's package-data must cover every file here, or a wheel ships without them."""
    folder = os.path.dirname(ds.__file__)
    shipped = [f for f in os.listdir(folder) if not f.startswith(("__", "."))]
    assert all(f.endswith((".gz", ".md")) for f in shipped), shipped
