"""The package's own exceptions.

One base class, :class:`WaiError`, and a few shallow families. Every error
raised on bad input carries its context as attributes (file, row, column,
value) and says in its message what was expected.

A reader that finds several problems collects them all and raises one
:class:`InputError` holding every :class:`Problem`, so a user can fix a
file in one pass.

Examples
--------
>>> p = Problem("what.csv", 3, "q1", "Hgh", "one of the scale's labels", "did you mean 'High'?")
>>> print(p)
what.csv, row 3, column 'q1': got 'Hgh', expected one of the scale's labels (did you mean 'High'?)
>>> err = InputError([p])
>>> isinstance(err, WaiError), len(err.problems)
(True, 1)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

__all__ = [
    "WaiError",
    "ScaleError",
    "BandError",
    "CodebookError",
    "InputError",
    "Problem",
    "ReproductionError",
    "OptionError",
    "OutputError",
]


class WaiError(Exception):
    """Base class of every error the package raises on purpose."""


class ScaleError(WaiError, ValueError):
    """A Likert scale or index scheme was defined or used inconsistently."""


class BandError(WaiError, ValueError):
    """A band scheme is malformed, or a label is not one of its bands."""


class OptionError(WaiError, ValueError):
    """An option or argument has a value that is not allowed; raised before any data is read.

    Attributes
    ----------
    option : str
        The option as the caller spelt it (``"confidence_level"`` in Python,
        ``"--confidence"`` on a command line).
    value : object
        The value received.
    expected : str
        What is allowed.

    Examples
    --------
    >>> print(OptionError("confidence_level", 95, "a number strictly between 0 and 1, e.g. 0.95"))
    confidence_level: got 95, expected a number strictly between 0 and 1, e.g. 0.95
    """

    def __init__(self, option: str, value: Any, expected: str, hint: str = ""):
        self.option, self.value, self.expected, self.hint = option, value, expected, hint
        text = f"{option}: got {value!r}, expected {expected}"
        super().__init__(f"{text} ({hint})" if hint else text)

    def renamed(self, option: str) -> "OptionError":
        """The same error under another spelling of the option (a command's ``--flag``)."""
        return OptionError(option, self.value, self.expected, self.hint)


class ReproductionError(WaiError):
    """A published number that should reproduce did not."""


class OutputError(WaiError, OSError):
    """An output folder cannot take the outputs (read-only, full, a mount point, ...); nothing was switched in.

    Attributes
    ----------
    folder : str
        The output folder as given.
    reason : str
        What went wrong (the system's words and error name, e.g. ``No space left on device (ENOSPC)``).

    Examples
    --------
    >>> print(OutputError("reports", "Read-only file system (EROFS)"))
    cannot write the outputs to reports: Read-only file system (EROFS); the previous outputs are unchanged
    """

    def __init__(self, folder: str, reason: str, code: int | None = None):
        self.folder, self.reason = folder, reason
        super().__init__(f"cannot write the outputs to {folder}: {reason}; the previous outputs are unchanged")
        self.errno = code

    def __str__(self) -> str:
        return str(self.args[0])
SHOWN_CHARS = 60
"""Characters of a long text value a message shows (then its length)."""


def shown_value(value: Any) -> str:
    """``repr(value)``, a long text cut to its first :data:`SHOWN_CHARS` characters and its length.

    >>> shown_value("y" * 100)
    "'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy'... (100 characters)"
    """
    if isinstance(value, (str, bytes)) and len(value) > SHOWN_CHARS:
        return f"{value[:SHOWN_CHARS]!r}... ({len(value):,} characters)"
    text = repr(value)
    return text if len(text) <= 4 * SHOWN_CHARS else f"{text[:SHOWN_CHARS]}... ({len(text):,} characters)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file: where it is, what it was, what was expected.

    ``row`` is the row as a spreadsheet shows it (the header is row 1, the first
    respondent row 2) or ``None`` when the problem concerns the whole file or a column.
    ``in_codebook`` marks a problem in a codebook: its ``row`` is a line there
    and its ``column`` a key. ``n_more``, on a problem without a row, counts
    the further rows that hold this same value in this column, past those
    listed as problems of their own; it is rendered after the hint.

    >>> print(Problem("a.csv", None, "q1", "Hgh", "a label", "did you mean 'High'?", n_more=1))
    a.csv, column 'q1': got 'Hgh', expected a label (did you mean 'High'?; 1 more row holds this answer)
    """

    file: str | None
    row: int | None
    column: str | None
    value: Any
    expected: str
    hint: str = ""
    in_codebook: bool = False
    n_more: int = 0

    def __str__(self) -> str:
        where = [self.file or "<data>"]
        if self.row is not None:
            where.append(f"{'line' if self.in_codebook else 'row'} {self.row}")
        if self.column is not None:
            where.append(f"{'key' if self.in_codebook else 'column'} {self.column!r}")
        got = "" if self.value is None else f"got {shown_value(self.value)}, "
        text = f"{', '.join(where)}: {got}expected {self.expected}"
        notes = [self.hint] if self.hint else []
        if self.n_more:
            notes.append(f"{self.n_more} more row holds this answer" if self.n_more == 1
                         else f"{self.n_more} more rows hold this answer")
        return f"{text} ({'; '.join(notes)})" if notes else text


class InputError(WaiError, ValueError):
    """One or more problems in input data, collected in a single pass.

    Attributes
    ----------
    problems : list of Problem
        Every problem found, in file order.
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the input:"
        lines = [head] + [f"  - {p}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        super().__init__("\n".join(lines))

    @property
    def file(self) -> str | None:
        return self.problems[0].file if self.problems else None

    @property
    def row(self) -> int | None:
        return self.problems[0].row if self.problems else None

    @property
    def column(self) -> str | None:
        return self.problems[0].column if self.problems else None

    @property
    def value(self) -> Any:
        return self.problems[0].value if self.problems else None


class CodebookError(InputError):
    """A study codebook is missing, malformed or inconsistent with its data."""
