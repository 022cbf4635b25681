"""Tables for reports: plain data frames in, Markdown, LaTeX and HTML text out.

The functions here only shape and format; every number they print was
computed upstream (:mod:`wai.scoring`, :mod:`wai.study.reproduction`). Cells are
printed as their text (``str``), so a rounded value such as ``"0.60"`` keeps
its trailing zero; an empty or NaN cell prints empty.

==========================  =================================================
function                    what it gives
==========================  =================================================
:func:`markdown_table`      a GitHub-flavoured pipe table
:func:`latex_table`         a booktabs ``table`` float for a paper
:func:`html_table`          a small HTML table with inline styles only, that
                            pastes into a word processor as a plain table
:func:`wai_table`           the published-style ``item, wording, n, wai, band``
==========================  =================================================
"""

from __future__ import annotations

import html
import math
import re
from typing import Mapping, Sequence

import pandas as pd

__all__ = ["markdown_table", "markdown_text", "latex_table", "html_table", "wai_table", "ALIGNMENTS"]

ALIGNMENTS: tuple[str, ...] = ("left", "right", "center")


def _text(value: object) -> str:
    """A cell's text: empty for None and NaN, whitespace runs (newlines too) as one space."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return " ".join(str(value).split())


def markdown_text(text: object) -> str:
    """Text for a Markdown file with HTML escaped: ``&``, ``<`` and ``>`` as entities.

    Markdown passes raw HTML through to the page a viewer renders, so any
    text the package did not write itself (titles, wordings, labels, notes,
    published values) goes through here: ``<script>`` then shows as text
    instead of running. Markdown's own marks (``*``, ``_``, backticks) are
    left alone.

    >>> print(markdown_text("<img src=x onerror=alert(1)> & <script>alert(1)</script>"))
    &lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;
    """
    return html.escape(str(text), quote=False)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return markdown_text(value).replace("|", "\\|").replace("\n", " ")


def _alignments(frame: pd.DataFrame, align: Mapping[str, str] | None) -> list[str]:
    """One alignment per column, default left; ``align`` may name columns the frame lacks."""
    align = dict(align or {})
    bad = {c: a for c, a in align.items() if a not in ALIGNMENTS}
    if bad:
        raise ValueError(f"align values must be one of {list(ALIGNMENTS)}, got {bad}")
    return [align.get(str(c), "left") for c in frame.columns]


def markdown_table(frame: pd.DataFrame, align: dict[str, str] | None = None) -> str:
    """A GitHub-flavoured Markdown pipe table (no extra dependency).

    Every cell and column name is text, never markup: HTML is escaped
    (:func:`markdown_text`), ``|`` (which would end the cell) is written
    ``\\|`` and a line break as a space.

    >>> print(markdown_table(pd.DataFrame({"item": ["a|b"], "wai": ["0.60"]}), align={"wai": "right"}))
    | item | wai |
    |---|---:|
    | a\\|b | 0.60 |
    >>> print(markdown_table(pd.DataFrame({"<b>": ["<script>x</script>"]})))
    | &lt;b&gt; |
    |---|
    | &lt;script&gt;x&lt;/script&gt; |
    """
    marks = {"left": "---", "right": "---:", "center": ":---:"}
    lines = ["| " + " | ".join(_cell(c) for c in frame.columns) + " |",
             "|" + "|".join(marks[a] for a in _alignments(frame, align)) + "|"]
    for row in frame.itertuples(index=False, name=None):
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    return "\n".join(lines)


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_LATEX_PATTERN = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIAL))


def latex_escape(text: object) -> str:
    r"""A cell's text with LaTeX's special characters escaped (``& % $ # _ { } ~ ^ \``).

    >>> print(latex_escape("50% of A&B_1 {x} ~ y^2 \\ $5 #3"))
    50\% of A\&B\_1 \{x\} \textasciitilde{} y\textasciicircum{}2 \textbackslash{} \$5 \#3
    """
    return _LATEX_PATTERN.sub(lambda m: _LATEX_SPECIAL[m.group(0)], _text(text))


def latex_table(frame: pd.DataFrame, caption: str, label: str,
                align: Mapping[str, str] | None = None, *, notes: Sequence[str] = ()) -> str:
    r"""A booktabs LaTeX table (``\toprule``, ``\midrule``, ``\bottomrule``) of a data frame.

    Parameters
    ----------
    frame : DataFrame
        The table as it should print: one column per column, cells as text.
    caption : str
        The caption (escaped like every cell).
    label : str
        The ``\label`` key, e.g. ``"tab:table1"``: letters, digits and
        ``: - . _ /`` only.
    align : mapping of column name to {"left", "right", "center"}, optional
        Default left for every column.
    notes : sequence of str
        Printed small under the table, after "Note:" (empty ones are skipped).

    Returns
    -------
    str
        A ``table`` float, caption above the ``tabular``; needs
        ``\usepackage{booktabs}`` in the preamble. Text is UTF-8 (an en dash
        stays an en dash), which LaTeX reads by default since 2018.

    Raises
    ------
    ValueError
        A label with other characters, or an unknown alignment.

    Examples
    --------
    >>> t = pd.DataFrame({"item": ["A&B"], "n": [99], "wai": ["0.60"], "share": ["27.7%"]})
    >>> print(latex_table(t, "WAI by item", "tab:wai", align={"n": "right", "wai": "right"}))
    \begin{table}[htbp]
    \centering
    \caption{WAI by item}
    \label{tab:wai}
    \begin{tabular}{lrrl}
    \toprule
    item & n & wai & share \\
    \midrule
    A\&B & 99 & 0.60 & 27.7\% \\
    \bottomrule
    \end{tabular}
    \end{table}
    >>> for line in latex_table(t, "WAI", "tab:wai", notes=["Bands: 0.41-0.60 = Neutral."]).splitlines()[-3:]:
    ...     print(line)
    \par\smallskip
    {\footnotesize\raggedright Note: Bands: 0.41-0.60 = Neutral.\par}
    \end{table}
    """
    if not re.fullmatch(r"[A-Za-z0-9:\-._/]+", label):
        raise ValueError(f"label must be letters, digits and ':-._/' only (it is a LaTeX key), got {label!r}; "
                         "hint: e.g. 'tab:table1'")
    spec = "".join(a[0] for a in _alignments(frame, align))
    lines = [r"\begin{table}[htbp]", r"\centering", rf"\caption{{{latex_escape(caption)}}}",
             rf"\label{{{label}}}", rf"\begin{{tabular}}{{{spec}}}", r"\toprule",
             " & ".join(latex_escape(c) for c in frame.columns) + r" \\", r"\midrule"]
    for row in frame.itertuples(index=False, name=None):
        lines.append(" & ".join(latex_escape(v) for v in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    notes = [_text(n) for n in notes if _text(n)]
    if notes:
        lines += [r"\par\smallskip", "{\\footnotesize\\raggedright Note: " + " ".join(latex_escape(n) for n in notes)
                  + r"\par}"]
    lines.append(r"\end{table}")
    return "\n".join(lines)


_CELL_STYLE = "padding:2pt 6pt;vertical-align:top;"


def html_table(frame: pd.DataFrame, caption: str, align: Mapping[str, str] | None = None, *,
               notes: Sequence[str] = (), document: bool = True) -> str:
    """A plain HTML table with inline styles only, to paste into Word or open in a browser.

    Three rules as in a printed table (above and below the header, below
    the last row), no colours, no classes, no scripts; every text escaped.
    The caption is a paragraph above the table (not ``<caption>``, which
    word processors handle unevenly). Opened in a browser (or in Word
    directly), selected and copied, it pastes as an ordinary editable table.

    Parameters
    ----------
    frame : DataFrame
        The table as it should print.
    caption : str
        Printed above the table.
    align : mapping of column name to {"left", "right", "center"}, optional
        Default left.
    notes : sequence of str
        A paragraph under the table, after "Note:" (empty ones are skipped).
    document : bool
        True (default): a whole UTF-8 HTML document holding the table;
        False: the caption paragraph and the ``<table>`` element alone.

    Examples
    --------
    >>> t = pd.DataFrame({"item": ["<b>"], "wai": ["0.60"]})
    >>> print(html_table(t, "WAI & band", align={"wai": "right"}, document=False))
    <p style="font-family:'Times New Roman',Times,serif;font-size:11pt;margin:0 0 4pt 0;">WAI &amp; band</p>
    <table style="border-collapse:collapse;font-family:'Times New Roman',Times,serif;font-size:11pt;">
    <thead>
    <tr><th style="padding:2pt 6pt;vertical-align:top;text-align:left;border-top:1.5pt solid #000;border-bottom:0.75pt solid #000;">item</th><th style="padding:2pt 6pt;vertical-align:top;text-align:right;border-top:1.5pt solid #000;border-bottom:0.75pt solid #000;">wai</th></tr>
    </thead>
    <tbody>
    <tr><td style="padding:2pt 6pt;vertical-align:top;text-align:left;border-bottom:1.5pt solid #000;">&lt;b&gt;</td><td style="padding:2pt 6pt;vertical-align:top;text-align:right;border-bottom:1.5pt solid #000;">0.60</td></tr>
    </tbody>
    </table>
    >>> page = html_table(t, "WAI", notes=["n = 99."])
    >>> page.startswith("<!DOCTYPE html>"), "Note: n = 99.</p>" in page
    (True, True)
    """
    aligns = _alignments(frame, align)
    top, mid = "border-top:1.5pt solid #000;", "border-bottom:0.75pt solid #000;"
    bottom = "border-bottom:1.5pt solid #000;"

    def row(cells: list[object], tag: str, extra: str) -> str:
        return "<tr>" + "".join(
            f'<{tag} style="{_CELL_STYLE}text-align:{a};{extra}">{html.escape(_text(v))}</{tag}>'
            for v, a in zip(cells, aligns)) + "</tr>"

    rows = list(frame.itertuples(index=False, name=None))
    body = [row(list(r), "td", bottom if i == len(rows) - 1 else "") for i, r in enumerate(rows)]
    font = "font-family:'Times New Roman',Times,serif;font-size:11pt;"
    lines = [f'<p style="{font}margin:0 0 4pt 0;">{html.escape(_text(caption))}</p>',
             f'<table style="border-collapse:collapse;{font}">',
             "<thead>", row(list(frame.columns), "th", top + (mid if rows else bottom)), "</thead>",
             "<tbody>", *body, "</tbody>", "</table>"]
    notes = [_text(n) for n in notes if _text(n)]
    if notes:
        lines.append(f'<p style="{font.replace("11pt", "9pt")}margin:4pt 0 0 0;">Note: '
                     + html.escape(" ".join(notes)) + "</p>")
    table = "\n".join(lines)
    if not document:
        return table
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(_text(caption))}</title>\n</head>\n<body>\n{table}\n</body>\n</html>\n")


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
