"""Internal consistency of a set of Likert items: Cronbach's alpha.

:func:`alpha` reads raw answers, encodes them with
:func:`wai.counting.encode_answers` (labels, synonyms, numeric codes; blanks
and declared non-scale answers such as "Don't know" are missing), scores each
answer by its category number ``1..K`` and returns an :class:`AlphaResult`:
raw alpha, its Feldt interval, and per-item statistics (item-rest
correlation, alpha if the item is deleted).

Alpha is unchanged by any increasing linear rescaling of the scores applied
to every item alike, so it is the same on the WAI weights
``(k - 1)/(K - 1)`` as on the category numbers ``1..K``.

Examples
--------
>>> import pandas as pd
>>> from wai.scales import LikertScale
>>> s = LikertScale.numeric(1, 5)
>>> df = pd.DataFrame({"q1": [1, 2, 3, 4, 5, 3], "q2": [2, 2, 3, 5, 4, 3],
...                    "q3": [1, 3, 3, 4, 5, None]})
>>> res = alpha(df, ["q1", "q2", "q3"], s)
>>> round(res.alpha, 4), res.n, res.k
(0.9451, 5, 3)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Sequence

import numpy as np
import pandas as pd

from wai.counting import encode_answers
from wai.errors import InputError, OptionError, Problem
from wai._checks import check_choice, check_column_name, check_confidence_level, repeated_columns
from wai.scales import LikertScale, default_scale

__all__ = ["alpha", "AlphaResult", "ALPHA_ITEM_COLUMNS", "MISSING_METHODS"]

ALPHA_ITEM_COLUMNS = ("item", "reversed", "n", "mean", "sd", "r_drop", "alpha_if_deleted")
"""Columns of :attr:`AlphaResult.items`, always these, in this order."""

MISSING_METHODS = ("complete", "pairwise")
"""Ways :func:`alpha` handles missing answers."""


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha of a set of items, with its Feldt interval and item statistics.

    Attributes
    ----------
    alpha : float
        Raw coefficient alpha (psych's ``raw_alpha``).
    std_alpha : float
        Standardized alpha (psych's ``std.alpha``): alpha of the items
        standardized to unit variance, ``k rbar / (1 + (k - 1) rbar)`` with
        ``rbar`` the mean inter-item correlation.
    ci_low, ci_high : float
        Feldt (1965) confidence interval at level ``confidence``.
    n : int or float
        Rows used. ``missing="complete"``: rows answering every item on the
        scale. ``missing="pairwise"``: rows answering at least two items
        (the rows that enter at least one covariance); this ``n`` also sets
        the Feldt degrees of freedom. With ``weights``: Kish's effective
        number of the complete rows, ``(sum w)^2 / sum w^2`` (a float).
    k : int
        Number of items.
    missing : {"complete", "pairwise"}
    confidence : float
        Confidence level of the interval.
    items : pandas.DataFrame
        One row per item, columns ``item, reversed, n, mean, sd, r_drop,
        alpha_if_deleted`` (see :func:`alpha`).
    """

    alpha: float
    std_alpha: float
    ci_low: float
    ci_high: float
    n: float
    k: int
    missing: str
    confidence: float
    items: pd.DataFrame = field(compare=False, repr=False)


