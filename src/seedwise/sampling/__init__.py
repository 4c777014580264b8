"""RR-set sampling (IC, LT, SUBSIM skipping), stored flat with a node -> set index."""
from .estimate import rr_spread
from .rr_sets import Blocked, RRSets, derive_seed, sample_rr_sets

__all__ = ["Blocked", "RRSets", "sample_rr_sets", "derive_seed", "rr_spread"]
