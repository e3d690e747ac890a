"""Checks across rows and tables, after each table is typed: duplicates, annual values mixed
with monthly ones, facilities missing from the profiles, dates against the reporting year,
and the plausibility of quantities and intensities (reference/data/plausibility_bounds.yaml).

All vectorised; per-row Python runs only over the few rows reported (see `problem_log`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import polars as pl

from factory_journey.domain.problems import Severity
from factory_journey.domain.tables import Table
from factory_journey.ingest import lazy
from factory_journey.ingest.lazy import Frame, FrameT
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.raw_tables import ROW
from factory_journey.reference import plausibility
from factory_journey.reference.plausibility import MONTHS_PER_YEAR

#: Facilities listed one by one when missing from the profiles.
_FACILITIES_LISTED = 20
#: Row numbers named in the message about one missing facility.
_ROWS_NAMED = 5


#: How a message joins a list of column names ("facility_id, year and month"): the
#: platform's own words, which the pages put in the reader's language (`*_PROBLEM_WORDS`
#: are read by services/problem_templates): the first pair joins all but the last name.
LIST_PROBLEM_WORDS: tuple[str, str] = ("{first}, {then}", "{first} and {then}")


def _words(names: tuple[str, ...] | list[str]) -> str:
    """Column names in a list for a message: "a", "a and b", "a, b and c"."""
    text, *rest = names
    for number, name in enumerate(rest, start=1):
        pair = LIST_PROBLEM_WORDS[number == len(rest)]
        text = pair.format(first=text, then=name)
    return text


#: An odd 64-bit constant (2^64 / golden ratio) that mixes one column's hash into the next.
_MIX = 0x9E3779B97F4A7C15


def key_hash(key: list[str]) -> pl.Expr:
    """A 64-bit hash of the row's values in the columns `key`: equal keys (nulls equal) give
    equal hashes. Each column is hashed on its own and the hashes mixed (wrapping multiply,
    xor): a third of the work of hashing `pl.struct(key)`, which encodes the rows first."""
    mixed: pl.Expr | None = None
    for name in key:
        one = pl.col(name).hash()
        mixed = one if mixed is None else (mixed * pl.lit(_MIX, pl.UInt64)) ^ one
    return pl.lit(0, pl.UInt64) if mixed is None else mixed


#: A duplicate row's value ("Found"): the row it repeats, in the platform's own words, which
#: the pages put in the reader's language (services/problem_templates reads `*_PROBLEM_WORDS`
#: and `value_text` a `duplicate_row`'s value); the error report keeps them as written.
DUPLICATE_PROBLEM_WORDS: dict[str, str] = {"same": "same as row {row}"}


def duplicate_rows(frame: Frame, spec: Table, source: Source, log: ProblemLog) -> None:
    """Rows with the same key as an earlier row (the key of `spec`, values as resolved)."""
    names = lazy.column_names(frame)
    key = [c for c in spec.key if c in names]
    # Cheap screen first: equal keys have equal hashes, so sorted hashes without equal
    # neighbours prove there is no duplicate. Only then the exact (slower) comparison.
    # (streaming: a table checked lazily is read in batches, its key columns never held)
    hashes = frame.lazy().select(key_hash(key)).collect(engine="streaming").to_series()
    # Sorted by Polars, on every core: numpy's sort ran on one and was a quarter of the
    # checks' time at a million facility-years (9 M hashes: 0.65 s against 0.18 s).
    hashes = hashes.sort()
    if not (hashes.slice(1) == hashes.head(-1)).any():
        return
    duplicated = (frame.lazy().select(ROW, *key).filter(pl.struct(key).is_duplicated())
                  .collect(engine="in-memory"))
    if duplicated.is_empty():
        return
    repeats = (
        duplicated
        .with_columns(pl.col(ROW).min().over(key).alias("_first"))
        .filter(pl.col(ROW) != pl.col("_first"))
        .sort(ROW)
    )
    log.rows(
        repeats.select(ROW, "_first"),
        source,
        message=f"Duplicate row: the same {_words(key)} as an earlier row",
        code="duplicate_row",
        column=", ".join(key),
        value_column="_first",
        # worded for the listed rows only, not for every repeat of a large file
        value_text=lambda first: DUPLICATE_PROBLEM_WORDS["same"].format(row=first),
        accepted=f"one row per {_words(key)}",
    )


def annual_and_monthly(frame: Frame, spec: Table, source: Source, log: ProblemLog,
                       unread: pl.Series | None = None) -> None:
    """An annual value (month empty) beside monthly values of the same thing counts it twice.

    `unread`: the rows whose month was given but could not be read ("Tháng 2"; reported as
    such, null here): a month to correct, not an annual value."""
    if "month" not in spec.key or spec.column("month").required:
        return
    annual_rows, height = lazy.one_row(frame, [pl.col("month").null_count(), pl.len()])
    if annual_rows in (0, height):
        return
    key = [c for c in spec.key if c != "month"]
    rows = frame.lazy().select(ROW, "month", *key)
    if unread is not None and len(unread):
        rows = rows.filter(~pl.col(ROW).is_in(unread.implode()))
    monthly = (rows.filter(pl.col("month").is_not_null()).select(key).unique()
               .collect(engine="streaming"))
    if monthly.is_empty():
        return
    clash = (
        rows.filter(pl.col("month").is_null())
        .join(monthly.lazy(), on=key, how="semi", nulls_equal=True)
        .collect()
    )
    log.rows(
        clash.sort(ROW).select(ROW, "month"),
        source,
        message=f"An annual value (month empty) is given beside monthly values for the same "
        f"{_words(key)}; it would be counted twice",
        code="annual_and_monthly",
        column="month",
        accepted="either twelve monthly rows or one annual row",
    )


class ProfileKeys:
    """The facility ids and years of the profile rows given (`facility_id`, `year`), with
    what the membership check asks of them computed once for all tables."""

    def __init__(self, given: pl.DataFrame) -> None:
        self.given = given
        self.facilities = (
            given.get_column("facility_id").drop_nulls().unique()
            if "facility_id" in given.columns
            else pl.Series("facility_id", [], pl.String)
        )
        self._status: dict[tuple[int, ...], pl.DataFrame] = {}
        self._complete: dict[tuple[int, ...], pl.DataFrame] = {}

    def status_for(self, years: tuple[int, ...]) -> pl.DataFrame:
        """Each profile facility, and `complete`: whether it has a profile row for each of
        `years` (always true without years)."""
        if years not in self._status:
            if years:
                status = (
                    self.given.lazy()
                    .filter(pl.col("facility_id").is_not_null())
                    .group_by("facility_id")
                    .agg((pl.col("year").filter(pl.col("year").is_in(list(years))).n_unique()
                          == len(years)).alias("complete"))
                    .collect()
                )
            else:
                status = self.facilities.to_frame().with_columns(complete=pl.lit(True))
            self._status[years] = status
        return self._status[years]

    def complete_for(self, years: tuple[int, ...]) -> pl.DataFrame:
        """The profile facilities (`facility_id`) with a profile row for each of `years`."""
        if years not in self._complete:
            self._complete[years] = (self.status_for(years).filter(pl.col("complete"))
                                     .select("facility_id"))
        return self._complete[years]


def _suspects(
    frame: Frame, keys: ProfileKeys, facilities: pl.Series, with_years: bool
) -> pl.Series:
    """Of the table's distinct `facilities`, those whose rows may fail the check: not in the
    profiles, or (with years) without a profile row for some year the table holds. Rows of
    any other facility are proven fine without looking at them."""
    years = (
        tuple(lazy.collect(frame.lazy().select(pl.col("year").drop_nulls().unique().sort()))
              .to_series().to_list())
        if with_years else ()
    )
    # an anti-join with the complete ones: a third cheaper than joining every status
    return (
        facilities.to_frame()
        .join(keys.complete_for(years), on="facility_id", how="anti")
        .get_column("facility_id")
    )


def facilities_in_profiles(
    frame: Frame,
    source: Source,
    log: ProblemLog,
    profiles: pl.DataFrame | ProfileKeys,
    table: str,
    facilities: pl.Series | None = None,
) -> None:
    """Every facility must be in the profiles; a year without a profile row is a warning.

    `profiles` holds the facility_id and year of every profile row given; `facilities`,
    when known, the distinct facility ids of `frame` (nulls left out)."""
    keys = profiles if isinstance(profiles, ProfileKeys) else ProfileKeys(profiles)
    names = lazy.column_names(frame)
    with_years = "year" in names and "year" in keys.given.columns
    on = ["facility_id", "year"] if with_years else ["facility_id"]
    candidates = (
        frame.lazy()
        .select(ROW, "facility_id", *(["year"] if "year" in names else []))
        .filter(pl.col("facility_id").is_not_null())
    )
    # With several rows per facility, the facilities are checked first, then only the rows
    # of those that may fail (checking a facility costs about two rows' anti-join).
    if facilities is not None and len(facilities) * 2 <= lazy.height(frame):
        suspects = _suspects(frame, keys, facilities, with_years)
        if suspects.is_empty():
            return
        candidates = candidates.filter(pl.col("facility_id").is_in(suspects.implode()))
    # An anti-join finds the rows worth a closer look: a facility and year that is not a
    # profile row (or, without years, a facility that is not). Usually there are none.
    look = candidates.join(keys.given.lazy().select(on), on=on, how="anti").collect(
        engine="streaming")  # in any order: grouped and sorted below
    if look.is_empty():
        return
    known = keys.facilities.to_frame()
    missing = (
        look.join(known, on="facility_id", how="anti")
        .group_by("facility_id")
        .agg(
            pl.col(ROW).min().alias("first"),
            pl.len().alias("rows"),
            pl.col(ROW).sort().head(_ROWS_NAMED).alias("row_numbers"),
        )
        .sort("first")
    )
    for facility, first, rows, numbers in missing.head(_FACILITIES_LISTED).iter_rows():
        listed = ", ".join(map(str, numbers)) + (", …" if rows > len(numbers) else "")
        log.error(
            # whole sentences (not a plural "s" added, nor "row"/"rows" as a part): each is
            # translated on the pages with only the numbers and names filled in
            f"Facility {facility!r} is not in the profiles table ({rows} rows of {table}: "
            f"rows {listed})" if rows > 1 else
            f"Facility {facility!r} is not in the profiles table (1 row of {table}: row {first})",
            source,
            row=first,
            column="facility_id",
            value=facility,
            code="unknown_facility",
            accepted="a facility_id of the profiles table",
        )
    if missing.height > _FACILITIES_LISTED:
        log.error(
            f"{missing.height - _FACILITIES_LISTED} more facilities of {table} are not in "
            "the profiles table",
            source,
            column="facility_id",
            code="unknown_facility",
        )
    if not with_years:
        return
    known_years = keys.given.select("facility_id", "year").unique()
    no_profile_year = (
        look.filter(pl.col("year").is_not_null())
        .group_by("facility_id", "year")
        .agg(pl.col(ROW).min().alias("first"))
        .join(known, on="facility_id", how="semi")
        .join(known_years, on=["facility_id", "year"], how="anti")
        .sort("first")
    )
    log.rows(
        no_profile_year.rename({"first": ROW}).with_columns(
            pl.format("{} {}", "facility_id", "year").alias("_fy")
        ),
        source,
        message="This facility has no profile row for this year; its production volume and "
        "country are unknown for the year",
        code="year_without_profile",
        column="year",
        value_column="_fy",
        severity=Severity.WARNING,
    )


_SAMPLE_YEAR = pl.col("sample_date").dt.year().cast(pl.Int64)
#: The year of a ZDHC result: that of its sample date.
ZDHC_YEAR = _SAMPLE_YEAR.alias("year")


def zdhc_sample_year(frame: FrameT, source: Source, log: ProblemLog) -> FrameT:
    """The year of a ZDHC result is that of its sample date; a given `year` must agree, and
    a sample cannot be taken in the future."""
    sample_year = _SAMPLE_YEAR
    outside = (
        pl.col("year").is_not_null() & pl.col("sample_date").is_not_null()
        & (pl.col("year") != sample_year)
    )
    dates = frame.lazy().select(ROW, "year", "sample_date")
    log.rows(
        dates.filter(outside).select(ROW, pl.col("sample_date").cast(pl.String)).collect(),
        source,
        message="The sample date is outside the reporting year given in column year",
        code="date_outside_year",
        column="sample_date",
        value_column="sample_date",
        accepted="a date within the reporting year",
    )
    future = pl.col("sample_date") > pl.lit(date.today())
    log.rows(
        dates.filter(future).select(ROW, pl.col("sample_date").cast(pl.String)).collect(),
        source,
        message="The sample date is in the future",
        code="date_in_future",
        column="sample_date",
        value_column="sample_date",
    )
    return frame.with_columns(ZDHC_YEAR)


#: Spellings accepted for each unit of the ZDHC limits table (compared folded: lower case,
#: letters and digits only). Units not listed here (pH, presence) accept any spelling.
ZDHC_UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "mg/L": ("mg/L", "mg/l", "mg per L", "mg per litre", "mg per liter", "ppm"),
    "1/m": ("1/m", "m-1", "m^-1", "m⁻¹", "per m", "per metre", "per meter"),
    "cfu/100 mL": ("cfu/100 mL", "cfu per 100 mL", "MPN/100 mL", "MPN per 100 mL"),
    "delta_degC": ("delta_degC", "°C", "degC", "C", "deg C", "K", "delta °C", "celsius"),
}


def zdhc_parameter_units(
    frame: Frame, source: Source, log: ProblemLog, units: dict[str, str]
) -> None:
    """A result's unit must be the unit its parameter's limits are set in (`units`:
    parameter key → unit of zdhc_wastewater_limits.csv), in one of its accepted spellings."""
    from factory_journey.domain.fem_enums import fold
    from factory_journey.ingest.enums import folded

    accepted = [
        (parameter, fold(spelling))
        for parameter, unit in units.items()
        for spelling in ZDHC_UNIT_SPELLINGS.get(unit, ())
    ]
    if not accepted:
        return
    checked = pl.DataFrame(
        {"parameter": [p for p, _ in accepted], "_folded": [f for _, f in accepted]}
    )
    # distinct (parameter, unit) pairs are few: check those, then find their rows
    pairs = (
        frame.lazy()
        .select("parameter", "unit")
        .unique()
        .collect(engine="streaming")
        .filter(
            pl.col("parameter").is_in(checked["parameter"].unique().to_list())
            & pl.col("unit").is_not_null()
        )
        .with_columns(folded(pl.col("unit")).alias("_folded"))
    )
    wrong_pairs = pairs.join(checked, on=["parameter", "_folded"], how="anti")
    if wrong_pairs.is_empty():
        return
    wrong = (
        frame.lazy()
        .select(ROW, "parameter", "unit")
        .join(wrong_pairs.drop("_folded").lazy(), on=["parameter", "unit"], how="semi")
        .collect()
    )
    expected = pl.col("parameter").replace_strict(units, default=None, return_dtype=pl.String)
    log.rows(
        wrong.sort(ROW).select(
            ROW, pl.format("{} for {} (expected {})", "unit", "parameter", expected).alias("_u")
        ),
        source,
        message="The unit is not the unit of this parameter's ZDHC limits",
        code="wrong_parameter_unit",
        column="unit",
        value_column="_u",
        accepted="the unit of the parameter in zdhc_wastewater_limits.csv",
    )


def programme_dates(frame: Frame, source: Source, log: ProblemLog) -> None:
    """An enrolment cannot end before it starts."""
    backwards = pl.col("end_date") < pl.col("start_date")
    log.rows(
        frame.filter(backwards).select(ROW, pl.col("end_date").cast(pl.String)),
        source,
        message="The end date is before the start date",
        code="end_before_start",
        column="end_date",
        value_column="end_date",
        accepted="a date on or after start_date",
    )


def _number_words(value: float) -> str:
    return f"{value:,.0f}" if 1 <= abs(value) < 1e9 else f"{value:.3g}"


def _bound_words(value: float) -> str:
    """A bound as written: whole numbers with thousands separators, else 3 significant."""
    if value == int(value) and abs(value) < 1e9:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _whole_text(expr: pl.Expr) -> pl.Expr:
    """A number as text, rounded to a whole number while it fits one exactly (below 1e15),
    else in 3 significant figures: never an integer cast that overflows."""
    exponent = expr.abs().log10().floor()
    scientific = pl.concat_str(  # 1.48e+26, not the float text 1.4799999999999998e+26
        (expr / pl.lit(10.0).pow(exponent)).round(2).cast(pl.String), pl.lit("e+"),
        exponent.cast(pl.Int64, strict=False).cast(pl.String))
    return (pl.when(expr.abs() < 1e15)
            .then(expr.round(0).cast(pl.Int64, strict=False).cast(pl.String))
            .otherwise(scientific))


#: Working column of `quantity_bounds`: the number of a row's canonical unit.
_UNIT_NUMBER = "\x1fbound"


def _bound_expr(unit: pl.Expr, by_unit: dict[str, float], annual: pl.Expr) -> pl.Expr:
    """Each row's bound: the value of its canonical unit, × 12 for an annual row."""
    monthly = unit.replace_strict(by_unit, default=None, return_dtype=pl.Float64)
    return pl.when(annual).then(monthly * MONTHS_PER_YEAR).otherwise(monthly)


