"""The report's views of groups, constructs and box shares: text and tables shaped from the results.

Like :mod:`wai.report.views` (whose helpers it reuses), nothing here computes a
statistic: it selects, orders, formats and words what
:func:`wai.report.analysis.analyse` computed, for the grouped answer charts,
the construct tables and the top-box columns of the report.
"""

from __future__ import annotations

import pandas as pd

from wai.report.analysis import FieldComparison, StudyResults
from wai.scales import LikertScale
from wai.study import Study
from wai.study.codebook import Display



def grouped_answers(results: StudyResults, comparison: FieldComparison, display: Display) -> pd.DataFrame:
    """A display's items for each group of a compared field, as :func:`~wai.report.figures.grouped_diverging_figure` plots them.

    One row per item (codebook order) and group (the field's category order):
    ``item, wording, group, n, n_nonscale, count_1..count_K``, then the
    item's WAI and top-box share over every respondent (``item_wai``,
    ``item_top_box``, for sorting).
    """
    k = results.study.display_scale(display.id).points
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


def non_scale_label(study: Study, scale: LikertScale | None = None) -> str:
    """What the non-scale answers of ``scale`` (default: the study's) are called in a chart: ``Don't know``, or ``Not on the scale``."""
    names = list((scale or study.scale).non_scale)
    return " / ".join(names) if 0 < len(names) <= 2 else "Not on the scale"


GROUPED_SORT = "wai"
"""How the report orders the items of a grouped answers chart (as its answers chart: by WAI)."""


def grouped_stem(comparison: FieldComparison, display: Display) -> str:
    """The file name (without extension) of a display's answers by a field's groups: ``figure2_by_gender``."""
    return f"{display.id}_by_{comparison.field.id}"


def grouped_title(comparison: FieldComparison, display: Display) -> str:
    return f"{display.label}: answers by {comparison.field.label.lower()}"


def grouped_figure_options(results: StudyResults, comparison: FieldComparison, display: Display) -> dict:
    """The arguments of :func:`~wai.report.figures.grouped_diverging_figure` besides the table and stem."""
    scale = results.study.display_scale(display.id)
    return {"title": grouped_title(comparison, display), "labels": list(scale.labels),
            "groups": group_order(comparison), "sort": GROUPED_SORT, "layout": "rows", "filled": False,
            "non_scale_label": non_scale_label(results.study, scale), "note": grouped_note(results, comparison)}


def grouped_note(results: StudyResults, comparison: FieldComparison) -> str:
    """The note of a grouped chart: which groups, in what order, and who is left out."""
    blank = int(results.distributions[comparison.field.id].attrs["blank"])
    note = (f"Respondents by {comparison.field.label.lower()}, in the codebook's order of its categories"
            + (f"; {blank} who left it blank are in no group." if blank else "."))
    data_note = "Reconstructed responses, not the study's raw data." if results.study.reconstruction else ""
    return " ".join(x for x in (note, data_note) if x)


def alt_grouped(table: pd.DataFrame, labels: list[str], comparison: FieldComparison) -> str:
    """Alt text of a grouped answers chart: per item and group, the share below, at and above the middle.

    >>> from wai.study.codebook import Field
    >>> t = pd.DataFrame({"wording": ["Peace"], "group": ["F"], "n": [4], "n_nonscale": [1],
    ...                   "count_1": [1], "count_2": [1], "count_3": [2]})
    >>> c = FieldComparison(Field("g", "G", "Gender", ("F",)), None, None, None)  # type: ignore[arg-type]
    >>> alt_grouped(t, ["Low", "Mid", "High"], c)
    'Diverging bar chart of the answers by gender, one bar per group of 1 item. Peace, F (n = 4; 1 not on the scale): 25% Low, 25% Mid, 50% High.'
    """
    from wai.report.html import shares_in_words

    columns = [table[f"count_{j}"].tolist() for j in range(1, len(labels) + 1)]
    nonscale = table["n_nonscale"].tolist() if "n_nonscale" in table else [0] * len(table)
    parts = []
    for i, (wording, group, n) in enumerate(zip(table["wording"], table["group"], table["n"])):
        extra = f"; {int(nonscale[i])} not on the scale" if nonscale[i] else ""
        text = shares_in_words([c[i] for c in columns], labels)
        parts.append(f"{wording}, {group} (n = {int(n)}{extra}): {text}")
    items = len(dict.fromkeys(table["wording"]))
    return (f"Diverging bar chart of the answers by {comparison.field.label.lower()}, one bar per group of "
            f"{items} item{'s' if items != 1 else ''}. " + "; ".join(parts) + ".")


# --------------------------------------------------------------------------- constructs


CONSTRUCTS_NOTE = ("Each respondent's score is the mean of the construct's items they answered on the scale, "
                   "reverse-keyed items (R) reversed first (as psych::scoreItems with impute = \"none\"), for "
                   "respondents who answered at least the construct's minimum; the WAI is the mean score on "
                   "the 0\u20131 index scale, with a t interval. Alpha: Cronbach's alpha of the same items "
                   "(complete cases).")


def constructs_plotted(results: StudyResults) -> pd.DataFrame:
    """The constructs as a WAI figure plots them: one bar per construct, with its interval."""
    rows = [{"item": c.construct.id, "wording": c.construct.label, "n": c.n,
             "wai": float(c.wai_exact) if c.wai_exact is not None else float("nan"), "wai_rounded": c.wai_rounded,
             "band": c.band, "ci_low": c.ci_low, "ci_high": c.ci_high, "band_certain": c.band_certain,
             "confidence": c.confidence}
            for c in results.constructs if c.wai_exact is not None]
    return pd.DataFrame(rows)


