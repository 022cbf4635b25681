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
from fractions import Fraction
from typing import Mapping, Sequence

import pandas as pd

from wai.bands import CHAPTER11_BANDS, BandScheme
from wai.consistency import (
    consistent_sample_sizes,
    count_range,
    index_affine,
    index_bounds_from_percents,
    index_sum_range,
    percent_counts,
)
from wai._checks import check_choice, check_int
from wai.errors import BandError, InputError, OptionError, Problem
from wai.exact import ReportedValue, format_fixed, round_half_up
from wai.index import SCHEMES, index_from_counts, scheme_weights
from wai.published import FINDING_COLUMNS, FIRST_ROW, Cells, Finding, frame_of, numbered
from wai.scales import normalize_label

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
MAX_CANDIDATES = 10_000
"""The most exact index values of one printed index listed for its band check; past it
(``n`` in the tens of thousands) the band is checked on the printed value's rounding interval."""
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
    if "item" in columns and columns & set(SCHEMES):
        return "index"
    if "category" in columns and columns & {"percent", "count"}:
        return "distribution"
    if {"source", "n"} <= columns:
        return "sizes"
    raise InputError([Problem(None, 1, None, sorted(columns), _KINDS_EXPECTED,
                              "cannot tell the kind of table from its columns")])


# ------------------------------------------------------------ index tables

def _nearest(printed: ReportedValue, n: int, points: int, scheme: str) -> str:
    """The reachable values nearest below and above a printed value, as text."""
    offset, denominator = {"wai": (0, n * (points - 1)), "rii": (n, n * points), "mean": (n, n)}[scheme]
    top = n * (points - 1)
    below = min(top, max(0, math.ceil(printed.low * denominator) - offset - 1))
    above = max(0, min(top, math.floor(printed.high * denominator) - offset + 1))
    shown = []
    for s in sorted({below, above}):
        v = Fraction(s + offset, denominator)
        shown.append(f"{format_fixed(v, printed.decimals)} ({v.numerator}/{v.denominator})")
    return " and ".join(shown)


def _scheme_range(scheme: str, points: int) -> tuple[Fraction, Fraction]:
    weights = scheme_weights(points, scheme)  # type: ignore[arg-type]
    return weights[0], weights[-1]


def _band_findings(name: str, row: int, item: str, printed: ReportedValue, band_text: str,
                   candidates: list[Fraction] | None, bands: BandScheme) -> list[Finding]:
    out: list[Finding] = []
    try:
        canonical = bands.canonical(band_text)
    except BandError:
        return [Finding(name, row, item, "band", "inconsistent",
                        f"{band_text!r} is not a band of the scheme ({', '.join(bands.labels)})")]
    if not candidates:  # no n (or none reachable): the exact value is anywhere in the rounding interval
        points = [printed.low, printed.high - Fraction(1, 10**12)]
        half = Fraction(5, 10 ** (bands.decimals + 1))
        for b in bands.bands[:-1]:
            points += [p for p in (b.high, b.high + Fraction(1, 10**12), b.high + half,
                                   b.high + half - Fraction(1, 10**12)) if printed.low <= p < printed.high]
        candidates = points
    rounded = {bands.classify(v, "rounded") for v in candidates}
    exact = {bands.classify(v, "exact") for v in candidates}
    where = " or ".join(sorted(rounded, key=bands.labels.index))
    if canonical not in rounded | exact:
        out.append(Finding(name, row, item, "band", "inconsistent",
                           f"printed band {band_text!r}, but {printed.text} is {where} under the stated bands"))
    elif canonical not in rounded:
        out.append(Finding(name, row, item, "band", "note",
                           f"printed band {band_text!r} holds only if the unrounded value is classified "
                           f"(exact rule); rounded first, {printed.text} is {where}"))
    else:
        out.append(Finding(name, row, item, "band", "ok", f"{printed.text} is {canonical} under the stated bands"))
    if normalize_label(band_text) != normalize_label(canonical):
        out.append(Finding(name, row, item, "band_label", "note",
                           f"printed {band_text!r} is a synonym of the scheme's {canonical!r}"))
    if rounded != exact or len(rounded) > 1:
        exact_only = sorted(exact - rounded, key=bands.labels.index)
        above = [v for v in candidates if bands.classify(v, "exact") != bands.classify(v, "rounded")]
        shown = " or ".join(f"{float(v):.4f}" for v in above[:4])
        out.append(Finding(
            name, row, item, "band_rule", "note",
            f"the band depends on the rounding rule: rounded first, {printed.text} is {where}, but an "
            f"exact value of {shown} would be {' or '.join(exact_only) or where} if classified unrounded"))
    return out