#: A quantity's problems in whole sentences, a month's and a year's (each translated on the
#: pages: `*_MESSAGES` constants are found by services/problem_sources).
IMPLAUSIBLE_QUANTITY_MESSAGES = (
    "Not a plausible quantity for one facility in a month: beyond the hard limit "
    "(physically impossible, or too large to compute)",
    "Not a plausible quantity for one facility in a year: beyond the hard limit "
    "(physically impossible, or too large to compute)",
)
UNUSUAL_QUANTITY_MESSAGES = (
    "Unusual quantity in a month, please check (outside the plausible range of one facility; "
    "accepted)",
    "Unusual quantity in a year, please check (outside the plausible range of one facility; "
    "accepted)",
)


#: The plausible ranges of a quantity in words (`quantity_bounds`): the platform's own, which
#: the pages translate on their own (services/problem_templates reads `*_PROBLEM_WORDS`).
BOUNDS_PROBLEM_WORDS: dict[str, str] = {
    "hard": "0 to {month_max} {unit} for a month, {year_max} {year_unit} for a year",
    "soft": "usually {month_min} to {month_max} {unit} for a month, {year_min} to {year_max} "
            "{year_unit} for a year",
}


def quantity_bounds(frame: FrameT, table: str, source: Source, log: ProblemLog,
                    unit_number: Callable[[list[str]], pl.Expr] | None = None) -> FrameT:
    """Hold each converted quantity to the plausibility bounds of its table and canonical
    unit (`reference/data/plausibility_bounds.yaml`, per month; an annual row × 12).

    Beyond the hard limit, or not a finite number after conversion (1e308 kWh is more MJ
    than a float holds): an error, and the canonical quantity is nulled. Outside the soft
    range: a warning. Both name the row, the value as reported, its canonical value and the
    accepted range. Needs `quantity_canonical`, `unit_canonical`, `quantity_reported`,
    `unit_reported` (see `units.convert_quantities`). `unit_number(units)`, when given, is
    the number of each row's canonical unit among `units` (null when it is none of them)
    found from columns the frame has anyway, rather than from the text of `unit_canonical`."""
    bounds = {unit: b for (t, unit), b in plausibility.quantity_bounds().items() if t == table}
    if not bounds:
        return frame
    units = list(bounds)
    annual = (
        pl.col("month").is_null() if "month" in lazy.column_names(frame) else pl.lit(False)
    )
    unit, quantity = pl.col("unit_canonical"), pl.col("quantity_canonical")
    hard = _bound_expr(unit, {u: b.hard_max for u, b in bounds.items()}, annual)
    soft_min = _bound_expr(unit, {u: b.soft_min for u, b in bounds.items()}, annual)
    soft_max = _bound_expr(unit, {u: b.soft_max for u, b in bounds.items()}, annual)
    # A negative quantity is refused by its column's range (every table with bounds has
    # quantities of 0 or more): one error, not also a warning that calls it "accepted".
    held = quantity.is_not_null() & unit.is_in(units) & ~(quantity < 0)
    refused = (held & (~quantity.is_finite() | (quantity > hard))).fill_null(False)
    unusual = (held & ~refused & ((quantity > soft_max) | (quantity < soft_min))).fill_null(
        False)
    # The flagged rows in one pass (a lazy table: one streaming read of five columns); the
    # problems are worded from them. Usually none, or a few.
    # The screen is refused | unusual with the bounds gathered by the number of each row's
    # unit, looked up once (not once per bound); the exact flags are taken on its few rows.
    code = (unit.replace_strict(units, list(range(len(units))), default=None,
                                return_dtype=pl.UInt32)
            if unit_number is None else unit_number(units))

    def bound(values: list[float]) -> pl.Expr:
        monthly = pl.lit(pl.Series(values, dtype=pl.Float64)).gather(pl.col(_UNIT_NUMBER))
        return pl.when(annual).then(monthly * MONTHS_PER_YEAR).otherwise(monthly)

    screen = (pl.col(_UNIT_NUMBER).is_not_null() & quantity.is_not_null() & (
        ~quantity.is_finite() | (quantity > bound([b.hard_max for b in bounds.values()]))
        | (quantity > bound([b.soft_max for b in bounds.values()]))
        | (quantity < bound([b.soft_min for b in bounds.values()])))).fill_null(False)
    names = lazy.column_names(frame)
    flagged = lazy.collect(frame.lazy().with_columns(code.alias(_UNIT_NUMBER)).filter(screen)
                           .select(
        ROW, *(c for c in ("month", "quantity_reported", "unit_reported", "quantity_canonical",
                           "unit_canonical") if c in names)))
    if isinstance(frame, pl.LazyFrame):  # rows of a file: in the order they are numbered
        flagged = flagged.sort(ROW)
    counts = flagged.select(refused.sum().alias("r"), unusual.sum().alias("u")).row(0)
    if not any(counts):
        return frame

    def per_row(texts: tuple[str, str]) -> pl.Expr:  # (a month's, a year's)
        return pl.when(annual).then(pl.lit(texts[1])).otherwise(pl.lit(texts[0]))

    # concat_str, not pl.format beside when/then: that panics in polars 2.1
    value = pl.concat_str(
        pl.col("quantity_reported").cast(pl.String), pl.lit(" "), pl.col("unit_reported"),
        pl.lit(" (= "), quantity.cast(pl.String), pl.lit(" "), unit, pl.lit(")"),
    ).alias("_value")

    def ranges(kind: str) -> pl.Expr:
        texts: dict[str, str] = {}
        for u, b in bounds.items():
            monthly, yearly = (b.scaled(False), b.scaled(True))
            if kind == "hard":
                texts[u] = BOUNDS_PROBLEM_WORDS["hard"].format(
                    month_max=_number_words(monthly[0]), unit=u,
                    year_max=_number_words(yearly[0]), year_unit=u)
            else:
                texts[u] = BOUNDS_PROBLEM_WORDS["soft"].format(
                    month_min=_number_words(monthly[1]), month_max=_number_words(monthly[2]),
                    unit=u, year_min=_number_words(yearly[1]),
                    year_max=_number_words(yearly[2]), year_unit=u)
        return unit.replace_strict(texts, default=None, return_dtype=pl.String)

    if counts[0]:
        log.rows(
            flagged.filter(refused).select(
                ROW, value,
                per_row(IMPLAUSIBLE_QUANTITY_MESSAGES).alias("_message"),
                ranges("hard").alias("_accepted")),
            source,
            message=f"Not a plausible quantity for one facility: beyond the hard limit in the "
            f"{table} table ({plausibility.BOUNDS_FILE})",
            code="implausible_quantity",
            column="quantity",
            value_column="_value",
            message_column="_message",
            accepted_column="_accepted",
        )
        frame = frame.with_columns(pl.when(~refused).then(quantity).alias("quantity_canonical"))
    if counts[1]:
        log.rows(
            flagged.filter(unusual).select(
                ROW, value,
                per_row(UNUSUAL_QUANTITY_MESSAGES).alias("_message"),
                ranges("soft").alias("_accepted")),
            source,
            message=f"Unusual quantity, please check (outside the plausible range in the "
            f"{table} table ({plausibility.BOUNDS_FILE}); accepted)",
            code="unusual_quantity",
            column="quantity",
            value_column="_value",
            message_column="_message",
            accepted_column="_accepted",
            severity=Severity.WARNING,
        )
    return frame


