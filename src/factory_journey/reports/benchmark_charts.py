"""SVG box plots of a portfolio's anonymised benchmarks: one row per peer group.

Pure: numbers and already-translated labels in, SVG text out, drawn with the helpers and
colours of `reports.charts` so that the boxes look like the report charts. Each row shows the
group's label, its box (first to third quartile), median line, whiskers to the lowest and
highest value, and `n` on the right. Sizes in CSS pixels; values in the indicator's unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from factory_journey.reports.charts import (
    FONT,
    GRID,
    INK,
    MUTED,
    SERIES,
    nice_ticks,
    svg_root,
    svg_text,
)


@dataclass(frozen=True, slots=True)
class Box:
    """One peer group's five numbers [unit of the chart] and its size `n` [facilities]."""

    label: str
    n_text: str
    low: float
    q1: float
    median: float
    q3: float
    high: float


def box_plot(
    boxes: Sequence[Box],
    title: str,
    tick_text: dict[float, str] | None = None,
    *,
    unit: str = "",
    width: float = 640,
    label_width: float = 190,
    font: str = FONT,
) -> str:
    """Horizontal box plots sharing one axis that starts at zero (all values ≥ 0 here).

    `tick_text` maps an axis tick to its text (locale-formatted by the caller); ticks without
    one are written plainly.
    """
    row_h, top, axis_h, n_w = 28.0, 6.0, 34.0, 70.0
    plot_w = max(width - label_width - n_w, 80.0)
    top_value = max([b.high for b in boxes] or [1.0])
    ticks = nice_ticks(0.0, top_value if top_value > 0 else 1.0)
    span = max(ticks[-1], top_value) or 1.0

    def x_of(value: float) -> float:
        return label_width + max(min(value / span, 1.0), 0.0) * plot_w

    bottom = top + len(boxes) * row_h
    parts = []
    for tick in ticks:
        x = x_of(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
                     f'stroke="{GRID}"/>')
        text = (tick_text or {}).get(tick, f"{tick:g}")
        parts.append(svg_text(x, bottom + 13, text, 10, MUTED, "middle"))
    for i, box in enumerate(boxes):
        mid = top + i * row_h + row_h / 2
        parts.append(svg_text(label_width - 8, mid + 4, box.label, 11, INK, "end"))
        parts.append(f'<line x1="{x_of(box.low):.1f}" y1="{mid:.1f}" x2="{x_of(box.high):.1f}" '
                     f'y2="{mid:.1f}" stroke="{INK}" stroke-width="1.2"/>')
        for end in (box.low, box.high):
            parts.append(f'<line x1="{x_of(end):.1f}" y1="{mid - 5:.1f}" x2="{x_of(end):.1f}" '
                         f'y2="{mid + 5:.1f}" stroke="{INK}" stroke-width="1.2"/>')
        left, right = x_of(box.q1), x_of(box.q3)
        parts.append(f'<rect x="{left:.1f}" y="{mid - 8:.1f}" width="{max(right - left, 1.5):.1f}" '
                     f'height="16" fill="#dbeafe" stroke="{SERIES[0]}" stroke-width="1.2"/>')
        median = x_of(box.median)
        parts.append(f'<line x1="{median:.1f}" y1="{mid - 8:.1f}" x2="{median:.1f}" '
                     f'y2="{mid + 8:.1f}" stroke="{SERIES[0]}" stroke-width="2.5"/>')
        parts.append(svg_text(label_width + plot_w + 8, mid + 4, box.n_text, 11, INK,
                              weight="bold"))
    if unit:
        parts.append(svg_text(label_width + plot_w / 2, bottom + 28, unit, 10, MUTED, "middle"))
    return svg_root(width, bottom + axis_h, "".join(parts), title, font)
