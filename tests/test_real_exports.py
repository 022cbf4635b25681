"""Real-survey shapes through ``wai.init`` then ``wai.report``: scales learned from the data, several
scales per study, SPSS metadata honoured, observed values never called illustrative.

Every export is made here (nothing downloaded). Each item's expected WAI is worked out from the codes
the test wrote, independently of the package: ``(mean - 1) / (K - 1)`` over its answered codes, i.e.
``(sum(codes) - n) / (n (K - 1))`` as an exact fraction.
"""

from __future__ import annotations

import csv
import random
import tomllib
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from wai.cli.init import main as init
from wai.cli.report import main as report
from wai.lexicon import LEXICON, answer_key, best_fit, by_name
from wai.study import load_study

ACCURATE = ["Very Inaccurate", "Moderately Inaccurate", "Slightly Inaccurate", "Slightly Accurate",
            "Moderately Accurate", "Very Accurate"]
AGREE7 = ["Strongly disagree", "Disagree", "Somewhat disagree", "Neither agree nor disagree", "Somewhat agree",
          "Agree", "Strongly agree"]
OFTEN5 = ["Never", "Rarely", "Sometimes", "Often", "Always"]


def expected_wai(codes: list[int | None], k: int, lo: int = 1) -> Fraction:
    """(mean - lo) / (K - 1) over the answered codes."""
    answered = [c for c in codes if c is not None]
    return Fraction(sum(answered) - lo * len(answered), len(answered) * (k - 1))


def write_csv(path: Path, columns: dict[str, list]) -> Path:
    names = list(columns)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(names)
        for row in zip(*columns.values()):
            w.writerow(["" if v is None else v for v in row])
    return path


