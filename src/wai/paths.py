"""Where the package may write: the one rule that keeps raw data read-only and outputs in their folders.

Two checks, used by every command and by the Python API:

* :func:`check_output` -- before anything is read, an output (``--out``,
  ``--derived``, ``--rejected``, ...) is refused when, with symlinks followed,
  it *is* an input file, lies inside a protected folder (``data/raw/`` of the
  working directory, a study's raw folder: the folder holding
  ``codebook.toml`` and its responses), or is a folder that holds an input or
  a protected folder (an output folder is written into, and may be replaced
  as a whole).
* :func:`inside` -- a file name joined to its output folder must stay in it
  (no ``/``, no ``..``, no absolute path); :mod:`wai.io` applies it to every
  file written while a staged output folder is open.

Both raise :class:`~wai.errors.OptionError` (a ``ValueError``): exit 2 and one
line naming the option, the path and why.

Examples
--------
>>> import tempfile, pathlib
>>> study = pathlib.Path(tempfile.mkdtemp())
>>> _ = (study / "codebook.toml").write_text("")
>>> check_output("--out", study / "reports", protected=[study])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
wai.errors.OptionError: --out: got '.../reports', expected an output outside the raw data (it is inside ..., which is read-only: raw data are never written)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from wai.errors import OptionError

__all__ = ["RAW_DATA", "check_output", "inside", "raw_folders", "SAFE_NAME"]

RAW_DATA = Path("data/raw")
"""The raw data folder of a project, relative to the working directory: never written."""

SAFE_NAME = "letters, digits, '_', '.' or '-' (at most 64, starting with a letter or digit)"
"""In words, what a name that becomes a file name may hold (:data:`wai.study.schema.NAME_PATTERN`)."""


def _resolved(path: str | os.PathLike) -> Path:
    return Path(os.path.abspath(Path(path).expanduser())).resolve()


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def raw_folders(*studies: str | os.PathLike | None) -> list[Path]:
    """The protected folders: each study's raw folder, then ``data/raw/`` of the working directory.

    A study is given as its folder or its ``codebook.toml``; a file's folder
    counts when it holds a ``codebook.toml``.

    >>> [p.as_posix() for p in raw_folders()]
    ['data/raw']
    """
    folders = []
    for study in studies:
        if study is None:
            continue
        p = Path(study)
        folder = p if p.is_dir() else p.parent
        if p.is_dir() or p.suffix.lower() == ".toml" or (folder / "codebook.toml").is_file():
            folders.append(folder)
    return folders + [RAW_DATA]  # the study's own folder first: the more telling name


def check_output(option: str, path: str | os.PathLike, inputs: Iterable[str | os.PathLike] = (),
                 protected: Iterable[str | os.PathLike] = (), *, folder: bool = False) -> Path:
    """``path`` as an output of ``option``, else :class:`~wai.errors.OptionError` saying why not.

    Parameters
    ----------
    option : str
        The option as the caller spelt it (``"--out"``, ``"out"``).
    path : path-like
        The output file, or folder when ``folder`` is true.
    inputs : iterable of path-like
        The files the run reads: never written over, never inside an output folder.
    protected : iterable of path-like
        Read-only folders (:func:`raw_folders`): nothing is written in them.
    folder : bool
        Whether ``path`` is a folder written into.

    Returns
    -------
    pathlib.Path
        ``path`` as given.

    >>> check_output("--rejected", "rejected.csv", inputs=["survey.csv"], protected=[])
    PosixPath('rejected.csv')
    >>> check_output("--rejected", "survey.csv", inputs=["survey.csv"])
    Traceback (most recent call last):
    ...
    wai.errors.OptionError: --rejected: got 'survey.csv', expected an output that is not an input file (it is the input survey.csv, which would be overwritten)
    """
    target = _resolved(path)
    shown = str(path)
    for given in inputs:
        source = _resolved(given)
        if source == target:
            raise OptionError(option, shown, "an output that is not an input file",
                              f"it is the input {given}, which would be overwritten")
        if folder and _within(source, target):
            raise OptionError(option, shown, "an output folder that holds no input",
                              f"it holds the input {given}, which must not be written over")
    for given in protected:
        root = _resolved(given)
        if _within(target, root):
            raise OptionError(option, shown, "an output outside the raw data",
                              f"it is inside {given}, which is read-only: raw data are never written")
        if folder and _within(root, target):
            raise OptionError(option, shown, "an output folder that holds no raw data",
                              f"it holds {given}, which is read-only: raw data are never written")
    return Path(path)


def inside(folder: str | os.PathLike, name: str | os.PathLike, option: str = "file name") -> Path:
    """``folder / name`` if it stays inside ``folder`` (symlinks followed), else :class:`~wai.errors.OptionError`.

    >>> inside("reports", "table1.csv").as_posix()
    'reports/table1.csv'
    >>> inside("reports", "../escaped.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    wai.errors.OptionError: file name: got '../escaped.csv', expected a name that stays inside the folder reports (it would be written to ...escaped.csv)
    """
    candidate = Path(folder) / name
    root, target = _resolved(folder), _resolved(candidate)
    if target == root or root not in target.parents:
        raise OptionError(option, str(name), f"a name that stays inside the folder {folder}",
                          f"it would be written to {target}")
    return candidate
