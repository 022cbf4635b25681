"""A published table's text cells and the findings the audit makes about it.

Shared by the audit's table mappers (:mod:`wai.audit`, :mod:`wai.index_audit`): the
:class:`Finding` row with its fixed columns :data:`FINDING_COLUMNS`, and :class:`Cells`,
which parses a table's cells as printed numbers, collecting every problem.

Examples
--------
>>> frame_of([Finding("t.csv", 2, "q1", "granularity", "ok", "fine")])["check"].tolist()
['granularity']
"""

from __future__ import annotations

import math
from dataclasses import astuple, dataclass
from typing import Sequence

import pandas as pd

from wai.errors import InputError, Problem
from wai.exact import ReportedValue, parse_reported

__all__ = ["Finding", "FINDING_COLUMNS", "FIRST_ROW", "Cells", "frame_of", "numbered"]

FINDING_COLUMNS = ["table", "row", "item", "check", "status", "detail", "consistent_n"]
"""The columns of every findings table, in order."""
FIRST_ROW = 2
"""Spreadsheet numbering: the header is row 1."""


@dataclass(frozen=True)
class Finding:
    """One check on one printed number (or one table, when ``row`` is None)."""

    table: str
    row: int | None
    item: str
    check: str
    status: str  # "ok", "note" or "inconsistent"
    detail: str
    consistent_n: tuple[int, ...] | None = None


def frame_of(findings: Sequence[Finding]) -> pd.DataFrame:
    """The findings as a table with the columns :data:`FINDING_COLUMNS`."""
    out = pd.DataFrame([astuple(f) for f in findings], columns=FINDING_COLUMNS)
    out["row"] = out["row"].astype("Int64")
    return out


class Cells:
    """Text cells of a table, parsed with every problem collected."""

    def __init__(self, frame: pd.DataFrame, name: str):
        self.frame = frame.rename(columns=lambda c: str(c).strip().lower())
        self.name = name
        self.problems: list[Problem] = []
        first: dict[str, int] = {}
        for i, column in enumerate(self.frame.columns):
            if column in first:
                self.problems.append(Problem(name, 1, str(frame.columns[i]), None, "distinct column names",
                                             f"columns {first[column] + 1} and {i + 1} have this name "
                                             "(case and spaces aside)"))
            first.setdefault(column, i)
        self.raise_problems()

    def text(self, position: int, column: str) -> str:
        if column not in self.frame.columns:
            return ""
        value = self.frame[column].iloc[position]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        return str(value).strip()

    def number(self, position: int, column: str) -> ReportedValue | None:
        text = self.text(position, column)
        if not text:
            return None
        try:
            return parse_reported(text.rstrip("%"))
        except ValueError:
            self.problems.append(Problem(self.name, position + FIRST_ROW, column, text,
                                         "a number as printed, such as 0.60 or 27.7"))
            return None

    def whole(self, position: int, column: str) -> int | None:
        text = self.text(position, column)
        if not text:
            return None
        try:
            value = int(text)
            if value < 0:
                raise ValueError
            return value
        except ValueError:
            self.problems.append(Problem(self.name, position + FIRST_ROW, column, text,
                                         "a whole number of respondents (0 or more)"))
            return None

    def raise_problems(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def numbered(columns: Sequence[str], prefix: str) -> list[str]:
    """The columns ``prefix1 .. prefixK`` in order; InputError when numbers are missing."""
    found = sorted((int(c[len(prefix):]), c) for c in columns
                   if c.startswith(prefix) and c[len(prefix):].isdigit())
    names = [c for _, c in found]
    if names and [k for k, _ in found] != list(range(1, len(found) + 1)):
        raise InputError([Problem(None, 1, ", ".join(names), None,
                                  f"{prefix}1 .. {prefix}K with no gaps, lowest category first")])
    return names


