"""The reference data the matrix engine uses, gathered once into small frames.

The engine never reads files itself: everything comes through `factory_journey.reference`.
Tests (and programme operators with their own factors) pass an `EngineReference` built from
their own frames instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from factory_journey.reference import load_csv, load_yaml, meta
from factory_journey.reference.tables import (
    fuel_factors_frame,
    grid_factors,
    gwp_table,
    water_stress_countries,
    zdhc_limits,
)

#: Reference files the engine reads; their versions are recorded beside every matrix.
REFERENCE_FILES: tuple[str, ...] = (
    "ipcc_fuel_factors.csv",
    "fem_energy_sources.csv",
    "gwp.csv",
    "grid_carbon_intensity.csv",
    "countries.csv",
    "water_stress_countries.csv",
    "water_stress_bands.yaml",
    "zdhc_wastewater_limits.csv",
    "waste_disposal_methods.csv",
    "fem_facility_types.csv",
    "indicators.yaml",
    # not read here, but they decided what input reached the engine: the bounds the values
    # were held to and the reference conditions of gas volumes (both applied at reading)
    "plausibility_bounds.yaml",
    "gas_volumes.yaml",
)

#: Water-risk categories of WRI Aqueduct 4.0 baseline water stress, by upper score bound.
#: Used only when `water_stress_bands.yaml` is not available (same bands, score 0–5).
DEFAULT_WATER_BANDS: tuple[tuple[float, str], ...] = (
    (1.0, "low"),
    (2.0, "low_medium"),
    (3.0, "medium_high"),
    (4.0, "high"),
    (5.0, "extremely_high"),
)


def normalise_key(value: str) -> str:
    """Lower-case alphanumerics only: `R-410A`, `r410a` and `R 410 A` all give `r410a`."""
    return re.sub(r"[^0-9a-z]+", "", str(value).lower())


@dataclass(frozen=True)
class EngineReference:
    """Reference frames the matrix needs, already in the shape the engine joins on.

    - `fuels`: fuel (or key), co2_kg_per_tj, ch4_kg_per_tj, n2o_kg_per_tj, ncv_tj_per_gg,
      density_kg_per_m3, biogenic (IPCC 2006 defaults) [kg/TJ, TJ/Gg = MJ/kg, kg/m³]
    - `energy_sources`: key, category (electricity|thermal), renewable, onsite, fuel, scope,
      factor_basis (grid|fuel|zero), delivery_efficiency
    - `gwp`: normalised gas key → GWP100 of the chosen vintage [kgCO2e/kg]
    - `grid`: iso3, year, carbon_intensity_gco2e_per_kwh [gCO2e/kWh]
    - `countries`: iso2, iso3, un_region, un_subregion
    - `water_stress`: iso3, water_stress_score [0–5], water_risk_category (the country's
      category where no score is in hand)
    - `water_bands`: (upper score bound, category), ascending
    - `zdhc_limits`: parameter, label, aliases, kind, unit, comparison (max|range|presence),
      foundational, progressive, aspirational and `<level>_min` lower bounds (pH)
    - `waste_routes`: key, route
    - `facility_types`: key, production_unit (pcs|kg)
    """

    fuels: pl.DataFrame
    energy_sources: pl.DataFrame
    gwp: dict[str, float]
    grid: pl.DataFrame
    countries: pl.DataFrame
    water_stress: pl.DataFrame
    zdhc_limits: pl.DataFrame
    waste_routes: pl.DataFrame
    facility_types: pl.DataFrame
    water_bands: tuple[tuple[float, str], ...] = DEFAULT_WATER_BANDS
    grid_vintage: str = "unknown"
    gwp_vintage: str = "AR5"
    versions: dict[str, str] = field(default_factory=dict)


def _version(name: str) -> str:
    block = meta(name)
    return f"{block.get('version', '?')} ({block.get('vintage', '?')})"


def gwp_lookup(table: pl.DataFrame, vintage: str) -> dict[str, float]:
    """Every spelling of a gas (key, label, aliases, ASHRAE name) → its GWP100 [kgCO2e/kg]."""
    column = f"gwp100_{vintage.strip().lower()}"
    if column not in table.columns:
        raise ValueError(f"GWP vintage {vintage!r} not in the GWP table ({table.columns})")
    out: dict[str, float] = {}
    for row in table.iter_rows(named=True):
        value = row[column]
        if value is None:
            continue
        spellings = [row.get("key"), row.get("label"), row.get("ashrae"), row.get("formula")]
        spellings += str(row.get("aliases") or "").split(";")
        for spelling in spellings:
            if spelling and str(spelling) != "blend":
                # The first row that names a spelling wins (the table lists gases before blends).
                out.setdefault(normalise_key(str(spelling)), float(value))
    return out


def water_bands_from(document: dict[str, Any]) -> tuple[tuple[float, str], ...]:
    """(upper bound, category) pairs from `water_stress_bands.yaml`, ascending."""
    bands = document.get("bands") or []
    pairs: list[tuple[float, str]] = []
    for band in bands:
        upper = band.get("score_max")
        key = band.get("key")
        if upper is not None and key is not None:
            pairs.append((float(upper), str(key)))
    return tuple(sorted(pairs)) or DEFAULT_WATER_BANDS


def default_reference(gwp_vintage: str = "AR5") -> EngineReference:
    """The packaged reference data, read through `factory_journey.reference`."""
    gwp_table(gwp_vintage)  # refuses an unknown vintage with a clear message
    fuels = fuel_factors_frame()
    fuels = fuels.rename({"key": "fuel"}) if "key" in fuels.columns else fuels
    water = water_stress_countries()
    return EngineReference(
        fuels=fuels,
        energy_sources=load_csv("fem_energy_sources.csv"),
        gwp=gwp_lookup(load_csv("gwp.csv"), gwp_vintage),
        grid=load_csv("grid_carbon_intensity.csv").select(
            "iso3", "year", "carbon_intensity_gco2e_per_kwh"
        ),
        countries=load_csv("countries.csv").select("iso2", "iso3", "un_region", "un_subregion"),
        water_stress=water.select(
            pl.col("iso3"),
            pl.col("score").cast(pl.Float64).alias("water_stress_score"),
            pl.col("category").cast(pl.String).alias("water_risk_category"),
        ),
        water_bands=water_bands_from(load_yaml("water_stress_bands.yaml")),
        zdhc_limits=zdhc_limits(),
        waste_routes=load_csv("waste_disposal_methods.csv").select("key", "route"),
        facility_types=load_csv("fem_facility_types.csv").select("key", "production_unit"),
        grid_vintage=f"grid_carbon_intensity.csv {grid_factors().vintage}",
        gwp_vintage=gwp_vintage.upper(),
        versions={name: _version(name) for name in REFERENCE_FILES},
    )
