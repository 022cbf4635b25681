"""What each figure plots, checked, and the caption it carries: the part of the figures without matplotlib.

:mod:`wai.report.figures` draws; this module reads and checks the tables
handed to it (``ValueError`` naming the column and the rows that are wrong)
and writes the captions the page prints under each figure
(:func:`figure_caption`, :func:`grouped_caption`). The page and the main
process of a report need only this module, so they never import
matplotlib: the figures are drawn in worker processes
(:mod:`wai.report.render_figures`).

Examples
--------
>>> grouped_caption("", ["Low", "Mid", "High"], sort="wai")
'Items sorted by WAI, highest first; middle category (Mid) centred on 0.'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Sequence

import pandas as pd

from wai.bands import CHAPTER11_BANDS, BandScheme

__all__ = ["figure_caption", "grouped_caption"]


def _require(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{what} needs a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{what}: the table lacks column(s) {missing}; it needs {list(columns)}")
    if len(table) == 0:
        raise ValueError(f"{what}: the table is empty (no rows), so there is nothing to plot")


def _numbers(table: pd.DataFrame, column: str, what: str, key: str) -> list[float]:
    values = pd.to_numeric(table[column], errors="coerce")
    if values.isna().any():
        bad = [str(k) for k, v in zip(table[key], values) if pd.isna(v)]
        raise ValueError(f"{what}: column {column!r} must be a number for every row; missing or "
                         f"not a number for {key} {bad}")
    out = [float(v) for v in values]
    inf = [str(k) for k, v in zip(table[key], out) if not math.isfinite(v)]
    if inf:
        raise ValueError(f"{what}: column {column!r} is infinite for {key} {inf}")
    return out


@dataclass(frozen=True)
class _WaiRows:
    """The rows of a WAI figure, checked: what to plot and the table its CSV holds."""

    data: pd.DataFrame  # the CSV: the columns passed, then the interval, certainty and level columns
    values: list[float]
    ns: list[int]
    canon: list[str]  # each row's band, its canonical label
    illustrative: list[bool]
    printed: list[str]  # each row's value as printed
    intervals: list[tuple[float, float]] | None
    uncertain: list[bool]
    level: float | None  # the confidence level in percent, None without the column

    @property
    def n_varies(self) -> bool:
        return len(set(self.ns)) > 1


def _wai_rows(table: pd.DataFrame, bands: BandScheme, what: str) -> _WaiRows:
    """Check the table of :func:`wai_figure` and read what it plots (ValueError for a bad table)."""
    columns = ["item", "wording", "n", "wai", "wai_rounded", "band"]
    _require(table, columns, what)
    if "target_status" in table.columns:
        columns.append("target_status")
    data = table[columns].reset_index(drop=True)

    values = _numbers(data, "wai", what, "item")
    bad = [f"{i} ({v:g})" for i, v in zip(data["item"], values) if not 0.0 <= v <= 1.0]
    if bad:
        raise ValueError(f"{what}: column 'wai' must lie in 0..1 (the index range); outside for item {bad}")
    ns = _numbers(data, "n", what, "item")
    bad = [str(i) for i, v in zip(data["item"], ns) if v < 0 or v != int(v)]
    if bad:
        raise ValueError(f"{what}: column 'n' must hold whole numbers >= 0; not so for item {bad}")
    try:
        canon = [bands.canonical(str(b)) for b in data["band"]]
    except ValueError as exc:
        raise ValueError(f"{what}: column 'band': {exc}") from None
    illustrative = [False] * len(data)
    if "target_status" in data.columns:
        status = [str(s).strip().lower() for s in data["target_status"]]
        bad = [f"{i} ({s!r})" for i, s in zip(data["item"], data["target_status"])
               if str(s).strip().lower() not in ("published", "illustrative", "observed")]
        if bad:
            raise ValueError(f"{what}: column 'target_status' must be 'published', 'illustrative' or 'observed'; "
                             f"not so for item {bad}")
        illustrative = [s == "illustrative" for s in status]
    printed = [str(v) if pd.notna(v) else f"{x:.{bands.decimals}f}"
               for v, x in zip(data["wai_rounded"], values)]
    intervals = _intervals(table, data, what)
    if intervals is not None:
        data["ci_low"] = [lo for lo, _ in intervals]
        data["ci_high"] = [hi for _, hi in intervals]
    certain: list[bool | None] = [None] * len(data)
    if "band_certain" in table.columns:
        certain = _flags(table.reset_index(drop=True), "band_certain", what, "item")
        data["band_certain"] = pd.array(certain, dtype="boolean")
    level = _confidence(table, what) if "confidence" in table.columns else None
    if level is not None:
        data["confidence"] = table["confidence"].reset_index(drop=True)
    return _WaiRows(data, values, [int(v) for v in ns], canon, illustrative, printed, intervals,
                    [c is False for c in certain], level)


def _wai_caption(rows: _WaiRows, note: str) -> tuple[str, bool]:
    """The caption (the note, then n, hatching, whiskers and ``?`` explained) and whether there are whiskers."""
    caption = note.strip()
    if not rows.n_varies and not re.search(rf"\bn\s*=\s*{rows.ns[0]}\b", caption):
        caption = f"n = {rows.ns[0]} respondents per item. {caption}".strip()
    if any(rows.illustrative):
        caption = (caption + "\n" if caption else "") + "Hatched bars: illustrative values, not published."
    percent = f"{rows.level if rows.level is not None else 95:g}%"
    whiskers = rows.intervals is not None and any(not math.isnan(lo) for lo, _ in rows.intervals)
    explain = []
    if whiskers:
        explain.append(f"Whiskers: {percent} intervals of the WAI")
    if any(rows.uncertain):
        explain.append(f"? = the {percent} interval crosses a band boundary (band uncertain)")
    if explain:
        caption = (caption + "\n" if caption else "") + "; ".join(explain) + "."
    return caption, whiskers


def _intervals(table: pd.DataFrame, data: pd.DataFrame, what: str) -> list[tuple[float, float]] | None:
    """The ``(ci_low, ci_high)`` of each row, ``(nan, nan)`` for none; None without the columns."""
    present = [c for c in ("ci_low", "ci_high") if c in table.columns]
    if not present:
        return None
    if len(present) == 1:
        raise ValueError(f"{what}: the table has column {present[0]!r} but not "
                         f"{({'ci_low', 'ci_high'} - set(present)).pop()!r}; an interval needs both")
    items = data["item"].tolist()
    ends = {}
    for column in ("ci_low", "ci_high"):
        raw = table[column].reset_index(drop=True)
        values = pd.to_numeric(raw, errors="coerce")
        bad = [str(i) for i, r, v in zip(items, raw, values) if pd.isna(v) and not _blank(r)]
        if bad:
            raise ValueError(f"{what}: column {column!r} must be a number or empty (NaN: no "
                             f"interval); not so for item {bad}")
        ends[column] = [math.nan if pd.isna(v) else float(v) for v in values]
    out = list(zip(ends["ci_low"], ends["ci_high"]))
    half = [str(i) for i, (lo, hi) in zip(items, out) if math.isnan(lo) != math.isnan(hi)]
    if half:
        raise ValueError(f"{what}: columns 'ci_low' and 'ci_high' must be both given or both "
                         f"missing; only one is for item {half}")
    bad = [f"{i} ({lo:g}..{hi:g})" for i, (lo, hi) in zip(items, out)
           if not math.isnan(lo) and not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi)]
    if bad:
        raise ValueError(f"{what}: columns 'ci_low'..'ci_high' must be finite with ci_low <= ci_high; "
                         f"not so for item {bad}")
    return out


def _blank(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _NA_TEXT
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


_NA_TEXT = frozenset({"", "na", "nan", "<na>", "none", "null"})


_TRUE_TEXT = frozenset({"true", "t", "yes", "y", "1"})


_FALSE_TEXT = frozenset({"false", "f", "no", "n", "0"})


def _flags(table: pd.DataFrame, column: str, what: str, key: str) -> list[bool | None]:
    """A boolean-ish column as True/False/None (NA); anything else raises ValueError."""
    out: list[bool | None] = []
    bad = []
    for k, v in zip(table[key], table[column]):
        if _blank(v):
            out.append(None)
        elif isinstance(v, str):
            text = v.strip().lower()
            out.append(True if text in _TRUE_TEXT else False if text in _FALSE_TEXT else None)
            if text not in _TRUE_TEXT | _FALSE_TEXT:
                bad.append(f"{k} ({v!r})")
        elif type(v).__name__ in ("bool", "bool_") or v in (0, 1):
            out.append(bool(v))
        else:
            out.append(None)
            bad.append(f"{k} ({v!r})")
    if bad:
        raise ValueError(f"{what}: column {column!r} must be True, False or NA; not so for {key} {bad}")
    return out


def _confidence(table: pd.DataFrame, what: str) -> float | None:
    """The one confidence level of the column ``confidence`` in percent (0.95 and 95 give 95)."""
    raw = [v for v in table["confidence"] if not _blank(v)]
    values = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce") if raw else pd.Series([])
    if values.isna().any():
        raise ValueError(f"{what}: column 'confidence' must hold numbers such as 0.95 or 95, "
                         f"got {sorted({str(r) for r, v in zip(raw, values) if pd.isna(v)})}")
    levels = sorted({round(float(v) * (100 if 0 < float(v) < 1 else 1), 9) for v in values})
    if len(levels) > 1:
        raise ValueError(f"{what}: column 'confidence' must hold one level for all rows, got "
                         f"{[f'{v:g}%' for v in levels]}")
    if levels and not 0 < levels[0] < 100:
        raise ValueError(f"{what}: column 'confidence' must lie between 0 and 1 (or 0 and 100 "
                         f"percent), got {levels[0]:g}")
    return levels[0] if levels else None


def figure_caption(kind: str, table: pd.DataFrame, *, note: str = "", labels: Sequence[str] = (),
                   bands: BandScheme = CHAPTER11_BANDS, sort: str | Sequence[str] = "wai") -> str:
    """The caption a figure draws under itself, as text, for a page that shows it with ``caption=False``.

    ``kind``: ``"distribution"`` (the note), ``"wai"`` (the note, then n,
    hatching, whiskers and ``?`` explained) or ``"diverging"`` (the note, then
    the order and where the middle category sits).

    >>> figure_caption("diverging", pd.DataFrame(), labels=["Low", "Mid", "High"])
    'Items sorted by WAI, highest at the top; middle category (Mid) centred on 0.'
    """
    if kind == "distribution":
        return note.strip()
    if kind == "wai":
        return _wai_caption(_wai_rows(table, bands, "figure_caption"), note)[0]
    if kind == "diverging":
        return _diverging_caption(note, [str(x) for x in labels], sort)
    raise ValueError(f"kind must be 'distribution', 'wai' or 'diverging', got {kind!r}")


def _diverging_caption(note: str, names: Sequence[str], sort: str | Sequence[str] = "wai") -> str:
    """The note, then the order of the items and where the middle category sits, unless it says so."""
    k = len(names)
    caption = note.strip()
    orders = {"wai": "Items sorted by WAI, highest at the top", "top_box": "Items sorted by top-box share, "
              "highest at the top", "codebook": "Items in codebook order"}
    order = orders.get(sort, "") if isinstance(sort, str) else "Items in the order given"
    auto = [] if re.search(r"sorted by (the )?WAI|items (in|sorted)", caption, re.IGNORECASE) else [order]
    if k % 2:
        auto.append(f"middle category ({names[k // 2]}) centred on 0")
    if auto:
        text = "; ".join(auto)
        caption = (caption + "\n" if caption else "") + text[0].upper() + text[1:] + "."
    return caption


def grouped_caption(note: str, labels: Sequence[str], *, sort: str | Sequence[str] = "codebook",
                    filled: bool = False, non_scale_label: str = "", layout: str = "rows") -> str:
    """The caption of :func:`grouped_diverging_figure`: the note, then how to read the chart.

    >>> grouped_caption("", ["Low", "Mid", "High"], sort="wai")
    'Items sorted by WAI, highest first; middle category (Mid) centred on 0.'
    """
    k = len(labels)
    order = {"codebook": "Items in codebook order", "wai": "Items sorted by WAI, highest first",
             "top_box": "Items sorted by top-box share, highest first"}
    auto = [order.get(sort, "Items in the order given") if isinstance(sort, str) else "Items in the order given"]
    if k % 2 and not filled:
        auto.append(f"middle category ({labels[k // 2]}) centred on 0")
    if filled:
        auto.append("each bar fills 100% of the answers on the scale")
    text = "; ".join(auto) + "."
    if non_scale_label and layout == "rows":
        text += (f" {non_scale_label} answers are not on the scale: drawn apart on the right, with their count "
                 "and their share of everyone who answered the item; n counts only the answers on the scale.")
    elif non_scale_label:
        text += (f" {non_scale_label} answers are not on the scale: their count is given under each n (when "
                 "there are any); n counts only the answers on the scale.")
    return (note.strip() + "\n" if note.strip() else "") + text
