"""Reading input files whole, whatever they are: regular files, pipes, FIFOs, stdin.

Every reader (edge lists, seeds, APs, capacities, willingness, pairs) gets its bytes
from :func:`read_bytes` and its text from :func:`decode`, so that all of them

- read a pipe (``<(zcat x.gz)``, ``/dev/fd/N``, a FIFO, ``-`` for stdin) once and to
  its end, never half of it, and give up on a FIFO without a writer after
  ``FIFO_TIMEOUT`` seconds instead of hanging;
- refuse at once what is not a stream of lines (folders, ``/dev/zero`` and other
  devices, sockets);
- decompress gzip, bz2 and xz (recognised by their magic bytes, not the name);
- decode UTF-8, or UTF-16/32 with a byte-order mark, and name the byte offset and
  line of the first invalid byte or control character.
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import os
import re
import select
import stat
import sys

import numpy as np

from ._validation import InputFileError

#: Seconds to wait for a FIFO's writer (``$SEEDWISE_FIFO_TIMEOUT`` overrides).
FIFO_TIMEOUT = 10.0
_BLOCK = 64 << 20

_COMPRESSION = ((b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"))
_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
WIDE_BOMS = tuple(bom for bom, enc in _BOMS if enc != "utf-8")
# bytes refused anywhere in a text file: C0 controls but tab, LF, CR, VT, FF; and DEL
_CONTROL = np.zeros(256, dtype=np.bool_)
_CONTROL[[c for c in range(32) if c not in (9, 10, 11, 12, 13)] + [127]] = True


def compression_of(head):
    """'gzip', 'bz2', 'xz' or None from the first bytes of a file."""
    for magic, kind in _COMPRESSION:
        if head.startswith(magic):
            return kind
    return None


def is_stream(name):
    """True for ``-`` and for paths that are not regular files (pipes, FIFOs)."""
    if name == "-":
        return True
    try:
        return not stat.S_ISREG(os.stat(name).st_mode)
    except OSError:
        return False


def check_readable(name, what="input"):
    """os.stat_result of ``name`` (None for ``-``); InputFileError at once for what cannot be read.

    Accepted: regular files, FIFOs and pipes, ``-`` (stdin, unless a terminal).
    """
    if name == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise InputFileError(f"-: {what} from stdin, but stdin is a terminal; pipe the file in")
        return None
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise InputFileError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputFileError(f"{name}: cannot read ({exc.strerror or exc})") from None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise InputFileError(f"{name}: is a folder, not a {what} file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InputFileError(f"{name}: is a device, not a {what} file or a pipe (a stream without end is not read)")
    if stat.S_ISSOCK(mode):
        raise InputFileError(f"{name}: is a socket, not a {what} file")
    return st


def read_bytes(name, what="input"):
    """All bytes of ``name`` (a path or ``-``), read once to the end; not decompressed."""
    st = check_readable(name, what)
    if st is not None and stat.S_ISREG(st.st_mode):
        try:
            with open(name, "rb") as f:
                return f.read()
        except OSError as exc:
            raise InputFileError(f"{name}: cannot read ({exc.strerror or exc})") from None
    return b"".join(stream_chunks(name))


def _fifo_timeout():
    try:
        return float(os.environ.get("SEEDWISE_FIFO_TIMEOUT", FIFO_TIMEOUT))
    except ValueError:
        return FIFO_TIMEOUT


def stream_chunks(name, size=1 << 20):
    """Yield the bytes of a pipe, FIFO or ``-`` (stdin) to its end.

    A FIFO is opened non-blocking so that ``open`` itself cannot hang; poll() waits
    up to FIFO_TIMEOUT seconds for the first data (or a writer that closes at once),
    then the rest is read blocking. InputFileError when no writer shows up.
    """
    try:
        if name == "-":
            fd, own = sys.stdin.fileno(), False
        else:
            fd, own = os.open(name, os.O_RDONLY | os.O_NONBLOCK), True
    except OSError as exc:
        raise InputFileError(f"{name}: cannot read ({exc.strerror or exc})") from None
    try:
        if own:
            timeout = _fifo_timeout()
            poller = select.poll()
            poller.register(fd, select.POLLIN | select.POLLHUP)
            if not poller.poll(int(timeout * 1000)):
                raise InputFileError(
                    f"{name}: nothing written to this FIFO within {timeout:g} s (no writer?); "
                    "start the writer first, or set SEEDWISE_FIFO_TIMEOUT")
            os.set_blocking(fd, True)
        while True:
            try:
                chunk = os.read(fd, size)
            except OSError as exc:
                raise InputFileError(f"{name}: cannot read ({exc.strerror or exc})") from None
            if not chunk:
                return
            yield chunk
    finally:
        if own:
            os.close(fd)


def decompress(raw, name):
    """(bytes, format label): ``raw`` decompressed when it starts with gzip/bz2/xz magic bytes."""
    kind = compression_of(raw[:8])
    if kind is None:
        return raw, "text"
    try:
        if kind == "gzip":
            import gzip

            return gzip.decompress(raw), "gzip text"
        if kind == "bz2":
            import bz2

            return bz2.decompress(raw), "bz2 text"
        import lzma

        return lzma.decompress(raw), "xz text"
    except Exception as exc:  # noqa: BLE001 - zlib.error, lzma.LZMAError, EOFError, OSError
        why = str(exc) or type(exc).__name__
        raise InputFileError(f"{name}: corrupt {kind} file ({why})") from None


def line_of(data, offset):
    """1-based line number of byte ``offset`` in ``data``."""
    return data.count(b"\n", 0, offset) + 1


def utf8(data, name, offset=0, line=0):
    """``data`` as UTF-8 bytes without BOM; UTF-16/32 with a BOM are re-encoded.

    Raises InputFileError naming the byte offset and line of the first byte that is
    not UTF-8, or of a control character (NUL, ...), with a hint at the encoding.
    """
    for bom, enc in _BOMS if offset == 0 else ():
        if data.startswith(bom):
            data = data[len(bom):]
            if enc != "utf-8":
                try:
                    data = data.decode(enc).encode("utf-8", "surrogatepass")
                except UnicodeDecodeError as exc:
                    raise InputFileError(f"{name}: invalid {enc.upper()} at byte {exc.start + len(bom)} "
                                         f"(the file starts with a {enc.upper()} byte-order mark)") from None
                except UnicodeEncodeError:
                    raise InputFileError(f"{name}: invalid {enc.upper()} text (unpaired surrogate)") from None
            break
    buf = np.frombuffer(data, dtype=np.uint8)
    decoder = codecs.getincrementaldecoder("utf-8")()
    ascii_so_far = True
    for a in range(0, len(buf), _BLOCK):
        block = buf[a:a + _BLOCK]
        bad = _CONTROL[block]
        if bad.any():
            at = a + int(np.flatnonzero(bad)[0])
            hint = ("; the file looks like UTF-16 or UTF-32 without a byte-order mark: save it as UTF-8"
                    if buf[at] == 0 else "")
            raise InputFileError(f"{name} line {line + line_of(data, at)}: control character "
                                 f"{int(buf[at]):#04x} at byte {offset + at}{hint}")
        ascii_so_far = ascii_so_far and not (block >= 128).any()
        if not ascii_so_far:
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(block.tobytes(), final=a + _BLOCK >= len(buf))
            except UnicodeDecodeError as exc:
                at = min(a - pending + exc.start, len(buf) - 1)
                raise InputFileError(
                    f"{name} line {line + line_of(data, at)}: byte {int(buf[at]):#04x} at offset {offset + at} is not "
                    "UTF-8; save the file as UTF-8 (or UTF-16/32 with a byte-order mark)") from None
    return data


def read_text(name, what="input"):
    """The decoded text of a (possibly compressed) file, a pipe or ``-``; errors as in :func:`utf8`."""
    name = os.fspath(name)
    data, _ = decompress(read_bytes(name, what), name)
    return utf8(data, name).decode("utf-8", "surrogatepass")


_SPLIT = re.compile(r"[ \t\r\x0b\x0c,]+")  # the separators of edge lists; no Unicode spaces
_TRAILING_COMMENT = re.compile(r"(?:^|[ \t])#")


def table_rows(text, name):
    """(line number, fields) of the data lines of a small table (seeds, APs, capacities, ...).

    Blank lines and lines starting with ``#`` are skipped. A line with a double quote
    is CSV, parsed by the csv module (what :func:`seedwise._output.csv_text` writes,
    so ids holding ``,`` ``;`` ``#`` ``"`` or spaces come back exactly); any other line
    is split at runs of commas, spaces and tabs, and `` #`` starts a comment.
    """
    out = []
    # lines end at "\n" only (str.splitlines would also cut at U+2028 or U+0085 inside an id)
    for lineno, line in enumerate(text.split("\n"), 1):
        line = line[:-1] if line.endswith("\r") else line
        stripped = line.strip(" \t\r\x0b\x0c")
        if not stripped or stripped[0] == "#":
            continue
        if '"' in line:
            delimiter = "\t" if "\t" in line and "," not in line else ","
            try:
                fields = next(csv.reader([line], delimiter=delimiter, skipinitialspace=True, strict=True))
            except csv.Error as exc:
                raise InputFileError(f"{name} line {lineno}: bad CSV quoting ({exc})") from None
        else:
            m = _TRAILING_COMMENT.search(stripped)
            if m is not None:
                stripped = stripped[:m.start()]
            fields = [x for x in _SPLIT.split(stripped) if x]
        if fields:
            out.append((lineno, fields))
    return out


@contextlib.contextmanager
def spooled(name, what="input"):
    """A regular-file path holding the bytes of ``name``: ``name`` itself, or for a pipe, FIFO or
    ``-`` a temporary copy read to the end (so that readers may open it twice, sniff it and map
    it). Messages raised inside name ``name``, never the copy; warnings likewise."""
    import tempfile
    import warnings

    st = check_readable(name, what)
    if st is not None and stat.S_ISREG(st.st_mode):
        yield name
        return
    with tempfile.TemporaryDirectory(prefix="seedwise-stream-") as tmp:
        copy = os.path.join(tmp, "input")
        with open(copy, "wb") as f:
            for chunk in stream_chunks(name):
                f.write(chunk)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                yield copy
            except (InputFileError, ValueError, OSError) as exc:
                exc.args = tuple(a.replace(copy, name) if isinstance(a, str) else a for a in exc.args)
                if getattr(exc, "filename", None) == copy:
                    exc.filename = name
                raise
        for w in caught:
            warnings.warn_explicit(str(w.message).replace(copy, name), w.category, w.filename, w.lineno)
