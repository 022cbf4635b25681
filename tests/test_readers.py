"""Tests of wai.input.readers: every file kind read into one shape, every bad input an InputError.

All files are written by the tests themselves: text files byte by byte,
.xlsx with openpyxl, .sav and .dta with pyreadstat.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from wai.counting import count_items
from wai.errors import InputError
from wai.input.readers import read_responses
from wai.scales import LEVEL5, LikertScale

openpyxl = pytest.importorskip("openpyxl")
pyreadstat = pytest.importorskip("pyreadstat")

LEVEL5_LABELS = {1: "Very Low", 2: "Low", 3: "Neutral", 4: "High", 5: "Very High", 9: "Don't know"}
# by code Never < Sometimes < Always; alphabetically Always < Never < Sometimes
OFTEN_LABELS = {1: "Never", 2: "Sometimes", 3: "Always"}


def write(tmp_path, name, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def problems_of(path, **options):
    with pytest.raises(InputError) as caught:
        read_responses(path, **options)
    return caught.value.problems


def rows_of(frame):
    return [list(row) for row in frame.itertuples(index=False, name=None)]


# ---------------------------------------------------------------------------
# text files

def test_csv_basic_shape_and_attrs(tmp_path):
    path = write(tmp_path, "s.csv", " id , q1 ,q2\n1, High ,\n2,very low,Low\n")
    frame = read_responses(path)
    assert list(frame.columns) == ["id", "q1", "q2"]
    assert rows_of(frame) == [["1", "High", None], ["2", "very low", "Low"]]
    assert all(frame[c].dtype == object for c in frame.columns)
    assert frame.attrs["source_file"] == str(path)
    assert frame.attrs["source_rows"].tolist() == [2, 3]


def test_csv_cells_stay_text(tmp_path):
    frame = read_responses(write(tmp_path, "n.csv", "score,code\n0.60,007\n3,1e3\n"))
    assert rows_of(frame) == [["0.60", "007"], ["3", "1e3"]]


def test_bom_and_no_bom_give_equal_frames(tmp_path):
    text = "id,q1\n1,Très élevé\n2,Don’t know\n"
    plain = read_responses(write(tmp_path, "plain.csv", text.encode("utf-8")))
    bom = read_responses(write(tmp_path, "bom.csv", codecs.BOM_UTF8 + text.encode("utf-8")))
    pd.testing.assert_frame_equal(plain, bom)
    assert list(bom.columns) == ["id", "q1"]
    assert bom.attrs["source_rows"].tolist() == plain.attrs["source_rows"].tolist() == [2, 3]


@pytest.mark.parametrize("sep", [";", "\t", "|", ","])
def test_delimiter_detected(tmp_path, sep):
    lines = [["id", "q1", "q2"], ["1", "High", "Very Low"], ["2", "Neutral", "High"],
             ["3", "", "Low"]]
    path = write(tmp_path, "d.csv", "".join(sep.join(line) + "\r\n" for line in lines))
    frame = read_responses(path)
    assert list(frame.columns) == ["id", "q1", "q2"]
    assert rows_of(frame) == [["1", "High", "Very Low"], ["2", "Neutral", "High"],
                              ["3", None, "Low"]]


@pytest.mark.parametrize("text, columns", [
    ("id;comment\n1;yes, a lot, really\n2;no, never\n", ["id", "comment"]),
    ('id,comment\n1,"a;b;c"\n2,"x;y"\n', ["id", "comment"]),
    ("id|q1|q2\n1|a,b|c\n", ["id", "q1", "q2"]),
    ("Q1 (trust; council),Q2\nHigh,Low\n", ["Q1 (trust; council)", "Q2"]),
])
def test_delimiter_of_the_header_wins_over_delimiters_in_answers(tmp_path, text, columns):
    assert list(read_responses(write(tmp_path, "h.csv", text)).columns) == columns


def test_semicolon_file_with_decimal_commas(tmp_path):
    frame = read_responses(write(tmp_path, "eu.csv", "id;score\n1;3,5\n2;4,0\n"))
    assert rows_of(frame) == [["1", "3,5"], ["2", "4,0"]]


def test_delimiter_argument_overrides_detection(tmp_path):
    path = write(tmp_path, "o.csv", "a;b,c\n1;2,3\n")
    assert list(read_responses(path, delimiter=",").columns) == ["a;b", "c"]
    assert list(read_responses(path, delimiter=";").columns) == ["a", "b,c"]
    tabbed = write(tmp_path, "t.txt", "a\tb\n1\t2\n")
    assert list(read_responses(tabbed, delimiter="\\t").columns) == ["a", "b"]


def test_tsv_suffix_is_tab_delimited(tmp_path):
    frame = read_responses(write(tmp_path, "x.TSV", "comment\tq1\nyes, a lot; really\tHigh\n"))
    assert rows_of(frame) == [["yes, a lot; really", "High"]]


def test_single_column_file(tmp_path):
    frame = read_responses(write(tmp_path, "one.csv", "q1\nHigh\nLow\n"))
    assert rows_of(frame) == [["High"], ["Low"]]


def test_quoted_delimiter_and_newline_in_a_cell(tmp_path):
    text = ('id,comment,q1\n1,"good, very ""good""",High\n'
            '2,"two\nlines, here",Low\n3,plain,Neutral\n')
    frame = read_responses(write(tmp_path, "q.csv", text))
    assert rows_of(frame) == [["1", 'good, very "good"', "High"], ["2", "two\nlines, here", "Low"],
                              ["3", "plain", "Neutral"]]
    # a quoted cell spanning two lines is one row, as a spreadsheet shows it
    assert frame.attrs["source_rows"].tolist() == [2, 3, 4]


