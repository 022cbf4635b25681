"""Tests for wai.inference: intervals, category shares, band certainty and survey weights.

Every expected value comes from outside the code under test: a closed form
written out here, a small case worked by hand in a comment, scipy or
statsmodels called directly on the expanded answers, or a row-level
implementation of the formula.
"""

import itertools
import math
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats

from wai.bands import CHAPTER11_BANDS, BandScheme
from wai.errors import OptionError
from wai.inference import (
    CI_METHODS,
    INFERENCE_COLUMNS,
    BandCertainty,
    IndexInterval,
    _band_indices,
    band_certainty,
    category_intervals,
    count_inference,
    kish_effective_n,
    wai_interval,
    weighted_wai,
)
from wai.scales import LEVEL5, LikertScale
from wai.scoring import score

T1 = [5, 15, 28, 37, 14]  # chapter 11's rule-dependent item: WAI 119/198 = 0.6010
counts5 = st.lists(st.integers(0, 30), min_size=5, max_size=5).filter(lambda c: sum(c) >= 2)


def expand(counts, points=None):
    """Answers coded 1..K, one per respondent."""
    return np.repeat(np.arange(1, len(counts) + 1), counts)


# --------------------------------------------------------------------------
# "t": closed form
# --------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(counts=counts5, confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
@example(counts=[0, 0, 0, 1, 1], confidence=0.95)  # the interval leaves [0, 1] at both ends
def test_t_matches_ttest_1samp_on_expanded_answers(counts, confidence):
    codes = expand(counts)
    r = wai_interval(counts, confidence_level=confidence)
    # WAI = (mean - 1)/(K - 1) on codes 1..K, so the interval maps the same way
    assert r.estimate == pytest.approx((codes.mean() - 1) / 4, abs=1e-14)
    assert r.se == pytest.approx(codes.std(ddof=1) / math.sqrt(codes.size) / 4, rel=1e-12, abs=1e-15)
    if codes.std() == 0:  # every answer in one category: zero width
        assert r.ci_low == r.ci_high == r.estimate
    else:
        ci = stats.ttest_1samp(codes, 0.0).confidence_interval(confidence_level=confidence)
        low, high = (ci.low - 1) / 4, (ci.high - 1) / 4
        # each end cut to [0, 1] where the t interval leaves it (two answers 4 and 5 give -0.71..1.26)
        assert r.ci_low == pytest.approx(max(low, 0.0), abs=1e-12)
        assert r.ci_high == pytest.approx(min(high, 1.0), abs=1e-12)
        assert r.truncated == (low < 0 or high > 1)
    assert (r.method, r.confidence, r.n) == ("t", confidence, sum(counts))


def test_t_hand_worked():
    # one answer in each of the five categories: scores 0, 1/4, 1/2, 3/4, 1
    # mean 1/2; squared deviations 1/4, 1/16, 0, 1/16, 1/4 -> sum 5/8; s^2 = (5/8)/4 = 5/32
    # se = sqrt(5/32 / 5) = sqrt(1/32) = 0.1767767; t_{4, 0.975} = 2.776445 (tables)
    r = wai_interval([1, 1, 1, 1, 1])
    assert r.estimate == 0.5
    assert r.se == pytest.approx(math.sqrt(1 / 32), rel=1e-14)
    assert r.ci_low == pytest.approx(0.5 - 2.776445105 * math.sqrt(1 / 32), abs=1e-9)
    assert r.ci_high == pytest.approx(0.5 + 2.776445105 * math.sqrt(1 / 32), abs=1e-9)


def test_t_single_answer_and_one_category():
    one = wai_interval([0, 0, 1, 0, 0])
    assert one.estimate == 0.5 and math.isnan(one.se) and math.isnan(one.ci_low) and math.isnan(one.ci_high)
    flat = wai_interval([0, 0, 0, 7, 0])
    assert (flat.se, flat.ci_low, flat.ci_high) == (0.0, 0.75, 0.75)


def test_t_uses_the_scales_own_weights():
    # weights 0, 1/3, 1/2, 1 (not equally spaced): the interval is the t interval of those scores
    s = LikertScale(("a", "b", "c", "d"), weights=("0", "1/3", "1/2", "1"))
    counts = [3, 1, 4, 2]
    y = np.repeat([0, 1 / 3, 1 / 2, 1], counts)
    r = wai_interval(counts, s)
    ci = stats.ttest_1samp(y, 0.0).confidence_interval()
    assert r.estimate == pytest.approx(y.mean(), abs=1e-15)
    assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), abs=1e-12)


# --------------------------------------------------------------------------
# "bca"
# --------------------------------------------------------------------------


def test_bca_is_reproducible_and_is_scipys_bca_on_the_answers():
    a = wai_interval(T1, ci_method="bca", n_resamples=1999, seed=7)
    b = wai_interval(T1, ci_method="bca", n_resamples=1999, seed=7)
    assert a == b
    assert wai_interval(T1, ci_method="bca", n_resamples=1999, seed=8) != a
    # scipy called directly, as documented: the mean of the expanded answers, BCa, seeded generator
    y = (expand(T1) - 1) / 4
    res = stats.bootstrap((y,), np.mean, n_resamples=1999, method="BCa",
                          random_state=np.random.default_rng(7))
    assert (a.ci_low, a.ci_high, a.se) == (res.confidence_interval.low, res.confidence_interval.high,
                                           res.standard_error)
    assert a.method == "bca" and a.estimate == float(Fraction(119, 198))


