"""Tests for wai.scoring: score() and score_counts(), from raw answers to tidy rows."""

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wai.bands import BandScheme
from wai.errors import InputError, ScaleError
from wai.scales import LEVEL5, LikertScale
from wai.scoring import INDEX_COLUMNS, SCORE_COLUMNS, score, score_counts

COUNTS = ["count_1", "count_2", "count_3", "count_4", "count_5"]
LEAD = ["item", "n", "n_missing", "n_blank", "n_nonscale"]
INDEX = ["wai", "wai_exact", "wai_rounded", "band", "band_rounded", "band_exact", "band_depends_on_rule"]
INFERENCE = ["se", "ci_low", "ci_high", "ci_method", "confidence", "n_eff", "band_certain", "band_share"]
SHARES = ["top_box", "top_box_low", "top_box_high", "bottom_box", "bottom_box_low", "bottom_box_high", "net"]
TAIL = INDEX + INFERENCE + SHARES


def survey():
    """q1: High, very high, NEUTRAL, blank, Don't know, 4 (= High)
         counts 0, 0, 1, 2, 1 (n = 4): WAI = (1/2 + 2*3/4 + 1)/4 = 3/4 -> 0.75 High
       q2: low, "", Medium, Very Low, 1, "5"
         counts 2, 1, 1, 0, 1 (n = 5): WAI = (1/4 + 1/2 + 1)/5 = 7/20 -> 0.35 Low
       q3: nothing on the scale -> NaN, no band
    """
    return pd.DataFrame(
        {
            "Region name": ["A", "A", "B", "B", "B", "A"],
            "q1": ["High", "very high", " NEUTRAL ", None, "Don't know", 4],
            "q2": ["low", "", "Medium", "Very Low", 1, "5"],
            "q3": [None, "Don't know", "", None, "refused", None],
        }
    )


def test_score_columns_constant():
    assert INDEX_COLUMNS == tuple(INDEX)
    assert SCORE_COLUMNS == tuple(TAIL)


def test_score_hand_worked():
    out = score(survey(), ["q1", "q2", "q3"])
    assert list(out.columns) == LEAD + COUNTS + TAIL
    assert out["item"].tolist() == ["q1", "q2", "q3"]
    assert out["n"].tolist() == [4, 5, 0]
    assert out["n_blank"].tolist() == [1, 1, 4]
    assert out["n_nonscale"].tolist() == [1, 0, 2]
    assert out["n_missing"].tolist() == [2, 1, 6]
    assert out[COUNTS].values.tolist() == [[0, 0, 1, 2, 1], [2, 1, 1, 0, 1], [0, 0, 0, 0, 0]]
    assert out["wai"].iloc[:2].tolist() == [0.75, 0.35]
    assert out["wai_exact"].iloc[:2].tolist() == ["3/4", "7/20"]
    assert out["wai_rounded"].iloc[:2].tolist() == ["0.75", "0.35"]
    assert out["band"].iloc[:2].tolist() == ["High", "Low"]
    assert out["band_rounded"].iloc[:2].tolist() == ["High", "Low"]
    assert out["band_exact"].iloc[:2].tolist() == ["High", "Low"]
    assert out["band_depends_on_rule"].iloc[:2].tolist() == [False, False]


def test_item_with_no_scale_answers_has_nan_index_and_empty_band():
    row = score(survey(), ["q3"]).iloc[0]
    assert math.isnan(row["wai"])
    for column in ["wai_exact", "wai_rounded", "band", "band_rounded", "band_exact", "band_depends_on_rule",
                   "se", "ci_low", "ci_high", "n_eff", "band_certain", "band_share"]:
        assert pd.isna(row[column]), column
    # the method and level are echoed on every row, answered or not
    assert (row["ci_method"], row["confidence"]) == ("t", 0.95)