def test_cp1252_file_read_with_encoding(tmp_path):
    path = write(tmp_path, "w.csv", "id;q1\n1;Don’t know\n2;Très élevé\n".encode("cp1252"))
    frame = read_responses(path, encoding="cp1252")
    assert rows_of(frame) == [["1", "Don’t know"], ["2", "Très élevé"]]


def test_cp1252_file_without_encoding_names_offset_and_encoding(tmp_path):
    path = write(tmp_path, "w.csv", "id;q1\n1;Don’t know\n2;Très élevé\n".encode("cp1252"))
    [problem] = problems_of(path)
    assert problem.file == str(path) and problem.row is None
    assert problem.value.startswith("byte 0x92 at offset 11 (line 2")
    assert "--encoding cp1252" in problem.hint
    assert "UTF-8" in problem.expected
    assert "offset 11" in str(InputError([problem]))


def test_latin1_and_utf16_with_encoding(tmp_path):
    text = "q1,q2\nÉlevé,Très bas\n"
    latin = read_responses(write(tmp_path, "l.csv", text.encode("latin-1")), encoding="latin-1")
    utf16 = read_responses(write(tmp_path, "u.csv", text.encode("utf-16")), encoding="utf-16")
    assert rows_of(latin) == rows_of(utf16) == [["Élevé", "Très bas"]]
    assert list(utf16.columns) == ["q1", "q2"]
    # a UTF-16 byte-order mark is recognised without the encoding
    assert rows_of(read_responses(tmp_path / "u.csv")) == [["Élevé", "Très bas"]]


def test_utf16_without_bom_and_unknown_encoding(tmp_path):
    path = write(tmp_path, "u.csv", "q1,q2\nHigh,Low\n".encode("utf-16-le"))
    [problem] = problems_of(path)
    assert "NUL" in problem.value and "utf-16-le" in problem.hint
    [problem] = problems_of(path, encoding="no-such-codec")
    assert problem.value == "no-such-codec" and "encoding" in problem.expected


