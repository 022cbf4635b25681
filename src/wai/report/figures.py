"""Figures for a paper: respondents by category, WAI per item (banded, with
optional interval whiskers) and each item's answers as diverging Likert bars.

This is the only module of the package that imports matplotlib, and it does
so without touching pyplot or any global state: every figure is a
:class:`matplotlib.figure.Figure` drawn on its own Agg canvas, styled inside
:func:`matplotlib.rc_context`, rendered into memory and written with
:func:`wai.io.write_bytes` (atomically). ``import wai`` does not import it.

Each function writes three files next to each other and returns their
paths: ``stem.png`` (150 dpi), ``stem.svg`` and ``stem.csv`` (exactly the
data plotted). The same input gives byte-identical files in the same
environment (no dates, no software versions, fixed SVG ids).

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> t = pd.DataFrame({"item": ["q1", "q2"], "wording": ["Financial crisis", "Change of government"],
...                   "n": [94, 94], "wai": [0.6010, 0.4734], "wai_rounded": ["0.60", "0.47"],
...                   "band": ["Neutral", "Neutral"]})
>>> [p.name for p in wai_figure(t, title="Drivers of change", stem=out / "drivers")]
['drivers.png', 'drivers.svg', 'drivers.csv']
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence, cast

import pandas as pd
import matplotlib
from matplotlib import colormaps, colors
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from wai.bands import CHAPTER11_BANDS, BandScheme
from wai.exact import format_fixed
from wai.io import write_bytes, write_csv
from wai.report.plotted import (  # the tables' checks and the captions: no matplotlib there
    _diverging_caption, _numbers, _require, _wai_caption, _wai_rows,
    _WaiRows, figure_caption, grouped_caption,
)
from wai.shares import box_size

__all__ = ["distribution_figure", "wai_figure", "diverging_figure", "grouped_diverging_figure", "grouped_caption",
           "figure_caption",
           "item_order", "band_colours", "likert_colours", "DPI", "GROUPED_SORTS", "GROUPED_LAYOUTS"]

DPI = 150
"""Resolution of the PNG files."""

_RC: Any = {  # (typed Any: matplotlib's stubs want a dict of literal keys)
    # Fixed fonts and ids so the same input gives the same bytes.
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "path",
    "svg.hashsalt": "wai",
    "svg.id": None,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": False,
    "hatch.linewidth": 0.8,
    "figure.autolayout": False,  # (each figure asks for constrained layout itself)
    "figure.constrained_layout.use": False,
}
_PNG_COMPRESSION = 2
"""zlib level of the PNGs: half the encoding time of Pillow's default 6, files about 5% larger (same pixels)."""
_SVG_METADATA = {"Date": None, "Creator": None}

_TEXT = "#222222"
_GRID = "#6b6b6b"
_DIST_BAR = "#3b6e9c"
_WHISKER = "#111111"
_LABEL_BOX = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
_WORDING_WIDTH = 44  # characters per line of a wrapped item wording
_CATEGORY_WIDTH = 30
_NOTE_WIDTH = 105
_TITLE_WIDTH = 75


# --------------------------------------------------------------------------- helpers


def band_colours(bands: BandScheme = CHAPTER11_BANDS) -> dict[str, str]:
    """One colour per band, light to dark, from ColorBrewer's YlGnBu.

    The palette is sequential (lightness falls monotonically from the lowest
    band to the highest), so the bands stay in order in greyscale and for
    colour-blind readers.

    >>> band_colours()["Very Low"], band_colours()["Very High"]
    ('#c6e9b4', '#13266f')
    """
    cmap = colormaps["YlGnBu"]
    k = len(bands.bands)
    positions = [0.25] if k == 1 else [0.25 + 0.7 * i / (k - 1) for i in range(k)]
    return {b.label: colors.to_hex(cmap(p)) for b, p in zip(bands.bands, positions)}


def _paths(stem: str | Path) -> tuple[Path, Path, Path]:
    s = str(stem)
    return Path(s + ".png"), Path(s + ".svg"), Path(s + ".csv")


def _new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")  # laid out at the PNG's resolution
    FigureCanvasAgg(fig)
    cast(Any, fig.get_layout_engine()).set(h_pad=0.06, w_pad=0.06, hspace=0.0, wspace=0.0)
    return fig


def _render(fig: Figure, png: Path, svg: Path) -> None:
    """Write the figure as PNG and SVG, its layout as last solved.

    The caller solves it (:func:`_lay_out`) after its last change to anything
    the layout holds; texts outside the layout (``in_layout=False``) may
    change afterwards.
    """
    # The layout is final: no engine at all, so that saving neither solves it again nor (as it does
    # with the "none" placeholder engine) draws the figure once more before drawing it for the file.
    fig.set_layout_engine(None)  # (None, not the rc default: _RC turns both automatic layouts off)
    renderer = _renderer(fig)
    box = fig.get_tightbbox(renderer).padded(0.08)  # measured once, for both formats
    fig.patch.set_facecolor("white")
    write_bytes(png, _png(fig, renderer, box))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata=_SVG_METADATA, bbox_inches=box, facecolor="white")
    write_bytes(svg, buffer.getvalue())


def _png(fig: Figure, renderer: Any, box: Any) -> bytes:
    """The PNG of the figure's tight box ``box`` (inches), white where it reaches past the canvas.

    The whole canvas is drawn with the renderer that laid the figure out (at
    the PNG's resolution), whose text sizes are already measured, and the box
    is cut from it; ``savefig(bbox_inches=...)`` would draw on a new canvas
    the size of the box, measuring every text again.
    """
    from PIL import Image

    renderer.clear()
    fig.draw(renderer)
    width, height = (int(v) for v in renderer.get_canvas_width_height())
    canvas = Image.frombuffer("RGBA", (width, height), renderer.buffer_rgba(), "raw", "RGBA", 0, 1)
    x0, y0, x1, y1 = (round(v * fig.dpi) for v in box.extents)  # pixels from the canvas's bottom left
    cut = Image.new("RGBA", (x1 - x0, y1 - y0), "white")
    cut.paste(canvas, (-x0, y1 - height))
    buffer = io.BytesIO()
    cut.save(buffer, format="png", dpi=(DPI, DPI), compress_level=_PNG_COMPRESSION)
    return buffer.getvalue()


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(" ".join(str(text).split()), width=width)) or " "


def _title_height(title: str) -> float:
    """Inches a figure's title takes (0 without one)."""
    return 0.2 * (_wrap(title, _TITLE_WIDTH).count("\n") + 1) if title else 0


def _note_height(text: str) -> float:
    """Inches a figure's note of several paragraphs takes (0 without one)."""
    return 0.155 * (sum(len(textwrap.wrap(p, _NOTE_WIDTH)) for p in text.split("\n")) + 0.3) if text else 0


def _legend_lines(names: Sequence[str]) -> int:
    return max(_wrap(x, 20).count("\n") + 1 for x in names)


def _caption(fig: Figure, ax: Any, note: str) -> None:
    """The note, wrapped, left-aligned at the figure's left edge under the x-axis label.

    It is the figure's ``supxlabel``: constrained layout reserves its height at
    the bottom without widening the axes' margins (an annotation anchored at
    the figure's edge would count as part of the axes and push them right a
    little on every draw).
    """
    if not note.strip():
        return
    text = "\n".join(_wrap(part, _NOTE_WIDTH) for part in note.strip().split("\n"))
    fig.supxlabel(text, x=0.0, ha="left", va="bottom", fontsize=8, fontweight="normal",
                  color="#444444", multialignment="left")


def _title(fig: Figure, title: str) -> None:
    """The title, wrapped, left-aligned with the caption at the figure's left edge (none when empty)."""
    if not title.strip():
        return
    fig.suptitle(_wrap(title, _TITLE_WIDTH), x=0.0, ha="left", fontsize=11, fontweight="bold",
                 color=_TEXT)


def _left_align_wrapped(fig: Figure, ax: Any) -> None:
    """Align multi-line y labels on their left edge, like a table column."""
    labels = ax.get_yticklabels()
    if not any("\n" in t.get_text() for t in labels):
        return
    renderer = _renderer(fig)
    widest = max(t.get_window_extent(renderer).width for t in labels) * 72 / fig.dpi
    for t in labels:
        t.set_horizontalalignment("left")
    ax.tick_params(axis="y", pad=widest + 6)


def _lay_out(fig: Figure) -> None:
    """Solve the figure's constrained layout again (what a draw does first), without drawing it."""
    _pin_empty_axis_labels(fig)
    cast(Any, fig.get_layout_engine()).execute(fig)


def _pin_empty_axis_labels(fig: Figure) -> None:
    """Give every axis without a label (all y axes here) a fixed place for it.

    Matplotlib places an axis label from the boxes of every tick label of the
    axis and of the axes sharing it, on each layout pass and each draw, even
    when the label is empty; an empty label draws nothing and takes no room,
    so where it sits changes nothing in the figure.
    """
    for ax in [a for parent in fig.axes for a in (parent, *parent.child_axes)]:  # (secondary axes too)
        for axis in (ax.xaxis, ax.yaxis):
            if not axis.label.get_text():
                axis.set_label_coords(0.0, 0.0)


def _renderer(fig: Figure) -> Any:
    """The figure's Agg renderer (every figure here is drawn on a :class:`FigureCanvasAgg`)."""
    return cast(FigureCanvasAgg, fig.canvas).get_renderer()


def _overflow(fig: Figure, ax: Any, label: Any) -> float:
    """How far (pixels) a text sticks out past the right edge of the axes."""
    renderer = _renderer(fig)
    return label.get_window_extent(renderer).x1 - ax.get_window_extent(renderer).x1


# --------------------------------------------------------------------------- distribution


def distribution_figure(
    table: pd.DataFrame,
    *,
    title: str,
    stem: str | Path,
    note: str = "",
    caption: bool = True,
    formula_escape: bool = True,
) -> list[Path]:
    """Horizontal bar chart of respondents by category, each bar labelled ``27.7% (26)``.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``category`` (str), ``count`` (int) and ``percent`` (float,
        0..100, share of those who answered). Bars are drawn top to bottom in
        the row order given; sorting is the caller's job.
    title : str
        Figure title.
    stem : str or Path
        Output path without extension; ``stem.png``, ``stem.svg`` and
        ``stem.csv`` are written (folders are created).
    note : str
        Caption printed small under the plot, e.g.
        ``"n = 94 of 99 answered; reconstructed data"``.
    caption : bool, default True
        Draw the title and the caption in the image; ``False`` leaves both to
        the page or paper that shows the figure (its caption text is
        :func:`figure_caption`'s).
    formula_escape : bool, default True
        Escape formula-like text cells of ``stem.csv`` (:func:`wai.io.write_csv`).

    Returns
    -------
    list of Path
        ``[stem.png, stem.svg, stem.csv]``.

    Raises
    ------
    ValueError
        An empty table, a missing column, a count that is not a whole number
        >= 0 or a percent outside 0..100.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> t = pd.DataFrame({"category": ["University", "NGO"], "count": [26, 18],
    ...                   "percent": [59.1, 40.9]})
    >>> p = distribution_figure(t, title="Occupation", stem=pathlib.Path(tempfile.mkdtemp()) / "occ")
    >>> p[2].read_text()
    'category,count,percent\\nUniversity,26,59.1\\nNGO,18,40.9\\n'
    """
    data, counts, percents = _distribution_rows(table, "distribution_figure")
    title, note = (title, note) if caption else ("", "")

    labels = [_wrap(c, _CATEGORY_WIDTH) for c in data["category"]]
    lines = max(label.count("\n") + 1 for label in labels)
    slot = max(0.34, 0.15 * lines + 0.14)
    k = len(labels)
    head = 0.35 + _title_height(title)
    foot = 0.55 + (0.16 * (len(textwrap.wrap(note, _NOTE_WIDTH)) + 0.2) if note.strip() else 0)
    png, svg, csv = _paths(stem)

    with matplotlib.rc_context(_RC):
        fig = _new_figure(7.0, head + foot + slot * k)
        ax = fig.add_subplot()
        y = list(range(k))
        ax.barh(y, percents, height=0.62, color=_DIST_BAR, edgecolor="none", zorder=2)
        ax.set_yticks(y, labels)
        ax.set_ylim(k - 0.45, -0.55)
        ax.tick_params(axis="y", length=0, pad=6)
        for t in ax.get_yticklabels():
            t.set_multialignment("left")
        texts = [
            ax.annotate(f"{p:.1f}% ({int(c)})", xy=(p, i), xytext=(4, 0), textcoords="offset points",
                        va="center", ha="left", fontsize=8.5, color=_TEXT, in_layout=False,
                        annotation_clip=False, zorder=4, bbox=_LABEL_BOX)
            for i, (p, c) in enumerate(zip(percents, counts))
        ]
        xmax = _nice_ceiling(max(percents) * 1.2 if max(percents) > 0 else 10.0)
        ax.set_xlim(0, xmax)
        ax.xaxis.grid(True, color="#d9d9d9", linewidth=0.6, zorder=0)
        ax.set_axisbelow(True)
        ax.spines["left"].set_color(_GRID)
        ax.spines["bottom"].set_color(_GRID)
        ax.set_xlabel("Share of respondents who answered (%)")
        _title(fig, title)
        _caption(fig, ax, note)
        _left_align_wrapped(fig, ax)  # (text widths: no layout needed)
        _fit_distribution_axis(fig, ax, texts, percents)
        _render(fig, png, svg)

    write_csv(csv, data, formula_escape=formula_escape)
    return [png, svg, csv]


def _distribution_rows(table: pd.DataFrame, what: str) -> tuple[pd.DataFrame, list[float], list[float]]:
    """Check the table of :func:`distribution_figure`: its plotted columns, counts and percents."""
    _require(table, ["category", "count", "percent"], what)
    data = table[["category", "count", "percent"]].reset_index(drop=True)
    counts = _numbers(data, "count", what, "category")
    bad = [str(c) for c, v in zip(data["category"], counts) if v < 0 or v != int(v)]
    if bad:
        raise ValueError(f"{what}: column 'count' must hold whole numbers >= 0; not so for category {bad}")
    percents = _numbers(data, "percent", what, "category")
    bad = [f"{c} ({v:g})" for c, v in zip(data["category"], percents) if not 0 <= v <= 100]
    if bad:
        raise ValueError(f"{what}: column 'percent' must lie in 0..100; outside for category {bad}")
    return data, counts, percents


def _fit_distribution_axis(fig: Figure, ax: Any, texts: Sequence[Any], percents: Sequence[float]) -> None:
    """The shortest round axis from 0 that holds every bar and its label, never past 100 %.

    A label that still does not fit goes inside its bar.
    """
    for _ in range(6):
        _lay_out(fig)
        renderer = _renderer(fig)
        width = ax.get_window_extent(renderer).width
        need = [t.get_window_extent(renderer).width + 8 * fig.dpi / 72 for t in texts]
        wanted = max(p * width / (width - w) if w < width else math.inf
                     for p, w in zip(percents, need))
        xmax = min(_nice_ceiling(wanted), 100.0) if math.isfinite(wanted) else 100.0
        ax.set_xlim(0, xmax)
        _lay_out(fig)
        if max(_overflow(fig, ax, t) for t in texts) <= -2 or xmax == 100.0:
            break
    for text in texts:
        if _overflow(fig, ax, text) > -2:
            text.set_position((-4, 0))
            text.set_horizontalalignment("right")
            text.set_color("white")
            text.set_bbox(None)


def _nice_ceiling(x: float) -> float:
    """Smallest round number (1, 1.2, 1.5, 2, 2.5, 3, ... times a power of ten) that is >= x.

    >>> _nice_ceiling(33.8), _nice_ceiling(0.72), _nice_ceiling(100)
    (35.0, 0.8, 100.0)
    """
    if x <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6, 7, 8, 10):
        if m * power >= x - 1e-12:
            return round(m * power, 12)
    return round(10 * power, 12)


