"""From raw answers to category counts: the count-based core's only contact with rows.

:func:`encode_answers` turns a column of raw answers (labels in any case
and spacing, synonyms, numeric codes, blanks, "Don't know") into small
integer category codes, mapping each *distinct* answer once. Unknown answers
are collected as :class:`~wai.errors.Problem` records naming their row.

:func:`count_categories` turns codes into counts with one ``bincount`` per
item (per group too), and :func:`count_items` does both for a whole frame,
returning the tidy counts table every estimate is computed from. Counts
add: the counts of two chunks of a file sum to the counts of the file.

Rows are reported as a spreadsheet shows them: the header is row 1, the
first respondent row 2.

Examples
--------
>>> import pandas as pd
>>> from wai.scales import LikertScale
>>> s = LikertScale(("No", "Maybe", "Yes"))
>>> df = pd.DataFrame({"q1": ["yes", "No", " YES", None, "Don't know"]})
>>> count_items(df, ["q1"], s)[["item", "count_1", "count_2", "count_3", "n", "n_blank", "n_nonscale"]]
  item  count_1  count_2  count_3  n  n_blank  n_nonscale
0   q1        1        0        2  3        1           1
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from wai.errors import InputError, Problem
from wai.scales import MISSING, NON_SCALE, LikertScale

__all__ = [
    "encode_answers", "count_categories", "count_items", "count_columns", "wsq_columns", "FIRST_DATA_ROW",
]

FIRST_DATA_ROW = 2
"""Spreadsheet row number of the first respondent (the header is row 1)."""

_MAX_ROWS_PER_UNKNOWN = 20


def count_columns(points: int) -> list[str]:
    """Names of the count columns, lowest category first.

    >>> count_columns(3)
    ['count_1', 'count_2', 'count_3']
    """
    return [f"count_{k}" for k in range(1, points + 1)]


def wsq_columns(points: int) -> list[str]:
    """Names of the sum-of-squared-weights columns of a weighted counts table, lowest category first.

    >>> wsq_columns(3)
    ['wsq_1', 'wsq_2', 'wsq_3']
    """
    return [f"wsq_{k}" for k in range(1, points + 1)]


def encode_answers(
    answers: pd.Series,
    scale: LikertScale,
    *,
    column: str | None = None,
    file: str | None = None,
    rows: Sequence[int] | None = None,
) -> tuple[np.ndarray, list[Problem]]:
    """Category codes of raw answers, and the problems found.

    Returns
    -------
    codes : numpy.ndarray of int8
        ``0..K-1`` for scale answers, ``MISSING`` (-1) for blanks,
        ``NON_SCALE`` (-2) for declared non-scale answers. Unknown answers
        are coded ``MISSING`` and reported in ``problems``.
    problems : list of Problem
        One per row holding an answer that is not on the scale (at most 20
        rows per distinct unknown answer, then one summary). Rows are
        ``rows[position]`` when given (a file's own row numbers), else
        ``position + 2``.

    Examples
    --------
    >>> from wai.scales import LEVEL5
    >>> codes, problems = encode_answers(pd.Series(["High", "hgh", 5]), LEVEL5, column="q")
    >>> codes.tolist(), str(problems[0])
    ([3, -1, 4], "<data>, row 3, column 'q': got 'hgh', expected one of 'Very Low', 'Low', 'Neutral', 'High', 'Very High' (or codes 1, 2, 3, 4, 5) (did you mean 'High'?)")
    """
    positions, uniques = pd.factorize(answers, use_na_sentinel=True)
    lut = np.empty(len(uniques) + 1, dtype=np.int8)
    lut[-1] = MISSING  # factorize's sentinel -1 indexes the last slot
    problems: list[Problem] = []
    unknown: list[int] = []
    for j, value in enumerate(uniques):
        try:
            lut[j] = scale.category_of(value)
        except KeyError:
            lut[j] = MISSING
            unknown.append(j)
    codes = lut[positions]
    name = column if column is not None else str(answers.name)
    for j in unknown:
        value = uniques[j]
        code = _as_number(value)
        if code is not None:
            hint = (f"code {code:g} is outside the scale's codes {scale.codes[0]}..{scale.codes[-1]}"
                    if code.is_integer() else "codes are whole numbers")
        else:
            suggestion = scale.suggest(value)
            hint = f"did you mean {suggestion!r}?" if suggestion else ""
        where = np.flatnonzero(positions == j)
        for r in where[:_MAX_ROWS_PER_UNKNOWN]:
            row = int(rows[r]) if rows is not None else int(r) + FIRST_DATA_ROW
            problems.append(Problem(file, row, name, _plain(value), scale.allowed(), hint))
        if len(where) > _MAX_ROWS_PER_UNKNOWN:
            problems.append(
                Problem(file, None, name, _plain(value), scale.allowed(),
                        f"{len(where) - _MAX_ROWS_PER_UNKNOWN} more rows hold this answer")
            )
    problems.sort(key=lambda p: (p.row is None, p.row or 0))
    return codes, problems


def _as_number(value: object) -> float | None:
    """The value as a number if it is one (or numeric text), else None."""
    if isinstance(value, (bool, np.bool_)):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def _plain(value: object) -> object:
    """A numpy scalar as a plain Python value, for readable messages."""
    return value.item() if isinstance(value, np.generic) else value


def count_categories(
    codes: np.ndarray,
    points: int,
    groups: np.ndarray | None = None,
    n_groups: int = 1,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Counts per group: an array ``(n_groups, points + 2)``.

    Columns are ``[non-scale, blank, category 1, ..., category K]``. With
    ``weights`` the counts are weighted totals (floats).

    >>> count_categories(np.array([0, 2, 2, -1, -2]), 3).tolist()
    [[1, 1, 1, 0, 2]]
    >>> count_categories(np.array([0, 2, 1]), 3, groups=np.array([0, 1, 1]), n_groups=2).tolist()
    [[0, 0, 1, 0, 0], [0, 0, 0, 1, 1]]
    """
    width = points + 2
    slot = codes.astype(np.int64) + 2
    if groups is not None:
        slot = groups.astype(np.int64) * width + slot
    flat = np.bincount(slot, weights=weights, minlength=n_groups * width)
    return flat.reshape(n_groups, width)


def _group_codes(frame: pd.DataFrame, by: str) -> tuple[np.ndarray, pd.Index]:
    column = frame[by]
    if isinstance(column.dtype, pd.CategoricalDtype):
        cat = column
    else:
        cat = column.astype("category")
    values = cat.cat.categories
    codes = cat.cat.codes.to_numpy()
    if (codes < 0).any():  # blank group values form a group of their own, last
        values = values.append(pd.Index([np.nan]))
        codes = np.where(codes < 0, len(values) - 1, codes)
    return codes, values


def count_items(
    frame: pd.DataFrame,
    items: Sequence[str],
    scale: LikertScale,
    by: str | None = None,
    *,
    weights: str | None = None,
    file: str | None = None,
) -> pd.DataFrame:
    """The tidy counts table: one row per item (per group), one column per category.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent, raw answers in the item columns.
    items : sequence of str
        The item columns, all on ``scale``.
    scale : LikertScale
    by : str, optional
        A column whose values split the respondents into groups; it keeps
        its name in the output.
    weights : str, optional
        A column of non-negative case weights; counts become weighted totals,
        and the table gains what a design-based standard error needs.
    file : str, optional
        Name of the file the frame came from, for error messages.

    Returns
    -------
    pandas.DataFrame
        Columns ``[by], item, count_1..count_K, n, n_blank, n_nonscale,
        n_missing``. ``n`` is the number of answers on the scale (the index's
        denominator); ``n_missing = n_blank + n_nonscale``.

        With ``weights`` the counts, ``n``, ``n_blank``, ``n_nonscale`` and
        ``n_missing`` are sums of weights (floats), and two more groups of
        columns follow: ``n_obs``, the *unweighted* number of answers on the
        scale (int), and ``wsq_1..wsq_K``, the sum of squared weights of the
        answers in each category. With ``count_k`` = sum of w, these give the
        survey-weighted WAI's linearization standard error
        (:func:`wai.inference.weighted_wai`) and Kish's effective n. An
        unweighted table has neither: there every weight is 1, so
        ``wsq_k = count_k`` and ``n_obs = n``. All columns add across chunks
        of a file.

    Examples
    --------
    >>> from wai.scales import LEVEL5
    >>> df = pd.DataFrame({"q": ["High", "Low", "High"], "w": [0.5, 1.5, 2.0]})
    >>> count_items(df, ["q"], LEVEL5, weights="w")[["count_2", "count_4", "n", "n_obs", "wsq_2", "wsq_4"]]
       count_2  count_4    n  n_obs  wsq_2  wsq_4
    0      1.5      2.5  4.0      3   2.25   4.25

    Raises
    ------
    InputError
        Listing every missing column and every answer not on the scale.
    """
    file = file if file is not None else frame.attrs.get("source_file")
    source_rows = frame.attrs.get("source_rows")
    if source_rows is not None and len(source_rows) != len(frame):
        source_rows = None
    problems: list[Problem] = []
    wanted = list(items) + ([by] if by else []) + ([weights] if weights else [])
    for name in wanted:
        if name not in frame.columns:
            import difflib

            near = difflib.get_close_matches(str(name), [str(c) for c in frame.columns], n=1)
            problems.append(Problem(file, None, name, None, "a column of that name in the data",
                                    f"did you mean {near[0]!r}?" if near else "columns are: " +
                                    ", ".join(map(repr, frame.columns[:10]))))
    absent = {p.column for p in problems}
    if (by and by in absent) or (weights and weights in absent):
        raise InputError(problems)

    w = None
    if weights:
        w = pd.to_numeric(frame[weights], errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
        for r in bad[:_MAX_ROWS_PER_UNKNOWN]:
            row = int(source_rows[r]) if source_rows is not None else int(r) + FIRST_DATA_ROW
            problems.append(Problem(file, row, weights, _plain(frame[weights].iloc[r]),
                                    "a non-negative number (a case weight)"))
    if by:
        group_codes, group_values = _group_codes(frame, by)
    else:
        group_codes, group_values = None, pd.Index([None])
    n_groups = len(group_values)

    blocks, plain_blocks, square_blocks = [], [], []
    for item in items:
        if item in absent:
            continue
        codes, found = encode_answers(frame[item], scale, column=item, file=file, rows=source_rows)
        problems.extend(found)
        blocks.append(count_categories(codes, scale.points, group_codes, n_groups, w))
        if w is not None and not found:
            plain_blocks.append(count_categories(codes, scale.points, group_codes, n_groups))
            square_blocks.append(count_categories(codes, scale.points, group_codes, n_groups, w * w))
    if problems:
        raise InputError(problems)

    k = scale.points

    def rows_of(parts: list[np.ndarray]) -> np.ndarray:
        if not parts:
            return np.zeros((0, k + 2))
        return np.stack(parts, axis=1).reshape(len(items) * n_groups, k + 2)

    table = rows_of(blocks)
    # rows ordered group-major: group 0 items..., group 1 items...
    out = pd.DataFrame(table[:, 2:], columns=count_columns(k))
    if not weights:
        out = out.astype("int64")
    out.insert(0, "item", list(items) * n_groups)
    if by:
        out.insert(0, by, np.repeat(np.asarray(group_values, dtype=object), len(items)))
    out["n"] = out[count_columns(k)].sum(axis=1)
    out["n_blank"] = table[:, 1] if weights else table[:, 1].astype("int64")
    out["n_nonscale"] = table[:, 0] if weights else table[:, 0].astype("int64")
    out["n_missing"] = out["n_blank"] + out["n_nonscale"]
    if weights:
        out["n_obs"] = rows_of(plain_blocks)[:, 2:].sum(axis=1).astype("int64")
        squares = pd.DataFrame(rows_of(square_blocks)[:, 2:], columns=wsq_columns(k), index=out.index)
        out = pd.concat([out, squares], axis=1)
    return out
