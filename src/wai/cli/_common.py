"""What every command shares: its parser, its error handling and its up-front checks.

A command is a parser (:func:`parser`) plus a body. :func:`run` runs the body
and is the one place that turns a failure into an exit status:

* :class:`~wai.errors.WaiError` (an :class:`~wai.errors.OptionError`, an
  :class:`~wai.errors.InputError`, ...) -> ``error: ...`` on standard error, exit 2
  (one line for an option, or an input error of one problem);
* :class:`OSError` on input or output -> ``error: PATH: what went wrong``, exit 2;
* a closed standard output (``... | head -1``) -> quiet, the usual exit status;
* anything else, a bug -> one line naming it, exit 2 (``WAI_DEBUG=1`` shows the traceback).

A usage error argparse finds (``--decimals x``, an unknown option) is one line
``error: argument --decimals: ...``, exit 2, like an option the checks refuse.

The checks here run before any data is read: :func:`check_file` (an input
that exists and is a file), :func:`check_output_file` and
:func:`check_output_dir` (an output that is not in the way of something of the
other kind), :func:`check_reader_options` and :func:`check_header` (column
names against a text file's header line only, so a bad ``--by`` costs nothing
on a 1 GB file).
"""

from __future__ import annotations

import argparse
import codecs
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, NoReturn, Sequence

from wai._checks import nearest
from wai.errors import InputError, OptionError, Problem, WaiError
from wai.io import CSV_FORMULAS

__all__ = [
    "UsageError", "parser", "run", "emit", "exit_now", "check_file", "check_output_file", "check_output_dir",
    "check_reader_options", "header_columns", "check_header", "TEXT_SUFFIXES",
]

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
"""Suffixes of the text files whose header line :func:`header_columns` reads."""


class UsageError(WaiError):
    """A command line argparse cannot parse (an unknown option, ``--decimals x``)."""


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line ``error: ...`` and exit status 2, via :func:`run`."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def parser(prog: str, description: str, epilog: str | None = None, *, raw: bool = True) -> argparse.ArgumentParser:
    """The parser of a command: ``prog`` as ``python -m wai.<command>``, one-line usage errors."""
    return _Parser(prog=prog, description=description, epilog=epilog,
                   formatter_class=argparse.RawDescriptionHelpFormatter if raw else argparse.HelpFormatter)


def add_csv_formulas_option(parser: argparse.ArgumentParser) -> None:
    """``--csv-formulas escape|keep``: whether CSV cells a spreadsheet would run as a formula are escaped.

    >>> p = parser("x", "y")
    >>> add_csv_formulas_option(p)
    >>> p.parse_args([]).csv_formulas, p.parse_args(["--csv-formulas", "keep"]).csv_formulas
    ('escape', 'keep')
    """
    parser.add_argument("--csv-formulas", choices=list(CSV_FORMULAS), default="escape",
                        help="escape (default): a CSV text cell that starts with = + - @, a tab or a carriage "
                             "return, and is not a number, is written with a leading ' so that a spreadsheet "
                             "shows it instead of running it as a formula; keep: write every cell as it is")


def _error(message: str) -> int:
    try:
        sys.stderr.write(f"error: {message}\n")
        sys.stderr.flush()
    except (BrokenPipeError, OSError):  # nowhere to say it
        pass
    return 2


def exit_now(code: int) -> NoReturn:
    """End the process with ``code`` at once: the ``atexit`` handlers run and both streams are flushed,
    then :func:`os._exit`, skipping the interpreter's teardown.

    That teardown frees every object of every module one by one (pandas,
    scipy, a report's results) only for the system to drop the memory
    anyway: about 0.4 s of a 7 s ``python -m wai.report``. Nothing of
    the package waits for it: outputs are closed (and switched into place)
    before a command returns, and the handlers registered with ``atexit``
    (logging, multiprocessing) still run, through ``atexit._run_exitfuncs``
    (the interpreter's own hook; the standard library has no public one).
    Each ``python -m wai...`` and the ``wai`` script end so.
    """
    import atexit

    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe, or a closed stream
                pass
        os._exit(code)


def _silence_stdout() -> None:
    """After a closed pipe: send what is left to /dev/null, so exiting flushes without an error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


def emit(text: str) -> bool:
    """Write ``text`` to standard output; ``False`` (and quiet from then on) if the reader has gone."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return False
    return True


def _os_message(exc: OSError) -> str:
    where = exc.filename if exc.filename is not None else ""
    what = exc.strerror or str(exc)
    return f"{where}: {what}" if where else what


