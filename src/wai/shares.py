"""Top-box, bottom-box and net shares of Likert counts, with Wilson intervals.

Beside an index, many readers and reviewers expect the plain shares: how
many answered in the top categories ("top-two box"), how many in the bottom
ones, and the net agreement (top minus bottom). They are computed here from
the counts alone, exactly (:class:`fractions.Fraction`), with a Wilson
score interval for the top and the bottom share.

==========================  =================================================
function                    what it gives
==========================  =================================================
:func:`box_size`            how many categories make a box on a K-point scale
:func:`box_shares`          one item's exact shares (a :class:`BoxShares`)
:func:`wilson_interval`     Wilson's interval of one share
:func:`share_columns`       the shares of many count rows as the columns
                            :func:`wai.score` adds (:data:`SHARE_COLUMNS`)
==========================  =================================================

The box is the top (bottom) two categories on a scale of four points or
more and the top (bottom) one on a scale of two or three points; the middle
category of an odd scale is in neither. Shares are of ``n``, the answers on
the scale (non-scale answers and blanks are left out, as for the WAI).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np
import pandas as pd

from wai._checks import check_confidence_level, check_int

__all__ = ["BoxShares", "SHARE_COLUMNS", "box_size", "box_shares", "wilson_interval", "share_columns"]

SHARE_COLUMNS: tuple[str, ...] = (
    "top_box", "top_box_low", "top_box_high", "bottom_box", "bottom_box_low", "bottom_box_high", "net",
)
"""The columns :func:`share_columns` gives (and :func:`wai.score` adds), in order."""


def box_size(points: int) -> int:
    """Categories in the top (and in the bottom) box of a ``points``-point scale: 2 from 4 points, else 1.

    >>> [box_size(k) for k in (2, 3, 4, 5, 7)]
    [1, 1, 2, 2, 2]
    """
    k = check_int("points", points, 2, what="the number of scale points (a whole number)")
    return 2 if k >= 4 else 1


@dataclass(frozen=True)
class BoxShares:
    """One item's top-box, bottom-box and net shares, exact.

    Attributes
    ----------
    counts : tuple of int
        The counts, lowest category first (the input, echoed).
    box : int
        Categories in each box (:func:`box_size`).
    n : int
        Answers on the scale (the sum of ``counts``).
    top_count, bottom_count : int
        Answers in the top and in the bottom box.
    top, bottom, net : Fraction or None
        ``top_count / n``, ``bottom_count / n`` and ``top - bottom`` (from
        -1 to 1); None when ``n`` is 0.
    """

    counts: tuple[int, ...]
    box: int
    n: int
    top_count: int
    bottom_count: int
    top: Fraction | None
    bottom: Fraction | None
    net: Fraction | None


def box_shares(counts: Sequence[int], *, box: int | None = None) -> BoxShares:
    """The exact top-box, bottom-box and net shares of one item's counts.

    Parameters
    ----------
    counts : sequence of int
        Answers per category, lowest first (at least 2 categories).
    box : int, optional
        Categories per box; default :func:`box_size` of ``len(counts)``. At
        most half the categories (the boxes never overlap).

    Returns
    -------
    BoxShares

    Examples
    --------
    >>> s = box_shares([5, 15, 28, 37, 14])
    >>> str(s.top), str(s.bottom), str(s.net)
    ('17/33', '20/99', '31/99')
    """
    values = tuple(check_int("counts", c, 0, what="a count (a whole number >= 0)") for c in counts)
    if len(values) < 2:
        raise ValueError(f"counts must have at least 2 categories, got {list(values)}")
    size = box_size(len(values)) if box is None else check_int("box", box, 1, len(values) // 2)
    n = sum(values)
    top, bottom = sum(values[-size:]), sum(values[:size])
    if n == 0:
        return BoxShares(values, size, 0, 0, 0, None, None, None)
    return BoxShares(values, size, n, top, bottom, Fraction(top, n), Fraction(bottom, n), Fraction(top - bottom, n))


def wilson_interval(count: int, n: int, confidence_level: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval of the share ``count / n``; ``(nan, nan)`` when ``n`` is 0.

    Computed by ``statsmodels.stats.proportion.proportion_confint(method="wilson")``;
    with ``z = Phi^-1((1+c)/2)`` and ``p = count/n`` it is::

        (p + z^2/(2n) -+ z sqrt(p(1-p)/n + z^2/(4n^2))) / (1 + z^2/n)

    Coverage stays close to the nominal level for small ``n`` and for
    shares near 0 or 1, where the Wald interval fails (Wilson 1927; Brown,
    Cai and DasGupta 2001, doi:10.1214/ss/1009213286).

    >>> [round(x, 4) for x in wilson_interval(2, 10)]
    [0.0567, 0.5098]
    """
    k = check_int("count", count, 0, what="a count (a whole number >= 0)")
    total = check_int("n", n, 0, what="a number of answers (a whole number >= 0)")
    if k > total:
        raise ValueError(f"count ({k}) must not exceed n ({total})")
    confidence = check_confidence_level(confidence_level)
    if total == 0:
        return float("nan"), float("nan")
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(k, total, alpha=1 - confidence, method="wilson")
    # at 0 or n the formula's end is 0 or 1 exactly; floating point can miss it by 1e-17
    return min(max(float(low), 0.0), k / total), max(min(float(high), 1.0), k / total)


