"""wai.report.analysis: the report's numbers, computed once, checked by hand, and written nowhere."""

from __future__ import annotations

import builtins
import hashlib
import io
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

import wai.report.analysis as analysis
from wai.input.readers import read_responses
from wai.report.analysis import StudyResults, analyse
from wai.study import load_study
from wai.study.tidy import check_responses

ROOT = Path(__file__).resolve().parents[1]

CODEBOOK = """
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
compare = true

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
"""

EXPORT = """id,Age group,How good is the venue?,How good are the events?
a,Under 40,4,7
b,40 and over,5,6
c,40 and over,No opinion,7
d,Under 40,7,7
e,40 and over,2,6
f,40 and over,,7
"""
# Codes 1..7 weigh (code - 1)/6.
# venue: 4, 5, 7, 2 on the scale (c: No opinion, f: blank) -> 3 + 4 + 6 + 1 = 14 of 4 x 6 -> 7/12 = 0.58, Fair
# events: 7, 6, 7, 7, 6, 7 -> 6 + 5 + 6 + 6 + 5 + 6 = 34 of 36 -> 17/18 = 0.94, Good
# by age: Under 40 (a, d): venue 3 + 6 = 9/12 = 3/4, events 12/12 = 1
#         40 and over (b, c, e, f): venue 4 + 1 = 5/12, events 5 + 6 + 5 + 6 = 22/24 = 11/12
# alpha of tab1, complete cases a, b, d, e: venue 4, 5, 7, 2 (variance 13/3), events 7, 6, 7, 6 (1/3),
#   sums 11, 11, 14, 8 (6): alpha = 2 (1 - (13/3 + 1/3) / 6) = 4/9

PUBLISHED = "item,wai,n\nHow good is the venue?,0.6,4\nHow good are the events?,0.9,6\n"


@pytest.fixture
def club(tmp_path):
    study = tmp_path / "club"
    (study / "published").mkdir(parents=True)
    (study / "codebook.toml").write_text(CODEBOOK)
    (study / "export.csv").write_text(EXPORT)
    (study / "published" / "tab1.csv").write_text(PUBLISHED)
    return study


def _read(study_dir: Path):
    study = load_study(study_dir)
    frame = read_responses(study.responses, encoding=study.encoding, delimiter=study.delimiter,
                           sheet=study.sheet)
    check_responses(frame, study)
    return study, frame


@pytest.fixture
def results(club) -> StudyResults:
    return analyse(*_read(club))


def test_item_scores_are_the_hand_computed_fractions_and_bands(results):
    scores = results.scores.set_index("item")
    assert Fraction(scores.loc["venue", "wai_exact"]) == Fraction(14, 24)
    assert Fraction(scores.loc["events", "wai_exact"]) == Fraction(34, 36)
    assert scores.loc["venue", "wai_rounded"] == "0.58" and scores.loc["events", "wai_rounded"] == "0.94"
    assert scores.loc["venue", "band"] == "Fair" and scores.loc["events", "band"] == "Good"
    assert [scores.loc["venue", f"count_{k}"] for k in range(1, 8)] == [0, 1, 0, 1, 1, 0, 1]
    assert (scores.loc["venue", "n"], scores.loc["venue", "n_nonscale"], scores.loc["venue", "n_blank"]) == (4, 1, 1)
    assert results.respondents == 6
    assert results.display_rows["tab1"]["item"].tolist() == ["venue", "events"]
    assert set(results.display_rows) == {"tab1"}  # the distribution figure has no score rows
    assert results.band_rule_flags.empty  # 7/12 and 17/18 are in the same band under either rule
    assert (results.confidence, results.ci_method) == (0.95, "t")


def test_field_distributions_and_category_shares(results):
    age = results.distributions["age"]
    assert age["category"].tolist() == ["Under 40", "40 and over"]
    assert age["count"].tolist() == [2, 4]
    assert age.attrs["answered"] == 6 and age.attrs["blank"] == 0
    shares = results.category_shares
    venue = shares[(shares["item"] == "venue") & (shares["method"] == "wilson")]
    assert venue["count"].tolist() == [0, 1, 0, 1, 1, 0, 1]
    assert venue["share"].tolist() == [0, 0.25, 0, 0.25, 0.25, 0, 0.25]
    assert set(shares["method"]) == {"wilson", "goodman"} and len(shares) == 2 * 2 * 7


