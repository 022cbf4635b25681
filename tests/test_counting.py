"""Tests for wai.counting: raw answers to category counts, with row-accurate errors."""

import contextlib
import importlib.util
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wai.counting as counting
from wai.counting import (
    FIRST_DATA_ROW, count_categories, count_columns, count_items, encode_answers, wsq_columns,
)
from wai.errors import InputError, Problem
from wai.scales import LEVEL5, MISSING, NON_SCALE, LikertScale

COUNTS = ["count_1", "count_2", "count_3", "count_4", "count_5"]
COLUMNS = ["item"] + COUNTS + ["n", "n_blank", "n_nonscale", "n_missing"]
WSQ = ["wsq_1", "wsq_2", "wsq_3", "wsq_4", "wsq_5"]


def survey():
    """Six respondents, two items, a group column.

    q1: High, very high, NEUTRAL, blank, Don't know, 4 (= High)
        -> counts 0, 0, 1, 2, 1; n = 4; 1 blank; 1 non-scale
    q2: low, "", Medium (= Neutral), Very Low, 1 (= Very Low), "5" (= Very High)
        -> counts 2, 1, 1, 0, 1; n = 5; 1 blank; 0 non-scale
    group A = rows 0, 1, 5; B = rows 2, 3, 4.
    """
    return pd.DataFrame(
        {
            "Region name": ["A", "A", "B", "B", "B", "A"],
            "q1": ["High", "very high", " NEUTRAL ", None, "Don't know", 4],
            "q2": ["low", "", "Medium", "Very Low", 1, "5"],
        }
    )


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def test_count_columns():
    assert count_columns(3) == ["count_1", "count_2", "count_3"]
    assert count_columns(5) == COUNTS
    assert wsq_columns(5) == WSQ
    assert FIRST_DATA_ROW == 2


def test_count_categories_layout():
    # slots: [non-scale, blank, cat 1, cat 2, cat 3]
    codes = np.array([0, 2, 2, MISSING, NON_SCALE, 1, 2])
    assert count_categories(codes, 3).tolist() == [[1, 1, 1, 1, 3]]
    groups = np.array([0, 1, 1, 0, 1, 1, 0])
    # group 0: codes 0, -1, 2 -> [0, 1, 1, 0, 1]; group 1: codes 2, 2, -2, 1 -> [1, 0, 0, 1, 2]
    assert count_categories(codes, 3, groups=groups, n_groups=2).tolist() == [[0, 1, 1, 0, 1], [1, 0, 0, 1, 2]]
    # an empty group still gets a row
    assert count_categories(np.array([0]), 3, groups=np.array([0]), n_groups=2).tolist() == [
        [0, 0, 1, 0, 0], [0, 0, 0, 0, 0]]
    w = np.array([0.5, 1.5, 2.0, 1.0, 1.0, 1.0, 1.0])
    assert count_categories(codes, 3, weights=w).tolist() == [[1.0, 1.0, 0.5, 1.0, 4.5]]


def test_encode_answers():
    codes, problems = encode_answers(
        pd.Series(["High", "high ", None, "Don\u2019t know", 5, "", "Medium"]), LEVEL5, column="q"
    )
    assert codes.tolist() == [3, 3, MISSING, NON_SCALE, 4, MISSING, 2]
    assert problems == []


def test_encode_answers_reports_rows_and_suggestions():
    codes, problems = encode_answers(pd.Series(["High", "hgh", 5, "hgh"]), LEVEL5, column="q", file="f.csv")
    assert codes.tolist() == [3, MISSING, 4, MISSING]
    # position 1 -> row 3, position 3 -> row 5 (header is row 1)
    assert [(p.file, p.row, p.column, p.value, p.hint) for p in problems] == [
        ("f.csv", 3, "q", "hgh", "did you mean 'High'?"),
        ("f.csv", 5, "q", "hgh", "did you mean 'High'?"),
    ]
    assert str(problems[0]).startswith("f.csv, row 3, column 'q': got 'hgh', expected one of 'Very Low'")


def test_encode_answers_uses_given_row_numbers():
    _, problems = encode_answers(pd.Series(["High", "Hi there"]), LEVEL5, column="q", rows=[7, 12])
    assert [p.row for p in problems] == [12]


def test_encode_answers_caps_rows_per_unknown_answer():
    _, problems = encode_answers(pd.Series(["zzz"] * 25), LEVEL5, column="q")
    assert len(problems) == 21
    assert [p.row for p in problems[:20]] == list(range(2, 22))
    assert problems[20].row is None and problems[20].n_more == 5
    assert str(problems[20]).endswith("(5 more rows hold this answer)")


