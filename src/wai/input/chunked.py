"""Counting a text file larger than memory in chunks of rows, with a progress bar.

Every estimate in :mod:`wai` is a function of the counts table that
:func:`wai.counting.count_items` returns, and counts add: the counts of the
chunks of a file sum to the counts of the file
(:func:`wai.counts.combine_counts`). :func:`count_csv` streams a
text file in chunks with the record loop of :mod:`wai.input.records` and
returns exactly the table and the problems :func:`count_file` (the file read
whole) gives, holding one chunk in memory at a time.
"""

from __future__ import annotations

import itertools
import math
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np
import pandas as pd

from wai.counting import count_items
from wai.errors import InputError
from wai.input.problems import ProblemList, cap_problems
from wai.input.readers import SUFFIXES, codes_for_scale, read_for_counting
from wai.input.records import TextRecords, fail, frame_of
from wai.scales import LikertScale

__all__ = ["count_csv", "count_file", "PROGRESS_BYTES"]

PROGRESS_BYTES = 50 * 2**20
"""Files larger than this (bytes) show a progress bar by default when stderr is a terminal."""

_TEXT_SUFFIXES = ", ".join(sorted(s for s, kind in SUFFIXES.items() if kind == "csv"))


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
        Undecodable bytes and NUL characters at once; missing columns, from
        the header, before any row is read; otherwise, after the whole file
        is read, the problems of its shape (rows with too many or too few
        cells, an unclosed quote, blank or repeated column names), or else
        every problem found in any chunk (answers not on the scale, invalid
        weights), each with its row in the file (the header is row 1). At most 20 rows are listed per
        column and unknown answer, then one problem counting the rest, and
        at most 1000 problems in all.
    ValueError
        If ``chunksize`` is not a positive whole number.

    Notes
    -----
    The file is read with the record loop :func:`~wai.input.readers.read_responses`
    reads it with (:class:`wai.input.records.TextRecords`), so cells, blanks,
    quoting, row numbers and problems are the same: the problems are those
    :func:`count_file` gives for the file read whole, whatever the
    ``chunksize``. Row numbers are records, as a spreadsheet numbers them:
    a quoted cell spanning lines is one row.

    Memory: only the header and one chunk are held. Records are turned into
    columns 4096 at a time, each distinct cell of a column kept once per
    batch, so a chunk's frame is mostly pointers, and the peak is one
    chunk's frame, ``count_items``' working arrays and one batch of raw
    records. Measured on a 21 MB file in chunks of a tenth of it: a peak
    of 0.4 times the ``memory_usage(deep=True)`` of the frame
    ``read_responses`` gives for one chunk's rows (tracemalloc), 1 times
    in resident memory. A chunk's ``attrs["source_rows"]`` is an int64
    array, as pandas deep-copies ``attrs`` on every column access.

    A malformed file (rows with too many or too few cells, an unclosed
    quote, repeated or missing column names) is read to its end for every
    such problem, which are raised alone, as the reader raises them: its
    answers are not counted.

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
        raise fail(name, None, "an existing file")
    if not p.is_file():
        raise fail(name, None, "a file, not a folder")
    if SUFFIXES.get(suffix) != "csv":
        raise fail(name, suffix or "no suffix", f"a text file ending in {_TEXT_SUFFIXES}",
                   "read other kinds with wai.input.readers.read_responses and count them "
                   "with wai.counting.count_items")
    size = p.stat().st_size
    if progress is None:
        progress = size > PROGRESS_BYTES and _is_terminal(sys.stderr)
    from wai.counts import combine_counts

    problems = ProblemList()
    with TextRecords(p, name, encoding=encoding, delimiter=delimiter, tab=suffix == ".tsv") as records:
        # Repeated names and missing columns, from the header alone, before any row is read.
        early = records.check_header(items + [by, weights])
        if early:
            raise InputError(early)
        _columns_for_counting(records, items, by, weights)
        bar = _Progress(name, size, sys.stderr) if progress else None
        try:
            stream = _tables(records, int(chunksize), problems, bar,
                             lambda frame: count_items(frame, items, scale, by, weights=weights))
            first = next(stream, None)  # None: no rows, or problems from the first chunk on
            result = None
            if first is not None:
                result = combine_counts(itertools.chain([first], stream), items, by)
            if bar is not None:
                bar.update(records.bytes_read(), records.rows, final=True)
        finally:
            if bar is not None:
                bar.close()
        shape = records.shape_problems()
    if shape:
        raise InputError(cap_problems(shape, name))
    if problems:
        raise problems.error(name)
    return result


