"""Inference on the WAI from category counts: intervals, category shares, band certainty, weights.

Every estimate here is a function of category counts (lowest category
first), weighted or not; nothing needs the respondent rows back. The
arithmetic sits in small pure functions that work on one counts vector or,
vectorised, on a 2-D array of counts rows (one row per item, or per group
and item); :func:`count_inference` gives the columns
:func:`wai.scoring.score_counts` adds.

============================  ===============================================
function                      what it gives
============================  ===============================================
:func:`wai_interval`          the WAI with its standard error and a confidence
                              interval: ``"t"`` (closed form), ``"bca"``
                              (bootstrap, Efron 1987) or ``"multinomial"``
                              (parametric bootstrap on the counts)
:func:`category_intervals`    share of each category with Wilson (per
                              category) or Goodman (simultaneous) intervals
:func:`band_certainty`        whether the interval stays in the reported band,
                              and the share of bootstrap replicates that do
:func:`weighted_wai`          survey-weighted WAI with its linearization SE,
                              as R's ``survey::svymean`` computes it
:func:`kish_effective_n`      Kish's effective sample size of the weights
:func:`count_inference`       all of it for a 2-D array of counts rows (what
                              :func:`wai.scoring.score_counts` adds)
============================  ===============================================

scipy and statsmodels are imported inside the functions that need them, so
``import wai`` stays light (the default ``"t"`` path needs only
``scipy.special``).

Examples
--------
>>> r = wai_interval([5, 15, 28, 37, 14])
>>> r.method, round(r.estimate, 4), round(r.se, 4), round(r.ci_low, 4), round(r.ci_high, 4)
('t', 0.601, 0.0268, 0.5477, 0.6543)

Vocabulary, the same in every function of the package: ``confidence_level``
is the confidence level (0.95, as in ``scipy.stats``) and ``ci_method`` the
method of the interval -- of the WAI here and in :func:`wai.score`, of the
category shares in :func:`category_intervals` (``"wilson"``, ``"goodman"``).
Results keep their names: :class:`IndexInterval` has ``method`` and
``confidence`` (as the ``ci_method`` and ``confidence`` columns of
:func:`wai.score`). Bad options raise :class:`wai.errors.OptionError`
(:mod:`wai._checks`) before any counting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, Sequence

import numpy as np
import pandas as pd

from wai._checks import check_choice, check_confidence_level, check_n_resamples, check_seed
from wai.bands import CHAPTER11_BANDS, RULES, BandScheme
from wai.errors import OptionError
from wai.index import wai_from_counts
from wai.scales import LikertScale

if TYPE_CHECKING:
    from wai.design import DesignCounts

__all__ = [
    "IndexInterval",
    "BandCertainty",
    "INTERVAL_METHODS",
    "CATEGORY_METHODS",
    "BAND_METHODS",
    "CI_METHODS",
    "INFERENCE_COLUMNS",
    "wai_interval",
    "category_intervals",
    "band_certainty",
    "weighted_wai",
    "kish_effective_n",
    "count_inference",
    "bounded_interval",
]

IntervalMethod = Literal["t", "bca", "multinomial", "logit"]
INTERVAL_METHODS: tuple[str, ...] = ("t", "bca", "multinomial", "logit")
"""Interval methods of :func:`wai_interval`."""
CATEGORY_METHODS: tuple[str, ...] = ("wilson", "goodman")
"""Interval methods of :func:`category_intervals`."""
BAND_METHODS: tuple[str, ...] = ("exact", "bootstrap")
"""Methods of :func:`band_certainty`'s share."""
CI_METHODS: tuple[str, ...] = ("t", "bca", "multinomial", "linearization", "logit")
"""Interval methods of :func:`count_inference` (and so of :func:`wai.score`)."""
INFERENCE_COLUMNS: tuple[str, ...] = (
    "se", "ci_low", "ci_high", "ci_method", "confidence", "n_eff", "band_certain", "band_share",
)
"""Columns :func:`count_inference` returns, always these, in this order."""

_MAX_BOOTSTRAP_CELLS = 2_000_000  # resampled answers held in memory at once by the BCa bootstrap


# --------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexInterval:
    """The WAI of one item with its standard error and confidence interval.

    Attributes
    ----------
    estimate : float
        The WAI (float of the exact value for unweighted counts).
    se : float
        Standard error on the WAI's 0..1 scale (NaN when it cannot be
        estimated, e.g. a single answer).
    ci_low, ci_high : float
        Interval ends (NaN with ``se``).
    method : str
        ``"t"``, ``"bca"``, ``"multinomial"`` or ``"linearization"``.
    confidence : float
        Confidence level of the interval, e.g. 0.95.
    n : float
        Number of answers the estimate rests on (unweighted; for weighted
        data the ``n_obs`` given).
    truncated : bool
        The method's interval left [0, 1] and was cut to it (``"t"`` and
        ``"linearization"`` only; the other methods stay inside by
        construction).
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    method: str
    confidence: float
    n: float
    truncated: bool = False


@dataclass(frozen=True)
class BandCertainty:
    """How firmly an item's WAI sits in its reported band.

    Attributes
    ----------
    band : str
        Band of the point estimate under ``rule``.
    interval_in_one_band : bool or None
        Whether both interval ends fall in ``band`` under the same rule;
        None when no interval was given (or its ends are NaN).
    replicate_share : float
        Share of the multinomial bootstrap distribution of the counts whose
        WAI falls in ``band`` under ``rule``: exactly (``method="exact"``)
        or of the drawn replicates (``"bootstrap"``).
    rule : str
        The band rule, ``"rounded"`` or ``"exact"``.
    method : str
        ``"exact"`` or ``"bootstrap"``.
    """

    band: str
    interval_in_one_band: bool | None
    replicate_share: float
    rule: str
    method: str = "exact"


# --------------------------------------------------------------------------
# argument checks (the options: wai._checks)
# --------------------------------------------------------------------------


def _as_counts(
    counts: Sequence[float] | np.ndarray, *, integer: bool = True, name: str = "counts"
) -> np.ndarray:
    """A validated 1-D counts vector: int64 when ``integer``, else float."""
    c = np.asarray(counts, dtype=float)
    if c.ndim != 1 or c.size < 2:
        raise OptionError(name, c.tolist() if c.ndim <= 1 else f"an array of shape {c.shape}",
                          "one number per category (at least 2), lowest first")
    if not np.all(np.isfinite(c)) or np.any(c < 0):
        raise OptionError(name, c.tolist(), "finite, non-negative numbers")
    if c.sum() <= 0:
        raise OptionError(name, c.tolist(), "at least one answer on the scale",
                          "all are 0, so there is nothing to estimate")
    if integer:
        if np.any(c != np.round(c)):
            raise OptionError(name, c.tolist(), "whole numbers (answers per category)",
                              "for survey-weighted totals use weighted_wai()")
        return c.astype(np.int64)
    return c


def _scale_fractions(scale: LikertScale | None, points: int) -> tuple[Fraction, ...]:
    """Exact category scores: the scale's weights, or the WAI weights (k - 1)/(K - 1)."""
    if scale is None:
        return tuple(Fraction(k, points - 1) for k in range(points))
    if scale.points != points:
        raise OptionError("scale", scale.name or scale.labels, f"a scale of {points} points, one per count",
                          f"it has {scale.points} points, but {points} counts were given")
    return tuple(scale.weights)


