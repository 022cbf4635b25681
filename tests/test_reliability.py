"""Tests for wai.reliability: Cronbach's alpha, Feldt interval, item statistics.

Every expected value is computed here independently of the code under test:
Cronbach's variance form with numpy, hand-worked small cases, or the Feldt
formula written out with scipy.stats.f.
"""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from wai.errors import InputError, OptionError
from wai.reliability import ALPHA_ITEM_COLUMNS, AlphaResult, alpha
from wai.scales import LikertScale

FIVE = LikertScale.numeric(1, 5)


def classic_alpha(x: np.ndarray) -> float:
    """Cronbach (1951): k/(k-1) (1 - sum of item variances / variance of the total)."""
    x = np.asarray(x, dtype=float)
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def frame_of(x, names=None) -> pd.DataFrame:
    x = np.asarray(x)
    names = names or [f"q{j + 1}" for j in range(x.shape[1])]
    return pd.DataFrame(x, columns=names)


# --------------------------------------------------------------------------
# the estimate
# --------------------------------------------------------------------------


def hand_case():
    """Three respondents, three items; worked by hand.

    a = 1, 2, 3   var 1
    b = 1, 3, 2   var 1
    c = 2, 2, 5   var 3
    total = 4, 7, 10, var 9
    alpha = 3/2 (1 - 5/9) = 2/3

    item-rest correlations:
      a vs b+c = 3, 5, 7          -> r = 1
      b vs a+c = 3, 4, 8          -> cov 1/2, var(rest) 7 -> r = 0.5 / sqrt(7)
      c vs a+b = 2, 5, 5          -> cov 3/2, var(rest) 3 -> r = 1.5 / sqrt(9) = 0.5
    alpha if deleted:
      without a: var b 1, var c 3, cov(b, c) 0   -> 2 (1 - 4/4) = 0
      without b: var a 1, var c 3, cov(a, c) 3/2 -> 2 (1 - 4/7) = 6/7
      without c: var a 1, var b 1, cov(a, b) 1/2 -> 2 (1 - 2/3) = 2/3
    """
    return frame_of([[1, 1, 2], [2, 3, 2], [3, 2, 5]], ["a", "b", "c"])


def test_hand_worked_three_by_three():
    res = alpha(hand_case(), ["a", "b", "c"], FIVE)
    assert isinstance(res, AlphaResult)
    assert res.alpha == pytest.approx(2 / 3, abs=1e-12)
    assert (res.n, res.k, res.missing, res.confidence) == (3, 3, "complete", 0.95)
    t = res.items
    assert tuple(t.columns) == ALPHA_ITEM_COLUMNS
    assert t["item"].tolist() == ["a", "b", "c"]
    assert t["reversed"].tolist() == [False, False, False]
    assert t["n"].tolist() == [3, 3, 3]
    assert t["mean"].tolist() == pytest.approx([2, 2, 3])
    assert t["sd"].tolist() == pytest.approx([1, 1, np.sqrt(3)])
    assert t["r_drop"].tolist() == pytest.approx([1, 0.5 / np.sqrt(7), 0.5], abs=1e-12)
    assert t["alpha_if_deleted"].tolist() == pytest.approx([0, 6 / 7, 2 / 3], abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 6).flatmap(
    lambda k: st.lists(st.lists(st.integers(1, 5), min_size=k, max_size=k), min_size=3, max_size=30)))
def test_matches_cronbach_variance_form(rows):
    x = np.array(rows, dtype=float)
    assume((x.var(axis=0, ddof=1) > 0).all() and x.sum(axis=1).var(ddof=1) > 0)
    k = x.shape[1]
    res = alpha(frame_of(x.astype(int)), [f"q{j + 1}" for j in range(k)], FIVE)
    assert res.alpha == pytest.approx(classic_alpha(x), rel=1e-9, abs=1e-9)
    # the same on the WAI weights (c - 1)/(K - 1): alpha is invariant to that rescaling
    assert res.alpha == pytest.approx(classic_alpha((x - 1) / 4), rel=1e-9, abs=1e-9)
    for j in range(k):
        rest = np.delete(x, j, axis=1)
        if rest.sum(axis=1).var(ddof=1) > 0:
            r = np.corrcoef(x[:, j], rest.sum(axis=1))[0, 1]
            assert res.items["r_drop"][j] == pytest.approx(r, rel=1e-9, abs=1e-9)
        if k > 2 and rest.sum(axis=1).var(ddof=1) > 0:
            assert res.items["alpha_if_deleted"][j] == pytest.approx(classic_alpha(rest), rel=1e-9, abs=1e-9)


