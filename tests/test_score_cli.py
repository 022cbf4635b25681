"""``python -m wai.score``: same numbers as the function, tidy CSV, exit 2 on bad input."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from wai.cli.score import main, parse_scale

CSV = """id,q1,q2,group
1,Strongly agree,agree,a
2,AGREE,Disagree,b
3,neutral,Don't know,a
4,,strongly disagree,b
"""
# q1: codes 5,4,3 -> weights 1, .75, .5 -> WAI 2.25/3 = 3/4; q2: 4,2,1 -> .75,.25,0 -> 1/3


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_scores_to_tidy_csv(data, capsys):
    code, out, _ = run(capsys, str(data), "--items", "q1,q2", "--scale", "agreement5")
    assert code == 0
    table = pd.read_csv(io.StringIO(out), dtype={"wai_rounded": str})
    assert table["item"].tolist() == ["q1", "q2"]
    assert table["wai_exact"].tolist() == ["3/4", "1/3"]
    assert table["wai_rounded"].tolist() == ["0.75", "0.33"]
    assert table["band"].tolist() == ["High", "Low"]
    assert table["n"].tolist() == [3, 3] and table["n_blank"].tolist() == [1, 0]
    assert table["n_nonscale"].tolist() == [0, 1]


def test_by_group_keeps_the_column_name(data, capsys):
    code, out, _ = run(capsys, str(data), "--items", "q1", "--scale", "agreement5", "--by", "group")
    table = pd.read_csv(io.StringIO(out), dtype={"wai_rounded": str})
    assert code == 0 and table.columns[0] == "group"
    assert table[["group", "n", "wai_exact"]].values.tolist() == [["a", 2, "3/4"], ["b", 1, "3/4"]]


def test_bad_answer_and_missing_column_exit_2_with_all_problems(data, capsys):
    data.write_text(CSV.replace("AGREE", "agre"), encoding="utf-8")
    code, out, err = run(capsys, str(data), "--items", "q1,q9", "--scale", "agreement5")
    assert code == 2 and out == ""
    assert "column 'q9': expected a column of that name" in err
    assert "survey.csv, row 3, column 'q1': got 'agre'" in err and "did you mean 'Agree'?" in err


def test_missing_file_exits_2(tmp_path, capsys):
    code, _, err = run(capsys, str(tmp_path / "nope.csv"), "--items", "q1")
    assert code == 2 and "nope.csv: expected an existing file" in err


@pytest.mark.parametrize("spec, points, first", [("level5", 5, "Very Low"), ("numeric:0-10", 11, "0"),
                                                  ("labels:Never|Often", 2, "Never")])
def test_parse_scale(spec, points, first):
    scale = parse_scale(spec)
    assert scale.points == points and scale.labels[0] == first


def test_parse_scale_rejects_unknown():
    from wai.errors import OptionError

    with pytest.raises(OptionError, match="numeric:LO-HI") as info:
        parse_scale("likert7")
    assert info.value.option == "scale" and info.value.value == "likert7"
    with pytest.raises(OptionError, match="2 to 20 points"):
        parse_scale("numeric:1-100000000")  # would build 10^8 categories


def test_help_explains_options_with_examples():
    done = subprocess.run([sys.executable, "-m", "wai.score", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    for text in ("--items", "--scale", "--by", "--rule", "examples:", "numeric:1-7"):
        assert text in done.stdout
    assert "RuntimeWarning" not in done.stderr


def test_intervals_and_weights_options(data, capsys, tmp_path):
    weighted = tmp_path / "w.csv"
    # q1 answers 5, 4, 3 (weights 1, 1, 2) -> y = 1, .75, .5; weighted mean = (1 + .75 + 1)/4 = 11/16
    weighted.write_text(CSV.replace("id,q1,q2,group", "id,q1,q2,group,w").replace(",a\n", ",a,1\n", 1)
                        .replace(",b\n", ",b,1\n", 1).replace("Don't know,a", "Don't know,a,2")
                        .replace("strongly disagree,b", "strongly disagree,b,1"))
    code, out, err = run(capsys, str(weighted), "--items", "q1", "--scale", "agreement5", "--weights", "w")
    assert code == 0, err
    row = pd.read_csv(io.StringIO(out)).iloc[0]
    assert row["wai"] == pytest.approx(11 / 16) and row["ci_method"] == "linearization"
    assert row["n_eff"] == pytest.approx(16 / 6)  # (1 + 1 + 2)^2 / (1 + 1 + 4)
    code, out, _ = run(capsys, str(data), "--items", "q1", "--scale", "agreement5", "--ci-method",
                       "multinomial", "--confidence", "0.9", "--n-resamples", "999")
    row = pd.read_csv(io.StringIO(out)).iloc[0]
    assert code == 0 and row["ci_method"] == "multinomial" and row["confidence"] == 0.9
    assert row["ci_low"] <= 0.75 <= row["ci_high"]


def test_on_error_report_scores_clean_rows_and_writes_rejected(data, tmp_path, capsys):
    data.write_text(CSV.replace("AGREE", "agre").replace("neutral", "6"), encoding="utf-8")
    rejected = tmp_path / "rejected.csv"
    code, out, err = run(capsys, str(data), "--items", "q1,q2", "--scale", "agreement5", "--on-error",
                         "report", "--rejected", str(rejected))
    assert code == 0 and "2 of 4 rows rejected" in err
    table = pd.read_csv(io.StringIO(out))
    assert table["n"].tolist() == [1, 2]  # rows 1 and 4 remain: q1 = Strongly agree, blank; q2 = agree, sd
    bad = pd.read_csv(rejected)
    assert bad["row"].tolist() == [3, 4]
    assert "did you mean 'Agree'?" in bad["reasons"][0] and "code 6 is outside" in bad["reasons"][1]


def test_chunksize_streams_with_the_same_result(data, capsys):
    whole = run(capsys, str(data), "--items", "q1,q2", "--scale", "agreement5", "--by", "group")
    for chunk in ("1", "3"):
        streamed = run(capsys, str(data), "--items", "q1,q2", "--scale", "agreement5", "--by", "group",
                       "--chunksize", chunk)
        assert streamed[0] == 0 and streamed[1] == whole[1]
    assert run(capsys, str(data), "--items", "q1", "--chunksize", "0")[0] == 2
