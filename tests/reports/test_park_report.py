"""Park reports: context, HTML and PDF in English, Vietnamese, Amharic and Swahili.

The Amharic and Swahili PDFs must carry their scripts in the text layer (decoded as a reader
does, tests/reports/pdftext.py) with no missing glyph, and every park catalogue must be
complete, keep its placeholders and be drawable by the shipped fonts.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import cache

import pytest
from babel.messages.pofile import read_po

from factory_journey.reports.i18n import (
    PARK_LANGUAGES,
    UnknownLanguageError,
    park_catalogue_path,
    park_translator,
)
from factory_journey.reports.park_context import (
    ParkNotFoundError,
    ParkReportData,
    build_park_context,
)
from factory_journey.reports.reference_names import reference_name
from factory_journey.reports.render import render_html, render_pdf
from tests.reports.park_fixture import VERSIONS, park_report_data
from tests.reports.pdftext import extract, squash
from tests.reports.test_fonts import covered

TODAY = dt.date(2026, 12, 7)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
TRANSLATED = [lang for lang in PARK_LANGUAGES if lang != "en"]
ETHIOPIC = re.compile(r"[\u1200-\u137f]")
#: park → the language read there first
PARKS = {"am": "ET-HAWASSA", "sw": "ET-HAWASSA", "vi": "VN-DEMO", "en": "ET-HAWASSA"}


@pytest.fixture(scope="module")
def data() -> ParkReportData:
    return park_report_data()


@cache
def _rendered(lang: str) -> tuple[dict, bytes, str]:  # type: ignore[type-arg]
    context = build_park_context(park_report_data(), PARKS[lang],
                                 park_translator(lang, strict=True), today=TODAY)
    return context, render_pdf(context), render_html(context)


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with park_catalogue_path(lang).open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_park_message_is_translated_with_placeholders_kept(lang: str) -> None:
    catalog = _catalog(lang)
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, f"[{lang}] untranslated: {untranslated}"
    with (park_catalogue_path(lang).parents[2] / "park.pot").open("rb") as handle:
        pot = read_po(handle)
    assert {m.id for m in pot if m.id} <= {m.id for m in catalog if m.id}
    for message in catalog:
        if message.id:
            assert set(PLACEHOLDER.findall(message.id)) == set(
                PLACEHOLDER.findall(message.string)), f"[{lang}] {message.id!r}"
    header = park_catalogue_path(lang).read_text(encoding="utf-8").split("msgid")[0]
    assert "NEEDS REVIEW" in header


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("lang", TRANSLATED)
def test_park_catalogue_and_formats_have_glyphs(lang: str, bold: bool) -> None:
    pt = park_translator(lang)
    text = "".join(str(m.string) for m in _catalog(lang) if m.id)
    text += pt.number(1234567.891, 2) + pt.percent(0.385, 1) + pt.money(-12345.6)
    text += "".join(pt.date(dt.date(2026, month, 28)) for month in range(1, 13))
    text += "".join(str(pt.locale.territories[c]) for c in ("ET", "KE", "VN", "TZ"))
    assert not covered(text, bold), f"[{lang}] no glyph for {covered(text, bold)}"


def test_unknown_park_language() -> None:
    with pytest.raises(UnknownLanguageError, match="am, sw"):
        park_translator("fr")
    assert park_translator("SW-ke").lang == "sw"


@pytest.mark.parametrize("lang", ["am", "sw"])
def test_amharic_and_swahili_pdfs_carry_their_script_with_no_missing_glyph(lang: str) -> None:
    context, pdf, _ = _rendered(lang)
    pages = extract(pdf)
    assert sum(page.notdef for page in pages) == 0
    assert not set().union(*(p.not_embedded for p in pages))
    text = "".join(page.text for page in pages)
    assert "\ufffd" not in text
    assert not covered(text)
    flat = squash(text)
    pt = park_translator(lang, strict=True)
    for message in ("Collective improvement plan", "Grievance mechanism", "Partly met",
                    "Group rooftop solar with a shared power purchase"):
        assert squash(pt(message)) in flat, f"[{lang}] {pt(message)!r} not in the text layer"
    if lang == "am":
        assert len(ETHIOPIC.findall(text)) > 500
        assert "NotoSansEthiopic" in "".join(set().union(*(p.fonts for p in pages)))
    else:
        assert squash("Mpango wa pamoja wa maboresho") in flat
        assert not ETHIOPIC.search(text)
    assert squash(context["title"]) in flat


def test_english_and_vietnamese_reports_render(data: ParkReportData) -> None:
    for lang in ("en", "vi"):
        context, pdf, page = _rendered(lang)
        text = squash("".join(p.text for p in extract(pdf)))
        assert squash(context["headings"]["plan"]) in text
        assert context["headings"]["plan"] in page
    vi = _rendered("vi")[0]
    # The Vietnam park is judged with the Decree 35 overlay, which shows as its own pillar.
    assert "Việt Nam: Nghị định 35/2022, Điều 37" in [s["pillar"] for s in vi["scores"]]


def test_context_figures_follow_the_outputs(data: ParkReportData) -> None:
    context = build_park_context(data, "ET-HAWASSA", park_translator("en"), today=TODAY)
    scores = {s["key"]: s for s in context["scores"]}
    row = data.pillar_scores.filter(park_id="ET-HAWASSA", pillar="environment").row(0, named=True)
    assert scores["environment"]["score"] == park_translator("en").percent(row["score"])
    prerequisites = data.requirement_results.filter(park_id="ET-HAWASSA", prerequisite=True)
    assert len(context["prerequisites"]) == prerequisites.height
    plan = data.plan_measures.filter(park_id="ET-HAWASSA", year=2024)
    assert context["plan"]["total"]["investment"] == park_translator("en").money(
        float(plan["investment_usd"].sum()))
    zdhc = {z["name"]: z["status_key"] for z in context["members"]["zdhc"]}
    assert zdhc["Rift Valley Mills"] == "red"


def test_html_is_one_self_contained_page(data: ParkReportData) -> None:
    _, _, page = _rendered("am")
    assert page.startswith("<!DOCTYPE html>") and 'lang="am"' in page
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "<text" not in page  # chart labels are glyph outlines, as in the PDF


def test_missing_park_or_year_is_named(data: ParkReportData) -> None:
    pt = park_translator("en")
    with pytest.raises(ParkNotFoundError, match="NOPE"):
        build_park_context(data, "NOPE", pt)
    with pytest.raises(ParkNotFoundError, match="2024"):
        build_park_context(data, "ET-HAWASSA", pt, year=1999)


def test_a_park_without_plan_says_so(data: ParkReportData) -> None:
    bare = ParkReportData(**{**data.__dict__, "plan_measures": None, "plan_members": None})
    context = build_park_context(bare, "ET-HAWASSA", park_translator("sw", strict=True),
                                 today=TODAY)
    assert context["plan"] is None
    assert context["labels"]["no_plan"] in render_html(context)


#: Version keys of the fixture (as the park assessment records them) → their name in English:
#: the methodology table said the keys ("matrix:gwp.csv", "park_framework:ifeip2"); it must say
#: what each one is, in the report's language.
NAMED = {"methodology": "Methodology", "prices": "Prices of the savings estimates",
         "matrix:gwp.csv": "Global warming potentials (gwp.csv)",
         "matrix:water_stress_countries.csv": "Water stress by country "
                                              "(water_stress_countries.csv)",
         "park_framework:ifeip2": "Park assessment framework (ifeip2)",
         "park_measures": "Shared measures of the collective plan"}


def _table(page: str, heading: str) -> str:
    """The text of the HTML report from the methodology heading on."""
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", page[page.index(heading):])))


def test_the_methodology_table_names_each_reference_in_the_reports_language(
        data: ParkReportData) -> None:
    context, pdf, page = _rendered("vi")
    pt = park_translator("vi", strict=True)
    table = _table(page, context["headings"]["methodology"])
    pdf_text = squash("".join(p.text for p in extract(pdf)))
    for key, english in NAMED.items():
        name = reference_name(pt, key)
        assert name != english and squash(name) in table, (key, name)
        assert squash(name) in pdf_text, (key, name)
        assert squash(english) not in table and squash(english) not in pdf_text, english
    for key in NAMED:  # no cell says the engine's key
        assert f"<td>{key}</td>" not in page, key
    for prefix in ("matrix:", "park_framework:"):
        assert prefix not in page and squash(prefix) not in pdf_text, prefix
    # the versions and sources as recorded
    for value in {**VERSIONS, **{"park_measures": data.versions["park_measures"]}}.values():
        assert squash(value) in table and squash(value) in pdf_text, value
    # a reference the assessment and the Data Matrix both recorded, with one version: one row
    gwp = reference_name(pt, "gwp.csv")
    assert [row["name"] for row in context["versions"]].count(gwp) == 1
