"""Tests for wai.consistency: could printed percentages / WAIs come from n answers?"""

from fractions import Fraction
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wai.consistency import consistent_sample_sizes, count_range, percent_counts, wai_sum_range
from wai.exact import parse_reported

CHAPTER_PERCENTS = ["27.7", "19.1", "19.1", "17.0", "12.8", "4.3"]

# --------------------------------------------------------------------------
# independent helpers: integer half-up rounding and printing
# --------------------------------------------------------------------------


def units_half_up(x: Fraction, d: int) -> int:
    """x >= 0 rounded half up to d decimals, as a whole number of 10^-d units."""
    a, b = x.numerator * 10**d, x.denominator
    return (2 * a + b) // (2 * b)


def printed(m: int, d: int) -> str:
    return str(m) if d == 0 else f"{m // 10**d}.{m % 10**d:0{d}d}"


def matching_counts(m: int, d: int, n: int) -> list[int]:
    """Every count c in 0..n whose percentage 100c/n prints as m units of 10^-d."""
    return [c for c in range(n + 1) if units_half_up(Fraction(100 * c, n), d) == m]


def compositions(n: int, k: int):
    """Every vector of k non-negative counts summing to n (brute force)."""
    return (c for c in product(range(n + 1), repeat=k) if sum(c) == n)


def feasible(sets: list[list[int]], n: int) -> bool:
    """Whether one count from each set sums to n (dynamic programme over reachable sums)."""
    reachable = {0}
    for s in sets:
        reachable = {r + c for r in reachable for c in s if r + c <= n}
    return n in reachable


# --------------------------------------------------------------------------
# the chapter's hand-worked cases
# --------------------------------------------------------------------------
#
# n = 47, counts 13, 9, 9, 8, 6, 2 (sum 47):
#   13/47 = 27.659..% -> 27.7     9/47 = 19.148..% -> 19.1 (twice)
#    8/47 = 17.021..% -> 17.0     6/47 = 12.765..% -> 12.8      2/47 = 4.255..% -> 4.3
# n = 94: the doubled counts 26, 18, 18, 16, 12, 4 (sum 94) give the same ratios.
# n = 99: 27.7% of 99 is 27.42; 27/99 = 27.27..% -> 27.3 and 28/99 = 28.28..% -> 28.3,
#   so no count prints as 27.7.
# 46.5 / 53.5 at n = 99: 46/99 = 46.4646..% -> 46.5, 53/99 = 53.5353..% -> 53.5, 46 + 53 = 99.
#   At n = 100, c/100 is c% exactly: 46.0 or 47.0, never 46.5.


def test_chapter_percentages_fit_47():
    assert percent_counts(CHAPTER_PERCENTS, 47) == [
        range(13, 14), range(9, 10), range(9, 10), range(8, 9), range(6, 7), range(2, 3)]
    assert 13 + 9 + 9 + 8 + 6 + 2 == 47


def test_chapter_percentages_fit_94():
    assert percent_counts(CHAPTER_PERCENTS, 94) == [
        range(26, 27), range(18, 19), range(18, 19), range(16, 17), range(12, 13), range(4, 5)]
    assert count_range("27.7", 94) == range(26, 27)


def test_chapter_percentages_do_not_fit_99():
    assert count_range("27.7", 99) is None
    assert percent_counts(CHAPTER_PERCENTS, 99) is None


def test_chapter_consistent_sample_sizes():
    found = consistent_sample_sizes(CHAPTER_PERCENTS, max_n=100)
    assert 47 in found and 94 in found and 99 not in found
    # independent check over every n up to 100
    sets = lambda n: [matching_counts(int(p.replace(".", "")), 1, n) for p in CHAPTER_PERCENTS]  # noqa: E731
    assert found == [n for n in range(1, 101) if feasible(sets(n), n)] == [47, 94]
    assert consistent_sample_sizes(CHAPTER_PERCENTS, max_n=60, min_n=48) == []


def test_two_percentages_fit_99_not_100():
    assert count_range("46.5", 99) == range(46, 47)
    assert count_range("53.5", 99) == range(53, 54)
    assert percent_counts(["46.5", "53.5"], 99) == [range(46, 47), range(53, 54)]
    assert count_range("46.5", 100) is None
    assert percent_counts(["46.5", "53.5"], 100) is None


def test_percentages_individually_possible_but_not_summing_to_n():
    # n = 3: 33.3% is 1 of 3 and 66.7% is 2 of 3; 33.3 + 33.3 needs 1 + 1 = 2 != 3.
    assert percent_counts(["33.3", "66.7"], 3) == [range(1, 2), range(2, 3)]
    assert percent_counts(["33.3", "33.3"], 3) is None


def test_count_range_small_cases():
    # n = 3 gives 0, 33.3.., 66.6.., 100 %: "50" is impossible
    assert count_range("50", 3) is None
    assert count_range("33", 3) == range(1, 2)
    assert count_range("67", 3) == range(2, 3)
    # zero decimals on n = 300: c/300 is c/3 %, and 32.5 <= c/3 < 33.5 means 97.5 <= c < 100.5
    assert count_range("33", 300) == range(98, 101)
    assert count_range("0", 1000) == range(0, 5)       # 0.4% prints 0, 0.5% prints 1
    assert count_range("100", 1000) == range(995, 1001)
    assert count_range(parse_reported("46.5"), 99) == range(46, 47)


def test_wai_sum_range_chapter():
    # WAI = S / (n (K - 1)) = S / 396; "0.60" holds [0.595, 0.605): 235.62 <= S < 239.58 -> 236..239,
    # and 238/396 = 0.6010 is the chapter's value.
    assert wai_sum_range("0.60", 99) == range(236, 240)
    assert 238 in wai_sum_range("0.60", 99)
    # 3 answers give twelfths: 5/12 = 0.4166.. -> 0.42, 6/12 = 0.50; "0.45" is impossible
    assert wai_sum_range("0.45", 3) is None
    assert wai_sum_range("0.42", 3) == range(5, 6)
    # two-point scale: WAI is the share of the top answer
    assert wai_sum_range("0.5", 4, points=2) == range(2, 3)


@pytest.mark.parametrize("call", [
    lambda: count_range("10", 0),
    lambda: percent_counts(["10"], 0),
    lambda: wai_sum_range("0.5", 0),
    lambda: wai_sum_range("0.5", 5, points=1),
    lambda: count_range("ten", 5),
])
def test_bad_input_raises(call):
    with pytest.raises(ValueError):
        call()


# --------------------------------------------------------------------------
# brute force over all counts
# --------------------------------------------------------------------------


@st.composite
def percent_and_n(draw):
    n = draw(st.integers(1, 60))
    d = draw(st.integers(0, 2))
    if draw(st.booleans()):  # a percentage that some count really produces
        m = units_half_up(Fraction(100 * draw(st.integers(0, n)), n), d)
    else:                    # any printed percentage 0..100
        m = draw(st.integers(0, 100 * 10**d))
    return m, d, n


@settings(max_examples=300, deadline=None)
@given(case=percent_and_n())
def test_count_range_matches_brute_force(case):
    m, d, n = case
    expected = matching_counts(m, d, n)
    result = count_range(printed(m, d), n)
    if not expected:
        assert result is None
    else:
        assert result is not None and list(result) == expected


@st.composite
def percents_and_n(draw):
    n = draw(st.integers(1, 14))
    k = draw(st.integers(1, 3))
    d = draw(st.integers(0, 1))
    counts = draw(st.lists(st.integers(0, n), min_size=k, max_size=k))
    units = [units_half_up(Fraction(100 * c, n), d) for c in counts]
    # nudge some by one printed unit so that infeasible cases occur too
    nudges = draw(st.lists(st.sampled_from([-1, 0, 0, 1]), min_size=k, max_size=k))
    units = [max(0, u + e) for u, e in zip(units, nudges)]
    return units, d, n


@settings(max_examples=150, deadline=None)
@given(case=percents_and_n())
def test_percent_counts_matches_brute_force(case):
    units, d, n = case
    texts = [printed(u, d) for u in units]
    sets = [matching_counts(u, d, n) for u in units]
    exists = any(all(c in s for c, s in zip(comp, sets)) for comp in compositions(n, len(units)))
    result = percent_counts(texts, n)
    if not exists:
        assert result is None
    else:
        assert result is not None
        assert [list(r) for r in result] == sets


