"""The GRIM family (wai.grim) against scrutiny's own test vectors and hand-worked fractions.

Sources quoted per test: repository lhdjung/scrutiny at commit a56a945 (2025-12-02), files
tests/testthat/test-grim.R, test-grim-map.R, test-grimmer.R, test-grimmer-map.R, test-debit.R,
and the data sets data/pigs1.rda, pigs3.rda, pigs5.rda (read with R's load()).
scrutiny's default rounding is "up_or_down", so these tests pass rounding="up_or_down".
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from wai.errors import OptionError
from wai.grim import audit_cases, debit, debit_map, grim, grim_map, grimmer, grimmer_map

UOD = "up_or_down"
t, f = True, False


def seq(first: str, last: str, step: str) -> list[str]:
    """scrutiny's seq_endpoint(): the values from first to last, keeping the decimals."""
    a, b, s = Decimal(first), Decimal(last), Decimal(step)
    out = []
    while a <= b:
        out.append(str(a))
        a += s
    return out


# scrutiny tests/testthat/test-grim.R ------------------------------------------------------

@pytest.mark.parametrize("values, n, items, expected", [
    # vec1 <- seq_endpoint(5.19, 5.3); grim(vec1, 28)
    (seq("5.19", "5.30", "0.01"), 28, 1, [f, f, t, f, f, f, t, f, f, f, t, f]),
    # vec2 <- seq_endpoint(0.150, 0.159); grim(vec2, 120, items = 3)
    (seq("0.150", "0.159", "0.001"), 120, 3, [t, f, f, t, f, f, t, f, t, f]),
    # vec3 <- seq_endpoint(0.80, 0.89); grim(vec3, 28, items = 2)
    (seq("0.80", "0.89", "0.01"), 28, 2, [t, f, t, f, t, f, t, t, t, t]),
])
def test_grim_scrutiny_vectors(values, n, items, expected):
    assert [grim(x, n, items, rounding=UOD).consistent for x in values] == expected


def test_grim_percent_scrutiny_vector():
    # vec5 <- seq_endpoint(6, 16); grim(vec5, 50, percent = TRUE)
    assert [grim(x, 50, percent=True, rounding=UOD).consistent for x in seq("6", "16", "1")] == \
        [t, f, t, f, t, f, t, f, t, f, t]
    # vec4 (519..530 percent of 28) is scrutiny's vec1 shifted by two places: scrutiny reads 519 %
    # as the proportion 5.19. A share above 100 % cannot come from 28 answers, so here each is
    # inconsistent; the same digits as a mean give scrutiny's vec4 verdicts.
    assert not any(grim(x, 28, percent=True, rounding=UOD).consistent for x in seq("519", "530", "1"))
    shifted = [str(Decimal(x).scaleb(-2)) for x in seq("519", "530", "1")]
    assert [grim(x, 28, rounding=UOD).consistent for x in shifted] == [f, f, t, f, f, f, t, f, f, f, t, f]


def test_grim_map_pigs1():
    # test-grim-map.R: consistency_exp <- c(t, f, f, f, f, t, f, t, f, f, t, f) for grim_map(pigs1)
    pigs1 = pd.DataFrame({
        "x": ["7.22", "4.74", "5.23", "2.57", "6.77", "2.68", "7.01", "7.38", "3.14", "6.89", "5.00", "0.24"],
        "n": [32, 25, 29, 24, 27, 28, 29, 26, 27, 31, 25, 28]})
    mapped = grim_map(pigs1, rounding=UOD)
    assert list(mapped.columns) == ["x", "n", "consistency", "rules"]
    assert mapped["consistency"].tolist() == [t, f, f, f, f, t, f, t, f, f, t, f]
    assert audit_cases(mapped).to_dict("records") == [{"cases": 12, "inconsistent": 8, "share_inconsistent": "2/3"}]


# hand-worked GRIM -------------------------------------------------------------------------

