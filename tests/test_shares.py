"""Tests for wai.shares: top-box, bottom-box and net shares with Wilson intervals."""

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from wai.scoring import score, score_counts
from wai.shares import SHARE_COLUMNS, box_shares, box_size, share_columns, wilson_interval


def wilson_closed_form(k: int, n: int, level: float) -> tuple[float, float]:
    """Wilson (1927), written out: (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)."""
    z = norm.ppf((1 + level) / 2)
    p = k / n
    centre, half = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)


def test_box_size_by_scale_length():
    assert [box_size(k) for k in range(2, 11)] == [1, 1, 2, 2, 2, 2, 2, 2, 2]


def test_box_shares_hand_case():
    # 5-point counts 5, 15, 28, 37, 14 (n = 99): top two = 37 + 14 = 51, bottom two = 5 + 15 = 20
    s = box_shares([5, 15, 28, 37, 14])
    assert (s.n, s.top_count, s.bottom_count, s.box) == (99, 51, 20, 2)
    assert (s.top, s.bottom, s.net) == (Fraction(51, 99), Fraction(20, 99), Fraction(31, 99))
    # 3-point: one category per box, the middle in neither
    s = box_shares([1, 6, 3])
    assert (s.top, s.bottom, s.net) == (Fraction(3, 10), Fraction(1, 10), Fraction(2, 10))
    # a box of one asked for on a 5-point scale
    assert box_shares([5, 15, 28, 37, 14], box=1).top == Fraction(14, 99)
    assert box_shares([0, 0, 0, 0, 0]).top is None


@pytest.mark.parametrize("k, n, level", [(2, 10, 0.95), (0, 7, 0.95), (7, 7, 0.9), (51, 99, 0.95),
                                         (1, 250, 0.99), (123, 4000, 0.95)])
def test_wilson_equals_closed_form(k, n, level):
    low, high = wilson_interval(k, n, level)
    want = wilson_closed_form(k, n, level)
    assert low == pytest.approx(want[0], abs=1e-12) and high == pytest.approx(want[1], abs=1e-12)
    assert 0 <= low <= k / n <= high <= 1


def test_wilson_bad_input():
    with pytest.raises(ValueError, match="must not exceed"):
        wilson_interval(5, 4)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_share_columns_weighted_rows_have_no_interval():
    t = share_columns([[1.5, 0.5, 1.0, 0.5, 0.5]])
    assert t.loc[0, "top_box"] == pytest.approx(1.0 / 4.0) and t.loc[0, "bottom_box"] == pytest.approx(0.5)
    assert t.loc[0, "net"] == pytest.approx(-0.25)
    assert math.isnan(t.loc[0, "top_box_low"]) and math.isnan(t.loc[0, "bottom_box_high"])


def test_score_has_share_columns_per_group():
    frame = pd.DataFrame({"g": ["a", "a", "a", "b", "b"],
                          "q": ["Very High", "High", "Very Low", "Neutral", "Don't know"]})
    out = score(frame, ["q"], by="g")
    assert list(out.columns[-len(SHARE_COLUMNS):]) == list(SHARE_COLUMNS)
    a, b = out[out["g"] == "a"].iloc[0], out[out["g"] == "b"].iloc[0]
    assert a["top_box"] == pytest.approx(2 / 3) and a["bottom_box"] == pytest.approx(1 / 3)
    assert a["net"] == pytest.approx(1 / 3)
    assert (a["top_box_low"], a["top_box_high"]) == pytest.approx(wilson_closed_form(2, 3, 0.95), abs=1e-12)
    # b: one answer on the scale (Neutral), "Don't know" left out of n
    assert (b["n"], b["top_box"], b["bottom_box"], b["net"]) == (1, 0.0, 0.0, 0.0)


def test_score_counts_share_interval_follows_confidence_level():
    t = pd.DataFrame({"item": ["t1"], "count_1": [5], "count_2": [15], "count_3": [28], "count_4": [37],
                      "count_5": [14]})
    out = score_counts(t, confidence_level=0.9, n_resamples=99)
    assert (out.loc[0, "bottom_box_low"], out.loc[0, "bottom_box_high"]) == pytest.approx(
        wilson_closed_form(20, 99, 0.9), abs=1e-12)


def test_share_columns_equal_the_one_row_functions_to_the_bit():
    # the vectorised columns against box_shares (exact Fractions) and wilson_interval (statsmodels), row by row
    rng = np.random.default_rng(0)
    for k in (2, 3, 5, 7):
        rows = [list(rng.integers(0, 50, size=k)) for _ in range(150)] + [[0] * k]
        table = share_columns(rows, confidence_level=0.9)
        for got, row in zip(table.itertuples(index=False), rows):
            s = box_shares(row)
            if s.n == 0:
                assert all(np.isnan(x) for x in got)
                continue
            assert tuple(got) == (float(s.top), *wilson_interval(s.top_count, s.n, 0.9), float(s.bottom),
                                  *wilson_interval(s.bottom_count, s.n, 0.9), float(s.net))
