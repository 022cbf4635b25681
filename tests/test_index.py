"""Tests for wai.index: the WAI, RII and mean as exact functions of category counts."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wai.bands import CHAPTER11_BANDS
from wai.counting import count_items
from wai.errors import ScaleError
from wai.index import (
    SCHEMES,
    ItemIndex,
    convert,
    index_from_counts,
    item_index,
    scheme_weights,
    wai_from_counts,
)
from wai.scales import LEVEL5, LikertScale

# --------------------------------------------------------------------------
# independent helpers
# --------------------------------------------------------------------------


def expand(counts):
    """The answers (codes 1..K) behind a vector of counts."""
    return [k for k, f in enumerate(counts, start=1) for _ in range(f)]


def mean_of(answers):
    return Fraction(sum(answers), len(answers))


# counts on K = 2..11 points with a positive total
counts_k = st.integers(2, 11).flatmap(
    lambda k: st.lists(st.integers(0, 40), min_size=k, max_size=k).filter(lambda c: sum(c) > 0)
)


# --------------------------------------------------------------------------
# hand-worked values
# --------------------------------------------------------------------------


def test_chapter_item():
    # counts 5, 15, 28, 37, 14 (n = 99); weights 0, 1/4, 1/2, 3/4, 1:
    # (15/4 + 28/2 + 37*3/4 + 14) / 99 = (15 + 56 + 111 + 56) / 4 / 99 = 238/396 = 119/198 = 0.60101..
    r = item_index([5, 15, 28, 37, 14], LEVEL5)
    assert isinstance(r, ItemIndex)
    assert r.n == 99
    assert r.counts == (5, 15, 28, 37, 14)
    assert r.value == Fraction(238, 396) == Fraction(119, 198)
    assert r.rounded == Decimal("0.60") and str(r.rounded) == "0.60"
    assert (r.band, r.band_exact, r.depends_on_rule) == ("Neutral", "High", True)
    # one verdict, the band scheme's: the same object classify_both gives, same field names
    assert r.verdict == CHAPTER11_BANDS.classify_both(Fraction(119, 198))
    assert r.verdict.depends_on_rule is r.depends_on_rule is True
    assert not hasattr(r, "band_depends_on_rule")


@pytest.mark.parametrize(
    "counts, expected",
    [
        ([0, 0, 0, 0, 99], Fraction(1)),          # all top
        ([7, 0, 0, 0, 0], Fraction(0)),           # all bottom
        ([1, 1, 1, 1, 1], Fraction(1, 2)),        # symmetric
        ([0, 1, 2, 1, 0], Fraction(1, 2)),
        ([1, 0, 0, 0, 1], Fraction(1, 2)),
        ([0, 0, 0, 1, 0], Fraction(3, 4)),
        ([2, 1, 0, 0, 0], Fraction(1, 12)),       # (0 + 0 + 1/4) / 3
        ([1, 2], Fraction(2, 3)),                 # K = 2: weights 0, 1
        ([1, 1, 1, 1, 1, 1, 1], Fraction(1, 2)),  # K = 7
        ([0, 3, 0, 0, 0, 0, 0], Fraction(1, 6)),
    ],
)
def test_wai_hand_values(counts, expected):
    assert wai_from_counts(counts) == expected


def test_item_index_without_rule_dependency():
    # a single High answer: 3/4 = 0.75, High under both rules
    r = item_index([0, 0, 0, 1, 0])
    assert (str(r.rounded), r.band, r.band_exact, r.depends_on_rule) == ("0.75", "High", "High", False)


def test_item_index_decimals():
    # 1/12 = 0.08333..
    r = item_index([2, 1, 0, 0, 0], decimals=3)
    assert str(r.rounded) == "0.083" and r.band == "Very Low"


@pytest.mark.parametrize("k", range(2, 12))
def test_scheme_weights_closed_forms(k):
    assert scheme_weights(k, "wai") == tuple(Fraction(i - 1, k - 1) for i in range(1, k + 1))
    assert scheme_weights(k, "rii") == tuple(Fraction(i, k) for i in range(1, k + 1))
    assert scheme_weights(k, "mean") == tuple(Fraction(i) for i in range(1, k + 1))


def test_scheme_weights_bad_input():
    assert SCHEMES == ("wai", "rii", "mean")
    with pytest.raises(ScaleError):
        scheme_weights(1)
    with pytest.raises(ValueError):
        scheme_weights(5, "median")


def test_index_from_counts_custom_weights():
    assert index_from_counts([1, 0, 1], [0, "0.5", 1]) == Fraction(1, 2)
    # weights 0, 0.3, 1 with counts 0, 10, 0 -> 0.3
    assert index_from_counts([0, 10, 0], [0, 0.3, 1]) == Fraction(3, 10)


def test_custom_scale_weights_are_used():
    s = LikertScale(("Never", "Sometimes", "Always"), weights=(0, "0.3", 1))
    # (2 * 0.3 + 1 * 1) / 4 = 1.6 / 4 = 0.4
    assert wai_from_counts([1, 2, 1], s) == Fraction(2, 5)
    with pytest.raises(ScaleError):  # rii and mean need equally spaced weights
        wai_from_counts([1, 2, 1], s, scheme="rii")
    with pytest.raises(ScaleError):
        wai_from_counts([1, 2, 1], s, scheme="mean")


def test_rii_and_mean_schemes_hand_values():
    # answers 1, 2, 2, 5 on five points: mean = 10/4 = 2.5; RII = mean/K = 1/2; WAI = 1.5/4 = 3/8
    counts = [1, 2, 0, 0, 1]
    assert wai_from_counts(counts, scheme="mean") == Fraction(5, 2)
    assert wai_from_counts(counts, scheme="rii") == Fraction(1, 2)
    assert wai_from_counts(counts) == Fraction(3, 8)
    assert wai_from_counts(counts, LEVEL5, scheme="rii") == Fraction(1, 2)


def test_weighted_and_numpy_counts():
    # weighted totals and numpy arrays are exact too (float totals by their decimal repr)
    assert wai_from_counts([Fraction(3, 2), 0, 0, 0, Fraction(1, 2)]) == Fraction(1, 4)
    assert wai_from_counts(np.array([1.5, 0.0, 0.0, 0.0, 0.5])) == Fraction(1, 4)
    assert wai_from_counts(np.array([1, 0, 0, 0, 1], dtype=np.int64)) == Fraction(1, 2)
    # (0.2 * 1/4) / (0.1 + 0.2) = 0.05 / 0.3 = 1/6
    assert wai_from_counts(["0.1", "0.2", 0, 0, 0]) == Fraction(1, 6)


# --------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize("counts", [[0, 0, 0, 0, 0], [0, 0], [0.0, 0.0, 0.0]])
def test_all_zero_counts_raise(counts):
    with pytest.raises(ScaleError):
        wai_from_counts(counts)


@pytest.mark.parametrize("counts", [[1, -1, 0, 0, 0], [-2, 0, 3], [0, "-0.5", 2]])
def test_negative_counts_raise(counts):
    with pytest.raises(ScaleError):
        wai_from_counts(counts)


def test_wrong_number_of_counts():
    with pytest.raises(ScaleError):
        wai_from_counts([1, 2, 3], LEVEL5)
    with pytest.raises(ScaleError):
        index_from_counts([1, 2, 3], [0, 1])
    with pytest.raises(ScaleError):
        wai_from_counts([5])


def test_convert_bad_input():
    with pytest.raises(ScaleError):
        convert("0.5", 1, "wai", "rii")
    with pytest.raises(ValueError):
        convert("0.5", 5, "pct", "rii")
    with pytest.raises(ValueError):
        convert("0.5", 5, "wai", "pct")


@pytest.mark.parametrize(
    "value, k, source, target, expected",
    [
        ("0.5", 5, "wai", "mean", Fraction(3)),          # 1 + 4 * 0.5
        (3, 5, "mean", "rii", Fraction(3, 5)),           # 3 / 5
        ("0.5", 5, "wai", "rii", Fraction(3, 5)),        # 1/5 + 4/5 * 1/2
        (Fraction(119, 198), 5, "wai", "mean", Fraction(337, 99)),  # 1 + 4*119/198 = 1 + 238/99
        (1, 7, "rii", "wai", Fraction(1)),
        (Fraction(1, 7), 7, "rii", "wai", Fraction(0)),
        (1, 4, "mean", "wai", Fraction(0)),
    ],
)
def test_convert_hand_values(value, k, source, target, expected):
    assert convert(value, k, source, target) == expected


# --------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(counts=counts_k)
def test_wai_in_unit_interval(counts):
    w = wai_from_counts(counts)
    assert isinstance(w, Fraction)
    assert 0 <= w <= 1
    # the ends are reached only by all-bottom or all-top answers
    assert (w == 0) == (sum(counts[1:]) == 0)
    assert (w == 1) == (sum(counts[:-1]) == 0)


@settings(max_examples=200, deadline=None)
@given(counts=counts_k)
def test_wai_equals_mean_formula_on_expanded_answers(counts):
    k = len(counts)
    answers = expand(counts)
    mean = mean_of(answers)
    assert wai_from_counts(counts) == (mean - 1) / (k - 1)
    assert wai_from_counts(counts, scheme="mean") == mean
    assert wai_from_counts(counts, scheme="rii") == mean / k


@settings(max_examples=200, deadline=None)
@given(counts=counts_k, c=st.integers(1, 1000))
def test_scaling_counts_leaves_wai_unchanged(counts, c):
    assert wai_from_counts([c * f for f in counts]) == wai_from_counts(counts)
    # fractional scaling (weighted totals) as well
    assert wai_from_counts([Fraction(f, c) for f in counts]) == wai_from_counts(counts)


@settings(max_examples=200, deadline=None)
@given(counts=counts_k)
def test_rii_mean_conversions_round_trip(counts):
    k = len(counts)
    mean = mean_of(expand(counts))
    wai = wai_from_counts(counts)
    rii = convert(wai, k, "wai", "rii")
    assert rii == mean / k                                      # RII as mean/K directly
    assert rii == Fraction(1, k) + Fraction(k - 1, k) * wai     # the documented relation
    assert convert(wai, k, "wai", "mean") == mean
    for source, value in (("wai", wai), ("rii", rii), ("mean", mean)):
        for target in SCHEMES:
            there = convert(value, k, source, target)
            assert convert(there, k, target, source) == value
    assert convert(mean, k, "mean", "wai") == wai
    assert convert(rii, k, "rii", "mean") == mean


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_wai_invariant_to_respondent_order(data):
    counts = data.draw(st.lists(st.integers(0, 8), min_size=5, max_size=5).filter(lambda c: sum(c) > 0))
    answers = [LEVEL5.labels[k - 1] for k in expand(counts)]
    shuffled = data.draw(st.permutations(answers))
    table = count_items(pd.DataFrame({"q": shuffled}), ["q"], LEVEL5)
    recounted = table.loc[0, ["count_1", "count_2", "count_3", "count_4", "count_5"]].tolist()
    assert recounted == counts
    assert wai_from_counts(recounted) == wai_from_counts(counts)
    assert wai_from_counts(recounted) == (mean_of(expand(counts)) - 1) / 4
