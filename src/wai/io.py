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

    with staged_dirs(target) as (folder,):
        yield folder


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


def read_published_table(path: str | os.PathLike) -> pd.DataFrame:
    """A published table as text cells; InputError naming the file when it cannot be read."""
    p = Path(path)
    path = str(path)
    if not p.is_file():
        raise InputError([Problem(path, None, None, None, "a readable CSV file", "the file does not exist")])
    try:
        frame = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise InputError([Problem(path, None, None, "an empty file", "a header row and at least one row")]) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError([Problem(path, None, None, str(exc).strip(), "a CSV table in UTF-8")]) from None
    if frame.empty:
        raise InputError([Problem(path, 2, None, "no rows", "at least one row under the header")])
    return frame
