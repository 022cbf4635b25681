"""The report as one page: the :class:`~wai.report.html.ReportPage` of a :class:`~wai.report.analysis.StudyResults`.

:func:`report_page` builds the page's sections from the results alone and
embeds the figures' PNG files, which must exist in the report folder by
then; :func:`wai.report.html.report_html` turns it into ``index.html``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from wai.report import group_views, views
from wai.report.plotted import figure_caption, grouped_caption  # no matplotlib there
from wai.report.analysis import FieldComparison, StudyResults
from wai.report.html import (Block, PageFigure, PageSection, PageTable, PageText, ReportPage, alt_answers,
                             alt_distribution, alt_wai, audit_blocks, method_section)
from wai.study.codebook import Display

__all__ = ["report_page", "page_layout", "embed_figures"]


def report_page(results: StudyResults, manifest: Mapping[str, Any], out: Path) -> ReportPage:
    """The whole report as one page (:mod:`wai.report.html`); reads the figures' PNG files from ``out``.

    The same as :func:`embed_figures` of :func:`page_layout`, which a report
    calls apart: the layout while its figures are still being drawn.
    """
    return embed_figures(page_layout(results, manifest), out)


def embed_figures(page: ReportPage, out: Path) -> ReportPage:
    """The page with each figure's PNG bytes read from ``out`` (where :func:`page_layout` left them empty)."""

    def embed(block: Any) -> Any:
        if isinstance(block, PageFigure):
            return replace(block, png=(out / block.png_file).read_bytes())
        if isinstance(block, PageSection):
            return replace(block, blocks=tuple(embed(b) for b in block.blocks))
        return block

    return replace(page, sections=tuple(embed(s) for s in page.sections))


def page_layout(results: StudyResults, manifest: Mapping[str, Any]) -> ReportPage:
    """The whole page but the figures' pixels: every text, table and figure slot; reads no file."""
    study = results.study
    banner = ""
    if study.reconstruction:
        banner = (f"The study's raw responses were never published. The file {study.responses.name} was made by "
                  f"python -m wai.reconstruct (seed {study.seed}) to reproduce the published numbers; every number "
                  "on this page is computed on these reconstructed responses. It shows what the package reports, "
                  "not a finding about the surveyed population. Values marked illustrative are not from the "
                  "publication.")
    lead = [PageText(study.notes)] if study.notes else []
    sections = [PageSection("sample", "Sample", _sample(results)),
                PageSection("displays", "Figures and tables", _displays(results))]
    if views.has_published(study):  # a study with nothing published gets no reproduction section
        summary, verdict = views.reproduction_summary(results)
        lead += [PageText(summary), PageText(verdict, "strong")]
        sections.append(PageSection("reproduction", "Reproduction: published and regenerated", _reproduction(results)))
    else:
        lead.append(PageText(f"{results.respondents} respondents, {len(study.items)} items. Every value is observed "
                             "in the responses; the study gives no published numbers to compare."))
    sections += [
        PageSection("audit", "Audit of the published tables", _audit(results)),
        PageSection("answers", "Answer distributions", _answers(results)),
    ]
    if results.reliability is not None:
        sections.append(PageSection("reliability", "Reliability", (_reliability(results),)))
    if results.constructs:
        sections.append(PageSection("constructs", "Constructs", _constructs(results)))
    if results.comparisons:
        sections.append(PageSection("comparisons", "Group comparisons", _comparisons(results)))
    sections.append(method_section(manifest, ci_method=results.ci_method, confidence=results.confidence,
                                   command=f"python -m wai.report (study {study.id})"))
    return ReportPage(
        title=study.title, citation=f"Source: {study.citation}." if study.citation else "", banner=banner,
        lead=tuple(lead), sections=tuple(sections),
        footer=f"Made by wai {manifest['software']['wai']} from the study folder {study.id}: "
               "python -m wai.report. Every table and figure on this page is also a file beside it.")


def _sample(results: StudyResults) -> tuple[Block, ...]:
    sample: list[Block] = [PageText(f"{results.respondents} respondents answered the survey.")]
    for fld in results.study.fields:
        dist = results.distributions[fld.id]
        answered, blank = dist.attrs["answered"], dist.attrs["blank"]
        shown = pd.DataFrame({"category": dist["category"], "count": dist["count"],
                              "percent": [f"{x:.1f}" if pd.notna(x) else "" for x in dist["percent"]]})
        note = f"Percent of the {answered} who answered" + (f"; {blank} left it blank." if blank else ".")
        sample.append(PageTable(f"sample-{fld.id}", shown, heading=fld.label,
                                caption=f"Respondents by {fld.label.lower()}",
                                notes=(note, f"The counts are in field_{fld.id}.csv in the derived data folder."),
                                align={"count": "right", "percent": "right"}))
    return tuple(sample)


