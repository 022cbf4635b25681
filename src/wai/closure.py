"""Exact CLOSURE: count and list the count vectors with a given code sum window and SD window.

The engine behind :func:`wai.feasible.feasible_counts` when an SD is given. A
vector ``F_0..F_{K-1}`` of counts of the 0-based codes ``0..K-1`` has

* ``sum F_j = n`` answers,
* code sum ``S = sum j F_j`` (the mean, WAI or RII are affine in ``S``),
* sum of squares ``Q = sum j^2 F_j``,

and a sample SD (``n - 1``) of ``sqrt((n Q - S^2) / (n (n - 1)))``, the same for any
shift of the codes. A printed SD allows, for each ``S``, the whole ``Q`` with
``n Q - S^2`` in ``n (n - 1)`` times its rounding interval squared -- integer
arithmetic, no square roots.

Meet in the middle: the categories are split into a low half ``A`` and a high half
``B``; every count vector of each half (pruned to ``S <= S_hi`` and ``Q <= Q_hi``) is
listed as numpy rows with its ``(m, s, q)``; ``B`` is sorted by the key ``(m, s, q)``,
and for each row of ``A`` and each allowed total ``S`` the matching rows of ``B``
(``m_B = n - m_A``, ``s_B = S - s_A``, ``q_B`` in the ``Q`` window) are one slice of
the sorted keys, found by two binary searches. Counting costs
``O(|A| |S window| log |B|)``; nothing is enumerated beyond the two halves.

Examples
--------
>>> c = count_with_sd(3, [0, 0, 0], [3, 3, 3], range(3, 4), lambda s: range(5, 6))
>>> c.total, list(c.vectors())  # codes 0, 1, 2 with S = 3 and Q = 5: one of each
(1, [(1, 1, 1)])
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

import numpy as np

__all__ = ["SdCount", "count_with_sd", "MAX_ROWS"]

MAX_ROWS = 30_000_000
"""The most half-vectors either half may list (some seconds and ~1 GB at the limit);
set ``wai.closure.MAX_ROWS`` higher to allow more."""


def _half_size_bound(n: int, lo: Sequence[int], hi: Sequence[int]) -> int:
    """An upper bound on the number of count vectors of some categories using at most n answers."""
    size = 1
    for a, b in zip(lo, hi):
        size *= max(0, min(b, n) - a + 1)
    return min(size, math.comb(n + len(lo), len(lo)))


def _half(codes: Sequence[int], lo: Sequence[int], hi: Sequence[int], n: int, s_max: int,
          q_max: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every count vector of ``codes`` (counts within lo..hi, at most n answers, s <= s_max,
    q <= q_max): the counts (rows), and each row's answers m, code sum s and sum of squares q."""
    rows = np.zeros((1, 0), dtype=np.int64)
    m = np.zeros(1, dtype=np.int64)
    s = np.zeros(1, dtype=np.int64)
    q = np.zeros(1, dtype=np.int64)
    for code, a, b in zip(codes, lo, hi):
        top = np.minimum(b, n - m)
        if code:
            top = np.minimum(top, (s_max - s) // code)
            top = np.minimum(top, (q_max - q) // (code * code))
        width = np.maximum(top - a + 1, 0)
        parent = np.repeat(np.arange(len(m)), width)
        starts = np.cumsum(width) - width
        f = np.arange(len(parent), dtype=np.int64) - np.repeat(starts, width) + a
        rows = np.column_stack([rows[parent], f])
        m, s, q = m[parent] + f, s[parent] + code * f, q[parent] + code * code * f
    return rows, m, s, q


@dataclass(frozen=True)
class SdCount:
    """The result of :func:`count_with_sd`: the total, per-category bounds, the code sums found."""

    total: int
    bounds: tuple[tuple[int, int], ...] | None
    sums: tuple[int, int] | None
    _join: "_Join"

    def vectors(self) -> Iterator[tuple[int, ...]]:
        """The vectors in lexicographic order (lowest category first)."""
        return self._join.vectors()


class _Join:
    """The two halves and, for each row of A and each total S, the slice of sorted B that fits."""

    def __init__(self, n: int, lo: Sequence[int], hi: Sequence[int], sums: range,
                 squares: Callable[[int], range]):
        points = len(lo)
        split = max(1, points // 2)
        s_hi = sums.stop - 1
        q_ranges = {s: squares(s) for s in sums}
        q_hi = max((r.stop - 1 for r in q_ranges.values() if len(r)), default=-1)
        for part in ((lo[:split], hi[:split]), (lo[split:], hi[split:])):
            size = _half_size_bound(n, *part)
            if size > MAX_ROWS:
                from wai.errors import OptionError

                raise OptionError("n", n, f"halves of at most {MAX_ROWS:,} count vectors (up to {size:,} here)",
                                  "the limit is wai.closure.MAX_ROWS; raise it to count anyway")
        self.n = n
        self.a_rows, a_m, a_s, a_q = _half(range(split), lo[:split], hi[:split], n, max(s_hi, 0), max(q_hi, 0))
        b_rows, b_m, b_s, b_q = _half(range(split, points), lo[split:], hi[split:], n, max(s_hi, 0),
                                      max(q_hi, 0))
        self.q_width = max(q_hi, 0) + 1
        self.s_width = max(s_hi, 0) + 1
        keys = (b_m * self.s_width + b_s) * self.q_width + b_q
        order = np.argsort(keys, kind="stable")
        self.b_keys, self.b_rows = keys[order], b_rows[order]
        self.starts = np.zeros((len(self.a_rows), 0), dtype=np.int64)
        self.stops = self.starts.copy()
        starts, stops, self.sum_values = [], [], []
        for s_total, q_range in q_ranges.items():
            if not len(q_range) or s_hi < 0:
                continue
            m_b, s_b = n - a_m, s_total - a_s
            q_lo = np.maximum(q_range.start - a_q, 0)
            q_top = np.minimum(q_range.stop - 1 - a_q, self.q_width - 1)
            valid = (m_b >= 0) & (s_b >= 0) & (q_top >= q_lo)
            base = (m_b * self.s_width + s_b) * self.q_width
            i0 = np.searchsorted(self.b_keys, base + q_lo, side="left")
            i1 = np.searchsorted(self.b_keys, base + q_top, side="right")
            i1 = np.where(valid, i1, i0)
            starts.append(i0)
            stops.append(i1)
            self.sum_values.append(s_total)
        if starts:
            self.starts, self.stops = np.column_stack(starts), np.column_stack(stops)

    def counts(self) -> np.ndarray:
        return self.stops - self.starts  # rows of A by totals S

    def vectors(self) -> Iterator[tuple[int, ...]]:
        counts = self.counts()
        hits = np.flatnonzero(counts.sum(axis=1)) if counts.size else np.zeros(0, dtype=np.int64)
        if not len(hits):
            return
        a = self.a_rows[hits]
        order = np.lexsort(a.T[::-1])
        for i in hits[order]:
            parts = [self.b_rows[s:e] for s, e in zip(self.starts[i], self.stops[i]) if e > s]
            tails = np.concatenate(parts)
            tails = tails[np.lexsort(tails.T[::-1])]
            head = tuple(int(v) for v in self.a_rows[i])
            for tail in tails.tolist():
                yield head + tuple(tail)


def count_with_sd(n: int, lo: Sequence[int], hi: Sequence[int], sums: range,
                  squares: Callable[[int], range]) -> SdCount:
    """Count the vectors with ``lo <= F <= hi``, ``sum F = n``, ``S`` in ``sums`` and ``Q`` in
    ``squares(S)`` (0-based codes ``0..K-1``); exact.

    Parameters
    ----------
    n : int
        Number of answers.
    lo, hi : sequence of int
        Per-category count bounds (``K`` entries).
    sums : range
        The code sums ``S`` allowed.
    squares : callable
        ``squares(S)``: the sums of squares ``Q`` allowed with code sum ``S``.

    Returns
    -------
    SdCount

    Examples
    --------
    >>> c = count_with_sd(4, [0] * 3, [4] * 3, range(4, 5), lambda s: range(0, 100))
    >>> c.total, c.bounds  # four answers on codes 0..2 summing to 4: (0,4,0) (1,2,1) (2,0,2)
    (3, ((0, 2), (0, 4), (0, 2)))
    """
    join = _Join(n, lo, hi, sums, squares)
    counts = join.counts()
    total = int(counts.sum()) if counts.size else 0
    if not total:
        return SdCount(0, None, None, join)
    a_hit = counts.sum(axis=1) > 0
    a_rows = join.a_rows[a_hit]
    diff = np.zeros(len(join.b_keys) + 1, dtype=np.int64)
    np.add.at(diff, join.starts.ravel(), 1)
    np.add.at(diff, join.stops.ravel(), -1)
    b_rows = join.b_rows[np.cumsum(diff[:-1]) > 0]
    bounds = tuple((int(c.min()), int(c.max())) for c in (*a_rows.T, *b_rows.T))
    found = [s for s, c in zip(join.sum_values, counts.sum(axis=0)) if c > 0]
    return SdCount(total, bounds, (min(found), max(found)), join)