def test_ragged_rows_name_row_and_counts(tmp_path):
    text = "id,q1,q2\n1,High,Low\n\n2,High\n3,a,b,c\n4,x,y,,,\n\n\n5,z,w\n6,a,b,c,d\n"
    problems = problems_of(write(tmp_path, "r.csv", text))
    assert [(p.row, p.value, p.expected) for p in problems] == [
        (4, "2 cells", "3 cells, as in the header (row 1)"),
        (5, "4 cells", "3 cells, as in the header (row 1)"),
        (10, "5 cells", "3 cells, as in the header (row 1)"),
    ]
    assert "double quotes" in problems[1].hint and "','" in problems[1].hint


def test_blank_lines_skipped_keep_file_row_numbers(tmp_path):
    text = "\r\nid,q1\r\n1,High\r\n\r\n , \r\n2,Low\r\n,\r\n3,Neutral\r\n\r\n"
    frame = read_responses(write(tmp_path, "b.csv", text))
    assert rows_of(frame) == [["1", "High"], ["2", "Low"], ["3", "Neutral"]]
    assert frame.attrs["source_rows"].tolist() == [3, 6, 8]


def test_row_numbers_reach_counting_messages(tmp_path):
    frame = read_responses(write(tmp_path, "c.csv", "q1\nHigh\n\n\nHgh\n"))
    with pytest.raises(InputError) as caught:
        count_items(frame, ["q1"], LEVEL5)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.value) == (str(tmp_path / "c.csv"), 5, "Hgh")


def test_empty_file(tmp_path):
    for name, data in [("e.csv", b""), ("w.csv", b"\n \r\n\t\n"), ("b.csv", codecs.BOM_UTF8)]:
        [problem] = problems_of(write(tmp_path, name, data))
        assert problem.value == "an empty file" and problem.row is None


def test_header_only(tmp_path):
    [problem] = problems_of(write(tmp_path, "h.csv", "id,q1,q2\n\n,,\n"))
    assert (problem.row, problem.value) == (2, "only a header row")


def test_duplicate_and_blank_header_names(tmp_path):
    problems = problems_of(write(tmp_path, "h.csv", "id, q1 ,q1,,q2,\n1,2,3,,5,\n7,8,9,x,0\n"))
    assert [(p.row, p.column, p.expected) for p in problems] == [
        (1, "q1", "distinct column names"),
        (1, None, "a name for every column that holds values"),
    ]
    assert "column 2 and column 3" in problems[0].hint
    assert "column 4" in problems[1].hint and "row 3" in problems[1].hint


def test_unnamed_empty_column_is_dropped(tmp_path):
    frame = read_responses(write(tmp_path, "g.csv", "id,,q1\n1,,High\n2, ,Low\n"))
    assert list(frame.columns) == ["id", "q1"]
    assert rows_of(frame) == [["1", "High"], ["2", "Low"]]


def test_every_problem_in_one_error(tmp_path):
    problems = problems_of(write(tmp_path, "m.csv", "q,q\n1\n2,3\n4,5,6\n"))
    assert [(p.row, p.column) for p in problems] == [(1, "q"), (2, None), (4, None)]


def test_unclosed_quote(tmp_path):
    [problem] = problems_of(write(tmp_path, "u.csv", 'id,c\n1,ok\n2,"never closed\n3,x\n'))
    assert (problem.row, problem.value) == (3, "a quote that is never closed")


def test_bad_delimiter_argument(tmp_path):
    [problem] = problems_of(write(tmp_path, "a.csv", "a,b\n1,2\n"), delimiter=";;")
    assert problem.value == ";;" and "delimiter" in problem.expected


def test_unknown_suffix_and_missing_file(tmp_path):
    [problem] = problems_of(write(tmp_path, "data.json", "{}"))
    assert problem.file == str(tmp_path / "data.json") and problem.value == ".json"
    for kind in (".csv", ".xlsx", ".sav", ".dta"):
        assert kind in problem.expected
    problems = problems_of(tmp_path / "old.XLS")
    assert [p.expected for p in problems][0] == "an existing file"
    assert problems[1].value == ".xls" and ".xlsx" in problems[1].hint
    [problem] = problems_of(tmp_path / "none.csv")
    assert problem.expected == "an existing file"
    with pytest.raises(ValueError, match="labels"):
        read_responses(tmp_path / "none.csv", labels="text")


