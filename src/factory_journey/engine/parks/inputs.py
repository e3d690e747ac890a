"""The park tables as the engine receives them (read and checked by `ingest.park_reader`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl


@dataclass(slots=True)
class ParkTables:
    """parks (with `country_iso2`), members and shared facilities by year, the shared
    facilities' rows per ordinary table name (energy, water, wastewater, waste,
    zdhc_wastewater; `facility_id` = shared facility, `member_facility_id` = the member whose
    flow was metered there, else null) and the questionnaire (`answer_value`: yes 1, partly
    0.5, no 0, a number as given; null for unknown)."""

    parks: pl.DataFrame
    members: pl.DataFrame
    shared_facilities: pl.DataFrame
    shared: dict[str, pl.DataFrame] = field(default_factory=dict)
    questionnaire: pl.DataFrame | None = None
