"""Audit published tables: which printed numbers cannot all be true?

Three kinds of published table, read as **text** (trailing zeros say how a
number was rounded):

index table
    One row per item: ``item``, the printed index in a column named for its
    scheme (``wai`` 0..1, ``rii`` mean/K, or ``mean`` 1..K), optional ``n``,
    ``band``, counts ``count_1..count_K`` or percentages ``pct_1..pct_K``
    (lowest category first).
distribution table
    A categorical breakdown: ``category`` with ``percent`` and/or ``count``,
    optional ``n``.
sizes table
    Sample sizes stated in different places: ``source, n``.

Every check is exact (integer arithmetic over the rounding interval of each
printed number) and yields :class:`Finding` rows with a status: ``ok``,
``note`` (true but worth knowing: a band synonym, a band that depends on
the rounding rule, a check that could not run) or ``inconsistent`` (no set
of answers can produce the printed numbers together).

The ladder, as in scrutiny: a check per printed number, a mapper per table
(:func:`validate`), one over a study's tables (:func:`validate_tables`, which
also compares their sample sizes), and a plain-words summary
(:func:`audit_markdown`).

Examples
--------
>>> t = pd.DataFrame({"item": ["a", "b"], "wai": ["0.45", "0.50"], "n": ["3", "3"]})
>>> print(validate(t, name="t.csv")[["row", "check", "status"]].to_string(index=False))
 row       check       status
   2 granularity inconsistent
   3 granularity           ok
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

import pandas as pd

from wai.bands import CHAPTER11_BANDS, BandScheme
from wai.consistency import (
    consistent_sample_sizes,
    count_range,
    percent_counts,
)
from wai._checks import check_choice, check_int
from wai.errors import InputError, OptionError, Problem
from wai.exact import format_fixed, round_half_up
from wai.index_audit import IndexOptions, _outside_0_100, _share_total, index_table
from wai.published import FINDING_COLUMNS, FIRST_ROW, Cells, Finding, frame_of, numbered
from wai.rounding import DEFAULT_ROUNDING, RULE_SETS, describe_rules, interval, resolve_rounding

__all__ = [
    "Finding",
    "FINDING_COLUMNS",
    "table_kind",
    "validate",
    "validate_tables",
    "audit_markdown",
]

KINDS = ("index", "distribution", "sizes")
"""The kinds of published table (:func:`table_kind`)."""
MIN_POINTS, MAX_POINTS = 2, 20
"""The scale lengths ``points`` may give."""
MAX_N = 10_000
"""The largest ``max_n``: sample sizes tried for a percentage breakdown.

The search's cost grows with the square of ``max_n`` (some 3 s at 10 000, minutes at 100 000)."""
_SHOW_N = 12


_KINDS_EXPECTED = ("the columns of a known table kind: item + wai|rii|mean (index table), category + "
                   "percent|count (distribution table) or source + n (sample sizes)")


def table_kind(frame: pd.DataFrame) -> str:
    """``"index"``, ``"distribution"`` or ``"sizes"``, from the columns.

    A frame of no known kind raises :class:`~wai.errors.InputError` (row 1, the header).

    >>> table_kind(pd.DataFrame(columns=["category", "percent"]))
    'distribution'
    """
    columns = {str(c).strip().lower() for c in frame.columns}
    if "item" in columns and columns & {"wai", "rii", "mean", "sum"}:
        return "index"
    if "category" in columns and columns & {"percent", "count"}:
        return "distribution"
    if {"source", "n"} <= columns:
        return "sizes"
    raise InputError([Problem(None, 1, None, sorted(columns), _KINDS_EXPECTED,
                              "cannot tell the kind of table from its columns")])


# ------------------------------------------------------------ index tables

