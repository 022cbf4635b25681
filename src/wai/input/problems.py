"""Problems of many chunks (or partitions) as the one list the whole file gives.

:func:`wai.counting.encode_answers` lists at most 20 rows per column and
unknown value, then one problem without a row whose
:attr:`~wai.errors.Problem.n_more` counts the rest. Counting in chunks gives
such a list per chunk; :class:`ProblemList` merges them into the list the
whole file gives, whatever the chunking, and caps it at 1000 problems.

Examples
--------
>>> from wai.errors import Problem
>>> found = ProblemList()
>>> for chunk in ([Problem("a.csv", 3, "q", "x", "a label")], [Problem("a.csv", 2, "q", "y", "a label")]):
...     found.extend(chunk)
>>> [p.row for p in found.capped()]
[2, 3]
"""

from __future__ import annotations

from typing import Any, Iterable

from wai.errors import InputError, Problem

__all__ = ["ProblemList", "cap_problems", "MAX_PROBLEMS", "MAX_ROWS_PER_ANSWER"]

MAX_ROWS_PER_ANSWER = 20
"""Rows listed per column and distinct unknown value (as :mod:`wai.counting`)."""
MAX_PROBLEMS = 1000
"""Problems listed in all; one more problem counts the rest."""


def _order(p: Problem) -> tuple:
    """File order; within a row, problems of the row before those of its cells."""
    return (p.row is None, p.row or 0, p.column is not None)


class ProblemList:
    """Problems added chunk by chunk, in file order, kept exactly as the whole file would list them.

    Per column and unknown value the first 20 rows are listed, and the
    rest counted (``n_more``) on one problem without a row, listed after
    every row. Of the listed problems only those with the lowest rows are
    held (at most 5000; past that the lowest 2000), the others counted, and
    a count is kept per distinct column and value: a file with a problem
    on every row takes far less memory than its problems would, and
    :meth:`capped` is the same whatever the chunk sizes, as long as the
    chunks come in file order.
    """

    def __init__(self) -> None:
        self.held: list[Problem] = []  # listed problems, the lowest rows
        self.dropped = 0  # listed problems not held (their rows are past the held ones)
        self.listed: dict[tuple, int] = {}  # key -> rows listed
        self.more: dict[tuple, list[Any]] = {}  # key -> [n_more, an example]

    def __bool__(self) -> bool:
        return bool(self.held or self.dropped or self.more)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Add problems, each column's and value's rows in file order (as count_items lists them)."""
        for p in problems:
            if p.value is None or p.column is None:
                self.held.append(p)
                continue
            key = (p.file, p.column, repr(p.value), p.expected)
            if p.row is None:  # a chunk's summary of rows past its 20th
                self.more.setdefault(key, [0, p])[0] += p.n_more
            elif self.listed.get(key, 0) < MAX_ROWS_PER_ANSWER:
                self.listed[key] = self.listed.get(key, 0) + 1
                self.held.append(p)
            else:
                self.more.setdefault(key, [0, p])[0] += 1
        if len(self.held) > 5 * MAX_PROBLEMS:
            self.held.sort(key=_order)
            self.dropped += len(self.held) - 2 * MAX_PROBLEMS
            del self.held[2 * MAX_PROBLEMS:]

    def capped(self, name: str | None = None) -> list[Problem]:
        """The problems as one list: at most 1000, then one (of file ``name``) counting the rest."""
        kept = sorted(self.held, key=_order)
        place: dict[tuple, int] = {}
        for i, p in enumerate(kept):
            if p.column is not None and p.value is not None:
                place.setdefault((p.file, p.column, repr(p.value), p.expected), i)
        # summaries in the order of their first listed row
        summaries = sorted(self.more.items(), key=lambda kv: place.get(kv[0], len(kept)))
        for _, (extra, p) in summaries:
            kept.append(Problem(p.file, None, p.column, p.value, p.expected, n_more=extra))
        rest = max(0, len(kept) - MAX_PROBLEMS) + self.dropped
        kept = kept[:MAX_PROBLEMS]
        if rest:
            kept.append(Problem(name, None, None, f"{rest} more problems", "data without problems",
                                f"only the first {MAX_PROBLEMS} are listed"))
        return kept

    def error(self, name: str | None = None) -> InputError:
        """One InputError of :meth:`capped`."""
        return InputError(self.capped(name))


def cap_problems(problems: Iterable[Problem], name: str | None = None) -> list[Problem]:
    """Problems listed as :class:`ProblemList` lists them: per value 20 rows, at most 1000 in all."""
    found = ProblemList()
    found.extend(problems)
    return found.capped(name)
