"""``wai.init``: recognise a survey export's columns, draft a codebook that loads and runs."""

from __future__ import annotations

import csv
import hashlib
import random
import re
import tempfile
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wai.study.draft import KINDS, draft_codebook, recognise, slug
from wai.cli.init import main
from wai.input.readers import read_responses
from wai.scales import normalize_label
from wai.study.schema import SECTIONS
from wai.study import load_study
from wai.study.tidy import check_responses

GRID = "How much do you trust the following institutions?"
ROWS = ["The government", "The courts", "The police", "Local councils"]
SATISFIED = "Overall, how satisfied are you with public services?"
CONFIDENCE = "How much confidence do you have in the future of the economy?"
OFTEN = "How often do you contact a public office?"
COMMENT = "Any other comments?"
HEADER = (["Respondent ID", "Gender", "Age group"] + [f"{GRID} [{r}]" for r in ROWS]
          + [SATISFIED, CONFIDENCE, OFTEN, COMMENT])
# answers as exports write them: mixed case, stray spaces, curly and straight apostrophes
LEVEL_ANSWERS = ["Very low", "low", " LOW", "Medium", "High", "very HIGH", "Very  high", "Don't know",
                 "don\u2019t know", ""]
OFTEN_ANSWERS = ["Never", "rarely", "Sometimes", "OFTEN", "Always", "Not applicable"]
N = 40


def export_rows() -> list[list[str]]:
    rng = random.Random(11)
    rows = []
    for i in range(N):
        comment = "" if i % 4 == 0 else f"Respondent {i} says: {rng.choice(['more buses', 'ok', 'slow'])} please"
        rows.append([f"R{i + 1:03d}", ["Female", "Male", "female ", "Prefer not to say"][i % 4],
                     ["30-44", "18-29", "65+", "45-64"][i % 4 if i < 4 else rng.randrange(4)]]
                    + [rng.choice(LEVEL_ANSWERS) for _ in range(6)] + [OFTEN_ANSWERS[i % 6], comment])
    return rows


def write_export(path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER] + export_rows())
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def export(tmp_path) -> Path:
    return write_export(tmp_path / "export.csv")


@pytest.fixture
def study(tmp_path, export, capsys):
    folder = tmp_path / "trust_survey"
    code, out, err = run(capsys, export, "--out", folder)
    assert code == 0, err
    return folder, out


# -- recognition -------------------------------------------------------------

def test_recognition_per_column(export):
    rec = recognise(read_responses(export))
    assert rec.kinds() == {
        "Respondent ID": "id", "Gender": "demographic", "Age group": "demographic",
        **{f"{GRID} [{r}]": "item" for r in ROWS}, SATISFIED: "item", CONFIDENCE: "item",
        OFTEN: "item", COMMENT: "other",
    }
    assert rec.n_rows == N and rec.respondent_id == "Respondent ID"
    assert rec.scale_name == "level5" and list(rec.scales) == ["level5", "frequency5"]
    assert [normalize_label(x) for x in rec.scale.labels] == ["very low", "low", "medium", "high", "very high"]
    assert {normalize_label(a) for a, _ in rec.scale.synonyms} >= {"neutral", "moderate"}
    # the non-scale answers seen come first (as first spelt), then the defaults
    assert rec.scale.non_scale[:1] == ("Don't know",)
    grid = rec[f"{GRID} [The police]"]
    assert (grid.scale, grid.on_study_scale, grid.fits, grid.non_scale) == ("level5", True, ("level5",),
                                                                            ("Don't know",))
    often = rec[OFTEN]
    assert (often.scale, often.on_study_scale, often.non_scale) == ("frequency5", True, ("Not applicable",))
    assert rec["Gender"].categories == ("Female", "Male", "Prefer not to say")  # first appearance
    assert rec["Age group"].categories == ("18-29", "30-44", "45-64", "65+")  # leading numbers: sorted
    assert rec[COMMENT].reason.startswith("free text")
    assert any(COMMENT in note for note in rec.undecided)
    assert any(e.startswith("scale level5: 5 answers shared by 6 columns") for e in rec.evidence)
    table = rec.to_frame()
    assert table.columns.tolist() == ["column", "kind", "scale", "on_study_scale", "fits", "non_scale",
                                      "categories", "n_answered", "n_distinct", "reason"]
    assert set(table["kind"]) <= set(KINDS) and len(table) == len(HEADER)


