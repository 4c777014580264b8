"""Shared fixtures: tiny graphs with exact references (tests/_reference.py).

``tests/`` goes on sys.path so that test modules can ``from _reference import ...``.
Tests marked ``slow`` (the whole Ray equivalence matrix, ...) run with ``--runslow``, and always
on CI (``CI`` set in the environment, as .ci/run does): ``make test`` stays quick on a laptop,
CI checks everything.
"""
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# the suite tests numba's JIT kernels; the copies compiled ahead of time (``seedwise
# compile``) are compared with them in test_aot.py
os.environ["SEEDWISE_AOT"] = "0"

#: ../shared/datasets beside the repository (tests that read it skip when it is absent)
SHARED_DATASETS = os.environ.get(
    "SEEDWISE_DATA", os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared",
                                  "datasets"))

import _reference as reference  # noqa: E402

try:  # property tests explore fresh examples locally; CI replays a fixed sequence
    import hypothesis

    hypothesis.settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
    if os.environ.get("CI"):
        hypothesis.settings.load_profile("ci")
except ImportError:
    pass


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def ray_cluster():
    """A local Ray instance of 2 CPUs for the module (reused if one is running)."""
    ray = pytest.importorskip("ray")
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    if started:
        ray.shutdown()


def tiny_graphs():
    """(name, graph) pairs on which exact enumeration is cheap (m <= 12)."""
    rng = np.random.default_rng(7)
    return [
        ("path", reference.path_graph()),
        ("star", reference.star_graph()),
        ("diamond-uniform", reference.diamond_graph()),
        ("diamond-wc", reference.diamond_graph("wc")),
        ("mixed-given", reference.mixed_graph()),
        ("random-wc", reference.random_tiny_graph(rng, 7, 11, "wc")),
        ("random-uniform", reference.random_tiny_graph(rng, 6, 10, "uniform:0.3")),
        ("random-given", reference.random_tiny_graph(rng, 6, 10, "given")),
    ]


def lt_tiny_graphs():
    """(name, graph) pairs that are LT-valid (in-weights sum to <= 1)."""
    rng = np.random.default_rng(11)
    return [
        ("diamond-wc", reference.diamond_graph("wc")),
        ("mixed-wc", reference.mixed_graph().with_weights("wc")),
        ("random-wc", reference.random_tiny_graph(rng, 7, 11, "wc")),
        ("random-lt", reference.lt_random_weights(rng, reference.random_tiny_graph(rng, 6, 10, "wc"))),
        ("star-uniform", reference.star_graph(4, 0.5)),
    ]


@pytest.fixture
def path_graph():
    return reference.path_graph()


@pytest.fixture
def star_graph():
    return reference.star_graph()


@pytest.fixture
def diamond_graph():
    return reference.diamond_graph()


@pytest.fixture
def mixed_graph():
    return reference.mixed_graph()


@pytest.fixture(params=[name for name, _ in tiny_graphs()])
def tiny_graph(request):
    """Each graph of tiny_graphs() in turn (IC)."""
    return dict(tiny_graphs())[request.param]


@pytest.fixture(params=[name for name, _ in lt_tiny_graphs()])
def lt_tiny_graph(request):
    """Each LT-valid graph of lt_tiny_graphs() in turn."""
    return dict(lt_tiny_graphs())[request.param]


@pytest.fixture(autouse=True, scope="session")
def _private_graph_cache(tmp_path_factory):
    """Keep parsed-graph caches of the test run out of ~/.cache/seedwise."""
    old = os.environ.get("SEEDWISE_CACHE_DIR")
    os.environ["SEEDWISE_CACHE_DIR"] = str(tmp_path_factory.mktemp("graph-cache"))
    yield
    if old is None:
        os.environ.pop("SEEDWISE_CACHE_DIR", None)
    else:
        os.environ["SEEDWISE_CACHE_DIR"] = old