def test_missing_optional_dependency_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    monkeypatch.setitem(sys.modules, "pyreadstat", None)
    [problem] = problems_of(write(tmp_path, "a.xlsx", b"PK"))
    assert 'pip install "wai[excel]"' in problem.hint
    for name in ("a.sav", "a.zsav", "a.dta"):
        [problem] = problems_of(write(tmp_path, name, b"\0"))
        assert 'pip install "wai[spss]"' in problem.hint


# ---------------------------------------------------------------------------
# Excel

def make_workbook(path):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Intro"
    first.append(["Read me", None])
    first.append(["nothing here", None])
    data = book.create_sheet("Responses")
    data.append([" id ", "q1", "q2", "comment", None])
    data.append([1, 3, "  High ", "fine", None])
    data.append([])  # an empty row: skipped, later rows keep their numbers
    data.append([2, 4.0, "Very low", "   ", None])
    data.append([None, None, None, None, None])
    data.append([3, 3.5, None, 12, None])
    book.save(path)
    return path


def test_excel_second_sheet_by_name(tmp_path):
    path = make_workbook(tmp_path / "w.xlsx")
    frame = read_responses(path, sheet="Responses")
    assert list(frame.columns) == ["id", "q1", "q2", "comment"]
    assert rows_of(frame) == [[1, 3, "High", "fine"], [2, 4, "Very low", None], [3, 3.5, None, 12]]
    assert frame.attrs["source_rows"].tolist() == [2, 4, 6]
    assert frame.attrs["source_file"] == str(path)
    assert all(frame[c].dtype == object for c in frame.columns)
    # numbers stay numbers and match the scale's codes
    assert [LEVEL5.category_of(v) for v in frame["q1"][:2]] == [2, 3]
    assert read_responses(path, sheet=1).equals(frame)


def test_excel_first_sheet_by_default(tmp_path):
    path = make_workbook(tmp_path / "w.xlsx")
    frame = read_responses(path)
    assert list(frame.columns) == ["Read me"] and rows_of(frame) == [["nothing here"]]


def test_excel_bad_sheet_and_damaged_file(tmp_path):
    path = make_workbook(tmp_path / "w.xlsx")
    [problem] = problems_of(path, sheet="Answers")
    assert problem.value == "Answers" and "'Intro', 'Responses'" in problem.hint
    [problem] = problems_of(path, sheet=2)
    assert problem.value == 2 and "0 to 1" in problem.expected
    [problem] = problems_of(write(tmp_path, "bad.xlsx", b"this is no workbook"))
    assert "BadZipFile" in problem.value and "Excel" in problem.expected


