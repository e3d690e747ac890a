"""The dataset contract: the tables a Factory Journey dataset holds and their columns.

A dataset is a folder of CSV (or Parquet) files named `<table>.csv`, one .xlsx workbook with
a sheet per table, or one JSON document `{"<table>": [records...]}`. This module is the single
source of truth for that contract; `docs/data-format.md` describes it for people and a test
checks the two agree.

Conventions for every performance table:
- `facility_id` names a facility of the `profiles` table; `year` is the reporting year.
- `month` is 1–12 for a monthly value or empty for an annual value. Twelve monthly values
  make a complete year; fewer are flagged incomplete in the matrix.
- Quantities come with their unit as reported (`unit`); ingestion converts them once to the
  canonical unit of the table's dimension and keeps the reported value and unit beside it.
- `verification_status` is `self-reported` (default), `verified` or `disputed`.
- Columns carry the Higg FEM Ref ID where FEM has one (`fem_ref_id` below).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["str", "float", "int", "bool", "date", "list"]

VERIFICATION_STATUSES: tuple[str, ...] = ("self-reported", "verified", "disputed")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a dataset table.

    `enum` names a reference table whose `key` column (and `aliases`) list accepted values,
    or is a tuple of accepted values. `dimension` marks a quantity column whose unit is in the
    table's `unit` column (`energy`, `volume`, `mass`, …).
    """

    name: str
    type: ColumnType
    description: str
    required: bool = False
    enum: str | tuple[str, ...] | None = None
    dimension: str | None = None
    fem_ref_id: str | None = None
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """One table of a dataset: its name, what a row is, its columns and its row key."""

    name: str
    row_is: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


_FACILITY = Column("facility_id", "str", "Facility identifier used across all tables.", True)
_YEAR = Column("year", "int", "Reporting year.", True, minimum=1990, maximum=2100)
_MONTH = Column("month", "int", "Month 1–12; empty for an annual value.", minimum=1, maximum=12)
_UNIT = Column("unit", "str", "Unit as reported (see accepted units).", True)
_VERIFICATION = Column(
    "verification_status",
    "str",
    "self-reported (default), verified or disputed.",
    enum=VERIFICATION_STATUSES,
)

ENERGY = Table(
    name="energy",
    row_is="one energy source of one facility in one month (or year)",
    key=("facility_id", "year", "month", "source"),
    columns=(
        _FACILITY,
        _YEAR,
        _MONTH,
        Column(
            "source",
            "str",
            "FEM energy source.",
            True,
            enum="fem_energy_sources.csv",
            fem_ref_id="ensourceheader",
        ),
        Column(
            "quantity", "float", "Quantity used, in `unit`.", True, dimension="energy", minimum=0
        ),
        _UNIT,
        Column(
            "tracking_method",
            "str",
            "How the quantity was tracked.",
            enum=("meter", "invoice", "estimate"),
        ),
        Column(
            "production_share",
            "float",
            "Share used for production (rest is domestic), 0–1; empty = all production.",
            minimum=0,
            maximum=1,
        ),
        Column(
            "instrument",
            "str",
            "For purchased renewable electricity: the contractual instrument.",
            enum=("PPA", "EAC", "green_tariff", "none"),
        ),
        Column(
            "market_factor_kgco2e_per_kwh",
            "float",
            "Supplier- or instrument-specific emission factor for market-based Scope 2 "
            "[kgCO2e/kWh]; empty = use the residual (grid) factor.",
            minimum=0,
        ),
        _VERIFICATION,
    ),
    notes=(
        "Fuels given in mass or volume (litres of diesel, tonnes of coal, Nm³ of natural gas) "
        "are turned into energy with the IPCC 2006 net calorific values and densities.",
    ),
)