def _displays(results: StudyResults) -> tuple[Block, ...]:
    """The publication's figures and tables, each WAI figure followed by its numbers."""
    blocks: list[Block] = []
    for display in results.study.displays:
        if display.kind == "distribution":
            blocks.append(_distribution(results, display))
        elif display.is_table:
            blocks.append(_wai_table(results, display))
        else:
            blocks += _wai_figure(results, display)
    return tuple(blocks)


def _distribution(results: StudyResults, display: Display) -> PageFigure:
    plotted = views.distribution_plotted(results, display)
    what = results.study.field_by_id(str(display.field)).label.lower()
    answered = results.distributions[str(display.field)].attrs["answered"]
    caption = figure_caption("distribution", plotted, note=views.distribution_note(results, display))
    return PageFigure(display.id, views.title(display), alt_distribution(plotted, what, answered),
                      caption, f"{display.id}.png",
                      files=(f"{display.id}.svg", f"{display.id}.csv"))


def _wai_table(results: StudyResults, display: Display) -> PageTable:
    study = results.study
    notes = (views.band_note(study, display.id), views.interval_note(results), views.data_note(study))
    return PageTable(
        display.id, views.interval_shown(results, display.id), heading=views.title(display),
        caption=f"{display.label}: WAI with {views.pct(results)} intervals and band certainty",
        notes=tuple(x for x in notes if x),
        files=tuple(f"{display.id}{s}" for s in (".csv", ".md", ".tex", ".html")) +
        tuple(f"{display.id}_intervals{s}" for s in (".csv", ".tex", ".html")),
        align=views.ALIGN)


def _wai_figure(results: StudyResults, display: Display) -> tuple[PageFigure, PageTable]:
    rows = results.display_rows[display.id]
    caption = figure_caption("wai", rows, note=views.wai_figure_notes(results, display),
                                     bands=results.study.bands)
    figure = PageFigure(display.id, views.title(display), alt_wai(rows, confidence=results.confidence),
                        caption, f"{display.id}.png",
                        files=(f"{display.id}.svg", f"{display.id}.csv"))
    # the figure's numbers, readable where the figure's own text is too small (a phone)
    numbers = PageTable(
        f"{display.id}-numbers", views.interval_shown(results, display.id),
        caption=f"{display.label}: the numbers, with {views.pct(results)} intervals and band certainty",
        notes=(views.interval_note(results),),
        files=tuple(f"{display.id}_intervals{s}" for s in (".csv", ".tex", ".html")), align=views.ALIGN)
    return figure, numbers


def _answers(results: StudyResults) -> tuple[Block, ...]:
    """Every WAI display's answers figure and shares table, then where the category shares are."""
    study = results.study
    blocks: list[Block] = [PageText(
        "Every answer on the scale, item by item: the share in each category, items sorted by WAI. The WAI "
        "summarises these shares in one number; two items with the same WAI can be spread differently.")]
    for display in (d for d in study.displays if d.kind == "wai"):
        labels = list(study.display_scale(display.id).labels)
        by_wai = views.by_wai(results, display.id)
        blocks.append(PageSection(f"{display.id}-answers", views.title(display), (
            PageFigure(f"{display.id}-answers-figure", "", alt_answers(by_wai, labels),
                       figure_caption("diverging", by_wai, note=views.answers_note(results), labels=labels),
                       f"{display.id}_answers.png",
                       files=(f"{display.id}_answers.svg", f"{display.id}_answers.csv")),
            PageTable(f"{display.id}-answers-table", views.answer_shares(study, by_wai, display.id),
                      caption=f"{display.label}: share of the answers in each category (%)",
                      align={c: "right" for c in ("n", *labels)}),
            _box_table(results, display),
        )))
    if results.category_shares is not None:
        blocks.append(PageText(f"{views.CATEGORY_SHARES_NOTE} are in the file category_shares.csv beside "
                               "this page.", "note"))
    return tuple(blocks)


def _constructs(results: StudyResults) -> tuple[Block, ...]:
    """The constructs: their WAI as a figure (when any was scored), then the table."""
    blocks: list[Block] = [PageText(group_views.CONSTRUCTS_NOTE)]
    plotted = group_views.constructs_plotted(results)
    if len(plotted):
        caption = figure_caption("wai", plotted, note=views.band_note(results.study), bands=results.study.bands)
        blocks.append(PageFigure("constructs-figure", "", alt_wai(plotted, confidence=results.confidence), caption,
                                 "constructs_figure.png", files=("constructs_figure.svg", "constructs_figure.csv")))
    blocks.append(PageTable("constructs-table", group_views.constructs_shown(results),
                            caption=f"Constructs: WAI with {views.pct(results)} intervals, band and alpha",
                            notes=tuple(x for x in (views.band_note(results.study), views.data_note(results.study))
                                        if x),
                            files=("constructs.csv", "constructs.md", "constructs.tex", "constructs.html"),
                            align={"k": "right", "n": "right", "wai": "right", "alpha": "right"}))
    return tuple(blocks)


