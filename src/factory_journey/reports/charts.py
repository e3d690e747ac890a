"""SVG charts for reports: small pure functions, text in, SVG string out.

The same SVG string is embedded in the HTML report and in the PDF (typst renders SVG itself),
so the charts look the same in both. Numbers arrive already formatted for the report's locale;
these functions only place shapes and text. No network, no browser, no plotting library.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from xml.sax.saxutils import escape

FONT = ("'Noto Sans', 'Noto Sans Bengali', 'Noto Sans Khmer', 'Noto Sans Ethiopic', "
        "'Noto Sans CJK SC', sans-serif")
#: Font order per report language. The script's own font comes first: SVG renderers pick a
#: font per character, and a Bengali or Khmer cluster split across fonts is shaped wrongly.
#: Then the same font as the web pages ship it ('Journey …', declared by @font-face in
#: web/static/pages/pages.css from these fonts/): a chart set into a page keeps its `<text>`,
#: and a phone with no system font for the script (Debian's Chromium has no CJK font) would
#: draw boxes. The PDF and the HTML report outline the text (`glyphs`), whatever the names.
SCRIPT_FONTS = {
    "bn": "'Noto Sans Bengali', 'Journey Bengali', 'Noto Sans', sans-serif",
    "km": "'Noto Sans Khmer', 'Journey Khmer', 'Noto Sans', sans-serif",
    "am": "'Noto Sans Ethiopic', 'Journey Ethiopic', 'Noto Sans', sans-serif",
    "zh": "'Noto Sans CJK SC', 'Journey Chinese', 'Noto Sans', sans-serif",
}


def font_for(lang: str) -> str:
    """The SVG font-family list for a report language."""
    return SCRIPT_FONTS.get(lang, FONT)


INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
LEVEL_COLOURS = {"high": "#c2410c", "low": "#15803d", "not_assessed": "#9ca3af"}
LEVEL_FILLS = {"high": "#fff1e6", "low": "#ecfdf3", "not_assessed": "#f3f4f6"}
SERIES = ["#1d4ed8", "#c2410c", "#15803d", "#7c3aed", "#0891b2", "#b45309", "#be185d"]


def svg_root(width: float, height: float, body: str, title: str, font: str = FONT) -> str:
    """An `<svg>` element of `width` × `height` px around `body`, titled (escaped) `title`."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" font-family="{font}" role="img">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def svg_text(
    x: float,
    y: float,
    text: str,
    size: float = 11,
    fill: str = INK,
    anchor: str = "start",
    weight: str = "normal",
) -> str:
    """One escaped `<text>`; its attribute order is what `glyphs.outline_text` reads."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{fill}" '
        f'text-anchor="{anchor}" font-weight="{weight}">{escape(text)}</text>'
    )


def area_overview(
    rows: Sequence[dict[str, str]], title: str, width: float = 400, font: str = FONT
) -> str:
    """One-glance chart of the impact areas: a row per area with its opportunity level.

    rows: dicts with `label` (area name), `level` (`high`, `low`, `not_assessed`) and
    `level_label` (the level in the report language).
    """
    row_h, gap, pill_w = 30.0, 5.0, 150.0
    height = len(rows) * (row_h + gap) - gap + 2
    parts = []
    for i, row in enumerate(rows):
        y = 1 + i * (row_h + gap)
        level = row["level"]
        colour, fill = LEVEL_COLOURS[level], LEVEL_FILLS[level]
        parts.append(
            f'<rect x="0.5" y="{y:.1f}" width="{width - 1:g}" height="{row_h:g}" rx="5" '
            f'fill="{fill}" stroke="{colour}" stroke-width="1"/>'
            f'<rect x="0.5" y="{y:.1f}" width="7" height="{row_h:g}" rx="3" fill="{colour}"/>'
        )
        parts.append(svg_text(16, y + row_h / 2 + 4.5, row["label"], 13, INK, weight="bold"))
        px = width - pill_w - 8
        dash = ' stroke-dasharray="3 2"' if level == "not_assessed" else ""
        parts.append(
            f'<rect x="{px:.1f}" y="{y + 5:.1f}" width="{pill_w:g}" height="{row_h - 10:g}" '
            f'rx="10" fill="{colour if level != "not_assessed" else "#ffffff"}" '
            f'stroke="{colour}"{dash}/>'
        )
        text_fill = "#ffffff" if level != "not_assessed" else INK
        parts.append(
            svg_text(
                px + pill_w / 2,
                y + row_h / 2 + 4,
                row["level_label"],
                11.5,
                text_fill,
                "middle",
                "bold",
            )
        )
    return svg_root(width, height, "".join(parts), title, font)


def indicator_bars(
    bars: Sequence[dict[str, object]], title: str, width: float = 330, font: str = FONT
) -> str:
    """Horizontal bars comparing a facility's value with its threshold and peers.

    bars: dicts with `label`, `value` (float, may be None), `text` (the formatted value) and
    `kind` (`facility_worse`, `facility_ok`, `threshold`, `peer`). Scale starts at zero.
    """
    row_h, gap = 17.0, 5.0
    # The labels' column as wide as the longest label needs (within 42 % of the chart), else
    # the labels smaller: "Peer median" is three words in some languages, and a right-aligned
    # label wider than its column was cut at the chart's left edge.
    needed = max((_text_width(str(b["label"]), 11) for b in bars), default=0.0) + 8
    label_w = min(max(92.0, needed), width * 0.42)
    values = [float(v) for b in bars if isinstance(v := b.get("value"), int | float)]
    top = max(values) if values else 1.0
    top = top * 1.15 if top > 0 else 1.0
    plot_w = width - label_w - 78
    fills = {
        "facility_worse": LEVEL_COLOURS["high"],
        "facility_ok": LEVEL_COLOURS["low"],
        "threshold": "#374151",
        "peer": "#93c5fd",
    }
    parts = []
    for i, bar in enumerate(bars):
        y = i * (row_h + gap)
        parts.append(_bar_label(label_w - 6, y + row_h / 2 + 4, str(bar["label"]),
                                label_w - 8))
        value = bar.get("value")
        if isinstance(value, int | float):
            w = max(1.5, plot_w * float(value) / top)
            parts.append(
                f'<rect x="{label_w:g}" y="{y:.1f}" width="{w:.1f}" height="{row_h:g}" rx="2" '
                f'fill="{fills[str(bar["kind"])]}"/>'
            )
            parts.append(svg_text(label_w + w + 5, y + row_h / 2 + 4, str(bar["text"]), 11, INK))
        else:
            parts.append(svg_text(label_w + 2, y + row_h / 2 + 4, str(bar["text"]), 11, MUTED))
    height = len(bars) * (row_h + gap) - gap
    parts.insert(
        0, f'<line x1="{label_w:g}" y1="0" x2="{label_w:g}" y2="{height:g}" stroke="{GRID}"/>'
    )
    return svg_root(width, height, "".join(parts), title, font)


#: A bar label's size [px], the smallest it gets on one line, and its size on two lines.
BAR_LABEL, BAR_LABEL_SMALLEST, BAR_LABEL_TWO_LINES = 11.0, 9.0, 8.5


def _bar_label(x: float, y: float, text: str, width: float) -> str:
    """A bar's label, right-aligned at `x` within `width` [px]: one line, a little smaller if
    need be; else two lines (at a space or between clusters) in the bar's height; else one
    line as small as it must be."""
    fit = width / max(_text_width(text, 1), 1e-9)
    if fit >= BAR_LABEL_SMALLEST:
        return svg_text(x, y, text, round(min(BAR_LABEL, fit), 1), MUTED, "end")
    halves = _halves(text)
    if halves is None:
        return svg_text(x, y, text, round(fit, 1), MUTED, "end")
    first, second = halves
    small = round(min(BAR_LABEL_TWO_LINES,
                      width / max(_text_width(first, 1), _text_width(second, 1))), 1)
    return (svg_text(x, y - small * 0.6, first, small, MUTED, "end")
            + svg_text(x, y + small * 0.5, second, small, MUTED, "end"))


def trend_lines(
    years: Sequence[int],
    series: Sequence[dict[str, object]],
    title: str,
    tick_text: Sequence[str],
    ticks: Sequence[float],
    width: float = 340,
    height: float = 170,
    font: str = FONT,
) -> str:
    """Line chart of yearly values; `series`: dicts with `label` and `values` (floats/None).

    `ticks` are y-axis values and `tick_text` their locale-formatted labels, so the chart does
    no number formatting of its own.
    """
    left, right, top_pad, bottom = 52.0, 14.0, 10.0, 42.0
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    lo, hi = (min(ticks), max(ticks)) if ticks else (0.0, 1.0)
    span = (hi - lo) or 1.0
    n = len(years)

    def x_of(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y_of(v: float) -> float:
        return top_pad + plot_h * (1 - (v - lo) / span)

    parts = []
    for tick, text in zip(ticks, tick_text, strict=True):
        y = y_of(tick)
        parts.append(
            f'<line x1="{left:g}" y1="{y:.1f}" x2="{width - right:g}" y2="{y:.1f}" '
            f'stroke="{GRID}"/>'
        )
        parts.append(svg_text(left - 6, y + 4, text, 11, MUTED, "end"))
    for i, year in enumerate(years):
        parts.append(svg_text(x_of(i), height - bottom + 17, str(year), 11, MUTED, "middle"))
    for k, line in enumerate(series):
        colour = SERIES[k % len(SERIES)]
        values = list(line["values"])  # type: ignore[call-overload]
        points = [(x_of(i), y_of(float(v))) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    legend_x = left
    for k, line in enumerate(series):
        colour = SERIES[k % len(SERIES)]
        y = height - 8
        parts.append(
            f'<rect x="{legend_x:.1f}" y="{y - 8:.1f}" width="10" height="3" fill="{colour}"/>'
        )
        label = str(line["label"])
        parts.append(svg_text(legend_x + 14, y - 3, label, 11, INK))
        legend_x += 28 + 7.0 * len(label)
    return svg_root(width, height, "".join(parts), title, font)


def _text_width(text: str, size: float) -> float:
    """Rough advance width of a label [px]: CJK full width, other scripts about 0.58 em."""
    wide = sum(1 for c in text if "\u2e80" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    return size * (wide + 0.58 * (len(text) - wide))


def _fitted_label(x: float, y: float, text: str, width: float, size: float = 10) -> str:
    """A centred column label: one line if it fits, else smaller, else two lines."""
    if _text_width(text, size) <= width:
        return svg_text(x, y, text, size, INK, "middle", "bold")
    small = max(8.0, size * width / _text_width(text, size))
    halves = None if _text_width(text, small) <= width else _halves(text)
    if halves is None:
        return svg_text(x, y, text, small, INK, "middle", "bold")
    first, second = halves
    size2 = min(size, width / max(_text_width(first, 1), _text_width(second, 1)))
    return (svg_text(x, y - size2 * 1.1, first, size2, INK, "middle", "bold")
            + svg_text(x, y, second, size2, INK, "middle", "bold"))


def _halves(text: str) -> tuple[str, str] | None:
    """`text` in two lines of about the same length: at a space, else (Khmer, Chinese,
    Thai-like scripts write words without spaces) between two characters that may be
    parted: not before a combining mark, nor after a virama or the Khmer coeng, which join
    the next consonant to their cluster. None when it cannot be parted."""
    if " " in text.strip():
        words = text.split(" ")
        cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i]))
                                                           - len(" ".join(words[i:]))))
        return " ".join(words[:cut]), " ".join(words[cut:])
    cuts = [i for i in range(1, len(text))
            if not unicodedata.category(text[i]).startswith("M")
            and unicodedata.combining(text[i - 1]) != _VIRAMA
            and text[i] not in _JOINERS and text[i - 1] not in _JOINERS]
    if not cuts:
        return None
    cut = min(cuts, key=lambda i: abs(_text_width(text[:i], 1) - _text_width(text[i:], 1)))
    return text[:cut], text[cut:]


#: Canonical combining class of a virama (Bengali hasanta, Khmer coeng U+17D2 …).
_VIRAMA = 9
_JOINERS = "\u200c\u200d"


def heatmap(
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    cells: Sequence[Sequence[float | None]],
    cell_text: Sequence[Sequence[str]],
    title: str,
    width: float = 520,
    font: str = FONT,
    label_width: float = 150.0,
) -> str:
    """Grid of shares 0–1 (share of facilities with a high opportunity), darker = more.

    `cells[r][c]` is the share (None = no facility assessed), `cell_text` its formatted text.
    """
    label_w, head_h, row_h = label_width, 36.0, 24.0
    n_cols = max(1, len(col_labels))
    cell_w = (width - label_w) / n_cols
    parts = []
    for c, label in enumerate(col_labels):
        cx = label_w + c * cell_w + cell_w / 2
        parts.append(_fitted_label(cx, head_h - 8, label, cell_w - 6))
    for r, label in enumerate(row_labels):
        y = head_h + r * row_h
        parts.append(svg_text(label_w - 8, y + row_h / 2 + 4, label, 10, INK, "end"))
        for c in range(len(col_labels)):
            share = cells[r][c]
            x = label_w + c * cell_w
            if share is None:
                fill, fg = "#f9fafb", MUTED
            else:
                alpha = 0.12 + 0.88 * max(0.0, min(1.0, share))
                fill = f'#c2410c" fill-opacity="{alpha:.2f}'
                fg = "#ffffff" if share >= 0.5 else INK
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y + 1:.1f}" width="{cell_w - 2:.1f}" '
                f'height="{row_h - 2:g}" rx="2" fill="{fill}"/>'
            )
            parts.append(
                svg_text(x + cell_w / 2, y + row_h / 2 + 4, cell_text[r][c], 10, fg, "middle")
            )
    height = head_h + len(row_labels) * row_h
    return svg_root(width, height, "".join(parts), title, font)


def nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round axis ticks covering [lo, hi], starting at zero for non-negative data."""
    lo = min(0.0, lo)
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / count
    magnitude = 10 ** int(f"{raw:e}".split("e")[1])
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = step * int(lo // step)
    ticks = []
    value = start
    while value < hi + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks
