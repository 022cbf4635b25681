"""The one record loop of text files, read whole or in chunks.

:class:`TextRecords` reads a text table (``.csv``, ``.txt``, ``.tsv``) as
:func:`wai.input.readers.read_responses` and
:func:`wai.input.chunked.count_csv` both read it:

* decoding: UTF-8 with or without a byte-order mark by default (UTF-16 and
  UTF-32 with one are recognised), strictly, an undecodable byte reported
  with its offset and line, a NUL character with its line;
* the delimiter: given, or tab for ``.tsv``, or detected among ``, ; tab |``
  from the first 16384 characters;
* quoting: Python's :mod:`csv` with double quotes, doubled quotes inside
  them, quoted line breaks, blanks after a delimiter skipped;
* rows numbered as a spreadsheet shows them: each record is a row (a quoted
  cell over several lines is one), the header (the first record that is not
  blank) included, so the first respondent under a header on line 1 is row 2;
* ragged rows: a row may end in extra blank cells; otherwise a row with more
  or fewer cells than the header is a problem, and the row is left out;
* cells: text stripped, blanks as ``None``; rows whose cells are all blank
  are left out, keeping the numbers of the others.

In a file in UTF-8, cp1252, latin-1 or ISO 8859-15 with a delimiter among
``, ; tab |``, blocks of plain lines (no quote, NUL, lone carriage return,
undecodable byte, over-long or ragged line) are parsed by pandas' C parser
instead (:mod:`wai.input.fast`), giving the same cells and row numbers; the
loop reads every other block, so its problems are worded as ever.

Iterating :meth:`TextRecords.chunks` gives the rows in chunks of columns,
each distinct cell of a column held once per batch of 4096 records; the
problems of the file's shape (:meth:`TextRecords.shape_problems`) are known
once every record is read.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
>>> _ = path.write_text('g;q1\\nb;High\\n\\na;"two\\nlines"\\nb\\n')
>>> with TextRecords(path, "a.csv") as records:
...     names = records.header()
...     chunks = [(list(columns["q1"]), rows.tolist()) for columns, rows in records.chunks(2)]
...     problems = [str(p) for p in records.shape_problems()]
>>> names, chunks
(['g', 'q1'], [(['High', 'two\\nlines'], [2, 4])])
>>> problems
["a.csv, row 5: got '1 cell', expected 2 cells, as in the header (row 1) (a cell or a delimiter is missing; the delimiter was detected as ';': pass --delimiter if that is wrong)"]
"""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from wai._checks import is_blank, missing_columns
from wai.errors import InputError, Problem
from wai.input.fast import FAST_DELIMITERS, fast_codec, plain_block

__all__ = ["TextRecords", "RowNumbers", "frame_of", "cell", "header_name", "fail", "short_error",
           "choose_delimiter", "DELIMITERS", "NEEDS_DATA"]

DELIMITERS = ",;\t|"
"""The delimiters a text file's delimiter is detected among."""

NEEDS_DATA = "a header row and at least one respondent"

