"""The report's table files, from a :class:`~wai.report.analysis.StudyResults` alone.

Every table a paper might print is written as ``.csv`` (full precision or as
analysed), and, formatted as the Markdown shows it, ``.tex`` (booktabs) and
``.html`` (pastes into a word processor); the derived data go to their own
folder. Each function returns the paths it wrote, in order.

Every CSV goes through :func:`wai.io.write_csv`, which escapes cells a
spreadsheet would run as a formula unless ``formula_escape=False``; every
text of the study (titles, labels, wordings, notes, published values) that
reaches a Markdown file is HTML-escaped (:func:`~wai.report.tables.markdown_text`,
and :func:`~wai.report.tables.markdown_table` for the cells).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd

from wai.audit import audit_markdown
from wai.io import write_csv, write_text
from wai.report import group_views, views
from wai.report.analysis import StudyResults
from wai.report.tables import html_table, latex_table, markdown_table, markdown_text, wai_table
from wai.study.codebook import Display
from wai.study.reproduction import failures

__all__ = ["write_derived", "write_tables", "write_display_tables", "write_inference", "write_audit",
           "write_reproduction", "write_constructs"]


def paper_tables(out: Path, stem: str, frame: pd.DataFrame, caption: str,
                 align: dict[str, str] | None = None, notes: Sequence[str] = ()) -> list[Path]:
    """``stem.tex`` (booktabs) and ``stem.html`` (for a word processor) of one table."""
    notes = [n for n in notes if n]
    return [write_text(out / f"{stem}.tex", latex_table(frame, caption, f"tab:{stem}", align, notes=notes) + "\n"),
            write_text(out / f"{stem}.html", html_table(frame, caption, align, notes=notes))]


def _alt(text: str) -> str:
    """Text for the alt of a Markdown image: HTML escaped, and ``[ ]`` that would end it escaped."""
    return markdown_text(text).replace("[", "\\[").replace("]", "\\]")


def write_derived(results: StudyResults, derived: Path, *, formula_escape: bool = True) -> list[Path]:
    """``answers_long.csv``, ``item_scores.csv`` and ``field_<id>.csv`` of every field."""
    esc = formula_escape
    outputs = [write_csv(derived / "answers_long.csv", results.answers, formula_escape=esc),
               write_csv(derived / "item_scores.csv", results.scores, formula_escape=esc)]
    for fid, dist in results.distributions.items():
        outputs.append(write_csv(derived / f"field_{fid}.csv", dist, formula_escape=esc))
    if results.constructs:
        outputs.append(write_csv(derived / "construct_scores.csv", group_views.construct_scores(results),
                                 formula_escape=esc))
    return outputs


def write_tables(results: StudyResults, out: Path, *, formula_escape: bool = True) -> list[Path]:
    """Every table file of the report folder (the figures and the page aside).

    ``formula_escape`` is that of :func:`wai.io.write_csv`, for every ``.csv``.
    """
    esc = formula_escape
    return (write_display_tables(results, out, formula_escape=esc) + write_inference(results, out, formula_escape=esc)
            + write_audit(results, out, formula_escape=esc) + write_reproduction(results, out, formula_escape=esc)
            + write_constructs(results, out, formula_escape=esc))


def write_constructs(results: StudyResults, out: Path, *, formula_escape: bool = True) -> list[Path]:
    """``constructs.csv`` (full precision), ``.md``, ``.tex`` and ``.html`` when the study declares constructs."""
    if not results.constructs:
        return []
    shown = group_views.constructs_shown(results)
    caption = f"Constructs: WAI with {views.pct(results)} intervals, band and Cronbach's alpha"
    notes = [group_views.CONSTRUCTS_NOTE, views.band_note(results.study), views.data_note(results.study)]
    align = {"k": "right", "n": "right", "wai": "right", "alpha": "right"}
    md = [f"# {markdown_text(caption)}", "", markdown_table(shown, align=align)]
    md += [line for n in notes if n for line in ("", markdown_text(n))]
    return [write_csv(out / "constructs.csv", group_views.constructs_table(results), formula_escape=formula_escape),
            write_text(out / "constructs.md", "\n".join(md) + "\n"),
            *paper_tables(out, "constructs", shown, caption, align, notes)]


def write_display_tables(results: StudyResults, out: Path, *, formula_escape: bool = True) -> list[Path]:
    """The publication's tables: ``<id>.csv``, ``.md``, ``.tex`` and ``.html`` of each."""
    study = results.study
    outputs: list[Path] = []
    data_note = views.data_note(study)
    for display in (d for d in study.displays if d.kind == "wai" and d.is_table):
        band_note = views.band_note(study, display.id)
        table = wai_table(results.display_rows[display.id])
        outputs.append(write_csv(out / f"{display.id}.csv", table, formula_escape=formula_escape))
        md = [f"# {markdown_text(views.title(display))}", "",
              markdown_table(table, align={"n": "right", "wai": "right"}), "", f"Note: {markdown_text(band_note)}"]
        if data_note:
            md.append(markdown_text(data_note))
        outputs.append(write_text(out / f"{display.id}.md", "\n".join(md) + "\n"))
        outputs += paper_tables(out, display.id, table, views.title(display),
                                {"n": "right", "wai": "right"}, [band_note, data_note])
    return outputs


