"""``python -m wai.report``: rebuild a study's figures and tables from its raw responses.

The pipeline, one way::

    data/raw/<study>/            codebook.toml + responses (read-only)
      -> check and tidy          wai.study.tidy
      -> analyse                 wai.report.analysis: every number, computed once, written nowhere
                                 (counts, WAI, bands, intervals, groups, reproduction, audit)
    data/derived/<study>/        answers_long.csv, item_scores.csv, field_<id>.csv
      -> render                  wai.report.render_tables, wai.report.render_figures,
                                 wai.report.page, wai.report.manifest (read only the results)
    reports/                     figureN.{png,svg,csv}, tableN.{csv,md,tex,html},
                                 reproduction.{md,csv,tex,html}, audit.{md,csv} (when the study has
                                 published/ tables), inference.md with its tables, index.html (the whole
                                 report as one self-contained page, wai.report.html), manifest.json

Every table a paper might print (the study's tables, the interval tables,
reliability, group comparisons, the reproduction) is also written as
``.tex`` (booktabs) and ``.html`` (pastes into a word processor), formatted as
the Markdown shows it; the ``.csv`` beside it keeps full precision.

Every output is written atomically, and the two output folders are switched
from old to new in one atomic step (:mod:`wai.staging`): ``reports/`` is a
link to a folder held inside the derived folder, so one switch of that folder
replaces both, and a run killed at any instant leaves the whole old pair or
the whole new pair, its manifest matching both; the next run removes what a
killed run left. An output folder that is read-only, full or a
mount point ends the run with exit 2 and one line; the previous outputs
stay whole. The same inputs give the same bytes:
no clock, no absolute path, no unseeded randomness reaches an output.

Exit status: 0 when every published number that should reproduce does, 1
when one does not, 2 when the input cannot be read (the message names the
file, row, column and value).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wai.errors import InputError
from wai.input.readers import labelled_codes, read_responses
from wai._checks import check_choice
from wai.io import CSV_FORMULAS, write_csv, write_text, writes_within
from wai.paths import check_output, raw_folders
from wai.report.analysis import StudyResults, analyse, item_scores
from wai.report.html import report_html
from wai.report.manifest import manifest_data, manifest_json
from wai.report.page import embed_figures, page_layout
from wai.report.progress import Progress
from wai.report.render_figures import FigureQueue, queue_figures
from wai.report.render_tables import write_derived, write_tables
from wai.staging import check_targets, staged_dirs
from wai.design import Design
from wai.study import Study, load_study
from wai.study.reproduction import failures
from wai.study.tidy import check_responses, split_rejected

__all__ = ["build_report", "ReportResult", "DEFAULT_STUDY", "item_scores"]

DEFAULT_STUDY = Path("data/raw/chapter11")


@dataclass(frozen=True)
class ReportResult:
    """What a report run produced and whether the published numbers reproduced.

    ``results`` holds every number of the report (:func:`~wai.report.analysis.analyse`).
    """

    study: Study
    scores: pd.DataFrame
    reproduction: pd.DataFrame
    outputs: tuple[Path, ...]
    results: StudyResults | None = None

    @property
    def failed(self) -> pd.DataFrame:
        return failures(self.reproduction)


def build_report(study_dir: str | Path = DEFAULT_STUDY, out: str | Path = "reports",
                 derived: str | Path | None = None, *, on_error: str = "stop",
                 csv_formulas: str = "escape", design: Design | None = None,
                 progress: Progress | None = None) -> ReportResult:
    """Run the whole pipeline for one study folder; returns what it made.

    Read the study and its responses, check them, :func:`~wai.report.analysis.analyse`
    them, render the results into staging folders and, only when every file
    is written, move them into ``out`` and ``derived``.

    With ``on_error="report"`` rows whose answers cannot be read are set
    aside (written with their reasons to ``rejected.csv`` in the derived
    folder) and the rest is reported; problems that concern no single row
    (a missing column) still stop the run.

    With ``csv_formulas="escape"`` (the default) every CSV cell a
    spreadsheet would run as a formula gets a leading ``'``
    (:func:`wai.io.write_csv`); ``"keep"`` writes the raw text.

    ``design`` (a :class:`wai.Design`) replaces the codebook's ``[design]``.

    ``progress`` (:class:`wai.report.progress.Progress`, silent by default)
    is told each stage, with a bar while the figures are drawn.

    Raises
    ------
    wai.errors.OptionError
        When ``out`` or ``derived`` would write into the raw data (``data/raw/``, the study
        folder) or over an input (:func:`wai.paths.check_output`).
    wai.errors.WaiError
        When the codebook or the responses cannot be read or checked.
    """
    formula_escape = check_choice("csv_formulas", csv_formulas, CSV_FORMULAS) == "escape"
    study = load_study(study_dir)
    if design is not None:
        import dataclasses

        study = dataclasses.replace(study, design=design)
    out = Path(out)
    derived = Path(derived) if derived is not None else Path("data/derived") / study.id
    if on_error not in ("stop", "report"):
        raise ValueError(f"on_error must be 'stop' or 'report', got {on_error!r}")
    check_outputs(study, out=out, derived=derived)
    check_targets(out, derived)  # before any work: folders that cannot take the outputs are refused now
    # the figure workers start now and import matplotlib while this process reads and analyses
    with FigureQueue() as figures:
        return _build(study, out, derived, on_error=on_error, formula_escape=formula_escape,
                      progress=progress or Progress(), figures=figures)


def _build(study: Study, out: Path, derived: Path, *, on_error: str, formula_escape: bool, progress: Progress,
           figures: FigureQueue) -> ReportResult:
    """:func:`build_report` once its options are checked, with the figure workers started."""
    progress.stage(f"reading {study.responses.name}")
    frame = read_responses(study.responses, encoding=study.encoding, delimiter=study.delimiter, sheet=study.sheet)
    progress.stage(f"checking {len(frame)} responses")
    # items on a numeric scale read a labelled SPSS/Stata file's codes, not its labels
    frame = labelled_codes(frame, [i.column for i in study.items
                                   if study.scale_of(i).labels == tuple(map(str, study.scale_of(i).codes))])
    rejected = None
    try:
        check_responses(frame, study)
    except InputError as exc:
        if on_error != "report":
            raise
        frame, rejected = split_rejected(frame, exc.problems)
    progress.stage("analysing")
    results = analyse(study, frame)
    # Both folders are written in full, reports/ held inside the derived folder and linked to, then switched
    # in one atomic step (wai.staging): a kill at any instant leaves the whole old pair or the whole new one.
    with staged_dirs(out, derived, holder=1) as (staged_out, staged_derived), \
            writes_within(staged_out, staged_derived):
        staged = render(results, staged_out, staged_derived, formula_escape=formula_escape, progress=progress,
                        figures=figures)
        if rejected is not None:
            staged.append(write_csv(staged_derived / "rejected.csv", rejected, formula_escape=formula_escape))
        progress.stage("moving the outputs into place")
    progress.done()
    outputs = [final / p.relative_to(folder) for p in staged
               for folder, final in [_folder_of(p, {staged_out: out, staged_derived: derived})]]
    return ReportResult(study, results.scores, results.reproduction, tuple(outputs), results)


def _folder_of(path: Path, folders: dict[Path, Path]) -> tuple[Path, Path]:
    """The (staged, final) pair of the innermost staged folder holding ``path`` (reports/ is inside derived)."""
    holding = [folder for folder in folders if folder in path.parents]
    folder = max(holding, key=lambda f: len(f.parts))
    return folder, folders[folder]


def check_outputs(study: Study, **folders: Path) -> None:
    """Each output folder (``out=...``, ``derived=...``) writes nowhere near the raw data, else OptionError.

    Not inside ``data/raw/`` or the study folder, not holding them or the
    study's responses and codebook (:func:`wai.paths.check_output`).
    """
    inputs = [study.responses, study.codebook_path]
    for option, folder in folders.items():
        check_output(option, folder, inputs=inputs, protected=raw_folders(study.root), folder=True)


def render(results: StudyResults, out: Path, derived: Path, *, formula_escape: bool = True,
           progress: Progress | None = None, figures: FigureQueue | None = None) -> list[Path]:
    """Write every output of the results into ``out`` and ``derived``; returns their paths.

    ``formula_escape`` is that of :func:`wai.io.write_csv`, for every ``.csv``.
    ``figures``: a :class:`~wai.report.render_figures.FigureQueue` made
    earlier (its workers already started), else one is made here.
    """
    if figures is None:
        with FigureQueue() as queue:
            return render(results, out, derived, formula_escape=formula_escape, progress=progress, figures=queue)
    progress = progress or Progress()
    progress.stage("writing the derived data")
    bar = progress.bar("drawing the figures", 0)
    figures.on_done = bar.advance
    try:
        # queued first: drawn in workers while the derived data, the tables and the page's layout are made
        drawn = queue_figures(results, out, figures, formula_escape=formula_escape)
        bar.set_total(sum(p.suffix == ".png" for p in drawn))
        outputs = write_derived(results, derived, formula_escape=formula_escape)
        outputs += drawn
        outputs += write_tables(results, out, formula_escape=formula_escape)
        layout = page_layout(results, manifest_data(results, [], out, derived))
        figures.wait()
    except BaseException:
        figures.cancel()  # no worker may still write into the staging folder once it is cleaned up
        raise
    progress.stage("writing the page")
    # Only now, with the figure workers finished, do the PNG files exist for the page to embed.
    page = embed_figures(layout, out)
    outputs.append(write_text(out / "index.html", report_html(page)))
    outputs.append(write_text(out / "manifest.json", manifest_json(results, outputs, out, derived)))
    return outputs