# --------------------------------------------------------------------------
# count_items: hand-worked frame
# --------------------------------------------------------------------------


def test_count_items_hand_worked():
    out = count_items(survey(), ["q1", "q2"], LEVEL5)
    assert list(out.columns) == COLUMNS
    assert out["item"].tolist() == ["q1", "q2"]
    assert out[COUNTS].values.tolist() == [[0, 0, 1, 2, 1], [2, 1, 1, 0, 1]]
    assert out["n"].tolist() == [4, 5]
    assert out["n_blank"].tolist() == [1, 1]
    assert out["n_nonscale"].tolist() == [1, 0]
    assert out["n_missing"].tolist() == [2, 1]
    # every respondent is counted exactly once
    assert (out["n"] + out["n_missing"]).tolist() == [6, 6]
    assert all(out[c].dtype == np.int64 for c in COUNTS + ["n", "n_blank", "n_nonscale", "n_missing"])


def test_count_items_by_group():
    out = count_items(survey(), ["q1", "q2"], LEVEL5, by="Region name")
    assert list(out.columns) == ["Region name"] + COLUMNS
    assert out["Region name"].tolist() == ["A", "A", "B", "B"]
    assert out["item"].tolist() == ["q1", "q2", "q1", "q2"]
    # A (rows 0, 1, 5): q1 High, Very High, High; q2 low, blank, "5"
    # B (rows 2, 3, 4): q1 Neutral, blank, Don't know; q2 Medium, Very Low, 1
    assert out[COUNTS].values.tolist() == [
        [0, 0, 0, 2, 1],
        [0, 1, 0, 0, 1],
        [0, 0, 1, 0, 0],
        [2, 0, 1, 0, 0],
    ]
    assert out["n"].tolist() == [3, 2, 1, 3]
    assert out["n_blank"].tolist() == [0, 1, 1, 0]
    assert out["n_nonscale"].tolist() == [0, 0, 1, 0]


def test_blank_group_values_form_their_own_group_last():
    df = pd.DataFrame({"g": ["x", None, "x", "y"], "q": ["High", "Low", None, "Low"]})
    out = count_items(df, ["q"], LEVEL5, by="g")
    assert out["g"].iloc[:2].tolist() == ["x", "y"] and pd.isna(out["g"].iloc[2])
    assert out[COUNTS].values.tolist() == [[0, 0, 0, 1, 0], [0, 1, 0, 0, 0], [0, 1, 0, 0, 0]]
    assert out["n_blank"].tolist() == [1, 0, 0]


def test_numeric_group_values_and_numeric_scale():
    s = LikertScale.numeric(1, 3)
    df = pd.DataFrame({"wave": [2, 1, 2, 1], "q": [1, 3, 3.0, "2"]})
    out = count_items(df, ["q"], s, by="wave")
    assert out["wave"].tolist() == [1, 2]
    assert out[["count_1", "count_2", "count_3"]].values.tolist() == [[0, 1, 1], [1, 0, 1]]


def test_weighted_counts():
    # weights 0.5, 1.5, 2.0 on High, Low, High -> count_2 = 1.5, count_4 = 2.5, n = 4
    df = pd.DataFrame({"q": ["High", "Low", "High"], "w": [0.5, 1.5, 2.0]})
    out = count_items(df, ["q"], LEVEL5, weights="w")
    assert list(out.columns) == COLUMNS + ["n_obs"] + WSQ
    assert out[COUNTS].values.tolist() == [[0.0, 1.5, 0.0, 2.5, 0.0]]
    assert out["n"].tolist() == [4.0]
    # what the linearization needs: unweighted answers, and sum of w^2 per category
    # Low: 1.5^2 = 2.25; High: 0.5^2 + 2^2 = 4.25
    assert out["n_obs"].tolist() == [3] and out["n_obs"].dtype == np.int64
    assert out[WSQ].values.tolist() == [[0.0, 2.25, 0.0, 4.25, 0.0]]


def test_unweighted_table_has_no_design_columns():
    out = count_items(survey(), ["q1"], LEVEL5)
    assert "n_obs" not in out.columns and not set(WSQ) & set(out.columns)