# --------------------------------------------------------------------------- WAI per item


def wai_figure(
    table: pd.DataFrame,
    *,
    title: str,
    bands: BandScheme = CHAPTER11_BANDS,
    stem: str | Path,
    note: str = "",
    caption: bool = True,
    formula_escape: bool = True,
) -> list[Path]:
    """Horizontal bars of the WAI per item over the shaded bands of ``bands``.

    Each bar is coloured by its band (a sequential palette, see
    :func:`band_colours`) and labelled with its printed value and band,
    ``0.60 Neutral``. The x axis runs over 0..1 with lines at the band
    breaks (each band's upper bound) and the band names and printed ranges
    along the top. Wordings are wrapped on the y axis, top to bottom in row
    order. When ``n`` differs between items it is printed at the right of
    each bar; otherwise it is said once in the caption (unless ``note``
    already says ``n = ...``). Items whose ``target_status`` is
    ``"illustrative"`` get hatched bars and a line in the caption.

    With columns ``ci_low`` and ``ci_high`` each bar gets a whisker (a
    horizontal error bar with caps, near-black with a white halo so it reads
    on every band colour) and its label moves right of the whisker; a row
    whose interval is missing (NaN) gets no whisker. With a column
    ``band_certain`` an item whose band is uncertain (``False``: its interval
    crosses a band boundary) is labelled ``0.60 Neutral?``. The caption then
    explains the whiskers and the ``?``, with the confidence level from the
    column ``confidence`` (95 % when absent).

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``item``, ``wording``, ``n`` (int), ``wai`` (0..1),
        ``wai_rounded`` (str, e.g. ``"0.60"``), ``band`` (a label or synonym
        of ``bands``) and optionally ``target_status``
        (``"published"``/``"illustrative"``), ``ci_low`` and ``ci_high``
        (both or neither; low <= high, both NaN for no interval; an end
        beyond the axis is drawn cut off, without its cap),
        ``band_certain`` (True/False/NA, also ``"yes"``/``"no"``/``1``/``0``)
        and ``confidence`` (one level for all rows, ``0.95`` or ``95``).
    title : str
        Figure title.
    bands : BandScheme
        Bands to shade and colour by.
    stem : str or Path
        Output path without extension; ``stem.png``, ``stem.svg`` and
        ``stem.csv`` are written.
    note : str
        Caption printed small under the plot.
    caption : bool, default True
        Draw the title and the caption in the image; ``False`` leaves both to
        the page or paper that shows the figure (its caption text is
        :func:`figure_caption`'s).
    formula_escape : bool, default True
        Escape formula-like text cells of ``stem.csv`` (:func:`wai.io.write_csv`).

    Returns
    -------
    list of Path
        ``[stem.png, stem.svg, stem.csv]``; the CSV holds ``item, wording, n,
        wai, wai_rounded, band`` (and ``target_status`` when given) as passed,
        then ``ci_low, ci_high`` (numbers, empty for no interval),
        ``band_certain`` (True/False/empty) and ``confidence`` when given.

    Raises
    ------
    ValueError
        An empty table, a missing column, a ``wai`` outside 0..1 or missing,
        an ``n`` that is not a whole number >= 0, a band that is not in
        ``bands``, an unknown ``target_status``, only one of ``ci_low`` and
        ``ci_high``, an interval that is reversed, infinite or half missing, a
        ``band_certain`` that is not true/false/NA, or several or
        impossible ``confidence`` levels.
    """
    what = "wai_figure"
    rows = _wai_rows(table, bands, what)
    drawn = caption
    text, whiskers = _wai_caption(rows, note)
    title, text = (title, text) if drawn else ("", "")
    labels = [_wrap(w, _WORDING_WIDTH) for w in rows.data["wording"]]
    lines = max(label.count("\n") + 1 for label in labels)
    slot = max(0.40, 0.14 * lines + 0.17)
    k = len(labels)
    head = 0.75 + _title_height(title)
    foot = 0.55 + _note_height(text)
    png, svg, csv = _paths(stem)

    with matplotlib.rc_context(_RC):
        fig = _new_figure(8.0, head + foot + slot * k)
        ax = fig.add_subplot()
        palette = band_colours(bands)
        edges = _wai_axes(ax, rows, bands, palette, labels)
        top = _band_names_on_top(ax, bands, edges)
        right = _n_column(ax, rows, whiskers) if rows.n_varies else None
        spans = rows.intervals or [(math.nan, math.nan)] * k
        if whiskers:
            _draw_whiskers(ax, spans, (edges[0], edges[-1]))
        texts = _wai_labels(ax, rows, spans, edges)
        _title(fig, title)
        _caption(fig, ax, text)

        _left_align_wrapped(fig, ax)  # (text widths: no layout needed)
        _lay_out(fig)
        _fit_top_labels(fig, top)  # leaves the layout solved
        stuck = _wai_labels_inside(fig, ax, texts, rows, spans, edges, palette)
        if stuck and right is not None:  # push the n column out of the way of the stuck labels
            for _ in range(4):
                _lay_out(fig)
                pad = max(max(_overflow(fig, ax, t) for t in stuck), 0) * 72 / fig.dpi + 10
                if abs(right[0].xyann[0] - pad) < 0.5:
                    break
                for t in right:
                    t.xyann = (pad, 0)
        if stuck:  # the axes narrowed to make room
            _lay_out(fig)
            _fit_top_labels(fig, top)
        _render(fig, png, svg)

    write_csv(csv, rows.data, formula_escape=formula_escape)
    return [png, svg, csv]


def _wai_axes(ax: Any, rows: _WaiRows, bands: BandScheme, palette: dict[str, str],
              labels: Sequence[str]) -> list[float]:
    """The shaded bands, their breaks, the bars and the axes; returns the band edges."""
    lo = float(bands.bands[0].low)
    hi = float(bands.bands[-1].high)
    edges = [lo] + [float(b) for b in bands.breaks] + [hi]
    for band, x0, x1 in zip(bands.bands, edges, edges[1:]):
        ax.axvspan(x0, x1, color=palette[band.label], alpha=0.2, linewidth=0, zorder=0)
    for x in edges[1:-1]:
        ax.axvline(x, color=_GRID, linewidth=0.7, linestyle=(0, (4, 3)), zorder=1)

    k = len(labels)
    y = list(range(k))
    bars = ax.barh(y, rows.values, height=0.6, color=[palette[b] for b in rows.canon], edgecolor="#333333",
                   linewidth=0.6, zorder=2)
    for bar, hatched, b in zip(bars, rows.illustrative, rows.canon):
        if hatched:
            bar.set_hatch("////")
            bar.set_hatchcolor("white" if _luminance(palette[b]) < 0.45 else "#333333")
    ax.set_yticks(y, labels)
    ax.set_ylim(k - 0.4, -0.6)
    ax.tick_params(axis="y", length=0, pad=6)
    for t in ax.get_yticklabels():
        t.set_multialignment("left")
    ax.set_xlim(lo, hi)
    ax.set_xticks(edges, [f"{x:.{bands.decimals}f}" for x in edges])
    ax.set_xlabel("Weighted Average Index (WAI)")
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_color(_GRID)
    return edges


def _band_names_on_top(ax: Any, bands: BandScheme, edges: Sequence[float]) -> list[Any]:
    """The band names and printed ranges along the top, over each band's middle; returns those texts.

    They sit where the tick labels of a top axis would (3 points over the axes, centred, on their
    bottom edge), with no axis (:func:`_right_labels`).
    """
    mids = [(a + b) / 2 for a, b in zip(edges, edges[1:])]
    return [ax.annotate(f"{b.label}\n{float(b.low):.{bands.decimals}f}\u2013{float(b.high):.{bands.decimals}f}",
                        xy=(x, 1), xycoords=("data", "axes fraction"), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8, color="#333333", annotation_clip=False)
            for x, b in zip(mids, bands.bands)]


