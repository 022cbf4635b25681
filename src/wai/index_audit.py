"""The audit of index tables: one row per item, any mix of WAI, RII, mean, SD, sum and rank.

Every printed statistic of a row is a function of the whole total ``T`` of the
row's 0-based codes (``n`` people, ``items`` items, codes ``scale_min..``):

==========  ============================  ==================================
column      statistic                     exact value
==========  ============================  ==================================
``wai``     weighted average index 0..1   ``T / (N (K - 1))``
``rii``     relative importance index     ``(T + N min) / (N max)``
``mean``    mean code                     ``(T + N min) / N``
``sum``     total of the codes (no        ``T + N min``; with decimals the
            decimals)                     mean sum score ``(T + N min) / n``
==========  ============================  ==================================

with ``N = n items`` answers and ``K`` codes. Each printed value allows a range of
totals under the rounding rules tried (:mod:`wai.rounding`); the row's columns must
share one total (``index_agreement``). An ``sd`` column is checked exactly with
CLOSURE (:func:`wai.feasible.feasible_counts` with ``sd=``) on a single-item scale,
GRIMMER (:func:`wai.grim.grimmer`) on a multi-item one, and from the counts when they
are printed. A ``rank`` column is checked against the order of the printed index and
its ties. Counts are checked against their own printed percentages and, when they
sum below the stated ``n``, against the index the counts' sum divided by that ``n``
gives.

Examples
--------
>>> import pandas as pd
>>> from wai.bands import CHAPTER11_BANDS
>>> cells = Cells(pd.DataFrame({"item": ["a"], "mean": ["3.40"], "rii": ["0.68"], "n": ["10"]}, dtype=str), "t")
>>> opts = IndexOptions(points=5, items=1, scale_min=1, rules=("up",), n=None, bands=CHAPTER11_BANDS)
>>> [(f.check, f.status) for f in index_table(cells, opts)]
[('granularity', 'ok'), ('granularity', 'ok'), ('index_agreement', 'ok')]
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Sequence


from wai.bands import BandScheme
from wai.consistency import count_range, index_bounds_from_percents, percent_counts
from wai.errors import BandError, InputError, OptionError, Problem
from wai.exact import ReportedValue, format_fixed, round_half_up
from wai.index import scheme_weights
from wai.published import FIRST_ROW, Cells, Finding, numbered
from wai.rounding import describe_rules, integers_in, interval, union_interval
from wai.scales import normalize_label

__all__ = ["IndexOptions", "index_table", "COLUMNS", "MAX_CANDIDATES"]

Where = tuple[str, int, str]  # table, row, item
COLUMNS = ("wai", "rii", "mean", "sum")
"""The printed statistics an index table may hold, each a function of the codes' total."""
MAX_CANDIDATES = 10_000
"""The most exact index values of one printed index listed for its band check; past it
(``n`` in the tens of thousands) the band is checked on the printed value's rounding interval."""


@dataclass(frozen=True)
class IndexOptions:
    """How an index table is read: ``points`` codes from ``scale_min``, ``items`` per person,
    the rounding ``rules`` tried, an ``n`` for rows without one, the stated ``bands``."""

    points: int
    items: int
    scale_min: int
    rules: tuple[str, ...]
    n: int | None
    bands: BandScheme

    @property
    def scale_max(self) -> int:
        return self.scale_min + self.points - 1


def _affine(column: str, n: int, opts: IndexOptions, decimals: int = 0) -> tuple[int, int]:
    """``(offset, denominator)``: the column's exact value is ``(T + offset) / denominator``."""
    answers = n * opts.items
    if column == "wai":
        return 0, answers * (opts.points - 1)
    if column == "rii":
        return answers * opts.scale_min, answers * opts.scale_max
    if column == "mean":
        return answers * opts.scale_min, answers
    return answers * opts.scale_min, (n if decimals else 1)  # sum: mean sum score, or the total


def _what(column: str, printed: ReportedValue) -> str:
    return "mean sum score" if column == "sum" and printed.decimals else ("total" if column == "sum" else column)


