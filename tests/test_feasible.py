"""Tests for wai.feasible: exact counting, bounding and listing of consistent count vectors."""

import math
from fractions import Fraction
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wai.feasible as feasible_module
from wai.errors import OptionError
from wai.feasible import FeasibleCounts, feasible_counts
from wai.index import SCHEMES, scheme_weights, wai_from_counts

CHAPTER_PERCENTS = ["27.7", "19.1", "19.1", "17.0", "12.8", "4.3"]

# --------------------------------------------------------------------------
# independent brute force: every count vector, integer half-up rounding
# --------------------------------------------------------------------------


def units_half_up(x: Fraction, d: int) -> int:
    """x >= 0 rounded half up to d decimals, as a whole number of 10^-d units."""
    a, b = x.numerator * 10**d, x.denominator
    return (2 * a + b) // (2 * b)


def printed(m: int, d: int) -> str:
    """m units of 10^-d as printed text with exactly d decimals."""
    return str(m) if d == 0 else f"{m // 10**d}.{m % 10**d:0{d}d}"


@lru_cache(maxsize=None)
def compositions(n: int, k: int) -> tuple[tuple[int, ...], ...]:
    """Every vector of k non-negative counts summing to n, in lexicographic order."""
    if k == 1:
        return ((n,),)
    return tuple((f, *rest) for f in range(n + 1) for rest in compositions(n - f, k - 1))


@lru_cache(maxsize=None)
def exact_indexes(n: int, k: int, scheme: str) -> dict[tuple[int, ...], Fraction]:
    return {v: wai_from_counts(v, scheme=scheme) for v in compositions(n, k)}


def brute_force(n, k, scheme, index=None, percents=None):
    """(vectors, total, bounds, index_range) by checking every vector; index and percents
    are given as (units, decimals) pairs."""
    values = exact_indexes(n, k, scheme)
    keep = []
    for v, x in values.items():
        if index is not None and units_half_up(x, index[1]) != index[0]:
            continue
        if percents is not None and any(
            units_half_up(Fraction(100 * c, n), d) != m for c, (m, d) in zip(v, percents)
        ):
            continue
        keep.append(v)
    if not keep:
        return keep, 0, None, None
    bounds = tuple((min(v[i] for v in keep), max(v[i] for v in keep)) for i in range(k))
    xs = [values[v] for v in keep]
    return keep, len(keep), bounds, (min(xs), max(xs))


def check_against_brute_force(n, k, scheme, index=None, percents=None):
    fc = feasible_counts(
        n,
        k,
        scheme=scheme,
        index=None if index is None else printed(*index),
        percents=None if percents is None else [printed(*p) for p in percents],
    )
    vectors, total, bounds, index_range = brute_force(n, k, scheme, index, percents)
    assert fc.total == total
    assert fc.feasible == (total > 0)
    assert fc.bounds == bounds
    assert fc.index_range == index_range
    assert list(fc.vectors()) == vectors  # same set, and lexicographic order
    return fc


# --------------------------------------------------------------------------
# strategies: printed numbers near (or exactly at) what some vector gives
# --------------------------------------------------------------------------


@st.composite
def case(draw, with_index: bool, with_percents: bool):
    n = draw(st.integers(1, 12))
    k = draw(st.integers(2, 5))
    scheme = draw(st.sampled_from(SCHEMES))
    # printed numbers are derived from a seed vector, possibly of another sample size,
    # and sometimes nudged by one unit, so both feasible and infeasible cases come up
    seed_n = draw(st.sampled_from([n, n, n, max(1, n - 1), n + 1]))
    seed = draw(st.sampled_from(compositions(seed_n, k)))
    index = percents = None
    if with_index:
        d = draw(st.integers(0, 3))
        if draw(st.booleans()):
            m = draw(st.integers(0, k * 10**d))
        else:
            x = wai_from_counts(seed, scheme=scheme)
            m = max(0, units_half_up(x, d) + draw(st.sampled_from([0, 0, 0, -1, 1])))
        index = (m, d)
    if with_percents:
        percents = []
        for c in seed:
            d = draw(st.integers(0, 2))
            m = units_half_up(Fraction(100 * c, seed_n), d)
            m = max(0, m + draw(st.sampled_from([0, 0, 0, 0, -1, 1])))
            percents.append((m, d))
    return n, k, scheme, index, percents


SETTINGS = settings(max_examples=150, deadline=None)


@SETTINGS
@given(case(with_index=True, with_percents=False))
def test_index_only_matches_brute_force(c):
    check_against_brute_force(*c)