@pytest.mark.parametrize("answers, scale", [
    (["Strongly disagree", "AGREE", "neutral", "Disagree", "Strongly agree", "No opinion"], "agreement5"),
    (["never", "Rarely", "sometimes", "often", "always"], "frequency5"),
    (["Very dissatisfied", "satisfied", "Neither satisfied nor dissatisfied", "Dissatisfied", "very satisfied",
      "REFUSED"], "satisfaction5"),
    (["Very Low", "moderate", "high", "low", "very high", "n/a"], "level5"),
    (["0", "3", "10", "Don't know"], "numeric_0_10"),
])
def test_each_known_scale_is_recognised(answers, scale):
    rec = recognise(pd.DataFrame({"q rating": answers * 3}))
    assert rec["q rating"].kind == "item" and rec.scale_name == scale


def test_non_scale_answers_in_any_case_and_apostrophe():
    frame = pd.DataFrame({"q": ["Agree", "DONT KNOW", "don\u2019t know", "Prefer Not To Say", "Disagree",
                                "N/A"] * 2})
    assert recognise(frame)["q"].non_scale == ("DONT KNOW", "Prefer Not To Say", "N/A")


def test_each_battery_gets_its_scale_and_ambiguous_columns_follow_the_majority_family():
    frame = pd.DataFrame({
        "a": ["Agree", "Disagree", "Strongly agree"], "b": ["agree", "neutral", "Strongly disagree"],
        "c": ["Neutral", "Neutral", "Neutral"],  # fits agreement, satisfaction, likelihood, accuracy and level
        "d": ["Never", "Often", "Sometimes"],
    })
    rec = recognise(frame)
    assert rec.scale_name == "agreement5" and list(rec.scales) == ["agreement5", "frequency3"]
    assert "satisfaction5" in rec["c"].fits and rec["c"].scale == "agreement5"
    assert rec["d"].scale == "frequency3" and rec["d"].on_study_scale
    assert any("fit the" in n for n in rec.undecided) or rec["c"].scale == "agreement5"


def test_a_typo_leaves_the_column_undecided_with_a_suggestion():
    frame = pd.DataFrame({"q": ["Agree", "Disagree", "Strongly agree", "Agre", "Agree"] * 2})
    col = recognise(frame)["q"]
    assert col.kind == "other"
    assert "'Agre' (did you mean 'Agree'?)" in col.reason


def test_numbers_need_three_values_or_a_header_that_says_so():
    rec = recognise(pd.DataFrame({"Smoker": [0, 1, 1] * 10, "Rating of the course": [1, 2, 2] * 10,
                                  "Age": list(range(20, 35)) * 2}))
    assert rec["Smoker"].kind == "demographic"
    assert rec["Rating of the course"].kind == "item" and rec.scale_name == "numeric_1_2"
    assert rec["Age"].kind == "other" and "more than 11 points" in rec["Age"].reason


# -- ids ---------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    (SATISFIED, "satisfied_public_services"),
    ("To what degree does China's aid contribute to growth?", "china_aid_contribute_growth"),
    ("Q1 How useful was the training? (1-7)", "q1_useful_training"),
    ("Gender", "gender"), ("Yes/No", "yes_no"), ("2. Age", "q2_age"), ("???", "x"),
    ("Ça va très bien aujourd'hui, merci beaucoup", "ca_va_tres_bien"),
    ("Internationalisation of comprehensive multidisciplinary programmes", "internationalisation"),
])
def test_slug(text, expected):
    assert slug(text) == expected
    assert len(slug(text)) <= 30


def test_ids_are_unique_and_grids_become_one_figure_each():
    frame = pd.DataFrame({
        "How much do you trust the following? [The press]": ["High"] * 3,
        "How much do you trust the following? [The Press ]": ["Low"] * 3,
        "How much do you use the following? [The press]": ["High"] * 3,
        "How much do you use the following? [Radio]": ["High"] * 3,
        "Trust rating?": ["Low"] * 3, "Trust rating!": ["Low"] * 3, "q_253": ["Low"] * 3, "Q_1904": ["High"] * 3,
    })
    text = draft_codebook(frame, data_name="x.csv")
    data = tomllib.loads(text)
    assert [i["id"] for i in data["items"]] == ["trust_press", "trust_press_2", "use_press", "use_radio",
                                                "trust_rating", "trust_rating_2"]
    # identifiers stay as they are (lower case): fields here, as Low/High under a header that says no rating
    assert [f["id"] for f in data["fields"]] == ["q_253", "q_1904"]
    assert [(f["id"], f["title"]) for f in data["figures"]] == [
        ("figure1", "How much do you trust the following?"), ("figure2", "How much do you use the following?")]
    assert [i["in"] for i in data["items"]] == ["figure1"] * 2 + ["figure2"] * 2 + ["table1"] * 2


def test_blank_cells_are_the_packages_blanks():
    frame = pd.DataFrame({"empty": [None, "  ", float("nan"), np.float32("nan"), pd.NA, "\t"],
                          "q": ["Agree", " ", "Disagree", None, "Agree", "Agree"]})
    rec = recognise(frame)
    assert rec["empty"].kind == "other" and rec["empty"].reason == "no answers (every cell blank)"
    assert rec["q"].n_answered == 4


# -- the command -------------------------------------------------------------

def test_draft_loads_and_says_what_it_found(study, export):
    folder, _ = study
    s = load_study(folder)
    assert s.id == "trust_survey" and s.title == "TODO: title"
    assert s.responses == (folder / "export.csv").resolve() and s.respondent_id == "Respondent ID"
    assert [normalize_label(x) for x in s.scale.labels] == ["very low", "low", "medium", "high", "very high"]
    assert "Don't know" in s.scale.non_scale
    assert s.scales["frequency5"].labels == ("Never", "rarely", "Sometimes", "OFTEN", "Always")
    ids = [i.id for i in s.items]
    assert ids == ["trust_government", "trust_courts", "trust_police", "trust_local_councils",
                   "satisfied_public_services", "confidence_future_economy", "often_contact_public_office"]
    assert len(set(ids)) == len(ids) and all(len(i) <= 30 for i in ids)
    assert [(d.id, d.kind, d.is_table, d.title) for d in s.displays] == [
        ("figure1", "wai", False, GRID), ("table1", "wai", True, "Items on the level5 (Very low .. Very high) scale"),
        ("table2", "wai", True, "Items on the frequency5 (Never .. Always) scale")]
    assert s.items[-1].scale == "frequency5" and s.items_in("table2") == (s.items[-1],)
    assert [i.wording for i in s.items_in("figure1")] == ROWS
    assert [i.column for i in s.items_in("table1")] == [SATISFIED, CONFIDENCE]
    assert [(f.id, f.column, f.categories, f.compare) for f in s.fields] == [
        ("gender", "Gender", ("Female", "Male", "Prefer not to say"), False),
        ("age_group", "Age group", ("18-29", "30-44", "45-64", "65+"), False)]
    check_responses(read_responses(s.responses), s)  # every answer reads on the drafted scale
    text = (folder / "codebook.toml").read_text(encoding="utf-8")
    assert text.startswith("# codebook.toml: a DRAFT written by `python -m wai.init`")
    # the frequency item is on its own scale, a [[scales]] entry
    assert f'column = "{OFTEN}"' in text and 'scale = "frequency5"' in text and "[[scales]]" in text
    assert '["Very Low", "0.00", "0.20"]' in text