def test_bca_close_to_t_on_a_large_sample():
    # n = 1000. Both intervals estimate mean -+ 1.96 se; what separates them:
    # - Monte Carlo error of a 2.5% bootstrap quantile with R = 9999: sqrt(.025 * .975 / R) / phi(1.96)
    #   = 0.00156 / 0.0584 = 0.027 se;
    # - BCa's skewness and bias corrections for a mean: O(se / sqrt(n)), about 0.03 se here;
    # - t_999 vs z quantile (0.1%) and bootstrap sd (divisor n, not n - 1): < 0.01 se.
    # 0.15 se is more than 3 times their sum. The bootstrap SE's own Monte Carlo error is
    # se / sqrt(2R) = 0.7%; allow 3%.
    counts = [100, 150, 300, 250, 200]
    t = wai_interval(counts)
    b = wai_interval(counts, ci_method="bca")
    assert abs(b.ci_low - t.ci_low) < 0.15 * t.se
    assert abs(b.ci_high - t.ci_high) < 0.15 * t.se
    assert b.se == pytest.approx(t.se, rel=0.03)


def test_bca_degenerate_data_gives_zero_width_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # scipy's DegenerateDataWarning must not leak
        r = wai_interval([0, 0, 0, 12, 0], ci_method="bca")
        one = wai_interval([0, 1, 0, 0, 0], ci_method="bca")
    assert (r.estimate, r.se, r.ci_low, r.ci_high) == (0.75, 0.0, 0.75, 0.75)
    assert (one.ci_low, one.ci_high) == (0.25, 0.25)


# --------------------------------------------------------------------------
# "multinomial"
# --------------------------------------------------------------------------


def test_multinomial_is_reproducible_and_matches_a_direct_computation():
    r = wai_interval(T1, ci_method="multinomial", n_resamples=4000, seed=3)
    assert r == wai_interval(T1, ci_method="multinomial", n_resamples=4000, seed=3)
    assert r != wai_interval(T1, ci_method="multinomial", n_resamples=4000, seed=4)
    # direct: draw the same replicates, WAI = sum (k - 1) F_k / (4 n), percentile interval
    n = sum(T1)
    reps = np.random.default_rng(3).multinomial(n, np.array(T1) / n, size=4000)
    values = np.array([sum(k * f for k, f in enumerate(rep)) / (4 * n) for rep in reps])
    assert r.ci_low == pytest.approx(np.percentile(values, 2.5), abs=1e-15)
    assert r.ci_high == pytest.approx(np.percentile(values, 97.5), abs=1e-15)
    assert r.se == pytest.approx(values.std(ddof=1), rel=1e-12)


def test_multinomial_percentile_interval_covers_the_true_wai():
    # counts from a known p with n = 200; the 95% interval should hold the true WAI in about
    # 95% of datasets. Over 400 datasets the share's sd is sqrt(.95 * .05 / 400) = 0.011, so
    # [0.91, 0.98] is about -3.6 to +2.7 sd around 0.95 (the percentile interval of a mean
    # undercovers slightly at n = 200, hence the lower side is wider).
    p = np.array([0.10, 0.20, 0.30, 0.25, 0.15])
    true = float(p @ np.array([0, 0.25, 0.5, 0.75, 1]))  # (0.2 + 0.6 + 0.75 + 0.6)/4 = 0.5375
    data = np.random.default_rng(20240601).multinomial(200, p, size=400)
    hits = 0
    for i, counts in enumerate(data):
        r = wai_interval(counts, ci_method="multinomial", n_resamples=999, seed=i)
        hits += r.ci_low <= true <= r.ci_high
    assert 0.91 <= hits / 400 <= 0.98


# --------------------------------------------------------------------------
# argument checks
# --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["T", "mult", "percentile", "", None])
def test_unknown_method_lists_the_valid_choices(method):
    with pytest.raises(ValueError, match=r"^ci_method: got .*, expected one of 't', 'bca', 'multinomial'"):
        wai_interval(T1, ci_method=method)


@pytest.mark.parametrize("confidence", [0, 1, 95, -0.5, True, "0.95", float("nan")])
def test_confidence_must_be_in_the_open_unit_interval(confidence):
    with pytest.raises(ValueError, match="confidence"):
        wai_interval(T1, confidence_level=confidence)


@pytest.mark.parametrize("counts", [
    [0, 0, 0, 0, 0], [1, -1, 2, 0, 0], [1.5, 2, 0, 0, 0], [3], [[1, 2], [3, 4]],
])
def test_bad_counts(counts):
    with pytest.raises(ValueError):
        wai_interval(counts)


