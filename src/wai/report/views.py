"""The report's tables and notes as printed: text views of a :class:`~wai.report.analysis.StudyResults`.

The table files (:mod:`wai.report.render_tables`), the figures
(:mod:`wai.report.render_figures`) and the page (:mod:`wai.report.page`)
print the same tables and notes; they are shaped here, once, from the
results alone. Nothing here computes a statistic: it selects, formats and
words what :func:`wai.report.analysis.analyse` computed.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from wai.exact import format_fixed
from wai.report.analysis import FieldComparison, StudyResults
from wai.study import Study
from wai.study.codebook import Display
from wai.study.reproduction import failures

TARGETS_NOTE = ("These items have no published value; the codebook gives each an illustrative target "
                "(target_wai), which the responses were built or are compared to. Where the publication states "
                "a band in words, the codebook's published_band records it and the table above checks it.")

NO_BAND_RULE_FLAGS = "None: rounding first and classifying the exact value give the same band for every item."

CATEGORY_SHARES_NOTE = ("Category shares with Wilson (per category) and Goodman (simultaneous) intervals for "
                        "every item")

ALIGN = {"n": "right", "wai": "right", "published": "right", "share in band": "right", "k": "right",
         "alpha": "right", "p": "right"}
"""Column alignment of the paper tables and the page's tables."""


def pct(results: StudyResults) -> str:
    """The confidence level as printed, ``"95%"``."""
    return f"{results.confidence:.0%}"


def band_note(study: Study, display_id: str | None = None) -> str:
    """The scale and bands a display's WAI is on (``[scale]`` and ``[bands]`` without a display)."""
    items = study.items_in(display_id) if display_id is not None else ()
    bands = study.bands_of(items[0]) if items else study.bands
    scale = study.scale_of(items[0]) if items else study.scale
    d = bands.decimals
    ranges = ", ".join(f"{b.label} = {format_fixed(b.low, d)}\u2013{format_fixed(b.high, d)}"
                       for b in bands.bands)
    named = f" ({scale.name})" if study.scales and scale.name else ""
    return f"WAI on a {scale.points}-point scale{named} [{ranges}]; band rule: {study.rule}."


OBSERVED_NOTE = "Observed values: the WAI of the answers in the responses (nothing published to compare with)."


def has_published(study: Study) -> bool:
    """Whether the study has anything to compare: a published number, a published item value or a target."""
    return bool(study.published) or any(i.published_wai or i.published_band or i.target_wai for i in study.items)


def data_note(study: Study) -> str:
    return "Reconstructed responses, not the study's raw data." if study.reconstruction else ""


def interval_text(low: float, high: float) -> str:
    return "" if pd.isna(low) or pd.isna(high) else f"{low:.2f}\u2013{high:.2f}"


def interval_note(results: StudyResults) -> str:
    return (f"CI: {pct(results)} {results.ci_method} interval on the 0\u20131 WAI. Band certain: the whole "
            "interval lies in the estimate's band. Share in band: the share of multinomial bootstrap "
            "replicates of the counts whose WAI falls in the reported band.")


def title(display: Display) -> str:
    return f"{display.label}. {display.title}"


# --------------------------------------------------------------------------- displays


def distribution_note(results: StudyResults, display: Display) -> str:
    """The caption of a distribution figure: who answered the field."""
    dist = results.distributions[str(display.field)]
    answered, blank = dist.attrs["answered"], dist.attrs["blank"]
    note = f"n = {answered} of {results.respondents} respondents answered" + (
        f" ({blank} left it blank)" if blank else "") + ". " + data_note(results.study)
    return note.strip()


def distribution_plotted(results: StudyResults, display: Display) -> pd.DataFrame:
    """A field's categories as its figure plots them: in the codebook's order of the categories."""
    return results.distributions[str(display.field)].reset_index(drop=True)


def wai_figure_notes(results: StudyResults, display: Display) -> str:
    """The caption of a WAI figure."""
    rows = results.display_rows[display.id]
    notes = [band_note(results.study, display.id)]
    if (rows["target_status"] == "illustrative").any():
        notes.append("Illustrative values: the publication gives none for these items (see the codebook's "
                     "target_wai).")
    elif len(rows) and (rows["target_status"] == "observed").all():
        notes.append(OBSERVED_NOTE)
    if display.note:
        notes.append(display.note)
    if data_note(results.study):
        notes.append(data_note(results.study))
    return " ".join(notes)


def answers_note(results: StudyResults) -> str:
    """The caption of an answers (diverging bars) figure."""
    return " ".join(x for x in ("Shares of the answers on the scale; items sorted by WAI.",
                                data_note(results.study)) if x)


def answers_plotted(results: StudyResults, display: Display) -> pd.DataFrame:
    """The columns of a display's rows that its answers figure plots."""
    counts = [f"count_{k}" for k in range(1, results.study.display_scale(display.id).points + 1)]
    plotted = results.display_rows[display.id][["item", "wording", "n", "wai"] + counts]
    return plotted.astype({c: "int64" for c in counts}) if results.study.scales else plotted