def run_both(tmp_path: Path, export: Path, capsys, edit=None) -> tuple[str, Path, Path, str]:
    """wai.init then wai.report on the draft as written (or after ``edit(text)``): (terminal text of init,
    study, reports, codebook text)."""
    study, reports = tmp_path / "study", tmp_path / "reports"
    assert init([str(export), "--out", str(study)]) == 0
    out = capsys.readouterr().out
    if edit is not None:
        codebook = study / "codebook.toml"
        codebook.write_text(edit(codebook.read_text(encoding="utf-8")), encoding="utf-8")
    code = report(["--study", str(study), "--out", str(reports), "--derived", str(tmp_path / "derived")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return out, study, reports, (study / "codebook.toml").read_text(encoding="utf-8")


def scores(tmp_path: Path) -> pd.DataFrame:
    return pd.read_csv(tmp_path / "derived" / "item_scores.csv", dtype={"wai_exact": str}).set_index("item")


def no_illustrative_anywhere(reports: Path, derived: Path) -> None:
    for path in [*reports.iterdir(), *derived.iterdir()]:
        if path.suffix in (".md", ".html", ".csv", ".svg", ".tex", ".json"):
            assert "llustrative" not in path.read_text(encoding="utf-8", errors="replace"), path.name
    assert not (reports / "reproduction.md").exists()


def accurate_codes(seed: int, n: int = 60, items: int = 4) -> dict[str, list[int | None]]:
    rng = random.Random(seed)
    return {f"q_{253 + 100 * j}": [None if rng.random() < 0.1 else rng.randint(1, 6) for _ in range(n)]
            for j in range(items)}


# -- the lexicon ---------------------------------------------------------------

def test_the_lexicon_never_maps_a_k_point_set_onto_another_length():
    assert best_fit({"low", "medium", "high"}).scale.name == "level3"
    assert best_fit({answer_key(x) for x in ACCURATE}).scale.name == "accuracy6"
    assert best_fit({answer_key(x) for x in AGREE7}).scale.name == "agreement7"
    for known in LEXICON:
        fit = best_fit({answer_key(x) for x in known.labels}, known.family)
        assert fit.complete and fit.scale.points == known.points, known.name
        assert known.likert().points == known.points  # every entry is a valid scale, variants included
    assert {s.points for s in LEXICON} == {2, 3, 4, 5, 6, 7}
    assert by_name("agreement5").point_of(answer_key("Neutral")) == 2


# -- a six-point "accurate" battery with blanks: CSV and SPSS --------------------

def test_accurate_battery_csv_with_blanks(tmp_path, capsys):
    codes = accurate_codes(1)
    export = write_csv(tmp_path / "sapa.csv", {"sex": ["Male", "Female"] * 30,
                                               **{c: [None if v is None else ACCURATE[v - 1] for v in vs]
                                                  for c, vs in codes.items()}})
    out, study, reports, text = run_both(tmp_path, export, capsys)
    s = load_study(study)
    assert [i.id for i in s.items] == list(codes)  # q_253 stays q_253
    assert s.scale.labels == tuple(ACCURATE) and not s.scales
    assert "scale accuracy6: 6 answers shared by 4 columns; order from the lexicon's accuracy6" in out
    got = scores(tmp_path)
    for column, vs in codes.items():
        assert Fraction(got.loc[column, "wai_exact"]) == expected_wai(vs, 6)
        assert got.loc[column, "n_blank"] == vs.count(None)
    no_illustrative_anywhere(reports, tmp_path / "derived")


def test_accurate_battery_sav_with_value_labels_and_a_user_missing_code(tmp_path, capsys):
    pyreadstat = pytest.importorskip("pyreadstat")
    codes = accurate_codes(2)
    rng = random.Random(3)
    frame = pd.DataFrame({"sex": [1, 2] * 30})
    no_answer = {}
    for column, vs in codes.items():
        cells = [float("nan") if v is None else float(v) for v in vs]
        no_answer[column] = [n for n, v in enumerate(vs) if v is None and rng.random() < 0.5]
        for n in no_answer[column]:
            cells[n] = 9.0  # declared user-missing: "No answer"
        frame[column] = cells
    # value labels deliberately listed out of code order: the order comes from the codes
    labels = {c: {9: "No answer", **{k: ACCURATE[k - 1] for k in (6, 1, 5, 2, 4, 3)}} for c in codes}
    pyreadstat.write_sav(frame, str(tmp_path / "sapa.sav"), variable_value_labels={**labels, "sex": {1: "Male",
                         2: "Female"}}, missing_ranges={c: [9] for c in codes},
                         column_labels={c: f"SAPA item {c}" for c in codes} | {"sex": "Sex"})
    out, study, reports, text = run_both(tmp_path, tmp_path / "sapa.sav", capsys)
    s = load_study(study)
    assert s.scale.labels == tuple(ACCURATE) and "No answer" in s.scale.non_scale
    assert "order from value labels 1..6 (the lexicon's accuracy6)" in out
    assert [i.wording for i in s.items] == [f"SAPA item {c}" for c in codes]  # variable labels as wordings
    got = scores(tmp_path)
    for column, vs in codes.items():
        assert Fraction(got.loc[column, "wai_exact"]) == expected_wai(vs, 6)
        assert got.loc[column, "n_nonscale"] == len(no_answer[column])  # counted, never scored
        assert got.loc[column, "n_blank"] == vs.count(None) - len(no_answer[column])
    assert [(f.id, f.categories) for f in s.fields] == [("sex", ("Male", "Female"))]
    assert any("sex" in n and "value labels 1..2" in n for n in out.splitlines())  # listed as a guess
    no_illustrative_anywhere(reports, tmp_path / "derived")


def test_numeric_scale_on_a_labelled_sav_scores_its_codes(tmp_path, capsys):
    pyreadstat = pytest.importorskip("pyreadstat")
    from wai.cli.score import main as score

    frame = pd.DataFrame({"q1": [1.0, 6.0, 9.0, 4.0, float("nan"), 2.0]})
    pyreadstat.write_sav(frame, str(tmp_path / "a.sav"),
                         variable_value_labels={"q1": {**{k: ACCURATE[k - 1] for k in range(1, 7)}, 9: "No answer"}},
                         missing_ranges={"q1": [9]})
    assert score([str(tmp_path / "a.sav"), "--items", "q1", "--scale", "numeric:1-6"]) == 0
    table = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out), dtype={"wai_exact": str})
    assert table.loc[0, "wai_exact"] == str(expected_wai([1, 6, 4, 2], 6))  # 8/20 = 2/5
    assert (table.loc[0, "n"], table.loc[0, "n_nonscale"], table.loc[0, "n_blank"]) == (4, 1, 1)


# -- three points beside two factors ------------------------------------------------

