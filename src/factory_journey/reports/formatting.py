"""Values in the words and numbers of the report language: country names, units, indicators.

Pure: a `Translator` holds the catalogue and the locale; nothing here reads a file.
"""

from __future__ import annotations

from factory_journey.reports.i18n import Translator
from factory_journey.reports.labels import ZDHC_LEVELS


def country_name(tr: Translator, iso2: str | None) -> str:
    """The country's name in the report language (`Translator.country`)."""
    return tr.country(iso2)


def per_basis(unit: str, basis: str | None) -> str:
    per = basis or "unit"
    return unit.replace("/unit", f"/{per}")


def value_text(tr: Translator, indicator: str, unit: str, value: float | None,
               basis: str | None) -> str:
    """An indicator value in words and numbers of the report language, with its unit."""
    if value is None:
        return "–"
    if unit == "share":
        return tr.percent(value)
    if unit == "level":
        return tr(ZDHC_LEVELS.get(round(value), "–"))
    if unit == "yes/no":
        return tr("Yes") if value >= 0.5 else tr("No")
    if unit == "months":
        return tr("{n} months", n=tr.number(value))
    return f"{tr.significant(value)} {per_basis(unit, basis)}"
