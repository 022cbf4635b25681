"""``wai.score``: raw answers in, one tidy row per item (per group) out.

Scoring is two steps, and the second is the whole of the arithmetic:

1. :func:`wai.counting.count_items` turns answers into category counts;
2. :func:`score_counts` turns counts into the exact WAI, its printed value,
   its band under both band rules, and its interval and band certainty
   (:mod:`wai.inference`).

So a table of counts from anywhere (chunks of a large file, a cluster, a
published frequency table) scores through the same code as a DataFrame.

Output columns, always the same, inputs first:

``[by]``, ``item``, ``n``, ``n_missing``, ``n_blank``, ``n_nonscale``,
``count_1..count_K``, ``wai`` (float of the exact value), ``wai_exact``
(the exact value as ``"p/q"``), ``wai_rounded`` (text, rounded half up to
``decimals``), ``band`` (under the chosen ``rule``), ``band_rounded``,
``band_exact``, ``band_depends_on_rule``, then the inference columns:

``se``
    standard error of the WAI (0..1 scale);
``ci_low``, ``ci_high``
    confidence interval;
``ci_method``
    ``"t"``, ``"bca"``, ``"multinomial"``, ``"linearization"`` (always, or
    ``"logit"``, with ``weights=``: R ``survey::svymean``) or ``"logit"``;
    with a design also ``"replicate"`` / ``"replicate-logit"``. Every
    interval lies in [0, 1]: ``"t"`` and ``"linearization"`` intervals that
    leave it are cut to it and read ``"t-truncated"`` /
    ``"linearization-truncated"``; the others stay inside by construction;
``confidence``
    the confidence level;
``n_eff``
    Kish's effective sample size (``n`` without weights);
``band_certain``
    the interval lies within the band the ``band`` column reports (same rule);
``band_share``
    share of the multinomial bootstrap distribution of the counts whose WAI
    falls in that band, computed exactly rather than drawn
    (:mod:`wai.certainty`; NaN with weights or ``band_certainty=False``).

then the box shares (:mod:`wai.shares`): ``top_box``, ``top_box_low``,
``top_box_high``, ``bottom_box``, ``bottom_box_low``, ``bottom_box_high``
(the share of the top and of the bottom two categories, one on a 2- or
3-point scale, with Wilson intervals) and ``net`` (top minus bottom).

The names never change with the arguments. Items with no answer on the
scale have empty index, band and interval cells.
"""

from __future__ import annotations

import os
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, Sequence

import numpy as np
import pandas as pd

from wai.bands import CHAPTER11_BANDS, RULES, BandScheme
from wai._checks import (check_choice, check_column_name, check_confidence_level, check_decimals, check_int,
                         check_n_resamples, check_seed, is_blank)
from wai.counts import Counts, count
from wai.errors import InputError, OptionError, Problem, ScaleError
from wai.counting import count_columns, wsq_columns
from wai.exact import round_half_up
from wai.index import wai_from_counts
from wai.inference import CI_METHODS, INFERENCE_COLUMNS, inference_arrays
from wai.scales import LikertScale, default_scale
from wai.shares import SHARE_COLUMNS, share_arrays
from wai.input.dask import is_dask_frame

if TYPE_CHECKING:
    from wai.design import Design

__all__ = ["score", "score_counts", "check_ids", "SCORE_COLUMNS", "INDEX_COLUMNS"]

INDEX_COLUMNS = (
    "wai", "wai_exact", "wai_rounded", "band", "band_rounded", "band_exact", "band_depends_on_rule",
)
"""The index and band columns :func:`score_counts` adds."""
SCORE_COLUMNS = INDEX_COLUMNS + INFERENCE_COLUMNS + SHARE_COLUMNS
"""Every column :func:`score_counts` adds, in order: index and bands, inference, then the box shares."""


