"""Tests for wai.bands: chapter 11's bands under the "rounded" and "exact" rules."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wai.bands import CHAPTER11_BANDS, RULES, Band, BandScheme
from wai.errors import BandError

VL, L, N, H, VH = "Very Low", "Low", "Neutral", "High", "Very High"
LABELS = (VL, L, N, H, VH)
BREAKS_HUNDREDTHS = (20, 40, 60, 80)


def band_exact_oracle(x: Fraction) -> str:
    """Right-closed breaks at 0.2, 0.4, 0.6, 0.8: the band index counts breaks strictly below x."""
    return LABELS[sum(1 for b in BREAKS_HUNDREDTHS if x > Fraction(b, 100))]


def band_rounded_oracle(x: Fraction) -> str:
    """Round half up to whole hundredths with integers, then read the printed ranges
    0-20, 21-40, 41-60, 61-80, 81-100 (in hundredths)."""
    r = (2 * x.numerator * 100 + x.denominator) // (2 * x.denominator)  # x >= 0
    return LABELS[sum(1 for b in BREAKS_HUNDREDTHS if r > b)]


# --------------------------------------------------------------------------
# the chapter's scheme
# --------------------------------------------------------------------------


def test_chapter11_scheme_shape():
    b = CHAPTER11_BANDS
    assert b.labels == LABELS
    assert b.decimals == 2
    assert b.breaks == (Fraction(1, 5), Fraction(2, 5), Fraction(3, 5), Fraction(4, 5))
    assert [(x.low, x.high) for x in b.bands] == [
        (Fraction(0), Fraction(20, 100)),
        (Fraction(21, 100), Fraction(40, 100)),
        (Fraction(41, 100), Fraction(60, 100)),
        (Fraction(61, 100), Fraction(80, 100)),
        (Fraction(81, 100), Fraction(1)),
    ]
    assert RULES == ("rounded", "exact")


# (value, band under "rounded", band under "exact", printed value)
BOUNDARIES = [
    (0, VL, VL, "0.00"),
    ("0.1949", VL, VL, "0.19"),
    ("0.195", VL, VL, "0.20"),          # rounds up to 0.20, still Very Low
    ("0.20", VL, VL, "0.20"),           # the break itself is in the lower band (right-closed)
    ("0.2001", VL, L, "0.20"),          # prints 0.20 but exceeds 0.2
    (Fraction(2049, 10000), VL, L, "0.20"),
    ("0.204999999", VL, L, "0.20"),
    ("0.205", L, L, "0.21"),            # half rounds up to 0.21
    ("0.21", L, L, "0.21"),
    ("0.40", L, L, "0.40"),
    ("0.4049", L, N, "0.40"),
    ("0.405", N, N, "0.41"),
    ("0.41", N, N, "0.41"),
    ("0.60", N, N, "0.60"),
    (Fraction(238, 396), N, H, "0.60"),  # 0.60101.., the chapter's example
    ("0.6010", N, H, "0.60"),
    ("0.605", H, H, "0.61"),
    ("0.61", H, H, "0.61"),
    ("0.80", H, H, "0.80"),
    ("0.8049", H, VH, "0.80"),
    ("0.805", VH, VH, "0.81"),
    ("0.81", VH, VH, "0.81"),
    ("0.995", VH, VH, "1.00"),
    (1, VH, VH, "1.00"),
]


@pytest.mark.parametrize("value, rounded, exact, text", BOUNDARIES)
def test_boundaries_both_rules(value, rounded, exact, text):
    assert CHAPTER11_BANDS.classify(value) == rounded
    assert CHAPTER11_BANDS.classify(value, rule="rounded") == rounded
    assert CHAPTER11_BANDS.classify(value, rule="exact") == exact


@pytest.mark.parametrize("value, rounded, exact, text", BOUNDARIES)
def test_classify_both_flags_disagreement(value, rounded, exact, text):
    v = CHAPTER11_BANDS.classify_both(value)
    assert (v.band, v.band_exact) == (rounded, exact)
    assert v.rounded == Decimal(text) and str(v.rounded) == text
    assert v.depends_on_rule == (rounded != exact)
    assert v.value == Fraction(value)


def test_disagreements_in_table_are_exactly_the_values_just_above_a_break():
    flagged = {str(v) for v, r, e, _ in BOUNDARIES if r != e}
    assert flagged == {"0.2001", "2049/10000", "0.204999999", "0.4049", "119/198", "0.6010", "0.8049"}


def test_unknown_rule():
    with pytest.raises(ValueError):
        CHAPTER11_BANDS.classify("0.5", rule="nearest")


values01 = st.one_of(
    st.fractions(0, 1, max_denominator=10**6),
    st.integers(0, 10**5).map(lambda m: Fraction(m, 10**5)),  # hits x.xx5 and breaks often
    st.sampled_from([Fraction(b, 100) + Fraction(k, 1000) for b in BREAKS_HUNDREDTHS for k in range(-6, 7)]),
)


@settings(max_examples=400, deadline=None)
@given(x=values01)
def test_rules_differ_only_just_above_a_break(x):
    v = CHAPTER11_BANDS.classify_both(x)
    just_above = any(Fraction(b, 100) < x < Fraction(b, 100) + Fraction(5, 1000) for b in BREAKS_HUNDREDTHS)
    assert v.depends_on_rule == just_above
    assert (v.band != v.band_exact) == just_above


@settings(max_examples=400, deadline=None)
@given(x=values01)
def test_classify_matches_independent_oracles(x):
    assert CHAPTER11_BANDS.classify(x, "exact") == band_exact_oracle(x)
    assert CHAPTER11_BANDS.classify(x, "rounded") == band_rounded_oracle(x)


# --------------------------------------------------------------------------
# labels and synonyms
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label, expected",
    [("Neutral", N), ("neutral", N), ("Medium", N), ("MODERATE", N), (" very  high ", VH), ("low", L)],
)
def test_canonical(label, expected):
    assert CHAPTER11_BANDS.canonical(label) == expected


@pytest.mark.parametrize("label", ["Average", "Mid", "", "Very"])
def test_canonical_unknown_raises(label):
    with pytest.raises(BandError):
        CHAPTER11_BANDS.canonical(label)


# --------------------------------------------------------------------------
# custom schemes
# --------------------------------------------------------------------------


def test_from_ranges_one_decimal():
    s = BandScheme.from_ranges([("Low", "0.0", "0.5"), ("High", "0.6", "1.0")], synonyms={"Hi": "High"})
    assert s.decimals == 1
    assert s.breaks == (Fraction(1, 2),)
    # 0.54 prints 0.5 (Low) but exceeds 0.5 (High); 0.55 prints 0.6 (High)
    assert s.classify("0.54") == "Low" and s.classify("0.54", "exact") == "High"
    assert s.classify("0.55") == "High" and s.classify("0.55", "exact") == "High"
    assert s.classify("0.5") == "Low" and s.classify("0.5", "exact") == "Low"
    assert s.classify(0) == "Low" and s.classify(1) == "High"
    assert s.classify_both("0.52").depends_on_rule
    assert not s.classify_both("0.45").depends_on_rule
    assert s.canonical("hi") == "High"


def test_from_ranges_three_bands_on_a_mean_scale():
    # bands for a 1..5 mean printed with 1 decimal
    s = BandScheme.from_ranges([("Low", "1.0", "2.3"), ("Mid", "2.4", "3.6"), ("High", "3.7", "5.0")])
    assert s.classify("2.34") == "Low"       # prints 2.3
    assert s.classify("2.35") == "Mid"       # prints 2.4
    assert s.classify("2.31", "exact") == "Mid"
    assert s.classify("3.65") == "High"


def test_band_scheme_direct_construction():
    s = BandScheme((Band("A", Fraction(0), Fraction(1, 2)), Band("B", Fraction(51, 100), Fraction(1))))
    assert s.classify("0.505") == "B" and s.classify("0.504") == "A"


@pytest.mark.parametrize(
    "ranges",
    [
        [],                                                              # no band
        [("A", "0.00", "0.20"), ("B", "0.22", "0.40")],                  # gap
        [("A", "0.00", "0.25"), ("B", "0.21", "0.40")],                  # overlap
        [("A", "0.00", "0.20"), ("B", "0.20", "0.40")],                  # shared end
        [("A", "0.0", "0.20"), ("B", "0.21", "0.40")],                   # mixed decimals
        [("A", "0.00", "0.2"), ("B", "0.3", "0.40")],
        [("A", "0.00", "0.20"), ("a ", "0.21", "0.40")],                 # duplicate labels
        [("A", "0.00", "0.20"), ("B", "0.21", "0.10")],                  # band ends before it starts
    ],
)
def test_malformed_schemes_raise(ranges):
    with pytest.raises(BandError):
        BandScheme.from_ranges(ranges)


def test_synonym_to_unknown_band_raises():
    with pytest.raises(BandError):
        BandScheme.from_ranges([("A", "0.0", "0.5"), ("B", "0.6", "1.0")], synonyms={"Mid": "C"})


def test_band_error_is_value_error():
    with pytest.raises(ValueError):
        BandScheme(())
