"""The report as one HTML page (wai.report.html) and the paper tables (.tex, .html), in a real browser too.

Unit tests build pages from hand-made parts; the others run the chapter 11 report into a temporary
folder and read ``index.html``. The browser tests open that page in Debian's headless Chromium
(``/usr/bin/chromium``, installed by ``.ci/run``) through Playwright, at a desktop and a phone width;
they skip, saying why, where Chromium or Playwright is missing.
"""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from wai.report.html import (PageFacts, PageFigure, PageList, PageSection, PageTable, PageText, ReportPage,
                      alt_answers, alt_wai, audit_blocks, method_section, png_size, report_html)
from wai.report import build_report
from wai.report.tables import html_table, latex_table

ROOT = Path(__file__).resolve().parents[1]
CHAPTER11 = ROOT / "data" / "raw" / "chapter11"
CHROMIUM = Path("/usr/bin/chromium")
# As the env docs give them: no network from the browser, a fresh profile (Playwright's user_data_dir).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    """A valid PNG of ``width`` x ``height`` white pixels (no matplotlib needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class Structure(HTMLParser):
    """Collects tags, attributes, headings and text; fails on a mismatched closing tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[int] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(text: str) -> Structure:
    s = Structure()
    s.feed(text)
    s.close()
    assert not s.errors and not s.stack, (s.errors, s.stack)
    return s


def sample_page(banner: str = "Made-up answers.") -> ReportPage:
    frame = pd.DataFrame({"item": ["<script>alert(1)</script>", "a & b"], "n": [99, 7],
                          "wai": ["0.60", "0.47"], "band certain": [True, False]})
    figure = PageFigure("fig1", "Figure 1. \"Quotes\" & <tags>", alt='Bars: "A" 0.60 & <B>',
                        caption="Note <i>not italic</i>.", png_file="fig1.png", png=tiny_png(),
                        files=("fig1.csv",))
    return ReportPage(
        title="Study <one> & \"two\"", citation="Doe (2024), https://doi.org/10.1000/xyz", banner=banner,
        lead=("A lead paragraph.",),
        sections=(
            PageSection("results", "Results", (
                figure,
                PageTable("t1", frame, heading="Table 1. Views", notes=("n < 100.",), files=("t1.csv",),
                          align={"n": "right", "wai": "right"}, flag=(("wai", "0.47"),)),
                PageSection("more", "More", (PageList((("Lead:", "text <b>"),), "bad"),
                                             PageFacts((("wai", "0.1.0"),)), PageText("x", "note"))),
            )),
            PageSection("method", "How", ("Plain text paragraph.",)),
        ),
        footer="Footer & end.")


# ------------------------------------------------------------------------------------------------
# the page builder

def test_page_is_well_formed_with_lang_title_viewport_and_headings_in_order():
    text = report_html(sample_page())
    s = parse(text)
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">\n')
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in s.tags
    assert "<title>Study &lt;one&gt; &amp; &quot;two&quot;</title>" in text
    assert s.headings[0] == 1 and s.headings.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(s.headings, s.headings[1:])), s.headings


def test_every_text_is_escaped():
    text = report_html(sample_page())
    assert "<script" not in text.lower() and "<i>" not in text and "<b>" not in text and "<tags>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "a &amp; b" in text
    assert 'alt="Bars: &quot;A&quot; 0.60 &amp; &lt;B&gt;"' in text
    # booleans print as words, a flagged cell is marked
    assert '<td class="nw">yes</td>' in text and '<td class="nw">no</td>' in text
    assert '<td class="r flag">0.47</td>' in text


def test_figures_are_embedded_as_data_uris_and_nothing_is_fetched():
    page = sample_page()
    text = report_html(page)
    s = parse(text)
    images = [a for tag, a in s.tags if tag == "img"]
    assert len(images) == 1
    src = images[0]["src"]
    assert src.startswith("data:image/png;base64,")
    assert base64.b64decode(src.split(",", 1)[1]) == tiny_png()
    assert (images[0]["width"], images[0]["height"]) == ("3", "2")
    # the image links to its full-size file beside the page (a phone reader taps it to zoom) ...
    links = [a for tag, a in s.tags if tag == "a" and a.get("class") == "full"]
    assert [a["href"] for a in links] == ["fig1.png"]
    for tag, attrs in s.tags:  # ... and every other reference stays inside the page
        for key in ("src", "href"):
            if key in attrs and attrs.get("class") != "full":
                assert attrs[key].startswith(("#", "data:")), (tag, attrs)
        assert tag not in ("script", "iframe", "object", "embed")
    assert "@import" not in text and "url(" not in text
    # http(s) appears only in the plain-text citation
    assert [m.start() for m in re.finditer(r"https?://", text)] == [text.index("https://doi.org/10.1000/xyz")]


def test_tables_keep_their_first_column_in_view_and_figures_link_their_file():
    text = report_html(sample_page())
    assert "th:first-child,td:first-child{position:sticky;left:0" in text
    assert '<a class="full" href="fig1.png"' in text


def test_contents_link_every_section_and_every_anchor_exists():
    text = report_html(sample_page())
    s = parse(text)
    ids = [a["id"] for _, a in s.tags if "id" in a]
    assert len(ids) == len(set(ids))
    links = [a["href"][1:] for tag, a in s.tags if tag == "a" and a.get("href", "").startswith("#")]
    assert links == ["results", "fig1", "t1", "more", "method"]
    assert set(links) <= set(ids)


def test_same_page_gives_the_same_bytes():
    assert report_html(sample_page()) == report_html(sample_page())


def test_banner_only_when_set():
    with_banner = report_html(sample_page())
    assert '<div class="banner" role="note"><strong>Reconstructed data</strong>Made-up answers.</div>' in with_banner
    assert 'class="banner"' not in report_html(sample_page(banner=""))


def test_a_figure_needs_its_png_and_an_alt_text():
    page = sample_page()
    fig = page.sections[0].blocks[0]
    from dataclasses import replace

    for broken, message in ((replace(fig, png=b""), "no PNG bytes"), (replace(fig, alt=" "), "alt text")):
        bad = replace(page, sections=(PageSection("s", "S", (broken,)),))
        with pytest.raises(ValueError, match=message):
            report_html(bad)
    with pytest.raises(ValueError, match="PNG"):
        png_size(b"GIF89a" + b"\0" * 30)


def test_helpers_alt_texts_audit_and_method():
    rows = pd.DataFrame({"wording": ["Peace", "Trade"], "wai_rounded": ["0.58", "0.67"], "band": ["Neutral", "High"],
                         "ci_low": [0.5, 0.6], "ci_high": [0.6, 0.7]})
    assert alt_wai(rows, confidence=0.95) == (
        "Horizontal bar chart of the Weighted Average Index (0 to 1) of 2 items over shaded bands, with 95% "
        "confidence intervals as whiskers. Peace: 0.58, Neutral; Trade: 0.67, High.")
    counts = pd.DataFrame({"wording": ["Peace"], **{f"count_{k}": [c] for k, c in enumerate([1, 1, 0, 1, 1], 1)}})
    assert alt_answers(counts, ["VL", "L", "N", "H", "VH"]).endswith("Peace: 50% VL or L, 0% N, 50% H or VH.")
    findings = pd.DataFrame({"table": ["a.csv", "b.csv"], "row": [3, None], "item": ["X", ""],
                             "check": ["percent", "sample_size"], "status": ["inconsistent", "ok"],
                             "detail": ["27.7% of 99 is impossible", "fits"]})
    blocks = audit_blocks(findings)
    assert blocks[0].text == "2 checks: 1 inconsistent, 0 notes, 1 ok."
    assert [b.title for b in blocks if isinstance(b, PageSection)] == ["What cannot be true", "Worth knowing",
                                                                        "What checks out"]
    assert blocks[1].blocks[0].entries == (("a.csv, row 3 (X), percent:", "27.7% of 99 is impossible."),)
    assert blocks[3].blocks[0].entries == (("b.csv, sample size:", "fits."),)


# ------------------------------------------------------------------------------------------------
# paper tables

def test_latex_table_is_booktabs_with_every_special_character_escaped():
    frame = pd.DataFrame({"a_b": ["x & y", "50%"], "n": [1, 2], "c": ["$5 #1", "{~^\\}"]})
    tex = latex_table(frame, "Caption_with & 100%", "tab:t_1", align={"n": "right"})
    lines = tex.splitlines()
    assert lines[:6] == [r"\begin{table}[htbp]", r"\centering", r"\caption{Caption\_with \& 100\%}",
                         r"\label{tab:t_1}", r"\begin{tabular}{lrl}", r"\toprule"]
    assert lines[6] == r"a\_b & n & c \\" and lines[7] == r"\midrule"
    assert lines[8] == r"x \& y & 1 & \$5 \#1 \\"
    assert lines[9] == r"50\% & 2 & \{\textasciitilde{}\textasciicircum{}\textbackslash{}\} \\"
    assert lines[10:] == [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    with pytest.raises(ValueError, match="label"):
        latex_table(frame, "c", "tab 1")
    with pytest.raises(ValueError, match="align"):
        latex_table(frame, "c", "t", align={"n": "middle"})


def test_html_table_has_inline_styles_only_and_escapes():
    frame = pd.DataFrame({"item": ["<b>bold</b>"], "wai": ["0.60"]})
    page = html_table(frame, "Table 1. A & B", align={"wai": "right"}, notes=["n < 100."])
    s = parse(page)
    assert [t for t, _ in s.tags][:5] == ["html", "head", "meta", "title", "body"]
    assert all("class" not in attrs for _, attrs in s.tags)
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "Table 1. A &amp; B" in page and "Note: n &lt; 100." in page
    assert "text-align:right" in page and "<style" not in page and "<script" not in page
    assert not html_table(frame, "c", document=False).startswith("<!DOCTYPE")


# ------------------------------------------------------------------------------------------------
# the chapter 11 report

@pytest.fixture(scope="module")
def chapter11(tmp_path_factory):
    base = tmp_path_factory.mktemp("html")
    runs = []
    for name in ("first", "second"):
        out = base / name / "reports"
        runs.append((build_report(CHAPTER11, out, base / name / "derived"), out))
    return runs


def test_report_writes_index_html_with_every_section(chapter11):
    result, out = chapter11[0]
    page = out / "index.html"
    assert page in result.outputs
    text = page.read_text(encoding="utf-8")
    s = parse(text)
    ids = {a["id"] for _, a in s.tags if "id" in a}
    assert {"sample", "displays", "reproduction", "audit", "answers", "reliability", "comparisons", "method",
            "figure1", "figure2", "figure3", "figure4", "table1", "audit-inconsistent", "method-bands"} <= ids
    words = " ".join(s.text)
    for phrase in ("Reconstructed data", "Nguonphan, Sok, Punleu and Chen (2024)", "99 respondents",
                   "Every published number that should reproduce does.", "What cannot be true",
                   "half up from the exact value", "Band rule \u201crounded\u201d", "\u201cDon't know\u201d",
                   "95%: t intervals", "Cronbach's alpha", "Comparison by gender", "SHA-256 of the inputs"):
        assert phrase in words, phrase
    # input hashes and software versions come from the manifest
    import json

    manifest = json.loads((out / "manifest.json").read_text())
    for name, digest in manifest["inputs"].items():
        assert f"<dt>{name}</dt><dd>{digest}</dd>" in text
    for name, version in manifest["software"].items():
        assert f"<dt>{name}</dt><dd>{version}</dd>" in text
    # every figure embedded, byte for byte the PNG beside the page
    images = [a for tag, a in s.tags if tag == "img"]
    pngs = sorted(p.name for p in out.glob("*.png"))
    # 4 publication figures, 4 answer charts, 4 answer charts by gender (one per WAI display)
    assert len(images) == len(pngs) == 12
    embedded = {base64.b64decode(a["src"].split(",", 1)[1]) for a in images}
    assert embedded == {(out / p).read_bytes() for p in pngs}
    assert all(len(a["alt"]) > 40 for a in images)
    # no path of this machine, no fetch
    assert str(out) not in text and str(ROOT) not in text
    refs = [a.get(k) for _, a in s.tags for k in ("src", "href") if k in a and a.get("class") != "full"]
    assert refs and all(r.startswith(("#", "data:")) for r in refs)
    # each figure links to its full-size file beside the page, and its caption is printed once, here:
    # the images carry no title or caption of their own (the PNGs are drawn with caption=False)
    full = [a["href"] for tag, a in s.tags if tag == "a" and a.get("class") == "full"]
    assert sorted(full) == pngs
    assert text.count("Items sorted by WAI, highest first; middle category (Neutral) centred on 0.") == 4
    # the gender comparison names items by their wordings, never "0.000"
    comparison = text[text.index('id="comparison-gender"'):text.index('id="method"')]
    assert "Change of government" in comparison and "econ_change_of_government" not in comparison
    assert ">0.000<" not in comparison and "across the 22 items" in comparison
    # Table 1 with its published values, intervals and band certainty
    table1 = text[text.index('id="table1"'):text.index('id="reproduction"')]
    assert ('<tr><td class="wide">Chinese people in Cambodia</td><td class="r">99</td><td class="r">0.47</td>'
            '<td class="r">0.47</td><td class="nw">Neutral</td><td class="nw">0.43\u20130.52</td>'
            '<td class="nw">yes</td><td class="r">0.998</td></tr>') in table1


def test_index_html_and_paper_tables_are_the_same_bytes_twice(chapter11):
    (_, out1), (_, out2) = chapter11
    names = sorted(p.name for p in out1.iterdir() if p.suffix in (".html", ".tex"))
    assert names == sorted(p.name for p in out2.iterdir() if p.suffix in (".html", ".tex"))
    for name in names:
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes(), name


def test_every_paper_table_is_written_as_tex_and_html(chapter11):
    _, out = chapter11[0]
    stems = ["table1", "table1_intervals", "figure2_intervals", "figure3_intervals", "figure4_intervals",
             "reliability", "contrasts_gender", "reproduction"]
    for stem in stems:
        tex = (out / f"{stem}.tex").read_text()
        assert tex.startswith("\\begin{table}") and "\\toprule" in tex and "\\bottomrule" in tex
        assert f"\\label{{tab:{stem}}}" in tex
        parse((out / f"{stem}.html").read_text())
    assert "view\\_government & Chinese government & 99 & 0.60 & Neutral \\\\\n" in (out / "table1.tex").read_text()
    assert "0.55\u20130.65" in (out / "table1_intervals.html").read_text()
    import json

    listed = json.loads((out / "manifest.json").read_text())["outputs"]["reports"]
    assert {f"{s}.tex" for s in stems} | {f"{s}.html" for s in stems} <= set(listed)
    assert "index.html" not in listed  # it embeds the PNGs, whose bytes depend on font rendering


# ------------------------------------------------------------------------------------------------
# in a real browser

OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    // inside a table's scrolling box a wide table is expected; the box itself must fit
    if (el.parentElement && el.parentElement.closest('.scroll')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > width + 0.5 || r.left < -0.5)
      bad.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, bad};
}"""

