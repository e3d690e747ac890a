"""Glyph coverage: every character a report can show is in a shipped font, none drawn as .notdef."""

from __future__ import annotations

import datetime as dt
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from factory_journey.reports.i18n import LANGUAGES, catalogue_path, translator
from factory_journey.reports.render import FONTS

FONT_FILES = sorted(p for p in FONTS.iterdir() if p.suffix in (".ttf", ".otf"))
NEUTRAL = set(string.whitespace)


@cache
def _charset(path: Path) -> frozenset[int]:
    font = TTFont(path, lazy=True)
    return frozenset(font.getBestCmap())


def covered(text: str, bold: bool = False) -> set[str]:
    """Characters of `text` that no shipped font of that weight draws."""
    weight = "Bold" if bold else "Regular"
    fonts = [p for p in FONT_FILES if weight in p.name]
    have = frozenset().union(*(_charset(p) for p in fonts))
    return {c for c in text if c not in NEUTRAL and ord(c) not in have}


def test_fonts_ship_with_their_licence_and_stay_small() -> None:
    assert (FONTS / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") == 1
    total = sum(p.stat().st_size for p in FONT_FILES)
    assert total < 15_000_000
    # Latin, Bengali, Khmer, Ethiopic, Simplified Chinese × Regular, Bold
    assert len(FONT_FILES) == 10


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_translation_is_covered(lang: str, bold: bool) -> None:
    with catalogue_path(lang).open("rb") as handle:
        catalog = read_po(handle)
    text = "".join(str(m.string) for m in catalog if m.id)
    assert not covered(text, bold), f"[{lang}] characters without a glyph: {covered(text, bold)}"


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_numbers_dates_and_punctuation_are_covered(lang: str, bold: bool) -> None:
    tr = translator(lang)
    samples = [
        string.digits, string.ascii_letters, string.punctuation, "–—·…‘’“”•×±≥≤°²³€£¥",
        tr.number(1234567.891, 2), tr.percent(0.385, 1), tr.money(-12345.6),
        *(tr.date(dt.date(2026, month, 28)) for month in range(1, 13)),
        "CO2e MJ/kg L/pc kWh m³",
    ]
    text = "".join(samples)
    assert not covered(text, bold), f"[{lang}] characters without a glyph: {covered(text, bold)}"


def test_country_names_are_covered() -> None:
    countries = ("BD", "CN", "VN", "KH", "TR", "IN", "PK", "ID", "LK", "MM", "ET", "TW", "DE")
    for lang in LANGUAGES:
        names = "".join(str(translator(lang).locale.territories[c]) for c in countries)
        assert not covered(names), f"[{lang}] {covered(names)}"


def test_no_missing_glyph_box_in_any_language(report_data) -> None:  # type: ignore[no-untyped-def]
    """In every language's PDF, no glyph is .notdef and all extracted text has a shipped glyph."""
    from tests.reports.pdftext import extract
    from tests.reports.test_render import _rendered

    for lang in LANGUAGES:
        for kind in ("facility", "portfolio"):
            _, pdf, _ = _rendered(report_data, kind, lang)
            pages = extract(pdf)
            assert sum(page.notdef for page in pages) == 0, f"[{lang}] .notdef glyphs drawn"
            assert not set().union(*(p.not_embedded for p in pages)), f"[{lang}] font not embedded"
            text = "".join(page.text for page in pages)
            assert "\ufffd" not in text
            assert not covered(text), f"[{lang}] {covered(text)}"
