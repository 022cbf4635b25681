"""Construct scores (wai.constructs) and the codebook's [[constructs]]: a five-item construct, two reverse-keyed.

R reference (psych 2.x), the data below as data.csv::

    library(psych)
    d <- read.csv("data.csv")
    s <- scoreItems(list(c1 = c("q1", "q2", "-q3", "-q4", "q5")), d, impute = "none", min = 1, max = 5,
                    totals = FALSE)
    format(as.vector(s$scores), digits = 15)
    # "4.6" "4.0" "3.0" "1.6" "4.8" "4.0" "1.4" "3.6" "5.0" "4.2" "2.2" "4.4"
    format(psych::alpha(d[complete.cases(d), ], keys = c("q3", "q4"))$total$raw_alpha, digits = 15)
    # "0.96517971758665"
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy.stats import t as t_dist

from wai.constructs import Construct, construct_scores, score_construct
from wai.errors import CodebookError
from wai.reliability import alpha
from wai.study import load_study

ROWS = ["5,4,1,2,5", "4,4,2,,4", "3,3,3,3,3", "2,1,5,4,2", "5,5,1,1,4", "4,,2,2,", "1,2,4,5,1", "3,4,2,3,4",
        ",,,,5", "4,3,2,1,5", "2,2,4,4,3", "5,4,1,2,4"]
ITEMS = ["q1", "q2", "q3", "q4", "q5"]
REVERSE = ["q3", "q4"]
R_SCORES = [4.6, 4.0, 3.0, 1.6, 4.8, 4.0, 1.4, 3.6, 5.0, 4.2, 2.2, 4.4]
R_ALPHA = 0.96517971758665


def frame() -> pd.DataFrame:
    cells = [[int(x) if x else None for x in row.split(",")] for row in ROWS]
    return pd.DataFrame(cells, columns=ITEMS, dtype=object)


def hand_scores(min_items: int = 1) -> list[Fraction | None]:
    """Reverse q3 and q4 (c -> 6 - c), then the mean of the answered items."""
    out: list[Fraction | None] = []
    for row in ROWS:
        codes = [(6 - int(x) if name in REVERSE else int(x)) for name, x in zip(ITEMS, row.split(",")) if x]
        out.append(Fraction(sum(codes), len(codes)) if len(codes) >= min_items else None)
    return out


def test_construct_scores_equal_the_hand_computation_and_psych():
    scores = construct_scores(frame(), ITEMS, reverse=REVERSE)
    hand = hand_scores()
    assert [Fraction(x).limit_denominator(100) for x in scores["score"]] == hand
    assert scores["score"].tolist() == pytest.approx(R_SCORES, abs=1e-12)
    assert scores["n_items"].tolist() == [5, 4, 5, 5, 5, 3, 5, 5, 1, 5, 5, 5]
    # on the index scale: (score - 1) / 4, exact
    assert [Fraction(x) for x in scores["score_exact"]] == [(h - 1) / 4 for h in hand if h is not None]


def test_min_items_leaves_out_respondents_with_too_few_answers():
    scores = construct_scores(frame(), ITEMS, reverse=REVERSE, min_items=4)
    hand = hand_scores(4)
    assert [None if math.isnan(x) else Fraction(x).limit_denominator(100) for x in scores["score"]] == hand
    assert scores["score_exact"].tolist()[5] == "" and scores["score_exact"].tolist()[8] == ""


def test_construct_wai_interval_band_and_alpha():
    result = score_construct(frame(), Construct("c1", tuple(ITEMS), tuple(REVERSE)))
    hand = [(h - 1) / 4 for h in hand_scores() if h is not None]
    assert result.wai_exact == sum(hand, Fraction(0)) / 12 == Fraction(77, 120)
    assert (result.wai_rounded, result.band, result.n, result.k) == ("0.64", "High", 12, 5)
    values = np.array([float(h) for h in hand])
    half = t_dist.ppf(0.975, 11) * values.std(ddof=1) / math.sqrt(12)
    assert (result.ci_low, result.ci_high) == pytest.approx((77 / 120 - half, 77 / 120 + half), abs=1e-12)
    same = alpha(frame(), ITEMS, reverse=REVERSE)
    assert result.alpha is not None and result.alpha.alpha == same.alpha
    assert result.alpha.alpha == pytest.approx(R_ALPHA, abs=1e-12)


def test_bad_constructs():
    with pytest.raises(ValueError, match="reverse must name items"):
        construct_scores(frame(), ["q1", "q2"], reverse=["q3"])
    with pytest.raises(ValueError, match="min_items"):
        construct_scores(frame(), ["q1", "q2"], min_items=3)


CODEBOOK = """
[study]
id = "battery"
title = "A five-item battery"
responses = "responses.csv"

[scale]
numeric = [1, 5]

[[tables]]
id = "table1"
title = "Items"

{items}

[[constructs]]
id = "c1"
label = "The construct"
items = ["q1", "q2", "q3", "q4", "q5"]
{extra}
"""


def study_folder(tmp_path, extra: str = "", reverse_on_items: bool = True):
    items = "\n".join(f'[[items]]\nid = "{q}"\ncolumn = "{q}"\nin = "table1"\nwording = "Wording of {q}"' +
                      ("\nreverse = true" if reverse_on_items and q in REVERSE else "") + "\n" for q in ITEMS)
    (tmp_path / "codebook.toml").write_text(CODEBOOK.format(items=items, extra=extra))
    (tmp_path / "responses.csv").write_text(",".join(ITEMS) + "\n" + "\n".join(ROWS) + "\n")
    return tmp_path


def test_codebook_constructs_reverse_keys_from_the_items(tmp_path):
    study = load_study(study_folder(tmp_path))
    assert study.constructs == (Construct("c1", tuple(ITEMS), tuple(REVERSE), 1, "The construct"),)


def test_codebook_constructs_checked(tmp_path):
    with pytest.raises(CodebookError) as info:
        load_study(study_folder(tmp_path, 'reverse = ["q9"]\nmin_items = 6'))
    text = str(info.value)
    assert "constructs[0].reverse" in text and "constructs[0].min_items" in text


def test_report_of_a_study_with_a_construct(tmp_path):
    from wai.input.readers import read_responses
    from wai.report.analysis import analyse
    from wai.report.group_views import construct_scores as score_table, constructs_shown

    (tmp_path / "study").mkdir()
    study = load_study(study_folder(tmp_path / "study", 'reverse = ["q3", "q4"]', reverse_on_items=False))
    results = analyse(study, read_responses(study.responses))
    (c,) = results.constructs
    assert c.wai_exact == Fraction(77, 120) and c.construct.items == tuple(ITEMS)
    shown = constructs_shown(results)
    assert shown.loc[0, "items"].startswith("Wording of q1; Wording of q2; Wording of q3 (R); Wording of q4 (R)")
    assert shown.loc[0, "alpha"] == f"{R_ALPHA:.4f}" and shown.loc[0, "wai"] == "0.64"
    table = score_table(results)
    assert table["c1_score"].tolist() == pytest.approx(R_SCORES, abs=1e-12)
    assert table["respondent"].tolist() == [f"row{i}" for i in range(2, 14)]