def _index_table(cells: Cells, n: int | None, points: int | None, bands: BandScheme, reading: _Reading) -> list[Finding]:
    columns = list(cells.frame.columns)
    counts_cols, pct_cols = numbered(columns, "count_"), numbered(columns, "pct_")
    k = len(counts_cols or pct_cols) or points or (reading.scale_max - reading.scale_min + 1
                                                   if reading.scale_max is not None else 5)
    if k > MAX_POINTS:
        raise InputError([Problem(cells.name, 1, "count_*/pct_*", f"{k} columns",
                                  f"at most {MAX_POINTS} categories (wai.audit.MAX_POINTS)")])
    if points is not None and (counts_cols or pct_cols) and k != points:
        raise InputError([Problem(cells.name, 1, "count_*/pct_*", f"{k} columns",
                                  f"{points} categories, as --points says")])
    if reading.scale_max is not None and reading.scale_max - reading.scale_min + 1 != k:
        raise InputError([Problem(cells.name, 1, "count_*/pct_*", f"{k} categories",
                                  f"{reading.scale_max - reading.scale_min + 1} codes, as scale_min..scale_max say")])
    opts = IndexOptions(points=k, items=reading.items, scale_min=reading.scale_min, rules=reading.rules, n=n,
                        bands=bands)
    return index_table(cells, opts, reading.highest_first)


def _stated_n(cells: Cells) -> list[int]:
    """The distinct sample sizes an ``n`` column states, in order."""
    found = (cells.whole(p, "n") for p in range(len(cells.frame)) if cells.text(p, "n"))
    return sorted({n for n in found if n is not None})


# ----------------------------------------------------- distribution tables

def _list_n(values: Sequence[int]) -> str:
    shown = ", ".join(map(str, values[:_SHOW_N]))
    return shown + (f", ... ({len(values)} in all)" if len(values) > _SHOW_N else "")


def _other_rules(texts: Sequence[str], n: int, rules: tuple[str, ...]) -> tuple[str, ...]:
    """The rules other than half up under which the percentages are shares of n answers."""
    return tuple(r for r in rules if r != "up" and percent_counts(texts, n, (r,)) is not None)


