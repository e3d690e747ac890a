"""SVG charts of the evaluation report: share bars and effect intervals (a forest plot).

Pure functions, numbers in, SVG text out, drawn with the shapes and text helpers of
`reports.charts`, so the labels are outlined by `reports.glyphs` like every other chart and
look the same in the HTML and the PDF. Values arrive with their display text; only the effect
axis formats its own ticks. Sizes are in CSS pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from factory_journey.reports.charts import GRID, INK, MUTED, SERIES, svg_root, svg_text


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, length value (None = no data), shown text and a note after it."""

    label: str
    value: float | None
    text: str = ""
    note: str = ""
    colour: str = SERIES[0]


@dataclass(frozen=True, slots=True)
class Interval:
    """One estimate with its interval, for an effect chart [unit of the chart]."""

    label: str
    estimate: float | None
    low: float | None
    high: float | None
    note: str = ""


def bar_chart(bars: Sequence[Bar], title: str, *, maximum: float | None = None,
              width: float = 640, label_width: float = 200) -> str:
    """Horizontal bars, one per row, each followed by its text and note (the counts).

    `maximum` is the value of a full bar (1.0 for shares); default: the largest value.
    """
    row_h, gap, top, text_w, note_w = 20.0, 7.0, 4.0, 48.0, 120.0
    plot_w = max(width - label_width - text_w - note_w, 60.0)
    top_value = maximum or max([b.value for b in bars if b.value is not None] or [1.0]) or 1.0
    parts = []
    for i, bar in enumerate(bars):
        y = top + i * (row_h + gap)
        base = y + row_h * 0.7
        parts.append(svg_text(label_width - 8, base, bar.label, 11, INK, "end"))
        parts.append(f'<rect x="{label_width:.1f}" y="{y:.1f}" width="{plot_w:.1f}" '
                     f'height="{row_h:.1f}" fill="{GRID}" opacity="0.5"/>')
        if bar.value is None:
            parts.append(svg_text(label_width + 6, base, "no data", 11, MUTED))
        else:
            length = max(min(bar.value / top_value, 1.0), 0.0) * plot_w
            parts.append(f'<rect x="{label_width:.1f}" y="{y:.1f}" width="{length:.1f}" '
                         f'height="{row_h:.1f}" fill="{bar.colour}"/>')
            parts.append(svg_text(label_width + plot_w + 6, base, bar.text, 11, INK,
                                  weight="bold"))
        if bar.note:
            parts.append(svg_text(label_width + plot_w + text_w + 4, base, bar.note, 10, MUTED))
    height = top * 2 + len(bars) * (row_h + gap) - gap
    return svg_root(width, height, "".join(parts), title)


def _arrow(x: float, y: float, pointing_left: bool) -> str:
    """A small filled triangle (the shipped fonts have no arrow glyph)."""
    tip, back = (x, x + 7) if pointing_left else (x, x - 7)
    return (f'<polygon points="{tip:.1f},{y:.1f} {back:.1f},{y - 4:.1f} {back:.1f},{y + 4:.1f}" '
            f'fill="{SERIES[0]}"/>')


def effect_chart(rows: Sequence[Interval], title: str, unit: str, *, lower_is_better: bool,
                 width: float = 640, label_width: float = 200) -> str:
    """Estimates as dots with interval whiskers around a zero line.

    The axis says on which side of zero a group did better than the control group; a row
    without an estimate has no dot, only its note (e.g. too few facilities) on the right.
    """
    row_h, top, axis_h, note_w = 24.0, 6.0, 34.0, 130.0
    plot_w = max(width - label_width - note_w, 80.0)
    values = [v for r in rows for v in (r.estimate, r.low, r.high) if v is not None]
    span = max([abs(v) for v in values] or [1.0]) * 1.1 or 1.0

    def x_of(value: float) -> float:
        return label_width + (value + span) / (2 * span) * plot_w

    bottom = top + len(rows) * row_h
    zero = x_of(0.0)
    parts = [f'<line x1="{zero:.1f}" y1="{top:.1f}" x2="{zero:.1f}" y2="{bottom:.1f}" '
             f'stroke="{MUTED}" stroke-dasharray="3 3"/>',
             f'<line x1="{label_width:.1f}" y1="{bottom:.1f}" x2="{label_width + plot_w:.1f}" '
             f'y2="{bottom:.1f}" stroke="{GRID}"/>']
    for i, row in enumerate(rows):
        y = top + i * row_h + row_h / 2
        parts.append(svg_text(label_width - 8, y + 4, row.label, 11, INK, "end"))
        parts.append(svg_text(label_width + plot_w + 8, y + 4, row.note, 10, MUTED))
        if row.estimate is None:
            continue
        if row.low is not None and row.high is not None:
            parts.append(f'<line x1="{x_of(row.low):.1f}" y1="{y:.1f}" x2="{x_of(row.high):.1f}" '
                         f'y2="{y:.1f}" stroke="{INK}" stroke-width="2"/>')
        parts.append(f'<circle cx="{x_of(row.estimate):.1f}" cy="{y:.1f}" r="4.5" '
                     f'fill="{SERIES[0]}"/>')
    tick_y = bottom + 13
    for value in (-span, 0.0, span):
        parts.append(svg_text(x_of(value), tick_y, f"{value:+.1f}", 10, MUTED, "middle"))
    legend_y = tick_y + 15
    parts.append(svg_text(label_width + plot_w / 2, legend_y, unit, 10, MUTED, "middle"))
    if lower_is_better:
        parts.append(_arrow(label_width, legend_y - 4, pointing_left=True))
        parts.append(svg_text(label_width + 10, legend_y, "better than control", 10, SERIES[0]))
    else:
        right = label_width + plot_w
        parts.append(_arrow(right, legend_y - 4, pointing_left=False))
        parts.append(svg_text(right - 10, legend_y, "better than control", 10, SERIES[0],
                              "end"))
    return svg_root(width, bottom + axis_h, "".join(parts), title)
