"""Do groups answer an item differently? Rank tests and a proportional-odds model per item.

:func:`compare` works from the per-group category counts of
:func:`wai.counting.count_items` and, for every item, tests whether the
answer distributions differ across the groups of a ``by`` column:

- a rank test: Mann-Whitney U for two groups, Kruskal-Wallis H for more;
- a likelihood-ratio test of the group effect in a proportional-odds
  (cumulative logit) model;

with both p-values adjusted across items (Holm by default).

Examples
--------
>>> import pandas as pd
>>> from wai.scales import LikertScale
>>> s = LikertScale.numeric(1, 5)
>>> df = pd.DataFrame({"region": ["N"] * 6 + ["S"] * 6,
...                    "q1": [1, 2, 2, 3, 3, 4, 3, 4, 4, 5, 5, 5]})
>>> compare(df, ["q1"], s, "region")[["item", "groups", "n", "test", "statistic"]]
  item  groups   n          test  statistic
0   q1       2  12  mann-whitney        3.0
"""

from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np
import pandas as pd

from wai.counts import Counts, count
from wai._checks import check_column_name, nearest
from wai.errors import OptionError
from wai.scales import LikertScale, default_scale

__all__ = ["compare", "COMPARE_COLUMNS"]

COMPARE_COLUMNS = (
    "item", "groups", "n", "test", "statistic", "p_value", "p_adjusted",
    "po_lr", "po_df", "po_p", "po_p_adjusted", "adjust", "note",
)
"""Columns of :func:`compare`'s result, always these, in this order."""

_SEPARATION = 10.0
"""A fitted group log odds ratio beyond this is taken as (quasi-)separation."""


