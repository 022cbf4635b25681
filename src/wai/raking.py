"""Weights from known population margins: raking and post-stratification, with convergence reported.

:func:`rake` adjusts case weights until their totals over each margin (a
column such as region or age group) equal known population totals, by
iterative proportional fitting (Deming and Stephan 1940), as R's
``survey::rake``; :func:`poststratify` is the one-margin case (exact in
one step), as ``survey::postStratify``. The result carries the weights and
how the iteration ended (:class:`RakeResult`); give the weights to a
:class:`wai.Design` as its ``weights`` column.

Why hand-written (measured, 2026-12-01): ``ipfn`` 1.4.4 (pure Python, pip
installable) gives the same weights (2e-14 relative) but took 124 times as
long on 10^5 rows and 3 margins (1.46 s against 0.012 s: a pandas groupby
per step); ``svy`` 0.35 and ``samplics`` 0.6 need polars (and ``svy`` a
compiled ``svy-rs``) for a loop of ``numpy.bincount`` calls. So no extra
dependency.

The standard errors of estimates made with raked weights treat the weights
as fixed sampling weights; R's ``svymean`` on a ``rake``d design also
removes the variance the margins explain (calibration), which here makes
it slightly smaller (0.023753 against 0.023832 on apistrat's ``q1``, see
``tests/test_design_raking.py``).

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"sex": ["f", "f", "m"], "age": ["y", "o", "o"]})
>>> r = rake(df, {"sex": {"f": 60, "m": 40}, "age": {"y": 50, "o": 50}})
>>> r.converged, r.weights.round(6).tolist()
(True, [50.0, 10.0, 40.0])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from wai._checks import check_int, is_blank
from wai.errors import InputError, OptionError, Problem

__all__ = ["RakeResult", "rake", "poststratify"]


@dataclass(frozen=True)
class RakeResult:
    """Raked weights and how the iteration ended.

    Attributes
    ----------
    weights : numpy.ndarray
        One weight per row of the frame.
    converged : bool
        Every margin's totals match their targets within ``tol`` (relative).
    iterations : int
        Full passes over the margins.
    max_error : float
        Largest ``|total / target - 1|`` over every margin cell at the end.
    margins : pandas.DataFrame
        ``margin``, ``value``, ``target``, ``total`` (achieved).
    """

    weights: np.ndarray
    converged: bool
    iterations: int
    max_error: float
    margins: pd.DataFrame


def _codes(frame: pd.DataFrame, column: str, totals: Mapping[Any, float]) -> tuple[np.ndarray, np.ndarray]:
    """Cell index of every row in a margin, and the targets; every value must have a target and rows."""
    if column not in frame.columns:
        raise OptionError("margins", column, f"a column of the data ({', '.join(map(str, frame.columns[:10]))})")
    values = list(totals)
    target = np.array([float(totals[v]) for v in values])
    if not np.all(np.isfinite(target)) or np.any(target <= 0):
        raise OptionError(f"margins[{column!r}]", dict(totals), "positive population totals")
    lookup = {v: i for i, v in enumerate(values)}
    cells = frame[column].map(lambda v: lookup.get(v, -1) if not is_blank(v) else -1).to_numpy(dtype=np.intp)
    bad = np.flatnonzero(cells < 0)
    if len(bad):
        raise InputError([Problem(None, int(r) + 2, column, frame[column].iloc[r],
                                  f"a value with a population total ({', '.join(map(repr, values))})")
                          for r in bad[:20]])
    empty = [v for i, v in enumerate(values) if not np.any(cells == i)]
    if empty:
        raise OptionError(f"margins[{column!r}]", empty, "values that occur in the sample",
                          "a population cell without sampled rows cannot be raked to")
    return cells, target


def rake(frame: pd.DataFrame, margins: Mapping[str, Mapping[Any, float]], weights: str | None = None, *,
         tol: float = 1e-12, max_iter: int = 1000) -> RakeResult:
    """Rake case weights to known population margins (iterative proportional fitting).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent.
    margins : mapping of column -> mapping of value -> total
        The population totals of each margin; every value in a margin
        column must have one, and every total must have sampled rows.
    weights : str, optional
        Column of the starting (design) weights; default 1 for every row.
    tol : float
        Stop when every margin total is within ``tol`` of its target,
        relative.
    max_iter : int
        Most passes over the margins; ``converged`` is False if reached.

    Returns
    -------
    RakeResult

    Notes
    -----
    Each pass multiplies the weights of each margin cell ``c`` by
    ``target_c / total_c`` in turn (R's ``rake``, which calls
    ``postStratify`` per margin). Margins whose grand totals differ cannot
    all be met: the result then says ``converged=False``. Checked against
    R's ``survey::rake`` on apistrat (weights to 1e-10 relative).

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a", "a", "b"], "w": [1.0, 3.0, 2.0]})
    >>> rake(df, {"g": {"a": 8, "b": 4}}, "w").weights.tolist()
    [2.0, 6.0, 4.0]
    """
    max_iter = check_int("max_iter", max_iter, 1, what="a whole number of passes")
    if isinstance(tol, bool) or not (isinstance(tol, (int, float)) and 0 < tol < 1):
        raise OptionError("tol", tol, "a number strictly between 0 and 1")
    if not margins:
        raise OptionError("margins", margins, "at least one margin: {column: {value: total}}")
    if weights is None:
        w = np.ones(len(frame))
    else:
        if weights not in frame.columns:
            raise OptionError("weights", weights, "a column of the data")
        w = pd.to_numeric(frame[weights], errors="coerce").to_numpy(dtype=float)
        if not np.all(np.isfinite(w)) or np.any(w <= 0):
            raise OptionError("weights", weights, "a column of positive numbers")
    cells = [(column, *_codes(frame, column, totals), list(totals)) for column, totals in margins.items()]
    w = w.copy()
    error, done = np.inf, 0
    while done < max_iter and not error < tol:
        done += 1
        for _, c, target, _ in cells:
            w *= (target / np.bincount(c, weights=w, minlength=len(target)))[c]
        error = max(float(np.max(np.abs(np.bincount(c, weights=w, minlength=len(t)) / t - 1)))
                    for _, c, t, _ in cells)
    rows = [(column, v, float(t[i]), float(np.bincount(c, weights=w, minlength=len(t))[i]))
            for column, c, t, values in cells for i, v in enumerate(values)]
    table = pd.DataFrame(rows, columns=["margin", "value", "target", "total"])
    return RakeResult(w, bool(error < tol), done, error, table)


def poststratify(frame: pd.DataFrame, column: str, totals: Mapping[Any, float], weights: str | None = None
                 ) -> RakeResult:
    """Post-stratify case weights to known population totals of one column (R's ``postStratify``).

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a", "b", "b"]})
    >>> poststratify(df, "g", {"a": 10, "b": 30}).weights.tolist()
    [10.0, 15.0, 15.0]
    """
    return rake(frame, {column: totals}, weights, max_iter=1)
