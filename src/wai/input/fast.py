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
>>> block = plain_block(b"a,b\\n\\n c ,\\n", 3, sep=",", width=2, codec="utf-8", limit=131072)
>>> [[uniques[k] for k in codes] for codes, uniques in block.columns], block.lines.tolist()
([['a', ' c '], ['b', '']], [0, 2])
>>> plain_block(b'a,"b"\\n', 1, sep=",", width=2, codec="utf-8", limit=131072) is None
True
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

__all__ = ["Plain", "plain_block", "fast_codec", "factorize", "newlines", "FAST_DELIMITERS"]

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
    columns : list of (numpy.ndarray, sequence of str)
        Each of the header's ``width`` columns as codes into its distinct
        raw cells (not stripped), one code per line kept.
    lines : numpy.ndarray
        Index, within the block, of the line each value comes from (blank
        lines with fewer cells than the header are left out, as the record
        loop leaves them out).
    n_lines : int
        Lines (records) in the block.
    """

    columns: list[tuple[np.ndarray, Sequence[Any]]]
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


def newlines(buf: bytes) -> np.ndarray:
    """Positions of the line feeds in ``buf``."""
    return np.flatnonzero(np.frombuffer(buf, dtype=np.uint8) == 10)


def _bounds(buf: bytes, nl: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (the newline's position, or the block's end) of every line."""
    nl = newlines(buf) if nl is None else nl
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


def plain_block(buf: bytes, n_lines: int, *, sep: str, width: int, codec: str,
                limit: int, end: int | None = None) -> Plain | None:
    """The cells of a block of whole lines, if it is plain; None if the record loop must read it.

    Parameters
    ----------
    buf : bytes
        Whole lines of the file, each ending in a newline except, at the end
        of the file, the last.
    n_lines : int
        The lines in ``buf``.
    sep : str
        The delimiter, one of :data:`FAST_DELIMITERS`.
    width : int
        The header's cells.
    codec : str
        The file's encoding.
    limit : int
        The CSV field limit (characters): a block with a cell this long is
        left to the record loop, which reports it.
    end : int, optional
        The block is ``buf[:end]`` (default: all of ``buf``), read without a copy.

    Returns
    -------
    Plain or None
    """
    end = len(buf) if end is None else end
    if n_lines == 0 or buf.find(b'"', 0, end) >= 0 or buf.find(b"\x00", 0, end) >= 0:
        return None
    if buf.startswith(_BOM) or (buf.find(b"\r", 0, end) >= 0
                                and buf.count(b"\r", 0, end) != buf.count(b"\r\n", 0, end)):
        return None
    if not buf.isascii():  # (all of buf: if it is, so is the block)
        utf8 = _utf8(buf[:end], codec)
        if utf8 is None or utf8.startswith(_BOM):
            return None
        buf = utf8
        end = len(buf)
    sep_byte = ord(sep)
    data = np.frombuffer(buf, dtype=np.uint8, count=end)
    lines = np.arange(n_lines)
    read = width
    if int(np.count_nonzero(data == sep_byte)) != (width - 1) * n_lines:
        buf = buf[:end]
        starts, ends = _bounds(buf, None)
        if len(ends) != n_lines:
            return None
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
            end = len(buf)
        read = max(width, int(per_line.max()) + 1)
        del per_line, starts, ends
    del data
    parsed = _parse(memoryview(buf)[:end], sep, read, len(lines))
    del buf
    if parsed is None:
        return None
    columns = []
    for j, values in enumerate(parsed):
        codes, uniques = factorize(values)
        if any(len(u) >= limit for u in uniques):
            return None  # a cell over the field limit: the record loop names it
        if j >= width:  # cells right of the header's: the record loop drops blank ones
            if any(u.strip() for u in uniques):
                return None
        else:
            columns.append((codes, uniques))
    return Plain(columns, lines, n_lines)


def factorize(values: Any) -> tuple[np.ndarray, Sequence[Any]]:
    """Codes and distinct values of a column without blanks (an arrow-backed one by arrow).

    >>> codes, uniques = factorize(pd.Series(["b", "a", "b"], dtype=object))
    >>> codes.tolist(), list(uniques)
    ([0, 1, 0], ['b', 'a'])
    """
    chunks = getattr(getattr(values, "array", None), "_pa_array", None)
    if chunks is not None and getattr(chunks, "null_count", 1) == 0:
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(chunks).combine_chunks()
        return np.asarray(encoded.indices), encoded.dictionary.to_pylist()
    return pd.factorize(values)


def _parse(buf: memoryview, sep: str, read: int, expected: int) -> list[pd.Series] | None:
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
        frame = pd.read_csv(_Reader(buf), dtype=None if inferred else object, **options)
        other = [c for c in frame.columns if not _is_text(frame[c])]
        if other:
            again = pd.read_csv(_Reader(buf), dtype=object, usecols=other, **options)
            for c in other:
                frame[c] = again[c]
    except (ValueError, pd.errors.ParserError, UnicodeError):
        return None
    if frame.shape != (expected, read):
        return None
    return [frame[c] for c in frame.columns]


class _Reader(io.RawIOBase):
    """A binary file over a memoryview, read in pieces (pandas' parser asks for 256 KiB at a time)."""

    def __init__(self, view: memoryview):
        self.view, self.at = view, 0

    def readable(self) -> bool:
        return True

    def readinto(self, into: Any) -> int:
        piece = self.view[self.at:self.at + len(into)]
        into[:len(piece)] = piece
        self.at += len(piece)
        return len(piece)


def _infers_text() -> bool:
    """Whether pandas gives text its own dtype (``str``, pandas 3) rather than object."""
    return not pd.api.types.is_object_dtype(pd.Series(["a"]).dtype)


def _is_text(column: pd.Series) -> bool:
    if isinstance(column.dtype, pd.StringDtype):
        return True
    return bool(column.dtype == object and all(isinstance(v, str) for v in pd.unique(column)))