def run(body: Callable[[], int]) -> int:
    """Run a command's body; every failure becomes a message and an exit status (see the module)."""
    try:
        code = int(body())
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
        return code
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except InputError as exc:  # one problem: one line
        return _error(str(exc.problems[0]) if len(exc.problems) == 1 else str(exc))
    except WaiError as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(_os_message(exc))
    except KeyboardInterrupt:
        return _error("interrupted") + 128
    except Exception as exc:  # no traceback reaches a user; WAI_DEBUG=1 shows it
        if os.environ.get("WAI_DEBUG"):
            raise
        first = str(exc).splitlines()[0] if str(exc) else ""
        return _error(f"unexpected {type(exc).__name__}: {first} (a bug in wai; WAI_DEBUG=1 shows where)")


# ---------------------------------------------------------------------------- files

def check_file(path: str | os.PathLike, what: str = "an existing file") -> Path:
    """An input file that exists and is a file, else :class:`InputError` naming it, as the readers do.

    >>> check_file("/")
    Traceback (most recent call last):
    ...
    wai.errors.InputError: 1 problem(s) in the input:
      - /: expected a file, not a folder
    """
    p = Path(path)
    if p.is_dir():
        raise InputError([Problem(str(path), None, None, None, "a file, not a folder")])
    if not p.exists():
        raise InputError([Problem(str(path), None, None, None, what)])
    return p


def check_output_file(option: str, path: str | os.PathLike) -> Path:
    """A file to write: not an existing folder, in a folder that exists or can be made."""
    p = Path(path)
    if p.is_dir():
        raise OptionError(option, str(path), "a file to write, not a folder")
    parent = _existing_ancestor(p.parent)
    if not parent.is_dir():
        raise OptionError(option, str(path), "a file in a folder", f"{parent} is a file")
    return p


def check_output_dir(option: str, path: str | os.PathLike) -> Path:
    """A folder to write into: a folder, or nothing yet (then made) -- not an existing file."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise OptionError(option, str(path), "a folder, not an existing file")
    parent = _existing_ancestor(p)
    if not parent.is_dir():
        raise OptionError(option, str(path), "a folder", f"{parent} is a file")
    return p


def _existing_ancestor(p: Path) -> Path:
    while not p.exists() and p != p.parent:
        p = p.parent
    return p if p.exists() else Path(".")


# ------------------------------------------------------------------ reader options

def check_reader_options(args: argparse.Namespace) -> None:
    """``--encoding`` names a text codec; ``--delimiter`` is one character or a known name."""
    encoding = getattr(args, "encoding", None)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
            text = codecs.lookup(encoding)._is_text_encoding
        except (LookupError, AttributeError):
            text = False
        if not text:
            raise OptionError("--encoding", encoding, "the name of a text encoding",
                              "e.g. utf-8, cp1252, latin-1 or utf-16")
    delimiter = getattr(args, "delimiter", None)
    names = ("tab", "comma", "semicolon", "pipe", "\\t")
    if delimiter is not None and len(delimiter) != 1 and delimiter.lower() not in names:
        raise OptionError("--delimiter", delimiter, "one character, or one of " + ", ".join(map(repr, names)))


def header_columns(path: Path, *, encoding: str | None = None, delimiter: str | None = None) -> list[str] | None:
    """The column names of a text file, from its header line only; ``None`` if not a text file.

    The header is read as the readers read it (same encoding and delimiter
    detection). ``None`` too when the header cannot be read: the reader then
    names the problem.
    """
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return None
    from wai.input.records import TextRecords

    try:
        with TextRecords(path, str(path), encoding=encoding, delimiter=delimiter,
                         tab=path.suffix.lower() == ".tsv") as records:
            return list(records.header())
    except (WaiError, OSError):
        return None


def check_header(columns: Sequence[Any] | None, wanted: Iterable[tuple[str, Sequence[str | None]]],
                 *, file: str) -> None:
    """Each ``(option, names)``: every name is one of ``columns``, else :class:`OptionError` for the first option.

    >>> check_header(["q1", "gender"], [("--items", ["q1"]), ("--by", ["gendr"])], file="t.csv")
    Traceback (most recent call last):
    ...
    wai.errors.OptionError: --by: got 'gendr', expected a column of t.csv (did you mean 'gender'?)
    """
    if columns is None:
        return
    names = [str(c) for c in columns]
    present = set(names)
    for option, values in wanted:
        missing = [v for v in values if v is not None and v not in present]
        if not missing:
            continue
        hint = nearest(missing[0], names) or "its columns are: " + ", ".join(map(repr, names[:10])) \
            + (", ..." if len(names) > 10 else "")
        value: object = missing[0] if len(missing) == 1 else missing
        what = "a column of" if len(missing) == 1 else "columns of"
        raise OptionError(option, value, f"{what} {file}", hint)
