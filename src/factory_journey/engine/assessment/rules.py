"""Methodology conditions as polars expressions. A missing column or value never passes a test."""

from __future__ import annotations

import polars as pl

from factory_journey.engine.assessment.methodology import Condition


def condition_expr(condition: Condition, columns: set[str], area: str = "") -> pl.Expr:
    """Boolean expression for `condition`, null-safe: an unknown answer counts as not met."""
    name = condition.column.replace("{area}", area)
    if name not in columns:
        return pl.lit(False)
    col = pl.col(name)
    if condition.op == "is_true":
        expr = col.cast(pl.Boolean, strict=False)
    elif condition.op == "is_false":
        expr = ~col.cast(pl.Boolean, strict=False)
    elif condition.op == "in":
        expr = col.cast(pl.String).is_in([str(v) for v in condition.value])
    else:
        number = col.cast(pl.Float64, strict=False)
        value = float(condition.value)
        expr = {
            ">=": number >= value,
            ">": number > value,
            "<=": number <= value,
            "<": number < value,
            "==": number == value,
        }[condition.op]
    return expr.fill_null(False)


def all_of(conditions: list[pl.Expr]) -> pl.Expr:
    """True when every condition holds (True for none)."""
    if not conditions:
        return pl.lit(True)
    return pl.all_horizontal(conditions)