def test_other_bad_arguments():
    with pytest.raises(ValueError, match="3 points"):
        wai_interval(T1, LikertScale(("a", "b", "c")))
    with pytest.raises(ValueError, match="n_resamples"):
        wai_interval(T1, ci_method="multinomial", n_resamples=1)
    with pytest.raises(ValueError, match=r"^ci_method: got 'wald', expected one of 'wilson', 'goodman'"):
        category_intervals(T1, ci_method="wald")
    with pytest.raises(ValueError, match=r"^rule: got 'round', expected one of 'rounded', 'exact' \(did you mean 'rounded'\?\)"):
        band_certainty(T1, rule="round")
    with pytest.raises(ValueError, match="n_obs"):
        weighted_wai([1.0, 2.0], [1.0, 2.0], n_obs=0)


# --------------------------------------------------------------------------
# category shares
# --------------------------------------------------------------------------


def test_wilson_matches_the_closed_form():
    counts = np.array([0, 3, 17, 60, 20])
    big_n = counts.sum()
    z = stats.norm.ppf(0.975)
    p = counts / big_n
    centre = (p + z**2 / (2 * big_n)) / (1 + z**2 / big_n)
    half = z / (1 + z**2 / big_n) * np.sqrt(p * (1 - p) / big_n + z**2 / (4 * big_n**2))
    t = category_intervals(counts)
    assert list(t.columns) == ["category", "count", "share", "ci_low", "ci_high", "method"]
    assert t["category"].tolist() == [1, 2, 3, 4, 5] and t["count"].tolist() == counts.tolist()
    assert t["share"].tolist() == pytest.approx(p.tolist(), abs=1e-15)
    assert np.allclose(t["ci_low"], centre - half, rtol=0, atol=1e-12)
    assert np.allclose(t["ci_high"], centre + half, rtol=0, atol=1e-12)
    assert set(t["method"]) == {"wilson"}


def test_goodman_matches_the_closed_form():
    counts = np.array([5, 15, 28, 37, 14])
    big_n, k, alpha = counts.sum(), counts.size, 0.10
    a = stats.chi2.ppf(1 - alpha / k, 1)  # Goodman (1965): Bonferroni over the K categories
    root = np.sqrt(a * (a + 4 * counts * (big_n - counts) / big_n))
    t = category_intervals(counts, ci_method="goodman", confidence_level=0.90)
    assert np.allclose(t["ci_low"], (a + 2 * counts - root) / (2 * (big_n + a)), rtol=0, atol=1e-12)
    assert np.allclose(t["ci_high"], (a + 2 * counts + root) / (2 * (big_n + a)), rtol=0, atol=1e-12)
    # simultaneous intervals are wider than the per-category Wilson ones at the same level
    w = category_intervals(counts, confidence_level=0.90)
    assert ((t["ci_high"] - t["ci_low"]) > (w["ci_high"] - w["ci_low"])).all()


# --------------------------------------------------------------------------
# survey weights
# --------------------------------------------------------------------------


def test_weighted_hand_case():
    # y = (0, 1), w = (1, 3): mean = 3/4; z = w (y - 3/4) / 4 = (-3/16, 3/16)
    # var = n/(n-1) sum z^2 = 2 * (9/256 + 9/256) = 36/256, se = 6/16 = 0.375
    r = weighted_wai([1.0, 3.0], [1.0, 9.0], n_obs=2)
    assert (r.estimate, r.se, r.method, r.n) == (0.75, 0.375, "linearization", 2.0)
    z = stats.norm.ppf(0.975)  # confint(svymean(...)) uses the normal quantile
    # R's confint gives 0.75 -+ z 0.375 = (0.015, 1.485); the end above 1 is cut, and flagged
    assert (r.ci_low, r.ci_high, r.truncated) == pytest.approx((0.75 - z * 0.375, 1.0, True), abs=1e-15)


def row_level_svymean(y, w):
    """survey::svymean's linearization written out on rows (Lumley 2004; svymean.survey.design2)."""
    y, w = np.asarray(y, float), np.asarray(w, float)
    n, total = y.size, w.sum()
    mean = (w * y).sum() / total
    z = w * (y - mean) / total
    return mean, math.sqrt(n / (n - 1) * (z**2).sum())


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 4), st.floats(0, 10, allow_nan=False)), min_size=2, max_size=60)
       .filter(lambda rs: sum(w for _, w in rs) > 0.1))
def test_weighted_counts_formula_matches_row_level_influence_functions(rows):
    y = [k / 4 for k, _ in rows]
    w = [x for _, x in rows]
    sum_w, sum_w2 = np.zeros(5), np.zeros(5)
    for (k, x) in rows:
        sum_w[k] += x
        sum_w2[k] += x * x
    if np.any((sum_w > 0) & (sum_w2 == 0)):  # subnormal weights; not a survey
        return
    r = weighted_wai(sum_w, sum_w2, n_obs=len(rows))
    mean, se = row_level_svymean(y, w)
    assert r.estimate == pytest.approx(mean, rel=1e-12, abs=1e-14)
    assert r.se == pytest.approx(se, rel=1e-9, abs=1e-14)