def score_counts(
    counts: pd.DataFrame,
    scale: LikertScale | None = None,
    bands: BandScheme = CHAPTER11_BANDS,
    *,
    rule: Literal["rounded", "exact"] = "rounded",
    decimals: int = 2,
    ci_method: str = "t",
    confidence_level: float = 0.95,
    n_resamples: int = 9999,
    seed: int | None = 0,
    band_certainty: bool = True,
) -> pd.DataFrame:
    """Add the index, band and inference columns to a counts table.

    Parameters
    ----------
    counts : pandas.DataFrame
        Must hold ``count_1..count_K`` (K = ``scale.points``); other columns
        are kept in front. A table that also holds ``n_obs`` and
        ``wsq_1..wsq_K`` (a weighted :func:`wai.counting.count_items`) is
        weighted: its intervals are by linearization.
    scale : LikertScale, optional
        Default (``None``): the five-point Very Low .. Very High scale
        (:data:`wai.scales.LEVEL5`), as everywhere in the package.
    bands : BandScheme
    rule : {"rounded", "exact"}
        Which band rule fills the ``band`` column (and judges
        ``band_certain`` and ``band_share``). Both are always reported.
    decimals : int
        Decimals of ``wai_rounded``, 0 to :data:`wai._checks.MAX_DECIMALS`.
    ci_method : {"t", "bca", "multinomial", "linearization"}
        Interval of unweighted counts (see :func:`wai.inference.wai_interval`;
        ``"linearization"`` is ``svymean`` with unit weights). Weighted
        tables always use ``"linearization"``. Unweighted counts that are
        not whole numbers (weighted totals without ``wsq_`` columns) get
        no interval.
    confidence_level : float
        Confidence level in (0, 1) (the output column is ``confidence``).
    n_resamples, seed : int
        Bootstrap replicates and seed of the ``"bca"`` and ``"multinomial"``
        intervals, each row starting from ``default_rng(seed)``.
    band_certainty : bool
        ``True`` (default): ``band_share`` is the exact share of the
        multinomial bootstrap distribution in the band
        (:func:`wai.certainty.exact_band_shares`; no draws, so ``n_resamples``
        and ``seed`` do not enter it, except for a row too large to convolve,
        which gets the seeded bootstrap). ``False``: ``band_share`` is NaN,
        at no cost.

    Examples
    --------
    >>> t = pd.DataFrame({"item": ["t1"], "count_1": [5], "count_2": [15], "count_3": [28],
    ...                   "count_4": [37], "count_5": [14]})
    >>> r = score_counts(t)
    >>> r.loc[0, ["wai_exact", "wai_rounded", "band", "band_exact", "band_depends_on_rule"]].astype(str).tolist()
    ['119/198', '0.60', 'Neutral', 'High', 'True']
    >>> r[["se", "ci_low", "ci_high", "ci_method", "n_eff", "band_certain", "band_share"]].round(4)
           se  ci_low  ci_high ci_method  n_eff  band_certain  band_share
    0  0.0268  0.5477   0.6543         t   99.0         False      0.5537
    """
    scale = _options(scale, rule, ci_method, confidence_level, decimals, n_resamples, seed, band_certainty)
    confidence = confidence_level
    columns = count_columns(scale.points)
    missing = [c for c in columns if c not in counts.columns]
    if missing:
        raise InputError([Problem(None, None, ", ".join(missing), None,
                                  f"the columns {', '.join(columns)} of a {scale.points}-point scale",
                                  "a counts table holds count_1..count_K")])
    values = np.column_stack([counts[c].to_numpy() for c in columns])  # (a list lookup costs more than 5 columns)
    kept: dict[str, Any] = {c: counts[c] for c in counts.columns}  # the table's own columns, in front
    if "n" not in kept:
        kept["n"] = values.sum(axis=1)
    added, exacts = _index_arrays(values, scale, bands, rule, decimals)
    squares = wsq_columns(scale.points)
    weighted = "n_obs" in counts.columns and all(c in counts.columns for c in squares)
    floats = values.astype(float)
    inference = inference_arrays(
        floats, scale, bands,
        ci_method=ci_method, confidence_level=confidence, n_resamples=n_resamples, seed=seed, rule=rule,
        sum_w2=counts[squares].to_numpy(dtype=float) if weighted else None,
        n_obs=counts["n_obs"].to_numpy(dtype=float) if weighted else None, exact=exacts,
        band_certainty=band_certainty,
    )
    shares = share_arrays(floats, confidence)  # top/bottom box, net
    for name in SHARE_COLUMNS:
        shares[name] = shares[name].astype(float, copy=False)
    return pd.DataFrame({**kept, **added, **inference, **shares}, index=counts.index)