def test_weighted_design_columns_by_group_with_blanks_and_nonscale():
    df = pd.DataFrame({
        "g": ["a", "a", "b", "b", "a"],
        "q": ["High", None, "Low", "Don't know", "Low"],
        "w": [2.0, 5.0, 3.0, 7.0, 0.5],
    })
    out = count_items(df, ["q"], LEVEL5, by="g", weights="w")
    # a: High (2), blank (5), Low (0.5) -> n_obs 2, wsq_2 = 0.25, wsq_4 = 4
    # b: Low (3), Don't know (7)       -> n_obs 1, wsq_2 = 9
    assert out["n_obs"].tolist() == [2, 1]
    assert out[WSQ].values.tolist() == [[0.0, 0.25, 0.0, 4.0, 0.0], [0.0, 9.0, 0.0, 0.0, 0.0]]
    assert out["n_blank"].tolist() == [5.0, 0.0] and out["n_nonscale"].tolist() == [0.0, 7.0]


def test_bad_weights_are_reported_by_row():
    df = pd.DataFrame({"q": ["High", "Low", "High"], "w": [1.0, -1.0, "x"]})
    with pytest.raises(InputError) as info:
        count_items(df, ["q"], LEVEL5, weights="w")
    assert [(p.row, p.column) for p in info.value.problems] == [(3, "w"), (4, "w")]


# --------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------


def test_unknown_answers_raise_input_error_with_rows_columns_values():
    df = pd.DataFrame({"q1": ["High", "Hgh", "Low", "Hgh"], "q2": ["Neutrl", "High", "High", "Very Lw"]})
    with pytest.raises(InputError) as info:
        count_items(df, ["q1", "q2"], LEVEL5, file="survey.csv")
    err = info.value
    assert isinstance(err, ValueError)
    # data row i (0-based) is spreadsheet row i + 2
    assert [(p.row, p.column, p.value, p.hint) for p in err.problems] == [
        (3, "q1", "Hgh", "did you mean 'High'?"),
        (5, "q1", "Hgh", "did you mean 'High'?"),
        (2, "q2", "Neutrl", "did you mean 'Neutral'?"),
        (5, "q2", "Very Lw", "did you mean 'Very Low'?"),
    ]
    assert all(p.file == "survey.csv" for p in err.problems)
    assert (err.file, err.row, err.column, err.value) == ("survey.csv", 3, "q1", "Hgh")
    text = str(err)
    assert "4 problem(s)" in text
    assert "survey.csv, row 3, column 'q1': got 'Hgh'" in text
    assert "row 5, column 'q2': got 'Very Lw'" in text


def test_source_rows_from_attrs_are_used():
    df = pd.DataFrame({"q": ["High", "oops"]})
    df.attrs["source_rows"] = [2, 9]  # e.g. a blank line was skipped in the file
    df.attrs["source_file"] = "in.csv"
    with pytest.raises(InputError) as info:
        count_items(df, ["q"], LEVEL5)
    assert (info.value.file, info.value.row, info.value.value) == ("in.csv", 9, "oops")


def test_missing_item_column_is_named():
    with pytest.raises(InputError) as info:
        count_items(survey(), ["q1", "q3", "qq2"], LEVEL5)
    problems = info.value.problems
    assert [p.column for p in problems] == ["q3", "qq2"]
    assert all(p.row is None for p in problems)
    assert "q3" in str(info.value)
    assert problems[1].hint == "did you mean 'q2'?"


def test_missing_group_column_is_named():
    with pytest.raises(InputError) as info:
        count_items(survey(), ["q1"], LEVEL5, by="region")
    assert [p.column for p in info.value.problems] == ["region"]


# --------------------------------------------------------------------------
# counts add up (the count-based core)
# --------------------------------------------------------------------------

# each pool entry with its category (0..4), or "blank" / "nonscale"
POOL = {
    "Very Low": 0, "low": 1, " HIGH ": 3, "Medium": 2, "very high": 4, 1: 0, 5: 4, "3": 2, 2.0: 1,
    "Don't know": "nonscale", "REFUSED": "nonscale", None: "blank", "": "blank",
}
answers = st.lists(st.sampled_from(list(POOL)), min_size=1, max_size=40)


def expected_counts(values):
    counts = [0] * 5
    blank = nonscale = 0
    for v in values:
        c = POOL[v]
        if c == "blank":
            blank += 1
        elif c == "nonscale":
            nonscale += 1
        else:
            counts[c] += 1
    return counts, blank, nonscale


def frame(values):
    return pd.DataFrame({"q": pd.Series(values, dtype=object)})


@settings(max_examples=60, deadline=None)
@given(values=answers)
def test_counts_match_hand_mapping(values):
    out = count_items(frame(values), ["q"], LEVEL5)
    counts, blank, nonscale = expected_counts(values)
    assert out[COUNTS].values.tolist() == [counts]
    assert out["n"].tolist() == [sum(counts)]
    assert out["n_blank"].tolist() == [blank]
    assert out["n_nonscale"].tolist() == [nonscale]
    assert out["n_missing"].tolist() == [blank + nonscale]


