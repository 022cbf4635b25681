"""Survey designs as R's ``survey`` package has them, estimated from counts.

A :class:`Design` names the columns of a sample design -- case weights,
strata, clusters (primary sampling units, PSUs), finite-population
corrections, frequency weights and replicate weights -- as R's
``svydesign(ids=, strata=, weights=, fpc=)`` and ``svrepdesign(repweights=,
type=)`` take them. :func:`count_design` turns a frame of raw answers into
:class:`DesignCounts`: weighted counts per stratum x cluster x group x item x
category (and per replicate column), the only thing every design-based
estimate here needs. Counts of chunks add (:meth:`DesignCounts.combine`), so
a file streamed in chunks, a dask frame and a frame in memory give the same
numbers.

==============================  ==============================================
function                        what it gives
==============================  ==============================================
:class:`Design`                 the design: which column is what, how lonely
                                PSUs and replicates are treated
:func:`count_design`            the :class:`DesignCounts` of a frame
:func:`linearized_wai`          WAI and Taylor-linearization variance of every
                                (group, item), ``survey::svymean``/``svyby``
:func:`replicate_wai`           WAI of every replicate and the replicate
                                variance, ``svrepdesign`` (JK1, JKn, BRR, Fay,
                                bootstrap)
:func:`design_inference`        the inference columns of :func:`wai.score`
                                under a design
==============================  ==============================================

The WAI is a ratio mean ``R = sum w_i y_i / sum w_i`` of the answers scored
``y_i = W_k``. Its linearization variable is ``z_i = w_i (y_i - R) / sum w``
(0 outside the domain), and the variance of a stratified cluster sample,
first-stage PSUs drawn with replacement (or without, with ``fpc``), is::

    var = sum_h (1 - f_h) n_h / (n_h - 1) sum_c (z_hc - mean_h z)^2

with ``z_hc`` the PSU totals of ``z``. A PSU total is ``sum_k S_hck (W_k -
R) / sum w``, ``S_hck`` the weighted count of category ``k`` in the PSU: so
counts per stratum x cluster x category are enough. Without clusters every
row is a PSU, and ``sum_c z_c^2 = sum_k Q_hk (W_k - R)^2 / (sum w)^2`` with
``Q_hk`` the stratum's sum of squared weights: counts per stratum suffice.

Examples
--------
>>> import pandas as pd
>>> from wai.scales import LikertScale
>>> s = LikertScale(("No", "Maybe", "Yes"))
>>> df = pd.DataFrame({"q": ["No", "Yes", "Maybe", "Yes", "Yes", "No"],
...                    "w": [1.0, 2.0, 1.0, 1.0, 2.0, 1.0], "st": ["a", "a", "a", "b", "b", "b"]})
>>> dc = count_design(df, ["q"], s, Design(weights="w", strata="st"))
>>> est, var = linearized_wai(dc)
>>> round(float(est[0]), 6), round(float(var[0]) ** 0.5, 6)
(0.6875, 0.206404)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from wai._checks import check_choice, check_column_name, check_confidence_level, is_blank
from wai.errors import InputError, OptionError, Problem
from wai.scales import LikertScale

__all__ = [
    "Design", "DesignCounts", "LONELY_PSU", "REPLICATE_METHODS", "count_design", "linearized_wai",
    "replicate_wai", "design_inference", "design_variance", "design_rank_test", "combine_design_counts",
    "design_category_intervals",
]

LONELY_PSU: tuple[str, ...] = ("fail", "remove", "certainty", "adjust", "average")
"""Choices for a stratum with one PSU, as R's ``options(survey.lonely.psu=)``."""
REPLICATE_METHODS: tuple[str, ...] = ("JK1", "JKn", "BRR", "Fay", "bootstrap")
"""Replicate-weight methods, as R's ``svrepdesign(type=)``."""

_MAX_ROWS_LISTED = 20


