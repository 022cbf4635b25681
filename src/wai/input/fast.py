"""The fast path of text files: a block of plain lines parsed by pandas' C parser.

:class:`wai.input.records.TextRecords` reads a text table record by record
with Python's :mod:`csv` module, which knows every way a file can go wrong
and says so. Most blocks of a large file have none of them: no quote, no
NUL, no lone carriage return, text in the encoding, every line as many cells
as the header or a blank line. :func:`plain_block` checks that with a few
passes over the bytes at C speed and, if it holds, parses the block with
pandas' C parser, cells as text. The cells are then exactly those the
record loop reads (the same text before stripping, the same row numbers),
so the two paths give the same rows; a block that fails any check is read
by the record loop, which gives the messages.

A block falls back to the record loop when it holds:

* a double quote anywhere (quoting, quoted line breaks, doubled quotes);
* a NUL byte, or a carriage return not followed by a line feed;
* bytes that do not decode in the file's encoding (or any non-ASCII byte
  in an encoding other than UTF-8, cp1252, latin-1, ISO 8859-15);
* a UTF-8 byte-order mark at the start of the block;
* a line at least as long as the CSV field limit (an over-long cell);
* a line with fewer cells than the header that is not blank, or with more
  whose extra cells are not blank (ragged rows: the record loop reports
  them);
* anything pandas reads differently from what the counts of lines and
  delimiters say (a safety net: the row count and width must agree).

Files in an encoding other than those, with a delimiter other than
``, ; tab |``, are read by the record loop throughout.

Examples
--------
>>> block = plain_block(b"a,b\\n\\n c ,\\n", sep=",", width=2, codec="utf-8", limit=131072)
>>> [list(column) for column in block.columns], block.lines.tolist(), block.n_lines
([['a', ' c '], ['b', '']], [0, 2], 3)
>>> plain_block(b'a,"b"\\n', sep=",", width=2, codec="utf-8", limit=131072) is None
True
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Plain", "plain_block", "fast_codec", "FAST_DELIMITERS"]

FAST_DELIMITERS = ",;\t|"
"""Delimiters the fast path reads; with another one the record loop reads the whole file."""

_SINGLE_BYTE = frozenset({"ascii", "cp1252", "iso8859-1", "iso8859-15"})
_UTF8 = frozenset({"utf-8", "utf-8-sig"})
_SPACE = b" \t\r\n\x0b\x0c"  # ASCII whitespace: str.strip removes these (and more)
_BOM = codecs.BOM_UTF8


def fast_codec(codec: str) -> bool:
    """Whether the fast path can read text in ``codec``: one byte per ASCII character, newline 0x0A.

    >>> [fast_codec(c) for c in ("utf-8-sig", "latin-1", "cp1252", "utf-16", "shift_jis")]
    [True, True, True, False, False]
    """
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return False
    return name in _UTF8 or name in _SINGLE_BYTE


@dataclass(frozen=True)
class Plain:
    """A block read by the fast path.

    Attributes
    ----------
    columns : list of pandas.Series
        The raw text of each of the header's ``width`` columns (not stripped),
        one value per line kept.
    lines : numpy.ndarray
        Index, within the block, of the line each value comes from (blank
        lines with fewer cells than the header are left out, as the record
        loop leaves them out).
    n_lines : int
        Lines (records) in the block.
    """

    columns: list[pd.Series]
    lines: np.ndarray
    n_lines: int


def _utf8(buf: bytes, codec: str) -> bytes | None:
    """The block as UTF-8 bytes, or None if it does not decode strictly."""
    if buf.isascii():
        return buf
    name = codecs.lookup(codec).name
    try:
        text = buf.decode("utf-8" if name in _UTF8 else name, errors="strict")
    except UnicodeError:
        return None
    return buf if name in _UTF8 else text.encode("utf-8")


def _bounds(buf: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (the newline's position, or the block's end) of every line."""
    nl = np.flatnonzero(np.frombuffer(buf, dtype=np.uint8) == 10)
    ends = nl if buf.endswith(b"\n") else np.append(nl, len(buf))
    starts = np.empty(len(ends), dtype=np.int64)
    if len(ends):
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
    return starts, ends