def _category_scores(scale: LikertScale | None, points: int) -> np.ndarray:
    """Float category scores, lowest first (0, 0.25, 0.5, 0.75, 1 on five points)."""
    return np.array([float(w) for w in _scale_fractions(scale, points)])


def _score_units(scale: LikertScale | None, points: int) -> tuple[np.ndarray, int]:
    """Integer scores ``a_k`` and a common denominator ``D`` with ``W_k = a_k / D`` exactly."""
    weights = _scale_fractions(scale, points)
    d = math.lcm(*(w.denominator for w in weights))
    return np.array([int(w * d) for w in weights], dtype=np.int64), d


# --------------------------------------------------------------------------
# closed forms (vectorised over rows of counts)
# --------------------------------------------------------------------------


def _t_rows(counts: np.ndarray, scores: np.ndarray, confidence: float) -> tuple[np.ndarray, ...]:
    """Mean, SE and t interval of each row of counts, without expanding the answers.

    ``counts`` is ``(rows, K)``. For a row with ``n`` answers::

        mean = sum F_k W_k / n,   s^2 = sum F_k (W_k - mean)^2 / (n - 1),   se = s / sqrt(n)
        interval = mean -+ t_{n-1, (1 + confidence)/2} * se

    Rows with ``n < 2`` get NaN for ``se`` and the interval.
    """
    from scipy.special import stdtrit  # the t quantile scipy.stats.t.ppf computes; lighter import

    f = np.asarray(counts, dtype=float)
    n = f.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (f @ scores) / n
        ss = (f * (scores[None, :] - mean[:, None]) ** 2).sum(axis=1)
        se = np.sqrt(ss / (n - 1) / n)
        se = np.where(n >= 2, se, np.nan)
        q = stdtrit(np.where(n >= 2, n - 1, np.nan), (1 + confidence) / 2)
    return mean, se, mean - q * se, mean + q * se


def _linearization_rows(
    sum_w: np.ndarray, sum_w2: np.ndarray, n_obs: np.ndarray, scores: np.ndarray, confidence: float
) -> tuple[np.ndarray, ...]:
    """Weighted mean, linearization SE and normal interval of each row (``survey::svymean``).

    With ``Sw = sum_k sum_w_k``::

        mean = sum_k sum_w_k W_k / Sw
        var  = n/(n - 1) * sum_k sum_w2_k (W_k - mean)^2 / Sw^2
        interval = mean -+ z_{(1 + confidence)/2} * sqrt(var)

    Rows with ``n_obs < 2`` (or no weight) get NaN for ``se`` and the interval.
    """
    from scipy.special import ndtri  # the normal quantile, as scipy.stats.norm.ppf

    sw = np.asarray(sum_w, dtype=float)
    sw2 = np.asarray(sum_w2, dtype=float)
    n = np.asarray(n_obs, dtype=float)
    total = sw.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (sw @ scores) / total
        dev2 = (scores[None, :] - mean[:, None]) ** 2
        var = n / (n - 1) * (sw2 * dev2).sum(axis=1) / total**2
        se = np.where((n >= 2) & (total > 0), np.sqrt(var), np.nan)
    z = ndtri((1 + confidence) / 2)
    return mean, se, mean - z * se, mean + z * se