@settings(max_examples=60, deadline=None)
@given(values=answers, data=st.data())
def test_counts_of_two_halves_add_up(values, data):
    cut = data.draw(st.integers(0, len(values)))
    whole = count_items(frame(values), ["q"], LEVEL5)
    numeric = COUNTS + ["n", "n_blank", "n_nonscale", "n_missing"]
    parts = [count_items(frame(values[:cut]), ["q"], LEVEL5), count_items(frame(values[cut:]), ["q"], LEVEL5)]
    total = parts[0][numeric].to_numpy() + parts[1][numeric].to_numpy()
    assert total.tolist() == whole[numeric].to_numpy().tolist()


@settings(max_examples=60, deadline=None)
@given(values=answers, data=st.data())
def test_weighted_design_columns_match_rows_and_add_up(values, data):
    weights = data.draw(st.lists(st.integers(0, 8).map(lambda x: x / 4), min_size=len(values),
                                 max_size=len(values)))
    df = pd.DataFrame({"q": pd.Series(values, dtype=object), "w": weights})
    out = count_items(df, ["q"], LEVEL5, weights="w")
    # independent: walk the rows with the hand mapping
    sums, squares, answered = [0.0] * 5, [0.0] * 5, 0
    for v, w in zip(values, weights):
        c = POOL[v]
        if isinstance(c, int):
            sums[c] += w
            squares[c] += w * w
            answered += 1
    assert out[COUNTS].values.tolist() == [sums]
    assert out[WSQ].values.tolist() == [squares]
    assert out["n_obs"].tolist() == [answered]
    # chunks add up, design columns included (quarters are exact in binary)
    cut = data.draw(st.integers(0, len(values)))
    numeric = COUNTS + ["n", "n_blank", "n_nonscale", "n_missing", "n_obs"] + WSQ
    parts = [count_items(df.iloc[:cut], ["q"], LEVEL5, weights="w"),
             count_items(df.iloc[cut:], ["q"], LEVEL5, weights="w")]
    total = parts[0][numeric].to_numpy() + parts[1][numeric].to_numpy()
    assert total.tolist() == out[numeric].to_numpy().tolist()


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["n", "s", "e"]), st.sampled_from(list(POOL)),
                               st.sampled_from(list(POOL))), min_size=1, max_size=30))
def test_group_counts_sum_to_ungrouped(rows):
    df = pd.DataFrame({
        "zone": [r[0] for r in rows],
        "q1": pd.Series([r[1] for r in rows], dtype=object),
        "q2": pd.Series([r[2] for r in rows], dtype=object),
    })
    numeric = COUNTS + ["n", "n_blank", "n_nonscale", "n_missing"]
    grouped = count_items(df, ["q1", "q2"], LEVEL5, by="zone")
    plain = count_items(df, ["q1", "q2"], LEVEL5)
    assert sorted(grouped["zone"].unique()) == sorted(set(df["zone"]))
    assert len(grouped) == 2 * df["zone"].nunique()  # one row per group x item
    summed = grouped.groupby("item", sort=False)[numeric].sum().loc[["q1", "q2"]]
    assert summed.to_numpy().tolist() == plain[numeric].to_numpy().tolist()
    # each group's row equals the hand mapping of that group's answers
    for (zone, item), row in grouped.set_index(["zone", "item"]).iterrows():
        values = [r[1] if item == "q1" else r[2] for r in rows if r[0] == zone]
        counts, blank, nonscale = expected_counts(values)
        assert row[COUNTS].tolist() == counts
        assert (row["n_blank"], row["n_nonscale"]) == (blank, nonscale)


# --------------------------------------------------------------------------
# fast paths: every kind of column counts and reports as the plain object path does
# --------------------------------------------------------------------------

HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None
NUMERIC = COUNTS + ["n", "n_blank", "n_nonscale", "n_missing"]


@contextlib.contextmanager
def general_path_only():
    """Every column through the general path (factorize + one lookup per distinct answer): the reference."""
    with mock.patch.object(counting, "_encode_fast", lambda *args, **kwargs: None):
        yield


def encoded(column):
    codes, problems = encode_answers(column, LEVEL5, column="q", file="f.csv")
    return codes.tolist(), problems, [str(p) for p in problems]


def counted(df, items, **kwargs):
    """The counts table, or the problems it raised (as objects and as text)."""
    try:
        return count_items(df, items, LEVEL5, **kwargs)
    except InputError as err:
        return err.problems, [str(p) for p in err.problems]