def _distribution_table(cells: Cells, n_option: int | None, max_n: int,
                        rules: tuple[str, ...] = ("up",)) -> list[Finding]:
    name = cells.name
    rows = range(len(cells.frame))
    categories = [cells.text(p, "category") for p in rows]
    pcts = [cells.number(p, "percent") for p in rows] if "percent" in cells.frame.columns else []
    counts = [cells.whole(p, "count") for p in rows] if "count" in cells.frame.columns else []
    stated = _stated_n(cells)
    cells.raise_problems()
    findings: list[Finding] = []
    n = n_option if n_option is not None else (stated[0] if len(stated) == 1 else None)
    if len(stated) > 1:
        findings.append(Finding(name, None, "", "n_rows", "inconsistent",
                                f"one breakdown states several n: {', '.join(map(str, stated))}"))
    if counts and all(c is not None for c in counts):
        total = sum(counts)  # type: ignore[arg-type]
        if n is None:
            n = total
        else:
            status = "ok" if total == n else "inconsistent"
            findings.append(Finding(name, None, "", "count_total", status,
                                    f"the counts sum to {total}" + ("" if total == n else f", but n is {n}")))
    shares = [p for p in pcts if p is not None]
    if pcts and len(shares) == len(pcts):
        texts = [p.text for p in shares]
        for p, (category, share) in enumerate(zip(categories, shares)):
            if _outside_0_100(share):
                findings.append(Finding(name, p + FIRST_ROW, category, "percent_range", "inconsistent",
                                        f"{share.text}% lies outside 0..100%: no share can be printed so"))
        lo_p, hi_p = _share_total(shares)
        printed_sum = sum((Fraction(p.value) for p in shares), Fraction(0))
        if lo_p <= 100 <= hi_p:
            findings.append(Finding(name, None, "", "percent_total", "ok",
                                    f"the percentages sum to {float(printed_sum):g}, within rounding of 100"))
        else:
            findings.append(Finding(name, None, "", "percent_total", "inconsistent",
                                    f"the percentages sum to {float(printed_sum):g}; rounding allows "
                                    f"{float(lo_p):.2f} to {float(hi_p):.2f}, so they cannot be shares of one whole"))
        fits = consistent_sample_sizes(texts, max_n=max_n)
        if n is None:
            findings.append(Finding(name, None, "", "sample_size", "note",
                                    f"no n stated; sample sizes up to {max_n} that fit every percentage: "
                                    f"{_list_n(fits) or 'none'}", tuple(fits)))
        elif n in fits:
            findings.append(Finding(name, None, "", "sample_size", "ok",
                                    f"n = {n} fits every percentage (sizes up to {max_n} that fit: "
                                    f"{_list_n(fits)})", tuple(fits)))
        elif _other_rules(texts, n, rules):
            findings.append(Finding(name, None, "", "sample_size", "note",
                                    f"n = {n} fits every percentage only if rounded by "
                                    f"{describe_rules(_other_rules(texts, n, rules))}, not half up (sizes up to "
                                    f"{max_n} that fit half up: {_list_n(fits) or 'none'})", tuple(fits)))
        else:
            findings.append(Finding(name, None, "", "sample_size", "inconsistent",
                                    f"no breakdown of n = {n} gives these percentages; sample sizes up to "
                                    f"{max_n} that fit all of them: {_list_n(fits) or 'none'}", tuple(fits)))
        for p, (category, printed) in enumerate(zip(categories, pcts)):
            row = p + FIRST_ROW
            if counts and counts[p] is not None and n:
                exact = Fraction(100 * counts[p], n)  # type: ignore[operator]
                ok = printed.contains(exact)  # type: ignore[union-attr]
                others = tuple(r for r in rules if r != "up" and interval(printed, r).contains(exact))  # type: ignore[arg-type]
                if not ok and others:
                    findings.append(Finding(name, row, category, "count_percent", "note",
                                            f"{counts[p]} of {n} is {float(exact):.3f}%, which gives "
                                            f"{printed.text}% only if rounded by {describe_rules(others)}"))  # type: ignore[union-attr]
                    continue
                findings.append(Finding(name, row, category, "count_percent", "ok" if ok else "inconsistent",
                                        f"{counts[p]} of {n} is {float(exact):.3f}%, which rounds to "
                                        f"{round_half_up(exact, printed.decimals)}%"  # type: ignore[union-attr]
                                        + ("" if ok else f", not {printed.text}%")))  # type: ignore[union-attr]
            elif n:
                r = count_range(printed, n)  # type: ignore[arg-type]
                if r is None:
                    near = [c for c in (math.floor(printed.value * n / 100), math.ceil(printed.value * n / 100))]  # type: ignore[union-attr]
                    shown = ", ".join(f"{c} gives {format_fixed(Fraction(100 * c, n), printed.decimals)}%"  # type: ignore[union-attr]
                                      for c in sorted(set(near)))
                    findings.append(Finding(name, row, category, "percent", "inconsistent",
                                            f"{printed.text}% of {n} is {float(printed.value) * n / 100:.2f} "  # type: ignore[union-attr]
                                            f"people; no whole number rounds to it ({shown})"))
                else:
                    shown = str(r.start) if len(r) == 1 else f"{r.start} to {r.stop - 1}"
                    findings.append(Finding(name, row, category, "percent", "ok",
                                            f"{printed.text}% of {n} is {shown} people"))  # type: ignore[union-attr]
    return findings


# ------------------------------------------------------- sample sizes

def _stated_sizes(kind: str, cells: Cells, n_option: int | None) -> list[tuple[str, int | None, str, int]]:
    """(table, row, source, n) for every sample size a table states."""
    out: list[tuple[str, int | None, str, int]] = []
    if kind == "sizes":
        for p in range(len(cells.frame)):
            n = cells.whole(p, "n")
            if n is not None:
                out.append((cells.name, p + FIRST_ROW, cells.text(p, "source"), n))
        cells.raise_problems()
        return out
    if n_option is not None:
        return [(cells.name, None, "--n", n_option)]
    ns = _stated_n(cells)
    if len(ns) == 1 or (kind == "distribution" and ns):
        out += [(cells.name, None, "n column", n) for n in ns]
    elif kind == "distribution" and "count" in cells.frame.columns:
        counts = [cells.whole(p, "count") for p in range(len(cells.frame))]
        whole = [c for c in counts if c is not None]
        if len(whole) == len(counts):
            out.append((cells.name, None, "sum of counts", sum(whole)))
    return out


