"""The codebook loader: the chapter 11 codebook, and every kind of codebook error."""

from __future__ import annotations

from pathlib import Path

import pytest

from wai.errors import CodebookError
from wai.study import load_study

ROOT = Path(__file__).resolve().parents[1]
CHAPTER11 = ROOT / "data" / "raw" / "chapter11"

MINIMAL = """
[study]
id = "mini"
responses = "answers.csv"
[scale]
labels = ["Never", "Sometimes", "Often"]
[[tables]]
id = "table1"
title = "Use"
[[items]]
id = "q1"
column = "How often?"
in = "table1"
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "codebook.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_chapter11_codebook_has_the_published_numbers():
    s = load_study(CHAPTER11)
    assert s.id == "chapter11" and s.reconstruction and s.seed == 11
    assert s.scale.labels == ("Very Low", "Low", "Neutral", "High", "Very High")
    assert [str(w) for w in s.scale.weights] == ["0", "1/4", "1/2", "3/4", "1"]
    assert s.bands.labels == ("Very Low", "Low", "Neutral", "High", "Very High")
    assert s.bands.canonical("Medium") == "Neutral"
    table1 = s.items_in("table1")
    assert [i.published_wai for i in table1] == ["0.60", "0.64", "0.59", "0.67", "0.47"]
    assert [i.published_band for i in table1] == ["Medium", "High", "Medium", "High", "Medium"]
    assert len(s.items_in("figure2")) == 6 and len(s.items_in("figure3")) == 7
    assert all(i.target_status == "illustrative" for i in s.items if i.display != "table1")
    occupation = [p.value for p in s.published if p.field == "occupation"]
    assert occupation == ["27.7", "19.1", "19.1", "17.0", "12.8", "4.3"]
    assert {p.value for p in s.published if p.quantity == "n"} == {"99", "100"}
    assert s.display("table1").label == "Table 1"


def test_minimal_codebook_defaults(tmp_path):
    s = load_study(write(tmp_path, MINIMAL))
    assert s.scale.points == 3 and s.rule == "rounded"
    assert s.bands.labels[0] == "Very Low"  # chapter 11's bands are the default
    assert s.responses == (tmp_path / "answers.csv").resolve()
    assert s.items[0].target_status == "illustrative"


@pytest.mark.parametrize(
    "change, column, fragment",
    [
        (("in = \"table1\"", "in = \"table9\""), "items[0].in", "figure/table ids"),
        (("responses = \"answers.csv\"", "responses = \"../../etc/passwd\""), "study.responses",
         "inside the study folder"),
        (("labels = [\"Never\", \"Sometimes\", \"Often\"]", "labels = [\"Never\"]"), "scale", "at least 2"),
        (("id = \"mini\"", "id = 3"), "study.id", "text"),
        (("column = \"How often?\"", "column = \"How often?\"\npublished_wai = \"high\""),
         "items[0].published_wai", "printed"),
        (("column = \"How often?\"", "column = \"How often?\"\npublished_band = \"Huge\""),
         "items[0].published_band", "bands"),
        (("id = \"mini\"", "id = \"mini\"\ntitel = \"Typo\""), "study.titel", "did you mean 'title'?"),
        (("[scale]", "[scale]\nnon_scale = \"dk\""), "scale.non_scale", "a list of texts"),
        (("[scale]", "[scale]\nweights = \"01\""), "scale.weights", "a list of numbers"),
        (("[[tables]]", "[[published]]\nquantity = \"count\"\nvalue = \"3\"\n\n[[tables]]"),
         "published[0].field", "required"),
    ],
)
def test_codebook_errors_name_the_key(tmp_path, change, column, fragment):
    old, new = change
    with pytest.raises(CodebookError) as info:
        load_study(write(tmp_path, MINIMAL.replace(old, new)))
    problems = info.value.problems
    assert any(p.column == column and fragment in (p.expected + p.hint) for p in problems), problems
    assert all(p.file == str(tmp_path / "codebook.toml") for p in problems)


def test_codebook_collects_several_problems_at_once(tmp_path):
    text = MINIMAL.replace('in = "table1"', 'in = "nowhere"') + '\n[[items]]\nid = "q1"\ncolumn = "Other"\nin = "table1"\n'
    with pytest.raises(CodebookError) as info:
        load_study(write(tmp_path, text))
    columns = {p.column for p in info.value.problems}
    assert {"items[0].in", "item id"} <= columns


def test_missing_and_malformed_codebook(tmp_path):
    with pytest.raises(CodebookError, match="codebook.toml"):
        load_study(tmp_path)
    with pytest.raises(CodebookError, match="valid TOML"):
        load_study(write(tmp_path, "[study\nid="))