def test_excel_table_away_from_a1(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B3"], sheet["C3"] = "id", "q1"
    sheet["B4"], sheet["C4"] = 1, "High"
    book.save(tmp_path / "b.xlsx")
    frame = read_responses(tmp_path / "b.xlsx")
    assert list(frame.columns) == ["id", "q1"]  # the empty column A is not a column
    assert rows_of(frame) == [[1, "High"]] and frame.attrs["source_rows"].tolist() == [4]


def test_excel_header_problems_and_stray_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B2"], sheet["C2"], sheet["D2"] = "q1", "q1 ", "q2"
    sheet["A3"], sheet["B3"], sheet["C3"], sheet["D3"] = 7, "High", "Low", "Low"
    sheet["F4"] = "stray note"
    book.save(tmp_path / "h.xlsx")
    problems = problems_of(tmp_path / "h.xlsx")
    assert [(p.row, p.column) for p in problems] == [(2, None), (2, "q1"), (4, None)]
    assert problems[0].hint == "column A has no name but holds values, e.g. in row 3"
    assert problems[1].hint == "column B and column C have this name"
    assert problems[2].value == "stray note" and "F4" in problems[2].hint


def test_excel_empty_sheet_and_header_only(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Blank"
    book.create_sheet("Head").append(["q1", "q2"])
    book.save(tmp_path / "e.xlsx")
    [problem] = problems_of(tmp_path / "e.xlsx")
    assert problem.value == "an empty sheet 'Blank'"
    [problem] = problems_of(tmp_path / "e.xlsx", sheet="Head")
    assert (problem.row, problem.value) == (2, "only a header row in sheet 'Head'")


# ---------------------------------------------------------------------------
# SPSS and Stata

def make_sav(path):
    data = pd.DataFrame({
        "q1": [1.0, 5.0, 9.0, np.nan, 3.0, 9.0],
        "q2": [1.0, 2.0, 3.0, 3.0, np.nan, 1.0],
        "age": [34.0, 51.5, np.nan, 20.0, 61.0, 44.0],
        "city": ["Lyon", " Paris ", "", "Nice", "Lyon", "Nice"],
    })
    pyreadstat.write_sav(
        data, str(path),
        column_labels={"q1": "Trust in the council", "q2": "How often"},
        variable_value_labels={"q1": LEVEL5_LABELS, "q2": OFTEN_LABELS},
        missing_ranges={"q1": [9]},
    )
    return path


def test_sav_labels_applied(tmp_path):
    path = make_sav(tmp_path / "s.sav")
    frame = read_responses(path)
    assert list(frame.columns) == ["q1", "q2", "age", "city"]
    assert frame["q1"].tolist() == ["Very Low", "Very High", "Don't know", None, "Neutral",
                                    "Don't know"]
    # by code, not by label text: alphabetically "Always" < "Never" < "Sometimes"
    assert frame["q2"].tolist() == ["Never", "Sometimes", "Always", "Always", None, "Never"]
    assert frame["age"].tolist() == [34, 51.5, None, 20, 61, 44]
    assert frame["city"].tolist() == ["Lyon", "Paris", None, "Nice", "Lyon", "Nice"]
    assert frame.attrs["source_rows"].tolist() == [2, 3, 4, 5, 6, 7]
    assert frame.attrs["source_file"] == str(path)
    assert frame.attrs["user_missing"] == {"q1": 2}
    assert frame.attrs["value_labels"]["q2"] == {1: "Never", 2: "Sometimes", 3: "Always"}
    assert frame.attrs["value_labels"]["q1"][9] == "Don't know"
    assert frame.attrs["variable_labels"] == {"q1": "Trust in the council", "q2": "How often"}
    assert all(frame[c].dtype == object for c in frame.columns)


def test_sav_labelled_frame_counts_like_a_text_export(tmp_path):
    frame = read_responses(make_sav(tmp_path / "s.sav"))
    counts = count_items(frame, ["q1"], LEVEL5).iloc[0]
    assert (counts["count_1"], counts["count_3"], counts["count_5"]) == (1, 1, 1)
    assert (counts["n"], counts["n_blank"], counts["n_nonscale"]) == (3, 1, 2)
    often = LikertScale(("Never", "Sometimes", "Always"))
    counts = count_items(frame, ["q2"], often).iloc[0]
    assert [counts[f"count_{k}"] for k in (1, 2, 3)] == [2, 1, 2]


def test_sav_codes(tmp_path):
    frame = read_responses(make_sav(tmp_path / "s.sav"), labels="codes")
    assert frame["q1"].tolist() == [1, 5, None, None, 3, None]
    assert frame["q2"].tolist() == [1, 2, 3, 3, None, 1]
    assert all(type(v) is int for v in frame["q2"].dropna())
    assert frame.attrs["user_missing"] == {"q1": 2}
    assert frame.attrs["value_labels"]["q2"] == {1: "Never", 2: "Sometimes", 3: "Always"}


def test_sav_declared_missing_labels_and_codes_back(tmp_path):
    from wai.input.readers import labelled_codes

    frame = read_responses(make_sav(tmp_path / "s.sav"))
    assert frame.attrs["missing_labels"] == {"q1": ["Don't know"]}  # the label of the declared code 9
    back = labelled_codes(frame, ["q1", "q2"])
    assert back["q1"].tolist() == [1, 5, "Don't know", None, 3, "Don't know"]  # user-missing stays its label
    assert back["q2"].tolist() == [1, 2, 3, 3, None, 1]
    assert frame["q1"].tolist()[0] == "Very Low"  # the frame read is not changed
    unlabelled = pd.DataFrame({"q": ["a"]})
    assert labelled_codes(unlabelled, ["q"]) is unlabelled


def test_sav_missing_range_without_label_is_none(tmp_path):
    data = pd.DataFrame({"q": [1.0, 98.0, 99.0, 2.0]})
    pyreadstat.write_sav(data, str(tmp_path / "r.zsav"), compress=True,
                         variable_value_labels={"q": {1: "No", 2: "Yes", 99: "Refused"}},
                         missing_ranges={"q": [{"lo": 97, "hi": 99}]})
    frame = read_responses(tmp_path / "r.zsav")
    assert frame["q"].tolist() == ["No", None, "Refused", "Yes"]
    assert frame.attrs["user_missing"] == {"q": 2}


def test_dta_value_labels(tmp_path):
    data = pd.DataFrame({"q1": [3, 1, 2, 2, 1], "q2": [1.0, 4.0, np.nan, 2.0, 3.0]})
    pyreadstat.write_dta(data, str(tmp_path / "s.dta"), column_labels=["How often", None],
                         variable_value_labels={"q1": OFTEN_LABELS, "q2": LEVEL5_LABELS})
    frame = read_responses(tmp_path / "s.dta")
    assert frame["q1"].tolist() == ["Always", "Never", "Sometimes", "Sometimes", "Never"]
    assert frame["q2"].tolist() == ["Very Low", "High", None, "Low", "Neutral"]
    assert frame.attrs["source_rows"].tolist() == [2, 3, 4, 5, 6]
    assert frame.attrs["user_missing"] == {}
    assert frame.attrs["variable_labels"] == {"q1": "How often"}
    codes = read_responses(tmp_path / "s.dta", labels="codes")
    assert codes["q1"].tolist() == [3, 1, 2, 2, 1] and codes["q2"].tolist() == [1, 4, None, 2, 3]


def test_dta_extended_missing_values(tmp_path):
    # .a is labelled, .b is not; the system-missing values after them must stay missing
    data = pd.DataFrame({"q": [1, 2, "a", None, 3, "b", None]}, dtype=object)
    pyreadstat.write_dta(data, str(tmp_path / "m.dta"), missing_user_values={"q": ["a", "b"]},
                         variable_format={"q": "%9.0g"},
                         variable_value_labels={"q": {**OFTEN_LABELS, "a": "Don't know"}})
    frame = read_responses(tmp_path / "m.dta")
    assert frame["q"].tolist() == ["Never", "Sometimes", "Don't know", None, "Always", None, None]
    assert frame.attrs["user_missing"] == {"q": 2}
    codes = read_responses(tmp_path / "m.dta", labels="codes")
    assert codes["q"].tolist() == [1, 2, None, None, 3, None, None]


def test_damaged_spss_and_stata_files(tmp_path):
    for name, software in [("bad.sav", "SPSS"), ("bad.dta", "Stata")]:
        [problem] = problems_of(write(tmp_path, name, b"not a data file at all"))
        assert software in problem.expected and problem.file == str(tmp_path / name)


# ---------------------------------------------------------------------------
# properties

_chars = st.characters(codec="utf-8", exclude_characters="\x00\ufeff")
_cell_text = st.text(_chars, max_size=12)
_messy_cell = st.one_of(
    _cell_text,
    st.sampled_from(["", " ", '"', '""', '"a,b"', '"x\ny"', "a;b", "|", "\t", "\r", "\n", "'",
                     "é", "\ufeff"]),
)


@st.composite
def messy_csv(draw):
    sep = draw(st.sampled_from(list(",;\t|")))
    quote_all = draw(st.booleans())
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 5)) == 0:
            lines.append("")
            continue
        cells = draw(st.lists(_messy_cell, max_size=5))
        if quote_all:
            cells = ['"' + c.replace('"', '""') + '"' for c in cells]
        lines.append(sep.join(cells))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = ending.join(lines) + draw(st.sampled_from(["", ending]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=8)) + data[at:]
    return data


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("hypothesis")