def test_the_draft_writes_schema_keys_with_the_schema_help(study):
    folder, _ = study
    text = (folder / "codebook.toml").read_text(encoding="utf-8")
    section, written = None, set()
    for line in text.splitlines():
        line = line.removeprefix("# ")  # items and figures left out are written commented out
        if head := re.fullmatch(r"\[\[?(\w+)\]\]?", line.strip()):
            section = head.group(1)
        elif (key := re.match(r"(\w+) = ", line)) and section is not None:
            written.add((section, key.group(1)))
    known = {(s.name, k.name) for s in SECTIONS.values() for k in s.keys}
    assert written and written <= known, written - known
    assert ("study", "respondent_id") in written and ("figures", "kind") in written
    assert 'notes = ""   # how the survey was run: sample, mode, dates' in text
    assert "compare = false   # true: the report compares every item across these groups" in text
    assert SECTIONS["study"].key("notes").help == "how the survey was run: sample, mode, dates"


def test_data_copied_unchanged_and_original_untouched(tmp_path, export, capsys):
    before = sha(export)
    code, _, _ = run(capsys, export, "--out", tmp_path / "s")
    assert code == 0
    assert sha(tmp_path / "s" / "export.csv") == before == sha(export)


def test_undecided_is_listed_in_the_codebook_and_on_the_terminal(study):
    folder, out = study
    text = (folder / "codebook.toml").read_text(encoding="utf-8")
    block = text[text.index("# Undecided"):text.index("\n[study]\n")]
    assert f"column '{COMMENT}': free text" in block
    assert f"column '{COMMENT}': free text" in out
    assert "40 rows, 11 columns" in out
    assert "items: 7 (6 on scale level5; 1 on scale frequency5)" in out
    assert "demographics: Gender (3 categories), Age group (4 categories)" in out
    assert f"python -m wai.report --study {folder}" in out


def test_report_runs_after_one_edit(study):
    from wai.cli.report import main as report

    folder, _ = study
    codebook = folder / "codebook.toml"
    codebook.write_text(codebook.read_text(encoding="utf-8").replace('"TODO: title"', '"Trust in institutions"'),
                        encoding="utf-8")
    reports = folder.parent / "reports"  # outside the study folder: raw data are never written
    assert report(["--study", str(folder), "--out", str(reports), "--derived", str(folder.parent / "derived")]) == 0
    for name in ("figure1.png", "figure1.svg", "figure1.csv", "table1.csv", "table1.md", "table2.csv"):
        assert (reports / name).stat().st_size > 0
    assert not (reports / "reproduction.md").exists()  # nothing published: no reproduction
    assert pd.read_csv(reports / "table1.csv")["item"].tolist() == ["satisfied_public_services",
                                                                    "confidence_future_economy"]
    assert pd.read_csv(reports / "figure1.csv")["item"].tolist() == ["trust_government", "trust_courts",
                                                                     "trust_police", "trust_local_councils"]
    page = (reports / "index.html").read_text()
    assert "Trust in institutions" in page and "llustrative" not in page and "Reproduction" not in page


def test_second_run_refuses_unless_forced(study, export, capsys):
    folder, _ = study
    codebook = folder / "codebook.toml"
    edited = codebook.read_text(encoding="utf-8").replace('"TODO: title"', '"Edited"')
    codebook.write_text(edited, encoding="utf-8")
    code, out, err = run(capsys, export, "--out", folder)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and "already exists" in err and "--force" in err
    assert codebook.read_text(encoding="utf-8") == edited
    code, _, _ = run(capsys, export, "--out", folder, "--force")
    assert code == 0 and 'title = "TODO: title"' in codebook.read_text(encoding="utf-8")


def test_a_different_file_of_the_same_name_is_not_replaced(tmp_path, export, capsys):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "export.csv").write_text("other", encoding="utf-8")
    code, _, err = run(capsys, export, "--out", folder)
    assert code == 1 and "differs" in err and not (folder / "codebook.toml").exists()
    assert (folder / "export.csv").read_text(encoding="utf-8") == "other"


