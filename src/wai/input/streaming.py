"""Counting files larger than memory: in chunks, or on a dask cluster.

Every estimate in :mod:`wai` is a function of the counts table that
:func:`wai.counting.count_items` returns, and counts add: the counts of the
chunks of a file sum to the counts of the file. This module uses that.

:func:`combine_counts`
    sums counts tables of chunks into the table of the whole;
:func:`count_csv`
    streams a text file in chunks of rows and returns exactly the table
    ``count_items(read_responses(path), ...)`` would, holding one chunk in
    memory at a time;
:func:`count_dask`
    counts each partition of a ``dask.dataframe.DataFrame`` where it lives
    and combines the partition tables on the client (needs
    ``pip install "wai[dask]"``).

Problems are collected from every chunk (or partition) and raised together
as one :class:`~wai.errors.InputError`, as the readers do.

Examples
--------
>>> import pandas as pd
>>> from wai.counting import count_items
>>> from wai.scales import LEVEL5
>>> frame = pd.DataFrame({"g": ["b", "a", "b", None], "q": ["High", "Low", "high", "Low"]})
>>> parts = [count_items(frame.iloc[:2], ["q"], LEVEL5, by="g"),
...          count_items(frame.iloc[2:], ["q"], LEVEL5, by="g")]
>>> combine_counts(parts, ["q"], by="g").equals(count_items(frame, ["q"], LEVEL5, by="g"))
True
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from wai.counting import count_items
from wai.errors import InputError, Problem
from wai.input.readers import (
    _NEEDS_DATA,
    SUFFIXES,
    RowNumbers,
    _cell,
    _cells,
    _choose_delimiter,
    _fail,
    _header_name,
    _short,
    _unclosed_quote,
)
from wai.scales import LikertScale

__all__ = ["combine_counts", "count_csv", "count_dask", "is_dask_frame", "PROGRESS_BYTES"]

PROGRESS_BYTES = 50 * 2**20
"""Files larger than this (bytes) show a progress bar by default when stderr is a terminal."""

_MAX_ROWS_PER_ANSWER = 20  # as wai.counting: rows listed per distinct unknown value
_MAX_PROBLEMS = 1000  # problems listed in all; the rest are summed up in one more
_BATCH_ROWS = 4096  # raw records turned into a chunk's columns at a time
_SNIFF_CHARS = 16_384  # characters the delimiter is detected from, as wai.input.readers
_MORE_ROWS = re.compile(r"^(\d+) more rows? holds? this answer$")
_TEXT_SUFFIXES = ", ".join(sorted(s for s, kind in SUFFIXES.items() if kind == "csv"))
_DASK_HINT = 'install it with: pip install "wai[dask]"'


# ---------------------------------------------------------------------------
# combining counts tables

def combine_counts(
    tables: Iterable[pd.DataFrame],
    items: Sequence[str],
    by: str | None = None,
    *,
    groups: Sequence[Any] | None = None,
) -> pd.DataFrame:
    """Sum the counts tables of chunks into the counts table of the whole.

    Parameters
    ----------
    tables : iterable of pandas.DataFrame
        Counts tables as :func:`wai.counting.count_items` returns them, all
        with the same columns (all weighted or all unweighted). Consumed
        one at a time, so a generator of chunk tables is never held whole.
    items : sequence of str
        The items, in the order the result lists them within each group. A
        table may lack an item (it counts zero); it may not hold another.
    by : str, optional
        The group column of the tables, if they have one.
    groups : sequence, optional
        The groups in the order wanted, e.g. the categories of a
        categorical group column (each is listed, even if no table holds
        it). Default: the groups found in the tables, sorted as pandas
        sorts the categories of the values (``pd.Series(values)
        .astype("category").cat.categories``), which is the order
        ``count_items`` gives a column that is not categorical.

    Returns
    -------
    pandas.DataFrame
        The columns of the tables, in their order and dtypes; one row per
        group and item, groups in order (the blank group, if any table has
        it, last), items in the given order. ``n`` is recomputed as the sum
        of the counts and ``n_missing`` as ``n_blank + n_nonscale``, as
        ``count_items`` defines them.

    Raises
    ------
    ValueError
        No tables; tables with different columns; a table without the
        group column, or with an item or group not asked for.

    Notes
    -----
    Unweighted counts are integers and their sums are exact: the result
    equals ``count_items`` on the whole data (``pandas.testing
    .assert_frame_equal`` holds). Weighted counts are floating-point sums
    of weights, and a sum of chunk sums may differ from the sum of the
    whole in the last bits (not at all when every weight is a multiple of
    a power of two, such as 0.5 or 1.25).

    Examples
    --------
    >>> from wai.counting import count_items
    >>> from wai.scales import LikertScale
    >>> s = LikertScale(("No", "Yes"))
    >>> a = count_items(pd.DataFrame({"g": ["y"], "q": ["No"]}), ["q"], s, by="g")
    >>> b = count_items(pd.DataFrame({"g": ["x", None], "q": ["Yes", "yes"]}), ["q"], s, by="g")
    >>> combine_counts([a, b], ["q"], by="g")
         g item  count_1  count_2  n  n_blank  n_nonscale  n_missing
    0    x    q        0        1  1        0           0          0
    1    y    q        1        0  1        0           0          0
    2  NaN    q        0        1  1        0           0          0
    """
    items = list(items)
    item_index = pd.Index(items)
    if not item_index.is_unique:
        raise ValueError(f"items must be distinct; got {items!r}")
    k = len(items)
    columns: list[str] | None = None
    sums: dict[str, np.ndarray] = {}  # column -> (group slots, items), int64 until a float comes
    keys: dict[Any, int] = {}  # group key -> its slot
    firsts: list[Any] = []  # a value of each group, as first seen
    blank_slot: int | None = None
    capacity = 0

    def slot_of(value: Any) -> int:
        nonlocal blank_slot, capacity
        blank = _is_blank(value)
        key = _BLANK if blank else value
        slot = keys.get(key)
        if slot is None:
            slot = keys[key] = len(firsts)
            firsts.append(None if blank else value)
            if blank:
                blank_slot = slot
            if slot >= capacity:  # grow by doubling
                capacity = max(8, 2 * capacity)
                for c, acc in sums.items():
                    sums[c] = np.concatenate([acc, np.zeros((capacity - len(acc), k), acc.dtype)])
        return slot

    if groups is not None:
        if by is None:
            raise ValueError("groups= needs by=, the group column")
        if not pd.Index(list(groups)).is_unique or any(_is_blank(g) for g in groups):
            raise ValueError(f"groups must be distinct and not blank; got {list(groups)!r}")
        for value in groups:
            slot_of(value)
    for table in tables:
        if not isinstance(table, pd.DataFrame):
            raise ValueError(f"tables must be pandas DataFrames; got {type(table).__name__}")
        names = [str(c) for c in table.columns]
        if columns is None:
            columns = names
            if "item" not in columns:
                raise ValueError(f"a counts table has an 'item' column; got columns {columns}")
            if by is not None and by not in columns:
                raise ValueError(f"by={by!r} is not a column of the tables; they have {columns}")
            sums = {c: np.zeros((capacity, k), np.int64) for c in columns if c not in ("item", by)}
        elif names != columns:
            raise ValueError(f"the tables must have the same columns; got {columns} and {names}")
        where = item_index.get_indexer(table["item"])
        if (where < 0).any():
            extra = sorted({str(v) for v in table["item"][where < 0]})
            raise ValueError(f"a table holds items that were not asked for: {extra}; "
                             f"items are {items}")
        if by is None:
            if not firsts:
                slot_of(None)
            slots = np.zeros(len(table), dtype=np.intp)
        else:
            before = len(firsts)
            slots = np.fromiter((slot_of(v) for v in table[by]), dtype=np.intp, count=len(table))
            new = [v for v in firsts[before:] if v is not None]  # the blank group is always allowed
            if groups is not None and new:
                raise ValueError(f"a table holds groups not in groups=: {new!r}")
        for c, acc in sums.items():
            dtype = table[c].dtype
            if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
                values = table[c].to_numpy(dtype=np.int64)
            elif pd.api.types.is_float_dtype(dtype):
                values = table[c].to_numpy(dtype=np.float64)
                if acc.dtype != np.float64:  # weighted counts: floats from now on
                    acc = sums[c] = acc.astype(np.float64)
            else:
                raise ValueError(f"column {c!r} of a counts table must be numeric; got {dtype}")
            np.add.at(acc, (slots, where), values)
    if columns is None:
        raise ValueError("combine_counts needs at least one counts table")

    # the groups' order, and their values as count_items writes them
    values: pd.Index | None = None
    if by is None:
        order = [0] if firsts else []
    else:
        named = [s for s in range(len(firsts)) if s != blank_slot]
        if groups is not None:
            values = groups if isinstance(groups, pd.Index) else pd.Index(list(groups))
            order = named
        else:
            values = pd.Series([firsts[s] for s in named]).astype("category").cat.categories
            order = [keys[_key(v)] for v in values]
        if blank_slot is not None:
            values = values.append(pd.Index([np.nan]))
            order = order + [blank_slot]
    out = pd.DataFrame({c: acc[order].reshape(len(order) * k) for c, acc in sums.items()})
    counts = [c for c in columns if re.fullmatch(r"count_\d+", c)]
    if "n" in out.columns and counts:
        out["n"] = out[counts].sum(axis=1).astype(out["n"].dtype)
    if {"n_missing", "n_blank", "n_nonscale"} <= set(out.columns):
        out["n_missing"] = (out["n_blank"] + out["n_nonscale"]).astype(out["n_missing"].dtype)
    out.insert(0, "item", items * len(order))
    if by is not None:
        out.insert(0, by, np.repeat(np.asarray(values, dtype=object), k))
    return out[columns]


class _Blank:
    """The key of the blank group (None, NaN, NA)."""

    def __repr__(self) -> str:
        return "<blank>"


_BLANK = _Blank()


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def _key(value: Any) -> Any:
    return _BLANK if _is_blank(value) else value


# ---------------------------------------------------------------------------
# problems from many chunks

def _cap_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems of many chunks as one list in file order, at most 20 rows per column and value.

    As :func:`wai.counting.encode_answers` does within a chunk: the rows past
    the 20th holding the same value in the same column are summed up in
    one problem without a row ("N more rows hold this answer"), listed after
    the rows. Capping a capped list again gives the same list.
    """
    kept: list[Problem] = []
    listed: dict[tuple, int] = {}
    more: dict[tuple, list] = {}  # key -> [rows past the 20th, some uncounted?, an example]
    for p in problems:
        if p.value is None or p.column is None:
            kept.append(p)
            continue
        key = (p.file, p.column, repr(p.value), p.expected)
        if p.row is None:  # a chunk's own "N more rows hold this answer"
            match = _MORE_ROWS.match(p.hint)
            entry = more.setdefault(key, [0, False, p])
            if match:
                entry[0] += int(match.group(1))
            else:
                entry[1] = True
        elif listed.get(key, 0) < _MAX_ROWS_PER_ANSWER:
            listed[key] = listed.get(key, 0) + 1
            kept.append(p)
        else:
            more.setdefault(key, [0, False, p])[0] += 1
    # file order; within a row, problems of the row before those of its cells
    kept.sort(key=lambda p: (p.row is None, p.row or 0, p.column is not None))
    for extra, uncounted, p in more.values():
        if uncounted:
            hint = "more rows hold this answer"
        else:
            hint = (f"{extra} more rows hold this answer" if extra != 1
                    else "1 more row holds this answer")
        kept.append(Problem(p.file, None, p.column, p.value, p.expected, hint))
    return kept


