"""Read a table as pasted from a PDF or a web page into the audit's columns, saying how.

A published table copied out of a paper rarely is a clean CSV: cells split at tabs,
runs of spaces or semicolons; a caption above and a note below; the sample size in
a header (``WAI (n = 99)``) or on its own row under the header (``(n=99)``);
headers such as ``Attributes``, ``OA``, ``Std. Dev.``; ``%`` signs; counts with
their percentages in one cell (``9 (15%)``, ``9(15)``); decimal commas; category
columns printed highest first; an RII printed in percent (``98.0``).
:func:`read_pasted` turns such text into the columns :func:`wai.audit.validate`
reads (``item``, ``wai|rii|mean``, ``sd``, ``sum``, ``rank``, ``band``, ``n``,
``count_1..K``, ``pct_1..K``, lowest category first) and returns, with the frame,
every recognition it made, in words, so the audit can echo them and a reviewer
sees how the table was read.

Examples
--------
>>> t = read_pasted("Table 2. Views\\nItem\\tWAI (n=99)\\tOA\\nGovernment\\t0.60\\tMedium\\n")
>>> t.frame.to_dict("records")
[{'item': 'Government', 'wai': '0.60', 'band': 'Medium', 'n': '99'}]
>>> print("\\n".join(t.recognitions))
line 1 'Table 2. Views' read as the caption, not checked
cells split at tabs
header 'Item' read as the item column
header 'WAI (n=99)' read as the wai column, with n = 99 for every row
header 'OA' read as the band column (overall assessment)
in the findings, row 2 is the table's line 3 of the text
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pandas as pd

from wai.errors import InputError, OptionError, Problem
from wai.published import FIRST_ROW

__all__ = ["PastedTable", "read_pasted", "DELIMITERS", "canonical_header"]

DELIMITERS = {"tab": "\t", "comma": ",", "semicolon": ";", "spaces": "  ", "\t": "\t", ",": ",", ";": ";"}
"""Names a ``delimiter`` argument may take (``spaces``: runs of two or more spaces)."""

_HEADERS = {
    "item": ("item", "items", "attribute", "attributes", "statement", "statements", "variable", "variables",
             "question", "questions", "factor", "factors", "indicator", "indicators", "description", "criteria"),
    "wai": ("wai", "weighted average index", "weight average index"),
    "rii": ("rii", "relative importance index", "ri"),
    "mean": ("mean", "means", "m", "average", "mean score", "mean value", "x̄", "avg"),
    "sd": ("sd", "s.d.", "std", "std. dev.", "std dev", "std. deviation", "standard deviation", "st. dev."),
    "sum": ("sum", "total", "total score", "σw", "∑w", "sum of weights", "sum score"),
    "rank": ("rank", "ranking", "rank order"),
    "band": ("band", "oa", "overall assessment", "level", "interpretation", "remark", "remarks", "decision",
             "verbal interpretation"),
    "category": ("category", "group", "response", "answer", "option"),
    "percent": ("percent", "percentage", "%", "share", "per cent", "valid percent"),
    "count": ("count", "frequency", "freq", "f", "no.", "number", "counts"),
    "n": ("n", "sample size", "respondents"),
}
_GLOSS = {"oa": " (overall assessment)"}
_LADDERS = [
    ("strongly disagree", "disagree", "neutral", "agree", "strongly agree"),
    ("sd", "d", "n", "a", "sa"),
    ("very low", "low", "medium", "high", "very high"),
    ("very low", "low", "moderate", "high", "very high"),
    ("very low", "low", "neutral", "high", "very high"),
    ("never", "rarely", "sometimes", "often", "always"),
    ("very poor", "poor", "fair", "good", "very good"),
    ("very poor", "poor", "average", "good", "excellent"),
    ("not important", "slightly important", "moderately important", "important", "very important"),
    ("very unlikely", "unlikely", "neutral", "likely", "very likely"),
    ("very dissatisfied", "dissatisfied", "neutral", "satisfied", "very satisfied"),
]
_SYNONYMS = {"neither agree nor disagree": "neutral", "undecided": "neutral", "neither": "neutral",
             "u": "n", "uncertain": "neutral", "agreed": "agree", "strongly agreed": "strongly agree"}
_N_TEXT = re.compile(r"[\(\[]?\s*(?<![A-Za-z])n\s*=\s*(\d[\d,]*)\s*[\)\]]?", re.IGNORECASE)
_NOTES = ("note", "source", "*", "\u2020", "key:", "where")
_PAIR = re.compile(r"^\s*(\d+)\s*\(\s*([-+]?\d*[.,]?\d+)\s*%?\s*\)\s*$")


@dataclass(frozen=True)
class PastedTable:
    """A pasted table read into the audit's columns.

    Attributes
    ----------
    frame : pandas.DataFrame
        Text cells under canonical column names.
    recognitions : tuple of str
        Every way the text was read, in words, in order.
    lines : tuple of int
        The line of the text each row of ``frame`` came from.
    """

    frame: pd.DataFrame
    recognitions: tuple[str, ...]
    lines: tuple[int, ...]


def canonical_header(text: str) -> tuple[str | None, int | None]:
    """The audit column a printed header names (or None) and an ``n`` stated in it.

    >>> canonical_header("WAI (n = 99)"), canonical_header("Std. Dev."), canonical_header("Colour")
    (('wai', 99), ('sd', None), (None, None))
    """
    n = None
    found = _N_TEXT.search(text)
    plain = text
    if found and found.group(0).strip() != text.strip():
        n = int(found.group(1).replace(",", ""))
        plain = text.replace(found.group(0), " ")
    key = re.sub(r"\s+", " ", plain.replace("(%)", "").replace("%", "").strip().lower()).strip(" :.")
    for column, names in _HEADERS.items():
        if key in {name.strip(" :.") for name in names}:
            return column, n
    return None, n


def _label_key(text: str) -> str:
    key = re.sub(r"\s+", " ", re.sub(r"\(.*?\)|%|\d+\s*=", " ", text).strip().lower()).strip(" :.")
    return _SYNONYMS.get(key, key)


def category_order(headers: list[str]) -> str | None:
    """``"lowest_first"``, ``"highest_first"`` or None (not recognised) for category headers.

    >>> category_order(["SA", "A", "N", "D", "SD"]), category_order(["1", "2", "3"])
    ('highest_first', 'lowest_first')
    """
    keys = [_label_key(h) for h in headers]
    if all(re.fullmatch(r"\d+", k) for k in keys):
        codes = [int(k) for k in keys]
        if codes == sorted(codes) and len(set(codes)) == len(codes):
            return "lowest_first"
        if codes == sorted(codes, reverse=True) and len(set(codes)) == len(codes):
            return "highest_first"
        return None
    for ladder in _LADDERS:
        if all(k in ladder for k in keys) and len(set(keys)) == len(keys) and len(keys) >= 2:
            places = [ladder.index(k) for k in keys]
            if places == sorted(places):
                return "lowest_first"
            if places == sorted(places, reverse=True):
                return "highest_first"
    return None


def _split(lines: list[tuple[int, str]], delimiter: str | None, decimal: str) -> tuple[list[tuple[int, list[str]]], str]:
    if delimiter is None:
        texts = [t for _, t in lines]
        if any("\t" in t for t in texts):
            delimiter, how = "\t", "cells split at tabs"
        elif sum(";" in t for t in texts) >= max(2, len(texts) // 2):
            delimiter, how = ";", "cells split at semicolons"
        elif decimal != "," and sum("," in t for t in texts) >= max(2, len(texts) // 2):
            delimiter, how = ",", "cells split at commas (CSV)"
        else:
            delimiter, how = "  ", "cells split at runs of two or more spaces"
    else:
        if delimiter not in DELIMITERS:
            raise OptionError("delimiter", delimiter, "one of " + ", ".join(k for k in DELIMITERS if len(k) > 1))
        delimiter = DELIMITERS[delimiter]
        how = {"\t": "cells split at tabs", ",": "cells split at commas (CSV)", ";": "cells split at semicolons",
               "  ": "cells split at runs of two or more spaces"}[delimiter] + " (--delimiter)"
    rows = []
    for number, text in lines:
        if delimiter == "  ":
            cells = re.split(r"\s{2,}", text.strip())
        else:
            cells = next(csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True), [])
        rows.append((number, [c.strip() for c in cells]))
    return rows, how


def _number(text: str, decimal: str) -> str:
    """A printed number's text with a decimal comma made a point, ``%`` and spaces dropped."""
    t = text.replace("%", "").replace("\u2212", "-").strip()
    if decimal == ",":
        t = t.replace(".", "").replace(",", ".") if re.fullmatch(r"[-+]?[\d.]*,\d+", t) else t
    return t


