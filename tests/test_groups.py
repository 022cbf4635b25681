"""Tests for wai.groups: rank tests and proportional-odds LR tests of group differences.

Expected values are worked by hand (ranks written out), closed forms
(Kruskal-Wallis H, chi-square with 2 df, the G statistic of a saturated
binary model, Holm's step-down), or an independent maximum-likelihood fit of
the cumulative-logit model written here with scipy.optimize.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special, stats

from wai.errors import InputError
from wai.groups import COMPARE_COLUMNS, _adjust, compare
from wai.scales import LikertScale

FIVE = LikertScale.numeric(1, 5)
SEVEN = LikertScale.numeric(1, 7)


def frame_from_counts(counts: dict, items=("q1",)) -> pd.DataFrame:
    """Respondents from per-group category counts, {group: [n_1, ..., n_K]}; same answers for every item."""
    groups, answers = [], []
    for group, row in counts.items():
        for category, n in enumerate(row, start=1):
            groups += [group] * n
            answers += [category] * n
    return pd.DataFrame({"g": groups} | {item: answers for item in items})


def hand_holm(p):
    """Holm (1979) step-down, written out: sort, multiply by (m - rank), running max, cap at 1."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p)
    out = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, (m - rank) * p[i])
        out[i] = min(1.0, running)
    return out


# --------------------------------------------------------------------------
# shape of the output
# --------------------------------------------------------------------------


def test_columns_are_fixed():
    df = frame_from_counts({"A": [3, 2, 1, 0, 0], "B": [0, 1, 2, 2, 1]}, items=("q1", "q2"))
    out = compare(df, ["q1", "q2"], FIVE, "g")
    assert tuple(out.columns) == COMPARE_COLUMNS
    assert out["item"].tolist() == ["q1", "q2"]
    assert out["adjust"].tolist() == ["holm", "holm"]
    assert out["groups"].tolist() == [2, 2] and out["n"].tolist() == [12, 12]
    assert out["po_df"].tolist() == [1, 1]
    assert out["note"].tolist() == ["", ""]
    # three groups: same columns
    df3 = frame_from_counts({"A": [1, 1, 1, 0, 0], "B": [0, 1, 1, 1, 0], "C": [0, 0, 1, 1, 1]})
    assert tuple(compare(df3, ["q1"], FIVE, "g").columns) == COMPARE_COLUMNS


# --------------------------------------------------------------------------
# rank tests
# --------------------------------------------------------------------------


def test_mann_whitney_hand_worked_exact():
    # A answers 1, 2; B answers 3, 4, 5. Pooled ranks: A -> 1, 2; B -> 3, 4, 5.
    # U_A = R_A - n_A (n_A + 1)/2 = 3 - 3 = 0.
    # No ties, small groups: exact null. U = 0 is the single most extreme of the
    # C(5, 2) = 10 equally likely splits, so two-sided p = 2 * 1/10 = 0.2.
    df = frame_from_counts({"A": [1, 1, 0, 0, 0], "B": [0, 0, 1, 1, 1]})
    row = compare(df, ["q1"], FIVE, "g").iloc[0]
    assert row["test"] == "mann-whitney"
    assert row["statistic"] == 0.0
    assert row["p_value"] == pytest.approx(0.2, abs=1e-12)


def test_mann_whitney_hand_worked_with_ties():
    # A answers 1, 1, 2; B answers 2, 3, 3. Pooled: 1 1 2 2 3 3 -> mid-ranks 1.5 1.5 3.5 3.5 5.5 5.5.
    # R_A = 1.5 + 1.5 + 3.5 = 6.5, U_A = 6.5 - 3*4/2 = 0.5.
    # Normal approximation: mean n1 n2 / 2 = 4.5,
    # tie-corrected variance n1 n2 / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1)))
    #   = 9/12 * (7 - (6 + 6 + 6) / 30) = 0.75 * 6.4 = 4.8,
    # continuity-corrected z = (|0.5 - 4.5| - 0.5) / sqrt(4.8); p = 2 (1 - Phi(z)).
    df = frame_from_counts({"A": [2, 1, 0, 0, 0], "B": [0, 1, 2, 0, 0]})
    row = compare(df, ["q1"], FIVE, "g").iloc[0]
    assert row["statistic"] == 0.5
    z = (4.0 - 0.5) / math.sqrt(4.8)
    assert row["p_value"] == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-12)