@SETTINGS
@given(case(with_index=False, with_percents=True))
def test_percents_only_matches_brute_force(c):
    check_against_brute_force(*c)


@SETTINGS
@given(case(with_index=True, with_percents=True))
def test_index_and_percents_match_brute_force(c):
    check_against_brute_force(*c)


# Percentages printed from n <= 12 answers always pin every count down (one answer is more
# than 8 %). Ranges of counts per printed percentage need n > 100, so for those a vectorised
# brute force over every vector of K <= 4 categories, in integer arithmetic, with the index
# computed from the scheme's weights (not from the code sum).


def all_vectors(n: int, k: int) -> np.ndarray:
    """Every vector of k non-negative counts summing to n, one per row, lexicographic."""
    grid = np.indices((n + 1,) * (k - 1)).reshape(k - 1, -1).T
    grid = grid[grid.sum(axis=1) <= n]
    return np.column_stack([grid, n - grid.sum(axis=1)])


def half_up_units(num: np.ndarray, den: int, d: int) -> np.ndarray:
    """num/den >= 0 rounded half up to d decimals, in units of 10^-d (integer arithmetic)."""
    return (2 * num * 10**d + den) // (2 * den)


@st.composite
def big_case(draw):
    k = draw(st.integers(2, 4))
    n = draw(st.integers(101, {2: 2000, 3: 600, 4: 110}[k]))
    scheme = draw(st.sampled_from(SCHEMES))
    vectors = all_vectors(n, k)
    seed = vectors[draw(st.integers(0, len(vectors) - 1))]
    percents = []
    for c in seed:
        d = draw(st.sampled_from([0, 0, 0, 1]))
        m = int(half_up_units(np.int64(100 * c), n, d)) + draw(st.sampled_from([0] * 8 + [1, -1]))
        percents.append((max(m, 0), d))
    index = None
    if draw(st.booleans()):
        d = draw(st.integers(1, 3))
        x = wai_from_counts(tuple(int(c) for c in seed), scheme=scheme)
        index = (units_half_up(x, d) + draw(st.sampled_from([0, 0, 1, -1])), d)
    return n, k, scheme, index, percents


@settings(max_examples=40, deadline=None)
@given(big_case())
def test_count_ranges_match_vectorised_brute_force(c):
    n, k, scheme, index, percents = c
    vectors = all_vectors(n, k)
    weights = scheme_weights(k, scheme)
    lcd = math.lcm(*(w.denominator for w in weights))
    numer = vectors @ np.array([int(w * lcd) for w in weights])  # index = numer / (n lcd)
    keep = np.ones(len(vectors), dtype=bool)
    for j, (m, d) in enumerate(percents):
        keep &= half_up_units(100 * vectors[:, j], n, d) == m
    if index is not None:
        keep &= half_up_units(numer, n * lcd, index[1]) == index[0]
    fc = feasible_counts(
        n,
        k,
        scheme=scheme,
        index=None if index is None else printed(*index),
        percents=[printed(*p) for p in percents],
    )
    assert fc.total == int(keep.sum())
    if fc.total == 0:
        assert fc.bounds is None and fc.index_range is None
        return
    kept = vectors[keep]
    assert fc.bounds == tuple((int(kept[:, j].min()), int(kept[:, j].max())) for j in range(k))
    xs = numer[keep]
    assert fc.index_range == (Fraction(int(xs.min()), n * lcd), Fraction(int(xs.max()), n * lcd))
    if fc.total <= 5000:
        assert list(fc.vectors()) == [tuple(v) for v in kept.tolist()]  # rows are lexicographic


@pytest.mark.parametrize("k", [2, 3, 4, 5])
@pytest.mark.parametrize("n", [1, 2, 5, 9])
def test_unconstrained_matches_brute_force(n, k):
    for scheme in SCHEMES:
        fc = check_against_brute_force(n, k, scheme)
        assert fc.total == math.comb(n + k - 1, k - 1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(case(with_index=True, with_percents=False), case(True, with_percents=True)))
def test_modular_counting_path_matches_brute_force(c):
    # force the multi-modulus (Chinese remainder) path with small moduli 50, 49, 47, ...
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(feasible_module, "_INT64_EXACT_BELOW", 0)
        mp.setattr(feasible_module, "_MODULUS_START", 50)
        check_against_brute_force(*c)


