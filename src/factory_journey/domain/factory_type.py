"""FEM facility types → the journey factory type (docs/decisions/0002-journey-factory-type.md).

Each FEM facility type has a class in `fem_facility_types.csv` (`cut_sew`, `mill`,
`component`, `raw_material`). A facility with several types is classified by precedence:
assembly together with wet processing or material production is `vertical`; otherwise the
most downstream class wins: cut_sew > mill > component > raw_material.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from factory_journey.domain.fem_enums import facility_types

JOURNEY_FACTORY_TYPES: tuple[str, ...] = (
    "cut_sew",
    "mill",
    "vertical",
    "component",
    "raw_material",
)
#: Single classes in precedence order, after the vertical test.
_PRECEDENCE: tuple[str, ...] = ("cut_sew", "mill", "component", "raw_material")


def _classes() -> dict[str, str]:
    return {key: info.journey_factory_type for key, info in facility_types().items()}


def journey_factory_type(types: Iterable[str]) -> str | None:
    """The journey factory type of a facility from its FEM facility type keys.

    Unknown keys are ignored; no known key gives None.
    """
    mapping = _classes()
    classes = {mapping[key] for key in types if key in mapping}
    if "cut_sew" in classes and "mill" in classes:
        return "vertical"
    for name in _PRECEDENCE:
        if name in classes:
            return name
    return None


def journey_factory_type_expr(types: str | pl.Expr) -> pl.Expr:
    """Vectorised `journey_factory_type` over a `list[str]` column of facility type keys.

    Null or empty lists, or lists of unknown keys only, give null.
    """
    column = pl.col(types) if isinstance(types, str) else types
    mapping = _classes()
    classes = column.list.eval(
        pl.element().replace_strict(mapping, default=None, return_dtype=pl.String)
    )

    def has(name: str) -> pl.Expr:
        return classes.list.contains(name).fill_null(False)

    # Same precedence as `_PRECEDENCE`, written out because polars types each link apart.
    return (
        pl.when(has("cut_sew") & has("mill"))
        .then(pl.lit("vertical"))
        .when(has("cut_sew"))
        .then(pl.lit("cut_sew"))
        .when(has("mill"))
        .then(pl.lit("mill"))
        .when(has("component"))
        .then(pl.lit("component"))
        .when(has("raw_material"))
        .then(pl.lit("raw_material"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("journey_factory_type")
    )
