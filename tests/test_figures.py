"""Tests of wai.figures: files written, plotted data saved exactly, reproducible bytes."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from wai.bands import CHAPTER11_BANDS, BandScheme
from wai.figures import band_colours, distribution_figure, wai_figure


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


@pytest.mark.parametrize("which", ["distribution", "wai"])
def test_same_input_gives_identical_bytes(tmp_path, which):
    def draw(stem):
        if which == "distribution":
            return distribution_figure(occupation(), title="Occupation", stem=stem, note="n = 94")
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
    assert plt.get_fignums() == before


def test_rcparams_untouched(tmp_path):
    import matplotlib

    before = dict(matplotlib.rcParams)
    wai_figure(items(), title="t", stem=tmp_path / "w")
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


def run(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_wai_does_not_import_matplotlib():
    run("import sys, wai, wai.index; assert 'matplotlib' not in sys.modules, 'matplotlib imported'")


def test_figures_does_not_import_pyplot():
    run("import sys, wai.figures; assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'")