def write_inference(results: StudyResults, out: Path, *, formula_escape: bool = True) -> list[Path]:
    """``inference.md`` and its tables: intervals, category shares, reliability, group comparisons."""
    study = results.study
    outputs: list[Path] = []
    data_note = views.data_note(study)
    pct = views.pct(results)
    lines = [f"# Inference: {markdown_text(study.title)}", ""]
    if data_note:
        lines += [f"**{markdown_text(data_note)} Every number on this page is computed on them**; it shows what the "
                  "package reports, not a finding about the surveyed population.", ""]
    lines += [f"Intervals: {pct} {results.ci_method} intervals on the 0\u20131 WAI. "
              "Band certain: the whole interval lies in the estimate's band. Share in band: the share of "
              "multinomial bootstrap replicates of the counts whose WAI falls in the reported band.", ""]

    for display in (d for d in study.displays if d.kind == "wai"):
        lines += [f"## {markdown_text(views.title(display))}", ""]
        shown = views.interval_shown(results, display.id)
        outputs.append(write_csv(out / f"{display.id}_intervals.csv", results.intervals[display.id],
                                 formula_escape=formula_escape))
        caption = f"{views.title(display)}: WAI with {pct} intervals and band certainty"
        outputs += paper_tables(out, f"{display.id}_intervals", shown, caption, views.ALIGN,
                                [views.interval_note(results), data_note])
        lines += [markdown_table(shown, align={"n": "right", "wai": "right", "published": "right"}), ""]
        lines += [f"![{_alt(display.label)}: answer distributions]({display.id}_answers.png)", ""]
        outputs += _box_tables(results, out, display, formula_escape=formula_escape)

    if results.category_shares is not None:
        outputs.append(write_csv(out / "category_shares.csv", results.category_shares, formula_escape=formula_escape))
        lines += [f"{views.CATEGORY_SHARES_NOTE}: `category_shares.csv`.", ""]

    if results.reliability is not None:
        outputs.append(write_csv(out / "reliability.csv", results.reliability, formula_escape=formula_escape))
        rel_shown = views.reliability_shown(results)
        lines += ["## Reliability (Cronbach's alpha, complete cases, Feldt interval)", "",
                  markdown_table(rel_shown, align={"k": "right", "n": "right", "alpha": "right"}), ""]
        outputs += paper_tables(out, "reliability", rel_shown, views.reliability_caption(results), views.ALIGN,
                                [data_note])

    for comparison in results.comparisons:
        fid = comparison.field.id
        outputs.append(write_csv(out / f"groups_{fid}.csv", comparison.groups, formula_escape=formula_escape))
        outputs.append(write_csv(out / f"contrasts_{fid}.csv", comparison.contrasts, formula_escape=formula_escape))
        wide = views.comparison_wide(results, comparison)
        intro = views.comparison_intro(results, comparison)
        lines += [f"## Comparison by {markdown_text(comparison.field.label.lower())}", "", markdown_text(intro), "",
                  markdown_table(wide), ""]
        outputs += paper_tables(out, f"contrasts_{fid}", wide, views.comparison_caption(comparison),
                                notes=[intro, data_note])
    outputs.append(write_text(out / "inference.md", "\n".join(lines)))
    return outputs


