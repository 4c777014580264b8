"""Evaluation of results against observed data (recommendation metrics of HIM)."""
from .recommendation import SpreadTruth, evaluate_recommendations, ispread, read_truth_pairs, recommendation_metrics

__all__ = ["SpreadTruth", "evaluate_recommendations", "ispread", "read_truth_pairs", "recommendation_metrics"]