WATER = Table(
    name="water",
    row_is="one water source or flow of one facility in one month (or year)",
    key=("facility_id", "year", "month", "source", "flow"),
    columns=(
        _FACILITY,
        _YEAR,
        _MONTH,
        Column(
            "source",
            "str",
            "Water source.",
            True,
            enum="fem_water_sources.csv",
            fem_ref_id="wtrsourceheader",
        ),
        Column(
            "flow",
            "str",
            "withdrawal (fresh water taken in), recycled (treated and used again in process) "
            "or reused (used again without treatment).",
            True,
            enum=("withdrawal", "recycled", "reused"),
        ),
        Column("quantity", "float", "Volume, in `unit`.", True, dimension="volume", minimum=0),
        _UNIT,
        Column(
            "tracking_method",
            "str",
            "How the volume was tracked.",
            enum=("meter", "invoice", "estimate"),
        ),
        _VERIFICATION,
    ),
)

WASTEWATER = Table(
    name="wastewater",
    row_is="one wastewater type of one facility in one month (or year)",
    key=("facility_id", "year", "month", "wastewater_type"),
    columns=(
        _FACILITY,
        _YEAR,
        _MONTH,
        Column(
            "wastewater_type",
            "str",
            "Type of wastewater.",
            True,
            enum=("domestic", "industrial", "combined"),
            fem_ref_id="wwtypeheader",
        ),
        Column(
            "quantity", "float", "Volume generated, in `unit`.", True, dimension="volume", minimum=0
        ),
        _UNIT,
        Column(
            "recycled_share",
            "float",
            "Share of this volume recycled onsite, 0–1.",
            minimum=0,
            maximum=1,
        ),
        Column("discharge_type", "str", "ZDHC discharge type.", enum="zdhc_discharge_types.csv"),
        _VERIFICATION,
    ),
)

WASTE = Table(
    name="waste",
    row_is="one waste stream and disposal method of one facility in one month (or year)",
    key=("facility_id", "year", "month", "stream", "disposal_method"),
    columns=(
        _FACILITY,
        _YEAR,
        _MONTH,
        Column(
            "stream",
            "str",
            "FEM waste stream.",
            True,
            enum="fem_waste_streams.csv",
            fem_ref_id="wastestreamheader",
        ),
        Column("hazardous", "bool", "Hazardous under local law, else the Basel Convention.", True),
        Column("quantity", "float", "Mass, in `unit`.", True, dimension="mass", minimum=0),
        _UNIT,
        Column(
            "disposal_method", "str", "Disposal route.", True, enum="waste_disposal_methods.csv"
        ),
        _VERIFICATION,
    ),
)

AIR = Table(
    name="air",
    row_is="one air emission source of one facility in one year",
    key=("facility_id", "year", "source_name"),
    columns=(
        _FACILITY,
        _YEAR,
        Column("source_name", "str", "Name of the source (e.g. Boiler 1, Chiller 2).", True),
        Column(
            "source_type",
            "str",
            "FEM air source type.",
            True,
            enum=("point", "fugitive", "mobile"),
            fem_ref_id="airsourcetype",
        ),
        Column("tracked", "bool", "Emissions of this source are quantified and tracked."),
        Column(
            "refrigerant",
            "str",
            "Refrigerant gas for fugitive sources (e.g. R-410A).",
            enum="gwp.csv",
        ),
        Column(
            "refrigerant_recharge_kg",
            "float",
            "Refrigerant added in the year to make up leaks [kg].",
            minimum=0,
        ),
        _VERIFICATION,
    ),
)

CHEMICALS = Table(
    name="chemicals",
    row_is="one monthly ZDHC InCheck summary of one facility",
    key=("facility_id", "year", "month"),
    columns=(
        _FACILITY,
        _YEAR,
        Column("month", "int", "Month of the InCheck report, 1–12.", True, minimum=1, maximum=12),
        Column(
            "products_in_inventory", "int", "Chemical products in the inventory.", True, minimum=0
        ),
        Column(
            "products_on_gateway",
            "int",
            "Of these, products listed on the ZDHC Gateway.",
            minimum=0,
        ),
        Column("mrsl_level_1", "int", "Products at MRSL conformance level 1.", minimum=0),
        Column("mrsl_level_2", "int", "Products at MRSL conformance level 2.", minimum=0),
        Column("mrsl_level_3", "int", "Products at MRSL conformance level 3.", minimum=0),
        Column("incheck_verified", "bool", "The InCheck report is verified (Level 1 or 2)."),
        Column(
            "supplier_to_zero_level",
            "int",
            "ZDHC Supplier to Zero certificate level held in this month (0 = none).",
            minimum=0,
            maximum=3,
        ),
        _VERIFICATION,
    ),
)