def test_interval_tables_and_reliability(results):
    table = results.intervals["tab1"]
    assert table["item"].tolist() == ["venue", "events"]
    assert table["published"].tolist() == ["0.6", "0.9"]
    assert table["wai"].tolist() == ["0.58", "0.94"]
    assert (table["ci_low"] <= [14 / 24, 34 / 36]).all() and (table["ci_high"] >= [14 / 24, 34 / 36]).all()
    rel = results.reliability
    assert rel["item set"].tolist() == ["Tab 1"]  # the label made from the id tab1
    assert (rel["k"].iloc[0], rel["n"].iloc[0]) == (2, 4)
    assert rel["alpha"].iloc[0] == round(4 / 9, 4)


def test_groups_and_contrasts_come_from_one_count_per_field(club, monkeypatch):
    calls = []
    real = analysis.count

    def counting(frame, items, scale, by=None, **kwargs):
        calls.append(by)
        return real(frame, items, scale, by, **kwargs)

    monkeypatch.setattr(analysis, "count", counting)
    results = analyse(*_read(club))
    assert calls == ["Age group"]  # one count for the one compared field, serving score and compare
    (comparison,) = results.comparisons
    assert comparison.field.id == "age"
    counts = comparison.counts.table.set_index(["Age group", "item"])
    old_venue = counts.loc[("40 and over", "How good is the venue?")]
    assert [old_venue[f"count_{k}"] for k in range(1, 8)] == [0, 1, 0, 0, 1, 0, 0]
    assert (old_venue["n"], old_venue["n_nonscale"], old_venue["n_blank"]) == (2, 1, 1)
    groups = comparison.groups.set_index(["Age group", "item"])
    assert Fraction(groups.loc[("Under 40", "venue"), "wai_exact"]) == Fraction(3, 4)
    assert Fraction(groups.loc[("Under 40", "events"), "wai_exact"]) == 1
    assert Fraction(groups.loc[("40 and over", "venue"), "wai_exact"]) == Fraction(5, 12)
    assert Fraction(groups.loc[("40 and over", "events"), "wai_exact"]) == Fraction(11, 12)
    assert groups.loc[("40 and over", "venue"), "band"] == "Fair"  # 0.42
    assert comparison.contrasts["item"].tolist() == ["venue", "events"]
    assert comparison.contrasts["p_value"].between(0, 1).all()


def test_reproduction_audit_and_manifest_inputs(club, results):
    verdicts = results.reproduction.set_index("id")["verdict"].to_dict()
    assert verdicts == {"n": "reproduced", "venue_wai": "reproduced", "venue_band": "reproduced (naming note)",
                        "events_wai": "reproduced", "events_band": "reproduced"}
    assert results.targets.empty
    audit = results.audit
    assert (audit.folder, audit.tables) == ("published", ("tab1.csv",))
    checks = audit.findings.set_index("check")
    assert checks.loc["n_rows", "status"] == "note"  # n = 4 and n = 6 in one table
    assert (audit.findings.loc[audit.findings["check"] == "granularity", "status"] == "ok").all()
    assert results.inputs == {
        "codebook.toml": hashlib.sha256((club / "codebook.toml").read_bytes()).hexdigest(),
        "export.csv": hashlib.sha256((club / "export.csv").read_bytes()).hexdigest()}
    assert results.parameters["weights"] == [str(Fraction(k, 6)) for k in range(7)]


def test_a_study_without_published_tables_has_no_audit(club):
    for p in (club / "published").iterdir():
        p.unlink()
    (club / "published").rmdir()
    assert analyse(*_read(club)).audit is None


def _tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else b"")
            for p in sorted(folder.rglob("*"))}


class _Wrote(AssertionError):
    pass