@settings(max_examples=60, deadline=None)
@given(counts=counts5)
def test_unit_weights_give_the_t_standard_error(counts):
    # With w_i = 1: mean = ybar, z_i = (y_i - ybar)/n, so
    # var_lin = n/(n-1) * sum (y_i - ybar)^2 / n^2 = SS / (n (n-1)) = s^2 / n = var_t.
    # The n/(n-1) factor makes the two standard errors *equal*; only the quantile differs (z vs t).
    n = sum(counts)
    lin = weighted_wai(np.array(counts, float), np.array(counts, float), n_obs=n)
    t = wai_interval(counts)
    assert lin.se == pytest.approx(t.se, rel=1e-12, abs=1e-15)
    assert kish_effective_n(counts, counts) == n  # Kish n_eff for equal weights = n


def test_kish_effective_n():
    assert kish_effective_n([3.0, 5.0], [3.0, 5.0]) == 8.0  # 8 answers of weight 1
    assert kish_effective_n([6.0, 10.0], [12.0, 20.0]) == 8.0  # same, weight 2: (16)^2/32
    assert kish_effective_n(4.0, 10.0) == 1.6  # weights 1, 3: 16/10


# --------------------------------------------------------------------------
# band certainty
# --------------------------------------------------------------------------


def test_all_answers_in_one_category_is_certain():
    b = band_certainty([0, 0, 0, 50, 0], interval=wai_interval([0, 0, 0, 50, 0]))
    assert b == BandCertainty(band="High", interval_in_one_band=True, replicate_share=1.0, rule="rounded")
    assert band_certainty([0, 0, 0, 50, 0]).interval_in_one_band is None


def test_interval_across_a_break_is_not_in_one_band():
    b = band_certainty(T1, interval=(0.55, 0.65))
    assert (b.band, b.interval_in_one_band) == ("Neutral", False)
    # exact rule: 0.601 > 0.60 is High; (0.61, 0.79) stays in High
    assert band_certainty(T1, interval=(0.61, 0.79), rule="exact").interval_in_one_band is True


@pytest.mark.parametrize("counts, rule, band", [
    # 100*0 + 100*1 + 300*2 + 300*3 + 200*4 = 2400 = 0.6 * 4 * 1000: WAI exactly 0.60, the top of
    # Neutral under the exact rule
    ([100, 100, 300, 300, 200], "exact", "Neutral"),
    # 100 + 560 + 960 + 800 = 2420: WAI 0.605 exactly, which prints 0.61 (High) under the rounded rule
    ([100, 100, 280, 320, 200], "rounded", "High"),
])
def test_value_at_a_break_has_share_near_one_half(counts, rule, band):
    # Replicate sums S* = sum (k-1) F*_k are about normal with mean S = n * mean and sd
    # sqrt(n) * sd(k-1) = sqrt(1000) * 1.2 = 37.9 (var of k-1 = 7.2 - 2.4^2 = 1.44 for the first
    # counts, about the same for the second). The band holds S* <= S (exact) or S* >= S (rounded),
    # with probability Phi(0.5 / 37.9) = 0.505 after the continuity correction; skewness moves it
    # by < 0.005, and the Monte Carlo sd with 9999 replicates is 0.005. [0.46, 0.55] is > 7 sd wide.
    b = band_certainty(counts, rule=rule)
    assert b.band == band
    assert 0.46 <= b.replicate_share <= 0.55


def classify_replicates(counts, seed, n_resamples, bands, rule, weights):
    """Independent: redraw the replicates and classify each exact Fraction with BandScheme.classify."""
    n = sum(counts)
    reps = np.random.default_rng(seed).multinomial(n, np.array(counts) / n, size=n_resamples)
    cache = {}
    labels = []
    for rep in reps:
        value = sum((Fraction(f) * w for f, w in zip(rep.tolist(), weights)), Fraction(0)) / n
        if value not in cache:
            cache[value] = bands.classify(value, rule)
        labels.append(cache[value])
    return labels


ONE_DECIMAL = BandScheme.from_ranges([("Low", "0.0", "0.3"), ("Mid", "0.4", "0.6"), ("High", "0.7", "1.0")])
ODD_SCALE = LikertScale(("a", "b", "c", "d"), weights=("0", "1/3", "1/2", "1"))


@pytest.mark.parametrize("rule", ["rounded", "exact"])
@pytest.mark.parametrize("counts, scale, bands", [
    (T1, None, CHAPTER11_BANDS),
    ([2, 7, 9, 3, 1], None, CHAPTER11_BANDS),
    # n = 200: replicate WAIs are multiples of 1/800, so many sit exactly on 0.605 = 484/800 (a
    # rounding tie) or on the break 0.60 itself
    ([20, 20, 56, 64, 40], None, CHAPTER11_BANDS),
    (T1, None, ONE_DECIMAL),
    ([4, 6, 5, 3], ODD_SCALE, CHAPTER11_BANDS),
    ([1, 2, 2, 1], ODD_SCALE, ONE_DECIMAL),
])
def test_replicate_share_agrees_with_exact_classification(counts, scale, bands, rule):
    weights = scale.weights if scale else [Fraction(k, len(counts) - 1) for k in range(len(counts))]
    b = band_certainty(counts, scale, bands, method="bootstrap", n_resamples=3000, seed=11, rule=rule)
    labels = classify_replicates(counts, 11, 3000, bands, rule, weights)
    assert b.replicate_share == sum(label == b.band for label in labels) / 3000