def test_low_medium_high_item_beside_two_explanatory_factors(tmp_path, capsys):
    # the shape of MASS::housing: Sat (Low/Medium/High) with the factors Infl (Low/Medium/High) and Cont (Low/High)
    rng = random.Random(4)
    level = ["Low", "Medium", "High"]
    sat = [rng.randint(1, 3) for _ in range(90)]
    export = write_csv(tmp_path / "housing.csv", {
        "Sat": [level[c - 1] for c in sat], "Infl": [rng.choice(level) for _ in sat],
        "Type": [rng.choice(["Tower", "Apartment", "Atrium", "Terrace"]) for _ in sat],
        "Cont": [rng.choice(["Low", "High"]) for _ in sat]})
    out, study, reports, text = run_both(tmp_path, export, capsys)
    s = load_study(study)
    assert [i.column for i in s.items] == ["Sat"] and s.scale.labels == ("Low", "Medium", "High")
    assert [(f.column, f.categories) for f in s.fields if f.column != "Type"] == [
        ("Infl", ("Low", "Medium", "High")), ("Cont", ("Low", "High"))]  # in the scale's order
    assert Fraction(scores(tmp_path).loc["sat", "wai_exact"]) == expected_wai(sat, 3)
    undecided = text[text.index("# Undecided"):text.index("\n[study]\n")]
    assert "column 'Infl'" in undecided and "column 'Cont'" in undecided and "a factor" in undecided
    no_illustrative_anywhere(reports, tmp_path / "derived")


# -- two batteries, two scales ---------------------------------------------------------

def test_seven_point_agreement_next_to_five_point_frequency(tmp_path, capsys):
    rng = random.Random(5)
    agree = {f"Agree? [Statement {j}]": [rng.randint(1, 7) for _ in range(50)] for j in range(1, 4)}
    often = {f"How often [Activity {j}]": [None if rng.random() < 0.1 else rng.randint(1, 5) for _ in range(50)]
             for j in range(1, 3)}
    export = write_csv(tmp_path / "two.csv", {
        "id": [f"r{n}" for n in range(50)], "Region": ["North", "South"] * 25,
        **{c: [AGREE7[v - 1] for v in vs] for c, vs in agree.items()},
        **{c: [None if v is None else OFTEN5[v - 1] for v in vs] for c, vs in often.items()}})
    out, study, reports, text = run_both(tmp_path, export, capsys,
                                         edit=lambda t: t.replace("compare = false", "compare = true"))
    s = load_study(study)
    assert s.scale.labels == tuple(AGREE7) and list(s.scales) == ["frequency5"]
    assert s.scales["frequency5"].labels == tuple(OFTEN5)
    assert [i.scale for i in s.items] == [None] * 3 + ["frequency5"] * 2
    assert [d.id for d in s.displays] == ["figure1", "figure2"]
    got = scores(tmp_path)
    for item, vs in zip(s.items, [*agree.values(), *often.values()]):
        k = s.scale_of(item).points
        assert Fraction(got.loc[item.id, "wai_exact"]) == expected_wai(vs, k)
    assert pd.isna(got.loc[s.items[-1].id, "count_6"])  # a five-point item has no sixth category
    rel = pd.read_csv(reports / "reliability.csv")
    assert rel["k"].tolist() == [3, 2]  # alpha per battery, each on its own scale
    groups = pd.read_csv(reports / "groups_region.csv", dtype={"wai_exact": str})  # per group, on each scale
    north = groups[(groups["Region"] == "North") & (groups["item"] == s.items[-1].id)].iloc[0]
    vs = list(often.values())[-1][0::2]  # rows 0, 2, 4, ... are North
    assert Fraction(north["wai_exact"]) == expected_wai(vs, 5)
    assert pd.read_csv(reports / "contrasts_region.csv")["item"].tolist() == [i.id for i in s.items]
    shares = pd.read_csv(reports / "category_shares.csv")
    assert set(shares[shares["item"] == s.items[-1].id]["label"]) == set(OFTEN5)
    assert "WAI on a 7-point scale" in (reports / "index.html").read_text() and \
        "WAI on a 5-point scale" in (reports / "index.html").read_text()
    no_illustrative_anywhere(reports, tmp_path / "derived")


