"""Cells of a facility profile checked once per distinct value: choices, countries, OS Hub
IDs, units and numbers, and the "accepted" texts of their problems (`profile_validate` uses
them column by column)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from factory_journey.domain import fem_enums
from factory_journey.domain.os_hub_id import OsHubIdError, parse_os_hub_id
from factory_journey.domain.profile_rules import (
    os_hub_id_normalised_expr,
    os_hub_id_valid_expr,
)
from factory_journey.domain.tables import Column
from factory_journey.domain.units import UnknownUnitError, unit_dimension
from factory_journey.ingest import parse
from factory_journey.ingest.cells import parse_list
from factory_journey.ingest.units import dimension_words


def distinct_values(frame: pl.DataFrame, values: pl.Expr) -> list[Any]:
    """The distinct values of `values` (an expression on `frame`), nulls left out."""
    return frame.select(values.unique().drop_nulls()).to_series().to_list()


def by_distinct(
    frame: pl.DataFrame, values: pl.Expr, fn: Callable[[str], Any], dtype: Any,
    distinct: list[Any] | None = None,
) -> pl.Expr:
    """`fn` applied once per distinct value of `values` (an expression on `frame`), as an
    expression mapping `values`; null gives null. `distinct`, when given, are those values
    (found once for the several mappings of one column).

    A mapping that gives null for every value, or every text value back as it is, is not
    applied row by row (a hash look-up per row): the column of nulls, or the column itself."""
    if distinct is None:
        distinct = distinct_values(frame, values)
    mapped = [fn(value) for value in distinct]
    if all(value is None for value in mapped):
        return pl.lit(None, dtype)
    if dtype == pl.String and all(
        isinstance(value, str) and value == result
        for value, result in zip(distinct, mapped, strict=True)
    ):
        return values.cast(pl.String)
    return values.replace_strict(distinct, mapped, default=None, return_dtype=dtype)


def by_distinct_or(
    frame: pl.DataFrame, values: pl.Expr, blank: str, fn: Callable[[str], Any], dtype: Any,
    distinct: list[Any] | None = None,
) -> pl.Expr:
    """`by_distinct` of `values` with a null read as `blank`: the same as of
    `values.fill_null(blank)`, without a filled copy of the column."""
    return (pl.when(values.is_null()).then(pl.lit(fn(blank), dtype))
            .otherwise(by_distinct(frame, values, fn, dtype, distinct)))


def parsed_by_distinct(frame: pl.DataFrame, raw: pl.Expr, parsed: pl.Expr) -> pl.Expr:
    """`parsed` (a polars parser of a column `value`) evaluated once per distinct value of
    `raw` and mapped onto the rows: the same parser, a fraction of the work on a
    low-cardinality column (yes/no)."""
    distinct = frame.select(raw.unique().drop_nulls().alias("value"))
    results = distinct.select(parsed.alias("parsed")).to_series()
    return raw.replace_strict(distinct["value"], results, default=None,
                              return_dtype=results.dtype)


def os_hub_ids(frame: pl.DataFrame, raw: pl.Expr) -> pl.Expr:
    """Each distinct OS Hub ID checked once: normalised `id`, `ok` by the polars check
    character, and `why` it fails in the parser's words (failing IDs only)."""
    distinct = frame.select(raw.unique().drop_nulls().alias("value")).with_columns(
        os_hub_id_normalised_expr(pl.col("value")).alias("id"))
    distinct = distinct.with_columns(os_hub_id_valid_expr(pl.col("id")).alias("ok"))
    failing = distinct.filter(~pl.col("ok"))["value"].to_list()
    if not failing and distinct["id"].equals(distinct["value"], check_names=False):
        # every ID valid and written as normalised: the column itself (no look-up per row)
        text = raw.cast(pl.String)
        return pl.struct(text.alias("id"), text.is_not_null().alias("ok"),
                         pl.lit(None, pl.String).alias("why"))
    distinct = distinct.with_columns(pl.col("value").replace_strict(
        failing, [osh_problem(v)[1] for v in failing], default=None, return_dtype=pl.String
    ).alias("why"))
    results = distinct.select(pl.struct("id", "ok", "why")).to_series()
    return raw.replace_strict(distinct["value"], results, default=None,
                              return_dtype=results.dtype)


def choices(value: str, enum: str | tuple[str, ...]) -> tuple[list[str], str | None]:
    """Keys of a `;`-separated answer (first unknown item, if any)."""
    keys: list[str] = []
    for item in parse_list(value):
        key = resolve_choice(item, enum)
        if key is None:
            return [], item
        if key not in keys:
            keys.append(key)
    return keys, None


def resolve_choice(value: str, enum: str | tuple[str, ...]) -> str | None:
    if isinstance(enum, tuple):
        folded = fem_enums.fold(value)
        return next((choice for choice in enum if fem_enums.fold(choice) == folded), None)
    return fem_enums.enumeration(enum).resolve(value)


def enum_accepted(enum: str | tuple[str, ...]) -> str:
    return ", ".join(enum) if isinstance(enum, tuple) else fem_enums.enumeration(enum).accepted()


def osh_problem(value: str) -> tuple[str | None, str | None]:
    try:
        return parse_os_hub_id(value).value, None
    except OsHubIdError as error:
        return None, error.message


def unit_problem(unit: str, key: str) -> str | None:
    """Why `unit` cannot measure the volume of facility type `key` (None when it can)."""
    info = fem_enums.facility_types()[key]
    try:
        dimension: str | None = unit_dimension(unit)
    except UnknownUnitError:
        dimension = None
    if dimension == unit_dimension(info.production_unit):
        return None
    if dimension is None:  # whole sentences: each is translated on the pages
        return (f"unknown unit {unit!r} for the {info.label} volume, which is in "
                f"{info.production_unit}")
    # no article before the dimension's words: "a" or "an" would depend on the word
    return (f"the unit {unit!r} measures {dimension_words(dimension)}, not the {info.label} "
            f"volume, which is in {info.production_unit}")


def numbers(frame: pl.DataFrame, name: str, dtype: pl.DataType) -> pl.Series:
    """The numbers of a raw column: a plain cast, and `parse.number` (thousands commas, …)
    only when some cell needs it."""
    if dtype != pl.String:
        if dtype == pl.Float64:
            column = frame.get_column(name)
            if column.is_finite().fill_null(True).all():
                return column  # no NaN or infinity to take out: the column itself, no copy
        return frame.select(parse.number(name, dtype)).to_series()
    plain = frame.select(pl.col(name).cast(pl.Float64, strict=False).alias(name)).to_series()
    unread = frame.select((pl.col(name).is_not_null() & plain.is_null()).any()).item()
    finite = plain.is_finite().fill_null(True).all()
    if unread or not finite:
        return frame.select(parse.number(name, dtype)).to_series()
    return plain


def range_accepted(column: Column) -> str:
    low, high = column.minimum, column.maximum
    if low is not None and high is not None:
        return f"a number from {low:g} to {high:g}"
    if low is not None:
        return f"a number ≥ {low:g}"
    return f"a number ≤ {high:g}"