def _totals(printed: ReportedValue, column: str, n: int, opts: IndexOptions, rules: Sequence[str]) -> range:
    offset, denominator = _affine(column, n, opts, printed.decimals)
    r = integers_in(union_interval(printed, rules), denominator, offset)
    start, stop = max(r.start, 0), min(r.stop, n * opts.items * (opts.points - 1) + 1)
    return range(start, max(start, stop))


def _value_range(column: str, opts: IndexOptions, decimals: int, n: int = 1) -> tuple[Fraction, Fraction]:
    """The column's smallest and largest exact value (the same for every n but for a total)."""
    offset, denominator = _affine(column, n, opts, decimals)
    return Fraction(offset, denominator), Fraction(offset + n * opts.items * (opts.points - 1), denominator)


def _shown(v: Fraction, decimals: int) -> str:
    return f"{format_fixed(v, decimals)} ({v.numerator}/{v.denominator})"


def _nearest(printed: ReportedValue, column: str, n: int, opts: IndexOptions) -> str:
    """The reachable values nearest below and above a printed value none reaches, as text."""
    offset, denominator = _affine(column, n, opts, printed.decimals)
    top = n * opts.items * (opts.points - 1)
    above = integers_in(union_interval(printed, opts.rules), denominator, offset).start  # first total past it
    totals = sorted({t for t in (above - 1, above) if 0 <= t <= top})
    return " and ".join(_shown(Fraction(t + offset, denominator), printed.decimals) for t in totals)


# ------------------------------------------------------------------ one column

def _granularity(out: list[Finding], where: Where, printed: ReportedValue, column: str, n: int | None,
                 opts: IndexOptions) -> tuple[range, range] | None:
    """Whether n answers give the printed value; returns the totals that do under the preferred rule
    (half up when tried; for the band) and under any rule tried (None: not checked)."""
    if n is None:
        out.append(Finding(*where, "granularity", "note", "not checked: no n for this row (give an n column or --n)"))
        return None
    if n == 0:
        out.append(Finding(*where, "granularity", "inconsistent", "n is 0: no index can be printed"))
        return range(0), range(0)
    on = f"{n} answers" + (f" x {opts.items} items" if opts.items > 1 else "") + f" on {opts.points} points"
    offset, denominator = _affine(column, n, opts, printed.decimals)
    preferred = ("up",) if "up" in opts.rules else opts.rules
    sums = _totals(printed, column, n, opts, preferred)
    if len(sums):
        first, last = Fraction(sums[0] + offset, denominator), Fraction(sums[-1] + offset, denominator)
        by = "" if preferred == ("up",) else f" rounded by {describe_rules(preferred)}"
        out.append(Finding(*where, "granularity", "ok",
                           f"{printed.text} is reachable{by} with {on} "
                           f"({len(sums)} exact value{'s' if len(sums) > 1 else ''}, "
                           f"{float(first):.4f} to {float(last):.4f})"))
        return sums, _totals(printed, column, n, opts, opts.rules)
    others = [r for r in opts.rules if r not in preferred and len(_totals(printed, column, n, opts, (r,)))]
    if others:
        wide = _totals(printed, column, n, opts, others)
        v = Fraction(wide[0] + offset, denominator)
        out.append(Finding(*where, "granularity", "note",
                           f"{printed.text} is reachable with {on} only if rounded by {describe_rules(others)}, "
                           f"not half up (e.g. {_shown(v, printed.decimals + 2)})"))
        return wide, wide
    out.append(Finding(*where, "granularity", "inconsistent",
                       f"no {on} give a {_what(column, printed)} that rounds to {printed.text} "
                       f"(by {describe_rules(opts.rules)}); the nearest reachable values are "
                       f"{_nearest(printed, column, n, opts)}"))
    return range(0), range(0)


def _exact(counts: Sequence[int], column: str, opts: IndexOptions, decimals: int) -> Fraction:
    """The exact value of a column from counts of single answers (``items == 1``)."""
    offset, denominator = _affine(column, sum(counts), opts, decimals)
    return Fraction(sum(k * f for k, f in enumerate(counts)) + offset, denominator)