def _n_column(ax: Any, rows: _WaiRows, whiskers: bool) -> list[Any]:
    """Each item's ``n`` at the right of the axes; returns those texts."""
    # (clear of a whisker cut off at the right end)
    return _right_labels(ax, list(range(len(rows.ns))), [f"n = {n}" for n in rows.ns], pad=7 if whiskers else 4)


def _wai_labels(ax: Any, rows: _WaiRows, spans: Sequence[tuple[float, float]],
                edges: Sequence[float]) -> list[Any]:
    """Each bar's label, ``0.60 Neutral`` (``?`` when uncertain), right of its bar or whisker."""
    texts = []
    for i, (x, p, b, (_lo, hi), q) in enumerate(zip(rows.values, rows.printed, rows.canon, spans, rows.uncertain)):
        end = x if math.isnan(hi) else max(x, min(hi, edges[-1]))
        gap = 4 if math.isnan(hi) else 5
        texts.append(ax.annotate(f"{p} {b}{'?' if q else ''}", xy=(end, i), xytext=(gap, 0),
                                 textcoords="offset points", va="center", ha="left",
                                 fontsize=8.5, color=_TEXT, in_layout=False,
                                 annotation_clip=False, zorder=6, bbox=_LABEL_BOX))
    return texts


def _wai_labels_inside(fig: Figure, ax: Any, texts: Sequence[Any], rows: _WaiRows,
                       spans: Sequence[tuple[float, float]], edges: Sequence[float],
                       palette: dict[str, str]) -> list[Any]:
    """Move a label that would run past the right end inside its bar (left of its whisker).

    Returns the labels that fit neither there nor inside (a very wide
    interval): they stay right of the whisker, past the axes.
    """
    stuck: list[Any] = []
    for i, (text, x, b, (lo, hi)) in enumerate(zip(texts, rows.values, rows.canon, spans)):
        if _overflow(fig, ax, text) <= -2:
            continue
        dark = _luminance(palette[b]) < 0.45
        text.xy = (x if math.isnan(lo) else min(x, max(lo, edges[0])), i)
        text.set_position((-4 if math.isnan(lo) else -5, 0))
        text.set_horizontalalignment("right")
        text.set_color("white" if dark else _TEXT)
        text.set_bbox(None)
        if math.isnan(lo):
            continue
        if stuck:  # a label now in the layout moves the axes
            _lay_out(fig)
        renderer = _renderer(fig)
        if text.get_window_extent(renderer).x0 >= ax.get_window_extent(renderer).x0 + 2:
            continue
        # a very wide interval leaves room neither right of it nor inside the bar: keep the
        # label right of the whisker, past the axes, and push the n column out of its way
        text.xy = (max(x, min(hi, edges[-1])), i)
        text.set_position((5, 0))
        text.set_horizontalalignment("left")
        text.set_color(_TEXT)
        text.set_bbox(_LABEL_BOX)
        text.set_in_layout(True)
        stuck.append(text)
    return stuck


def _draw_whiskers(ax: Any, spans: Sequence[tuple[float, float]], bounds: tuple[float, float]) -> None:
    """One path of whiskers with caps, near-black over a white halo, readable on any band colour.

    An end beyond the axis (a t interval may pass 0 or 1) is cut at the axis
    and drawn without a cap.
    """
    from matplotlib import patheffects
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath

    cap = 0.14  # half the cap height, in bar slots (bars are 0.6 high)
    vertices: list[tuple[float, float]] = []
    codes: list[Any] = []  # (MOVETO and LINETO are numpy uint8)
    for i, (lo, hi) in enumerate(spans):
        if math.isnan(lo):
            continue
        a, b = max(lo, bounds[0]), min(hi, bounds[1])
        segments: list[tuple[tuple[float, float], tuple[float, float]]] = [((a, i), (b, i))]
        segments += [((x, i - cap), (x, i + cap)) for x, cut in ((a, lo < a), (b, hi > b)) if not cut]
        for segment in segments:
            vertices.extend(segment)
            codes.extend((MPath.MOVETO, MPath.LINETO))
    ax.add_patch(PathPatch(MPath(vertices, codes), fill=False, edgecolor=_WHISKER, linewidth=1.2,
                           capstyle="butt", joinstyle="miter", zorder=5,
                           path_effects=[patheffects.withStroke(linewidth=3.2, foreground="white"),
                                         patheffects.Normal()]))


def _fit_top_labels(fig: Figure, top: Sequence[Any]) -> None:
    """Drop the printed ranges, then shrink, when band names along the top collide."""
    renderer = _renderer(fig)

    def collide() -> bool:
        boxes = [t.get_window_extent(renderer) for t in top]
        return any(a.x1 + 3 > b.x0 for a, b in zip(boxes, boxes[1:]))

    if not collide():
        return
    for t in top:
        t.set_text(t.get_text().split("\n")[0])
    _lay_out(fig)
    size = 8.0
    while collide() and size > 5:
        size -= 0.5
        for t in top:
            t.set_fontsize(size)
        _lay_out(fig)


def _luminance(colour: str) -> float:
    r, g, b = colors.to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# --------------------------------------------------------------------------- diverging Likert bars


_DIVERGING_RANGES = ((20.0, 10.0), (30.0, 10.0), (40.0, 10.0), (50.0, 25.0), (60.0, 20.0),
                     (75.0, 25.0), (80.0, 20.0), (100.0, 25.0))
"""(half-range, tick step) of the diverging x axis, narrowest first."""


def likert_colours(k: int) -> list[str]:
    """``k`` colours for a ``k``-point scale, lowest first, from ColorBrewer's RdBu.

    Low categories are reds, high ones blues, darker towards the ends; the
    middle category of an odd scale is a neutral grey. RdBu is diverging and
    safe for colour-blind readers.

    >>> likert_colours(5)[2], len(likert_colours(4))
    ('#cccccc', 4)
    """
    if k < 2:
        raise ValueError(f"a Likert scale needs at least 2 categories, got {k}")
    cmap = colormaps["RdBu"]
    half = k // 2
    low = [0.06] if half == 1 else [0.04 + 0.30 * i / (half - 1) for i in range(half)]
    out = [colors.to_hex(cmap(p)) for p in low]
    middle = ["#cccccc"] if k % 2 else []
    return out + middle + [colors.to_hex(cmap(1 - p)) for p in reversed(low)]


