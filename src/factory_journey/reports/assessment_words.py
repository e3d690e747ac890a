"""Two texts of the assessment in the words of the report language: the peer group behind a
peer threshold and the data an indicator still needs.

The engine writes both in English for its outputs (`peer_group`, e.g. `mill per-kg facilities
in BD 2024`; `missing_data`, e.g. `energy_intensity_mj_per_unit (missing:
production_volume_pcs)`), and those outputs stay as they are (the rerun guarantee). A report
says the same from structured fields instead: the factory type's name, the intensity basis,
the country or UN region named by Babel for the locale, the year; the indicator's label and
short names of the inputs. Where a field is unknown, the engine's own text is shown.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import polars as pl

from factory_journey.engine.assessment.peers import peer_group_text
from factory_journey.reports.i18n import Translator
from factory_journey.reports.labels import FACTORY_TYPES, INDICATORS, INPUTS

#: UN M49 numeric code of each region and sub-region name the engine groups peers by (the
#: English names of reference/data/countries.csv, `un_region` and `un_subregion`): Babel names
#: these territories in every locale (CLDR), e.g. `035` → `Đông Nam Á` in Vietnamese.
M49: dict[str, str] = {
    "Africa": "002",
    "Americas": "019",
    "Asia": "142",
    "Europe": "150",
    "Oceania": "009",
    "Northern Africa": "015",
    "Sub-Saharan Africa": "202",
    "Latin America and the Caribbean": "419",
    "Northern America": "021",
    "Central Asia": "143",
    "Eastern Asia": "030",
    "South-eastern Asia": "035",
    "Southern Asia": "034",
    "Western Asia": "145",
    "Eastern Europe": "151",
    "Northern Europe": "154",
    "Southern Europe": "039",
    "Western Europe": "155",
    "Australia and New Zealand": "053",
    "Melanesia": "054",
    "Micronesia": "057",
    "Polynesia": "061",
}
#: Matrix column of the facility's region at each peer level (`global`: none).
_LEVEL_COLUMNS = {"country_iso2": "country_iso2", "un_subregion": "un_subregion",
                  "un_region": "un_region"}


def region_name(tr: Translator, name: str) -> str | None:
    """A UN M49 region or sub-region (its English name) in the report language; the M49
    English name itself in English (CLDR shortens some: `Latin America`); None if unknown."""
    code = M49.get(name)
    if code is None:
        return None
    if tr.lang == "en":
        return name
    return str(tr.locale.territories.get(code, name))


@cache
def _engine_group_text(ftype: str, basis: str | None, level: str, region: str,
                       year: int) -> str | None:
    """What the engine writes as `peer_group` for these fields, by its own expression
    (engine.assessment.peers.peer_group_text), so that the two cannot drift apart: a report
    shows its own words only when they describe the same group the engine used."""
    regions = {column: region if column == _LEVEL_COLUMNS.get(level) else ""
               for column in ("country_iso2", "un_subregion", "un_region")}
    row = pl.DataFrame({"_ftype": [ftype], "_basis": [basis or ""], "_level": [level],
                        "_year": [year], **{k: [v] for k, v in regions.items()}})
    column = "indicator_per_unit" if basis is not None else "indicator"
    return row.select(peer_group_text(column, "_level", "_year")).item()


def peer_group_words(tr: Translator, row: dict[str, Any], profile: dict[str, Any]) -> str:
    """The peer group of an indicator row (`peer_level`, `peer_group`, `column`, `year`) of the
    facility-year `profile` (its matrix row), e.g. `Mill, per kg, China, 2024`; the engine's
    `peer_group` text where a field is unknown."""
    engine_text = str(row.get("peer_group") or "")
    level = row.get("peer_level")
    ftype = profile.get("journey_factory_type")
    basis = profile.get("intensity_basis")
    per_unit = str(row.get("column") or "").endswith("_per_unit")  # as the engine decides
    if level is None or ftype not in FACTORY_TYPES or (per_unit and basis not in ("pc", "kg")):
        return engine_text
    if level == "global":
        raw_region, region = "", tr("worldwide")  # the engine names no region
    elif level in _LEVEL_COLUMNS:
        raw_region = str(profile.get(_LEVEL_COLUMNS[level]) or "")
        words = (tr.country(raw_region) if level == "country_iso2" and raw_region
                 else region_name(tr, raw_region))
        if not words:
            return engine_text
        region = words
    else:
        return engine_text
    year = row.get("year")
    if not isinstance(year, int) or _engine_group_text(
            str(ftype), basis if per_unit else None, str(level), raw_region, year) != engine_text:
        return engine_text
    params = {"type": tr(FACTORY_TYPES[str(ftype)]), "region": region, "year": str(year)}
    if not per_unit:
        return tr("{type}, {region}, {year}", **params)
    if basis == "pc":
        return tr("{type}, per piece, {region}, {year}", **params)
    return tr("{type}, per kg, {region}, {year}", **params)


#: One part of an engine `missing_data` text: `column`, `column (missing: a, b)` or `column
#: (no threshold for this factory type, basis or region)` (engine.assessment.indicators).
_PART = re.compile(r"(?P<column>[a-z0-9_]+)(?: \((?:missing: (?P<inputs>[a-z0-9_, ]+)"
                   r"|(?P<no_threshold>no threshold for [^)]*))\))?")


def _list(tr: Translator, items: list[str]) -> str:
    from babel.lists import format_list

    return format_list(items, locale=tr.locale)


def missing_words(tr: Translator, text: str | None, indicators: dict[str, str],
                  own: str | None = None) -> str:
    """An engine `missing_data` text in words: each indicator's label (`INDICATORS`) or the
    short names of its missing inputs (`INPUTS`), e.g. `energy use and annual production in
    pieces (for Energy intensity)`, joined as the locale joins a list.

    `indicators`: indicator column → indicator key of the area (a column may serve indicators
    of two areas). `own`: the column of the indicator the text belongs to, which is then not
    named again. A part this cannot read is shown as the engine wrote it.
    """
    if not text:
        return ""
    items = []
    for part in text.split("; "):
        match = _PART.fullmatch(part)
        key = indicators.get(match["column"]) if match else None
        if match is None or key is None:
            items.append(part)
            continue
        label = tr(INDICATORS.get(key, key))
        if match["no_threshold"]:
            items.append(tr("No threshold for this factory type, production unit or region")
                         if match["column"] == own else
                         tr("{indicator} (no threshold for this factory type, production unit "
                            "or region)", indicator=label))
        elif match["inputs"]:
            names = [tr(INPUTS[name]) if name in INPUTS else name
                     for name in match["inputs"].split(", ")]
            inputs = _list(tr, names)
            items.append(inputs if match["column"] == own else
                         tr("{inputs} (for {indicator})", inputs=inputs, indicator=label))
        else:
            items.append(label)
    return _list(tr, items)