def _percent_rii(values: list[str]) -> list[str] | None:
    """An RII column printed in percent (every value above 1 and at most 100), as fractions."""
    try:
        numbers = [Decimal(v) for v in values if v]
    except InvalidOperation:
        return None
    if not numbers or not all(x.is_finite() and 1 < x <= 100 for x in numbers):
        return None
    return [str(Decimal(v).scaleb(-2)) if v else v for v in values]


def read_pasted(text: str, *, delimiter: str | None = None, decimal: str = ".", highest_first: bool | None = None,
                name: str = "table") -> PastedTable:
    """Read a pasted table; see the module docstring for what is recognised.

    Parameters
    ----------
    text : str
        The table as pasted (caption and note lines may stay).
    delimiter : {"tab", "comma", "semicolon", "spaces"}, optional
        How cells are split; detected when not given.
    decimal : {".", ","}
        The decimal mark of the printed numbers.
    highest_first : bool, optional
        Whether category columns run from the highest category; detected from their labels
        when not given (and lowest first when the labels do not say).
    name : str
        The table's name in error messages.

    Returns
    -------
    PastedTable

    Raises
    ------
    wai.errors.InputError
        No header row of known columns, or rows longer than the header.
    """
    if decimal not in (".", ","):
        raise OptionError("decimal", decimal, "'.' or ','")
    said: list[str] = []
    lines = [(i + 1, t) for i, t in enumerate(text.lstrip("\ufeff").splitlines()) if t.strip()]
    rows, how = _split(lines, delimiter, decimal)
    header_at = next((i for i, (_, cells) in enumerate(rows) if sum(bool(c) for c in cells) >= 2), None)
    if header_at is None:
        raise InputError([Problem(name, None, None, None, "a header row of two or more cells",
                                  "no line of the text splits into cells")])
    caption_n = None
    for number, cells in rows[:header_at]:
        found = _N_TEXT.search(" ".join(cells))
        if found and caption_n is None:
            caption_n = int(found.group(1).replace(",", ""))
            said.append(f"line {number} {_short(' '.join(cells))!r} read as the caption, with n = {caption_n} "
                        "for every row")
        else:
            said.append(f"line {number} {_short(' '.join(cells))!r} read as the caption, not checked")
    said.append(how)
    header_line, header = rows[header_at]
    columns, stated_n = _columns(header, name, header_line, said, highest_first)
    stated_n = caption_n if stated_n is None else stated_n
    body = rows[header_at + 1:]
    frame_rows: list[list[str]] = []
    row_lines: list[int] = []
    for number, cells in body:
        filled = [c for c in cells if c]
        if len(filled) == 1 and not frame_rows and _N_TEXT.fullmatch(filled[0].strip()):
            stated_n = int(_N_TEXT.fullmatch(filled[0].strip()).group(1).replace(",", ""))  # type: ignore[union-attr]
            said.append(f"line {number} {filled[0]!r} read as n = {stated_n} for every row")
            continue
        if len(filled) == 1 and len(header) > 1 and cells[0] == filled[0]:
            what = "a note under the table" if filled[0].lower().startswith(_NOTES) else "a heading"
            said.append(f"line {number} {_short(filled[0])!r} read as {what}, not checked")
            continue
        if len([c for c in cells[len(header):] if c]):
            raise InputError([Problem(name, number, None, _short(" | ".join(cells)),
                                      f"at most {len(header)} cells, as the header has")])
        frame_rows.append((cells + [""] * len(header))[:len(header)])
        row_lines.append(number)
    if not frame_rows:
        raise InputError([Problem(name, None, None, None, "at least one row under the header")])
    names = [c for c, _ in columns]
    if "item" in names and {"percent", "count"} & set(names) and not {"wai", "rii", "mean", "sum"} & set(names) \
            and "category" not in names:
        columns = [("category" if c == "item" else c, i) for c, i in columns]
        said.append("a breakdown (percent/count, no index column): the first column read as the categories")
    frame = _frame(columns, frame_rows, decimal, said)
    if row_lines != list(range(FIRST_ROW, FIRST_ROW + len(row_lines))):
        last = FIRST_ROW + len(row_lines) - 1
        rows_text = f"row {FIRST_ROW} is" if last == FIRST_ROW else f"rows {FIRST_ROW} to {last} are"
        lines_text = "line" if len(row_lines) == 1 else "lines"
        said.append(f"in the findings, {rows_text} the table's {lines_text} {', '.join(map(str, row_lines))} "
                    "of the text")
    if stated_n is not None and "n" not in frame.columns:
        frame["n"] = str(stated_n)
    return PastedTable(frame, tuple(said), tuple(row_lines))


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _columns(header: list[str], name: str, line: int, said: list[str],
             highest_first: bool | None) -> tuple[list[tuple[str, int]], int | None]:
    """(canonical name, cell position) per column, and an n stated in a header."""
    out: list[tuple[str, int]] = []
    stated_n = None
    categories: list[int] = []
    keys = [canonical_header(h) for h in header]
    has_sa = any(_label_key(h) == "sa" for h in header)
    for i, (h, (column, n)) in enumerate(zip(header, keys)):
        if re.fullmatch(r"(count|pct)_\d+", h.strip().lower()):
            out.append((h.strip().lower(), i))
            continue
        if column in ("sd", "n") and has_sa and h.strip().lower() in ("sd", "n"):
            column = None  # SD and N beside SA are "strongly disagree" and "neutral"
        if i == 0 and column is None and not any(_label_key(h) in ladder for ladder in _LADDERS) \
                and not re.fullmatch(r"\d+", _label_key(h) or "x"):
            column = "item"  # the first column names the rows whatever its header
        if column is None:
            if h and (category_order([h]) is not None or re.fullmatch(r"\d+", _label_key(h) or "x")
                      or any(_label_key(h) in ladder for ladder in _LADDERS)):
                categories.append(i)
                continue
            if h:
                said.append(f"header {h!r} not recognised: column not checked")
            continue
        if any(c == column for c, _ in out):
            raise InputError([Problem(name, line, h, None, "distinct columns",
                                      f"a second {column} column")])
        out.append((column, i))
        extra = f", with n = {n} for every row" if n is not None else ""
        gloss = _GLOSS.get(h.strip().lower(), "")
        said.append(f"header {h!r} read as the {column} column{gloss}{extra}")
        stated_n = n if n is not None else stated_n
    if categories:
        labels = [header[i] for i in categories]
        order = category_order(labels)
        if highest_first is None:
            highest_first = order == "highest_first"
            why = "from their labels" if order else "(labels not recognised: lowest first assumed)"
        else:
            why = "(--highest-first)" if highest_first else "(declared lowest first)"
        if highest_first:
            categories = categories[::-1]
        said.append(f"headers {', '.join(map(repr, labels))} read as {len(categories)} categories, "
                    f"{'highest' if highest_first else 'lowest'} first {why}")
        out += [(f"cat_{k + 1}", i) for k, i in enumerate(categories)]
    return out, stated_n