def test_alpha_if_deleted_is_alpha_without_the_item():
    rng = np.random.default_rng(7)
    latent = rng.normal(size=80)
    x = np.clip(np.round(3 + latent[:, None] + rng.normal(size=(80, 5))), 1, 5).astype(int)
    names = [f"q{j + 1}" for j in range(5)]
    res = alpha(frame_of(x), names, FIVE)
    for j, name in enumerate(names):
        others = [m for m in names if m != name]
        # independently: numpy on the other columns, and the function itself on the other items
        assert res.items["alpha_if_deleted"][j] == pytest.approx(classic_alpha(np.delete(x, j, axis=1)), rel=1e-12)
        assert res.items["alpha_if_deleted"][j] == pytest.approx(alpha(frame_of(x), others, FIVE).alpha, rel=1e-12)
        rest = np.delete(x, j, axis=1).sum(axis=1)
        assert res.items["r_drop"][j] == pytest.approx(np.corrcoef(x[:, j], rest)[0, 1], rel=1e-12)


def test_two_items():
    x = np.array([[1, 2], [2, 2], [3, 4], [4, 5], [5, 4]])
    res = alpha(frame_of(x), ["q1", "q2"], FIVE)
    assert res.alpha == pytest.approx(classic_alpha(x))
    r = np.corrcoef(x[:, 0], x[:, 1])[0, 1]
    assert res.items["r_drop"].tolist() == pytest.approx([r, r])
    assert res.items["alpha_if_deleted"].isna().all()  # alpha of a single item is undefined


def test_labels_codes_and_non_scale_answers():
    # labels in any case, numeric codes, "Don't know" and blanks are missing (listwise)
    s = LikertScale(("Never", "Sometimes", "Often", "Always"))
    df = pd.DataFrame({
        "a": ["never", "Sometimes", "OFTEN", 4, "Always", "Never"],
        "b": ["Sometimes", "Sometimes", "Always", "Often", "Don't know", "Never"],
        "c": [1, 2, 3, 4, 4, None],
    })
    x = np.array([[1, 2, 1], [2, 2, 2], [3, 4, 3], [4, 3, 4]])  # the four complete rows
    res = alpha(df, ["a", "b", "c"], s)
    assert res.n == 4
    assert res.alpha == pytest.approx(classic_alpha(x), rel=1e-12)


def test_scores_are_category_numbers_whatever_the_codes():
    # a scale coded 0..4 scores the same as 1..5
    zero = LikertScale.numeric(0, 4)
    x = np.array([[1, 2, 2], [2, 3, 2], [3, 3, 5], [5, 4, 4], [4, 5, 5]])
    assert alpha(frame_of(x - 1), ["q1", "q2", "q3"], zero).alpha == pytest.approx(classic_alpha(x))
    assert alpha(frame_of(x - 1), ["q1", "q2", "q3"], zero).items["mean"][0] == pytest.approx(x[:, 0].mean())


# --------------------------------------------------------------------------
# reverse keying
# --------------------------------------------------------------------------


def test_reverse_keying_restores_alpha():
    rng = np.random.default_rng(3)
    latent = rng.normal(size=60)
    x = np.clip(np.round(3 + latent[:, None] + 0.8 * rng.normal(size=(60, 4))), 1, 5).astype(int)
    names = ["q1", "q2", "q3", "q4"]
    original = alpha(frame_of(x), names, FIVE)
    flipped = x.copy()
    flipped[:, 2] = 6 - flipped[:, 2]  # the questionnaire asked q3 the other way round
    unkeyed = alpha(frame_of(flipped), names, FIVE)
    keyed = alpha(frame_of(flipped), names, FIVE, reverse=["q3"])
    assert keyed.alpha == pytest.approx(original.alpha, rel=1e-12)
    assert unkeyed.alpha < original.alpha
    assert keyed.items["reversed"].tolist() == [False, False, True, False]
    for column in ["mean", "sd", "r_drop", "alpha_if_deleted"]:
        assert keyed.items[column].tolist() == pytest.approx(original.items[column].tolist(), rel=1e-12)
    # a single name works as well as a list
    assert alpha(frame_of(flipped), names, FIVE, reverse="q3").alpha == pytest.approx(original.alpha)