def _box_table(results: StudyResults, display: Display) -> PageTable:
    shown = group_views.box_shares_shown(results, display.id)
    return PageTable(f"{display.id}-shares-table", shown,
                     caption=f"{display.label}: top-box, bottom-box and net shares (%)",
                     notes=(group_views.box_note(results, display.id),),
                     files=tuple(f"{display.id}_shares{s}" for s in (".csv", ".tex", ".html")),
                     align={c: "right" for c in shown.columns if c != "item"})


def _reliability(results: StudyResults) -> PageTable:
    return PageTable("reliability-table", views.reliability_shown(results),
                     caption=views.reliability_caption(results),
                     notes=("k: items in the set; n: respondents who answered all of them on the scale.",),
                     files=("reliability.csv", "reliability.tex", "reliability.html"), align=views.ALIGN)


def _comparisons(results: StudyResults) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for comparison in results.comparisons:
        fid, caption = comparison.field.id, views.comparison_caption(comparison)
        blocks.append(PageSection(f"comparison-{fid}", caption, (
            PageText(views.comparison_intro(results, comparison)),
            PageTable(f"contrasts-{fid}-table", views.comparison_wide(results, comparison),
                      caption=f"{caption}: per-group WAI and tests",
                      files=(f"groups_{fid}.csv", f"contrasts_{fid}.csv", f"contrasts_{fid}.tex",
                             f"contrasts_{fid}.html")),
            *_grouped(results, comparison))))
    return tuple(blocks)


def _grouped(results: StudyResults, comparison: FieldComparison) -> tuple[Block, ...]:
    """Each WAI display's answers by the field's groups, side by side, one figure per display."""
    blocks: list[Block] = []
    for display in (d for d in results.study.displays if d.kind == "wai"):
        table = group_views.grouped_answers(results, comparison, display)
        options = group_views.grouped_figure_options(results, comparison, display)
        stem = group_views.grouped_stem(comparison, display)
        caption = grouped_caption(options["note"], options["labels"], sort=options["sort"],
                                          filled=options["filled"], non_scale_label=options["non_scale_label"],
                                          layout=options["layout"])
        blocks.append(PageFigure(stem, f"{views.title(display)}: answers by {comparison.field.label.lower()}",
                                 group_views.alt_grouped(table, options["labels"], comparison),
                                 caption, f"{stem}.png", files=(f"{stem}.svg", f"{stem}.csv")))
    return tuple(blocks)


def _reproduction(results: StudyResults) -> tuple[Block, ...]:
    study = results.study
    summary, verdict = views.reproduction_summary(results)
    blocks: list[Block] = [PageText(summary), PageText(verdict, "strong")]
    if study.citation:
        blocks.insert(0, PageText(f"Source: {study.citation}."))
    shown = views.reproduction_view(results.reproduction)
    first = ["what", "verdict"]  # on a phone the verdict stays beside what it judges
    blocks.append(PageTable("reproduction-table", shown[first + [c for c in shown.columns if c not in first]],
                            caption="Published numbers, regenerated from the responses",
                            files=("reproduction.csv", "reproduction.md", "reproduction.tex",
                                   "reproduction.html"), flag=(("verdict", "differs"),)))
    if len(results.targets):
        blocks.append(PageSection("illustrative-targets", "Illustrative targets (not published)", (
            PageText(views.TARGETS_NOTE),
            PageTable("targets-table", views.targets_view(results.targets),
                      caption="Illustrative targets and the regenerated values"))))
    flagged = results.band_rule_flags
    rule_blocks: tuple[Block, ...] = (
        (PageTable("band-rule-table", flagged,
                   caption="Items whose band differs between the rounded and the exact rule"),)
        if len(flagged) else (PageText(views.NO_BAND_RULE_FLAGS),))
    blocks.append(PageSection("band-rule", "Values whose band depends on the band rule", rule_blocks))
    return tuple(blocks)


def _audit(results: StudyResults) -> tuple[Block, ...]:
    if results.audit is None:
        return (PageText("The study folder has no published/ tables, so there is nothing to audit."),)
    intro = views.audit_intro(results).replace("*", "").replace("`", "")
    return (PageText(intro), *audit_blocks(results.audit.findings))
