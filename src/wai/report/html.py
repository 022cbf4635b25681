"""One self-contained HTML page of a study's report (``reports/index.html``).

:func:`report_html` turns a :class:`ReportPage` (title, citation, banner,
sections of paragraphs, tables, figures and lists) into one HTML file that
needs nothing else to be read: figures are embedded as base64 PNG ``data:``
URIs, the CSS is inline, there are no scripts, web fonts or external
resources of any kind. The page reads on a phone (one column, tables scroll
sideways inside their own box, images never wider than the screen) and
prints on paper (no backgrounds, figures and short tables kept whole,
headings kept with what follows).

The function is pure: text and bytes in, text out, the same bytes for the
same page (no clock, no paths, no random ids). Every text is escaped with
:func:`html.escape`; the only markup not built here from escaped text is the
fixed formula of the index.

Helpers build the parts that depend on the report's data:
:func:`audit_blocks` (findings of :func:`wai.audit.validate_tables`),
:func:`method_section` (how the numbers were computed, from the run
manifest), and alt texts for the three kinds of figure
(:func:`alt_wai`, :func:`alt_distribution`, :func:`alt_answers`).

Examples
--------
>>> page = ReportPage(title="A <small> study", sections=(
...     PageSection("results", "Results", ("Everything & more.",)),))
>>> text = report_html(page)
>>> text.startswith('<!DOCTYPE html>\\n<html lang="en">')
True
>>> "<title>A &lt;small&gt; study</title>" in text, '<a href="#results">Results</a>' in text
(True, True)
"""

from __future__ import annotations

import base64
import html
import math
import re
import struct
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence, Union

import pandas as pd

from wai.exact import format_fixed

__all__ = [
    "PageText", "PageTable", "PageFigure", "PageList", "PageFacts", "PageSection", "ReportPage",
    "report_html", "audit_blocks", "method_section", "alt_wai", "alt_distribution", "alt_answers",
    "shares_in_words",
    "png_size",
]


@dataclass(frozen=True)
class PageText:
    """A paragraph. ``style``: ``""`` (plain), ``"note"`` (small, muted), ``"strong"``, ``"code"`` or ``"formula"``."""

    text: str
    style: str = ""


@dataclass(frozen=True, eq=False)
class PageTable:
    """A table, scrolling sideways inside its own box on a narrow screen.

    ``heading`` (optional) is shown as a heading of its own, listed in the
    contents; ``caption`` is the table's caption (defaults to the heading);
    ``notes`` are printed under it; ``files`` name the files beside the page
    that hold the same table; ``align`` maps columns to
    ``"left"``/``"right"``/``"center"``; ``flag`` marks cells whose text is
    ``value`` in column ``column`` (pairs ``(column, value)``), e.g. a
    verdict that a reader must not miss.
    """

    id: str
    frame: pd.DataFrame
    heading: str = ""
    caption: str = ""
    notes: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    align: Mapping[str, str] = field(default_factory=dict)
    flag: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PageFigure:
    """A figure: its PNG bytes, alt text, caption and the files beside the page that hold its data.

    ``png_file`` names the PNG beside the page that ``png`` holds (the
    bytes are what is embedded; the name is for the reader).
    """

    id: str
    heading: str
    alt: str
    caption: str
    png_file: str
    png: bytes = b""
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageList:
    """A bulleted list; each entry is ``(lead, text)`` with ``lead`` in bold. ``style`` colours the bullets.

    ``style``: ``""``, ``"bad"`` (what cannot be true), ``"note"`` or ``"ok"``.
    """

    entries: tuple[tuple[str, str], ...]
    style: str = ""


@dataclass(frozen=True)
class PageFacts:
    """Name-value pairs (a definition list); ``code=True`` sets the values in monospace, breakable anywhere."""

    entries: tuple[tuple[str, str], ...]
    code: bool = False


Block = Union[PageText, PageTable, PageFigure, PageList, PageFacts, "PageSection", str]


@dataclass(frozen=True)
class PageSection:
    """A section: heading, anchor id and blocks (a plain ``str`` is a paragraph; a section nests)."""

    id: str
    title: str
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class ReportPage:
    """The whole page.

    ``banner`` is shown prominently under the title when not empty (the
    data are a reconstruction, say); ``lead`` are the paragraphs before the
    contents; ``footer`` closes the page.
    """

    title: str
    sections: tuple[PageSection, ...] = ()
    citation: str = ""
    banner: str = ""
    banner_title: str = "Reconstructed data"
    lead: tuple[Block, ...] = ()
    footer: str = ""


