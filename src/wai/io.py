"""Reading and writing at the edges: raw files in (read-only), outputs out (atomically).

Every output the package writes goes through :func:`atomic_write`: the bytes
go to a temporary file in the target's folder, are flushed to disk, and the
temporary file is renamed over the target. A run that fails midway leaves
the previous output whole.

Tables are written with fixed formatting (``\\n`` line ends, UTF-8, no
index, floats in shortest round-trip form) so the same inputs give the same
bytes.

Raw inputs are only ever opened for reading (survey files: :mod:`wai.input.readers`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

from wai.errors import InputError, Problem

__all__ = [
    "atomic_write", "staged_dir", "write_bytes", "write_text", "write_csv", "read_published_table",
    "sha256_file",
]


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
    """A temporary folder whose files replace those in ``target`` only if the block succeeds.

    Everything a run writes goes into the staging folder (beside ``target``);
    when the block ends without an error each file is moved into ``target``
    with an atomic rename, so an interrupted or failed run leaves the
    previous outputs as they were. Files of ``target`` that the run did not
    write are left alone.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "reports"
    >>> with staged_dir(d) as tmp:
    ...     _ = write_text(tmp / "a.md", "new")
    >>> (d / "a.md").read_text(), sorted(p.name for p in d.parent.iterdir())
    ('new', ['reports'])
    """
    final = Path(target).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.staging-", dir=final.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    final.mkdir(parents=True, exist_ok=True)
    for path in sorted(tmp.rglob("*")):
        if path.is_file():
            destination = final / path.relative_to(tmp)
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, destination)
    shutil.rmtree(tmp, ignore_errors=True)


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write bytes atomically; returns the path."""
    with atomic_write(path) as handle:
        handle.write(data)
    return Path(path)


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 text with ``\\n`` line ends atomically; returns the path."""
    return write_bytes(path, text.encode("utf-8"))


def write_csv(path: str | os.PathLike, frame: pd.DataFrame) -> Path:
    """Write a DataFrame as CSV, byte-for-byte reproducible, atomically.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_csv(p, pd.DataFrame({"item": ["a"], "wai": [0.6]}))
    >>> p.read_text()
    'item,wai\\na,0.6\\n'
    """
    text = frame.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return write_text(path, text)


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


def _published_rows(p: Path, path: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the (row number, cells) of every non-blank row; InputError on a bad file."""
    def bad(row: int | None, column: str | None, value: object, expected: str, hint: str = "") -> InputError:
        return InputError([Problem(path, row, column, value, expected, hint)])

    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise bad(None, None, f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start}",
                  "a CSV table in UTF-8", "save the table as UTF-8") from None
    except OSError as exc:
        raise bad(None, None, f"{type(exc).__name__}: {exc.strerror or exc}", "a readable CSV file") from None
    if "\x00" in text:
        raise bad(None, None, "NUL characters", "a CSV table in UTF-8", "this is not a text file")
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True, strict=False)
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
            for _ in csv.reader(io.StringIO(text, newline=""), skipinitialspace=True, strict=True):
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


def read_published_table(path: str | os.PathLike) -> pd.DataFrame:
    """A published table as text cells; InputError naming the file, row and column when it cannot be read.

    Every row must have as many cells as the header (blank trailing cells may be left out); the
    column names must be distinct (compared without case or surrounding spaces).

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
    header, body = _published_rows(p, path)
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
