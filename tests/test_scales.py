"""Tests for wai.scales: Likert scale definitions and matching answers to categories."""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from wai.errors import ScaleError
from wai.scales import (
    AGREEMENT5,
    CHAPTER11_SCALE,
    LEVEL5,
    MISSING,
    NON_SCALE,
    LikertScale,
    normalize_label,
    scale_from_spec,
)

# --------------------------------------------------------------------------
# normalisation
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("  Don\u2019t   KNOW ", "don't know"),   # curly apostrophe, runs of spaces, case
        ("Don\u2018t know", "don't know"),
        ("Don`t know", "don't know"),
        ("Very\tHigh\n", "very high"),
        ("Very\u00a0High", "very high"),         # no-break space (NFKC -> space)
        ("\uff28\uff49\uff47\uff48", "high"),     # fullwidth 'High' (NFKC)
        ("Stra\u00dfe", "strasse"),               # casefold, not lower
        (3, "3"),
    ],
)
def test_normalize_label(raw, expected):
    assert normalize_label(raw) == expected


# --------------------------------------------------------------------------
# default construction
# --------------------------------------------------------------------------


def test_level5_definition():
    assert CHAPTER11_SCALE is LEVEL5
    assert LEVEL5.labels == ("Very Low", "Low", "Neutral", "High", "Very High")
    assert LEVEL5.points == 5
    # W_k = (k-1)/(K-1) on five points: 0, .25, .5, .75, 1
    assert LEVEL5.weights == (Fraction(0), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), Fraction(1))
    assert LEVEL5.codes == (1, 2, 3, 4, 5)
    assert LEVEL5.equally_spaced


@pytest.mark.parametrize("k", range(2, 12))
def test_default_weights_are_equally_spaced(k):
    s = LikertScale(tuple(f"c{i}" for i in range(k)))
    assert s.weights == tuple(Fraction(i, k - 1) for i in range(k))
    assert s.weights[0] == 0 and s.weights[-1] == 1
    assert s.equally_spaced


def test_numeric_scale_1_to_6():
    s = LikertScale.numeric(1, 6)
    assert s.labels == ("1", "2", "3", "4", "5", "6")
    assert s.codes == (1, 2, 3, 4, 5, 6)
    assert [float(w) for w in s.weights] == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert s.weights == (Fraction(0), Fraction(1, 5), Fraction(2, 5), Fraction(3, 5), Fraction(4, 5), Fraction(1))
    assert s.category_of(1) == 0 and s.category_of("6") == 5 and s.category_of(4.0) == 3


def test_numeric_scale_from_zero():
    s = LikertScale.numeric(0, 10)
    assert s.points == 11
    assert s.category_of(0) == 0 and s.category_of("10") == 10
    assert s.weights[5] == Fraction(1, 2)


def test_scale_from_spec():
    assert scale_from_spec(numeric=(1, 7)).points == 7
    assert scale_from_spec(["No", "Yes"]).labels == ("No", "Yes")
    with pytest.raises(ScaleError):
        scale_from_spec()
    with pytest.raises(ScaleError):
        scale_from_spec(["No", "Yes"], numeric=(1, 2))


def test_custom_weights_and_codes():
    s = LikertScale(("Never", "Sometimes", "Always"), weights=("0", 0.3, 1), codes=(0, 1, 2))
    assert s.weights == (Fraction(0), Fraction(3, 10), Fraction(1))
    assert not s.equally_spaced
    assert s.category_of(0) == 0 and s.category_of("2") == 2
    with pytest.raises(KeyError):
        s.category_of(3)


