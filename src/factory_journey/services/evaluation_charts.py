"""Small SVG charts for the evaluation report: pure functions, numbers in, SVG text out.

Inline SVG needs no network, JavaScript or plotting library, and prints as drawn. Every text is
escaped; sizes are in CSS pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT = "system-ui, 'Noto Sans', 'Segoe UI', Arial, sans-serif"
INK, MUTED, GRID = "#1f2937", "#6b7280", "#e5e7eb"
SERIES = ("#0f766e", "#1d4ed8", "#c2410c", "#7c3aed", "#6b7280", "#b45309", "#be185d")


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, value (None = no data) and the text written after it."""

    label: str
    value: float | None
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


def _svg(width: float, height: float, body: str, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" font-family="{FONT}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>{body}</svg>'
    )


def _text(x: float, y: float, text: str, *, size: float = 12, fill: str = INK,
          anchor: str = "start", weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{fill}" '
        f'text-anchor="{anchor}" font-weight="{weight}">{escape(text)}</text>'
    )


def bar_chart(bars: Sequence[Bar], title: str, *, maximum: float | None = None,
              width: float = 640, label_width: float = 210, percent: bool = True) -> str:
    """Horizontal bars, one per row, with the value and a note after each bar.

    `percent`: values are shares 0–1 written as %; otherwise written as they are.
    """
    row_h, gap, top = 22.0, 8.0, 6.0
    note_w = 190.0
    plot_w = max(width - label_width - note_w, 60.0)
    top_value = maximum if maximum is not None else max(
        [b.value for b in bars if b.value is not None] or [1.0]
    )
    top_value = top_value or 1.0
    parts = []
    for i, bar in enumerate(bars):
        y = top + i * (row_h + gap)
        parts.append(_text(label_width - 8, y + row_h * 0.7, bar.label, anchor="end"))
        parts.append(f'<rect x="{label_width:.1f}" y="{y:.1f}" width="{plot_w:.1f}" '
                     f'height="{row_h:.1f}" fill="{GRID}" opacity="0.45"/>')
        if bar.value is None:
            parts.append(_text(label_width + 6, y + row_h * 0.7, "no data", fill=MUTED))
        else:
            length = max(min(bar.value / top_value, 1.0), 0.0) * plot_w
            parts.append(f'<rect x="{label_width:.1f}" y="{y:.1f}" width="{length:.1f}" '
                         f'height="{row_h:.1f}" fill="{bar.colour}"/>')
            shown = f"{bar.value:.0%}" if percent else f"{bar.value:,.0f}"
            parts.append(_text(label_width + plot_w + 8, y + row_h * 0.7, shown,
                               weight="bold"))
        if bar.note:
            parts.append(_text(label_width + plot_w + 56, y + row_h * 0.7, bar.note,
                               size=11, fill=MUTED))
    height = top * 2 + len(bars) * (row_h + gap)
    return _svg(width, height, "".join(parts), title)


def effect_chart(rows: Sequence[Interval], title: str, unit: str, *, lower_is_better: bool,
                 width: float = 640, label_width: float = 210) -> str:
    """Estimates as dots with interval whiskers around a zero line (a forest plot).

    The axis says on which side of zero the group did better than the control group.
    """
    row_h, top, axis_h = 26.0, 8.0, 26.0
    note_w = 150.0
    plot_w = max(width - label_width - note_w, 80.0)
    values = [v for r in rows for v in (r.estimate, r.low, r.high) if v is not None]
    span = max([abs(v) for v in values] or [1.0]) * 1.1 or 1.0

    def x_of(value: float) -> float:
        return label_width + (value + span) / (2 * span) * plot_w

    height = top + len(rows) * row_h + axis_h
    zero = x_of(0.0)
    parts = [f'<line x1="{zero:.1f}" y1="{top:.1f}" x2="{zero:.1f}" '
             f'y2="{height - axis_h:.1f}" stroke="{MUTED}" stroke-dasharray="3 3"/>']
    for i, row in enumerate(rows):
        y = top + i * row_h + row_h / 2
        parts.append(_text(label_width - 8, y + 4, row.label, anchor="end"))
        if row.estimate is None:
            parts.append(_text(label_width + 6, y + 4, row.note or "no estimate", size=11,
                               fill=MUTED))
            continue
        if row.low is not None and row.high is not None:
            parts.append(f'<line x1="{x_of(row.low):.1f}" y1="{y:.1f}" '
                         f'x2="{x_of(row.high):.1f}" y2="{y:.1f}" stroke="{INK}" '
                         'stroke-width="2"/>')
        parts.append(f'<circle cx="{x_of(row.estimate):.1f}" cy="{y:.1f}" r="5" '
                     f'fill="{SERIES[0]}"/>')
        parts.append(_text(label_width + plot_w + 8, y + 4, row.note, size=11, fill=MUTED))
    axis_y = height - axis_h + 16
    for value in (-span, 0.0, span):
        parts.append(_text(x_of(value), axis_y, f"{value:+.1f}", size=10, fill=MUTED,
                           anchor="middle"))
    parts.append(_text(label_width + plot_w / 2, axis_y + 10, unit, size=10, fill=MUTED,
                       anchor="middle"))
    if lower_is_better:
        parts.append(_text(label_width, axis_y + 10, "← better than control", size=10,
                           fill=SERIES[0]))
    else:
        parts.append(_text(label_width + plot_w, axis_y + 10, "better than control →",
                           size=10, fill=SERIES[0], anchor="end"))
    return _svg(width, height + 10, "".join(parts), title)