IMAGES_JS = """() => Array.from(document.images).map(i => ({complete: i.complete, width: i.naturalWidth,
  shown: i.getBoundingClientRect().width}))"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium "
                    "(apt-get install chromium chromium-driver; .ci/run does it)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        yield playwright


def open_page(playwright, profile: Path, url: str, width: int, height: int, mobile: bool):
    """A fresh Chromium profile at one screen size; returns the context, page and what went wrong."""
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
        viewport={"width": width, "height": height}, device_scale_factor=1, is_mobile=mobile, has_touch=mobile)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("request", lambda r: problems.append(f"fetched {r.url}")
            if not r.url.startswith(("file:", "data:")) else None)
    page.goto(url, wait_until="load")
    return context, page, problems


@pytest.mark.parametrize("width, height, mobile", [(1280, 900, False), (390, 844, True)], ids=["desktop", "phone"])
@pytest.mark.slow  # a browser test: CI runs it after the default run
def test_page_loads_cleanly_in_chromium(browser, chapter11, tmp_path, width, height, mobile):
    _, out = chapter11[0]
    context, page, problems = open_page(browser, tmp_path / "profile", (out / "index.html").as_uri(),
                                        width, height, mobile)
    try:
        images = page.evaluate(IMAGES_JS)
        assert len(images) == 12
        assert all(i["complete"] and i["width"] > 0 for i in images), images
        assert all(0 < i["shown"] <= width for i in images), images
        layout = page.evaluate(OVERFLOW_JS)
        assert layout["bad"] == [], layout["bad"][:10]
        assert layout["scrollWidth"] <= layout["width"], layout
        # the table boxes scroll sideways (at phone width the reproduction table needs it)
        boxes = page.evaluate("""() => Array.from(document.querySelectorAll('.scroll')).map(b =>
            ({overflow: getComputedStyle(b).overflowX, wider: b.scrollWidth > b.clientWidth + 1}))""")
        assert boxes and all(b["overflow"] == "auto" for b in boxes)
        if mobile:
            assert any(b["wider"] for b in boxes)
            # text stays readable: body text at least 15 px
            assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)") >= 15
        # in-page links land on their targets
        missing = page.evaluate("""() => Array.from(document.querySelectorAll('a[href^="#"]'))
            .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))""")
        assert missing == []
        assert problems == []
    finally:
        context.close()


@pytest.mark.slow  # a browser test
def test_print_layout_keeps_figures_whole_and_drops_backgrounds(browser, chapter11, tmp_path):
    _, out = chapter11[0]
    context, page, problems = open_page(browser, tmp_path / "profile", (out / "index.html").as_uri(),
                                        1280, 900, False)
    try:
        page.emulate_media(media="print")
        style = page.evaluate("""() => {
          const s = e => getComputedStyle(document.querySelector(e));
          return {figure: s('figure').breakInside, keep: s('.keep').breakInside,
                  banner: s('.banner').backgroundImage + ' ' + s('.banner').backgroundColor,
                  scroll: s('.scroll').overflowX, th: s('thead th').backgroundColor};
        }""")
        assert style["figure"] == "avoid" and style["keep"] == "avoid"
        assert style["banner"] == "none rgba(0, 0, 0, 0)" and style["th"] == "rgba(0, 0, 0, 0)"
        assert style["scroll"] == "visible"
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 100_000
        assert problems == []
    finally:
        context.close()



PHONE_FIGURES_JS = """() => {
  const main = getComputedStyle(document.querySelector('main'));
  const room = document.querySelector('main').clientWidth - parseFloat(main.paddingLeft) - parseFloat(main.paddingRight);
  return Array.from(document.images).map(i => {
    const link = i.closest('a.full');
    return {shown: i.getBoundingClientRect().width, room, link: link ? link.getAttribute('href') : null};
  });
}"""

STICKY_JS = """() => Array.from(document.querySelectorAll('.scroll')).map(box => {
  box.scrollIntoView({block: 'start'});  // elementFromPoint sees only what is on the screen
  const cells = Array.from(box.querySelectorAll('tr > :first-child')).filter(c => {
    const r = c.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
  const before = cells.map(c => c.getBoundingClientRect().left);
  box.scrollLeft = box.scrollWidth;  // scrolled right to the end
  const b = box.getBoundingClientRect();
  const after = cells.map(c => {
    const r = c.getBoundingClientRect();
    // the cell is what the reader sees at its centre: not covered by the cells scrolling under it
    const hit = document.elementFromPoint(Math.min(r.left + 4, b.right - 1), r.top + r.height / 2);
    return {left: r.left, right: r.right, visible: hit !== null && (hit === c || c.contains(hit))};
  });
  const scrolled = box.scrollLeft > 0;
  box.scrollLeft = 0;
  return {id: box.getAttribute('aria-labelledby') || '', scrolled, boxLeft: b.left, before, after};
})"""


@pytest.mark.slow  # a browser test
def test_phone_figures_fill_the_width_or_link_their_file_and_tables_keep_their_first_column(
        browser, chapter11, tmp_path):
    _, out = chapter11[0]
    context, page, problems = open_page(browser, tmp_path / "profile", (out / "index.html").as_uri(),
                                        390, 844, True)
    try:
        figures = page.evaluate(PHONE_FIGURES_JS)
        assert len(figures) == 12
        for f in figures:
            # as wide as the text column (viewport minus the page's margins), or a link to the full-size file
            assert f["shown"] >= f["room"] - 1 or (f["link"] and (out / f["link"]).is_file()), f
            assert f["link"] and f["link"].endswith(".png") and (out / f["link"]).is_file(), f
        tables = page.evaluate(STICKY_JS)
        wide = [t for t in tables if t["scrolled"]]
        assert wide, "at 390 px some table must scroll sideways (the reproduction table does)"
        for t in wide:
            assert t["after"], t["id"]
            for cell in t["after"]:
                # after scrolling to the far right the first column is still inside the box, and on top
                assert cell["left"] >= t["boxLeft"] - 1 and cell["right"] > cell["left"], t["id"]
                assert cell["visible"], t["id"]
        assert problems == []
    finally:
        context.close()