def _check_index_row(cells: Cells, position: int, scheme: str, points: int, n_option: int | None,
                     counts_cols: list[str], pct_cols: list[str], bands: BandScheme) -> list[Finding]:
    """Every check of one row of an index table: range, counts, granularity, percentages, band."""
    name, row = cells.name, position + FIRST_ROW
    item = cells.text(position, "item")
    printed = cells.number(position, scheme)
    n = cells.whole(position, "n") if "n" in cells.frame.columns else None
    n = n if n is not None else n_option
    counts = [cells.whole(position, c) for c in counts_cols]
    pcts = [cells.number(position, c) for c in pct_cols]
    if printed is None:
        return [Finding(name, row, item, "value", "note", f"no printed {scheme} in this row")]
    where = (name, row, item)

    low, high = _scheme_range(scheme, points)
    if printed.high <= low or printed.low > high:
        return [Finding(*where, "range", "inconsistent",
                        f"{scheme} {printed.text} lies outside its possible range "
                        f"{format_fixed(low, printed.decimals)}..{format_fixed(high, printed.decimals)} "
                        f"on a {points}-point scale")]
    out: list[Finding] = []
    whole = [c for c in counts if c is not None]
    if counts_cols and len(whole) == len(counts):
        n = _counts_findings(out, where, printed, whole, n, points, scheme)
    candidates = _granularity_findings(out, where, printed, n, points, scheme)
    shares = [p for p in pcts if p is not None]
    if pct_cols and len(shares) == len(pcts):
        _percent_findings(out, where, printed, shares, n, points, scheme)

    band_text = cells.text(position, "band")
    if band_text:
        if scheme != "wai":
            out.append(Finding(*where, "band", "note",
                               f"band not checked: the stated bands are for the 0..1 WAI, this table prints {scheme}"))
        else:
            out.extend(_band_findings(name, row, item, printed, band_text, candidates, bands))
    return out


def _counts_findings(out: list[Finding], where: tuple[str, int, str], printed: ReportedValue, counts: list[int],
                     n: int | None, points: int, scheme: str) -> int:
    """The counts' total against n and the index they give against the printed one; returns n."""
    total = sum(counts)
    if n is None:
        n = total
    elif total != n:
        out.append(Finding(*where, "count_total", "inconsistent", f"the counts sum to {total}, but n is {n}"))
    if total > 0:
        exact = index_from_counts(counts, scheme_weights(points, scheme))  # type: ignore[arg-type]
        shown = f"{exact.numerator}/{exact.denominator} = {float(exact):.4f}"
        if printed.contains(exact):
            out.append(Finding(*where, "index_from_counts", "ok",
                               f"the counts give {shown}, which rounds to {printed.text}"))
        else:
            out.append(Finding(*where, "index_from_counts", "inconsistent",
                               f"the counts give {shown}, which rounds to "
                               f"{round_half_up(exact, printed.decimals)}, not {printed.text}"))
    return n


def _granularity_findings(out: list[Finding], where: tuple[str, int, str], printed: ReportedValue,
                          n: int | None, points: int, scheme: str) -> list[Fraction] | None:
    """Whether n answers can give the printed index; returns the exact values that can."""
    if n is None:
        out.append(Finding(*where, "granularity", "note",
                           "not checked: no n for this row (give an n column or --n)"))
        return None
    if n == 0:
        out.append(Finding(*where, "granularity", "inconsistent", "n is 0: no index can be printed"))
        return None
    sums = index_sum_range(printed, n, points, scheme)  # counted, never listed
    if sums is not None:
        offset, denominator = index_affine(n, points, scheme)
        first, last = Fraction(sums[0] + offset, denominator), Fraction(sums[-1] + offset, denominator)
        out.append(Finding(*where, "granularity", "ok",
                           f"{printed.text} is reachable with {n} answers on {points} points "
                           f"({len(sums)} exact value{'s' if len(sums) > 1 else ''}, "
                           f"{float(first):.4f} to {float(last):.4f})"))
        if len(sums) > MAX_CANDIDATES:
            return None  # the band check then works on the rounding interval, as without n
        return [Fraction(s + offset, denominator) for s in sums]
    else:
        out.append(Finding(*where, "granularity", "inconsistent",
                           f"no {n} answers on a {points}-point scale give a {scheme} that rounds to "
                           f"{printed.text}; the nearest reachable values are "
                           f"{_nearest(printed, n, points, scheme)}"))
    return []


def _outside_0_100(printed: ReportedValue) -> bool:
    """Whether no share from 0 to 100 % rounds to the printed percentage."""
    return printed.high <= 0 or printed.low > 100


