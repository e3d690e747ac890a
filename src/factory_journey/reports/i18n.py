"""Report languages: gettext catalogues read straight from the .po files, and locale formatting.

The .po files under `locales/<lang>/LC_MESSAGES/reports.po` are the source of truth and are read
directly with Babel, so a fresh clone needs no compile step. A missing translation is an error
in tests (`Translator(strict=True)`); at run time the English text is used and the miss is
recorded in `Translator.missing`, so a report is never lost over one string.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

# Babel is imported where it formats or reads a catalogue: every command's help names the
# report languages (services/options.py), and none of them needs Babel for that (issue 14).
if TYPE_CHECKING:
    from babel import Locale

LOCALES_DIR = Path(__file__).with_name("locales")
DOMAIN = "reports"

#: Report language code → (catalogue directory, Babel locale used for numbers and dates).
LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("en", "en"),
    "vi": ("vi", "vi_VN"),
    "zh": ("zh_Hans", "zh_Hans_CN"),
    "bn": ("bn", "bn_BD"),
    "km": ("km", "km_KH"),
    "tr": ("tr", "tr_TR"),
    "am": ("am", "am_ET"),
    "sw": ("sw", "sw_KE"),
}
#: The report language a factory manager in a country reads first (English elsewhere):
#: Amharic is Ethiopia's federal working language, Swahili Kenya's and Tanzania's national one.
COUNTRY_LANGUAGES: dict[str, str] = {
    "BD": "bn", "CN": "zh", "VN": "vi", "KH": "km", "TR": "tr", "ET": "am", "KE": "sw", "TZ": "sw",
}
LANGUAGE_ALIASES = {"zh_hans": "zh", "zh-hans": "zh", "zh_cn": "zh", "zh-cn": "zh"}

#: Park reports (INSTEP: Ethiopia, Kenya, Vietnam) have their own catalogue, `park.po` (a park
#: domain keeps the facility-report catalogues as they are), in the same languages: a member
#: factory's manager and the public read the park pages in the language of every other page.
#: Code → (catalogue directory, Babel locale).
PARK_DOMAIN = "park"
PARK_LANGUAGES: dict[str, tuple[str, str]] = dict(LANGUAGES)
#: The park report language read first in a country (English elsewhere).
PARK_COUNTRY_LANGUAGES: dict[str, str] = {"ET": "am", "KE": "sw", "TZ": "sw", "VN": "vi"}


def language_for_country(country_iso2: str | None) -> str:
    """Default report language for a facility in `country_iso2` (ISO 3166 alpha-2)."""
    return COUNTRY_LANGUAGES.get((country_iso2 or "").upper(), "en")


class UnknownLanguageError(ValueError):
    """The requested report language has no catalogue."""


class MissingTranslationError(KeyError):
    """A message has no translation in a catalogue (raised in strict mode)."""


def normalise_language(code: str) -> str:
    """Map `vi`, `zh-Hans`, `ZH_CN` … to a key of `LANGUAGES`, or raise UnknownLanguageError."""
    key = code.strip().lower()
    key = LANGUAGE_ALIASES.get(key, key)
    if key not in LANGUAGES:
        known = ", ".join(LANGUAGES)
        raise UnknownLanguageError(f"No report language '{code}'. Available: {known}.")
    return key


def catalogue_path(lang: str) -> Path:
    """Path of the .po file of a report language."""
    return LOCALES_DIR / LANGUAGES[lang][0] / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_catalogue(lang: str) -> dict[str, str]:
    """msgid → msgstr of a report language; untranslated and fuzzy entries are left out."""
    return read_catalogue(catalogue_path(lang))


def park_catalogue_path(lang: str) -> Path:
    """Path of the park-report .po file of a park report language."""
    return LOCALES_DIR / PARK_LANGUAGES[lang][0] / "LC_MESSAGES" / f"{PARK_DOMAIN}.po"


def normalise_park_language(code: str) -> str:
    """Map `am`, `SW`, `vi` … to a key of `PARK_LANGUAGES`, or raise UnknownLanguageError."""
    key = code.strip().lower().replace("-", "_").split("_")[0]
    if key not in PARK_LANGUAGES:
        known = ", ".join(PARK_LANGUAGES)
        raise UnknownLanguageError(f"No park report language '{code}'. Available: {known}.")
    return key


def load_park_catalogue(lang: str) -> dict[str, str]:
    """msgid → msgstr of the park-report catalogue of a park report language."""
    return read_catalogue(park_catalogue_path(lang))


@cache
def read_catalogue(path: Path) -> dict[str, str]:
    """msgid → msgstr of the .po file at `path` (read once per process); untranslated and fuzzy
    entries are left out. The web pages read their own catalogues with it too."""
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=None)
    messages: dict[str, str] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, str) and isinstance(message.string, str) and message.string:
            messages[message.id] = message.string
    return messages


@dataclass
class Translator:
    """Translate report messages and format numbers and dates for one language.

    Pure once built: the catalogue is a dict, so report contexts can be built without I/O.
    """

    lang: str
    messages: dict[str, str]
    strict: bool = False
    missing: set[str] = field(default_factory=set)
    #: Babel locale for numbers and dates; empty = the one `LANGUAGES` names for `lang`.
    locale_code: str = ""

    @property
    def locale(self) -> Locale:
        from babel import Locale

        return Locale.parse(self.locale_code or LANGUAGES[self.lang][1])

    def gettext(self, message: str, **params: object) -> str:
        """The translation of `message`, with `{name}` placeholders filled from `params`."""
        text = self.messages.get(message)
        if text is None:
            if self.lang != "en" and self.strict:
                raise MissingTranslationError(f"[{self.lang}] no translation for {message!r}")
            if self.lang != "en":
                self.missing.add(message)
            text = message
        return text.format(**params) if params else text

    __call__ = gettext

    def number(self, value: float | None, digits: int = 0) -> str:
        """A number with the locale's grouping and decimal signs; '–' for a missing value."""
        if value is None:
            return "–"
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def significant(self, value: float | None) -> str:
        """A measured value with sensible precision: 3 significant figures, no exponent."""
        if value is None:
            return "–"
        magnitude = abs(value)
        digits = 0 if magnitude >= 100 else 1 if magnitude >= 10 else 2 if magnitude >= 0.1 else 3
        return self.number(value, digits)

    def percent(self, share: float | None, digits: int = 0) -> str:
        """A share 0–1 as a percentage in the locale's style (e.g. `38 %`, `%38`)."""
        if share is None:
            return "–"
        pattern = self.locale.percent_formats[None].pattern  # e.g. `#,##0%`, `%#,##0`
        if digits:
            pattern = pattern.replace("0", "0." + "0" * digits, 1)
        from babel.numbers import format_percent

        return format_percent(share, format=pattern, locale=self.locale)

    def money(self, usd: float | None) -> str:
        """An amount in US dollars, rounded to whole dollars, e.g. `US$ 12,300`."""
        if usd is None:
            return "–"
        return "US$ " + self.number(usd, 0)

    def currency(self, amount: float | None, code: str = "USD", digits: int = 0) -> str:
        """An amount of currency `code` (ISO 4217) in the locale's style, e.g. `US$12,300`,
        `12.300 US$`; rounded to `digits` decimals."""
        if amount is None:
            return "–"
        pattern = self.locale.currency_formats["standard"].pattern.split(";")[0]
        decimals = "." + "0" * digits if digits else ""
        pattern = re.sub(r"0(\.0+)?", "0" + decimals, pattern, count=1)
        from babel.numbers import format_currency

        return format_currency(
            amount, code, format=pattern, locale=self.locale, currency_digits=False
        )

    def country(self, code: str | None) -> str:
        """A country's name in the locale's language from its ISO 3166 two-letter code (e.g.
        `VN` → `Việt Nam` in Vietnamese); the code itself when the locale has no name for it,
        '–' when there is none."""
        if not code:
            return "–"
        return str(self.locale.territories.get(code.upper(), code))

    def date(self, day: dt.date) -> str:
        """A date in the locale's long form, e.g. `22 tháng 11, 2026`."""
        from babel.dates import format_date

        return format_date(day, format="long", locale=self.locale)


def translator(lang: str, *, strict: bool = False) -> Translator:
    """A Translator for a report language (reads its .po file once per process)."""
    key = normalise_language(lang)
    messages = {} if key == "en" else load_catalogue(key)
    return Translator(lang=key, messages=messages, strict=strict)


def park_translator(lang: str, *, strict: bool = False) -> Translator:
    """A Translator for a park report language, over the park catalogue (`park.po`)."""
    key = normalise_park_language(lang)
    messages = {} if key == "en" else load_park_catalogue(key)
    return Translator(lang=key, messages=messages, strict=strict,
                      locale_code=PARK_LANGUAGES[key][1])
