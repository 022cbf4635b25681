"""Every published number beside the one regenerated from the responses, with a verdict.

A printed number is compared at the precision it was printed with: a
regenerated WAI of 119/198 reproduces a printed "0.60" because it rounds
(half up) to 0.60 at two decimals. Band labels are compared after resolving
synonyms, so a printed "Medium" for the scheme's "Neutral" reproduces, with
a naming note.

Verdicts: ``reproduced``, ``reproduced (naming note)``, ``differs``. A
number the codebook marks ``reproduce = false`` (with its reason) is
compared all the same; only numbers that should reproduce fail a run.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from wai.bands import BandScheme
from wai.exact import parse_reported, round_half_up
from wai.scales import normalize_label
from wai.study import Study

__all__ = ["reproduction_table", "target_table", "failures", "REPRODUCTION_COLUMNS"]

REPRODUCTION_COLUMNS = ["id", "what", "source", "published", "regenerated", "verdict", "should_reproduce", "note"]


def _number_verdict(printed: str, exact: Fraction) -> tuple[str, str]:
    reported = parse_reported(printed)
    regenerated = str(round_half_up(exact, reported.decimals))
    return regenerated, "reproduced" if regenerated == reported.text else "differs"


def _band_verdict(printed: str, regenerated: str, bands: BandScheme) -> tuple[str, str]:
    canonical = bands.canonical(printed)
    if canonical != regenerated:
        return "differs", ""
    if normalize_label(printed) != normalize_label(regenerated):
        return "reproduced (naming note)", f"printed {printed!r} is the scheme's {canonical!r}"
    return "reproduced", ""


def reproduction_table(study: Study, frame: pd.DataFrame, scores: pd.DataFrame,
                       distributions: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Compare every published number of ``study`` with the regenerated one.

    Parameters
    ----------
    study : Study
    frame : pandas.DataFrame
        The responses (one row per respondent).
    scores : pandas.DataFrame
        Score table with an ``item`` column of item ids and ``wai_exact``,
        ``band`` columns.
    distributions : dict
        Field id to :func:`wai.study.tidy.field_distribution` output.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REPRODUCTION_COLUMNS`, one row per published number.
    """
    rows = []
    for p in study.published:
        note = p.why
        if p.quantity == "n":
            regenerated = str(len(frame))
            verdict = "reproduced" if regenerated == p.value.strip() else "differs"
            what = "respondents (n)"
        else:
            dist = distributions[p.field]  # type: ignore[index]
            match = dist[dist["category"].map(normalize_label) == normalize_label(p.category or "")]
            count = int(match["count"].iloc[0]) if len(match) else 0
            answered = int(dist.attrs["answered"])
            if p.quantity == "count":
                regenerated = str(count)
                verdict = "reproduced" if regenerated == p.value.strip() else "differs"
                what = f"{p.field}: {p.category} (count)"
            else:
                regenerated, verdict = _number_verdict(p.value, Fraction(100 * count, answered))
                what = f"{p.field}: {p.category} (% of {answered} who answered)"
                if answered != len(frame):
                    extra = f"{len(frame) - answered} of {len(frame)} respondents left {p.field} blank"
                    note = f"{note}; {extra}" if note else extra
        rows.append((p.id, what, p.source, p.value, regenerated, verdict, p.reproduce, note))

    by_item = scores.set_index("item")
    for item in study.items:
        row = by_item.loc[item.id]
        if item.published_wai is not None:
            regenerated, verdict = _number_verdict(item.published_wai, Fraction(row["wai_exact"]))
            rows.append((f"{item.id}_wai", f"{item.wording} (WAI)", study.display(item.display).label,
                         item.published_wai, regenerated, verdict, True, ""))
        if item.published_band is not None:
            verdict, note = _band_verdict(item.published_band, row["band"], study.bands)
            if row["band_depends_on_rule"]:
                note = (note + "; " if note else "") + (
                    f"band depends on the rule: {row['band_rounded']} (rounded) vs {row['band_exact']} (exact)")
            rows.append((f"{item.id}_band", f"{item.wording} (band)", item.band_source or
                         study.display(item.display).label, item.published_band, row["band"], verdict,
                         True, note))
    return pd.DataFrame(rows, columns=REPRODUCTION_COLUMNS)


def target_table(study: Study, scores: pd.DataFrame) -> pd.DataFrame:
    """Illustrative targets (not published) beside the regenerated WAI: ``item, wording, target, regenerated, met``."""
    by_item = scores.set_index("item")
    rows = []
    for item in study.items:
        if item.target_status != "illustrative" or item.target_wai is None:
            continue
        regenerated, verdict = _number_verdict(item.target_wai, Fraction(by_item.loc[item.id, "wai_exact"]))
        rows.append((item.id, item.wording, study.display(item.display).id, item.target_wai, regenerated,
                     verdict == "reproduced"))
    return pd.DataFrame(rows, columns=["item", "wording", "in", "target", "regenerated", "met"])


def failures(table: pd.DataFrame) -> pd.DataFrame:
    """Rows that should reproduce and do not."""
    return table[(table["verdict"] == "differs") & table["should_reproduce"].astype(bool)]