def bounded_interval(
    estimate: np.ndarray | float, se: np.ndarray | float, quantile: np.ndarray | float, method: str = "truncate"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An interval for a mean of scores in [0, 1] that stays inside [0, 1]: ``(low, high, truncated)``.

    Parameters
    ----------
    estimate, se : array_like
        The estimate (in [0, 1]) and its standard error.
    quantile : array_like
        The quantile the half-width is made of (``t_{n-1,(1+c)/2}`` or
        ``z_{(1+c)/2}``).
    method : {"truncate", "logit"}
        ``"truncate"``: ``estimate -+ quantile se``, each end cut to [0, 1];
        ``truncated`` says which rows were cut. ``"logit"``: the interval on
        the logit scale, ``expit(logit(m) -+ quantile se / (m (1 - m)))``
        (the delta method; R's ``svyciprop(method="xlogit")`` for a
        proportion), inside (0, 1) by construction; an estimate of exactly
        0 or 1 (every answer at one end, ``se = 0``) gives the point.

    Returns
    -------
    low, high : numpy.ndarray
        NaN where ``se`` is NaN.
    truncated : numpy.ndarray of bool

    Examples
    --------
    >>> low, high, cut = bounded_interval(0.5, 0.5, 12.706)  # two answers, 0 and 1: t with 1 df
    >>> float(low[0]), float(high[0]), bool(cut[0])
    (0.0, 1.0, True)
    >>> low, high, cut = bounded_interval(0.5, 0.5, 12.706, "logit")
    >>> round(float(low[0]), 9), round(float(high[0]), 9), bool(cut[0])
    (0.0, 1.0, False)
    """
    m = np.atleast_1d(np.asarray(estimate, dtype=float))
    e = np.broadcast_to(np.asarray(se, dtype=float), m.shape)
    q = np.broadcast_to(np.asarray(quantile, dtype=float), m.shape)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if method == "logit":
            inside = (m > 0) & (m < 1)
            mm = np.where(inside, m, 0.5)
            centre = np.log(mm / (1 - mm))
            half = q * e / (mm * (1 - mm))
            low = np.where(inside, 1 / (1 + np.exp(-(centre - half))), m)
            high = np.where(inside, 1 / (1 + np.exp(-(centre + half))), m)
            low = np.where(np.isnan(e) | np.isnan(q), np.nan, low)
            high = np.where(np.isnan(e) | np.isnan(q), np.nan, high)
            return low, high, np.zeros(m.shape, dtype=bool)
        if method != "truncate":
            raise OptionError("method", method, "'truncate' or 'logit'")
        low, high = m - q * e, m + q * e
        cut = (low < 0) | (high > 1)
        return np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0), cut


def _multinomial_replicates(counts: np.ndarray, n_resamples: int, seed: int | None) -> np.ndarray:
    """Parametric bootstrap of one counts vector: ``(n_resamples, K)`` replicate counts.

    ``np.random.default_rng(seed).multinomial(n, counts / n, size=n_resamples)``,
    so the replicates of a row depend on its counts and the seed only.
    """
    c = np.asarray(counts, dtype=np.int64)
    n = int(c.sum())
    rng = np.random.default_rng(seed)
    return rng.multinomial(n, c / n, size=n_resamples)


def _band_indices(numerators: np.ndarray, denominator: int, bands: BandScheme, rule: str) -> np.ndarray:
    """Band index (0 = lowest) of each value ``numerators / denominator``, exactly, in integers.

    ``rule="exact"``: band ``i`` holds ``x <= high_i`` (first such band), and for an
    integer ``S``, ``S / den <= h`` iff ``S <= floor(h * den)``.
    ``rule="rounded"``: the value is first rounded half up to the scheme's
    ``d`` decimals, ``r = floor((2 S 10^d + den) / (2 den))`` units of ``10^-d``
    (mirrored for negative values), then ``r <= high_i`` iff
    ``r <= floor(high_i 10^d)``. Both reduce to ``np.searchsorted`` on integer
    thresholds, and agree with :meth:`BandScheme.classify` on every value.
    """
    s = np.asarray(numerators)
    den = int(denominator)
    highs = bands.breaks
    if rule == "exact":
        thresholds = [math.floor(h * den) for h in highs]
        values = s
    elif rule == "rounded":
        unit = 10**bands.decimals
        thresholds = [math.floor(h * unit) for h in highs]
        big = int(np.abs(s).max(initial=0)) * 2 * unit + den
        if big >= 2**62:  # exact Python integers when int64 could overflow
            s = s.astype(object)
        mag = (2 * np.abs(s) * unit + den) // (2 * den)
        values = np.where(s < 0, -mag, mag)
    else:
        raise OptionError("rule", rule, "one of " + ", ".join(map(repr, RULES)))
    if not thresholds:
        return np.zeros(s.shape, dtype=np.int64)
    limit = max(abs(t) for t in thresholds)
    if limit >= 2**62 or values.dtype == object:
        return np.array([sum(1 for t in thresholds if t < int(v)) for v in np.ravel(values)],
                        dtype=np.int64).reshape(s.shape)
    return np.searchsorted(np.array(thresholds, dtype=np.int64), values.astype(np.int64), side="left")


def _replicate_band_share(
    replicates: np.ndarray, scale: LikertScale | None, bands: BandScheme, rule: str, band_index: int
) -> float:
    """Share of replicate count vectors whose WAI is in band ``band_index`` under ``rule``."""
    a, d = _score_units(scale, replicates.shape[1])
    n = int(replicates[0].sum())
    sums = replicates @ a  # replicate WAI = sums / (n d), exactly
    return float(np.mean(_band_indices(sums, n * d, bands, rule) == band_index))


def _end_in_band(value: float, bands: BandScheme, rule: str, band: str) -> bool:
    return bands.classify(float(value), rule) == band  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# the WAI with an interval
# --------------------------------------------------------------------------


def wai_interval(
    counts: Sequence[int] | np.ndarray,
    scale: LikertScale | None = None,
    *,
    ci_method: IntervalMethod = "t",
    confidence_level: float = 0.95,
    n_resamples: int = 9999,
    seed: int | None = 0,
) -> IndexInterval:
    """The WAI of category counts with its standard error and a confidence interval.

    Parameters
    ----------
    counts : sequence of int
        Answers per category, lowest first (whole numbers; for survey
        weights use :func:`weighted_wai`).
    scale : LikertScale, optional
        Supplies the category scores (its weights); default the WAI weights
        ``(k - 1)/(K - 1)`` for ``K = len(counts)``.
    ci_method : {"t", "bca", "multinomial", "logit"}
        ``"t"``
            Closed form from the counts: ``se = sd/sqrt(n)`` of the answers
            scored on the WAI weights, interval ``estimate -+ t_{n-1} se``,
            each end cut to [0, 1] when it leaves it (``truncated`` then
            says so; with two answers 0 and 1 the raw interval is
            [-5.85, 6.85]). The default; fast and exact.
        ``"logit"``
            The same ``se`` and ``t_{n-1}`` quantile on the logit scale,
            ``expit(logit(m) -+ t se / (m (1 - m)))``
            (:func:`bounded_interval`): inside [0, 1] by construction, and
            asymmetric near the ends, where the ``"t"`` interval is cut.
        ``"bca"``
            Bias-corrected and accelerated bootstrap of the mean of the
            answers (``scipy.stats.bootstrap``, ``method="BCa"``).
        ``"multinomial"``
            Parametric bootstrap on the counts: replicate counts drawn from
            ``Multinomial(n, counts/n)``, percentile interval of their WAI.
    confidence_level : float
        Confidence level in (0, 1).
    n_resamples : int
        Bootstrap replicates (``"bca"`` and ``"multinomial"``), at least 2.
    seed : int or None
        Seed of ``numpy.random.default_rng`` for the bootstrap methods.

    Returns
    -------
    IndexInterval
        ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``method``,
        ``confidence``, ``n``.

    Raises
    ------
    wai.errors.OptionError
        (a ``ValueError``) an unknown ``ci_method``, a ``confidence_level``
        outside (0, 1), counts that are not whole non-negative numbers with
        at least one answer, or a scale with another number of points.

    Notes
    -----
    With ``n = sum F_k``, ``mean = sum F_k W_k / n`` (the WAI) and
    ``s^2 = sum F_k (W_k - mean)^2 / (n - 1)``, the ``"t"`` interval is
    ``mean -+ t_{n-1, (1+c)/2} s/sqrt(n)``: Student's one-sample interval on
    the answers scored ``W_k``, i.e. ``scipy.stats.ttest_1samp(...)
    .confidence_interval()`` on the expanded answers divided by ``K - 1``
    after subtracting 1 (codes 1..K). With a single answer ``se`` and the
    interval are NaN; with every answer in one category the interval has
    zero width.

    ``"bca"`` expands the counts to answers (``np.repeat``) and calls
    ``scipy.stats.bootstrap`` with the mean, ``method="BCa"`` (Efron 1987);
    ``se`` is the bootstrap standard error. All answers in one category give
    a zero-width interval at the estimate (the bootstrap distribution is a
    point). The jackknife inside BCa costs ``O(n^2)``: fine for survey
    sizes, slow past some 10^4 answers per item.

    ``"multinomial"`` draws ``rng.multinomial(n, counts/n, size=n_resamples)``
    and reports the ``(1-c)/2`` and ``(1+c)/2`` quantiles of the replicate
    WAIs (``numpy.quantile``, linear), with ``se`` their standard deviation
    (``ddof=1``). A category with no answers is never drawn.

    References
    ----------
    Efron, B. (1987). Better bootstrap confidence intervals. JASA 82(397),
    171-185. https://doi.org/10.1080/01621459.1987.10478410

    Examples
    --------
    >>> r = wai_interval([1, 1, 1, 1, 1])  # answers 0, .25, .5, .75, 1: s^2 = 5/32, se = sqrt(1/32)
    >>> round(r.estimate, 4), round(r.se, 6), round(r.ci_low, 4), round(r.ci_high, 4)
    (0.5, 0.176777, 0.0092, 0.9908)
    >>> m = wai_interval([5, 15, 28, 37, 14], ci_method="multinomial", seed=1)
    >>> m.method, round(m.ci_low, 2), round(m.ci_high, 2)
    ('multinomial', 0.55, 0.65)
    >>> b = wai_interval([0, 0, 3, 0, 0], ci_method="bca")  # one category: a zero-width interval
    >>> b.ci_low, b.ci_high, b.se
    (0.5, 0.5, 0.0)
    """
    method = check_choice("ci_method", ci_method, INTERVAL_METHODS)
    confidence = check_confidence_level(confidence_level)
    n_resamples = check_n_resamples(n_resamples)
    seed = check_seed(seed)
    c = _as_counts(counts)
    scores = _category_scores(scale, c.size)
    n = int(c.sum())
    estimate = float(wai_from_counts(c.tolist(), scale))
    if method in ("t", "logit"):
        from scipy.special import stdtrit

        _, se, _, _ = _t_rows(c[None, :], scores, confidence)  # centred on the exact estimate
        q = stdtrit(n - 1, (1 + confidence) / 2) if n >= 2 else float("nan")
        lo, hi, cut = bounded_interval(estimate, se, q, "logit" if method == "logit" else "truncate")
        return IndexInterval(estimate, float(se[0]), float(lo[0]), float(hi[0]), method, confidence, n,
                             bool(cut[0]))
    if method == "multinomial":
        reps = _multinomial_replicates(c, n_resamples, seed)
        values = (reps @ scores) / n
        lo, hi = np.quantile(values, [(1 - confidence) / 2, (1 + confidence) / 2])
        return IndexInterval(estimate, float(values.std(ddof=1)), float(lo), float(hi),
                             "multinomial", confidence, n)
    return _bca(c, scores, estimate, confidence, n_resamples, seed)


def _bca(c: np.ndarray, scores: np.ndarray, estimate: float, confidence: float,
         n_resamples: int, seed: int | None) -> IndexInterval:
    n = int(c.sum())
    if np.count_nonzero(c) <= 1:  # one category: every resample is the estimate
        return IndexInterval(estimate, 0.0, estimate, estimate, "bca", confidence, n)
    from scipy import stats

    answers = np.repeat(scores, c)
    res = stats.bootstrap(
        (answers,), np.mean, n_resamples=n_resamples, confidence_level=confidence, method="BCa",
        vectorized=True, axis=-1, batch=max(1, min(n_resamples, _MAX_BOOTSTRAP_CELLS // n)),
        rng=np.random.default_rng(seed),
    )
    ci = res.confidence_interval
    return IndexInterval(estimate, float(res.standard_error), float(ci.low), float(ci.high),
                         "bca", confidence, n)


# --------------------------------------------------------------------------
# category shares
# --------------------------------------------------------------------------


def category_intervals(
    counts: Sequence[int] | np.ndarray | None = None,
    *,
    ci_method: Literal["wilson", "goodman", "xlogit"] = "wilson",
    confidence_level: float = 0.95,
    design: "DesignCounts | None" = None,
    item: str | None = None,
    group: object = None,
) -> pd.DataFrame:
    """Share of each category with a confidence interval.

    Parameters
    ----------
    counts : sequence of int
        Answers per category, lowest first.
    ci_method : {"wilson", "goodman"}
        The interval of the shares (the same kind of argument as
        :func:`wai_interval`'s ``ci_method``, for proportions):

        ``"wilson"``
            Wilson score interval for each category on its own (coverage
            close to nominal even for small counts and shares near 0 or 1).
        ``"goodman"``
            Goodman's simultaneous intervals: all K hold together with
            probability about ``confidence_level`` (wider than Wilson).
    confidence_level : float
        Confidence level in (0, 1).
    design : wai.design.DesignCounts, optional
        The counts of a survey design (:func:`wai.design.count_design`),
        in place of ``counts``: the shares of ``item`` (in ``group``, a
        domain of the whole design) with their design-based intervals,
        R's ``svyciprop(method="xlogit")``
        (:func:`wai.design.design_category_intervals`); ``ci_method`` is
        then ``"xlogit"``.
    item, group
        Which item (and group) of ``design``.

    Returns
    -------
    pandas.DataFrame
        One row per category, columns ``category`` (1..K), ``count``,
        ``share``, ``ci_low``, ``ci_high``, ``method``.

    Notes
    -----
    Wilson (1927), as ``statsmodels.stats.proportion.proportion_confint(
    method="wilson")`` computes it (the same operations, written out): with ``z = Phi^-1((1+c)/2)``, ``p = n_k/N``::

        (p + z^2/(2N) -+ z sqrt(p(1-p)/N + z^2/(4N^2))) / (1 + z^2/N)

    Goodman (1965), as ``multinomial_proportions_confint(method="goodman")``:
    with ``A = chi2_1^-1(1 - (1-c)/K)``::

        (A + 2 n_k -+ sqrt(A (A + 4 n_k (N - n_k)/N))) / (2 (N + A))

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and
    statistical inference. JASA 22(158), 209-212.
    https://doi.org/10.1080/01621459.1927.10502953

    Goodman, L. A. (1965). On simultaneous confidence intervals for
    multinomial proportions. Technometrics 7(2), 247-254.

    Examples
    --------
    >>> t = category_intervals([2, 8])
    >>> t.round(4)
       category  count  share  ci_low  ci_high  method
    0         1      2    0.2  0.0567   0.5098  wilson
    1         2      8    0.8  0.4902   0.9433  wilson
    """
    if design is not None:
        from wai.design import design_category_intervals

        if counts is not None or item is None:
            raise OptionError("counts" if counts is not None else "item", counts if counts is not None else None,
                              "design= with item= (and group=), and no counts")
        if ci_method not in ("wilson", "xlogit"):  # "wilson" is the default: taken as not chosen
            raise OptionError("ci_method", ci_method, "'xlogit' with design=")
        return design_category_intervals(design, item, group, confidence_level=confidence_level)
    method = check_choice("ci_method", ci_method, CATEGORY_METHODS)
    confidence = check_confidence_level(confidence_level)
    if counts is None:
        raise OptionError("counts", None, "answers per category, lowest first (or design= with item=)")
    c = _as_counts(counts)
    total = int(c.sum())
    alpha = 1 - confidence
    if method == "wilson":
        low, high = _wilson(c, total, alpha)
    else:
        low, high = _goodman(c, alpha)
    return pd.DataFrame({
        "category": np.arange(1, c.size + 1),
        "count": c,
        "share": c / total,
        "ci_low": np.asarray(low, dtype=float),
        "ci_high": np.asarray(high, dtype=float),
        "method": method,
    })


def _wilson(c: np.ndarray, total: int, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson bounds, the operations of ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.

    Written out (same float operations, same results to the bit; checked in
    tests/test_inference.py) so that the report need not import statsmodels
    for them.
    """
    from scipy.special import ndtri

    crit = -ndtri(alpha / 2.0)  # scipy.stats.norm.isf(alpha / 2)
    q_ = c / total
    crit2 = crit**2
    denom = 1 + crit2 / total
    center = (q_ + crit2 / (2 * total)) / denom
    dist = crit * np.sqrt(q_ * (1.0 - q_) / total + crit2 / (4.0 * total**2))
    dist /= denom
    return np.clip(center - dist, 0, 1), np.clip(center + dist, 0, 1)


def _goodman(c: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Goodman bounds, the operations of ``statsmodels``' ``multinomial_proportions_confint(method="goodman")``."""
    from scipy.special import gammaincinv

    counts = np.array(c, dtype=float)
    n = counts.sum()
    k = len(counts)
    proportions = counts / n
    chi2 = 2 * gammaincinv(1 / 2, 1 - alpha / k)  # scipy.stats.chi2.ppf(1 - alpha / k, 1)
    delta = chi2**2 + (4 * n * proportions * chi2 * (1 - proportions))
    region = ((2 * n * proportions + chi2 + np.array([-np.sqrt(delta), np.sqrt(delta)])) / (2 * (chi2 + n))).T
    return region[:, 0], region[:, 1]


# --------------------------------------------------------------------------
# band certainty
# --------------------------------------------------------------------------


def band_certainty(
    counts: Sequence[int] | np.ndarray,
    scale: LikertScale | None = None,
    bands: BandScheme = CHAPTER11_BANDS,
    *,
    interval: IndexInterval | tuple[float, float] | None = None,
    method: Literal["exact", "bootstrap"] = "exact",
    n_resamples: int = 9999,
    seed: int | None = 0,
    rule: Literal["rounded", "exact"] = "rounded",
) -> BandCertainty:
    """How firmly the WAI of category counts sits in its reported band.

    Parameters
    ----------
    counts : sequence of int
        Answers per category, lowest first.
    scale : LikertScale, optional
        Category scores; default the WAI weights.
    bands : BandScheme
        Default chapter 11's five bands.
    interval : IndexInterval or (low, high), optional
        An interval for the WAI (e.g. from :func:`wai_interval`); without
        one ``interval_in_one_band`` is None.
    method : {"exact", "bootstrap"}
        ``"exact"`` (default): the share of the multinomial bootstrap
        distribution itself, computed without drawing
        (:func:`wai.certainty.exact_band_shares`; the limit of
        ``"bootstrap"`` as ``n_resamples`` grows). ``"bootstrap"``: the share
        of ``n_resamples`` seeded replicates. A sample too large to convolve
        (:data:`wai.certainty.MAX_EXACT_POINTS`) falls back to the bootstrap
        and says so in ``method``.
    n_resamples : int
        Multinomial bootstrap replicates (``method="bootstrap"``).
    seed : int or None
        Seed of ``numpy.random.default_rng``; the replicates are those of
        ``wai_interval(..., ci_method="multinomial")`` with the same seed.
    rule : {"rounded", "exact"}
        Band rule (see :mod:`wai.bands`), used for the estimate, the
        interval ends and the replicates alike.

    Returns
    -------
    BandCertainty
        ``band``, ``interval_in_one_band``, ``replicate_share``, ``rule``,
        ``method``.

    Notes
    -----
    A replicate's WAI is ``S / (n D)`` with ``S = sum F*_k a_k`` an integer
    (``W_k = a_k/D``; ``D = K - 1`` for the WAI weights), so replicates are
    classified exactly in integer arithmetic, the rounded rule included
    (round half up to the scheme's decimals, then the printed ranges): the
    same verdicts as :meth:`BandScheme.classify` on exact fractions, with
    no float at a break. ``S`` is a sum of ``n`` independent draws of
    ``a_k`` with probability ``F_k / n``, so its distribution is the
    ``n``-fold convolution of the observed shares; ``"exact"`` computes the
    probability of the band's integer range of ``S`` from it (Bernstein
    screening, then an inverse FFT of the characteristic function; see
    :mod:`wai.certainty` and docs/methods.md), to about ``1e-13``. A share
    near 1 says the band would rarely change in a new sample of the same
    size; near 0.5, the estimate sits at a break.

    Examples
    --------
    >>> b = band_certainty([0, 0, 0, 40, 0], interval=(0.75, 0.75))
    >>> b.band, b.interval_in_one_band, b.replicate_share
    ('High', True, 1.0)
    >>> b = band_certainty([5, 15, 28, 37, 14], interval=wai_interval([5, 15, 28, 37, 14]))
    >>> b.band, b.interval_in_one_band, round(b.replicate_share, 4), b.method
    ('Neutral', False, 0.5537, 'exact')
    >>> round(band_certainty([5, 15, 28, 37, 14], method="bootstrap").replicate_share, 2)
    0.56
    """
    from wai.certainty import exact_band_shares, score_units

    rule = check_choice("rule", rule, RULES)  # type: ignore[assignment]
    method = check_choice("method", method, BAND_METHODS)  # type: ignore[assignment]
    n_resamples = check_n_resamples(n_resamples)
    seed = check_seed(seed)
    c = _as_counts(counts)
    band = bands.classify(wai_from_counts(c.tolist(), scale), rule)
    index = bands.labels.index(band)
    in_one: bool | None = None
    if interval is not None:
        low, high = (interval.ci_low, interval.ci_high) if isinstance(interval, IndexInterval) else interval
        if math.isfinite(low) and math.isfinite(high):
            in_one = _end_in_band(low, bands, rule, band) and _end_in_band(high, bands, rule, band)
    share = math.nan
    if method == "exact":
        a, d = score_units(_scale_fractions(scale, c.size))
        share = float(exact_band_shares(c[None, :], a, d, bands, rule)[0])
    if math.isnan(share):
        method = "bootstrap"
        reps = _multinomial_replicates(c, n_resamples, seed)
        share = _replicate_band_share(reps, scale, bands, rule, index)
    return BandCertainty(band=band, interval_in_one_band=in_one, replicate_share=share, rule=rule, method=method)


# --------------------------------------------------------------------------
# survey weights
# --------------------------------------------------------------------------


def kish_effective_n(
    sum_w: float | Sequence[float] | np.ndarray, sum_w2: float | Sequence[float] | np.ndarray
) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2``.

    ``sum_w`` and ``sum_w2`` may be totals or per-category sums (they are
    added up). Equal weights give the number of answers; unequal weights
    give fewer.

    Notes
    -----
    Kish, L. (1965). Survey Sampling. Wiley, section 11.7.

    Examples
    --------
    >>> kish_effective_n([2.0, 2.0], [2.0, 2.0])  # four answers, weight 1 each
    4.0
    >>> kish_effective_n(4.0, 10.0)  # weights 1 and 3: 16/10
    1.6
    """
    total = float(np.sum(sum_w))
    total2 = float(np.sum(sum_w2))
    if not (math.isfinite(total) and math.isfinite(total2)) or total < 0 or total2 < 0:
        raise OptionError("sum_w, sum_w2", (total, total2), "finite, non-negative totals")
    if total2 == 0:
        return float("nan")
    return total**2 / total2


def weighted_wai(
    sum_w: Sequence[float] | np.ndarray,
    sum_w2: Sequence[float] | np.ndarray,
    n_obs: int,
    scale: LikertScale | None = None,
    *,
    confidence_level: float = 0.95,
) -> IndexInterval:
    """Survey-weighted WAI with its Taylor-linearization standard error.

    Parameters
    ----------
    sum_w : sequence of float
        Sum of the case weights of the answers in each category, lowest
        first (``count_1..count_K`` of a weighted :func:`wai.counting.count_items`).
    sum_w2 : sequence of float
        Sum of the squared case weights in each category (``wsq_1..wsq_K``).
    n_obs : int
        Number of sampled units (PSUs) in the design: the unweighted number
        of answers (``n_obs``); see Notes for designs holding non-answers.
    scale : LikertScale, optional
        Category scores; default the WAI weights.
    confidence_level : float
        Confidence level in (0, 1).

    Returns
    -------
    IndexInterval
        ``method="linearization"``, a normal-quantile interval, ``n = n_obs``.

    Notes
    -----
    A weights-only, single-stage, with-replacement design. With ``y_i`` the
    score of answer ``i``::

        mean = sum w_i y_i / sum w_i
        z_i  = w_i (y_i - mean) / sum w_i          (sum z_i = 0)
        var  = n/(n - 1) * sum z_i^2,   se = sqrt(var)

    and, grouped by category, ``sum z_i^2 = sum_k W2_k (W_k - mean)^2 /
    (sum w)^2`` with ``W2_k`` the category's ``sum w^2``. The interval is
    ``mean -+ z_{(1+c)/2} se``. This matches R's ``survey::svymean(~y,
    svydesign(ids = ~1, weights = ~w, data = d))`` and ``confint()`` of it
    (Lumley 2004, J Stat Softw 9(8)), for a data frame ``d`` of the
    respondents who answered. ``svymean(..., na.rm = TRUE)`` on a design that
    also holds non-answering rows, and ``svyby`` for groups, keep every row
    of the design as a PSU: they use ``N/(N - 1)`` with ``N`` the design's
    rows (pass ``n_obs=N`` to reproduce them). With equal weights ``var`` is
    exactly ``s^2/n``, the square of the ``"t"`` method's ``se``; only the
    quantile (normal, not t) differs. ``n_obs < 2`` gives NaN.

    References
    ----------
    Lumley, T. (2004). Analysis of complex survey samples. Journal of
    Statistical Software 9(8), 1-19. https://doi.org/10.18637/jss.v009.i08

    Examples
    --------
    >>> r = weighted_wai([1.0, 3.0], [1.0, 9.0], n_obs=2)  # y = 0 (w = 1), 1 (w = 3)
    >>> r.estimate, r.se, r.method
    (0.75, 0.375, 'linearization')
    """
    confidence = check_confidence_level(confidence_level)
    sw = _as_counts(sum_w, integer=False, name="sum_w")
    sw2 = np.asarray(sum_w2, dtype=float)
    if sw2.shape != sw.shape or not np.all(np.isfinite(sw2)) or np.any(sw2 < 0):
        raise OptionError("sum_w2", sw2.tolist(), "one finite non-negative number per category, like sum_w")
    if np.any((sw > 0) & (sw2 == 0)):
        raise OptionError("sum_w2", sw2.tolist(), "a positive sum of squared weights in every category "
                          f"with weight (sum_w={sw.tolist()})")
    if isinstance(n_obs, bool) or not float(n_obs).is_integer() or n_obs < 1:
        raise OptionError("n_obs", n_obs, "a whole number of at least 1 (the unweighted number of answers)")
    scores = _category_scores(scale, sw.size)
    mean, se, lo, hi = _linearization_rows(sw[None, :], sw2[None, :], np.array([n_obs]), scores, confidence)
    lo, hi, cut = _bounded(mean, se, lo, hi, "linearization")  # cut to [0, 1], flagged
    return IndexInterval(float(mean[0]), float(se[0]), float(lo[0]), float(hi[0]), "linearization",
                         confidence, float(n_obs), bool(cut[0]))


# --------------------------------------------------------------------------
# a table of counts rows (what score() adds)
# --------------------------------------------------------------------------


def _bounded(mean: np.ndarray, se: np.ndarray, low: np.ndarray, high: np.ndarray,
             ci_method: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows' intervals inside [0, 1]: cut (flagged), or on the logit scale for ``"logit"``."""
    if ci_method != "logit":
        with np.errstate(invalid="ignore"):
            cut = (low < 0) | (high > 1)
        return np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0), cut
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.where(se > 0, (high - mean) / np.where(se > 0, se, 1), 0.0)  # the quantile each row used
    return bounded_interval(mean, se, q, "logit" if ci_method == "logit" else "truncate")


def _row_bands(f: np.ndarray, ok: np.ndarray, scale: LikertScale | None, bands: BandScheme, rule: str,
               exact: Sequence[Fraction | None] | None) -> np.ndarray:
    """Band index of every row's WAI under ``rule`` (-1 where ``ok`` is False).

    Whole-number rows in int64 (:func:`wai.certainty.classify_sums`), the
    others (weighted totals, huge numbers) from their exact Fraction.
    """
    from wai.certainty import classify_sums, fits_int64, score_units

    band = np.full(f.shape[0], -1, dtype=np.int64)
    whole = ok & np.all(f == np.round(f), axis=1) & (f.sum(axis=1) < 2.0**53)
    if whole.any():
        a, d = score_units(_scale_fractions(scale, f.shape[1]))
        c = f[whole].astype(np.int64)
        sums, dens = c @ a, c.sum(axis=1) * d
        if fits_int64(sums, dens, bands):
            band[whole] = classify_sums(sums, dens, bands, rule)
        else:
            whole[:] = False
    for i in np.flatnonzero(ok & ~whole):
        given = exact[int(i)] if exact is not None else None
        value = given if given is not None else wai_from_counts(f[i].tolist(), scale)
        band[i] = bands.labels.index(bands.classify(value, rule))  # type: ignore[arg-type]
    return band


def count_inference(
    counts: np.ndarray,
    scale: LikertScale | None = None,
    bands: BandScheme = CHAPTER11_BANDS,
    *,
    ci_method: str = "t",
    confidence_level: float = 0.95,
    n_resamples: int = 9999,
    seed: int | None = 0,
    rule: Literal["rounded", "exact"] = "rounded",
    sum_w2: np.ndarray | None = None,
    n_obs: np.ndarray | None = None,
    exact: Sequence[Fraction | None] | None = None,
    band_certainty: bool = True,
) -> pd.DataFrame:
    """Interval, effective n and band certainty of every row of a counts array.

    Parameters
    ----------
    counts : array ``(rows, K)``
        Answers per category (or weighted totals, with ``sum_w2``).
    scale, bands, rule
        As for :func:`band_certainty`.
    ci_method : {"t", "bca", "multinomial", "linearization"}
        Interval of unweighted rows; ``"linearization"`` on unweighted rows
        is ``svymean`` with unit weights. Weighted rows (``sum_w2`` given)
        always use ``"linearization"``.
    confidence_level, n_resamples, seed
        As for :func:`wai_interval`. Every row's bootstrap starts from
        ``default_rng(seed)``, so a row's result does not depend on the
        other rows.
    sum_w2 : array ``(rows, K)``, optional
        Sums of squared weights per category: the rows are weighted.
    n_obs : array ``(rows,)``, optional
        Unweighted answers per row; needed with ``sum_w2``.
    exact : sequence of Fraction or None, optional
        The exact WAI of every row, as :func:`wai.scoring.score_counts`
        has computed it (None for a row without answers); used for the
        band of rows whose counts are not whole numbers (whole-number rows
        are banded in integer arithmetic, :func:`wai.certainty.classify_sums`).
    band_certainty : bool
        ``True`` (default): ``band_share`` of every unweighted row, exactly
        (:func:`wai.certainty.exact_band_shares`; a row too large to
        convolve gets the seeded bootstrap of ``n_resamples``). ``False``:
        ``band_share`` is NaN and costs nothing (``band_certain``, from the
        interval, is still given).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`INFERENCE_COLUMNS`: ``se``, ``ci_low``, ``ci_high``
        (floats), ``ci_method`` (text), ``confidence``, ``n_eff`` (Kish,
        ``n`` for unweighted rows), ``band_certain`` (nullable boolean: the
        interval lies in the band the estimate is reported in, under
        ``rule``), ``band_share`` (share of the multinomial bootstrap
        distribution in that band, exact; NaN for weighted rows, where a
        multinomial on weighted totals has no meaning, and with
        ``band_certainty=False``). Rows without answers, unweighted rows whose counts
        are not whole numbers, and intervals that cannot be estimated
        (one answer) hold NaN / NA.

    Examples
    --------
    >>> t = count_inference(np.array([[5, 15, 28, 37, 14], [0, 0, 0, 0, 0]]))
    >>> t[["se", "ci_low", "ci_high", "ci_method", "n_eff", "band_certain"]].round(4)
           se  ci_low  ci_high ci_method  n_eff  band_certain
    0  0.0268  0.5477   0.6543         t   99.0         False
    1     NaN     NaN      NaN         t    NaN          <NA>
    """
    return pd.DataFrame(inference_arrays(
        counts, scale, bands, ci_method=ci_method, confidence_level=confidence_level, n_resamples=n_resamples,
        seed=seed, rule=rule, sum_w2=sum_w2, n_obs=n_obs, exact=exact, band_certainty=band_certainty))


def inference_arrays(
    counts: np.ndarray,
    scale: LikertScale | None = None,
    bands: BandScheme = CHAPTER11_BANDS,
    *,
    ci_method: str = "t",
    confidence_level: float = 0.95,
    n_resamples: int = 9999,
    seed: int | None = 0,
    rule: Literal["rounded", "exact"] = "rounded",
    sum_w2: np.ndarray | None = None,
    n_obs: np.ndarray | None = None,
    exact: Sequence[Fraction | None] | None = None,
    band_certainty: bool = True,
) -> dict[str, Any]:
    """:func:`count_inference`'s columns as arrays, by name (what :func:`wai.scoring.score_counts` assembles).

    >>> inference_arrays(np.array([[5, 15, 28, 37, 14]]))["n_eff"].tolist()
    [99.0]
    """
    ci_method = check_choice("ci_method", ci_method, CI_METHODS)
    confidence = check_confidence_level(confidence_level)
    rule = check_choice("rule", rule, RULES)  # type: ignore[assignment]
    n_resamples = check_n_resamples(n_resamples)
    seed = check_seed(seed)
    f = np.asarray(counts, dtype=float)
    if f.ndim != 2:
        raise OptionError("counts", f"an array of shape {f.shape}", "a 2-D array (rows, categories)")
    rows, points = f.shape
    scores = _category_scores(scale, points)
    total = f.sum(axis=1)
    weighted = sum_w2 is not None
    if weighted and n_obs is None:
        raise OptionError("n_obs", None, "the unweighted number of answers of each row, with sum_w2")
    method = ("logit" if ci_method == "logit" else "linearization") if weighted else ci_method

    se = np.full(rows, np.nan)
    low = np.full(rows, np.nan)
    high = np.full(rows, np.nan)
    n_eff = np.full(rows, np.nan)
    share = np.full(rows, np.nan)

    if weighted:
        w2 = np.asarray(sum_w2, dtype=float)
        nobs = np.asarray(n_obs, dtype=float)
        ok = total > 0
        mean, se, low, high = _linearization_rows(f, w2, nobs, scores, confidence)
        low, high, cut = _bounded(mean, se, low, high, ci_method)
        with np.errstate(invalid="ignore", divide="ignore"):
            n_eff = np.where(ok, total**2 / w2.sum(axis=1), np.nan)
    else:
        ok = (total > 0) & np.all(f == np.round(f), axis=1)
        n_eff = np.where(ok, total, np.nan)
        cut = np.zeros(rows, dtype=bool)
        if ci_method in ("t", "logit"):
            mean, se, low, high = _t_rows(np.where(ok[:, None], f, 0), scores, confidence)
            low, high, cut = _bounded(mean, se, low, high, ci_method)
        elif ci_method == "linearization":
            mean, se, low, high = _linearization_rows(f, f, total, scores, confidence)
            low, high, cut = _bounded(mean, se, low, high, ci_method)
        se, low, high = (np.where(ok, x, np.nan) for x in (se, low, high))
    labels = np.where(cut & ok, f"{method}-truncated", method)

    if exact is not None and len(exact) != rows:
        raise OptionError("exact", f"{len(exact)} values", f"one exact WAI per row ({rows})")
    band = _row_bands(f, ok, scale, bands, rule, exact)
    if not weighted and band_certainty and ok.any():
        from wai.certainty import exact_band_shares, score_units

        a, d = score_units(_scale_fractions(scale, points))
        share[ok] = exact_band_shares(f[ok].astype(np.int64), a, d, bands, rule)
    resample = ci_method in ("multinomial", "bca")
    need = ok & (resample | (band_certainty & np.isnan(share))) & (not weighted)
    for i in np.flatnonzero(need):
        c = f[i].astype(np.int64)
        reps = _multinomial_replicates(c, n_resamples, seed)
        if band_certainty and math.isnan(share[i]):  # too large to convolve: the seeded bootstrap
            share[i] = _replicate_band_share(reps, scale, bands, rule, int(band[i]))
        if ci_method == "multinomial":
            values = (reps @ scores) / c.sum()
            se[i] = values.std(ddof=1)
            low[i], high[i] = np.quantile(values, [(1 - confidence) / 2, (1 + confidence) / 2])
        elif ci_method == "bca":
            r = _bca(c, scores, float(wai_from_counts(c.tolist(), scale)), confidence, n_resamples, seed)
            se[i], low[i], high[i] = r.se, r.ci_low, r.ci_high
    from wai.certainty import classify_floats

    ends = ok & np.isfinite(low) & np.isfinite(high)
    inside = np.zeros(rows, dtype=bool)
    inside[ends] = ((classify_floats(low[ends], bands, rule) == band[ends])
                    & (classify_floats(high[ends], bands, rule) == band[ends]))
    certain = pd.arrays.BooleanArray(inside, ~ends)

    return {
        "se": se,
        "ci_low": low,
        "ci_high": high,
        "ci_method": labels.astype(object),
        "confidence": np.full(rows, confidence),
        "n_eff": n_eff,
        "band_certain": certain,
        "band_share": share,
    }