def _index_arrays(values: np.ndarray, scale: LikertScale, bands: BandScheme, rule: str,
                  decimals: int) -> tuple[dict[str, Any], list[Fraction | None]]:
    """The :data:`INDEX_COLUMNS` of every counts row, and the exact WAI of rows not done in integers.

    Whole-number rows (all of an unweighted table) are done together in
    int64: ``S = sum F_k a_k`` and ``N = n D`` with ``W_k = a_k / D``, so the
    WAI is ``S / N`` exactly; ``wai`` is the correctly rounded ``S / N``
    (both below ``2^53``, so the same double as ``float(Fraction(S, N))``),
    ``wai_exact`` is ``S/g`` over ``N/g`` with ``g = gcd(S, N)``, the printed
    value is ``floor((2|S| 10^d + N) / (2N))`` units of ``10^-d`` (half up,
    away from zero) and the bands come from integer thresholds
    (:func:`wai.certainty.classify_sums`). Other rows (weighted totals,
    numbers beyond int64) take the exact :class:`~fractions.Fraction` path;
    their Fractions are returned for :func:`wai.inference.count_inference`.
    """
    from wai.certainty import classify_sums, fits_int64, score_units

    rows = values.shape[0]
    f = values.astype(float)
    total = f.sum(axis=1)
    exacts: list[Fraction | None] = [None] * rows
    wai = np.full(rows, np.nan)
    text: list[object] = [None] * rows
    rounded: list[object] = [None] * rows
    labels = np.array(bands.labels, dtype=object)
    band: np.ndarray = np.full(rows, None, dtype=object)
    band_exact: np.ndarray = np.full(rows, None, dtype=object)
    whole = (total > 0) & np.all(np.isfinite(f) & (f == np.round(f)), axis=1) & (total < 2.0**53)
    a, d = score_units(scale.weights)
    unit = 10**decimals
    if whole.any():
        c = f[whole].astype(np.int64)
        s, den = c @ a, c.sum(axis=1) * d
        limit = max(int(np.abs(s).max()), int(den.max()))
        if limit < 2**53 and fits_int64(s, den, bands) and limit * (2 * unit + 2) < 2**62:
            at = np.flatnonzero(whole)
            g = np.gcd(s, den)
            wai[at] = s / den
            q = (2 * np.abs(s) * unit + den) // (2 * den)
            signed = np.where((s < 0) & (q != 0), -q, q)
            for i, p, r, v in zip(at.tolist(), (s // g).tolist(), (den // g).tolist(), signed.tolist()):
                text[i] = f"{p}/{r}"
                rounded[i] = str(Decimal(f"{v}E-{decimals}"))  # as round_half_up prints it
            band[at] = labels[classify_sums(s, den, bands, "rounded")]
            band_exact[at] = labels[classify_sums(s, den, bands, "exact")]
        else:
            whole[:] = False
    for i in np.flatnonzero((total > 0) & ~whole).tolist():
        exact = wai_from_counts(values[i].tolist(), scale)
        verdict = bands.classify_both(exact)
        exacts[i] = exact
        wai[i] = float(exact)
        text[i] = f"{exact.numerator}/{exact.denominator}"
        rounded[i] = str(round_half_up(exact, decimals))
        band[i], band_exact[i] = verdict.band, verdict.band_exact
    depends = pd.array([None if b is None else b != e for b, e in zip(band, band_exact)], dtype="boolean")
    added = {
        "wai": wai, "wai_exact": text, "wai_rounded": rounded,
        "band": band if rule == "rounded" else band_exact, "band_rounded": band, "band_exact": band_exact,
        "band_depends_on_rule": depends,
    }
    return added, exacts


def _options(scale: LikertScale | None, rule: object, ci_method: object, confidence_level: object,
             decimals: object, n_resamples: object, seed: object, band_certainty: object = True) -> LikertScale:
    """Check the options :func:`score` and :func:`score_counts` share; the scale, defaulted."""
    if not isinstance(band_certainty, (bool, np.bool_)):
        raise OptionError("band_certainty", band_certainty, "True or False",
                          "False leaves band_share NaN (no band certainty computed)")
    check_choice("rule", rule, RULES)
    check_choice("ci_method", ci_method, CI_METHODS)
    check_confidence_level(confidence_level)
    check_decimals(decimals)
    check_n_resamples(n_resamples)
    check_seed(seed)
    return default_scale(scale)


def score(
    frame: "pd.DataFrame | Counts | str | os.PathLike",
    items: Sequence[str] | None = None,
    scale: LikertScale | None = None,
    by: str | None = None,
    *,
    bands: BandScheme = CHAPTER11_BANDS,
    rule: Literal["rounded", "exact"] = "rounded",
    decimals: int = 2,
    weights: str | None = None,
    file: str | None = None,
    ci_method: str = "t",
    confidence_level: float = 0.95,
    n_resamples: int = 9999,
    seed: int | None = 0,
    chunksize: int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    nonresponse: Literal["exclude", "as_zero"] = "exclude",
    id: str | bool | None = None,
    design: "Design | None" = None,
    band_certainty: bool = True,
) -> pd.DataFrame:
    """Score Likert items: the WAI, band and interval of every item, per group if asked.

    Parameters
    ----------
    frame : pandas.DataFrame, dask.dataframe.DataFrame, Counts or path
        One row per respondent, or the :class:`~wai.counts.Counts` of such
        a frame (:func:`wai.count`), which then gives ``items``, ``scale``,
        ``by`` and ``weights`` (pass them only to agree with it). Item columns hold labels (any case and
        spacing), synonyms, numeric codes, blanks or declared non-scale
        answers such as "Don't know". A path is read with
        :func:`wai.input.readers.read_responses` (CSV, Excel, SPSS, Stata;
        :func:`wai.input.chunked.count_file`), or, for
        a CSV with ``chunksize``, streamed in chunks
        (:func:`wai.input.chunked.count_csv`); a dask DataFrame is counted on
        its cluster (:func:`wai.input.dask.count_dask`). All three give the
        same counts, so the same result.
    items : sequence of str
        Item columns to score (required unless ``frame`` is a Counts).
    scale : LikertScale, optional
        Default (``None``): the five-point Very Low .. Very High scale
        (:data:`wai.scales.LEVEL5`), as everywhere in the package.
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
        Column of case weights; counts become weighted totals, and the
        interval is the design-based one of R's ``survey::svymean`` with
        ``svydesign(ids=~1, weights=~w)`` (``ci_method`` is then
        ``"linearization"`` whatever was asked; ``band_share`` is NaN).
    file : str, optional
        File name used in error messages.
    nonresponse : {"exclude", "as_zero"}
        ``"exclude"`` (default): blanks and non-scale answers leave the
        denominator. ``"as_zero"``: they stay in it with weight 0, as some
        software does; they are then added to ``count_1`` (the weight-0
        category) and to ``n``, while ``n_blank`` and ``n_nonscale`` still
        say how many they were. Needs a scale whose lowest weight is 0, and
        no ``weights``.
    chunksize : int, optional
        Rows per chunk when ``frame`` is a CSV path too large for memory.
    encoding, delimiter : str, optional
        How to read a CSV path (default: UTF-8, delimiter detected).
    ci_method : {"t", "bca", "multinomial", "linearization", "logit"}
        Interval method without weights (default ``"t"``, closed form,
        cut to [0, 1] and flagged when it leaves it; ``"logit"``: the t
        interval on the logit scale); see :func:`wai.inference.wai_interval`.
    confidence_level : float
        Confidence level in (0, 1) (the output column is ``confidence``).
    n_resamples : int
        Bootstrap replicates (``"bca"``, ``"multinomial"``; ``band_share``
        only for a row too large to compute exactly).
    seed : int or None
        Seed of the bootstrap; every row starts from ``default_rng(seed)``.
    id : str, bool or None
        Column of respondent ids, each to be used once: a duplicate is an
        :class:`~wai.errors.InputError` naming its row and the row it first
        appeared on (blank ids are not compared). ``None`` (default): the
        first column whose whole name says it is an id (``id``,
        ``respondent_id``, ``Case ID``: :func:`wai.study.draft.is_id_name`),
        if any; ``False``: no check. One vectorised pass over the column,
        before counting. Checked on a DataFrame only: a file path or a dask
        frame, counted without holding its rows, is not checked (an explicit
        ``id`` is then refused with :class:`~wai.errors.OptionError`).
    design : wai.Design, optional
        A survey design (strata, clusters, fpc, frequency weights,
        replicate weights; :mod:`wai.design`), in place of ``weights``.
        Groups (``by``) are domains of the whole design, as R's ``svyby``;
        ``se`` is the design's (linearization or replicates), the interval
        normal (cut to [0, 1], flagged) or, with ``ci_method="logit"``, on
        the logit scale; ``band_share`` is the share of replicates in the
        band. With frequency weights only every column equals that of the
        expanded rows. ``frame`` may also be the
        :class:`~wai.design.DesignCounts` of :func:`wai.design.count_design`.
    band_certainty : bool
        ``True`` (default): ``band_share``, the exact share of the
        multinomial bootstrap distribution in the reported band (see
        :func:`score_counts`). ``False``: skip it (``band_share`` NaN).

    Returns
    -------
    pandas.DataFrame
        Columns as listed in :mod:`wai.scoring`.

    Raises
    ------
    wai.errors.OptionError
        A bad option (``rule``, ``ci_method``, ``confidence_level``,
        ``decimals``, ``n_resamples``, ``seed``, ``nonresponse``,
        ``chunksize``, ``by``, ``weights``, ``id``), before any data is read.
    wai.errors.InputError
        Every missing column and every answer not on the scale, in one error;
        or the rows of a duplicate respondent id.

    Examples
    --------
    >>> import wai
    >>> df = pd.DataFrame({"q1": ["High", "very high", "Neutral", None],
    ...                    "q2": ["Low", "Don't know", "low", "Very Low"]})
    >>> wai.score(df, ["q1", "q2"])[["item", "n", "n_missing", "wai_rounded", "band"]]
      item  n  n_missing wai_rounded      band
    0   q1  3          1        0.75      High
    1   q2  3          1        0.17  Very Low
    >>> wai.score(df, ["q1", "q2"])[["item", "se", "ci_low", "ci_high", "ci_method"]].round(3)
      item     se  ci_low  ci_high    ci_method
    0   q1  0.144   0.129    1.000  t-truncated
    1   q2  0.083   0.000    0.525  t-truncated
    >>> wai.score(df, ["q1", "q2"], ci_method="logit")[["item", "ci_low", "ci_high", "ci_method"]].round(3)
      item  ci_low  ci_high ci_method
    0   q1   0.099    0.988     logit
    1   q2   0.015    0.726     logit
    """
    # every option, before counting a large frame
    checked_scale = _options(scale, rule, ci_method, confidence_level, decimals, n_resamples, seed, band_certainty)
    check_choice("nonresponse", nonresponse, ("exclude", "as_zero"))
    if chunksize is not None:
        check_int("chunksize", chunksize, 1, what="a whole number of rows")
    check_column_name("by", by)
    check_column_name("weights", weights)
    planned = frame.scale if isinstance(frame, Counts) else checked_scale
    if nonresponse == "as_zero" and (planned.weights[0] != 0 or weights or getattr(frame, "weighted", False)):
        raise ScaleError("nonresponse='as_zero' gives non-answers weight 0: it needs a scale whose lowest "
                         "weight is 0, and no case weights")
    check_ids(frame, id, file=file)
    if design is not None:
        if weights is not None or nonresponse != "exclude":
            raise OptionError("weights" if weights is not None else "nonresponse",
                              weights if weights is not None else nonresponse,
                              "no weights= and nonresponse='exclude' with design=", "give Design(weights=...)")
        from wai.design_score import count_with_design, score_design

        designed = count_with_design(frame, items, scale, by, design, file=file, chunksize=chunksize,
                                     encoding=encoding, delimiter=delimiter)
        return score_design(designed, bands, rule=rule, decimals=decimals, ci_method=ci_method,
                            confidence_level=confidence_level, n_resamples=n_resamples, seed=seed)
    counted = _counts(frame, items, scale, by, weights=weights, file=file, chunksize=chunksize,
                      encoding=encoding, delimiter=delimiter)
    scale, by, weights = counted.scale, counted.by, counted.weights
    counts = counted.table
    lead = ([by] if by else []) + ["item", "n", "n_missing", "n_blank", "n_nonscale"]
    extra = (["n_obs"] + wsq_columns(scale.points)) if weights else []
    order = lead + count_columns(scale.points) + extra
    if list(counts.columns) != order:
        counts = counts[order]
    if nonresponse == "as_zero":
        counts = counts.assign(count_1=counts["count_1"] + counts["n_missing"], n=counts["n"] + counts["n_missing"])
    scored = score_counts(counts, scale, bands, rule=rule, decimals=decimals, ci_method=ci_method,
                          confidence_level=confidence_level, n_resamples=n_resamples, seed=seed,
                          band_certainty=band_certainty)
    return scored.drop(columns=extra) if extra else scored


def check_ids(frame: object, id: str | bool | None = None, *, file: str | None = None) -> str | None:
    """Check a frame's respondent ids are used once (see ``id`` of :func:`score`); returns the id column.

    >>> check_ids(pd.DataFrame({"id": ["r1", "r2", "r1"], "q1": ["Low", "High", "Low"]}))
    Traceback (most recent call last):
    ...
    wai.errors.InputError: 1 problem(s) in the input:
      - <data>, row 4, column 'id': got 'r1', expected a respondent id used once (first on row 2)
    """
    if id is False:
        return None
    if id is not None and id is not True:
        check_column_name("id", id)
    if not isinstance(frame, pd.DataFrame):
        if isinstance(id, str):
            raise OptionError("id", id, "no id with a file path, a dask frame or Counts",
                              "duplicate ids are checked on a DataFrame in memory: read the file first "
                              "(wai.read_responses), or leave id out")
        return None
    if not isinstance(id, str):
        from wai.study.draft import is_id_name

        id = next((str(c) for c in frame.columns if is_id_name(c)), None)
        if id is None:
            return None
    if id not in frame.columns:
        raise OptionError("id", id, f"a column of {file or 'the data'}")
    column = frame[id]
    if isinstance(column, pd.DataFrame):  # a duplicated column name: its first column
        column = column.iloc[:, 0]
    try:
        text = column.astype("string")
    except (UnicodeDecodeError, TypeError, ValueError, ArithmeticError):  # bytes not in UTF-8, Decimal sNaN, ...
        text = column.map(lambda v: None if is_blank(v) else str(v)).astype("string")
    ids = text.str.strip().reset_index(drop=True)
    ids = ids.mask(ids == "")
    repeated = ids.duplicated(keep="first").to_numpy() & ids.notna().to_numpy()
    if not repeated.any():
        return id
    first = ids[ids.notna()].drop_duplicates(keep="first")
    first_at = dict(zip(first, map(int, first.index)))
    rows = frame.attrs.get("source_rows")
    row = (lambda p: int(rows[p])) if rows is not None and len(rows) == len(frame) else (lambda p: p + 2)
    problems = [Problem(file, row(p), id, column.iloc[p],
                        f"a respondent id used once (first on row {row(first_at[ids.iloc[p]])})")
                for p in map(int, repeated.nonzero()[0])]
    raise InputError(problems)


def _counts(frame: "pd.DataFrame | Counts | str | os.PathLike", items: Sequence[str] | None,
            scale: LikertScale | None, by: str | None, *, weights: str | None, file: str | None,
            chunksize: int | None, encoding: str | None, delimiter: str | None) -> Counts:
    """The counts of whatever ``score`` was given: a Counts as it is, else counted once."""
    if isinstance(frame, Counts):
        asked = {"items": (items, frame.items), "scale": (scale, frame.scale), "by": (by, frame.by),
                 "weights": (weights, frame.weights)}
        for name, (given, held) in asked.items():
            if given is not None and (tuple(given) if name == "items" else given) != held:  # type: ignore[arg-type]
                raise OptionError(name, given, f"{held!r}, as the Counts were made (or leave it out)")
        return frame
    if items is None:
        raise OptionError("items", None, "the item columns to score (a sequence of column names)")
    scale = default_scale(scale)
    if isinstance(frame, (str, os.PathLike)):
        if chunksize is not None:
            from wai.input.chunked import count_csv

            table = count_csv(frame, items, scale, by, weights=weights, chunksize=chunksize, encoding=encoding,
                              delimiter=delimiter)
        else:
            from wai.input.chunked import count_file

            table = count_file(frame, items, scale, by, weights=weights, encoding=encoding, delimiter=delimiter,
                               file=file)
        return Counts(table, scale, by, weights)
    if is_dask_frame(frame):
        from wai.input.dask import count_dask

        return Counts(count_dask(frame, items, scale, by, weights=weights), scale, by, weights)
    return count(frame, items, scale, by, weights=weights, file=file)
