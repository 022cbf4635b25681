"""Tables as pasted from a paper (wai.pasted) and their audit: each printed form, how it is read.

Hand-worked cases: every expected count, percentage and index below is worked out in the comment.
"""

from __future__ import annotations

import pytest

from wai.audit import validate_tables
from wai.errors import InputError, OptionError
from wai.pasted import category_order, read_pasted

# ../shared/chapter11/chapter11.txt, lines 100-110, as they stand (tabs, "(n=99)" on its own row,
# Attributes/WAI/OA headers, a caption above and a note below)
CHAPTER11_TABLE1 = (
    "Table 1. Positive perception of Cambodian on China.\n"
    "\n"
    "Attributes\tWAI\tOA\n"
    "\t(n=99)\t\n"
    "To what degree do Cambodian people have positive views of the Chinese government?\t0.60\tMedium\n"
    "To what degree do Cambodian people positively view Chinese companies in China?\t0.64\tHigh\n"
    "To what degree do Cambodian people positively view Chinese companies in Cambodia?\t0.59\tMedium\n"
    "To what degree do Cambodian people have positive views of Chinese people in China?\t0.67\tHigh\n"
    "To what degree do Cambodian people positively view Chinese people in Cambodia?\t0.47\tMedium\n"
    "\n"
    "Note: Weight Average Index (WAI) is measured on a five-point scale [Very Low = 0.00\u20130.20, "
    "Low = 0.21\u20130.40, Neutral = 0.41\u20130.60, High = 0.61\u20130.80, Very High = 0.81\u20131.00]. "
    "OA = Overall assessment.\n"
)


def audit(text: str, **options):
    return validate_tables({"t": read_pasted(text, **{k: v for k, v in options.items() if k in
                                                      ("delimiter", "decimal", "highest_first")})},
                           **{k: v for k, v in options.items() if k not in ("delimiter", "decimal", "highest_first")})


def statuses(findings, check):
    return findings[findings["check"] == check]["status"].tolist()


def test_chapter11_table1_as_pasted():
    t = read_pasted(CHAPTER11_TABLE1)
    assert list(t.frame.columns) == ["item", "wai", "band", "n"]
    assert t.frame["wai"].tolist() == ["0.60", "0.64", "0.59", "0.67", "0.47"] and set(t.frame["n"]) == {"99"}
    said = "\n".join(t.recognitions)
    for fragment in ("read as the caption", "cells split at tabs", "'Attributes' read as the item column",
                     "'OA' read as the band column (overall assessment)", "'(n=99)' read as n = 99 for every row",
                     "read as a note under the table", "rows 2 to 6 are the table's lines 5, 6, 7, 8, 9"):
        assert fragment in said
    f = validate_tables({"table1": t})
    assert "inconsistent" not in set(f["status"])
    assert statuses(f, "granularity") == ["ok"] * 5
    assert statuses(f, "band_label") == ["note"] * 3  # Medium is the scheme's Neutral
    assert len(statuses(f, "reading")) == len(t.recognitions)  # every recognition echoed


def test_runs_of_spaces_and_n_in_the_header():
    t = read_pasted("Item        WAI (n = 99)    Band\nGovernment  0.60          Neutral\nPeople      0.47          Neutral\n")
    assert t.frame.to_dict("list") == {"item": ["Government", "People"], "wai": ["0.60", "0.47"],
                                       "band": ["Neutral", "Neutral"], "n": ["99", "99"]}
    assert "cells split at runs of two or more spaces" in t.recognitions
    assert "header 'WAI (n = 99)' read as the wai column, with n = 99 for every row" in t.recognitions


def test_semicolons_and_decimal_commas():
    # 3,40 from 10 answers on 1..5 is 34/10; 3,45 is no tenth
    f = audit("Item;Mean;N\nq1;3,40;10\nq2;3,45;10\n", decimal=",", rounding="up")
    assert statuses(f, "granularity") == ["ok", "inconsistent"]
    said = f[f["check"] == "reading"]["detail"].tolist()
    assert "cells split at semicolons" in said and "decimal commas in the mean column read as points" in said