def assert_same_counts(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, tuple), got
        assert got == want
    else:
        assert not isinstance(got, tuple), got
        pd.testing.assert_frame_equal(got, want, check_exact=True)  # weighted sums to the last bit


def assert_matches_object_path(column, values):
    """``column`` (a fast-path dtype) against the object column of the same Python values, fast paths off,
    and against itself through the general path (what every column did before the fast paths)."""
    plain = pd.Series(values, dtype=object)
    fast = encoded(column)
    with general_path_only():
        reference = encoded(plain)
        same_column = encoded(column)
    assert fast == reference
    assert fast == same_column
    # whole frames: plain counts, per group, weighted; groups and weights need per-row codes
    n = len(values)
    groups = [["x", "y", "z"][i % 3] for i in range(n)]
    weights = [(i % 7) / 10 + 0.013 * i for i in range(n)]  # not dyadic: summation order shows
    typed = pd.DataFrame({"q": column, "g": groups, "w": weights})
    plain_df = pd.DataFrame({"q": plain, "g": groups, "w": weights})
    for kwargs in [{}, {"by": "g"}, {"weights": "w"}, {"by": "g", "weights": "w"}]:
        got = counted(typed, ["q"], **kwargs)
        with general_path_only():
            want = counted(plain_df, ["q"], **kwargs)
            want_typed = counted(typed, ["q"], **kwargs)
        assert_same_counts(got, want)
        assert_same_counts(got, want_typed)


# codes 1..5 are on LEVEL5; 0, 6, 7, -1, 120 are not
CODES = st.sampled_from([1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 0, 6, 7, -1, 120])
VALID_CODES = st.integers(1, 5)


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint64"])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_integer_columns_match_object_path(dtype, data):
    pool = CODES if data.draw(st.booleans()) else VALID_CODES
    if dtype.startswith("u"):
        pool = pool.filter(lambda c: c >= 0)
    values = data.draw(st.lists(pool, min_size=0, max_size=60))
    column = pd.Series(np.array(values, dtype=dtype))
    assert_matches_object_path(column, values)


@pytest.mark.parametrize("dtype", ["Int8", "Int64", "UInt16"])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_nullable_integer_columns_with_na_match_object_path(dtype, data):
    pool = CODES if data.draw(st.booleans()) else VALID_CODES
    if dtype.startswith("U"):
        pool = pool.filter(lambda c: c >= 0)
    values = data.draw(st.lists(st.one_of(pool, st.none()), min_size=0, max_size=60))
    column = pd.Series(values, dtype=dtype)
    assert_matches_object_path(column, values)


@pytest.mark.parametrize("dtype", ["float64", "float32", "Float64"])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_float_codes_match_object_path(dtype, data):
    # whole codes (3.0), blanks (NaN), and off-scale ones: 7.0, 2.5 (not whole), inf
    pool = st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, float("nan")])
    if data.draw(st.booleans()):
        pool = st.one_of(pool, st.sampled_from([7.0, 0.0, 2.5, -1.0, float("inf")]))
    values = data.draw(st.lists(pool, min_size=0, max_size=60))
    if dtype == "Float64":  # NaN is NA there
        values = [None if v != v else v for v in values]
    column = pd.Series(values, dtype=dtype)
    assert_matches_object_path(column, values)


LABELS = ["Very Low", "low", " HIGH ", "Medium", "very high", "Don't know", "REFUSED", "", "3"]
UNKNOWN_LABELS = ["Hgh", "zzz", "Very Lw"]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_categorical_with_unused_and_unknown_categories_matches_object_path(data):
    pool = LABELS + (UNKNOWN_LABELS if data.draw(st.booleans()) else [])
    values = data.draw(st.lists(st.one_of(st.sampled_from(pool), st.none()), min_size=0, max_size=60))
    # categories beyond those used: valid ones and unknown ones, which must not be reported unused
    extra = data.draw(st.lists(st.sampled_from(["Neutral", "Bogus", "Very High", "nope"]), unique=True))
    categories = list(dict.fromkeys([v for v in values if v is not None] + extra))
    column = pd.Series(pd.Categorical(values, categories=categories))
    assert_matches_object_path(column, values)


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_categorical_of_numeric_codes_matches_object_path(data):
    values = data.draw(st.lists(st.one_of(CODES, st.none()), min_size=0, max_size=60))
    column = pd.Series(pd.Categorical(values, categories=sorted({v for v in values if v is not None} | {9})))
    assert_matches_object_path(column, values)