def test_moduli_are_coprime_and_cover_the_bound():
    moduli = feasible_module._moduli(10**40)
    assert math.prod(moduli) > 10**40
    assert all(math.gcd(a, b) == 1 for i, a in enumerate(moduli) for b in moduli[i + 1 :])
    assert all(q < 2**62 for q in moduli)  # a sum of two residues fits in int64
    assert feasible_module._crt([2, 3], [5, 7]) == 17


# --------------------------------------------------------------------------
# hand-worked cases
# --------------------------------------------------------------------------


def test_three_answers_cannot_print_045():
    # 3 answers on 5 points: WAI = S/12 with S = 0..12. 5/12 = 0.4166.. -> 0.42 and
    # 6/12 = 0.50 -> 0.50, so nothing prints as 0.45.
    fc = feasible_counts(3, 5, index="0.45")
    assert not fc.feasible
    assert fc.total == 0 and fc.bounds is None and fc.index_range is None
    assert list(fc.vectors()) == []
    assert fc.to_frame().shape == (0, 7)


def test_two_answers_three_points_050():
    # n = 2, K = 3: WAI = S/4, and 0.50 needs S = 2 exactly: one answer at the top and one at
    # the bottom (1, 0, 1), or both in the middle (0, 2, 0).
    fc = feasible_counts(2, 3, index="0.50")
    assert list(fc.vectors()) == [(0, 2, 0), (1, 0, 1)]
    assert fc.total == 2
    assert fc.bounds == ((0, 1), (0, 2), (0, 1))
    assert fc.index_range == (Fraction(1, 2), Fraction(1, 2))
    # the same vectors under the other schemes: RII = (2 + 2)/6 = 0.67, mean = 4/2 = 2.0
    for text, scheme in [("0.67", "rii"), ("2.0", "mean")]:
        fc = feasible_counts(2, 3, index=text, scheme=scheme)
        assert list(fc.vectors()) == [(0, 2, 0), (1, 0, 1)]


def test_rounding_is_half_up_and_exact():
    # n = 8, K = 2: WAI = F_2/8. 1/8 = 0.125 prints as 0.13 half up (float round gives 0.12).
    assert list(feasible_counts(8, 2, index="0.13").vectors()) == [(7, 1)]
    assert not feasible_counts(8, 2, index="0.12").feasible
    # a printed value's decimals matter: "0.1" is [0.05, 0.15), which holds 1/8 as well
    assert list(feasible_counts(8, 2, index="0.1").vectors()) == [(7, 1)]


def test_chapter11_percentages():
    # n = 94: 26, 18, 18, 16, 12, 4 -> 27.66, 19.15, 19.15, 17.02, 12.77, 4.26 % (each the only
    # count that prints so); n = 47: the halves; n = 99: 27.7 % of 99 is no whole count.
    fc = feasible_counts(94, 6, percents=CHAPTER_PERCENTS)
    assert fc.total == 1
    assert list(fc.vectors()) == [(26, 18, 18, 16, 12, 4)]
    assert fc.bounds == tuple((c, c) for c in (26, 18, 18, 16, 12, 4))
    fc = feasible_counts(47, 6, percents=CHAPTER_PERCENTS)
    assert list(fc.vectors()) == [(13, 9, 9, 8, 6, 2)]
    fc = feasible_counts(99, 6, percents=CHAPTER_PERCENTS)
    assert not fc.feasible and fc.total == 0
    assert fc.percents == tuple(CHAPTER_PERCENTS)


def test_chapter11_wai_060_from_99_answers():
    # WAI = S/396; 0.60 is [0.595, 0.605), i.e. S in [235.62, 239.58), S = 236..239.
    fc = feasible_counts(99, 5, index="0.60")
    assert fc.index_range == (Fraction(236, 396), Fraction(239, 396))
    # an independent count: choose F_1, F_2, F_3; then F_4 + F_5 = r and
    # S = F_2 + 2 F_3 + 3 r + F_5 fixes F_5, which must lie in 0..r.
    f1, f2, f3 = np.meshgrid(*[np.arange(100)] * 3, indexing="ij")
    ok = f1 + f2 + f3 <= 99
    f2, f3 = f2[ok], f3[ok]
    r = 99 - f1[ok] - f2 - f3
    expected = 0
    for s in range(236, 240):
        f5 = s - f2 - 2 * f3 - 3 * r
        expected += int(((f5 >= 0) & (f5 <= r)).sum())
    assert fc.total == expected == 94911
    # the chapter's item, and its printed percentages pin it down completely
    counts = (5, 15, 28, 37, 14)
    assert wai_from_counts(counts) == Fraction(238, 396)
    both = feasible_counts(99, 5, index="0.60", percents=["5.1", "15.2", "28.3", "37.4", "14.1"])
    assert list(both.vectors()) == [counts]


