"""Safe outputs: no CSV cell a spreadsheet would run as a formula, no raw HTML in Markdown.

A study built here carries hostile text in every place that reaches an output
(item wordings and columns, scale and band labels, category names, titles,
notes, published values and a published table); the report is built with
``csv_formulas="escape"`` (the default) and ``"keep"``, and every file is
read back: CSVs with the csv module, Markdown, HTML and LaTeX as text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wai.audit import audit_markdown
from wai.cli import report as report_cli
from wai.cli import score as score_cli
from wai.errors import OptionError
from wai.io import FORMULA_CHARS, csv_text, escape_formula, is_number, write_csv
from wai.report.build import build_report
from wai.report.render_tables import write_derived, write_tables
from wai.report.tables import markdown_table, markdown_text

HYP = '=HYPERLINK("http://x","y")'
CMD = "=cmd|' /C calc'!A0"
SUM = "@SUM(1)"
PLUS = "+1+1"
MINUS = "-2+3"
TAB = "\tTab led"
CR = "\rCR led"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LABELS = ["=1+2", "@A1", "Mid", "+A2", "-A3"]
KINDS = [CMD, SUM, PLUS, MINUS, TAB, CR]
# Written independently of wai.io: a cell is a number when it is a plain decimal, optionally signed.
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def toml(text: str) -> str:
    return json.dumps(text)  # a JSON string is a TOML basic string


def csv_lines(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    return buffer.getvalue()


CODEBOOK = f"""
[study]
id = "hostile"
title = {toml(SCRIPT + " " + IMG + " & co")}
citation = {toml("=1+1 " + SCRIPT)}
notes = {toml(IMG)}
responses = "responses.csv"
respondent_id = "id"

[scale]
labels = [{", ".join(toml(x) for x in LABELS)}]
non_scale = ["Don't know"]

[bands]
ranges = [[{toml(HYP)}, "0.00", "0.40"], [{toml(SUM + " " + SCRIPT)}, "0.41", "0.60"], [{toml(IMG)}, "0.61", "1.00"]]

[[fields]]
id = "grp"
column = "=grp"
label = {toml(SCRIPT + " group")}
categories = [{toml(CMD)}, {toml(SUM)}]
compare = true

[[fields]]
id = "kind"
column = "kind"
label = {toml(IMG)}
categories = [{", ".join(toml(x) for x in KINDS)}]

[[figures]]
id = "fig1"
kind = "distribution"
field = "kind"
title = {toml(SCRIPT)}

[[figures]]
id = "fig2"
kind = "wai"
title = {toml(IMG)}
note = {toml(SCRIPT + " =1+1")}

[[tables]]
id = "tab1"
kind = "wai"
title = {toml(HYP + " " + SCRIPT)}

[[items]]
id = "i1"
column = "@q1"
wording = {toml(HYP)}
in = "tab1"
published_wai = "0.50"
published_band = {toml(SUM + " " + SCRIPT)}

[[items]]
id = "i2"
column = "q2"
wording = {toml(TAB + " " + IMG)}
in = "tab1"

[[items]]
id = "i3"
column = "q3"
wording = {toml(CR + " " + SCRIPT)}
in = "fig2"

[[items]]
id = "i4"
column = "q4"
wording = {toml(MINUS)}
in = "fig2"

