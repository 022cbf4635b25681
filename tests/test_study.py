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
    assert s.items[0].target_status == "observed"  # nothing published, no target: an observed value


@pytest.mark.parametrize(
    "change, column, fragment",
    [
        (("in = \"table1\"", "in = \"table9\""), "items[0].in", "figure/table ids"),
        (("responses = \"answers.csv\"", "responses = \"../../etc/passwd\""), "study.responses",
         "inside the study folder"),
        (("labels = [\"Never\", \"Sometimes\", \"Often\"]", "labels = [\"Never\"]"), "scale", "at least 2"),
        (("id = \"mini\"", "id = 3"), "study.id", "a name of letters"),
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


# values of the wrong type that the loader once dropped without a word: each is now an error that
# names the key, the value and the type expected
@pytest.mark.parametrize("change, column, value, expected", [
    (('id = "mini"', 'id = "mini"\nrespondent_id = 42'), "study.respondent_id", 42, "a text"),
    (('id = "mini"', 'id = "mini"\nseed = "eleven"'), "study.seed", "eleven", "a whole number"),
    (('id = "mini"', 'id = "mini"\nseed = true'), "study.seed", True, "a whole number"),
    (('id = "mini"', 'id = "mini"\nreconstruction = "yes"'), "study.reconstruction", "yes", "true or false"),
    (('id = "mini"', 'id = "mini"\nnotes = ["a", "b"]'), "study.notes", ["a", "b"], "a text"),
    (('[scale]', '[scale]\nname = 5'), "scale.name", 5, "a text"),
    (('in = "table1"', 'in = "table1"\nreverse = 1'), "items[0].reverse", 1, "true or false"),
    (('title = "Use"', 'title = "Use"\nlabel = 1'), "tables[0].label", 1, "a text"),
    (('title = "Use"', 'title = "Use"\nkind = "distribution"'), "tables[0].kind", "distribution", '"wai"'),
])
def test_wrong_types_are_errors(tmp_path, change, column, value, expected):
    old, new = change
    with pytest.raises(CodebookError) as info:
        load_study(write(tmp_path, MINIMAL.replace(old, new, 1)))
    found = [(p.column, p.value, p.expected) for p in info.value.problems]
    assert found == [(column, value, expected)]
    assert f"key {column!r}: got {value!r}, expected {expected}" in str(info.value)


def test_top_level_entries_must_be_tables(tmp_path):
    text = 'items = ["id"]\nfields = [1]\npublished = [3]\nfigures = "f"\n' + MINIMAL.split("[[items]]")[0]
    with pytest.raises(CodebookError) as info:
        load_study(write(tmp_path, text))
    found = {p.column: (p.value, p.expected) for p in info.value.problems}
    assert found == {
        "items[0]": ("id", "a table (a [[items]] entry)"),
        "fields[0]": (1, "a table (a [[fields]] entry)"),
        "published[0]": (3, "a table (a [[published]] entry)"),
        "figures": ("f", "a list of tables ([[figures]] entries)"),
    }


def test_a_wrong_table_is_one_problem_not_many(tmp_path):
    with pytest.raises(CodebookError) as info:
        load_study(write(tmp_path, 'study = 3\nscale = [1]\nbands = 2\n'))
    found = {p.column: (p.value, p.expected) for p in info.value.problems}
    assert found == {"study": (3, "a [study] table"),
                     "scale": ([1], "a [scale] table with labels = [...] or numeric = [lo, hi]"),
                     "bands": (2, "a [bands] table")}


def test_a_value_outside_the_choices_gets_a_suggestion(tmp_path):
    text = MINIMAL.replace("[scale]", '[bands]\nrule = "exat"\n[scale]') + 'target_status = "ilustrative"\n'
    with pytest.raises(CodebookError) as info:
        load_study(write(tmp_path, text))
    found = {p.column: (p.value, p.expected, p.hint) for p in info.value.problems}
    assert found == {
        "bands.rule": ("exat", '"rounded" or "exact"', "did you mean 'exact'?"),
        "items[0].target_status": ("ilustrative", '"published", "illustrative" or "observed"',
                                   "did you mean 'illustrative'?"),
    }


def test_an_unknown_top_level_table_is_named_with_the_nearest(tmp_path):
    with pytest.raises(CodebookError) as info:
        load_study(write(tmp_path, MINIMAL + '\n[[item]]\nid = "q2"\n'))
    (problem,) = info.value.problems
    assert problem.column == "item" and problem.hint == "did you mean 'items'?"
    assert problem.expected.startswith("one of the keys study, scale, scales, bands, fields, figures, tables, items")


SEVERAL = MINIMAL + """
[[scales]]
id = "agree"
labels = ["Disagree", "Neutral", "Agree"]
bands = [["Against", "0.00", "0.50"], ["For", "0.51", "1.00"]]
[[scales]]
id = "numbers"
numeric = [0, 10]
[[tables]]
id = "table2"
[[items]]
id = "q2"
column = "Agree?"
in = "table2"
scale = "agree"
[[items]]
id = "q3"
column = "Score"
in = "table2"
scale = "agree"
"""


def test_several_scales_each_item_on_its_own():
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        s = load_study(write(Path(folder), SEVERAL))
    assert list(s.scales) == ["agree", "numbers"] and s.scales["numbers"].codes == tuple(range(11))
    q1, q2, _ = s.items
    assert (q1.scale, q2.scale) == (None, "agree")
    assert s.scale_of(q1).labels == ("Never", "Sometimes", "Often") and s.scale_of(q2).points == 3
    assert s.bands_of(q2).labels == ("Against", "For") and s.bands_of(q1).labels[0] == "Very Low"
    assert s.display_scale("table2") is s.scales["agree"]
    assert [(k, [i.id for i in v]) for k, v in s.scale_groups()] == [(None, ["q1"]), ("agree", ["q2", "q3"])]


@pytest.mark.parametrize("edit, where, expected", [
    (('in = "table2"\nscale = "agree"\n[[items]]', 'in = "table2"\nscale = "agre"\n[[items]]'), "items[1].scale",
     "the id of a [[scales]] entry"),
    (('column = "Score"\nin = "table2"\nscale = "agree"', 'column = "Score"\nin = "table2"\nscale = "numbers"'),
     "items[2].scale", "the scale of the other items of 'table2'"),
    (('numeric = [0, 10]', 'numeric = [0, 10]\ncodes = [1, 2]'), "scales[1].codes", "no codes for a numeric scale"),
])
def test_several_scales_errors_name_the_item(tmp_path, edit, where, expected):
    text = SEVERAL.replace(*edit)
    assert text != SEVERAL
    with pytest.raises(CodebookError) as info:
        load_study(write(tmp_path, text))
    found = [p for p in info.value.problems if p.column == where]
    assert found and found[0].expected.startswith(expected), info.value.problems