NEEDS_PYARROW = pytest.mark.skipif(not HAS_PYARROW, reason="pyarrow not installed")
STRING_DTYPES = [
    pytest.param(pd.StringDtype("python", na_value=np.nan), id="str-python"),  # "str" without pyarrow
    pytest.param(pd.StringDtype("python"), id="string-python"),  # "string", NA-valued
    pytest.param(pd.StringDtype("pyarrow", na_value=np.nan), id="str-pyarrow", marks=NEEDS_PYARROW),
    pytest.param(pd.StringDtype("pyarrow"), id="string-pyarrow", marks=NEEDS_PYARROW),
    pytest.param("str", id="str-default"),  # the default string dtype, whichever storage it has here
]


@pytest.mark.parametrize("dtype", STRING_DTYPES)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_string_dtype_columns_match_object_path(dtype, data):
    pool = LABELS + (UNKNOWN_LABELS if data.draw(st.booleans()) else [])
    values = data.draw(st.lists(st.one_of(st.sampled_from(pool), st.none()), min_size=0, max_size=60))
    column = pd.Series(values, dtype=dtype)
    assert_matches_object_path(column, [v for v in column.astype(object).where(column.notna(), None)])


@pytest.mark.skipif(not HAS_PYARROW, reason="pyarrow not installed")
@pytest.mark.parametrize("kind", ["int64", "int8", "uint16", "float64", "string"])
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_arrow_backed_columns_match_object_path(kind, data):
    import pyarrow as pa

    if kind == "string":
        values = data.draw(st.lists(st.one_of(st.sampled_from(LABELS + UNKNOWN_LABELS), st.none()), max_size=40))
    else:
        pool = CODES.filter(lambda c: c >= 0) if kind.startswith("u") else CODES
        values = data.draw(st.lists(st.one_of(pool, st.none()), max_size=40))
        if kind == "float64":
            values = [None if v is None else float(v) for v in values]
    column = pd.Series(values, dtype=pd.ArrowDtype(getattr(pa, kind)()))
    assert_matches_object_path(column, values)


# object columns as readers give them: text, numbers, blanks of several kinds, mixed types whose
# equal values (1, 1.0, True) must keep factorize's first-seen representative
OBJECTS = st.sampled_from(LABELS + UNKNOWN_LABELS + [
    1, 5, 7, 2.0, 2.5, True, np.int64(3), np.float32(4.0), None, float("nan"), pd.NA, "5", " 4 ",
])


@settings(max_examples=100, deadline=None)
@given(values=st.lists(OBJECTS, min_size=0, max_size=60))
def test_object_columns_match_general_path(values):
    assert_matches_object_path(pd.Series(values, dtype=object), values)


def test_mixed_equal_values_keep_the_first_seen_answer():
    # True == 1 == 1.0: the column's first such answer decides, as pd.factorize decides
    for values in ([True, 1, 1.0], [1, True], [1.0, True], [np.int64(1), 1.0]):
        assert_matches_object_path(pd.Series(values, dtype=object), values)
    assert count_items(pd.DataFrame({"q": pd.Series([1, True], dtype=object)}), ["q"], LEVEL5)[
        "count_1"].tolist() == [2]
    with pytest.raises(InputError):
        count_items(pd.DataFrame({"q": pd.Series([True, 1], dtype=object)}), ["q"], LEVEL5)


def test_out_of_range_integer_codes_are_reported_like_text_ones():
    column = pd.Series(np.array([1, 7, 3, 7, 0], dtype=np.int8))
    codes, problems = encode_answers(column, LEVEL5, column="q", file="f.csv")
    assert codes.tolist() == [0, MISSING, 2, MISSING, MISSING]
    assert [(p.row, p.value, p.hint) for p in problems] == [
        (3, 7, "code 7 is outside the scale's codes 1..5"),
        (5, 7, "code 7 is outside the scale's codes 1..5"),
        (6, 0, "code 0 is outside the scale's codes 1..5"),
    ]
    assert str(problems[0]).startswith("f.csv, row 3, column 'q': got 7, expected one of 'Very Low'")
    _, floats = encode_answers(pd.Series([2.5, 3.0, 7.0]), LEVEL5, column="q")
    assert [(p.row, p.value, p.hint) for p in floats] == [
        (2, 2.5, "codes are whole numbers"), (4, 7.0, "code 7 is outside the scale's codes 1..5")]


