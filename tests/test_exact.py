"""Tests for wai.exact: exact conversion, half-up rounding and printed values."""

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wai.exact import ReportedValue, as_fraction, format_fixed, parse_reported, round_half_up

# --------------------------------------------------------------------------
# Independent oracles (never call the code under test)
# --------------------------------------------------------------------------


def oracle_decimal(x: Fraction, d: int) -> Decimal:
    """Half-up rounding through the decimal module at very high precision.

    Denominators in the tests are at most 1e9 and |x| <= 1e40, so a value that
    is not exactly a half point is at least 1/(2e9 * 10^d) away from one, far
    more than the 1e-250 error of a 300-digit division.
    """
    with localcontext() as ctx:
        ctx.prec = 300
        q = Decimal(x.numerator) / Decimal(x.denominator)
        return q.quantize(Decimal(f"1E-{d}"), rounding=ROUND_HALF_UP)


def oracle_units(x: Fraction, d: int) -> int:
    """Signed number of 10^-d units after half-up rounding, on integers only.

    For m = |x| * 10^d = a/b, floor(m + 1/2) = (2a + b) // (2b).
    """
    a = abs(x.numerator) * 10**d
    b = x.denominator
    units = (2 * a + b) // (2 * b)
    return -units if x < 0 else units


def printed(m: int, d: int) -> str:
    """Text of the number m / 10^d with exactly d decimals (m >= 0)."""
    if d == 0:
        return str(m)
    return f"{m // 10**d}.{m % 10**d:0{d}d}"


# --------------------------------------------------------------------------
# as_fraction
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, Fraction(3)),
        ("0.25", Fraction(1, 4)),
        (" 2/3 ", Fraction(2, 3)),
        (0.1, Fraction(1, 10)),  # shortest repr, not the binary value
        (2.675, Fraction(2675, 1000)),
        (Decimal("0.125"), Fraction(1, 8)),
        (Fraction(7, 9), Fraction(7, 9)),
        (np.int64(4), Fraction(4)),
        (np.float64(0.1), Fraction(1, 10)),  # numpy floats too (their repr is 'np.float64(0.1)')
        (np.float32(0.5), Fraction(1, 2)),
    ],
)
def test_as_fraction_values(value, expected):
    assert as_fraction(value) == expected


@pytest.mark.parametrize("value, error", [
    (True, TypeError), (float("nan"), ValueError), (float("inf"), ValueError),
    (Decimal("NaN"), ValueError), ("abc", ValueError), ("1/0", ValueError), (object(), TypeError),
])
def test_as_fraction_rejects(value, error):
    with pytest.raises(error):
        as_fraction(value)


# --------------------------------------------------------------------------
# round_half_up
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        ("0.125", 2, "0.13"),   # exact half goes up (float round gives 0.12)
        ("0.135", 2, "0.14"),
        ("0.005", 2, "0.01"),
        (2.675, 2, "2.68"),     # float round(2.675, 2) == 2.67
        ("0.0049999", 2, "0.00"),
        ("-0.125", 2, "-0.13"),  # away from zero
        ("-0.005", 2, "-0.01"),
        ("-2.675", 2, "-2.68"),
        ("-0.004", 2, "0.00"),   # no negative zero
        (Fraction(238, 396), 2, "0.60"),  # 0.60101..
        (Fraction(119, 198), 4, "0.6010"),
        (Fraction(2, 3), 0, "1"),
        (Fraction(1, 2), 0, "1"),
        (Fraction(-1, 2), 0, "-1"),
        ("27.65", 1, "27.7"),
        (1, 2, "1.00"),          # trailing zeros kept
        (0, 3, "0.000"),
        (10**30 + 1, 2, "1000000000000000000000000000001.00"),  # no 28-digit context rounding
    ],
)
def test_round_half_up_cases(value, decimals, expected):
    result = round_half_up(value, decimals)
    assert isinstance(result, Decimal)
    assert str(result) == expected


def test_float_round_differs_where_exact_rule_does_not():
    # The reason the package never uses round(): binary floats sit below the half.
    assert round(2.675, 2) == 2.67
    assert round(0.125, 2) == 0.12  # banker's rounding of an exact binary half
    assert str(round_half_up(2.675)) == "2.68"
    assert str(round_half_up(0.125)) == "0.13"


def test_round_half_up_rejects_negative_decimals():
    with pytest.raises(ValueError):
        round_half_up("0.5", -1)


def test_format_fixed():
    assert format_fixed(Fraction(119, 198)) == "0.60"
    assert format_fixed(1, 2) == "1.00"
    assert format_fixed("0.125", 1) == "0.1"
    assert format_fixed("0.15", 1) == "0.2"


fractions = st.builds(Fraction, st.integers(-10**40, 10**40), st.integers(1, 10**9))
# exact halves at d decimals: (2m + 1) / (2 * 10^d)
halves = st.tuples(st.integers(-10**6, 10**6), st.integers(0, 6)).map(
    lambda t: (Fraction(2 * t[0] + 1, 2 * 10**t[1]), t[1])
)