@dataclass(frozen=True)
class Design:
    """A survey design: which column is what (R's ``svydesign`` / ``svrepdesign``).

    Parameters
    ----------
    weights : str, optional
        Column of sampling weights (inverse inclusion probabilities); every
        row weighs 1 without it (R would derive weights from ``fpc``; give
        them here).
    strata : str, optional
        Column of strata (``svydesign(strata=)``).
    clusters : str, optional
        Column of first-stage clusters, the PSUs (``svydesign(ids=)``); each
        row is its own PSU without it. Clusters are taken as nested in strata
        (``nest=TRUE``): cluster 1 of stratum a and of stratum b are two PSUs.
        One stage only: the variance is that of the first stage, as R's
        ``svydesign`` gives without ``fpc`` for later stages.
    fpc : str, optional
        Column of finite-population corrections, constant within a stratum:
        the number of PSUs in the stratum's population, or, when every value
        is at most 1, the sampling fraction (as R's ``fpc=``).
    frequency : str, optional
        Column of frequency weights: a row with frequency ``f`` (a whole
        number, at least 0) stands for ``f`` identical rows, each its own PSU
        unless ``clusters`` puts them in one. Every result equals that of the
        expanded rows.
    replicates : sequence of str
        Columns of replicate weights (full weights, ``combined.weights=TRUE``).
        Cannot be combined with ``strata``, ``clusters`` or ``fpc``.
    replicate_method : {"JK1", "JKn", "BRR", "Fay", "bootstrap"}
        How the replicates are combined, as ``svrepdesign(type=)``: variance
        ``scale * sum_r rscales_r (theta_r - centre)^2`` with ``scale`` =
        ``(R - 1)/R`` (JK1), 1 (JKn, ``replicate_rscales`` required),
        ``1/R`` (BRR), ``1/(R (1 - rho)^2)`` (Fay), ``1/(R - 1)``
        (bootstrap).
    replicate_scale : float, optional
        Overrides ``scale``.
    replicate_rscales : sequence of float, optional
        One factor per replicate (default 1; required for JKn).
    fay_rho : float, optional
        Fay's rho, in [0, 1) (required for ``"Fay"``).
    mse : bool
        Centre the replicates at the full-sample estimate (True) or at their
        mean (False, R's default ``survey.replicates.mse``).
    lonely_psu : {"fail", "remove", "certainty", "adjust", "average"}
        A stratum with a single PSU, as R's ``options(survey.lonely.psu=)``:
        ``"fail"`` (R's default) raises an error; ``"remove"`` and
        ``"certainty"`` let it add nothing to the variance; ``"adjust"``
        centres its PSU at the grand mean (0 for the WAI's ``z``);
        ``"average"`` gives it the average variance of the other strata
        (the total is scaled by strata / strata with more than one PSU).

    Examples
    --------
    >>> Design(weights="pw", strata="stype", fpc="fpc").columns
    ('pw', 'stype', 'fpc')
    >>> Design(frequency="Freq").frequency_only
    True
    """

    weights: str | None = None
    strata: str | None = None
    clusters: str | None = None
    fpc: str | None = None
    frequency: str | None = None
    replicates: tuple[str, ...] = field(default=())
    replicate_method: str | None = None
    replicate_scale: float | None = None
    replicate_rscales: tuple[float, ...] | None = None
    fay_rho: float | None = None
    mse: bool = False
    lonely_psu: str = "fail"

    def __post_init__(self) -> None:
        for name in ("weights", "strata", "clusters", "fpc", "frequency"):
            check_column_name(name, getattr(self, name))
        reps = self.replicates
        if isinstance(reps, str):
            reps = (reps,)
        reps = tuple(reps)
        for r in reps:
            check_column_name("replicates", r)
        object.__setattr__(self, "replicates", reps)
        check_choice("lonely_psu", self.lonely_psu, LONELY_PSU)
        if not isinstance(self.mse, bool):
            raise OptionError("mse", self.mse, "True or False")
        named = [c for c in self.columns]
        if len(set(named)) != len(named):
            raise OptionError("design", named, "distinct columns for weights, strata, clusters, fpc, frequency "
                              "and replicates")
        if reps:
            self._check_replicates(reps)
        elif self.replicate_method is not None:
            raise OptionError("replicate_method", self.replicate_method, "no method without replicates=")

    def _check_replicates(self, reps: tuple[str, ...]) -> None:
        if self.strata or self.clusters or self.fpc:
            raise OptionError("replicates", list(reps), "replicate weights alone (no strata, clusters or fpc)",
                              "replicate weights already carry the design, as in R's svrepdesign")
        method = check_choice("replicate_method", self.replicate_method, REPLICATE_METHODS)
        if method == "Fay":
            rho = self.fay_rho
            if rho is None or isinstance(rho, bool) or not 0 <= float(rho) < 1:
                raise OptionError("fay_rho", rho, "Fay's rho, a number in [0, 1)")
        if self.replicate_rscales is not None:
            rs = tuple(float(x) for x in self.replicate_rscales)
            if len(rs) != len(reps) or not all(math.isfinite(x) and x >= 0 for x in rs):
                raise OptionError("replicate_rscales", list(self.replicate_rscales),
                                  f"one finite non-negative factor per replicate ({len(reps)})")
            object.__setattr__(self, "replicate_rscales", rs)
        elif method == "JKn":
            raise OptionError("replicate_rscales", None, "one factor (n_h - 1)/n_h per replicate for JKn")
        if self.replicate_scale is not None:
            s = self.replicate_scale
            if isinstance(s, bool) or not math.isfinite(float(s)) or float(s) <= 0:
                raise OptionError("replicate_scale", s, "a positive number")
        if len(reps) < 2:
            raise OptionError("replicates", list(reps), "at least 2 replicate weight columns")

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the design reads, in the order of the parameters."""
        named = (self.weights, self.strata, self.clusters, self.fpc, self.frequency)
        return tuple(c for c in named if c) + self.replicates

    @property
    def frequency_only(self) -> bool:
        """Only frequency weights: the counts are whole numbers, as those of the expanded rows."""
        return self.columns == ((self.frequency,) if self.frequency else ())

    @property
    def is_replicate(self) -> bool:
        """Whether the variance comes from replicate weights."""
        return bool(self.replicates)

    def replicate_factors(self) -> tuple[float, np.ndarray]:
        """``(scale, rscales)`` of the replicate variance, as ``svrepdesign`` sets them."""
        r = len(self.replicates)
        defaults = {"JK1": (r - 1) / r, "JKn": 1.0, "BRR": 1.0 / r, "bootstrap": 1.0 / (r - 1)}
        if self.replicate_method == "Fay":
            scale = 1.0 / (r * (1.0 - float(self.fay_rho or 0.0)) ** 2)
        else:
            scale = defaults[str(self.replicate_method)]
        if self.replicate_scale is not None:
            scale = float(self.replicate_scale)
        rscales = np.ones(r) if self.replicate_rscales is None else np.asarray(self.replicate_rscales, float)
        return scale, rscales


@dataclass(frozen=True, eq=False)
class DesignCounts:
    """Weighted counts per PSU x group x item x slot, and per replicate x group x item x slot.

    A slot is a category (``2..K+1``), a declared non-scale answer (0) or a
    blank (1), as the columns of :func:`wai.counting.count_items`.

    Attributes
    ----------
    design : Design
    scale : LikertScale
    items : tuple of str
    by : str or None
    groups : pandas.Index
        The groups (one ``None`` without ``by``; the blank group NaN, last).
    psus : pandas.DataFrame
        One row per PSU: ``stratum``, ``cluster`` (None when rows are PSUs:
        then one row per stratum), ``rows`` (design rows, frequency-expanded)
        and ``fpc`` (NaN when none).
    sums, squares, rows : numpy.ndarray ``(P, G, I, K + 2)``
        Sums of ``f w``, ``f w^2`` and ``f`` per PSU, group, item and slot.
    replicate_sums : numpy.ndarray ``(R, G, I, K + 2)``
        Sums of ``f w_r`` per replicate.
    """

    design: Design
    scale: LikertScale
    items: tuple[str, ...]
    by: str | None
    groups: pd.Index
    psus: pd.DataFrame
    sums: np.ndarray
    squares: np.ndarray
    rows: np.ndarray
    replicate_sums: np.ndarray

    @property
    def rows_are_psus(self) -> bool:
        """No cluster column: every (expanded) row is its own PSU."""
        return self.design.clusters is None

    def strata(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Any]]:
        """``(stratum index of each PSU entry, n_h PSUs, population PSUs N_h (inf: no fpc), stratum values)``."""
        codes, values = pd.factorize(self.psus["stratum"].astype(object), use_na_sentinel=False)
        h = len(values)
        if self.rows_are_psus:
            n = np.bincount(codes, weights=self.psus["rows"].to_numpy(float), minlength=h)
        else:
            n = np.bincount(codes, minlength=h).astype(float)
        fpc = np.full(h, np.nan)
        fpc[codes] = self.psus["fpc"].to_numpy(float)
        if self.design.fpc is None:
            population = np.full(h, np.inf)
        elif np.all(fpc <= 1):
            with np.errstate(divide="ignore"):
                population = n / fpc
        else:
            population = fpc
        return codes, n, population, list(values)

    def combine(self, other: DesignCounts) -> DesignCounts:
        """The counts of two chunks together (same design, scale, items and ``by``)."""
        return combine_design_counts([self, other])

    def table(self) -> pd.DataFrame:
        """The counts table of :func:`wai.counting.count_items` (weighted unless frequency weights only).

        With frequency weights only the counts are whole numbers (those of
        the expanded rows); otherwise ``count_k`` are sums of ``f w``,
        ``n_obs`` the frequency-expanded answers and ``wsq_k`` sums of
        ``f w^2``.
        """
        from wai.counting import count_columns, wsq_columns

        k = self.scale.points
        g, i = len(self.groups), len(self.items)
        plain = self.design.frequency_only
        source = self.rows if plain else self.sums
        total = source.sum(axis=0).reshape(g * i, k + 2)
        out = pd.DataFrame(total[:, 2:], columns=count_columns(k))
        if plain:
            out = out.round().astype("int64")
        out.insert(0, "item", list(self.items) * g)
        if self.by:
            out.insert(0, self.by, np.repeat(np.asarray(self.groups, dtype=object), i))
        out["n"] = out[count_columns(k)].sum(axis=1)
        out["n_blank"] = total[:, 1].round().astype("int64") if plain else total[:, 1]
        out["n_nonscale"] = total[:, 0].round().astype("int64") if plain else total[:, 0]
        out["n_missing"] = out["n_blank"] + out["n_nonscale"]
        if not plain:
            out["n_obs"] = self.rows.sum(axis=0).reshape(g * i, k + 2)[:, 2:].sum(axis=1).round().astype("int64")
            squares = self.squares.sum(axis=0).reshape(g * i, k + 2)[:, 2:]
            out = pd.concat([out, pd.DataFrame(squares, columns=wsq_columns(k))], axis=1)
        return out

    def counts(self) -> Any:
        """The :class:`wai.counts.Counts` of :meth:`table`."""
        from wai.counts import Counts

        weights = None if self.design.frequency_only else (self.design.weights or "(design)")
        return Counts(self.table(), self.scale, self.by, weights)


# --------------------------------------------------------------------------
# counting a frame
# --------------------------------------------------------------------------


def _problems(frame: pd.DataFrame, column: str, bad: np.ndarray, expected: str, file: str | None,
              rows: Sequence[int] | None) -> list[Problem]:
    where = np.flatnonzero(bad)
    out = []
    for r in where[:_MAX_ROWS_LISTED]:
        row = int(rows[r]) if rows is not None else int(r) + 2
        value = frame[column].iloc[r]
        out.append(Problem(file, row, column, None if is_blank(value) else value, expected))
    if len(where) > _MAX_ROWS_LISTED:
        out.append(Problem(file, None, column, None, expected, n_more=len(where) - _MAX_ROWS_LISTED))
    return out


def _numbers(frame: pd.DataFrame, column: str, expected: str, ok: Any, file: str | None,
             rows: Sequence[int] | None, problems: list[Problem]) -> np.ndarray:
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(values) | ~ok(values)
    problems.extend(_problems(frame, column, bad, expected, file, rows))
    return values


def _design_columns(frame: pd.DataFrame, design: Design, file: str | None,
                    rows: Sequence[int] | None) -> tuple[dict[str, Any], list[Problem]]:
    """Weights, frequencies, PSU keys, fpc and replicate weights of every row, and the problems."""
    problems: list[Problem] = []
    n = len(frame)
    got: dict[str, Any] = {}
    got["w"] = (np.ones(n) if design.weights is None else
                _numbers(frame, design.weights, "a non-negative number (a sampling weight)",
                         lambda v: v >= 0, file, rows, problems))
    got["f"] = (np.ones(n) if design.frequency is None else
                _numbers(frame, design.frequency, "a whole number of at least 0 (a frequency weight)",
                         lambda v: (v >= 0) & (v == np.round(v)), file, rows, problems))
    for name, column in (("stratum", design.strata), ("cluster", design.clusters)):
        if column is None:
            got[name] = (np.zeros(n, dtype=np.intp), np.array([None], dtype=object))
            continue
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=False)  # blanks judged once per value
        blank_value = np.array([is_blank(v) for v in uniques], dtype=bool)
        blank = blank_value[codes] if len(uniques) else np.zeros(n, dtype=bool)
        problems.extend(_problems(frame, column, blank, f"a {name} (design columns may not be blank)", file, rows))
        got[name] = (codes.astype(np.intp), np.asarray(uniques, dtype=object))
    got["fpc"] = (np.full(n, np.nan) if design.fpc is None else
                  _numbers(frame, design.fpc, "a positive number (population PSUs, or a sampling fraction <= 1)",
                           lambda v: v > 0, file, rows, problems))
    reps = []
    for r in design.replicates:
        reps.append(_numbers(frame, r, "a non-negative number (a replicate weight)", lambda v: v >= 0,
                             file, rows, problems))
    got["rep"] = np.column_stack(reps) if reps else np.zeros((n, 0))
    return got, problems


def _psu_codes(got: dict[str, Any], design: Design, file: str | None) -> tuple[np.ndarray, pd.DataFrame]:
    """PSU index of every row and the PSU table (stratum, cluster, rows, fpc)."""
    s_codes, s_values = got["stratum"]
    c_codes, c_values = got["cluster"]
    pairs, codes = np.unique(s_codes.astype(np.int64) * len(c_values) + c_codes, return_inverse=True)
    codes = codes.reshape(-1)
    uniques = [(s_values[v // len(c_values)], c_values[v % len(c_values)]) for v in pairs.tolist()]
    p = len(uniques)
    rows = np.bincount(codes, weights=got["f"], minlength=p)
    fpc = np.full(p, np.nan)
    if design.fpc is not None:
        fpc[codes] = got["fpc"]
        lo = np.full(p, np.inf)
        np.minimum.at(lo, codes, got["fpc"])
        if np.any(lo != fpc):
            raise InputError([Problem(file, None, design.fpc, None, "one fpc value per stratum",
                                      "rows of one PSU hold different fpc values")])
    table = pd.DataFrame({"stratum": [u[0] for u in uniques], "cluster": [u[1] for u in uniques],
                          "rows": rows, "fpc": fpc})
    return codes.astype(np.intp), table


def count_design(frame: pd.DataFrame, items: Sequence[str], scale: LikertScale, design: Design,
                 by: str | None = None, *, file: str | None = None) -> DesignCounts:
    """Count a frame under a design: weighted counts per PSU, group, item and category.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent (or per answer pattern, with ``frequency``).
    items : sequence of str
        The item columns, all on ``scale``.
    scale : LikertScale
    design : Design
    by : str, optional
        A group column: its groups are domains of the whole design.
    file : str, optional
        File name for error messages.

    Returns
    -------
    DesignCounts

    Raises
    ------
    wai.errors.InputError
        Missing columns, answers off the scale, blank strata or clusters,
        weights that are not non-negative numbers, frequencies that are not
        whole numbers, fpc values that differ within a stratum.

    Examples
    --------
    >>> from wai.scales import LikertScale
    >>> df = pd.DataFrame({"q": ["No", "Yes"], "f": [3, 1]})
    >>> count_design(df, ["q"], LikertScale(("No", "Yes")), Design(frequency="f")).table()[
    ...     ["item", "count_1", "count_2", "n"]]
      item  count_1  count_2  n
    0    q        3        1  4
    """
    from wai.counting import _group_codes, encode_answers

    if not isinstance(design, Design):
        raise OptionError("design", design, "a wai.Design")
    items = list(items)
    file = file if file is not None else frame.attrs.get("source_file")
    source_rows = frame.attrs.get("source_rows")
    if source_rows is not None and len(source_rows) != len(frame):
        source_rows = None
    wanted = items + ([by] if by else []) + list(design.columns)
    from wai._checks import missing_columns

    missing = missing_columns(wanted, [str(c) for c in frame.columns], file=file)
    if missing:
        raise InputError(missing)
    got, problems = _design_columns(frame, design, file, source_rows)
    if problems:
        raise InputError(problems)
    keep = got["f"] > 0
    if not keep.all():  # a pattern that stands for nobody is not a row
        frame = frame[keep]
        source_rows = None if source_rows is None else [r for r, k in zip(source_rows, keep) if k]
        got = {k: ((v[0][keep], v[1]) if isinstance(v, tuple) else v[keep]) for k, v in got.items()}
    psu, psus = _psu_codes(got, design, file)
    if by:
        group_codes, groups = _group_codes(frame, by)
    else:
        group_codes, groups = np.zeros(len(frame), dtype=np.intp), pd.Index([None])
    k = scale.points
    width = k + 2
    p, g = len(psus), len(groups)
    base = (psu * g + group_codes) * width
    f, w = got["f"], got["w"]
    fw, fw2 = f * w, f * w * w
    sums = np.zeros((p * g * width, len(items)))
    squares, counted = np.zeros_like(sums), np.zeros_like(sums)
    reps = got["rep"]
    rep_sums = np.zeros((reps.shape[1], g * width, len(items)))
    for j, item in enumerate(items):
        codes, found = encode_answers(frame[item], scale, column=item, file=file, rows=source_rows)
        problems.extend(found)
        if problems:
            continue
        slots = base + codes.astype(np.intp) + 2
        size = p * g * width
        sums[:, j] = np.bincount(slots, weights=fw, minlength=size)
        squares[:, j] = np.bincount(slots, weights=fw2, minlength=size)
        counted[:, j] = np.bincount(slots, weights=f, minlength=size)
        if reps.shape[1]:
            rep_sums[:, :, j] = _replicate_slots(group_codes * width + codes.astype(np.intp) + 2, g * width,
                                                 reps * f[:, None])
    if problems:
        raise InputError(problems)

    def shaped(a: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(a.reshape(p, g, width, len(items)).transpose(0, 1, 3, 2))

    rep = np.ascontiguousarray(rep_sums.reshape(reps.shape[1], g, width, len(items)).transpose(0, 1, 3, 2))
    return DesignCounts(design, scale, tuple(items), by, groups, psus, shaped(sums), shaped(squares),
                        shaped(counted), rep)


def _replicate_slots(slots: np.ndarray, size: int, weights: np.ndarray) -> np.ndarray:
    """``(R, size)`` sums of each replicate weight column per slot (one sparse product)."""
    from scipy import sparse

    onehot = sparse.csr_matrix((np.ones(len(slots)), (slots, np.arange(len(slots)))), shape=(size, len(slots)))
    return np.asarray((onehot @ weights).T)


def combine_design_counts(parts: Sequence[DesignCounts]) -> DesignCounts:
    """The :class:`DesignCounts` of the whole from those of its chunks (PSUs split across chunks join).

    Groups are ordered as :func:`wai.counts.combine_counts` orders them
    (sorted, the blank group last); PSUs in the order first seen.
    """
    parts = list(parts)
    if not parts:
        raise OptionError("parts", [], "at least one DesignCounts")
    first = parts[0]
    for other in parts[1:]:
        if (other.design, other.scale, other.items, other.by) != (first.design, first.scale, first.items,
                                                                  first.by):
            raise OptionError("parts", other, "counts of the same design, scale, items and by as the first")
    keys = pd.MultiIndex.from_frame(pd.concat([pt.psus[["stratum", "cluster"]] for pt in parts]).astype(object))
    psu_keys = keys.unique()
    named = [v for pt in parts for v in pt.groups if not is_blank(v)]
    blank = any(is_blank(v) for pt in parts for v in pt.groups if v is not None) and first.by is not None
    if first.by is None:
        groups = pd.Index([None])
    else:
        groups = pd.Series(named, dtype=object).drop_duplicates()
        groups = pd.Index(groups.astype("category").cat.categories if len(groups) else [], dtype=object)
        if blank:
            groups = groups.append(pd.Index([np.nan]))
    shape = (len(psu_keys), len(groups), len(first.items), first.scale.points + 2)
    sums, squares, rows = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    reps = np.zeros((first.replicate_sums.shape[0],) + shape[1:])
    psu_rows = np.zeros(len(psu_keys))
    fpc = np.full(len(psu_keys), np.nan)
    for pt in parts:
        at = psu_keys.get_indexer(pd.MultiIndex.from_frame(pt.psus[["stratum", "cluster"]].astype(object)))
        gi = np.array([len(groups) - 1 if first.by and is_blank(v) else groups.get_loc(v) for v in pt.groups]
                      if first.by else [0], dtype=np.intp)
        np.add.at(sums, (at[:, None], gi[None, :]), pt.sums)
        np.add.at(squares, (at[:, None], gi[None, :]), pt.squares)
        np.add.at(rows, (at[:, None], gi[None, :]), pt.rows)
        reps[:, gi] += pt.replicate_sums  # a part's groups are distinct
        np.add.at(psu_rows, at, pt.psus["rows"].to_numpy(float))
        fpc[at] = pt.psus["fpc"].to_numpy(float)
    psus = pd.DataFrame({"stratum": psu_keys.get_level_values(0), "cluster": psu_keys.get_level_values(1),
                         "rows": psu_rows, "fpc": fpc})
    return DesignCounts(first.design, first.scale, first.items, first.by, groups, psus, sums, squares, rows, reps)


# --------------------------------------------------------------------------
# estimation (pure arithmetic on the counts)
# --------------------------------------------------------------------------


def _scores(scale: LikertScale) -> np.ndarray:
    return np.array([float(w) for w in scale.weights])


def lonely_strata(dc: DesignCounts) -> list[Any]:
    """The strata with a single PSU."""
    _, n, _, values = dc.strata()
    return [v for v, m in zip(values, n) if m == 1]


def linearized_wai(dc: DesignCounts, scores: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """WAI and its Taylor-linearization variance for every (group, item), group-major.

    Parameters
    ----------
    dc : DesignCounts
    scores : numpy.ndarray ``(K,)``, optional
        Category scores; default the scale's weights (the WAI). An
        indicator of one category gives that category's share.

    Returns
    -------
    estimate, variance : numpy.ndarray ``(G * I,)``
        NaN where a (group, item) has no weight on the scale.

    Notes
    -----
    R's ``svyrecvar`` for one stage (``onestage``/``onestrat``): per stratum
    ``scale_h = (1 - f_h) n_h / (n_h - 1)`` (``1 - f_h`` alone when
    ``n_h = 1``) times the sum of squares of the PSU totals of ``z`` about
    their stratum mean, PSUs without answers in the domain counting as 0;
    a stratum with ``f_h`` below 1e-7 (all PSUs taken) adds 0; lonely PSUs
    as :attr:`Design.lonely_psu` says. A domain (``by``) keeps every PSU of
    the design, as R's ``svyby`` and ``subset`` do.

    Examples
    --------
    >>> from wai.scales import LikertScale
    >>> df = pd.DataFrame({"q": ["No", "Yes", "Yes", "No"], "c": [1, 1, 2, 3]})
    >>> est, var = linearized_wai(count_design(df, ["q"], LikertScale(("No", "Yes")), Design(clusters="c")))
    >>> float(est[0]), round(float(var[0]), 6)
    (0.5, 0.046875)
    """
    scores = _scores(dc.scale) if scores is None else np.asarray(scores, dtype=float)
    p, g, i, width = dc.sums.shape
    s = dc.sums[..., 2:].reshape(p, g * i, width - 2)
    total = s.sum(axis=(0, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = np.einsum("pmk,k->m", s, scores) / total
        dev = scores[None, :] - estimate[:, None]
        z = np.einsum("pmk,mk->pm", s, dev) / total
        raw = None
        if dc.rows_are_psus:
            q = dc.squares[..., 2:].reshape(p, g * i, width - 2)
            raw = np.einsum("pmk,mk->pm", q, dev**2) / total**2
    return estimate, design_variance(dc, z, raw)


def design_variance(dc: DesignCounts, z: np.ndarray, raw: np.ndarray | None = None) -> np.ndarray:
    """The design variance of totals of a linearization variable, from its PSU totals.

    Parameters
    ----------
    dc : DesignCounts
        Gives the strata, their PSU counts and fpc, and the lonely-PSU rule.
    z : numpy.ndarray ``(P, M)``
        The PSU totals of ``M`` linearization variables (PSUs without
        answers hold 0).
    raw : numpy.ndarray ``(P, M)``, optional
        When rows are PSUs (no clusters; then ``P`` is the strata): each
        stratum's sum of the squared row values.

    Returns
    -------
    numpy.ndarray ``(M,)``
    """
    if dc.design.lonely_psu == "fail":
        lonely = lonely_strata(dc)
        if lonely:
            raise OptionError("lonely_psu", "fail", "strata with at least 2 PSUs, or another lonely_psu choice "
                              f"({', '.join(map(repr, LONELY_PSU[1:]))})",
                              f"stratum {lonely[0]!r} has only one PSU")
    codes, n, population, _ = dc.strata()
    h, m = len(n), z.shape[1]
    zsum = np.zeros((h, m))
    np.add.at(zsum, codes, z)
    with np.errstate(invalid="ignore", divide="ignore"):
        if dc.rows_are_psus:
            if raw is None:
                raise OptionError("raw", None, "the strata's sums of squared row values when rows are PSUs")
            squares = np.zeros((h, m))
            np.add.at(squares, codes, raw)
            ss = np.maximum(squares - zsum**2 / n[:, None], 0.0)
        else:
            squares = np.zeros((h, m))
            np.add.at(squares, codes, z**2)
            ss = np.zeros((h, m))
            np.add.at(ss, codes, (z - (zsum / n[:, None])[codes]) ** 2)
    return _combine_strata(ss, squares, n, population, dc.design.lonely_psu)


def _combine_strata(ss: np.ndarray, raw: np.ndarray, n: np.ndarray, population: np.ndarray,
                    lonely_psu: str) -> np.ndarray:
    """Sum of the strata's contributions, R's ``onestage``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(np.isfinite(population), (population - n) / population, 1.0)
        scale = np.where(n > 1, f * n / np.where(n > 1, n - 1, 1), f)
    contrib = scale[:, None] * ss
    lonely = n == 1
    if lonely_psu == "adjust":
        contrib[lonely] = (f[:, None] * raw)[lonely]
    elif lonely_psu == "average":
        contrib[lonely] = np.nan
    contrib[f < 1e-7] = 0.0
    if lonely_psu == "average":
        ok = ~np.isnan(contrib).any(axis=1)
        return np.nansum(contrib, axis=0) * len(n) / max(int(ok.sum()), 1)
    return contrib.sum(axis=0)


