"""``python -m wai.validate``: readable text, JSON, exit 0/1/2 and messages naming file, row and column."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wai.cli.validate import main, parse_bands

PUBLISHED = Path(__file__).resolve().parents[1] / "data" / "raw" / "chapter11" / "published"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_chapter11_tables_exit_1_with_json_findings(capsys):
    code, out, _ = run(capsys, *sorted(PUBLISHED.glob("*.csv")), "--json")
    assert code == 1
    findings = json.loads(out)["findings"]
    assert set(findings[0]) == {"table", "row", "item", "check", "status", "detail", "consistent_n"}
    size = [f for f in findings if f["table"] == "figure1.csv" and f["check"] == "sample_size"][0]
    assert size["status"] == "inconsistent" and size["consistent_n"][:2] == [47, 94]
    assert all(f["status"] in {"ok", "note", "inconsistent"} for f in findings)


def test_consistent_table_exits_0_with_readable_text(tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text("item,wai,band\nGovernment,0.64,High\nPeople,0.47,Medium\n")
    code, out, _ = run(capsys, table, "--n", "99")
    assert code == 0
    assert out.splitlines()[0] == "t.csv"
    assert "row 2" in out and "granularity" in out and "printed 'Medium' is a synonym" in out
    assert out.rstrip().endswith("5 checks: 0 inconsistent, 1 notes, 4 ok")


def test_impossible_value_exits_1(tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text("item,wai\nq1,0.45\n")
    code, out, _ = run(capsys, table, "--n", "3")
    assert code == 1 and "inconsistent" in out and "0.42 (5/12) and 0.50 (1/2)" in out


@pytest.mark.parametrize("content, fragment", [
    ("item,wai,n\nq1,0.60,99\nq2,0.6o,99\n", "t.csv, row 3, column 'wai': got '0.6o'"),
    ("", "t.csv: got 'an empty file'"),
    ("what,value\na,1\n", "t.csv, row 1"),
    ("item,wai,count_1,count_3\nq,0.5,1,1\n", "count_1 .. count_K with no gaps"),
])
def test_unreadable_input_exits_2_naming_the_place(tmp_path, capsys, content, fragment):
    table = tmp_path / "t.csv"
    table.write_text(content)
    code, out, err = run(capsys, table)
    assert code == 2 and out == "" and fragment in err and "Traceback" not in err


def test_missing_file_and_bad_options_exit_2(tmp_path, capsys):
    code, _, err = run(capsys, tmp_path / "nope.csv")
    assert code == 2 and "nope.csv" in err
    table = tmp_path / "t.csv"
    table.write_text("item,wai\nq1,0.5\n")
    assert run(capsys, table, "--n", "0")[0] == 2
    assert run(capsys, table, "--bands", "Low:0.0-0.5,High")[0] == 2


def test_parse_bands():
    assert parse_bands("chapter11").labels[2] == "Neutral"
    scheme = parse_bands("Low:1.0-3.0,High:3.1-5.0")
    assert scheme.classify("3.05") == "High" and scheme.decimals == 1


def test_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "wai.validate", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "distribution table" in done.stdout and "RuntimeWarning" not in done.stderr


def test_chapter11_table1_as_pasted_exits_0_with_the_naming_note(tmp_path, capsys):
    from test_pasted import CHAPTER11_TABLE1  # ../shared/chapter11/chapter11.txt lines 100-110 as they stand

    table = tmp_path / "table1.txt"
    table.write_text(CHAPTER11_TABLE1, encoding="utf-8")
    code, out, err = run(capsys, table)
    assert code == 0 and err == ""
    assert "printed 'Medium' is a synonym of the scheme's 'Neutral'" in out
    assert "header 'OA' read as the band column (overall assessment)" in out
    assert "'(n=99)' read as n = 99 for every row" in out
    assert out.rstrip().endswith("0 inconsistent, 12 notes, 10 ok")


def test_delimiter_decimal_encoding_and_rounding_options(tmp_path, capsys):
    table = tmp_path / "t.txt"
    table.write_bytes("Énoncé;Mean;N\nq1;3,40;10\nq2;3,45;10\n".encode("latin-1"))
    code, out, _ = run(capsys, table, "--delimiter", "semicolon", "--decimal", ",", "--encoding", "latin-1",
                       "--rounding", "up")
    assert code == 1 and "no 10 answers on 5 points give a mean that rounds to 3.45" in out
    assert "header 'Énoncé' read as the item column" in out
    code, out, _ = run(capsys, table, "--delimiter", "semicolon", "--decimal", ",")  # not latin-1 text
    assert code == 2
    csv_table = tmp_path / "m.csv"
    csv_table.write_text("item,mean,n\nq1,2.43,10\n")
    assert run(capsys, csv_table, "--items", "3")[0] == 0  # 73/30 = 2.4333
    assert run(capsys, csv_table, "--rounding", "up+even")[0] == 1
    code, _, err = run(capsys, csv_table, "--rounding", "sideways")
    assert code == 2 and "--rounding" in err
