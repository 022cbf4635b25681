"""Audit checks on published tables: hand-worked cases that must be flagged and near-misses that must not."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wai.audit import audit_markdown, table_kind, validate, validate_tables
from wai.bands import BandScheme
from wai.errors import InputError

PUBLISHED = Path(__file__).resolve().parents[1] / "data" / "raw" / "chapter11" / "published"


def index_table(**columns) -> pd.DataFrame:
    n_rows = max(len(v) if isinstance(v, list) else 1 for v in columns.values())
    data = {k: (v if isinstance(v, list) else [v] * n_rows) for k, v in columns.items()}
    data.setdefault("item", [f"q{i}" for i in range(1, n_rows + 1)])
    return pd.DataFrame(data, dtype=str)


def verdicts(findings: pd.DataFrame, check: str) -> list[str]:
    return findings[findings["check"] == check]["status"].tolist()


# --- granularity -------------------------------------------------------------------------------
# 3 answers on 5 points: WAI = S/12, S = 0..12 -> 0.42 (5/12), 0.50 (6/12); nothing rounds to 0.45.
# 4 answers: S/16 -> 0.4375 (7/16) prints 0.44; [0.425, 0.435) holds no sixteenth, so 0.43 is impossible;
# at 3 decimals 0.4375 rounds half up to 0.438, so 0.437 ([0.4365, 0.4375)) is impossible too.
@pytest.mark.parametrize("n, printed, expected", [
    (3, "0.42", "ok"), (3, "0.45", "inconsistent"), (3, "0.50", "ok"),
    (4, "0.44", "ok"), (4, "0.43", "inconsistent"), (4, "0.4375", "ok"), (4, "0.438", "ok"), (4, "0.437", "inconsistent"),
    (99, "0.60", "ok"), (99, "0.47", "ok"), (1, "0.25", "ok"), (1, "0.30", "inconsistent"),
])
def test_wai_granularity(n, printed, expected):
    f = validate(index_table(wai=printed, n=str(n)), rounding="up")
    assert verdicts(f, "granularity") == [expected]


def test_granularity_names_the_nearest_reachable_values():
    f = validate(index_table(wai="0.45", n="3"))
    detail = f[f["check"] == "granularity"]["detail"].iloc[0]
    assert "0.42 (5/12) and 0.50 (1/2)" in detail


# mean on 1..5 from 10 answers: T/10 with T = 10..50, one decimal at most -> 3.45 impossible, 3.40 fine.
# RII from 2 answers: T/10 with T = 2..10 -> 0.25 impossible, 0.20 the minimum, 0.15 out of range.
@pytest.mark.parametrize("scheme, n, printed, check, expected", [
    ("mean", 10, "3.40", "granularity", "ok"), ("mean", 10, "3.45", "granularity", "inconsistent"),
    ("mean", 10, "5.10", "range", "inconsistent"), ("rii", 2, "0.20", "granularity", "ok"),
    ("rii", 2, "0.25", "granularity", "inconsistent"), ("rii", 2, "0.15", "range", "inconsistent"),
    ("wai", 5, "1.02", "range", "inconsistent"), ("wai", 5, "1.00", "granularity", "ok"),
])
def test_other_schemes(scheme, n, printed, check, expected):
    f = validate(index_table(**{scheme: printed, "n": str(n)}), rounding="up")
    assert verdicts(f, check) == [expected]


def test_no_n_is_a_note_not_a_verdict():
    f = validate(index_table(wai="0.45"))
    assert verdicts(f, "granularity") == ["note"]
    assert verdicts(validate(index_table(wai="0.45"), n=3), "granularity") == ["inconsistent"]


# --- counts ------------------------------------------------------------------------------------
# counts 5, 15, 28, 37, 14 (n = 99): S = 15 + 56 + 111 + 56 = 238, WAI = 238/396 = 0.6010 -> "0.60".
def test_index_recomputed_from_counts():
    counts = {f"count_{k}": c for k, c in zip(range(1, 6), ["5", "15", "28", "37", "14"])}
    ok = validate(index_table(wai="0.60", n="99", **counts))
    assert verdicts(ok, "index_from_counts") == ["ok"] and "238/396" not in ok["detail"].iloc[0]
    assert "119/198 = 0.6010" in ok[ok["check"] == "index_from_counts"]["detail"].iloc[0]
    bad = validate(index_table(wai="0.61", n="99", **counts))
    assert verdicts(bad, "index_from_counts") == ["inconsistent"]
    short = validate(index_table(wai="0.60", n="100", **counts))
    assert verdicts(short, "count_total") == ["inconsistent"]


def test_counts_alone_give_n():
    counts = {f"count_{k}": c for k, c in zip(range(1, 4), ["1", "0", "2"])}  # 3 answers on 3 points
    f = validate(index_table(wai="0.67", **counts))  # (0 + 2 * 1)/3 = 2/3
    assert verdicts(f, "granularity") == ["ok"] and verdicts(f, "index_from_counts") == ["ok"]


# --- percentages -------------------------------------------------------------------------------
# 4 answers coded 2, 3, 3, 4: shares 0, 25, 50, 25, 0; WAI = (1 + 2 + 2 + 3)/16 = 0.50.
PCTS = {f"pct_{k}": p for k, p in zip(range(1, 6), ["0.0", "25.0", "50.0", "25.0", "0.0"])}


def test_index_from_percentages_with_n():
    assert verdicts(validate(index_table(wai="0.50", n="4", **PCTS)), "index_from_percentages") == ["ok"]
    assert verdicts(validate(index_table(wai="0.56", n="4", **PCTS)), "index_from_percentages") == \
        ["inconsistent"]
    # 25.0% is not a share of 3 answers
    assert verdicts(validate(index_table(wai="0.50", n="3", **PCTS)), "percentages") == ["inconsistent"]


def test_index_from_percentages_without_n():
    assert verdicts(validate(index_table(wai="0.50", **PCTS)), "index_from_percentages") == ["ok"]
    # shares within +-0.05 points move the WAI by far less than 0.06
    assert verdicts(validate(index_table(wai="0.56", **PCTS)), "index_from_percentages") == ["inconsistent"]
    over = dict(PCTS, pct_3="52.0")
    assert verdicts(validate(index_table(wai="0.50", **over)), "percentages") == ["inconsistent"]


# --- bands -------------------------------------------------------------------------------------
@pytest.mark.parametrize("printed, band, n, expected", [
    ("0.61", "Neutral", "99", ["inconsistent"]),
    ("0.61", "High", "99", ["ok"]),
    ("0.60", "Neutral", "99", ["ok"]),
    ("0.60", "High", "99", ["note"]),       # holds only under the exact rule (238/396 = 0.6010)
    ("0.20", "Very Low", "", ["ok"]),
    ("0.21", "Very Low", "", ["inconsistent"]),
    ("0.60", "Huge", "99", ["inconsistent"]),
])
def test_band_matches_value(printed, band, n, expected):
    f = validate(index_table(wai=printed, band=band, n=n))
    assert verdicts(f, "band") == expected


def test_band_synonym_is_a_naming_note():
    f = validate(index_table(wai="0.47", band="Medium", n="99"))
    assert verdicts(f, "band") == ["ok"] and verdicts(f, "band_label") == ["note"]
    assert verdicts(validate(index_table(wai="0.47", band="neutral", n="99")), "band_label") == []


def test_band_rule_dependence_is_flagged_exactly_where_it_exists():
    # n = 99: 0.60 covers S = 236..239 of 396; 238 and 239 exceed 0.60 -> High if unrounded
    assert verdicts(validate(index_table(wai="0.60", band="Neutral", n="99")), "band_rule") == ["note"]
    # n = 25 (S/100): only 0.60 itself rounds to "0.60" -> no dependence
    assert verdicts(validate(index_table(wai="0.60", band="Neutral", n="25")), "band_rule") == []
    # n = 3 (twelfths): 0.58 = 7/12 -> no dependence; 0.61 is not reachable at all
    assert verdicts(validate(index_table(wai="0.58", band="Neutral", n="3")), "band_rule") == []
    # no n: [0.595, 0.605) crosses 0.60 -> dependence; 0.61's interval does not
    assert verdicts(validate(index_table(wai="0.60", band="Neutral")), "band_rule") == ["note"]
    assert verdicts(validate(index_table(wai="0.61", band="High")), "band_rule") == []


def test_custom_bands_and_other_schemes():
    bands = BandScheme.from_ranges([("Low", "0.0", "0.5"), ("High", "0.6", "1.0")])
    f = validate(index_table(wai="0.6", band="Low", n="10"), bands=bands)
    assert verdicts(f, "band") == ["inconsistent"]
    assert verdicts(validate(index_table(mean="3.4", band="High", n="10")), "band") == ["note"]


# --- distribution tables -----------------------------------------------------------------------
FIG1 = ["27.7", "19.1", "19.1", "17.0", "12.8", "4.3"]


def distribution(percent=None, count=None, n=None) -> pd.DataFrame:
    rows = len(percent or count)
    data = {"category": [f"c{i}" for i in range(rows)]}
    if percent:
        data["percent"] = percent
    if count:
        data["count"] = count
    if n:
        data["n"] = [n] * rows
    return pd.DataFrame(data, dtype=str)


def test_chapter11_figure1_cannot_come_from_99():
    f = validate(distribution(FIG1, n="99"))
    size = f[f["check"] == "sample_size"].iloc[0]
    assert size["status"] == "inconsistent"
    # 13/47 = 27.66%, 9/47 = 19.15%, 8/47 = 17.02%, 6/47 = 12.77%, 2/47 = 4.26%; and twice each for 94
    assert size["consistent_n"][:3] == (47, 94, 141)
    assert verdicts(f, "percent") == ["inconsistent"] * 6
    assert verdicts(validate(distribution(FIG1, n="94")), "sample_size") == ["ok"]
    assert verdicts(validate(distribution(FIG1, n="94")), "percent") == ["ok"] * 6


def test_distribution_without_n_lists_the_sizes():
    f = validate(distribution(["46.5", "53.5"]), max_n=120)
    size = f[f["check"] == "sample_size"].iloc[0]
    assert size["status"] == "note" and size["consistent_n"] == (43, 71, 86, 99, 101, 114)


def test_percentages_that_cannot_sum_to_100():
    f = validate(distribution(["50.4", "50.4"], n="10"))
    assert verdicts(f, "percent_total") == ["inconsistent"]
    near = validate(distribution(["33.3", "33.3", "33.3"], n="3"))  # 99.9 is 100 within rounding
    assert verdicts(near, "percent_total") == ["ok"] and verdicts(near, "sample_size") == ["ok"]


def test_counts_against_percentages():
    f = validate(distribution(["46.5", "53.5"], ["46", "53"]))
    assert verdicts(f, "count_percent") == ["ok", "ok"]
    bad = validate(distribution(["46.4", "53.6"], ["46", "53"]), rounding="up")
    assert verdicts(bad, "count_percent") == ["inconsistent", "inconsistent"]
    # 46/99 = 46.46% prints 46.4 when truncated: a note naming the rule by default; 53/99 = 53.54% never 53.6
    usual = validate(distribution(["46.4", "53.6"], ["46", "53"]))
    assert verdicts(usual, "count_percent") == ["note", "inconsistent"]
    assert "only if rounded by truncation" in usual[usual["check"] == "count_percent"]["detail"].iloc[0]
    assert verdicts(validate(distribution(count=["46", "53"], n="100")), "count_total") == ["inconsistent"]


# --- several tables of one study ---------------------------------------------------------------
def test_sample_sizes_must_agree_across_tables():
    tables = {"t1.csv": index_table(wai="0.60", n="99"),
              "g.csv": distribution(["46.5", "53.5"], ["46", "53"]),
              "sizes.csv": pd.DataFrame({"source": ["Header", "Conclusion"], "n": ["99", "100"]})}
    f = validate_tables(tables)
    agreement = f[f["check"] == "sample_size_agreement"]
    assert agreement[["table", "row", "status"]].values.tolist() == [["sizes.csv", 3, "inconsistent"]]
    tables["sizes.csv"] = pd.DataFrame({"source": ["Header"], "n": ["99"]})
    assert verdicts(validate_tables(tables), "sample_size_agreement") == ["ok"]


def test_the_chapter11_audit_finds_what_it_should():
    tables = {p.name: pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(PUBLISHED.glob("*.csv"))}
    f = validate_tables(tables)
    bad = f[f["status"] == "inconsistent"]
    assert sorted(set(bad["table"])) == ["figure1.csv", "sample_sizes.csv"]
    assert sorted(bad["check"]) == ["percent"] * 6 + ["sample_size", "sample_size_agreement"]
    notes = f[f["status"] == "note"]
    assert sorted(notes["check"]) == ["band_label"] * 3 + ["band_rule"]
    assert set(f[f["table"] == "table1.csv"]["status"]) == {"ok", "note"}
    text = audit_markdown(f)
    assert "## What cannot be true" in text and "27.7% of 99 is 27.42 people" in text


# --- input errors ------------------------------------------------------------------------------
def test_unreadable_cells_name_row_and_column():
    with pytest.raises(InputError) as info:
        validate(index_table(wai=["0.60", "0.6x"], n=["99", "lots"]), name="t.csv")
    found = {(p.row, p.column, p.value) for p in info.value.problems}
    assert found == {(3, "wai", "0.6x"), (3, "n", "lots")}


def test_table_kind():
    assert table_kind(pd.DataFrame(columns=["Item", "WAI", "n"])) == "index"
    assert table_kind(pd.DataFrame(columns=["source", "n"])) == "sizes"
    with pytest.raises(InputError, match="cannot tell") as caught:
        table_kind(pd.DataFrame(columns=["what", "value"]))
    assert caught.value.problems[0].value == ["value", "what"] and caught.value.row == 1


def test_n_across_rows():
    f = validate(index_table(wai=["0.60", "0.50"], n=["99", "97"]))
    assert verdicts(f, "n_rows") == ["note"]  # item nonresponse can explain it
    assert verdicts(validate(index_table(wai=["0.60", "0.50"], n=["99", "99"])), "n_rows") == []
    two = distribution(["50.0", "50.0"])
    two["n"] = ["10", "12"]
    assert verdicts(validate(two), "n_rows") == ["inconsistent"]  # one breakdown, one whole


# --- rounding rules, multi-item scales, coding, sums (issue 12) ---------------------------------
def test_truncation_is_a_note_naming_the_rule_and_the_table_rule_tally():
    # 3 answers on 5 points give twelfths: 8/12 = 0.6667 (0.67 half up, 0.66 truncated), 5/12 = 0.4167
    # (0.42 / 0.41), 1/12 = 0.0833 (0.08 either way). Printed truncated: half up reproduces 1 of 3.
    f = validate(index_table(wai=["0.66", "0.41", "0.08"], n="3"))
    assert verdicts(f, "granularity") == ["note", "note", "ok"]
    assert "only if rounded by truncation" in f[f["check"] == "granularity"]["detail"].iloc[0]
    tally = f[f["check"] == "rounding_rule"]["detail"].tolist()
    assert tally == ["printed values reproduced by each rounding rule: half up 1/3, half down 1/3, half to even 1/3, "
                     "truncation 3/3; the table is best explained by truncation"]
    assert verdicts(validate(index_table(wai="0.66", n="3"), rounding="up"), "granularity") == ["inconsistent"]


def test_items_zero_based_coding_and_sum_scores():
    # 10 people x 3 items: means in thirtieths, 73/30 = 2.4333 -> 2.43; one item: tenths, 2.43 impossible
    assert verdicts(validate(index_table(mean="2.43", n="10"), items=3), "granularity") == ["ok"]
    assert verdicts(validate(index_table(mean="2.43", n="10"), rounding="up"), "granularity") == ["inconsistent"]
    # codes 0..4: a mean of 0.45 from 20 answers is 9/20; on 1..5 it is below the scale
    assert verdicts(validate(index_table(mean="0.45", n="20"), scale_min=0, scale_max=4), "granularity") == ["ok"]
    assert verdicts(validate(index_table(mean="0.45", n="20")), "range") == ["inconsistent"]
    from wai.scales import parse_scale  # a codebook scale with codes 0..4 says the same

    assert verdicts(validate(index_table(mean="0.45", n="20"), scale=parse_scale("numeric:0-4")),
                    "granularity") == ["ok"]
    # a mean sum score of 45.30 from 10 people on 12 items is 453/10; 45.35 is not a tenth
    f = validate(index_table(sum=["45.30", "45.35"], n="10"), items=12, rounding="up")
    assert verdicts(f, "granularity") == ["ok", "inconsistent"]


def test_nearest_values_include_the_upper_edge():
    # mean 2.37 from 80 answers: [2.365, 2.375) x 80 = [189.2, 190) holds no whole total; the nearest are
    # 189/80 = 2.3625 (2.36) and 190/80 = 2.375 (half up 2.38), not 191/80 = 2.3875 (2.39)
    f = validate(index_table(mean="2.37", n="80"), rounding="up")
    assert "the nearest reachable values are 2.36 (189/80) and 2.38 (19/8)" in \
        f[f["check"] == "granularity"]["detail"].iloc[0]


def test_band_rule_names_each_value_once():
    f = validate(index_table(wai="0.60", band="Neutral"))  # no n: the rounding interval's edges
    detail = f[f["check"] == "band_rule"]["detail"].iloc[0]
    shown = detail.split("exact value of ")[1].split(" would be")[0].split(" or ")
    assert len(shown) == len(set(shown)) and "0.6050" in shown


# --- mixed tables ---------------------------------------------------------------------------
# 10 answers, counts (1, 1, 2, 3, 3) of codes 1..5: W = 1 + 2 + 6 + 12 + 15 = 36, mean 3.60, RII 36/50 = 0.72,
# Q = 1 + 4 + 18 + 48 + 75 = 146, var = (10 * 146 - 36^2) / 90 = 164/90, SD 1.3499 -> 1.35.
# Mean 3.40 (W = 34) with SD 1.20: 10 Q in 34^2 + 90 [1.195^2, 1.205^2] = [1284.5, 1286.7]: no whole Q;
# SD 1.26: 10 Q in [1297.75, 1300.02): Q = 130, e.g. 1, 2, 3, 3, 3, 4, 4, 4, 5, 5.
def test_mean_sd_rii_sum_rank_together():
    t = index_table(mean=["3.60", "3.40"], sd=["1.35", "1.26"], rii=["0.72", "0.68"], sum=["36", "34"],
                    rank=["1", "2"], n="10")
    f = validate(t, rounding="up")
    assert verdicts(f, "sd") == ["ok", "ok"] and verdicts(f, "index_agreement") == ["ok", "ok"]
    assert verdicts(f, "rank") == ["ok"]
    assert "inconsistent" not in set(f["status"])
    bad = validate(index_table(mean=["3.60", "3.40"], sd=["1.35", "1.20"], rii=["0.72", "0.68"],
                               sum=["36", "35"], rank=["2", "1"], n="10"), rounding="up")
    assert verdicts(bad, "sd") == ["ok", "inconsistent"]
    assert verdicts(bad, "index_agreement") == ["ok", "inconsistent"]  # 35 is not 3.40 x 10
    assert verdicts(bad, "rank") == ["inconsistent"]


def test_sd_from_counts_and_grimmer_on_items():
    # counts (1, 1, 2, 3, 3): SD 1.3499 prints 1.35, not 1.34
    t = index_table(mean="3.60", sd=["1.35", "1.34"], count_1="1", count_2="1", count_3="2", count_4="3", count_5="3")
    assert verdicts(validate(t, rounding="up"), "sd_from_counts") == ["ok", "inconsistent"]
    # scrutiny's GRIMMER cases (tests/testthat/test-grimmer.R) on a 2-item scale, unbounded codes
    f = validate(index_table(mean="5.21", sd="1.60", n="28"), items=2, scale_min=0, scale_max=10, rounding="up_or_down")
    assert verdicts(f, "sd") == ["ok"]


def test_exact_ties_printed_as_different_ranks():
    # rows 2 and 3 have the same counts, so the same exact RII (0.72): ranks 2 and 3 cannot both hold
    counts = dict(count_1="3", count_2="6", count_3="12", count_4="30", count_5="9")
    t = index_table(item=["a", "b", "c"], rii=["0.74", "0.72", "0.72"], rank=["1", "2", "3"],
                    **{k: ["2", v, v] if k == "count_1" else [v if k != "count_5" else "10", v, v]
                       for k, v in counts.items()})
    f = validate(t, rounding="up")
    ranks = f[f["check"] == "rank"]
    assert ranks["status"].tolist() == ["inconsistent"] and "an exact tie" in ranks["detail"].iloc[0]
    # printed equal without counts: only a note
    f = validate(index_table(rii=["0.74", "0.72", "0.72"], rank=["1", "2", "3"], n="60"), rounding="up")
    assert verdicts(f, "rank") == ["note", "ok"]


def test_counts_against_their_own_percentages_and_below_n():
    # 2, 6, 2 of 10 are 20, 60, 20 %, printed 40, 20, 40
    t = index_table(mean="2.00", count_1="2", count_2="6", count_3="2", pct_1="40", pct_2="20", pct_3="40")
    f = validate(t, points=3)
    assert verdicts(f, "count_percent") == ["inconsistent"]
    assert "category 1: 2 of 10 is 20.00%, printed 40%" in f[f["check"] == "count_percent"]["detail"].iloc[0]
    # counts (10, 15, 20, 20, 10) sum to 75 with W = 230: 230/75 = 3.0667, but 230/80 = 2.875 prints 2.88
    t = index_table(mean="2.88", n="80", count_1="10", count_2="15", count_3="20", count_4="20", count_5="10")
    f = validate(t)
    assert verdicts(f, "count_total") == ["inconsistent"] and verdicts(f, "denominator") == ["inconsistent"]
    assert "the printed 2.88 is the counts' sum divided by the stated 80 (23/8 = 2.8750), not by the 75 answers" \
        in f[f["check"] == "denominator"]["detail"].iloc[0]


def test_highest_first_option_and_rii_in_percent_in_a_csv_table():
    # counts printed highest first (9, 30, 12, 6, 3) are (3, 6, 12, 30, 9) lowest first: RII 0.72
    t = index_table(rii="72.0", count_1="9", count_2="30", count_3="12", count_4="6", count_5="3")
    f = validate(t, highest_first=True, rounding="up")
    assert verdicts(f, "index_from_counts") == ["ok"]
    assert verdicts(f, "reading") == ["note", "note"]  # percent RII read as 0.720; highest first
    assert verdicts(validate(t, rounding="up"), "index_from_counts") == ["inconsistent"]
