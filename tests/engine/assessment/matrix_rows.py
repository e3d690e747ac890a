"""Hand-built Data Matrix frames with the columns of docs/contracts.md §3 (nulls by default)."""

from __future__ import annotations

from typing import Any

import polars as pl

_STR = pl.String
_F = pl.Float64
_I = pl.Int64
_B = pl.Boolean

MATRIX_SCHEMA: dict[str, Any] = {
    "facility_id": _STR,
    "year": _I,
    "facility_name": _STR,
    "country_iso2": _STR,
    "country_iso3": _STR,
    "un_region": _STR,
    "un_subregion": _STR,
    "journey_factory_type": _STR,
    "facility_types": _STR,
    "park_id": _STR,
    "programmes_active": _STR,
    "production_volume_pcs": _F,
    "production_volume_kg": _F,
    "intensity_basis": _STR,
    "energy_total_mj": _F,
    "energy_electric_mj": _F,
    "energy_thermal_mj": _F,
    "energy_renewable_mj": _F,
    "renewable_share": _F,
    "coal_share_thermal": _F,
    "fossil_share_thermal": _F,
    "energy_intensity_mj_per_pc": _F,
    "energy_intensity_mj_per_kg": _F,
    "energy_intensity_mj_per_unit": _F,
    "scope1_kgco2e": _F,
    "scope2_location_kgco2e": _F,
    "scope2_market_kgco2e": _F,
    "ghg_kgco2e": _F,
    "ghg_intensity_kgco2e_per_unit": _F,
    "grid_factor_kgco2e_per_kwh": _F,
    "grid_factor_vintage": _STR,
    "water_withdrawal_m3": _F,
    "water_recycled_m3": _F,
    "water_reused_m3": _F,
    "water_recycled_reused_share": _F,
    "water_intensity_l_per_pc": _F,
    "water_intensity_l_per_kg": _F,
    "water_intensity_l_per_unit": _F,
    "water_stress_score": _F,
    "water_risk_category": _STR,
    "wastewater_m3": _F,
    "wastewater_industrial_m3": _F,
    "wastewater_recycling_rate": _F,
    "zdhc_parameters_tested": _I,
    "zdhc_parameters_failing_foundational": _I,
    "zdhc_overall_level": _STR,
    "clearstream_points": _F,
    "clearstream_max_points": _F,
    "chem_months_reported": _I,
    "chem_products": _I,
    "chem_gateway_share": _F,
    "chem_mrsl_level_1_share": _F,
    "chem_mrsl_level_2_share": _F,
    "chem_mrsl_level_3_share": _F,
    "chem_incheck_verified_months": _I,
    "supplier_to_zero_level": _I,
    "waste_total_kg": _F,
    "waste_hazardous_kg": _F,
    "waste_nonhazardous_kg": _F,
    "waste_intensity_kg_per_unit": _F,
    "waste_share_landfill": _F,
    "waste_share_incineration": _F,
    "waste_share_energy_recovery": _F,
    "waste_share_recycling": _F,
    "waste_share_reuse": _F,
    "waste_share_composting": _F,
    "waste_share_other": _F,
    "waste_diversion_share": _F,
    "air_sources_count": _I,
    "air_sources_tracked_share": _F,
    "refrigerant_kgco2e": _F,
    "ems_has_policy": _B,
    "ems_has_management_system": _B,
}
for _area in ("energy", "water", "wastewater", "waste", "air", "chemicals"):
    MATRIX_SCHEMA[f"{_area}_has_baseline"] = _B
    MATRIX_SCHEMA[f"{_area}_has_target"] = _B
    MATRIX_SCHEMA[f"{_area}_tracks_progress"] = _B
for _area in ("energy", "water", "wastewater", "waste", "chemicals"):
    MATRIX_SCHEMA[f"{_area}_months_reported"] = _I
    MATRIX_SCHEMA[f"{_area}_complete"] = _B
for _area in ("energy", "water", "wastewater", "chemicals", "ems", "waste", "air"):
    MATRIX_SCHEMA[f"{_area}_verified_share"] = _F

#: A mill in Bangladesh with every area answered and nothing worse than the defaults.
GOOD_MILL: dict[str, Any] = {
    "facility_id": "F1",
    "year": 2024,
    "country_iso2": "BD",
    "un_region": "Asia",
    "un_subregion": "Southern Asia",
    "journey_factory_type": "mill",
    "intensity_basis": "kg",
    "production_volume_kg": 1_000_000.0,
    "energy_total_mj": 40_000_000.0,
    "energy_electric_mj": 10_000_000.0,
    "energy_thermal_mj": 30_000_000.0,
    "energy_intensity_mj_per_unit": 40.0,
    "renewable_share": 0.3,
    "coal_share_thermal": 0.0,
    "fossil_share_thermal": 1.0,
    "scope1_kgco2e": 1_700_000.0,
    "scope2_location_kgco2e": 1_800_000.0,
    "ghg_kgco2e": 3_500_000.0,
    "grid_factor_kgco2e_per_kwh": 0.5,
    "water_withdrawal_m3": 100_000.0,
    "water_intensity_l_per_unit": 100.0,
    "water_recycled_reused_share": 0.2,
    "water_risk_category": "low",
    "wastewater_m3": 90_000.0,
    "wastewater_recycling_rate": 0.2,
    "zdhc_parameters_tested": 40,
    "zdhc_overall_level": "progressive",
    "chem_products": 120,
    "chem_gateway_share": 0.9,
    "chem_months_reported": 12,
    "ems_has_policy": True,
    "ems_has_management_system": True,
    "waste_total_kg": 50_000.0,
    "waste_diversion_share": 0.8,
    "waste_share_landfill": 0.1,
    "air_sources_count": 3,
    "air_sources_tracked_share": 1.0,
}


def make_matrix(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A matrix frame with every contract column; unspecified values are null."""
    return pl.DataFrame(
        [{**{k: None for k in MATRIX_SCHEMA}, **row} for row in rows], schema=MATRIX_SCHEMA
    )


def mill(**changes: Any) -> dict[str, Any]:
    """GOOD_MILL with `changes` applied."""
    return {**GOOD_MILL, **changes}
