"""``python -m wai.report``: rebuild a study's figures and tables from its raw responses.

The pipeline, one way::

    data/raw/<study>/            codebook.toml + responses (read-only)
      -> check and tidy          wai.study.tidy
      -> counts, WAI, bands      wai.scoring
    data/derived/<study>/        answers_long.csv, item_scores.csv, field_<id>.csv
      -> tables and figures      wai.report.tables, wai.report.figures
      -> reproduction            wai.study.reproduction
    reports/                     figureN.{png,svg,csv}, tableN.{csv,md,tex,html},
                                 reproduction.{md,csv,tex,html}, audit.{md,csv} (when the study has
                                 published/ tables), inference.md with its tables, index.html (the whole
                                 report as one self-contained page, wai.report.html), manifest.json

Every table a paper might print (the study's tables, the interval tables,
reliability, group comparisons, the reproduction) is also written as
``.tex`` (booktabs) and ``.html`` (pastes into a word processor), formatted as
the Markdown shows it; the ``.csv`` beside it keeps full precision.

Every output is written atomically. The same inputs give the same bytes:
no clock, no absolute path, no unseeded randomness reaches an output.

Exit status: 0 when every published number that should reproduce does, 1
when one does not, 2 when the input cannot be read (the message names the
file, row, column and value).
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

import pandas as pd

from wai.errors import InputError, WaiError
from wai.exact import format_fixed
from wai.audit import audit_markdown, validate_tables
from wai.io import read_published_table, sha256_file, staged_dir, write_csv, write_text
from wai.input.readers import read_responses
from wai.study.reproduction import failures, reproduction_table, target_table
from wai.scoring import score
from wai.study import Study, load_study
from wai.report.html import (PageFigure, PageSection, PageTable, PageText, ReportPage, alt_answers, alt_distribution,
                      alt_wai, audit_blocks, method_section, report_html)
from wai.report.tables import html_table, latex_table, markdown_table, wai_table
from wai.study.tidy import check_responses, field_distribution, split_rejected, tidy_answers

__all__ = ["build_report", "ReportResult", "DEFAULT_STUDY"]

DEFAULT_STUDY = Path("data/raw/chapter11")

_TARGETS_NOTE = ("These items have no published value; the codebook gives each an illustrative target "
                 "(target_wai), which the responses were built or are compared to. Where the publication states "
                 "a band in words, the codebook's published_band records it and the table above checks it.")


@dataclass(frozen=True)
class ReportResult:
    """What a report run produced and whether the published numbers reproduced."""

    study: Study
    scores: pd.DataFrame
    reproduction: pd.DataFrame
    outputs: tuple[Path, ...]

    @property
    def failed(self) -> pd.DataFrame:
        return failures(self.reproduction)


def _band_note(study: Study) -> str:
    d = study.bands.decimals
    ranges = ", ".join(f"{b.label} = {format_fixed(b.low, d)}\u2013{format_fixed(b.high, d)}"
                       for b in study.bands.bands)
    return f"WAI on a {study.scale.points}-point scale [{ranges}]; band rule: {study.rule}."


def _data_note(study: Study) -> str:
    return "Reconstructed responses, not the study's raw data." if study.reconstruction else ""


def item_scores(study: Study, frame: pd.DataFrame) -> pd.DataFrame:
    """Score every item of the study; the ``item`` column holds item ids, with wording and display."""
    columns = [i.column for i in study.items]
    scored = score(frame, columns, study.scale, bands=study.bands, rule=study.rule,  # type: ignore[arg-type]
                   file=frame.attrs.get("source_file"))
    meta = pd.DataFrame({
        "item": [i.id for i in study.items],
        "in": [i.display for i in study.items],
        "wording": [i.wording for i in study.items],
        "target_status": [i.target_status for i in study.items],
    })
    scored = scored.drop(columns="item")
    return pd.concat([meta, scored.reset_index(drop=True)], axis=1)


def build_report(study_dir: str | Path = DEFAULT_STUDY, out: str | Path = "reports",
                 derived: str | Path | None = None, *, on_error: str = "stop") -> ReportResult:
    """Run the whole pipeline for one study folder; returns what it made.

    With ``on_error="report"`` rows whose answers cannot be read are set
    aside (written with their reasons to ``rejected.csv`` in the derived
    folder) and the rest is reported; problems that concern no single row
    (a missing column) still stop the run.

    Raises
    ------
    wai.errors.WaiError
        When the codebook or the responses cannot be read or checked.
    """
    study = load_study(study_dir)
    out = Path(out)
    derived = Path(derived) if derived is not None else Path("data/derived") / study.id
    if on_error not in ("stop", "report"):
        raise ValueError(f"on_error must be 'stop' or 'report', got {on_error!r}")
    frame = read_responses(study.responses, encoding=study.encoding, delimiter=study.delimiter, sheet=study.sheet)
    rejected = None
    try:
        check_responses(frame, study)
    except InputError as exc:
        if on_error != "report":
            raise
        frame, rejected = split_rejected(frame, exc.problems)
    with staged_dir(out) as staged_out, staged_dir(derived) as staged_derived:
        scores, repro, staged = _run(study, frame, staged_out, staged_derived)
        if rejected is not None:
            staged.append(write_csv(staged_derived / "rejected.csv", rejected))
    final = {staged_out: out, staged_derived: derived}
    outputs = [final[folder] / p.relative_to(folder) for p in staged for folder in final if folder in p.parents]
    return ReportResult(study, scores, repro, tuple(outputs))


def _run(study: Study, frame: pd.DataFrame, out: Path, derived: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[Path]]:
    """Every stage of the pipeline, writing into ``out`` and ``derived``."""
    outputs: list[Path] = []

    # derived data
    outputs.append(write_csv(derived / "answers_long.csv", tidy_answers(frame, study)))
    scores = item_scores(study, frame)
    outputs.append(write_csv(derived / "item_scores.csv", scores))
    distributions = {f.id: field_distribution(frame, study, f.id) for f in study.fields}
    for fid, dist in distributions.items():
        outputs.append(write_csv(derived / f"field_{fid}.csv", dist))

    parts = _PageParts()
    with _Figures() as figures:
        outputs += _displays(study, frame, scores, distributions, out, figures, parts)
        outputs += _inference(study, frame, scores, out, figures, parts)
        outputs += _audit(study, out, parts)
        repro = reproduction_table(study, frame, scores, distributions)
        targets = target_table(study, scores)
        outputs.append(write_csv(out / "reproduction.csv", repro))
        outputs += _paper_tables(out, "reproduction", _reproduction_view(repro),
                                 f"Published numbers of {study.title}, regenerated from the responses",
                                 notes=[_data_note(study)])
        outputs.append(write_text(out / "reproduction.md",
                                  _reproduction_markdown(study, frame, scores, repro, targets)))
    # Only now, with the figure workers finished, do the PNG files exist for the page to embed.
    manifest = _manifest_data(study, [], out, derived)
    page = _page(study, frame, scores, distributions, repro, targets, parts, manifest, out)
    outputs.append(write_text(out / "index.html", report_html(page)))
    outputs.append(write_text(out / "manifest.json", _manifest(study, outputs, out, derived)))
    return scores, repro, outputs


@dataclass
class _PageParts:
    """What the stages hand to the HTML page, in the order the page shows it."""

    displays: list = field(default_factory=list)  # PageTable or PageFigure, one per display
    intervals: list = field(default_factory=list)  # PageSection per WAI display
    reliability: PageTable | None = None
    comparisons: list = field(default_factory=list)  # PageSection per compared field
    audit: pd.DataFrame | None = None
    audit_intro: str = ""


def _paper_tables(out: Path, stem: str, frame: pd.DataFrame, caption: str,
                  align: dict[str, str] | None = None, notes: Sequence[str] = ()) -> list[Path]:
    """``stem.tex`` (booktabs) and ``stem.html`` (for a word processor) of one table."""
    notes = [n for n in notes if n]
    return [write_text(out / f"{stem}.tex", latex_table(frame, caption, f"tab:{stem}", align, notes=notes) + "\n"),
            write_text(out / f"{stem}.html", html_table(frame, caption, align, notes=notes))]


class _Figures:
    """Draws the report's figures, in worker processes when the machine has more than one core.

    Figures are independent of each other and of the rest of the run, and
    drawing them is most of a report's time, so they are drawn while the
    main process computes the rest. Workers are forked from this process
    after matplotlib is imported, so they start at once; where ``fork`` is
    not available the figures are drawn here, one after the other. Either
    way each figure's files are the same bytes.
    """

    def __init__(self) -> None:
        import multiprocessing
        import os

        from wai.report import figures  # the only place matplotlib enters

        self._figures = figures
        self._pool = None
        self._futures: list = []
        workers = min(4, os.cpu_count() or 1)
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))

    def add(self, name: str, table: pd.DataFrame, **kwargs) -> list[Path]:
        """Queue one figure (a function of :mod:`wai.report.figures`); returns the paths it will write."""
        stem = str(kwargs["stem"])
        if self._pool is None:
            return getattr(self._figures, name)(table, **kwargs)
        self._futures.append(self._pool.submit(_draw, name, table, kwargs))
        return [Path(stem + suffix) for suffix in (".png", ".svg", ".csv")]

    def __enter__(self) -> "_Figures":
        return self

    def __exit__(self, kind, error, trace) -> None:
        if self._pool is None:
            return
        try:
            if kind is None:
                for future in self._futures:
                    future.result()  # re-raises a worker's error here
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _draw(name: str, table: pd.DataFrame, kwargs: dict) -> list[Path]:
    from wai.report import figures

    return getattr(figures, name)(table, **kwargs)


def _displays(study: Study, frame: pd.DataFrame, scores: pd.DataFrame,
              distributions: dict[str, pd.DataFrame], out: Path, figures: "_Figures",
              parts: "_PageParts | None" = None) -> list[Path]:
    """The publication's figures and tables, regenerated (and handed to the page in ``parts``)."""
    outputs: list[Path] = []
    parts = parts if parts is not None else _PageParts()
    data_note = _data_note(study)
    band_note = _band_note(study)
    pct = f"{_confidence(scores):.0%}"
    for display in study.displays:
        if display.kind == "distribution":
            dist = distributions[display.field]  # type: ignore[index]
            answered, blank = dist.attrs["answered"], dist.attrs["blank"]
            note = f"n = {answered} of {len(frame)} respondents answered" + (
                f" ({blank} left it blank)" if blank else "") + ". " + data_note
            plotted = dist.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)
            outputs += figures.add("distribution_figure", plotted, title=f"{display.label}. {display.title}",
                                                   stem=out / display.id, note=note.strip())
            what = study.field_by_id(display.field).label.lower()  # type: ignore[arg-type]
            parts.displays.append(PageFigure(
                display.id, f"{display.label}. {display.title}", alt_distribution(plotted, what, answered),
                note.strip(), f"{display.id}.png", files=(f"{display.id}.svg", f"{display.id}.csv")))
            continue
        rows = scores[scores["in"] == display.id].reset_index(drop=True)
        if display.is_table:
            table = wai_table(rows)
            outputs.append(write_csv(out / f"{display.id}.csv", table))
            md = [f"# {display.label}. {display.title}", "",
                  markdown_table(table, align={"n": "right", "wai": "right"}), "", f"Note: {band_note}"]
            if data_note:
                md.append(data_note)
            outputs.append(write_text(out / f"{display.id}.md", "\n".join(md) + "\n"))
            outputs += _paper_tables(out, display.id, table, f"{display.label}. {display.title}",
                                     {"n": "right", "wai": "right"}, [band_note, data_note])
            _, shown = _interval_view(study, display.id, rows, pct)
            parts.displays.append(PageTable(
                display.id, shown, heading=f"{display.label}. {display.title}",
                caption=f"{display.label}: WAI with {pct} intervals and band certainty",
                notes=tuple(x for x in (band_note, _interval_note(scores), data_note) if x),
                files=tuple(f"{display.id}{s}" for s in (".csv", ".md", ".tex", ".html")) +
                tuple(f"{display.id}_intervals{s}" for s in (".csv", ".tex", ".html")),
                align=_ALIGN))
        else:
            notes = [band_note]
            if (rows["target_status"] == "illustrative").any():
                notes.append("Illustrative values: the publication gives none for these items (see the codebook's "
                             "target_wai).")
            if display.note:
                notes.append(display.note)
            if data_note:
                notes.append(data_note)
            outputs += figures.add("wai_figure", rows, title=f"{display.label}. {display.title}",
                                          bands=study.bands, stem=out / display.id, note=" ".join(notes))
            parts.displays.append(PageFigure(
                display.id, f"{display.label}. {display.title}", alt_wai(rows, confidence=_confidence(scores)),
                " ".join(notes), f"{display.id}.png", files=(f"{display.id}.svg", f"{display.id}.csv")))
            # the figure's numbers, readable where the figure's own text is too small (a phone)
            _, shown = _interval_view(study, display.id, rows, pct)
            parts.displays.append(PageTable(
                f"{display.id}-numbers", shown,
                caption=f"{display.label}: the numbers, with {pct} intervals and band certainty",
                notes=(_interval_note(scores),),
                files=tuple(f"{display.id}_intervals{s}" for s in (".csv", ".tex", ".html")), align=_ALIGN))

    return outputs