# ---------------------------------------------------------------------------------------------------
# rendering

_CSS = """
:root{color-scheme:light;--ink:#1b1b1b;--muted:#555;--rule:#d5d8dc;--soft:#f3f5f7;--accent:#1f4e79;
--bad:#a4262c;--note:#8a5a00;--ok:#2e6b30}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#fff;color:var(--ink);font-family:system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,"Liberation Sans",sans-serif;font-size:1rem;line-height:1.55}
main{max-width:62rem;margin:0 auto;padding:.5rem 1.25rem 3rem}
h1{font-size:1.75rem;line-height:1.25;margin:1.5rem 0 .75rem}
h2{font-size:1.4rem;line-height:1.3;margin:2.75rem 0 .75rem;padding-top:.75rem;border-top:2px solid var(--rule)}
h3{font-size:1.15rem;line-height:1.35;margin:2rem 0 .5rem}
h4{font-size:1rem;line-height:1.35;margin:1.5rem 0 .5rem}
p,li,dd,dt,figcaption,caption{overflow-wrap:break-word}
a{color:var(--accent)}
.citation{color:var(--muted)}
.banner{margin:1rem 0 1.25rem;padding:.85rem 1rem;border:2px solid #b7791f;border-left-width:.5rem;
border-radius:.375rem;background:#fff5dc}
.banner strong{display:block;font-size:1.1rem;letter-spacing:.02em;text-transform:uppercase;color:#6b4500}
.note{font-size:.9rem;color:var(--muted)}
.strong{font-weight:600}
code,.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.88em}
nav.toc{margin:1.25rem 0 0;padding:.75rem 1rem;background:var(--soft);border-radius:.375rem}
nav.toc h2{margin:0 0 .25rem;padding:0;border:0;font-size:1.05rem}
nav.toc ol{margin:0;padding-left:1.4rem}
nav.toc ol ol{padding-left:1.1rem;font-size:.92rem}
nav.toc li{margin:.15rem 0}
.tcaption{margin:1rem 0 .35rem;font-weight:600;font-size:.92rem}
.scroll{width:fit-content;max-width:100%;overflow-x:auto;margin:0 0 .25rem;border:1px solid var(--rule);
border-radius:.25rem;background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)) left/2rem 100% no-repeat local,
linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right/2rem 100% no-repeat local,
radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.2),rgba(0,0,0,0)) left/.8rem 100% no-repeat scroll,
radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.2),rgba(0,0,0,0)) right/.8rem 100% no-repeat scroll}
.scroll:focus{outline:2px solid var(--accent);outline-offset:2px}
table{border-collapse:collapse;font-size:.9rem;font-variant-numeric:tabular-nums}
th,td{padding:.4rem .65rem;text-align:left;vertical-align:top;border-top:1px solid #e6e8eb}
thead th{background:var(--soft);border-top:0;border-bottom:1px solid var(--rule);font-weight:600}
th:first-child,td:first-child{position:sticky;left:0;z-index:1;background:#fff;box-shadow:1px 0 0 var(--rule)}
thead th:first-child{background:var(--soft)}
td.r,th.r{text-align:right;white-space:nowrap}
td.c,th.c{text-align:center;white-space:nowrap}
td.flag{color:var(--bad);font-weight:700}
td.wide{min-width:10rem}
td.nw,span.nw{white-space:nowrap}
.tblock{margin:0 0 1.25rem}
.tblock .files{margin-bottom:0}
.files{margin:.25rem 0 1.25rem;font-size:.85rem;color:var(--muted)}
.tnotes{margin:.35rem 0 0;font-size:.85rem;color:var(--muted);max-width:48rem}
figure{margin:1rem 0 1.25rem}
figure img{display:block;max-width:100%;height:auto;margin:0 auto;border:1px solid #eceef0}
figure a.full{display:block;cursor:zoom-in}
figcaption{margin-top:.5rem;font-size:.88rem;color:var(--muted)}
figcaption .files{margin:.25rem 0 0}
ul.findings{padding-left:1.25rem}
ul.findings li{margin:.35rem 0}
ul.bad li::marker{color:var(--bad)}
ul.note li::marker{color:var(--note)}
ul.ok li::marker{color:var(--ok)}
dl.facts{display:grid;grid-template-columns:minmax(7rem,max-content) minmax(0,1fr);gap:.3rem 1.25rem;
margin:.75rem 0 1.25rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0;min-width:0}
dl.code dd{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.85rem;
word-break:break-all}
.formula{width:fit-content;max-width:100%;padding:.6rem 1rem;background:var(--soft);border-radius:.25rem;
font-family:"Cambria Math","STIX Two Math","Latin Modern Math","DejaVu Serif",Georgia,serif;font-size:1.1rem}
footer{margin-top:3rem;padding-top:.75rem;border-top:1px solid var(--rule);font-size:.85rem;color:var(--muted)}
@media (max-width:40rem){
body{font-size:.97rem}
main{padding:.25rem .85rem 2rem}
h1{font-size:1.4rem}
h2{font-size:1.2rem}
h3{font-size:1.05rem}
table{font-size:.85rem}
dl.code{grid-template-columns:minmax(0,1fr);gap:0}
dl.code dd{margin:0 0 .5rem}
}
@media print{
@page{margin:1.6cm 1.4cm}
html,body{background:none;color:#000}
body{font-size:10pt;line-height:1.4}
main{max-width:none;padding:0}
a{color:inherit;text-decoration:none}
h1{font-size:17pt;margin-top:0}
h2{font-size:14pt;border-top:1pt solid #000;margin-top:1.5rem}
h3{font-size:12pt}
h2,h3,h4,.tcaption{break-after:avoid;page-break-after:avoid}
nav.toc,.banner,thead th,.formula{background:none}
.banner{border:2pt solid #000}
.banner strong{color:#000}
.scroll{width:auto;overflow:visible;border:0;background:none}
th:first-child,td:first-child,thead th:first-child{position:static;box-shadow:none;background:none}
table{font-size:8.5pt}
thead th{border-bottom:1pt solid #000}
th,td{padding:.2rem .35rem}
td.r,td.c{white-space:nowrap}
td.wide{min-width:0}
tr,figure,dl.facts,.banner,.formula,.keep{break-inside:avoid;page-break-inside:avoid}
figure img{max-height:20cm;width:auto;border:0}
.note,.files,.tnotes,figcaption,footer,.citation{color:#333}
}
"""