[[published]]
id = "p1"
quantity = "n"
value = "12"
source = {toml(SCRIPT + " " + CMD)}
why = {toml(IMG + " -x")}
"""


def make_study(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "codebook.toml").write_text(CODEBOOK, encoding="utf-8")
    rows = [["id", "=grp", "kind", "@q1", "q2", "q3", "q4"]]
    for r in range(12):
        rows.append([f"r{r}", [CMD, SUM][r % 2], KINDS[r % 6], LABELS[r % 5], LABELS[(r * 2) % 5],
                     LABELS[(r + 1) % 5], LABELS[(r * 3) % 5]])
    (folder / "responses.csv").write_text(csv_lines(rows), encoding="utf-8")
    (folder / "published").mkdir()
    (folder / "published" / "tab1.csv").write_text(
        csv_lines([["item", "wai", "band", "n"], [HYP, "0.50", SCRIPT, "12"], [IMG, "0.55", SUM, "12"]]),
        encoding="utf-8")
    return folder


def read_cells(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def dangerous(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r") and NUMBER.fullmatch(cell) is None


# --------------------------------------------------------------------------- the escaping itself


@pytest.mark.parametrize("text, expected", [
    (HYP, "'" + HYP), (CMD, "'" + CMD), (SUM, "'" + SUM), (PLUS, "'" + PLUS), (MINUS, "'" + MINUS),
    (TAB, "'" + TAB), (CR, "'" + CR), ("-", "'-"), ("+", "'+"), ("=", "'="), ("-inf", "'-inf"),
    ("-nan", "'-nan"), ("- 1", "'- 1"), ("-1_000", "'-1_000"), ("-1e", "'-1e"), ("--1", "'--1"),
    ("-0.192", "-0.192"), ("+1.5", "+1.5"), ("-1e-05", "-1e-05"), ("+.5", "+.5"), ("-7.", "-7."),
    ("-3E+2", "-3E+2"), ("0.6", "0.6"), ("High", "High"), ("", ""), (" =1", " =1"), ("'=1", "'=1"),
    ("a=b", "a=b"), ("<script>", "<script>"),
])
def test_escape_formula_hand_cases(text, expected):
    assert escape_formula(text) == expected


def test_is_number_is_a_finite_plain_decimal():
    assert [is_number(x) for x in ("1", "-1", "+1", ".5", "5.", "1e3", "-1.5E-3")] == [True] * 7
    assert [is_number(x) for x in ("", "-", ".", "e3", "1e", "inf", "-inf", "nan", " 1", "1 ", "1_0",
                                   "0x10", "1,5", "\t1", "-2+3", "١")] == [False] * 16


@given(st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))))
def test_escaped_text_starts_with_a_formula_character_only_when_it_is_a_number(text):
    escaped = escape_formula(text)
    if escaped[:1] in FORMULA_CHARS:
        assert NUMBER.fullmatch(text) and escaped == text
    assert escape_formula(escaped) == escaped  # escaping twice changes nothing more
    # written and read back with the csv module: the text, with a ' in front when it was dangerous
    written = csv_text(pd.DataFrame({"c": [text]}))
    cells = list(csv.reader(io.StringIO(written, newline="")))
    assert cells[0] == ["c"]
    assert cells[1:] == [["'" + text if dangerous(text) else text]] or (text == "" and cells[1:] == [[""]])


@given(st.sampled_from(["=", "+", "-", "@", "\t", "\r"]), st.text(max_size=20))
def test_every_dangerous_text_is_read_back_with_a_leading_quote(first, rest):
    text = first + rest
    written = csv_text(pd.DataFrame({"c": [text, "ok"]}))
    cells = list(csv.reader(io.StringIO(written, newline="")))
    expected = text if NUMBER.fullmatch(text) else "'" + text
    assert cells == [["c"], [expected], ["ok"]]
    assert list(csv.reader(io.StringIO(csv_text(pd.DataFrame({"c": [text]}), formula_escape=False),
                                       newline="")))[1] == [text]


def test_numbers_column_names_and_dtypes():
    frame = pd.DataFrame({"=c": ["-0.192", "=1"], "ci_low": [-0.192, -1e-05], "k": [-3, 4]})
    frame["cat"] = pd.Categorical(["@x", "y"])
    assert csv_text(frame) == "'=c,ci_low,k,cat\n-0.192,-0.192,-3,'@x\n'=1,-1e-05,4,y\n"
    assert csv_text(frame, formula_escape=False) == "=c,ci_low,k,cat\n-0.192,-0.192,-3,@x\n=1,-1e-05,4,y\n"
    assert list(frame["=c"]) == ["-0.192", "=1"]  # the caller's frame is not changed


def test_a_table_with_nothing_to_escape_is_written_as_pandas_writes_it(tmp_path):
    frame = pd.DataFrame({"item": ["a, b", 'say "x"', None], "wai": [0.6, -0.25, float("nan")], "n": [1, 2, 3]})
    path = write_csv(tmp_path / "t.csv", frame)
    assert path.read_text() == frame.to_csv(index=False, lineterminator="\n")
    assert path.read_text() == 'item,wai,n\n"a, b",0.6,1\n"say ""x""",-0.25,2\n,,3\n'


def test_a_carriage_return_in_a_cell_does_not_break_the_row(tmp_path):
    path = write_csv(tmp_path / "t.csv", pd.DataFrame({"a": ["x\ry", CR], "n": [1, -2]}))
    assert read_cells(path) == [["a", "n"], ["x\ry", "1"], ["'" + CR, "-2"]]
    raw = write_csv(tmp_path / "r.csv", pd.DataFrame({"a": [CR]}), formula_escape=False)
    assert read_cells(raw) == [["a"], [CR]]


