"""Figures for a paper: respondents by category and WAI per item, banded.

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
from pathlib import Path
from typing import Any, Sequence

import pandas as pd
import matplotlib
from matplotlib import colormaps, colors
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from wai.bands import CHAPTER11_BANDS, BandScheme
from wai.io import write_bytes, write_csv

__all__ = ["distribution_figure", "wai_figure", "band_colours", "DPI"]

DPI = 150
"""Resolution of the PNG files."""

_RC: dict[str, Any] = {
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
}
_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None}

_TEXT = "#222222"
_GRID = "#6b6b6b"
_DIST_BAR = "#3b6e9c"
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
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(h_pad=0.06, w_pad=0.06, hspace=0.0, wspace=0.0)
    return fig


def _render(fig: Figure, png: Path, svg: Path) -> None:
    for path, fmt, meta in ((png, "png", _PNG_METADATA), (svg, "svg", _SVG_METADATA)):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=meta, bbox_inches="tight",
                    pad_inches=0.08, facecolor="white")
        write_bytes(path, buffer.getvalue())


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(" ".join(str(text).split()), width=width)) or " "


def _require(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{what} needs a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{what}: the table lacks column(s) {missing}; it needs {list(columns)}")
    if len(table) == 0:
        raise ValueError(f"{what}: the table is empty (no rows), so there is nothing to plot")


def _numbers(table: pd.DataFrame, column: str, what: str, key: str) -> list[float]:
    values = pd.to_numeric(table[column], errors="coerce")
    if values.isna().any():
        bad = [str(k) for k, v in zip(table[key], values) if pd.isna(v)]
        raise ValueError(f"{what}: column {column!r} must be a number for every row; missing or "
                         f"not a number for {key} {bad}")
    out = [float(v) for v in values]
    inf = [str(k) for k, v in zip(table[key], out) if not math.isfinite(v)]
    if inf:
        raise ValueError(f"{what}: column {column!r} is infinite for {key} {inf}")
    return out


def _caption(fig: Figure, ax: Any, note: str) -> None:
    """The note, wrapped, left-aligned under the x-axis label."""
    if not note.strip():
        return
    text = "\n".join(_wrap(part, _NOTE_WIDTH) for part in note.strip().split("\n"))
    ax.annotate(text, xy=(0.0, 0.0), xycoords=(fig.transFigure, ax.xaxis.label),
                xytext=(0, -8), textcoords="offset points", ha="left", va="top",
                fontsize=8, color="#444444", annotation_clip=False)


def _title(fig: Figure, title: str) -> None:
    """The title, wrapped, left-aligned with the caption at the figure's left edge."""
    fig.suptitle(_wrap(title, _TITLE_WIDTH), x=0.0, ha="left", fontsize=11, fontweight="bold",
                 color=_TEXT)


def _left_align_wrapped(fig: Figure, ax: Any) -> None:
    """Align multi-line y labels on their left edge, like a table column."""
    labels = ax.get_yticklabels()
    if not any("\n" in t.get_text() for t in labels):
        return
    renderer = fig.canvas.get_renderer()
    widest = max(t.get_window_extent(renderer).width for t in labels) * 72 / fig.dpi
    for t in labels:
        t.set_horizontalalignment("left")
    ax.tick_params(axis="y", pad=widest + 6)


def _overflow(fig: Figure, ax: Any, label: Any) -> float:
    """How far (pixels) a text sticks out past the right edge of the axes."""
    renderer = fig.canvas.get_renderer()
    return label.get_window_extent(renderer).x1 - ax.get_window_extent(renderer).x1


# --------------------------------------------------------------------------- distribution


