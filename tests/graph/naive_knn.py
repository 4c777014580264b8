"""Obviously correct k-nearest neighbours: every pair in float64, ties to the smaller row."""
import numpy as np


def brute_force_knn(X, k, metric="euclidean"):
    """(indices int (n, k), distances float64 (n, k)) of the k nearest other rows."""
    x = np.asarray(X, dtype=np.float64)
    if metric == "cosine":
        x = x / np.linalg.norm(x, axis=1, keepdims=True)
    n = len(x)
    idx = np.empty((n, k), dtype=np.int64)
    dist = np.empty((n, k))
    for i in range(n):
        if metric == "cosine":
            d = np.maximum(1.0 - x @ x[i], 0.0)
        else:
            d = np.sqrt(((x - x[i]) ** 2).sum(axis=1))
        others = [j for j in range(n) if j != i]
        others.sort(key=lambda j: (d[j], j))
        idx[i] = others[:k]
        dist[i] = d[others[:k]]
    return idx, dist