def interval_shown(results: StudyResults, display_id: str) -> pd.DataFrame:
    """A display's interval table as printed: the interval as text, band certainty as yes/no."""
    rows = results.display_rows[display_id]
    table = results.intervals[display_id]
    return table.assign(**{
        pct(results) + " CI": [interval_text(lo, hi) for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
        "band certain": table["band_certain"].map({True: "yes", False: "no"}).fillna(""),
        "share in band": [f"{x:.3f}" if pd.notna(x) else "" for x in rows["band_share"]],
    }).drop(columns=["item", "ci_low", "ci_high", "band_certain", "band_share"])


def answer_shares(study: Study, by_wai: pd.DataFrame, display_id: str | None = None) -> pd.DataFrame:
    """Per item, the percentage of its scale answers in each category, exact and rounded half up to 1 place."""
    table = pd.DataFrame({"wording": by_wai["wording"], "n": by_wai["n"]})
    scale = study.display_scale(display_id) if display_id is not None else study.scale
    for j, label in enumerate(scale.labels, start=1):
        table[label] = [format_fixed(Fraction(100 * int(c), int(n)), 1) if n else ""
                        for c, n in zip(by_wai[f"count_{j}"], by_wai["n"])]
    return table.reset_index(drop=True)


def by_wai(results: StudyResults, display_id: str) -> pd.DataFrame:
    """A display's rows, highest WAI first (ties in codebook order)."""
    return results.display_rows[display_id].sort_values("wai", ascending=False, kind="stable")


# --------------------------------------------------------------------------- inference


def p_text(p: float) -> str:
    """A p-value as printed: 3 decimals, ``"< 0.001"`` below 0.001, empty when missing.

    >>> p_text(0.0312), p_text(0.00004), p_text(1.0)
    ('0.031', '< 0.001', '1.000')
    """
    return "" if pd.isna(p) else "< 0.001" if p < 0.001 else f"{p:.3f}"


def reliability_shown(results: StudyResults) -> pd.DataFrame:
    rel = results.reliability
    assert rel is not None
    return rel.assign(**{"alpha": [f"{a:.4f}" for a in rel["alpha"]],  # 4 decimals always (0.8600, not 0.86)
                         pct(results) + " CI": [interval_text(a, b) for a, b in zip(rel["ci_low"], rel["ci_high"])]}
                      ).drop(columns=["ci_low", "ci_high"])


def reliability_caption(results: StudyResults) -> str:
    return (f"Reliability of each item set: Cronbach's alpha (complete cases) with {pct(results)} Feldt "
            "interval")


def comparison_wide(results: StudyResults, comparison: FieldComparison) -> pd.DataFrame:
    """One field's comparison as printed: per group ``n, WAI, CI`` of each item, then the tests."""
    groups, contrasts = comparison.groups, comparison.contrasts
    column = comparison.field.column
    names = [g for g in groups[column].dropna().unique()]
    declared = [c for c in comparison.field.categories if c in set(map(str, names))]  # codebook order
    names = declared + [g for g in names if str(g) not in declared]
    wording = {i.id: i.wording for i in results.study.items}
    wide = pd.DataFrame({"item": contrasts["item"]})
    for g in names:
        part = groups[groups[column] == g]
        cells = {i: f"{int(n)}, {w}, {interval_text(lo, hi)}" for i, n, w, lo, hi in
                 zip(part["item"], part["n"], part["wai_rounded"], part["ci_low"], part["ci_high"])}
        wide[f"{g} (n, WAI, {pct(results)} CI)"] = [cells[i] for i in wide["item"]]
    wide["test"] = contrasts["test"]
    wide["p"] = contrasts["p_value"].map(p_text)
    wide[f"p ({contrasts['adjust'].iloc[0]})"] = contrasts["p_adjusted"].map(p_text)
    wide["ordinal model p (adj.)"] = contrasts["po_p_adjusted"].map(p_text)
    wide["item"] = wide["item"].map(lambda i: wording.get(i, i))  # the reader sees wordings, not ids
    return wide


def comparison_intro(results: StudyResults, comparison: FieldComparison) -> str:
    return (f"Per-group WAI with {pct(results)} intervals; a rank test per item and a proportional-odds model "
            f"of the answers on {comparison.field.label.lower()}, p-values adjusted across the "
            f"{len(comparison.contrasts)} item{'s' if len(comparison.contrasts) != 1 else ''}.")


def comparison_caption(comparison: FieldComparison) -> str:
    return f"Comparison by {comparison.field.label.lower()}"


# --------------------------------------------------------------------------- reproduction


def reproduction_view(repro: pd.DataFrame) -> pd.DataFrame:
    return (repro.assign(should_reproduce=repro["should_reproduce"].map({True: "yes", False: "no"}))
            [["what", "source", "published", "regenerated", "verdict", "should_reproduce", "note"]]
            .rename(columns={"should_reproduce": "should reproduce"}))


def targets_view(targets: pd.DataFrame) -> pd.DataFrame:
    return targets.assign(met=targets["met"].map({True: "yes", False: "no"}))


def reproduction_summary(results: StudyResults) -> tuple[str, str]:
    """The count of published numbers by verdict, and whether every one that should reproduce does."""
    repro = results.reproduction
    failed = failures(repro)
    counts = repro["verdict"].value_counts()
    summary = (f"{results.respondents} respondents, {len(results.study.items)} items. {len(repro)} published "
               "numbers compared: " + ", ".join(f"{counts[v]} {v}" for v in sorted(counts.index)) + ".")
    verdict = (f"{len(failed)} published number(s) that should reproduce did not: " + ", ".join(failed["id"])
               if len(failed) else "Every published number that should reproduce does.")
    return summary, verdict


def audit_intro(results: StudyResults) -> str:
    """The audit's introduction, in Markdown."""
    assert results.audit is not None
    return (f"The published numbers of *{results.study.title}*, as typed in `{results.audit.folder}/` of the "
            "study folder, checked against each other with `python -m wai.validate`. This audit uses only "
            "the printed numbers, never the (reconstructed) responses.")