def test_score_by_group():
    out = score(survey(), ["q1", "q2"], by="Region name")
    assert list(out.columns) == ["Region name"] + LEAD + COUNTS + TAIL
    assert out["Region name"].tolist() == ["A", "A", "B", "B"]
    assert out["item"].tolist() == ["q1", "q2", "q1", "q2"]
    # A q1: High, Very High, High -> (3/4 + 1 + 3/4)/3 = 5/6 = 0.833 -> 0.83 Very High
    # A q2: low, blank, "5" -> (1/4 + 1)/2 = 5/8 = 0.625 -> 0.63 High (exact 0.625 > 0.6: High)
    # B q1: Neutral, blank, Don't know -> 1/2 -> 0.50 Neutral
    # B q2: Medium, Very Low, 1 -> (1/2)/3 = 1/6 = 0.1667 -> 0.17 Very Low
    assert out["wai_exact"].tolist() == ["5/6", "5/8", "1/2", "1/6"]
    assert out["wai_rounded"].tolist() == ["0.83", "0.63", "0.50", "0.17"]
    assert out["band"].tolist() == ["Very High", "High", "Neutral", "Very Low"]
    assert out["n"].tolist() == [3, 2, 1, 3]
    assert out["n_missing"].tolist() == [0, 1, 2, 0]


def answers_for(counts):
    return [LEVEL5.labels[k] for k, f in enumerate(counts) for _ in range(f)]


def test_rule_dependent_item():
    # counts 5, 15, 28, 37, 14: WAI = 238/396 = 119/198 = 0.6010 -> prints 0.60 (Neutral) but > 0.6 (High)
    df = pd.DataFrame({"t1": answers_for([5, 15, 28, 37, 14])})
    out = score(df, ["t1"])
    row = out.iloc[0]
    assert (row["n"], row["wai_exact"], row["wai_rounded"]) == (99, "119/198", "0.60")
    assert (row["band"], row["band_rounded"], row["band_exact"]) == ("Neutral", "Neutral", "High")
    assert bool(row["band_depends_on_rule"]) is True
    exact = score(df, ["t1"], rule="exact").iloc[0]
    assert (exact["band"], exact["band_rounded"], exact["band_exact"]) == ("High", "Neutral", "High")


def test_decimals_and_custom_bands():
    df = pd.DataFrame({"t1": answers_for([5, 15, 28, 37, 14])})
    bands = BandScheme.from_ranges([("Low", "0.0", "0.5"), ("High", "0.6", "1.0")])
    row = score(df, ["t1"], bands=bands, decimals=3).iloc[0]
    # 119/198 = 0.60101.. -> 0.601; bands at 1 decimal: prints 0.6 -> High, exact > 0.5 -> High
    assert row["wai_rounded"] == "0.601"
    assert (row["band"], row["band_exact"]) == ("High", "High")


def test_bad_rule():
    with pytest.raises(ValueError):
        score(survey(), ["q1"], rule="nearest")


def test_score_counts_on_published_table():
    t = pd.DataFrame({"item": ["t1", "t2"], "count_1": [5, 0], "count_2": [15, 0], "count_3": [28, 1],
                      "count_4": [37, 0], "count_5": [14, 1]})
    out = score_counts(t)
    assert list(out.columns) == ["item"] + COUNTS + ["n"] + TAIL
    assert out["n"].tolist() == [99, 2]
    assert out["n_eff"].tolist() == [99.0, 2.0]
    assert out["wai_exact"].tolist() == ["119/198", "3/4"]  # t2: (1/2 + 1)/2
    assert out["wai_rounded"].tolist() == ["0.60", "0.75"]
    assert out["band_depends_on_rule"].tolist() == [True, False]


def test_score_counts_weighted_totals():
    # float totals from case weights: (1.5 * 1/4 + 2.5 * 3/4) / 4 = 2.25 / 4 = 9/16
    t = pd.DataFrame({"count_1": [0.0], "count_2": [1.5], "count_3": [0.0], "count_4": [2.5], "count_5": [0.0]})
    out = score_counts(t)
    assert out.loc[0, "wai_exact"] == "9/16" and out.loc[0, "wai_rounded"] == "0.56"
    # weighted totals without sums of squared weights: no interval can be computed
    assert out.loc[0, ["se", "ci_low", "ci_high", "n_eff", "band_share"]].isna().all()
    assert pd.isna(out.loc[0, "band_certain"])