class _Problems(list):
    """A list of problems that stays small while chunks keep adding to it.

    Past 5000 problems it is capped (:func:`_cap_problems`) and cut to
    the first 1000, the number cut kept in ``cut``.
    """

    cut = 0

    def compact(self) -> None:
        if len(self) > 5 * _MAX_PROBLEMS:
            capped = _cap_problems(self)
            self.cut += max(0, len(capped) - _MAX_PROBLEMS)
            self[:] = capped[:_MAX_PROBLEMS]

    def error(self, name: str | None) -> InputError:
        """One InputError of every problem: capped, at most 1000, then one counting the rest."""
        capped = _cap_problems(self)
        rest = max(0, len(capped) - _MAX_PROBLEMS) + self.cut
        capped = capped[:_MAX_PROBLEMS]
        if rest:
            capped.append(Problem(name, None, None, f"{rest} more problems",
                                  "data without problems",
                                  f"only the first {_MAX_PROBLEMS} are listed"))
        return InputError(capped)


# ---------------------------------------------------------------------------
# streaming a text file

def count_csv(
    path: str | os.PathLike,
    items: Sequence[str],
    scale: LikertScale,
    by: str | None = None,
    *,
    weights: str | None = None,
    chunksize: int = 100_000,
    encoding: str | None = None,
    delimiter: str | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Count a text file of answers in chunks of rows, holding one chunk at a time.

    Parameters
    ----------
    path : str or path-like
        A text file (``.csv``, ``.txt``, ``.tsv``), read as
        :func:`wai.input.readers.read_responses` reads it.
    items, scale, by, weights
        As :func:`wai.counting.count_items`.
    chunksize : int
        Rows read per chunk (at most; rows whose cells are all blank are
        dropped from a chunk, as the reader drops them).
    encoding, delimiter : str, optional
        As :func:`~wai.input.readers.read_responses`: default UTF-8 with or without
        a byte-order mark (UTF-16 and UTF-32 with one are recognised); the
        delimiter detected among ``, ; tab |`` from the first 16384
        characters (tab for ``.tsv``).
    progress : bool, optional
        Show a progress bar on stderr: a line rewritten in place with the
        share of the file's bytes read, the rows read and the seconds
        elapsed, ended with a newline. Default: when stderr is a terminal
        and the file is larger than :data:`PROGRESS_BYTES` (50 MiB).

    Returns
    -------
    pandas.DataFrame
        Exactly the counts table ``count_items(read_responses(path,
        encoding=encoding, delimiter=delimiter), items, scale, by,
        weights=weights)`` returns, whatever the ``chunksize`` (weighted
        counts: up to floating-point rounding of sums of weights, see
        :func:`combine_counts`).

    Raises
    ------
    InputError
        Missing columns, from the header, before any row is read; blank or
        repeated column names, undecodable bytes and NUL characters at once;
        otherwise, after the whole file is read, every problem found in any
        chunk: rows with too many or too few cells, an unclosed quote,
        answers not on the scale and invalid weights, each with its row in
        the file (the header is row 1). At most 20 rows are listed per
        column and unknown answer, then one problem counting the rest, and
        at most 1000 problems in all.
    ValueError
        If ``chunksize`` is not a positive whole number.

    Notes
    -----
    The file is parsed with Python's :mod:`csv` module with the settings of
    :func:`~wai.input.readers.read_responses` (and its helpers), so cells,
    blanks, quoting and row numbers are the same. Row numbers are records,
    as a spreadsheet numbers them: a quoted cell spanning lines is one row.

    Memory: only the header and one chunk are held. Records are turned into
    columns 4096 at a time, each distinct cell of a column kept once per
    batch, so a chunk's frame is mostly pointers, and the peak is one
    chunk's frame, ``count_items``' working arrays and one batch of raw
    records. Measured on a 21 MB file in chunks of a tenth of it: a peak
    of 0.4 times the ``memory_usage(deep=True)`` of the frame
    ``read_responses`` gives for one chunk's rows (tracemalloc), 1 times
    in resident memory. A chunk's ``attrs["source_rows"]`` is an int64
    array, as pandas deep-copies ``attrs`` on every column access.

    Problems a malformed file shows (rows with too many or too few cells,
    an unclosed quote) are reported with the answers the reader, which
    stops at them, would not have looked at.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from wai.scales import LEVEL5
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "answers.csv"
    >>> _ = path.write_text("g;q1\\nb;High\\na; low\\n\\nb;Don't know\\na;HIGH\\n")
    >>> counts = count_csv(path, ["q1"], LEVEL5, by="g", chunksize=2)
    >>> counts[["g", "count_2", "count_4", "n", "n_nonscale"]]
       g  count_2  count_4  n  n_nonscale
    0  a        1        1  2           0
    1  b        0        1  1           1
    >>> _ = path.write_text("q1\\nHigh\\nHgh\\nLow\\nLw\\n")
    >>> try:
    ...     count_csv(path, ["q1"], LEVEL5, chunksize=2)
    ... except InputError as error:
    ...     print([(p.row, p.value) for p in error.problems])
    [(3, 'Hgh'), (5, 'Lw')]
    """
    if isinstance(chunksize, bool) or not isinstance(chunksize, (int, np.integer)) or chunksize < 1:
        raise ValueError(f"chunksize must be a positive whole number of rows; got {chunksize!r}")
    if progress is not None and not isinstance(progress, bool):
        raise ValueError(f"progress must be True, False or None; got {progress!r}")
    items = list(items)
    name = str(path)
    p = Path(path)
    suffix = p.suffix.lower()
    if not p.exists():
        raise _fail(name, None, "an existing file")
    if not p.is_file():
        raise _fail(name, None, "a file, not a folder")
    if SUFFIXES.get(suffix) != "csv":
        raise _fail(name, suffix or "no suffix", f"a text file ending in {_TEXT_SUFFIXES}",
                    "read other kinds with wai.input.readers.read_responses and count them "
                    "with wai.counting.count_items")
    size = p.stat().st_size
    if progress is None:
        progress = size > PROGRESS_BYTES and _is_terminal(sys.stderr)
    bar = _Progress(name, size, sys.stderr) if progress else None

    problems = _Problems()
    reader = _TextChunks(p, name, encoding=encoding, delimiter=delimiter, tab=suffix == ".tsv",
                         chunksize=int(chunksize), problems=problems)
    try:
        header = reader.header()
        # Missing columns, from the header alone, before any row is read.
        empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in header})
        count_items(empty, items, scale, by, weights=weights, file=name)

        def tables() -> Iterator[pd.DataFrame]:
            for frame in reader:
                try:
                    table = count_items(frame, items, scale, by, weights=weights)
                except InputError as error:
                    problems.extend(error.problems)
                    table = None
                problems.compact()
                if bar is not None:
                    bar.update(reader.bytes_read(), reader.rows)
                del frame  # hold one chunk at a time
                if table is not None and not problems:
                    yield table

        stream = tables()
        first = next(stream, None)  # None: no rows, or problems from the first chunk on
        result = None
        if first is not None:
            result = combine_counts(itertools.chain([first], stream), items, by)
        if bar is not None:
            bar.update(reader.bytes_read(), reader.rows, final=True)
    finally:
        reader.close()
        if bar is not None:
            bar.close()
    problems[:0] = reader.end_problems()
    if problems:
        raise problems.error(name)
    return result


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class _Progress:
    """A progress bar on one line of a stream, rewritten with a carriage return."""

    def __init__(self, name: str, size: int, stream: Any, every: float = 0.2):
        self.label = Path(name).name
        self.size = size
        self.stream = stream
        self.every = every
        self.start = time.monotonic()
        self.shown = -math.inf
        self.width = 0

    def update(self, done: int, rows: int, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self.shown < self.every:
            return
        self.shown = now
        share = 100.0 if final or not self.size else min(100.0, 100.0 * done / self.size)
        line = f"{self.label}: {share:5.1f}% read, {rows:,} rows, {now - self.start:.0f} s"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def close(self) -> None:
        if self.width == 0:
            self.update(0, 0, final=False)
        self.stream.write("\n")
        self.stream.flush()


class _TextChunks:
    """The rows of a text file in chunks of frames, as wai.input.readers reads the whole file.

    Iterating yields object frames with ``attrs["source_file"]`` and
    ``attrs["source_rows"]``; rows with problems are left out and their
    problems appended to ``problems``. :meth:`end_problems` gives the
    problems only the whole file shows (blank header names over values, a
    header without rows, an unclosed quote at the end).
    """

    def __init__(self, p: Path, name: str, *, encoding: str | None, delimiter: str | None,
                 tab: bool, chunksize: int, problems: list[Problem]):
        self.p, self.name, self.encoding, self.chunksize = p, name, encoding, chunksize
        self.problems = problems
        self.rows = 0
        self.codec = self._codec()
        try:
            io.TextIOWrapper(io.BytesIO(), encoding=self.codec)  # LookupError if not a text codec
        except LookupError as exc:
            raise _fail(name, _short(exc), f"text in the {encoding} encoding",
                        "pass the file's encoding with --encoding") from None
        head = self._guard(self._head)
        self.sep, detected = _choose_delimiter(head, name, delimiter, tab)
        self.also = ""
        if detected:
            self.also = (f"; the delimiter was detected as {self.sep!r}: "
                         "pass --delimiter if that is wrong")
        self.raw = open(p, "rb")  # noqa: SIM115 - closed in close()
        self.text = io.TextIOWrapper(self.raw, encoding=self.codec, newline="", errors="strict")
        self.last_lines: list[str] = []
        self.lines: list[str] = []  # lines of the record being read
        self.reader = csv.reader(self._line_source(), delimiter=self.sep, quotechar='"',
                                 doublequote=True, skipinitialspace=True, strict=False)
        self.number = 0  # records read, the header's and blank ones included
        self.header_row = 0
        self.names: list[str] | None = None
        self.width = 0
        self.unnamed_used: dict[int, int] = {}  # blank-named column -> first row holding a value
        self.failed = False
        self.done = False

    # -- encoding -----------------------------------------------------------------------
    def _codec(self) -> str:
        if self.encoding is None:
            with open(self.p, "rb") as f:
                start = f.read(4)
            if start.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
                return "utf-32"
            if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return "utf-16"
            return "utf-8-sig"
        try:
            codecs.lookup(self.encoding)
        except (LookupError, TypeError):
            raise _fail(self.name, self.encoding, "the name of a text encoding",
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
            raise _fail(self.name, _short(exc), f"text in the {self.encoding} encoding",
                        "pass the file's encoding with --encoding") from None

    def _decode_failure(self) -> InputError:
        """The error read_responses gives: found by decoding the file again, block by block."""
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
            return _fail(self.name, value, "text in UTF-8",
                         f"pass the file's encoding, e.g. --encoding {guess}")
        return _fail(self.name, value, f"text in the {self.encoding} encoding",
                     "pass the file's encoding with --encoding")

    def _line_source(self) -> Iterator[str]:
        newlines = 0
        first = True
        for line in self.text:
            if first:
                line = line.removeprefix("\ufeff")
                first = False
            if "\x00" in line:
                raise _fail(self.name, f"NUL characters (the first on line {newlines + 1})",
                            "a text file",
                            "a UTF-16 file without a byte-order mark needs --encoding utf-16-le "
                            "(or utf-16-be); otherwise this is not a text file")
            if line.endswith("\n"):
                newlines += 1
            self.lines.append(line)
            yield line

    def bytes_read(self) -> int:
        try:
            return self.raw.tell()
        except (OSError, ValueError):
            return 0

    # -- records ------------------------------------------------------------------------
    def _records(self) -> Iterator[list[str]]:
        """Records of the file, keeping the count and the lines of the last."""
        reader = self.reader
        try:
            for record in reader:
                self.number += 1
                self.last_lines, self.lines = self.lines, []
                yield record
        except csv.Error as exc:
            self.failed = True
            self.problems.append(Problem(self.name, self.number + 1, None, _short(exc),
                                         "cells of a text table",
                                         "a quote opened in this row may never be closed"))

    def header(self) -> list[str]:
        """The column names; raises on an empty file and on blank or repeated names in use."""
        self._iter = self._guard(lambda: self._start())
        names = self.names
        assert names is not None
        problems = []
        first: dict[str, int] = {}
        for i, column in enumerate(names):
            if column and column in first:
                hint = f"column {first[column] + 1} and column {i + 1} have this name"
                problems.append(Problem(self.name, self.header_row, column, column,
                                        "distinct column names", hint))
            elif column:
                first[column] = i
        if problems:
            raise InputError(problems)
        return [c for c in names if c]

    def _start(self) -> Iterator[list[str]]:
        records = self._records()
        for record in records:
            names = [_header_name(c) for c in record]
            if not any(names):
                continue
            while names and not names[-1]:
                names.pop()
            self.names, self.header_row, self.width = names, self.number, len(names)
            return records
        raise _fail(self.name, "an empty file", _NEEDS_DATA)

    def __iter__(self) -> Iterator[pd.DataFrame]:
        while not self.done:
            frame = self._guard(self._chunk)
            if frame is not None:
                yield frame
            del frame  # before the next chunk is read: one chunk at a time

    def _chunk(self) -> pd.DataFrame | None:
        """The next chunk's frame (None if all its rows were blank or had problems)."""
        names, width, chunksize = self.names, self.width, self.chunksize
        assert names is not None
        batch = min(chunksize, _BATCH_ROWS)
        parts: list[dict[str, np.ndarray]] = []
        numbers: list[int] = []  # rows kept so far, of every batch
        rows: list[list[str]] = []  # raw records of the batch being read
        at: list[int] = []  # their row numbers
        taken = 0
        expected = f"{_cells(width)}, as in the header (row {self.header_row})"
        for record in self._iter:
            if len(record) == width:
                rows.append(record)
                at.append(self.number)
            else:
                cells = [_cell(c) for c in record]
                used = len(cells)
                while used and cells[used - 1] is None:
                    used -= 1
                if used == 0:
                    continue  # a blank row
                if used > width:
                    self.problems.append(Problem(
                        self.name, self.number, None, _cells(used), expected,
                        f"a cell holding {self.sep!r} needs double quotes around it{self.also}"))
                    continue
                if len(cells) < width:
                    self.problems.append(Problem(
                        self.name, self.number, None, _cells(len(cells)), expected,
                        f"a cell or a delimiter is missing{self.also}"))
                    continue
                rows.append(record[:width])
                at.append(self.number)
            taken += 1
            if len(rows) >= batch:
                parts.append(self._batch(rows, at, numbers))
                rows, at = [], []
            if taken >= chunksize:
                break
        else:
            self.done = True
        if rows:
            parts.append(self._batch(rows, at, numbers))
        del rows
        if not numbers:
            return None
        self.rows += len(numbers)
        columns = {}
        for column in list(parts[0]):
            columns[column] = (parts[0][column] if len(parts) == 1 else
                               np.concatenate([part.pop(column) for part in parts]))
        del parts
        frame = pd.DataFrame(columns, dtype=object, copy=False)
        frame.attrs["source_file"] = self.name
        # an array, not a list: pandas deep-copies attrs on every column access
        frame.attrs["source_rows"] = RowNumbers(numbers)
        return frame

    def _batch(self, rows: list[list[str]], at: list[int],
               numbers: list[int]) -> dict[str, np.ndarray]:
        """Cells of a few thousand records as read_responses keeps them, all-blank rows left out.

        Text is stripped, blanks become None, and each distinct cell of a
        column is one object, so a chunk holds far fewer strings than
        cells. Row numbers of the rows kept are appended to ``numbers``.
        """
        names = self.names
        assert names is not None
        raw = np.empty((len(rows), len(names)), dtype=object)
        raw[:] = rows
        rows.clear()  # the caller's list: its records are in raw now
        columns: dict[str, np.ndarray] = {}
        blank = np.ones(len(raw), dtype=bool)
        for j, column in enumerate(names):
            codes, uniques = pd.factorize(raw[:, j])
            raw[:, j] = None  # free this column's strings now
            cells = np.empty(len(uniques), dtype=object)
            cells[:] = [_cell(u) for u in uniques]
            is_blank = np.fromiter((c is None for c in cells), dtype=bool, count=len(cells))
            holds = ~is_blank[codes]
            blank &= ~holds
            if column:
                columns[column] = cells[codes]
            elif j not in self.unnamed_used and holds.any():
                self.unnamed_used[j] = at[int(np.argmax(holds))]
        if blank.any():
            keep = ~blank
            columns = {c: v[keep] for c, v in columns.items()}
            at = [n for n, k in zip(at, keep.tolist()) if k]
        numbers.extend(at)
        return columns

    def end_problems(self) -> list[Problem]:
        """Problems found only once the whole file is read, in the order read_responses gives."""
        if self.names is None or not self.done:
            return []
        found = []
        for j in sorted(self.unnamed_used):
            found.append(Problem(self.name, self.header_row, None, None,
                                 "a name for every column that holds values",
                                 f"column {j + 1} has no name but holds values, e.g. in row "
                                 f"{self.unnamed_used[j]}"))
        if (not self.failed and self.number and self.last_lines
                and _unclosed_quote("".join(self.last_lines), self.sep)):
            self.problems.append(Problem(
                self.name, self.number, None, "a quote that is never closed",
                "a closing double quote for every opening one",
                "the cell runs on to the end of the file"))
        if not self.rows and not self.problems:
            found.append(Problem(self.name, self.header_row + 1, None, "only a header row",
                                 "at least one respondent under the header"))
        return found

    def close(self) -> None:
        try:
            self.text.close()
        except Exception:  # noqa: BLE001 - closing after a failed read
            pass
        self.raw.close()


# ---------------------------------------------------------------------------
# dask

def is_dask_frame(obj: Any) -> bool:
    """Whether ``obj`` is a ``dask.dataframe.DataFrame``, without importing dask.

    If dask's dataframe module was never imported, nothing can be one.

    >>> import pandas as pd
    >>> is_dask_frame(pd.DataFrame({"q": ["High"]}))
    False
    """
    module = sys.modules.get("dask.dataframe")
    frame_type = getattr(module, "DataFrame", None) if module is not None else None
    return frame_type is not None and isinstance(obj, frame_type)


def count_dask(
    ddf: Any,
    items: Sequence[str],
    scale: LikertScale,
    by: str | None = None,
    *,
    weights: str | None = None,
) -> pd.DataFrame:
    """Count a dask DataFrame: each partition where it lives, combined on the client.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        One row per respondent, as :func:`wai.counting.count_items` takes.
    items, scale, by, weights
        As :func:`wai.counting.count_items`.

    Returns
    -------
    pandas.DataFrame
        The counts table of the whole frame: equal to ``count_items(
        ddf.compute(), ...)`` (weighted counts up to floating-point rounding,
        see :func:`combine_counts`). Groups of a categorical ``by`` column
        whose categories are known follow the categories' order, the others
        are sorted as ``count_items`` sorts them.

    Raises
    ------
    ImportError
        If dask is not installed (``pip install "wai[dask]"``).
    TypeError
        If ``ddf`` is not a dask DataFrame.
    InputError
        Missing columns, before anything is computed; else every problem
        found in any partition, after all are counted. A partition does not
        know the file its rows came from: each problem's ``file`` is
        ``"dask partition i"`` (partitions numbered from 0) and its ``row``
        the row's position in the partition + 2, the row it would have if
        the partition alone were written out with a header row (position 0
        is row 2); the hint names the position and the row's index label.

    Notes
    -----
    Each partition becomes one ``dask.delayed`` call of ``count_items``,
    computed with whatever scheduler is active: the ``dask.distributed``
    ``Client`` if one was created, else dask's default. Only the small
    counts tables travel back to the client.

    Examples
    --------
    >>> import dask.dataframe as dd  # doctest: +SKIP
    >>> from wai.scales import LEVEL5
    >>> frame = pd.DataFrame({"q": ["High", "Low", "high", "Low"]})
    >>> count_dask(dd.from_pandas(frame, npartitions=2), ["q"], LEVEL5)  # doctest: +SKIP
      item  count_1  count_2  count_3  count_4  count_5  n  n_blank  n_nonscale  n_missing
    0    q        0        2        0        2        0  4        0           0          0
    """
    try:
        import dask
        import dask.dataframe  # noqa: F401 - registers the frame type is_dask_frame checks
    except ImportError:
        raise ImportError(f"count_dask needs the optional package dask; {_DASK_HINT}") from None
    if not is_dask_frame(ddf):
        raise TypeError(f"count_dask takes a dask.dataframe.DataFrame; got {type(ddf).__name__} "
                        "(count a pandas DataFrame with wai.counting.count_items)")
    items = list(items)
    # Missing columns from the column names alone, before anything is computed.
    empty = pd.DataFrame({str(c): pd.Series([], dtype=object) for c in ddf.columns})
    count_items(empty, items, scale, by, weights=weights, file="dask frame")
    groups = None
    if by is not None:
        dtype = ddf.dtypes[by]
        if isinstance(dtype, pd.CategoricalDtype) and ddf[by].cat.known:
            groups = dtype.categories
    tasks = [dask.delayed(_count_partition, pure=True)(part, items, scale, by, weights, i)
             for i, part in enumerate(ddf.to_delayed())]
    results = dask.compute(*tasks)
    problems = _Problems(p for _, found in results for p in found)
    if problems:
        raise problems.error("dask frame")
    return combine_counts([table for table, _ in results], items, by, groups=groups)


def _count_partition(
    part: pd.DataFrame, items: list[str], scale: LikertScale, by: str | None,
    weights: str | None, number: int,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One partition's counts table, or its problems (never raised: all partitions report)."""
    part = part.copy(deep=False)
    part.attrs = {}
    name = f"dask partition {number}"
    try:
        return count_items(part, items, scale, by, weights=weights, file=name), []
    except InputError as error:
        found = []
        for p in error.problems:
            hint = p.hint
            if p.row is not None and 0 <= p.row - 2 < len(part):
                label = part.index[p.row - 2]
                label = label.item() if isinstance(label, np.generic) else label
                where = f"position {p.row - 2} in the partition, index label {label!r}"
                hint = f"{where}; {hint}" if hint else where
            found.append(Problem(name, p.row, p.column, p.value, p.expected, hint))
        return None, found