@settings(max_examples=300, deadline=None)
@given(s=st.integers(-60, 4000), den=st.integers(1, 1000), rule=st.sampled_from(["rounded", "exact"]),
       bands=st.sampled_from([CHAPTER11_BANDS, ONE_DECIMAL]))
def test_integer_band_classification_agrees_with_classify(s, den, rule, bands):
    index = int(_band_indices(np.array([s]), den, bands, rule)[0])
    assert bands.labels[index] == bands.classify(Fraction(s, den), rule)


@pytest.mark.parametrize("value, bands, rounded, exact", [
    ("0.205", CHAPTER11_BANDS, "Low", "Low"),  # a tie rounds half up to 0.21
    ("0.2049", CHAPTER11_BANDS, "Very Low", "Low"),
    ("0.20", CHAPTER11_BANDS, "Very Low", "Very Low"),  # the break itself is closed on the right
    ("0.605", CHAPTER11_BANDS, "High", "High"),
    ("0.6049", CHAPTER11_BANDS, "Neutral", "High"),
    ("0.805", CHAPTER11_BANDS, "Very High", "Very High"),
    ("-0.005", CHAPTER11_BANDS, "Very Low", "Very Low"),
    ("0.35", ONE_DECIMAL, "Mid", "Mid"),  # 1 decimal: 0.35 -> 0.4
    ("0.3499", ONE_DECIMAL, "Low", "Mid"),
    ("0.65", ONE_DECIMAL, "High", "High"),
])
def test_integer_band_classification_at_ties_and_breaks(value, bands, rounded, exact):
    x = Fraction(value)
    for scale in (1, 3, 7):  # the same value written over several denominators
        s, den = x.numerator * scale, x.denominator * scale
        assert bands.labels[int(_band_indices(np.array([s]), den, bands, "rounded")[0])] == rounded
        assert bands.labels[int(_band_indices(np.array([s]), den, bands, "exact")[0])] == exact


# --------------------------------------------------------------------------
# score(): the fixed columns
# --------------------------------------------------------------------------


def answers_for(counts):
    return [LEVEL5.labels[k] for k, f in enumerate(counts) for _ in range(f)]


def two_items():
    a = answers_for([3, 6, 10, 8, 3])  # n = 30
    b = answers_for([0, 1, 4, 12, 8]) + [None] * 5
    return pd.DataFrame({"q1": a, "q2": b, "g": ["x", "y"] * 15})


@pytest.mark.parametrize("method", CI_METHODS)
def test_score_has_the_same_columns_for_every_method(method):
    out = score(two_items(), ["q1", "q2"], ci_method=method, n_resamples=500, seed=5)
    from wai.shares import SHARE_COLUMNS  # the box shares come last, after the inference columns

    assert list(out.columns[-len(INFERENCE_COLUMNS) - len(SHARE_COLUMNS):-len(SHARE_COLUMNS)]) == list(INFERENCE_COLUMNS)
    assert out["ci_method"].tolist() == [method, method]
    assert out["confidence"].tolist() == [0.95, 0.95] and out["n_eff"].tolist() == [30.0, 25.0]
    assert str(out["band_certain"].dtype) == "boolean"
    for i, counts in enumerate([[3, 6, 10, 8, 3], [0, 1, 4, 12, 8]]):
        if method == "linearization":  # unit weights
            ref = weighted_wai(np.array(counts, float), np.array(counts, float), n_obs=sum(counts))
        else:
            ref = wai_interval(counts, ci_method=method, n_resamples=500, seed=5)
        row = out.iloc[i]
        assert (row["se"], row["ci_low"], row["ci_high"]) == pytest.approx((ref.se, ref.ci_low, ref.ci_high),
                                                                            abs=1e-14)
        cert = band_certainty(counts, interval=ref, n_resamples=500, seed=5)
        assert row["band"] == cert.band
        assert bool(row["band_certain"]) is cert.interval_in_one_band
        assert row["band_share"] == cert.replicate_share


def test_score_with_weights_matches_weighted_wai_on_the_rows():
    df = two_items()
    df["w"] = np.resize([0.5, 1.0, 2.5, 1.5, 3.0, 0.25, 1.0], len(df))
    out = score(df, ["q1", "q2"], weights="w")
    assert set(out["ci_method"]) == {"linearization"}
    assert out["band_share"].isna().all()
    for i, item in enumerate(["q1", "q2"]):
        answered = df[df[item].notna()]
        codes = answered[item].map({label: k for k, label in enumerate(LEVEL5.labels)})
        sum_w = answered.groupby(codes)["w"].sum().reindex(range(5), fill_value=0.0).to_numpy()
        sum_w2 = (answered["w"] ** 2).groupby(codes).sum().reindex(range(5), fill_value=0.0).to_numpy()
        ref = weighted_wai(sum_w, sum_w2, n_obs=len(answered))
        row = out.iloc[i]
        assert row["wai"] == pytest.approx(ref.estimate, rel=1e-12)
        assert (row["se"], row["ci_low"], row["ci_high"]) == pytest.approx((ref.se, ref.ci_low, ref.ci_high),
                                                                            rel=1e-12)
        assert row["n_eff"] == pytest.approx(answered["w"].sum() ** 2 / (answered["w"] ** 2).sum(), rel=1e-12)
        # and directly against the row-level influence functions
        y = codes.to_numpy() / 4
        assert row["se"] == pytest.approx(row_level_svymean(y, answered["w"].to_numpy())[1], rel=1e-12)
    # a bootstrap request with weights still gives the design-based interval (documented)
    assert set(score(df, ["q1"], weights="w", ci_method="bca")["ci_method"]) == {"linearization"}