@settings(max_examples=200, deadline=None)
@given(data=messy_csv(),
       encoding=st.sampled_from([None, None, None, "cp1252", "latin-1", "utf-16"]),
       delimiter=st.sampled_from([None, None, None, ",", ";", "\t", "|"]))
def test_messy_csv_gives_a_frame_or_an_input_error(scratch, data, encoding, delimiter):
    path = scratch / "messy.csv"
    path.write_bytes(data)
    try:
        frame = read_responses(path, encoding=encoding, delimiter=delimiter)
    except InputError as error:
        assert error.problems and all(p.file == str(path) for p in error.problems)
        event("InputError")
        return
    event("frame")
    assert len(frame.attrs["source_rows"]) == len(frame) > 0
    assert list(frame.attrs["source_rows"]) == sorted(set(frame.attrs["source_rows"]))
    assert min(frame.attrs["source_rows"]) >= 2
    assert frame.columns.is_unique and all(name and name == name.strip() for name in frame.columns)
    cells = frame.to_numpy().ravel()
    assert all(v is None or (isinstance(v, str) and v and v == v.strip()) for v in cells)


@st.composite
def clean_table(draw):
    width = draw(st.integers(1, 4))
    name = st.text(_chars, min_size=1, max_size=6).map(str.strip).filter(bool)
    header = draw(st.lists(name, min_size=width, max_size=width, unique=True))
    row = st.lists(_cell_text, min_size=width, max_size=width)
    rows = draw(st.lists(row, min_size=1, max_size=5))
    return header, rows