def _agreement(stated: list[tuple[str, int | None, str, int]]) -> list[Finding]:
    values = sorted({n for *_, n in stated})
    if len(values) <= 1:
        if len(stated) > 1:
            return [Finding("(all tables)", None, "", "sample_size_agreement", "ok",
                            f"every stated sample size is {values[0]} ({len(stated)} statements)")]
        return []
    tally = {v: [s for s in stated if s[3] == v] for v in values}
    majority = max(values, key=lambda v: (len(tally[v]), -v))
    out = []
    for table, row, source, n in stated:
        if n == majority:
            continue
        where = ", ".join(sorted({t for t, *_ in tally[majority]}))
        out.append(Finding(table, row, source, "sample_size_agreement", "inconsistent",
                           f"n = {n} ({source}) disagrees with n = {majority} stated by {where}"))
    return out


# ---------------------------------------------------------------- mappers

@dataclass(frozen=True)
class _Reading:
    """How the cells of a table are to be read (the options every table shares)."""

    rules: tuple[str, ...] = RULE_SETS[DEFAULT_ROUNDING]
    items: int = 1
    scale_min: int = 1
    scale_max: int | None = None
    highest_first: bool = False


def _reading(rounding, items, scale_min, scale_max, highest_first, scale=None) -> _Reading:
    if scale is not None:
        from wai.scales import LikertScale

        if not isinstance(scale, LikertScale):
            raise OptionError("scale", scale, "a wai.scales.LikertScale (a codebook's scale)")
        codes = sorted(scale.codes)
        if codes != list(range(codes[0], codes[-1] + 1)):
            raise OptionError("scale", list(scale.codes), "consecutive whole codes (the audit's granularity needs them)")
        if scale_min is not None or scale_max is not None:
            raise OptionError("scale", scale.name or list(scale.labels), "either a scale or scale_min/scale_max")
        scale_min, scale_max = codes[0], codes[-1]
    rules = resolve_rounding(rounding)
    items = check_int("items", items, 1, what="a whole number of items per person (at least 1)")
    low = 1 if scale_min is None else check_int("scale_min", scale_min, what="a whole number (the lowest code)")
    high = None if scale_max is None else check_int("scale_max", scale_max, what="a whole number (the highest code)")
    if high is not None and not MIN_POINTS <= high - low + 1 <= MAX_POINTS:
        raise OptionError("scale_max", scale_max, f"a code {MIN_POINTS - 1} to {MAX_POINTS - 1} above scale_min ({low})")
    if not isinstance(highest_first, bool):
        raise OptionError("highest_first", highest_first, "True or False")
    return _Reading(rules, items, low, high, highest_first)


def _reading_notes(name: str, frame: pd.DataFrame, reading: _Reading, said: Sequence[str]) -> tuple[pd.DataFrame,
                                                                                                   list[Finding]]:
    """The recognitions made in reading a table, as notes; an RII printed in percent made a fraction."""
    from wai.pasted import _percent_rii

    notes = [Finding(name, None, "", "reading", "note", text) for text in said]
    columns = {str(c).strip().lower(): c for c in frame.columns}
    if "rii" in columns:
        values = [("" if pd.isna(v) else str(v).strip().rstrip("%")) for v in frame[columns["rii"]]]
        shifted = _percent_rii(values)
        if shifted is not None:
            frame = frame.copy()
            frame[columns["rii"]] = shifted
            notes.append(Finding(name, None, "", "reading", "note", "the rii column is printed in percent "
                                 f"(every value above 1): read as {shifted[0]} for {values[0]}, and so on"))
    if reading.highest_first:
        notes.append(Finding(name, None, "", "reading", "note",
                             "count_/pct_ columns read highest category first (highest_first)"))
    return frame, notes


