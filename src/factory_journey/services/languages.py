"""The languages people read the platform in: which one a request asks for, and translators
for the web pages' catalogues, read with the same code as the report catalogues
(`reports.i18n`), so that pages and reports share languages, locale formatting and the
missing-translation rule.

Page catalogues: `web/pages/locales/<dir>/LC_MESSAGES/<area>.po`, one per area and language
(<dir> as in `reports.i18n.LANGUAGES`: vi, zh_Hans, bn, km, tr, am, sw); English is the
message itself.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from factory_journey.reports.glyphs import FONTS
from factory_journey.reports.i18n import (
    LANGUAGES,
    Translator,
    UnknownLanguageError,
    normalise_language,
    read_catalogue,
)

__all__ = [
    "FONTS",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "PAGE_LOCALES",
    "Translator",
    "language_from_header",
    "page_catalogue_path",
    "page_messages",
    "page_translator",
    "supported_language",
]

#: `FONTS`: the report fonts (Noto, OFL), served to the pages too, for the scripts a
#: device may lack (Khmer, Bengali, Chinese, Ethiopic).
DEFAULT_LANGUAGE = "en"
#: The folder of the page catalogues (the web pages', which also hold the words of what the
#: services give people outside a page: the data templates the CLI writes, for one).
#: The problem of a template asked for in a language the platform has no words in (the
#: profile and park templates; the CLI's usage error).
NO_SUCH_LANGUAGE = "no such template language"
PAGE_LOCALES = Path(__file__).resolve().parents[1] / "web" / "pages" / "locales"
#: Each language in its own words, for the language switcher (never translated).
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "vi": "Tiếng Việt",
    "zh": "简体中文",
    "bn": "বাংলা",
    "km": "ភាសាខ្មែរ",
    "tr": "Türkçe",
    "am": "አማርኛ",
    "sw": "Kiswahili",
}
#: The language of an HTML `lang` attribute (BCP 47) for each language.
HTML_LANG: dict[str, str] = {
    "en": "en",
    "vi": "vi",
    "zh": "zh-Hans",
    "bn": "bn",
    "km": "km",
    "tr": "tr",
    "am": "am",
    "sw": "sw",
}


def supported_language(code: str | None) -> str | None:
    """`code` as a key of `LANGUAGES` (`vi`, `zh-Hans` → `zh` …), or None when not supported."""
    if not code:
        return None
    try:
        return normalise_language(code.replace("-", "_"))
    except UnknownLanguageError:
        base = code.replace("-", "_").split("_")[0].lower()
        return base if base in LANGUAGES else None


def language_from_header(accept_language: str | None) -> str:
    """The supported language an `Accept-Language` header prefers most (English otherwise).

    `vi-VN,vi;q=0.9,en;q=0.8` → `vi`; `zh-CN` and `zh-Hans` → `zh`; an unknown one is skipped.
    """
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        language = supported_language(tag.strip()) if tag.strip() != "*" else None
        if language and quality > 0:
            choices.append((-quality, position, language))
    return min(choices)[2] if choices else DEFAULT_LANGUAGE


def page_catalogue_path(locales: Path, area: str, language: str) -> Path:
    """The .po file of an area's messages in a language (`language`: a key of LANGUAGES)."""
    return locales / LANGUAGES[language][0] / "LC_MESSAGES" / f"{area}.po"


@cache
def page_messages(locales: Path, areas: tuple[str, ...], language: str) -> dict[str, str]:
    """msgid → msgstr of `areas`' catalogues in `language`, the first area winning; English:
    none (the message is the English text). A missing catalogue counts as empty (the test of
    the catalogues says which is missing)."""
    if language == DEFAULT_LANGUAGE:
        return {}
    messages: dict[str, str] = {}
    for area in reversed(areas):
        path = page_catalogue_path(locales, area, language)
        if path.is_file():
            messages.update(read_catalogue(path))
    return messages


def page_translator(
    locales: Path, areas: tuple[str, ...], language: str, *, strict: bool = False
) -> Translator:
    """A translator and formatter (number, percent, currency, date) for a page of `areas`."""
    return Translator(
        lang=language, messages=page_messages(locales, areas, language), strict=strict
    )
