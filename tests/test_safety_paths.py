"""Raw data are read-only, ids are names, and a respondent id is used once (the issue's reproducers).

Every command here runs in a temporary copy of the repository's layout
(``data/raw/chapter11``), never against the real raw data; each refusal is
exit 2 with a one-line message, and a snapshot of the whole temporary tree
taken before and after shows nothing was written.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import wai
from wai.cli import init as init_cli
from wai.cli import reconstruct as reconstruct_cli
from wai.cli import report as report_cli
from wai.cli import score as score_cli
from wai.errors import CodebookError, InputError, OptionError
from wai.io import staged_dir, write_text, writes_within
from wai.paths import check_output, inside, raw_folders
from wai.report.build import build_report
from wai.study import load_study
from wai.study.schema import NAME_PATTERN, SECTIONS, is_name

REPO = Path(__file__).resolve().parents[1]
CHAPTER11 = REPO / "data" / "raw" / "chapter11"
TYPO = "q1,q2\nHigh,Lw\nLow,High\n"  # row 2 has an answer off the scale: --on-error report rejects it


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository layout (data/raw/chapter11, a typo.csv) as the working directory."""
    shutil.copytree(CHAPTER11, tmp_path / "data" / "raw" / "chapter11")
    (tmp_path / "typo.csv").write_text(TYPO)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under ``root``, symlinks not followed."""
    out: dict[str, bytes | None] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            out[os.path.relpath(os.path.join(dirpath, d), root)] = None
        for f in filenames:
            p = os.path.join(dirpath, f)
            out[os.path.relpath(p, root)] = b"link" if os.path.islink(p) else Path(p).read_bytes()
    return out


def refused(main, argv: list[str], root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Run a command that must be refused: exit 2, one line on stderr, nothing written under ``root``."""
    before = snapshot(root)
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert snapshot(root) == before
    return err


# ----------------------------------------------------------------------------- 1. raw data read-only

def test_rejected_onto_raw_responses_is_refused(layout, capsys):
    raw = layout / "data/raw/chapter11/responses.csv"
    lines = len(raw.read_text().splitlines())
    err = refused(score_cli.main, ["typo.csv", "--items", "q1,q2", "--on-error", "report",
                                   "--rejected", "data/raw/chapter11/responses.csv"], layout, capsys)
    assert err == ("error: --rejected: got 'data/raw/chapter11/responses.csv', expected an output outside the raw "
                   "data (it is inside data/raw, which is read-only: raw data are never written)\n")
    assert len(raw.read_text().splitlines()) == lines == 100


def test_rejected_equal_to_the_input_is_refused(layout, capsys):
    err = refused(score_cli.main, ["typo.csv", "--items", "q1,q2", "--on-error", "report", "--rejected",
                                   "./typo.csv"], layout, capsys)
    assert err == ("error: --rejected: got './typo.csv', expected an output that is not an input file "
                   "(it is the input typo.csv, which would be overwritten)\n")
    assert (layout / "typo.csv").read_text() == TYPO


def test_rejected_through_a_symlink_into_raw_data_is_refused(layout, capsys):
    (layout / "link").symlink_to(layout / "data/raw/chapter11", target_is_directory=True)
    err = refused(score_cli.main, ["typo.csv", "--items", "q1,q2", "--on-error", "report",
                                   "--rejected", "link/rejected.csv"], layout, capsys)
    assert "--rejected: got 'link/rejected.csv'" in err and "inside data/raw, which is read-only" in err


def test_rejected_beside_a_study_outside_data_raw_is_refused(layout, capsys):
    study = layout / "elsewhere"
    shutil.copytree(layout / "data/raw/chapter11", study)
    err = refused(score_cli.main, [str(study / "responses.csv"), "--items", "q1", "--on-error", "report",
                                   "--rejected", str(study / "rejected.csv")], layout, capsys)
    assert f"it is inside {study}, which is read-only" in err


def test_rejected_elsewhere_is_written(layout, capsys):
    code = score_cli.main(["typo.csv", "--items", "q1,q2", "--on-error", "report", "--rejected", "out/rej.csv"])
    assert code == 0, capsys.readouterr().err
    assert (layout / "out/rej.csv").read_text().splitlines()[0].startswith("row,reasons,q1,q2")
    assert len((layout / "out/rej.csv").read_text().splitlines()) == 2  # header + the one rejected row