def test_kruskal_wallis_hand_worked_no_ties():
    # 7-point scale, every answer distinct, so ranks are the answers:
    # A = 1, 2 (R = 3); B = 3, 5 (R = 8); C = 4, 6, 7 (R = 17); N = 7.
    # H = 12 / (7 * 8) * (9/2 + 64/2 + 289/3) - 3 * 8 = (12/56) (797/6) - 24 = 125/28.
    # Chi-square with 2 df has survival function exp(-x/2), so p = exp(-125/56).
    df = frame_from_counts({"A": [1, 1, 0, 0, 0, 0, 0], "B": [0, 0, 1, 0, 1, 0, 0], "C": [0, 0, 0, 1, 0, 1, 1]})
    row = compare(df, ["q1"], SEVEN, "g").iloc[0]
    assert row["test"] == "kruskal-wallis"
    assert (row["groups"], row["n"], row["po_df"]) == (3, 7, 2)
    assert row["statistic"] == pytest.approx(125 / 28, rel=1e-12)
    assert row["p_value"] == pytest.approx(math.exp(-125 / 56), rel=1e-12)


# --------------------------------------------------------------------------
# adjustment across items
# --------------------------------------------------------------------------


def test_holm_hand_worked():
    # sorted 0.01, 0.03, 0.04 -> 3*0.01 = 0.03, 2*0.03 = 0.06, max(0.06, 1*0.04) = 0.06
    assert _adjust(np.array([0.01, 0.04, 0.03]), "holm").tolist() == pytest.approx([0.03, 0.06, 0.06])
    assert hand_holm([0.01, 0.04, 0.03]).tolist() == pytest.approx([0.03, 0.06, 0.06])
    # NaN stays NaN and is not counted in the family
    out = _adjust(np.array([0.01, np.nan, 0.04, 0.03]), "holm")
    assert np.isnan(out[1]) and out[[0, 2, 3]].tolist() == pytest.approx([0.03, 0.06, 0.06])


def varied_items():
    rng = np.random.default_rng(2)
    n = 40
    df = pd.DataFrame({"g": ["A"] * n + ["B"] * n + ["C"] * n})
    for j, shift in enumerate([0.0, 0.3, 0.6, 1.2]):
        latent = rng.normal(size=3 * n) + shift * np.repeat([0, 1, 2], n)
        df[f"q{j + 1}"] = np.clip(np.round(3 + latent), 1, 5).astype(int)
    return df, [f"q{j + 1}" for j in range(4)]


def test_adjusted_p_values_across_items():
    df, items = varied_items()
    out = compare(df, items, FIVE, "g")
    assert out["p_adjusted"].tolist() == pytest.approx(hand_holm(out["p_value"]).tolist(), rel=1e-12)
    assert out["po_p_adjusted"].tolist() == pytest.approx(hand_holm(out["po_p"]).tolist(), rel=1e-12)
    bonf = compare(df, items, FIVE, "g", adjust="bonferroni")
    assert bonf["p_adjusted"].tolist() == pytest.approx(np.minimum(1, 4 * out["p_value"]).tolist(), rel=1e-12)
    assert bonf["adjust"].unique().tolist() == ["bonferroni"]
    # any multipletests method name is accepted
    assert compare(df, items, FIVE, "g", adjust="fdr_bh")["p_adjusted"].notna().all()


@pytest.mark.parametrize("bad", ["holmes", "", None, 3])
def test_unknown_adjustment_is_a_value_error(bad):
    df, items = varied_items()
    with pytest.raises(ValueError, match=r"^adjust: got .*, expected a method statsmodels. multipletests accepts"):
        compare(df, items, FIVE, "g", adjust=bad)


# --------------------------------------------------------------------------
# proportional-odds model
# --------------------------------------------------------------------------


def test_po_identical_groups_give_no_effect():
    df = frame_from_counts({"A": [3, 5, 8, 6, 2], "B": [3, 5, 8, 6, 2], "C": [3, 5, 8, 6, 2]})
    row = compare(df, ["q1"], FIVE, "g").iloc[0]
    assert row["po_lr"] == pytest.approx(0, abs=1e-6)
    assert row["po_p"] > 0.999
    assert row["statistic"] == pytest.approx(0, abs=1e-12)  # identical rank sums: H = 0
    assert row["note"] == ""


def test_po_strongly_shifted_groups():
    df = frame_from_counts({"A": [12, 10, 5, 2, 1], "B": [1, 2, 5, 10, 12]})
    row = compare(df, ["q1"], FIVE, "g").iloc[0]
    assert row["po_p"] < 0.001 and row["p_value"] < 0.001
    assert row["note"] == ""


@pytest.mark.parametrize("counts", [
    {"A": [7, 13], "B": [12, 8]},
    {"A": [7, 13], "B": [12, 8], "C": [3, 9]},
])
def test_po_on_two_categories_is_the_g_statistic(counts):
    # With two categories the model has one threshold and one effect per group but the first:
    # it is saturated, fitting every group's share exactly, so
    # LL1 = sum_g sum_k n_gk log(n_gk / n_g), LL0 = sum_k n_k log(n_k / N) and
    # LR = G = 2 sum O log(O / E), the likelihood-ratio chi-square of the table.
    two = LikertScale(("No", "Yes"))
    df = frame_from_counts(counts)
    o = np.array(list(counts.values()), dtype=float)
    e = o.sum(axis=1, keepdims=True) * o.sum(axis=0, keepdims=True) / o.sum()
    g = 2 * np.sum(o * np.log(o / e))
    row = compare(df, ["q1"], two, "g").iloc[0]
    assert row["po_lr"] == pytest.approx(g, rel=1e-5)
    assert row["po_df"] == len(counts) - 1
    assert row["po_p"] == pytest.approx(stats.chi2.sf(g, len(counts) - 1), rel=1e-4)


def independent_po_lr(table: np.ndarray) -> float:
    """LR of the group effect in the cumulative-logit model, fitted here from the counts.

    P(Y <= j | g) = expit(theta_j - beta_g), beta_0 = 0; thresholds kept increasing by
    writing theta = cumsum(t_1, exp(t_2), ...).
    """
    n_groups, k = table.shape

    def nll(params):
        theta = np.cumsum(np.r_[params[0], np.exp(params[1:k - 1])])
        beta = np.r_[0.0, params[k - 1:]]
        cdf = special.expit(theta[None, :] - beta[:, None])
        cdf = np.c_[np.zeros(n_groups), cdf, np.ones(n_groups)]
        prob = np.diff(cdf, axis=1)
        return -np.sum(table * np.log(prob))

    start = np.r_[-1.0, np.zeros(k - 2), np.zeros(n_groups - 1)]
    fit = optimize.minimize(nll, start, method="BFGS", options={"gtol": 1e-10})
    totals = table.sum(axis=0)
    ll0 = np.sum(totals * np.log(totals / totals.sum()))
    return 2 * (-fit.fun - ll0)


@pytest.mark.parametrize("counts", [
    {"A": [4, 9, 12, 8, 3], "B": [2, 5, 9, 12, 8]},
    {"A": [4, 9, 12, 8, 3], "B": [2, 5, 9, 12, 8], "C": [8, 10, 7, 3, 2]},
])
def test_po_matches_an_independent_fit(counts):
    table = np.array(list(counts.values()), dtype=float)
    row = compare(frame_from_counts(counts), ["q1"], FIVE, "g").iloc[0]
    assert row["po_lr"] == pytest.approx(independent_po_lr(table), rel=1e-7)


def test_po_and_mann_whitney_agree_in_direction():
    # as group B moves up the scale, both p-values fall, and both tests reach the same verdict
    rows = []
    for shift in [0, 1, 2, 3, 4, 6]:
        b = [3 * (6 - min(shift, 5)), 24, 30, 24, 3 * (4 + shift)]
        row = compare(frame_from_counts({"A": [18, 24, 30, 24, 12], "B": b}), ["q1"], FIVE, "g").iloc[0]
        rows.append((row["p_value"], row["po_p"], row["statistic"]))
    mw, po, u = map(np.array, zip(*rows))
    assert np.all(np.diff(mw) < 0) and np.all(np.diff(po) < 0)
    assert mw[0] > 0.9 and po[0] > 0.9
    assert mw[-1] < 0.01 and po[-1] < 0.01
    assert ((mw < 0.05) == (po < 0.05)).all()
    assert np.all(np.diff(u) < 0)  # U of group A falls as B moves up


def test_separation_is_noted_not_hidden():
    # group A answers only the lowest category: the group effect is unbounded
    df = frame_from_counts({"A": [10, 0, 0, 0, 0], "B": [2, 3, 4, 3, 2]})
    row = compare(df, ["q1"], FIVE, "g").iloc[0]
    assert "unbounded" in row["note"]
    assert np.isfinite(row["po_lr"]) and row["po_p"] < 0.001


def test_non_convergence_gives_nan_and_a_note(monkeypatch):
    import wai.groups

    original = wai.groups.po_fit
    monkeypatch.setattr(wai.groups, "po_fit", lambda table, **kw: original(table, max_iter=1))
    df = frame_from_counts({"A": [4, 9, 12, 8, 3], "B": [2, 5, 9, 12, 8]})
    row = compare(df, ["q1"], FIVE, "g").iloc[0]
    assert np.isnan(row["po_lr"]) and np.isnan(row["po_p"]) and np.isnan(row["po_p_adjusted"])
    assert "did not converge" in row["note"]
    assert np.isfinite(row["p_value"])  # the rank test is unaffected


# R 4.2, ordinal 2023.12, MASS 7.3 (tests/data/design/refs_po.R; its output in refs_po.out):
#   lr <- function(d, w=NULL) {
#     f1 <- clm(y ~ g, data=d, weights=w, control=clm.control(gradTol=1e-12))
#     f0 <- clm(y ~ 1, data=d, weights=w, control=clm.control(gradTol=1e-12))
#     c(2 * (f1$logLik - f0$logLik), f1$logLik) }
#   h <- housing; lr(data.frame(y=h$Sat, g=h$Type, w=h$Freq), h$Freq)    # 54.075112652921234
#   lr(data.frame(y=h$Sat, g=h$Infl, w=h$Freq), h$Freq)                 # 105.46210895759259
#   2 * (logLik(polr(Sat ~ Type, weights=Freq, data=housing)) - logLik(polr(Sat ~ 1, ...)))  # 54.075118191412912
#   the docstring example: q1 7.4674920424210107, q2 0.17396242553135011
@pytest.mark.parametrize("factor, want", [("Type", 54.075112652921234), ("Infl", 105.46210895759259)])
def test_po_lr_matches_ordinal_clm_on_housing(factor, want):
    from pathlib import Path

    from wai.design import Design

    h = pd.read_csv(Path(__file__).parent / "data" / "design" / "housing.csv")
    s3 = LikertScale(("Low", "Medium", "High"))
    row = compare(h, ["Sat"], s3, factor, design=Design(frequency="Freq")).iloc[0]
    assert row["po_lr"] == pytest.approx(want, rel=1e-10)
    # polr stops earlier: 1e-7 below clm, which is what the old BFGS fit did too
    if factor == "Type":
        assert abs(row["po_lr"] - 54.075118191412912) / 54.075118191412912 > 1e-8


def test_po_lr_matches_clm_on_the_docstring_example():
    s = LikertScale(("Low", "Medium", "High"))
    df = pd.DataFrame({
        "team": ["a"] * 5 + ["b"] * 5 + ["c"] * 5 + [None],
        "q1": ["Low", "Low", "Medium", "Low", "Medium", "Medium", "High", "Medium", "High", "High",
               "Low", "Medium", "High", "Medium", "Don't know", "High"],
        "q2": ["Low", "Medium", "High", "Medium", "Low", "Medium", "Low", "High", "Medium", "Low",
               "High", "Low", "Medium", "High", "Low", "High"]})
    r = compare(df, ["q1", "q2"], s, "team")
    assert r["po_lr"].tolist() == pytest.approx([7.4674920424210107, 0.17396242553135011], rel=1e-9)


def test_rank_tests_from_counts_equal_scipy_on_the_expanded_answers():
    rng = np.random.default_rng(5)
    for groups in (2, 3, 6):
        table = rng.integers(0, 40, size=(groups, 5))
        df = frame_from_counts({f"g{i}": list(row) for i, row in enumerate(table)})
        row = compare(df, ["q1"], FIVE, "g").iloc[0]
        samples = [np.repeat(np.arange(1, 6), r) for r in table]
        ref = stats.mannwhitneyu(*samples) if groups == 2 else stats.kruskal(*samples)
        assert row["statistic"] == pytest.approx(float(ref.statistic), rel=1e-12)
        assert row["p_value"] == pytest.approx(float(ref.pvalue), rel=1e-10)


