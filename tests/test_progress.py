"""Progress of a report run (wai.report.progress): stage lines and a bar on a terminal, silence elsewhere."""

from __future__ import annotations

import io
import sys

import pytest

from wai.report.progress import Progress, terminal_progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_unless_a_terminal_and_not_quiet():
    assert not terminal_progress(io.StringIO()).enabled
    assert terminal_progress(FakeTerminal()).enabled
    assert not terminal_progress(FakeTerminal(), quiet=True).enabled
    stream = io.StringIO()
    p = Progress(stream, enabled=False)
    p.stage("x")
    p.bar("y", 3).advance()
    p.done()
    assert stream.getvalue() == ""


def test_bar_counts_to_its_total_and_ends_its_line():
    stream = io.StringIO()
    p = Progress(stream, enabled=True, width=4)
    bar = p.bar("drawing", 0)
    bar.advance()
    bar.set_total(2)
    bar.advance()
    p.stage("next")
    assert stream.getvalue() == "\rdrawing 0\rdrawing 1\rdrawing [##  ] 1/2\rdrawing [####] 2/2\nnext ...\n"


@pytest.mark.slow  # two report runs
def test_report_says_each_stage_on_a_terminal_and_nothing_with_quiet(tmp_path, monkeypatch, capsys):
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    from test_constructs import study_folder

    from wai.cli.report import main

    (tmp_path / "study").mkdir()
    folder = study_folder(tmp_path / "study")
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["--study", str(folder), "--out", str(tmp_path / "r"), "--derived", str(tmp_path / "d")]) == 0
    said = terminal.getvalue()
    for stage in ("reading responses.csv ...\n", "checking 12 responses ...\n", "analysing ...\n",
                  "writing the derived data ...\n", "writing the page ...\n", "moving the outputs into place ...\n"):
        assert stage in said, stage
    # 2 figures: table1's answers chart (table1 itself is a table) and the constructs figure
    assert "drawing the figures [" in said and said.endswith("done\n")
    total = said.split("drawing the figures [")[-1].split("\n")[0]
    assert total.endswith("] 2/2"), total
    quiet = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert main(["--study", str(folder), "--out", str(tmp_path / "r"), "--derived", str(tmp_path / "d"),
                 "--quiet"]) == 0
    assert quiet.getvalue() == ""
    assert "battery: wrote" in capsys.readouterr().out  # the result is still said, on standard output
