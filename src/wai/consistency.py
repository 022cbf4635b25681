"""Pure consistency checks on printed numbers: could these values have come from n answers?

Every check is exact: a printed value stands for the interval of exact
values that round (half up) to it (:func:`wai.exact.parse_reported`), and a
check asks whether some integer count lands in that interval.

Examples
--------
>>> count_range("27.7", 94)
range(26, 27)
>>> count_range("27.7", 99) is None
True
>>> consistent_sample_sizes(["27.7", "19.1", "19.1", "17.0", "12.8", "4.3"], max_n=100)
[47, 94]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

import numpy as np

from wai._checks import check_int
from wai.errors import OptionError
from wai.exact import ReportedValue, parse_reported
from wai.rounding import Interval, integers_in, union_interval

__all__ = [
    "count_range",
    "percent_counts",
    "consistent_sample_sizes",
    "wai_sum_range",
    "index_affine",
    "index_sum_range",
    "index_values",
    "index_bounds_from_percents",
    "MAX_N",
    "MAX_VALUES",
]


MAX_VALUES = 100_000
"""The most exact values :func:`index_values` lists (:func:`index_sum_range` counts any number)."""
MAX_N = 10_000
"""The largest ``max_n`` of :func:`consistent_sample_sizes` (one check per sample size)."""


def _reported(value: str | ReportedValue) -> ReportedValue:
    return value if isinstance(value, ReportedValue) else parse_reported(value)


def _integer_range(printed: ReportedValue, scale: Fraction, upper: int,
                   rounding: str | Sequence[str] = "up") -> range | None:
    """Integers ``c`` in ``0..upper`` with ``c / scale`` rounding to ``printed`` under some rule.

    The rule's interval of exact values (:func:`wai.rounding.union_interval`) times ``scale``
    holds the hits, found by two integer roundings: ``O(1)`` whatever the numbers.
    """
    r = integers_in(union_interval(printed, rounding), scale)
    start, stop = max(r.start, 0), min(r.stop, upper + 1)
    return range(start, stop) if start < stop else None


def count_range(percent: str | ReportedValue, n: int, rounding: str | Sequence[str] = "up") -> range | None:
    """Counts out of ``n`` whose percentage rounds (half up, or by ``rounding``) to the printed percent, or None.

    >>> count_range("46.5", 99), count_range("50", 3)
    (range(46, 47), None)
    >>> count_range("33", 3, "truncate")  # 1 of 3 is 33.33...%
    range(1, 2)
    """
    if n < 1:
        raise OptionError("n", n, "a whole number of at least 1")
    return _integer_range(_reported(percent), Fraction(n, 100), n, rounding)


def percent_counts(percents: Sequence[str | ReportedValue], n: int,
                   rounding: str | Sequence[str] = "up") -> list[range] | None:
    """For each printed percent, the counts out of ``n`` consistent with it; None if any has none
    or if no choice of counts sums to ``n``.

    >>> percent_counts(["46.5", "53.5"], 99)
    [range(46, 47), range(53, 54)]
    >>> percent_counts(["46.5", "53.5"], 100) is None
    True
    """
    ranges = []
    for p in percents:
        r = count_range(p, n, rounding)
        if r is None:
            return None
        ranges.append(r)
    if not sum(r.start for r in ranges) <= n <= sum(r.stop - 1 for r in ranges):
        return None
    return ranges


def consistent_sample_sizes(
    percents: Sequence[str | ReportedValue], max_n: int = 1000, min_n: int = 1,
    rounding: str | Sequence[str] = "up",
) -> list[int]:
    """Every sample size in ``min_n..max_n`` for which each printed percent is achievable and
    some choice of counts sums to n (the percents cover all categories).

    The same sizes as asking :func:`percent_counts` of each ``n`` in turn: each
    percent's interval of exact values is found once, and its counts at every
    ``n`` come from two integer roundings of ``interval * n / 100``, for all
    ``n`` at once. ``max_n`` may be at most :data:`MAX_N`.

    >>> consistent_sample_sizes(["50", "50"], max_n=4)
    [2, 4]
    """
    max_n = check_int("max_n", max_n, 1, MAX_N, what="a whole number (the largest sample size tried)")
    min_n = check_int("min_n", min_n, 1, what="a whole number (the smallest sample size tried)")
    if min_n > max_n:
        return []
    spans = [union_interval(_reported(p), rounding) for p in percents]
    n = np.arange(min_n, max_n + 1, dtype=np.int64)
    fits = np.ones(len(n), dtype=bool)
    low_total = np.zeros(len(n), dtype=np.int64)
    high_total = np.zeros(len(n), dtype=np.int64)
    for span in spans:
        first, last = _counts_between(span, n)
        first, last = np.maximum(first, 0), np.minimum(last, n)
        fits &= first <= last
        low_total += first
        high_total += last
    fits &= (low_total <= n) & (n <= high_total)
    return [int(x) for x in n[fits]]


def _counts_between(span: Interval, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The least and greatest integer ``c`` with ``100 c / n`` in ``span``, for each ``n``
    (:func:`wai.rounding.integers_in` with ``scale = n / 100``, exactly, in integers).

    Beyond int64 (a printed value with very many digits) the same sums run on Python integers.
    """
    bounds = []
    for end, closed, floor_side in ((span.low, span.low_closed, False), (span.high, span.high_closed, True)):
        num, den = end.numerator, 100 * end.denominator
        big = max(abs(num), den) * int(n[-1]) >= 2**62
        m = n.astype(object) if big else n
        a = num * m  # end * n / 100 = a / den
        if floor_side:  # the greatest: floor when the end is in the span, else the integer below its ceiling
            bound = a // den if closed else -((-a) // den) - 1
        else:  # the least: ceiling when the end is in the span, else the integer above its floor
            bound = -((-a) // den) if closed else a // den + 1
        # (counts outside -1..max n fit no n, so clipping them there changes no answer)
        bounds.append(np.clip(bound, -1, int(n[-1]) + 1).astype(np.int64) if big else bound)
    return bounds[0], bounds[1]


def wai_sum_range(printed: str | ReportedValue, n: int, points: int = 5) -> range | None:
    """Totals ``S`` of 0-based category codes (``S = sum((k - 1) F_k)``) from ``n`` answers on a
    ``points``-point scale whose WAI ``S / (n (K - 1))`` rounds to the printed value; None if the
    printed WAI cannot arise from n answers.

    >>> wai_sum_range("0.60", 99)
    range(236, 240)
    >>> wai_sum_range("0.45", 3) is None  # 3 answers give twelfths: 5/12 = 0.42, 6/12 = 0.50
    True
    """
    return index_sum_range(printed, n, points, "wai")


def index_affine(n: int, points: int, scheme: str) -> tuple[int, int]:
    """``(offset, denominator)`` with ``index = (S + offset) / denominator`` for code sum ``S``."""
    if scheme == "wai":
        return 0, n * (points - 1)
    if scheme == "rii":
        return n, n * points
    if scheme == "mean":
        return n, n
    raise OptionError("scheme", scheme, "one of 'wai', 'rii', 'mean'")


def index_sum_range(printed: str | ReportedValue, n: int, points: int = 5, scheme: str = "wai",
                    rounding: str | Sequence[str] = "up") -> range | None:
    """Totals ``S = sum((k - 1) F_k)`` of ``n`` answers whose index under ``scheme`` rounds to ``printed``.

    ``wai = S / (n (K - 1))``, ``rii = (S + n) / (n K)``, ``mean = (S + n) / n``. The index
    is affine in ``S``, so the totals are the integers in the printed value's rounding
    interval (half up by default; any rules of :mod:`wai.rounding`) mapped back to ``S``.

    >>> index_sum_range("0.60", 99), index_sum_range("3.40", 99, scheme="mean")
    (range(236, 240), range(238, 239))
    >>> index_sum_range("0.21", 10, scheme="rii") is None  # (S + 10)/50 would need S + 10 in [10.25, 10.75)
    True
    """
    if n < 1 or points < 2:
        raise OptionError("n, points", (n, points), "n of at least 1 and points of at least 2")
    offset, denominator = index_affine(n, points, scheme)
    r = integers_in(union_interval(_reported(printed), rounding), denominator, offset)
    start, stop = max(r.start, 0), min(r.stop, n * (points - 1) + 1)
    return range(start, stop) if start < stop else None


def index_values(printed: str | ReportedValue, n: int, points: int = 5, scheme: str = "wai") -> list[Fraction]:
    """Every exact index value ``n`` answers can give that rounds to ``printed``.

    >>> [str(v) for v in index_values("0.60", 99)]
    ['59/99', '79/132', '119/198', '239/396']
    """
    sums = index_sum_range(printed, n, points, scheme)
    if sums is None:
        return []
    if len(sums) > MAX_VALUES:
        raise OptionError("n", n, f"a sample size giving at most {MAX_VALUES:,} exact values "
                          f"({len(sums):,} here)",
                          "count them with index_sum_range instead, or raise wai.consistency.MAX_VALUES")
    offset, denominator = index_affine(n, points, scheme)
    return [Fraction(s + offset, denominator) for s in sums]


def index_bounds_from_percents(
    percents: Sequence[str | ReportedValue], weights: Sequence[Fraction]
) -> tuple[Fraction, Fraction]:
    """Smallest and largest index ``sum(p_k w_k) / sum(p_k)`` when each share ``p_k`` may be anywhere
    in its printed rounding interval (closed, clipped at 0).

    The index is a ratio of linear functions of the shares, so its extremes
    over the box of intervals lie at corners of the box, and at corners of one shape: every
    share whose weight is above a threshold at one end of its interval, every other at the
    other end; the ``2 (K + 1)`` such corners are checked.

    >>> lo, hi = index_bounds_from_percents(["50", "50"], [Fraction(0), Fraction(1)])
    >>> str(lo), str(hi)
    ('99/200', '101/200')
    """
    boxes = [(max(Fraction(0), r.low), max(Fraction(0), r.high)) for r in map(_reported, percents)]
    if len(boxes) != len(weights):
        raise OptionError("percents", list(percents), f"one printed share per weight ({len(weights)})")
    # The extremes of a ratio of linear functions over a box are at corners where every
    # share above some weight threshold is at one end and every share below it at the other
    # (Dinkelbach), so the K + 1 threshold corners of each direction suffice: O(K^2), not 2**K.
    order = sorted(range(len(boxes)), key=lambda k: weights[k])
    values: list[Fraction] = []
    for split in range(len(order) + 1):
        for low_first in (True, False):
            corner = [Fraction(0)] * len(boxes)
            for rank, k in enumerate(order):
                below = rank < split
                corner[k] = boxes[k][0] if below == low_first else boxes[k][1]
            total = sum(corner)
            if total > 0:
                values.append(Fraction(sum(p * w for p, w in zip(corner, weights))) / total)
    if not values:
        raise OptionError("percents", list(percents), "at least one printed share above zero",
                          "every printed share is zero; the index is undefined")
    return min(values), max(values)
