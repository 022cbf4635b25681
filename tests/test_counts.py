"""The counts type: one count of a frame serves score and compare, and counts of chunks add."""

import numpy as np
import pandas as pd
import pytest

import wai
from wai.counts import Counts, count
from wai.errors import OptionError
from wai.scales import LikertScale

THREE = LikertScale(("Low", "Medium", "High"))


@pytest.fixture()
def frame():
    return pd.DataFrame({
        "team": ["a", "a", "a", "b", "b", " ", None, "b"],
        "q1": ["Low", "High", "Medium", "High", "High", "Low", "Medium", "Don't know"],
        "q2": ["Medium", None, "High", "Low", "Low", "High", "High", "Medium"],
    })


def test_counts_by_hand(frame):
    c = count(frame, ["q1", "q2"], THREE, by="team")
    assert c.items == ("q1", "q2") and c.points == 3 and not c.weighted
    # the whitespace-only team and the missing one form one blank group, last
    assert c.groups[:2] == ("a", "b") and len(c.groups) == 3 and pd.isna(c.groups[2])
    t = c.table.set_index(["item", c.table["team"].fillna("<blank>")])
    assert t.loc[("q1", "a"), ["count_1", "count_2", "count_3"]].tolist() == [1, 1, 1]
    assert t.loc[("q1", "b"), ["count_1", "count_2", "count_3", "n_nonscale"]].tolist() == [0, 0, 2, 1]
    assert t.loc[("q1", "<blank>"), ["count_1", "count_2", "count_3"]].tolist() == [1, 1, 0]
    assert t.loc[("q2", "a"), ["n", "n_blank"]].tolist() == [2, 1]
    groups, table = c.group_table("q2")
    assert groups == ["a", "b"] and table.tolist() == [[0, 1, 1], [2, 1, 0]]


def test_score_and_compare_from_counts_equal_from_frame(frame):
    c = count(frame, ["q1", "q2"], THREE, by="team")
    pd.testing.assert_frame_equal(wai.score(c), wai.score(frame, ["q1", "q2"], THREE, by="team"))
    pd.testing.assert_frame_equal(wai.compare(c), wai.compare(frame, ["q1", "q2"], THREE, by="team"))
    # WAI of q1 in team a: codes 1, 3, 2 -> (0 + 1 + 0.5) / 3 = 1/2
    row = wai.score(c).query("team == 'a' and item == 'q1'").iloc[0]
    assert row["wai_exact"] == "1/2"
    # a subset of items, in the order asked
    assert wai.compare(c, ["q2"])["item"].tolist() == ["q2"]
    assert c.select(["q2", "q1"]).table["item"].tolist()[:2] == ["q2", "q1"]


def test_counts_of_chunks_add_up(frame):
    whole = count(frame, ["q1", "q2"], THREE)
    parts = [count(frame.iloc[:3], ["q1", "q2"], THREE), count(frame.iloc[3:], ["q1", "q2"], THREE)]
    pd.testing.assert_frame_equal(Counts.combine(parts).table, whole.table)
    pd.testing.assert_frame_equal((parts[0] + parts[1]).table, whole.table)


def test_counts_disagreeing_with_arguments_are_refused(frame):
    c = count(frame, ["q1"], THREE, by="team")
    with pytest.raises(OptionError, match="scale"):
        wai.score(c, scale=wai.LEVEL5)
    with pytest.raises(OptionError, match="by"):
        wai.score(c, by="other")
    with pytest.raises(OptionError, match="items"):
        c.select(["q9"])
    with pytest.raises(OptionError, match="group column"):
        count(frame, ["q1"], THREE).group_table("q1")
    with pytest.raises(OptionError, match="missing"):
        Counts(pd.DataFrame({"item": ["q1"]}), THREE)
    with pytest.raises(OptionError, match="items"):
        wai.score(frame)  # a frame needs its items named


def test_weighted_counts_keep_design_columns():
    df = pd.DataFrame({"q": ["Low", "High", "High"], "w": [0.5, 1.5, 2.0]})
    c = count(df, ["q"], THREE, weights="w")
    assert c.weighted and c.table[["count_1", "count_3", "n_obs", "wsq_3"]].iloc[0].tolist() == [0.5, 3.5, 3, 6.25]
    np.testing.assert_allclose(wai.score(c)["wai"], [3.5 / 4.0])


def test_each_rows_exact_wai_is_computed_once(frame, monkeypatch):
    import wai.inference
    import wai.scoring

    calls = []
    original = wai.scoring.wai_from_counts

    def counted(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(wai.scoring, "wai_from_counts", counted)
    monkeypatch.setattr(wai.inference, "wai_from_counts", counted)
    for ci_method in ("t", "bca", "multinomial"):
        calls.clear()
        scored = wai.score(count(frame, ["q1", "q2"], THREE, by="team"), ci_method=ci_method, n_resamples=50)
        # 2 items x 3 groups, every row answered: whole-number rows are scored in integers (no Fraction
        # per row); a bootstrap interval takes the row's exact estimate at most once
        assert len(scored) == 6 and len(calls) == (0 if ci_method != "bca" else 6)
