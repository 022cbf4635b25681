"""Every kind of bad input gives exit 2 and a message naming file, row, column and value; never a traceback.

One small study (a 4-point scale, a codebook and a CSV export) is broken in one way per test and run
through ``python -m wai.report``; raw files are hashed before and after to prove they are never rewritten.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from wai.cli.report import main

CODEBOOK = """
[study]
id = "pulse"
title = "Staff pulse survey"
responses = "export.csv"
respondent_id = "Respondent"

[scale]
labels = ["Never", "Rarely", "Often", "Always"]
non_scale = ["Don't know"]
synonyms = { Sometimes = "Rarely" }

[bands]
ranges = [["Low", "0.00", "0.50"], ["High", "0.51", "1.00"]]

[[fields]]
id = "team"
column = "Team"
categories = ["Sales", "Support"]

[[tables]]
id = "table1"
title = "Pulse"

[[items]]
id = "q1"
column = "How often do you feel informed?"
in = "table1"

[[items]]
id = "q2"
column = "How often do you feel heard?"
in = "table1"
"""

EXPORT = """Respondent,Team,How often do you feel informed?,How often do you feel heard?
r1,Sales,Often,Always
r2,Support,never,  sometimes
r3,Sales,Don't know,Rarely
r4,Support,ALWAYS,
"""


@pytest.fixture
def study(tmp_path):
    folder = tmp_path / "pulse"
    folder.mkdir()
    (folder / "codebook.toml").write_text(CODEBOOK)
    (folder / "export.csv").write_text(EXPORT)
    return folder


def run(study: Path, tmp_path: Path, capsys, monkeypatch) -> tuple[int, str]:
    monkeypatch.chdir(tmp_path)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in study.iterdir()}
    code = main(["--study", str(study), "--out", str(tmp_path / "out")])
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in study.iterdir()}
    assert before == after  # raw input is never rewritten
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_the_clean_study_runs(study, tmp_path, capsys, monkeypatch):
    code, err = run(study, tmp_path, capsys, monkeypatch)
    assert code == 0, err


@pytest.mark.parametrize("kind, change, expected", [
    ("unknown label", ("r1,Sales,Often", "r1,Sales,Oftn"),
     "export.csv, row 2, column 'How often do you feel informed?': got 'Oftn'"),
    ("nearest label suggested", ("r1,Sales,Often", "r1,Sales,Oftn"), "did you mean 'Often'?"),
    ("code out of range", ("r4,Support,ALWAYS", "r4,Support,7"),
     "row 5, column 'How often do you feel informed?': got '7'"),
    ("code out of range, explained", ("r4,Support,ALWAYS", "r4,Support,7"), "code 7 is outside the scale's codes 1..4"),
    ("duplicate respondent id", ("r3,Sales", "r1,Sales"), "row 4, column 'Respondent': got 'r1', expected a respondent id used once"),
    ("missing item column", ("How often do you feel heard?\n", "How often are you heard?\n"),
     "row 1, column 'How often do you feel heard?': expected this column in the header"),
    ("ragged row", ("r2,Support,never,  sometimes", "r2,Support,never,  sometimes,extra"),
     "export.csv, row 3: got '5 cells', expected 4 cells"),
    ("unknown field category", ("r4,Support", "r4,Marketing"), "row 5, column 'Team': got 'Marketing'"),
])
def test_bad_data(study, tmp_path, capsys, monkeypatch, kind, change, expected):
    old, new = change
    export = study / "export.csv"
    export.write_text(EXPORT.replace(old, new))
    code, err = run(study, tmp_path, capsys, monkeypatch)
    assert code == 2, kind
    assert expected in err, (kind, err)
    assert not (tmp_path / "out").exists()


def test_several_problems_are_reported_together(study, tmp_path, capsys, monkeypatch):
    (study / "export.csv").write_text(EXPORT.replace("Often,Always", "Oftn,Alwys").replace("r4,Support,ALWAYS", "r4,Support,9"))
    code, err = run(study, tmp_path, capsys, monkeypatch)
    assert code == 2 and "3 problem(s)" in err
    assert err.index("row 2") < err.index("row 5")


def test_empty_file(study, tmp_path, capsys, monkeypatch):
    (study / "export.csv").write_text("")
    code, err = run(study, tmp_path, capsys, monkeypatch)
    assert code == 2 and "export.csv: got 'an empty file'" in err


def test_unreadable_encoding(study, tmp_path, capsys, monkeypatch):
    (study / "export.csv").write_bytes(EXPORT.replace("Don't know", "Don\u2019t know").encode("cp1252"))
    code, err = run(study, tmp_path, capsys, monkeypatch)
    assert code == 2 and "byte 0x92" in err and "encoding" in err
    # the same file with its encoding declared in the codebook is read, and the curly apostrophe matches
    (study / "codebook.toml").write_text(CODEBOOK.replace('respondent_id = "Respondent"',
                                                          'respondent_id = "Respondent"\nencoding = "cp1252"'))
    code, err = run(study, tmp_path, capsys, monkeypatch)
    assert code == 0, err


@pytest.mark.parametrize("kind, change, expected", [
    ("duplicate label", ('"Often", "Always"]', '"Often", "often"]'), "is already used for another category"),
    ("weights not increasing", ('labels = ["Never", "Rarely", "Often", "Always"]',
                                'labels = ["Never", "Rarely", "Often", "Always"]\nweights = [0, 0.5, 0.4, 1]'),
     "weights must increase"),
    ("item in an unknown table", ('in = "table1"\n\n[[items]]', 'in = "table9"\n\n[[items]]'),
     "key 'items[0].in': got 'table9'"),
    ("duplicate item id", ('id = "q2"', 'id = "q1"'), "key 'item id': got 'q1'"),
    ("responses outside the study folder", ('responses = "export.csv"', 'responses = "../export.csv"'),
     "codebook paths may not point outside the study folder"),
    ("band scheme with a gap", ('["High", "0.51", "1.00"]', '["High", "0.55", "1.00"]'), "contiguous"),
    ("not TOML", ("[study]", "[study"), "valid TOML"),
])
def test_codebook_errors(study, tmp_path, capsys, monkeypatch, kind, change, expected):
    old, new = change
    (study / "codebook.toml").write_text(CODEBOOK.replace(old, new))
    code, err = run(study, tmp_path, capsys, monkeypatch)
    assert code == 2, kind
    assert "codebook.toml" in err and expected in err, (kind, err)
