"""Enumerations of the FEM Site Information (facility types, categories, …) from reference data.

Each enumeration is a reference CSV with `key`, `label` and `aliases` (`;`-separated). A user
may write the key, the label or an alias in any case and with any punctuation: they are
compared with letters and digits only (`Final Product Assembly` = `finalProductAssembly`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from factory_journey.reference import load_csv
from factory_journey.reference.countries import local_country

FACILITY_TYPES = "fem_facility_types.csv"
PRODUCT_CATEGORIES = "fem_product_categories.csv"
MATERIAL_TYPES = "fem_material_types.csv"
INDUSTRY_SECTORS = "fem_industry_sectors.csv"
TREATMENT_TYPES = "fem_treatment_types.csv"
DISCLOSURE_PLATFORMS = "fem_disclosure_platforms.csv"
COUNTRIES = "countries.csv"

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: object) -> str:
    """The comparison form of a spelling: lower case, letters and digits only."""
    return _NOT_ALNUM.sub("", str(text).lower())


def split_aliases(text: object) -> list[str]:
    """Aliases of a reference row (`;`-separated, `|` also read; empty cells give none)."""
    if text is None:
        return []
    return [part.strip() for part in re.split(r"[|;]", str(text)) if part.strip()]


@dataclass(frozen=True, slots=True)
class Enumeration:
    """Accepted values of one enumeration: keys in file order, labels, and a spelling index."""

    name: str
    keys: tuple[str, ...]
    labels: dict[str, str]
    index: dict[str, str]

    def resolve(self, value: object) -> str | None:
        """The key that `value` (key, label or alias) means, or None."""
        return self.index.get(fold(value))

    def accepted(self) -> str:
        """Accepted values in words, for error messages: `key (label), …`."""
        return ", ".join(
            key if fold(key) == fold(self.labels[key]) else f"{key} ({self.labels[key]})"
            for key in self.keys
        )


@cache
def enumeration(name: str) -> Enumeration:
    """The enumeration stored in reference file `name` (e.g. `FACILITY_TYPES`)."""
    table = load_csv(name)
    keys: list[str] = []
    labels: dict[str, str] = {}
    index: dict[str, str] = {}
    for row in table.iter_rows(named=True):
        key = str(row["key"]).strip()
        keys.append(key)
        labels[key] = str(row.get("label") or key).strip()
        for spelling in [key, labels[key], *split_aliases(row.get("aliases"))]:
            index.setdefault(fold(spelling), key)
    return Enumeration(name, tuple(keys), labels, index)


@dataclass(frozen=True, slots=True)
class FacilityTypeInfo:
    """One FEM facility type: its journey factory type and FEM production unit."""

    key: str
    label: str
    journey_factory_type: str
    production_unit: str
    allowed_units: tuple[str, ...]
    #: Spellings of the FEM's "Annual Quantity (Additional Option)" (SAM, lengths, …).
    additional_units: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def facility_types() -> dict[str, FacilityTypeInfo]:
    """FEM facility types by key, in file order."""
    out: dict[str, FacilityTypeInfo] = {}
    for row in load_csv(FACILITY_TYPES).iter_rows(named=True):
        key = str(row["key"]).strip()
        out[key] = FacilityTypeInfo(
            key=key,
            label=str(row["label"]).strip(),
            journey_factory_type=str(row["journey_factory_type"]).strip(),
            production_unit=str(row["production_unit"]).strip(),
            allowed_units=tuple(split_aliases(row["allowed_units"])),
            additional_units=tuple(split_aliases(row.get("additional_units") or "")),
        )
    return out


@dataclass(frozen=True, slots=True)
class Country:
    """A country or region: ISO 3166-1 codes and English name."""

    iso2: str
    iso3: str
    name: str


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, Country], dict[str, str]]:
    by_iso2: dict[str, Country] = {}
    index: dict[str, str] = {}
    for row in load_csv(COUNTRIES).iter_rows(named=True):
        iso2 = str(row["iso2"]).strip().upper()
        country = Country(iso2, str(row["iso3"]).strip().upper(), str(row["name"]).strip())
        by_iso2[iso2] = country
    # Codes first so that a name or alias never shadows a code.
    for iso2 in by_iso2:
        index.setdefault(fold(iso2), iso2)
    for iso2, country in by_iso2.items():
        index.setdefault(fold(country.iso3), iso2)
    for row in load_csv(COUNTRIES).iter_rows(named=True):
        iso2 = str(row["iso2"]).strip().upper()
        names = [row["name"], row.get("common_name") or row["name"]]
        for spelling in [*names, *split_aliases(row.get("aliases"))]:
            index.setdefault(fold(spelling), iso2)
    return by_iso2, index


def resolve_country(value: object) -> Country | None:
    """The country meant by an ISO alpha-2 or alpha-3 code, an English name or its name in a
    language of the pages (`reference.countries.LOCAL_NAME_LANGUAGES`), or None."""
    by_iso2, index = _countries()
    text = str(value).strip()
    # Template drop-downs offer `BD - Bangladesh`: the code before the dash decides.
    if re.match(r"^[A-Za-z]{2} - ", text):
        text = text[:2]
    folded = fold(text)
    iso2 = index.get(folded) if folded else None
    if iso2 is None and (local := local_country(text)) is not None:
        iso2 = local.iso2 if local.iso2 in by_iso2 else None
    return by_iso2[iso2] if iso2 else None


def country_choices() -> list[str]:
    """`ISO2 - name` of every country, sorted by code (for templates)."""
    by_iso2, _ = _countries()
    return [f"{c.iso2} - {c.name}" for c in sorted(by_iso2.values(), key=lambda c: c.iso2)]
