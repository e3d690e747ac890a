"""The vectorised validator of facility profiles (docs/contracts.md §1), one for every way in.

`validate_profiles(frame, …)` types each column of `domain.profile.PROFILES` with polars
(text, numbers, yes/no, `;`-separated choices, countries, OS Hub IDs and units resolved once
per distinct spelling), checks ranges, required cells and duplicate (facility_id, year) rows,
then the cross-field rules of `domain.profile_rules`, and reports located problems (a bounded
number per kind). It returns the canonical frame of the valid rows with the derived columns.
`ingest.profile_reader` turns files and records into the text frame this module checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from factory_journey.domain import fem_enums
from factory_journey.domain.factory_type import journey_factory_type_expr
from factory_journey.domain.problems import Severity
from factory_journey.domain.profile import (
    ADDITIONAL,
    COUNTRY_ACCEPTED,
    OSH_ACCEPTED,
    PRODVOL,
    PROFILES,
    SUB_QUESTIONS,
)
from factory_journey.domain.profile_rules import (
    RuleCheck,
    accepted_text,
    profile_rule_checks,
)
from factory_journey.domain.tables import Column
from factory_journey.domain.units import conversion_factor
from factory_journey.ingest import parse
from factory_journey.ingest.cells import parse_list
from factory_journey.ingest.checks import key_hash
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.profile_cells import (
    by_distinct,
    by_distinct_or,
    choices,
    distinct_values,
    enum_accepted,
    numbers,
    os_hub_ids,
    parsed_by_distinct,
    range_accepted,
    unit_problem,
)
from factory_journey.ingest.raw_tables import ROW

PROGRAMMES = "sipindustryprograms_programmes"
_BY_HEADER: dict[str, str] = {c.name.lower(): c.name for c in PROFILES.columns}
_POLARS_TYPES: dict[str, Any] = {
    "str": pl.String, "int": pl.Int64, "float": pl.Float64, "bool": pl.Boolean,
    "date": pl.Date, "list": pl.List(pl.String),
}
_OSH_COLUMNS = ("sip_osh_id", "sip_parent_osh_id")
_NUMBER_ACCEPTED = "a number such as 1250 or 1250.5"
_DECIMAL_COMMA = r"^[+-]?\d+,\d+$"
#: Suffixes of the working columns (raw text, typed value, problem text).
_RAW = "\x1fraw"
_OK = "\x1fok"
_FIRST = "\x1ffirst"


# ---------------------------------------------------------------- the validator


@dataclass(slots=True)
class _Plan:
    """Typed column expressions and the cell checks, built column by column."""

    typed: list[pl.Expr] = field(default_factory=list)
    checks: list[RuleCheck] = field(default_factory=list)
    #: Working columns computed once, before `typed` (parsed per distinct value, numbers).
    pre: list[pl.Expr] = field(default_factory=list)
    made: int = 0
    #: Distinct values already found, by frame and expression (see `values`).
    found: dict[tuple[int, str], list[Any]] = field(default_factory=dict)

    def once(self, expr: pl.Expr) -> pl.Expr:
        """`expr` as a working column computed once (checks and types read it)."""
        self.made += 1
        name = f"\x1fpre{self.made}"
        self.pre.append(expr.alias(name))
        return pl.col(name)

    def values(self, frame: pl.DataFrame, text: pl.Expr) -> list[Any]:
        """The distinct values of `text` on `frame`, found once for all its mappings."""
        key = (id(frame), str(text))
        if key not in self.found:
            self.found[key] = distinct_values(frame, text)
        return self.found[key]

    def distinct(self, frame: pl.DataFrame, text: pl.Expr, fn: Callable[[str], Any],
                 dtype: Any) -> pl.Expr:
        return self.once(by_distinct(frame, text, fn, dtype, self.values(frame, text)))

    def check(self, bad: pl.Expr, column: str, message: pl.Expr | str, code: str,
              accepted: str, summary: str | None = None) -> None:
        text = pl.lit(message, pl.String) if isinstance(message, str) else message
        self.checks.append(RuleCheck(
            bad=bad.fill_null(False), column=column, message=text, code=code,
            summary=summary or (message if isinstance(message, str) else "a value is wrong"),
            value=pl.col(column + _RAW).cast(pl.String), accepted=pl.lit(accepted, pl.String)))


def _plan_column(frame: pl.DataFrame, column: Column, plan: _Plan) -> None:
    name = column.name
    raw = pl.col(name + _RAW)
    given = raw.is_not_null()
    dtype = frame.schema[name + _RAW]
    if name == "sitecountry":
        iso2 = plan.distinct(frame, raw, lambda v: getattr(
            fem_enums.resolve_country(v), "iso2", None), pl.String)
        plan.typed.append(iso2.alias(name))
        plan.check(given & iso2.is_null(), name, "unknown country or region", "country",
                   COUNTRY_ACCEPTED)
    elif name in _OSH_COLUMNS:
        # The check character in polars for all IDs; the parser words what is wrong with
        # the few distinct IDs that fail.
        checked = plan.once(os_hub_ids(frame, raw))
        normalised = checked.struct.field("id")
        ok = checked.struct.field("ok").fill_null(False)
        why = checked.struct.field("why")
        plan.typed.append(pl.when(ok).then(normalised).alias(name))
        plan.check(given & ~ok, name, why, "os_hub_id", OSH_ACCEPTED,
                   summary="not a valid Open Supply Hub ID")
    elif column.type == "list" or (column.type == "str" and column.enum is not None):
        # The typed value itself is mapped per distinct value (an empty choice: null), and
        # the first unknown item beside it: one column of a million lists, not three.
        enum = column.enum
        if enum is None:
            keys = plan.distinct(frame, raw, lambda v: parse_list(v) or None,
                                 pl.List(pl.String))
            plan.typed.append(keys.alias(name))
            return
        bad = plan.distinct(frame, raw, lambda v: choices(v, enum)[1], pl.String)
        if column.type == "list":
            keys = plan.distinct(frame, raw, lambda v: choices(v, enum)[0] or None,
                                 pl.List(pl.String))
            message = pl.format("unknown value '{}'", bad)
        else:
            keys = plan.distinct(frame, raw, lambda v: next(iter(choices(v, enum)[0]), None),
                                 pl.String)
            message = pl.lit("unknown value", pl.String)
        plan.typed.append(keys.alias(name))
        plan.check(bad.is_not_null(), name, message, "invalid_cell", enum_accepted(enum),
                   summary="unknown value")
        plan.typed.append(bad.is_null().alias(name + _OK))
    elif column.type in ("float", "int"):
        parsed = numbers(frame, name + _RAW, dtype)
        number = plan.once(pl.lit(parsed))
        value = number if column.type == "float" else (
            pl.when(number == number.floor()).then(number).cast(pl.Int64, strict=False))
        not_number = (pl.when(raw.str.contains(_DECIMAL_COMMA))
                      .then(pl.lit("not a number (use a point as the decimal separator)"))
                      .otherwise(pl.lit("not a number"))) if dtype == pl.String else (
            pl.lit("not a number"))  # a native NaN or infinity
        plan.check(given & number.is_null(), name, not_number, "invalid_cell",
                   _NUMBER_ACCEPTED, summary="not a number")
        if column.type == "int":
            plan.check(number.is_not_null() & value.is_null(), name, "not a whole number",
                       "invalid_cell", "a whole number such as 12")
        in_range: pl.Expr | None = None
        if column.minimum is not None or column.maximum is not None:
            low = value < column.minimum if column.minimum is not None else pl.lit(False)
            high = value > column.maximum if column.maximum is not None else pl.lit(False)
            # concat_str, not pl.format inside when/then: that panics in polars 2.1
            message = pl.concat_str(
                pl.when((value < 0) & pl.lit(column.minimum == 0)).then(pl.lit("negative"))
                .otherwise(pl.lit("out of range")), pl.lit(": "), raw.cast(pl.String))
            out = (low | high).fill_null(False)
            plan.check(out, name, message, "invalid_cell",
                       range_accepted(column), summary="out of range")
            in_range = ~out
            if column.type == "float" and not _out_of_range(parsed, column):
                in_range = None  # no value to take out: the numbers as they are, no copy
        plan.typed.append(value.alias(name) if in_range is None
                          else pl.when(in_range).then(value).alias(name))
    elif column.type == "bool":
        value = raw if dtype == pl.Boolean else plan.once(
            parsed_by_distinct(frame, raw, parse.yes_no("value", dtype)))
        plan.typed.append(value.alias(name))
        plan.check(given & value.is_null(), name, "not a yes/no answer", "invalid_cell",
                   "yes or no (also true/false, 1/0, y/n)")
    else:
        plan.typed.append(raw.alias(name))


def _out_of_range(numbers: pl.Series, column: Column) -> bool:
    """Whether some of `numbers` (a float column's) is outside the column's range."""
    low = numbers < column.minimum if column.minimum is not None else None
    high = numbers > column.maximum if column.maximum is not None else None
    out = low if high is None else high if low is None else low | high
    return bool(out is not None and out.any())


def _required_checks(plan: _Plan) -> pl.Expr:
    """Required cells: a value that is missing (not one already reported as bad)."""
    valid = pl.lit(True)
    for column in PROFILES.columns:
        if not column.required:
            continue
        name = column.name
        missing = pl.col(name + _RAW).is_null()
        if column.type == "list":  # `;` alone: given, but no choice in it
            missing = missing | (pl.col(name).is_null() & pl.col(name + _OK))
        plan.check(missing, name, "required value is missing", "missing",
                   accepted_text(column))
        plan.checks[-1] = RuleCheck(**{**_fields(plan.checks[-1]), "value": None})
        valid = valid & pl.col(name).is_not_null()
    return valid


def _fields(check: RuleCheck) -> dict[str, Any]:
    return {name: getattr(check, name) for name in RuleCheck.__slots__}


def _volume_plan(frame: pl.DataFrame, plan: _Plan) -> list[pl.Expr]:
    """Units of the volumes: checked and turned into factors once per distinct spelling.
    Returns the canonical volume expressions (`production_volume_<key>` [pcs or kg])."""
    canonical: list[pl.Expr] = []
    for key, info in fem_enums.facility_types().items():
        quantity, unit_name = f"{PRODVOL}_{key}", f"{PRODVOL}_{key}_unit"
        raw_unit = pl.col(unit_name + _RAW)
        unit = raw_unit.fill_null(pl.lit(info.production_unit))
        given = pl.col(quantity + _RAW).is_not_null()
        def problem(u: str, k: str = key) -> str | None:
            return unit_problem(u, k)

        # per distinct written unit, a blank one read as the FEM unit (the column is not
        # filled: a copy of a million texts per expression)
        written = plan.values(frame, raw_unit)
        why = plan.once(by_distinct_or(frame, raw_unit, info.production_unit, problem,
                                       pl.String, written))

        def factor(u: str, k: str = key) -> float | None:
            if unit_problem(u, k) is not None:
                return None
            return conversion_factor(u, fem_enums.facility_types()[k].production_unit)

        plan.check(given & why.is_not_null(), unit_name, why, "unit",
                   ", ".join(info.allowed_units), summary="wrong unit for the volume")
        plan.checks[-1] = RuleCheck(**{**_fields(plan.checks[-1]),
                                       "value": pl.col(unit_name + _RAW)})
        plan.check(~given & pl.col(unit_name + _RAW).is_not_null(), unit_name,
                   "a unit is given without a volume", "unit_without_volume",
                   f"a volume in {quantity}")
        plan.checks[-1] = RuleCheck(**{**_fields(plan.checks[-1]),
                                       "severity": Severity.WARNING})
        plan.typed.append(pl.when(given).then(unit).alias(unit_name))
        canonical.append(
            pl.when(why.is_null())
            .then(pl.col(quantity) * plan.once(by_distinct_or(
                frame, raw_unit, info.production_unit, factor, pl.Float64, written)))
            .alias(f"production_volume_{key}"))
        if info.additional_units:
            _additional_plan(key, plan)
    return canonical


def _additional_plan(key: str, plan: _Plan) -> None:
    """The unit of the FEM's additional-option quantity: required with it, one of the
    facility type's `additional_units` (any case)."""
    info = fem_enums.facility_types()[key]
    quantity, unit_name = f"{PRODVOL}_{key}{ADDITIONAL}", f"{PRODVOL}_{key}{ADDITIONAL}_unit"
    raw_unit = pl.col(unit_name + _RAW)
    given = pl.col(quantity + _RAW).is_not_null()
    known = {u.lower(): u for u in info.additional_units}
    accepted = ", ".join(info.additional_units)
    resolved = raw_unit.str.to_lowercase().replace_strict(known, default=None,
                                                          return_dtype=pl.String)
    plan.check(given & raw_unit.is_null(), unit_name,
               "the additional quantity needs its unit", "unit", accepted)
    plan.check(raw_unit.is_not_null() & resolved.is_null(), unit_name,
               pl.lit(f"not a unit of the additional option for {info.label}"), "unit",
               accepted, summary=f"not a unit of the additional option for {info.label}")
    plan.check(~given & raw_unit.is_not_null(), unit_name,
               "a unit is given without an additional quantity", "unit_without_volume",
               f"a quantity in {quantity}")
    plan.checks[-1] = RuleCheck(**{**_fields(plan.checks[-1]), "severity": Severity.WARNING})
    plan.typed.append(pl.when(given).then(resolved).alias(unit_name))


def _first_rows(frame: pl.DataFrame) -> pl.Expr:
    """The first row of each (facility_id, year); the grouping runs only when a cheap
    screen (sorted key hashes with equal neighbours) finds a possible duplicate."""
    key = ["facility_id", "year"]
    hashes = frame.select(key_hash(key).sort().alias("h")).to_series()
    if len(hashes) < 2 or not (hashes.slice(1) == hashes.slice(0, len(hashes) - 1)).any():
        return pl.col(ROW)
    return pl.col(ROW).min().over(key)


def _duplicates() -> RuleCheck:
    key = ["facility_id", "year"]
    first = pl.col(_FIRST)
    return RuleCheck(
        bad=(pl.all_horizontal(pl.col(k).is_not_null() for k in key)
             & (pl.col(ROW) != first)),
        column="facility_id",
        message=pl.format("facility {} year {} appears twice (first in row {})",
                          "facility_id", "year", first),
        code="duplicate",
        summary="a facility and year appear twice",
        value=pl.col("facility_id"),
        accepted=pl.lit("one row per facility and year", pl.String),
    )


def _report(frame: pl.DataFrame, checks: list[RuleCheck], source: Source,
            log: ProblemLog) -> pl.Expr:
    """Log every check's bad rows; returns the expression of rows with an error (of the
    checks that found any)."""
    counts = frame.select(c.bad.sum().alias(str(i)) for i, c in enumerate(checks)).row(0)
    errors: list[pl.Expr] = []
    for check, count in zip(checks, counts, strict=True):
        if check.severity is Severity.ERROR and count:
            errors.append(check.bad)
        if not count:
            continue
        bad = frame.lazy().filter(check.bad).select(
            pl.col(ROW),
            check.message.alias("_message"),
            (check.value if check.value is not None else pl.lit(None)).alias("_value"),
            (check.accepted if check.accepted is not None else pl.lit(None, pl.String))
            .alias("_accepted"),
        ).collect()  # lazily: only the columns the check reads are filtered
        log.rows(bad, source, message=check.summary, code=check.code, column=check.column,
                 value_column="_value", message_column="_message",
                 accepted_column="_accepted", severity=check.severity)
    return pl.any_horizontal(errors) if errors else pl.lit(False)


def _headers(frame: pl.DataFrame, source: Source, log: ProblemLog, is_json: bool) -> dict[
        str, str] | None:
    """Header → column name; unknown headers warned; None when a required one is missing."""
    known = {*(k.lower() for k in SUB_QUESTIONS), PRODVOL, PROGRAMMES}
    renames: dict[str, str] = {}
    for header in frame.columns:
        if header == ROW:
            continue
        name = _BY_HEADER.get(header.lower())
        if name is not None and name not in renames.values():
            renames[header] = name
        elif header.lower() not in known:
            log.warning("unknown column: it is ignored", source, row=1, column=header,
                        accepted="the columns of docs/contracts.md §1 (FEM Ref IDs); "
                        "`journey profile template` writes them", code="unknown_column")
    if is_json:
        return renames
    missing = [c.name for c in PROFILES.columns if c.required and c.name not in
               renames.values()]
    for name in missing:
        log.error("required column is missing", source, row=1, column=name,
                  accepted=", ".join(missing) + " must be in the header row",
                  code="missing_column")
    return None if missing else renames


def validate_profiles(
    raw: pl.DataFrame, source: Source, log: ProblemLog, *, is_json: bool = False
) -> pl.DataFrame:
    """The canonical profiles frame of the valid rows of `raw` (cells as written, `_row`).

    Every problem goes to `log`, located by `source` and row; rows with an error are left
    out. JSON records may leave out columns (a required one is then missing per record)."""
    renames = _headers(raw, source, log, is_json)
    if renames is None:
        return empty_profiles_frame()
    frame = raw.select(ROW, *(pl.col(h).alias(n + _RAW) for h, n in renames.items()))
    frame = frame.with_columns(
        pl.lit(None, pl.String).alias(c.name + _RAW) for c in PROFILES.columns
        if c.name not in renames.values())
    # Raw cells as trimmed text (blank → null); lists of a Parquet file joined by `;`.
    frame = frame.with_columns(
        pl.col(n).list.join(";").alias(n) for n, d in frame.schema.items()
        if isinstance(d, pl.List))
    # Native numbers and booleans of a Parquet file stay native: as text they would only be
    # parsed back (the text of a value is made for the few rows reported).
    texts = {n: d for n, d in frame.schema.items() if n != ROW and n not in _native(frame.schema)}
    clean = _clean_texts(frame, [n for n, d in texts.items() if d == pl.String])
    frame = frame.with_columns(parse.text(n, d).alias(n) for n, d in texts.items()
                               if n not in clean)
    plan = _Plan()
    for column in PROFILES.columns:
        if not column.name.endswith("_unit"):
            _plan_column(frame, column, plan)
    frame = frame.with_columns(plan.pre).with_columns(plan.typed)
    plan.typed, plan.pre = [], []
    canonical = _volume_plan(frame, plan)
    frame = frame.with_columns(plan.pre).with_columns(plan.typed)
    # the volumes in their FEM unit, which the plausibility rules read
    frame = frame.with_columns(canonical)
    rules_apply = _required_checks(plan)
    field_checks = _materialised(plan.checks, "field")
    frame = frame.with_columns(
        rules_apply.alias(_OK), _first_rows(frame).alias(_FIRST),
        *(check.bad.alias(name) for check, name in zip(plan.checks, _names(plan.checks,
                                                                             "field"),
                                                       strict=True)))
    # A rule says nothing more about a cell already reported as bad.
    cell_bad: dict[str, pl.Expr] = {}
    for check in field_checks:
        if check.severity is Severity.ERROR:
            cell_bad[check.column] = cell_bad.get(check.column, pl.lit(False)) | check.bad
    rules = [
        RuleCheck(**{**_fields(c), "bad": c.bad.fill_null(False) & pl.col(_OK)
                     & ~cell_bad.get(c.column, pl.lit(False))})
        for c in [_duplicates(), *profile_rule_checks()]
    ]
    frame = frame.with_columns(
        check.bad.alias(name) for check, name in zip(rules, _names(rules, "rule"), strict=True))
    has_error = _report(frame, [*field_checks, *_materialised(rules, "rule")], source, log)
    valid = frame.select(
        ROW, *(c.name for c in PROFILES.columns),
        *(f"production_volume_{k}" for k in fem_enums.facility_types()),
        has_error.alias("\x1ferror"))
    del frame  # its working columns (~340 of a million rows) go before the canonical ones come
    if valid["\x1ferror"].any():
        valid = valid.filter(~pl.col("\x1ferror"))
    return _canonical(valid, source)


#: Rows from which text columns are first checked for anything to trim (see `_clean_texts`).
_CLEAN_CHECK_MIN_ROWS = 50_000


def _clean_texts(frame: pl.DataFrame, names: list[str]) -> set[str]:
    """Text columns with no blank cell and no cell with spaces around it: `parse.text`
    would give them back unchanged, so they are not copied. Finding them (lengths compared
    with the trimmed lengths) costs a third of trimming a million rows."""
    if frame.height < _CLEAN_CHECK_MIN_ROWS or not names:
        return set()
    length = [pl.col(n).str.len_bytes() for n in names]
    dirty = frame.select(
        ((size == 0) | (size != pl.col(n).str.strip_chars().str.len_bytes())).any().alias(n)
        for n, size in zip(names, length, strict=True)).row(0)
    return {n for n, flag in zip(names, dirty, strict=True) if not flag}


def _native(schema: pl.Schema) -> set[str]:
    """Raw columns read as they are: numbers for a number column, booleans for a yes/no."""
    native: set[str] = set()
    for column in PROFILES.columns:
        dtype = schema.get(column.name + _RAW)
        if dtype is None:
            continue
        if ((column.type in ("float", "int") and dtype.is_numeric())
                or (column.type == "bool" and dtype == pl.Boolean)):
            native.add(column.name + _RAW)
    return native


def _names(checks: list[RuleCheck], stage: str) -> list[str]:
    return [f"\x1f{stage}{i}" for i in range(len(checks))]


def _materialised(checks: list[RuleCheck], stage: str) -> list[RuleCheck]:
    """The checks reading their `bad` column computed once (see `_names`)."""
    return [RuleCheck(**{**_fields(c), "bad": pl.col(name)})
            for c, name in zip(checks, _names(checks, stage), strict=True)]


def _canonical(frame: pl.DataFrame, source: Source) -> pl.DataFrame:
    types = pl.col("sipfacilitytype")
    combination = types.list.join(";")
    # The journey factory type of each distinct combination of facility types (a handful),
    # by the domain's own expression, then mapped onto the rows.
    combinations = frame.select(combination.unique().drop_nulls().alias("key")).with_columns(
        pl.col("key").str.split(";").alias("facility_types")
    ).with_columns(journey_factory_type_expr("facility_types"))
    country = fem_enums.resolve_country
    frame = frame.with_columns(
        # an unanswered multi-select is an empty list, as in the nested form
        *(pl.col(c.name).fill_null(pl.lit([], pl.List(pl.String))) for c in PROFILES.columns
          if c.type == "list"),
        pl.col("verification_status").fill_null("self-reported"),
        pl.col("sitecountry").alias("country_iso2"),
        by_distinct(frame, pl.col("sitecountry"),
                     lambda v: getattr(country(v), "iso3", None), pl.String)
        .alias("country_iso3"),
        types.alias("facility_types"),
        combination.replace_strict(combinations["key"], combinations["journey_factory_type"],
                                   default=None, return_dtype=pl.String)
        .alias("journey_factory_type"),
        pl.lit(source.where, pl.String).alias("_file"),
        pl.lit(source.sheet, pl.String).alias("_sheet"),
    )
    return frame.select(pl.col(n).cast(t) for n, t in _schema().items())


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = {c.name: _POLARS_TYPES[c.type] for c in PROFILES.columns}
    schema.update({"country_iso2": pl.String, "country_iso3": pl.String,
                   "facility_types": pl.List(pl.String), "journey_factory_type": pl.String})
    schema.update({f"production_volume_{k}": pl.Float64 for k in fem_enums.facility_types()})
    schema.update({"_file": pl.String, "_sheet": pl.String, ROW: pl.Int64})
    return schema


def empty_profiles_frame() -> pl.DataFrame:
    """The canonical profiles frame without rows (every column, typed)."""
    return pl.DataFrame(schema=_schema())