def test_grim_hand_cases_items_coding_sums():
    # 5.21 * 28 = 145.88: T = 146 gives 146/28 = 5.2142..., rounds to 5.21
    assert grim("5.21", 28).sums == range(146, 147)
    # near miss: 5.20 needs T in [145.46, 145.74] -> no whole T (145/28 = 5.1786, 146/28 = 5.2143)
    assert not grim("5.20", 28, rounding="anything").consistent
    # 2 items: granularity 1/56; 0.82 * 56 = 45.92 -> 46/56 = 0.8214 -> 0.82
    assert grim("0.82", 28, 2).sums == range(46, 47)
    # a 0-based scale: a mean of 0.45 from 20 answers coded 0..4 is 9/20
    assert grim("0.45", 20, scale_min=0, scale_max=4).sums == range(9, 10)
    # ... and impossible on codes 1..5 (the total is at least 20)
    assert not grim("0.45", 20, scale_min=1, scale_max=5).consistent
    # sum scores: 10 people on 12 items, a mean sum score of 45.30 is 453/10; 45.35 is not
    assert grim("45.30", 10, items=12, statistic="sum").sums == range(453, 454)
    assert not grim("45.35", 10, items=12, statistic="sum", rounding="up").consistent
    # negative codes: a mean of -1.25 from 4 answers is -5/4
    assert grim("-1.25", 4, scale_min=-3, scale_max=3).consistent


def test_grim_rules_that_reproduce():
    # 5/8 = 0.625 prints 0.63 half up, 0.62 half down / half even / truncated
    assert grim("0.63", 8, rounding="anything").rules == ("up", "ceiling", "anti_truncate")
    assert grim("0.62", 8, rounding="anything").rules == ("down", "even", "floor", "truncate")
    # 0.61 from 8 answers: 5/8 is 0.625 (no rule gives 0.61), 4/8 = 0.5
    assert not grim("0.61", 8, rounding="anything").consistent
    # truncation only: 2/3 = 0.666... prints 0.66 truncated, 0.67 otherwise
    assert grim("0.66", 3).rules == ("truncate",)
    assert not grim("0.66", 3, rounding="up_or_down").consistent


def test_grim_bad_options():
    with pytest.raises(OptionError, match="x"):
        grim(5.19, 28)  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="rounding"):
        grim("5.19", 28, rounding="upp")
    with pytest.raises(OptionError, match="scale_max"):
        grim("1", 3, scale_min=5, scale_max=1)


# scrutiny tests/testthat/test-grimmer.R and test-grimmer-map.R ----------------------------

def test_grimmer_scrutiny_defaults():
    # expect_true(grimmer_scalar("5.21", "1.6", 28)); expect_false(grimmer_scalar("3.44", "2.47", 18))
    assert grimmer("5.21", "1.6", 28, rounding=UOD).consistent
    assert not grimmer("3.44", "2.47", 18, rounding=UOD).consistent


# scrutiny compares grimmer_scalar() with rsprite2's GRIMMER_test() (copied into test-grimmer.R);
# the expected values are GRIMMER_test() run here in R 4 on the same cases:
#   cat(k, GRIMMER_test(k[1], k[2], k[3], n_items = k[4]))
@pytest.mark.parametrize("x, sd, n, items, expected", [
    ("1.2", "0.3", 57, 1, t), ("8.3", "7.5", 103, 1, t), ("5.23", "2.55", 35, 1, f),
    ("5.23", "2.55", 127, 1, t), ("5.2", "2.5", 35, 1, t), ("2.57", "2.57", 30, 1, t),
    ("3.756", "4.485", 89, 1, f), ("3.756", "4.485", 12, 1, f), ("3.75", "4.48", 12, 1, f),
    ("3.75", "4.48", 89, 1, t), ("5.21", "1.60", 28, 2, t), ("3.44", "2.47", 18, 2, t),
    ("5.21", "1.60", 28, 3, t), ("3.44", "2.47", 18, 3, t),
])
def test_grimmer_matches_rsprite2(x, sd, n, items, expected):
    assert grimmer(x, sd, n, items, rounding=UOD).consistent is expected