def share_columns(counts: Sequence[Sequence[float]], confidence_level: float = 0.95) -> pd.DataFrame:
    """The shares of many count rows, as the columns :data:`SHARE_COLUMNS`.

    ``top_box`` and ``bottom_box`` are floats of the exact shares (0..1),
    each with its Wilson interval (``_low``, ``_high``); ``net`` is
    ``top_box - bottom_box`` (-1..1). Rows with no answer are NaN. Rows
    whose counts are not whole numbers (weighted totals) get their shares
    but no Wilson interval (NaN): Wilson's interval is for counts of
    respondents.

    >>> t = share_columns([[5, 15, 28, 37, 14], [0, 0, 0, 0, 0]])
    >>> t[["top_box", "top_box_low", "top_box_high", "net"]].round(4)
       top_box  top_box_low  top_box_high     net
    0   0.5152        0.418        0.6112  0.3131
    1      NaN          NaN           NaN     NaN
    """
    return pd.DataFrame(share_arrays(counts, confidence_level), columns=list(SHARE_COLUMNS), dtype=float)


def share_arrays(counts: Sequence[Sequence[float]] | np.ndarray,
                 confidence_level: float = 0.95) -> dict[str, np.ndarray]:
    """:func:`share_columns` as float arrays, by column name (what :func:`wai.scoring.score_counts` assembles).

    >>> share_arrays(np.array([[1, 1, 2]]))["top_box"].tolist()
    [0.5]
    """
    confidence = check_confidence_level(confidence_level)
    if isinstance(counts, np.ndarray) and counts.ndim == 2:
        table = counts.astype(float)
    else:
        table = np.array([[float(c) for c in row] for row in counts], dtype=float)
    if table.size == 0:
        return {c: np.zeros(0) for c in SHARE_COLUMNS}
    if table.ndim != 2 or table.shape[1] < 2 or not (table >= 0).all():
        given = counts.tolist() if isinstance(counts, np.ndarray) else counts
        bad = next((list(row) for row in given if len(row) < 2 or any(not float(v) >= 0 for v in row)), given)
        raise ValueError(f"each row of counts needs 2 or more counts >= 0, got {bad}")
    size = box_size(table.shape[1])
    total, top, bottom = table.sum(axis=1), table[:, -size:].sum(axis=1), table[:, :size].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        # whole counts below 2^53: each share is the correctly rounded float of its exact fraction
        top_share, bottom_share, net = top / total, bottom / total, (top - bottom) / total
        whole = (table == np.floor(table)).all(axis=1) & (total > 0)
        intervals = [_wilson_rows(box, total, whole, 1 - confidence) for box in (top, bottom)]
    out = {"top_box": top_share, "top_box_low": intervals[0][0], "top_box_high": intervals[0][1],
           "bottom_box": bottom_share, "bottom_box_low": intervals[1][0],
           "bottom_box_high": intervals[1][1], "net": net}
    empty = total == 0
    for values in out.values():
        values[empty] = np.nan
    return out


def _wilson_rows(box: np.ndarray, total: np.ndarray, whole: np.ndarray,
                 alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson bounds of ``box / total`` on the ``whole`` rows (NaN elsewhere), as :func:`wilson_interval`."""
    from wai.inference import _wilson

    low, high = np.full(box.shape, np.nan), np.full(box.shape, np.nan)
    if whole.any():
        share = box[whole] / total[whole]
        lo, hi = _wilson(box[whole], total[whole], alpha)
        low[whole], high[whole] = np.minimum(np.maximum(lo, 0.0), share), np.maximum(np.minimum(hi, 1.0), share)
    return low, high