def replicate_wai(dc: DesignCounts, estimate: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray,
                                                                                   np.ndarray]:
    """WAI, replicate variance and the replicates' WAIs for every (group, item), group-major.

    ``theta_r = sum_k T_rk W_k / sum_k T_rk`` from the replicate's weighted
    counts ``T_rk``; ``var = scale sum_r rscales_r (theta_r - centre)^2``,
    ``centre`` the replicates' mean (or the estimate with ``mse=True``), as
    R's ``svrepvar``.

    Returns
    -------
    estimate, variance : numpy.ndarray ``(G * I,)``
    replicates : numpy.ndarray ``(R, G * I)``

    Examples
    --------
    >>> from wai.scales import LikertScale
    >>> df = pd.DataFrame({"q": ["No", "Yes", "Yes"], "w": [1.0, 1.0, 1.0],
    ...                    "r1": [0.0, 1.5, 1.5], "r2": [1.5, 0.0, 1.5], "r3": [1.5, 1.5, 0.0]})
    >>> d = Design(weights="w", replicates=("r1", "r2", "r3"), replicate_method="JK1")
    >>> est, var, reps = replicate_wai(count_design(df, ["q"], LikertScale(("No", "Yes")), d))
    >>> round(float(est[0]), 6), round(float(var[0]), 6), reps[:, 0].tolist()
    (0.666667, 0.111111, [1.0, 0.5, 0.5])
    """
    scores = _scores(dc.scale)
    r, g, i, width = dc.replicate_sums.shape
    t = dc.replicate_sums[..., 2:].reshape(r, g * i, width - 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        theta = (t @ scores) / t.sum(axis=2)
        if estimate is None:
            s = dc.sums[..., 2:].sum(axis=0).reshape(g * i, width - 2)
            estimate = (s @ scores) / s.sum(axis=1)
    scale, rscales = dc.design.replicate_factors()
    centre = estimate[None, :] if dc.design.mse else theta.mean(axis=0, keepdims=True)
    variance = scale * (rscales[:, None] * (theta - centre) ** 2).sum(axis=0)
    return estimate, variance, theta


def design_rank_test(dc: DesignCounts, item: str) -> tuple[str, float, float, float]:
    """Design-based rank test of the groups' answers to one item, as R's ``survey::svyranktest``.

    The rank score of category ``k`` is its estimated population mid-rank
    ``(C_{k-1} + T_k / 2) / N`` (``T_k`` the weighted count, ``C`` their
    cumulative sums, ``N`` the total weight). The groups' weighted mean
    rank scores are domain means of the whole design; their differences
    from the first group, with the design covariance (linearization, or the
    replicates), give ``t = d / se`` on ``degf - 1`` degrees of freedom for
    two groups (R's Wilcoxon ``svyranktest``), and for more groups the Wald
    ``chisq = d' V^-1 d`` referred to ``F(G - 1, degf - G + 1)`` after
    dividing by ``G - 1`` (R's ``multiranktest``, Kruskal-Wallis). ``degf``
    is the PSUs with an answer minus their strata (``survey::degf``);
    replicate designs use the number of replicates minus 1.

    Notes
    -----
    R averages ``cumsum(w) - w/2`` over tied rows in row order; with
    unequal weights within a category that average depends on the order of
    the rows. The mid-rank here does not, and equals R's whenever the tied
    rows weigh the same (every self-weighting design, frequency weights).

    Returns
    -------
    test, statistic, df, p_value
        ``test`` is ``"svyranktest-wilcoxon"`` (statistic ``t``) or
        ``"svyranktest-kruskal-wallis"`` (statistic ``chisq``); ``df`` the
        denominator degrees of freedom.

    Examples
    --------
    >>> from wai.scales import LikertScale
    >>> df = pd.DataFrame({"q": ["No", "Yes", "Yes", "No", "Yes", "Yes"], "g": list("aabbab"), "c": [1, 1, 2, 2, 3, 3]})
    >>> t = design_rank_test(count_design(df, ["q"], LikertScale(("No", "Yes")), Design(clusters="c"), by="g"), "q")
    >>> t[0], round(t[1], 4), t[2]
    ('svyranktest-wilcoxon', 0.0, 1.0)
    """
    from scipy import stats

    j = dc.items.index(item)
    keep = np.array([not (dc.by and is_blank(v)) for v in dc.groups])
    s = dc.sums[:, keep, j, 2:]  # (P, G, K)
    present = s.sum(axis=(0, 2)) > 0
    s = s[:, present]
    g = s.shape[1]
    totals = s.sum(axis=(0, 1))
    n = totals.sum()
    rank = (np.cumsum(totals) - totals / 2) / n
    weight = s.sum(axis=(0, 2))
    means = (s @ rank).sum(axis=0) / weight
    contrasts = [np.eye(g)[a] - np.eye(g)[0] for a in range(1, g)]
    pairs = contrasts + [contrasts[a] + contrasts[b] for a in range(g - 1) for b in range(a + 1, g - 1)]
    c = np.array(pairs).T  # (G, M)
    if dc.design.is_replicate:
        t = dc.replicate_sums[:, keep, j, 2:][:, :, present]
        theta = (t @ rank) / t.sum(axis=2)  # (R, G)
        scale, rscales = dc.design.replicate_factors()
        d_r = theta @ c
        centre = (means @ c)[None, :] if dc.design.mse else d_r.mean(axis=0, keepdims=True)
        var = scale * (rscales[:, None] * (d_r - centre) ** 2).sum(axis=0)
        degf = float(len(dc.design.replicates) - 1)
    else:
        dev = rank[None, :] - means[:, None]  # (G, K)
        z = np.einsum("pgk,gk->pg", s, dev) / weight  # (P, G)
        raw = None
        if dc.rows_are_psus:
            q = dc.squares[:, keep, j, 2:][:, present]
            raw = np.einsum("pgk,gk->pg", q, dev**2) / weight**2 @ (c**2)
        var = design_variance(dc, z @ c, raw)
        degf = float(_degf(dc, j, keep))
    d = means[1:] - means[0]
    if g == 2:
        t_stat = float(d[0] / math.sqrt(var[0]))
        df = degf - 1
        return "svyranktest-wilcoxon", t_stat, df, float(2 * stats.t.sf(abs(t_stat), df))
    v = np.diag(var[: g - 1])
    at = g - 1
    for a in range(g - 1):
        for b in range(a + 1, g - 1):
            v[a, b] = v[b, a] = (var[at] - var[a] - var[b]) / 2
            at += 1
    chisq = float(d @ np.linalg.solve(v, d))
    ddf = degf - (g - 1)
    return "svyranktest-kruskal-wallis", chisq, ddf, float(stats.f.sf(chisq / (g - 1), g - 1, ddf))


def design_category_intervals(dc: DesignCounts, item: str, group: Any = None, *,
                              confidence_level: float = 0.95) -> pd.DataFrame:
    """Share of each category of one item (in one group) under a design, R's ``svyciprop(method="xlogit")``.

    The share ``p_k`` is a domain ratio mean of the indicator of category
    ``k``, with its design SE (linearization; replicates for a replicate
    design); the interval is ``expit(logit(p_k) -+ t_{df} se / (p_k (1 -
    p_k)))`` with ``df = degf`` of the (domain's) design, inside [0, 1] by
    construction (a share of 0 or 1 gives the point).

    Returns
    -------
    pandas.DataFrame
        As :func:`wai.inference.category_intervals`: ``category``, ``count``
        (weighted), ``share``, ``ci_low``, ``ci_high``, ``method``
        (``"xlogit"``).

    Examples
    --------
    >>> from wai.scales import LikertScale
    >>> df = pd.DataFrame({"q": ["No", "Yes", "Yes", "No", "Yes", "Yes"], "c": [1, 1, 2, 2, 3, 3]})
    >>> t = design_category_intervals(count_design(df, ["q"], LikertScale(("No", "Yes")), Design(clusters="c")), "q")
    >>> t[["category", "count", "share", "method"]]
       category  count     share  method
    0         1    2.0  0.333333  xlogit
    1         2    4.0  0.666667  xlogit
    """
    from scipy import stats

    from wai.inference import bounded_interval

    confidence = check_confidence_level(confidence_level)
    if item not in dc.items:
        raise OptionError("item", item, f"one of the items counted: {list(dc.items)}")
    j = dc.items.index(item)
    if dc.by is None:
        g = 0
    else:
        matches = [a for a, v in enumerate(dc.groups) if (is_blank(v) and is_blank(group)) or v == group]
        if not matches:
            raise OptionError("group", group, f"one of the groups counted: {list(dc.groups)}")
        g = matches[0]
    k = dc.scale.points
    m = g * len(dc.items) + j
    shares, variances = np.zeros(k), np.zeros(k)
    for c in range(k):
        e = np.eye(k)[c]
        if dc.design.is_replicate:
            rep = dc.replicate_sums[..., 2:]
            theta = (rep[:, g, j] @ e) / rep[:, g, j].sum(axis=1)
            shares[c] = float(dc.sums[:, g, j, 2:].sum(axis=0) @ e / dc.sums[:, g, j, 2:].sum())
            scale, rscales = dc.design.replicate_factors()
            centre = shares[c] if dc.design.mse else theta.mean()
            variances[c] = scale * float(np.sum(rscales * (theta - centre) ** 2))
        else:
            est, var = linearized_wai(dc, e)
            shares[c], variances[c] = est[m], var[m]
    keep = np.zeros(len(dc.groups), dtype=bool)
    keep[g] = True
    df = float(len(dc.design.replicates) - 1) if dc.design.is_replicate else float(_degf(dc, j, keep))
    q = float(stats.t.ppf((1 + confidence) / 2, df)) if df > 0 else float("nan")
    low, high, _ = bounded_interval(shares, np.sqrt(variances), q, "logit")
    return pd.DataFrame({"category": np.arange(1, k + 1), "count": dc.sums[:, g, j, 2:].sum(axis=0),
                         "share": shares, "ci_low": low, "ci_high": high, "method": "xlogit"})


def _degf(dc: DesignCounts, j: int, keep: np.ndarray) -> int:
    """PSUs with an answer to item ``j`` (in the kept groups) minus their strata, as ``survey::degf``."""
    answered = dc.rows[:, keep, j, 2:].sum(axis=(1, 2))
    codes, _, _, _ = dc.strata()
    if dc.rows_are_psus:
        return int(round(answered.sum())) - len(set(codes[answered > 0]))
    return int((answered > 0).sum()) - len(set(codes[answered > 0]))


# --------------------------------------------------------------------------
# the inference columns of score() under a design
# --------------------------------------------------------------------------


def design_inference(dc: DesignCounts, bands: Any, bands_of_rows: Sequence[str | None], *,
                     rule: str = "rounded", confidence_level: float = 0.95,
                     ci_method: str = "linearization") -> pd.DataFrame:
    """The inference columns of :func:`wai.score` (:data:`wai.inference.INFERENCE_COLUMNS`) under a design.

    Parameters
    ----------
    dc : DesignCounts
    bands : BandScheme
    bands_of_rows : sequence of str or None
        The band each row's WAI is reported in (``score``'s ``band``).
    rule : {"rounded", "exact"}
    confidence_level : float
    ci_method : {"linearization", "logit"}
        ``"linearization"``: ``estimate -+ z se`` (normal quantile, as R's
        ``confint(svymean(...))``), cut to [0, 1] when it leaves it (the
        ``ci_method`` column then reads ``"linearization-truncated"``);
        ``"logit"``: the same normal interval on the logit scale, mapped
        back, inside [0, 1] by construction. The SE is the design's:
        linearization, or replicates (``ci_method`` ``"replicate"`` /
        ``"replicate-logit"``).

    Returns
    -------
    pandas.DataFrame
        ``se``, ``ci_low``, ``ci_high``, ``ci_method``, ``confidence``,
        ``n_eff`` (Kish's, of the frequency-expanded weights),
        ``band_certain``, ``band_share`` (share of replicates whose WAI is
        in the reported band; NaN without replicates).

    Examples
    --------
    >>> from wai.bands import CHAPTER11_BANDS
    >>> from wai.scales import LEVEL5
    >>> df = pd.DataFrame({"q": ["Low", "High", "High", "Neutral"], "c": [1, 1, 2, 2]})
    >>> dc = count_design(df, ["q"], LEVEL5, Design(clusters="c"))
    >>> design_inference(dc, CHAPTER11_BANDS, ["Neutral"])[["se", "ci_method", "n_eff"]].round(4)
           se      ci_method  n_eff
    0  0.0625  linearization    4.0
    """
    from scipy.special import ndtri

    confidence = check_confidence_level(confidence_level)
    ci_method = check_choice("ci_method", ci_method, ("linearization", "logit"))
    if dc.design.is_replicate:
        estimate, variance, theta = replicate_wai(dc)
        name = "replicate"
    else:
        estimate, variance = linearized_wai(dc)
        theta, name = None, "linearization"
    se = np.sqrt(variance)
    method = name if ci_method == "linearization" else ("logit" if name == "linearization" else "replicate-logit")
    low, high, cut = bounded_interval_of(estimate, se, float(ndtri((1 + confidence) / 2)), ci_method)
    labels = np.where(cut, f"{method}-truncated", method)
    g, i = len(dc.groups), len(dc.items)
    s = dc.sums[..., 2:].sum(axis=0).reshape(g * i, -1)
    q = dc.squares[..., 2:].sum(axis=0).reshape(g * i, -1)
    with np.errstate(invalid="ignore", divide="ignore"):
        n_eff = np.where(s.sum(axis=1) > 0, s.sum(axis=1) ** 2 / q.sum(axis=1), np.nan)
    certain: list[bool | None] = []
    share = np.full(g * i, np.nan)
    for m, band in enumerate(bands_of_rows):
        if band is None or not (math.isfinite(low[m]) and math.isfinite(high[m])):
            certain.append(None)
        else:
            certain.append(bands.classify(float(low[m]), rule) == band and bands.classify(float(high[m]), rule) == band)
        if band is not None and theta is not None:
            column = theta[:, m]
            share[m] = float(np.mean([bands.classify(float(v), rule) == band for v in column if math.isfinite(v)]))
    return pd.DataFrame({
        "se": se, "ci_low": low, "ci_high": high, "ci_method": labels, "confidence": np.full(g * i, confidence),
        "n_eff": n_eff, "band_certain": pd.array(certain, dtype="boolean"), "band_share": share,
    })


def bounded_interval_of(estimate: np.ndarray, se: np.ndarray, quantile: float,
                        method: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(low, high, truncated)``: the normal interval (cut to [0, 1]) or the logit-scale interval."""
    from wai.inference import bounded_interval

    return bounded_interval(estimate, se, quantile, "logit" if method == "logit" else "truncate")
