"""Typed accessors over the packaged reference tables, in one place for engine and ingest.

The accessors live in modules named for what they hold (`names`, `countries`,
`emission_factors`, `water_stress`); this module gathers them and adds the ZDHC limits and
the programme list. Everything here is pure: it reads only through the reference loader.
"""

from __future__ import annotations

import polars as pl

from factory_journey.reference.countries import (
    Country,
    countries,
    country_lookup,
    resolve_country,
)
from factory_journey.reference.emission_factors import (
    DEFAULT_GWP_VINTAGE,
    GWP_VINTAGES,
    EnergySource,
    FuelFactors,
    GridFactor,
    GridFactors,
    GwpVintage,
    energy_sources,
    fuel_factors,
    fuel_factors_frame,
    grid_factors,
    gwp_table,
)
from factory_journey.reference.loader import load_csv
from factory_journey.reference.names import (
    AmbiguousNameError,
    enum_keys,
    enum_values,
    normalise_name,
    resolve_name,
    split_aliases,
)
from factory_journey.reference.water_stress import (
    WaterStressBand,
    water_stress_bands,
    water_stress_category,
    water_stress_category_expr,
    water_stress_category_for_ratio,
    water_stress_countries,
)

ZDHC_LIMITS_FILE = "zdhc_wastewater_limits.csv"
PROGRAMMES_FILE = "programmes.csv"

#: ZDHC levels from least to most demanding.
ZDHC_LEVELS: tuple[str, ...] = ("foundational", "progressive", "aspirational")

__all__ = [
    "DEFAULT_GWP_VINTAGE",
    "GWP_VINTAGES",
    "ZDHC_LEVELS",
    "AmbiguousNameError",
    "Country",
    "EnergySource",
    "FuelFactors",
    "GridFactor",
    "GridFactors",
    "GwpVintage",
    "WaterStressBand",
    "countries",
    "country_lookup",
    "energy_sources",
    "enum_keys",
    "enum_values",
    "fuel_factors",
    "fuel_factors_frame",
    "grid_factors",
    "gwp_table",
    "normalise_name",
    "programmes",
    "resolve_country",
    "resolve_name",
    "split_aliases",
    "water_stress_bands",
    "water_stress_category",
    "water_stress_category_expr",
    "water_stress_category_for_ratio",
    "water_stress_countries",
    "zdhc_limits",
]


def zdhc_limits() -> pl.DataFrame:
    """ZDHC wastewater limits (UNVERIFIED default, see its meta), one row per parameter.

    Columns parameter, label, aliases, kind (conventional | anion | metal), unit, comparison
    (max | range | presence), and per level in `ZDHC_LEVELS` the upper limit `<level>` and
    lower limit `<level>_min` (pH only) as Float64, in `unit`.
    """
    limit_columns = [*ZDHC_LEVELS, *(f"{level}_min" for level in ZDHC_LEVELS)]
    return load_csv(ZDHC_LIMITS_FILE).with_columns(
        *(pl.col(c).cast(pl.Float64) for c in limit_columns)
    )


def programmes() -> pl.DataFrame:
    """Improvement programmes: key, label, aliases, owner, operator, kind, impact_areas
    (`;`-separated), certainty, notes."""
    return load_csv(PROGRAMMES_FILE)
