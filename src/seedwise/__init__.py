"""seedwise: influence maximization with proven guarantees.

>>> import seedwise
>>> g = seedwise.load_dataset("wiki-vote")             # or seedwise.read_graph("edges.txt")
>>> res = seedwise.maximize(g, k=10, seed=0)            # OPIM-C, IC, weighted cascade
>>> est = seedwise.spread(g, res.seeds, simulations=2_000)
>>> recs = seedwise.cim(seedwise.load_dataset("cim-physic"), [232, 74, 195], k=2)   # CIM, RR-OPIM+

Names are imported on first use, so that ``import seedwise`` (and the ``seedwise``
command's start-up) does not load numba or compile anything.
"""
from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "Graph": ("seedwise.graph", "Graph"),
    "read_graph": ("seedwise.api", "read_graph"),
    "load_dataset": ("seedwise.api", "load_dataset"),
    # the subpackage; calling it lists the datasets (see seedwise/datasets/__init__.py)
    "datasets": ("seedwise.datasets", None),
    "maximize": ("seedwise.api", "maximize"),
    "spread": ("seedwise.api", "spread"),
    "SelectionResult": ("seedwise.results", "SelectionResult"),
    "SpreadEstimate": ("seedwise.results", "SpreadEstimate"),
    "SeedwiseError": ("seedwise._validation", "SeedwiseError"),
    "SeedwiseWarning": ("seedwise._validation", "SeedwiseWarning"),
    "from_networkx": ("seedwise.graph.interop", "from_networkx"),
    "to_networkx": ("seedwise.graph.interop", "to_networkx"),
    "from_pandas_edgelist": ("seedwise.graph.interop", "from_pandas_edgelist"),
    "from_scipy_sparse": ("seedwise.graph.interop", "from_scipy_sparse"),
    "cim": ("seedwise.algorithms.cim", "cim"),
    "cim_compare": ("seedwise.algorithms.cim", "cim_compare"),
    "cim_spread": ("seedwise.algorithms.cim", "cim_spread"),
    "CimResult": ("seedwise.results", "CimResult"),
    "recommend": ("seedwise.algorithms.him", "recommend"),
    "Recommendations": ("seedwise.results", "Recommendations"),
    "evaluate_recommendations": ("seedwise.evaluation.recommendation", "evaluate_recommendations"),
    "select_examples": ("seedwise.algorithms.ideal", "select_examples"),
    "ExampleSelection": ("seedwise.results", "ExampleSelection"),
    "knn_graph": ("seedwise.graph.knn", "knn_graph"),
    "invitation_spread": ("seedwise.evaluation.truth_model", "invitation_spread"),
    "evaluate_truth_model": ("seedwise.evaluation.truth_model", "evaluate_truth_model"),
}

__all__ = [
    "CimResult", "ExampleSelection", "Graph", "Recommendations", "SeedwiseError", "SeedwiseWarning",
    "SelectionResult", "SpreadEstimate", "__version__", "cim", "cim_compare", "cim_spread", "datasets",
    "evaluate_recommendations", "evaluate_truth_model", "from_networkx", "from_pandas_edgelist", "from_scipy_sparse",
    "invitation_spread", "knn_graph", "load_dataset", "maximize", "read_graph", "recommend", "select_examples",
    "spread", "to_networkx",
]


def __getattr__(name):
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'seedwise' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(target[0])
    value = module if target[1] is None else getattr(module, target[1])
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