@st.composite
def table_percents(draw):
    n0 = draw(st.integers(1, 12))
    k = draw(st.integers(2, 3))
    d = draw(st.integers(0, 1))
    counts = draw(st.lists(st.integers(0, n0), min_size=k - 1, max_size=k - 1).filter(lambda c: sum(c) <= n0))
    counts.append(n0 - sum(counts))
    return [units_half_up(Fraction(100 * c, n0), d) for c in counts], d, n0


@settings(max_examples=40, deadline=None)
@given(case=table_percents())
def test_consistent_sample_sizes_matches_brute_force(case):
    units, d, n0 = case
    texts = [printed(u, d) for u in units]
    found = consistent_sample_sizes(texts, max_n=30)
    expected = [n for n in range(1, 31) if feasible([matching_counts(u, d, n) for u in units], n)]
    assert found == expected
    assert n0 in found  # the table was made from n0 answers
    assert consistent_sample_sizes(texts, max_n=30, min_n=n0) == [n for n in expected if n >= n0]


@st.composite
def printed_percents(draw):
    """Printed percents of any sign and up to 24 decimals (past int64 once scaled), as text."""
    d = draw(st.one_of(st.integers(0, 2), st.integers(3, 24)))  # few decimals hit interval ends exactly
    units = draw(st.lists(st.integers(-10 ** (d + 1), 10 ** (d + 2) + 10 ** (d + 1)), min_size=1, max_size=4))
    return [("-" if u < 0 else "") + printed(abs(u), d) for u in units]


@settings(max_examples=60, deadline=None)
@given(texts=printed_percents(), rule=st.sampled_from(["up", "even", "truncate", "ceiling", "usual", "anything"]),
       low=st.integers(1, 40))
def test_consistent_sample_sizes_is_percent_counts_at_each_n(texts, rule, low):
    # the sizes found for all n at once are those percent_counts accepts one n at a time
    expected = [n for n in range(low, 121) if percent_counts(texts, n, rule) is not None]
    assert consistent_sample_sizes(texts, max_n=120, min_n=low, rounding=rule) == expected


def test_consistent_sample_sizes_of_an_empty_span_and_of_thirds_with_many_decimals():
    assert consistent_sample_sizes(CHAPTER_PERCENTS, max_n=10, min_n=11) == []
    thirds = ["33.3333333333333333333333", "66.6666666666666666666667"]  # 1/3 and 2/3 to 22 decimals
    assert consistent_sample_sizes(thirds, max_n=12) == [3, 6, 9, 12]
    # At n = 200, "50" allows 99 or 100 and "49" allows 97 or 98 (half up), so no total reaches 200:
    # 101 (50.5 %) and 99 (49.5 %) would, but they round half up to 51 and 50. Half down, they fit.
    assert consistent_sample_sizes(["50", "49"], max_n=200, min_n=200) == []
    assert consistent_sample_sizes(["50", "49"], max_n=200, min_n=200, rounding="down") == [200]
    # and the other end: half down, "50" allows 100 or 101 and "51" 102 or 103 (99 and 101 are 49.5 % and
    # 50.5 %, which round down to 49 and 50), so the least total is 202; half up, 99 + 101 = 200 fits
    assert consistent_sample_sizes(["50", "51"], max_n=200, min_n=200, rounding="down") == []
    assert consistent_sample_sizes(["50", "51"], max_n=200, min_n=200) == [200]


@st.composite
def wai_and_n(draw):
    n = draw(st.integers(1, 6))
    k = draw(st.integers(2, 5))
    d = draw(st.integers(1, 3))
    if draw(st.booleans()):  # the printed WAI of some real answers
        s = draw(st.integers(0, n * (k - 1)))
        m = units_half_up(Fraction(s, n * (k - 1)), d)
    else:
        m = draw(st.integers(0, 10**d))
    return m, d, n, k


@settings(max_examples=150, deadline=None)
@given(case=wai_and_n())
def test_wai_sum_range_matches_brute_force(case):
    m, d, n, k = case
    # every vector of counts F_1..F_K with n answers; S = sum (j - 1) F_j
    sums = set()
    for comp in compositions(n, k):
        s = sum(j * f for j, f in enumerate(comp))
        if units_half_up(Fraction(s, n * (k - 1)), d) == m:
            sums.add(s)
    result = wai_sum_range(printed(m, d), n, points=k)
    if not sums:
        assert result is None
    else:
        assert result is not None and list(result) == sorted(sums)