def _soft_range(bound: plausibility.ColumnBound) -> tuple[float, float]:
    """The range outside which a value is warned of: the soft bounds, else the hard ones."""
    low = bound.soft_min if bound.soft_min is not None else bound.hard_min
    high = bound.soft_max if bound.soft_max is not None else bound.hard_max
    return low, high


def _within(smallest: float | None, largest: float | None,
            bound: plausibility.ColumnBound) -> bool:
    """Whether a column whose values lie from `smallest` to `largest` (None: no value) is
    inside both the hard and the soft range of `bound`: then no value of it is flagged."""
    if smallest is None or largest is None:
        return True  # no value: nothing to flag
    low, high = _soft_range(bound)
    # a NaN largest value fails the comparison: the column is counted
    return bool(smallest >= max(low, bound.hard_min) and largest <= min(high, bound.hard_max))


def column_bounds(frame: FrameT, table: str, source: Source, log: ProblemLog) -> FrameT:
    """Hold each numeric input column of `table` listed under `columns` in
    plausibility_bounds.yaml to its bounds: outside the hard range an error (and the value
    is nulled), outside the soft range a warning; both name the row, column, value and the
    accepted range. Columns not given are skipped."""
    schema = lazy.schema(frame)
    bounded = [(name, bound) for (t, name), bound in plausibility.column_bounds().items()
               if t == table and name in schema and schema[name].is_numeric()]
    if not bounded:
        return frame

    def flags(name: str, bound: plausibility.ColumnBound) -> tuple[pl.Expr, pl.Expr]:
        value = pl.col(name)
        refused = ((value < bound.hard_min) | (value > bound.hard_max)).fill_null(False)
        low, high = _soft_range(bound)
        return refused, (~refused & ((value < low) | (value > high))).fill_null(False)

    # Each column's smallest and largest value first (half the work of counting flags): a
    # column within all its bounds has none. NaN counts as above every number (as in the
    # comparisons): `nan_max` gives it, and the column is counted.
    extremes = lazy.one_row(frame, (
        agg for i, (name, _) in enumerate(bounded) for agg in (
            pl.col(name).min().alias(f"{i}min"),
            (pl.col(name).nan_max() if schema[name].is_float() else pl.col(name).max())
            .alias(f"{i}max"))))
    bounded = [(name, bound) for i, (name, bound) in enumerate(bounded)
               if not _within(extremes[2 * i], extremes[2 * i + 1], bound)]
    if not bounded:
        return frame
    # every other column's counts in one pass; rows are read again only for one with some
    found = lazy.one_row(frame, (
        flag.sum().alias(f"{i}{kind}") for i, (name, bound) in enumerate(bounded)
        for kind, flag in zip("ru", flags(name, bound), strict=True)
    ))
    for i, (name, bound) in enumerate(bounded):
        counts = found[2 * i: 2 * i + 2]
        if not any(counts):
            continue
        value = pl.col(name)
        refused, unusual = flags(name, bound)
        low = bound.soft_min if bound.soft_min is not None else bound.hard_min
        high = bound.soft_max if bound.soft_max is not None else bound.hard_max
        shown = value.cast(pl.String).alias("_value")
        hard = (f"{_bound_words(bound.hard_min)} to {_bound_words(bound.hard_max)} "
                f"{bound.unit} ({plausibility.BOUNDS_FILE})")
        if counts[0]:
            log.rows(
                frame.filter(refused).select(ROW, shown),
                source,
                message=f"Not a plausible {name} for one facility: beyond the hard limit "
                "(physically impossible, or a unit slip)",
                code="implausible_value",
                column=name,
                value_column="_value",
                accepted=hard,
            )
        if counts[1]:
            log.rows(
                frame.filter(unusual).select(ROW, shown),
                source,
                message=f"Unusual {name}, please check (outside the plausible range; "
                "accepted)",
                code="unusual_value",
                column=name,
                value_column="_value",
                accepted=f"usually {_bound_words(low)} to {_bound_words(high)} {bound.unit} "
                f"({plausibility.BOUNDS_FILE})",
                severity=Severity.WARNING,
            )
        if counts[0]:
            frame = frame.with_columns(pl.when(~refused).then(value).alias(name))
    return frame


