"""SVG chart of a park report: pillar scores as horizontal bars (built on `charts` helpers).

Pure: labels and values arrive translated and formatted; the member × area grid of the report
is `charts.heatmap` itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from factory_journey.reports.charts import (
    FONT,
    GRID,
    INK,
    MUTED,
    SERIES,
    _text_width,
    svg_root,
    svg_text,
)


def pillar_bars(rows: Sequence[tuple[str, float | None, str]], title: str,
                width: float = 520, font: str = FONT) -> str:
    """One bar per pillar: (label, score 0–1 or None = not judged, score text); scale 0–100 %.

    The label column is as wide as the longest label (bold 11 px), within 120–260 px [px].
    """
    row_h, gap = 22.0, 6.0
    widest = max((_text_width(label, 11) * 1.08 for label, _, _ in rows), default=0.0)
    label_width = min(260.0, max(120.0, widest + 14))
    plot_w = width - label_width - 60
    parts = []
    for i, (label, score, text) in enumerate(rows):
        y = i * (row_h + gap)
        parts.append(svg_text(label_width - 8, y + row_h / 2 + 4, label, 11, INK, "end", "bold"))
        parts.append(f'<rect x="{label_width:.1f}" y="{y:.1f}" width="{plot_w:.1f}" '
                     f'height="{row_h:g}" rx="3" fill="{GRID}"/>')
        if score is not None:
            bar = plot_w * max(0.0, min(1.0, float(score)))
            parts.append(f'<rect x="{label_width:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                         f'height="{row_h:g}" rx="3" fill="{SERIES[0]}"/>')
        parts.append(svg_text(label_width + plot_w + 6, y + row_h / 2 + 4, text, 11,
                              INK if score is not None else MUTED))
    height = max(1.0, len(rows) * (row_h + gap) - gap)
    return svg_root(width, height, "".join(parts), title, font)