def _share_total(pcts: Sequence[ReportedValue]) -> tuple[Fraction, Fraction]:
    """Smallest and largest sum of shares each in its rounding interval, none below 0."""
    lows = [max(Fraction(0), p.low) for p in pcts]
    highs = [max(low, p.high) for low, p in zip(lows, pcts)]
    return sum(lows, Fraction(0)), sum(highs, Fraction(0))


def _percent_findings(out: list[Finding], where: tuple[str, int, str], printed: ReportedValue,
                      pcts: list[ReportedValue], n: int | None, points: int, scheme: str) -> None:
    """The printed percentages: achievable with n, their sum, and the index they allow."""
    texts = [p.text for p in pcts]
    outside = [p.text + "%" for p in pcts if _outside_0_100(p)]
    if outside:
        out.append(Finding(*where, "percent_range", "inconsistent",
                           f"{', '.join(outside)} lies outside 0..100%: no share can be printed so"))
        return
    if not n:
        lo_p, hi_p = _share_total(pcts)
        if not lo_p <= 100 <= hi_p:
            out.append(Finding(*where, "percentages", "inconsistent",
                               f"the percentages cannot sum to 100 within rounding "
                               f"(they allow {float(lo_p):.2f} to {float(hi_p):.2f})"))
        lo_i, hi_i = index_bounds_from_percents(texts, scheme_weights(points, scheme))  # type: ignore[arg-type]
        if hi_i < printed.low or lo_i >= printed.high:
            out.append(Finding(*where, "index_from_percentages", "inconsistent",
                               f"the percentages give a {scheme} between {float(lo_i):.4f} and "
                               f"{float(hi_i):.4f}, never one that rounds to {printed.text}"))
        else:
            out.append(Finding(*where, "index_from_percentages", "ok",
                               f"the percentages allow a {scheme} between {float(lo_i):.4f} and "
                               f"{float(hi_i):.4f}, which includes {printed.text}"))
        return
    ranges = percent_counts(texts, n)
    if ranges is None:
        bad = [t for t in texts if count_range(t, n) is None]
        why = (f"{', '.join(t + '%' for t in bad)} cannot be a share of {n} answers" if bad else
               f"no counts with these shares add up to {n}")
        out.append(Finding(*where, "percentages", "inconsistent", why))
        return
    out.append(Finding(*where, "percentages", "ok", f"the percentages fit {n} answers"))
    from wai.feasible import feasible_counts

    try:
        found = feasible_counts(n, points, index=printed.text, scheme=scheme, percents=texts)
    except OptionError as exc:  # over a stated limit of the search: a check that could not run
        out.append(Finding(*where, "index_from_percentages", "note",
                           f"not checked: {exc}"))
        return
    if found.total:
        out.append(Finding(*where, "index_from_percentages", "ok",
                           f"{found.total} set(s) of {n} answers fit both the percentages and {printed.text}"))
        return
    alone = feasible_counts(n, points, scheme=scheme, percents=texts)
    lo_i, hi_i = alone.index_range  # type: ignore[misc]
    out.append(Finding(*where, "index_from_percentages", "inconsistent",
                       f"the percentages with n = {n} give a {scheme} between "
                       f"{float(lo_i):.4f} and {float(hi_i):.4f}, never one that rounds to {printed.text}"))


def _index_table(cells: Cells, n: int | None, points: int | None, bands: BandScheme) -> list[Finding]:
    columns = list(cells.frame.columns)
    schemes = [s for s in SCHEMES if s in columns]
    if len(schemes) != 1:
        raise InputError([Problem(cells.name, 1, ", ".join(schemes), None,
                                  "exactly one index column: wai, rii or mean")])
    counts_cols, pct_cols = numbered(columns, "count_"), numbered(columns, "pct_")
    if counts_cols and pct_cols and len(counts_cols) != len(pct_cols):
        raise InputError([Problem(cells.name, 1, "count_*/pct_*", None, "as many count as pct columns")])
    k = len(counts_cols or pct_cols) or points or 5
    if k > MAX_POINTS:
        raise InputError([Problem(cells.name, 1, "count_*/pct_*", f"{k} columns",
                                  f"at most {MAX_POINTS} categories (wai.audit.MAX_POINTS)")])
    if points is not None and (counts_cols or pct_cols) and k != points:
        raise InputError([Problem(cells.name, 1, "count_*/pct_*", f"{k} columns",
                                  f"{points} categories, as --points says")])
    findings: list[Finding] = []
    for position in range(len(cells.frame)):
        findings += _check_index_row(cells, position, schemes[0], k, n, counts_cols, pct_cols, bands)
    cells.raise_problems()
    ns = _stated_n(cells)
    if len(ns) > 1:
        findings.append(Finding(cells.name, None, "", "n_rows", "note",
                                f"n differs across rows ({', '.join(map(str, ns))}): fine if some items were "
                                "skipped, otherwise worth a question"))
    return findings


