"""Emission factors: IPCC fuel factors, FEM energy sources, GWP100 values and grid factors.

Units are in every name: kg per TJ of fuel (net calorific basis), TJ per Gg (= MJ/kg),
kg per m³, kgCO2e per kWh.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast, get_args

import polars as pl

from factory_journey.reference.loader import ReferenceFileError, load_csv, meta

FUELS_FILE = "ipcc_fuel_factors.csv"
ENERGY_SOURCES_FILE = "fem_energy_sources.csv"
GWP_FILE = "gwp.csv"
GRID_FILE = "grid_carbon_intensity.csv"

GwpVintage = Literal["AR5", "AR6"]
GWP_VINTAGES: tuple[GwpVintage, ...] = get_args(GwpVintage)
#: Higg FEM reports GHG with IPCC AR5 GWP100.
DEFAULT_GWP_VINTAGE: GwpVintage = "AR5"

EnergyCategory = Literal["electricity", "thermal"]
Scope = Literal["1", "2", "none"]
FactorBasis = Literal["fuel", "grid", "zero"]


def _float(value: object) -> float | None:
    return None if value is None else float(cast(float, value))


@dataclass(frozen=True, slots=True)
class FuelFactors:
    """IPCC 2006 default factors of one fuel for stationary combustion."""

    key: str
    label: str
    co2_kg_per_tj: float
    ncv_tj_per_gg: float | None
    ch4_kg_per_tj: float
    n2o_kg_per_tj: float
    density_kg_per_m3: float | None
    biogenic: bool

    def co2e_kg_per_tj(self, gwp: Mapping[str, float]) -> float:
        """Scope 1 emission factor [kgCO2e/TJ]: fossil CO2 + CH4 and N2O weighted by `gwp`.

        Biogenic CO2 is reported separately and left out; CH4 and N2O of biomass count.
        """
        co2 = 0.0 if self.biogenic else self.co2_kg_per_tj
        return co2 + self.ch4_kg_per_tj * gwp["ch4"] + self.n2o_kg_per_tj * gwp["n2o"]


@dataclass(frozen=True, slots=True)
class EnergySource:
    """One Higg FEM energy source and how its emissions are counted."""

    key: str
    label: str
    category: EnergyCategory
    renewable: bool
    onsite: bool
    fuel: str | None
    scope: Scope
    factor_basis: FactorBasis
    delivery_efficiency: float
    """MJ delivered per MJ of fuel (steam) or MJ cooling per MJ electricity (chiller COP)."""


@dataclass(frozen=True, slots=True)
class GridFactor:
    """Location-based grid factor of one country."""

    iso3: str
    year: int
    kgco2e_per_kwh: float


@dataclass(frozen=True, slots=True)
class GridFactors:
    """Grid factors by ISO alpha-3 code, with the vintage label to print beside results."""

    factors: dict[str, GridFactor]
    vintage: str
    source: str
    licence: str

    def get(self, iso3: str | None) -> GridFactor | None:
        """The factor of country `iso3` (alpha-3, any case), or None if the table lacks it."""
        return None if iso3 is None else self.factors.get(iso3.strip().upper())

    def frame(self) -> pl.DataFrame:
        """Columns iso3, grid_year, grid_factor_kgco2e_per_kwh [kgCO2e/kWh] — for joins."""
        rows = list(self.factors.values())
        return pl.DataFrame(
            {
                "iso3": [r.iso3 for r in rows],
                "grid_year": [r.year for r in rows],
                "grid_factor_kgco2e_per_kwh": [r.kgco2e_per_kwh for r in rows],
            },
            schema={
                "iso3": pl.Utf8,
                "grid_year": pl.Int64,
                "grid_factor_kgco2e_per_kwh": pl.Float64,
            },
        )


@lru_cache(maxsize=1)
def _fuel_factors() -> dict[str, FuelFactors]:
    out: dict[str, FuelFactors] = {}
    for row in load_csv(FUELS_FILE).iter_rows(named=True):
        out[row["key"]] = FuelFactors(
            key=row["key"],
            label=row["label"],
            co2_kg_per_tj=float(row["co2_kg_per_tj"]),
            ncv_tj_per_gg=_float(row["ncv_tj_per_gg"]),
            ch4_kg_per_tj=float(row["ch4_kg_per_tj"]),
            n2o_kg_per_tj=float(row["n2o_kg_per_tj"]),
            density_kg_per_m3=_float(row["density_kg_per_m3"]),
            biogenic=bool(row["biogenic"]),
        )
    return out


def fuel_factors() -> dict[str, FuelFactors]:
    """Fuel key → IPCC 2006 default factors (CO2, CH4, N2O [kg/TJ], NCV [TJ/Gg], density)."""
    return dict(_fuel_factors())


def fuel_factors_frame() -> pl.DataFrame:
    """The fuel table with numeric columns as Float64 and `biogenic` as Boolean."""
    numeric = [
        "co2_kg_per_tj",
        "ncv_tj_per_gg",
        "ch4_kg_per_tj",
        "n2o_kg_per_tj",
        "density_kg_per_m3",
    ]
    return load_csv(FUELS_FILE).with_columns(
        *(pl.col(c).cast(pl.Float64) for c in numeric), pl.col("biogenic").cast(pl.Boolean)
    )


@lru_cache(maxsize=1)
def _energy_sources() -> dict[str, EnergySource]:
    fuels = _fuel_factors()
    out: dict[str, EnergySource] = {}
    for row in load_csv(ENERGY_SOURCES_FILE).iter_rows(named=True):
        fuel = row["fuel"] or None
        if fuel is not None and fuel not in fuels:
            raise ReferenceFileError(f"{ENERGY_SOURCES_FILE}: {row['key']} names unknown fuel")
        efficiency = _float(row["delivery_efficiency"])
        out[row["key"]] = EnergySource(
            key=row["key"],
            label=row["label"],
            category=cast(EnergyCategory, row["category"]),
            renewable=bool(row["renewable"]),
            onsite=bool(row["onsite"]),
            fuel=fuel,
            scope=cast(Scope, str(row["scope"])),
            factor_basis=cast(FactorBasis, row["factor_basis"]),
            delivery_efficiency=1.0 if efficiency is None else efficiency,
        )
    return out


def energy_sources() -> dict[str, EnergySource]:
    """FEM energy source key → its category, renewability, Scope and factor basis."""
    return dict(_energy_sources())


def _check_vintage(vintage: str) -> GwpVintage:
    upper = vintage.strip().upper()
    for known in GWP_VINTAGES:
        if upper == known:
            return known
    raise ValueError(f"GWP vintage {vintage!r} is not one of {', '.join(GWP_VINTAGES)}")


@lru_cache(maxsize=len(GWP_VINTAGES))
def _gwp_table(vintage: GwpVintage) -> dict[str, float]:
    column = f"gwp100_{vintage.lower()}"
    frame = load_csv(GWP_FILE)
    return {
        str(k): float(v)
        for k, v in zip(frame.get_column("key"), frame.get_column(column), strict=True)
    }


def gwp_table(vintage: str = DEFAULT_GWP_VINTAGE) -> dict[str, float]:
    """Gas key → GWP100 [kgCO2e/kg] of IPCC `vintage` ("AR5", the default, or "AR6")."""
    return dict(_gwp_table(_check_vintage(vintage)))


@lru_cache(maxsize=1)
def grid_factors() -> GridFactors:
    """Location-based grid factors [kgCO2e/kWh] by country (gCO2e/kWh in the file ÷ 1000)."""
    frame = load_csv(GRID_FILE)
    factors = {
        str(row["iso3"]): GridFactor(
            iso3=str(row["iso3"]),
            year=int(row["year"]),
            kgco2e_per_kwh=float(row["carbon_intensity_gco2e_per_kwh"]) / 1000.0,
        )
        for row in frame.iter_rows(named=True)
        if row["carbon_intensity_gco2e_per_kwh"] is not None
    }
    block = meta(GRID_FILE)
    return GridFactors(
        factors=factors,
        vintage=str(block.get("label") or block["vintage"]),
        source=str(block["source"]).strip(),
        licence=str(block["licence"]),
    )