def test_score_weighted_frame():
    df = pd.DataFrame({"q": ["High", "Low", "High"], "w": [0.5, 1.5, 2.0]})
    out = score(df, ["q"], weights="w")
    row = out.iloc[0]
    assert (row["n"], row["wai_exact"], row["band"]) == (4.0, "9/16", "Neutral")
    # the weighted design columns are used, not shown: same columns as unweighted
    assert list(out.columns) == LEAD + COUNTS + TAIL
    # y = 1/4 (w 1.5), 3/4 (w 0.5, 2.0); mean 9/16; z_i = w_i (y_i - 9/16) / 4
    # = 1.5(-5/16)/4, 0.5(3/16)/4, 2(3/16)/4 -> sum z^2 = (7.5^2 + 1.5^2 + 6^2)/(256*16) = 94.5/4096
    # var = n/(n-1) sum z^2 = 3/2 * 94.5/4096; Kish n_eff = 4^2 / (1.5^2 + 0.5^2 + 2^2) = 16/6.5
    assert row["se"] == pytest.approx(math.sqrt(1.5 * 94.5 / 4096), rel=1e-12)
    assert row["n_eff"] == pytest.approx(16 / 6.5, rel=1e-12)
    assert row["ci_method"] == "linearization" and math.isnan(row["band_share"])


def test_unknown_ci_method_lists_the_choices():
    choices = r"^ci_method: got 'boot', expected one of 't', 'bca', 'multinomial', 'linearization'"
    with pytest.raises(ValueError, match=choices):
        score(survey(), ["q1"], ci_method="boot")
    with pytest.raises(ValueError, match="ci_method"):
        score_counts(pd.DataFrame({c: [1] for c in COUNTS}), ci_method="T")
    with pytest.raises(ValueError, match="confidence"):
        score(survey(), ["q1"], confidence_level=95)


def test_score_counts_needs_every_count_column():
    with pytest.raises(ValueError):
        score_counts(pd.DataFrame({"count_1": [1], "count_2": [2]}))


def test_score_other_scale():
    s = LikertScale(("No", "Maybe", "Yes"))
    df = pd.DataFrame({"q": ["yes", "No", " YES", None, "Don't know"]})
    row = score(df, ["q"], s).iloc[0]
    # No, Yes, Yes on weights 0, 1/2, 1 -> 2/3 = 0.667 -> 0.67 High
    assert row[["count_1", "count_2", "count_3"]].tolist() == [1, 0, 2]
    assert (row["wai_exact"], row["wai_rounded"], row["band"]) == ("2/3", "0.67", "High")


# --------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------


def test_unknown_answer_raises_input_error():
    df = pd.DataFrame({"q1": ["High", "Hihg", "Low"]})
    with pytest.raises(InputError) as info:
        score(df, ["q1"])
    (p,) = info.value.problems
    assert (p.row, p.column, p.value) == (3, "q1", "Hihg")  # header row 1, so the 2nd respondent is row 3
    assert "'High'" in p.hint
    assert "row 3, column 'q1': got 'Hihg'" in str(info.value)


def test_missing_item_column_raises_input_error():
    with pytest.raises(InputError) as info:
        score(survey(), ["q1", "q9"])
    assert [p.column for p in info.value.problems] == ["q9"]
    assert "'q9'" in str(info.value)


# --------------------------------------------------------------------------
# property: score agrees with an independent exact computation
# --------------------------------------------------------------------------


def hundredths_half_up(x: Fraction) -> str:
    units = (2 * x.numerator * 100 + x.denominator) // (2 * x.denominator)
    return f"{units // 100}.{units % 100:02d}"


@settings(max_examples=50, deadline=None)
@given(counts=st.lists(st.integers(0, 12), min_size=5, max_size=5), blanks=st.integers(0, 3),
       data=st.data())
def test_score_matches_independent_computation(counts, blanks, data):
    answers = answers_for(counts) + [None] * blanks or [None]
    answers = data.draw(st.permutations(answers))
    out = score(pd.DataFrame({"q": pd.Series(answers, dtype=object)}), ["q"]).iloc[0]
    n = sum(counts)
    assert out["n"] == n and out["n_blank"] == answers.count(None)
    if n == 0:
        assert math.isnan(out["wai"]) and pd.isna(out["band"])
        return
    wai = Fraction(sum(k * f for k, f in enumerate(counts)), 4 * n)  # sum (k-1) F_k / ((K-1) n)
    assert out["wai_exact"] == f"{wai.numerator}/{wai.denominator}"
    assert out["wai"] == float(wai)
    assert out["wai_rounded"] == hundredths_half_up(wai)


