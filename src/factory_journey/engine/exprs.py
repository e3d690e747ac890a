"""Small polars expression helpers shared by the area modules (null-aware totals and ratios)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

import polars as pl

KEYS: tuple[str, str] = ("facility_id", "year")

#: Polars engine for every collect of the matrix plan. The streaming engine (polars 2's
#: default) ran the group-bys 2–4× cheaper than the in-memory one (docs/performance.md).
ENGINE: Literal["in-memory", "streaming", "auto"] = "streaming"


def collect(frame: pl.LazyFrame) -> pl.DataFrame:
    """Collect a plan of the engine with the chosen polars engine."""
    return frame.collect(engine=ENGINE)


#: Fixed-point type of order-independent sums: 9 decimal places of the column's unit.
_EXACT_SUM_TYPE = pl.Decimal(38, 9)
_EXACT_SUM_SCALE = 9

#: Largest magnitude an exact sum adds [the column's unit]. No quantity here comes near it
#: (10^20 MJ is a fifth of the world's energy use in a year); beyond it a value is not
#: computable: its row counts as unconvertible (`beyond_exact_sum`), so its area's totals are
#: null, and a decimal sum can neither fail nor overflow (38 digits hold 10^9 such rows).
EXACT_SUM_LIMIT = 1e20


def exact_sum(column: str) -> pl.Expr:
    """Order- and thread-independent sum of a float column, in units of 10⁻⁹ of the column's
    unit as a 128-bit integer; `exact_totals` turns it into the float total after the
    group-by.

    Polars adds floats in per-thread partial sums, so a plain float sum can differ in its last
    bits from one run to the next, and the same input would not give byte-identical outputs.
    A fixed-point sum is an integer sum: exact, associative, the same every run. Each value
    is taken as value × 10⁹ rounded half to even (what a cast to Decimal(38, 9) gives) and
    summed as an Int128, a third cheaper in the group-by than a Decimal sum. The reduction is
    kept plain (nothing after `sum`), which keeps the streaming group-by on its fast path. A
    value beyond `EXACT_SUM_LIMIT` (or not a number) is left out here; the area marks its row
    with `beyond_exact_sum` so that the total is null, not smaller.
    """
    return exact_units(pl.col(column)).sum()


def exact_units(value: pl.Expr) -> pl.Expr:
    """A row's float `value` as the Int128 units (10⁻⁹ of its unit) that `exact_sum` adds:
    value × 10⁹ rounded half to even; null beyond `EXACT_SUM_LIMIT` or not a number."""
    within = pl.when(value.abs() < EXACT_SUM_LIMIT).then(value)
    return (within * 10.0**_EXACT_SUM_SCALE).round(mode="half_to_even").cast(pl.Int128)


def units_part(condition: pl.Expr, units: str) -> pl.Expr:
    """The units in column `units` (made by `exact_units`) where `condition` holds, else 0.

    Exactly the units of `when_then_zero(condition, value)` (0.0 is 0 units; a null
    condition gives 0 in both), so a sum of it equals `exact_sum` of that part — with one
    float-to-integer conversion per row for all the parts of a value instead of one per part
    (the conversion was the costliest step of the matrix's group-bys).
    """
    return pl.when(condition).then(pl.col(units)).otherwise(pl.lit(0, dtype=pl.Int128))


def exact_totals() -> pl.Expr:
    """Every `exact_sum` column (Int128, units of 10⁻⁹) as its float total, after the
    group-by: the integer read as Decimal(38, 9) — its digits unchanged, so exact — whose cast
    to a float is correctly rounded."""
    units = pl.col(pl.Int128)
    scale = pl.lit(Decimal(1).scaleb(-_EXACT_SUM_SCALE), dtype=_EXACT_SUM_TYPE)
    return (units.cast(pl.Decimal(38, 0)) * scale).cast(pl.Float64)


#: Below this many units (2^53) an exact sum is an exact float: its float total is one
#: division by the exact 10^9, which IEEE 754 rounds correctly, so it equals `exact_totals`
#: (as it does for a larger sum that the float holds exactly).
_EXACT_FLOAT_UNITS = 2**53


def exact_totals_of(frame: pl.DataFrame) -> pl.DataFrame:
    """`exact_totals` on a collected frame, bit for bit, ~10× cheaper: a sum that is exactly
    a float (every sum below 2^53 units, 9,007,199 of the column's unit, and the larger ones
    the float holds without rounding) is divided as a float; only the others are read
    through the decimal."""
    totals = []
    for name, dtype in frame.schema.items():
        if dtype != pl.Int128:
            continue
        units = frame.get_column(name)
        # Divided by a column, not a scalar: polars multiplies by the reciprocal of a scalar
        # divisor, which is not the correctly rounded quotient.
        scale = pl.repeat(10.0**_EXACT_SUM_SCALE, len(units), dtype=pl.Float64, eager=True)
        as_float = units.cast(pl.Float64)
        total = as_float / scale
        # The quotient of two exact floats is correctly rounded, as the decimal's is. Only a
        # sum that the float rounds goes through the decimal: at a million facility-years,
        # 68% of the energy totals are beyond 2^53 units but only 25% are rounded (sums of
        # values with few decimals end in zero bits). Below 2^53 no cast back is needed.
        large = (units >= _EXACT_FLOAT_UNITS) | (units <= -_EXACT_FLOAT_UNITS)
        if large.any():
            large = large & (as_float.cast(pl.Int128, strict=False) != units)
        large = large.fill_null(False)
        if large.any():
            at = large.arg_true()
            exact = units.gather(at).to_frame().select(exact_totals()).to_series()
            total = total.scatter(at, exact)
        totals.append(total.alias(name))
    return frame.with_columns(totals) if totals else frame


def beyond_exact_sum(bad: str, columns: list[str]) -> pl.Expr:
    """The count `bad` of a row's unconvertible parts, plus 1 when one of `columns` (the
    parts it adds to exact sums) is beyond `EXACT_SUM_LIMIT` or not a number."""
    beyond = pl.any_horizontal(
        [~(pl.col(c).abs() < EXACT_SUM_LIMIT).fill_null(False) for c in columns]
    )
    return (pl.col(bad) + beyond.cast(pl.UInt32)).alias(bad)


def unknown_if(flag: str, columns: list[str]) -> list[pl.Expr]:
    """Set `columns` to null where the count `flag` of unconvertible input rows is > 0.

    Group sums skip nulls; a total with a part that could not be computed is not computable,
    so it must be null rather than look like a smaller number. Counting the bad rows in the
    group-by and nulling afterwards keeps the aggregation a plain, fast sum.
    """
    bad = pl.col(flag).fill_null(0) > 0
    return [pl.when(bad).then(None).otherwise(pl.col(c)).alias(c) for c in columns]


def ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """numerator ÷ denominator, null when the denominator is null or 0 (never inf or 0)."""
    return pl.when(denominator > 0).then(numerator / denominator).otherwise(None)


def is_in_ci(column: str, values: tuple[str, ...]) -> pl.Expr:
    """Membership test that accepts the spellings as given and lower-cased."""
    spellings = sorted({*values, *(v.lower() for v in values)})
    return pl.col(column).cast(pl.String).is_in(spellings)


def replaced(
    expr: pl.Expr, mapping: Mapping[str, object], default: float | str | None,
    dtype: pl.DataType,
) -> pl.Expr:
    """`expr.replace_strict(mapping, default=default, return_dtype=dtype)` for a string `expr`
    (a null gives `default` too), several times cheaper on millions of rows: each row's
    string is found through an Enum of the mapping's keys and its value gathered by position.
    """
    if not mapping or None in mapping:
        return expr.replace_strict(mapping, default=default, return_dtype=dtype)
    position = expr.cast(pl.Enum(list(mapping)), strict=False).to_physical()
    values = pl.Series(list(mapping.values()), dtype=dtype)
    # A key not in the mapping (or null) gives the default; a value null in it stays null.
    out = pl.when(position.is_null()).then(pl.lit(default, dtype=dtype)).otherwise(
        pl.lit(values).gather(position)
    )
    try:  # the name of `expr`, as replace_strict keeps it
        return out.alias(expr.meta.output_name())
    except pl.exceptions.ComputeError:
        return out


def lookup(frame: pl.LazyFrame, table: pl.DataFrame, on: str) -> pl.LazyFrame:
    """`frame` with the columns of the small `table` whose string key `on` matches its own
    (null where none does): a left join, done as a lookup.

    Each row's key is found once, through an Enum of the table's keys (a key the table lacks
    gives null), and every column of the table is gathered from that position. Cheaper than
    a join and it streams on every core. Falls back to the join when the table's keys are not
    unique or a column name is taken, where the two would differ.
    """
    keys = table.get_column(on).cast(pl.String)
    names = [c for c in table.columns if c != on]
    if keys.null_count() or keys.n_unique() != len(keys) or set(names) & set(
        frame.collect_schema().names()
    ):
        return frame.join(table.lazy(), on=on, how="left", maintain_order="left")
    position = pl.col(on).cast(pl.String).cast(pl.Enum(keys.to_list()), strict=False)
    return frame.with_columns(position.to_physical().alias("_lookup")).with_columns(
        pl.lit(table.get_column(c)).gather(pl.col("_lookup")).alias(c) for c in names
    ).drop("_lookup")


def when_then_zero(condition: pl.Expr, value: pl.Expr) -> pl.Expr:
    """value where condition holds, else 0.0 (the part of a row that goes into one sum)."""
    return pl.when(condition).then(value).otherwise(0.0)