def alpha(
    frame: pd.DataFrame,
    items: Sequence[str],
    scale: LikertScale | None = None,
    reverse: Sequence[str] = (),
    *,
    missing: Literal["complete", "pairwise"] = "complete",
    confidence_level: float = 0.95,
    file: str | None = None,
    weights: str | None = None,
) -> AlphaResult:
    """Cronbach's alpha of Likert items, with Feldt interval and item statistics.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent, raw answers in the item columns (labels in
        any case and spacing, synonyms, numeric codes, blanks, non-scale
        answers such as "Don't know").
    items : sequence of str
        The item columns, at least two, all on ``scale``.
    scale : LikertScale, optional
        Default (``None``): :data:`wai.scales.LEVEL5`, as everywhere.
    reverse : sequence of str
        Reverse-keyed items, a subset of ``items``; their category number
        ``c`` is scored ``K + 1 - c``.
    missing : {"complete", "pairwise"}
        ``"complete"`` (default): listwise deletion, only rows answering
        every item on the scale. ``"pairwise"``: each covariance from the
        rows answering both items, as R's ``cov(use="pairwise")``.
    confidence_level : float
        Level of the Feldt interval, strictly between 0 and 1 (the result's
        ``confidence``).
    file : str, optional
        Name of the file the frame came from, for error messages (default:
        ``frame.attrs["source_file"]``).
    weights : str, optional
        Column of case weights (finite, non-negative). Alpha is then computed
        on the weighted covariance matrix of the complete rows,
        ``numpy.cov(aweights=w)`` (R's ``cov.wt(x, w, method = "unbiased")``),
        and the Feldt interval uses Kish's effective ``n`` (see Notes). Only
        with ``missing="complete"``.

    Returns
    -------
    AlphaResult
        ``alpha``, ``ci_low``, ``ci_high``, ``n``, ``k``, ``missing``,
        ``confidence`` and ``items``, a DataFrame with one row per item and
        the fixed columns

        - ``item``: the column name;
        - ``reversed``: whether it was reverse-keyed;
        - ``n``: answers used (complete: the complete rows; pairwise: every
          answer to the item);
        - ``mean``, ``sd``: of the scores ``1..K`` (after reversal), over
          those answers, ``sd`` with ``n - 1``;
        - ``r_drop``: item-rest correlation, the item against the sum of the
          other items (psych ``item.stats$r.drop``);
        - ``alpha_if_deleted``: raw alpha of the other items (psych
          ``alpha.drop$raw_alpha``); NaN when only one item would remain.

    Raises
    ------
    wai.errors.OptionError
        (a ``ValueError``) fewer than two items, repeated items, ``reverse``
        naming a column not in ``items``, an unknown ``missing``, or
        ``confidence_level`` outside (0, 1), before any answer is read.
    wai.errors.InputError
        Every missing column and every answer not on the scale, in one
        error; or fewer than two usable rows; or an item (or the total
        score) that does not vary; or, with ``"pairwise"``, two items
        answered together by fewer than two rows.

    Notes
    -----
    With ``C`` the k x k covariance matrix of the item scores (denominator
    ``n - 1``),

    .. math:: \\alpha = \\frac{k}{k-1}\\Big(1 - \\frac{\\operatorname{tr} C}{\\sum_{ij} C_{ij}}\\Big),

    which on complete data is Cronbach's (1951)
    ``k/(k-1) (1 - sum of item variances / variance of the total)``.
    Alpha if item ``i`` is deleted is the same formula on ``C`` without row
    and column ``i``. The item-rest correlation is
    ``sum_{j != i} C_ij / sqrt(C_ii * V_i)`` with ``V_i`` the sum of ``C``
    without row and column ``i``; on complete data it equals the Pearson
    correlation of the item with the sum of the other items.

    The Feldt (1965) interval, with ``p = 1 - confidence``,
    ``df1 = n - 1`` and ``df2 = (n - 1)(k - 1)``:
    ``low = 1 - (1 - alpha) F^{-1}(1 - p/2; df1, df2)``,
    ``high = 1 - (1 - alpha) F^{-1}(p/2; df1, df2)``.

    This matches ``psych::alpha``'s ``raw_alpha``, ``alpha.drop$raw_alpha``
    and ``item.stats$r.drop`` (Revelle), and the Feldt bounds of
    ``psych::alpha.ci``, given the same covariance matrix: ``psych::alpha``
    on the complete rows for ``"complete"``, and ``psych::alpha(use =
    "pairwise")`` for ``"pairwise"``. Differences from psych, all deliberate:

    - psych's Feldt ``n`` is every row of the data; here it is the rows used
      (complete rows, or rows with at least two answers), so with
      ``"pairwise"`` the bounds agree with psych when every row answers at
      least two items.
    - psych drops an item without variance with a warning; here it is an
      error, since alpha of the remaining items is a different scale.
    - with two items psych reports ``C12 / C_jj`` as "alpha if deleted";
      alpha of one item is undefined and is NaN here.
    - psych reverses an item as ``min + max - x`` with the observed minimum
      and maximum; here it is ``K + 1 - c`` from the scale. Alpha and
      ``r_drop`` are the same either way; a reversed item's mean can differ.

    Standardized alpha (psych's ``std.alpha``) is the same formula on the
    correlation matrix ``R`` of ``C``: ``k/(k-1) (1 - k / sum_ij R_ij)``.

    Without weights, ``C`` comes from exact integer sums of the scores
    (``n^2 (n-1) C = n X^T X - s s^T``, one float32 matrix product exact in
    blocks of rows), not from a centring pass. With weights, alpha, ``r_drop``
    and alpha if deleted are ratios of entries of the weighted covariance
    matrix, so they do not depend on how it is normalised; they are those of
    ``psych::alpha`` given ``cov.wt(x, w)$cov``. The Feldt bounds use Kish's
    effective sample size ``(sum w)^2 / sum w^2`` for ``n`` (degrees of freedom
    need not be whole): an approximation, since Feldt's distribution assumes
    simple random sampling; item ``mean`` is weighted, ``sd`` the square root
    of the weighted variance.

    Scores are category numbers ``1..K`` whatever the scale's own codes;
    alpha, ``r_drop`` and alpha if deleted are invariant to the linear
    rescaling to the WAI weights ``(c - 1)/(K - 1)``. Alpha is a lower bound
    to reliability only for essentially tau-equivalent items; it is not a
    measure of unidimensionality.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal
       structure of tests. Psychometrika, 16(3), 297-334.
       https://doi.org/10.1007/BF02310555
    .. [2] Feldt, L. S. (1965). The approximate sampling distribution of
       Kuder-Richardson reliability coefficient twenty. Psychometrika, 30(3),
       357-370. https://doi.org/10.1007/BF02289499
    .. [3] Revelle, W. psych: Procedures for Psychological, Psychometric, and
       Personality Research (functions ``alpha`` and ``alpha.ci``).
       https://CRAN.R-project.org/package=psych

    Examples
    --------
    >>> from wai.scales import LikertScale
    >>> s = LikertScale(("Never", "Sometimes", "Often"))
    >>> df = pd.DataFrame({"a": ["Never", "Sometimes", "Often", "Often", "Never"],
    ...                    "b": ["Never", "Often", "Often", "Sometimes", "Never"],
    ...                    "c": ["Often", "Sometimes", "Never", "Never", "Don't know"]})
    >>> res = alpha(df, ["a", "b", "c"], s, reverse=["c"])
    >>> round(res.alpha, 3), res.n, round(res.ci_low, 3), round(res.ci_high, 3)
    (0.904, 4, 0.364, 0.993)
    >>> res.items.round(3)
      item  reversed  n  mean     sd  r_drop  alpha_if_deleted
    0    a     False  4  2.25  0.957   0.905             0.778
    1    b     False  4  2.25  0.957   0.636             1.000
    2    c      True  4  2.25  0.957   0.905             0.778
    """
    items = list(items)
    reverse = [reverse] if isinstance(reverse, str) else list(reverse)
    scale = default_scale(scale)
    confidence = _check_arguments(items, reverse, missing, confidence_level, weights)
    file = file if file is not None else frame.attrs.get("source_file")
    k = len(items)
    codes = _codes(frame, items, scale, file)  # (n, k) int16, category 0..K-1, -1 missing
    flip = np.array([name in reverse for name in items])
    codes[:, flip] = np.where(codes[:, flip] >= 0, scale.points - 1 - codes[:, flip], -1)
    answered = codes >= 0
    n: float
    if missing == "complete":
        complete = answered.all(axis=1)
        used = codes[complete] + 1  # scores 1..K
        _check_rows(len(used), file, "rows answering every item on the scale",
                    "with missing='complete' only complete rows are used; try missing='pairwise'")
        if weights is None:
            n = len(used)
            cov, means = _integer_cov(used)
        else:
            w = _weights(frame, weights, file)[complete]
            cov = np.cov(used, rowvar=False, aweights=w, ddof=1)
            means = (w @ used) / w.sum()
            n = float(w.sum() ** 2 / (w @ w))
        item_n = np.full(k, len(used))
        sds = np.sqrt(np.diag(cov))
    else:
        scores = np.where(answered, codes + 1.0, np.nan)
        n = int((answered.sum(axis=1) >= 2).sum())
        _check_rows(n, file, "rows answering at least two items on the scale", "")
        cov = pd.DataFrame(scores).cov().to_numpy()  # pairwise-complete, ddof=1
        item_n = answered.sum(axis=0)
        means = np.array([scores[answered[:, i], i].mean() if item_n[i] else np.nan for i in range(k)])
        sds = np.array([scores[answered[:, i], i].std(ddof=1) if item_n[i] > 1 else np.nan
                        for i in range(k)])
        _check_pairs(cov, items, answered, file)

    _check_variances(cov, items, file)
    value = _raw_alpha(cov)
    total = cov.sum()
    diag = np.diag(cov)
    rest_var = total - 2 * cov.sum(axis=1) + diag  # sum of C without row and column i
    rest_trace = np.trace(cov) - diag
    with np.errstate(divide="ignore", invalid="ignore"):
        r_drop = np.where(rest_var > 0, (cov.sum(axis=1) - diag) / np.sqrt(diag * rest_var), np.nan)
        factor = (k - 1) / (k - 2) if k > 2 else np.nan  # alpha of one remaining item is undefined
        if_deleted = np.where(rest_var > 0, factor * (1 - rest_trace / rest_var), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):  # correlations summing to 0: std_alpha is -inf
        standardized = k / (k - 1) * (1.0 - k / (cov / np.sqrt(np.outer(diag, diag))).sum())

    low, high = _feldt(value, n, k, confidence)
    table = pd.DataFrame({
        "item": items,
        "reversed": flip,
        "n": np.asarray(item_n, dtype="int64"),
        "mean": means,
        "sd": sds,
        "r_drop": r_drop,
        "alpha_if_deleted": if_deleted,
    }, columns=list(ALPHA_ITEM_COLUMNS))
    return AlphaResult(float(value), float(standardized), float(low), float(high), n, k, missing,
                       float(confidence), table)


