"""Maturity stage per impact area: cumulative stages built from methodology conditions.

Stage 1 needs nothing; stage s needs its own conditions and those of every lower stage. An area
may replace a stage's conditions (`maturity.area_conditions`), e.g. EMS uses policy and
management system instead of a baseline.
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.assessment.methodology import Methodology
from factory_journey.engine.assessment.plan import Frame, cached
from factory_journey.engine.assessment.rules import all_of, condition_expr


def maturity_stage_expr(area: str, methodology: Methodology, columns: set[str]) -> pl.Expr:
    """Stage 1…N reached by `area` [stage number, Int8]."""
    stage: pl.Expr = pl.lit(1, pl.Int8)
    reached: pl.Expr = pl.lit(True)
    overrides = methodology.maturity.area_conditions.get(area, {})
    for spec in methodology.maturity.stages[1:]:
        conditions = overrides.get(spec.key, spec.conditions)
        reached = reached & all_of([condition_expr(c, columns, area) for c in conditions])
        stage = pl.when(reached).then(pl.lit(spec.stage, pl.Int8)).otherwise(stage)
    return stage


def stage_keys(methodology: Methodology) -> dict[int, str]:
    """Stage number → key (`awareness`, `baseline`, …)."""
    return {s.stage: s.key for s in methodology.maturity.stages}


def add_maturity(frame: Frame, methodology: Methodology, columns: frozenset[str]) -> Frame:
    """Add `_stage_<area>` for every area and `_stage_facility` (the lowest of them)."""

    def build() -> list[list[pl.Expr]]:
        stages = [
            maturity_stage_expr(a.key, methodology, set(columns)).alias(f"_stage_{a.key}")
            for a in methodology.areas
        ]
        lowest = pl.min_horizontal([f"_stage_{a.key}" for a in methodology.areas])
        return [stages, [lowest.alias("_stage_facility")]]

    for step in cached("maturity", (methodology,), columns, build):
        frame = frame.with_columns(step)
    return frame