def test_counts_and_listing_agree_on_a_mid_sized_case():
    fc = feasible_counts(30, 5, index="0.6", scheme="wai")  # S/120 in [0.55, 0.65): S = 66..77
    vectors = list(fc.vectors())
    assert len(vectors) == fc.total > 1000
    assert vectors == sorted(set(vectors))
    assert all(sum(v) == 30 for v in vectors)
    assert all(Fraction(11, 20) <= wai_from_counts(v) < Fraction(13, 20) for v in vectors)
    assert fc.bounds == tuple((min(c), max(c)) for c in zip(*vectors))


# --------------------------------------------------------------------------
# exactness beyond int64, and size
# --------------------------------------------------------------------------


def test_huge_unconstrained_total_is_exact():
    fc = feasible_counts(1000, 11)
    assert fc.total == math.comb(1010, 10) > 2**63
    assert fc.bounds == ((0, 1000),) * 11
    assert fc.index_range == (Fraction(0), Fraction(1))
    assert next(fc.vectors()) == (0,) * 10 + (1000,)


def test_huge_totals_with_an_index_partition_all_vectors():
    # printed at 0 decimals, "0" and "1" cover every WAI exactly once; C(119, 19) > 2**62, so
    # the counts go through the multi-modulus path with the real moduli
    n, k = 100, 20
    assert math.comb(n + k - 1, k - 1) > 2**62
    low, high = (feasible_counts(n, k, index=v) for v in ("0", "1"))
    assert low.total + high.total == math.comb(n + k - 1, k - 1)
    assert low.index_range[1] < Fraction(1, 2) <= high.index_range[0]
    # the same with the mean: 1..K at 0 decimals partition everything
    n, k = 60, 7
    totals = [feasible_counts(n, k, index=str(m), scheme="mean").total for m in range(1, k + 1)]
    assert sum(totals) == math.comb(n + k - 1, k - 1)


def test_three_hundred_answers_work():
    # no timing asserted; the documented target is well under a second
    fc = feasible_counts(300, 5, index="0.60")
    assert fc.total > 10**6
    assert all(lo <= hi for lo, hi in fc.bounds)
    first = next(fc.vectors())  # lazily, without listing millions
    assert sum(first) == 300 and Fraction(119, 200) <= wai_from_counts(first) < Fraction(121, 200)
    assert all(lo <= f <= hi for f, (lo, hi) in zip(first, fc.bounds))
    assert Fraction(119, 200) <= fc.index_range[0] <= fc.index_range[1] < Fraction(121, 200)
    counts = (15, 45, 84, 111, 45)  # WAI 726/1200 = 0.605 -> 0.61
    percents = ["5.0", "15.0", "28.0", "37.0", "15.0"]
    exact = feasible_counts(300, 5, index="0.61", percents=percents)
    assert list(exact.vectors()) == [counts]


def test_vectors_limit_and_laziness():
    fc = feasible_counts(300, 5, index="0.60")
    first_three = list(fc.vectors(limit=3))
    assert first_three == sorted(first_three) and len(first_three) == 3
    assert list(fc.vectors(limit=0)) == []
    it = fc.vectors()
    assert next(it) == first_three[0]
    with pytest.raises(ValueError, match="limit"):
        fc.vectors(limit=-1)


def test_to_frame():
    frame = feasible_counts(2, 3, index="0.50").to_frame()
    assert list(frame.columns) == ["count_1", "count_2", "count_3", "index_exact", "index_rounded"]
    assert frame[["count_1", "count_2", "count_3"]].to_numpy().tolist() == [[0, 2, 0], [1, 0, 1]]
    assert list(frame["index_exact"]) == ["1/2", "1/2"]
    assert list(frame["index_rounded"]) == ["0.50", "0.50"]
    assert frame.attrs == {"total": 2, "truncated": False}
    # rounded at the printed decimals (here 1), and "p/q" always shows the denominator
    frame = feasible_counts(4, 3, index="2.0", scheme="mean").to_frame(limit=1)
    assert frame.attrs == {"total": 3, "truncated": True}
    assert frame.iloc[0].tolist() == [0, 4, 0, "2/1", "2.0"]
    # without an index: 2 decimals, and the whole table with limit=None
    frame = feasible_counts(3, 2).to_frame(limit=None)
    assert list(frame["index_rounded"]) == ["1.00", "0.67", "0.33", "0.00"]
    assert isinstance(frame, pd.DataFrame)