def compare(
    frame: pd.DataFrame | Counts,
    items: Sequence[str] | None = None,
    scale: LikertScale | None = None,
    by: str | None = None,
    *,
    adjust: str = "holm",
    file: str | None = None,
) -> pd.DataFrame:
    """Compare the answers of groups, item by item: rank test and proportional-odds LR test.

    Parameters
    ----------
    frame : pandas.DataFrame or Counts
        One row per respondent, raw answers in the item columns; or the
        :class:`~wai.counts.Counts` of such a frame made with ``by``
        (:func:`wai.count`), which then gives ``items``, ``scale`` and ``by``
        (so a frame counted once serves ``wai.score`` and ``compare``).
    items : sequence of str
        The item columns, all on ``scale`` (required unless ``frame`` is a Counts).
    scale : LikertScale, optional
        Default (``None``): :data:`wai.scales.LEVEL5`, as everywhere.
    by : str
        The group column (required unless ``frame`` is a Counts). Rows whose group is blank (missing, or a string
        of only whitespace) are left out of every contrast.
    adjust : str
        Multiple-comparison adjustment across items, any ``method`` that
        :func:`statsmodels.stats.multitest.multipletests` accepts:
        ``"holm"`` (default), ``"bonferroni"``, ``"sidak"``,
        ``"holm-sidak"``, ``"simes-hochberg"``, ``"hommel"``, ``"fdr_bh"``,
        ``"fdr_by"``, ``"fdr_tsbh"``, ``"fdr_tsbky"``, ``"fdr_gbs"``, ... (the
        two-stage FDR methods' adjusted values depend on multipletests'
        default ``alpha=0.05``).
    file : str, optional
        Name of the file the frame came from, for error messages.

    Returns
    -------
    pandas.DataFrame
        One row per item, in the order given, with the fixed columns

        - ``item``;
        - ``groups``: number of groups with at least one answer on the scale
          (groups with none are left out and named in ``note``);
        - ``n``: answers on the scale in those groups;
        - ``test``: ``"mann-whitney"`` (2 groups) or ``"kruskal-wallis"``
          (3 or more); empty when there is nothing to test;
        - ``statistic``: U of the *first* group (the order of
          :func:`~wai.counting.count_items`: sorted group values, or the
          category order of a categorical column), or H;
        - ``p_value``: two-sided; ``p_adjusted``: adjusted across items;
        - ``po_lr``, ``po_df``, ``po_p``: likelihood-ratio statistic, degrees
          of freedom (``groups - 1``) and p-value of the group effect in a
          proportional-odds model; ``po_p_adjusted``: adjusted across items;
        - ``adjust``: the adjustment method;
        - ``note``: why a value is missing, or what to keep in mind
          (convergence, separation, groups left out); empty otherwise.

    Raises
    ------
    ValueError
        ``adjust`` not a method multipletests accepts, ``by`` among
        ``items``, or repeated items.
    wai.errors.InputError
        Every missing column and every answer not on the scale, in one error.

    Notes
    -----
    Answers are category numbers ``1..K``; blanks and non-scale answers
    ("Don't know") are left out. Everything is computed from the
    per-group counts of :func:`~wai.counting.count_items`, expanded back
    into answers (``numpy.repeat``) for the tests.

    *Mann-Whitney* (two groups): :func:`scipy.stats.mannwhitneyu`,
    two-sided, ``method="auto"``: the exact null distribution when there
    are no ties and both groups have fewer than 8 answers, otherwise the
    normal approximation with tie-corrected variance and continuity
    correction. ``U_1 = R_1 - n_1 (n_1 + 1)/2`` with ``R_1`` the rank sum
    (mid-ranks for ties) of the first group.

    *Kruskal-Wallis* (three or more): :func:`scipy.stats.kruskal`,
    ``H = [12 / (N (N + 1)) sum_g R_g^2 / n_g - 3 (N + 1)] / C`` with the
    tie correction ``C = 1 - sum_t (t^3 - t) / (N^3 - N)``, referred to
    chi-square with ``groups - 1`` degrees of freedom.

    *Proportional odds* (McCullagh 1980):
    ``logit P(Y <= j | g) = theta_j - beta_g`` with ``beta`` of the first
    group 0, fitted by :class:`statsmodels.miscmodels.ordinal_model.OrderedModel`
    (``distr="logit"``, BFGS) with one dummy per group but the first.
    Categories nobody chose are dropped. The null model has no group effect;
    its maximum log-likelihood is closed form,
    ``LL_0 = sum_k n_k log(n_k / N)``. ``LR = 2 (LL_1 - LL_0)`` is referred
    to chi-square with ``groups - 1`` degrees of freedom. The values are
    NaN, with the reason in ``note``, when the fit does not converge. When a
    group's answers can be separated from the others' at some threshold
    (e.g. one group answers only the top category) the maximum-likelihood
    group effect is infinite: the LR reported is then the limit the fit
    approaches (noted), and its chi-square reference is rough. statsmodels'
    ``ConvergenceWarning`` and ``HessianInversionWarning`` raised by the fit
    are recorded in ``note`` rather than emitted; other warnings pass.

    Adjusted p-values are taken over the items with a p-value (NaN stays
    NaN), separately for the rank tests and for the PO tests.

    References
    ----------
    .. [1] Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of
       two random variables is stochastically larger than the other. Annals
       of Mathematical Statistics, 18(1), 50-60.
       https://doi.org/10.1214/aoms/1177730491
    .. [2] Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in
       one-criterion variance analysis. Journal of the American Statistical
       Association, 47(260), 583-621.
       https://doi.org/10.1080/01621459.1952.10483441
    .. [3] McCullagh, P. (1980). Regression models for ordinal data. Journal
       of the Royal Statistical Society, Series B, 42(2), 109-142.
       https://doi.org/10.1111/j.2517-6161.1980.tb01109.x
    .. [4] Holm, S. (1979). A simple sequentially rejective multiple test
       procedure. Scandinavian Journal of Statistics, 6(2), 65-70.

    Examples
    --------
    >>> from wai.scales import LikertScale
    >>> s = LikertScale(("Low", "Medium", "High"))
    >>> df = pd.DataFrame({
    ...     "team": ["a"] * 5 + ["b"] * 5 + ["c"] * 5 + [None],
    ...     "q1": ["Low", "Low", "Medium", "Low", "Medium",
    ...            "Medium", "High", "Medium", "High", "High",
    ...            "Low", "Medium", "High", "Medium", "Don't know", "High"],
    ...     "q2": ["Low", "Medium", "High", "Medium", "Low",
    ...            "Medium", "Low", "High", "Medium", "Low",
    ...            "High", "Low", "Medium", "High", "Low", "High"]})
    >>> r = compare(df, ["q1", "q2"], s, "team")
    >>> r[["item", "groups", "n", "test", "po_df"]]
      item  groups   n            test  po_df
    0   q1       3  14  kruskal-wallis      2
    1   q2       3  15  kruskal-wallis      2
    >>> r[["statistic", "p_value", "p_adjusted", "po_lr", "po_p"]].round(3)
       statistic  p_value  p_adjusted  po_lr   po_p
    0      5.850    0.054       0.107  7.467  0.024
    1      0.153    0.926       0.926  0.174  0.917
    """
    _check_adjust(adjust)
    check_column_name("by", by)
    if isinstance(frame, Counts):
        counted = frame
        if counted.weighted:
            raise OptionError("frame", "weighted Counts", "counts of answers (compare does not take weights)")
        if by is not None and by != counted.by or scale is not None and scale != counted.scale:
            raise OptionError("by" if by != counted.by else "scale", by if by != counted.by else scale,
                              "what the Counts were made with (or leave it out)")
        if items is not None:
            counted = counted.select(list(items))
    else:
        if items is None or by is None:
            raise OptionError("items" if items is None else "by", None,
                              "the item columns and the group column (by=) to compare")
        items = list(items)
        repeated = sorted({str(x) for x in items if items.count(x) > 1})
        if repeated:
            raise OptionError("items", repeated, "distinct item columns", "these are listed more than once")
        if by in items:
            raise OptionError("by", by, "a column that is not among items",
                              "the group column is also listed among items; pass it only as by")
        counted = count(frame, items, default_scale(scale), by, file=file)
    if counted.by is None:
        raise OptionError("by", None, "Counts made with a group column (by=)")

    rows = []
    for item in counted.items:
        groups, table = counted.group_table(item)
        rows.append(_compare_item(item, groups, table.astype(np.int64)))
    out = pd.DataFrame(rows, columns=list(COMPARE_COLUMNS))
    out["p_adjusted"] = _adjust(out["p_value"].to_numpy(dtype=float), adjust)
    out["po_p_adjusted"] = _adjust(out["po_p"].to_numpy(dtype=float), adjust)
    out["adjust"] = adjust
    out["groups"] = out["groups"].astype("int64")
    out["n"] = out["n"].astype("int64")
    out["po_df"] = out["po_df"].astype("Int64")
    return out


