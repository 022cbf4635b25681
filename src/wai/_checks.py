"""One validation layer: the checks every public function and command runs on its options.

Each check takes the option's name as the caller spells it and the value,
returns the value in its canonical type, and raises
:class:`~wai.errors.OptionError` (a :class:`~wai.errors.WaiError` and a
:class:`ValueError`) naming the option, the value and what is allowed. The
checks run before any data is read, so a bad option costs nothing on a large
file. A command turns the error into exit status 2 under the ``--flag``
spelling (:meth:`~wai.errors.OptionError.renamed`).

Also here, used by every reader and counter: :func:`is_blank`, the one
definition of a blank cell, and :func:`missing_columns`, the one
missing-column check with its "did you mean".

Examples
--------
>>> check_confidence_level(0.9)
0.9
>>> check_confidence_level(95)
Traceback (most recent call last):
...
wai.errors.OptionError: confidence_level: got 95, expected a number strictly between 0 and 1 (a confidence level such as 0.95, not a percentage or an alpha)
>>> check_choice("rule", "exact", ("rounded", "exact"))
'exact'
>>> is_blank("  "), is_blank(float("nan")), is_blank("0")
(True, True, False)
"""

from __future__ import annotations

import difflib
import math
from typing import Any, Iterable, Sequence

from wai.errors import OptionError, Problem

__all__ = [
    "check_choice", "check_confidence_level", "check_int", "check_n_resamples", "check_seed",
    "check_decimals", "check_column_name", "is_blank", "missing_columns", "nearest", "repeated_columns",
    "MAX_DECIMALS",
]

MAX_DECIMALS = 12
"""The most decimals a rounded value may be asked for (``decimals``)."""


def _is_whole(value: object) -> bool:
    import numbers

    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def nearest(value: object, choices: Iterable[object]) -> str:
    """``did you mean 'x'?`` for the closest choice, or ``""``.

    >>> nearest("exatc", ["rounded", "exact"])
    "did you mean 'exact'?"
    """
    near = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
    return f"did you mean {near[0]!r}?" if near else ""


def check_choice(option: str, value: object, choices: Sequence[str]) -> str:
    """``value`` if it is one of ``choices`` (exact spelling), else :class:`OptionError`."""
    if not isinstance(value, str) or value not in choices:
        raise OptionError(option, value, "one of " + ", ".join(map(repr, choices)), nearest(value, choices))
    return value


def check_int(option: str, value: object, low: int | None = None, high: int | None = None, *,
              what: str = "a whole number") -> int:
    """``value`` as an int if it is a whole number in ``[low, high]`` (bounds optional)."""
    if not _is_whole(value):
        raise OptionError(option, value, _range_text(what, low, high))
    number = int(value)  # type: ignore[call-overload]
    if (low is not None and number < low) or (high is not None and number > high):
        raise OptionError(option, value, _range_text(what, low, high))
    return number


def _range_text(what: str, low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{what} from {low} to {high}"
    if low is not None:
        return f"{what} of at least {low}"
    if high is not None:
        return f"{what} of at most {high}"
    return what


def check_confidence_level(value: object, option: str = "confidence_level") -> float:
    """A confidence level strictly between 0 and 1 (``0.95``), as a float."""
    import numbers

    expected = "a number strictly between 0 and 1"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise OptionError(option, value, expected, "e.g. 0.95")
    level = float(value)
    if not (math.isfinite(level) and 0.0 < level < 1.0):
        raise OptionError(option, value, expected, "a confidence level such as 0.95, not a percentage or an alpha")
    return level


def check_n_resamples(value: object, option: str = "n_resamples") -> int:
    """Bootstrap replicates: a whole number of at least 2."""
    return check_int(option, value, 2, 10**8)


def check_seed(value: object, option: str = "seed") -> int | None:
    """A seed for :func:`numpy.random.default_rng`: ``None`` or a whole number >= 0."""
    if value is None:
        return None
    return check_int(option, value, 0, what="a whole number (a seed)")


def check_decimals(value: object, option: str = "decimals") -> int:
    """Decimals of a rounded value: a whole number from 0 to :data:`MAX_DECIMALS`."""
    return check_int(option, value, 0, MAX_DECIMALS)


def check_column_name(option: str, value: object) -> str | None:
    """``None`` or a non-empty column name (text)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise OptionError(option, value, "a column name (non-empty text)")
    return value


def is_blank(value: Any) -> bool:
    """Whether a cell is blank: None, NaN, NA, NaT, or text of only whitespace.

    The one definition every reader, counter and figure uses.

    >>> import pandas as pd
    >>> [is_blank(v) for v in (None, pd.NA, " \\t", "x", 0, float("nan"))]
    [True, True, True, False, False, True]
    """
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False
    try:
        import numpy as np

        return isinstance(value, np.floating) and bool(np.isnan(value))
    except ImportError:  # pragma: no cover
        return False


def missing_columns(wanted: Iterable[str | None], columns: Sequence[object], *, file: str | None = None,
                    what: str = "a column of that name in the data") -> list[Problem]:
    """One :class:`~wai.errors.Problem` per wanted name that is not among ``columns``.

    Each names the nearest column ("did you mean") or lists the first ten.

    >>> [p.hint for p in missing_columns(["gendr", "q1"], ["gender", "q1"])]
    ["did you mean 'gender'?"]
    """
    names = [str(c) for c in columns]
    present = set(columns) | set(names)
    problems = []
    for name in wanted:
        if name is None or name in present:
            continue
        hint = nearest(name, names) or "columns are: " + ", ".join(map(repr, list(columns)[:10]))
        problems.append(Problem(file, None, name, None, what, hint))
    return problems


def repeated_columns(wanted: Iterable[object], columns: Any, *,
                     file: str | None = None) -> list[Problem]:
    """One :class:`~wai.errors.Problem` per wanted column whose name the frame holds more than once.

    ``columns`` is a frame's ``columns`` (a pandas Index, so that a name matches exactly the
    columns ``frame[name]`` selects: ``None`` matches NaN) or a list of names.

    >>> [p.hint for p in repeated_columns(["q1"], ["q1", "q2", "q1"])]
    ['columns 1 and 3 have this name; rename one']
    """
    import numpy as np
    import pandas as pd

    problems = []
    # the frame's own Index, so a name matches exactly the columns frame[name] selects
    index = columns if isinstance(columns, pd.Index) else pd.Index(list(columns), dtype=object)
    for name in list(dict.fromkeys(wanted)):  # None and NaN may be column names too
        try:
            found = index.get_loc(name)
        except (KeyError, TypeError, ValueError):  # absent: missing_columns says so
            continue
        if isinstance(found, int):
            continue
        at = list(range(len(index))[found]) if isinstance(found, slice) else list(np.flatnonzero(found))
        if len(at) > 1:
            problems.append(Problem(file, None, str(name), None, "a column name the data holds once",
                                    f"columns {' and '.join(str(i + 1) for i in at)} have this name; rename one"))
    return problems