# --------------------------------------------------------------------------
# Feldt interval
# --------------------------------------------------------------------------


@pytest.mark.parametrize("confidence", [0.95, 0.90, 0.99])
def test_feldt_interval(confidence):
    rng = np.random.default_rng(11)
    latent = rng.normal(size=40)
    x = np.clip(np.round(3 + latent[:, None] + rng.normal(size=(40, 6))), 1, 5).astype(int)
    res = alpha(frame_of(x), [f"q{j + 1}" for j in range(6)], FIVE, confidence_level=confidence)
    a = classic_alpha(x)
    n, k = 40, 6
    p = 1 - confidence
    # Feldt (1965) as psych::alpha.ci: df1 = n - 1, df2 = (n - 1)(k - 1)
    low = 1 - (1 - a) * stats.f.ppf(1 - p / 2, n - 1, (n - 1) * (k - 1))
    high = 1 - (1 - a) * stats.f.ppf(p / 2, n - 1, (n - 1) * (k - 1))
    assert res.ci_low == pytest.approx(low, rel=1e-12)
    assert res.ci_high == pytest.approx(high, rel=1e-12)
    assert res.ci_low < res.alpha < res.ci_high < 1
    assert res.confidence == confidence


def test_feldt_interval_widens_with_confidence_and_narrows_with_n():
    x = hand_case().to_numpy()
    narrow = alpha(hand_case(), ["a", "b", "c"], FIVE, confidence_level=0.80)
    wide = alpha(hand_case(), ["a", "b", "c"], FIVE, confidence_level=0.99)
    assert wide.ci_low < narrow.ci_low < 2 / 3 < narrow.ci_high < wide.ci_high
    # the same rows repeated 20 times: C is only rescaled, so the same alpha, but a tighter interval
    big = alpha(frame_of(np.tile(x, (20, 1)), ["a", "b", "c"]), ["a", "b", "c"], FIVE)
    assert big.alpha == pytest.approx(2 / 3, abs=1e-12) and big.n == 60
    assert big.ci_high - big.ci_low < narrow.ci_high - narrow.ci_low


# --------------------------------------------------------------------------
# missing answers
# --------------------------------------------------------------------------


def pairwise_cov(x: np.ndarray) -> np.ndarray:
    """R's cov(use = "pairwise"), written out: each entry from the rows where both are present."""
    k = x.shape[1]
    c = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            both = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
            c[i, j] = np.cov(x[both, i], x[both, j], ddof=1)[0, 1]
    return c


def with_holes():
    rng = np.random.default_rng(5)
    latent = rng.normal(size=50)
    x = np.clip(np.round(3 + latent[:, None] + rng.normal(size=(50, 4))), 1, 5)
    holes = rng.random(x.shape) < 0.15
    x[holes] = np.nan
    x[0, :] = np.nan          # a row with no answer
    x[1, 1:] = np.nan         # a row with one answer
    return x


def test_pairwise_matches_pairwise_covariance():
    x = with_holes()
    names = ["q1", "q2", "q3", "q4"]
    df = pd.DataFrame(x, columns=names).astype("Int64")
    res = alpha(df, names, FIVE, missing="pairwise")
    c = pairwise_cov(x)
    expected = 4 / 3 * (1 - np.trace(c) / c.sum())
    assert res.alpha == pytest.approx(expected, rel=1e-12)
    assert res.n == int((np.sum(~np.isnan(x), axis=1) >= 2).sum())
    assert res.items["n"].tolist() == np.sum(~np.isnan(x), axis=0).tolist()
    assert res.items["mean"].tolist() == pytest.approx(np.nanmean(x, axis=0).tolist())
    for i in range(4):
        rest = np.delete(np.delete(c, i, 0), i, 1)
        assert res.items["alpha_if_deleted"][i] == pytest.approx(1.5 * (1 - np.trace(rest) / rest.sum()))
        r = (c[i].sum() - c[i, i]) / np.sqrt(c[i, i] * rest.sum())
        assert res.items["r_drop"][i] == pytest.approx(r)


