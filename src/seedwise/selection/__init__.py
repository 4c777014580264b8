"""Greedy maximum coverage over RR sets and the bounds that certify it."""
from .bounds import log_binomial, lower_bound, upper_bound
from .coverage import max_coverage, prefix_coverage, select

__all__ = ["max_coverage", "prefix_coverage", "select", "lower_bound", "upper_bound", "log_binomial"]