def diverging_figure(
    table: pd.DataFrame,
    *,
    title: str,
    labels: Sequence[str],
    stem: str | Path,
    note: str = "",
    sort: str | Sequence[str] = "wai",
    caption: bool = True,
    formula_escape: bool = True,
) -> list[Path]:
    """Diverging stacked bars: how each item's answers spread over a ``K``-point scale.

    One horizontal bar per item, its segments the shares of the answers (in
    percent of ``n``) in each category. The lower categories extend left of
    0 and the higher ones right; on an odd scale the middle category is
    centred on 0 (half on each side), on an even scale there is no middle.
    The x axis is symmetric and shows absolute percentages on both sides.
    Items are sorted by WAI, highest at the top (ties keep their row order),
    with ``n`` at the right; segments wide enough carry their rounded share.
    The colours (see :func:`likert_colours`) are explained by a legend in
    scale order above the bars.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``item``, ``wording``, ``n`` (int > 0, the respondents who
        answered the item), ``wai`` (0..1, for the order) and ``count_1`` ..
        ``count_K`` (whole numbers >= 0 summing to ``n``), ``K = len(labels)``.
    title : str
        Figure title.
    labels : sequence of str
        The category names, lowest first (``Very Low`` .. ``Very High``).
    stem : str or Path
        Output path without extension; ``stem.png``, ``stem.svg`` and
        ``stem.csv`` are written.
    note : str
        Caption printed small under the plot.
    sort : {"wai", "top_box", "codebook"} or list of str
        The item order, top first: highest WAI (default; ties keep the row
        order), highest top-box share (:mod:`wai.shares`), the row order
        given, or a list of every item id.
    caption : bool, default True
        Draw the title and the caption in the image; ``False`` leaves both to
        the page or paper that shows the figure (its caption text is
        :func:`figure_caption`'s).
    formula_escape : bool, default True
        Escape formula-like text cells of ``stem.csv`` (:func:`wai.io.write_csv`).

    Returns
    -------
    list of Path
        ``[stem.png, stem.svg, stem.csv]``; the CSV holds ``item, wording, n,
        wai, count_1..count_K, pct_1..pct_K`` in the plotted order (top
        first), ``pct_j = count_j / n * 100``.

    Raises
    ------
    ValueError
        Fewer than 2 labels, an empty table, a missing ``count_j`` or a
        ``count_j`` with ``j > K``, a count that is not a whole number >= 0,
        an ``n`` that is not a whole number > 0, counts not summing to ``n``,
        or a ``wai`` outside 0..1.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> t = pd.DataFrame({"item": ["q1"], "wording": ["Financial crisis"], "n": [4],
    ...                   "wai": [0.625], "count_1": [1], "count_2": [1], "count_3": [2]})
    >>> p = diverging_figure(t, title="t", labels=["Low", "Neutral", "High"],
    ...                      stem=pathlib.Path(tempfile.mkdtemp()) / "d")
    >>> p[2].read_text().splitlines()[1]
    'q1,Financial crisis,4,0.625,1,1,2,25.0,25.0,50.0'
    """
    what = "diverging_figure"
    names = [str(x) for x in labels] if not isinstance(labels, str) else [labels]
    k = len(names)
    data, rows, ns_int = _diverging_rows(table, names, what, sort)
    shares = [[Fraction(c, n) * 100 for c in row] for row, n in zip(rows, ns_int)]
    pcts = [[float(p) for p in row] for row in shares]
    for j in range(k):
        data[f"pct_{j + 1}"] = [row[j] for row in pcts]

    # where each bar starts: the lower half (and half the middle) left of 0
    half = k // 2
    starts = [-(sum(row[:half]) + (row[half] / 2 if k % 2 else 0.0)) for row in pcts]
    reach = max(max(-s, s + 100.0) for s in starts)
    # the narrowest symmetric range (same on both sides, never past 100 %) that holds every bar
    xmax, step = next(((r, t) for r, t in _DIVERGING_RANGES if r >= reach + 0.5), (100.0, 25.0))
    ticks = [step * i for i in range(-round(xmax / step), round(xmax / step) + 1)]

    palette = likert_colours(k)
    drawn = caption
    text = _diverging_caption(note, names, sort) if drawn else ""
    title = title if drawn else ""
    wordings = [_wrap(w, _WORDING_WIDTH) for w in data["wording"]]
    lines = max(w.count("\n") + 1 for w in wordings)
    slot = max(0.40, 0.14 * lines + 0.17)
    m = len(wordings)
    legend_lines = _legend_lines(names)
    head = 0.55 + _title_height(title) + 0.14 * legend_lines
    foot = 0.55 + _note_height(text)
    png, svg, csv = _paths(stem)

    with matplotlib.rc_context(_RC):
        fig = _new_figure(8.0, head + foot + slot * m)
        ax = fig.add_subplot()
        segments = _diverging_bars(ax, pcts, starts, palette, names)
        _diverging_axes(ax, wordings, xmax, ticks, ns_int)
        _title(fig, title)
        _caption(fig, ax, text)
        _left_align_wrapped(fig, ax)  # (text widths: no layout needed)
        _likert_legend(fig, ax, segments, names)  # leaves the layout solved
        # a tall legend (long labels in two rows) must not squeeze the bars: grow the figure
        short = slot * m - ax.get_window_extent(_renderer(fig)).height / fig.dpi
        if short > 0.05 * slot * m:
            fig.set_figheight(fig.get_figheight() + short)
            _lay_out(fig)
        _segment_labels(fig, ax, segments, shares, palette, middle=half if k % 2 else None)
        _render(fig, png, svg)

    write_csv(csv, data, formula_escape=formula_escape)
    return [png, svg, csv]


def _diverging_rows(table: pd.DataFrame, names: Sequence[str], what: str,
                    sort: str | Sequence[str] = "wai") -> tuple[pd.DataFrame, list[list[int]], list[int]]:
    """Check the table of :func:`diverging_figure`; its rows sorted by WAI, their counts and ``n``.

    Returns the plotted columns (highest WAI first, ties in row order), each
    row's counts and each row's ``n``; ValueError for a bad table.
    """
    k = len(names)
    if k < 2:
        raise ValueError(f"{what}: labels must name at least 2 categories (lowest first), got {list(names)}")
    if any(not x.strip() for x in names):
        raise ValueError(f"{what}: labels must not be empty, got {list(names)}")
    counts_cols = [f"count_{j}" for j in range(1, k + 1)]
    _require(table, ["item", "wording", "n", "wai", *counts_cols], what)
    extra = sorted((c for c in table.columns if re.fullmatch(r"count_\d+", str(c))
                    and int(str(c)[6:]) > k), key=lambda c: int(str(c)[6:]))
    if extra:
        raise ValueError(f"{what}: the table has column(s) {extra} but labels name only {k} "
                         f"categories ({list(names)}); pass one label per count column")
    data = table[["item", "wording", "n", "wai", *counts_cols]].reset_index(drop=True)

    values = _numbers(data, "wai", what, "item")
    bad = [f"{i} ({v:g})" for i, v in zip(data["item"], values) if not 0.0 <= v <= 1.0]
    if bad:
        raise ValueError(f"{what}: column 'wai' must lie in 0..1 (the index range); outside for item {bad}")
    ns = _numbers(data, "n", what, "item")
    bad = [f"{i} ({v:g})" for i, v in zip(data["item"], ns) if v <= 0 or v != int(v)]
    if bad:
        raise ValueError(f"{what}: column 'n' must hold whole numbers > 0 (the respondents who "
                         f"answered); not so for item {bad}")
    counts = []
    for column in counts_cols:
        col = _numbers(data, column, what, "item")
        bad = [f"{i} ({v:g})" for i, v in zip(data["item"], col) if v < 0 or v != int(v)]
        if bad:
            raise ValueError(f"{what}: column {column!r} must hold whole numbers >= 0; not so for item {bad}")
        counts.append([int(v) for v in col])
    rows = [[c[r] for c in counts] for r in range(len(data))]
    bad = [f"{i} (sum {sum(row)}, n = {int(n)})" for i, row, n in zip(data["item"], rows, ns)
           if sum(row) != int(n)]
    if bad:
        raise ValueError(f"{what}: columns count_1..count_{k} must sum to 'n' in every row; "
                         f"not so for item {bad}")

    if isinstance(sort, str) and sort == "wai":
        order = sorted(range(len(data)), key=lambda r: -values[r])  # stable: ties keep row order
    else:
        tops = [float(Fraction(sum(row[-box_size(k):]), sum(row))) for row in rows]
        ids = item_order(data.assign(item_top_box=tops), sort)
        where = {str(i): r for r, i in enumerate(data["item"])}
        order = [where[i] for i in ids]
    return data.iloc[order].reset_index(drop=True), [rows[r] for r in order], [int(ns[r]) for r in order]


def _diverging_bars(ax: Any, pcts: Sequence[Sequence[float]], starts: Sequence[float],
                    palette: Sequence[str], names: Sequence[str]) -> list[Any]:
    """The stacked segments, one bar container per category, lowest first."""
    y = list(range(len(pcts)))
    segments = []
    left = list(starts)
    for j in range(len(names)):
        widths = [row[j] for row in pcts]
        segments.append(ax.barh(y, widths, left=left, height=0.62, color=palette[j],
                                edgecolor="white", linewidth=0.7, zorder=2, label=names[j]))
        left = [a + w for a, w in zip(left, widths)]
    return segments