def test_integer_codes_cap_rows_per_unknown_answer_and_use_source_rows():
    column = pd.Series(np.full(25, 9, dtype=np.int16))
    _, problems = encode_answers(column, LEVEL5, column="q")
    assert len(problems) == 21 and [p.row for p in problems[:20]] == list(range(2, 22))
    assert problems[20].row is None and problems[20].n_more == 5
    assert str(problems[20]).endswith("(5 more rows hold this answer)")
    df = pd.DataFrame({"q": np.array([1, 2, 6], dtype=np.int8)})
    df.attrs["source_rows"] = [2, 3, 11]
    with pytest.raises(InputError) as info:
        count_items(df, ["q"], LEVEL5)
    assert (info.value.row, info.value.value) == (11, 6)


def test_fast_paths_take_every_kind_of_valid_column():
    """Each kind of column really is encoded on its fast path (none falls back silently)."""
    cases = {
        "int8": pd.Series(np.array([1, 5, 3], dtype=np.int8)),
        "int64": pd.Series(np.array([1, 5, 3], dtype=np.int64)),
        "Int64 with NA": pd.Series([1, None, 3], dtype="Int64"),
        "float codes": pd.Series([1.0, np.nan, 3.0]),
        "categorical": pd.Series(pd.Categorical(["High", None, "Low"], categories=["Low", "High", "Bogus"])),
        "str": pd.Series(["High", None, "low"], dtype="str"),
        "object": pd.Series(["High", None, "low"], dtype=object),
    }
    for name, column in cases.items():
        for need_rows in (False, True):
            assert counting._encode_fast(column, LEVEL5, need_rows=need_rows) is not None, (name, need_rows)
    # a column with an answer off the scale goes to the general path, which reports it
    assert counting._encode_fast(pd.Series(np.array([1, 9], dtype=np.int8)), LEVEL5, need_rows=False) is None
    # integer codes spread over more than 65536 values: general path too, same answer
    wide = pd.Series(np.array([1, 5, 10**9], dtype=np.int64))
    assert counting._encode_fast(wide, LEVEL5, need_rows=True) is None
    assert encode_answers(wide, LEVEL5)[1][0].hint == "code 1e+09 is outside the scale's codes 1..5"


def test_empty_and_all_blank_columns():
    for column in [pd.Series([], dtype=np.int8), pd.Series([None, None], dtype="Int64"),
                   pd.Series([np.nan, np.nan]), pd.Series([], dtype="str"),
                   pd.Series(pd.Categorical([None, None], categories=["High"]))]:
        df = pd.DataFrame({"q": column, "g": ["a"] * len(column)})
        assert_same_counts(count_items(df, ["q"], LEVEL5), _general(df, ["q"]))
        assert_same_counts(count_items(df, ["q"], LEVEL5, by="g"), _general(df, ["q"], by="g"))


def _general(df, items, **kwargs):
    with general_path_only():
        return count_items(df, items, LEVEL5, **kwargs)


# --------------------------------------------------------------------------
# group counts against an independent pandas computation
# --------------------------------------------------------------------------

CATEGORY_OF_LABEL = {"Very Low": 0, "low": 1, " HIGH ": 3, "Medium": 2, "very high": 4, "3": 2,
                     "Don't know": "nonscale", None: "blank", "": "blank"}


@pytest.mark.parametrize("kind", ["object", "str", "categorical", "int8"])
@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["n", "s", "e", None]),
                               st.sampled_from(list(CATEGORY_OF_LABEL)),
                               st.integers(0, 8)), min_size=1, max_size=50))
def test_group_counts_match_pandas_groupby_value_counts(kind, rows):
    zone = [r[0] for r in rows]
    labels = [r[1] for r in rows]
    weight = [r[2] / 4 for r in rows]  # quarters: sums are exact in any order
    if kind == "int8":  # codes 1..5 only; 0 stands for nothing here, so no blanks
        labels = [lab if isinstance(CATEGORY_OF_LABEL[lab], int) else "Medium" for lab in labels]
        column = pd.Series(np.array([CATEGORY_OF_LABEL[lab] + 1 for lab in labels], dtype=np.int8))
    elif kind == "categorical":
        column = pd.Series(pd.Categorical(labels))
    else:
        column = pd.Series(labels, dtype=kind)
    df = pd.DataFrame({"zone": zone, "q": column, "w": weight})
    # independent: each answer's category by hand, then pandas counts per group
    category = pd.Series([str(CATEGORY_OF_LABEL[lab]) for lab in labels])
    key = pd.Series(zone, dtype=object).fillna("(blank)")
    expected = pd.crosstab(key, category)
    expected_w = pd.DataFrame({"zone": key, "c": category, "w": weight}).groupby(["zone", "c"])["w"].sum()
    for weighted in (False, True):
        out = count_items(df, ["q"], LEVEL5, by="zone", weights="w" if weighted else None)
        out["zone"] = out["zone"].astype(object).where(out["zone"].notna(), "(blank)")
        assert sorted(out["zone"]) == sorted(key.unique())
        for _, row in out.iterrows():
            for column_name, c in [(f"count_{i + 1}", str(i)) for i in range(5)] + [
                    ("n_blank", "blank"), ("n_nonscale", "nonscale")]:
                if weighted:
                    want = expected_w.get((row["zone"], c), 0.0)
                else:
                    want = expected.loc[row["zone"], c] if c in expected.columns else 0
                assert row[column_name] == want, (row["zone"], column_name)
            if weighted:
                answered = [lab for z, lab in zip(key, labels)
                            if z == row["zone"] and isinstance(CATEGORY_OF_LABEL[lab], int)]
                assert row["n_obs"] == len(answered)


