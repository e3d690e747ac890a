"""Priority of each impact area (methodology formula), computed wide per facility-year.

priority = 100 × (w_gap·gap + w_relevance·relevance + w_region·regional_factor
                  + w_maturity·maturity_need), every term 0–1, so priority is 0–100 [points].
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.assessment.methodology import Methodology
from factory_journey.engine.assessment.plan import Frame, cached
from factory_journey.engine.assessment.rules import condition_expr


def relevance_expr(area: str, methodology: Methodology) -> pl.Expr:
    """Relevance of `area` to the facility's journey factory type (0–1); `*` row otherwise."""
    table = methodology.priority.relevance
    expr: pl.Expr = pl.lit(float(table["*"][area]))
    for ftype in sorted(table):
        if ftype != "*":
            expr = (
                pl.when(pl.col("_ftype") == ftype)
                .then(pl.lit(float(table[ftype][area])))
                .otherwise(expr)
            )
    return expr


def regional_exprs(
    area: str, methodology: Methodology, columns: set[str]
) -> tuple[pl.Expr, pl.Expr]:
    """(regional factor 0–1, `;`-joined keys of the adaptations that raised it)."""
    factor: pl.Expr = pl.lit(methodology.priority.default_regional_factor)
    applied = []
    for adaptation in methodology.regional_adaptations:
        if area not in adaptation.areas:
            continue
        hit = condition_expr(adaptation.when, columns, area)
        factor = pl.max_horizontal(
            factor, pl.when(hit).then(pl.lit(adaptation.regional_factor)).otherwise(factor)
        )
        applied.append(pl.when(hit).then(pl.lit(adaptation.key)))
    keys = (
        pl.concat_str(applied, separator=";", ignore_nulls=True)
        if applied
        else pl.lit("", pl.String)
    )
    return factor, pl.when(keys != "").then(keys)


def add_priorities(frame: Frame, methodology: Methodology, columns: frozenset[str]) -> Frame:
    """Add `_rel_ _reg_ _adapt_ _need_ _prio_` per area (priority null when not assessed)."""
    steps = cached(
        "priority", (methodology,), columns, lambda: _priority_steps(methodology, columns)
    )
    for step in steps:
        frame = frame.with_columns(step)
    return frame


def _priority_steps(methodology: Methodology, frame_columns: frozenset[str]) -> list[list[pl.Expr]]:
    weights = methodology.priority.weights
    top = len(methodology.maturity.stages)
    columns = set(frame_columns)
    exprs: list[pl.Expr] = []
    for area in methodology.areas:
        a = area.key
        factor, applied = regional_exprs(a, methodology, columns)
        need = (
            (pl.lit(top) - pl.col(f"_stage_{a}").cast(pl.Float64)) / max(top - 1, 1)
            if top > 1
            else pl.lit(0.0)
        )
        exprs += [
            relevance_expr(a, methodology).alias(f"_rel_{a}"),
            factor.alias(f"_reg_{a}"),
            applied.alias(f"_adapt_{a}"),
            need.alias(f"_need_{a}"),
        ]
    scores = []
    for area in methodology.areas:
        a = area.key
        score = 100.0 * (
            weights.gap * pl.col(f"_areagap_{a}")
            + weights.relevance * pl.col(f"_rel_{a}")
            + weights.region * pl.col(f"_reg_{a}")
            + weights.maturity * pl.col(f"_need_{a}")
        )
        # Rounded so that float noise never reorders areas between machines or runs.
        scores.append(score.round(4).alias(f"_prio_{a}"))
    return [exprs, scores]