#: Typed tables by name, held or lazy (`ImportResult.frames`).
Tables = Mapping[str, pl.DataFrame | pl.LazyFrame]


def _empty(frame: pl.DataFrame | pl.LazyFrame) -> bool:
    """No rows (a lazy plan is only ever made of a large table: never empty)."""
    return frame.is_empty() if isinstance(frame, pl.DataFrame) else False


#: Working columns of the intensity check: production-used energy [MJ] and water
#: withdrawn [m³] per facility-year.
_MJ, _M3 = "\x1fmj", "\x1fm3"


def _facility_year_sums(tables: Tables) -> list[pl.LazyFrame]:
    """Energy used for production [MJ] (fuels by their calorific values, as the engine) and
    water withdrawn [m³], per facility-year."""
    from factory_journey.engine.energy import energy_mj, source_attributes
    from factory_journey.engine.refdata import default_reference

    sums: list[pl.LazyFrame] = []
    energy = tables.get("energy")
    if energy is not None and not _empty(energy):
        attributes = source_attributes(default_reference()).select(
            "source", "scope", "ncv_mj_per_kg", "density_kg_per_m3").unique("source")
        mj = energy_mj(pl.col("unit_canonical"), pl.col("quantity_canonical"))
        sums.append(
            energy.lazy()
            .select("facility_id", "year", "source", "unit_canonical", "quantity_canonical",
                    "production_share")
            .join(attributes.lazy(), on="source", how="left")
            .group_by("facility_id", "year")
            .agg((mj * pl.col("production_share").fill_null(1.0)).sum().alias(_MJ))
        )
    water = tables.get("water")
    if water is not None and not _empty(water):
        sums.append(
            water.lazy()
            .filter(pl.col("flow") == "withdrawal")
            .group_by("facility_id", "year")
            .agg(pl.col("quantity_canonical").sum().alias(_M3))
        )
    return sums