def test_score_by_group_gives_each_groups_interval():
    df = two_items()
    out = score(df, ["q1", "q2"], by="g")
    for _, row in out.iterrows():
        answers = df.loc[df["g"] == row["g"], row["item"]].dropna()
        counts = [int((answers == label).sum()) for label in LEVEL5.labels]
        ref = wai_interval(counts)
        assert (row["se"], row["ci_low"], row["ci_high"]) == pytest.approx((ref.se, ref.ci_low, ref.ci_high),
                                                                            abs=1e-14)
        assert row["band_share"] == band_certainty(counts).replicate_share


def test_count_inference_rows_are_independent_of_each_other():
    # each row's bootstrap starts from the seed: reordering rows reorders the results
    rows = np.array([[3, 6, 10, 8, 3], [0, 1, 4, 12, 8], [1, 0, 0, 0, 1]])
    a = count_inference(rows, ci_method="multinomial", n_resamples=300)
    b = count_inference(rows[::-1], ci_method="multinomial", n_resamples=300)
    pd.testing.assert_frame_equal(a, b.iloc[::-1].reset_index(drop=True))


def test_index_interval_is_frozen():
    r = wai_interval(T1)
    assert isinstance(r, IndexInterval)
    with pytest.raises(AttributeError):
        r.se = 0.0  # type: ignore[misc]


# --------------------------------------------------------------------------
# every interval inside [0, 1], at every n (issue 11)
# --------------------------------------------------------------------------


def test_t_interval_is_cut_to_the_unit_interval_and_flagged():
    # two answers, 0 and 1: mean 0.5, se 0.5, t_{1, .975} = 12.706: the raw interval is [-5.85, 6.85]
    r = wai_interval([1, 0, 0, 0, 1])
    assert (r.ci_low, r.ci_high, r.truncated) == (0.0, 1.0, True)
    inside = wai_interval([5, 15, 28, 37, 14])
    assert not inside.truncated
    t = count_inference(np.array([[1, 0, 0, 0, 1], [5, 15, 28, 37, 14]]))
    assert t["ci_method"].tolist() == ["t-truncated", "t"]
    assert (t.loc[0, "ci_low"], t.loc[0, "ci_high"]) == (0.0, 1.0)


def test_logit_interval_hand_worked():
    # answers 0.75, 1, 0.5: mean 3/4, se = 0.25/sqrt(3), t_{2,.975} = 4.302652729911275
    r = wai_interval([0, 0, 1, 1, 1], ci_method="logit")
    q = stats.t.ppf(0.975, 2)  # 4.3026527...
    half = q * (0.25 / math.sqrt(3)) / (0.75 * 0.25)
    expit = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    assert (r.ci_low, r.ci_high) == pytest.approx((expit(math.log(3) - half), expit(math.log(3) + half)), rel=1e-12)
    assert r.method == "logit" and not r.truncated


@pytest.mark.parametrize("method", ["t", "logit", "bca", "multinomial"])
@pytest.mark.parametrize("counts", [[1, 0, 0, 0, 0], [0, 0, 0, 0, 1], [1, 0, 0, 0, 1], [2, 0, 0, 0, 0],
                                    [0, 1, 0, 0, 1], [1, 0, 0, 0, 2], [3, 0, 0, 0, 1], [9, 0, 0, 0, 1]])
def test_every_interval_lies_in_the_unit_interval_at_small_n(method, counts):
    r = wai_interval(counts, ci_method=method, n_resamples=199)
    if sum(counts) == 1:  # one answer: no variance, no interval (NaN), for every method that needs one
        assert method in ("bca", "multinomial") or math.isnan(r.ci_low)
    if not math.isnan(r.ci_low):
        assert 0.0 <= r.ci_low <= r.estimate <= r.ci_high <= 1.0


def test_weighted_rows_are_bounded_too():
    t = count_inference(np.array([[1.0, 3.0]]), sum_w2=np.array([[1.0, 9.0]]), n_obs=np.array([2]))
    # 0.75 -+ 1.96 * 0.375 leaves [0, 1] at the top
    assert t.loc[0, "ci_method"] == "linearization-truncated" and t.loc[0, "ci_high"] == 1.0
    t = count_inference(np.array([[1.0, 3.0]]), sum_w2=np.array([[1.0, 9.0]]), n_obs=np.array([2]),
                        ci_method="logit")
    assert t.loc[0, "ci_method"] == "logit" and 0 < t.loc[0, "ci_low"] < 0.75 < t.loc[0, "ci_high"] < 1


# --------------------------------------------------------------------------
# exact band certainty (wai.certainty): against independent computations
# --------------------------------------------------------------------------