def test_markdown_cells_and_text_escape_html_and_pipes():
    table = markdown_table(pd.DataFrame({"<b>x</b>": [SCRIPT, IMG, "a|b & c"]}))
    assert table.splitlines() == [
        "| &lt;b&gt;x&lt;/b&gt; |", "|---|", "| &lt;script&gt;alert(1)&lt;/script&gt; |",
        "| &lt;img src=x onerror=alert(1)&gt; |", "| a\\|b &amp; c |"]
    assert markdown_text("x < y & z > w") == "x &lt; y &amp; z &gt; w"


def test_audit_markdown_escapes_every_text_of_a_finding():
    findings = pd.DataFrame({"status": ["inconsistent"], "table": [SCRIPT], "row": [2], "item": [IMG],
                             "check": ["sum"], "detail": ["<b>"]})
    text = audit_markdown(findings, title=SCRIPT, intro=IMG)
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "- **&lt;script&gt;alert(1)&lt;/script&gt;, row 2 (&lt;img src=x onerror=alert(1)&gt;)**, sum: " \
           "&lt;b&gt;." in text


# --------------------------------------------------------------------------- options


def test_csv_formulas_option_is_checked_before_the_study_is_read(tmp_path, capsys):
    with pytest.raises(OptionError, match="csv_formulas"):
        build_report(tmp_path / "no such study", tmp_path / "out", csv_formulas="drop")
    assert report_cli.main(["--study", str(tmp_path), "--csv-formulas", "drop"]) == 2
    assert score_cli.main(["x.csv", "--items", "q1", "--csv-formulas", "drop"]) == 2
    assert "--csv-formulas" in capsys.readouterr().err


def test_score_output_and_rejected_rows_are_escaped(tmp_path, capsys):
    data = tmp_path / "survey.csv"
    data.write_text(csv_lines([["g", CMD, SUM], [MINUS, "High", "Low"], [PLUS, "Low", "Hgh"],
                               [HYP, "Very High", "Neutral"]]), encoding="utf-8")
    rejected = tmp_path / "rejected.csv"
    args = [str(data), "--item", CMD, "--item", SUM, "--by", "g", "--on-error", "report",
            "--rejected", str(rejected)]
    assert score_cli.main(args) == 0
    out = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    cells = [c for row in out for c in row]
    assert not [c for c in cells if dangerous(c)]
    assert {row[0] for row in out[1:]} == {"'" + MINUS, "'" + HYP}
    assert {row[1] for row in out[1:]} == {"'" + CMD, "'" + SUM}
    assert read_cells(rejected)[0] == ["row", "reasons", "g", "'" + CMD, "'" + SUM]
    assert read_cells(rejected)[1][2:] == ["'" + PLUS, "Low", "Hgh"]
    assert score_cli.main(args + ["--csv-formulas", "keep"]) == 0
    out = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert {row[0] for row in out[1:]} == {MINUS, HYP} and {row[1] for row in out[1:]} == {CMD, SUM}
    assert read_cells(rejected)[0] == ["row", "reasons", "g", CMD, SUM]
    assert read_cells(rejected)[1][2:] == [PLUS, "Low", "Hgh"]


# --------------------------------------------------------------------------- the whole report


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    study = make_study(root / "study")
    result = build_report(study, root / "out", root / "derived")
    kept = build_report(study, root / "kept_out", root / "kept_derived", csv_formulas="keep")
    return root, result, kept


def all_csvs(root: Path, prefix: str = "") -> list[Path]:
    return sorted((root / f"{prefix}out").glob("*.csv")) + sorted((root / f"{prefix}derived").glob("*.csv"))


