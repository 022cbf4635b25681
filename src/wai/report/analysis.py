"""The report's numbers: everything a study's report shows, computed once, written nowhere.

:func:`analyse` takes a study (:func:`wai.study.load_study`) and its checked
responses and returns a :class:`StudyResults`: the item scores, each
display's rows, the field distributions, the interval tables, the category
shares, reliability, the group comparisons, the reproduction and the audit.
It is pure: it writes no file, prints nothing and never imports matplotlib.
It reads only inputs: the responses are passed in, and it reads the small
``published/*.csv`` tables of the study folder (for the audit) and hashes the
codebook and responses files (for the manifest).

The renderers read only from a :class:`StudyResults`:
:mod:`wai.report.render_tables` (CSV, Markdown, LaTeX and HTML files),
:mod:`wai.report.render_figures` (the figures), :mod:`wai.report.page`
(``index.html``) and :mod:`wai.report.manifest` (``manifest.json``).

Each row's exact WAI and its band are computed once, by :func:`wai.score`,
and every table, figure and check of the report takes them from the score
frames here; each compared field's answers are counted once
(:func:`wai.count`) for both its per-group scores and its contrasts.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, Mapping, cast

import pandas as pd

from wai.audit import validate_tables
from wai.constructs import ConstructResult, score_construct
from wai.counts import Counts, count
from wai.groups import compare
from wai.inference import category_intervals
from wai.io import read_published_table, sha256_file
from wai.reliability import alpha
from wai.scoring import score
from wai.study import Study
from wai.study.codebook import Field
from wai.study.reproduction import reproduction_table, target_table
from wai.study.tidy import field_distribution, tidy_answers

__all__ = ["StudyResults", "FieldComparison", "AuditResult", "analyse", "item_scores", "construct_results"]

BAND_RULE_COLUMNS = ["item", "wai_exact", "wai_rounded", "band_rounded", "band_exact"]
"""The columns of :attr:`StudyResults.band_rule_flags`."""


@dataclass(frozen=True, eq=False)
class FieldComparison:
    """The groups of one compared field (``compare = true`` in the codebook).

    Attributes
    ----------
    field : Field
        The codebook's field.
    counts : Counts
        The answers of every item counted once per group (:func:`wai.count`
        with ``by`` the field's column); ``groups`` and ``contrasts`` are both
        computed from it.
    groups : pandas.DataFrame
        :func:`wai.score` of ``counts``: one row per group and item (item ids
        in ``item``), with the exact WAI, band and interval.
    contrasts : pandas.DataFrame
        :func:`wai.compare` of ``counts``: one row per item (item ids), the
        rank test and the proportional-odds test, p-values adjusted.
    """

    field: Field
    counts: Counts
    groups: pd.DataFrame
    contrasts: pd.DataFrame


@dataclass(frozen=True, eq=False)
class AuditResult:
    """The audit of the study's published tables (``published/*.csv`` of the study folder).

    Attributes
    ----------
    folder : str
        The folder's name (``"published"``).
    tables : tuple of str
        The file names audited, in order.
    findings : pandas.DataFrame
        :func:`wai.audit.validate_tables` of those tables.
    """

    folder: str
    tables: tuple[str, ...]
    findings: pd.DataFrame


@dataclass(frozen=True, eq=False)
class StudyResults:
    """Every number of a study's report; the renderers read nothing else.

    Frozen: no field can be reassigned. The frames are not copied, so treat
    them as read-only (a renderer that reshapes one works on a copy).

    Attributes
    ----------
    study : Study
        The codebook.
    respondents : int
        Rows of the responses analysed (after any rejected rows were set aside).
    answers : pandas.DataFrame
        The tidy answers (:func:`wai.study.tidy.tidy_answers`), one row per
        respondent and item.
    scores : pandas.DataFrame
        One row per item (:func:`item_scores`): item id, display (``in``),
        wording, target status, the counts, the exact WAI (``wai_exact``, a
        fraction as text), its rounded text and its band under either rule,
        and the interval and band certainty.
    display_rows : mapping of str to pandas.DataFrame
        Per WAI display (by id), its rows of ``scores`` in codebook order.
    distributions : mapping of str to pandas.DataFrame
        Per field (by id), ``category, count, percent`` with
        ``attrs["answered"]`` and ``attrs["blank"]``
        (:func:`wai.study.tidy.field_distribution`).
    intervals : mapping of str to pandas.DataFrame
        Per WAI display, the interval table as its ``<display>_intervals.csv``
        holds it: ``item, wording, n, [published,] wai, ci_low, ci_high, band,
        band_certain, band_share`` (interval ends rounded to 4 places, the
        share to 3; ``published`` only when an item of the display has one).
    category_shares : pandas.DataFrame or None
        Per item with answers, each category's share with Wilson and Goodman
        intervals (rounded to 6 places); None when no item has an answer.
    reliability : pandas.DataFrame or None
        Per WAI display of 2 or more items: ``item set, k, n, alpha, ci_low,
        ci_high`` (Cronbach's alpha and its Feldt interval, rounded to 4
        places); None when no display has 2 items.
    comparisons : tuple of FieldComparison
        One per compared field, in codebook order.
    reproduction : pandas.DataFrame
        Every published number and its regenerated value and verdict
        (:func:`wai.study.reproduction.reproduction_table`).
    targets : pandas.DataFrame
        The illustrative targets and whether they are met
        (:func:`wai.study.reproduction.target_table`).
    audit : AuditResult or None
        None when the study folder has no ``published/`` folder.
    band_rule_flags : pandas.DataFrame
        The items whose band differs between the rounded and the exact rule:
        ``item, wai_exact, wai_rounded, band_rounded, band_exact``.
    confidence : float
        The confidence level of the intervals (0.95 when no item has one).
    ci_method : str
        The interval method (``"t"`` when no item has an interval).
    inputs : mapping of str to str
        File name to SHA-256 of the codebook and the responses.
    parameters : mapping
        The scoring parameters as the manifest records them: scale labels,
        weights, non-scale answers, band rule, bands, rounding, decimals.
    """

    study: Study
    respondents: int
    answers: pd.DataFrame
    scores: pd.DataFrame
    display_rows: Mapping[str, pd.DataFrame]
    distributions: Mapping[str, pd.DataFrame]
    intervals: Mapping[str, pd.DataFrame]
    category_shares: pd.DataFrame | None
    reliability: pd.DataFrame | None
    comparisons: tuple[FieldComparison, ...]
    reproduction: pd.DataFrame
    targets: pd.DataFrame
    audit: AuditResult | None
    band_rule_flags: pd.DataFrame
    confidence: float
    ci_method: str
    inputs: Mapping[str, str]
    parameters: Mapping[str, Any]
    constructs: tuple[ConstructResult, ...] = ()  # one per [[constructs]] entry (construct_results)


def _rule(study: Study) -> Literal["rounded", "exact"]:
    return cast(Literal["rounded", "exact"], study.rule)


def item_scores(study: Study, frame: pd.DataFrame) -> pd.DataFrame:
    """Score every item of the study on its scale; the ``item`` column holds item ids, with wording and display.

    A study of several scales has ``count_k`` columns up to its longest scale's K; an item's counts past
    its own K are empty (nullable integers).
    """
    parts = []
    for _, items in study.scale_groups():
        scored = score(frame, [i.column for i in items], study.scale_of(items[0]), bands=study.bands_of(items[0]),
                       rule=_rule(study), file=frame.attrs.get("source_file"),
                       design=study.design)
        parts.append(scored.set_index(pd.Index([i.id for i in items])))
    if len(parts) > 1:
        widest = max(parts, key=lambda p: p.shape[1]).columns
        scored = pd.concat(parts)[widest].loc[[i.id for i in study.items]]
        counts = [c for c in scored.columns if c.startswith("count_")]
        scored[counts] = scored[counts].astype("Int64")
    elif parts:
        scored = parts[0]
    else:
        scored = score(frame, [], study.scale, bands=study.bands, rule=_rule(study), design=study.design)
    meta = pd.DataFrame({
        "item": [i.id for i in study.items],
        "in": [i.display for i in study.items],
        "wording": [i.wording for i in study.items],
        "target_status": [i.target_status for i in study.items],
    })
    scored = scored.drop(columns="item")
    return pd.concat([meta, scored.reset_index(drop=True)], axis=1)


def analyse(study: Study, frame: pd.DataFrame) -> StudyResults:
    """All the numbers of a study's report, from its checked responses; writes nothing.

    Parameters
    ----------
    study : Study
        The codebook (:func:`wai.study.load_study`).
    frame : pandas.DataFrame
        The responses, checked (:func:`wai.study.tidy.check_responses`): one
        row per respondent.

    Returns
    -------
    StudyResults

    Notes
    -----
    Reads the ``published/*.csv`` tables of the study folder when it has
    one (the audit's input) and hashes the codebook and responses files;
    writes no file, prints nothing, and does not import matplotlib.
    """
    scores = item_scores(study, frame)
    wai_displays = [d for d in study.displays if d.kind == "wai"]
    display_rows = {d.id: scores[scores["in"] == d.id].reset_index(drop=True) for d in study.displays
                    if d.kind == "wai"}
    distributions = {f.id: field_distribution(frame, study, f.id) for f in study.fields}
    confidence = (float(scores["confidence"].dropna().iloc[0]) if scores["confidence"].notna().any()
                  else 0.95)
    ci_method = str(scores["ci_method"].dropna().iloc[0]) if scores["ci_method"].notna().any() else "t"
    ci_method = ci_method.removesuffix("-truncated")  # the method; a row cut to [0, 1] says so in its own row
    flagged = scores[scores["band_depends_on_rule"].fillna(False).astype(bool)]
    return StudyResults(
        study=study,
        respondents=len(frame),
        answers=tidy_answers(frame, study),
        scores=scores,
        display_rows=MappingProxyType(display_rows),
        distributions=MappingProxyType(distributions),
        intervals=MappingProxyType({d.id: interval_table(study, d.id, display_rows[d.id])
                                    for d in wai_displays}),
        category_shares=_category_shares(study, scores, confidence),
        reliability=_reliability(study, frame),
        comparisons=tuple(_comparison(study, frame, f) for f in study.fields if f.compare and study.items),
        reproduction=reproduction_table(study, frame, scores, distributions),
        targets=target_table(study, scores),
        audit=_audit(study),
        band_rule_flags=flagged[BAND_RULE_COLUMNS],
        confidence=confidence,
        ci_method=ci_method,
        inputs=MappingProxyType({study.codebook_path.name: sha256_file(study.codebook_path),
                                 study.responses.name: sha256_file(study.responses)}),
        parameters=MappingProxyType(_parameters(study)),
        constructs=construct_results(study, frame),
    )


def interval_table(study: Study, display_id: str, rows: pd.DataFrame) -> pd.DataFrame:
    """A display's items with intervals and band certainty, as ``<display>_intervals.csv`` holds them."""
    items = study.items_in(display_id)
    table = pd.DataFrame({
        "item": rows["item"], "wording": rows["wording"], "n": rows["n"],
        "published": [i.published_wai or "" for i in items],
        "wai": rows["wai_rounded"], "ci_low": rows["ci_low"].round(4), "ci_high": rows["ci_high"].round(4),
        "band": rows["band"], "band_certain": rows["band_certain"], "band_share": rows["band_share"].round(3),
    })
    if not any(i.published_wai for i in items):
        table = table.drop(columns="published")
    return table


def _category_shares(study: Study, scores: pd.DataFrame, confidence: float) -> pd.DataFrame | None:
    """Each category's share of every item with answers (on the item's scale), Wilson and Goodman intervals."""
    shares = []
    for item, (_, row) in zip(study.items, scores.iterrows()):
        scale = study.scale_of(item)
        counts = [int(row[f"count_{k}"]) for k in range(1, scale.points + 1)]
        if sum(counts) == 0:
            continue
        for method in ("wilson", "goodman"):
            part = category_intervals(counts, ci_method=method, confidence_level=confidence)
            part.insert(0, "item", item.id)
            part.insert(2, "label", list(scale.labels))
            shares.append(part)
    return pd.concat(shares, ignore_index=True).round(6) if shares else None


def _reliability(study: Study, frame: pd.DataFrame) -> pd.DataFrame | None:
    """Cronbach's alpha of each WAI display of two items or more."""
    rows = []
    for display in (d for d in study.displays if d.kind == "wai"):
        items = study.items_in(display.id)
        if len(items) < 2:
            continue
        res = alpha(frame, [i.column for i in items], study.scale_of(items[0]),
                    reverse=[i.column for i in items if i.reverse])
        rows.append((display.label, res.k, res.n, round(res.alpha, 4), round(res.ci_low, 4),
                     round(res.ci_high, 4)))
    if not rows:
        return None
    return pd.DataFrame(rows, columns=["item set", "k", "n", "alpha", "ci_low", "ci_high"])


def _comparison(study: Study, frame: pd.DataFrame, fld: Field) -> FieldComparison:
    """One field's groups: the answers counted once per scale, then scored per group and compared.

    With several scales, ``counts`` is that of the first scale's items; ``groups`` and ``contrasts``
    hold every item (p-values adjusted within each scale's items).
    """
    ids = {i.column: i.id for i in study.items}
    first: Counts | None = None
    groups, contrasts = [], []
    for _, items in study.scale_groups():
        counts = count(frame, [i.column for i in items], study.scale_of(items[0]), by=fld.column,
                       file=frame.attrs.get("source_file"))
        first = counts if first is None else first
        part = score(counts, bands=study.bands_of(items[0]), rule=_rule(study))
        part["item"] = part["item"].map(ids)
        groups.append(part)
        tests = compare(counts)
        tests["item"] = tests["item"].map(ids)
        contrasts.append(tests)
    assert first is not None  # a compared field has items (the report has some)
    if len(groups) == 1:
        return FieldComparison(fld, first, groups[0], contrasts[0])
    widest = max(groups, key=lambda p: p.shape[1]).columns
    return FieldComparison(fld, first, pd.concat(groups, ignore_index=True)[widest],
                           pd.concat(contrasts, ignore_index=True))


def _audit(study: Study) -> AuditResult | None:
    """The audit of ``published/*.csv`` in the study folder (read here: they are input), or None."""
    published = study.root / "published"
    if not published.is_dir():
        return None
    paths = sorted(published.glob("*.csv"))
    tables = {p.name: read_published_table(p) for p in paths}
    return AuditResult(published.name, tuple(tables), validate_tables(tables, bands=study.bands))


def _parameters(study: Study) -> dict[str, Any]:
    out = {"scale": list(study.scale.labels), "weights": [str(w) for w in study.scale.weights],
           "non_scale": list(study.scale.non_scale), "band_rule": study.rule,
           "bands": [[b.label, str(b.low), str(b.high)] for b in study.bands.bands],
           "rounding": "half up from the exact value", "decimals": study.bands.decimals}
    if study.scales:
        out["scales"] = {sid: {"labels": list(s.labels), "weights": [str(w) for w in s.weights],
                               "non_scale": list(s.non_scale)} for sid, s in study.scales.items()}
    return out


def construct_results(study: Study, frame: pd.DataFrame) -> tuple[ConstructResult, ...]:
    """Each ``[[constructs]]`` entry scored (:func:`wai.constructs.score_construct`), in codebook order.

    The scale and bands of the construct's first item, the study's band rule and decimals; the result's
    ``construct`` names items by their ids (as the codebook does).
    """
    from dataclasses import replace

    columns = {i.id: i.column for i in study.items}
    out = []
    for construct in study.constructs:
        on_columns = replace(construct, items=tuple(columns[i] for i in construct.items),
                             reverse=tuple(columns[i] for i in construct.reverse))
        first = next(i for i in study.items if i.id == construct.items[0])
        result = score_construct(frame, on_columns, study.scale_of(first), bands=study.bands_of(first),
                                 rule=_rule(study),
                                 decimals=study.bands.decimals, file=frame.attrs.get("source_file"))
        out.append(replace(result, construct=construct))
    return tuple(out)
