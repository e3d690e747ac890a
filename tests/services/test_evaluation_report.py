"""The evaluation report's charts and page: escaped text, counts shown, no network."""

from __future__ import annotations

from factory_journey.engine.evaluation import evaluate_programmes
from factory_journey.services.evaluation import country_names, headlines
from factory_journey.services.evaluation_charts import Bar, Interval, bar_chart, effect_chart
from factory_journey.services.evaluation_report import render_report
from tests.engine.evaluation.panels import pilot_panel


def test_bar_chart_escapes_labels_and_marks_missing_values():
    svg = bar_chart([Bar("<b>A&B</b>", 0.5, "n=2"), Bar("none", None)], "T <1>", maximum=1.0)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in svg and "<b>" not in svg
    assert "50%" in svg and "no data" in svg and "T &lt;1&gt;" in svg


def test_effect_chart_draws_intervals_and_says_which_side_is_better():
    svg = effect_chart([Interval("CLP only", -10.0, -17.0, -2.0, "n=5 vs 5"),
                        Interval("STz only", None, None, None, "too few facilities")],
                       "Effect", "% of baseline", lower_is_better=True)
    assert svg.count("<circle") == 1
    assert "← better than control" in svg and "too few facilities" in svg


def test_report_shows_the_figures_with_their_counts():
    matrix, table = pilot_panel()
    result = evaluate_programmes(matrix, 2021, 2023, programmes=table)
    html = render_report(result, headlines(result), dataset_name="hand-made",
                         country_names=country_names(["BD", "CN", "VN"]), created="now")
    assert "54%" in html and "7 of 13 comparable" in html  # energy headline, 7/13
    assert "Bangladesh" in html and "Viet" in html
    assert "80% (4/5)" in html  # clp_only energy share with its counts
    assert "−10.0" in html or "-10.0" in html  # the difference-in-differences
    assert "no effect estimated for energy (n=3, control n=5)" in html
    assert "lack data for the baseline or the follow-up year" in html
    assert "changed factory type" in html
    assert "<script" not in html
