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

import math
from fractions import Fraction
from typing import Sequence

from wai.exact import ReportedValue, parse_reported, round_half_up

__all__ = [
    "count_range",
    "percent_counts",
    "consistent_sample_sizes",
    "wai_sum_range",
]


def _reported(value: str | ReportedValue) -> ReportedValue:
    return value if isinstance(value, ReportedValue) else parse_reported(value)


def _integer_range(printed: ReportedValue, scale: Fraction, upper: int) -> range | None:
    """Integers ``c`` in ``0..upper`` with ``c / scale`` rounding half up to ``printed``."""
    lo = max(0, math.floor(printed.low * scale) - 1)
    hi = min(upper, math.ceil(printed.high * scale) + 1)
    hits = [c for c in range(lo, hi + 1) if round_half_up(Fraction(c) / scale, printed.decimals) == printed.value]
    if not hits:
        return None
    return range(hits[0], hits[-1] + 1)  # rounding is monotone, so hits are contiguous


def count_range(percent: str | ReportedValue, n: int) -> range | None:
    """Counts out of ``n`` whose percentage rounds half up to the printed percent, or None.

    >>> count_range("46.5", 99), count_range("50", 3)
    (range(46, 47), None)
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    return _integer_range(_reported(percent), Fraction(n, 100), n)


def percent_counts(percents: Sequence[str | ReportedValue], n: int) -> list[range] | None:
    """For each printed percent, the counts out of ``n`` consistent with it; None if any has none
    or if no choice of counts sums to ``n``.

    >>> percent_counts(["46.5", "53.5"], 99)
    [range(46, 47), range(53, 54)]
    >>> percent_counts(["46.5", "53.5"], 100) is None
    True
    """
    ranges = []
    for p in percents:
        r = count_range(p, n)
        if r is None:
            return None
        ranges.append(r)
    if not sum(r.start for r in ranges) <= n <= sum(r.stop - 1 for r in ranges):
        return None
    return ranges


def consistent_sample_sizes(
    percents: Sequence[str | ReportedValue], max_n: int = 1000, min_n: int = 1
) -> list[int]:
    """Every sample size in ``min_n..max_n`` for which each printed percent is achievable and
    some choice of counts sums to n (the percents cover all categories).
    """
    return [n for n in range(min_n, max_n + 1) if percent_counts(percents, n) is not None]


def wai_sum_range(printed: str | ReportedValue, n: int, points: int = 5) -> range | None:
    """Totals ``S`` of 0-based category codes (``S = sum((k - 1) F_k)``) from ``n`` answers on a
    ``points``-point scale whose WAI ``S / (n (K - 1))`` rounds to the printed value; None if the
    printed WAI cannot arise from n answers.

    >>> wai_sum_range("0.60", 99)
    range(236, 240)
    >>> wai_sum_range("0.45", 3) is None  # 3 answers give twelfths: 5/12 = 0.42, 6/12 = 0.50
    True
    """
    if n < 1 or points < 2:
        raise ValueError(f"need n >= 1 and points >= 2, got n={n}, points={points}")
    total = n * (points - 1)
    return _integer_range(_reported(printed), Fraction(total), total)
