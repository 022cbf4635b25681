"""The pipeline end to end: chapter 11, a second small study on another scale, and failures."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from wai.cli.report import main
from wai.report import build_report

ROOT = Path(__file__).resolve().parents[1]
CHAPTER11 = ROOT / "data" / "raw" / "chapter11"


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def chapter11_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("ch11")
    raw_before = tree_hashes(CHAPTER11)
    runs = []
    for name in ("first", "second"):
        out, derived = base / name / "reports", base / name / "derived"
        runs.append((build_report(CHAPTER11, out, derived), out, derived))
    return raw_before, runs


def test_table1_regenerates_the_published_values(chapter11_run):
    _, runs = chapter11_run
    _, out, _ = runs[0]
    table = pd.read_csv(out / "table1.csv", dtype=str)
    assert table["wai"].tolist() == ["0.60", "0.64", "0.59", "0.67", "0.47"]
    assert table["band"].tolist() == ["Neutral", "High", "Neutral", "High", "Neutral"]
    assert table["n"].tolist() == ["99"] * 5
    md = (out / "table1.md").read_text()
    assert md.startswith("# Table 1. Positive perception of Cambodian on China")
    assert "| view_government | Chinese government | 99 | 0.60 | Neutral |" in md
    assert "Reconstructed responses" in md


def test_every_published_number_that_should_reproduce_does(chapter11_run):
    _, runs = chapter11_run
    result, out, _ = runs[0]
    repro = result.reproduction
    assert len(result.failed) == 0
    assert len(repro) == 12 + 5 * 2 + 11  # study-level numbers, Table 1 WAI and band, text bands
    differs = repro[repro["verdict"] == "differs"]
    assert differs["id"].tolist() == ["n_conclusion"]  # "100 participants" vs n = 99
    synonyms = repro[repro["verdict"] == "reproduced (naming note)"]
    assert set(synonyms["published"]) == {"Medium", "Moderate"}
    text = (out / "reproduction.md").read_text()
    assert "**Data: a reconstruction.**" in text
    assert "| occupation: University (% of 94 who answered) | Method section and Figure 1 | 27.7 | 27.7 |" in text


def test_outputs_and_derived_data(chapter11_run):
    _, runs = chapter11_run
    _, out, derived = runs[0]
    for stem in ("figure1", "figure2", "figure3", "figure4"):
        for suffix in (".png", ".svg", ".csv"):
            assert (out / f"{stem}{suffix}").stat().st_size > 0
    fig1 = pd.read_csv(out / "figure1.csv")
    assert fig1["count"].tolist() == [26, 18, 18, 16, 12, 4]
    long = pd.read_csv(derived / "answers_long.csv")
    assert len(long) == 99 * 22
    assert set(long["status"]) == {"scale", "blank", "non-scale"}
    scores = pd.read_csv(derived / "item_scores.csv")
    counts = scores[[f"count_{k}" for k in range(1, 6)]].sum(axis=1)
    assert (counts == scores["n"]).all() and (scores["n"] + scores["n_missing"] == 99).all()
    # the long table and the score table agree on every item's answered count
    answered = long[long["status"] == "scale"].groupby("item").size()
    assert answered.loc[scores["item"]].tolist() == scores["n"].tolist()


def test_two_runs_give_identical_tables_and_raw_data_is_untouched(chapter11_run):
    raw_before, runs = chapter11_run
    (_, out1, der1), (_, out2, der2) = runs
    assert tree_hashes(CHAPTER11) == raw_before
    h1, h2 = tree_hashes(out1), tree_hashes(out2)
    tables = [k for k in h1 if k.endswith((".csv", ".md", ".json"))]
    # 4 figure CSVs, table1, reproduction and audit .csv/.md, manifest; 4 answer-chart CSVs, 4 interval
    # tables, reliability, groups and contrasts by gender, inference.md; 4 answers-by-gender chart CSVs,
    # 4 top-box share tables
    assert len(tables) == 32  # and category_shares.csv
    assert {k: h1[k] for k in tables} == {k: h2[k] for k in tables}
    assert tree_hashes(der1) == tree_hashes(der2)
    # figures too, on one machine
    assert {k: v for k, v in h1.items() if k.endswith((".png", ".svg"))} == \
        {k: v for k, v in h2.items() if k.endswith((".png", ".svg"))}
    # no absolute path or clock in the tables
    for name in tables:
        text = (out1 / name).read_text()
        assert str(out1) not in text and str(ROOT) not in text


SEVEN_POINT = """
[study]
id = "club"
title = "Members' views of the club"
responses = "export.csv"
respondent_id = "id"

