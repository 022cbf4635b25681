"""Tables for reports: plain data frames in, CSV and Markdown text out.

The functions here only shape and format; every number they print was
computed upstream (:mod:`wai.scoring`, :mod:`wai.reproduction`).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["markdown_table", "wai_table"]


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame, align: dict[str, str] | None = None) -> str:
    """A GitHub-flavoured Markdown pipe table (no extra dependency).

    >>> print(markdown_table(pd.DataFrame({"item": ["a|b"], "wai": ["0.60"]}), align={"wai": "right"}))
    | item | wai |
    |---|---:|
    | a\\|b | 0.60 |
    """
    align = align or {}
    marks = {"left": "---", "right": "---:", "center": ":---:"}
    lines = ["| " + " | ".join(_cell(c) for c in frame.columns) + " |",
             "|" + "|".join(marks[align.get(c, "left")] for c in frame.columns) + "|"]
    for row in frame.itertuples(index=False, name=None):
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    return "\n".join(lines)


def wai_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The published-style table of a set of items: ``item, wording, n, wai, band``.

    ``scores`` is a score table with ``item``, ``wording``, ``n``,
    ``wai_rounded`` and ``band`` columns; ``wai`` is the rounded text.

    >>> s = pd.DataFrame({"item": ["q"], "wording": ["Q?"], "n": [99], "wai_rounded": ["0.60"],
    ...                   "band": ["Neutral"]})
    >>> wai_table(s).columns.tolist()
    ['item', 'wording', 'n', 'wai', 'band']
    """
    out = scores[["item", "wording", "n", "wai_rounded", "band"]].rename(columns={"wai_rounded": "wai"})
    return out.reset_index(drop=True)