_ALIGN_CLASS = {"left": "", "right": "r", "center": "c"}
_TABLE_KEEP_ROWS = 25  # a table up to this many rows is kept on one printed page


def _e(text: object) -> str:
    """Escaped text of a value (empty for None and NaN)."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return ""
    return html.escape(str(text), quote=True)


def _anchor(text: str) -> str:
    """An id made of lowercase letters, digits and hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return slug or "s"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels of PNG bytes (from the IHDR chunk).

    >>> png_size(b"\\x89PNG\\r\\n\\x1a\\n" + b"\\x00\\x00\\x00\\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big"))
    (640, 480)
    """
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("expected the bytes of a PNG file (signature and IHDR chunk); "
                         f"got {len(data)} bytes starting {data[:16]!r}")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


class _Ids:
    """Unique anchor ids in document order (the same page gives the same ids)."""

    def __init__(self) -> None:
        self.seen: set[str] = {"contents"}

    def __call__(self, wanted: str) -> str:
        base = _anchor(wanted)
        name, k = base, 2
        while name in self.seen:
            name, k = f"{base}-{k}", k + 1
        self.seen.add(name)
        return name


class _Writer:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.ids = _Ids()
        self.toc: list[tuple[int, str, str]] = []  # (level, id, title)

    def heading(self, level: int, wanted_id: str, title: str) -> str:
        anchor = self.ids(wanted_id)
        if level <= 3:
            self.toc.append((level, anchor, title))
        self.out.append(f'<h{level} id="{anchor}">{_e(title)}</h{level}>')
        return anchor

    def block(self, block: Block, level: int) -> None:
        if isinstance(block, str):
            block = PageText(block)
        if isinstance(block, PageText):
            self.text(block)
        elif isinstance(block, PageTable):
            self.table(block, level)
        elif isinstance(block, PageFigure):
            self.figure(block, level)
        elif isinstance(block, PageList):
            self.list(block)
        elif isinstance(block, PageFacts):
            self.facts(block)
        elif isinstance(block, PageSection):
            self.section(block, level + 1)
        else:
            raise TypeError(f"a page block must be text, PageText, PageTable, PageFigure, PageList, PageFacts "
                            f"or PageSection; got {type(block).__name__}")

    def section(self, section: PageSection, level: int) -> None:
        self.out.append("<section>")
        # on paper a heading stays on the page of the figure that follows it
        keep = bool(section.blocks) and isinstance(section.blocks[0], PageFigure)
        if keep:
            self.out.append('<div class="keep">')
        self.heading(min(level, 6), section.id, section.title)
        for i, block in enumerate(section.blocks):
            self.block(block, level)
            if keep and i == 0:
                self.out.append("</div>")
        self.out.append("</section>")

    def text(self, block: PageText) -> None:
        styles = {"": "", "note": "note", "strong": "strong", "code": "code", "formula": "formula"}
        if block.style not in styles:
            raise ValueError(f"PageText style must be one of {sorted(styles)}, got {block.style!r}")
        cls = f' class="{styles[block.style]}"' if styles[block.style] else ""
        self.out.append(f"<p{cls}>{_e(block.text)}</p>")

    def files(self, names: Sequence[str], what: str) -> None:
        if names:
            listed = ", ".join(f"<code>{_e(n)}</code>" for n in names)
            self.out.append(f'<p class="files">{what} in the files {listed} beside this page.</p>'
                            if len(names) > 1 else f'<p class="files">{what} in the file {listed} beside this page.</p>')

    def table(self, t: PageTable, level: int) -> None:
        frame = t.frame
        label_id = None
        if t.heading:
            label_id = self.heading(min(level + 1, 6), t.id, t.heading)
        # The caption is a paragraph above the scrolling box (a <caption> would scroll away with the table
        # on a narrow screen); the box and the table are labelled by it.
        caption = t.caption or t.heading
        label = label_id
        keep = " keep" if len(frame) <= _TABLE_KEEP_ROWS else ""
        self.out.append(f'<div class="tblock{keep}">')
        if t.caption:
            label = self.ids(f"{t.id}-caption")
            self.out.append(f'<p class="tcaption" id="{label}">{_e(caption)}</p>')
        labelled = f'aria-labelledby="{label}"' if label else 'aria-label="table"'
        aligns = [_ALIGN_CLASS.get(t.align.get(str(c), "left"), "") for c in frame.columns]
        flags = {(str(c), str(v)) for c, v in t.flag}
        # long texts get a readable minimum width; short ones (numbers, intervals, verdicts) never break
        longest = [max((len(_plain(v)) for v in frame.iloc[:, j].tolist()), default=0) for j in range(frame.shape[1])]
        self.out.append(f'<div class="scroll" role="region" tabindex="0" {labelled}>')
        self.out.append(f"<table {labelled}>")
        head = "".join(f'<th scope="col" class="{a}">{_e(c)}</th>' if a else f'<th scope="col">{_e(c)}</th>'
                       for c, a in zip(frame.columns, aligns))
        self.out += ["<thead>", f"<tr>{head}</tr>", "</thead>", "<tbody>"]
        for row in frame.itertuples(index=False, name=None):
            cells = []
            for column, value, a, n in zip(frame.columns, row, aligns, longest):
                classes = [x for x in (a, "wide" if n > 24 else "nw" if n <= 12 and not a else "",
                                       "flag" if (str(column), _plain(value)) in flags else "") if x]
                cls = f' class="{" ".join(classes)}"' if classes else ""
                shown = _e(_plain(value))
                cells.append(f"<td{cls}>{shown if 'nw' in classes else _unbroken_ranges(shown)}</td>")
            self.out.append("<tr>" + "".join(cells) + "</tr>")
        self.out += ["</tbody>", "</table>", "</div>"]
        if t.notes:
            self.out.append('<p class="tnotes">' + " ".join(_e(n) for n in t.notes) + "</p>")
        self.files(t.files, "The table is")
        self.out.append("</div>")

    def figure(self, f: PageFigure, level: int) -> None:
        if not f.png:
            raise ValueError(f"figure {f.id!r} has no PNG bytes; read {f.png_file!r} into PageFigure.png first")
        if not f.alt.strip():
            raise ValueError(f"figure {f.id!r} needs an alt text that says what it shows")
        width, height = png_size(f.png)
        self.out.append('<div class="keep">')
        if f.heading:
            self.heading(min(level + 1, 6), f.id, f.heading)
        data = base64.b64encode(f.png).decode("ascii")
        names = [f.png_file, *f.files]
        listed = ", ".join(f"<code>{_e(n)}</code>" for n in names)
        files = (f'<span class="files">Tap or click the figure to open it at full size. The figure and the numbers '
                 f'drawn are in the files {listed} beside this page.</span>')
        caption = f"{_e(f.caption)}<br>{files}" if f.caption else files
        # the image links to its full-size file beside the page: a phone reader taps it to zoom
        self.out += ["<figure>",
                     f'<a class="full" href="{_e(f.png_file)}" title="Open the full-size figure">'
                     f'<img src="data:image/png;base64,{data}" width="{width}" height="{height}" '
                     f'alt="{_e(f.alt)}"></a>',
                     f"<figcaption>{caption}</figcaption>",
                     "</figure>", "</div>"]

    def list(self, block: PageList) -> None:
        styles = {"": "", "bad": "bad", "note": "note", "ok": "ok"}
        if block.style not in styles:
            raise ValueError(f"PageList style must be one of {sorted(styles)}, got {block.style!r}")
        cls = " ".join(x for x in ("findings", styles[block.style]) if x)
        self.out.append(f'<ul class="{cls}">')
        for lead, text in block.entries:
            sep = " " if lead and text else ""
            self.out.append(f"<li>{f'<strong>{_e(lead)}</strong>' if lead else ''}{sep}{_e(text)}</li>")
        self.out.append("</ul>")

    def facts(self, block: PageFacts) -> None:
        self.out.append(f'<dl class="facts{" code" if block.code else ""}">')
        for name, value in block.entries:
            self.out.append(f"<dt>{_e(name)}</dt><dd>{_e(value)}</dd>")
        self.out.append("</dl>")


_RANGE = re.compile(r"\d+(?:\.\d+)?\u2013\d+(?:\.\d+)?")


def _unbroken_ranges(escaped: str) -> str:
    """Keep a range such as ``0.56\u20130.69`` on one line (a line may break after an en dash)."""
    return _RANGE.sub(lambda m: f'<span class="nw">{m.group(0)}</span>', escaped)


def _plain(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return " ".join(str(value).split())


def _toc(entries: list[tuple[int, str, str]]) -> list[str]:
    out = ['<nav class="toc" aria-labelledby="contents">', '<h2 id="contents">Contents</h2>', "<ol>"]
    open_sub = False
    for i, (level, anchor, title) in enumerate(entries):
        link = f'<a href="#{anchor}">{_e(title)}</a>'
        if level == 2:
            if open_sub:
                out.append("</ol></li>")
                open_sub = False
            nxt = entries[i + 1][0] if i + 1 < len(entries) else 2
            if nxt == 3:
                out.append(f"<li>{link}<ol>")
                open_sub = True
            else:
                out.append(f"<li>{link}</li>")
        else:
            out.append(f"<li>{link}</li>")
    if open_sub:
        out.append("</ol></li>")
    out += ["</ol>", "</nav>"]
    return out


def report_html(page: ReportPage) -> str:
    """The page as one self-contained HTML document (UTF-8 text, ``\\n`` line ends).

    Structure: ``<h1>`` title, the citation, the banner (when set), the
    lead paragraphs, a table of contents linking every section (``<h2>``)
    and every heading one level below (``<h3>``), the sections, the footer.

    Raises
    ------
    ValueError
        A figure without PNG bytes or alt text, or an unknown style.
    """
    w = _Writer()
    for section in page.sections:
        w.section(section, 2)
    body, toc = w.out, w.toc
    head = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="wai">',
            '<link rel="icon" href="data:,">',
            f"<title>{_e(page.title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", "<main>",
            "<header>", f"<h1>{_e(page.title)}</h1>"]
    if page.citation:
        head.append(f'<p class="citation">{_e(page.citation)}</p>')
    if page.banner:
        head.append(f'<div class="banner" role="note"><strong>{_e(page.banner_title)}</strong>'
                    f"{_e(page.banner)}</div>")
    lead = _Writer()
    lead.ids = w.ids
    for block in page.lead:
        lead.block(block, 1)
    head += lead.out + ["</header>"] + _toc(toc)
    tail = ["</main>"]
    if page.footer:
        tail = [f"<footer>{_e(page.footer)}</footer>", "</main>"]
    text = "\n".join(x for x in head + body + tail + ["</body>", "</html>"] if x) + "\n"
    return text


# ---------------------------------------------------------------------------------------------------
# parts that depend on the report's data

def audit_blocks(findings: pd.DataFrame) -> tuple[Block, ...]:
    """The audit's findings as page blocks: a count, then what cannot be true, notes, what checks out.

    ``findings`` has the columns of :func:`wai.audit.validate_tables`
    (``table, row, item, check, status, detail``).

    >>> f = pd.DataFrame({"table": ["t.csv"], "row": [2], "item": ["A"], "check": ["percent_total"],
    ...                   "status": ["ok"], "detail": ["sums to 100"]})
    >>> blocks = audit_blocks(f)
    >>> blocks[0].text
    '1 check: 0 inconsistent, 0 notes, 1 ok.'
    >>> blocks[-2].blocks[0].entries
    (('t.csv, row 2 (A), percent total:', 'sums to 100.'),)
    """
    counts = findings["status"].value_counts()
    n = len(findings)
    blocks: list[Block] = [PageText(
        f"{n} check{'s' if n != 1 else ''}: {counts.get('inconsistent', 0)} inconsistent, "
        f"{counts.get('note', 0)} notes, {counts.get('ok', 0)} ok.", "strong")]
    for status, heading, style in (("inconsistent", "What cannot be true", "bad"),
                                   ("note", "Worth knowing", "note"), ("ok", "What checks out", "ok")):
        part = findings[findings["status"] == status]
        entries = []
        for f in part.itertuples(index=False):
            row = f"{int(f.row)}" if pd.notna(f.row) and str(f.row).strip() != "" else ""
            where = str(f.table) + (f", row {row}" if row else "")
            what = f" ({f.item})" if isinstance(f.item, str) and f.item else ""
            detail = str(f.detail).rstrip(".") + "."
            entries.append((f"{where}{what}, {str(f.check).replace('_', ' ')}:", detail))
        content: tuple[Block, ...] = (PageList(tuple(entries), style),) if entries else (PageText("Nothing."),)
        blocks.append(PageSection(f"audit-{status}", heading, content))
    blocks.append(PageText("Rows are numbered as in a spreadsheet (the header is row 1). Every check is exact: a "
                           "printed number stands for the interval of values that round (half up) to it, and a "
                           "check asks whether whole numbers of respondents can land in every such interval at "
                           "once.", "note"))
    return tuple(blocks)


_INTERVAL_METHODS = {
    "t": "t intervals: the WAI plus or minus t(n \u2212 1) standard errors, the standard error being the "
         "standard deviation of the answers scored on the weights over \u221an (closed form, from the counts)",
    "bca": "bias-corrected and accelerated (BCa) bootstrap intervals (Efron 1987), resampling the answers",
    "multinomial": "parametric bootstrap intervals: replicates of the counts drawn from the multinomial with "
                   "the observed shares",
    "linearization": "survey-weighted intervals by linearization, as R's survey::svymean computes them",
}


def _decimal(value: Fraction, decimals: int) -> str:
    return format_fixed(value, decimals)


def _weight_text(w: Fraction) -> str:
    """``1/4`` as ``0.25``; a weight with no short decimal keeps its fraction, ``1/3 (0.333...)``."""
    d = w.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        from decimal import Decimal

        text = format(Decimal(w.numerator) / Decimal(w.denominator), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{w.numerator}/{w.denominator} (\u2248 {float(w):.4f})"


def method_section(manifest: Mapping, *, ci_method: str = "t", confidence: float = 0.95,
                   section_id: str = "method", command: str = "python -m wai.report") -> PageSection:
    """"How this was computed", from a run manifest's ``parameters``, ``software`` and ``inputs``.

    ``manifest`` is the dictionary that ``manifest.json`` holds; only its
    ``parameters`` (``scale``, ``weights`` as fractions, ``non_scale``,
    ``band_rule``, ``bands``, ``rounding``, ``decimals``), ``software`` and
    ``inputs`` (file name to SHA-256) are read.

    >>> m = {"parameters": {"scale": ["No", "Yes"], "weights": ["0", "1"], "non_scale": [],
    ...      "band_rule": "rounded", "bands": [["Low", "0", "1/2"], ["High", "51/100", "1"]],
    ...      "rounding": "half up from the exact value", "decimals": 2},
    ...      "software": {"wai": "0.1.0"}, "inputs": {"codebook.toml": "ab" * 32}}
    >>> s = method_section(m)
    >>> [b.title for b in s.blocks if isinstance(b, PageSection)]
    ['The index', 'Rounding', 'Bands', 'Missing and off-scale answers', 'Intervals', 'Software and inputs']
    """
    p = manifest["parameters"]
    labels = list(p["scale"])
    weights = [Fraction(w) for w in p["weights"]]
    decimals = int(p["decimals"])
    k = len(labels)
    equal = weights == [Fraction(i, k - 1) for i in range(k)] if k > 1 else False
    formula = PageText("WAI = (w\u2081F\u2081 + w\u2082F\u2082 + \u2026 + w\u2096F\u2096) / "
                       "(F\u2081 + F\u2082 + \u2026 + F\u2096)", "formula")
    index: list[Block] = [
        PageText(f"For each item, F\u2096 is the number of answers in category k of the {k}-point scale "
                 f"(k = 1 for \u201c{labels[0]}\u201d up to k = {k} for \u201c{labels[-1]}\u201d) and "
                 "w\u2096 the category's weight. The index runs from 0 (every answer in the lowest category) "
                 "to 1 (every answer in the highest)."),
        formula,
        PageText("The weights " + ("are equally spaced, w\u2096 = (k \u2212 1)/(K \u2212 1) (the WAI): "
                                   if equal else "are set in the codebook: ")
                 + "; ".join(f"{lab} = {_weight_text(w)}" for lab, w in zip(labels, weights)) + "."),
    ]
    rounding = [PageText(
        f"The index is computed exactly, as a fraction of whole numbers (for example 119/198), and printed "
        f"rounded {p['rounding']} to {decimals} decimals: a value exactly half-way rounds up (0.605 prints as "
        f"0.61), and nothing is rounded before that last step.")]
    band_rows = pd.DataFrame({
        "band": [b[0] for b in p["bands"]],
        "printed range": [f"{_decimal(Fraction(b[1]), decimals)}\u2013{_decimal(Fraction(b[2]), decimals)}"
                          for b in p["bands"]],
    })
    rule = p["band_rule"]
    rule_text = (f"Band rule \u201crounded\u201d: the printed value (rounded to {decimals} decimals) is placed "
                 "in the printed range that holds it, as a reader of the printed table would. Where the "
                 "exact value lies just above a range's end (0.6010 prints as 0.60) the exact rule would "
                 "give the next band; the reproduction section lists every such item."
                 if rule == "rounded" else
                 "Band rule \u201cexact\u201d: the unrounded value is classified with breaks at each band's "
                 "upper end (a value above 0.60 is in the next band even when it prints as 0.60).")
    bands: list[Block] = [PageTable("bands", band_rows, caption="Bands and their printed ranges"), PageText(rule_text)]
    non_scale = list(p.get("non_scale", []))
    missing = [PageText(
        "An item's n counts only the answers on the scale. Blank answers"
        + (" and answers off the scale (" + ", ".join(f"\u201c{x}\u201d" for x in non_scale) + ")"
           if non_scale else "")
        + " are left out of that item's index and its n, one item at a time (a respondent who skipped one "
          "item still counts for the others); item_scores.csv in the derived folder gives, per item, the "
          "blanks (n_blank) and the off-scale answers (n_nonscale). Percentages of a demographic field are "
          "of those who answered it.")]
    gloss = _INTERVAL_METHODS.get(ci_method, f"{ci_method} intervals")
    intervals = [PageText(
        f"Confidence intervals on the 0\u20131 index at {confidence:.0%}: {gloss}. \u201cBand certain\u201d "
        "means the whole interval lies in the estimate's band; \u201cshare in band\u201d is the share of "
        "multinomial bootstrap replicates of the item's counts whose index falls in the reported band. "
        "Reliability is Cronbach's alpha on complete cases with Feldt's interval; group comparisons use a "
        "rank test per item and a proportional-odds model, with p-values adjusted across items.")]
    software = sorted(manifest.get("software", {}).items())
    inputs = sorted(manifest.get("inputs", {}).items())
    provenance: list[Block] = [
        PageText(f"Made by {command}, which writes this page with every table and figure beside it and "
                 "manifest.json (the same facts, with a hash of every table). The same inputs give the same "
                 "tables, byte for byte."),
        PageFacts(tuple((name, version) for name, version in software)),
        PageText("SHA-256 of the inputs:", "strong"),
        PageFacts(tuple((name, digest) for name, digest in inputs), code=True),
    ]
    return PageSection(section_id, "How this was computed", (
        PageSection(f"{section_id}-index", "The index", tuple(index)),
        PageSection(f"{section_id}-rounding", "Rounding", tuple(rounding)),
        PageSection(f"{section_id}-bands", "Bands", tuple(bands)),
        PageSection(f"{section_id}-missing", "Missing and off-scale answers", tuple(missing)),
        PageSection(f"{section_id}-intervals", "Intervals", tuple(intervals)),
        PageSection(f"{section_id}-software", "Software and inputs", tuple(provenance)),
    ))


def _join(parts: Sequence[str], limit: int = 40) -> str:
    shown = list(parts[:limit])
    if len(parts) > limit:
        shown.append(f"and {len(parts) - limit} more")
    return "; ".join(shown)


def alt_wai(frame: pd.DataFrame, *, confidence: float | None = None) -> str:
    """Alt text of a WAI bar chart: what it plots and each item's printed value and band, in plot order.

    ``frame`` has ``wording``, ``wai_rounded`` and ``band``; with
    ``ci_low``/``ci_high`` the intervals are mentioned.

    >>> alt_wai(pd.DataFrame({"wording": ["Peace"], "wai_rounded": ["0.58"], "band": ["Neutral"]}))
    'Horizontal bar chart of the Weighted Average Index (0 to 1) of 1 item over shaded bands. Peace: 0.58, Neutral.'
    """
    whiskers = ""
    if {"ci_low", "ci_high"} <= set(frame.columns):
        level = f"{confidence:.0%} " if confidence else ""
        whiskers = f", with {level}confidence intervals as whiskers"
    n = len(frame)
    items = [f"{w}: {v}, {b}" if _plain(v) else f"{w}: no answers"
             for w, v, b in zip(frame["wording"], frame["wai_rounded"], frame["band"])]
    return (f"Horizontal bar chart of the Weighted Average Index (0 to 1) of {n} item{'s' if n != 1 else ''} "
            f"over shaded bands{whiskers}. " + _join(items) + ".")


def alt_distribution(frame: pd.DataFrame, what: str, answered: int) -> str:
    """Alt text of a bar chart of a demographic field: each category's count and percentage.

    >>> alt_distribution(pd.DataFrame({"category": ["A", "B"], "count": [3, 1], "percent": [75.0, 25.0]}),
    ...                  "occupation", 4)
    'Bar chart of respondents by occupation, 4 who answered: A 3 (75.0%); B 1 (25.0%).'
    """
    items = [f"{c} {int(n)} ({p:.1f}%)" for c, n, p in zip(frame["category"], frame["count"], frame["percent"])]
    return f"Bar chart of respondents by {what}, {answered} who answered: " + _join(items) + "."


def alt_answers(frame: pd.DataFrame, labels: Sequence[str]) -> str:
    """Alt text of a diverging chart of answer shares: per item, the share below, at and above the middle.

    ``frame`` has ``wording`` and ``count_1..count_K`` (K = ``len(labels)``).

    >>> t = pd.DataFrame({"wording": ["Peace"], "count_1": [1], "count_2": [1], "count_3": [2]})
    >>> alt_answers(t, ["Low", "Mid", "High"])
    'Diverging bar chart of the answers to 1 item on the 3-point scale from Low to High. Peace: 25% Low, 25% Mid, 50% High.'
    """
    k = len(labels)
    columns = [frame[f"count_{j}"].tolist() for j in range(1, k + 1)]
    items = [f"{wording}: " + shares_in_words([c[i] for c in columns], labels)
             for i, wording in enumerate(frame["wording"].tolist())]
    n = len(frame)
    return (f"Diverging bar chart of the answers to {n} item{'s' if n != 1 else ''} on the {k}-point scale "
            f"from {labels[0]} to {labels[-1]}. " + _join(items) + ".")


def shares_in_words(counts: Sequence[int], labels: Sequence[str]) -> str:
    """One item's answers in words: the whole-percent shares below, at and above the scale's middle.

    Each share is rounded half up from the exact share; ``"no answers"`` when the counts are all 0.

    >>> shares_in_words([1, 1, 2], ["Low", "Mid", "High"]), shares_in_words([0, 0, 0, 0], list("abcd"))
    ('25% Low, 25% Mid, 50% High', 'no answers')
    >>> shares_in_words([1, 2, 0, 3], ["SD", "D", "A", "SA"])
    '50% SD or D, 50% A or SA'
    """
    k = len(labels)
    low, high = list(range(1, (k // 2) + 1)), list(range(k - k // 2 + 1, k + 1))
    mid = [(k + 1) // 2] if k % 2 else []
    lo_name = labels[0] if len(low) == 1 else f"{labels[0]} or {labels[low[-1] - 1]}"
    hi_name = labels[-1] if len(high) == 1 else f"{labels[high[0] - 1]} or {labels[-1]}"
    total = int(sum(counts))
    if not total:
        return "no answers"

    def share(cats: list[int]) -> str:
        # a whole percentage, rounded half up from the exact share
        return _decimal(Fraction(100 * sum(int(counts[c - 1]) for c in cats), total), 0)

    return ", ".join([f"{share(low)}% {lo_name}"] + ([f"{share(mid)}% {labels[mid[0] - 1]}"] if mid else [])
                     + [f"{share(high)}% {hi_name}"])