def _audit(study: Study, out: Path, parts: "_PageParts | None" = None) -> list[Path]:
    """The audit of the study's published tables (``published/*.csv`` in the study folder)."""
    outputs: list[Path] = []
    parts = parts if parts is not None else _PageParts()
    published = study.root / "published"
    if published.is_dir():
        tables = {p.name: read_published_table(p) for p in sorted(published.glob("*.csv"))}
        findings = validate_tables(tables, bands=study.bands)
        outputs.append(write_csv(out / "audit.csv", findings))
        intro = (f"The published numbers of *{study.title}*, as typed in `{published.name}/` of the study "
                 "folder, checked against each other with `python -m wai.validate`. This audit uses only the "
                 "printed numbers, never the (reconstructed) responses.")
        outputs.append(write_text(out / "audit.md", audit_markdown(findings, title=f"Audit: {study.title}",
                                                                   intro=intro)))
        parts.audit, parts.audit_intro = findings, intro.replace("*", "").replace("`", "")

    return outputs


def _interval_text(low: float, high: float) -> str:
    return "" if pd.isna(low) or pd.isna(high) else f"{low:.2f}\u2013{high:.2f}"


_ALIGN = {"n": "right", "wai": "right", "published": "right", "share in band": "right", "k": "right",
          "alpha": "right", "p": "right"}