@pytest.mark.slow
def test_no_csv_cell_of_the_report_would_run_as_a_formula(hostile):
    root, result, _ = hostile
    files = all_csvs(root)
    assert {"tab1.csv", "fig1.csv", "fig2.csv", "audit.csv", "reproduction.csv", "groups_grp.csv",
            "answers_long.csv", "field_kind.csv"} <= {p.name for p in files}
    escaped = 0
    for path in files:
        for row in read_cells(path):
            assert not [c for c in row if dangerous(c)], path.name
            escaped += sum(c.startswith("'") for c in row)
    assert escaped > 100
    assert read_cells(root / "out" / "tab1.csv")[1:] == [
        ["i1", "'" + HYP, "12", "0.44", "'" + SUM + " " + SCRIPT],
        ["i2", "'" + TAB + " " + IMG, "12", "0.46", "'" + SUM + " " + SCRIPT]]
    assert [row[0] for row in read_cells(root / "derived" / "field_kind.csv")[1:]] == ["'" + k for k in KINDS]
    header = read_cells(root / "derived" / "answers_long.csv")[0]
    assert len(header) == len(set(header))


@pytest.mark.slow
def test_with_csv_formulas_keep_the_raw_text_is_written(hostile):
    root, _, _ = hostile
    assert [row[0] for row in read_cells(root / "kept_derived" / "field_kind.csv")[1:]] == KINDS
    assert read_cells(root / "kept_out" / "tab1.csv")[1][1] == HYP
    assert read_cells(root / "kept_out" / "fig1.csv")[1][0] in KINDS  # figure CSVs too
    kept = [c for p in all_csvs(root, "kept_") for row in read_cells(p) for c in row]
    assert CMD in kept and SUM in kept and sum(map(dangerous, kept)) > 100
    # the same files, cell for cell; only the dangerous cells differ, by a leading '
    assert [p.name for p in all_csvs(root)] == [p.name for p in all_csvs(root, "kept_")]
    for escaped, raw in zip(all_csvs(root), all_csvs(root, "kept_")):
        escaped_rows, raw_rows = read_cells(escaped), read_cells(raw)
        assert [len(r) for r in escaped_rows] == [len(r) for r in raw_rows], raw.name
        for e, k in zip(escaped_rows, raw_rows):
            assert e == ["'" + c if dangerous(c) else c for c in k], raw.name


@pytest.mark.slow
def test_write_tables_and_derived_take_the_option(hostile, tmp_path):
    _, result, _ = hostile
    paths = write_tables(result.results, tmp_path, formula_escape=False)
    paths += write_derived(result.results, tmp_path, formula_escape=False)
    cells = [c for p in paths if p.suffix == ".csv" for row in read_cells(p) for c in row]
    assert HYP in cells and CMD in cells and "'" + HYP not in cells and "'" + CMD not in cells


@pytest.mark.slow
def test_numbers_stay_as_they_are(hostile):
    root, result, _ = hostile
    groups = result.results.comparisons[0].groups
    rows = read_cells(root / "out" / "groups_grp.csv")
    for name in ("ci_low", "net"):
        column = rows[0].index(name)
        written = [row[column] for row in rows[1:]]
        assert written == [repr(float(x)) for x in groups[name]]
    assert any(x.startswith("-") for x in written)  # a negative net share, written as the number it is


@pytest.mark.slow
def test_markdown_has_no_raw_html(hostile):
    root, _, _ = hostile
    pages = sorted((root / "out").glob("*.md"))
    assert {p.name for p in pages} == {"tab1.md", "inference.md", "reproduction.md", "audit.md"}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and "<img" not in text and "<b" not in text, page.name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text or "&lt;img src=x" in text, page.name
    table1 = (root / "out" / "tab1.md").read_text(encoding="utf-8")
    assert table1.startswith("# Tab 1. " + HYP + " &lt;script&gt;alert(1)&lt;/script&gt;\n")
    assert "band rule" in table1 and "&lt;img src=x onerror=alert(1)&gt; = 0.61" in table1
    reproduction = (root / "out" / "reproduction.md").read_text(encoding="utf-8")
    assert "# Reproduction: &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; &amp; co" \
        in reproduction
    assert "Source: =1+1 &lt;script&gt;" in reproduction


@pytest.mark.slow
def test_html_and_latex_outputs_are_escaped(hostile):
    root, _, _ = hostile
    pages = sorted((root / "out").glob("*.html"))
    assert "index.html" in {p.name for p in pages} and "tab1.html" in {p.name for p in pages}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, page.name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (root / "out" / "index.html").read_text(encoding="utf-8")
    tex = (root / "out" / "reproduction.tex").read_text(encoding="utf-8")
    assert "\\& co" in tex and " & co" not in tex
    for path in (root / "out").glob("*.tex"):
        assert "\t" not in path.read_text(encoding="utf-8") and "\r" not in path.read_text(encoding="utf-8")
