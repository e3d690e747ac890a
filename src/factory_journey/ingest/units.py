"""Unit conversion at ingestion: quantities to the canonical unit of their own dimension.

Vectorised: the distinct unit spellings of a table (a handful) are looked up once with
`domain.units`, then the factors are applied to the whole column. The value and unit as
reported stay beside the converted ones (docs/contracts.md §2).
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from factory_journey.domain.units import (
    CANONICAL_SYMBOLS,
    UnknownUnitError,
    accepted_units,
    conversion_factor,
    unit_dimension,
)
from factory_journey.ingest.formats import ROW
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.reference.tables import energy_sources

#: Dimensions a fuel may be given in besides energy (the engine applies calorific values).
FUEL_DIMENSIONS: tuple[str, ...] = ("volume", "mass")


@lru_cache(maxsize=1)
def fuel_sources() -> frozenset[str]:
    """Energy sources whose reference row names a fuel: they may be given in volume or mass."""
    return frozenset(key for key, source in energy_sources().items() if source.fuel)


@lru_cache(maxsize=1)
def prepare_for_threads() -> None:
    """Look up every accepted unit once, before tables are converted side by side: later
    look-ups are then answered from `conversion_factor`'s cache, and pint (whose registry
    is not documented as thread-safe) is not used by two threads at once."""
    for spelling in accepted_units():
        try:
            _lookup([spelling])
        except Exception:  # a unit pint cannot convert fails later, where it is read
            continue


def _lookup(spellings: list[str]) -> dict[str, tuple[str, float]]:
    """Spelling → (dimension, factor to the canonical unit of that dimension); known only."""
    out: dict[str, tuple[str, float]] = {}
    for spelling in spellings:
        try:
            dimension = unit_dimension(spelling)
            out[spelling] = (dimension, conversion_factor(spelling))
        except (UnknownUnitError, KeyError):
            continue
    return out


def convert_quantities(
    frame: pl.DataFrame, dimension: str, source: Source, log: ProblemLog, table: str
) -> pl.DataFrame:
    """Add quantity_reported, unit_reported, quantity_canonical, unit_canonical.

    `dimension` is the quantity column's dimension. In the energy table a fuel source may
    also be given in volume or mass; it stays in that dimension here.
    """
    distinct = frame.lazy().select(pl.col("unit").unique()).collect().to_series()
    trimmed = distinct.str.strip_chars()
    # validated units come trimmed: then the column is kept as it is, not copied
    unit = pl.col("unit") if trimmed.equals(distinct) else pl.col("unit").str.strip_chars()
    spellings = [s for s in trimmed.unique().to_list() if s]
    known = _lookup(spellings)
    dimensions = {s: d for s, (d, _) in known.items()}
    factors = {s: f for s, (_, f) in known.items()}
    frame = frame.with_columns(
        unit.alias("unit_reported"),
        unit.replace_strict(dimensions, default=None, return_dtype=pl.String).alias("_dim"),
        unit.replace_strict(factors, default=None, return_dtype=pl.Float64).alias("_factor"),
    )

    unknown = pl.col("unit_reported").is_not_null() & pl.col("_dim").is_null()
    allowed = pl.col("_dim") == dimension
    accepted = ", ".join(accepted_units(dimension))
    if table == "energy":
        allowed = allowed | (
            pl.col("_dim").is_in(FUEL_DIMENSIONS) & pl.col("source").is_in(fuel_sources())
        )
        accepted += "; for fuels also volume or mass units (L, m3, Nm3, gal, kg, t, lb, …)"
    wrong = pl.col("_dim").is_not_null() & ~allowed.fill_null(False)
    counts = frame.select(unknown.sum(), wrong.sum()).row(0)
    if counts[0]:
        log.rows(
            frame.filter(unknown).select(ROW, "unit_reported"),
            source,
            message="Unknown unit",
            code="unknown_unit",
            column="unit",
            value_column="unit_reported",
            accepted=accepted,
        )
    if counts[1]:
        message = f"This unit does not measure {dimension}"
        if table == "energy":
            message += " (volume and mass units are accepted only for fuels)"
        log.rows(
            frame.filter(wrong).select(ROW, "unit_reported"),
            source,
            message=message,
            code="wrong_unit_dimension",
            column="unit",
            value_column="unit_reported",
            accepted=accepted,
        )
    usable = pl.col("_dim").is_not_null() & allowed.fill_null(False)
    return frame.with_columns(
        pl.col("quantity").alias("quantity_reported"),
        pl.when(usable).then(pl.col("quantity") * pl.col("_factor")).alias("quantity_canonical"),
        pl.when(usable)
        .then(pl.col("_dim").replace_strict(CANONICAL_SYMBOLS, default=None))
        .alias("unit_canonical"),
    ).drop("_dim", "_factor")