def _rules_text(value: Fraction, printed: ReportedValue, rules: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    hits = tuple(r for r in rules if interval(printed, r).contains(value))
    return ("ok" if "up" in hits or (hits and "up" not in rules) else "note" if hits else "inconsistent"), hits


def _counts(out: list[Finding], where: Where, printed: ReportedValue, column: str, counts: list[int],
            n: int | None, opts: IndexOptions) -> int:
    """The counts' total against n, the value they give against the printed one; returns n."""
    total = sum(counts)
    if n is None:
        n = total
    elif total != n:
        out.append(Finding(*where, "count_total", "inconsistent", f"the counts sum to {total}, but n is {n}"))
    if total == 0:
        return n
    exact = _exact(counts, column, opts, printed.decimals) if opts.items == 1 else None
    if exact is None:
        return n
    status, hits = _rules_text(exact, printed, opts.rules)
    shown = f"{exact.numerator}/{exact.denominator} = {float(exact):.4f}"
    if status == "ok":
        out.append(Finding(*where, "index_from_counts", "ok", f"the counts give {shown}, which rounds to {printed.text}"))
    elif status == "note":
        out.append(Finding(*where, "index_from_counts", "note", f"the counts give {shown}, which gives "
                           f"{printed.text} only if rounded by {describe_rules(hits)}"))
    else:
        out.append(Finding(*where, "index_from_counts", "inconsistent",
                           f"the counts give {shown}, which rounds to {round_half_up(exact, printed.decimals)}, "
                           f"not {printed.text}"))
        if total < n:
            _below_n(out, where, printed, column, counts, n, opts)
    return n


def _below_n(out: list[Finding], where: Where, printed: ReportedValue, column: str, counts: list[int], n: int,
             opts: IndexOptions) -> None:
    """Counts summing below n: is the printed value the counts' sum divided by the stated n?"""
    t = sum(k * f for k, f in enumerate(counts))
    total = sum(counts)
    offset, denominator = _affine(column, n, opts, printed.decimals)
    value = Fraction(t + (0 if column == "wai" else total * opts.scale_min), denominator)
    if any(interval(printed, r).contains(value) for r in opts.rules):
        out.append(Finding(*where, "denominator", "inconsistent",
                           f"the printed {printed.text} is the counts' sum divided by the stated {n} "
                           f"({value.numerator}/{value.denominator} = {float(value):.4f}), not by the "
                           f"{total} answers counted"))


def _count_percent(out: list[Finding], where: Where, counts: list[int], pcts: list[ReportedValue], n: int,
                   rules: Sequence[str]) -> None:
    """Counts against their own printed percentages."""
    if not n:
        return
    wrong = []
    for k, (c, p) in enumerate(zip(counts, pcts), start=1):
        exact = Fraction(100 * c, n)
        if not any(interval(p, r).contains(exact) for r in rules):
            wrong.append(f"category {k}: {c} of {n} is {float(exact):.2f}%, printed {p.text}%")
    if wrong:
        out.append(Finding(*where, "count_percent", "inconsistent", "; ".join(wrong)))
    else:
        out.append(Finding(*where, "count_percent", "ok", f"every count is its printed percentage of {n}"))


def _outside_0_100(printed: ReportedValue) -> bool:
    """Whether no share from 0 to 100 % rounds to the printed percentage."""
    return printed.high <= 0 or printed.low > 100


def _share_total(pcts: Sequence[ReportedValue]) -> tuple[Fraction, Fraction]:
    """Smallest and largest sum of shares each in its rounding interval, none below 0."""
    lows = [max(Fraction(0), p.low) for p in pcts]
    highs = [max(low, p.high) for low, p in zip(lows, pcts)]
    return sum(lows, Fraction(0)), sum(highs, Fraction(0))


def _percents(out: list[Finding], where: Where, printed: ReportedValue, pcts: list[ReportedValue],
              n: int | None, points: int, scheme: str) -> None:
    """The printed percentages (half up): achievable with n, their sum, and the index they allow."""
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
    if percent_counts(texts, n) is None:
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
        out.append(Finding(*where, "index_from_percentages", "note", f"not checked: {exc}"))
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


def _band(where: Where, printed: ReportedValue, band_text: str, candidates: list[Fraction] | None,
          bands: BandScheme) -> list[Finding]:
    out: list[Finding] = []
    try:
        canonical = bands.canonical(band_text)
    except BandError:
        return [Finding(*where, "band", "inconsistent",
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
    where_text = " or ".join(sorted(rounded, key=bands.labels.index))
    if canonical not in rounded | exact:
        out.append(Finding(*where, "band", "inconsistent",
                           f"printed band {band_text!r}, but {printed.text} is {where_text} under the stated bands"))
    elif canonical not in rounded:
        out.append(Finding(*where, "band", "note",
                           f"printed band {band_text!r} holds only if the unrounded value is classified "
                           f"(exact rule); rounded first, {printed.text} is {where_text}"))
    else:
        out.append(Finding(*where, "band", "ok", f"{printed.text} is {canonical} under the stated bands"))
    if normalize_label(band_text) != normalize_label(canonical):
        out.append(Finding(*where, "band_label", "note",
                           f"printed {band_text!r} is a synonym of the scheme's {canonical!r}"))
    if rounded != exact or len(rounded) > 1:
        exact_only = sorted(exact - rounded, key=bands.labels.index)
        differ = sorted({v for v in candidates if bands.classify(v, "exact") != bands.classify(v, "rounded")})
        shown = " or ".join(dict.fromkeys(f"{float(v):.4f}" for v in differ))  # each value once, in order
        shown = " or ".join(shown.split(" or ")[:4])
        out.append(Finding(
            *where, "band_rule", "note",
            f"the band depends on the rounding rule: rounded first, {printed.text} is {where_text}, but an "
            f"exact value of {shown} would be {' or '.join(exact_only) or where_text} if classified unrounded"))
    return out


# --------------------------------------------------------------------- the SD

def _sd(out: list[Finding], where: Where, sd: ReportedValue, column: str, printed: ReportedValue,
        counts: list[int] | None, n: int | None, opts: IndexOptions) -> None:
    """The printed SD: from the counts when printed, else CLOSURE (one item) or GRIMMER (several)."""
    if counts is not None and opts.items == 1 and sum(counts) >= 2:
        answers = sum(counts)
        s = sum(k * f for k, f in enumerate(counts))
        q = sum(k * k * f for k, f in enumerate(counts))
        variance = Fraction(answers * q - s * s, answers * (answers - 1))
        hits = tuple(r for r in opts.rules if interval(sd, r).squared().contains(variance))
        status = "ok" if "up" in hits or (hits and "up" not in opts.rules) else "note" if hits else "inconsistent"
        shown = f"{float(variance) ** 0.5:.4f} (variance {variance.numerator}/{variance.denominator})"
        detail = {"ok": f"the counts give an SD of {shown}, which rounds to {sd.text}",
                  "note": f"the counts give an SD of {shown}: {sd.text} only if rounded by {describe_rules(hits)}",
                  "inconsistent": f"the counts give an SD of {shown}, not {sd.text}"}[status]
        out.append(Finding(*where, "sd_from_counts", status, detail))
        return
    if n is None or n < 2:
        out.append(Finding(*where, "sd", "note", "not checked: an SD needs an n of at least 2"))
        return
    if opts.items > 1:
        _grimmer(out, where, sd, column, printed, n, opts)
        return
    _closure(out, where, sd, column, printed, n, opts)


def _closure(out: list[Finding], where: Where, sd: ReportedValue, column: str, printed: ReportedValue, n: int,
             opts: IndexOptions) -> None:
    from decimal import Decimal

    from wai.feasible import feasible_counts

    if column == "sum" or (column == "rii" and opts.scale_min != 1):
        out.append(Finding(*where, "sd", "note", "not checked: the SD is checked with a wai, rii or mean column"))
        return
    text = str(Decimal(printed.text) + (1 - opts.scale_min)) if column == "mean" else printed.text
    tiers = [("up",), opts.rules] if "up" in opts.rules and len(opts.rules) > 1 else [opts.rules]
    try:
        for tier in tiers:
            found = feasible_counts(n, opts.points, index=text, scheme=column, sd=sd.text, rounding=tier)
            if found.total:
                break
    except OptionError as exc:
        out.append(Finding(*where, "sd", "note", f"not checked: {exc}"))
        return
    both = f"{column} {printed.text} and SD {sd.text}"
    if not found.total:
        out.append(Finding(*where, "sd", "inconsistent",
                           f"no {n} answers on {opts.points} points give both {both} "
                           f"(CLOSURE, exact, rounded by {describe_rules(opts.rules)})"))
    elif tier == opts.rules and tier != tiers[0]:
        out.append(Finding(*where, "sd", "note", f"{found.total:,} sets of {n} answers give both {both} only "
                           f"if rounded otherwise than half up (CLOSURE, exact)"))
    else:
        out.append(Finding(*where, "sd", "ok", f"{found.total:,} sets of {n} answers on {opts.points} points "
                           f"give both {both} (CLOSURE, exact)"))


def _grimmer(out: list[Finding], where: Where, sd: ReportedValue, column: str, printed: ReportedValue, n: int,
             opts: IndexOptions) -> None:
    from wai.grim import grimmer

    if column != "mean":
        out.append(Finding(*where, "sd", "note", "not checked: on a multi-item scale the SD is checked with the mean"))
        return
    result = grimmer(printed.text, sd.text, n, opts.items, scale_min=opts.scale_min, scale_max=opts.scale_max,
                     rounding=opts.rules)
    why = {"grim": "the mean itself is impossible", "sum_of_squares": "no whole sum of squares gives it",
           "parity": "the sums of squares that give it have the wrong parity"}
    if result.consistent:
        out.append(Finding(*where, "sd", "ok", f"mean {printed.text} and SD {sd.text} fit {n} people x {opts.items} "
                           f"items (GRIMMER, by {describe_rules(result.rules)})"))
    else:
        out.append(Finding(*where, "sd", "inconsistent", f"SD {sd.text} cannot come with mean {printed.text} from "
                           f"{n} people x {opts.items} items: {why[result.reason]} (GRIMMER)"))


# ------------------------------------------------------------------- the ranks

def _ranks(name: str, entries: list[tuple[int, str, ReportedValue, Fraction | None, ReportedValue]],
           column: str) -> list[Finding]:
    """Ranks against the order of the printed (or, from counts, exact) values and their ties."""
    out: list[Finding] = []
    for i, (row_a, item_a, va, ea, ra) in enumerate(entries):
        for row_b, item_b, vb, eb, rb in entries[i + 1:]:
            exact = ea is not None and eb is not None
            a: Fraction | Decimal = ea if exact else va.value  # type: ignore[assignment]
            b: Fraction | Decimal = eb if exact else vb.value  # type: ignore[assignment]
            if a == b:
                if ra.value != rb.value:
                    if exact:
                        out.append(Finding(name, row_b, item_b, "rank", "inconsistent",
                                           f"an exact tie with row {row_a} ({item_a}): both {ea}, but ranked "
                                           f"{ra.text} and {rb.text}"))
                    else:
                        out.append(Finding(name, row_b, item_b, "rank", "note",
                                           f"printed {column} {vb.text} as row {row_a} ({item_a}) but ranked "
                                           f"{rb.text} against {ra.text}: right only if the unrounded values differ"))
                continue
            high, low = ((row_a, item_a, va, ra), (row_b, item_b, vb, rb)) if a > b else \
                ((row_b, item_b, vb, rb), (row_a, item_a, va, ra))
            if high[3].value >= low[3].value:
                out.append(Finding(name, low[0], low[1], "rank", "inconsistent",
                                   f"{column} {low[2].text} is ranked {low[3].text}, but row {high[0]} "
                                   f"({high[1]}) with the higher {high[2].text} is ranked {high[3].text}"))
    if not any(f.status == "inconsistent" for f in out):
        out.append(Finding(name, None, "", "rank", "ok", f"the ranks follow the order of the printed {column}"))
    return out


# ------------------------------------------------------------------- a row, a table

def _row(cells: Cells, position: int, columns: list[str], opts: IndexOptions, counts_cols: list[str],
         pct_cols: list[str]) -> tuple[list[Finding], dict[str, Fraction | None]]:
    """Every check of one row; also the exact value of each column when the counts give it."""
    name, row = cells.name, position + FIRST_ROW
    item = cells.text(position, "item")
    where: Where = (name, row, item)
    n = cells.whole(position, "n") if "n" in cells.frame.columns else None
    n = n if n is not None else opts.n
    counts = [cells.whole(position, c) for c in counts_cols]
    pcts = [cells.number(position, c) for c in pct_cols]
    whole: list[int] | None = [c for c in counts if c is not None] if counts_cols and None not in counts else None
    shares = [p for p in pcts if p is not None] if pct_cols and None not in pcts else None
    printed = {c: cells.number(position, c) for c in columns}
    out: list[Finding] = []
    totals: dict[str, range] = {}
    exact: dict[str, Fraction | None] = {}
    candidates: list[Fraction] | None = None
    for column, value in printed.items():
        if value is None:
            out.append(Finding(*where, "value", "note", f"no printed {column} in this row"))
            continue
        total = column == "sum" and not value.decimals
        if total and not n:
            low, high = Fraction(0), Fraction(10) ** 12  # a total's range needs n
        else:
            low, high = _value_range(column, opts, value.decimals, n if total else 1)  # type: ignore[arg-type]
        span = union_interval(value, opts.rules)
        if span.high < low or span.low > high:
            out.append(Finding(*where, "range", "inconsistent",
                               f"{_what(column, value)} {value.text} lies outside its possible range "
                               f"{format_fixed(low, value.decimals)}..{format_fixed(high, value.decimals)} "
                               f"on {opts.points} points from {opts.scale_min}"))
            continue
        row_n = n
        if whole is not None:
            row_n = _counts(out, where, value, column, whole, n, opts)
            exact[column] = _exact(whole, column, opts, value.decimals) if opts.items == 1 and any(whole) else None
        both = _granularity(out, where, value, column, row_n, opts)
        if both is not None:
            found, totals[column] = both
            if column == "wai" and 0 < len(found) <= MAX_CANDIDATES:
                offset, denominator = _affine(column, row_n, opts)  # type: ignore[arg-type]
                candidates = [Fraction(t + offset, denominator) for t in found]
    _agreement(out, where, printed, totals)
    n_ref = n if n is not None else (sum(whole) if whole is not None else None)
    first = next((c for c in ("wai", "rii", "mean") if printed.get(c) is not None), None)
    if shares is not None and first is not None and opts.scale_min == 1 and opts.items == 1:
        _percents(out, where, printed[first], shares, n_ref, opts.points, first)  # type: ignore[arg-type]
    if whole is not None and shares is not None and n_ref:
        _count_percent(out, where, whole, shares, n_ref, opts.rules)
    sd = cells.number(position, "sd") if "sd" in cells.frame.columns else None
    by = next((c for c in ("mean", "rii", "wai") if printed.get(c) is not None), None)  # the SD is of the codes
    if sd is not None and by is not None:
        _sd(out, where, sd, by, printed[by], whole, n, opts)  # type: ignore[arg-type]
    band_text = cells.text(position, "band")
    if band_text:
        if printed.get("wai") is None:
            out.append(Finding(*where, "band", "note", "band not checked: the stated bands are for the 0..1 WAI, "
                               f"this table prints {' and '.join(columns)}"))
        else:
            out.extend(_band(where, printed["wai"], band_text, candidates, opts.bands))  # type: ignore[arg-type]
    return out, exact


def _agreement(out: list[Finding], where: Where, printed: dict[str, ReportedValue | None],
               totals: dict[str, range]) -> None:
    """Columns of one row (mean and RII, mean and sum, ...) must come from one total of the codes."""
    reachable = {c: r for c, r in totals.items() if len(r)}
    if len(reachable) < 2 or len(reachable) < len(totals):
        return
    start = max(r.start for r in reachable.values())
    stop = min(r.stop for r in reachable.values())
    texts = " and ".join(f"{_what(c, printed[c])} {printed[c].text}" for c in reachable)  # type: ignore[arg-type, union-attr]
    if start < stop:
        out.append(Finding(*where, "index_agreement", "ok", f"{texts} come from the same answers"))
    else:
        out.append(Finding(*where, "index_agreement", "inconsistent",
                           f"{texts} cannot come from the same answers: no total of the codes gives both"))


def index_table(cells: Cells, opts: IndexOptions, highest_first: bool = False) -> list[Finding]:
    """Every finding of an index table (see the module docstring).

    Raises :class:`~wai.errors.InputError` for a table without an index column, gaps in
    ``count_1..count_K``, or counts/percentages that disagree with ``points``.
    """
    frame_columns = list(cells.frame.columns)
    columns = [c for c in COLUMNS if c in frame_columns]
    if not columns:
        raise InputError([Problem(cells.name, 1, None, None, "an index column: wai, rii, mean or sum")])
    counts_cols, pct_cols = numbered(frame_columns, "count_"), numbered(frame_columns, "pct_")
    if counts_cols and pct_cols and len(counts_cols) != len(pct_cols):
        raise InputError([Problem(cells.name, 1, "count_*/pct_*", None, "as many count as pct columns")])
    if highest_first:
        counts_cols, pct_cols = counts_cols[::-1], pct_cols[::-1]
    findings: list[Finding] = []
    entries = []
    for position in range(len(cells.frame)):
        found, exact = _row(cells, position, columns, opts, counts_cols, pct_cols)
        findings += found
        rank = cells.number(position, "rank") if "rank" in frame_columns else None
        ranked = next((c for c in ("rii", "wai", "mean", "sum") if c in columns), columns[0])
        value = cells.number(position, ranked)
        if rank is not None and value is not None:
            entries.append((position + FIRST_ROW, cells.text(position, "item"), value, exact.get(ranked), rank))
    cells.raise_problems()
    if entries:
        findings += _ranks(cells.name, entries, ranked)
    findings += _rule_tally(cells, columns, opts)
    ns = sorted({v for v in (cells.whole(p, "n") for p in range(len(cells.frame)) if cells.text(p, "n"))
                 if v is not None})
    if len(ns) > 1:
        findings.append(Finding(cells.name, None, "", "n_rows", "note",
                                f"n differs across rows ({', '.join(map(str, ns))}): fine if some items were "
                                "skipped, otherwise worth a question"))
    return findings


def _rule_tally(cells: Cells, columns: list[str], opts: IndexOptions) -> list[Finding]:
    """How many printed values each rounding rule reproduces, when a rule explains more than half up."""
    tally = {r: 0 for r in opts.rules}
    values = 0
    for position in range(len(cells.frame)):
        n = cells.whole(position, "n") if "n" in cells.frame.columns else None
        n = n if n is not None else opts.n
        for column in columns:
            printed = cells.number(position, column)
            if printed is None or not n:
                continue
            values += 1
            for r in opts.rules:
                tally[r] += bool(len(_totals(printed, column, n, opts, (r,))))
    if len(set(tally.values())) <= 1 or ("up" in tally and tally["up"] == max(tally.values())):
        return []  # said only when some rule explains the table better than half up
    best = max(tally.values())
    shown = ", ".join(f"{describe_rules((r,))} {k}/{values}" for r, k in tally.items())
    winners = [r for r, k in tally.items() if k == best]
    return [Finding(cells.name, None, "", "rounding_rule", "note",
                    f"printed values reproduced by each rounding rule: {shown}; the table is best explained by "
                    f"{describe_rules(winners)}")]