def _table1_study(root: Path) -> Path:
    """A study (outside data/raw) whose responses file is named table1.csv, as an output table is."""
    study = root / "mystudy"
    shutil.copytree(root / "data/raw/chapter11", study)
    (study / "responses.csv").rename(study / "table1.csv")
    codebook = study / "codebook.toml"
    codebook.write_text(codebook.read_text().replace('responses = "responses.csv"', 'responses = "table1.csv"'))
    return study


def test_out_equal_to_the_study_folder_is_refused(layout, capsys):
    study = _table1_study(layout)
    err = refused(report_cli.main, ["--study", "mystudy", "--out", "mystudy", "--derived", "derived"], layout,
                  capsys)
    assert err == ("error: --out: got 'mystudy', expected an output outside the raw data (it is inside "
                   "mystudy, which is read-only: raw data are never written)\n")
    assert load_study(study).responses.name == "table1.csv"


def test_build_report_refuses_the_study_folder_as_out(layout):
    study = _table1_study(layout)
    before = snapshot(layout)
    with pytest.raises(OptionError, match=r"^out: got 'mystudy', expected an output folder that holds no input "
                                          r"\(it holds the input .*mystudy/table1\.csv, which must not be written"):
        build_report(study_dir="mystudy", out="mystudy", derived=layout / "derived")
    with pytest.raises(OptionError, match=r"^derived: got '.*mystudy', expected an output folder that holds no input"):
        build_report(study_dir="mystudy", out=layout / "reports", derived=study)
    assert snapshot(layout) == before


def test_out_holding_the_study_is_refused(layout, capsys):
    _table1_study(layout)
    err = refused(report_cli.main, ["--study", "mystudy", "--out", ".", "--derived", "derived"], layout, capsys)
    assert err == ("error: --out: got '.', expected an output folder that holds no raw data (it holds mystudy, "
                   "which is read-only: raw data are never written)\n")


def test_out_under_data_raw_is_refused(layout, capsys):
    err = refused(report_cli.main, ["--out", "data/raw/chapter11/reports"], layout, capsys)
    assert err == ("error: --out: got 'data/raw/chapter11/reports', expected an output outside the raw data "
                   "(it is inside data/raw/chapter11, which is read-only: raw data are never written)\n")


def test_derived_equal_to_the_raw_study_is_refused(layout, capsys):
    err = refused(report_cli.main, ["--out", "reports", "--derived", "data/raw/chapter11"], layout, capsys)
    assert err.startswith("error: --derived: got 'data/raw/chapter11', expected an output outside the raw data")


def test_out_symlinked_into_raw_data_is_refused(layout, capsys):
    (layout / "reports").symlink_to(layout / "data/raw/chapter11", target_is_directory=True)
    err = refused(report_cli.main, ["--out", "reports", "--derived", "derived"], layout, capsys)
    assert err.startswith("error: --out: got 'reports', expected an output outside the raw data (it is inside "
                          "data/raw/chapter11")


def test_reconstruct_out_onto_the_raw_responses_is_refused(layout, capsys):
    err = refused(reconstruct_cli.main, ["--out", "data/raw/chapter11/responses.csv"], layout, capsys)
    assert err.startswith("error: --out: got 'data/raw/chapter11/responses.csv', expected an output outside the "
                          "raw data (it is inside data/raw/chapter11")


def test_init_never_writes_its_codebook_over_the_export(layout, capsys):
    study = layout / "new"
    study.mkdir()
    (study / "codebook.toml").write_text(TYPO)  # an export that happens to be named codebook.toml
    err = refused(init_cli.main, ["new/codebook.toml", "--out", "new", "--force"], layout, capsys)
    assert err == ("error: --out: got 'new/codebook.toml', expected an output that is not an input file "
                   "(it is the input new/codebook.toml, which would be overwritten)\n")


def test_init_help_recommends_no_report_under_data_raw(capsys):
    with pytest.raises(SystemExit):
        init_cli.main(["--help"])
    text = capsys.readouterr().out
    report_lines = [line for line in text.splitlines() if "wai.report" in line]
    assert report_lines and all("--out data/raw" not in line and "--derived data/raw" not in line
                                for line in report_lines)
    assert "--out data/raw/mystudy" in text  # the study folder init writes may be there