def brute_force_share(counts, weights, bands, rule):
    """Independent: every multinomial outcome of the counts, its exact probability, classified by classify()."""
    n, k = sum(counts), len(counts)
    band = bands.classify(sum(Fraction(c) * w for c, w in zip(counts, weights)) / n, rule)
    total = Fraction(0)
    for head in itertools.product(range(n + 1), repeat=k - 1):
        if sum(head) > n:
            continue
        outcome = list(head) + [n - sum(head)]
        prob = Fraction(math.factorial(n))
        for f, c in zip(outcome, counts):
            prob *= Fraction(c, n) ** f / math.factorial(f)
        if prob and bands.classify(sum(Fraction(f) * w for f, w in zip(outcome, weights)) / n, rule) == band:
            total += prob
    return total


def convolution_share(counts, units, denominator, bands, rule):
    """Independent: the distribution of S* by repeated squaring of plain convolutions (no FFT, no window)."""
    n = sum(counts)
    step = np.zeros(max(units) + 1)
    for u, c in zip(units, counts):
        step[u] += c / n
    dist, power, e = np.array([1.0]), step, n
    while e:
        if e & 1:
            dist = np.convolve(dist, power)
        e >>= 1
        if e:
            power = np.convolve(power, power)
    band = bands.classify(Fraction(int(np.dot(counts, units)), n * denominator), rule)
    return sum(p for s, p in enumerate(dist) if p and bands.classify(Fraction(s, n * denominator), rule) == band)


WAI5 = [Fraction(k, 4) for k in range(5)]


@pytest.mark.parametrize("rule", ["rounded", "exact"])
@pytest.mark.parametrize("counts, scale, bands", [
    ([1, 1, 0, 0, 0], None, CHAPTER11_BANDS),
    ([1, 2, 1, 2, 1], None, CHAPTER11_BANDS),
    ([0, 3, 2, 1, 2], None, CHAPTER11_BANDS),
    ([2, 0, 1, 0, 3], None, ONE_DECIMAL),
    ([2, 1, 3, 2], ODD_SCALE, CHAPTER11_BANDS),
    ([1, 3, 1, 4], ODD_SCALE, ONE_DECIMAL),
    ([4, 5], None, CHAPTER11_BANDS),
])
def test_exact_share_is_the_brute_force_sum_over_every_multinomial_outcome(counts, scale, bands, rule):
    weights = scale.weights if scale else [Fraction(k, len(counts) - 1) for k in range(len(counts))]
    expected = brute_force_share(counts, weights, bands, rule)
    b = band_certainty(counts, scale, bands, rule=rule)
    assert b.method == "exact"
    assert b.replicate_share == pytest.approx(float(expected), abs=1e-14)


@pytest.mark.parametrize("n, successes", [(200, 121), (2000, 1210), (2000, 1196), (40, 24)])
@pytest.mark.parametrize("rule", ["rounded", "exact"])
def test_two_categories_give_the_binomial_closed_form(n, successes, rule):
    # With two categories S* ~ Binomial(n, x/n) and the WAI is S*/n: the share is the binomial
    # probability of the band's range of S*, summed exactly over every s (math.comb).
    counts = [n - successes, successes]
    band = CHAPTER11_BANDS.classify(Fraction(successes, n), rule)
    # in integers: P(s) = comb(n, s) x^s (n - x)^(n - s) / n^n with x = successes
    x = successes
    inside = sum(math.comb(n, s) * x**s * (n - x) ** (n - s) for s in range(n + 1)
                 if CHAPTER11_BANDS.classify(Fraction(s, n), rule) == band)
    exact = Fraction(inside, n**n)
    assert band_certainty(counts, rule=rule).replicate_share == pytest.approx(float(exact), abs=1e-13)


@pytest.mark.parametrize("counts", [
    [40, 80, 120, 100, 60],            # n = 400, WAI 0.5125: interior of Neutral
    [10, 20, 31, 25, 14],              # n = 100, near 0.55
    [300, 600, 909, 600, 591],         # n = 3000, 0.5475, about 1.6 SE below the 0.605 tie
    [100, 100, 280, 320, 200],         # n = 1000, exactly on the rounded tie 0.605
])
@pytest.mark.parametrize("rule", ["rounded", "exact"])
def test_exact_share_matches_the_plain_convolution_of_the_shares(counts, rule):
    expected = convolution_share(counts, [0, 1, 2, 3, 4], 4, CHAPTER11_BANDS, rule)
    assert band_certainty(counts, rule=rule).replicate_share == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("counts, rule", [([5, 15, 28, 37, 14], "rounded"), ([100, 100, 300, 300, 200], "exact"),
                                          ([3, 9, 12, 10, 6], "rounded")])
def test_exact_share_agrees_with_a_large_seeded_bootstrap(counts, rule):
    exact = band_certainty(counts, rule=rule).replicate_share
    boot = band_certainty(counts, rule=rule, method="bootstrap", n_resamples=200_000, seed=3).replicate_share
    sd = math.sqrt(exact * (1 - exact) / 200_000)  # Monte Carlo sd of the bootstrap share
    assert abs(boot - exact) <= 5 * sd


