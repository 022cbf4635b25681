"""The GRIM family, exact: can a printed mean, SD or percentage come from whole answers?

Each test climbs scrutiny's ladder: a scalar check (:func:`grim`,
:func:`grimmer`, :func:`debit`) returning a small frozen result, a mapper
over a table of cases (:func:`grim_map`, :func:`grimmer_map`,
:func:`debit_map`) returning a tidy frame with fixed columns, and a summary
of a mapped frame (:func:`audit_cases`).

Every test is exact. A printed value stands for an interval of exact values
under each rounding rule (:mod:`wai.rounding`); a mean of ``n`` people on
``items`` items with integer codes is ``T / (n items)`` for a whole total
``T``, so the printed mean is possible when some whole ``T`` lands in the
interval times ``n items`` -- found by two integer roundings, never by
float comparison with a tolerance as in scrutiny. The result says which
rules reproduce the value.

GRIMMER (Anaya 2016; Allard 2018) adds the sample SD (``n - 1``): with person
totals ``t_i`` (whole numbers), ``n (n - 1) items^2 SD^2 = n Q - T^2`` for the
whole sum of squares ``Q = sum t_i^2``, and ``Q`` has the parity of ``T``
(``t^2`` and ``t`` are both odd or both even). DEBIT (Heathers and Brown
2019) does the same for binary data, where ``S`` ones out of ``n`` give
``SD^2 = S (n - S) / (n (n - 1))``.

Examples
--------
>>> grim("5.19", 28, rounding="up_or_down").consistent
False
>>> grim("5.21", 28).consistent, grim("5.21", 28).sums
(True, range(146, 147))
>>> grimmer("3.44", "2.47", 18, rounding="up_or_down").reason
'parity'
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import pandas as pd

from wai._checks import check_choice, check_int
from wai.errors import OptionError
from wai.exact import ReportedValue, parse_reported
from wai.rounding import DEFAULT_ROUNDING, Interval, integers_in, interval, resolve_rounding

__all__ = [
    "GrimResult",
    "GrimmerResult",
    "DebitResult",
    "grim",
    "grimmer",
    "debit",
    "grim_map",
    "grimmer_map",
    "debit_map",
    "audit_cases",
    "STATISTICS",
    "MAX_TOTALS",
]

STATISTICS = ("mean", "sum", "percent")
"""What a printed value of :func:`grim` is: a mean of codes, a mean sum score, a percentage."""
MAX_TOTALS = 1_000_000
"""The most whole totals :func:`grimmer` and :func:`debit` try one by one."""


def _text(name: str, value: object) -> ReportedValue:
    if isinstance(value, ReportedValue):
        return value
    if not isinstance(value, str):
        raise OptionError(name, value, "the printed number as text (e.g. '5.19'; its decimals matter)")
    try:
        return parse_reported(value)
    except ValueError:
        raise OptionError(name, value, "a printed number such as '5.19'") from None


def _bounds(scale_min: int | None, scale_max: int | None) -> tuple[int | None, int | None]:
    if scale_min is not None:
        scale_min = check_int("scale_min", scale_min, None, what="a whole number (the lowest code)")
    if scale_max is not None:
        scale_max = check_int("scale_max", scale_max, None, what="a whole number (the highest code)")
    if scale_min is not None and scale_max is not None and scale_max <= scale_min:
        raise OptionError("scale_max", scale_max, f"a code above scale_min ({scale_min})")
    return scale_min, scale_max


def _clip(r: range, low: int | None, high: int | None) -> range:
    start = r.start if low is None else max(r.start, low)
    stop = r.stop if high is None else min(r.stop, high + 1)
    return range(start, max(start, stop))


def _totals(printed: ReportedValue, rule: str, n: int, items: int, statistic: str,
            scale_min: int | None, scale_max: int | None) -> range:
    """Whole totals ``T`` (of all ``n * items`` codes, or of ``n * items`` 0/1 answers for a
    percentage) whose statistic rounds to ``printed`` under ``rule``."""
    answers = n * items
    if statistic == "percent":
        return _clip(integers_in(interval(printed, rule), Fraction(answers, 100)), 0, answers)
    scale = answers if statistic == "mean" else n
    low = None if scale_min is None else answers * scale_min
    high = None if scale_max is None else answers * scale_max
    return _clip(integers_in(interval(printed, rule), scale), low, high)


@dataclass(frozen=True)
class GrimResult:
    """The GRIM test of one printed value.

    Attributes
    ----------
    x, n, items, statistic, rounding
        The inputs (``rounding`` as the tuple of rules tried).
    consistent : bool
        Whether some rule tried reproduces ``x`` from whole totals.
    rules : tuple of str
        The rules that reproduce it.
    sums : range
        The whole totals ``T`` that do (under any rule), empty when none.
    """

    x: str
    n: int
    items: int
    statistic: str
    rounding: tuple[str, ...]
    consistent: bool
    rules: tuple[str, ...]
    sums: range


def grim(x: str, n: int, items: int = 1, *, statistic: str = "mean", percent: bool = False,
         scale_min: int | None = None, scale_max: int | None = None,
         rounding: str | Sequence[str] = DEFAULT_ROUNDING) -> GrimResult:
    """GRIM: whether a printed mean (or mean sum score, or percentage) can come from whole answers.

    Parameters
    ----------
    x : str
        The printed value, as text (its decimals matter).
    n : int
        Number of people (>= 1).
    items : int
        Items per person, each answered with a whole code (>= 1); the granularity of a mean
        is ``1 / (n items)``.
    statistic : {"mean", "sum", "percent"}
        ``mean`` of codes, ``sum``: the mean of the people's sum scores (granularity ``1/n``),
        ``percent``: a percentage of the ``n * items`` answers.
    percent : bool
        Shorthand for ``statistic="percent"`` (scrutiny's argument).
    scale_min, scale_max : int, optional
        The codes' range (any integers: 0-based scales, negative codes); a value outside
        what those codes allow is inconsistent. Unbounded when not given.
    rounding : str or sequence of str
        Rounding rule(s) (:mod:`wai.rounding`); default ``"usual"``.

    Returns
    -------
    GrimResult

    Examples
    --------
    >>> [grim(x, 28, rounding="up_or_down").consistent for x in ("5.19", "5.20", "5.21")]
    [False, False, True]
    >>> grim("0.45", 20, scale_min=0, scale_max=4).consistent  # a 0-based scale's low mean
    True
    >>> grim("45.30", 10, items=12, statistic="sum").sums  # mean sum score of 10 people
    range(453, 454)
    """
    printed = _text("x", x)
    n = check_int("n", n, 1)
    items = check_int("items", items, 1, what="a whole number of items (at least 1)")
    statistic = "percent" if percent else check_choice("statistic", statistic, STATISTICS)
    scale_min, scale_max = _bounds(scale_min, scale_max)
    rules = resolve_rounding(rounding)
    found = {r: _totals(printed, r, n, items, statistic, scale_min, scale_max) for r in rules}
    hits = [r for r in rules if len(found[r])]
    sums = range(min(found[r].start for r in hits), max(found[r].stop for r in hits)) if hits else range(0)
    return GrimResult(printed.text, n, items, statistic, rules, bool(hits), tuple(hits), sums)


@dataclass(frozen=True)
class GrimmerResult:
    """The GRIMMER test of one printed mean and SD.

    ``reason`` is ``"passed"``, ``"grim"`` (the mean alone is impossible),
    ``"sum_of_squares"`` (no whole sum of squares gives the SD with any possible total) or
    ``"parity"`` (the sums of squares that do have the wrong parity) -- scrutiny's tests 1/2
    and 3; ``rules`` are the rules under which mean and SD both pass.
    """

    x: str
    sd: str
    n: int
    items: int
    rounding: tuple[str, ...]
    consistent: bool
    rules: tuple[str, ...]
    reason: str


def _squares(total: int, n: int, items: int, variance: Interval) -> range:
    """Whole sums of squares ``Q`` of person totals giving a variance in ``variance``:
    ``n Q - T^2`` in ``n (n - 1) items^2 variance``."""
    k = n * (n - 1) * items**2
    span = Interval(variance.low * k + total**2, variance.high * k + total**2,
                    variance.low_closed, variance.high_closed)
    return integers_in(span, Fraction(1, n))


def _grimmer_rule(printed: ReportedValue, sd: ReportedValue, n: int, items: int, rule: str,
                  bounds: tuple[int | None, int | None]) -> str:
    totals = _totals(printed, rule, n, items, "mean", *bounds)
    if not len(totals):
        return "grim"
    if len(totals) > MAX_TOTALS:
        raise OptionError("n", n, f"at most {MAX_TOTALS:,} possible totals ({len(totals):,} here)",
                          "raise wai.grim.MAX_TOTALS to test anyway")
    variance = interval(sd, rule).squared()
    reason = "sum_of_squares"
    for t in totals:
        q = _squares(t, n, items, variance)
        if len(q):
            reason = "parity"
            if len(q) > 1 or q.start % 2 == t % 2:
                return "passed"
    return reason


def grimmer(x: str, sd: str, n: int, items: int = 1, *, scale_min: int | None = None,
            scale_max: int | None = None, rounding: str | Sequence[str] = DEFAULT_ROUNDING) -> GrimmerResult:
    """GRIMMER: whether a printed mean and sample SD (``n - 1``) can come from whole answers.

    For every whole total ``T`` the mean allows, the SD's rounding interval gives an
    interval of sums of squares ``Q`` (``n (n-1) items^2 SD^2 = n Q - T^2``); the pair is
    consistent when some whole ``Q`` there has the parity of ``T``. Mean and SD are taken
    as rounded by the same rule. Bounded codes (``scale_min``/``scale_max``) limit the
    totals; for the full bounded check use :func:`wai.feasible.feasible_counts` with ``sd=``.

    Parameters
    ----------
    x, sd : str
        The printed mean and SD, as text.
    n : int
        Number of people (>= 2).
    items : int
        Items per person (the mean and SD are of the people's mean scores).
    scale_min, scale_max : int, optional
        The codes' range.
    rounding : str or sequence of str
        Rounding rule(s); default ``"usual"``.

    Returns
    -------
    GrimmerResult

    Examples
    --------
    >>> grimmer("5.21", "1.6", 28, rounding="up_or_down").consistent
    True
    >>> grimmer("5.23", "2.55", 35, rounding="up_or_down").reason
    'parity'
    """
    printed, printed_sd = _text("x", x), _text("sd", sd)
    n = check_int("n", n, 2, what="a whole number of at least 2 (an SD needs two answers)")
    items = check_int("items", items, 1, what="a whole number of items (at least 1)")
    if printed_sd.value < 0:
        raise OptionError("sd", sd, "a standard deviation of 0 or more")
    bounds = _bounds(scale_min, scale_max)
    rules = resolve_rounding(rounding)
    reasons = {r: _grimmer_rule(printed, printed_sd, n, items, r, bounds) for r in rules}
    passed = tuple(r for r in rules if reasons[r] == "passed")
    order = ("passed", "parity", "sum_of_squares", "grim")
    reason = min(reasons.values(), key=order.index)
    return GrimmerResult(printed.text, printed_sd.text, n, items, rules, bool(passed), passed, reason)


@dataclass(frozen=True)
class DebitResult:
    """The DEBIT test of one printed binary mean (a proportion) and SD.

    ``reason`` is ``"passed"``, ``"grim"`` (no count of ones gives the mean) or ``"sd"``
    (the counts that give the mean give other SDs); ``ones`` are the counts of ones that
    pass under some rule.
    """

    x: str
    sd: str
    n: int
    rounding: tuple[str, ...]
    consistent: bool
    rules: tuple[str, ...]
    reason: str
    ones: range


def debit(x: str, sd: str, n: int, *, rounding: str | Sequence[str] = DEFAULT_ROUNDING) -> DebitResult:
    """DEBIT: whether a printed mean and sample SD of binary (0/1) data fit ``n`` answers.

    ``S`` ones out of ``n`` give the mean ``S / n`` and ``SD^2 = S (n - S) / (n (n - 1))``;
    the pair is consistent when some whole ``S`` gives both (exact, so it also holds the
    mean's granularity; scrutiny's DEBIT compares the SD with the two SDs at the ends of
    the mean's interval).

    Examples
    --------
    >>> debit("0.53", "0.50", 1683, rounding="up_or_down").consistent
    True
    >>> debit("0.19", "0.35", 1683, rounding="up_or_down").reason
    'sd'
    """
    printed, printed_sd = _text("x", x), _text("sd", sd)
    n = check_int("n", n, 2, what="a whole number of at least 2 (an SD needs two answers)")
    for name, value in (("x", printed), ("sd", printed_sd)):
        if not 0 <= value.value <= 1:
            raise OptionError(name, value.text, "a value from 0 to 1 (DEBIT is for binary data)")
    rules = resolve_rounding(rounding)
    passed, ones, any_mean = [], set(), False
    for rule in rules:
        counts = _clip(integers_in(interval(printed, rule), n), 0, n)
        any_mean = any_mean or bool(len(counts))
        variance = interval(printed_sd, rule).squared()
        good = [s for s in counts if variance.contains(Fraction(s * (n - s), n * (n - 1)))]
        if good:
            passed.append(rule)
            ones.update(good)
    reason = "passed" if passed else ("sd" if any_mean else "grim")
    span = range(min(ones), max(ones) + 1) if ones else range(0)
    return DebitResult(printed.text, printed_sd.text, n, rules, bool(passed), tuple(passed), reason, span)


# ------------------------------------------------------------------ mappers

def _column(frame: pd.DataFrame, name: str, what: str) -> pd.Series:
    if name not in frame.columns:
        raise OptionError(what, name, f"a column of the frame ({', '.join(map(str, frame.columns))})")
    return frame[name]


def _mapped(frame: pd.DataFrame, inputs: list[str], results: list, extra: dict[str, list]) -> pd.DataFrame:
    out = frame[inputs].copy().reset_index(drop=True)
    out["consistency"] = [r.consistent for r in results]
    for key, values in extra.items():
        out[key] = values
    out["rules"] = [" ".join(r.rules) for r in results]
    rest = [c for c in frame.columns if c not in inputs]
    return pd.concat([out, frame[rest].reset_index(drop=True)], axis=1)


def grim_map(frame: pd.DataFrame, *, x: str = "x", n: str = "n", items: int = 1, percent: bool = False,
             rounding: str | Sequence[str] = DEFAULT_ROUNDING) -> pd.DataFrame:
    """GRIM on every row of a frame of printed values (text) and sample sizes.

    Returns the columns ``x, n, consistency, rules`` (the reproducing rules, space
    separated), then the frame's other columns.

    >>> m = grim_map(pd.DataFrame({"x": ["5.19", "5.21"], "n": [28, 28]}), rounding="up_or_down")
    >>> m.values.tolist()
    [['5.19', 28, False, ''], ['5.21', 28, True, 'up down']]
    """
    xs, ns = _column(frame, x, "x"), _column(frame, n, "n")
    results = [grim(str(a), int(b), items, percent=percent, rounding=rounding) for a, b in zip(xs, ns)]
    return _mapped(frame, [x, n], results, {})


def grimmer_map(frame: pd.DataFrame, *, x: str = "x", sd: str = "sd", n: str = "n", items: int = 1,
                rounding: str | Sequence[str] = DEFAULT_ROUNDING) -> pd.DataFrame:
    """GRIMMER on every row; columns ``x, sd, n, consistency, reason, rules``, then the rest.

    >>> f = grimmer_map(pd.DataFrame({"x": ["5.23"], "sd": ["2.55"], "n": [35]}), rounding="up_or_down")
    >>> f[["consistency", "reason"]].values.tolist()
    [[False, 'parity']]
    """
    cols = [_column(frame, c, k) for c, k in ((x, "x"), (sd, "sd"), (n, "n"))]
    results = [grimmer(str(a), str(b), int(c), items, rounding=rounding) for a, b, c in zip(*cols)]
    return _mapped(frame, [x, sd, n], results, {"reason": [r.reason for r in results]})


def debit_map(frame: pd.DataFrame, *, x: str = "x", sd: str = "sd", n: str = "n",
              rounding: str | Sequence[str] = DEFAULT_ROUNDING) -> pd.DataFrame:
    """DEBIT on every row; columns ``x, sd, n, consistency, reason, rules``, then the rest.

    >>> debit_map(pd.DataFrame({"x": ["0.19"], "sd": ["0.35"], "n": [1683]}))["reason"].tolist()
    ['sd']
    """
    cols = [_column(frame, c, k) for c, k in ((x, "x"), (sd, "sd"), (n, "n"))]
    results = [debit(str(a), str(b), int(c), rounding=rounding) for a, b, c in zip(*cols)]
    return _mapped(frame, [x, sd, n], results, {"reason": [r.reason for r in results]})


def audit_cases(mapped: pd.DataFrame) -> pd.DataFrame:
    """Summary of a mapped frame: ``cases``, ``inconsistent``, ``share_inconsistent`` (exact text).

    >>> m = grim_map(pd.DataFrame({"x": ["5.19", "5.21"], "n": [28, 28]}), rounding="up_or_down")
    >>> audit_cases(m).to_dict("records")
    [{'cases': 2, 'inconsistent': 1, 'share_inconsistent': '1/2'}]
    """
    if "consistency" not in mapped.columns:
        raise OptionError("mapped", list(mapped.columns), "a frame from grim_map, grimmer_map or debit_map")
    cases = len(mapped)
    bad = int((~mapped["consistency"].astype(bool)).sum())
    share = Fraction(bad, cases) if cases else Fraction(0)
    return pd.DataFrame({"cases": [cases], "inconsistent": [bad], "share_inconsistent": [str(share)]})
