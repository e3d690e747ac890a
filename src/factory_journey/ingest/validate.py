"""Spec-driven, vectorised validation of one raw table against `domain/tables.py`.

For each table the checks are built from its `Column` specs — required columns and cells,
types, accepted values, minimum and maximum — and evaluated as polars expressions in one
pass; only the rows found bad are turned into located problems (a bounded number per kind,
see `problem_log`). The result is the table typed as the contract says, with `_row` kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from factory_journey.domain.tables import VERIFICATION_STATUSES, Column, Table
from factory_journey.ingest import enums, parse
from factory_journey.ingest.formats import ROW, RawTable
from factory_journey.ingest.problem_log import ProblemLog

_TYPED = "\x1ftyped"
_GIVEN = "\x1fgiven"


@dataclass(frozen=True, slots=True)
class Check:
    """Rows where `bad` holds get `message` about `column` (their raw value is shown)."""

    bad: pl.Expr
    column: str
    message: str
    code: str
    accepted: str | None = None


def header_names(spec: Table, extra: tuple[Column, ...] = ()) -> dict[str, str]:
    """Accepted header (lower case) → column name: the name itself or its FEM Ref ID."""
    names: dict[str, str] = {}
    for column in (*spec.columns, *extra):
        names[column.name.lower()] = column.name
        if column.fem_ref_id:
            names.setdefault(column.fem_ref_id.lower(), column.name)
    return names


def _number_text(value: float) -> str:
    return f"{value:g}"


def _range_text(column: Column) -> str:
    low, high = column.minimum, column.maximum
    if low is not None and high is not None:
        return f"{_number_text(low)} to {_number_text(high)}"
    if low is not None:
        return f"{_number_text(low)} or more"
    return f"{_number_text(high or 0)} or less"


def _checks(column: Column, dtype: pl.DataType) -> list[Check]:
    name, typed = column.name, pl.col(column.name + _TYPED)
    given = pl.col(column.name + _GIVEN)
    checks: list[Check] = []
    if column.required:
        checks.append(Check(~given, name, "A value is required here", "required_empty"))
    if column.type != "str":
        checks.append(
            Check(
                given & typed.is_null(),
                name,
                f"Not {parse.TYPE_WORDS[column.type]}",
                "wrong_type",
                parse.ACCEPTED_FORMS[column.type],
            )
        )
    if column.enum is not None:
        checks.append(
            Check(
                given & typed.is_null(),
                name,
                "Not an accepted value",
                "unknown_value",
                enums.enum_index(column.enum).accepted,
            )
        )
    if column.minimum is not None:
        negative = column.minimum == 0 and column.dimension is not None
        checks.append(
            Check(
                typed < column.minimum,
                name,
                "Negative quantity" if negative else "Below the accepted range",
                "negative" if negative else "out_of_range",
                _range_text(column),
            )
        )
    if column.maximum is not None:
        checks.append(
            Check(typed > column.maximum, name, "Above the accepted range", "out_of_range",
                  _range_text(column))
        )
    return checks


#: Tables above this many rows parse low-cardinality text columns once per distinct value.
DISTINCT_PARSE_MIN_ROWS = 20_000


def _typed_expr(column: Column, dtype: pl.DataType) -> pl.Expr:
    expr = parse.typed(column.name, column.type, dtype)
    if column.enum is not None:
        expr = enums.resolve(expr, column.enum)
    return expr.alias(column.name + _TYPED)


def _typed_by_distinct(frame: pl.DataFrame, column: Column) -> pl.Expr | None:
    """For a text column with few distinct values (sources, units, dates, yes/no, ids), parse
    each distinct value once and map the column through the result: the same values as
    `_typed_expr`, at a fraction of the cost on millions of rows. None when not worth it."""
    name = column.name
    if frame.height < DISTINCT_PARSE_MIN_ROWS or frame.schema[name] != pl.String:
        return None
    if frame.select(pl.col(name).approx_n_unique()).item() > frame.height // 4:
        return None
    distinct = frame.select(pl.col(name).unique().drop_nulls())
    parsed = distinct.select(_typed_expr(column, pl.String())).to_series()
    if parsed.dtype == pl.String and parsed.equals(distinct[name], check_names=False):
        return pl.col(name).alias(name + _TYPED)  # already clean: nothing to map
    return (
        pl.col(name)
        .replace_strict(distinct[name], parsed, default=None, return_dtype=parsed.dtype)
        .alias(name + _TYPED)
    )


def validate_table(
    raw: RawTable, spec: Table, log: ProblemLog, extra: tuple[Column, ...] = ()
) -> pl.DataFrame | None:
    """The table typed per `spec` (plus `extra` optional columns), or None when a required
    column is missing. Problems go to `log`; rows with problems stay, with nulls."""
    source = raw.source
    accepted_headers = header_names(spec, extra)
    columns = (*spec.columns, *extra)
    renames: dict[str, str] = {}
    for header in raw.frame.columns:
        if header == ROW:
            continue
        name = accepted_headers.get(header.lower())
        if name is None:
            log.warning(
                f"Column {header!r} is not part of the {spec.name} table and was ignored",
                source,
                row=1,
                column=header,
                code="unknown_column",
                accepted=", ".join(c.name for c in columns),
            )
        elif name in renames.values():
            log.error(
                f"Column {name!r} is given twice (by its name and by its FEM Ref ID)",
                source,
                row=1,
                column=header,
                code="duplicate_column",
            )
        else:
            renames[header] = name
    missing = [c.name for c in columns if c.required and c.name not in renames.values()]
    for name in missing:
        log.error(
            f"The {spec.name} table has no column {name!r}, which is required",
            source,
            row=1,
            column=name,
            code="missing_column",
            accepted=", ".join(c.name for c in columns if c.required),
        )
    if missing:
        return None

    frame = raw.frame.select(ROW, *renames).rename(renames)
    frame = frame.with_columns(
        pl.lit(None, pl.String).alias(c.name) for c in columns if c.name not in frame.columns
    )
    schema = frame.schema
    typed_columns = []
    for column in columns:
        by_distinct = _typed_by_distinct(frame, column)
        typed_columns.append(
            _typed_expr(column, schema[column.name]) if by_distinct is None else by_distinct
        )
    frame = frame.with_columns(
        *typed_columns,
        *(parse.given(c.name, schema[c.name]).alias(c.name + _GIVEN) for c in columns),
    )

    checks = [check for c in columns for check in _checks(c, schema[c.name])]
    counts = frame.select(check.bad.sum().alias(str(i)) for i, check in enumerate(checks)).row(0)
    for check, count in zip(checks, counts, strict=True):
        if count:
            bad = frame.filter(check.bad).select(ROW, check.column)
            log.rows(
                bad,
                source,
                message=check.message,
                code=check.code,
                column=check.column,
                value_column=check.column,
                accepted=check.accepted,
            )

    typed = frame.select(
        ROW,
        *(
            pl.col(c.name + _TYPED).cast(parse.DTYPES[c.type]).alias(c.name)
            for c in columns
        ),
    )
    if "verification_status" in typed.columns:
        typed = typed.with_columns(
            pl.col("verification_status").fill_null(VERIFICATION_STATUSES[0])
        )
    return typed