@settings(max_examples=300, deadline=None)
@given(x=fractions, d=st.integers(0, 6))
def test_round_half_up_matches_decimal_oracle(x, d):
    result = round_half_up(x, d)
    assert result == oracle_decimal(x, d)
    assert result.as_tuple().exponent == -d


@settings(max_examples=300, deadline=None)
@given(x=fractions, d=st.integers(0, 6))
def test_round_half_up_matches_integer_oracle(x, d):
    assert Fraction(round_half_up(x, d)) == Fraction(oracle_units(x, d), 10**d)


@settings(max_examples=200, deadline=None)
@given(case=halves)
def test_round_half_up_at_exact_halves_goes_away_from_zero(case):
    x, d = case
    # x = (2m+1)/(2*10^d) lies half way between m and m+1 units; away from zero means
    # m+1 units when x > 0 and m units (i.e. -(|m|) toward more negative) when x < 0.
    m = (x * 2 * 10**d - 1) / 2
    expected = m + 1 if x > 0 else m
    assert Fraction(round_half_up(x, d)) == Fraction(expected) / 10**d
    assert Fraction(round_half_up(-x, d)) == -Fraction(round_half_up(x, d))


@settings(max_examples=200, deadline=None)
@given(x=fractions, d=st.integers(0, 4))
def test_round_half_up_is_odd_and_within_half_a_unit(x, d):
    r = Fraction(round_half_up(x, d))
    assert abs(r - x) <= Fraction(1, 2 * 10**d)
    assert Fraction(round_half_up(-x, d)) == -Fraction(round_half_up(x, d))


# --------------------------------------------------------------------------
# parse_reported and ReportedValue
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, decimals, value, low, high",
    [
        ("0.60", 2, "0.60", Fraction(595, 1000), Fraction(605, 1000)),
        ("0.6", 1, "0.6", Fraction(55, 100), Fraction(65, 100)),
        ("27.7", 1, "27.7", Fraction(2765, 100), Fraction(2775, 100)),
        ("17.0", 1, "17.0", Fraction(1695, 100), Fraction(1705, 100)),
        ("50", 0, "50", Fraction(495, 10), Fraction(505, 10)),
        (" 0.125 ", 3, "0.125", Fraction(1245, 10000), Fraction(1255, 10000)),
        ("-0.60", 2, "-0.60", Fraction(-605, 1000), Fraction(-595, 1000)),
    ],
)
def test_parse_reported(text, decimals, value, low, high):
    r = parse_reported(text)
    assert isinstance(r, ReportedValue)
    assert r.text == text.strip()
    assert r.decimals == decimals
    assert str(r.value) == value
    assert (r.low, r.high) == (low, high)


@pytest.mark.parametrize("text", ["abc", "", "1,5", "inf", "NaN"])
def test_parse_reported_rejects(text):
    with pytest.raises(ValueError):
        parse_reported(text)


def test_contains_interval_ends():
    r = parse_reported("0.60")
    tiny = Fraction(1, 10**12)
    assert r.contains(Fraction(595, 1000))          # low end included: 0.595 -> 0.60
    assert r.contains(Fraction(605, 1000) - tiny)   # just below high
    assert not r.contains(Fraction(605, 1000))      # high end excluded: 0.605 -> 0.61
    assert not r.contains(Fraction(595, 1000) - tiny)
    assert r.contains(Fraction(119, 198))           # 0.6010
    assert r.contains("0.6")
    # one decimal: "27.7" is [27.65, 27.75)
    p = parse_reported("27.7")
    assert p.contains("27.65") and not p.contains("27.75") and p.contains("27.7499")
    assert not p.contains("27.6499")


def test_contains_negative_interval_is_left_open():
    # Half up rounds away from zero, so -0.605 -> -0.61 and -0.595 -> -0.60.
    r = parse_reported("-0.60")
    assert r.contains("-0.595")
    assert not r.contains("-0.605")
    assert r.contains("-0.604999")


def test_contains_zero_is_open_at_both_ends():
    # "0.00" holds (-0.005, 0.005): -0.005 rounds away from zero to -0.01.
    r = parse_reported("0.00")
    assert (r.low, r.high) == (Fraction(-5, 1000), Fraction(5, 1000))
    assert r.contains(0) and r.contains("0.004999") and r.contains("-0.004999")
    assert not r.contains("0.005") and not r.contains("-0.005")


@settings(max_examples=300, deadline=None)
@given(m=st.integers(1, 10**5), d=st.integers(0, 4), x=st.fractions(0, 200, max_denominator=10**6))
def test_contains_agrees_with_interval(m, d, x):
    r = parse_reported(printed(m, d))
    centre = Fraction(m, 10**d)
    half = Fraction(1, 2 * 10**d)
    assert r.contains(x) == (centre - half <= x < centre + half)
    # the interval's own ends
    assert r.contains(centre - half)
    assert not r.contains(centre + half)
