"""Every language renders to PDF and HTML from one context; headings are in the PDF's text."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from factory_journey.reports.context import (
    ReportData,
    build_facility_context,
    build_portfolio_context,
)
from factory_journey.reports.i18n import translator
from factory_journey.reports.reference_names import reference_name, reference_rows
from factory_journey.reports.render import render_html, render_pdf
from tests.reports.conftest import LANGS, TODAY
from tests.reports.pdftext import extract, squash

FACILITY = "CN-MILL-002"


_CACHE: dict[tuple[str, str], tuple[dict[str, Any], bytes, str]] = {}


def _rendered(data: ReportData, kind: str, lang: str) -> tuple[dict[str, Any], bytes, str]:
    if (kind, lang) not in _CACHE:
        _CACHE[kind, lang] = _render(data, kind, lang)
    return _CACHE[kind, lang]


def _render(data: ReportData, kind: str, lang: str) -> tuple[dict[str, Any], bytes, str]:
    tr = translator(lang, strict=True)  # a missing translation fails the test
    if kind == "facility":
        context = build_facility_context(data, FACILITY, tr, today=TODAY)
    else:
        context = build_portfolio_context(data, tr, title="Pilot cohort", today=TODAY)
    return context, render_pdf(context), render_html(context)


def _html_text(page: str) -> str:
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize("kind", ["facility", "portfolio"])
@pytest.mark.parametrize("lang", LANGS)
def test_headings_in_pdf_text(report_data: ReportData, lang: str, kind: str) -> None:
    context, pdf, _ = _rendered(report_data, kind, lang)
    assert pdf.startswith(b"%PDF")
    text = squash("".join(page.text for page in extract(pdf)))
    missing = [h for h in context["headings"].values() if squash(h) not in text]
    assert not missing, f"[{lang}] headings not found in the PDF text: {missing}"


@pytest.mark.parametrize("kind", ["facility", "portfolio"])
@pytest.mark.parametrize("lang", LANGS)
def test_headings_in_html(report_data: ReportData, lang: str, kind: str) -> None:
    context, _, page = _rendered(report_data, kind, lang)
    assert f'<html lang="{lang}">' in page
    text = _html_text(page)
    for heading in context["headings"].values():
        assert squash(heading) in text


@pytest.mark.parametrize("lang", ["en", "vi", "zh", "tr"])
def test_html_and_pdf_show_the_same_context(report_data: ReportData, lang: str) -> None:
    """Profile, summary, levels and totals of the one context appear in both outputs."""
    context, pdf, page = _rendered(report_data, "facility", lang)
    pdf_text = squash("".join(p.text for p in extract(pdf)))
    html_text = _html_text(page)
    shown = [row["value"] for row in context["profile"]] + [
        context["summary"], context["totals"]["savings"], context["totals"]["co2e"],
        *context["pathway_notes"],
        *[area["level_text"] for area in context["areas"]],
        *[i["reason"] for area in context["areas"] for i in area["indicators"]],
    ]
    for value in shown:
        assert squash(value) in pdf_text, value
        assert squash(value) in html_text, value


@pytest.mark.parametrize("kind", ["facility", "portfolio"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_empty_pages(report_data: ReportData, lang: str, kind: str) -> None:
    context, pdf, _ = _rendered(report_data, kind, lang)
    pages = extract(pdf)
    running = squash(context["title"] + context["generated"])
    for number, page in enumerate(pages, start=1):
        body = squash(page.text)
        for part in (context["title"], context["generated"],
                     _page_of(context, number, len(pages))):
            body = body.replace(squash(part), "")
        assert len(body) > 80, f"[{lang}] page {number} of {len(pages)} is nearly empty"
    assert running


def _page_of(context: dict[str, Any], number: int, total: int) -> str:
    return context["labels"]["page"].replace("{page}", str(number)).replace(
        "{pages}", str(total))


@pytest.mark.parametrize("lang", ["en", "zh", "km"])
def test_every_page_says_which_page_it_is_in_the_reports_language(
        report_data: ReportData, lang: str) -> None:
    """The footer's "Page 2 of 5" is one translated sentence with the numbers in place
    (第 2 页，共 5 页), not a word followed by "2 / 5"."""
    context, pdf, _ = _rendered(report_data, "facility", lang)
    pages = extract(pdf)
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert squash(_page_of(context, number, len(pages))) in squash(page.text), number
    if lang == "zh":
        assert "第 1 页，共" in _page_of(context, 1, len(pages))


def test_charts_are_identical_in_html_and_pdf_input(report_data: ReportData) -> None:
    from factory_journey.reports.render import prepare

    context, _, page = _rendered(report_data, "facility", "bn")
    prepared = prepare(context)
    assert prepared["overview"]["svg"] in page  # the HTML embeds exactly what typst receives
    assert "<text" not in prepared["overview"]["svg"]


def test_pdf_embeds_only_shipped_fonts(report_data: ReportData) -> None:
    shipped = ("NotoSans-", "NotoSansBengali-", "NotoSansKhmer-", "NotoSansEthiopic-",
               "NotoSansCJKsc-")
    for lang in LANGS:
        _, pdf, _ = _rendered(report_data, "facility", lang)
        fonts = set().union(*(page.fonts for page in extract(pdf)))
        for font in fonts:
            name = font.lstrip("/").split("+", 1)[-1]
            assert name.startswith(shipped), f"[{lang}] unexpected font {font}"


#: References of the fixture's versions (tests/reports/fixtures/versions.json) → their name in
#: English: the methodology table must say them in the report's language.
NAMED = {"methodology": "Methodology", "matrix:gwp.csv": "Global warming potentials (gwp.csv)",
         "matrix:water_stress_countries.csv": "Water stress by country"}


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_the_methodology_table_names_each_reference_in_the_reports_language(
        report_data: ReportData, lang: str) -> None:
    """The provenance table (reference data and versions) was English in every language: its
    names are translated; the versions and sources stay as recorded (file names, releases)."""
    context, pdf, page = _rendered(report_data, "facility", lang)
    tr = translator(lang, strict=True)
    table = _html_text(page[page.index(context["headings"]["methodology"]):])
    pdf_text = squash("".join(p.text for p in extract(pdf)))
    for key, english in NAMED.items():
        name = reference_name(tr, key)
        assert name != english and squash(name) in table, (lang, key, name)
        assert squash(english) not in table, (lang, english)
        if lang in ("vi", "zh"):
            assert squash(name) in pdf_text and squash(english) not in pdf_text, (lang, name)
    for value in report_data.versions.values():
        assert squash(value) in table  # as recorded: "fj-2026.1 (2026.1)", "AR5"
    assert "matrix:" not in table  # the engine's key prefix is no word for a reader


def test_the_methodology_table_lists_the_methodology_first_and_any_unknown_key_as_is() -> None:
    tr = translator("vi", strict=True)
    rows = reference_rows(tr, {"zz_new.csv": "1", "matrix:gwp.csv": "2", "methodology": "m"})
    assert [row["name"] for row in rows] == [
        "Phương pháp luận", "Tiềm năng nóng lên toàn cầu (gwp.csv)", "zz_new.csv"]
    assert [row["value"] for row in rows] == ["m", "2", "1"]