def test_count_with_percent_cells_highest_first():
    # lowest first the counts are (3, 6, 12, 30, 9) of 60: RII = (3 + 12 + 36 + 120 + 45) / 300 = 0.72;
    # (6, 6, 12, 24, 12): (6 + 12 + 36 + 96 + 60) / 300 = 0.70. Read lowest first by mistake, the
    # first row would give (9 + 60 + 36 + 24 + 15) / 300 = 0.48.
    text = ("Table 3. Factors\nFactor\tSA\tA\tN\tD\tSD\tRII\tRank\n"
            "Cost\t9 (15%)\t30 (50%)\t12 (20%)\t6 (10%)\t3 (5%)\t0.72\t1\n"
            "Time\t12(20)\t24(40)\t12(20)\t6(10)\t6(10)\t0.70\t2\n")
    t = read_pasted(text)
    assert [t.frame[f"count_{k}"].tolist() for k in range(1, 6)] == \
        [["3", "6"], ["6", "6"], ["12", "12"], ["30", "24"], ["9", "12"]]
    assert "headers 'SA', 'A', 'N', 'D', 'SD' read as 5 categories, highest first from their labels" in t.recognitions
    f = validate_tables({"t": t})
    assert statuses(f, "index_from_counts") == ["ok", "ok"] and statuses(f, "count_percent") == ["ok", "ok"]
    assert statuses(f, "rank") == ["ok"]
    wrong = validate_tables({"t": read_pasted(text, highest_first=False)})
    assert statuses(wrong, "index_from_counts")[0] == "inconsistent"
    assert "0.48" in wrong[wrong["check"] == "index_from_counts"]["detail"].iloc[0]


def test_numbered_categories_highest_first_and_percent_cells():
    assert category_order(["5", "4", "3", "2", "1"]) == "highest_first"
    assert category_order(["Strongly agree", "Agree", "Neutral", "Disagree", "Strongly disagree"]) == "highest_first"
    assert category_order(["Never", "Rarely", "Sometimes", "Often", "Always"]) == "lowest_first"
    t = read_pasted("Item\t5\t4\t3\t2\t1\tMean\nq\t10%\t20%\t40%\t20%\t10%\t3.00\n")
    assert [t.frame[f"pct_{k}"].iloc[0] for k in range(1, 6)] == ["10", "20", "40", "20", "10"]
    assert any("read as percentages" in r for r in t.recognitions)


def test_rii_printed_in_percent():
    # 72.0 % is 0.720: 216 / 300 from 60 answers (3 decimals: [0.7195, 0.7205) holds 216/300 only)
    f = audit("Item\tRII\tN\nq\t72.0\t60\n", rounding="up")
    assert statuses(f, "granularity") == ["ok"]
    assert any("printed in percent" in d for d in f[f["check"] == "reading"]["detail"])


def test_bad_pasted_text_names_the_problem():
    with pytest.raises(InputError, match="header row"):
        read_pasted("just one line of words\n")
    with pytest.raises(OptionError, match="delimiter"):
        read_pasted("a\tb\n", delimiter="pipe")
    with pytest.raises(InputError, match="at most 2 cells"):
        read_pasted("Item\tWAI\nq\t0.5\t0.6\n")


def test_a_breakdown_with_n_in_its_caption():
    # chapter 11's Figure 1 as a pasted breakdown: the shares fit 47 or 94 answers, never the caption's 99
    text = ("Figure 1. Occupations (n = 99)\nOccupation\tPercentage\nUniversity\t27.7%\nNGO/IO/UN\t19.1%\n"
            "Students\t19.1%\nPublic sector\t17.0%\nPrivate sector\t12.8%\nResearchers\t4.3%\n")
    t = read_pasted(text)
    assert list(t.frame.columns) == ["category", "percent", "n"] and t.frame["percent"].iloc[0] == "27.7"
    assert "line 1 'Figure 1. Occupations (n = 99)' read as the caption, with n = 99 for every row" in t.recognitions
    f = validate_tables({"figure1": t})
    size = f[f["check"] == "sample_size"]
    assert size["status"].tolist() == ["inconsistent"] and size["consistent_n"].iloc[0][:2] == (47, 94)
    assert read_pasted("Item\tMean=3\nq\t1\n").frame.columns.tolist()[:1] == ["item"]  # no n in "Mean=3"