def validate(table: pd.DataFrame, *, name: str = "table", kind: str | None = None, n: int | None = None,
             points: int | None = None, bands: BandScheme = CHAPTER11_BANDS, max_n: int = 1000,
             rounding: str | Sequence[str] = DEFAULT_ROUNDING, items: int = 1, scale_min: int | None = None,
             scale_max: int | None = None, highest_first: bool = False, scale: object = None,
             reading: Sequence[str] = ()) -> pd.DataFrame:
    """Check one published table; one row per finding, columns :data:`FINDING_COLUMNS`.

    Parameters
    ----------
    table : pandas.DataFrame
        The table as text (read CSVs with ``dtype=str``; pasted text with :func:`wai.pasted.read_pasted`).
    name : str
        How the table is named in findings (its file name).
    kind : {"index", "distribution", "sizes"}, optional
        Default: from the columns (:func:`table_kind`).
    n : int, optional
        Sample size for every row (an ``n`` column overrides it per row in
        index tables).
    points : int, optional
        Scale length when no count/percentage columns say it (default 5).
    bands : BandScheme
        The stated bands (chapter 11's by default).
    max_n : int
        Largest sample size tried for distribution tables, 1 to :data:`MAX_N`.
    rounding : str or sequence of str
        The rounding rules a printed number may come from (:mod:`wai.rounding`); default
        ``"usual"`` (half up, half down, half even, truncation). A value is flagged only when
        no rule reproduces it; one that only a rule other than half up reproduces is a note
        naming the rules.
    items : int
        Items per person behind each mean (a multi-item scale: granularity ``1/(n items)``).
    scale_min, scale_max : int, optional
        The codes (default ``1..points``; ``scale_min=0`` for a 0-based scale).
    scale : wai.scales.LikertScale, optional
        A codebook's scale, whose codes give ``scale_min`` and ``scale_max``.
    highest_first : bool
        ``count_1``/``pct_1`` is the highest category.
    reading : sequence of str
        How the table was read (:attr:`wai.pasted.PastedTable.recognitions`), echoed as
        ``reading`` notes.

    Raises
    ------
    wai.errors.OptionError
        A bad option, before the table is read.
    wai.errors.InputError
        Columns of no known kind, a cell that is not a number, missing key columns, gaps in
        ``count_1..count_K``.
    """
    _check_options(n, points, bands, max_n)
    how = _reading(rounding, items, scale_min, scale_max, highest_first, scale)
    if kind is not None:
        check_choice("kind", kind, KINDS)
    kind = kind or table_kind(table)
    table, notes = _reading_notes(name, table, how, reading)
    cells = Cells(table, name)
    if kind == "index":
        findings = _index_table(cells, n, points, bands, how)
    elif kind == "distribution":
        findings = _distribution_table(cells, n, max_n, how.rules)
    elif kind == "sizes":
        findings = []
    else:  # pragma: no cover - checked above
        raise OptionError("kind", kind, "one of " + ", ".join(map(repr, KINDS)))
    return frame_of(notes + findings)


def _check_options(n: object, points: object, bands: object, max_n: object) -> None:
    """The options of :func:`validate` and :func:`validate_tables`, before any table is read."""
    if n is not None:
        check_int("n", n, 1, what="a whole number (a sample size)")
    if points is not None:
        check_int("points", points, MIN_POINTS, MAX_POINTS, what="a whole number of scale points")
    check_int("max_n", max_n, 1, MAX_N, what="a whole number (the largest sample size tried)")
    if not isinstance(bands, BandScheme):
        raise OptionError("bands", bands, "a wai.bands.BandScheme (e.g. wai.CHAPTER11_BANDS)")