EMS = Table(
    name="ems",
    row_is="the environmental management practice of one facility for one impact area and year",
    key=("facility_id", "year", "area"),
    columns=(
        _FACILITY,
        _YEAR,
        Column(
            "area",
            "str",
            "Impact area.",
            True,
            enum=("ems", "energy", "water", "wastewater", "waste", "air", "chemicals"),
        ),
        Column("has_policy", "bool", "A written environmental policy covers this area."),
        Column(
            "has_management_system",
            "bool",
            "A certified or documented management system (e.g. ISO 14001) covers it.",
        ),
        Column("has_baseline", "bool", "A baseline is established for this area."),
        Column("has_target", "bool", "A reduction or improvement target is set."),
        Column(
            "target_reduction_pct",
            "float",
            "Size of the target [% reduction].",
            minimum=0,
            maximum=100,
        ),
        Column("target_year", "int", "Year the target is to be met.", minimum=2000, maximum=2100),
        Column("tracks_progress", "bool", "Progress against the target is tracked."),
        _VERIFICATION,
    ),
)

ZDHC_WASTEWATER = Table(
    name="zdhc_wastewater",
    row_is="one parameter of one ZDHC wastewater test sample",
    key=("facility_id", "sample_date", "sampling_point", "parameter"),
    columns=(
        _FACILITY,
        Column("sample_date", "date", "Date the sample was taken (YYYY-MM-DD).", True),
        Column(
            "year",
            "int",
            "Reporting year; optional, must be the year of sample_date.",
            minimum=1990,
            maximum=2100,
        ),
        Column(
            "parameter",
            "str",
            "ZDHC wastewater parameter.",
            True,
            enum="zdhc_wastewater_limits.csv",
        ),
        Column("value", "float", "Measured value, in `unit`.", True),
        Column("unit", "str", "Unit of the value (mg/L, °C, m-1, cfu/100 mL, …).", True),
        Column(
            "discharge_type", "str", "ZDHC discharge type.", True, enum="zdhc_discharge_types.csv"
        ),
        Column(
            "sampling_point",
            "str",
            "Where the sample was taken.",
            True,
            enum=("untreated", "discharged", "sludge"),
        ),
        Column("report_id", "str", "ClearStream / lab report reference."),
        _VERIFICATION,
    ),
    notes=("The year of a result is the year of its sample date.",),
)

PROGRAMMES = Table(
    name="programmes",
    row_is="one facility's participation in one improvement programme",
    key=("facility_id", "programme", "start_date"),
    columns=(
        _FACILITY,
        Column(
            "programme",
            "str",
            "Programme.",
            True,
            enum="programmes.csv",
            fem_ref_id="sipindustryprograms",
        ),
        Column("start_date", "date", "Enrolment start (YYYY-MM-DD or YYYY-MM).", True),
        Column("end_date", "date", "Enrolment end; empty while ongoing."),
        Column("rating", "str", "Rating or status received."),
        Column("link", "str", "Link to the programme status or certificate."),
    ),
)

#: Performance tables in the order a person fills them. The `profiles` table (facility
#: profile = FEM Site Information) is defined in `factory_journey.domain.profile`.
PERFORMANCE_TABLES: tuple[Table, ...] = (
    ENERGY,
    WATER,
    WASTEWATER,
    WASTE,
    AIR,
    CHEMICALS,
    EMS,
    ZDHC_WASTEWATER,
    PROGRAMMES,
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in PERFORMANCE_TABLES}