def _stated_n(cells: Cells) -> list[int]:
    """The distinct sample sizes an ``n`` column states, in order."""
    found = (cells.whole(p, "n") for p in range(len(cells.frame)) if cells.text(p, "n"))
    return sorted({n for n in found if n is not None})


# ----------------------------------------------------- distribution tables

def _list_n(values: Sequence[int]) -> str:
    shown = ", ".join(map(str, values[:_SHOW_N]))
    return shown + (f", ... ({len(values)} in all)" if len(values) > _SHOW_N else "")


def _distribution_table(cells: Cells, n_option: int | None, max_n: int) -> list[Finding]:
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
        else:
            findings.append(Finding(name, None, "", "sample_size", "inconsistent",
                                    f"no breakdown of n = {n} gives these percentages; sample sizes up to "
                                    f"{max_n} that fit all of them: {_list_n(fits) or 'none'}", tuple(fits)))
        for p, (category, printed) in enumerate(zip(categories, pcts)):
            row = p + FIRST_ROW
            if counts and counts[p] is not None and n:
                exact = Fraction(100 * counts[p], n)  # type: ignore[operator]
                ok = printed.contains(exact)  # type: ignore[union-attr]
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

def validate(table: pd.DataFrame, *, name: str = "table", kind: str | None = None, n: int | None = None,
             points: int | None = None, bands: BandScheme = CHAPTER11_BANDS, max_n: int = 1000) -> pd.DataFrame:
    """Check one published table; one row per finding, columns :data:`FINDING_COLUMNS`.

    Parameters
    ----------
    table : pandas.DataFrame
        The table as text (read CSVs with ``dtype=str``).
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

    Raises
    ------
    wai.errors.OptionError
        A bad ``kind``, ``n``, ``points``, ``bands`` or ``max_n``, before the
        table is read.
    wai.errors.InputError
        Columns of no known kind, a cell that is not a number, missing key columns, gaps in
        ``count_1..count_K``.
    """
    _check_options(n, points, bands, max_n)
    if kind is not None:
        check_choice("kind", kind, KINDS)
    kind = kind or table_kind(table)
    cells = Cells(table, name)
    if kind == "index":
        findings = _index_table(cells, n, points, bands)
    elif kind == "distribution":
        findings = _distribution_table(cells, n, max_n)
    elif kind == "sizes":
        findings = []
    else:  # pragma: no cover - checked above
        raise OptionError("kind", kind, "one of " + ", ".join(map(repr, KINDS)))
    return frame_of(findings)


def _check_options(n: object, points: object, bands: object, max_n: object) -> None:
    """The options of :func:`validate` and :func:`validate_tables`, before any table is read."""
    if n is not None:
        check_int("n", n, 1, what="a whole number (a sample size)")
    if points is not None:
        check_int("points", points, MIN_POINTS, MAX_POINTS, what="a whole number of scale points")
    check_int("max_n", max_n, 1, MAX_N, what="a whole number (the largest sample size tried)")
    if not isinstance(bands, BandScheme):
        raise OptionError("bands", bands, "a wai.bands.BandScheme (e.g. wai.CHAPTER11_BANDS)")


def validate_tables(tables: Mapping[str, pd.DataFrame], *, n: int | None = None, points: int | None = None,
                    bands: BandScheme = CHAPTER11_BANDS, max_n: int = 1000) -> pd.DataFrame:
    """Check several tables of one study, then whether the sample sizes they state agree.

    >>> t1 = pd.DataFrame({"item": ["a"], "wai": ["0.60"], "n": ["99"]})
    >>> sizes = pd.DataFrame({"source": ["Abstract"], "n": ["100"]})
    >>> f = validate_tables({"t1.csv": t1, "sizes.csv": sizes})
    >>> f[f["status"] == "inconsistent"]["detail"].tolist()
    ['n = 100 (Abstract) disagrees with n = 99 stated by t1.csv']
    """
    _check_options(n, points, bands, max_n)
    parts, stated = [], []
    problems: list[Problem] = []
    for name, table in tables.items():
        try:
            kind = table_kind(table)
        except InputError as exc:
            problems += [Problem(name, p.row, p.column, list(table.columns), p.expected, p.hint)
                         for p in exc.problems]
            continue
        try:
            parts.append(validate(table, name=name, kind=kind, n=n if kind != "sizes" else None,
                                  points=points, bands=bands, max_n=max_n))
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