# -- helpers ---------------------------------------------------------------


def _check_adjust(adjust: object) -> None:
    from statsmodels.stats.multitest import multipletests, multitest_methods_names

    known = ", ".join(repr(m) for m in multitest_methods_names)
    expected = f"a method statsmodels' multipletests accepts, one of {known} (or an alias such as 'bonferroni')"
    if not isinstance(adjust, str):
        raise OptionError("adjust", adjust, expected)
    try:
        multipletests(np.array([0.5, 0.5]), method=adjust)
    except ValueError:
        raise OptionError("adjust", adjust, expected, nearest(adjust, multitest_methods_names)) from None


def _adjust(p: np.ndarray, method: str) -> np.ndarray:
    """Adjusted p-values over the finite entries of ``p``; NaN stays NaN."""
    from statsmodels.stats.multitest import multipletests

    out = np.full(len(p), np.nan)
    finite = np.isfinite(p)
    if finite.any():
        out[finite] = multipletests(p[finite], method=method)[1]
    return out


def _compare_item(item: str, groups: list, table: np.ndarray) -> tuple:
    """One output row from a (groups x K) table of counts."""
    from scipy import stats

    notes: list[str] = []
    per_group = table.sum(axis=1)
    empty = [g for g, m in zip(groups, per_group) if m == 0]
    if empty:
        notes.append(f"no answers on the scale in group(s) {', '.join(map(repr, empty))}; left out")
    table = table[per_group > 0]
    n_groups, n = len(table), int(table.sum())
    nan = float("nan")

    def row(test, statistic, p, lr, df, po_p):
        return (item, n_groups, n, test, statistic, p, nan, lr, df, po_p, nan, None, "; ".join(notes))

    if n_groups < 2:
        notes.append(f"{n_groups} group(s) with answers; nothing to compare")
        return row(None, nan, nan, nan, pd.NA, nan)
    if (table.sum(axis=0) > 0).sum() < 2:
        notes.append("every answer is in the same category; nothing to compare")
        return row(None, nan, nan, nan, n_groups - 1, nan)

    values = np.arange(1, table.shape[1] + 1)
    samples = [np.repeat(values, counts) for counts in table]
    if n_groups == 2:
        test = "mann-whitney"
        result = stats.mannwhitneyu(samples[0], samples[1], alternative="two-sided")
    else:
        test = "kruskal-wallis"
        result = stats.kruskal(*samples)
    lr, po_p, po_note = _proportional_odds(table)
    if po_note:
        notes.append(po_note)
    return row(test, float(result.statistic), float(result.pvalue), lr, n_groups - 1, po_p)


