"""EMS practice facts: policy, management system, baselines, targets and tracking per area.

The `ems` table holds one row per facility, year and area. Policy and management system are
read from the `ems` area row, else from any area row that answers (true if any says so); the
baseline, target and tracking facts from each area's own row. Unanswered stays null.

Each fact is two bits of one integer per row, "answered" and "true": the facility-year's
facts are then one bitwise OR over its rows (the `max` of a boolean that ignores nulls is
"answered by a row" and "true in a row") instead of 22 aggregations, and are unpacked on the
joined matrix (`ems_fact_columns`).
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.exprs import replaced
from factory_journey.engine.quality import quality_aggs, quality_rows

PRACTICE_AREAS: tuple[str, ...] = ("energy", "water", "wastewater", "waste", "air", "chemicals")
PRACTICES: tuple[str, ...] = ("has_baseline", "has_target", "tracks_progress")
FACILITY_FACTS: tuple[str, ...] = ("has_policy", "has_management_system")

#: The aggregated bits of a facility-year's facts (null: no EMS row).
FACTS_MASK = "_ems_facts"

#: Matrix column of each fact, in bit order: two bits each, from bit 0.
FACT_COLUMNS: tuple[str, ...] = (
    *[f"_own_{f}" for f in FACILITY_FACTS],
    *[f"_any_{f}" for f in FACILITY_FACTS],
    *[f"{name}_{p}" for name in PRACTICE_AREAS for p in PRACTICES],
)


def _bits(columns: tuple[str, ...]) -> pl.Expr:
    """The "answered" and "true" bits of `columns`, two per column from bit 0."""
    parts = []
    for i, column in enumerate(columns):
        value = pl.col(column).cast(pl.Boolean)
        parts += [value.is_not_null().cast(pl.Int64) * (1 << (2 * i)),
                  value.fill_null(False).cast(pl.Int64) * (1 << (2 * i + 1))]
    return pl.sum_horizontal(parts)


def ems_rows(ems: pl.LazyFrame) -> pl.LazyFrame:
    """EMS rows with `_ems_bits`: the facts of the row, each set at its matrix fact's bits
    (the own policy facts only on the `ems` area row, each practice only on its area's)."""
    area = pl.col("area").cast(pl.String)
    facility = len(FACILITY_FACTS) * 2
    # Where a row's facts go: the own facts on the `ems` row; the practices at their area's.
    # Both mappings name every area in the same order, so the area is looked up once (the
    # two identical Enum casts are one common subexpression for polars).
    practices = {name: 1 << (2 * facility + 2 * len(PRACTICES) * i)
                 for i, name in enumerate(PRACTICE_AREAS)}
    names = ["ems", *practices]
    own_at = replaced(area, {name: int(name == "ems") for name in names}, 0, pl.Int64())
    practices_at = replaced(area, {name: practices.get(name, 0) for name in names}, 0,
                            pl.Int64())
    bits = (
        own_at * _bits(FACILITY_FACTS)
        + _bits(FACILITY_FACTS) * (1 << facility)
        + practices_at * _bits(PRACTICES)
    )
    return ems.with_columns(bits.alias("_ems_bits"), *quality_rows(monthly=False))


def ems_aggs() -> list[pl.Expr]:
    """Per facility-year fact bits (OR over the rows) and the quality aggregation."""
    return [
        pl.col("_ems_bits").bitwise_or().alias(FACTS_MASK),
        *quality_aggs("ems", monthly=False),
    ]


def ems_fact_columns() -> list[pl.Expr]:
    """The facts unpacked on the joined matrix: null when no row answered, else whether a row
    said true (what `max` of the boolean over the rows gives)."""
    mask = pl.col(FACTS_MASK)
    return [
        pl.when((mask & (1 << (2 * i))) != 0).then((mask & (1 << (2 * i + 1))) != 0)
        .alias(column)
        for i, column in enumerate(FACT_COLUMNS)
    ]


def ems_columns() -> list[pl.Expr]:
    """Policy and management system: the `ems` row's answer, else any area's."""
    return [
        pl.coalesce(f"_own_{fact}", f"_any_{fact}").alias(f"ems_{fact}")
        for fact in FACILITY_FACTS
    ]