def test_result_fields():
    fc = feasible_counts(10, 4, index=" 0.5 ", scheme="rii", percents=("10", "20", "30", "40"))
    assert isinstance(fc, FeasibleCounts)
    fields = (fc.n, fc.points, fc.scheme, fc.index, fc.percents)
    assert fields == (10, 4, "rii", "0.5", ("10", "20", "30", "40"))
    # 1, 2, 3, 4 answers: RII = (1 + 4 + 9 + 16)/40 = 0.75, not 0.5
    assert not fc.feasible
    as_array = np.array(["10", "20", "30", "40"])  # any iterable of text will do
    fc = feasible_counts(10, 4, index="0.75", scheme="rii", percents=as_array)
    assert list(fc.vectors()) == [(1, 2, 3, 4)]


# --------------------------------------------------------------------------
# invalid input
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, pattern",
    [
        ({"n": 0}, r"^n: got 0, expected a whole number of at least 1$"),
        ({"n": -3}, r"^n: got -3, expected a whole number of at least 1$"),
        ({"n": 2.5}, r"^n: got 2\.5, expected a whole number of at least 1$"),
        ({"n": True}, r"^n: got True, expected a whole number of at least 1$"),
        ({"n": 5, "points": 1}, r"^points: got 1, expected a whole number from 2 to 20$"),
        ({"n": 5, "points": 21}, r"^points: got 21, expected a whole number from 2 to 20$"),
        ({"n": 5, "scheme": "median"}, r"^scheme: got 'median', expected one of 'wai', 'rii', 'mean'"),
        ({"n": 5, "index": "abc"}, r"^index: got 'abc', expected a printed number such as '0\.60'$"),
        ({"n": 5, "index": 0.6}, r"^index: got 0\.6, expected the printed number as text"),
        ({"n": 5, "points": 3, "percents": ["50", "50"]}, r"one entry per category \(3\) \(got 2\)"),
        ({"n": 5, "points": 2, "percents": "5050"}, r"^percents: got '5050', expected a sequence"),
        ({"n": 5, "points": 2, "percents": ["50", "x"]}, r"^percents\[1\]: got 'x', expected a printed"),
        ({"n": 5, "points": 2, "percents": ["50", 50]}, r"^percents\[1\]: got 50, expected the printed"),
    ],
)
def test_invalid_input_raises_value_error(kwargs, pattern):
    with pytest.raises(OptionError, match=pattern):
        feasible_counts(**kwargs)


def test_negative_or_out_of_range_printed_values_are_infeasible_not_errors():
    assert not feasible_counts(5, 5, index="-0.25").feasible
    assert not feasible_counts(5, 5, index="1.10").feasible
    assert not feasible_counts(5, 5, index="0.5", scheme="mean").feasible  # mean is 1..5
    assert not feasible_counts(5, 2, percents=["-20", "120"]).feasible


# ------------------------------------------------------------- with an SD (exact CLOSURE)

# CLOSURE's documented totals, all on 1..5 with CLOSURE's inclusive bounds ("up_or_down"):
#   lhdjung/unsum README.md: closure_generate("2.7", "1.9", 130, 1, 5) -> samples_all 5359
#   lhdjung/unsum R/generate.R examples: ("3.5", "1.7", 70) "here, 2492"; ("2.9", "0.5", 25) "only 4 samples"
#   lhdjung/unsum R/sysdata.rda, the Rust results tests/testthat/test-generate.R compares with:
#     e <- new.env(); load("R/sysdata.rda", envir = e); nrow(e$.data_rust_1); nrow(e$.data_rust_2)
#     -> 15 (for "3.5", "0.5", 52) and 49375 (for "3.7", "1.2", 120)
@pytest.mark.parametrize("mean, sd, n, total", [
    ("2.7", "1.9", 130, 5359), ("3.5", "1.7", 70, 2492), ("2.9", "0.5", 25, 4),
    ("3.5", "0.5", 52, 15), ("3.7", "1.2", 120, 49375),
])
def test_sd_totals_equal_closure(mean, sd, n, total):
    import time

    start = time.perf_counter()
    fc = feasible_counts(n, 5, index=mean, scheme="mean", sd=sd, rounding="up_or_down")
    assert fc.total == total
    assert time.perf_counter() - start < 5  # under 1 s on an idle 2-core machine (benchmarks/bench_feasible.py)