def _proportional_odds(table: np.ndarray) -> tuple[float, float, str]:
    """LR statistic, p-value and a note for the group effect in a cumulative-logit model."""
    from scipy import stats

    from statsmodels.miscmodels.ordinal_model import OrderedModel
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

    table = table[:, table.sum(axis=0) > 0]  # categories nobody chose carry no threshold
    n_groups, n_cats = table.shape
    flat = table.ravel()
    codes = np.repeat(np.tile(np.arange(n_cats), n_groups), flat)
    group = np.repeat(np.repeat(np.arange(n_groups), n_cats), flat)
    dummies = (group[:, None] == np.arange(1, n_groups)[None, :]).astype(float)
    totals = table.sum(axis=0)
    ll0 = float(np.sum(totals * np.log(totals / totals.sum())))

    handled = (ConvergenceWarning, HessianInversionWarning)
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = OrderedModel(codes, dummies, distr="logit").fit(method="bfgs", disp=False, skip_hessian=True)
        except (np.linalg.LinAlgError, ValueError) as exc:  # pragma: no cover - defensive
            fit, failure = None, f"{type(exc).__name__}: {exc}"
    for w in caught:
        if issubclass(w.category, handled):
            notes.append(f"{w.category.__name__}: {str(w.message).splitlines()[0]}")
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if fit is None:  # pragma: no cover - defensive
        return float("nan"), float("nan"), "; ".join([f"proportional-odds fit failed ({failure})"] + notes)
    if not fit.mle_retvals.get("converged", True):
        return (float("nan"), float("nan"),
                "; ".join(["proportional-odds fit did not converge (BFGS)"] + notes))
    lr = 2.0 * (float(fit.llf) - ll0)
    if lr < 0:
        if lr < -1e-6 * max(1.0, abs(ll0)):
            return (float("nan"), float("nan"),
                    "; ".join(["proportional-odds fit ended below the null log-likelihood"] + notes))
        lr = 0.0
    beta = np.asarray(fit.params)[: n_groups - 1]
    if np.any(np.abs(beta) > _SEPARATION):
        notes.append("proportional-odds group effect is unbounded (groups separated at a threshold); "
                     "LR is its limit")
    return lr, float(stats.chi2.sf(lr, n_groups - 1)), "; ".join(notes)