def intensities(tables: Tables, log: ProblemLog) -> None:
    """Intensities outside their soft range (plausibility_bounds.yaml), and energy used in a
    year whose production volumes are all 0, as warnings on the facility's profile row.

    The intensities are those of the matrix: energy used for production [MJ] and water
    withdrawn [L] per piece and per kg of the year's volumes. A warning names the profile
    row, the intensity and its parts: a unit slip (Wh for kWh, kg for t) shows here first."""
    from factory_journey.domain.fem_enums import facility_types

    profiles = tables.get("profiles")
    if profiles is None or _empty(profiles):
        return
    profiles = profiles.lazy().collect() if isinstance(profiles, pl.LazyFrame) else profiles
    sums = _facility_year_sums(tables)
    if not sums:
        return
    units = {k: t.production_unit for k, t in facility_types().items()}
    volumes = {u: [f"production_volume_{k}" for k, x in units.items()
                   if x == u and f"production_volume_{k}" in profiles.columns]
               for u in ("pcs", "kg")}
    plan = profiles.lazy().select(
        ROW, "facility_id", "year",
        *(pl.sum_horizontal(c).alias(u) if c else pl.lit(None, pl.Float64).alias(u)
          for u, c in volumes.items()),
        pl.any_horizontal(pl.col(c).is_not_null() for c in [*volumes["pcs"], *volumes["kg"]])
        .alias("_given") if volumes["pcs"] or volumes["kg"] else pl.lit(False).alias("_given"),
    )
    # In any order (keeping the profiles' order costs a third of the check): the few rows
    # flagged are put back in the order of the profile rows before they are reported.
    for part in sums:
        plan = plan.join(part, on=["facility_id", "year"], how="left")
    names = plan.collect_schema().names()
    mj = pl.col(_MJ) if _MJ in names else pl.lit(None, pl.Float64)
    m3 = pl.col(_M3) if _M3 in names else pl.lit(None, pl.Float64)
    first = profiles.row(0, named=True)
    source = Source(first.get("_file") or "profiles", first.get("_sheet"))
    frame = plan.collect(engine="streaming")  # the large tables are read in batches

    idle = (pl.col("_given") & (pl.col("pcs").fill_null(0) + pl.col("kg").fill_null(0) == 0)
            & (mj > 0)).fill_null(False)
    log.rows(
        frame.filter(idle).sort(ROW).select(
            ROW, pl.concat_str(_whole_text(mj), pl.lit(" MJ"))
            .alias("_value")),
        source,
        message="Energy is used in a year whose production volumes are all 0: its "
        "intensities cannot be computed (please check the volumes)",
        code="energy_without_production",
        column="sipfacilityannualprodvol",
        value_column="_value",
        accepted="the shipped/sold volume of the year",
        severity=Severity.WARNING,
    )
    parts = {"energy_intensity_mj_per_pc": (mj, 1.0, "pcs", "MJ"),
             "energy_intensity_mj_per_kg": (mj, 1.0, "kg", "MJ"),
             "water_intensity_l_per_pc": (m3, 1000.0, "pcs", "L"),
             "water_intensity_l_per_kg": (m3, 1000.0, "kg", "L")}
    for indicator, bound in plausibility.intensity_bounds().items():
        if indicator not in parts:
            continue
        numerator, scale, basis, unit = parts[indicator]
        value = pl.when(pl.col(basis) > 0).then(numerator * scale / pl.col(basis))
        unusual = ((value > bound.soft_max) | (value < bound.soft_min)).fill_null(False)
        bad = frame.filter(unusual).sort(ROW)
        if bad.is_empty():
            continue
        shown = bad.select(
            ROW, pl.concat_str(
                value.round_sig_figs(3).cast(pl.String), pl.lit(f" {bound.unit} ("),
                _whole_text(numerator * scale),
                pl.lit(f" {unit} ÷ "), _whole_text(pl.col(basis)),
                pl.lit(f" {basis})")).alias("_value"))
        # a whole sentence per area (each translated on the pages), not the area's English name
        # set in one
        message = (
            f"Unusual energy intensity ({bound.unit}), please check the quantities and the "
            "production volume (outside the plausible range; accepted)"
            if indicator.startswith("energy") else
            f"Unusual water intensity ({bound.unit}), please check the quantities and the "
            "production volume (outside the plausible range; accepted)")
        log.rows(
            shown,
            source,
            message=message,
            code="unusual_intensity",
            column=indicator,
            value_column="_value",
            accepted=f"usually {bound.soft_min:g} to {bound.soft_max:g} {bound.unit} "
            f"({plausibility.BOUNDS_FILE})",
            severity=Severity.WARNING,
        )
