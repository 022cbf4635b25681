"""Every count vector consistent with a printed index and/or printed percentages.

Given the number of answers ``n`` on a ``K``-point scale and what a table
printed about one item -- its index (WAI, RII or mean) as text, its
percentage per category as text, or both -- :func:`feasible_counts` finds,
exactly and without listing them, how many count vectors ``F_1..F_K`` could
have produced the printed numbers, the smallest and largest possible count
of each category and the smallest and largest possible exact index. The
vectors themselves are listed lazily, in lexicographic order, by
:meth:`FeasibleCounts.vectors`.

This is the idea of CLOSURE (complete listing of the samples behind a set of
summary statistics) applied to the statistics a WAI table prints; see
:func:`feasible_counts` for the method and references.

Examples
--------
>>> fc = feasible_counts(2, 3, index="0.50")
>>> fc.total, list(fc.vectors())
(2, [(0, 2, 0), (1, 0, 1)])
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from itertools import accumulate, islice
from typing import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from wai.consistency import index_affine, percent_counts
from wai.exact import ReportedValue, parse_reported, round_half_up
from wai.closure import SdCount, count_with_sd
from wai.rounding import Interval, integers_in, resolve_rounding, union_interval
from wai.index import SCHEMES
from wai._checks import check_choice, check_int
from wai.errors import OptionError

__all__ = ["FeasibleCounts", "feasible_counts", "MAX_N", "MAX_WORK"]

MAX_POINTS = 20
MAX_N = 100_000
"""The most answers ``n`` :func:`feasible_counts` takes (without an index the cost grows
with ``K n``, some seconds at the limit); set ``wai.feasible.MAX_N`` higher to allow more."""
MAX_WORK = 200_000_000
"""The most work an index search may take: ``K^2 (n + 1) (S_hi + 1)`` table cells visited
(tables of answers used by code sum, one step per pair of categories; some seconds at the
limit); set ``wai.feasible.MAX_WORK`` higher to allow more."""

# Counts that cannot exceed this bound are computed in int64 directly; larger
# ones by a dynamic programme modulo several pairwise coprime moduli below
# 2**62 (so that the sum of two residues fits in int64), joined by the Chinese
# remainder theorem. Both are module constants so the tests can force the
# modular path with small moduli.
_INT64_EXACT_BELOW = 2**62
_MODULUS_START = 2**62 - 1


# --------------------------------------------------------------------------
# the printed index as a window of code sums
# --------------------------------------------------------------------------


def _sum_range(printed: ReportedValue, n: int, points: int, scheme: str,
               rounding: tuple[str, ...] = ("up",)) -> range:
    """The code sums ``S`` (0..n(K-1)) whose exact index some rule of ``rounding`` rounds to ``printed``."""
    offset, denominator = index_affine(n, points, scheme)
    r = integers_in(union_interval(printed, rounding), denominator, offset)
    start, stop = max(r.start, 0), min(r.stop, n * (points - 1) + 1)
    return range(start, max(start, stop))


def _sum_window(printed: ReportedValue, n: int, points: int, scheme: str,
                rounding: tuple[str, ...] = ("up",)) -> tuple[int, int] | None:
    """The code sums ``S`` whose exact index rounds to ``printed``, as ``(first, last)``."""
    r = _sum_range(printed, n, points, scheme, rounding)
    return (r.start, r.stop - 1) if len(r) else None


def _square_window(sd: ReportedValue, n: int, rounding: tuple[str, ...]):
    """``squares(S)``: the whole sums of squares ``Q`` of 0-based codes with code sum ``S`` whose
    sample SD some rule of ``rounding`` rounds to ``sd`` (``n Q - S^2 = n (n - 1) SD^2``)."""
    variance = union_interval(sd, rounding).squared()
    k = n * (n - 1)

    def squares(s: int) -> range:
        span = Interval(variance.low * k + s * s, variance.high * k + s * s,
                        variance.low_closed, variance.high_closed)
        return integers_in(span, Fraction(1, n))

    return squares


# --------------------------------------------------------------------------
# dynamic programme over categories on (answers used, code sum)
# --------------------------------------------------------------------------


def _shift(table: np.ndarray, dm: int, ds: int) -> np.ndarray:
    """``out[m, s] = table[m - dm, s - ds]`` (zero where that is outside the table)."""
    out = np.zeros_like(table)
    rows, cols = table.shape
    if dm < rows and ds < cols:
        out[dm:, ds:] = table[: rows - dm, : cols - ds]
    return out


def _add_category(
    table: np.ndarray, code: int, lo: int, hi: int, mod: int | None = None
) -> np.ndarray:
    """One bounded-knapsack step: ``out[m, s] = sum(table[m - f, s - code f] for f in lo..hi)``.

    The unbounded sum along each diagonal ``G[m, s] = table[m, s] + G[m - 1, s - code]`` is
    built row by row; the window ``lo..hi`` is the difference of two shifted copies of it.
    With ``mod`` every value is kept reduced modulo ``mod`` (< 2**62, so no int64 overflow).
    """
    rows, cols = table.shape
    g = table.copy()
    if code < cols:
        for m in range(1, rows):
            if code == 0:
                row, prev = g[m], g[m - 1]
            else:
                row, prev = g[m, code:], g[m - 1, : cols - code]
            np.add(row, prev, out=row)
            if mod is not None:
                np.remainder(row, mod, out=row)
    out = _shift(g, lo, code * lo)
    out -= _shift(g, hi + 1, code * (hi + 1))
    if mod is not None:
        np.remainder(out, mod, out=out)
    return out


def _reach(table: np.ndarray, code: int, lo: int, hi: int) -> np.ndarray:
    """Boolean version of :func:`_add_category`: which (m, s) are reachable at all."""
    return _add_category(table.astype(np.int32), code, lo, hi) > 0


def _start(n: int, width: int, dtype) -> np.ndarray:
    table = np.zeros((n + 1, width), dtype=dtype)
    table[0, 0] = 1
    return table


def _moduli(bound: int) -> list[int]:
    """Pairwise coprime moduli below ``_MODULUS_START + 1`` whose product exceeds ``bound``."""
    chosen: list[int] = []
    product, candidate = 1, _MODULUS_START
    while product <= bound:
        if candidate < 2:
            raise RuntimeError("ran out of moduli")  # pragma: no cover - silly test settings only
        if all(math.gcd(candidate, q) == 1 for q in chosen):
            chosen.append(candidate)
            product *= candidate
        candidate -= 1
    return chosen


def _crt(residues: Sequence[int], moduli: Sequence[int]) -> int:
    """The unique ``x`` in ``0..prod(moduli)-1`` with ``x = r_i (mod m_i)``."""
    x, m = 0, 1
    for r, q in zip(residues, moduli):
        x += m * ((r - x) * pow(m, -1, q) % q)
        m *= q
    return x


def _count_2d(n: int, lo: Sequence[int], hi: Sequence[int], window: tuple[int, int]) -> int:
    """Exact number of vectors with ``lo <= F <= hi``, ``sum F = n`` and ``S`` in ``window``."""
    points = len(lo)
    first, last = window
    bound = math.comb(n + points - 1, points - 1)  # bounds every table entry and the total
    if bound < _INT64_EXACT_BELOW:
        moduli: list[int | None] = [None]
    else:
        moduli = list(_moduli(bound))
    residues = []
    for q in moduli:
        table = _start(n, last + 1, np.int64)
        for code in range(points):
            table = _add_category(table, code, lo[code], hi[code], q)
        residues.append(sum(table[n, first : last + 1].tolist()))
    if moduli == [None]:
        return residues[0]
    primes = [q for q in moduli if q is not None]
    return _crt([r % q for r, q in zip(residues, primes)], primes)


def _bounded_compositions(n: int, lo: Sequence[int], hi: Sequence[int]) -> int:
    """Exact number of vectors with ``lo <= F <= hi`` and ``sum F = n`` (Python ints)."""
    ways = [1] + [0] * n
    for a, b in zip(lo, hi):
        prefix = [0, *accumulate(ways)]  # prefix[r + 1] = sum(ways[0..r])
        ways = [prefix[max(r - a + 1, 0)] - prefix[max(r - b, 0)] for r in range(n + 1)]
    return ways[n]


# --------------------------------------------------------------------------
# the result
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class FeasibleCounts:
    """Every count vector consistent with what was printed about one item.

    Produced by :func:`feasible_counts`; see there for the method.

    Attributes
    ----------
    n : int
        Number of answers.
    points : int
        Number of categories ``K``.
    scheme : {"wai", "rii", "mean"}
        Scheme of the printed index.
    index : str or None
        The printed index, as text, or None when no index was given.
    percents : tuple of str or None
        The printed percentage of each category, lowest category first, or None.
    total : int
        Exact number of count vectors ``(F_1, ..., F_K)`` of non-negative integers summing to
        ``n`` that are consistent with everything given.
    bounds : tuple of (int, int) or None
        Per category, the smallest and largest count over those vectors; None when there are
        none.
    index_range : tuple of Fraction or None
        Smallest and largest exact index (under ``scheme``) over those vectors; None when
        there are none.
    sd : str or None
        The printed sample SD of the codes, as text, or None.
    rounding : tuple of str
        The rounding rules a printed number may have been made by (:mod:`wai.rounding`).
    """

    n: int
    points: int
    scheme: str
    index: str | None
    percents: tuple[str, ...] | None
    total: int
    bounds: tuple[tuple[int, int], ...] | None
    index_range: tuple[Fraction, Fraction] | None
    sd: str | None = None
    rounding: tuple[str, ...] = ("up",)

    @property
    def feasible(self) -> bool:
        """Whether at least one count vector is consistent with the printed numbers."""
        return self.total > 0

    @cached_property
    def _search(self) -> _Search | SdCount | None:
        if not self.feasible:
            return None
        assert self.bounds is not None
        lo = tuple(b[0] for b in self.bounds)  # every feasible vector lies in these bounds
        hi = tuple(b[1] for b in self.bounds)
        if self.sd is not None:
            sums = range(self.n * (self.points - 1) + 1)
            if self.index is not None:
                sums = _sum_range(parse_reported(self.index), self.n, self.points, self.scheme, self.rounding)
            return count_with_sd(self.n, lo, hi, sums, _square_window(parse_reported(self.sd), self.n,
                                                                      self.rounding))
        window = None
        if self.index is not None:
            window = _sum_window(parse_reported(self.index), self.n, self.points, self.scheme, self.rounding)
        return _Search(self.n, lo, hi, window)

    def vectors(self, limit: int | None = None) -> Iterator[tuple[int, ...]]:
        """The consistent count vectors, lowest category first, in lexicographic order.

        Vectors are produced lazily by a depth-first search that only enters a branch when
        the remaining categories can still complete it (checked against precomputed
        reachability tables), so the first vector comes at once even when there are
        millions, and every step of the search leads to a vector.

        Parameters
        ----------
        limit : int, optional
            Stop after this many vectors.

        Examples
        --------
        >>> list(feasible_counts(3, 3, index="0.50").vectors())
        [(0, 3, 0), (1, 1, 1)]
        >>> list(feasible_counts(4, 3).vectors(limit=3))
        [(0, 0, 4), (0, 1, 3), (0, 2, 2)]
        """
        if limit is not None:
            limit = check_int("limit", limit, 0, what="None or a whole number")
        search = self._search
        if search is None:
            return iter(())
        if isinstance(search, SdCount):
            return islice(search.vectors(), limit)
        return islice(search.run(), limit)

    def to_frame(self, limit: int | None = 10_000) -> pd.DataFrame:
        """The consistent vectors as a table, one row per vector.

        Parameters
        ----------
        limit : int or None
            At most this many rows (the first ones in lexicographic order); None for all.
            ``frame.attrs`` records ``total`` and whether the table was ``truncated``.

        Returns
        -------
        pandas.DataFrame
            Columns ``count_1 .. count_K``, ``index_exact`` (the exact index under
            ``scheme`` as ``"p/q"`` text) and ``index_rounded`` (rounded half up at the
            printed index's decimals, or 2 decimals when no index was given).

        Examples
        --------
        >>> feasible_counts(2, 3, index="0.50").to_frame()
           count_1  count_2  count_3 index_exact index_rounded
        0        0        2        0         1/2          0.50
        1        1        0        1         1/2          0.50
        """
        rows = list(self.vectors(limit))
        decimals = 2 if self.index is None else parse_reported(self.index).decimals
        offset, denom = index_affine(self.n, self.points, self.scheme)
        columns = {
            f"count_{k + 1}": pd.Series([r[k] for r in rows], dtype="int64")
            for k in range(self.points)
        }
        exact = [Fraction(sum(k * f for k, f in enumerate(r)) + offset, denom) for r in rows]
        texts = [f"{x.numerator}/{x.denominator}" for x in exact]
        columns["index_exact"] = pd.Series(texts, dtype=str)
        rounded = [str(round_half_up(x, decimals)) for x in exact]
        columns["index_rounded"] = pd.Series(rounded, dtype=str)
        frame = pd.DataFrame(columns)
        frame.attrs["total"] = self.total
        frame.attrs["truncated"] = len(rows) < self.total
        return frame


class _Search:
    """Lexicographic depth-first listing with exact pruning.

    Without an index the remaining categories can complete ``r`` answers exactly when
    ``sum(lo_rest) <= r <= sum(hi_rest)``, so every category's choices form a range. With an
    index, ``tail[j][r, t]`` says whether categories ``j..K-1`` can take ``r`` answers with
    code sum ``t``; its cumulative sums over ``t`` answer "some ``t`` in a window" at once.
    """

    def __init__(
        self, n: int, lo: tuple[int, ...], hi: tuple[int, ...], window: tuple[int, int] | None
    ):
        self.n, self.lo, self.hi, self.window = n, lo, hi, window
        points = len(lo)
        self.lo_rest = [sum(lo[j + 1 :]) for j in range(points)]
        self.hi_rest = [sum(hi[j + 1 :]) for j in range(points)]
        self.cum: list[np.ndarray | None] = [None] * (points + 1)
        if window is not None:
            width = window[1] + 1
            tail = _start(n, width, bool)
            for j in range(points - 1, 0, -1):
                tail = _reach(tail, j, lo[j], hi[j])
                cum = np.zeros((n + 1, width + 1), dtype=np.int32)
                np.cumsum(tail, axis=1, out=cum[:, 1:])
                self.cum[j] = cum

    def _choices(self, j: int, m: int, s: int) -> Sequence[int]:
        """Counts ``f`` of category ``j`` (code ``j``) after ``m`` answers with code sum ``s``
        from which the remaining categories can still finish a consistent vector."""
        r = self.n - m
        first = max(self.lo[j], r - self.hi_rest[j])
        last = min(self.hi[j], r - self.lo_rest[j])
        if first > last:
            return ()
        if self.window is None:
            return range(first, last + 1)
        cum = self.cum[j + 1]
        assert cum is not None
        f = np.arange(first, last + 1)
        rows = r - f
        top = self.window[1]
        t_lo = np.clip(self.window[0] - s - j * f, 0, top + 1)
        t_hi = np.clip(top - s - j * f, -1, top)
        hits = cum[rows, t_hi + 1] - cum[rows, np.minimum(t_lo, t_hi + 1)]
        return f[(t_hi >= t_lo) & (hits > 0)].tolist()

    def run(self) -> Iterator[tuple[int, ...]]:
        last_free = len(self.lo) - 2  # the last category takes what is left

        def walk(j: int, m: int, s: int, prefix: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
            for f in self._choices(j, m, s):
                if j == last_free:
                    yield (*prefix, f, self.n - m - f)
                else:
                    yield from walk(j + 1, m + f, s + j * f, (*prefix, f))

        return walk(0, 0, 0, ())


# --------------------------------------------------------------------------
# the entry point
# --------------------------------------------------------------------------


def _check_text(name: str, value) -> ReportedValue:
    if not isinstance(value, str):
        raise OptionError(name, value, "the printed number as text (e.g. '0.60'; its decimals matter)")
    try:
        return parse_reported(value)
    except ValueError:
        raise OptionError(name, value, "a printed number such as '0.60'") from None


def feasible_counts(
    n: int,
    points: int = 5,
    *,
    index: str | None = None,
    scheme: str = "wai",
    percents: Sequence[str] | None = None,
    sd: str | None = None,
    rounding: str | Sequence[str] = "up",
) -> FeasibleCounts:
    """Count, bound and list every count vector consistent with a printed index/percentages.

    A count vector ``(F_1, ..., F_K)`` (lowest category first, non-negative integers) is
    consistent when it sums to ``n``; when ``index`` is given, its exact index under
    ``scheme`` (equally spaced) rounds half up, at the printed decimals, to the printed text;
    and when ``percents`` are given, each ``100 F_k / n`` rounds half up to the printed
    percentage of category ``k`` at that percentage's decimals.

    Parameters
    ----------
    n : int
        Number of answers (>= 1).
    points : int
        Number of categories ``K``, 2..20.
    index : str, optional
        The printed index as text (``"0.60"`` stands for ``[0.595, 0.605)``).
    scheme : {"wai", "rii", "mean"}
        What the printed index is: WAI (weights ``(k-1)/(K-1)``), RII (``k/K``) or the
        mean code (``k``).
    percents : sequence of str, optional
        The printed percentage of each of the ``K`` categories, lowest first, as text.
    sd : str, optional
        The printed sample SD (``n - 1``) of the codes, as text: the vectors are then those of
        CLOSURE (mean and SD), counted exactly by :func:`wai.closure.count_with_sd`. The SD
        does not depend on the codes' origin, so it is the SD of the mean scheme's codes
        ``1..K``.
    rounding : str or sequence of str
        The rounding rule(s) a printed number may come from (:mod:`wai.rounding`); default
        ``"up"`` (half up). CLOSURE takes every bound as inclusive: ``"up_or_down"``.

    Returns
    -------
    FeasibleCounts
        ``total``, per-category ``bounds`` and ``index_range``, all exact, and the vectors
        themselves on demand (:meth:`FeasibleCounts.vectors`).

    Raises
    ------
    ValueError
        If ``n < 1``, ``points`` is not in 2..20, ``scheme`` is unknown, ``index`` or a
        percentage is not printed-number text, or ``len(percents) != points``.

    Notes
    -----
    All three schemes are affine in the code sum ``S = sum((k - 1) F_k)`` for fixed ``n``:
    ``WAI = S / (n (K-1))``, ``RII = (S + n) / (n K)`` and ``mean = (S + n) / n``. A printed
    index therefore allows exactly the code sums in one interval ``[S_lo, S_hi]``, found from
    the exact half-up rounding rule by bisection (:func:`wai.consistency.index_sum_range`). Printed percentages allow each ``F_k`` an interval of
    counts (:func:`wai.consistency.count_range`). What is left is to count integer vectors
    with box constraints, a fixed sum and a code sum in a window.

    Without an index that is a one-dimensional dynamic programme over categories on the
    answers used (exact Python integers), the bounds follow from the box constraints and the
    index range from filling the lowest (highest) categories first. With an index the
    programme runs on tables indexed by (answers used ``m``, code sum ``s <= S_hi``); adding
    category ``k`` with counts ``lo..hi`` is a bounded-knapsack step computed as a running
    sum along the diagonal ``(m - 1, s - (k - 1))`` and a difference of two shifted copies.
    The number of vectors is found in int64 when ``C(n + K - 1, K - 1)`` (which bounds every
    table entry) is below ``2**62``, and otherwise modulo a few pairwise coprime moduli below
    ``2**62`` joined by the Chinese remainder theorem, so totals are exact at any size. Which
    counts and code sums are possible at all comes from the same step on boolean tables: the
    index range from the table of all categories, and the bounds of category ``k`` from a
    table of the other categories (prefix tables reused), which tells for each ``f`` whether
    ``F_k = f`` can be completed. Nothing is enumerated; the cost is ``O(K^2 n S_hi)``
    elementary array operations. :meth:`FeasibleCounts.vectors` lists the vectors by a
    depth-first search pruned with reachability tables of the remaining categories.

    This is the approach of CLOSURE (complete listing of original samples of underlying raw
    evidence), which lists every sample consistent with reported summary statistics
    [1]_ [2]_, made exact for the statistics a WAI table prints; SPRITE [3]_ instead searches
    heuristically for some such samples.

    References
    ----------
    .. [1] CLOSURE: complete listing of original samples of underlying raw evidence; algorithm
       first written by N. Larigaldie, implemented in [2]_.
    .. [2] Jung, L. and Larigaldie, N. unsum: Reconstruct raw data from summary statistics
       (R package implementing CLOSURE). https://github.com/lhdjung/unsum
    .. [3] Heathers, J. A., Anaya, J., van der Zee, T. and Brown, N. J. (2018). Recovering
       data from summary statistics: Sample Parameter Reconstruction via Iterative TEchniques
       (SPRITE). PeerJ Preprints 6:e26968v1. https://doi.org/10.7287/peerj.preprints.26968v1

    Examples
    --------
    The chapter 11 percentages (six categories) fit exactly one vector of 94 answers, and
    none of 99:

    >>> printed = ["27.7", "19.1", "19.1", "17.0", "12.8", "4.3"]
    >>> fc = feasible_counts(94, 6, percents=printed)
    >>> fc.total, list(fc.vectors())
    (1, [(26, 18, 18, 16, 12, 4)])
    >>> feasible_counts(99, 6, percents=printed).feasible
    False

    A WAI printed as 0.60 from 99 answers on five points allows the code sums 236..239
    (the WAI is ``S / 396``):

    >>> fc = feasible_counts(99, 5, index="0.60")
    >>> [int(x * 396) for x in fc.index_range]
    [236, 239]
    >>> fc.total
    94911
    >>> fc.bounds
    ((0, 40), (0, 53), (0, 80), (0, 79), (0, 59))
    >>> next(fc.vectors())
    (0, 0, 58, 41, 0)

    Three answers give WAIs in twelfths, so 0.45 cannot be printed:

    >>> feasible_counts(3, 5, index="0.45").feasible
    False
    """
    n, points, printed_index, printed_percents, printed_sd, rules = _options(
        n, points, index, scheme, percents, sd, rounding)

    def result(total: int, bounds=None, index_range=None) -> FeasibleCounts:
        return FeasibleCounts(
            n=n,
            points=points,
            scheme=scheme,
            index=None if printed_index is None else printed_index.text,
            percents=None if printed_percents is None else tuple(p.text for p in printed_percents),
            total=total,
            bounds=bounds if total else None,
            index_range=index_range if total else None,
            sd=None if printed_sd is None else printed_sd.text,
            rounding=rules,
        )

    # per-category count ranges
    if printed_percents is None:
        lo, hi = [0] * points, [n] * points
    else:
        ranges = _percent_ranges(printed_percents, n, rules)
        if ranges is None:
            return result(0)
        lo, hi = [r.start for r in ranges], [r.stop - 1 for r in ranges]
    if not sum(lo) <= n <= sum(hi):
        return result(0)
    offset, denom = index_affine(n, points, scheme)

    if printed_sd is not None:
        sums = range(n * (points - 1) + 1)
        if printed_index is not None:
            sums = _sum_range(printed_index, n, points, scheme, rules)
        found = count_with_sd(n, lo, hi, sums, _square_window(printed_sd, n, rules))
        if not found.total:
            return result(0)
        assert found.sums is not None
        s_first, s_last = found.sums
        return result(found.total, found.bounds,
                      (Fraction(s_first + offset, denom), Fraction(s_last + offset, denom)))

    if printed_index is None:
        total = _bounded_compositions(n, lo, hi)
        if total == 0:  # pragma: no cover - sum(lo) <= n <= sum(hi) guarantees a vector
            return result(0)
        bounds = tuple(
            (max(lo[k], n - (sum(hi) - hi[k])), min(hi[k], n - (sum(lo) - lo[k])))
            for k in range(points)
        )
        s_min = _greedy_sum(n, lo, hi, range(points))
        s_max = _greedy_sum(n, lo, hi, range(points - 1, -1, -1))
        index_range = (Fraction(s_min + offset, denom), Fraction(s_max + offset, denom))
        return result(total, bounds, index_range)

    window = _sum_window(printed_index, n, points, scheme, rules)
    if window is None:
        return result(0)
    found_2d = _index_search(n, lo, hi, window)
    if found_2d is None:
        return result(0)
    total, bounds_found, (s_first, s_last) = found_2d
    return result(total, bounds_found, (Fraction(s_first + offset, denom), Fraction(s_last + offset, denom)))


def _options(n, points, index, scheme, percents, sd, rounding):
    """The options of :func:`feasible_counts`, checked, as canonical values."""
    n = check_int("n", n, 1)
    if n > MAX_N:
        raise OptionError("n", n, f"a whole number from 1 to {MAX_N:,} (wai.feasible.MAX_N)",
                          "the limit is wai.feasible.MAX_N; raise it to count anyway")
    points = check_int("points", points, 2, MAX_POINTS)
    check_choice("scheme", scheme, SCHEMES)
    rules = resolve_rounding(rounding)
    printed_index = None if index is None else _check_text("index", index)
    printed_sd = None if sd is None else _check_text("sd", sd)
    if printed_sd is not None:
        if n < 2:
            raise OptionError("n", n, "a whole number of at least 2 when an SD is given (n - 1 divides)")
        if printed_sd.value < 0:
            raise OptionError("sd", sd, "a standard deviation of 0 or more")
    printed_percents: tuple[ReportedValue, ...] | None = None
    if percents is not None:
        if isinstance(percents, (str, bytes)) or not isinstance(percents, Iterable):
            raise OptionError("percents", percents, "a sequence of printed percentages (text)")
        percents = list(percents)
        if len(percents) != points:
            raise OptionError("percents", percents, f"one entry per category ({points})",
                              f"got {len(percents)}")
        printed_percents = tuple(_check_text(f"percents[{i}]", p) for i, p in enumerate(percents))
    return n, points, printed_index, printed_percents, printed_sd, rules


def _percent_ranges(percents: Sequence[ReportedValue], n: int, rules: tuple[str, ...]) -> list[range] | None:
    """Counts out of n each printed percent allows (under some rule); None when they cannot sum to n."""
    if rules == ("up",):
        return percent_counts(percents, n)
    ranges = []
    for p in percents:
        r = integers_in(union_interval(p, rules), Fraction(n, 100))
        r = range(max(r.start, 0), min(r.stop, n + 1))
        if r.start >= r.stop:
            return None
        ranges.append(r)
    if not sum(r.start for r in ranges) <= n <= sum(r.stop - 1 for r in ranges):
        return None
    return ranges


def _index_search(n: int, lo: Sequence[int], hi: Sequence[int], window: tuple[int, int]):
    """Total, per-category bounds and extreme code sums of the vectors with S in ``window``."""
    points = len(lo)
    s_lo, s_hi = window
    work = points**2 * (n + 1) * (s_hi + 1)
    if work > MAX_WORK:
        raise OptionError("n", n, f"a search of at most {MAX_WORK:,} table cells "
                          f"(K^2 (n + 1) (S_hi + 1) = {work:,} here)",
                          "the limit is wai.feasible.MAX_WORK; raise it to search anyway")
    width = s_hi + 1

    # prefix[k]: (m, s) reachable with categories 0..k-1
    prefix = [_start(n, width, bool)]
    for code in range(points):
        prefix.append(_reach(prefix[-1], code, lo[code], hi[code]))
    final = np.flatnonzero(prefix[points][n, s_lo : s_hi + 1])
    if final.size == 0:
        return None

    bounds_list = []
    for k in range(points):
        others = prefix[k]
        for code in range(k + 1, points):
            others = _reach(others, code, lo[code], hi[code])
        cum = np.zeros((n + 1, width + 1), dtype=np.int32)
        np.cumsum(others, axis=1, out=cum[:, 1:])
        f = np.arange(lo[k], min(hi[k], n) + 1)
        t_lo = np.clip(s_lo - k * f, 0, width)
        t_hi = np.clip(s_hi - k * f, -1, s_hi)
        hits = cum[n - f, t_hi + 1] - cum[n - f, np.minimum(t_lo, t_hi + 1)]
        ok = f[(t_hi >= t_lo) & (hits > 0)]
        bounds_list.append((int(ok[0]), int(ok[-1])))

    total = _count_2d(n, lo, hi, window)
    return total, tuple(bounds_list), (s_lo + int(final[0]), s_lo + int(final[-1]))


def _greedy_sum(n: int, lo: Sequence[int], hi: Sequence[int], order) -> int:
    """Code sum of the vector that puts the answers left after the minimums into the
    categories in ``order`` as far as each allows (the extreme code sum in that direction)."""
    counts = list(lo)
    left = n - sum(lo)
    for k in order:
        extra = min(left, hi[k] - counts[k])
        counts[k] += extra
        left -= extra
    return sum(k * f for k, f in enumerate(counts))