def constructs_table(results: StudyResults) -> pd.DataFrame:
    """The constructs as analysed (``constructs.csv``): full precision, one row per construct."""
    return pd.DataFrame([{
        "construct": c.construct.id, "label": c.construct.label, "items": " ".join(c.construct.items),
        "reverse": " ".join(c.construct.reverse), "min_items": c.construct.min_items, "k": c.k, "n": c.n,
        "wai_exact": "" if c.wai_exact is None else f"{c.wai_exact.numerator}/{c.wai_exact.denominator}",
        "wai": c.wai_rounded, "band": c.band, "se": c.se, "ci_low": c.ci_low, "ci_high": c.ci_high,
        "band_certain": c.band_certain, "alpha": c.alpha.alpha if c.alpha is not None else float("nan"),
        "alpha_n": c.alpha.n if c.alpha is not None else 0,
    } for c in results.constructs])


def constructs_shown(results: StudyResults) -> pd.DataFrame:
    """The constructs as printed: wordings of the items (R: reverse-keyed), WAI, interval, band, alpha."""
    wording = {i.id: i.wording for i in results.study.items}
    pct = f"{results.confidence:.0%}"
    rows = []
    for c in results.constructs:
        items = "; ".join(wording[i] + (" (R)" if i in c.construct.reverse else "") for i in c.construct.items)
        rows.append({
            "construct": c.construct.label, "items": items, "k": c.k, "n": c.n, "wai": c.wai_rounded,
            f"{pct} CI": "" if pd.isna(c.ci_low) else f"{c.ci_low:.2f}\u2013{c.ci_high:.2f}", "band": c.band,
            "band certain": {True: "yes", False: "no"}.get(c.band_certain, "") if c.band_certain is not None else "",
            "alpha": "" if c.alpha is None else f"{c.alpha.alpha:.4f}",
        })
    return pd.DataFrame(rows)


def construct_scores(results: StudyResults) -> pd.DataFrame:
    """Every respondent's construct scores (``construct_scores.csv``): per construct, items answered and score.

    The first column is the respondent id (``row<n>`` when the codebook names
    no id column, as in ``answers_long.csv``); then, per construct,
    ``<id>_items``, ``<id>_score`` (mean category 1..K) and ``<id>_wai``
    (the score on the index scale, exact as ``p/q``).
    """
    if not results.constructs:
        return pd.DataFrame()
    first = results.constructs[0].scores
    # answers_long.csv's first block is the first item, one row per respondent in file order
    out = pd.DataFrame({"respondent": results.answers["respondent"].iloc[:len(first)].to_numpy()})
    for c in results.constructs:
        cid = c.construct.id
        out[f"{cid}_items"] = c.scores["n_items"].to_numpy()
        out[f"{cid}_score"] = c.scores["score"].to_numpy()
        out[f"{cid}_wai"] = c.scores["score_exact"].to_numpy()
    return out


# --------------------------------------------------------------------------- top-box shares


def box_label(study: Study, scale: LikertScale | None = None) -> tuple[str, str]:
    """The names of the top and bottom box: ``("High or Very High", "Very Low or Low")``."""
    from wai.shares import box_size

    scale = scale or study.scale
    labels, size = list(scale.labels), box_size(scale.points)
    return " or ".join(labels[-size:]), " or ".join(labels[:size])


def box_shares_shown(results: StudyResults, display_id: str) -> pd.DataFrame:
    """A display's items (codebook order) with top-box, bottom-box and net shares in percent, Wilson intervals.

    Shares are printed from the exact counts, rounded half up to 1 decimal;
    the interval ends (floats) to 1 decimal; net is signed.
    """
    from fractions import Fraction

    from wai.exact import format_fixed
    from wai.shares import box_shares

    rows = results.display_rows[display_id]
    k = results.study.display_scale(display_id).points
    pct = f"{results.confidence:.0%}"

    def share(value: Fraction | None) -> str:
        return "" if value is None else format_fixed(100 * value, 1)

    def ends(low: float, high: float) -> str:
        return "" if pd.isna(low) else f"{100 * low:.1f}\u2013{100 * high:.1f}"

    out = []
    for row in rows.to_dict("records"):
        s = box_shares([int(row[f"count_{j}"]) for j in range(1, k + 1)])
        net = "" if s.net is None else ("+" if s.net > 0 else "") + format_fixed(100 * s.net, 1)
        out.append({"item": row["wording"], "n": int(row["n"]), "top box %": share(s.top),
                    f"top {pct} CI": ends(row["top_box_low"], row["top_box_high"]), "bottom box %": share(s.bottom),
                    f"bottom {pct} CI": ends(row["bottom_box_low"], row["bottom_box_high"]), "net %": net})
    return pd.DataFrame(out)


def box_note(results: StudyResults, display_id: str | None = None) -> str:
    """The note under a display's box-share table (its scale's box names; the study's scale by default)."""
    top, bottom = box_label(results.study, results.study.display_scale(display_id) if display_id else None)
    return (f"Top box: the share of the answers on the scale that are {top}; bottom box: {bottom}; net: top minus "
            f"bottom, in percentage points. Intervals: Wilson ({results.confidence:.0%}). Per group in "
            "groups_<field>.csv (columns top_box, bottom_box, net).")