def test_far_from_every_break_the_share_is_one_without_convolving(monkeypatch):
    import wai.certainty as certainty

    def refuse(*args, **kwargs):
        raise AssertionError("a clear row was convolved")

    monkeypatch.setattr(certainty, "_convolved_shares", refuse)
    # WAI 0.5 at n = 100,000: the nearest break (0.405 or 0.605) is > 28 SE away; Bernstein's bound
    # is below 2^-55, so the share is 1.0 to float precision
    counts = np.array([[10_000, 20_000, 40_000, 20_000, 10_000], [0, 0, 0, 7, 0]])
    assert certainty.exact_band_shares(counts, [0, 1, 2, 3, 4], 4).tolist() == [1.0, 1.0]


def test_a_row_too_large_to_convolve_falls_back_to_the_seeded_bootstrap(monkeypatch):
    import wai.certainty as certainty

    monkeypatch.setattr(certainty, "MAX_EXACT_POINTS", 8)
    b = band_certainty(T1, n_resamples=500, seed=4)
    assert b.method == "bootstrap"
    assert b.replicate_share == band_certainty(T1, method="bootstrap", n_resamples=500, seed=4).replicate_share
    row = count_inference(np.array([T1]), n_resamples=500, seed=4)
    assert row.loc[0, "band_share"] == b.replicate_share


def test_band_certainty_can_be_skipped():
    df = two_items()
    out = score(df, ["q1", "q2"], band_certainty=False)
    assert out["band_share"].isna().all()
    full = score(df, ["q1", "q2"])
    assert out.drop(columns="band_share").equals(full.drop(columns="band_share"))
    with pytest.raises(OptionError, match="band_certainty"):
        score(df, ["q1"], band_certainty="no")
    with pytest.raises(OptionError, match="method"):
        band_certainty(T1, method="exactly")


@settings(max_examples=100, deadline=None)
@given(s=st.lists(st.integers(-600, 4000), min_size=1, max_size=8), den=st.integers(1, 1000),
       rule=st.sampled_from(["rounded", "exact"]), bands=st.sampled_from([CHAPTER11_BANDS, ONE_DECIMAL]))
def test_classify_sums_agrees_with_classify(s, den, rule, bands):
    from wai.certainty import classify_sums

    dens = np.array([den + i for i in range(len(s))])
    got = classify_sums(np.array(s), dens, bands, rule)
    assert [bands.labels[i] for i in got] == [bands.classify(Fraction(x, d), rule) for x, d in zip(s, dens.tolist())]


@settings(max_examples=100, deadline=None)
@given(x=st.floats(-2, 2, allow_nan=False), rule=st.sampled_from(["rounded", "exact"]),
       bands=st.sampled_from([CHAPTER11_BANDS, ONE_DECIMAL]))
def test_classify_floats_agrees_with_classify_also_next_to_each_cut(x, rule, bands):
    from wai.certainty import classify_floats

    near = [x] + [float(np.nextafter(c, d)) for h in bands.breaks
                  for c in (float(h), float(h) + 0.5 / 10**bands.decimals, float(h) + 0.005)
                  for d in (-np.inf, np.inf)] + [float(h) for h in bands.breaks]
    got = classify_floats(np.array(near), bands, rule)
    assert [bands.labels[i] for i in got] == [bands.classify(v, rule) for v in near]


@pytest.mark.parametrize("method", ["wilson", "goodman"])
def test_category_intervals_are_statsmodels_to_the_bit(method):
    from statsmodels.stats.proportion import multinomial_proportions_confint, proportion_confint

    rng = np.random.default_rng(0)
    for _ in range(300):
        counts = rng.integers(0, 200, size=int(rng.integers(2, 8)))
        counts[0] += 1
        confidence = float(rng.choice([0.8, 0.9, 0.95, 0.99, 0.999, rng.uniform(0.5, 0.999)]))
        got = category_intervals(counts, ci_method=method, confidence_level=confidence)
        if method == "wilson":
            low, high = proportion_confint(counts, counts.sum(), alpha=1 - confidence, method="wilson")
        else:
            low, high = multinomial_proportions_confint(counts, alpha=1 - confidence, method="goodman").T
        assert np.array_equal(got["ci_low"].to_numpy(), low) and np.array_equal(got["ci_high"].to_numpy(), high)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=2, max_size=5).filter(lambda c: sum(c) > 0), st.integers(1, 40))
def test_chernoff_screen_bounds_the_exact_tails(counts, n):
    """The screen's Chernoff bound (wai.certainty._chernoff_log_tail) is never below the true tail
    P(T >= t) of the sum of n draws, computed here by repeated convolution of the one-draw distribution."""
    from wai.certainty import _chernoff_log_tail

    c = np.array(counts, dtype=float)
    p = c / c.sum()
    scores = np.arange(len(c), dtype=float)
    mean = float(p @ scores)
    pmf = np.array([1.0])  # distribution of sum of draws of the integer scores
    for _ in range(n):
        pmf = np.convolve(pmf, p)
    sums = np.arange(len(pmf)) - n * mean  # T = S - n * mean
    for sign in (1, -1):
        for gap in np.linspace(0.5, n * len(c), 9):
            truth = pmf[sign * sums >= gap].sum()
            bound = np.exp(_chernoff_log_tail(p[None, :], sign * (scores - mean)[None, :], np.array([float(n)]),
                                              np.array([gap])))[0]
            assert bound >= truth * (1 - 1e-9) - 1e-300