def validate_tables(tables: Mapping[str, object], *, n: int | None = None,
                    points: int | None = None, bands: BandScheme = CHAPTER11_BANDS, max_n: int = 1000,
                    **reading: object) -> pd.DataFrame:
    """Check several tables of one study, then whether the sample sizes they state agree.

    A table may be a frame of text cells or a :class:`wai.pasted.PastedTable` (whose
    recognitions are echoed as ``reading`` notes). ``reading`` takes the options
    ``rounding``, ``items``, ``scale_min``, ``scale_max``, ``scale`` and ``highest_first`` of
    :func:`validate`.

    >>> t1 = pd.DataFrame({"item": ["a"], "wai": ["0.60"], "n": ["99"]})
    >>> sizes = pd.DataFrame({"source": ["Abstract"], "n": ["100"]})
    >>> f = validate_tables({"t1.csv": t1, "sizes.csv": sizes})
    >>> f[f["status"] == "inconsistent"]["detail"].tolist()
    ['n = 100 (Abstract) disagrees with n = 99 stated by t1.csv']
    """
    from wai.pasted import PastedTable

    _check_options(n, points, bands, max_n)
    unknown = sorted(set(reading) - {"rounding", "items", "scale_min", "scale_max", "highest_first", "scale"})
    if unknown:
        raise OptionError(unknown[0], reading[unknown[0]], "one of the options of wai.audit.validate")
    parts, stated = [], []
    problems: list[Problem] = []
    for name, given in tables.items():
        said = given.recognitions if isinstance(given, PastedTable) else ()
        table: pd.DataFrame = given.frame if isinstance(given, PastedTable) else given
        try:
            kind = table_kind(table)
        except InputError as exc:
            problems += [Problem(name, p.row, p.column, list(table.columns), p.expected, p.hint)
                         for p in exc.problems]
            continue
        try:
            how = dict(reading, highest_first=False) if isinstance(given, PastedTable) else reading
            parts.append(validate(table, name=name, kind=kind, n=n if kind != "sizes" else None,
                                  points=points, bands=bands, max_n=max_n, reading=said,
                                  **how))  # type: ignore[arg-type]
            stated += _stated_sizes(kind, Cells(table, name), n if kind != "sizes" else None)
        except InputError as exc:
            problems += [p if p.file else Problem(name, p.row, p.column, p.value, p.expected, p.hint)
                         for p in exc.problems]
    if problems:
        raise InputError(problems)
    parts.append(frame_of(_agreement(stated)))
    return pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else frame_of([])


# ------------------------------------------------------------- the report

def audit_markdown(findings: pd.DataFrame, *, title: str = "Audit of published tables",
                   intro: str = "") -> str:
    """Every finding in plain words: first what cannot be true, then notes, then what checked out.

    The title, the intro and every finding's table, item and detail are
    HTML-escaped (``&``, ``<``, ``>``), so text typed into a published table
    shows as text in a Markdown viewer instead of running as HTML.

    >>> f = pd.DataFrame({"status": ["ok"], "table": ["t<1>"], "row": [None], "item": [""],
    ...                   "check": ["sum"], "detail": ["fine"]})
    >>> print(audit_markdown(f, title="<b>x</b>").splitlines()[0])
    # &lt;b&gt;x&lt;/b&gt;
    """
    from html import escape

    def md(text: object) -> str:
        return escape(str(text), quote=False)

    lines = [f"# {md(title)}", ""]
    if intro:
        lines += [md(intro), ""]
    counts = findings["status"].value_counts()
    lines += [f"{len(findings)} checks: {counts.get('inconsistent', 0)} inconsistent, "
              f"{counts.get('note', 0)} notes, {counts.get('ok', 0)} ok.", ""]
    sections = [("inconsistent", "What cannot be true"), ("note", "Worth knowing"), ("ok", "What checks out")]
    for status, heading in sections:
        part = findings[findings["status"] == status]
        lines += [f"## {heading}", ""]
        if not len(part):
            lines += ["Nothing.", ""]
            continue
        for f in part.itertuples(index=False):
            where = md(f.table) + (f", row {f.row}" if pd.notna(f.row) else "")
            what = f" ({md(f.item)})" if f.item else ""
            lines.append(f"- **{where}{what}**, {f.check.replace('_', ' ')}: {md(f.detail)}.")
        lines.append("")
    lines += ["Rows are numbered as in a spreadsheet (the header is row 1). Every check is exact: a printed "
              "number stands for the interval of values that round (half up) to it, and a check asks whether "
              "whole numbers of respondents can land in every such interval at once.", ""]
    return "\n".join(lines)