def _diverging_axes(ax: Any, wordings: Sequence[str], xmax: float, ticks: Sequence[float],
                    ns: Sequence[int]) -> None:
    """The zero line, the wordings, the symmetric percentage axis and the ``n`` column."""
    m = len(wordings)
    y = list(range(m))
    ax.axvline(0, color="#333333", linewidth=0.9, zorder=3)
    ax.set_yticks(y, wordings)
    ax.set_ylim(m - 0.45, -0.55)
    ax.tick_params(axis="y", length=0, pad=6)
    for t in ax.get_yticklabels():
        t.set_multialignment("left")
    ax.set_xlim(-xmax, xmax)
    ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks])
    ax.xaxis.grid(True, color="#d9d9d9", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    ax.set_xlabel("Share of answers (%)")
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_color(_GRID)

    _right_labels(ax, y, [f"n = {n}" for n in ns], pad=10)


def _right_labels(ax: Any, ys: Sequence[float], labels: Sequence[str], *, pad: float, size: float = 8,
                  colour: str = "#444444") -> list[Any]:
    """A column of texts at the right edge of the axes, one per ``y`` (data), where the tick labels
    of a right-hand axis would be (``pad`` points out, centred on the baseline), with no axis.

    An axis would make, lay out and draw a tick (two lines, two texts) per label; the layout counts
    these texts as it counts tick labels.
    """
    return [ax.annotate(label, xy=(1, y), xycoords=("axes fraction", "data"), xytext=(pad, 0),
                        textcoords="offset points", ha="left", va="center_baseline", fontsize=size, color=colour,
                        annotation_clip=False)
            for y, label in zip(ys, labels)]


def _likert_legend(fig: Figure, ax: Any, segments: Sequence[Any], names: Sequence[str]) -> Any:
    """The legend in scale order, centred over the zero line above the bars.

    One row if it fits over the axes and the n column (labels wrapped at 20,
    then 11 characters), else two rows read column by column. Each try is
    laid out once, and the last one's layout is left solved.
    """
    k = len(names)
    tries = ((20, k), (11, k), (20, math.ceil(k / 2)), (11, math.ceil(k / 2)))
    for n, (wrap, ncol) in enumerate(tries):
        legend = ax.legend(handles=segments, labels=[_wrap(x, wrap) for x in names],
                           loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=ncol, frameon=False,
                           fontsize=8.5, handlelength=1.1, handleheight=1.1, handletextpad=0.4,
                           columnspacing=1.1, borderaxespad=0.4)
        _lay_out(fig)
        if n == len(tries) - 1 or not _sticks_out(fig, ax, legend):
            return legend
        legend.remove()  # (the next try's layout is solved with its own legend)
    return None  # not reached


def _sticks_out(fig: Figure, ax: Any, legend: Any) -> bool:
    """Whether the legend reaches (by more than a pixel) left or right of everything else around the axes.

    Such a legend is too wide for the figure: the layout has narrowed the
    axes to make room for it.
    """
    renderer = _renderer(fig)
    legend.set_in_layout(False)
    try:
        rest = ax.get_tightbbox(renderer, for_layout_only=True)
    finally:
        legend.set_in_layout(True)
    box = legend.get_window_extent(renderer)
    return bool(box.x0 < rest.x0 - 1 or box.x1 > rest.x1 + 1)


def _segment_labels(fig: Figure, ax: Any, segments: Sequence[Any], shares: Sequence[Sequence[Fraction]],
                    palette: Sequence[str], middle: int | None) -> None:
    """Each segment's share, rounded half up to a whole percent, where it fits inside.

    The middle category's label sits on the zero line, so it gets a patch of
    the segment's colour behind it.
    """
    renderer = _renderer(fig)
    widths: dict[str, float] = {}
    for j, bars in enumerate(segments):
        ink = "white" if _luminance(palette[j]) < 0.5 else _TEXT
        box = ({"boxstyle": "square,pad=0.1", "facecolor": palette[j], "edgecolor": "none"}
               if j == middle else None)
        for i, bar in enumerate(bars):
            share = shares[i][j]
            if share == 0:
                continue
            _label_inside(ax, renderer, widths, bar, (bar.get_x() + bar.get_width() / 2, i), format_fixed(share, 0),
                          color=ink, bbox=box)


def _label_inside(ax: Any, renderer: Any, widths: dict[str, float], bar: Any, xy: tuple[float, float], label: str,
                  **style: Any) -> None:
    """A segment's label centred at ``xy``, kept only if it fits inside the bar with 3 pixels to spare each side.

    ``widths`` holds each label's width once measured (it depends on the
    text alone), so a label already known too wide is not made at all.
    """
    room = bar.get_window_extent(renderer).width
    if label in widths and widths[label] + 6 > room:
        return
    text = ax.text(*xy, label, ha="center", va="center", fontsize=7.5, zorder=4, in_layout=False, **style)
    if widths.setdefault(label, text.get_window_extent(renderer).width) + 6 > room:
        text.remove()


# --------------------------------------------------------------------------- grouped diverging bars


GROUPED_SORTS: tuple[str, ...] = ("codebook", "wai", "top_box")
"""The item orders of :func:`grouped_diverging_figure` (besides a list of item ids)."""
GROUPED_LAYOUTS: tuple[str, ...] = ("rows", "panels")
"""The layouts of :func:`grouped_diverging_figure`."""

_NON_SCALE_BAR = "#9a9a9a"


@dataclass(frozen=True)
class _GroupedRows:
    """The checked rows of a grouped chart, in plotted order (items in ``order``, groups within)."""

    data: pd.DataFrame  # the CSV: item, wording, group, n, [n_nonscale], count_j, pct_j
    items: list[str]
    wordings: dict[str, str]
    groups: list[str]
    counts: dict[tuple[str, str], list[int]]
    non_scale: dict[tuple[str, str], int] | None


def item_order(table: pd.DataFrame, sort: str | Sequence[str] = "codebook") -> list[str]:
    """The items of a grouped table in the order a chart shows them, top first.

    ``sort``: ``"codebook"`` (the order of first appearance in the table),
    ``"wai"`` (highest ``item_wai`` first), ``"top_box"`` (highest
    ``item_top_box`` first; ties keep the table's order) or a list of every
    item id in the wanted order.

    >>> t = pd.DataFrame({"item": ["a", "a", "b", "b"], "item_wai": [0.4, 0.4, 0.7, 0.7]})
    >>> item_order(t), item_order(t, "wai"), item_order(t, ["b", "a"])
    (['a', 'b'], ['b', 'a'], ['b', 'a'])
    """
    items = list(dict.fromkeys(str(i) for i in table["item"]))
    if not isinstance(sort, str):
        wanted = [str(x) for x in sort]
        if sorted(wanted) != sorted(items):
            raise ValueError(f"sort: a list must name every item once, in the wanted order; the table has "
                             f"{items}, the list {wanted}")
        return wanted
    if sort not in GROUPED_SORTS:
        raise ValueError(f"sort must be one of {list(GROUPED_SORTS)} or a list of item ids, got {sort!r}")
    if sort == "codebook":
        return items
    column = f"item_{sort}"
    if column not in table.columns:
        raise ValueError(f"sort={sort!r} needs the column {column!r} (the item's value over every group)")
    first = table.drop_duplicates("item").set_index(table.drop_duplicates("item")["item"].astype(str))
    values = pd.to_numeric(first[column], errors="coerce")
    return sorted(items, key=lambda i: -values[i] if pd.notna(values[i]) else math.inf)


def _grouped_rows(table: pd.DataFrame, names: Sequence[str], groups: Sequence[str] | None,
                  sort: str | Sequence[str], what: str) -> _GroupedRows:
    """Check the table of :func:`grouped_diverging_figure`; its rows in plotted order."""
    k = len(names)
    if k < 2:
        raise ValueError(f"{what}: labels must name at least 2 categories (lowest first), got {list(names)}")
    counts_cols = [f"count_{j}" for j in range(1, k + 1)]
    _require(table, ["item", "wording", "group", "n", *counts_cols], what)
    has_ns = "n_nonscale" in table.columns
    data = table.assign(item=table["item"].astype(str), group=table["group"].astype(str))
    present = list(dict.fromkeys(data["group"]))
    order_g = [str(g) for g in groups] if groups is not None else present
    unknown = [g for g in present if g not in order_g]
    if unknown:
        raise ValueError(f"{what}: group(s) {unknown} are in the table but not in groups={order_g}")
    counts: dict[tuple[str, str], list[int]] = {}
    non_scale: dict[tuple[str, str], int] = {}
    for row in data.itertuples(index=False):
        key = (str(row.item), str(row.group))
        if key in counts:
            raise ValueError(f"{what}: item {key[0]!r} and group {key[1]!r} appear in more than one row")
        values = [getattr(row, c) for c in counts_cols] + ([row.n_nonscale] if has_ns else [])
        if any(pd.isna(v) or float(v) < 0 or float(v) != int(float(v)) for v in values):
            raise ValueError(f"{what}: counts must be whole numbers >= 0; not so for item {key[0]!r}, "
                             f"group {key[1]!r}: {values}")
        counts[key] = [int(v) for v in values[:k]]
        if int(row.n) != sum(counts[key]):
            raise ValueError(f"{what}: count_1..count_{k} must sum to 'n'; not so for item {key[0]!r}, "
                             f"group {key[1]!r}")
        if has_ns:
            non_scale[key] = int(values[-1])
    items = item_order(data, sort)
    wordings = {str(i): str(w) for i, w in zip(data["item"], data["wording"])}
    out = []
    for i in items:
        for g in order_g:
            c = counts.setdefault((i, g), [0] * k)
            entry: dict[str, Any] = {"item": i, "wording": wordings[i], "group": g, "n": sum(c)}
            if has_ns:
                entry["n_nonscale"] = non_scale.setdefault((i, g), 0)
            entry.update({f"count_{j + 1}": c[j] for j in range(k)})
            entry.update({f"pct_{j + 1}": float(Fraction(100 * c[j], sum(c))) if sum(c) else math.nan
                          for j in range(k)})
            out.append(entry)
    return _GroupedRows(pd.DataFrame(out), items, wordings, order_g, counts, non_scale if has_ns else None)


def grouped_diverging_figure(
    table: pd.DataFrame,
    *,
    title: str,
    labels: Sequence[str],
    stem: str | Path,
    note: str = "",
    groups: Sequence[str] | None = None,
    sort: str | Sequence[str] = "codebook",
    layout: str = "rows",
    filled: bool = False,
    non_scale_label: str = "",
    caption: bool = True,
    formula_escape: bool = True,
) -> list[Path]:
    """Diverging (or 100 %) stacked bars of every item for every group, side by side.

    Each item gets one bar per group; the segments are the shares of the
    group's answers on the scale in each category. With ``layout="rows"``
    an item's wording heads a block of one bar per group (the group's name
    on the left, ``n = ...`` on the right); with ``layout="panels"`` each
    group is a panel of its own, side by side, items as rows. All bars
    share one neutral centre: the middle category of an odd scale is centred
    on 0 (an even scale splits between its two halves), and every panel has
    the same symmetric axis. With ``filled=True`` each bar runs from 0 to
    100 % instead. When the table has ``n_nonscale`` the non-scale answers
    ("Don't know") are drawn beside the bars in grey, each with its count
    and its share of everyone who answered the item.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per item and group: ``item``, ``wording``, ``group``, ``n``
        (answers on the scale) and ``count_1..count_K`` summing to ``n``
        (K = ``len(labels)``); optionally ``n_nonscale``, and ``item_wai`` /
        ``item_top_box`` (the item's value over everyone) for ``sort``.
    title : str
        Figure title.
    labels : sequence of str
        The category names, lowest first.
    stem : str or Path
        Output path without extension; ``stem.png``, ``stem.svg`` and ``stem.csv`` are written.
    note : str
        Caption printed small under the plot (with how to read it, :func:`grouped_caption`).
    groups : sequence of str, optional
        The groups in display order (a codebook's category order); default
        the order of first appearance. A group an item lacks gets an empty
        bar, ``n = 0``.
    sort : {"codebook", "wai", "top_box"} or list of str
        The item order (:func:`item_order`).
    layout : {"rows", "panels"}
    filled : bool
        100 % bars from 0 instead of bars diverging from the neutral centre.
    non_scale_label : str
        What the non-scale answers are called in the chart ("Don't know");
        default ``"Not on the scale"`` when the table has ``n_nonscale``.
    caption : bool
        Draw the title and the caption in the image (default); ``False``
        leaves both to the page that shows the figure.
    formula_escape : bool, default True
        Escape formula-like text cells of ``stem.csv`` (:func:`wai.io.write_csv`).

    Returns
    -------
    list of Path
        ``[stem.png, stem.svg, stem.csv]``; the CSV holds ``item, wording,
        group, n, [n_nonscale,] count_1..count_K, pct_1..pct_K`` in plotted
        order (``pct_j = count_j / n * 100``).

    Raises
    ------
    ValueError
        Fewer than 2 labels, an empty table, a missing column, counts that are
        not whole numbers >= 0 or do not sum to ``n``, an item and group in two
        rows, a group not in ``groups``, an unknown ``sort`` or ``layout``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> t = pd.DataFrame({"item": ["q1", "q1"], "wording": ["Peace", "Peace"], "group": ["F", "M"],
    ...                   "n": [4, 2], "count_1": [1, 0], "count_2": [1, 1], "count_3": [2, 1]})
    >>> p = grouped_diverging_figure(t, title="t", labels=["Low", "Mid", "High"],
    ...                              stem=pathlib.Path(tempfile.mkdtemp()) / "g", groups=["M", "F"])
    >>> p[2].read_text().splitlines()[1]
    'q1,Peace,M,2,0,1,1,0.0,50.0,50.0'
    """
    what = "grouped_diverging_figure"
    if layout not in GROUPED_LAYOUTS:
        raise ValueError(f"{what}: layout must be one of {list(GROUPED_LAYOUTS)}, got {layout!r}")
    names = [str(x) for x in labels] if not isinstance(labels, str) else [labels]
    rows = _grouped_rows(table, names, groups, sort, what)
    label_ns = (non_scale_label or "Not on the scale") if rows.non_scale is not None else ""
    text = grouped_caption(note, names, sort=sort, filled=filled, non_scale_label=label_ns,
                                  layout=layout) if caption else ""
    png, svg, csv = _paths(stem)
    with matplotlib.rc_context(_RC):
        draw = _grouped_rows_layout if layout == "rows" else _grouped_panels_layout
        fig = draw(rows, names, filled, label_ns, title if caption else "", text)
        _render(fig, png, svg)
    write_csv(csv, rows.data, formula_escape=formula_escape)
    return [png, svg, csv]


def _bar_geometry(counts: Sequence[int], k: int, filled: bool) -> tuple[list[float], float]:
    """A bar's segment widths (percent) and where it starts: left of 0 by its lower half, or at 0 when filled."""
    n = sum(counts)
    pcts = [float(Fraction(100 * c, n)) if n else 0.0 for c in counts]
    if filled or not n:
        return pcts, 0.0
    half = k // 2
    return pcts, -(sum(pcts[:half]) + (pcts[half] / 2 if k % 2 else 0.0))


def _grouped_axis(rows: _GroupedRows, k: int, filled: bool) -> tuple[float, float, list[float]]:
    """The x limits and ticks every panel shares."""
    if filled:
        return 0.0, 100.0, [0.0, 25.0, 50.0, 75.0, 100.0]
    starts = [_bar_geometry(c, k, False)[1] for c in rows.counts.values() if sum(c)]
    reach = max((max(-s, s + 100.0) for s in starts), default=50.0)
    xmax, step = next(((r, t) for r, t in _DIVERGING_RANGES if r >= reach + 0.5), (100.0, 25.0))
    return -xmax, xmax, [step * i for i in range(-round(xmax / step), round(xmax / step) + 1)]


def _draw_group_bars(ax: Any, bars: Sequence[tuple[float, Sequence[int]]], k: int, filled: bool,
                     palette: Sequence[str], names: Sequence[str], height: float) -> list[Any]:
    """Stacked bars at the given y positions (one container per category, lowest first)."""
    geometry = [_bar_geometry(c, k, filled) for _, c in bars]
    ys = [y for y, _ in bars]
    left = [start for _, start in geometry]
    segments = []
    for j in range(k):
        widths = [g[0][j] for g in geometry]
        segments.append(ax.barh(ys, widths, left=left, height=height, color=palette[j], edgecolor="white",
                                linewidth=0.7, zorder=2, label=names[j]))
        left = [a + w for a, w in zip(left, widths)]
    return segments


def _percent_axis(ax: Any, low: float, high: float, ticks: Sequence[float], filled: bool) -> None:
    ax.set_xlim(low, high)
    ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks])
    ax.xaxis.grid(True, color="#d9d9d9", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    if not filled:
        ax.axvline(0, color="#333333", linewidth=0.9, zorder=3)
    ax.set_xlabel("Share of answers on the scale (%)")
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_color(_GRID)


def _grouped_segment_labels(fig: Figure, ax: Any, segments: Sequence[Any], palette: Sequence[str],
                            counts: Sequence[Sequence[int]]) -> None:
    """Each segment's share, rounded half up to a whole percent from the exact share, where it fits."""
    renderer = _renderer(fig)
    widths: dict[str, float] = {}
    for j, bars in enumerate(segments):
        ink = "white" if _luminance(palette[j]) < 0.5 else _TEXT
        for bar, c in zip(bars, counts):
            if not c[j]:
                continue
            _label_inside(ax, renderer, widths, bar, (bar.get_x() + bar.get_width() / 2,
                                                      bar.get_y() + bar.get_height() / 2),
                          format_fixed(Fraction(100 * c[j], sum(c)), 0), color=ink)


def _non_scale_axis(ax: Any, rows: _GroupedRows, ys: Sequence[tuple[float, tuple[str, str]]],
                    label: str) -> None:
    """The non-scale answers beside the bars: a grey bar of their share, its count and share as text."""
    assert rows.non_scale is not None
    shares = []
    for y, key in ys:
        extra, n = rows.non_scale[key], sum(rows.counts[key])
        share = float(Fraction(100 * extra, extra + n)) if extra + n else 0.0
        shares.append(share)
        ax.barh(y, share, height=0.62, color=_NON_SCALE_BAR, edgecolor="none", zorder=2)
        ax.annotate(f"{extra} ({format_fixed(Fraction(100 * extra, extra + n), 0) if extra + n else 0}%)",
                    xy=(share, y), xytext=(3, 0), textcoords="offset points", va="center", ha="left",
                    fontsize=7.5, color=_TEXT, annotation_clip=False, in_layout=False)
    top = max(max(shares, default=0.0) * 2.2, 20.0)
    ax.set_xlim(0, top)
    ax.set_xticks([])
    ax.set_title(_wrap(label, 14), fontsize=8, fontweight="normal", color="#444444", loc="left")
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0, labelleft=False)