# -- helpers ---------------------------------------------------------------


def _check_arguments(items: list[str], reverse: list[str], missing: str, confidence_level: object,
                     weights: object = None) -> float:
    """The options of :func:`alpha`, before any answer is read; the confidence level as a float."""
    check_column_name("weights", weights)
    if weights is not None and missing != "complete":
        raise OptionError("missing", missing, "'complete' with weights",
                          "weighted alpha uses the weighted covariance of the complete rows")
    if len(items) < 2:
        raise OptionError("items", items, "at least 2 items (alpha needs at least 2)")
    repeated = sorted({str(x) for x in items if items.count(x) > 1})
    if repeated:
        raise OptionError("items", repeated, "distinct item columns", "these are listed more than once")
    stray = [x for x in reverse if x not in items]
    if stray:
        raise OptionError("reverse", stray, "columns among items", f"items are {items!r}")
    check_choice("missing", missing, MISSING_METHODS)
    return check_confidence_level(confidence_level)


def _codes(frame: pd.DataFrame, items: list[str], scale: LikertScale, file: str | None) -> np.ndarray:
    """Category numbers ``0..K-1`` as an ``(n, k)`` int16 array, -1 where blank or non-scale.

    Every problem (missing column, answer not on the scale) in one InputError.
    """
    source_rows = frame.attrs.get("source_rows")
    if source_rows is not None and len(source_rows) != len(frame):
        source_rows = None
    problems: list[Problem] = []
    for name in items:
        if name not in frame.columns:
            import difflib

            near = difflib.get_close_matches(str(name), [str(c) for c in frame.columns], n=1)
            problems.append(Problem(file, None, name, None, "a column of that name in the data",
                                    f"did you mean {near[0]!r}?" if near else "columns are: "
                                    + ", ".join(map(repr, frame.columns[:10]))))
    repeated = repeated_columns(items, frame.columns, file=file)
    if repeated:
        raise InputError(problems + repeated)
    codes = np.full((len(items), len(frame)), -1, dtype=np.int16)  # one contiguous row per item
    for j, name in enumerate(items):
        if name in frame.columns:
            found_codes, found = encode_answers(frame[name], scale, column=name, file=file, rows=source_rows)
            problems.extend(found)
            codes[j] = found_codes
    if problems:
        raise InputError(problems)
    return codes.T


