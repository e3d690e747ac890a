"""The park tables of a dataset (docs/park-data-format.md), in the contract's own terms.

Parks, their members by year, their shared facilities by year, the shared facilities' own
performance data (`shared_<table>`: the columns of `<table>` plus `member_facility_id`) and
the park questionnaire. Ordinary dataset readers load these tables and leave them aside;
`ingest.park_reader` types and checks them.
"""

from __future__ import annotations

from dataclasses import replace

from factory_journey.domain.tables import (
    ENERGY,
    VERIFICATION_STATUSES,
    WASTE,
    WASTEWATER,
    WATER,
    ZDHC_WASTEWATER,
    Column,
    Table,
)

SHARED_FACILITY_TYPES: tuple[str, ...] = (
    "central_effluent_treatment",
    "central_boiler",
    "power_plant",
    "solar_plant",
    "water_supply",
    "waste_yard",
    "dormitory",
    "canteen",
    "other",
)
SERVES: tuple[str, ...] = (
    "metered", "allocated_by_volume", "allocated_by_production", "not_allocated"
)

_PARK = Column("park_id", "str", "Park identifier used across the park tables.", True)
_YEAR = Column("year", "int", "Reporting year.", True, minimum=1990, maximum=2100)
_CAP = Column(
    "zdhc_cap_filed", "bool",
    "A ZDHC corrective action plan is filed for the year's failing results.",
)

PARKS = Table(
    name="parks",
    row_is="one industrial park",
    key=("park_id",),
    columns=(
        _PARK,
        Column("park_name", "str", "Name of the park."),
        Column("country", "str", "Country of the park (ISO alpha-2, alpha-3 or name).", True),
        Column("operator", "str", "The organisation that operates the park."),
        Column("latitude", "float", "Latitude [degree, WGS 84].", minimum=-90, maximum=90),
        Column("longitude", "float", "Longitude [degree, WGS 84].", minimum=-180, maximum=180),
    ),
)

PARK_MEMBERS = Table(
    name="park_members",
    row_is="one member facility of a park in one year",
    key=("park_id", "year", "facility_id"),
    columns=(
        _PARK,
        _YEAR,
        Column("facility_id", "str", "The member facility (a facility of profiles).", True),
        Column("os_id", "str", "Open Supply Hub ID of the member."),
        _CAP,
    ),
)

SHARED_FACILITIES = Table(
    name="shared_facilities",
    row_is="one shared facility of a park in one year it operates",
    key=("park_id", "year", "shared_facility_id"),
    columns=(
        _PARK,
        _YEAR,
        Column("shared_facility_id", "str", "Identifier, used as facility_id in shared_*.", True),
        Column("name", "str", "Name of the shared facility."),
        Column("type", "str", "What it is.", True, enum=SHARED_FACILITY_TYPES),
        Column("serves", "str", "How its figures are shared out to members.", enum=SERVES),
        Column("delivers_energy_source", "str", "Energy carrier it supplies to members.",
               enum="fem_energy_sources.csv"),
        Column("delivers_water_source", "str", "Water it supplies to members.",
               enum="fem_water_sources.csv"),
        _CAP,
    ),
)

PARK_QUESTIONNAIRE = Table(
    name="park_questionnaire",
    row_is="one answer of a park to one framework question in one year",
    key=("park_id", "year", "question_id"),
    columns=(
        _PARK,
        _YEAR,
        Column("question_id", "str", "A question id of the framework.", True),
        Column("answer", "str", "yes, partly, no, unknown, or a number.", True),
        Column("evidence", "str", "The document(s) that show the answer."),
        Column("verification_status", "str", "self-reported (default), verified or disputed.",
               enum=VERIFICATION_STATUSES),
    ),
)

MEMBER_FLOW = Column(
    "member_facility_id", "str",
    "The member whose flow this is, metered at the shared facility; empty = its own flow.",
)


def _shared(base: Table) -> Table:
    """`shared_<base>`: the base table's columns with `facility_id` naming a shared facility,
    plus `member_facility_id` (part of the row key)."""
    columns = tuple(
        replace(c, description="The shared facility (shared_facilities.shared_facility_id).")
        if c.name == "facility_id" else c
        for c in base.columns
    )
    return Table(
        name=f"shared_{base.name}",
        row_is=f"{base.row_is}, of a shared facility",
        key=(*base.key, MEMBER_FLOW.name),
        columns=(*columns, MEMBER_FLOW),
        notes=base.notes,
    )


#: shared table → the ordinary table whose columns and rules it has.
SHARED_BASES: dict[str, Table] = {
    f"shared_{t.name}": t for t in (ENERGY, WATER, WASTEWATER, WASTE, ZDHC_WASTEWATER)
}
SHARED_TABLES: tuple[Table, ...] = tuple(_shared(t) for t in SHARED_BASES.values())

#: Every park table, in reading order.
PARK_TABLES: tuple[Table, ...] = (
    PARKS, PARK_MEMBERS, SHARED_FACILITIES, *SHARED_TABLES, PARK_QUESTIONNAIRE,
)
PARK_TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in PARK_TABLES}