def test_grimmer_map_pigs5():
    # test-grimmer-map.R: pigs5_exp
    pigs5 = pd.DataFrame({
        "x": ["7.22", "4.74", "5.23", "2.57", "6.77", "2.68", "7.01", "7.38", "3.14", "6.89", "5.00", "0.24"],
        "sd": ["5.30", "6.55", "2.55", "2.57", "2.18", "2.59", "6.68", "3.65", "5.32", "4.18", "2.18", "6.43"],
        "n": [38, 31, 35, 30, 33, 34, 35, 32, 33, 37, 31, 34]})
    mapped = grimmer_map(pigs5, rounding=UOD)
    assert mapped["consistency"].tolist() == [f, t, f, t, f, t, f, t, f, t, t, t]
    # scrutiny's reasons: "GRIM inconsistent", "Passed all", "GRIMMER inconsistent (test 3)", ...
    assert mapped["reason"].tolist() == ["grim", "passed", "parity", "passed", "grim", "passed", "grim",
                                         "passed", "grim", "passed", "passed", "passed"]


def test_grimmer_hand_cases():
    # 10 answers 1,1,2,3,3,4,4,4,4,5 (scrutiny's grimmer.R example 2): T = 31, Q = 109,
    # var = (109 - 96.1)/9 = 1.4333, SD = 1.1972 -> "1.20"; the same mean with SD 1.37 has
    # 10 Q in [961 + 90 * 1.365^2, 961 + 90 * 1.375^2] = [1128.7, 1131.2]: Q = 113, odd = T's parity
    assert grimmer("3.10", "1.20", 10, rounding="up").consistent
    assert grimmer("3.10", "1.37", 10, rounding="up").consistent
    # near misses: SD 1.24 allows var in [1.235^2, 1.245^2), 10 Q in [1098.27, 1100.50): Q = 110 only,
    # even while T = 31 is odd -> parity; SD 1.26 allows 10 Q in [1102.75, 1105.02): no whole Q
    assert grimmer("3.10", "1.24", 10, rounding="up").reason == "parity"
    assert grimmer("3.10", "1.26", 10, rounding="up").reason == "sum_of_squares"
    # no sum of squares at all: SD 0.01 with a mean of 3.10 from 10 answers needs var < 0.0001
    # but 10 answers summing to 31 have Q >= 97, var >= (97 - 96.1)/9 = 0.1
    assert grimmer("3.10", "0.01", 10, rounding="up").reason == "sum_of_squares"
    with pytest.raises(OptionError, match="n"):
        grimmer("3.1", "1.2", 1)


# scrutiny tests/testthat/test-debit.R ------------------------------------------------------

def test_debit_pigs3():
    # out <- purrr::pmap_lgl(pigs3, debit); out_expected <- c(TRUE, TRUE, TRUE, FALSE, TRUE, TRUE, TRUE)
    pigs3 = pd.DataFrame({"x": ["0.53", "0.44", "0.77", "0.19", "0.34", "0.93", "0.12"],
                          "sd": ["0.50", "0.50", "0.42", "0.35", "0.47", "0.25", "0.33"], "n": [1683] * 7})
    assert debit_map(pigs3, rounding=UOD)["consistency"].tolist() == [t, t, t, f, t, t, t]


def test_debit_hand_cases():
    # 3 ones of 10: mean 0.3, SD^2 = 3 * 7 / 90 = 0.2333, SD = 0.4830 -> "0.48"
    assert debit("0.30", "0.48", 10, rounding="up").ones == range(3, 4)
    assert debit("0.30", "0.49", 10, rounding="up").reason == "sd"  # near miss
    assert debit("0.35", "0.48", 10, rounding="up").reason == "grim"  # 0.35 is no tenth
    with pytest.raises(OptionError, match="binary"):
        debit("1.5", "0.5", 10)
