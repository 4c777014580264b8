"""numba kernels for the recommendation metrics (ISpread@K by exhaustive search).

Arrays: indptr int64 (T+1,), dst int32 (pairs,) is the truth CSR (observed spread
pairs inviter -> invitee, invitees sorted per inviter); users int64 (q,) are truth
dense ids of inviters with at least one pair.
"""
import numpy as np

from .._numba import kernel
from ..selection._kernels import push_top


@kernel
def _toggle(c, indptr, dst, cnt, sign):
    """Add (sign=1) or remove (sign=-1) {c} and its invitees; returns the change in |union|."""
    change = 0
    for t in range(indptr[c] - 1, indptr[c + 1]):
        x = c if t < indptr[c] else dst[t]
        if sign > 0:
            if cnt[x] == 0:
                change += 1
            cnt[x] += 1
        else:
            cnt[x] -= 1
            if cnt[x] == 0:
                change -= 1
    return change


@kernel
def reach_sizes(users, picks, indptr, dst):
    """Per row q: |picks[q] + their invitees| without users[q] itself (-1 picks ignored).

    Returns int64 (q,).
    """
    q = users.shape[0]
    T = indptr.shape[0] - 1
    stamp = np.full(T, -1, dtype=np.int64)
    out = np.zeros(q, dtype=np.int64)
    for qi in range(q):
        stamp[users[qi]] = qi
        size = 0
        for r in range(picks.shape[1]):
            c = picks[qi, r]
            if c < 0:
                continue
            for t in range(indptr[c] - 1, indptr[c + 1]):
                x = c if t < indptr[c] else dst[t]
                if stamp[x] != qi:
                    stamp[x] = qi
                    size += 1
        out[qi] = size
    return out


@kernel
def best_spread_picks(users, indptr, dst, k):
    """Per user u, the k of u's invitees whose first- and second-order spread is largest.

    Maximises |B + invitees(B) - {u}| over the k-subsets B of u's invitees (all of
    them when u has at most k). Exhaustive: subsets are enumerated in lexicographic
    order of the (sorted) invitees with branch and bound (a branch is cut when the
    union so far plus the r largest remaining |{c} + invitees(c)| cannot beat the
    best), and the first maximum in that order is kept, as itertools.combinations
    with a strict ``>`` would.

    Returns picks int64 (q, k) of truth dense ids (-1 padded) and best int64 (q,).
    """
    q = users.shape[0]
    T = indptr.shape[0] - 1
    picks = np.full((q, k), -1, dtype=np.int64)
    cnt = np.zeros(T, dtype=np.int32)
    chosen = np.empty(k, dtype=np.int64)
    nxt = np.empty(k + 1, dtype=np.int64)
    buf = np.empty(k, dtype=np.int64)
    for qi in range(q):
        u = users[qi]
        a = indptr[u]
        d = indptr[u + 1] - a
        if d <= k:
            for j in range(d):
                picks[qi, j] = dst[a + j]
            continue
        cnt[u] += 1  # u itself never counts as reached
        # top[r, j]: sum of the r largest sizes among candidates j..d-1
        top = np.zeros((k + 1, d + 1), dtype=np.int64)
        filled = 0
        for j in range(d - 1, -1, -1):
            c = dst[a + j]
            filled = push_top(buf, filled, k, np.int64(1 + indptr[c + 1] - indptr[c]))
            acc = 0
            for r in range(1, k + 1):
                if r <= filled:
                    acc += buf[r - 1]
                top[r, j] = acc
        best = -1
        size = 0
        depth = 0
        nxt[0] = 0
        while True:
            if depth == k:
                if size > best:
                    best = size
                    for r in range(k):
                        picks[qi, r] = dst[a + chosen[r]]
                depth -= 1
                size += _toggle(dst[a + chosen[depth]], indptr, dst, cnt, -1)
                nxt[depth] = chosen[depth] + 1
                continue
            j = nxt[depth]
            rem = k - depth
            if j > d - rem or size + top[rem, j] <= best:
                if depth == 0:
                    break
                depth -= 1
                size += _toggle(dst[a + chosen[depth]], indptr, dst, cnt, -1)
                nxt[depth] = chosen[depth] + 1
                continue
            chosen[depth] = j
            size += _toggle(dst[a + j], indptr, dst, cnt, 1)
            depth += 1
            nxt[depth] = j + 1
        cnt[u] -= 1
    return picks, reach_sizes(users, picks, indptr, dst)
