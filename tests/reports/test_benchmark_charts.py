"""The portfolio's box plots: one row per group, boxes in order on one axis, n shown, text
escaped."""

from __future__ import annotations

import re

from factory_journey.reports.benchmark_charts import Box, box_plot


def test_boxes_are_drawn_in_order_with_their_n():
    svg = box_plot(
        [Box("China · Mill", "n = 9", 1.0, 2.0, 3.0, 4.0, 8.0),
         Box("<Viet> & Nam", "n = 5", 0.5, 1.0, 1.5, 2.0, 2.5)],
        "Energy intensity", {0.0: "0", 2.0: "2"}, unit="MJ/kg",
    )
    assert svg.startswith("<svg") and "<title>Energy intensity</title>" in svg
    assert "n = 9" in svg and "n = 5" in svg
    assert "&lt;Viet&gt; &amp; Nam" in svg and "<Viet>" not in svg
    rects = [(float(x), float(w)) for x, w in re.findall(
        r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="16"', svg)]
    assert len(rects) == 2
    # The first group's box (2 to 4) is wider and further right than the second's (1 to 2).
    assert rects[0][0] > rects[1][0] and rects[0][1] > rects[1][1]
    assert ">MJ/kg<" in svg and ">2<" in svg


def test_an_axis_starts_at_zero_and_covers_the_highest_value():
    svg = box_plot([Box("A", "n = 5", 10.0, 20.0, 30.0, 40.0, 95.0)], "t")
    ticks = [float(t) for t in re.findall(r'text-anchor="middle" font-weight="normal">([\d.]+)<',
                                          svg)]
    assert ticks[0] == 0.0 and ticks[-1] >= 95.0
