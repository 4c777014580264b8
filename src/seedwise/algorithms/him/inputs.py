"""Inputs of the HIM recommenders: the inviters and their willingness U (ids, paths, mappings)."""
from __future__ import annotations

import os
from dataclasses import replace

import numpy as np

from ..._validation import SeedwiseError
from ...graph.readers import float_or_none, lookup_ids, read_inviters, read_willingness


def resolve_inviters(graph, aps, skip_unknown=False):
    """Dense ids of the inviters ``aps`` (a path or a sequence of ids), deduplicated in order.

    Returns
    -------
    dense : int32 ndarray
    inviters : list of original ids (graph type)
    skipped : list of the ids that are not nodes (empty unless ``skip_unknown``)

    Raises
    ------
    SeedwiseError
        Unknown ids without ``skip_unknown`` (a few are named), or no inviter left.
    """
    if isinstance(aps, (str, os.PathLike)):
        tokens = read_inviters(aps)
        source = f" in {os.fspath(aps)}"
    else:
        tokens = list(np.asarray(aps).tolist()) if isinstance(aps, np.ndarray) else list(aps)
        source = ""
    dense = lookup_ids(graph, tokens)
    unknown = dense < 0
    skipped = []
    if unknown.any():
        bad = [tokens[i] for i in np.flatnonzero(unknown)]
        if not skip_unknown:
            shown = ", ".join(str(x) for x in bad[:5]) + (" ..." if len(bad) > 5 else "")
            raise SeedwiseError(
                f"{len(bad)} of {len(tokens)} inviter ids{source} are not nodes of the graph: {shown}; "
                f"leave them out with skip_unknown=True (CLI: --skip-unknown)")
        skipped = list(dict.fromkeys(bad))
    dense = dense[~unknown]
    _, first = np.unique(dense, return_index=True)
    dense = dense[np.sort(first)].astype(np.int32)
    if len(dense) == 0:
        raise SeedwiseError(f"no inviter{source} is a node of the graph ({len(tokens)} ids given)")
    return dense, graph.label(dense), skipped


def willingness_array(graph, willingness):
    """U as float64 (n,) from None (all 1), a path, a {id: value} mapping or an array (n,)."""
    if willingness is None:
        return None
    if isinstance(willingness, (str, os.PathLike)):
        return read_willingness(willingness, graph)
    if isinstance(willingness, dict):
        tokens = list(willingness.keys())
        dense = lookup_ids(graph, tokens)
        if (dense < 0).any():
            bad = [str(tokens[i]) for i in np.flatnonzero(dense < 0)[:5]]
            raise SeedwiseError(f"willingness names ids that are not nodes of the graph: {', '.join(bad)}")
        u = np.ones(graph.n, dtype=np.float64)
        vals = np.array([float_or_none(v) if not isinstance(v, (int, float)) else float(v)
                         for v in willingness.values()], dtype=np.float64)
        u[dense] = vals
    else:
        u = np.asarray(willingness, dtype=np.float64)
        if u.shape != (graph.n,):
            raise SeedwiseError(f"willingness array must have shape ({graph.n},) (one value per node); got {u.shape}")
    bad = ~np.isfinite(u) | (u < 0) | (u > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise SeedwiseError(f"willingness must be in [0, 1]; node {graph.ids[i]} has {u[i]!r}")
    return u


def with_willingness(graph, u):
    """``graph`` with every edge probability P_ij multiplied by U_j (None: unchanged).

    The probability that j, invited by i, accepts and interacts is P_ij U_j; RR sets
    for HeteroIM are sampled on these probabilities.
    """
    if u is None:
        return graph
    out_prob = (graph.out_prob * u[graph.out_indices]).astype(np.float32)
    in_prob = (graph.in_prob * np.repeat(u, graph.in_degree)).astype(np.float32)
    shared = np.where(graph.in_shared_p >= 0, graph.in_shared_p * u, -1.0).astype(np.float32)
    return replace(graph, out_prob=out_prob, in_prob=in_prob, in_shared_p=shared,
                   weights=f"{graph.weights}*willingness")