@settings(max_examples=100, deadline=None)
@given(table=clean_table(), sep=st.sampled_from(list(",;\t|")), bom=st.booleans(),
       ending=st.sampled_from(["\n", "\r\n"]))
def test_written_csv_reads_back(scratch, table, sep, bom, ending):
    header, rows = table
    buffer = io.StringIO()
    # csv.writer quotes a lone "\r" only when the line terminator holds one
    quoting = csv.QUOTE_MINIMAL if ending == "\r\n" else csv.QUOTE_ALL
    writer = csv.writer(buffer, delimiter=sep, lineterminator=ending, quoting=quoting)
    writer.writerows([header] + rows)
    path = scratch / "clean.csv"
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode("utf-8"))
    kept = [(number, [c.strip() or None for c in row]) for number, row in enumerate(rows, start=2)]
    kept = [(number, row) for number, row in kept if any(row)]
    if not kept:
        with pytest.raises(InputError):
            read_responses(path, delimiter=sep)
        return
    frame = read_responses(path, delimiter=sep)
    assert list(frame.columns) == header
    assert rows_of(frame) == [row for _, row in kept]
    assert frame.attrs["source_rows"].tolist() == [number for number, _ in kept]


def test_numeric_scale_on_a_labelled_file_counts_its_codes_from_a_path(tmp_path):
    """wai.score(path, numeric scale) on a labelled .sav counts the codes, as the CLI does: q1 holds
    codes 1, 5, 3 (WAI (0 + 4 + 2) / (3 * 4) = 1/2), two user-missing 9s (non-scale) and one blank."""
    import wai
    from wai.scales import LikertScale

    path = make_sav(tmp_path / "s.sav")
    scored = wai.score(path, ["q1"], LikertScale.numeric(1, 5)).iloc[0]
    assert (scored["n"], scored["n_nonscale"], scored["n_blank"], scored["wai_exact"]) == (3, 2, 1, "1/2")