def _integer_cov(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Covariance matrix (``ddof=1``) and means of integer scores, from exact integer sums.

    ``n^2 (n - 1) C = n G - s s^T`` with ``G = X^T X`` and ``s`` the column
    sums. ``G`` is one matrix product in float32, exact while every entry
    stays below ``2^24`` (rows are taken in blocks that guarantee it) and
    accumulated in int64, so ``C`` is the exactly rounded covariance of the
    scores: no centring pass, one BLAS call per block.
    """
    x = np.asarray(scores)
    n = x.shape[0]
    top = int(np.abs(x).max(initial=1))
    block = max(1, (1 << 24) // (top * top))
    gram = np.zeros((x.shape[1], x.shape[1]), dtype=np.int64)
    for first in range(0, n, block):
        part = x[first:first + block].astype(np.float32)
        gram += (part.T @ part).astype(np.int64)
    sums = x.sum(axis=0, dtype=np.int64)
    centred = n * gram - np.outer(sums, sums)  # exact integers
    return centred / (float(n) * (n - 1)), sums / n


def _weights(frame: pd.DataFrame, weights: str, file: str | None) -> np.ndarray:
    """The case weights as floats: a column of finite, non-negative numbers, not all 0."""
    if weights not in frame.columns:
        raise OptionError("weights", weights, f"a column of {file or 'the data'}")
    w = pd.to_numeric(frame[weights], errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    if bad.size:
        rows = frame.attrs.get("source_rows")
        where = (lambda p: int(rows[p])) if rows is not None and len(rows) == len(frame) else (lambda p: p + 2)
        raise InputError([Problem(file, where(int(p)), weights, frame[weights].iloc[int(p)],
                                  "a finite, non-negative case weight") for p in bad[:20]])
    return w


def _check_rows(n: int, file: str | None, what: str, hint: str) -> None:
    if n < 2:
        raise InputError([Problem(file, None, None, f"{n} such row(s)",
                                  f"at least 2 {what} to estimate alpha", hint)])


def _check_pairs(cov: np.ndarray, items: list[str], answered: np.ndarray, file: str | None) -> None:
    problems = []
    k = len(items)
    for i in range(k):
        for j in range(i + 1, k):
            if np.isnan(cov[i, j]):
                both = int((answered[:, i] & answered[:, j]).sum())
                problems.append(Problem(file, None, f"{items[i]} & {items[j]}", f"{both} row(s) answering both",
                                        "at least 2 rows answering both items for a pairwise covariance"))
    if problems:
        raise InputError(problems)


def _check_variances(cov: np.ndarray, items: list[str], file: str | None) -> None:
    problems = [
        Problem(file, None, name, "variance 0", "answers that vary across the rows used",
                "every used answer is the same category; alpha is undefined with a constant item - drop it")
        for name, var in zip(items, np.diag(cov)) if not var > 1e-12
    ]
    if not problems and not cov.sum() > 1e-12:
        problems.append(Problem(file, None, None, f"total-score variance {cov.sum():.3g}",
                                "a total score (sum of the items) that varies",
                                "the items cancel out; is an item reverse-keyed?"))
    if problems:
        raise InputError(problems)


def _raw_alpha(cov: np.ndarray) -> float:
    k = cov.shape[0]
    return k / (k - 1) * (1.0 - np.trace(cov) / cov.sum())


def _feldt(value: float, n: float, k: int, confidence: float) -> tuple[float, float]:
    from scipy.special import fdtri  # the F quantile scipy.stats.f.ppf computes; a lighter import

    p = 1.0 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1.0 - (1.0 - value) * fdtri(df1, df2, 1.0 - p / 2)
    high = 1.0 - (1.0 - value) * fdtri(df1, df2, p / 2)
    return low, high