def test_data_already_in_the_folder_is_used_in_place(tmp_path, capsys):
    folder = tmp_path / "s"
    folder.mkdir()
    data = write_export(folder / "export.csv")
    before = sha(data)
    code, out, _ = run(capsys, data, "--out", folder)
    assert code == 0 and "already in" in out
    assert load_study(folder).responses == data.resolve() and sha(data) == before
    assert sorted(p.name for p in folder.iterdir()) == ["codebook.toml", "export.csv"]


def test_numeric_1_to_7_export(tmp_path, capsys):
    rng = random.Random(5)
    rows = [["id", "Q1 The course was useful", "Q2 The pace was right", "Q3 I would recommend it", "Dept"]]
    rows += [[str(i), str(rng.randint(1, 7)), str(rng.randint(2, 7)), rng.choice(["1", "4", "7", "N/A"]),
              rng.choice(["Sales", "IT"])] for i in range(30)]
    path = tmp_path / "course.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    rec = recognise(read_responses(path))
    assert rec.scale_name == "numeric_1_7"
    assert {c.column: (c.kind, c.scale) for c in rec.columns} == {
        "id": ("id", None), "Q1 The course was useful": ("item", "numeric_1_7"),
        "Q2 The pace was right": ("item", "numeric_1_7"), "Q3 I would recommend it": ("item", "numeric_1_7"),
        "Dept": ("demographic", None)}
    code, _, _ = run(capsys, path, "--out", tmp_path / "course")
    assert code == 0
    s = load_study(tmp_path / "course")
    assert s.scale.points == 7 and s.scale.codes == (1, 2, 3, 4, 5, 6, 7) and "N/A" in s.scale.non_scale
    assert [i.id for i in s.items] == ["q1_course_useful", "q2_pace_right", "q3_recommend"]
    text = (tmp_path / "course" / "codebook.toml").read_text(encoding="utf-8")
    assert "numeric = [1, 7]" in text and "K = 7 points (1..7) was inferred from the answers seen" in text
    check_responses(read_responses(s.responses), s)


def test_xlsx_export(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Responses")
    for row in [HEADER] + export_rows():
        sheet.append([cell if cell != "" else None for cell in row])
    path = tmp_path / "export.xlsx"
    book.save(path)
    code, out, err = run(capsys, path, "--out", tmp_path / "x", "--sheet", "1")
    assert code == 0, err
    s = load_study(tmp_path / "x")
    assert s.sheet == "Responses" and s.responses.name == "export.xlsx"
    assert [i.id for i in s.items][:4] == ["trust_government", "trust_courts", "trust_police",
                                           "trust_local_councils"]
    assert len(s.items) == 7 and [f.id for f in s.fields] == ["gender", "age_group"]
    frame = read_responses(s.responses, sheet=s.sheet)
    check_responses(frame, s)
    assert f"column '{COMMENT}'" in out


def test_unreadable_input_exits_2(tmp_path, capsys):
    code, out, err = run(capsys, tmp_path / "missing.csv", "--out", tmp_path / "s")
    assert code == 2 and out == "" and err.startswith("error: ") and "missing.csv" in err
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("id,q1\n1,High\n2,Low,extra,cells\n", encoding="utf-8")
    code, _, err = run(capsys, ragged, "--out", tmp_path / "s")
    assert code == 2 and "ragged.csv" in err and "row 3" in err and "Traceback" not in err
    assert not (tmp_path / "s").exists()


# -- any export gives a draft that loads ---------------------------------------

_header = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda h: h.strip() == h and h != "")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headers=st.lists(_header, min_size=1, max_size=5, unique=True), data=st.data())
def test_any_draft_loads(headers, data):
    labels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree",
              "Don't know", None]
    frame = pd.DataFrame({h: data.draw(st.lists(st.sampled_from(labels), min_size=4, max_size=4))
                          for h in headers})
    text = draft_codebook(frame, data_name="answers.csv")
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "codebook.toml").write_text(text, encoding="utf-8")
        s = load_study(folder)
    rec = recognise(frame)
    active = [c.column for c in rec.columns if c.on_study_scale]
    assert [i.column for i in s.items] == active
    assert all(len(i.id) <= 30 for i in s.items) and len({i.id for i in s.items}) == len(s.items)