def test_check_output_rules(tmp_path):
    study = tmp_path / "s"
    study.mkdir()
    (study / "codebook.toml").write_text("")
    data = study / "r.csv"
    assert raw_folders(data)[0] == study  # a file beside a codebook.toml: its folder is raw
    assert raw_folders(tmp_path / "x.csv") == [Path("data/raw")]
    assert check_output("--out", tmp_path / "reports", [data], [study], folder=True) == tmp_path / "reports"
    with pytest.raises(OptionError, match="holds the input"):
        check_output("--out", tmp_path, [data], [], folder=True)
    with pytest.raises(OptionError, match="not an input file"):
        check_output("--rejected", study / "." / "r.csv", [data])
    assert check_output("--rejected", tmp_path / "r.csv", [data]) == tmp_path / "r.csv"  # a file may sit anywhere


# ----------------------------------------------------------------------------- 2. ids are names

@pytest.mark.parametrize("section,old,new", [
    ("tables[0].id", 'id = "table1"', 'id = "../escaped"'),
    ("tables[0].id", 'id = "table1"', 'id = "/tmp/escaped_abs"'),
    ("fields[0].id", 'id = "gender"', 'id = "/../../escaped_f"'),
    ("study.id", 'id = "chapter11"', 'id = ".."'),
    ("figures[0].id", 'id = "figure1"', 'id = "a\\\\b"'),
])
def test_an_id_that_is_a_path_is_refused_when_the_codebook_loads(layout, capsys, section, old, new):
    codebook = layout / "data/raw/chapter11/codebook.toml"
    text = codebook.read_text()
    assert old in text
    codebook.write_text(text.replace(old, new, 1))
    err = refused(report_cli.main, ["--out", "out/reports", "--derived", "out/derived"], layout, capsys)
    value = new.split('"')[1].replace("\\\\", "\\")
    assert f"key '{section}': got {value!r}, expected a name of letters, digits, '_', '.' or '-'" in err
    assert "(ids are names, never paths)" in err
    with pytest.raises(CodebookError):
        load_study(layout / "data/raw/chapter11")


def test_the_name_pattern_is_declared_once_and_used_for_every_id_that_names_a_file():
    named = {(s, k.name) for s, sec in SECTIONS.items() for k in sec.keys if k.name_only}
    assert named == {("study", "id"), ("fields", "id"), ("figures", "id"), ("tables", "id"), ("scales", "id")}
    assert NAME_PATTERN.pattern == r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"
    good, bad = ["table1", "figure_2", "a.b-c", "x" * 64], ["", ".", "..", "../x", "/x", "a/b", "x" * 65, "-a",
                                                            "a\x00b", "é"]
    assert [is_name(v) for v in good] == [True] * 4 and not any(is_name(v) for v in bad)