[scale]
numeric = [1, 7]
non_scale = ["No opinion"]

[bands]
ranges = [["Poor", "0.0", "0.3"], ["Fair", "0.4", "0.6"], ["Good", "0.7", "1.0"]]
synonyms = { Average = "Fair" }

[[fields]]
id = "age"
column = "Age group"
categories = ["Under 40", "40 and over"]

[[figures]]
id = "fig_age"
kind = "distribution"
field = "age"
title = "Members by age"

[[tables]]
id = "tab1"
title = "Views"

[[items]]
id = "venue"
column = "How good is the venue?"
in = "tab1"
published_wai = "0.6"
published_band = "Average"

[[items]]
id = "events"
column = "How good are the events?"
in = "tab1"
published_wai = "0.9"
published_band = "Good"

[[published]]
id = "n"
quantity = "n"
value = "6"

[[published]]
id = "young"
quantity = "percent"
field = "age"
category = "Under 40"
value = "33"
"""

EXPORT = """id,Age group,How good is the venue?,How good are the events?
a,Under 40,4,7
b,40 and over,5,6
c,40 and over,No opinion,7
d,Under 40,7,7
e,40 and over,2,6
f,40 and over,,7
"""
# venue: codes 4,5,7,2 -> 0-based 3,4,6,1 = 14 of 4 answers x 6 = 24 -> WAI 14/24 = 0.583 -> "0.6", Fair
# events: codes 7,6,7,7,6,7 -> 6,5,6,6,5,6 = 34 of 36 -> 0.944 -> "0.9", Good
# age: 2 of 6 under 40 = 33.3% -> "33"


@pytest.fixture
def club(tmp_path):
    study = tmp_path / "club"
    study.mkdir()
    (study / "codebook.toml").write_text(SEVEN_POINT)
    (study / "export.csv").write_text(EXPORT)
    return study


def test_second_study_on_a_seven_point_scale_runs_through_the_same_code(club, tmp_path):
    result = build_report(club, tmp_path / "out", tmp_path / "derived")
    assert len(result.failed) == 0
    scores = result.scores.set_index("item")
    assert scores.loc["venue", "wai_exact"] == "7/12" and scores.loc["venue", "n_nonscale"] == 1
    assert scores.loc["venue", "n_blank"] == 1 and scores.loc["venue", "n"] == 4
    assert scores.loc["events", "wai_exact"] == "17/18"
    table = pd.read_csv(tmp_path / "out" / "tab1.csv", dtype=str)
    assert table["wai"].tolist() == ["0.58", "0.94"]
    assert table["band"].tolist() == ["Fair", "Good"]
    verdicts = result.reproduction.set_index("id")["verdict"].to_dict()
    assert verdicts == {"n": "reproduced", "young": "reproduced", "venue_wai": "reproduced",
                        "venue_band": "reproduced (naming note)", "events_wai": "reproduced",
                        "events_band": "reproduced"}
    assert (tmp_path / "out" / "fig_age.png").exists()


def test_a_published_number_that_does_not_reproduce_exits_1(club, tmp_path, monkeypatch, capsys):
    codebook = club / "codebook.toml"
    codebook.write_text(codebook.read_text().replace('published_wai = "0.9"', 'published_wai = "0.8"'))
    monkeypatch.chdir(tmp_path)
    assert main(["--study", str(club), "--out", "out"]) == 1
    err = capsys.readouterr().err
    assert "NOT REPRODUCED" in err and "published 0.8, regenerated 0.9" in err
    assert (tmp_path / "data" / "derived" / "club" / "item_scores.csv").exists()


def test_bad_answer_exits_2_naming_file_row_column_value(club, tmp_path, monkeypatch, capsys):
    export = club / "export.csv"
    export.write_text(EXPORT.replace("e,40 and over,2,6", "e,40 and over,2,8"))
    before = export.read_bytes()
    monkeypatch.chdir(tmp_path)
    assert main(["--study", str(club), "--out", "out"]) == 2
    err = capsys.readouterr().err
    assert "export.csv, row 6, column 'How good are the events?': got '8'" in err
    assert "Traceback" not in err
    assert export.read_bytes() == before
    assert not (tmp_path / "out").exists()


def test_failed_run_leaves_previous_outputs_whole(club, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["--study", str(club), "--out", "out"]) == 0
    before = tree_hashes(tmp_path / "out")
    (club / "export.csv").write_text(EXPORT.replace("a,Under 40", "a,Teenager"))
    assert main(["--study", str(club), "--out", "out"]) == 2
    assert tree_hashes(tmp_path / "out") == before


def test_default_study_is_found_from_the_project_root(monkeypatch, tmp_path):
    shutil.copytree(CHAPTER11, tmp_path / "data" / "raw" / "chapter11")
    monkeypatch.chdir(tmp_path)
    assert main([]) == 0
    assert (tmp_path / "reports" / "table1.csv").exists()
    assert (tmp_path / "data" / "derived" / "chapter11" / "item_scores.csv").exists()


def test_missing_study_folder_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main([]) == 2
    assert "codebook.toml" in capsys.readouterr().err


def test_audit_is_generated_from_the_published_tables(chapter11_run):
    _, runs = chapter11_run
    _, out, _ = runs[0]
    audit = pd.read_csv(out / "audit.csv")
    assert (audit["status"] == "inconsistent").sum() == 8
    text = (out / "audit.md").read_text()
    assert text.startswith("# Audit: ")
    assert "- **figure1.csv**, sample size: no breakdown of n = 99 gives these percentages" in text
    assert "n = 100 (Conclusion" in text


def test_inference_outputs_are_labelled_and_consistent(chapter11_run):
    _, runs = chapter11_run
    result, out, _ = runs[0]
    text = (out / "inference.md").read_text()
    assert text.splitlines()[2].startswith("**Reconstructed responses, not the study's raw data.")
    ext = pd.read_csv(out / "table1_intervals.csv", dtype={"published": str, "wai": str})
    assert ext["published"].tolist() == ext["wai"].tolist() == ["0.60", "0.64", "0.59", "0.67", "0.47"]
    assert ((ext["ci_low"] < ext["wai"].astype(float)) & (ext["wai"].astype(float) < ext["ci_high"])).all()
    # band certain exactly when both ends of the interval fall in the estimate's band
    from wai.bands import CHAPTER11_BANDS as B
    expected = [B.classify(str(lo)) == band == B.classify(str(hi))
                for lo, hi, band in zip(ext["ci_low"], ext["ci_high"], ext["band"])]
    assert ext["band_certain"].tolist() == expected
    rel = pd.read_csv(out / "reliability.csv")
    assert rel["item set"].tolist() == ["Figure 2", "Figure 3", "Figure 4", "Table 1"]
    assert rel["k"].tolist() == [6, 7, 4, 5] and ((rel["alpha"] > 0) & (rel["alpha"] < 1)).all()
    groups = pd.read_csv(out / "groups_gender.csv")
    assert len(groups) == 2 * 22 and set(groups["Gender"]) == {"Female", "Male"}
    # group counts add up to the whole sample's counts for every item
    summed = groups.groupby("item")[[f"count_{k}" for k in range(1, 6)]].sum()
    whole = result.scores.set_index("item")[[f"count_{k}" for k in range(1, 6)]]
    assert (summed.loc[whole.index] == whole).all().all()
    contrasts = pd.read_csv(out / "contrasts_gender.csv")
    assert (contrasts["p_adjusted"] >= contrasts["p_value"]).all() and set(contrasts["test"]) == {"mann-whitney"}
    shares = pd.read_csv(out / "category_shares.csv")
    assert len(shares) == 22 * 5 * 2 and set(shares["method"]) == {"wilson", "goodman"}
    # Goodman's simultaneous intervals are wider than Wilson's per-category ones
    w = shares[shares["method"] == "wilson"].reset_index()
    g = shares[shares["method"] == "goodman"].reset_index()
    assert ((g["ci_high"] - g["ci_low"]) >= (w["ci_high"] - w["ci_low"])).all()
    fig = pd.read_csv(out / "figure3.csv")
    assert {"ci_low", "ci_high", "band_certain"} <= set(fig.columns)


def test_run_interrupted_midway_leaves_previous_outputs_intact(club, tmp_path, monkeypatch):
    out, derived = tmp_path / "out", tmp_path / "derived"
    build_report(club, out, derived)
    before = tree_hashes(out), tree_hashes(derived)
    (club / "export.csv").write_text(EXPORT.replace("a,Under 40,4,7", "a,Under 40,1,1"))

    import wai.report.build

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("stopped midway")

    monkeypatch.setattr(wai.report.build, "write_tables", crash)  # after the derived data and figures were written
    with pytest.raises(KeyboardInterrupt):
        build_report(club, out, derived)
    assert (tree_hashes(out), tree_hashes(derived)) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["club", "derived", "out"]  # no staging left


def test_on_error_report_sets_bad_rows_aside(club, tmp_path, monkeypatch, capsys):
    (club / "export.csv").write_text(EXPORT.replace("e,40 and over,2,6", "e,40 and over,2,8"))
    monkeypatch.chdir(tmp_path)
    code = main(["--study", str(club), "--out", "out", "--on-error", "report"])
    rejected = pd.read_csv(tmp_path / "data" / "derived" / "club" / "rejected.csv")
    assert rejected["row"].tolist() == [6] and "got '8'" in rejected["reasons"][0]
    scores = pd.read_csv(tmp_path / "data" / "derived" / "club" / "item_scores.csv").set_index("item")
    assert scores.loc["venue", "n"] + scores.loc["venue", "n_missing"] == 5  # 6 rows less the rejected one
    assert code == 1  # without row e the published n = 6 no longer reproduces
    assert "rejected.csv" in capsys.readouterr().err


def test_answers_by_gender_chart_per_display(chapter11_run):
    """Every WAI display gets a gender-by-item chart whose CSV holds exactly the per-group counts drawn."""
    _, runs = chapter11_run
    _, out, _ = runs[0]
    groups = pd.read_csv(out / "groups_gender.csv")
    for display in ("figure2", "figure3", "figure4", "table1"):
        drawn = pd.read_csv(out / f"{display}_by_gender.csv", keep_default_na=False)
        assert (out / f"{display}_by_gender.png").stat().st_size > 10_000
        # groups in the codebook's order (Female, Male) within every item
        assert drawn["group"].tolist() == ["Female", "Male"] * (len(drawn) // 2)
        intervals = pd.read_csv(out / f"{display}_intervals.csv")
        # items sorted by the WAI over every respondent, as the display's own answers chart
        by_wai = intervals.sort_values("wai", ascending=False, kind="stable")["wording"].tolist()
        assert drawn["wording"].iloc[::2].tolist() == by_wai
        for row in drawn.itertuples(index=False):
            want = groups[(groups["Gender"] == row.group) & (groups["item"] == row.item)].iloc[0]
            assert [getattr(row, f"count_{j}") for j in range(1, 6)] == [want[f"count_{j}"] for j in range(1, 6)]
            assert (row.n, row.n_nonscale) == (want["n"], want["n_nonscale"])
            assert row.pct_1 == pytest.approx(100 * want["count_1"] / want["n"])
    # Table 1's top-box shares from the counts of "Chinese people in Cambodia", 6, 27, 41, 22, 3 (n = 99):
    # top (22 + 3)/99, bottom (6 + 27)/99, net -8/99; printed half up to 1 decimal
    shares = pd.read_csv(out / "table1_shares.csv")
    row = shares[shares["item"] == "view_people_cambodia"].iloc[0]
    assert (row["top_box"], row["bottom_box"], row["net"]) == pytest.approx((25 / 99, 33 / 99, -8 / 99), abs=1e-12)
    tex = (out / "table1_shares.tex").read_text()
    assert "Chinese people in Cambodia & 99 & 25.3 & 17.7\u201334.6 & 33.3 & 24.8\u201343.1 & -8.1 \\\\" in tex
