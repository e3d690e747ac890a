"""EMS practice facts: policy, management system, baselines, targets and tracking per area.

The `ems` table holds one row per facility, year and area. Policy and management system are
read from the `ems` area row (else any area row that answers); the baseline, target and
tracking facts from each area's own row. Unanswered stays null.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.quality import verified_aggs

PRACTICE_AREAS: tuple[str, ...] = ("energy", "water", "wastewater", "waste", "air", "chemicals")
PRACTICES: tuple[str, ...] = ("has_baseline", "has_target", "tracks_progress")


def ems_aggs() -> list[pl.Expr]:
    """Per facility-year booleans (null = not answered)."""
    area = pl.col("area").cast(pl.String)

    def fact(column: str, where: pl.Expr) -> pl.Expr:
        return pl.col(column).cast(pl.Boolean).filter(where).drop_nulls().first()

    def any_area(column: str) -> pl.Expr:
        # The `ems` row answers for the facility; without it, any area's answer counts.
        value = pl.col(column).cast(pl.Boolean)
        own = value.filter(area == "ems").drop_nulls()
        return pl.when(own.len() > 0).then(own.first()).otherwise(value.drop_nulls().max())

    aggs = [
        pl.lit(True).alias("_ems_present"),
        any_area("has_policy").alias("ems_has_policy"),
        any_area("has_management_system").alias("ems_has_management_system"),
    ]
    aggs += [
        fact(practice, area == name).alias(f"{name}_{practice}")
        for name in PRACTICE_AREAS
        for practice in PRACTICES
    ]
    return [*aggs, *verified_aggs("ems")]
