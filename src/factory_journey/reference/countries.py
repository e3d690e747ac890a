"""Countries: ISO 3166-1 codes and names, UN M49 regions, and a lookup by any name or code."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from factory_journey.reference.loader import load_csv
from factory_journey.reference.names import AmbiguousNameError, normalise_name, split_aliases

COUNTRIES_FILE = "countries.csv"


@dataclass(frozen=True, slots=True)
class Country:
    """One ISO 3166-1 country with its UN M49 regions (empty string where M49 has none)."""

    iso2: str
    iso3: str
    numeric: str
    name: str
    common_name: str
    un_region: str
    un_subregion: str
    un_intermediate_region: str


def countries() -> pl.DataFrame:
    """The country table; `numeric` as a three-digit string, missing regions as ""."""
    frame = load_csv(COUNTRIES_FILE)
    text_columns = [c for c in frame.columns if c != "numeric"]
    return frame.with_columns(
        pl.col("numeric").cast(pl.Utf8).str.zfill(3),
        *(pl.col(c).cast(pl.Utf8).fill_null("") for c in text_columns),
    )


@lru_cache(maxsize=1)
def _lookup() -> dict[str, Country]:
    out: dict[str, Country] = {}
    for row in countries().iter_rows(named=True):
        country = Country(
            iso2=row["iso2"],
            iso3=row["iso3"],
            numeric=row["numeric"],
            name=row["name"],
            common_name=row["common_name"] or row["name"],
            un_region=row["un_region"],
            un_subregion=row["un_subregion"],
            un_intermediate_region=row["un_intermediate_region"],
        )
        names = [country.iso2, country.iso3, country.numeric, country.name, country.common_name]
        names += split_aliases(row["aliases"])
        for text in names:
            known = out.setdefault(normalise_name(text), country)
            if known.iso3 != country.iso3:
                raise AmbiguousNameError(
                    f"{COUNTRIES_FILE}: {text!r} names both {known.iso3} and {country.iso3}"
                )
    return out


@lru_cache(maxsize=1)
def _local_lookup() -> dict[str, Country]:
    """Each country's name in the languages of the pages → its `Country`; read only when a
    name is not a code or an English name (loading the names takes ~0.1 s)."""
    by_iso2 = {country.iso2: country for country in _lookup().values()}
    return {normalise_name(name): by_iso2[iso2] for name, iso2 in local_country_names()
            if iso2 in by_iso2}


#: The languages of the pages besides English (reports/i18n.LANGUAGES; a test holds them
#: together) in which a country's name is accepted too: a manager writes "Việt Nam",
#: "中国" or "ኢትዮጵያ" in the profile, as on every letter they send.
LOCAL_NAME_LANGUAGES: tuple[str, ...] = ("vi", "zh_Hans", "bn", "km", "tr", "sw", "am")


@lru_cache(maxsize=1)
def local_country_names() -> tuple[tuple[str, str], ...]:
    """(name, ISO alpha-2) of every country in each of `LOCAL_NAME_LANGUAGES`, from the
    Unicode CLDR territory names that Babel ships with the package (`babel.__version__`
    names its CLDR release): read from the installed files, never the network. NFC, as a
    keyboard writes them; a name that two languages give to two countries is left out."""
    from babel import Locale  # only when a lookup is first built

    found: dict[str, set[str]] = {}
    for language in LOCAL_NAME_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():  # countries, not "001" (World) or "EU"
                found.setdefault(unicodedata.normalize("NFC", name), set()).add(code)
    return tuple((name, next(iter(codes))) for name, codes in found.items() if len(codes) == 1)


def local_country(text: str) -> Country | None:
    """The country that `text` names in a language of the pages ("Việt Nam", "中国"), any
    case, or None: for a lookup that has found no code or English name."""
    return _local_lookup().get(normalise_name(unicodedata.normalize("NFC", text)))


def country_lookup() -> dict[str, Country]:
    """Every normalised alpha-2, alpha-3, numeric code, name and alias → its `Country`."""
    return dict(_lookup())


def resolve_country(text: str | int | None) -> Country | None:
    """The country that `text` names (code, ISO name, common alias or its name in a language
    of the pages, any case), or None.

    A numeric code may be given as an int or as text with or without leading zeros.
    """
    if text is None:
        return None
    norm = normalise_name(unicodedata.normalize("NFC", str(text)))
    if norm.isdigit():
        norm = norm.zfill(3)
    # The table's own codes, names and aliases first; then a name in a language of the pages.
    return _lookup().get(norm) or _local_lookup().get(norm)