def test_nonresponse_as_zero_keeps_non_answers_in_the_denominator():
    # q1: High, Very High, Neutral on the scale (weights .75, 1, .5 -> 2.25), one blank, one "Don't know":
    # excluded: 2.25/3 = 3/4; as_zero: 2.25/5 = 9/20
    df = pd.DataFrame({"q1": ["High", "Very High", "Neutral", None, "Don't know"]})
    default = score(df, ["q1"]).iloc[0]
    as_zero = score(df, ["q1"], nonresponse="as_zero").iloc[0]
    assert default["wai_exact"] == "3/4" and default["n"] == 3
    assert as_zero["wai_exact"] == "9/20" and as_zero["n"] == 5 and as_zero["count_1"] == 2
    assert as_zero["n_blank"] == 1 and as_zero["n_nonscale"] == 1
    with pytest.raises(ValueError, match="nonresponse"):
        score(df, ["q1"], nonresponse="zero")
    from wai.scales import LikertScale

    with pytest.raises(ScaleError, match="lowest weight is 0"):
        score(df.assign(q1=["2", "3", "1", None, None]), ["q1"], LikertScale(("1", "2", "3"), weights=(1, 2, 3)),
              nonresponse="as_zero")


# --------------------------------------------------------------------------
# the integer (vectorised) index columns against Fraction arithmetic, row by row
# --------------------------------------------------------------------------


def _fraction_columns(values, scale, bands, rule, decimals):
    """Independent: what score_counts printed before it was vectorised, one Fraction per row."""
    from wai.exact import round_half_up
    from wai.index import wai_from_counts

    out = []
    for row in values:
        if sum(row) == 0:
            out.append((None, None, None, None, None))
            continue
        x = wai_from_counts(row, scale)
        v = bands.classify_both(x)
        out.append((float(x), f"{x.numerator}/{x.denominator}", str(round_half_up(x, decimals)),
                    v.band if rule == "rounded" else v.band_exact, v.band_exact))
    return out


@pytest.mark.parametrize("decimals", [0, 1, 2, 3, 12])
@pytest.mark.parametrize("rule", ["rounded", "exact"])
def test_integer_index_columns_match_fraction_arithmetic(decimals, rule):
    from wai.bands import CHAPTER11_BANDS, BandScheme
    from wai.scales import LEVEL5, LikertScale
    from wai.scoring import score_counts

    rng = np.random.default_rng(decimals)
    odd = LikertScale(("a", "b", "c", "d"), weights=("-1/2", "1/3", "1/2", "7/5"))
    one = BandScheme.from_ranges([("Low", "0.0", "0.3"), ("Mid", "0.4", "0.6"), ("High", "0.7", "1.0")])
    for scale, bands in ((LEVEL5, CHAPTER11_BANDS), (odd, one), (odd, CHAPTER11_BANDS)):
        values = rng.integers(0, 50, size=(60, scale.points))
        values[0] = 0
        values[1, :] = 0
        values[1, -1] = 3
        values[2] = [200, 0, 0, 1][:scale.points] + [0] * (scale.points - 4)
        table = pd.DataFrame(values, columns=[f"count_{k + 1}" for k in range(scale.points)])
        got = score_counts(table, scale, bands, rule=rule, decimals=decimals, band_certainty=False)
        expected = _fraction_columns(values.tolist(), scale, bands, rule, decimals)
        for (wai_, text, rounded, band, band_exact), (_, row) in zip(expected, got.iterrows()):
            if text is None:
                assert pd.isna(row["wai"]) and pd.isna(row["wai_exact"]) and pd.isna(row["band"])
                continue
            assert (row["wai"], row["wai_exact"], row["wai_rounded"], row["band"], row["band_exact"]) == \
                (wai_, text, rounded, band, band_exact)


def test_import_wai_pulls_no_heavy_library_and_keeps_the_function_names():
    import subprocess
    import sys

    code = ("import sys, wai; heavy = [m for m in ('numpy', 'pandas', 'scipy', 'statsmodels', 'matplotlib') "
            "if m in sys.modules]; assert not heavy, heavy; "
            "import wai.score.__main__, wai.validate; assert callable(wai.score) and callable(wai.validate); "
            "assert wai.LEVEL5.points == 5 and 'alpha' in dir(wai) and set(wai.__all__) <= set(dir(wai))")
    subprocess.run([sys.executable, "-c", code], check=True)