def test_count_categories_accepts_int8_codes_and_groups():
    codes = np.array([4, 4, 0, MISSING, NON_SCALE], dtype=np.int8)
    groups = np.array([1, 0, 1, 1, 0], dtype=np.int8)
    assert count_categories(codes, 5, groups, 2).tolist() == [
        [1, 0, 0, 0, 0, 0, 1], [0, 1, 1, 0, 0, 0, 1]]
    # a wide table: group * width overflows int8, so the slots are computed in intp
    many = np.arange(100, dtype=np.int8)
    assert count_categories(np.zeros(100, dtype=np.int8), 5, many, 100).sum() == 100


def test_blanks_stand_in_value_never_hides_a_real_answer():
    # blanks are counted under a value next to the codes (0 for LEVEL5); a real 0 is still reported
    for column in [pd.Series([0, None, 3], dtype="Int64"), pd.Series([0.0, np.nan, 3.0]),
                   pd.Series([6, None, 3], dtype="Int8")]:
        codes, problems = encode_answers(column, LEVEL5, column="q")
        assert codes.tolist() == [MISSING, MISSING, 2]
        assert [(p.row, p.hint) for p in problems] == [
            (2, f"code {column.iloc[0]:g} is outside the scale's codes 1..5")]
    out = count_items(pd.DataFrame({"q": pd.Series([1, None, 5, None], dtype="Int64")}), ["q"], LEVEL5)
    assert out[COUNTS + ["n_blank"]].values.tolist() == [[1, 0, 0, 0, 1, 2]]


def test_object_columns_counted_by_identity_match_the_general_path():
    """The identity path (wai.counting._tally_objects): answers first seen after the sampled head, equal
    answers held in different string objects, more distinct objects than it counts by comparison, and
    cells that are not text all give what the general path gives."""
    from wai import counting

    rng = np.random.default_rng(3)
    labels = list(LEVEL5.labels) + [None, "Don't know", "  "]
    picks = rng.integers(0, len(labels), 12_000)
    shared = [labels[p] for p in picks]
    late = shared[:9000] + ["very high"] * 5 + shared[9000:]  # a new object only after two sampled heads
    rebuilt = ["".join(list(v)) if isinstance(v, str) else v for v in shared]  # one new object per cell
    assert len({id(v) for v in rebuilt}) > counting._MAX_OBJECTS
    fresh = [labels[p] if i % 2 else (None if labels[p] is None else str(labels[p]).upper().lower())
             for i, p in enumerate(picks[:500])]  # a few hundred equal strings in other objects
    for values in (shared, late, rebuilt, fresh, shared[:100] + [3] + shared[100:200]):
        assert_matches_object_path(pd.Series(values, dtype=object), values)
    cells = pd.Series(late, dtype=object).to_numpy()
    first, tally, index = counting._tally_objects(counting._object_ids(cells), need_rows=True)
    seen: dict[int, int] = {}  # each object's first row, counted by hand
    for row, value in enumerate(cells):
        seen.setdefault(id(value), row)
    assert first.tolist() == sorted(seen.values())
    assert tally.tolist() == [sum(v is cells[f] for v in cells) for f in first.tolist()]
    assert index.tolist() == [first.tolist().index(seen[id(v)]) for v in cells]
    assert counting._tally_objects(counting._object_ids(pd.Series(rebuilt, dtype=object).to_numpy()), False) is None


def test_unknown_answer_in_an_object_column_is_reported_with_its_row():
    values = ["High"] * 5000 + ["Hihg"] + ["Low"] * 10
    with pytest.raises(InputError) as caught:
        count_items(pd.DataFrame({"q": pd.Series(values, dtype=object)}), ["q"], LEVEL5, file="s.csv")
    assert "s.csv, row 5002, column 'q': got 'Hihg'" in str(caught.value)
    assert "did you mean 'High'?" in str(caught.value)
