"""Tests for wai.counting: raw answers to category counts, with row-accurate errors."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    assert problems[20].row is None and "5 more rows" in problems[20].hint


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