def _box_tables(results: StudyResults, out: Path, display: Display, *, formula_escape: bool = True) -> list[Path]:
    """``<display>_shares.csv`` (the shares and Wilson intervals as analysed), ``.tex`` and ``.html`` (as printed)."""
    rows = results.display_rows[display.id]
    columns = ["item", "wording", "n", "top_box", "top_box_low", "top_box_high", "bottom_box", "bottom_box_low",
               "bottom_box_high", "net"]
    shown = group_views.box_shares_shown(results, display.id)
    caption = f"{views.title(display)}: top-box, bottom-box and net shares (%)"
    align = {c: "right" for c in shown.columns if c != "item"}
    return [write_csv(out / f"{display.id}_shares.csv", rows[columns], formula_escape=formula_escape),
            *paper_tables(out, f"{display.id}_shares", shown, caption, align,
                          [group_views.box_note(results, display.id), views.data_note(results.study)])]


def write_audit(results: StudyResults, out: Path, *, formula_escape: bool = True) -> list[Path]:
    """``audit.csv`` and ``audit.md`` when the study has published tables."""
    if results.audit is None:
        return []
    findings = results.audit.findings
    return [write_csv(out / "audit.csv", findings, formula_escape=formula_escape),
            write_text(out / "audit.md", audit_markdown(findings, title=f"Audit: {results.study.title}",
                                                        intro=views.audit_intro(results)))]


def write_reproduction(results: StudyResults, out: Path, *, formula_escape: bool = True) -> list[Path]:
    """``reproduction.csv``, ``.tex``, ``.html`` and ``.md``; none when the study has nothing published."""
    study = results.study
    if not views.has_published(study):
        return []
    outputs = [write_csv(out / "reproduction.csv", results.reproduction, formula_escape=formula_escape)]
    outputs += paper_tables(out, "reproduction", views.reproduction_view(results.reproduction),
                            f"Published numbers of {study.title}, regenerated from the responses",
                            notes=[views.data_note(study)])
    outputs.append(write_text(out / "reproduction.md", reproduction_markdown(results)))
    return outputs


def reproduction_markdown(results: StudyResults) -> str:
    study, repro = results.study, results.reproduction
    failed = failures(repro)
    lines = [f"# Reproduction: {markdown_text(study.title)}", ""]
    if study.citation:
        lines += [f"Source: {markdown_text(study.citation)}.", ""]
    if study.reconstruction:
        lines += ["**Data: a reconstruction.** The raw responses were never published; "
                  f"`{markdown_text(study.responses.name)}` was made by `python -m wai.reconstruct` (seed {study.seed}) to "
                  "reproduce the published numbers below. Values marked illustrative are not from the "
                  "publication.", ""]
    summary, verdict = views.reproduction_summary(results)
    lines += [markdown_text(summary), ""]
    if len(failed):
        lines += [f"**{len(failed)} published number(s) that should reproduce did not:** " +
                  ", ".join(markdown_text(x) for x in failed["id"]), ""]
    else:
        lines += [markdown_text(verdict), ""]
    lines += ["## Published numbers", "", markdown_table(views.reproduction_view(repro)), ""]
    if len(results.targets):
        lines += ["## Illustrative targets (not published)", "",
                  views.TARGETS_NOTE, "",
                  markdown_table(views.targets_view(results.targets)), ""]
    lines += ["## Values whose band depends on the band rule", ""]
    if len(results.band_rule_flags):
        lines += [markdown_table(results.band_rule_flags), ""]
    else:
        lines += [views.NO_BAND_RULE_FLAGS, ""]
    return "\n".join(lines)
