"""Hand-made Data Matrix panels (contracts §3 columns) whose outcomes are known exactly."""

from __future__ import annotations

from typing import Any

import polars as pl

AREAS = ("energy", "water", "wastewater", "waste", "air", "chemicals")


def row(facility_id: str, year: int, **values: Any) -> dict[str, Any]:
    """One facility-year: a complete, self-reported mill in Bangladesh unless told otherwise."""
    base: dict[str, Any] = {
        "facility_id": facility_id,
        "year": year,
        "country_iso2": "BD",
        "country_iso3": "BGD",
        "journey_factory_type": "mill",
        "intensity_basis": "kg",
        "programmes_active": None,
        "energy_intensity_mj_per_unit": None,
        "water_intensity_l_per_unit": None,
        "wastewater_recycling_rate": None,
        "chem_gateway_share": None,
        "waste_intensity_kg_per_unit": None,
        "air_sources_tracked_share": None,
    }
    for area in ("energy", "water", "wastewater", "waste", "chemicals"):
        base[f"{area}_complete"] = True
        base[f"{area}_months_reported"] = 12
    for area in (*AREAS, "ems"):
        base[f"{area}_verified_share"] = 0.0
    for area in AREAS:
        base[f"{area}_has_baseline"] = None
        base[f"{area}_has_target"] = None
    base.update(values)
    return base


def panel(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A matrix frame from `row(...)` dicts."""
    return pl.DataFrame(rows, infer_schema_length=None)


def energy_pair(
    facility_id: str, start: float, end: float, *, years: tuple[int, int] = (2021, 2023),
    **values: Any,
) -> list[dict[str, Any]]:
    """Two years of one facility with energy intensity `start` → `end` [MJ/unit]."""
    return [
        row(facility_id, years[0], energy_intensity_mj_per_unit=start, **values),
        row(facility_id, years[1], energy_intensity_mj_per_unit=end, **values),
    ]


def programmes(entries: list[tuple[str, str, str, str | None]]) -> pl.DataFrame:
    """A programmes table: (facility_id, programme, start_date, end_date)."""
    return pl.DataFrame(
        entries,
        schema={"facility_id": pl.String, "programme": pl.String, "start_date": pl.String,
                "end_date": pl.String},
        orient="row",
    )