def test_sd_vectors_equal_closure_reference_samples():
    # .data_rust_1 of unsum's R/sysdata.rda as count vectors, sorted (R):
    #   cnt <- t(apply(as.matrix(e$.data_rust_1), 1, function(r) tabulate(r, 5)))
    #   cnt[do.call(order, as.data.frame(cnt)), ]
    expected = [(0, 0, 24, 28, 0), (0, 0, 25, 26, 1), (0, 0, 25, 27, 0), (0, 0, 26, 25, 1), (0, 0, 26, 26, 0),
                (0, 0, 27, 24, 1), (0, 0, 27, 25, 0), (0, 0, 28, 23, 1), (0, 0, 28, 24, 0), (0, 0, 29, 22, 1),
                (0, 1, 22, 29, 0), (0, 1, 23, 28, 0), (0, 1, 24, 27, 0), (0, 1, 25, 26, 0), (0, 1, 26, 25, 0)]
    fc = feasible_counts(52, 5, index="3.5", scheme="mean", sd="0.5", rounding="up_or_down")
    assert list(fc.vectors()) == expected
    assert fc.bounds == ((0, 0), (0, 1), (22, 29), (22, 29), (0, 1))
    # .data_rust_2 (49,375 samples of 120): colSums of the 1s and 5s are 352185 and 1869663
    # (sum(c2[, 1]), sum(c2[, 5]) in R), i.e. over all vectors sum F_1 = 352185, sum F_5 = 1869663 / 5
    v = list(feasible_counts(120, 5, index="3.7", scheme="mean", sd="1.2", rounding="up_or_down").vectors())
    assert len(set(v)) == 49375 and v == sorted(v)
    assert sum(x[0] for x in v) == 352185 and sum(x[4] for x in v) == 1869663


def _brute(n, points, keep):
    from itertools import product

    return [f for f in product(range(n + 1), repeat=points) if sum(f) == n and keep(f)]


@pytest.mark.parametrize("n, points, index, sd, rounding", [
    (7, 4, "2.4", "1.1", "up"), (9, 5, "3.11", "1.36", "up_or_down"), (6, 3, None, "0.82", "even"),
    (8, 5, "0.55", "0.9", "usual"),
])
def test_sd_against_brute_force(n, points, index, sd, rounding):
    from wai.rounding import reproducing_rules

    def sd_of(f):
        s = sum(k * c for k, c in enumerate(f, start=1))
        q = sum(k * k * c for k, c in enumerate(f, start=1))
        return Fraction(n * q - s * s, n * (n - 1))  # the variance, exact

    def keep(f):
        var = sd_of(f)
        # the SD rounds to the print when its square lies in the squared interval: check exactly
        from wai.rounding import union_interval
        if not union_interval(sd, rounding).squared().contains(var):
            return False
        if index is None:
            return True
        scheme = "wai" if index.startswith("0.") else "mean"
        from wai.index import index_from_counts, scheme_weights
        value = index_from_counts(list(f), scheme_weights(points, scheme))
        return bool(reproducing_rules(value, index, rounding))

    scheme = "wai" if index and index.startswith("0.") else "mean"
    expected = _brute(n, points, keep)
    fc = feasible_counts(n, points, index=index, scheme=scheme, sd=sd, rounding=rounding)
    assert fc.total == len(expected) and list(fc.vectors()) == expected
    if expected:
        assert fc.bounds == tuple((min(c), max(c)) for c in zip(*expected))


def test_sd_hand_case_and_options():
    # 4 answers on 1..3 with mean 2.00 and SD 0.82: (1, 2, 2, 3) has var 2/3, SD 0.8165 -> 0.82;
    # (2, 2, 2, 2) has SD 0, (1, 1, 3, 3) var 4/3 SD 1.1547: one vector, F = (1, 2, 1)
    fc = feasible_counts(4, 3, index="2.00", scheme="mean", sd="0.82")
    assert fc.total == 1 and list(fc.vectors()) == [(1, 2, 1)] and fc.index_range == (2, 2)
    assert feasible_counts(4, 3, index="2.00", scheme="mean", sd="0.83").total == 0  # near miss
    with pytest.raises(OptionError, match="at least 2"):
        feasible_counts(1, 3, sd="0.5")
    with pytest.raises(OptionError, match="sd"):
        feasible_counts(4, 3, sd=0.5)  # type: ignore[arg-type]
