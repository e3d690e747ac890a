"""Unit conversion at ingestion: quantities to the canonical unit of their own dimension.

Vectorised: the distinct unit spellings of a table (a handful) are looked up once with
`domain.units`, then the factors are applied to the whole column. The value and unit as
reported stay beside the converted ones (docs/contracts.md §2).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import polars as pl

from factory_journey.domain.units import (
    CANONICAL_SYMBOLS,
    UnknownUnitError,
    accepted_units,
    conversion_factor,
    gas_volume_to_normal,
    gaseous_fuels,
    unit_dimension,
)
from factory_journey.ingest import checks
from factory_journey.ingest.lazy import FrameT, one_row
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.raw_tables import ROW
from factory_journey.reference.tables import energy_sources

#: Dimensions a fuel may be given in besides energy (the engine applies calorific values).
FUEL_DIMENSIONS: tuple[str, ...] = ("volume", "mass")


@lru_cache(maxsize=1)
def fuel_sources() -> frozenset[str]:
    """Energy sources whose reference row names a fuel: they may be given in volume or mass."""
    return frozenset(key for key, source in energy_sources().items() if source.fuel)


@lru_cache(maxsize=1)
def gas_sources() -> frozenset[str]:
    """Energy sources burnt as a gas (natural gas, CNG, biogas): a volume of them is stated at
    reference conditions and brought to normal cubic metres (gas_volumes.yaml)."""
    gases = gaseous_fuels()
    return frozenset(key for key, source in energy_sources().items() if source.fuel in gases)


@lru_cache(maxsize=1)
def prepare_for_threads() -> None:
    """Look up every accepted unit once, before tables are converted side by side: later
    look-ups are then answered from `conversion_factor`'s cache, and pint (whose registry
    is not documented as thread-safe) is not used by two threads at once."""
    for spelling in accepted_units():
        try:
            _lookup([spelling])
            gas_volume_to_normal(spelling)
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


#: Each dimension of the unit table (`domain.units.unit_dimension`) in the words a message
#: sets into its sentence ("a mass unit 'kg' for …"): the platform's own words, which the
#: pages translate on their own (services/problem_templates reads `*_PROBLEM_WORDS`).
DIMENSION_PROBLEM_WORDS: dict[str, str] = {
    "area": "surface area",
    "co2e": "emissions",
    "energy": "energy",
    "length": "length",
    "mass": "mass",
    "product": "count",
    "standard_time": "time",
    "volume": "volume",
}


#: The units a quantity accepts, in words (`convert_quantities`): the platform's own, which the
#: pages translate on their own (services/problem_templates reads `*_PROBLEM_WORDS`).
UNITS_PROBLEM_WORDS: dict[str, str] = {
    "fuels": "{units}; for fuels also volume or mass units (L, m3, Nm3, gal, kg, t, lb, …)",
}


def dimension_words(dimension: str) -> str:
    """A dimension in the words of a message (`DIMENSION_PROBLEM_WORDS`)."""
    return DIMENSION_PROBLEM_WORDS.get(dimension, dimension)


#: The wrong-unit message of each table's quantity, whole (each is translated on the pages:
#: `*_MESSAGES` constants are found by services/problem_sources), by (dimension, fuels):
#: energy (fuels may be given by volume or mass), water and wastewater (volume), waste (mass).
WRONG_DIMENSION_MESSAGES: dict[tuple[str, bool], str] = {
    ("energy", True): "This unit does not measure energy (volume and mass units are accepted "
                      "only for fuels)",
    ("energy", False): "This unit does not measure energy",
    ("volume", False): "This unit does not measure volume",
    ("mass", False): "This unit does not measure mass",
}


def convert_quantities(
    frame: FrameT,
    dimension: str,
    source: Source,
    log: ProblemLog,
    table: str,
    spellings: pl.Series | None = None,
    steps: list[Callable[[pl.LazyFrame], pl.LazyFrame]] | None = None,
) -> FrameT:
    """Add unit_reported, quantity_reported, quantity_canonical, unit_canonical, and hold
    the converted quantities to their plausibility bounds (`checks.quantity_bounds`).

    `dimension` is the quantity column's dimension. In the energy table a fuel source may
    also be given in volume or mass; it stays in that dimension here. A volume of a gas
    (natural gas, CNG, biogas) becomes normal cubic metres [Nm³, 0 °C, 101.325 kPa] from the
    reference conditions of its unit (gas_volumes.yaml): 1 scf = 0.026791 Nm³. `spellings`, when
    known, are the distinct units of `frame` (trimmed, nulls left out). `steps`, when given,
    gets the conversion as a function of a lazy frame of the same rows (the bounds checks
    change values only where they report an error).

    Each row's unit is looked up once, as the number of its spelling; the dimension, factor
    and canonical unit come from the spellings' small tables, and rows are read again only
    when a spelling is unknown or of the wrong dimension.
    """
    if spellings is None:
        distinct = frame.lazy().select(pl.col("unit").unique()).collect().to_series()
    else:
        distinct = spellings
    trimmed = distinct.str.strip_chars()
    # validated units come trimmed: then the column is kept as it is, not copied
    unit = pl.col("unit") if trimmed.equals(distinct) else pl.col("unit").str.strip_chars()
    known = _lookup(sorted(s for s in trimmed.unique().to_list() if s))
    names = list(known)  # an unknown spelling gets no number
    dims = [known[s][0] for s in names]
    fuel_units = table == "energy"

    def per_spelling(values: list[object], dtype: pl.DataType) -> pl.Expr:
        return pl.lit(pl.Series(values, dtype=dtype)).gather(pl.col(_CODE))

    always = per_spelling([d == dimension for d in dims], pl.Boolean())
    usable = always
    if fuel_units and any(d in FUEL_DIMENSIONS for d in dims):
        for_fuels = per_spelling([d in FUEL_DIMENSIONS for d in dims], pl.Boolean())
        usable = always | (for_fuels & pl.col("source").is_in(fuel_sources()))
    usable = usable.fill_null(False)
    code = (
        unit.replace_strict(names, range(len(names)), default=None, return_dtype=pl.UInt32)
        if names else pl.lit(None, pl.UInt32)
    )
    coded = [unit.alias("unit_reported"), code.alias(_CODE)]
    frame = frame.with_columns(coded)

    accepted = ", ".join(accepted_units(dimension))
    if fuel_units:
        accepted = UNITS_PROBLEM_WORDS["fuels"].format(units=accepted)
    unknown = pl.col("unit_reported").is_not_null() & pl.col(_CODE).is_null()
    wrong = pl.col(_CODE).is_not_null() & ~usable
    # Every spelling known and of the column's dimension: no row can be either (no pass).
    proven = (spellings is not None and all(s in known for s in trimmed.drop_nulls())
              and all(d == dimension for d in dims))
    counts = (0, 0) if proven else one_row(frame, [unknown.sum(), wrong.sum()])
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
        message = WRONG_DIMENSION_MESSAGES.get((dimension, fuel_units)) or (
            f"This unit does not measure {dimension_words(dimension)}")
        log.rows(
            frame.filter(wrong).select(ROW, "unit_reported"),
            source,
            message=message,
            code="wrong_unit_dimension",
            column="unit",
            value_column="unit_reported",
            accepted=accepted,
        )
    factors = per_spelling([known[s][1] for s in names], pl.Float64())
    gas_ratios: list[object] = [gas_volume_to_normal(s) if d == "volume" else 1.0 for s, d in zip(
        names, dims, strict=True)] if fuel_units else []
    if any(r != 1.0 for r in gas_ratios):
        # A gas volume at its unit's reference conditions (scf at 60 °F, Sm3 at 15 °C), in the
        # normal cubic metres (0 °C, 101.325 kPa) the fuel densities are given in.
        gas = pl.col("source").is_in(gas_sources()).fill_null(False)
        factors = factors * pl.when(gas).then(per_spelling(gas_ratios, pl.Float64())).otherwise(
            1.0)
    canonical = per_spelling([CANONICAL_SYMBOLS.get(d) for d in dims], pl.String())
    converted = [
        pl.col("quantity").alias("quantity_reported"),
        pl.when(usable).then(pl.col("quantity") * factors).alias("quantity_canonical"),
        pl.when(usable).then(canonical).alias("unit_canonical"),
    ]
    if steps is not None:
        steps.append(lambda rows: rows.with_columns(coded).with_columns(converted).drop(_CODE))

    def unit_number(units: list[str]) -> pl.Expr:
        # each spelling's canonical unit numbered once: a row's is gathered by its spelling's
        # number, which the conversion has already looked up (no look-up of a text per row)
        numbers: list[object] = [
            units.index(u) if (u := CANONICAL_SYMBOLS.get(d)) in units else None for d in dims]
        return pl.when(usable).then(per_spelling(numbers, pl.UInt32()))

    frame = frame.with_columns(converted)
    return checks.quantity_bounds(frame, table, source, log, unit_number).drop(_CODE)


#: Working column: the number of a row's unit spelling among the table's spellings.
_CODE = "\x1funit"
