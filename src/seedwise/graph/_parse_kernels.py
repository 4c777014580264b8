"""numba tokenizer for text edge lists (SNAP, KONECT, CSV, NetHEPT).

The reader hands the raw bytes of the file (or of one chunk cut at a newline) to
``tokenize`` as a uint8 array; it walks the buffer once and writes, per data line,
the two ids (parsed int64, or token offsets when ids are strings) and the third
column as float64. No Python runs per line.

Separators: any run of space, tab, comma, CR, VT, FF. A line whose first non-blank
byte is ``#`` or ``%`` is a comment. Line numbers are 1-based and count every line.
"""
import numpy as np

from .._numba import kernel

# status codes returned in info[STATUS]
OK = 0
BAD_COLUMNS = 1  # a data line with 1 or >= 4 fields
MIXED_COLUMNS = 2  # a data line (after the first) whose field count differs from the others
NOT_INT = 3  # an id that is not a canonical int64: switch to string ids

# slots of the info array returned by tokenize
COUNT, LINES, COMMENTS, BLANKS, FIRST_COLS, REST_COLS, STATUS = 0, 1, 2, 3, 4, 5, 6
ERR_LINE, ERR_START, ERR_END, ERR_COLS, NSLOW, MAX_ID, MIN_ID = 7, 8, 9, 10, 11, 12, 13
INFO_SIZE = 14

# exact powers of ten: mant * 10**k is correctly rounded for mant <= 2**53, k <= 22
# (Clinger, "How to read floating point numbers accurately", PLDI 1990)
_POW10 = np.array([10.0 ** k for k in range(23)])
_MAX_EXACT = 2**53


@kernel
def _is_sep(c):
    return c == 32 or c == 9 or c == 44 or c == 13 or c == 11 or c == 12


# the most negative int64 divided by 10, rounded towards zero: the overflow test below
_LIM = np.int64(-922337203685477580)


@kernel
def _parse_int(buf, s, e):
    """(ok, value) for a canonical decimal int64 token buf[s:e] (no '+', no leading zeros).

    The rule of ``seedwise.ids.parse_id``: up to 19 digits, and the value must fit
    int64; anything else is a string id. Accumulated negatively so that int64's
    minimum parses too.
    """
    i = s
    neg = False
    if buf[i] == 45:  # '-'
        neg = True
        i += 1
    nd = e - i
    if nd <= 0 or nd > 19:
        return False, np.int64(0)
    if buf[i] == 48 and (nd > 1 or neg):  # "007" and "-0" stay strings, as Graph.from_edges does
        return False, np.int64(0)
    x = np.int64(0)
    for k in range(i, e):
        d = np.int64(buf[k]) - 48
        if d < 0 or d > 9:
            return False, np.int64(0)
        if x < _LIM or (x == _LIM and d > 8):
            return False, np.int64(0)
        x = x * 10 - d
    if not neg:
        if x == np.iinfo(np.int64).min:
            return False, np.int64(0)
        x = -x
    return True, x


@kernel
def _parse_float(buf, s, e):
    """(ok, value) for a plain decimal token; ok is False where Python's float() must decide.

    The fast path takes at most 17 significant digits and |exponent| <= 22 so that the
    result is correctly rounded (identical to float()).
    """
    i = s
    neg = False
    if buf[i] == 45 or buf[i] == 43:
        neg = buf[i] == 45
        i += 1
    mant = np.int64(0)
    nd = 0
    frac = 0
    digits = False
    dot = False
    while i < e:
        if buf[i] == 46 and not dot:  # one '.'; digits after it count as fraction
            dot = True
            i += 1
            continue
        if buf[i] < 48 or buf[i] > 57:
            break
        d = np.int64(buf[i]) - 48
        digits = True
        if mant > 0 or d > 0:
            nd += 1
            if nd > 17:
                return False, 0.0
        mant = mant * 10 + d
        if dot:
            frac += 1
        i += 1
    if not digits:
        return False, 0.0
    exp = 0
    if i < e and (buf[i] == 101 or buf[i] == 69):  # 'e' / 'E'
        i += 1
        eneg = False
        if i < e and (buf[i] == 45 or buf[i] == 43):
            eneg = buf[i] == 45
            i += 1
        if i == e:
            return False, 0.0
        while i < e and buf[i] >= 48 and buf[i] <= 57:
            exp = exp * 10 + (np.int64(buf[i]) - 48)
            if exp > 400:
                return False, 0.0
            i += 1
        if eneg:
            exp = -exp
    if i != e:
        return False, 0.0
    if mant > _MAX_EXACT:
        return False, 0.0
    k = exp - frac
    x = float(mant)
    if mant == 0:
        x = 0.0
    elif k >= 0:
        if k > 22:
            return False, 0.0
        x = x * _POW10[k]
    else:
        if k < -22:
            return False, 0.0
        x = x / _POW10[-k]
    if neg:
        x = -x
    return True, x


@kernel
def _grow_rows(a, need):
    if need <= a.shape[0]:
        return a
    out = np.empty((max(need, 2 * a.shape[0]), a.shape[1]), dtype=a.dtype)
    out[: a.shape[0]] = a
    return out