def test_complete_uses_complete_rows_and_differs_from_pairwise():
    x = with_holes()
    names = ["q1", "q2", "q3", "q4"]
    df = pd.DataFrame(x, columns=names).astype("Int64")
    complete = alpha(df, names, FIVE)
    pairwise = alpha(df, names, FIVE, missing="pairwise")
    full = x[~np.isnan(x).any(axis=1)]
    assert complete.n == len(full)
    assert complete.alpha == pytest.approx(classic_alpha(full), rel=1e-12)
    assert complete.items["n"].tolist() == [len(full)] * 4
    assert abs(complete.alpha - pairwise.alpha) > 1e-6
    assert pairwise.n > complete.n


def test_pairwise_equals_complete_without_missing_answers():
    x = np.nan_to_num(with_holes(), nan=3).astype(int)
    names = ["q1", "q2", "q3", "q4"]
    complete = alpha(frame_of(x), names, FIVE)
    pairwise = alpha(frame_of(x), names, FIVE, missing="pairwise")
    assert pairwise.alpha == pytest.approx(complete.alpha, rel=1e-12)
    assert (pairwise.ci_low, pairwise.ci_high) == pytest.approx((complete.ci_low, complete.ci_high), rel=1e-12)
    assert pairwise.n == complete.n == len(x)
    pd.testing.assert_frame_equal(pairwise.items, complete.items)


# --------------------------------------------------------------------------
# result object and errors
# --------------------------------------------------------------------------


