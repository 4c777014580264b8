"""Small vectorised helpers over CSR arrays."""
from __future__ import annotations

import numpy as np


def ranges(starts, lengths):
    """Concatenation of arange(s, s + l) over the pairs (vectorised)."""
    starts = np.asarray(starts, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offs = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + (np.arange(total, dtype=np.int64) - offs)
