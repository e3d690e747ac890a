"""EMS practice facts: policy, management system, baselines, targets and tracking per area.

The `ems` table holds one row per facility, year and area. Policy and management system are
read from the `ems` area row, else from any area row that answers (true if any says so); the
baseline, target and tracking facts from each area's own row. Unanswered stays null.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.exprs import replaced
from factory_journey.engine.quality import quality_aggs, quality_rows

PRACTICE_AREAS: tuple[str, ...] = ("energy", "water", "wastewater", "waste", "air", "chemicals")
PRACTICES: tuple[str, ...] = ("has_baseline", "has_target", "tracks_progress")
FACILITY_FACTS: tuple[str, ...] = ("has_policy", "has_management_system")


def ems_rows(ems: pl.LazyFrame) -> pl.LazyFrame:
    """EMS rows with one column per matrix fact, set on the row of its area (else null)."""
    # Each row's area as a small integer, compared seven times instead of the string.
    names = ("ems", *PRACTICE_AREAS)
    code = replaced(pl.col("area").cast(pl.String), {n: i for i, n in enumerate(names)}, -1,
                    pl.Int8())
    ems = ems.with_columns(code.alias("_area"))
    area = pl.col("_area")
    facts = [
        pl.when(area == 0).then(pl.col(f).cast(pl.Boolean)).alias(f"_own_{f}")
        for f in FACILITY_FACTS
    ]
    facts += [
        pl.when(area == names.index(name)).then(pl.col(p).cast(pl.Boolean))
        .alias(f"{name}_{p}")
        for name in PRACTICE_AREAS
        for p in PRACTICES
    ]
    return ems.with_columns(*facts, *quality_rows(monthly=False))


def ems_aggs() -> list[pl.Expr]:
    """Per facility-year booleans (null = not answered); a max of booleans is `any`."""
    aggs = []
    for fact in FACILITY_FACTS:
        aggs += [pl.col(f"_own_{fact}").max().alias(f"_own_{fact}"),
                 pl.col(fact).cast(pl.Boolean).max().alias(f"_any_{fact}")]
    aggs += [
        pl.col(f"{name}_{p}").max().alias(f"{name}_{p}")
        for name in PRACTICE_AREAS
        for p in PRACTICES
    ]
    return [*aggs, *quality_aggs("ems", monthly=False)]


def ems_columns() -> list[pl.Expr]:
    """Policy and management system: the `ems` row's answer, else any area's."""
    return [
        pl.coalesce(f"_own_{fact}", f"_any_{fact}").alias(f"ems_{fact}")
        for fact in FACILITY_FACTS
    ]
