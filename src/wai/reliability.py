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
from wai._checks import check_choice, check_confidence_level, repeated_columns
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
    ci_low, ci_high : float
        Feldt (1965) confidence interval at level ``confidence``.
    n : int
        Rows used. ``missing="complete"``: rows answering every item on the
        scale. ``missing="pairwise"``: rows answering at least two items
        (the rows that enter at least one covariance); this ``n`` also sets
        the Feldt degrees of freedom.
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
    ci_low: float
    ci_high: float
    n: int
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
    confidence = _check_arguments(items, reverse, missing, confidence_level)
    file = file if file is not None else frame.attrs.get("source_file")
    k = len(items)
    scores = _scores(frame, items, scale, file)
    flip = np.array([name in reverse for name in items])
    scores[:, flip] = scale.points + 1 - scores[:, flip]
    answered = ~np.isnan(scores)

    if missing == "complete":
        used = scores[answered.all(axis=1)]
        n = len(used)
        _check_rows(n, file, "rows answering every item on the scale",
                    "with missing='complete' only complete rows are used; try missing='pairwise'")
        cov = np.cov(used, rowvar=False, ddof=1)
        item_n = np.full(k, n)
        means = used.mean(axis=0)
        sds = used.std(axis=0, ddof=1)
    else:
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
    r_drop = np.empty(k)
    if_deleted = np.empty(k)
    for i in range(k):
        rest = np.delete(np.delete(cov, i, axis=0), i, axis=1)
        rest_var = rest.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            r_drop[i] = (cov[i].sum() - cov[i, i]) / np.sqrt(cov[i, i] * rest_var) if rest_var > 0 else np.nan
        if_deleted[i] = _raw_alpha(rest) if k > 2 and rest_var > 0 else np.nan

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
    return AlphaResult(float(value), float(low), float(high), int(n), k, missing, float(confidence), table)


# -- helpers ---------------------------------------------------------------


def _check_arguments(items: list[str], reverse: list[str], missing: str, confidence_level: object) -> float:
    """The options of :func:`alpha`, before any answer is read; the confidence level as a float."""
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


def _scores(frame: pd.DataFrame, items: list[str], scale: LikertScale, file: str | None) -> np.ndarray:
    """Scores ``1..K`` as floats, NaN where blank or non-scale; every problem in one InputError."""
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
    scores = np.full((len(frame), len(items)), np.nan)
    for j, name in enumerate(items):
        if name in frame.columns:
            codes, found = encode_answers(frame[name], scale, column=name, file=file, rows=source_rows)
            problems.extend(found)
            scores[codes >= 0, j] = codes[codes >= 0] + 1.0
    if problems:
        raise InputError(problems)
    return scores


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


def _feldt(value: float, n: int, k: int, confidence: float) -> tuple[float, float]:
    from scipy import stats

    p = 1.0 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1.0 - (1.0 - value) * stats.f.ppf(1.0 - p / 2, df1, df2)
    high = 1.0 - (1.0 - value) * stats.f.ppf(p / 2, df1, df2)
    return low, high