def test_result_is_frozen():
    res = alpha(hand_case(), ["a", "b", "c"], FIVE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.alpha = 0.5  # type: ignore[misc]


@pytest.mark.parametrize("kwargs, match", [
    (dict(items=["a"]), "at least 2 items"),
    (dict(items=["a", "a", "b"]), "distinct"),
    (dict(reverse=["z"]), r"^reverse: got \['z'\], expected columns among items"),
    (dict(missing="listwise"), r"^missing: got .listwise., expected one of .complete., .pairwise."),
    (dict(confidence_level=95), "strictly between 0 and 1"),
    (dict(confidence_level=0), "strictly between 0 and 1"),
])
def test_argument_errors(kwargs, match):
    args = dict(items=["a", "b", "c"]) | kwargs
    items = args.pop("items")
    with pytest.raises(ValueError, match=match):
        alpha(hand_case(), items, FIVE, **args)


def test_data_errors_name_what_is_wrong():
    df = hand_case()
    # fewer than two complete rows
    holes = df.astype("Int64")
    holes.loc[0, "a"] = pd.NA
    holes.loc[1, "b"] = pd.NA
    with pytest.raises(InputError, match="at least 2 rows answering every item"):
        alpha(holes, ["a", "b", "c"], FIVE)
    # a constant item
    flat = df.assign(c=[4, 4, 4])
    with pytest.raises(InputError) as err:
        alpha(flat, ["a", "b", "c"], FIVE)
    assert err.value.column == "c" and "variance 0" in str(err.value)
    # a total that does not vary: two items that cancel out
    with pytest.raises(InputError, match="total score"):
        alpha(frame_of([[1, 5], [2, 4], [3, 3]]), ["q1", "q2"], FIVE)
    # answers not on the scale and a missing column, all in one error, with rows
    bad = df.astype(object)
    bad.loc[2, "b"] = "Hgh"
    with pytest.raises(InputError) as err:
        alpha(bad, ["a", "b", "x"], FIVE)
    text = str(err.value)
    assert "column 'x'" in text and "row 4, column 'b': got 'Hgh'" in text
    # pairwise: two items never answered together
    pair = pd.DataFrame({"a": [1, 2, None, None], "b": [None, None, 3, 4], "c": [1, 2, 3, 5]}).astype("Int64")
    with pytest.raises(InputError, match="a & b"):
        alpha(pair, ["a", "b", "c"], FIVE, missing="pairwise")


# --------------------------------------------------------------------------
# standardized alpha and case weights, against psych (R)
# --------------------------------------------------------------------------

# R 4, psych 2.x (the numbers below were printed by this code):
#   library(psych)
#   d <- data.frame(q1 = c(1, 2, 3, 4, 5, 3, 2, 4, 5, 1), q2 = c(2, 2, 3, 5, 4, 3, 1, 4, 4, 2),
#                   q3 = c(1, 3, 3, 4, 5, 2, 2, 5, 4, 1), q4 = c(3, 1, 2, 4, 5, 4, 2, 3, 5, 2))
#   w <- c(1, 2, 0.5, 1, 3, 1, 2, 1, 0.5, 1.5)
#   a <- psych::alpha(d); a$total$raw_alpha; a$total$std.alpha
#   aw <- psych::alpha(cov.wt(d, wt = w / sum(w), method = "unbiased")$cov)
#   aw$total$raw_alpha; aw$total$std.alpha; aw$alpha.drop$raw_alpha; aw$item.stats$r.drop
#   sum(w)^2 / sum(w^2)
PSYCH_D = {"q1": [1, 2, 3, 4, 5, 3, 2, 4, 5, 1], "q2": [2, 2, 3, 5, 4, 3, 1, 4, 4, 2],
           "q3": [1, 3, 3, 4, 5, 2, 2, 5, 4, 1], "q4": [3, 1, 2, 4, 5, 4, 2, 3, 5, 2]}
PSYCH_W = [1, 2, 0.5, 1, 3, 1, 2, 1, 0.5, 1.5]


def test_standardized_alpha_matches_psych():
    res = alpha(pd.DataFrame(PSYCH_D), list(PSYCH_D), FIVE)
    assert res.alpha == pytest.approx(0.920343672637251, abs=1e-12)
    assert res.std_alpha == pytest.approx(0.921793185013903, abs=1e-12)


def test_standardized_alpha_is_alpha_of_the_standardized_items():
    x = np.array(list(PSYCH_D.values()), dtype=float).T
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    res = alpha(pd.DataFrame(PSYCH_D), list(PSYCH_D), FIVE)
    assert res.std_alpha == pytest.approx(classic_alpha(z), abs=1e-12)


def test_weighted_alpha_matches_psych_on_the_weighted_covariance():
    frame = pd.DataFrame(PSYCH_D).assign(w=PSYCH_W)
    res = alpha(frame, list(PSYCH_D), FIVE, weights="w")
    assert res.alpha == pytest.approx(0.937982933548344, abs=1e-12)
    assert res.std_alpha == pytest.approx(0.939855548045234, abs=1e-12)
    assert res.items["alpha_if_deleted"].tolist() == pytest.approx(
        [0.881431334622824, 0.919441286340750, 0.927248201438849, 0.943634514324462], abs=1e-12)
    assert res.items["r_drop"].tolist() == pytest.approx(
        [0.963160898722458, 0.864058290650101, 0.830160011988998, 0.775014903228636], abs=1e-12)
    assert res.n == pytest.approx(7.67368421052632, abs=1e-12)  # Kish's effective n sets Feldt's df
    f = stats.f
    p = 0.05
    df1, df2 = res.n - 1, (res.n - 1) * 3
    assert res.ci_low == pytest.approx(1 - (1 - res.alpha) * f.ppf(1 - p / 2, df1, df2), abs=1e-12)


def test_unit_weights_give_the_unweighted_alpha():
    frame = pd.DataFrame(PSYCH_D).assign(w=1.0)
    a, b = alpha(frame, list(PSYCH_D), FIVE, weights="w"), alpha(frame, list(PSYCH_D), FIVE)
    assert (a.alpha, a.std_alpha, a.ci_low) == pytest.approx((b.alpha, b.std_alpha, b.ci_low), abs=1e-12)


def test_weights_errors():
    frame = pd.DataFrame(PSYCH_D).assign(w=PSYCH_W)
    with pytest.raises(OptionError, match="missing"):
        alpha(frame, list(PSYCH_D), FIVE, weights="w", missing="pairwise")
    with pytest.raises(OptionError, match="weights"):
        alpha(frame, list(PSYCH_D), FIVE, weights="weight")
    with pytest.raises(InputError, match="row 3, column 'w'"):
        alpha(frame.assign(w=[1, -2] + PSYCH_W[2:]), list(PSYCH_D), FIVE, weights="w")


def test_integer_covariance_is_numpys_covariance():
    from wai.reliability import _integer_cov

    x = np.random.default_rng(2).integers(1, 8, size=(3000, 6))
    cov, means = _integer_cov(x)
    assert np.allclose(cov, np.cov(x, rowvar=False), rtol=1e-13, atol=0)
    assert np.allclose(means, x.mean(axis=0), rtol=1e-15)
    # blocks of rows: every partial Gram matrix below 2^24, the same matrix
    big = np.random.default_rng(3).integers(1, 6, size=(700_000, 2))
    assert np.allclose(_integer_cov(big)[0], np.cov(big, rowvar=False), rtol=1e-12, atol=0)
