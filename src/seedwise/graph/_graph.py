"""The Graph: dense int32 node ids, forward and reverse CSR, float32 edge probabilities.

An edge (u, v) means "u can influence v" (SPEC section 1). Original ids (ints or
strings) are kept, sorted, in ``ids``; dense id i stands for ``ids[i]``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from .._validation import SeedwiseError
from ..ids import check_token, find_control
from . import _schemes
from .csr import row_sums


@dataclass(frozen=True, eq=False)
class Graph:
    """A directed graph in CSR form, ready for the diffusion and sampling kernels.

    Build one with :func:`seedwise.read_graph`, :meth:`Graph.from_edges` or the
    converters in :mod:`seedwise.graph`; do not fill the fields by hand.

    Attributes
    ----------
    n, m : int
        Number of nodes and of (distinct, non-loop) directed edges.
    directed : bool
        False when the input was undirected (each pair stored in both directions).
    ids : ndarray, shape (n,)
        Original node ids, sorted (int64, or str where any id is not an integer).
    out_indptr : int64 (n+1,), out_indices : int32 (m,), out_prob : float32 (m,)
        Forward CSR: out-neighbours of u are ``out_indices[out_indptr[u]:out_indptr[u+1]]``.
    in_indptr : int64 (n+1,), in_indices : int32 (m,), in_prob : float32 (m,)
        Reverse CSR (in-neighbours), with the same probabilities.
    out_weight, in_weight : float32 (m,)
        The raw third column (weight, interaction count; 1 where absent), kept for
        ranking by intimacy and for re-weighting.
    in_shared_p : float32 (n,)
        p if every in-edge of v has probability p, else -1. SUBSIM's geometric
        skipping applies where it is >= 0.
    weights : str
        The edge scheme that produced the probabilities ("wc", "uniform:0.01", ...).
    stats : dict
        What the reader did: lines read, self-loops dropped, repeated edges merged.
    """

    n: int
    m: int
    directed: bool
    ids: np.ndarray
    out_indptr: np.ndarray
    out_indices: np.ndarray
    out_prob: np.ndarray
    out_weight: np.ndarray
    in_indptr: np.ndarray
    in_indices: np.ndarray
    in_prob: np.ndarray
    in_weight: np.ndarray
    in_shared_p: np.ndarray
    weights: str = "wc"
    stats: dict = field(default_factory=dict)

    # ------------------------------------------------------------------ build
    @classmethod
    def from_edges(cls, src, dst, values=None, *, directed=True, weights="wc", stats=None):
        """Build a Graph from parallel arrays of original ids.

        Parameters
        ----------
        src, dst : array-like, shape (e,)
            Original ids of edge tails and heads (ints or strings).
        values : array-like of float, shape (e,), optional
            Third column: probability (``weights="given"``), interaction count
            (``"counts"``) or any weight kept for ranking.
        directed : bool, default True
            If False each pair is added in both directions.
        weights : str, default "wc"
            Edge scheme: "wc", "uniform:P", "trivalency", "given" or "counts".
        stats : dict, optional
            Reader statistics to extend.

        Raises
        ------
        SeedwiseError
            Empty graph, invalid values, or a scheme that needs a third column without one.
        """
        for side in (src, dst):  # before numpy strings drop trailing NULs
            if not isinstance(side, np.ndarray) or side.dtype == object:
                _check_text_ids(side)
        src = np.asarray(src)
        dst = np.asarray(dst)
        if src.shape != dst.shape or src.ndim != 1:
            raise SeedwiseError("src and dst must be 1-d arrays of the same length")
        if values is not None:
            values = np.asarray(values, dtype=np.float64)
            if values.shape != src.shape:
                raise SeedwiseError("values must have one entry per edge")
            bad = ~np.isfinite(values) | (values < 0)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise SeedwiseError(f"edge values must be finite and >= 0; edge {i} has {values[i]!r}")
        ids, inverse = _unique_ids(src, dst)
        e = src.shape[0]
        u = inverse[:e].astype(np.int64)
        v = inverse[e:].astype(np.int64)
        return cls.from_dense(u, v, ids, values, directed=directed, weights=weights, stats=stats)

    @classmethod
    def from_dense(cls, u, v, ids, values=None, *, directed=True, weights="wc", stats=None):
        """Build from dense int arrays ``u, v`` in [0, len(ids)) and the id table ``ids``.

        Self-loops are dropped and repeated edges merged (interaction counts add up,
        other values keep the largest); ``stats`` records how many.
        """
        from ._build import build_graph

        return build_graph(u, v, ids, values, directed=directed, weights=weights, stats=stats)

    def with_weights(self, weights):
        """The same graph under another edge scheme (probabilities recomputed)."""
        if _schemes.parse(weights).label == self.weights:
            return self
        u = np.repeat(np.arange(self.n, dtype=np.int32), np.diff(self.out_indptr))
        g = Graph.from_dense(
            u, self.out_indices, self.ids, self.out_weight.astype(np.float64),
            directed=True, weights=weights, stats=self.stats,
        )
        return replace(g, directed=self.directed)

    # ------------------------------------------------------------- accessors
    @property
    def out_degree(self):
        return np.diff(self.out_indptr)

    @property
    def in_degree(self):
        return np.diff(self.in_indptr)

    @property
    def integer_ids(self):
        """True when every original id is an integer (JSON emits them as numbers)."""
        return self.ids.dtype.kind in "iu"

    def index_of(self, ids, what="node id"):
        """Dense int32 ids of original ``ids``; SeedwiseError naming unknown ones.

        Strings that spell integers are accepted for graphs with integer ids
        (parsed by :func:`seedwise.graph.readers.lookup_ids`).
        """
        from .readers import lookup_ids

        tokens = ids.tolist() if isinstance(ids, np.ndarray) else list(ids)
        pos = lookup_ids(self, tokens)
        missing = pos < 0
        if missing.any():
            shown = [str(tokens[i]) for i in np.flatnonzero(missing)[:5]]
            more = int(missing.sum())
            raise SeedwiseError(
                f"{more} unknown {what}{'s' if more > 1 else ''} (not in the graph): "
                f"{', '.join(shown)}{' ...' if more > 5 else ''}"
            )
        return pos.astype(np.int32)

    def contains(self, ids):
        """Boolean mask: which of ``ids`` are nodes of the graph."""
        from .readers import lookup_ids

        return lookup_ids(self, ids) >= 0

    def label(self, dense):
        """Original ids of dense ids, as Python ints or strs."""
        return self.ids[np.asarray(dense, dtype=np.int64)].tolist()

    def subgraph(self, keep):
        """The graph induced by ``keep`` (bool mask over nodes), probabilities unchanged.

        Used for CIM's passive graph P = G restricted to V minus the APs (SPEC
        section 4): probabilities stay those computed on G.

        Returns
        -------
        sub : Graph
        old_of_new : ndarray of int32, dense ids in ``self`` of the nodes of ``sub``.
        """
        from ._build import induced_subgraph

        return induced_subgraph(self, keep)

    @cached_property
    def in_weight_sums(self):
        """float64 (n,): sum of the in-edge probabilities of every node (LT needs <= 1).
        Computed once; the graph's arrays never change."""
        return row_sums(self.in_indptr, self.in_prob)

    def check_lt(self):
        """Raise unless in-weights of every node sum to at most 1 (LT validity)."""
        sums = self.in_weight_sums
        bad = sums > 1.0 + 1e-6
        if bad.any():
            v = int(np.flatnonzero(bad)[0])
            raise SeedwiseError(
                f"LT needs in-weights summing to <= 1 per node; node {self.ids[v]} sums to "
                f"{sums[v]:.4g} ({int(bad.sum())} such nodes). Use weights='wc' or 'counts' for LT."
            )

    def nbytes(self):
        """Bytes held by the graph arrays."""
        return sum(
            a.nbytes for a in (self.out_indptr, self.out_indices, self.out_prob, self.out_weight,
                               self.in_indptr, self.in_indices, self.in_prob, self.in_weight,
                               self.in_shared_p)
        ) + (self.ids.nbytes if self.ids.dtype != object else 8 * self.n)

    def __repr__(self):
        kind = "directed" if self.directed else "undirected"
        return f"<Graph {kind} n={self.n:,} m={self.m:,} weights={self.weights}>"


def _check_text_ids(ids):
    """Refuse string ids with control characters (one regex pass over their joined text)."""
    text = "\t".join(x for x in ids if isinstance(x, str))
    if find_control(text) >= 0:
        for x in ids:
            if isinstance(x, str):
                check_token(x)


def _unique_ids(src, dst):
    """Sorted unique original ids and the dense index of every endpoint."""
    both = np.concatenate([src, dst])
    if both.dtype.kind in "iu":
        both = both.astype(np.int64)
    elif both.dtype.kind in "f":
        if not np.all(np.isfinite(both)) or not np.all(both == np.round(both)):
            raise SeedwiseError("node ids must be integers or strings, not fractions")
        both = both.astype(np.int64)
    else:
        if both.dtype == object:  # Python strings: checked before numpy drops trailing NULs
            _check_text_ids(both.tolist())
        both = both.astype(str)
        # all-integer string ids are stored as integers so that JSON emits numbers
        try:
            as_int = both.astype(np.int64)
            if np.array_equal(as_int.astype(str), both):
                both = as_int
        except (ValueError, OverflowError):
            pass
    ids, inverse = np.unique(both, return_inverse=True)
    return ids, inverse
