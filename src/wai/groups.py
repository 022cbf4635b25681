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

import math
from typing import TYPE_CHECKING, Sequence

import numpy as np
import pandas as pd

from wai.counts import Counts, count
from wai._checks import check_column_name, nearest
from wai.errors import OptionError
from wai.scales import LikertScale, default_scale

if TYPE_CHECKING:
    from wai.design import Design, DesignCounts

__all__ = ["compare", "po_fit", "COMPARE_COLUMNS"]

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
    design: "Design | None" = None,
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
    design : wai.Design, optional
        A survey design (:mod:`wai.design`). With frequency weights only,
        every column is that of the expanded rows. Otherwise the groups are
        domains of the whole design and the rank test is R's
        ``survey::svyranktest`` (:func:`wai.design.design_rank_test`:
        ``test`` ``"svyranktest-wilcoxon"``, ``statistic`` its t, or
        ``"svyranktest-kruskal-wallis"``, its Wald chi-square); the
        proportional-odds LR test assumes independent answers and is left
        empty (noted); ``n`` is the answers (frequency-expanded).

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
    per-group counts of :func:`~wai.counting.count_items`; no answer is
    expanded (the counts are frequency weights), so the cost does not grow
    with the number of respondents.

    *Mann-Whitney* (two groups), as :func:`scipy.stats.mannwhitneyu`,
    two-sided, ``method="auto"``: the exact null distribution when there
    are no ties and a group has at most 8 answers (then scipy is called on
    the answers), otherwise the normal approximation with tie-corrected
    variance and continuity correction, from the counts (equal to scipy's
    to rounding). ``U_1 = R_1 - n_1 (n_1 + 1)/2`` with ``R_1`` the rank sum
    (mid-ranks for ties) of the first group.

    *Kruskal-Wallis* (three or more), as :func:`scipy.stats.kruskal`, from the counts,
    ``H = [12 / (N (N + 1)) sum_g R_g^2 / n_g - 3 (N + 1)] / C`` with the
    tie correction ``C = 1 - sum_t (t^3 - t) / (N^3 - N)``, referred to
    chi-square with ``groups - 1`` degrees of freedom.

    *Proportional odds* (McCullagh 1980):
    ``logit P(Y <= j | g) = theta_j - beta_g`` with ``beta`` of the first
    group 0, fitted to the groups x categories table by Newton's method
    (:func:`po_fit`: exact gradient and Hessian, until the largest score is
    below 1e-10 per answer), so the LR is that of the maximum: it agrees
    with R's ``ordinal::clm`` to 1e-10 relative (``MASS::polr`` and the
    BFGS fit this replaced stop up to 1e-7 .. 8e-4 short).
    Categories nobody chose are dropped. The null model has no group effect;
    its maximum log-likelihood is closed form,
    ``LL_0 = sum_k n_k log(n_k / N)``. ``LR = 2 (LL_1 - LL_0)`` is referred
    to chi-square with ``groups - 1`` degrees of freedom. The values are
    NaN, with the reason in ``note``, when the fit does not converge. When a
    group's answers can be separated from the others' at some threshold
    (e.g. one group answers only the top category) the maximum-likelihood
    group effect is infinite: the LR reported is then the limit the fit
    approaches (noted), and its chi-square reference is rough.

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
    if design is not None:
        if isinstance(frame, Counts) or items is None or by is None:
            raise OptionError("frame" if isinstance(frame, Counts) else ("items" if items is None else "by"),
                              None, "a frame with items and by= (Counts carry no design)")
        from wai.design import count_design

        designed = count_design(frame, list(items), default_scale(scale), design, by, file=file)
        if not design.frequency_only:
            return _finish([_compare_design_item(designed, item) for item in designed.items], adjust)
        frame = designed.counts()
        items = scale = by = None
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
    return _finish(rows, adjust)


