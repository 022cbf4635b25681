"""``wai.score``: raw answers in, one tidy row per item (per group) out.

Scoring is two steps, and the second is the whole of the arithmetic:

1. :func:`wai.counting.count_items` turns answers into category counts;
2. :func:`score_counts` turns counts into the exact WAI, its printed value
   and its band under both band rules.

So a table of counts from anywhere (chunks of a large file, a cluster, a
published frequency table) scores through the same code as a DataFrame.

Output columns, always the same, inputs first:

``[by]``, ``item``, ``n``, ``n_missing``, ``n_blank``, ``n_nonscale``,
``count_1..count_K``, ``wai`` (float of the exact value), ``wai_exact``
(the exact value as ``"p/q"``), ``wai_rounded`` (text, rounded half up to
``decimals``), ``band`` (under the chosen ``rule``), ``band_rounded``,
``band_exact``, ``band_depends_on_rule``.

Items with no answer on the scale have empty index and band cells.
"""

from __future__ import annotations

from typing import Literal, Sequence

import pandas as pd

from wai.bands import CHAPTER11_BANDS, RULES, BandScheme
from wai.counting import count_columns, count_items
from wai.exact import round_half_up
from wai.index import wai_from_counts
from wai.scales import LEVEL5, LikertScale

__all__ = ["score", "score_counts", "SCORE_COLUMNS"]

SCORE_COLUMNS = (
    "wai", "wai_exact", "wai_rounded", "band", "band_rounded", "band_exact", "band_depends_on_rule",
)


def score_counts(
    counts: pd.DataFrame,
    scale: LikertScale = LEVEL5,
    bands: BandScheme = CHAPTER11_BANDS,
    *,
    rule: Literal["rounded", "exact"] = "rounded",
    decimals: int = 2,
) -> pd.DataFrame:
    """Add the index and band columns to a counts table.

    Parameters
    ----------
    counts : pandas.DataFrame
        Must hold ``count_1..count_K`` (K = ``scale.points``); other columns
        are kept in front.
    scale, bands : LikertScale, BandScheme
    rule : {"rounded", "exact"}
        Which band rule fills the ``band`` column. Both are always reported.
    decimals : int
        Decimals of ``wai_rounded``.

    Examples
    --------
    >>> t = pd.DataFrame({"item": ["t1"], "count_1": [5], "count_2": [15], "count_3": [28],
    ...                   "count_4": [37], "count_5": [14]})
    >>> r = score_counts(t)
    >>> r.loc[0, ["wai_exact", "wai_rounded", "band", "band_exact", "band_depends_on_rule"]].astype(str).tolist()
    ['119/198', '0.60', 'Neutral', 'High', 'True']
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, got {rule!r}")
    columns = count_columns(scale.points)
    missing = [c for c in columns if c not in counts.columns]
    if missing:
        raise ValueError(f"counts table lacks {missing}; a {scale.points}-point scale needs {columns}")
    rows = []
    for values in counts[columns].itertuples(index=False, name=None):
        if sum(values) == 0:
            rows.append((float("nan"), None, None, None, None, None, None))
            continue
        exact = wai_from_counts(values, scale)
        verdict = bands.classify_both(exact)
        rows.append((
            float(exact),
            f"{exact.numerator}/{exact.denominator}",
            str(round_half_up(exact, decimals)),
            verdict.band if rule == "rounded" else verdict.band_exact,
            verdict.band,
            verdict.band_exact,
            verdict.depends_on_rule,
        ))
    out = counts.copy()
    if "n" not in out.columns:
        out["n"] = out[columns].sum(axis=1)
    added = pd.DataFrame(rows, columns=list(SCORE_COLUMNS), index=out.index)
    added["band_depends_on_rule"] = added["band_depends_on_rule"].astype("boolean")
    return pd.concat([out, added], axis=1)


def score(
    frame: pd.DataFrame,
    items: Sequence[str],
    scale: LikertScale = LEVEL5,
    by: str | None = None,
    *,
    bands: BandScheme = CHAPTER11_BANDS,
    rule: Literal["rounded", "exact"] = "rounded",
    decimals: int = 2,
    weights: str | None = None,
    file: str | None = None,
) -> pd.DataFrame:
    """Score Likert items: the WAI and band of every item, per group if asked.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent. Item columns hold labels (any case and
        spacing), synonyms, numeric codes, blanks or declared non-scale
        answers such as "Don't know".
    items : sequence of str
        Item columns to score.
    scale : LikertScale
        Default: the five-point Very Low .. Very High scale.
    by : str, optional
        Group column; the result has one row per group and item, the group
        column keeping its name.
    bands : BandScheme
        Default: chapter 11's five bands.
    rule : {"rounded", "exact"}
        Band rule for the ``band`` column (see :mod:`wai.bands`).
    decimals : int
        Decimals of ``wai_rounded``.
    weights : str, optional
        Column of case weights; counts become weighted totals.
    file : str, optional
        File name used in error messages.

    Returns
    -------
    pandas.DataFrame
        Columns as listed in :mod:`wai.scoring`.

    Raises
    ------
    wai.errors.InputError
        Every missing column and every answer not on the scale, in one error.

    Examples
    --------
    >>> import wai
    >>> df = pd.DataFrame({"q1": ["High", "very high", "Neutral", None],
    ...                    "q2": ["Low", "Don't know", "low", "Very Low"]})
    >>> wai.score(df, ["q1", "q2"])[["item", "n", "n_missing", "wai_rounded", "band"]]
      item  n  n_missing wai_rounded      band
    0   q1  3          1        0.75      High
    1   q2  3          1        0.17  Very Low
    """
    counts = count_items(frame, items, scale, by, weights=weights, file=file)
    lead = ([by] if by else []) + ["item", "n", "n_missing", "n_blank", "n_nonscale"]
    counts = counts[lead + count_columns(scale.points)]
    return score_counts(counts, scale, bands, rule=rule, decimals=decimals)