def distribution_figure(
    table: pd.DataFrame,
    *,
    title: str,
    stem: str | Path,
    note: str = "",
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
    what = "distribution_figure"
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

    labels = [_wrap(c, _CATEGORY_WIDTH) for c in data["category"]]
    lines = max(label.count("\n") + 1 for label in labels)
    slot = max(0.34, 0.15 * lines + 0.14)
    k = len(labels)
    head = 0.35 + 0.2 * (_wrap(title, _TITLE_WIDTH).count("\n") + 1)
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
        fig.draw_without_rendering()
        _left_align_wrapped(fig, ax)
        # the shortest round axis from 0 that holds every bar and its label, never past 100 %;
        # a label that still does not fit goes inside its bar
        for _ in range(6):
            fig.draw_without_rendering()
            renderer = fig.canvas.get_renderer()
            width = ax.get_window_extent(renderer).width
            need = [t.get_window_extent(renderer).width + 8 * fig.dpi / 72 for t in texts]
            wanted = max(p * width / (width - w) if w < width else math.inf
                         for p, w in zip(percents, need))
            xmax = min(_nice_ceiling(wanted), 100.0) if math.isfinite(wanted) else 100.0
            ax.set_xlim(0, xmax)
            fig.draw_without_rendering()
            if max(_overflow(fig, ax, t) for t in texts) <= -2 or xmax == 100.0:
                break
        for text in texts:
            if _overflow(fig, ax, text) > -2:
                text.set_position((-4, 0))
                text.set_horizontalalignment("right")
                text.set_color("white")
                text.set_bbox(None)
        _render(fig, png, svg)

    write_csv(csv, data)
    return [png, svg, csv]


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

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``item``, ``wording``, ``n`` (int), ``wai`` (0..1),
        ``wai_rounded`` (str, e.g. ``"0.60"``), ``band`` (a label or synonym
        of ``bands``) and optionally ``target_status``
        (``"published"``/``"illustrative"``).
    title : str
        Figure title.
    bands : BandScheme
        Bands to shade and colour by.
    stem : str or Path
        Output path without extension; ``stem.png``, ``stem.svg`` and
        ``stem.csv`` are written.
    note : str
        Caption printed small under the plot.

    Returns
    -------
    list of Path
        ``[stem.png, stem.svg, stem.csv]``; the CSV holds ``item, wording, n,
        wai, wai_rounded, band`` (and ``target_status`` when given) as passed.

    Raises
    ------
    ValueError
        An empty table, a missing column, a ``wai`` outside 0..1 or missing,
        an ``n`` that is not a whole number >= 0, a band that is not in
        ``bands``, or an unknown ``target_status``.
    """
    what = "wai_figure"
    columns = ["item", "wording", "n", "wai", "wai_rounded", "band"]
    _require(table, columns, what)
    if "target_status" in table.columns:
        columns.append("target_status")
    data = table[columns].reset_index(drop=True)

    values = _numbers(data, "wai", what, "item")
    bad = [f"{i} ({v:g})" for i, v in zip(data["item"], values) if not 0.0 <= v <= 1.0]
    if bad:
        raise ValueError(f"{what}: column 'wai' must lie in 0..1 (the index range); outside for item {bad}")
    ns = _numbers(data, "n", what, "item")
    bad = [str(i) for i, v in zip(data["item"], ns) if v < 0 or v != int(v)]
    if bad:
        raise ValueError(f"{what}: column 'n' must hold whole numbers >= 0; not so for item {bad}")
    ns_int = [int(v) for v in ns]
    try:
        canon = [bands.canonical(str(b)) for b in data["band"]]
    except ValueError as exc:
        raise ValueError(f"{what}: column 'band': {exc}") from None
    illustrative = [False] * len(data)
    if "target_status" in data.columns:
        status = [str(s).strip().lower() for s in data["target_status"]]
        bad = [f"{i} ({s!r})" for i, s in zip(data["item"], data["target_status"])
               if str(s).strip().lower() not in ("published", "illustrative")]
        if bad:
            raise ValueError(f"{what}: column 'target_status' must be 'published' or 'illustrative'; "
                             f"not so for item {bad}")
        illustrative = [s == "illustrative" for s in status]
    printed = [str(v) if pd.notna(v) else f"{x:.{bands.decimals}f}"
               for v, x in zip(data["wai_rounded"], values)]

    palette = band_colours(bands)
    n_varies = len(set(ns_int)) > 1
    caption = note.strip()
    if not n_varies and not re.search(rf"\bn\s*=\s*{ns_int[0]}\b", caption):
        caption = f"n = {ns_int[0]} respondents per item. {caption}".strip()
    if any(illustrative):
        caption = (caption + "\n" if caption else "") + "Hatched bars: illustrative values, not published."

    labels = [_wrap(w, _WORDING_WIDTH) for w in data["wording"]]
    lines = max(label.count("\n") + 1 for label in labels)
    slot = max(0.40, 0.14 * lines + 0.17)
    k = len(labels)
    head = 0.75 + 0.2 * (_wrap(title, _TITLE_WIDTH).count("\n") + 1)
    foot = 0.55 + (0.155 * (sum(len(textwrap.wrap(p, _NOTE_WIDTH)) for p in caption.split("\n")) + 0.3)
                   if caption else 0)
    png, svg, csv = _paths(stem)

    with matplotlib.rc_context(_RC):
        fig = _new_figure(8.0, head + foot + slot * k)
        ax = fig.add_subplot()
        lo = float(bands.bands[0].low)
        hi = float(bands.bands[-1].high)
        edges = [lo] + [float(b) for b in bands.breaks] + [hi]
        for band, x0, x1 in zip(bands.bands, edges, edges[1:]):
            ax.axvspan(x0, x1, color=palette[band.label], alpha=0.2, linewidth=0, zorder=0)
        for x in edges[1:-1]:
            ax.axvline(x, color=_GRID, linewidth=0.7, linestyle=(0, (4, 3)), zorder=1)

        y = list(range(k))
        bars = ax.barh(y, values, height=0.6, color=[palette[b] for b in canon], edgecolor="#333333",
                       linewidth=0.6, zorder=2)
        for bar, hatched, b in zip(bars, illustrative, canon):
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

        # band names and printed ranges along the top
        top = ax.secondary_xaxis("top")
        mids = [(a + b) / 2 for a, b in zip(edges, edges[1:])]
        top.set_xticks(mids, [f"{b.label}\n{float(b.low):.{bands.decimals}f}\u2013{float(b.high):.{bands.decimals}f}"
                              for b in bands.bands])
        top.tick_params(axis="x", length=0, pad=3, labelsize=8, labelcolor="#333333")
        top.spines["top"].set_visible(False)

        if n_varies:
            right = ax.secondary_yaxis("right")
            right.set_yticks(y, [f"n = {n}" for n in ns_int])
            right.tick_params(axis="y", length=0, pad=4, labelsize=8, labelcolor="#444444")
            right.spines["right"].set_visible(False)

        texts = []
        for i, (x, p, b) in enumerate(zip(values, printed, canon)):
            texts.append(ax.annotate(f"{p} {b}", xy=(x, i), xytext=(4, 0), textcoords="offset points",
                                     va="center", ha="left", fontsize=8.5, color=_TEXT,
                                     in_layout=False, annotation_clip=False, zorder=4,
                                     bbox=_LABEL_BOX))
        _title(fig, title)
        _caption(fig, ax, caption)

        fig.draw_without_rendering()
        _fit_top_labels(fig, top)
        _left_align_wrapped(fig, ax)
        fig.draw_without_rendering()
        # a label that would run past the right end goes inside its bar
        for text, x, b in zip(texts, values, canon):
            if _overflow(fig, ax, text) > -2:
                dark = _luminance(palette[b]) < 0.45
                text.set_position((-4, 0))
                text.set_horizontalalignment("right")
                text.set_color("white" if dark else _TEXT)
                text.set_bbox(None)
        _render(fig, png, svg)

    write_csv(csv, data)
    return [png, svg, csv]


def _fit_top_labels(fig: Figure, top: Any) -> None:
    """Drop the printed ranges, then shrink, when band names along the top collide."""
    renderer = fig.canvas.get_renderer()

    def collide() -> bool:
        boxes = [t.get_window_extent(renderer) for t in top.get_xticklabels()]
        return any(a.x1 + 3 > b.x0 for a, b in zip(boxes, boxes[1:]))

    if not collide():
        return
    for t in top.get_xticklabels():
        t.set_text(t.get_text().split("\n")[0])
    fig.draw_without_rendering()
    size = 8.0
    while collide() and size > 5:
        size -= 0.5
        top.tick_params(axis="x", labelsize=size)
        fig.draw_without_rendering()


def _luminance(colour: str) -> float:
    r, g, b = colors.to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