def test_every_staged_write_lands_inside_its_folder(tmp_path):
    out = tmp_path / "reports"
    with pytest.raises(OptionError, match="expected a name that stays inside the folder"):
        with staged_dir(out) as staged:
            write_text(staged / "fine.md", "x")
            write_text(staged / "../escaped.md", "x")
    with pytest.raises(OptionError):
        with staged_dir(out) as staged:
            write_text(staged / "/tmp/escaped_abs.md", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # neither the escape nor the fine file was moved in
    with writes_within(tmp_path / "a", tmp_path / "b"):
        write_text(tmp_path / "b" / "ok.txt", "x")  # any of the open folders
    assert (tmp_path / "b" / "ok.txt").read_text() == "x"
    assert inside(tmp_path, "t.csv") == tmp_path / "t.csv"
    with pytest.raises(OptionError):
        inside(tmp_path, "..")


@pytest.mark.slow  # a whole analysis runs before the first write
def test_a_report_whose_table_id_escapes_is_stopped_at_the_write(layout, monkeypatch):
    """Past the loader (a Study made in code), the write itself refuses the id that escapes."""
    import dataclasses

    from wai.report import build

    study = load_study(layout / "data/raw/chapter11")
    displays = tuple(dataclasses.replace(d, id="../escaped") if d.id == "table1" else d for d in study.displays)
    items = tuple(dataclasses.replace(i, display="../escaped") if i.display == "table1" else i
                  for i in study.items)
    monkeypatch.setattr(build, "load_study", lambda _: dataclasses.replace(study, displays=displays, items=items))
    (layout / "out").mkdir()
    before = snapshot(layout)
    with pytest.raises(OptionError, match=r"got '\.\./escaped\.csv', expected a name that stays inside"):
        build_report(layout / "data/raw/chapter11", layout / "out/reports", layout / "out/derived")
    assert snapshot(layout) == before


# ----------------------------------------------------------------------------- 7. duplicate ids

DUP = "id,q1\nr1,Low\nr2,High\nr1,Low\n"


def test_duplicate_ids_stop_score(layout, capsys):
    (layout / "dup.csv").write_text(DUP)
    err = refused(score_cli.main, ["dup.csv", "--items", "q1"], layout, capsys)
    assert err == "error: dup.csv, row 4, column 'id': got 'r1', expected a respondent id used once (first on row 2)\n"


def test_duplicate_ids_stop_score_even_when_rows_are_rejected(layout, capsys):
    (layout / "dup.csv").write_text(DUP.replace("r2,High", "r2,Hgh"))
    err = refused(score_cli.main, ["dup.csv", "--items", "q1", "--on-error", "report", "--rejected", "rej.csv"],
                  layout, capsys)
    assert "row 4, column 'id': got 'r1'" in err


def test_named_id_column_and_no_id(layout, capsys):
    (layout / "dup.csv").write_text("Case Number,q1\n7,Low\n8,High\n7,Low\n8,Low\n")
    err = refused(score_cli.main, ["dup.csv", "--items", "q1", "--id", "Case Number"], layout, capsys)
    assert err == ("error: 2 problem(s) in the input:\n"
                   "  - dup.csv, row 4, column 'Case Number': got '7', expected a respondent id used once (first on row 2)\n"
                   "  - dup.csv, row 5, column 'Case Number': got '8', expected a respondent id used once (first on row 3)\n")
    assert score_cli.main(["dup.csv", "--items", "q1"]) == 0  # "Case Number" is not an id by name alone
    assert capsys.readouterr().out.splitlines()[1].startswith("q1,4,")
    (layout / "dup.csv").write_text(DUP)
    assert score_cli.main(["dup.csv", "--items", "q1", "--no-id"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("q1,3,")


def test_id_with_chunksize_or_a_missing_column_is_refused(layout, capsys):
    (layout / "dup.csv").write_text(DUP)
    err = refused(score_cli.main, ["dup.csv", "--items", "q1", "--id", "id", "--chunksize", "10"], layout, capsys)
    assert err == ("error: --id: got 'id', expected no --id with --chunksize (duplicate ids are checked on the "
                   "whole file in memory: leave out --chunksize)\n")
    err = refused(score_cli.main, ["dup.csv", "--items", "q1", "--id", "ID"], layout, capsys)
    assert err == ("error: --id: got 'ID', expected a column of dup.csv (its columns are: 'id', 'q1')\n")


def test_score_api_checks_ids():
    frame = pd.DataFrame({"Respondent_ID": ["a", "b", None, "a", None, " b"], "q1": ["Low"] * 6})
    with pytest.raises(InputError) as caught:
        wai.score(frame, ["q1"])
    assert [(p.row, p.column, p.value, p.expected) for p in caught.value.problems] == [
        (5, "Respondent_ID", "a", "a respondent id used once (first on row 2)"),
        (7, "Respondent_ID", " b", "a respondent id used once (first on row 3)")]  # blanks are not ids
    assert int(wai.score(frame, ["q1"], id=False)["n"].iloc[0]) == 6
    assert int(wai.score(frame.iloc[:3], ["q1"])["n"].iloc[0]) == 3
    with pytest.raises(OptionError, match="^id: got 'Respondent_ID', expected no id with a file path"):
        wai.score("survey.csv", ["q1"], id="Respondent_ID")
    with pytest.raises(OptionError, match="^id: got 'rid', expected a column of the data"):
        wai.score(frame, ["q1"], id="rid")