def _finish(rows: list[tuple], adjust: str) -> pd.DataFrame:
    """The result table of :func:`compare` from its rows: adjusted p-values, fixed dtypes."""
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
    if isinstance(adjust, str) and adjust.lower() in _HOLM:
        return  # the default: no need to import statsmodels
    from statsmodels.stats.multitest import multipletests, multitest_methods_names

    known = ", ".join(repr(m) for m in multitest_methods_names)
    expected = f"a method statsmodels' multipletests accepts, one of {known} (or an alias such as 'bonferroni')"
    if not isinstance(adjust, str):
        raise OptionError("adjust", adjust, expected)
    try:
        multipletests(np.array([0.5, 0.5]), method=adjust)
    except ValueError:
        raise OptionError("adjust", adjust, expected, nearest(adjust, multitest_methods_names)) from None


_HOLM = ("h", "holm")
"""The names statsmodels' ``multipletests`` gives Holm's method (compare's default ``adjust``)."""


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values, the same floats as ``multipletests(p, method="holm")[1]``.

    Sorted ascending, the j-th smallest of m p-values becomes
    ``max over i <= j of (m - i + 1) p_(i)``, capped at 1, and goes back to
    its place. Written here because statsmodels' Holm branch runs a full
    ``gc.collect()`` on every call, which in a process holding a large
    frame costs far more than the adjustment (70 ms of a 265 ms
    ``compare`` on 10^5 rows, 2 s of the chapter 11 report's analysis).
    Tied p-values get the same adjusted value whatever their order.

    >>> holm(np.array([0.01, 0.04, 0.03])).round(4).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    ranked = p[order] * np.arange(len(p), 0, -1)
    adjusted = np.minimum(np.maximum.accumulate(ranked), 1.0)
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return out


def _adjust(p: np.ndarray, method: str) -> np.ndarray:
    """Adjusted p-values over the finite entries of ``p``; NaN stays NaN."""
    out = np.full(len(p), np.nan)
    finite = np.isfinite(p)
    if finite.any():
        if method.lower() in _HOLM:
            out[finite] = holm(p[finite])
        else:
            from statsmodels.stats.multitest import multipletests

            out[finite] = multipletests(p[finite], method=method)[1]
    return out


def _compare_item(item: str, groups: list, table: np.ndarray) -> tuple:
    """One output row from a (groups x K) table of counts."""
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

    test, statistic, p = _rank_test(table)
    lr, po_p, po_note = _proportional_odds(table)
    if po_note:
        notes.append(po_note)
    return row(test, statistic, p, lr, n_groups - 1, po_p)


def _compare_design_item(dc: "DesignCounts", item: str) -> tuple:
    """One output row of :func:`compare` under a design (design-based rank test, no PO test)."""
    from wai._checks import is_blank
    from wai.design import design_rank_test

    j = dc.items.index(item)
    keep = [g for g, v in enumerate(dc.groups) if not (dc.by and is_blank(v))]
    answered = dc.rows[:, keep, j, 2:].sum(axis=(0, 2))
    n_groups, n = int((answered > 0).sum()), int(round(answered.sum()))
    nan = float("nan")
    notes = ["proportional-odds LR test assumes independent answers: not computed under a design"]
    empty = [dc.groups[g] for g, a in zip(keep, answered) if a == 0]
    if empty:
        notes.insert(0, f"no answers on the scale in group(s) {', '.join(map(repr, empty))}; left out")
    counts = dc.sums[:, keep, j, 2:].sum(axis=(0, 1))
    if n_groups < 2 or (counts > 0).sum() < 2:
        notes.insert(0, "nothing to compare" if n_groups >= 2 else f"{n_groups} group(s) with answers; "
                     "nothing to compare")
        return (item, n_groups, n, None, nan, nan, nan, nan, pd.NA, nan, nan, None, "; ".join(notes))
    test, statistic, _, p = design_rank_test(dc, item)
    return (item, n_groups, n, test, statistic, p, nan, nan, pd.NA, nan, nan, None, "; ".join(notes))


def _rank_test(table: np.ndarray) -> tuple[str, float, float]:
    """Mann-Whitney (2 groups) or Kruskal-Wallis from a (groups x K) table of counts, as scipy computes them.

    Mid-ranks of a category are ``C_{k-1} + (t_k + 1)/2`` (``C`` the
    cumulative totals, ``t_k`` the category's total), so the rank sums are
    ``R_g = sum_k n_gk r_k`` with no answer expanded. Mann-Whitney with no
    ties and a group of at most 8 answers (scipy's exact case) is handed to
    :func:`scipy.stats.mannwhitneyu` on the expanded answers. The tails are
    scipy.special's ``ndtr`` and ``chdtrc``, which ``scipy.stats.norm.sf``
    and ``chi2.sf`` evaluate (the same floats; a report need not import
    scipy.stats, 0.75 s).
    """
    from scipy.special import chdtrc, ndtr

    totals = table.sum(axis=0).astype(float)
    n_g = table.sum(axis=1).astype(float)
    n = totals.sum()
    ranks = np.cumsum(totals) - totals + (totals + 1) / 2
    rank_sums = table @ ranks
    ties = float(np.sum(totals**3 - totals))
    if len(table) == 2:
        n1, n2 = n_g
        if not (n1 > 8 and n2 > 8) and not np.any(totals > 1):
            from scipy import stats

            values = np.arange(1, table.shape[1] + 1)
            r = stats.mannwhitneyu(np.repeat(values, table[0]), np.repeat(values, table[1]),
                                   alternative="two-sided")
            return "mann-whitney", float(r.statistic), float(r.pvalue)
        u1 = rank_sums[0] - n1 * (n1 + 1) / 2
        u = max(u1, n1 * n2 - u1)
        sd = math.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (u - n1 * n2 / 2 - 0.5) / sd
        return "mann-whitney", float(u1), float(min(1.0, 2 * ndtr(-z)))
    h = (12 / (n * (n + 1)) * np.sum(rank_sums**2 / n_g) - 3 * (n + 1)) / (1 - ties / (n**3 - n))
    return "kruskal-wallis", float(h), float(chdtrc(len(table) - 1, h))


def po_fit(table: np.ndarray, *, tol: float = 1e-10, max_iter: int = 100) -> tuple[float, np.ndarray, bool]:
    """Maximum-likelihood cumulative-logit fit of a (groups x categories) table of counts, by Newton's method.

    ``logit P(Y <= j | g) = theta_j - beta_g`` with ``beta`` of the first
    group 0; every category must hold an answer. The counts are frequency
    weights: the result is that of the expanded answers. Newton steps on
    the exact gradient and Hessian, halved until the log-likelihood rises,
    from the null model's thresholds, until the largest score is below
    ``tol`` (relative to the number of answers).

    Returns
    -------
    loglik : float
    params : numpy.ndarray
        ``theta_1..theta_{J-1}`` then ``beta_2..beta_G``.
    converged : bool

    Examples
    --------
    >>> ll, params, ok = po_fit(np.array([[3, 2, 1], [1, 2, 3]]))
    >>> round(ll, 6), ok
    (-12.136851, True)
    """
    t = np.asarray(table, dtype=float)
    g, j = t.shape
    cum = np.cumsum(t.sum(axis=0))[:-1] / t.sum()
    params = np.concatenate([np.log(cum / (1 - cum)), np.zeros(g - 1)])
    ll, grad, hess = _po_pieces(t, params)
    scale = max(1.0, t.sum())
    for _ in range(max_iter):
        if np.max(np.abs(grad)) < tol * scale:
            return ll, params, True
        try:
            step = np.linalg.solve(hess, -grad)
        except np.linalg.LinAlgError:
            step = grad / scale
        for _ in range(60):
            trial = params + step
            new = _po_pieces(t, trial)
            if np.isfinite(new[0]) and new[0] >= ll - 1e-12 * abs(ll):
                break
            step = step / 2
        else:
            return ll, params, False
        if new[0] - ll <= 1e-15 * abs(ll) and np.max(np.abs(step)) < 1e-12:
            params, (ll, grad, hess) = trial, new
            return ll, params, bool(np.max(np.abs(grad)) < 1e-6 * scale)
        params, (ll, grad, hess) = trial, new
    return ll, params, bool(np.max(np.abs(grad)) < tol * scale)


def _po_pieces(t: np.ndarray, params: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Log-likelihood, gradient and Hessian of the cumulative-logit model of :func:`po_fit`."""
    g, j = t.shape
    theta, beta = params[: j - 1], np.concatenate([[0.0], params[j - 1:]])
    eta = theta[None, :] - beta[:, None]  # (G, J-1)
    big = 1 / (1 + np.exp(-eta))
    f = big * (1 - big)
    cdf = np.concatenate([np.zeros((g, 1)), big, np.ones((g, 1))], axis=1)
    p = np.diff(cdf, axis=1)
    if np.any((p <= 0) & (t > 0)):
        return -np.inf, np.zeros_like(params), np.eye(len(params))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(t > 0, t / p, 0.0)
        ratio2 = np.where(t > 0, t / p**2, 0.0)
        ll = float(np.sum(np.where(t > 0, t * np.log(p), 0.0)))
    lower, upper = ratio[:, :-1], ratio[:, 1:]
    d = f * (lower - upper)  # d ll / d eta_gj
    fprime = f * (1 - 2 * big)
    diag = fprime * (lower - upper) - f**2 * (ratio2[:, :-1] + ratio2[:, 1:])
    off = ratio2[:, 1:-1] * f[:, :-1] * f[:, 1:]  # eta_j with eta_{j+1}, through p_{j+1}
    h = np.zeros((g, j - 1, j - 1))
    idx = np.arange(j - 1)
    h[:, idx, idx] = diag
    h[:, idx[:-1], idx[:-1] + 1] = off
    h[:, idx[:-1] + 1, idx[:-1]] = off
    # eta = theta_j - beta_g: chain rule
    k = j - 1
    grad = np.concatenate([d.sum(axis=0), -d.sum(axis=1)[1:]])
    hess = np.zeros((k + g - 1, k + g - 1))
    hess[:k, :k] = h.sum(axis=0)
    cross = -h.sum(axis=2)  # (G, J-1): d2 / d theta_j d beta_g
    hess[:k, k:] = cross[1:].T
    hess[k:, :k] = cross[1:]
    hess[k:, k:] = np.diag(h.sum(axis=(1, 2))[1:])
    return ll, grad, hess


def _proportional_odds(table: np.ndarray) -> tuple[float, float, str]:
    """LR statistic, p-value and a note for the group effect in a cumulative-logit model."""
    from scipy.special import chdtrc  # chi2.sf's own function, without importing scipy.stats

    table = table[:, table.sum(axis=0) > 0]  # categories nobody chose carry no threshold
    n_groups, n_cats = table.shape
    totals = table.sum(axis=0)
    ll0 = float(np.sum(totals * np.log(totals / totals.sum())))
    notes: list[str] = []
    ll1, params, converged = po_fit(table)
    if not converged:
        beta = params[n_cats - 1:]
        if not np.any(np.abs(beta) > _SEPARATION):
            return float("nan"), float("nan"), "proportional-odds fit did not converge (Newton)"
    lr = 2.0 * (ll1 - ll0)
    if lr < 0:
        if lr < -1e-6 * max(1.0, abs(ll0)):
            return (float("nan"), float("nan"),
                    "; ".join(["proportional-odds fit ended below the null log-likelihood"] + notes))
        lr = 0.0
    beta = params[n_cats - 1:]
    if np.any(np.abs(beta) > _SEPARATION):
        notes.append("proportional-odds group effect is unbounded (groups separated at a threshold); "
                     "LR is its limit")
    return lr, float(chdtrc(n_groups - 1, lr)), "; ".join(notes)