def _frame(columns: list[tuple[str, int]], rows: list[list[str]], decimal: str, said: list[str]) -> pd.DataFrame:
    data: dict[str, list[str]] = {}
    numeric = {"wai", "rii", "mean", "sd", "sum", "rank", "n", "percent", "count"}
    for column, i in columns:
        values = [r[i] for r in rows]
        if column in numeric:
            cleaned = [_number(v, decimal) for v in values]
            if decimal == "," and cleaned != values:
                said.append(f"decimal commas in the {column} column read as points")
            if column == "rii":
                shifted = _percent_rii(cleaned)
                if shifted is not None:
                    said.append("the rii column is printed in percent (every value above 1): read as "
                                f"{shifted[0]} for {cleaned[0]}, and so on")
                    cleaned = shifted
            data[column] = cleaned
        elif not column.startswith("cat_"):
            data[column] = values
    cats = [(c, i) for c, i in columns if c.startswith("cat_")]
    if cats:
        _category_cells(data, cats, rows, decimal, said)
    return pd.DataFrame(data, dtype=str)


def _category_cells(data: dict[str, list[str]], cats: list[tuple[str, int]], rows: list[list[str]],
                    decimal: str, said: list[str]) -> None:
    """Category cells: ``9 (15%)`` / ``9(15)`` (count and percent), ``15%`` (percent) or counts."""
    cells = [[r[i] for _, i in cats] for r in rows]
    flat = [c for row in cells for c in row if c]
    if flat and all(_PAIR.match(c) for c in flat):
        said.append("category cells such as " + repr(flat[0]) + " read as a count and its percentage")
        for k in range(len(cats)):
            pairs = [_PAIR.match(row[k]) for row in cells]
            data[f"count_{k + 1}"] = [m.group(1) if m else "" for m in pairs]
            data[f"pct_{k + 1}"] = [_number(m.group(2), decimal) if m else "" for m in pairs]
        return
    texts = [[_number(c, decimal) for c in row] for row in cells]
    whole = all(re.fullmatch(r"\d+", c) for row in texts for c in row if c)
    percent = any("%" in c for c in flat) or not whole
    kind = "pct" if percent else "count"
    said.append(f"category cells read as {'percentages' if percent else 'counts'}"
                + (" (% signs or decimals)" if percent else " (whole numbers without % signs)"))
    for k in range(len(cats)):
        data[f"{kind}_{k + 1}"] = [row[k] for row in texts]