# --------------------------------------------------------------------------
# matching answers
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("Very Low", 0),
        ("very low", 0),
        (" VERY   LOW ", 0),
        ("low", 1),
        ("Neutral", 2),
        ("Medium", 2),        # synonym
        ("MODERATE", 2),      # synonym, any case
        ("hIgH", 3),
        ("Very\u00a0High", 4),
        ("\uff28\uff29\uff27\uff28", 3),  # fullwidth HIGH
        # numeric codes: ints, floats, text
        (1, 0),
        (3, 2),
        (3.0, 2),
        ("3", 2),
        (" 3 ", 2),
        ("3.0", 2),
        (np.int64(5), 4),
        (np.float64(2.0), 1),
        # blanks
        (None, MISSING),
        (float("nan"), MISSING),
        (np.nan, MISSING),
        (pd.NA, MISSING),
        ("", MISSING),
        ("   ", MISSING),
        # declared non-scale answers
        ("Don't know", NON_SCALE),
        ("DON\u2019T KNOW", NON_SCALE),
        ("refused", NON_SCALE),
        ("n/a", NON_SCALE),
        ("Prefer not to say", NON_SCALE),
    ],
)
def test_category_of_level5(answer, expected):
    assert LEVEL5.category_of(answer) == expected


@pytest.mark.parametrize("answer", ["Hgh", "Very", 0, 6, 3.5, "3.5", "6", True, "nan", "Very High!"])
def test_category_of_unknown_raises_keyerror(answer):
    with pytest.raises(KeyError):
        LEVEL5.category_of(answer)


def test_agreement_synonyms():
    assert AGREEMENT5.category_of("neutral") == 2
    assert AGREEMENT5.category_of("Neither") == 2
    assert AGREEMENT5.category_of("strongly AGREE") == 4


def test_synonyms_given_as_mapping_and_custom_non_scale():
    s = LikertScale(("No", "Yes"), synonyms={"Nope": "No", "Y": "yes"}, non_scale=("Not applicable",))
    assert s.category_of("nope") == 0
    assert s.category_of("y") == 1
    assert s.category_of("NOT APPLICABLE") == NON_SCALE
    with pytest.raises(KeyError):  # the defaults are replaced
        s.category_of("Don't know")


def test_casefold_matching():
    s = LikertScale(("Stra\u00dfe", "Weg"))
    assert s.category_of("STRASSE") == 0


# --------------------------------------------------------------------------
# bad definitions
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(labels=("Only",)),                                         # one label
        dict(labels=()),
        dict(labels=("High", " high ")),                                # duplicate after normalisation
        dict(labels=("Don\u2019t care", "don't  CARE")),
        dict(labels=("Low", "High"), weights=(1, 0)),                   # decreasing
        dict(labels=("Low", "Mid", "High"), weights=(0, "0.5", "0.5")),  # not strictly increasing
        dict(labels=("Low", "Mid", "High"), weights=(0, 1)),            # wrong number of weights
        dict(labels=("Low", "High"), weights=(0, "0.5", 1)),
        dict(labels=("Low", "High"), synonyms={"Medium": "Neutral"}),   # synonym to unknown label
        dict(labels=("Low", "High"), synonyms={"Medium": "Don't know"}),  # ... or to a non-scale answer
        dict(labels=("Low", "High"), synonyms={"low": "High"}),         # alias clashes with a label
        dict(labels=("Low", "High"), codes=(1, 1)),                     # duplicate codes
        dict(labels=("Low", "High"), codes=(1, 2, 3)),
        dict(labels=("Low", "  ")),                                     # empty label
        dict(labels=("Refused", "Accepted")),                           # label is a non-scale answer
    ],
)
def test_bad_definitions_raise_scale_error(kwargs):
    with pytest.raises(ScaleError):
        LikertScale(**kwargs)


def test_numeric_needs_lo_below_hi():
    with pytest.raises(ScaleError):
        LikertScale.numeric(3, 3)
    with pytest.raises(ScaleError):
        LikertScale.numeric(5, 1)


def test_scale_error_is_value_error():
    with pytest.raises(ValueError):
        LikertScale(("x",))


# --------------------------------------------------------------------------
# suggestions
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typo, expected",
    [
        ("Hgh", "High"),
        ("Hihg", "High"),
        ("Neutrl", "Neutral"),
        ("very hihg", "Very High"),
        ("Medum", "Medium"),
        ("Dont know", "Don't know"),
        ("xyz", None),
    ],
)
def test_suggest(typo, expected):
    assert LEVEL5.suggest(typo) == expected


def test_allowed_lists_labels_and_codes():
    text = LEVEL5.allowed()
    assert "'Very Low'" in text and "'Very High'" in text and "1, 2, 3, 4, 5" in text