def _no_writes(monkeypatch):
    """Make every way of writing a file or folder fail."""
    real_open, real_os_open = builtins.open, os.open

    def guarded_open(file, mode="r", *args, **kwargs):
        if any(c in str(mode) for c in "wax+"):
            raise _Wrote(f"open({file!r}, {mode!r})")
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC):
            raise _Wrote(f"os.open({path!r})")
        return real_os_open(path, flags, *args, **kwargs)

    def refuse(name):
        def fail(*args, **kwargs):
            raise _Wrote(f"{name}{args}")
        return fail

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)  # Path.open
    monkeypatch.setattr(os, "open", guarded_os_open)
    for name in ("replace", "rename", "mkdir", "makedirs", "remove", "unlink", "rmdir"):
        monkeypatch.setattr(os, name, refuse(f"os.{name}"))
    for name in ("write_text", "write_bytes", "mkdir", "touch", "unlink", "rename", "replace"):
        monkeypatch.setattr(Path, name, refuse(f"Path.{name}"))
    import wai.io

    for name in ("write_csv", "write_text", "write_bytes", "staged_dir"):
        monkeypatch.setattr(wai.io, name, refuse(f"wai.io.{name}"))


def test_analyse_writes_nothing_and_prints_nothing(club, tmp_path, monkeypatch, capsys):
    study, frame = _read(club)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    before = _tree(tmp_path)
    with monkeypatch.context() as guard:
        _no_writes(guard)
        with pytest.raises(_Wrote):  # the guard catches a write
            open(work / "x.csv", "w")
        with pytest.raises(_Wrote):
            pd.DataFrame({"a": [1]}).to_csv(work / "x.csv")
        results = analyse(study, frame)
    assert _tree(tmp_path) == before
    assert capsys.readouterr() == ("", "")
    assert Fraction(results.scores.set_index("item").loc["venue", "wai_exact"]) == Fraction(7, 12)


def test_analyse_never_imports_matplotlib(club):
    code = (
        "import sys\n"
        "from wai.input.readers import read_responses\n"
        "from wai.report.analysis import analyse\n"
        "from wai.study import load_study\n"
        "study = load_study(sys.argv[1])\n"
        "frame = read_responses(study.responses)\n"
        "results = analyse(study, frame)\n"
        "assert results.scores['wai_exact'].tolist() == ['7/12', '17/18'], results.scores['wai_exact']\n"
        "loaded = sorted(m for m in sys.modules if m == 'matplotlib' or m.startswith('matplotlib.'))\n"
        "print(len(results.comparisons), loaded)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", code, str(club)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "[]"]


def test_the_figures_module_does_import_matplotlib():
    """The check above can fail: the module that draws brings matplotlib in."""
    code = "import sys\nimport wai.report.figures\nprint('matplotlib' in sys.modules)\n"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


@pytest.mark.skipif(sys.platform == "win32" or (os.cpu_count() or 1) < 2, reason="figures drawn in forked workers")
def test_a_report_draws_its_figures_without_matplotlib_in_the_main_process(club, tmp_path):
    """The workers import matplotlib, started before the analysis; the main process (page, captions,
    manifest) never does, and the figures are still written."""
    code = (
        "import sys\n"
        "from wai.report import build_report\n"
        "r = build_report(sys.argv[1], sys.argv[2] + '/out', sys.argv[2] + '/derived')\n"
        "print(sum(p.suffix == '.png' for p in r.outputs), 'matplotlib' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", code, str(club), str(tmp_path)], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    pngs, imported = done.stdout.split()
    assert int(pngs) > 0 and imported == "False"
    assert all((tmp_path / "out" / p.name).stat().st_size > 0 for p in (tmp_path / "out").glob("*.png"))


def test_build_report_renders_the_results_of_analyse(club, tmp_path):
    from wai.report import build_report

    result = build_report(club, tmp_path / "out", tmp_path / "derived")
    assert result.results is not None and result.results.scores is result.scores
    table = pd.read_csv(tmp_path / "out" / "tab1_intervals.csv", dtype=str)
    assert table["wai"].tolist() == ["0.58", "0.94"]
    groups = pd.read_csv(tmp_path / "out" / "groups_age.csv", dtype=str)
    venue = groups[groups["item"] == "venue"].set_index("Age group")["wai_exact"].to_dict()
    assert venue == {"Under 40": "3/4", "40 and over": "5/12"}
