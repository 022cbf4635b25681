"""Reading and writing at the edges: raw files in (read-only), outputs out (atomically).

Every output the package writes goes through :func:`atomic_write`: the bytes
go to a temporary file in the target's folder, are flushed to disk, and the
temporary file is renamed over the target. A run that fails midway leaves
the previous output whole.

Tables are written with fixed formatting (``\\n`` line ends, UTF-8, no
index, floats in shortest round-trip form) so the same inputs give the same
bytes.

CSV cells that a spreadsheet would run as a formula are written so that it
does not (:func:`escape_formula`, after OWASP's "CSV Injection" guidance):
a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading ``'`` unless the cell is a number
(:func:`is_number`). Every CSV the package writes goes through
:func:`csv_text`, so the rule holds in one place; ``formula_escape=False``
(``--csv-formulas keep`` on the command line) writes the raw text.

Raw inputs are only ever opened for reading (survey files: :mod:`wai.input.readers`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator

import pandas as pd

from wai.errors import InputError, Problem
from wai.paths import inside

__all__ = [
    "atomic_write", "staged_dir", "write_bytes", "write_text", "write_csv", "read_published_table",
    "sha256_file", "writes_within", "csv_text", "escape_formula", "is_number", "FORMULA_CHARS", "CSV_FORMULAS",
]

_ROOTS: ContextVar[tuple[Path, ...]] = ContextVar("wai_write_roots", default=())


@contextmanager
def writes_within(*folders: str | os.PathLike) -> Iterator[None]:
    """While the block runs, every :func:`atomic_write` must land inside one of ``folders``.

    :func:`staged_dir` opens one for its staging folder, so a file name made
    from a codebook id can never write beside or outside the output folder:
    the write raises :class:`~wai.errors.OptionError` (:func:`wai.paths.inside`).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with writes_within(d / "out"):
    ...     write_text(d / "out" / ".." / "escaped.txt", "x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    wai.errors.OptionError: file name: got '../escaped.txt', expected a name that stays inside the folder ...
    """
    token = _ROOTS.set(_ROOTS.get() + tuple(Path(f) for f in folders))
    try:
        yield
    finally:
        _ROOTS.reset(token)


def write_roots() -> tuple[Path, ...]:
    """The folders :func:`writes_within` allows at this moment (empty: no limit), to hand to a worker process.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with writes_within(d):
    ...     write_roots() == (d,)
    True
    """
    return _ROOTS.get()


def _check_root(target: Path) -> None:
    roots = _ROOTS.get()
    if not roots:
        return
    failure = None
    for root in roots:
        try:
            inside(root, os.path.relpath(os.path.abspath(target), os.path.abspath(root)))
            return
        except ValueError as exc:
            failure = failure or exc
    assert failure is not None
    raise failure

FORMULA_CHARS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a CSV cell as a formula (OWASP)."""

CSV_FORMULAS: tuple[str, ...] = ("escape", "keep")
"""Values of ``--csv-formulas``: escape formula-like text cells (default) or keep them as they are."""

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[io.BufferedWriter]:
    """Open a temporary file beside ``path`` for binary writing; rename it over ``path`` on success.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_write(d / "x.txt") as f:
    ...     _ = f.write(b"hello")
    >>> (d / "x.txt").read_bytes()
    b'hello'
    """
    target = Path(path)
    _check_root(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@contextmanager
def staged_dir(target: str | os.PathLike) -> Iterator[Path]:
    """A staging folder that replaces ``target`` as a whole, in one atomic step, only if the block succeeds.

    Everything a run writes goes into the staging folder (beside ``target``,
    so on its filesystem); when the block ends without an error the files of
    ``target`` the run did not write are carried over and the new folder is
    switched in at once (:mod:`wai.staging`, which also cleans up after a
    killed run), so an interrupted or failed run leaves the previous outputs
    as they were. Several folders switched as one set:
    :func:`wai.staging.staged_dirs`.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "reports"
    >>> with staged_dir(d) as tmp:
    ...     _ = write_text(tmp / "a.md", "new")
    >>> (d / "a.md").read_text(), sorted(p.name for p in d.parent.iterdir())
    ('new', ['reports'])
    """
    from wai.staging import staged_dirs

    with staged_dirs(target) as (folder,), writes_within(folder):
        yield folder


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write bytes atomically; returns the path."""
    with atomic_write(path) as handle:
        handle.write(data)
    return Path(path)


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 text with ``\\n`` line ends atomically; returns the path."""
    return write_bytes(path, text.encode("utf-8"))


def is_number(text: str) -> bool:
    """Whether a cell's text is a number: a finite decimal in plain or exponent notation.

    A number is an optional sign, digits with an optional decimal point (or
    a point and digits), and an optional exponent, with nothing else: what
    Python's ``float`` reads as a finite value, less the spellings a
    spreadsheet would not read as a number (spaces around it, ``_`` between
    digits, ``inf``, ``nan``). So ``-0.192``, ``+1.5``, ``-1e-05`` and ``.5``
    are numbers; ``-2+3``, ``-inf``, ``- 1`` and ``1_000`` are not.

    >>> [is_number(x) for x in ("-0.192", "+1.5", "-1e-05", ".5", "-2+3", "-inf", " -1", "1_000", "")]
    [True, True, True, True, False, False, False, False, False]
    """
    return _NUMBER.fullmatch(text) is not None


def escape_formula(text: str) -> str:
    """A CSV cell's text made safe to open in a spreadsheet (OWASP's CSV-injection rule).

    Text that starts with one of :data:`FORMULA_CHARS` (``= + - @``, tab,
    carriage return) and is not a number (:func:`is_number`) gets a leading
    ``'``, which a spreadsheet reads as "this cell is text" and does not
    show; any other text is returned unchanged.

    >>> print(escape_formula('=HYPERLINK("http://x","y")'))
    '=HYPERLINK("http://x","y")
    >>> escape_formula("-0.192"), escape_formula("-2+3"), escape_formula("High")
    ('-0.192', "'-2+3", 'High')
    """
    if text[:1] in FORMULA_CHARS and text and not is_number(text):
        return "'" + text
    return text


def _escape_cell(value: object) -> object:
    return escape_formula(value) if isinstance(value, str) else value


def _formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every formula-like text cell (and column name) escaped; the frame itself if none is.

    Only text cells are looked at: a column of numbers is written as pandas
    formats numbers. A frame with nothing to escape is returned as it is, so
    its bytes are those of ``to_csv`` exactly.
    """
    columns = [_escape_cell(c) for c in frame.columns]
    changed = {}
    for j in _text_columns(frame):
        values = frame.iloc[:, j].tolist()
        # (a first look at each cell's first character: most columns hold no candidate at all)
        if any(isinstance(v, str) and v[:1] in FORMULA_CHARS for v in values):
            escaped = [_escape_cell(v) for v in values]
            if escaped != values:
                changed[j] = pd.Series(escaped, index=frame.index, dtype=object)
    if not changed and columns == list(frame.columns):
        return frame
    safe = frame.copy()
    for j, escaped in changed.items():
        safe.isetitem(j, escaped)
    safe.columns = columns
    return safe


def csv_text(frame: pd.DataFrame, *, formula_escape: bool = True) -> str:
    """A DataFrame as the package's CSV text: no index, ``\\n`` line ends, formula-like cells escaped.

    Parameters
    ----------
    frame : DataFrame
        The table; its column names are the header row.
    formula_escape : bool, default True
        Escape text cells (and column names) a spreadsheet would run as a
        formula with a leading ``'`` (:func:`escape_formula`); numbers such
        as ``-0.192`` are never changed. ``False`` writes every cell as it is.

    Returns
    -------
    str
        The CSV text, floats in shortest round-trip form; quoting is minimal
        (a cell is quoted when it holds a comma, a quote or a line break),
        except in a table with a carriage return in a text cell, whose text
        cells are all quoted so that a reader does not take it for a line end.

    Examples
    --------
    >>> t = pd.DataFrame({"band": ["=1+1", "High"], "ci_low": [-0.192, 0.5]})
    >>> print(csv_text(t), end="")
    band,ci_low
    '=1+1,-0.192
    High,0.5
    >>> print(csv_text(t, formula_escape=False), end="")
    band,ci_low
    =1+1,-0.192
    High,0.5
    """
    safe = _formula_safe(frame) if formula_escape else frame
    # Python's csv quotes a cell holding "\n" but not one holding a lone "\r", which every CSV reader
    # takes for a line end: a table with such a cell quotes every text cell instead.
    quoting = csv.QUOTE_NONNUMERIC if _has_carriage_return(safe) else csv.QUOTE_MINIMAL
    return safe.to_csv(index=False, lineterminator="\n", quoting=quoting)


def _has_carriage_return(frame: pd.DataFrame) -> bool:
    """Whether a column name or a text cell of the frame holds a carriage return."""
    if any(isinstance(c, str) and "\r" in c for c in frame.columns):
        return True
    return any(any(isinstance(v, str) and "\r" in v for v in frame.iloc[:, j].tolist()) for j in _text_columns(frame))


def _text_columns(frame: pd.DataFrame) -> list[int]:
    """The positions of the columns that may hold text: object, string and categorical (from the dtypes alone)."""
    return [j for j, dtype in enumerate(frame.dtypes)
            if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype))]


def write_csv(path: str | os.PathLike, frame: pd.DataFrame, *, formula_escape: bool = True) -> Path:
    """Write a DataFrame as CSV, byte-for-byte reproducible, atomically.

    The text is :func:`csv_text`'s: a text cell that starts with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return and is not a number gets
    a leading ``'`` so that a spreadsheet shows it instead of running it;
    ``formula_escape=False`` writes the raw text.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_csv(p, pd.DataFrame({"item": ["a", "@SUM(1)"], "wai": [0.6, -0.5]}))
    >>> p.read_text()
    "item,wai\\na,0.6\\n'@SUM(1),-0.5\\n"
    """
    return write_text(path, csv_text(frame, formula_escape=formula_escape))


def sha256_file(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


MAX_PUBLISHED_CELL = 131_072
"""The longest cell of a published table, in characters (the csv module's field limit)."""


def _shown(text: str) -> str:
    """A long text as its first 60 characters and its length, for a message."""
    return text if len(text) <= 60 else f"{text[:60]}... ({len(text):,} characters)"


def _published_rows(p: Path, path: str, encoding: str = "utf-8-sig",
                    delimiter: str = ",") -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the (row number, cells) of every non-blank row; InputError on a bad file."""
    def bad(row: int | None, column: str | None, value: object, expected: str, hint: str = "") -> InputError:
        return InputError([Problem(path, row, column, value, expected, hint)])

    try:
        text = p.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise bad(None, None, f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start}",
                  f"a CSV table in {'UTF-8' if encoding == 'utf-8-sig' else encoding}",
                  "save the table as UTF-8, or give its encoding") from None
    except LookupError:
        raise bad(None, None, encoding, "a text encoding Python knows (utf-8, latin-1, cp1252, ...)") from None
    except OSError as exc:
        raise bad(None, None, f"{type(exc).__name__}: {exc.strerror or exc}", "a readable CSV file") from None
    if "\x00" in text:
        raise bad(None, None, "NUL characters", "a CSV table in UTF-8", "this is not a text file")
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True, strict=False)
    number = 0
    try:
        for record in reader:
            number += 1
            if any(c.strip() for c in record):
                rows.append((number, record))
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise bad(number + 1, None, f"a cell longer than {MAX_PUBLISHED_CELL:,} characters",
                      "a CSV table of short cells",
                      "a whole file on one line, or a quote never closed?") from None
        raise bad(number + 1, None, str(exc), "a CSV table") from None
    if '"' in text:
        try:
            for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True,
                                strict=True):
                pass
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise bad(number, None, "a quote that is never closed", "a CSV table",
                          "a cell opened with \" in this row runs to the end of the file") from None
    if not rows:
        raise bad(None, None, "an empty file", "a header row and at least one row")
    (_, header), body = rows[0], rows[1:]
    header = [c.strip() for c in header]
    if not body:
        hint = f"the header is one line of {len(text.strip()):,} characters" if len(header) == 1 else ""
        raise bad(2, None, "no rows", "at least one row under the header", hint)
    return header, body


def read_published_table(path: str | os.PathLike, *, encoding: str = "utf-8-sig",
                         delimiter: str = ",") -> pd.DataFrame:
    """A published table as text cells; InputError naming the file, row and column when it cannot be read.

    Every row must have as many cells as the header (blank trailing cells may be left out); the
    column names must be distinct (compared without case or surrounding spaces). ``encoding``
    (default UTF-8, with or without a byte-order mark) and ``delimiter`` (one character,
    default ``,``) say how the file is written; for text pasted from a paper use
    :func:`wai.pasted.read_pasted`.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_text("item,wai\\na,0.60\\n")
    >>> read_published_table(f)["wai"].tolist()
    ['0.60']
    """
    p = Path(path)
    path = str(path)
    if not p.is_file():
        what = "a folder" if p.is_dir() else "the file does not exist"
        raise InputError([Problem(path, None, None, None, "a readable CSV file", what)])
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise InputError([Problem(path, None, None, delimiter, "a one-character delimiter such as ',' or ';'")])
    header, body = _published_rows(p, path, encoding, delimiter)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.lower()
        if key in seen:
            problems.append(Problem(path, 1, name, None, "distinct column names",
                                    f"columns {seen[key] + 1} and {i + 1} have this name"
                                    + ("" if header[seen[key]] == name else " (case and spaces aside)")))
        seen.setdefault(key, i)
    width = len(header)
    for number, record in body:
        extra = [c for c in record[width:] if c.strip()]
        if extra:
            problems.append(Problem(path, number, None, None, f"at most {width} cells, as the header has",
                                    f"the row has {len(record)} cells; the first extra one is "
                                    f"{_shown(extra[0])!r}"))
    if problems:
        raise InputError(problems)
    cells = [(record + [""] * width)[:width] for _, record in body]
    return pd.DataFrame(cells, columns=header, dtype=str)