def _tables(records: TextRecords, chunksize: int, problems: ProblemList, bar: "_Progress | None",
            count: Callable[[pd.DataFrame], pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """The counts table of each chunk, while no chunk had a problem; problems go to ``problems``.

    Once the file shows a problem of its shape the chunks are read, for
    the rest of those problems, but not counted.
    """
    for columns, rows in records.chunks(chunksize):
        table = None
        if not records.malformed:
            frame = frame_of(columns, rows, records.name)
            del columns
            try:
                table = _count_chunk(frame, count)
            except InputError as error:
                problems.extend(error.problems)
            del frame  # hold one chunk at a time
        if bar is not None:
            bar.update(records.bytes_read(), records.rows)
        if table is not None and not problems:
            yield table


def _columns_for_counting(records: TextRecords, items: Sequence[str], by: str | None,
                          weights: str | None) -> None:
    """Ask the records for the columns counting needs, the items as Categoricals (counted by code)."""
    records.wanted = frozenset(c for c in [*items, by, weights] if c)
    records.categorical = frozenset(items) - {by, weights}


def _count_chunk(frame: pd.DataFrame, count: Callable[[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame:
    """The counts of a chunk; if they fail, the problems as the chunk's text columns give them."""
    try:
        return count(frame)
    except InputError:
        pass
    objects = {}
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            lookup = np.empty(len(values.cat.categories) + 1, dtype=object)
            lookup[:-1] = list(values.cat.categories)  # code -1 (a blank) reads the last slot, None
            objects[column] = lookup[values.cat.codes.to_numpy()]
        else:
            objects[column] = np.asarray(values, dtype=object)
    text = frame_of(objects, np.asarray(frame.attrs["source_rows"]), frame.attrs["source_file"])
    return count(text)


def count_file(
    path: str | os.PathLike,
    items: Sequence[str],
    scale: LikertScale,
    by: str | None = None,
    *,
    weights: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    file: str | None = None,
) -> pd.DataFrame:
    """Count a file read whole into memory: :func:`count_csv`'s twin, for any kind of file.

    ``count_items(read_responses(path, ..., columns=...), items, scale, by,
    weights=weights, file=file)``, the columns asked for checked first
    (from a text file's header, before its rows are read), and every
    problem listed as :func:`count_csv` lists it (at most 20 rows per
    column and unknown answer, at most 1000 problems), so a text file gives
    the same counts and the same problems either way.

    >>> import pathlib, tempfile
    >>> from wai.scales import LEVEL5
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "answers.csv"
    >>> _ = path.write_text("q1\\n" + "Hgh\\n" * 22)
    >>> try:
    ...     count_file(path, ["q1"], LEVEL5)
    ... except InputError as error:
    ...     print(len(error.problems), error.problems[-1].n_more)
    21 2
    """
    items = list(items)
    wanted = items + [c for c in (by, weights) if c]
    try:
        # a text file: the items as Categoricals, counted by code (the same counts and problems)
        frame = read_for_counting(path, encoding=encoding, delimiter=delimiter, columns=wanted,
                                  categorical=frozenset(items) - {by, weights})
        frame, scale_read = codes_for_scale(frame, items, scale)  # a numeric scale on a labelled SPSS/Stata file
        return _count_chunk(frame, lambda f: count_items(f, items, scale_read, by, weights=weights, file=file))
    except InputError as error:
        raise InputError(cap_problems(error.problems, file or str(path))) from None


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