def _grouped_rows_layout(rows: _GroupedRows, names: Sequence[str], filled: bool, non_scale: str,
                         title: str, caption: str) -> Figure:
    """Rows: each item's wording over one bar per group; n on the right, non-scale answers beside."""
    k = len(names)
    palette = likert_colours(k)
    low, high, ticks = _grouped_axis(rows, k, filled)
    bars: list[tuple[float, tuple[str, str]]] = []
    heads: list[tuple[float, str]] = []
    y = 0.0
    for item in rows.items:
        wording = _wrap(rows.wordings[item], 80)
        lines = wording.count("\n") + 1
        heads.append((y + 0.3 * (lines - 1), wording))
        y += 0.45 + 0.6 * lines
        for g in rows.groups:
            bars.append((y, (item, g)))
            y += 1.0
        y += 0.25
    unit = 0.23  # inches per unit of y
    legend_lines = _legend_lines(names)
    head = 0.45 + _title_height(title) + 0.14 * legend_lines
    foot = 0.5 + _note_height(caption)
    fig = _new_figure(8.0, head + foot + unit * y)
    if non_scale:
        grid = fig.add_gridspec(1, 2, width_ratios=[6.2, 1.0])
        ax = fig.add_subplot(grid[0])
        side = fig.add_subplot(grid[1], sharey=ax)
    else:
        ax, side = fig.add_subplot(), None
    segments = _draw_group_bars(ax, [(b, rows.counts[key]) for b, key in bars], k, filled, palette, names, 0.72)
    _percent_axis(ax, low, high, ticks, filled)
    ax.set_ylim(y - 0.25, -0.9)
    ax.set_yticks([b for b, _ in bars], [g for _, (_, g) in bars])
    ax.tick_params(axis="y", length=0, pad=4)
    for hy, wording in heads:  # the wording over its bars, from the left end of the group names
        ax.annotate(wording, xy=(0, hy), xycoords=("axes fraction", "data"), xytext=(-2, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=9, fontweight="bold",
                    color=_TEXT, annotation_clip=False)
    _right_labels(ax, [b for b, _ in bars], [f"n = {sum(rows.counts[key])}" for _, key in bars], pad=4)
    if side is not None:
        _non_scale_axis(side, rows, bars, non_scale)
    _title(fig, title)
    _caption(fig, ax, caption)
    _likert_legend(fig, ax, segments, names)  # leaves the layout solved
    _grouped_segment_labels(fig, ax, segments, palette, [rows.counts[key] for _, key in bars])
    return fig


def _grouped_panels_layout(rows: _GroupedRows, names: Sequence[str], filled: bool, non_scale: str,
                           title: str, caption: str) -> Figure:
    """Panels: one per group, side by side, items as rows (wordings on the first), n under each bar's end."""
    k = len(names)
    palette = likert_colours(k)
    low, high, ticks = _grouped_axis(rows, k, filled)
    wordings = [_wrap(rows.wordings[i], 28) for i in rows.items]
    lines = max(w.count("\n") + 1 for w in wordings)
    slot = max(0.42, 0.14 * lines + 0.2)
    m, g = len(rows.items), len(rows.groups)
    legend_lines = _legend_lines(names)
    head = 0.7 + _title_height(title) + 0.14 * legend_lines
    foot = 0.5 + _note_height(caption)
    fig = _new_figure(max(8.0, 2.2 + 2.9 * g), head + foot + slot * m)
    axes = [fig.add_subplot(1, g, 1)]
    axes += [fig.add_subplot(1, g, j + 1, sharey=axes[0]) for j in range(1, g)]
    segments: list[Any] = []
    for j, (ax, group) in enumerate(zip(axes, rows.groups)):
        keys = [(item, group) for item in rows.items]
        segments = _draw_group_bars(ax, [(float(i), rows.counts[key]) for i, key in enumerate(keys)], k, filled,
                                    palette, names, 0.62)
        _percent_axis(ax, low, high, ticks[::2] if len(ticks) > 5 else ticks, filled)
        ax.set_title(group, fontsize=10, fontweight="bold", color=_TEXT, loc="center")
        ns = [f"n = {sum(rows.counts[key])}" + (f"\n+{rows.non_scale[key]} {non_scale}"
                                                if rows.non_scale is not None and rows.non_scale[key] else "")
              for key in keys]
        _right_labels(ax, list(range(m)), ns, pad=3, size=7.5)
        if j:
            ax.tick_params(axis="y", labelleft=False, length=0)
    axes[0].set_yticks(list(range(m)), wordings)
    axes[0].set_ylim(m - 0.45, -0.55)
    axes[0].tick_params(axis="y", length=0, pad=6)
    _title(fig, title)
    _caption(fig, axes[0], caption)
    _left_align_wrapped(fig, axes[0])  # (text widths: no layout needed)
    axes[0].legend(handles=segments, labels=[_wrap(x, 20) for x in names], loc="lower left",
                   bbox_to_anchor=(0.0, 1.07), ncol=k, frameon=False, fontsize=8.5, handlelength=1.1,
                   handleheight=1.1, handletextpad=0.4, columnspacing=1.1, borderaxespad=0.0)
    # The legend's gap above the axes is a share of their height, which the layout changes: a second
    # pass settles it (to a hundredth of a point).
    _lay_out(fig)
    _lay_out(fig)
    for ax, group in zip(axes, rows.groups):
        _grouped_segment_labels(fig, ax, ax.containers[:k], palette,
                                [rows.counts[(item, group)] for item in rows.items])
    return fig
