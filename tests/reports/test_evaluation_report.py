"""The evaluation report: charts, context, HTML and PDF from a hand-made panel.

The panel (tests/engine/evaluation/panels.py) has known outcomes: 7 of 13 comparable
facilities improved energy efficiency (54%), CLP only 4 of 5 (80%) with a
difference-in-differences of −10.0 % of baseline against the control group, STz only too small
for an estimate, one facility with one year of data and one that changed factory type.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest

from factory_journey.engine.evaluation import evaluate_programmes
from factory_journey.reports.evaluation_charts import Bar, Interval, bar_chart, effect_chart
from factory_journey.reports.evaluation_context import build_evaluation_context
from factory_journey.reports.render import render_html, render_pdf
from factory_journey.services.evaluation import country_names, headlines, named_insights
from tests.engine.evaluation.panels import pilot_panel
from tests.reports.pdftext import extract, squash

DATASET = "<script>alert(1)</script> & co"
NAMES = {**country_names(["CN", "VN"]), "BD": "Bangla<i>desh</i>"}


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    matrix, table = pilot_panel()
    result = evaluate_programmes(matrix, 2021, 2023, programmes=table)
    return build_evaluation_context(
        result, headlines(result), insights=named_insights(result, NAMES),
        dataset_name=DATASET, country_names=NAMES, created="2026-11-22T10:00:00+00:00",
    )


@pytest.fixture(scope="module")
def page(context: dict[str, Any]) -> str:
    return render_html(context)


@pytest.fixture(scope="module")
def pdf(context: dict[str, Any]) -> bytes:
    return render_pdf(context)


def _html_text(page: str) -> str:
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_bar_chart_escapes_labels_and_marks_missing_values() -> None:
    svg = bar_chart([Bar("<b>A&B</b>", 0.5, "50%", "n=2"), Bar("none", None)], "T <1>",
                    maximum=1.0)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in svg and "<b>" not in svg
    assert "50%" in svg and "n=2" in svg and "no data" in svg and "T &lt;1&gt;" in svg


def test_effect_chart_draws_intervals_and_says_which_side_is_better() -> None:
    svg = effect_chart([Interval("CLP only", -10.0, -17.0, -2.0, "n=5 vs 5"),
                        Interval("STz only", None, None, None, "too few: n=3 vs 5")],
                       "Effect", "% of baseline", lower_is_better=True)
    assert svg.count("<circle") == 1
    assert "better than control" in svg and "too few: n=3 vs 5" in svg
    assert "<polygon" in svg  # the arrow is drawn: the shipped fonts have no arrow glyph


def test_context_is_plain_json(context: dict[str, Any]) -> None:
    assert json.loads(json.dumps(context)) == context
    assert context["kind"] == "evaluation"
    assert context["headline"]["cards"][0] == {
        "share": "54%", "what": "improved energy efficiency",
        "counts": "7 of 13 comparable · 15 in cohort"}


def test_html_shows_the_figures_with_their_counts(page: str) -> None:
    assert "54%" in page and "7 of 13 comparable" in page  # energy headline
    assert "Viet" in page and "China" in page
    assert "80% (4/5)" in page  # clp_only energy share with its counts
    assert "-10.0" in page  # the difference-in-differences
    assert "too few facilities for an estimate: 3 comparable in stz_only" in page
    assert "no effect estimated for energy (n=3, control n=5)" in page
    assert "lack data for the baseline or the follow-up year" in page
    assert "changed factory type" in page
    assert '<html lang="en">' in page


def test_html_escapes_data_text(page: str) -> None:
    assert "<script" not in page and "<i>desh" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "Bangla&lt;i&gt;desh&lt;/i&gt;" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_html_sections_in_the_order_of_the_proof_of_concept(context: dict[str, Any],
                                                             page: str) -> None:
    text = _html_text(page)
    positions = [text.index(squash(h)) for h in context["headings"].values()]
    assert positions == sorted(positions)
    assert page.count("<svg") >= 6


def test_pdf_has_every_heading_and_the_headline_figures(context: dict[str, Any],
                                                        pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF")
    text = squash("".join(p.text for p in extract(pdf)))
    missing = [h for h in context["headings"].values() if squash(h) not in text]
    assert not missing, f"headings not in the PDF text: {missing}"
    for shown in ("54%", "7of13comparable", "80%(4/5)", "-10.0", "Bangla<i>desh</i>",
                  squash(DATASET), "toofewfacilitiesforanestimate"):
        assert shown in text, shown


def test_pdf_draws_every_glyph_with_shipped_fonts(pdf: bytes) -> None:
    pages = extract(pdf)
    assert sum(p.notdef for p in pages) == 0
    for font in set().union(*(p.fonts for p in pages)):
        assert font.lstrip("/").split("+", 1)[-1].startswith("NotoSans-"), font


def test_pdf_has_no_empty_page(context: dict[str, Any], pdf: bytes) -> None:
    pages = extract(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        body = squash(page.text)
        page_of = context["labels"]["page"].replace("{page}", str(number)).replace(
            "{pages}", str(len(pages)))
        for furniture in (context["title"], context["kicker"], context["generated"], page_of):
            body = body.replace(squash(furniture), "")
        assert len(body) > 80, f"page {number} of {len(pages)} is nearly empty"


def test_html_and_pdf_charts_are_the_same(context: dict[str, Any], page: str) -> None:
    from factory_journey.reports.render import prepare

    prepared = prepare(context)
    assert prepared["headline"]["chart"] in page
    assert "<text" not in prepared["headline"]["chart"]  # outlined for both renderers