# --------------------------------------------------------------------------
# groups and answers left out
# --------------------------------------------------------------------------


def test_blank_groups_are_excluded():
    base = frame_from_counts({"A": [3, 4, 2, 1, 0], "B": [0, 2, 3, 4, 1]})
    extra = pd.DataFrame({"g": [None, "  ", np.nan], "q1": [5, 5, 1]})
    out = compare(pd.concat([base, extra], ignore_index=True), ["q1"], FIVE, "g")
    ref = compare(base, ["q1"], FIVE, "g")
    pd.testing.assert_frame_equal(out, ref)
    assert out.loc[0, "groups"] == 2 and out.loc[0, "n"] == 20


def test_non_scale_answers_are_left_out():
    base = frame_from_counts({"A": [3, 4, 2, 1, 0], "B": [0, 2, 3, 4, 1]})
    extra = pd.DataFrame({"g": ["A", "B"], "q1": ["Don't know", None]})
    out = compare(pd.concat([base, extra], ignore_index=True), ["q1"], FIVE, "g")
    pd.testing.assert_frame_equal(out, compare(base, ["q1"], FIVE, "g"))


def test_group_without_answers_is_left_out_and_named():
    df = frame_from_counts({"A": [3, 4, 2, 1, 0], "B": [0, 2, 3, 4, 1]})
    df["g"] = pd.Categorical(df["g"], categories=["A", "B", "C"])  # C never answered
    row = compare(df, ["q1"], FIVE, "g").iloc[0]
    assert (row["groups"], row["test"], row["po_df"]) == (2, "mann-whitney", 1)
    assert "'C'" in row["note"] and "left out" in row["note"]
    ref = compare(frame_from_counts({"A": [3, 4, 2, 1, 0], "B": [0, 2, 3, 4, 1]}), ["q1"], FIVE, "g").iloc[0]
    assert row["p_value"] == ref["p_value"] and row["po_lr"] == pytest.approx(ref["po_lr"], rel=1e-9)


def test_nothing_to_compare():
    one_group = frame_from_counts({"A": [3, 4, 2, 1, 0]})
    row = compare(one_group, ["q1"], FIVE, "g").iloc[0]
    assert row["groups"] == 1 and pd.isna(row["test"]) and np.isnan(row["p_value"])
    assert "nothing to compare" in row["note"]
    same = frame_from_counts({"A": [0, 0, 4, 0, 0], "B": [0, 0, 6, 0, 0]})
    row = compare(same, ["q1"], FIVE, "g").iloc[0]
    assert np.isnan(row["p_value"]) and np.isnan(row["po_lr"]) and "same category" in row["note"]


def test_input_errors():
    df = frame_from_counts({"A": [1, 1, 0, 0, 0], "B": [0, 0, 1, 1, 1]})
    with pytest.raises(InputError, match="column 'grp'"):
        compare(df, ["q1"], FIVE, "grp")
    bad = df.astype({"q1": object})
    bad.loc[1, "q1"] = "six"
    with pytest.raises(InputError, match="row 3, column 'q1'"):
        compare(bad, ["q1"], FIVE, "g")
    with pytest.raises(ValueError, match="also listed among items"):
        compare(df, ["q1", "g"], FIVE, "g")


@settings(max_examples=20, deadline=None)  # each multipletests(method="holm") call runs gc.collect()
@given(st.lists(st.sampled_from([0.0, 1e-12, 0.001, 0.01, 0.02, 0.049, 0.2, 0.5, 0.99, 1.0])
                | st.floats(0, 1), min_size=1, max_size=40))
def test_holm_is_statsmodels_holm_to_the_bit(p):
    """wai.groups.holm (written to avoid statsmodels' gc.collect() per call) against multipletests itself;
    the sampled values make ties and products above 1 common."""
    from statsmodels.stats.multitest import multipletests

    from wai.groups import holm

    p = np.array(p)
    assert holm(p).tolist() == multipletests(p, method="holm")[1].tolist()