def _answer_shares(rows: pd.DataFrame, study: Study) -> pd.DataFrame:
    """Per item, the percentage of its scale answers in each category, exact and rounded half up to 1 place."""
    from fractions import Fraction

    table = pd.DataFrame({"wording": rows["wording"], "n": rows["n"]})
    for j, label in enumerate(study.scale.labels, start=1):
        table[label] = [format_fixed(Fraction(100 * int(c), int(n)), 1) if n else ""
                        for c, n in zip(rows[f"count_{j}"], rows["n"])]
    return table.reset_index(drop=True)


def _confidence(scores: pd.DataFrame) -> float:
    return float(scores["confidence"].dropna().iloc[0]) if scores["confidence"].notna().any() else 0.95


def _interval_note(scores: pd.DataFrame) -> str:
    pct = f"{_confidence(scores):.0%}"
    method = scores["ci_method"].dropna().iloc[0] if scores["ci_method"].notna().any() else "t"
    return (f"CI: {pct} {method} interval on the 0\u20131 WAI. Band certain: the whole interval lies in the "
            "estimate's band. Share in band: the share of multinomial bootstrap replicates of the counts whose "
            "WAI falls in the reported band.")


def _interval_view(study: Study, display_id: str, rows: pd.DataFrame, pct: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A display's items with intervals and band certainty: the CSV frame and the frame as printed."""
    items = study.items_in(display_id)
    table = pd.DataFrame({
        "item": rows["item"], "wording": rows["wording"], "n": rows["n"],
        "published": [i.published_wai or "" for i in items],
        "wai": rows["wai_rounded"], "ci_low": rows["ci_low"].round(4), "ci_high": rows["ci_high"].round(4),
        "band": rows["band"], "band_certain": rows["band_certain"], "band_share": rows["band_share"].round(3),
    })
    if not any(i.published_wai for i in items):
        table = table.drop(columns="published")
    shown = table.assign(**{
        pct + " CI": [_interval_text(lo, hi) for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
        "band certain": table["band_certain"].map({True: "yes", False: "no"}).fillna(""),
        "share in band": [f"{x:.3f}" if pd.notna(x) else "" for x in rows["band_share"]],
    }).drop(columns=["item", "ci_low", "ci_high", "band_certain", "band_share"])
    return table, shown


def _inference(study: Study, frame: pd.DataFrame, scores: pd.DataFrame, out: Path,
               figures: "_Figures", parts: "_PageParts | None" = None) -> list[Path]:
    """Intervals, band certainty, the full answer distributions, reliability and group contrasts."""
    from wai.groups import compare
    from wai.inference import category_intervals
    from wai.reliability import alpha

    outputs: list[Path] = []
    parts = parts if parts is not None else _PageParts()
    data_note = _data_note(study)
    confidence = _confidence(scores)
    pct = f"{confidence:.0%}"
    lines = [f"# Inference: {study.title}", ""]
    if data_note:
        lines += [f"**{data_note} Every number on this page is computed on them**; it shows what the "
                  "package reports, not a finding about the surveyed population.", ""]
    lines += [f"Intervals: {pct} {scores['ci_method'].dropna().iloc[0]} intervals on the 0\u20131 WAI. "
              "Band certain: the whole interval lies in the estimate's band. Share in band: the share of "
              "multinomial bootstrap replicates of the counts whose WAI falls in the reported band.", ""]
    wai_displays = [d for d in study.displays if d.kind == "wai"]

    for display in wai_displays:
        rows = scores[scores["in"] == display.id].reset_index(drop=True)
        lines += [f"## {display.label}. {display.title}", ""]
        table, shown = _interval_view(study, display.id, rows, pct)
        outputs.append(write_csv(out / f"{display.id}_intervals.csv", table))
        caption = f"{display.label}. {display.title}: WAI with {pct} intervals and band certainty"
        outputs += _paper_tables(out, f"{display.id}_intervals", shown, caption, _ALIGN,
                                 [_interval_note(scores), data_note])
        lines += [markdown_table(shown, align={"n": "right", "wai": "right", "published": "right"}), ""]
        counts = [f"count_{k}" for k in range(1, study.scale.points + 1)]
        answers_note = " ".join(x for x in ("Shares of the answers on the scale; items sorted by WAI.", data_note) if x)
        outputs += figures.add(
            "diverging_figure", rows[["item", "wording", "n", "wai"] + counts],
            title=f"{display.label}. {display.title}: all answers", labels=list(study.scale.labels),
            stem=out / f"{display.id}_answers", note=answers_note)
        lines += [f"![{display.label}: answer distributions]({display.id}_answers.png)", ""]
        by_wai = rows.sort_values("wai", ascending=False, kind="stable")
        parts.intervals.append(PageSection(f"{display.id}-answers", f"{display.label}. {display.title}", (
            PageFigure(f"{display.id}-answers-figure", "", alt_answers(by_wai, list(study.scale.labels)),
                       answers_note, f"{display.id}_answers.png",
                       files=(f"{display.id}_answers.svg", f"{display.id}_answers.csv")),
            PageTable(f"{display.id}-answers-table", _answer_shares(by_wai, study),
                      caption=f"{display.label}: share of the answers in each category (%)",
                      align={c: "right" for c in ("n", *study.scale.labels)}),
        )))

    shares = []
    for row in scores.itertuples(index=False):
        counts = [getattr(row, f"count_{k}") for k in range(1, study.scale.points + 1)]
        if sum(counts) == 0:
            continue
        for method in ("wilson", "goodman"):
            part = category_intervals(counts, ci_method=method, confidence_level=confidence)
            part.insert(0, "item", row.item)
            part.insert(2, "label", list(study.scale.labels))
            shares.append(part)
    if shares:
        outputs.append(write_csv(out / "category_shares.csv", pd.concat(shares, ignore_index=True).round(6)))
        lines += ["Category shares with Wilson (per category) and Goodman (simultaneous) intervals for every "
                  "item: `category_shares.csv`.", ""]
        parts.intervals.append(PageText("Category shares with Wilson (per category) and Goodman (simultaneous) "
                                        "intervals for every item are in the file category_shares.csv beside "
                                        "this page.", "note"))

    reliability = []
    for display in wai_displays:
        items = study.items_in(display.id)
        if len(items) < 2:
            continue
        res = alpha(frame, [i.column for i in items], study.scale, reverse=[i.column for i in items if i.reverse])
        reliability.append((display.label, res.k, res.n, round(res.alpha, 4), round(res.ci_low, 4),
                            round(res.ci_high, 4)))
    if reliability:
        rel = pd.DataFrame(reliability, columns=["item set", "k", "n", "alpha", "ci_low", "ci_high"])
        outputs.append(write_csv(out / "reliability.csv", rel))
        rel_shown = rel.assign(**{pct + " CI": [_interval_text(a, b) for a, b in zip(rel["ci_low"], rel["ci_high"])]}
                               ).drop(columns=["ci_low", "ci_high"])
        lines += ["## Reliability (Cronbach's alpha, complete cases, Feldt interval)", "",
                  markdown_table(rel_shown, align={"k": "right", "n": "right", "alpha": "right"}), ""]
        rel_caption = f"Reliability of each item set: Cronbach's alpha (complete cases) with {pct} Feldt interval"
        outputs += _paper_tables(out, "reliability", rel_shown, rel_caption, _ALIGN, [data_note])
        parts.reliability = PageTable("reliability-table", rel_shown, caption=rel_caption,
                                      notes=("k: items in the set; n: respondents who answered all of them "
                                             "on the scale.",),
                                      files=("reliability.csv", "reliability.tex", "reliability.html"), align=_ALIGN)

    ids = {i.column: i.id for i in study.items}
    columns = [i.column for i in study.items]
    for fld in (f for f in study.fields if f.compare):
        groups = score(frame, columns, study.scale, by=fld.column, bands=study.bands,  # type: ignore[arg-type]
                       rule=study.rule, file=frame.attrs.get("source_file"))  # type: ignore[arg-type]
        groups["item"] = groups["item"].map(ids)
        outputs.append(write_csv(out / f"groups_{fld.id}.csv", groups))
        contrasts = compare(frame, columns, study.scale, by=fld.column)
        contrasts["item"] = contrasts["item"].map(ids)
        outputs.append(write_csv(out / f"contrasts_{fld.id}.csv", contrasts))
        names = [g for g in groups[fld.column].dropna().unique()]
        wide = pd.DataFrame({"item": contrasts["item"]})
        for g in names:
            part = groups[groups[fld.column] == g].set_index("item")
            wide[f"{g} (n, WAI, {pct} CI)"] = [
                f"{int(part.loc[i, 'n'])}, {part.loc[i, 'wai_rounded']}, "
                f"{_interval_text(part.loc[i, 'ci_low'], part.loc[i, 'ci_high'])}" for i in wide["item"]]
        wide["test"] = contrasts["test"]
        wide["p"] = contrasts["p_value"].map(lambda x: f"{x:.3f}")
        wide[f"p ({contrasts['adjust'].iloc[0]})"] = contrasts["p_adjusted"].map(lambda x: f"{x:.3f}")
        wide["ordinal model p (adj.)"] = contrasts["po_p_adjusted"].map(lambda x: "" if pd.isna(x) else f"{x:.3f}")
        intro = (f"Per-group WAI with {pct} intervals; a rank test per item and a proportional-odds model of "
                 f"the answers on {fld.label.lower()}, p-values adjusted across the {len(wide)} items.")
        lines += [f"## Comparison by {fld.label.lower()}", "", intro, "", markdown_table(wide), ""]
        caption = f"Comparison by {fld.label.lower()}"
        outputs += _paper_tables(out, f"contrasts_{fld.id}", wide, caption, notes=[intro, data_note])
        parts.comparisons.append(PageSection(f"comparison-{fld.id}", caption, (
            PageText(intro),
            PageTable(f"contrasts-{fld.id}-table", wide, caption=f"{caption}: per-group WAI and tests",
                      files=(f"groups_{fld.id}.csv", f"contrasts_{fld.id}.csv", f"contrasts_{fld.id}.tex",
                             f"contrasts_{fld.id}.html")))))
    outputs.append(write_text(out / "inference.md", "\n".join(lines)))
    return outputs


def _reproduction_view(repro: pd.DataFrame) -> pd.DataFrame:
    return (repro.assign(should_reproduce=repro["should_reproduce"].map({True: "yes", False: "no"}))
            [["what", "source", "published", "regenerated", "verdict", "should_reproduce", "note"]]
            .rename(columns={"should_reproduce": "should reproduce"}))


def _reproduction_summary(study: Study, frame: pd.DataFrame, repro: pd.DataFrame) -> tuple[str, str]:
    """The count of published numbers by verdict, and whether every one that should reproduce does."""
    failed = failures(repro)
    counts = repro["verdict"].value_counts()
    summary = (f"{len(frame)} respondents, {len(study.items)} items. {len(repro)} published numbers compared: "
               + ", ".join(f"{counts[v]} {v}" for v in sorted(counts.index)) + ".")
    verdict = (f"{len(failed)} published number(s) that should reproduce did not: " + ", ".join(failed["id"])
               if len(failed) else "Every published number that should reproduce does.")
    return summary, verdict


def _reproduction_markdown(study: Study, frame: pd.DataFrame, scores: pd.DataFrame, repro: pd.DataFrame,
                           targets: pd.DataFrame) -> str:
    failed = failures(repro)
    lines = [f"# Reproduction: {study.title}", ""]
    if study.citation:
        lines += [f"Source: {study.citation}.", ""]
    if study.reconstruction:
        lines += ["**Data: a reconstruction.** The raw responses were never published; "
                  f"`{study.responses.name}` was made by `python -m wai.reconstruct` (seed {study.seed}) to "
                  "reproduce the published numbers below. Values marked illustrative are not from the "
                  "publication.", ""]
    counts = repro["verdict"].value_counts()
    lines += [f"{len(frame)} respondents, {len(study.items)} items. "
              f"{len(repro)} published numbers compared: " +
              ", ".join(f"{counts[v]} {v}" for v in sorted(counts.index)) + ".", ""]
    if len(failed):
        lines += [f"**{len(failed)} published number(s) that should reproduce did not:** " +
                  ", ".join(failed["id"]), ""]
    else:
        lines += ["Every published number that should reproduce does.", ""]
    lines += ["## Published numbers", "", markdown_table(_reproduction_view(repro)), ""]
    if len(targets):
        lines += ["## Illustrative targets (not published)", "",
                  _TARGETS_NOTE, "",
                  markdown_table(targets.assign(met=targets["met"].map({True: "yes", False: "no"}))), ""]
    flagged = scores[scores["band_depends_on_rule"].fillna(False).astype(bool)]
    lines += ["## Values whose band depends on the band rule", ""]
    if len(flagged):
        lines += [markdown_table(flagged[["item", "wai_exact", "wai_rounded", "band_rounded", "band_exact"]]), ""]
    else:
        lines += ["None: rounding first and classifying the exact value give the same band for every item.", ""]
    return "\n".join(lines)


def _page(study: Study, frame: pd.DataFrame, scores: pd.DataFrame, distributions: dict[str, pd.DataFrame],
          repro: pd.DataFrame, targets: pd.DataFrame, parts: _PageParts, manifest: dict, out: Path) -> ReportPage:
    """The whole report as one page (:mod:`wai.report.html`); reads the figures' PNG files from ``out``."""

    def embed(block):
        if isinstance(block, PageFigure):
            return replace(block, png=(out / block.png_file).read_bytes())
        if isinstance(block, PageSection):
            return replace(block, blocks=tuple(embed(b) for b in block.blocks))
        return block

    summary, verdict = _reproduction_summary(study, frame, repro)
    banner = ""
    if study.reconstruction:
        banner = (f"The study's raw responses were never published. The file {study.responses.name} was made by "
                  f"python -m wai.reconstruct (seed {study.seed}) to reproduce the published numbers; every number "
                  "on this page is computed on these reconstructed responses. It shows what the package reports, "
                  "not a finding about the surveyed population. Values marked illustrative are not from the "
                  "publication.")
    lead = [PageText(study.notes)] if study.notes else []
    lead += [PageText(summary), PageText(verdict, "strong")]

    sample: list = [PageText(f"{len(frame)} respondents answered the survey.")]
    for fld in study.fields:
        dist = distributions[fld.id]
        answered, blank = dist.attrs["answered"], dist.attrs["blank"]
        shown = pd.DataFrame({"category": dist["category"], "count": dist["count"],
                              "percent": [f"{x:.1f}" if pd.notna(x) else "" for x in dist["percent"]]})
        note = f"Percent of the {answered} who answered" + (f"; {blank} left it blank." if blank else ".")
        sample.append(PageTable(f"sample-{fld.id}", shown, heading=fld.label,
                                caption=f"Respondents by {fld.label.lower()}",
                                notes=(note, f"The counts are in field_{fld.id}.csv in the derived data folder."),
                                align={"count": "right", "percent": "right"}))

    repro_blocks: list = [PageText(summary), PageText(verdict, "strong")]
    if study.citation:
        repro_blocks.insert(0, PageText(f"Source: {study.citation}."))
    repro_blocks.append(PageTable("reproduction-table", _reproduction_view(repro),
                                  caption="Published numbers, regenerated from the responses",
                                  files=("reproduction.csv", "reproduction.md", "reproduction.tex",
                                         "reproduction.html"), flag=(("verdict", "differs"),)))
    if len(targets):
        repro_blocks.append(PageSection("illustrative-targets", "Illustrative targets (not published)", (
            PageText(_TARGETS_NOTE),
            PageTable("targets-table", targets.assign(met=targets["met"].map({True: "yes", False: "no"})),
                      caption="Illustrative targets and the regenerated values"))))
    flagged = scores[scores["band_depends_on_rule"].fillna(False).astype(bool)]
    rule_blocks: tuple = (
        (PageTable("band-rule-table", flagged[["item", "wai_exact", "wai_rounded", "band_rounded", "band_exact"]],
                   caption="Items whose band differs between the rounded and the exact rule"),)
        if len(flagged) else
        (PageText("None: rounding first and classifying the exact value give the same band for every item."),))
    repro_blocks.append(PageSection("band-rule", "Values whose band depends on the band rule", rule_blocks))

    if parts.audit is not None:
        audit: tuple = (PageText(parts.audit_intro), *audit_blocks(parts.audit))
    else:
        audit = (PageText("The study folder has no published/ tables, so there is nothing to audit."),)

    answers_intro = PageText(
        "Every answer on the scale, item by item: the share in each category, items sorted by WAI. The WAI "
        "summarises these shares in one number; two items with the same WAI can be spread differently.")
    sections = [
        PageSection("sample", "Sample", tuple(sample)),
        PageSection("displays", "Figures and tables", tuple(parts.displays)),
        PageSection("reproduction", "Reproduction: published and regenerated", tuple(repro_blocks)),
        PageSection("audit", "Audit of the published tables", audit),
        PageSection("answers", "Answer distributions", (answers_intro, *parts.intervals)),
    ]
    if parts.reliability is not None:
        sections.append(PageSection("reliability", "Reliability", (parts.reliability,)))
    if parts.comparisons:
        sections.append(PageSection("comparisons", "Group comparisons", tuple(parts.comparisons)))
    sections.append(method_section(manifest, ci_method=str(scores["ci_method"].dropna().iloc[0])
                                   if scores["ci_method"].notna().any() else "t",
                                   confidence=_confidence(scores),
                                   command=f"python -m wai.report (study {study.id})"))
    return ReportPage(
        title=study.title, citation=f"Source: {study.citation}." if study.citation else "", banner=banner,
        lead=tuple(lead), sections=tuple(embed(s) for s in sections),
        footer=f"Made by wai {manifest['software']['wai']} from the study folder {study.id}: "
               "python -m wai.report. Every table and figure on this page is also a file beside it.")


def _manifest(study: Study, outputs: list[Path], out: Path, derived: Path) -> str:
    return json.dumps(_manifest_data(study, outputs, out, derived), indent=2, sort_keys=True) + "\n"


def _manifest_data(study: Study, outputs: list[Path], out: Path, derived: Path) -> dict:
    """Input hashes, parameters, software versions and the hash of every table written.

    The tables (.csv, .md, .tex and .html) are the same bytes on any machine
    with the same inputs and versions; figures and ``index.html`` (which
    embeds the PNGs) depend on font rendering too, so they are not hashed.
    """
    import matplotlib
    import numpy
    import scipy

    import wai

    manifest = {
        "study": study.id,
        "reconstruction": study.reconstruction,
        "inputs": {study.codebook_path.name: sha256_file(study.codebook_path),
                   study.responses.name: sha256_file(study.responses)},
        "parameters": {"scale": list(study.scale.labels), "weights": [str(w) for w in study.scale.weights],
                       "non_scale": list(study.scale.non_scale), "band_rule": study.rule,
                       "bands": [[b.label, str(b.low), str(b.high)] for b in study.bands.bands],
                       "rounding": "half up from the exact value", "decimals": study.bands.decimals},
        "software": {"wai": wai.__version__, "python": platform.python_version(), "pandas": pd.__version__,
                     "numpy": numpy.__version__, "scipy": scipy.__version__,
                     "matplotlib": matplotlib.__version__},
        "outputs": {label: {p.relative_to(folder).as_posix(): sha256_file(p)
                            for p in sorted(outputs)
                            if p.suffix in (".csv", ".md", ".tex", ".html") and p.name != "index.html"
                            and folder in p.parents}
                    for label, folder in (("reports", out), ("derived", derived))},
    }
    return manifest