@kernel
def tokenize(buf, pos, end, want_ints, first_cols, rest_cols, u, v, offs, val):
    """Parse the data lines of buf[pos:end].

    buf uint8 (size,); u, v int64 (cap,) receive the ids when ``want_ints``, else
    offs int64 (cap, 4) receives [start0, end0, start1, end1] of the two id tokens;
    val float64 (cap,) receives the third column (NaN where Python must parse it,
    listed in ``slow``). cap must be at least the number of lines in the range.
    ``first_cols``: field count of the file's first data line if already seen (0 if
    not); ``rest_cols``: the common field count of the later data lines (0 if not yet
    known). The first data line may differ from the rest (an "n m" header line).

    Returns (info int64 (INFO_SIZE,), slow int64 (k, 3) rows [record, start, end]).
    On a non-OK status, info[COUNT] is the index of the offending data line and
    info[ERR_LINE] its line number counted from pos (1-based).
    """
    info = np.zeros(INFO_SIZE, dtype=np.int64)
    slow = np.empty((16, 3), dtype=np.int64)
    count = 0
    lines = 0
    comments = 0
    blanks = 0
    nslow = 0
    status = OK
    max_id = np.iinfo(np.int64).min
    min_id = np.iinfo(np.int64).max
    i = pos
    while i < end:
        lines += 1
        j = i
        while j < end and _is_sep(buf[j]):
            j += 1
        if j >= end or buf[j] == 10:
            blanks += 1
            i = j + 1
            continue
        c = buf[j]
        if c == 35 or c == 37:  # '#' or '%'
            comments += 1
            while j < end and buf[j] != 10:
                j += 1
            i = j + 1
            continue
        ncols = 0
        s0 = e0 = s1 = e1 = s2 = e2 = j
        while True:
            s = j
            while j < end and buf[j] != 10 and not _is_sep(buf[j]):
                j += 1
            if ncols == 0:
                s0, e0 = s, j
            elif ncols == 1:
                s1, e1 = s, j
            elif ncols == 2:
                s2, e2 = s, j
            ncols += 1
            while j < end and buf[j] != 10 and _is_sep(buf[j]):
                j += 1
            if j >= end or buf[j] == 10:
                break
        i = j + 1
        if ncols < 2 or ncols > 3:
            status = BAD_COLUMNS
            info[ERR_START], info[ERR_END], info[ERR_COLS] = s0, j, ncols
            break
        if first_cols == 0:
            first_cols = ncols
        elif rest_cols == 0:
            rest_cols = ncols
        elif ncols != rest_cols:
            status = MIXED_COLUMNS
            info[ERR_START], info[ERR_END], info[ERR_COLS] = s0, j, ncols
            break
        if want_ints:
            ok0, x = _parse_int(buf, s0, e0)
            ok1, y = _parse_int(buf, s1, e1)
            if not (ok0 and ok1):
                status = NOT_INT
                if ok0:
                    s0, e0 = s1, e1
                info[ERR_START], info[ERR_END], info[ERR_COLS] = s0, e0, ncols
                break
            u[count] = x
            v[count] = y
            if x > max_id:
                max_id = x
            if y > max_id:
                max_id = y
            if x < min_id:
                min_id = x
            if y < min_id:
                min_id = y
        else:
            offs[count, 0] = s0
            offs[count, 1] = e0
            offs[count, 2] = s1
            offs[count, 3] = e1
        if ncols == 3:
            ok, f = _parse_float(buf, s2, e2)
            if not ok:
                f = np.nan
                slow = _grow_rows(slow, nslow + 1)
                slow[nslow, 0] = count
                slow[nslow, 1] = s2
                slow[nslow, 2] = e2
                nslow += 1
            val[count] = f
        count += 1
    info[COUNT] = count
    info[LINES] = lines
    info[COMMENTS] = comments
    info[BLANKS] = blanks
    info[FIRST_COLS] = first_cols
    info[REST_COLS] = rest_cols
    info[STATUS] = status
    info[ERR_LINE] = lines
    info[NSLOW] = nslow
    info[MAX_ID] = max_id
    info[MIN_ID] = min_id
    return info, slow[:nslow].copy()


@kernel
def locate_record(buf, pos, end, k):
    """(line number from pos, 1-based; line start; line end) of data line k (0-based), or (-1, 0, 0)."""
    i = pos
    lines = 0
    count = 0
    while i < end:
        lines += 1
        j = i
        while j < end and _is_sep(buf[j]):
            j += 1
        stop = j
        while stop < end and buf[stop] != 10:
            stop += 1
        if j < end and buf[j] != 10 and buf[j] != 35 and buf[j] != 37:
            if count == k:
                return lines, i, stop
            count += 1
        i = stop + 1
    return -1, 0, 0


@kernel
def gather_tokens(buf, starts, ends, width):
    """uint8 (k, width): token i = buf[starts[i]:ends[i]], zero padded (viewed as S<width>)."""
    k = starts.shape[0]
    out = np.zeros((k, width), dtype=np.uint8)
    for r in range(k):
        a = starts[r]
        for t in range(ends[r] - a):
            out[r, t] = buf[a + t]
    return out
