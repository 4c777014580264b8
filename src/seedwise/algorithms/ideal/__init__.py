"""Choosing examples to label by influence on a k-nearest-neighbour graph (IDEAL, SPEC section 6).

``select_examples`` builds the graph (``seedwise.graph.knn``), then picks the examples
with the IM engine (OPIM-C) or one of the baselines in ``baselines.py``.
"""
from ...results import ExampleSelection
from .select import METHODS, select_examples

__all__ = ["METHODS", "ExampleSelection", "select_examples"]