_SNIFF_CHARS = 16_384  # characters the delimiter is detected from
_SNIFF_LINES = 40
_BATCH_ROWS = 4096  # raw records turned into columns at a time
_BLOCK_BYTES = 16 * 2**20  # bytes of lines the fast path parses at a time
_BLOCK_ROWS = 65536  # records the record loop reads for a block the fast path does not take
_BLOCK_MIN_ROWS = 1024  # lines the fast path reads at a time, at least
_DELIMITER_NAMES = {"\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}

Columns = dict[str, Any]  # name -> object array (or pandas.Categorical, for the columns asked so)



# ---------------------------------------------------------------------------
# cells, names and problems, as every reader gives them

class RowNumbers(Sequence[int]):
    """The file row of each respondent of a frame, kept in ``frame.attrs["source_rows"]``.

    Immutable, and copied by reference: pandas deep-copies ``attrs`` on
    every column access and compares them with ``==`` when concatenating,
    which a plain list makes slow on large files and a numpy array breaks.

    >>> rows = RowNumbers([2, 4, 5])
    >>> len(rows), rows[1], rows == [2, 4, 5], rows[1:].tolist()
    (3, 4, True, [4, 5])
    """

    __slots__ = ("_rows",)

    def __init__(self, rows: Iterable[int]):
        self._rows = np.asarray(list(rows) if not isinstance(rows, np.ndarray) else rows, dtype=np.int64)
        self._rows.setflags(write=False)

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return RowNumbers(self._rows[index])
        return int(self._rows[index])

    def __iter__(self):
        return iter(self._rows.tolist())

    def __eq__(self, other: object) -> bool:
        try:
            return bool(np.array_equal(self._rows, np.asarray(other)))
        except (TypeError, ValueError):
            return False

    __hash__ = None  # type: ignore[assignment]

    def __copy__(self) -> "RowNumbers":
        return self

    def __deepcopy__(self, memo: dict) -> "RowNumbers":
        return self

    def __array__(self, dtype=None, copy=None):
        return self._rows if dtype is None else self._rows.astype(dtype)

    def tolist(self) -> list[int]:
        return self._rows.tolist()

    def __repr__(self) -> str:
        if len(self) <= 10:
            return f"RowNumbers({self._rows.tolist()!r})"
        return f"RowNumbers(<{len(self)} rows>)"


def cell(value: Any) -> Any:
    """A cell as a frame holds it: stripped text, plain numbers, ``None`` for blanks.

    >>> [cell(v) for v in ["  a ", " ", np.float64(3.0), 2.5, float("nan"), np.int16(4), pd.NaT]]
    ['a', None, 3, 2.5, None, 4, None]
    """
    if is_blank(value):
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return int(number) if number.is_integer() else number
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def header_name(value: Any) -> str:
    """A header cell as a column name: stripped text, ``""`` for a blank."""
    value = cell(value)
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


def fail(name: str, value: Any, expected: str, hint: str = "") -> InputError:
    """An InputError holding one problem about the whole file, to raise."""
    return InputError([Problem(name, None, None, value, expected, hint)])


def short_error(exc: BaseException) -> str:
    """An exception as a short value for a problem: its type and the start of its message."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def cells(n: int) -> str:
    return f"{n} cell" if n == 1 else f"{n} cells"


def frame_of(columns: Columns, rows: Sequence[int] | np.ndarray, name: str) -> pd.DataFrame:
    """An object frame of columns, with ``attrs["source_file"]`` and ``attrs["source_rows"]``."""
    if all(isinstance(v, np.ndarray) for v in columns.values()):
        frame = pd.DataFrame(columns, dtype=object, copy=False)
    else:  # categorical columns stay categorical
        frame = pd.DataFrame({c: pd.Series(v, dtype=object, copy=False) if isinstance(v, np.ndarray) else v
                              for c, v in columns.items()}, copy=False)
    frame.attrs["source_file"] = name
    # RowNumbers, not a list: pandas deep-copies attrs on every column access
    frame.attrs["source_rows"] = RowNumbers(rows)
    return frame


def _categorical(codes: np.ndarray, found: np.ndarray) -> pd.Categorical:
    """A column of codes into cells (``found``, None for a blank) as a Categorical, blanks missing."""
    categories = sorted({v for v in found.tolist() if v is not None})
    index = {v: i for i, v in enumerate(categories)}
    kind = np.int8 if len(categories) < 127 else np.int32
    remap = np.array([-1 if v is None else index[v] for v in found.tolist()], dtype=kind)
    dtype = pd.CategoricalDtype(pd.Index(categories, dtype=object))
    # the codes are those of the categories by construction: no check of them
    return pd.Categorical.from_codes(remap[codes] if len(remap) else codes.astype(kind), dtype=dtype,
                                     validate=False)


def _nth_line_end(buf: bytes, n: int) -> tuple[int, int]:
    """Where the ``n``-th whole line of ``buf`` ends (after its line feed), and the lines up to there.

    With fewer than ``n`` line feeds: the end of the last whole line, and their number.

    >>> _nth_line_end(b"a\\nb\\nc", 1), _nth_line_end(b"a\\nb\\nc", 5), _nth_line_end(b"a", 5)
    ((2, 1), (4, 2), (0, 0))
    """
    data = np.frombuffer(buf, dtype=np.uint8)
    total = int(np.count_nonzero(data == 10))
    if total <= n:
        return buf.rfind(b"\n") + 1, total
    after = total - n  # line feeds after the n-th: found from the end, listing only the last few
    span = int(len(buf) * (after + 1) / total * 1.5) + 4096
    while True:
        start = max(0, len(buf) - span)
        tail = np.flatnonzero(data[start:] == 10)
        if len(tail) > after:
            return start + int(tail[len(tail) - after - 1]) + 1, n
        span *= 2


def _joined(pieces: list[Any]) -> Any:
    """The parts of one column, one after the other."""
    if len(pieces) == 1:
        return pieces[0]
    if isinstance(pieces[0], pd.Categorical):
        return pd.api.types.union_categoricals(pieces, sort_categories=True)
    return np.concatenate(pieces)


def choose_delimiter(text: str, name: str, delimiter: str | None, tab: bool) -> tuple[str, bool]:
    """The delimiter, and whether it was detected (rather than given)."""
    if delimiter is not None:
        chosen = delimiter
        if isinstance(delimiter, str):
            chosen = _DELIMITER_NAMES.get(delimiter.lower(), delimiter)
        if not isinstance(chosen, str) or len(chosen) != 1 or chosen in '"\r\n':
            raise fail(name, delimiter, "one character as the delimiter",
                       "e.g. ',', ';', '|' or '\\t' (tab)")
        return chosen, False
    if tab:
        return "\t", False
    lines = []
    for line in io.StringIO(text[:_SNIFF_CHARS], newline=""):
        if line.strip():
            lines.append(line)
            if len(lines) >= _SNIFF_LINES:
                break
    if not lines:
        return ",", True
    in_header = {c: lines[0].count(c) for c in DELIMITERS}
    if not any(in_header.values()):
        return ",", True  # one column, by the header
    try:
        found = csv.Sniffer().sniff("".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = None
    if found in in_header and in_header[found]:
        return found, True
    # Nothing detected, or a delimiter the header does not use: take the header's commonest.
    return max(DELIMITERS, key=lambda c: in_header[c]), True  # ties: the earlier in DELIMITERS


def _unclosed_quote(tail: str, sep: str) -> bool:
    """Whether the last record, read strictly, ends inside a quoted cell."""
    try:
        list(csv.reader(io.StringIO(tail, newline=""), delimiter=sep, quotechar='"',
                        doublequote=True, skipinitialspace=True, strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


# ---------------------------------------------------------------------------
# the record loop

class TextRecords:
    """The records of a text file: its header, then its rows in chunks of columns.

    Use as a context manager (the file is closed on leaving it). Opening
    checks the encoding and finds the delimiter; :meth:`header` reads up to
    the header; :meth:`chunks` reads the rows. Problems with the file as a
    whole (a missing or undecodable file, NUL characters, no header) are
    raised as they are met; problems with its shape (rows with too many or
    too few cells, an unclosed quote, repeated or missing column names, no
    rows under the header) are collected, and :meth:`shape_problems` lists
    them, in file order, once the rows are read. ``malformed`` says whether
    any was found so far.
    """

    def __init__(self, p: Path, name: str, *, encoding: str | None = None,
                 delimiter: str | None = None, tab: bool = False):
        self.p, self.name, self.encoding = Path(p), name, encoding
        self.codec = self._codec()
        try:
            io.TextIOWrapper(io.BytesIO(), encoding=self.codec)  # LookupError if not a text codec
        except LookupError as exc:
            raise fail(name, short_error(exc), f"text in the {encoding} encoding",
                       "pass the file's encoding with --encoding") from None
        head = self._guard(self._head)
        self.sep, detected = choose_delimiter(head, name, delimiter, tab)
        self.also = ""
        if detected:
            self.also = (f"; the delimiter was detected as {self.sep!r}: "
                         "pass --delimiter if that is wrong")
        try:
            self.raw = open(self.p, "rb")
        except OSError as exc:
            raise fail(name, short_error(exc), "a readable file") from None
        self.text = io.TextIOWrapper(self.raw, encoding=self.codec, newline="", errors="strict")
        # the fast path (wai.input.fast): blocks of plain lines read by pandas' C parser
        self.fast = fast_codec(self.codec) and self.sep in FAST_DELIMITERS
        self.categorical: frozenset[str] = frozenset()  # columns a chunk gives as pandas.Categorical
        self.wanted: frozenset[str] | None = None  # columns a chunk gives (None: all)
        self.offset = 0  # bytes of the file read so far by the record loop and the fast path
        self.newlines = 0  # line feeds read so far
        self.fast_blocks = 0  # blocks read by the fast path, and by the record loop
        self.careful_blocks = 0
        self._line_bytes = 64.0  # bytes per line, as last seen
        self._attached = True  # self.text reads self.raw
        self.last_lines: list[str] = []
        self.lines: list[str] = []  # lines of the record being read
        self.reader = self._csv(start=True)
        self.number = 0  # records read, the header's and blank ones included
        self.header_row = 0
        self.names: list[str] = []  # header cells, blank ones "" (trailing blank ones dropped)
        self.width = 0
        self.rows = 0  # rows kept so far
        self.row_problems: list[Problem] = []
        self.unnamed_used: dict[int, int] = {}  # blank-named column -> first row holding a value
        self.duplicates: list[tuple[int, int]] = []  # (first, repeated) column positions
        self.failed = False  # the csv module stopped at an error
        self.done = False
        self._iter: Iterator[list[str]] = iter(())

    def __enter__(self) -> "TextRecords":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    @property
    def malformed(self) -> bool:
        """Whether a problem with the file's shape was found so far."""
        return bool(self.row_problems or self.duplicates or self.unnamed_used)

    # -- encoding -----------------------------------------------------------------------
    def _codec(self) -> str:
        if self.encoding is None:
            try:
                with open(self.p, "rb") as f:
                    start = f.read(4)
            except OSError as exc:
                raise fail(self.name, short_error(exc), "a readable file") from None
            if start.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
                return "utf-32"
            if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return "utf-16"
            return "utf-8-sig"
        try:
            codecs.lookup(self.encoding)
        except (LookupError, TypeError):
            raise fail(self.name, self.encoding, "the name of a text encoding",
                       "e.g. utf-8, cp1252, latin-1 or utf-16") from None
        return self.encoding

    def _head(self) -> str:
        with open(self.p, encoding=self.codec, newline="", errors="strict") as f:
            return f.read(_SNIFF_CHARS + 1).removeprefix("\ufeff")[:_SNIFF_CHARS]

    def _guard(self, read: Callable[[], Any]) -> Any:
        try:
            return read()
        except UnicodeDecodeError:
            raise self._decode_failure() from None
        except UnicodeError as exc:
            raise fail(self.name, short_error(exc), f"text in the {self.encoding} encoding",
                       "pass the file's encoding with --encoding") from None
        except OSError as exc:
            raise fail(self.name, short_error(exc), "a readable file") from None

    def _decode_failure(self) -> InputError:
        """Where the file stops decoding: found by decoding it again, block by block."""
        codec, skip = self.codec, 0
        with open(self.p, "rb") as f:
            if codec == "utf-8-sig":  # decode as UTF-8 after the mark, so offsets are the file's
                codec = "utf-8"
                skip = len(codecs.BOM_UTF8) if f.read(3) == codecs.BOM_UTF8 else 0
            f.seek(skip)
            decoder = codecs.getincrementaldecoder(codec)(errors="strict")
            cp1252 = codecs.getincrementaldecoder("cp1252")(errors="strict")
            guess_ok = self.encoding is None
            offset, lines, where = skip, 0, None
            while True:
                block = f.read(1 << 20)
                if where is None:
                    pending = decoder.getstate()[0]
                    try:
                        decoder.decode(block, final=not block)
                    except UnicodeDecodeError as exc:
                        where = offset - len(pending) + exc.start
                        lines += block.count(b"\n", 0, max(0, where - offset))
                    else:
                        lines += block.count(b"\n")
                if guess_ok:
                    try:
                        cp1252.decode(block, final=not block)
                    except UnicodeDecodeError:
                        guess_ok = False
                offset += len(block)
                if not block or (where is not None and not guess_ok):
                    break
            where = offset if where is None else where
            f.seek(max(0, where - 100))
            near = f.read(200)
        rel = where - max(0, where - 100)
        value = f"offset {where}"
        if rel < len(near):
            value = f"byte 0x{near[rel]:02x} at {value}"
        if not codecs.lookup(codec).name.startswith(("utf-16", "utf-32")):  # lines are bytes
            begin = near.rfind(b"\n", 0, rel) + 1
            end = near.find(b"\n", rel)
            end = len(near) if end < 0 else end
            around = near[max(begin, rel - 30):min(end, rel + 30)]
            value += f" (line {lines + 1}: {around.decode(codec, 'replace').strip()!r})"
        if self.encoding is None:
            guess = "cp1252" if guess_ok else "latin-1"
            return fail(self.name, value, "text in UTF-8",
                        f"pass the file's encoding, e.g. --encoding {guess}")
        return fail(self.name, value, f"text in the {self.encoding} encoding",
                    "pass the file's encoding with --encoding")

    def _csv(self, start: bool) -> Any:
        return csv.reader(self._line_source(start), delimiter=self.sep, quotechar='"',
                          doublequote=True, skipinitialspace=True, strict=False)

    def _line_source(self, first: bool) -> Iterator[str]:
        """Lines of the text, counted (lines, line feeds, and bytes for the fast path)."""
        codec = "utf-8" if codecs.lookup(self.codec).name == "utf-8-sig" else self.codec
        if first and self.fast and codec != self.codec:  # the mark the utf-8-sig decoder skips
            with open(self.p, "rb") as f:
                self.offset = len(codecs.BOM_UTF8) if f.read(3) == codecs.BOM_UTF8 else 0
        for line in self.text:
            if self.fast:
                self.offset += len(line) if line.isascii() else len(line.encode(codec))
            if first:
                line = line.removeprefix("\ufeff")
                first = False
            if "\x00" in line:
                raise fail(self.name, f"NUL characters (the first on line {self.newlines + 1})",
                           "a text file",
                           "a UTF-16 file without a byte-order mark needs --encoding utf-16-le "
                           "(or utf-16-be); otherwise this is not a text file")
            if line.endswith("\n"):
                self.newlines += 1
            self.lines.append(line)
            yield line

    def bytes_read(self) -> int:
        """Bytes of the file read so far (for a progress bar)."""
        try:
            return self.raw.tell()
        except (OSError, ValueError):
            return 0

    # -- records ------------------------------------------------------------------------
    def _records(self) -> Iterator[list[str]]:
        """Records of the file, keeping the count and the lines of the last."""
        try:
            for record in self.reader:
                self.number += 1
                self.last_lines, self.lines = self.lines, []
                yield record
        except csv.Error as exc:
            self.failed = True
            self.row_problems.append(self._csv_problem(exc))

    def _csv_problem(self, exc: csv.Error) -> Problem:
        """The problem the csv module stopped at: a cell over its field limit names its column."""
        row = self.number + 1
        if "field larger" not in str(exc):
            return Problem(self.name, row, None, short_error(exc), "cells of a text table",
                           "a quote opened in this row may never be closed")
        limit, text = csv.field_size_limit(), "".join(self.lines)
        try:
            csv.field_size_limit(max(limit, len(text) + 1))
            record = next(csv.reader(io.StringIO(text, newline=""), dialect=self.reader.dialect), [])
        except csv.Error:  # pragma: no cover - the text parsed once already, up to the limit
            record = [text]
        finally:
            csv.field_size_limit(limit)
        at = next((i for i, c in enumerate(record) if len(c) > limit), 0)
        names = self.names if self.header_row else []
        column = names[at] if at < len(names) and names[at] else (f"column {at + 1}" if names else None)
        what = "the header" if not self.header_row else "a cell"
        hint = ("the whole file on one line, or a quote never closed?" if not self.header_row
                else "a quote opened in this row may never be closed, or the cell is not an answer")
        return Problem(self.name, row, column, record[at] if record else text,
                       f"{what} of at most {limit:,} characters (the CSV field limit)", hint)

    def header(self) -> list[str]:
        """The column names (blank ones left out); raises on a file without a header.

        Repeated names are a problem of the file's shape; the rows are read
        all the same, the first column of a repeated name standing for it.
        """
        if self.header_row:
            return list(dict.fromkeys(c for c in self.names if c))
        self._iter = self._guard(self._start)
        first: dict[str, int] = {}
        for i, column in enumerate(self.names):
            if column and column in first:
                self.duplicates.append((first[column], i))
            elif column:
                first[column] = i
        return list(first)

    def check_header(self, columns: Iterable[str | None]) -> list[Problem]:
        """Problems the header alone shows for reading ``columns``: repeated names, missing columns.

        The repeated names stay problems of the file's shape (see
        :meth:`shape_problems`); missing columns name the nearest one.
        """
        names = self.header()
        return self._repeated() + missing_columns(columns, names, file=self.name)

    def _repeated(self) -> list[Problem]:
        return [Problem(self.name, self.header_row, self.names[i], self.names[i],
                        "distinct column names", f"column {first + 1} and column {i + 1} have this name")
                for first, i in self.duplicates]

    def _start(self) -> Iterator[list[str]]:
        records = self._records()
        for record in records:
            names = [header_name(c) for c in record]
            if not any(names):
                continue
            while names and not names[-1]:
                names.pop()
            self.names, self.header_row, self.width = names, self.number, len(names)
            return records
        if self.row_problems:  # stopped before any header: say why, not "an empty file"
            raise InputError(self.row_problems)
        raise fail(self.name, "an empty file", NEEDS_DATA)

    def chunks(self, size: int) -> Iterator[tuple[Columns, list[int]]]:
        """The rows in chunks: the columns of up to ``size`` records and the rows they hold.

        A chunk leaves out the rows with problems and the rows whose cells
        are all blank; one with no rows left is not yielded. Call
        :meth:`header` first.
        """
        while not self.done:
            chunk = self._guard(lambda: self._chunk(size))
            if chunk is not None:
                yield chunk
            del chunk  # before the next chunk is read: one chunk at a time

    def _chunk(self, size: int) -> tuple[Columns, np.ndarray] | None:
        """The next chunk (None if all its rows were blank or had problems).

        Read in blocks: by the fast path (:func:`wai.input.fast.plain_block`)
        where a block is plain, else by the record loop, ``size`` records in all.
        """
        parts: list[Columns] = []
        numbers: list[np.ndarray] = []  # rows kept so far, of every block
        taken = 0
        while taken < size and not self.done:
            want = size - taken
            got = None
            if self.fast:
                got = self._fast_block(want, max(_BLOCK_MIN_ROWS, int(_BLOCK_BYTES / self._line_bytes)),
                                       parts, numbers)
            if got is None:
                got = self._careful_block(want if not self.fast else min(want, _BLOCK_ROWS), parts, numbers)
            taken += got
        kept = np.concatenate(numbers) if numbers else np.zeros(0, dtype=np.int64)
        del numbers
        if not len(kept):
            return None
        self.rows += len(kept)
        columns = {}
        for column in list(parts[0]):
            pieces = [part.pop(column) for part in parts]
            columns[column] = _joined(pieces)
            del pieces
        return columns, kept

    def _lines(self, want: int, rows: int) -> tuple[bytes, int, int, bool]:
        """Bytes from ``offset``, where their first ``want`` whole lines end, how many there are,
        and whether they end the file (the bytes after the lines are read again for the next block).

        About ``rows`` lines are read; if that is fewer than ``want``, the
        block ends at the last whole line read, else exactly after ``want``.
        """
        exact = want <= rows
        ask = int(min(want, rows) * self._line_bytes * 1.05) + 65536 if exact else int(rows * self._line_bytes) + 1
        self.raw.seek(self.offset)
        buf = self.raw.read(ask)
        while True:
            eof = len(buf) < ask
            cut, found = _nth_line_end(buf, want)
            if found == want or eof or (found and not exact):
                break
            more = self.raw.read(ask)
            ask += ask
            buf += more
        if eof and found < want and cut < len(buf):  # the file's last line, without a line feed
            cut, found = len(buf), found + 1
        return buf, cut, found, eof and cut == len(buf)

    def _fast_block(self, want: int, rows: int, parts: list[Columns], numbers: list[np.ndarray]) -> int | None:
        """Read up to ``want`` lines (about ``rows`` at a time) by the fast path; None if they are
        not plain (nothing is read then).

        Returns the rows taken, as the record loop counts them (the lines of
        the header's width; not the blank lines with fewer cells).
        """
        if self._attached and not self.fast_blocks:  # until a block is read, lines as long as the header's
            self._line_bytes = max(8.0, self.offset / max(1, self.number))
        self._detach()  # the record loop's reader read ahead; the fast path reads the bytes
        buf, end, n_lines, eof = self._lines(want, rows)
        if not end:
            self.done = True
            return 0
        block = plain_block(buf, n_lines, sep=self.sep, width=self.width, codec=self.codec,
                            limit=csv.field_size_limit(), end=end)
        if block is None:
            return None
        self.fast_blocks += 1
        self.offset += end
        self._line_bytes = max(1.0, end / block.n_lines)
        self.newlines += n_lines if buf[end - 1] == 10 else n_lines - 1
        at = block.lines + (self.number + 1)
        self.number += block.n_lines
        self.last_lines = []
        self.done = eof
        del buf
        parts.append(self._part(block.columns.__getitem__, len(at), at, numbers))
        return len(at)

    def _careful_block(self, want: int, parts: list[Columns], numbers: list[np.ndarray]) -> int:
        """Read records with the record loop until ``want`` rows are taken; returns the rows taken.

        A row is taken if it has the header's width (cut to it, when the
        cells beyond are blank), even if blank; blank records of another
        width and records with problems are not.
        """
        if self.fast:  # a reader from where the fast path stopped
            self.raw.seek(self.offset)
            codec = "utf-8" if codecs.lookup(self.codec).name == "utf-8-sig" else self.codec
            self.text = io.TextIOWrapper(self.raw, encoding=codec, newline="", errors="strict")
            self._attached = True
            self.reader = self._csv(start=False)
            self._iter = self._records()
            self.careful_blocks += 1
        width = self.width
        taken = 0
        rows: list[list[str]] = []  # raw records of the batch being read
        at: list[int] = []  # their row numbers
        for record in self._iter:
            if len(record) != width:
                fitted = self._fit(record)
                if fitted is None:
                    continue
                record = fitted
            rows.append(record)
            at.append(self.number)
            taken += 1
            if len(rows) >= _BATCH_ROWS:
                parts.append(self._batch(rows, at, numbers))
                rows, at = [], []
            if taken >= want:
                break
        else:
            self.done = True
        if rows:
            parts.append(self._batch(rows, at, numbers))
        if self.fast:
            self._iter = iter(())
            self._detach()
        return taken

    def _detach(self) -> None:
        """Leave the file open, without the record loop's reader over it."""
        if self._attached:
            self.text.detach()
            self._attached = False

    def _fit(self, record: list[str]) -> list[str] | None:
        """A record of another width than the header's cut to it, or None (blank, or a problem)."""
        found = [cell(c) for c in record]
        used = len(found)
        while used and found[used - 1] is None:
            used -= 1
        if used == 0:
            return None  # a blank row
        expected = f"{cells(self.width)}, as in the header (row {self.header_row})"
        if used > self.width:
            self.row_problems.append(Problem(
                self.name, self.number, None, cells(used), expected,
                f"a cell holding {self.sep!r} needs double quotes around it{self.also}"))
            return None
        if len(found) < self.width:
            self.row_problems.append(Problem(
                self.name, self.number, None, cells(len(found)), expected,
                f"a cell or a delimiter is missing{self.also}"))
            return None
        return record[:self.width]

    def _batch(self, rows: list[list[str]], at: list[int], numbers: list[np.ndarray]) -> Columns:
        """The columns of a few thousand records of the record loop (see :meth:`_part`)."""
        raw = np.empty((len(rows), len(self.names)), dtype=object)
        raw[:] = rows
        rows.clear()  # the caller's list: its records are in raw now

        def column(j: int) -> tuple[np.ndarray, Sequence[Any]]:
            coded = pd.factorize(raw[:, j])
            raw[:, j] = None  # free this column's strings now
            return coded

        return self._part(column, len(raw), np.asarray(at, dtype=np.int64), numbers)

    def _part(self, column_of: Callable[[int], Any], n: int, at: np.ndarray,
              numbers: list[np.ndarray]) -> Columns:
        """Cells of a block of rows, all-blank rows left out.

        ``column_of(j)`` gives the header's j-th column as codes into its
        distinct raw cells.
        Text is stripped, blanks become None, and each distinct cell of a
        column is one object, so a chunk holds far fewer strings than
        cells. Row numbers of the rows kept are appended to ``numbers``.
        """
        coded: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        blank = np.arange(n)  # rows blank in every column so far (few, once a column is looked at)
        for j, name in enumerate(self.names):
            codes, uniques = column_of(j)
            found = np.empty(len(uniques), dtype=object)
            found[:] = [cell(u) for u in uniques]
            del uniques
            is_blank = np.fromiter((c is None for c in found), dtype=bool, count=len(found))
            if len(blank):
                blank = blank[is_blank[codes[blank]]] if is_blank.any() else blank[:0]
            if name and name not in coded and (self.wanted is None or name in self.wanted):
                coded[name] = (codes, found)
            elif not name and j not in self.unnamed_used and not is_blank.all():
                self.unnamed_used[j] = int(at[int(np.argmax(~is_blank[codes]))])
        if len(blank):
            keep = np.ones(n, dtype=bool)
            keep[blank] = False
            coded = {c: (codes[keep], found) for c, (codes, found) in coded.items()}
            at = at[keep]
        numbers.append(at)
        return {c: (_categorical(codes, found) if c in self.categorical else found[codes])
                for c, (codes, found) in coded.items()}

    def shape_problems(self) -> list[Problem]:
        """Problems of the file's shape, in file order; call once every chunk was read.

        The header's first (names missing over values, names repeated, by
        column), then the rows' (too many or too few cells, a quote never
        closed), then, if no row was left and no row had a problem, the
        header alone.
        """
        found = []
        repeated = {first_and_i[1]: p for first_and_i, p in zip(self.duplicates, self._repeated())}
        for i in range(len(self.names)):
            if i in self.unnamed_used:
                found.append(Problem(self.name, self.header_row, None, None,
                                     "a name for every column that holds values",
                                     f"column {i + 1} has no name but holds values, e.g. in row "
                                     f"{self.unnamed_used[i]}"))
            elif i in repeated:
                found.append(repeated[i])
        rows = list(self.row_problems)
        if (not self.failed and self.number and self.last_lines
                and _unclosed_quote("".join(self.last_lines), self.sep)):
            rows.append(Problem(self.name, self.number, None, "a quote that is never closed",
                                "a closing double quote for every opening one",
                                "the cell runs on to the end of the file"))
        if not self.rows and not rows:
            rows.append(Problem(self.name, self.header_row + 1, None, "only a header row",
                                "at least one respondent under the header"))
        return found + rows

    def close(self) -> None:
        try:
            self.text.close()
        except Exception:  # noqa: BLE001 - closing after a failed read
            pass
        self.raw.close()
