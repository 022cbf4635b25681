"""Construct scores: a battery of items scored per respondent, and the construct's WAI, interval, band and alpha.

A construct (a scale in the psychometric sense: "trust", "positive view")
is measured by several items, some of them reverse-keyed. Each
respondent's construct score is the mean of the items they answered on the
scale, reverse-keyed items reversed first, when they answered at least
``min_items`` of them (else it is missing): R's ``psych::scoreItems(keys,
items, impute = "none", min = 1, max = K)``. The construct's WAI is the mean
of the scores on the 0..1 index scale, exact, with a t interval, a band
and Cronbach's alpha of the same items (:func:`wai.alpha`).

==========================  =================================================
function                    what it gives
==========================  =================================================
:func:`construct_scores`    per respondent: items answered, the score on the
                            codes ``1..K`` and on the index scale ``0..1``
:func:`score_construct`     a :class:`ConstructResult`: the scores and the
                            construct's WAI, interval, band and alpha
==========================  =================================================

Only the answers on the scale count: blanks and non-scale answers ("Don't
know") leave an item unanswered for that respondent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, Sequence

import numpy as np
import pandas as pd

from wai._checks import check_confidence_level, check_decimals, check_int
from wai.bands import CHAPTER11_BANDS, BandScheme
from wai.counting import encode_answers
from wai.errors import InputError
from wai.exact import round_half_up
from wai.reliability import AlphaResult, alpha
from wai.scales import LikertScale, default_scale

__all__ = ["Construct", "ConstructResult", "CONSTRUCT_SCORE_COLUMNS", "construct_scores", "score_construct"]

CONSTRUCT_SCORE_COLUMNS: tuple[str, ...] = ("n_items", "score", "score_wai", "score_exact")
"""The columns of :func:`construct_scores`, in order."""


@dataclass(frozen=True)
class Construct:
    """A construct as a codebook declares it (``[[constructs]]``).

    Attributes
    ----------
    id : str
        Short name.
    items : tuple of str
        The items that measure it (item ids in a codebook, columns for
        :func:`score_construct`).
    reverse : tuple of str
        The reverse-keyed ones among ``items``.
    min_items : int
        Fewest items a respondent must answer on the scale to be scored.
    label : str
        How reports name it (default the id).
    """

    id: str
    items: tuple[str, ...]
    reverse: tuple[str, ...] = ()
    min_items: int = 1
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.id)


@dataclass(frozen=True, eq=False)
class ConstructResult:
    """A construct scored: per-respondent scores and the construct's index.

    Attributes
    ----------
    construct : Construct
        The definition (the input, echoed; ``items`` as the columns scored).
    scores : pandas.DataFrame
        :func:`construct_scores` of the respondents (the frame's index).
    n : int
        Respondents scored (who answered at least ``min_items`` items).
    wai_exact : Fraction or None
        The mean of the scores on the index scale, exact; None when nobody was scored.
    wai_rounded : str
        ``wai_exact`` rounded half up to ``decimals`` (empty when None).
    band : str
        Its band under ``rule`` (empty when None).
    se, ci_low, ci_high : float
        Standard error of the mean score (sd with ``n - 1`` over root n) and
        the t interval at ``confidence`` (NaN when ``n < 2``).
    confidence : float
    alpha : AlphaResult or None
        :func:`wai.alpha` of the items (complete cases), None for one item.
    band_certain : bool or None
        Whether both ends of the interval lie in ``band`` (same rule); None without an interval.
    """

    construct: Construct
    scores: pd.DataFrame
    n: int
    wai_exact: Fraction | None
    wai_rounded: str
    band: str
    se: float
    ci_low: float
    ci_high: float
    confidence: float
    alpha: AlphaResult | None
    band_certain: bool | None = None

    @property
    def k(self) -> int:
        """Items in the construct."""
        return len(self.construct.items)


def _codes(frame: pd.DataFrame, items: Sequence[str], scale: LikertScale, file: str | None) -> np.ndarray:
    """Category numbers ``1..K`` of each respondent and item, 0 where blank or off the scale."""
    missing = [c for c in items if c not in frame.columns]
    if missing:
        from wai.errors import Problem

        raise InputError([Problem(file, None, c, None, "a column of that name in the data", "") for c in missing])
    out = np.zeros((len(frame), len(items)), dtype=np.int64)
    problems = []
    for j, column in enumerate(items):
        codes, found = encode_answers(frame[column], scale, column=column, file=file)
        problems.extend(found)
        out[:, j] = np.where(codes >= 0, codes.astype(np.int64) + 1, 0)
    if problems:
        raise InputError(problems)
    return out


def _check(items: Sequence[str], reverse: Sequence[str], min_items: int) -> tuple[list[str], set[str], int]:
    names = [str(c) for c in items]
    if not names or len(set(names)) != len(names):
        raise ValueError(f"items must name one or more different columns, got {names}")
    flipped = {str(c) for c in reverse}
    if not flipped <= set(names):
        raise ValueError(f"reverse must name items of the construct; {sorted(flipped - set(names))} are not "
                         f"among {names}")
    least = check_int("min_items", min_items, 1, len(names), what="a number of items (a whole number)")
    return names, flipped, least


def construct_scores(
    frame: pd.DataFrame,
    items: Sequence[str],
    scale: LikertScale | None = None,
    reverse: Sequence[str] = (),
    *,
    min_items: int = 1,
    file: str | None = None,
) -> pd.DataFrame:
    """Each respondent's construct score: the mean of the items answered, reverse-keyed items reversed.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent, raw answers in the item columns.
    items : sequence of str
        The construct's item columns.
    scale : LikertScale, optional
        Default: :data:`wai.scales.LEVEL5`.
    reverse : sequence of str
        Reverse-keyed items among ``items``: category ``c`` counts as ``K + 1 - c``.
    min_items : int
        Fewest items answered on the scale for a score (default 1: every
        respondent with an answer, as ``psych::scoreItems(impute = "none")``).
    file : str, optional
        File name for error messages.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``frame``, the columns :data:`CONSTRUCT_SCORE_COLUMNS`:
        ``n_items`` (items answered on the scale), ``score`` (mean category
        number ``1..K`` after reversal, psych's score), ``score_wai`` (mean of
        the categories' index weights, ``0..1``) and ``score_exact`` (that
        mean as a fraction ``"p/q"``); the last three empty (NaN, ``""``)
        below ``min_items``.

    Examples
    --------
    >>> f = pd.DataFrame({"a": ["High", "Low", None], "b": ["Very High", None, None], "c": ["Low", "Low", "Low"]})
    >>> construct_scores(f, ["a", "b", "c"], reverse=["c"], min_items=2)  # doctest: +NORMALIZE_WHITESPACE
       n_items     score  score_wai score_exact
    0        3  4.333333   0.833333         5/6
    1        2  3.000000   0.500000         1/2
    2        1       NaN        NaN
    """
    scale = default_scale(scale)
    names, flipped, least = _check(items, reverse, min_items)
    codes = _codes(frame, names, scale, file or frame.attrs.get("source_file"))
    k = scale.points
    for j, name in enumerate(names):
        if name in flipped:
            codes[:, j] = np.where(codes[:, j] > 0, k + 1 - codes[:, j], 0)
    answered = (codes > 0).sum(axis=1)
    weights = scale.weights
    rows_score, rows_wai, rows_exact = [], [], []
    for row, n_items in zip(codes.tolist(), answered.tolist()):
        if n_items < least:
            rows_score.append(math.nan)
            rows_wai.append(math.nan)
            rows_exact.append("")
            continue
        exact = sum((weights[c - 1] for c in row if c), Fraction(0)) / n_items
        rows_score.append(float(Fraction(sum(row), n_items)))
        rows_wai.append(float(exact))
        rows_exact.append(f"{exact.numerator}/{exact.denominator}")
    return pd.DataFrame({"n_items": answered.astype(int), "score": rows_score, "score_wai": rows_wai,
                         "score_exact": rows_exact}, index=frame.index)


def score_construct(
    frame: pd.DataFrame,
    construct: Construct,
    scale: LikertScale | None = None,
    *,
    bands: BandScheme = CHAPTER11_BANDS,
    rule: Literal["rounded", "exact"] = "rounded",
    decimals: int = 2,
    confidence_level: float = 0.95,
    file: str | None = None,
) -> ConstructResult:
    """Score a construct: per-respondent scores, then its WAI, t interval, band and alpha.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent, raw answers in the item columns.
    construct : Construct
        ``items`` and ``reverse`` name columns of ``frame``.
    scale : LikertScale, optional
    bands : BandScheme
    rule : {"rounded", "exact"}
        Band rule of ``band`` (:mod:`wai.bands`).
    decimals : int
        Decimals of ``wai_rounded``.
    confidence_level : float
        Level of the t interval and of alpha's Feldt interval.
    file : str, optional
        File name for error messages.

    Returns
    -------
    ConstructResult

    Notes
    -----
    The construct's WAI is the mean of the respondents' scores on the index
    scale, ``sum_r (sum of the weights of r's answers / items r answered) /
    n``; with every respondent answering every item it equals the mean of
    the items' WAIs. The interval is ``mean -+ t(n - 1) s / sqrt(n)`` of
    those scores. Alpha is :func:`wai.alpha` of the same items (complete
    cases, reverse-keyed items reversed); it is None for a single item.

    Examples
    --------
    >>> f = pd.DataFrame({"a": ["High", "Low", "Neutral"], "b": ["Very High", "Low", "High"]})
    >>> r = score_construct(f, Construct("x", ("a", "b")))
    >>> str(r.wai_exact), r.wai_rounded, r.band, r.n, round(r.alpha.alpha, 4)
    ('7/12', '0.58', 'Neutral', 3, 0.9474)
    """
    scale = default_scale(scale)
    check_decimals(decimals)
    confidence = check_confidence_level(confidence_level)
    scores = construct_scores(frame, construct.items, scale, construct.reverse, min_items=construct.min_items,
                              file=file)
    scored = scores[scores["score_exact"] != ""]
    n = len(scored)
    rel = (alpha(frame, list(construct.items), scale, reverse=list(construct.reverse),
                 confidence_level=confidence, file=file) if len(construct.items) > 1 and n else None)
    if not n:
        return ConstructResult(construct, scores, 0, None, "", "", math.nan, math.nan, math.nan, confidence, rel)
    exact = sum((Fraction(x) for x in scored["score_exact"]), Fraction(0)) / n
    se, low, high = _t_interval(scored["score_wai"].to_numpy(dtype=float), float(exact), confidence)
    band = bands.classify(exact, rule)
    certain = None if math.isnan(low) else all(
        bands.classify(Fraction(end).limit_denominator(10**12), rule) == band for end in (low, high))
    return ConstructResult(construct, scores, n, exact, str(round_half_up(exact, decimals)), band, se, low, high,
                           confidence, rel, certain)


def _t_interval(values: np.ndarray, mean: float, confidence: float) -> tuple[float, float, float]:
    """Standard error and t interval of a mean (NaN for fewer than 2 values)."""
    n = len(values)
    if n < 2:
        return math.nan, math.nan, math.nan
    from scipy.special import stdtrit  # the quantile scipy.stats.t.ppf computes, without importing scipy.stats

    se = float(np.std(values, ddof=1)) / math.sqrt(n)
    half = float(stdtrit(n - 1, (1 + confidence) / 2)) * se
    return se, mean - half, mean + half
