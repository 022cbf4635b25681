"""Tests of wai.report.figures: files written, plotted data saved exactly, reproducible bytes."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pandas as pd
import pytest

from wai.bands import CHAPTER11_BANDS, BandScheme
from wai.report.figures import (band_colours, distribution_figure, diverging_figure, grouped_caption,
                                grouped_diverging_figure, item_order, likert_colours, wai_figure)


def occupation() -> pd.DataFrame:
    counts = {"University": 26, "NGO/IO/UN": 18, "Students": 18, "Public sector": 16,
              "Private sector": 12, "Researchers": 4}
    return pd.DataFrame({"category": list(counts), "count": list(counts.values()),
                         "percent": [round(c / 94 * 100, 1) for c in counts.values()]})


def items(status: bool = False, ns: list[int] | None = None) -> pd.DataFrame:
    wordings = [
        "Financial crisis",
        "To what degree do Cambodian people have positive views of the Chinese government?",
        "Change of government",
        "How likely is it that China will remain Cambodia's largest development partner over the next decade?",
    ]
    wai = [0.7412, 0.6010, 0.4734, 0.9]
    t = pd.DataFrame({
        "item": ["d1", "p1", "d2", "p2"],
        "wording": wordings,
        "n": ns or [94, 94, 94, 94],
        "wai": wai,
        "wai_rounded": ["0.74", "0.60", "0.47", "0.90"],
        "band": ["High", "Neutral", "Medium", "Very High"],
    })
    if status:
        t["target_status"] = ["published", "illustrative", "published", "published"]
    return t


def read_csv(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"wai_rounded": str}, keep_default_na=False)


def test_distribution_figure_writes_png_svg_and_plotted_data(tmp_path):
    paths = distribution_figure(occupation(), title="Respondents by occupation",
                                stem=tmp_path / "sub" / "occ", note="n = 94 of 99 answered")
    assert [p.name for p in paths] == ["occ.png", "occ.svg", "occ.csv"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in paths[1].read_bytes()[:2000]
    saved = read_csv(paths[2])
    assert list(saved.columns) == ["category", "count", "percent"]
    assert saved["category"].tolist() == ["University", "NGO/IO/UN", "Students", "Public sector",
                                          "Private sector", "Researchers"]
    assert saved["count"].tolist() == [26, 18, 18, 16, 12, 4]
    assert saved["percent"].tolist() == [27.7, 19.1, 19.1, 17.0, 12.8, 4.3]


def test_distribution_figure_keeps_only_plotted_columns(tmp_path):
    t = occupation().assign(extra="x")
    paths = distribution_figure(t, title="t", stem=tmp_path / "occ")
    assert paths[2].read_text().splitlines()[:2] == ["category,count,percent", "University,26,27.7"]


def test_wai_figure_csv_equals_input(tmp_path):
    t = items()
    paths = wai_figure(t, title="Drivers", stem=tmp_path / "drivers", note="Reconstructed data.")
    assert [p.suffix for p in paths] == [".png", ".svg", ".csv"]
    saved = read_csv(paths[2])
    assert list(saved.columns) == ["item", "wording", "n", "wai", "wai_rounded", "band"]
    assert saved["item"].tolist() == ["d1", "p1", "d2", "p2"]
    assert saved["wording"].tolist() == t["wording"].tolist()
    assert saved["n"].tolist() == [94, 94, 94, 94]
    assert saved["wai"].tolist() == [0.7412, 0.6010, 0.4734, 0.9]
    assert saved["wai_rounded"].tolist() == ["0.74", "0.60", "0.47", "0.90"]
    assert saved["band"].tolist() == ["High", "Neutral", "Medium", "Very High"]


def test_wai_figure_keeps_target_status_and_varying_n(tmp_path):
    paths = wai_figure(items(status=True, ns=[94, 90, 88, 94]), title="t", stem=tmp_path / "w")
    saved = read_csv(paths[2])
    assert saved.columns[-1] == "target_status"
    assert saved["target_status"].tolist() == ["published", "illustrative", "published", "published"]
    assert saved["n"].tolist() == [94, 90, 88, 94]


@pytest.mark.parametrize("which", ["distribution", "wai", "wai_ci", "diverging"])
def test_same_input_gives_identical_bytes(tmp_path, which):
    def draw(stem):
        if which == "distribution":
            return distribution_figure(occupation(), title="Occupation", stem=stem, note="n = 94")
        if which == "wai_ci":
            return wai_figure(with_intervals(items(status=True)), title="Drivers", stem=stem)
        if which == "diverging":
            return diverging_figure(likert(), title="Drivers", labels=FIVE, stem=stem, note="Data.")
        return wai_figure(items(status=True), title="Drivers", stem=stem, note="n = 94")

    first = draw(tmp_path / "a")
    second = draw(tmp_path / "b")
    for p, q in zip(first, second):
        assert p.read_bytes() == q.read_bytes(), p.suffix
    metadata = first[1].read_text().split("</metadata>")[0]
    assert "<dc:date>" not in metadata and "<dc:creator>" not in metadata
    assert b"Software" not in first[0].read_bytes()


def test_overwrites_atomically_without_leftovers(tmp_path):
    stem = tmp_path / "occ"
    distribution_figure(occupation(), title="t", stem=stem)
    distribution_figure(occupation().iloc[:2], title="t", stem=stem)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["occ.csv", "occ.png", "occ.svg"]
    assert len(read_csv(tmp_path / "occ.csv")) == 2


def test_empty_tables_raise(tmp_path):
    with pytest.raises(ValueError, match="empty"):
        distribution_figure(occupation().iloc[:0], title="t", stem=tmp_path / "x")
    with pytest.raises(ValueError, match="empty"):
        wai_figure(items().iloc[:0], title="t", stem=tmp_path / "y")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", [1.2, -0.01, float("nan")])
def test_wai_outside_0_1_raises(tmp_path, value):
    t = items()
    t.loc[2, "wai"] = value
    with pytest.raises(ValueError, match=r"'wai'.*d2"):
        wai_figure(t, title="t", stem=tmp_path / "w")
    assert list(tmp_path.iterdir()) == []


def test_bad_inputs_raise_clear_errors(tmp_path):
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['band'\]"):
        wai_figure(items().drop(columns="band"), title="t", stem=tmp_path / "w")
    bad_band = items()
    bad_band.loc[0, "band"] = "Huge"
    with pytest.raises(ValueError, match="'Huge'"):
        wai_figure(bad_band, title="t", stem=tmp_path / "w")
    bad_status = items(status=True)
    bad_status.loc[0, "target_status"] = "guessed"
    with pytest.raises(ValueError, match="target_status"):
        wai_figure(bad_status, title="t", stem=tmp_path / "w")
    bad_pct = occupation()
    bad_pct.loc[0, "percent"] = 127.7
    with pytest.raises(ValueError, match=r"0\.\.100.*University"):
        distribution_figure(bad_pct, title="t", stem=tmp_path / "d")
    bad_count = occupation()
    bad_count.loc[1, "count"] = -1
    with pytest.raises(ValueError, match="NGO/IO/UN"):
        distribution_figure(bad_count, title="t", stem=tmp_path / "d")


def test_other_band_scheme(tmp_path):
    three = BandScheme.from_ranges([("Disagree", "0.0", "0.3"), ("Undecided", "0.4", "0.6"),
                                    ("Agree", "0.7", "1.0")])
    t = pd.DataFrame({"item": ["a"], "wording": ["One item"], "n": [12], "wai": [0.66],
                      "wai_rounded": ["0.7"], "band": ["agree"]})
    paths = wai_figure(t, title="t", bands=three, stem=tmp_path / "three")
    assert all(p.is_file() for p in paths)


def test_band_colours_are_ordered_dark_to_light():
    from matplotlib.colors import to_rgb

    def lum(c):
        r, g, b = to_rgb(c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    pal = band_colours(CHAPTER11_BANDS)
    assert list(pal) == list(CHAPTER11_BANDS.labels)
    lums = [lum(c) for c in pal.values()]
    assert lums == sorted(lums, reverse=True)


def test_no_pyplot_figures_left_open(tmp_path):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    distribution_figure(occupation(), title="t", stem=tmp_path / "d")
    wai_figure(items(), title="t", stem=tmp_path / "w")
    diverging_figure(likert(), title="t", labels=FIVE, stem=tmp_path / "v")
    assert plt.get_fignums() == before


def test_rcparams_untouched(tmp_path):
    import matplotlib

    before = dict(matplotlib.rcParams)
    wai_figure(with_intervals(items()), title="t", stem=tmp_path / "w")
    diverging_figure(likert(), title="t", labels=FIVE, stem=tmp_path / "v")
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


# --------------------------------------------------------------------------- whiskers


def with_intervals(t: pd.DataFrame) -> pd.DataFrame:
    t = t.copy()
    t["ci_low"] = [0.69, 0.55, float("nan"), 0.86]
    t["ci_high"] = [0.79, 0.65, float("nan"), 0.94]
    t["band_certain"] = pd.array([True, False, pd.NA, True], dtype="boolean")
    return t


def test_wai_figure_with_intervals_saves_them(tmp_path):
    paths = wai_figure(with_intervals(items(ns=[94, 90, 88, 94])), title="t", stem=tmp_path / "w")
    saved = read_csv(paths[2])
    assert list(saved.columns) == ["item", "wording", "n", "wai", "wai_rounded", "band",
                                   "ci_low", "ci_high", "band_certain"]
    assert saved["ci_low"].tolist() == ["0.69", "0.55", "", "0.86"] or \
        saved["ci_low"].tolist() == [0.69, 0.55, "", 0.86]
    raw = pd.read_csv(paths[2])
    assert raw["ci_low"].tolist()[:2] == [0.69, 0.55] and math.isnan(raw["ci_low"][2])
    assert raw["ci_high"].tolist()[:2] == [0.79, 0.65] and math.isnan(raw["ci_high"][2])
    assert raw["ci_low"][3] == 0.86 and raw["ci_high"][3] == 0.94
    # the uncertain band (p1) is marked False, the item without interval is NA
    assert saved["band_certain"].tolist() == ["True", "False", "", "True"]
    assert saved["wai"].tolist() == [0.7412, 0.6010, 0.4734, 0.9]


def test_wai_figure_intervals_all_missing_draws_the_plain_figure(tmp_path):
    t = items()
    plain = wai_figure(t, title="t", stem=tmp_path / "plain")
    empty = wai_figure(t.assign(ci_low=float("nan"), ci_high=float("nan")), title="t", stem=tmp_path / "nan")
    assert plain[0].read_bytes() == empty[0].read_bytes()
    assert read_csv(empty[2]).columns[-2:].tolist() == ["ci_low", "ci_high"]


def test_wai_figure_text_flags_confidence_and_extreme_intervals(tmp_path):
    # p1's interval is so wide its label fits neither right of it nor inside the bar;
    # p2's reaches 1.0, so its label goes inside the bar left of the whisker
    # (t intervals may pass the axis ends: drawn cut off, saved as given)
    t = items(ns=[94, 5, 88, 94]).assign(ci_low=[0.70, 0.05, -0.02, 0.85], ci_high=[0.78, 0.97, 0.6, 1.03],
                                         band_certain=["yes", "no", "", "1"], confidence=0.9)
    paths = wai_figure(t, title="t", stem=tmp_path / "w")
    saved = read_csv(paths[2])
    assert saved["band_certain"].tolist() == ["True", "False", "", "True"]
    assert saved["confidence"].tolist() == [0.9] * 4
    raw = pd.read_csv(paths[2])
    assert raw["ci_low"].tolist() == [0.70, 0.05, -0.02, 0.85]
    assert raw["ci_high"].tolist() == [0.78, 0.97, 0.6, 1.03]


@pytest.mark.parametrize("change, pattern", [
    ({"drop": "ci_high"}, r"'ci_low' but not 'ci_high'"),
    ({"ci_low": [0.69, 0.7, 0.42, 0.86]}, r"ci_low <= ci_high.*p1"),
    ({"ci_high": [0.79, 0.65, float("inf"), 0.94]}, r"ci_high.*d2"),
    ({"ci_high": [0.79, float("nan"), 0.52, 0.94]}, r"both.*p1"),
    ({"ci_low": [0.69, "low", 0.42, 0.86]}, r"'ci_low'.*p1"),
    ({"band_certain": [True, "maybe", True, True]}, r"band_certain.*maybe"),
    ({"confidence": [0.95, 0.95, 0.9, 0.95]}, r"confidence.*one level"),
    ({"confidence": [150] * 4}, r"confidence"),
])
def test_wai_figure_bad_intervals_raise(tmp_path, change, pattern):
    t = items().assign(ci_low=[0.69, 0.55, 0.42, 0.86], ci_high=[0.79, 0.65, 0.52, 0.94])
    for column, values in change.items():
        if column == "drop":
            t = t.drop(columns=values)
        else:
            t[column] = values
    with pytest.raises(ValueError, match=pattern):
        wai_figure(t, title="t", stem=tmp_path / "w")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- diverging

FIVE = ["Very Low", "Low", "Neutral", "High", "Very High"]


def likert(counts: list[list[int]] | None = None) -> pd.DataFrame:
    counts = counts or [[12, 22, 32, 22, 10], [2, 8, 20, 38, 28], [5, 15, 28, 37, 14]]
    k = len(counts[0])
    t = pd.DataFrame({
        "item": ["d2", "d1", "p1"][:len(counts)],
        "wording": ["Change of government", "Financial crisis",
                    "To what degree do Cambodian people have positive views of the Chinese government?"][:len(counts)],
        "n": [sum(c) for c in counts],
        "wai": [sum(j * f for j, f in enumerate(c)) / (k - 1) / sum(c) for c in counts],
    })
    for j in range(k):
        t[f"count_{j + 1}"] = [c[j] for c in counts]
    return t


def test_diverging_figure_saves_counts_and_percentages_sorted_by_wai(tmp_path):
    t = likert()
    paths = diverging_figure(t, title="t", labels=FIVE, stem=tmp_path / "sub" / "div")
    assert [p.name for p in paths] == ["div.png", "div.svg", "div.csv"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    saved = pd.read_csv(paths[2])
    counts = [f"count_{j}" for j in range(1, 6)]
    pcts = [f"pct_{j}" for j in range(1, 6)]
    assert list(saved.columns) == ["item", "wording", "n", "wai", *counts, *pcts]
    assert saved["item"].tolist() == ["d1", "p1", "d2"]  # highest WAI first
    assert saved["wai"].is_monotonic_decreasing
    assert saved["n"].tolist() == [96, 99, 98]
    assert saved.loc[0, counts].tolist() == [2, 8, 20, 38, 28]
    for _, row in saved.iterrows():
        for c, p in zip(counts, pcts):  # the exact share, correctly rounded to a float
            assert row[p] == row[c] * 100 / row["n"]
        assert sum(row[p] for p in pcts) == pytest.approx(100.0)
    assert saved.loc[1, "pct_2"] == pytest.approx(15 / 99 * 100, abs=1e-12)


@pytest.mark.parametrize("labels", [
    ["Strongly disagree", "Disagree", "Agree", "Strongly agree"],
    ["Low", "Medium", "High"],
])
def test_diverging_figure_odd_and_even_scales(tmp_path, labels):
    k = len(labels)
    counts = [[(i + j) % 4 + 1 for j in range(k)] for i in range(3)]
    counts[1][0] = 0  # an empty category
    paths = diverging_figure(likert(counts), title="t", labels=labels, stem=tmp_path / "d")
    saved = pd.read_csv(paths[2])
    assert [c for c in saved.columns if c.startswith("pct_")] == [f"pct_{j}" for j in range(1, k + 1)]
    assert saved["wai"].is_monotonic_decreasing
    assert (saved[[f"pct_{j}" for j in range(1, k + 1)]].sum(axis=1) - 100).abs().max() < 1e-9


def test_diverging_figure_ties_keep_row_order(tmp_path):
    t = likert([[1, 1, 1], [1, 1, 1], [0, 1, 2]]).assign(item=["a", "b", "c"])
    paths = diverging_figure(t, title="t", labels=["Low", "Mid", "High"], stem=tmp_path / "d")
    assert pd.read_csv(paths[2])["item"].tolist() == ["c", "a", "b"]


@pytest.mark.parametrize("change, pattern", [
    (lambda t: t.drop(columns="count_3"), r"lacks column\(s\) \['count_3'\]"),
    (lambda t: t.assign(count_6=0), r"count_6.*only 5"),
    (lambda t: t.assign(n=[98, 0, 99], count_1=[12, 0, 5], count_2=[22, 0, 15], count_3=[32, 0, 28],
                        count_4=[22, 0, 37], count_5=[10, 0, 14]), r"'n'.*> 0.*d1"),
    (lambda t: t.assign(n=[98, 96, 100]), r"sum to 'n'.*p1 \(sum 99, n = 100\)"),
    (lambda t: t.assign(count_2=[22, -1, 15]), r"'count_2'.*d1"),
    (lambda t: t.assign(count_4=[22, 38.5, 37]), r"'count_4'.*d1"),
    (lambda t: t.assign(wai=[0.4, 1.3, 0.6]), r"'wai'.*d1"),
    (lambda t: t.iloc[:0], "empty"),
])
def test_diverging_figure_bad_inputs_raise(tmp_path, change, pattern):
    with pytest.raises(ValueError, match=pattern):
        diverging_figure(change(likert()), title="t", labels=FIVE, stem=tmp_path / "d")
    assert list(tmp_path.iterdir()) == []


def test_diverging_figure_needs_two_labels(tmp_path):
    with pytest.raises(ValueError, match="at least 2"):
        diverging_figure(likert().assign(count_1=likert()["n"]), title="t", labels=["Only"],
                         stem=tmp_path / "d")


def test_likert_colours_diverge_around_a_grey_middle():
    from matplotlib.colors import to_rgb

    five = likert_colours(5)
    assert len(set(five)) == 5 and five[2] == "#cccccc"
    reds, blues = [to_rgb(c) for c in five[:2]], [to_rgb(c) for c in five[3:]]
    assert all(r > b for r, _, b in reds) and all(b > r for r, _, b in blues)
    assert len(likert_colours(4)) == 4 and "#cccccc" not in likert_colours(4)


def run(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_wai_does_not_import_matplotlib():
    run("import sys, wai, wai.index; assert 'matplotlib' not in sys.modules, 'matplotlib imported'")


def test_figures_does_not_import_pyplot():
    run("import sys, wai.report.figures; assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'")


def test_import_wai_loads_no_scipy_statsmodels_or_matplotlib():
    import subprocess
    import sys

    code = ("import sys, wai; heavy = [m for m in ('scipy', 'statsmodels', 'matplotlib') if m in sys.modules]; "
            "assert not heavy, heavy")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# --------------------------------------------------------------------------- grouped diverging bars


def grouped() -> pd.DataFrame:
    """Two items x two groups on a 3-point scale: b has the higher WAI, a the higher top box."""
    return pd.DataFrame({
        "item": ["a", "a", "b", "b"], "wording": ["Item A", "Item A", "Item B", "Item B"],
        "group": ["M", "F", "M", "F"], "n": [4, 2, 5, 5], "n_nonscale": [1, 0, 0, 2],
        "count_1": [0, 1, 0, 0], "count_2": [0, 0, 1, 1], "count_3": [4, 1, 4, 4],
        "item_wai": [0.8, 0.8, 0.9, 0.9], "item_top_box": [5 / 6, 5 / 6, 0.8, 0.8],
    })


def test_grouped_figure_plots_groups_in_the_given_order_with_exact_shares(tmp_path):
    paths = grouped_diverging_figure(grouped(), title="By sex", labels=["Low", "Mid", "High"],
                                     stem=tmp_path / "g", groups=["F", "M"], sort="wai",
                                     non_scale_label="Don't know")
    saved = read_csv(paths[2])
    assert list(saved.columns) == ["item", "wording", "group", "n", "n_nonscale", "count_1", "count_2", "count_3",
                                   "pct_1", "pct_2", "pct_3"]
    assert saved[["item", "group"]].values.tolist() == [["b", "F"], ["b", "M"], ["a", "F"], ["a", "M"]]
    assert saved["pct_2"].tolist() == [20.0, 20.0, 0.0, 0.0] and saved["n_nonscale"].tolist() == [2, 0, 0, 1]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow  # three figures drawn
@pytest.mark.parametrize("layout, filled", [("rows", True), ("panels", False), ("panels", True)])
def test_grouped_figure_layouts_and_filled_variant_write_the_same_data(tmp_path, layout, filled):
    paths = grouped_diverging_figure(grouped(), title="t", labels=["Low", "Mid", "High"], stem=tmp_path / "g",
                                     layout=layout, filled=filled, caption=False)
    assert read_csv(paths[2])[["item", "group"]].values.tolist() == [["a", "M"], ["a", "F"], ["b", "M"], ["b", "F"]]
    assert all(p.stat().st_size > 0 for p in paths)


def test_item_order_choices():
    t = grouped()
    assert item_order(t) == ["a", "b"]
    assert item_order(t, "wai") == ["b", "a"]
    assert item_order(t, "top_box") == ["a", "b"]
    assert item_order(t, ["b", "a"]) == ["b", "a"]
    with pytest.raises(ValueError, match="every item once"):
        item_order(t, ["a"])
    with pytest.raises(ValueError, match="sort must be one of"):
        item_order(t, "alphabet")
    with pytest.raises(ValueError, match="needs the column 'item_wai'"):
        item_order(t.drop(columns="item_wai"), "wai")


def test_grouped_figure_rejects_bad_tables(tmp_path):
    labels = ["Low", "Mid", "High"]
    with pytest.raises(ValueError, match="must sum to 'n'"):
        grouped_diverging_figure(grouped().assign(n=[5, 2, 5, 5]), title="t", labels=labels, stem=tmp_path / "g")
    with pytest.raises(ValueError, match="not in groups"):
        grouped_diverging_figure(grouped(), title="t", labels=labels, stem=tmp_path / "g", groups=["F"])
    with pytest.raises(ValueError, match="more than one row"):
        grouped_diverging_figure(pd.concat([grouped(), grouped()]), title="t", labels=labels, stem=tmp_path / "g")
    with pytest.raises(ValueError, match="layout"):
        grouped_diverging_figure(grouped(), title="t", labels=labels, stem=tmp_path / "g", layout="grid")


def test_grouped_caption_says_how_to_read_it():
    text = grouped_caption("Note.", ["Low", "Mid", "High"], sort="top_box", non_scale_label="Don't know")
    assert text.startswith("Note.\nItems sorted by top-box share, highest first; middle category (Mid) centred on 0.")
    assert "Don't know answers are not on the scale" in text
    assert "each bar fills 100%" in grouped_caption("", ["Low", "High"], filled=True)


def test_diverging_figure_sorts_as_asked(tmp_path):
    t = pd.DataFrame({"item": ["q1", "q2"], "wording": ["One", "Two"], "n": [4, 4], "wai": [0.75, 0.5],
                      "count_1": [1, 0], "count_2": [0, 4], "count_3": [3, 0]})
    labels = ["Low", "Mid", "High"]
    assert read_csv(diverging_figure(t, title="t", labels=labels, stem=tmp_path / "a")[2])["item"].tolist() == \
        ["q1", "q2"]
    assert read_csv(diverging_figure(t, title="t", labels=labels, stem=tmp_path / "b", sort=["q2", "q1"],
                                     caption=False)[2])["item"].tolist() == ["q2", "q1"]


# --------------------------------------------------------------------------- layout as saved


@pytest.fixture
def saved_figures(monkeypatch):
    """The figures as they are saved: each one's Figure, and how far (points) one more layout pass moves its axes.

    A figure is saved with the layout solved as few times as it needs; one
    more pass must leave every axes where it is (to a hundredth of a point),
    or the file would show a layout that was not finished.
    """
    from wai.report import figures

    seen: list[tuple[object, float]] = []
    render = figures._render

    def keep(fig, png, svg):
        before = [ax.get_position().frozen() for ax in fig.axes]
        render(fig, png, svg)
        fig.set_layout_engine("constrained", h_pad=0.06, w_pad=0.06, hspace=0.0, wspace=0.0)
        fig.get_layout_engine().execute(fig)
        width, height = fig.get_size_inches() * 72
        moved = max(max(abs(a.x0 - b.x0) * width, abs(a.x1 - b.x1) * width, abs(a.y0 - b.y0) * height,
                        abs(a.y1 - b.y1) * height) for a, b in zip(before, [ax.get_position() for ax in fig.axes]))
        seen.append((fig, moved))

    monkeypatch.setattr(figures, "_render", keep)
    return seen


def _legend_rows(legend) -> int:
    return len({round(t.get_window_extent().y0, 1) for t in legend.get_texts()})


SEVEN_LONG = ["Strongly disagree with every part", "Disagree on the whole", "Somewhat disagree",
              "Neither agree nor disagree", "Somewhat agree", "Agree on the whole", "Strongly agree with every part"]


def test_figures_are_saved_with_their_layout_settled(tmp_path, saved_figures):
    distribution_figure(occupation(), title="Occupation", stem=tmp_path / "d", note="n = 94")
    wai_figure(items(ns=[94, 5, 88, 94]).assign(ci_low=[0.70, 0.05, -0.02, 0.85], ci_high=[0.78, 0.97, 0.6, 1.03]),
               title="t", stem=tmp_path / "w")
    diverging_figure(likert(), title="t", labels=FIVE, stem=tmp_path / "v")
    grouped_diverging_figure(grouped(), title="t", labels=["Low", "Mid", "High"], stem=tmp_path / "g",
                             non_scale_label="Don't know")
    grouped_diverging_figure(grouped(), title="t", labels=["Low", "Mid", "High"], stem=tmp_path / "p",
                             layout="panels")
    assert [round(moved, 2) for _, moved in saved_figures] == [0.0] * 5


def test_likert_legend_sits_above_the_bars_in_one_row_when_it_fits(tmp_path, saved_figures):
    diverging_figure(likert(), title="t", labels=FIVE, stem=tmp_path / "v")
    fig, _ = saved_figures[0]
    ax = fig.axes[0]
    legend = ax.get_legend()
    box, axes_box = legend.get_window_extent(), ax.get_window_extent()
    assert _legend_rows(legend) == 1 and [t.get_text() for t in legend.get_texts()] == FIVE
    assert box.y0 >= axes_box.y1  # above the bars
    assert abs((box.x0 + box.x1) / 2 - (axes_box.x0 + axes_box.x1) / 2) < 1  # centred over them


@pytest.mark.parametrize("grouped_chart", [False, True])
def test_a_likert_legend_too_wide_for_the_figure_is_folded_inside_it(tmp_path, saved_figures, grouped_chart):
    seven = [[3, 2, 3, 4, 3, 2, 3], [1, 2, 3, 4, 4, 3, 3], [0, 1, 2, 3, 4, 5, 5]]
    if grouped_chart:
        table = pd.DataFrame({"item": ["a", "a"], "wording": ["Item A"] * 2, "group": ["M", "F"], "n": [20, 20]})
        for j in range(7):
            table[f"count_{j + 1}"] = [seven[0][j], seven[1][j]]
        grouped_diverging_figure(table, title="t", labels=SEVEN_LONG, stem=tmp_path / "g")
    else:
        diverging_figure(likert(seven), title="t", labels=SEVEN_LONG, stem=tmp_path / "v")
    fig, _ = saved_figures[0]
    ax = fig.axes[0]
    legend = ax.get_legend()
    box, axes_box = legend.get_window_extent(), ax.get_window_extent()
    # in one row the legend would be wider than the figure (8 in): it takes two rows, inside the canvas
    assert _legend_rows(legend) > 1
    assert 0 <= box.x0 and box.x1 <= fig.bbox.width and box.y0 >= axes_box.y1
    assert [t.get_text().replace("\n", " ") for t in legend.get_texts()] == SEVEN_LONG


def test_segment_labels_are_where_they_fit(tmp_path, saved_figures):
    diverging_figure(likert([[1, 1, 2, 30, 66]]), title="t", labels=FIVE, stem=tmp_path / "v")
    fig, _ = saved_figures[0]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "n = 100" in texts  # the n column, at the right of the axes
    shown = sorted(t for t in texts if t != "n = 100")
    assert shown == ["30", "66"]  # 1 % and 2 % segments are too narrow for their labels
    canvas = fig.get_tightbbox().padded(0.08)
    for text in fig.axes[0].texts:
        box = text.get_window_extent().transformed(fig.dpi_scale_trans.inverted())
        assert canvas.contains(*box.p0) and canvas.contains(*box.p1)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the figure workers are forked")
def test_figure_queue_draws_the_longest_first_and_the_same_bytes_with_or_without_workers(tmp_path, monkeypatch):
    from wai.report.render_figures import FigureQueue, drawing_order

    def jobs(out):
        return [("distribution_figure", occupation(), {"title": "t", "stem": out / "d"}),
                ("grouped_diverging_figure", grouped(), {"title": "t", "labels": ["Low", "Mid", "High"],
                                                         "stem": out / "g"}),
                ("diverging_figure", likert(), {"title": "t", "labels": FIVE, "stem": out / "v"})]

    assert drawing_order(jobs(tmp_path)) == [1, 2, 0]  # grouped bars, then diverging bars, then the distribution
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with FigureQueue() as queue:
        assert queue._pool is not None
        pooled = queue.add_all(jobs(tmp_path / "pool"))
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    with FigureQueue() as queue:
        assert queue._pool is None
        serial = queue.add_all(jobs(tmp_path / "one"))
    assert [p.name for p in pooled] == [f"{s}.{e}" for s in "dgv" for e in ("png", "svg", "csv")]
    for p, q in zip(pooled, serial):
        assert p.read_bytes() == q.read_bytes(), p.name


def _band_labels(fig) -> list:
    """The band names along the top of a WAI figure (texts over the axes, one per band)."""
    ax = fig.axes[0]
    return [t for t in ax.texts if getattr(t, "xy", (0, 0))[1] == 1 and t.get_horizontalalignment() == "center"]


def test_band_names_along_the_top_keep_their_ranges_when_they_fit(tmp_path, saved_figures):
    wai_figure(items(), title="t", stem=tmp_path / "w")
    fig, moved = saved_figures[0]
    assert [t.get_text() for t in _band_labels(fig)] == [
        "Very Low\n0.00\u20130.20", "Low\n0.21\u20130.40", "Neutral\n0.41\u20130.60", "High\n0.61\u20130.80",
        "Very High\n0.81\u20131.00"]
    assert {t.get_fontsize() for t in _band_labels(fig)} == {8}
    assert moved < 0.01


def test_band_names_that_collide_drop_their_ranges_then_shrink(tmp_path, saved_figures):
    ten = BandScheme.from_ranges([(f"Band number {i}", f"{i / 10:.2f}", f"{(i + 1) / 10 - 0.01:.2f}" if i < 9 else "1.00")
                                  for i in range(10)])
    t = items().assign(band=["Band number 7", "Band number 6", "Band number 4", "Band number 9"])
    wai_figure(t, title="t", bands=ten, stem=tmp_path / "w")
    fig, moved = saved_figures[0]
    labels = _band_labels(fig)
    assert [x.get_text() for x in labels] == [f"Band number {i}" for i in range(10)]  # the ranges are gone
    assert {x.get_fontsize() for x in labels} == {5.0}  # shrunk as far as it goes (they still touch)
    assert moved < 0.01