# -- numbers and yes/no -----------------------------------------------------------------

@pytest.mark.slow  # a whole report (about 5 s of CPU); CI runs it
def test_zero_to_ten_item_and_yes_no_item(tmp_path, capsys):
    rng = random.Random(6)
    nps = [rng.randint(0, 10) for _ in range(40)]
    yes = [rng.randint(1, 2) for _ in range(40)]
    export = write_csv(tmp_path / "nps.csv", {
        "How likely are you to recommend us? (0-10)": nps,
        "Did you use the service?": [["No", "Yes"][v - 1] for v in yes],
        "Region": [rng.choice(["North", "South"]) for _ in nps]})
    out, study, reports, text = run_both(tmp_path, export, capsys)
    s = load_study(study)
    by_column = {i.column: i for i in s.items}
    nps_item, yes_item = by_column["How likely are you to recommend us? (0-10)"], by_column["Did you use the service?"]
    assert s.scale_of(nps_item).codes == tuple(range(0, 11))
    assert s.scale_of(yes_item).labels == ("No", "Yes")
    got = scores(tmp_path)
    assert Fraction(got.loc[nps_item.id, "wai_exact"]) == Fraction(sum(nps), 10 * len(nps))  # lo = 0
    assert Fraction(got.loc[yes_item.id, "wai_exact"]) == expected_wai(yes, 2)
    undecided = text[text.index("# Undecided"):text.index("\n[study]\n")]
    assert "share of Yes" in undecided  # a yes/no column may describe the respondent: a guess to confirm
    no_illustrative_anywhere(reports, tmp_path / "derived")


@pytest.mark.slow  # a whole report (about 4 s of CPU); CI runs it
def test_numeric_k_inferred_from_answers_is_listed_as_undecided(tmp_path, capsys):
    rng = random.Random(7)
    codes = {f"item{j}": [rng.randint(1, 6) for _ in range(30)] for j in range(1, 4)}
    out, study, reports, text = run_both(tmp_path, write_csv(tmp_path / "n.csv", codes), capsys)
    assert "scale numeric 1..6: K = 6 points was inferred" in text[text.index("# Undecided"):]
    got = scores(tmp_path)
    for column, vs in codes.items():
        assert Fraction(got.loc[column, "wai_exact"]) == expected_wai(vs, 6)


# -- the draft always runs, and says what went wrong ---------------------------------------

def test_an_export_without_items_drafts_a_codebook_that_runs(tmp_path, capsys):
    export = write_csv(tmp_path / "x.csv", {"note": [f"text {n} here" for n in range(6)]})
    study = tmp_path / "study"
    assert init([str(export), "--out", str(study)]) == 0
    assert "items: none recognised" in capsys.readouterr().out
    code = report(["--study", str(study), "--out", str(tmp_path / "r"), "--derived", str(tmp_path / "d")])
    assert code in (0, 2)
    assert "Traceback" not in capsys.readouterr().err


def test_a_column_mostly_off_the_scale_is_one_problem_with_its_answers(tmp_path, capsys):
    codes = accurate_codes(8, items=1)["q_253"]
    export = write_csv(tmp_path / "s.csv", {"q_253": [None if v is None else ACCURATE[v - 1] for v in codes]})
    study = tmp_path / "study"
    assert init([str(export), "--out", str(study)]) == 0
    codebook = study / "codebook.toml"
    data = tomllib.loads(codebook.read_text(encoding="utf-8"))
    assert data["scale"]["labels"] == ACCURATE
    text = codebook.read_text(encoding="utf-8").replace(
        'labels = ["Very Inaccurate", "Moderately Inaccurate", "Slightly Inaccurate", "Slightly Accurate", '
        '"Moderately Accurate", "Very Accurate"]', 'labels = ["Very Low", "Low", "Neutral", "High", "Very High"]')
    codebook.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert report(["--study", str(study), "--out", str(tmp_path / "r"), "--derived", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    answered = len([c for c in codes if c is not None])
    assert err.count("\n") == 1 and f"{answered} of {answered} answers off the scale" in err
    top = max(set(c for c in codes if c), key=lambda c: codes.count(c))
    assert f"'{ACCURATE[top - 1]}' x{codes.count(top)}" in err and "accuracy6" in err
