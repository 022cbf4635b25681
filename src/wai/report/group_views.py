"""The report's views of groups, constructs and box shares: text and tables shaped from the results.

Like :mod:`wai.report.views` (whose helpers it reuses), nothing here computes a
statistic: it selects, orders, formats and words what
:func:`wai.report.analysis.analyse` computed, for the grouped answer charts,
the construct tables and the top-box columns of the report.
"""

from __future__ import annotations

import pandas as pd

from wai.report.analysis import FieldComparison, StudyResults
from wai.study import Study
from wai.study.codebook import Display



def grouped_answers(results: StudyResults, comparison: FieldComparison, display: Display) -> pd.DataFrame:
    """A display's items for each group of a compared field, as :func:`~wai.report.figures.grouped_diverging_figure` plots them.

    One row per item (codebook order) and group (the field's category order):
    ``item, wording, group, n, n_nonscale, count_1..count_K``, then the
    item's WAI and top-box share over every respondent (``item_wai``,
    ``item_top_box``, for sorting).
    """
    k = results.study.scale.points
    counts = [f"count_{j}" for j in range(1, k + 1)]
    rows = results.display_rows[display.id]
    groups = comparison.groups
    column = comparison.field.column
    part = groups[groups["item"].isin(rows["item"])]
    order = {g: i for i, g in enumerate(group_order(comparison))}
    part = part.assign(_item=part["item"].map({i: n for n, i in enumerate(rows["item"])}),
                       _group=part[column].map(order)).sort_values(["_item", "_group"], kind="stable")
    overall = rows.set_index("item")
    return pd.DataFrame({
        "item": part["item"].to_numpy(), "wording": part["item"].map(overall["wording"]).to_numpy(),
        "group": part[column].astype(str).to_numpy(), "n": part["n"].astype(int).to_numpy(),
        "n_nonscale": part["n_nonscale"].astype(int).to_numpy(),
        **{c: part[c].astype(int).to_numpy() for c in counts},
        "item_wai": part["item"].map(overall["wai"]).to_numpy(),
        "item_top_box": part["item"].map(overall["top_box"]).to_numpy(),
    })


def group_order(comparison: FieldComparison) -> list[str]:
    """The groups of a compared field in the codebook's category order, then any other value seen."""
    seen = [str(g) for g in comparison.groups[comparison.field.column].dropna().unique()]
    declared = [c for c in comparison.field.categories if c in seen]
    return declared + [g for g in seen if g not in declared]


def non_scale_label(study: Study) -> str:
    """What the study's non-scale answers are called in a chart: ``Don't know``, or ``Not on the scale``."""
    names = list(study.scale.non_scale)
    return " / ".join(names) if 0 < len(names) <= 2 else "Not on the scale"