def _without(buf: bytes, starts: np.ndarray, ends: np.ndarray, drop: np.ndarray) -> bytes:
    """The block without the lines at the positions ``drop`` (each with its newline)."""
    pieces, at = [], 0
    for i in drop.tolist():
        pieces.append(buf[at:int(starts[i])])
        at = int(ends[i]) + 1
    pieces.append(buf[at:])
    return b"".join(pieces)


def plain_block(buf: bytes, *, sep: str, width: int, codec: str, limit: int) -> Plain | None:
    """The cells of a block of whole lines, if it is plain; None if the record loop must read it.

    Parameters
    ----------
    buf : bytes
        Whole lines of the file, each ending in a newline except, at the end
        of the file, the last.
    sep : str
        The delimiter, one of :data:`FAST_DELIMITERS`.
    width : int
        The header's cells.
    codec : str
        The file's encoding.
    limit : int
        The CSV field limit (characters): a line this long may hold a cell
        over it, which the record loop reports.

    Returns
    -------
    Plain or None
    """
    if b'"' in buf or b"\x00" in buf or buf.startswith(_BOM):
        return None
    if b"\r" in buf and buf.count(b"\r") != buf.count(b"\r\n"):
        return None
    utf8 = _utf8(buf, codec)
    if utf8 is None or utf8.startswith(_BOM):
        return None
    buf = utf8
    starts, ends = _bounds(buf)
    n_lines = len(ends)
    if n_lines == 0 or int((ends - starts).max()) >= limit:
        return None
    sep_byte = ord(sep)
    data = np.frombuffer(buf, dtype=np.uint8)
    lines = np.arange(n_lines)
    read = width
    if int(np.count_nonzero(data == sep_byte)) != (width - 1) * n_lines:
        per_line = np.diff(np.searchsorted(np.flatnonzero(data == sep_byte), ends), prepend=0)
        short = np.flatnonzero(per_line < width - 1)
        blank_chars = _SPACE + bytes([sep_byte])
        if any(buf[int(starts[i]):int(ends[i])].translate(None, blank_chars) for i in short.tolist()):
            return None  # fewer cells than the header, not blank: a problem the record loop words
        if len(short):
            keep = np.ones(n_lines, dtype=bool)
            keep[short] = False
            lines = lines[keep]
            buf = _without(buf, starts, ends, short)
        read = max(width, int(per_line.max()) + 1)
        del per_line
    del data, starts, ends
    columns = _parse(buf, sep, read, len(lines))
    if columns is None:
        return None
    for extra in columns[width:]:  # cells right of the header's: the record loop drops blank ones
        if any(str(u).strip() for u in pd.unique(extra)):
            return None
    return Plain(columns[:width], lines, n_lines)


def _parse(buf: bytes, sep: str, read: int, expected: int) -> list[pd.Series] | None:
    """``read`` columns of text from pandas' C parser, or None if it reads another shape."""
    if not buf:
        return [pd.Series([], dtype=object) for _ in range(read)] if expected == 0 else None
    options = dict(sep=sep, header=None, names=list(range(read)), index_col=False, na_filter=False,
                   keep_default_na=False, skip_blank_lines=False, skipinitialspace=False,
                   quoting=3, engine="c", encoding="utf-8", encoding_errors="strict")
    inferred = _infers_text()
    try:
        # pandas 3 builds text columns fastest when it infers them; columns it reads as
        # numbers or booleans ("01" as 1) are read again as text
        frame = pd.read_csv(io.BytesIO(buf), dtype=None if inferred else object, **options)
        other = [c for c in frame.columns if not _is_text(frame[c])]
        if other:
            again = pd.read_csv(io.BytesIO(buf), dtype=object, usecols=other, **options)
            for c in other:
                frame[c] = again[c]
    except (ValueError, pd.errors.ParserError, UnicodeError):
        return None
    if frame.shape != (expected, read):
        return None
    return [frame[c] for c in frame.columns]


def _infers_text() -> bool:
    """Whether pandas gives text its own dtype (``str``, pandas 3) rather than object."""
    return not pd.api.types.is_object_dtype(pd.Series(["a"]).dtype)


def _is_text(column: pd.Series) -> bool:
    if isinstance(column.dtype, pd.StringDtype):
        return True
    return bool(column.dtype == object and all(isinstance(v, str) for v in pd.unique(column)))
