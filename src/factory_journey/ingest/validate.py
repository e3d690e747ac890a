"""Spec-driven, vectorised validation of one raw table against `domain/tables.py`.

For each table the checks are built from its `Column` specs — required columns and cells,
types, accepted values, minimum and maximum — and counted in one pass over the table; only
the rows found bad are turned into located problems (a bounded number per kind, see
`problem_log`). The result is the table typed as the contract says, with `_row` kept.

What keeps a table of millions of rows cheap (docs/performance.md, ingest section):
- A text column with few distinct values (facility ids, sources, units, statuses, dates in
  CSV) is parsed and checked on its distinct values; rows are touched only to find the rows
  of a bad value, and a column that needs no change is passed on as it is (no copy).
- Native Parquet types go straight through (an integer column is cast, a float column only
  loses NaN and infinity); CSV numbers are read with a plain cast first, and the full parser
  (thousands separators, spaces) runs only when some cell needs it.
- No copy of the whole table is made: the typed columns and the checks are expressions over
  the raw columns, and bad rows are selected with the two columns a problem names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from factory_journey.domain.problems import Severity
from factory_journey.domain.tables import VERIFICATION_STATUSES, Column, Table
from factory_journey.ingest import enums, lazy, parse
from factory_journey.ingest.lazy import Frame
from factory_journey.ingest.problem_log import ProblemLog
from factory_journey.ingest.raw_tables import ROW, RawTable

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
    #: An aggregation true exactly when some row is bad (None: count the rows of `bad`),
    #: cheaper than the count: the smallest or largest value against a bound.
    any_row: pl.Expr | None = None
    #: An error refuses the cell (it is null in the typed table); a warning keeps it.
    severity: Severity = Severity.ERROR


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


#: A column's range in words: the platform's own, which the pages translate on their own
#: (services/problem_templates reads `*_PROBLEM_WORDS`).
RANGE_PROBLEM_WORDS: dict[str, str] = {
    "range": "{low} to {high}",
    "minimum": "{low} or more",
    "maximum": "{high} or less",
}


def _range_text(column: Column) -> str:
    low, high = column.minimum, column.maximum
    if low is not None and high is not None:
        return RANGE_PROBLEM_WORDS["range"].format(low=_number_text(low),
                                                   high=_number_text(high))
    if low is not None:
        return RANGE_PROBLEM_WORDS["minimum"].format(low=_number_text(low))
    return RANGE_PROBLEM_WORDS["maximum"].format(high=_number_text(high or 0))


#: A number written with one point and three digits after it ("12.500", "1.250"): in
#: Vietnamese, Turkish or Indonesian writing the point separates thousands, so the value read
#: (12.5) may be a thousandth of the one meant. Kept, with a warning, unless the column
#: shows the point as a decimal separator elsewhere (`_POINT_DECIMALS`); two points or more
#: ("1.060.775") are not a number at all and are refused as such.
_POINT_THOUSANDS = r"^\s*[+-]?[1-9]\d{0,2}\.\d{3}\s*$"
_POINT_DECIMALS = r"\.(\d{0,2}|\d{4,})\s*$"


def _checks(column: Column) -> list[Check]:
    """The checks of one column, on its typed (`<name>\\x1ftyped`) and given columns."""
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
    if column.type == "float":
        raw = pl.col(name).cast(pl.String)
        # A column that writes a point with other than three digits after it ("70115.0",
        # "12.5") uses it as the decimal separator: its "992.027" is a decimal, no warning.
        decimals = raw.str.contains(_POINT_DECIMALS).any()
        checks.append(Check(
            typed.is_not_null() & raw.str.contains(_POINT_THOUSANDS) & ~decimals,
            name,
            "Read with the point as the decimal separator (12.500 is 12.5): if the point "
            "separates thousands, write the number without it (12500)",
            "point_thousands",
            parse.ACCEPTED_FORMS["float"],
            severity=Severity.WARNING,
        ))
    if column.minimum is not None:
        negative = column.minimum == 0 and column.dimension is not None
        checks.append(
            Check(
                typed < column.minimum,
                name,
                "Negative quantity" if negative else "Below the accepted range",
                "negative" if negative else "out_of_range",
                _range_text(column),
                typed.min() < column.minimum,
            )
        )
    if column.maximum is not None:
        # NaN is above every number in the comparison, and only `nan_max` says so
        largest = typed.nan_max() if column.type == "float" else typed.max()
        checks.append(
            Check(typed > column.maximum, name, "Above the accepted range", "out_of_range",
                  _range_text(column), largest > column.maximum)
        )
    return checks


#: Tables above this many rows parse low-cardinality text columns once per distinct value.
DISTINCT_PARSE_MIN_ROWS = 20_000


def _typed_expr(column: Column, dtype: pl.DataType) -> pl.Expr:
    """The parser of `column` on a raw column of `dtype` (before the final cast)."""
    expr = parse.typed(column.name, column.type, dtype)
    if column.enum is not None:
        expr = enums.resolve(expr, column.enum)
    return expr


@dataclass(slots=True)
class _Plan:
    """How one present column is typed and checked.

    `typed` gives the final column; `work` are the working columns the row-level checks read
    (`<name>\\x1ftyped`, `<name>\\x1fgiven`); `checks` pairs each check with the expression
    that finds its rows (None: no row can be bad)."""

    typed: pl.Expr
    work: list[pl.Expr]
    checks: list[tuple[Check, pl.Expr | None]]
    #: The distinct typed values (nulls left out) when the column was parsed per value.
    values: pl.Series | None = None
    #: A check that, finding no row, proves the typed column equal to the raw one.
    unchanged_unless: Check | None = None


#: Rows at the top of a table whose distinct values tell a column of numbers or free text
#: (about as many values as rows) from one worth parsing per distinct value.
_SAMPLE_ROWS = 10_000


def _distinct_values(frame: Frame, columns: list[Column], rows: int) -> dict[str, pl.Series]:
    """Distinct raw values (null included) of the text columns with few of them (at most a
    quarter of the rows), found in one pass over all those columns together (a lazy plan
    over a file: one streaming group-by per column).

    The first rows screen out columns with about as many values as rows, so that no pass
    is spent on them; the exact count decides for the others."""
    if rows < DISTINCT_PARSE_MIN_ROWS:
        return {}
    types = lazy.schema(frame)
    texts = [c.name for c in columns if types[c.name] == pl.String]
    if not texts:
        return {}
    top = lazy.collect(frame.head(_SAMPLE_ROWS))
    counts = top.select(pl.col(n).n_unique() for n in texts).row(0)
    candidates = [n for n, k in zip(texts, counts, strict=True) if k <= top.height // 2]
    if not candidates:
        return {}
    if isinstance(frame, pl.LazyFrame):  # one column at a time: side by side, 5 × memory
        values = _screened(frame, top, candidates)
        values.update({n: frame.select(n).unique().collect(engine="streaming").to_series()
                       for n in candidates if n not in values})
    else:
        distinct = frame.select(pl.col(n).unique().implode() for n in candidates)  # in parallel
        values = {n: distinct[n][0].alias(n) for n in candidates}
    return {n: v for n, v in values.items() if len(v) <= rows // 4}


#: Distinct values in the first rows up to which a column of a lazy table is screened
#: against them (`_screened`) before it gets a grouping pass of its own.
_SCREEN_VALUES = 64


def _screened(frame: pl.LazyFrame, top: pl.DataFrame, names: list[str]) -> dict[str, pl.Series]:
    """Of the text columns `names`, those whose every value is one of the few in `top` (the
    first rows), with those values (null included when the column has one).

    One streaming pass over all of them looks each cell up among its column's values; a
    grouping pass per column (the usual way to find the distinct values) costs a third more
    per column. A column with another value is left out: its values are found as before."""
    seen = {n: top[n].unique() for n in names if top[n].n_unique() <= _SCREEN_VALUES}
    if not seen:
        return {}
    counts: list[pl.Expr] = []
    for i, (name, values) in enumerate(seen.items()):
        column, known = pl.col(name), values.drop_nulls()
        other = column.is_not_null()
        if len(known):
            other = other & ~column.is_in(known.implode()).fill_null(False)
        counts += [other.sum().alias(f"other{i}"), column.null_count().alias(f"null{i}")]
    found = lazy.one_row(frame, counts)
    screened: dict[str, pl.Series] = {}
    for i, (name, values) in enumerate(seen.items()):
        other, nulls = found[2 * i], found[2 * i + 1]
        if other:
            continue
        known = values.drop_nulls()
        screened[name] = known.append(pl.Series(name, [None], known.dtype)) if nulls else known
    return screened


def _membership(name: str, values: pl.Series) -> pl.Expr | None:
    """Rows whose raw value is one of `values` (null included when it is one)."""
    if values.is_empty():
        return None
    with_null = values.null_count() > 0
    known = values.drop_nulls()
    found = pl.col(name).is_in(known.implode()).fill_null(False) if len(known) else None
    if with_null:
        return pl.col(name).is_null() if found is None else pl.col(name).is_null() | found
    return found


def _by_distinct(column: Column, values: pl.Series) -> _Plan:
    """Parse and check the distinct values of a text column, then map them onto the rows.

    The same parser and checks as row by row: a check holds for a row exactly when it holds
    for the row's value, so the rows of a bad value are found by membership."""
    name, final = column.name, parse.DTYPES[column.type]
    small = pl.DataFrame({name: values}).with_columns(
        _typed_expr(column, pl.String()).alias(name + _TYPED),
        parse.given(name, pl.String()).alias(name + _GIVEN),
    )
    checks = [
        (check, _membership(name, small.filter(check.bad.fill_null(False))[name]))
        for check in _checks(column)
    ]
    written = small.filter(pl.col(name).is_not_null())
    parsed = written[name + _TYPED]
    if written.is_empty():
        typed = pl.lit(None, final)
    elif parsed.dtype == pl.String and parsed.equals(written[name], check_names=False):
        typed = pl.col(name)  # already clean: nothing to map
    else:
        typed = pl.col(name).replace_strict(
            written[name], parsed, default=None, return_dtype=parsed.dtype
        )
    values = parsed.drop_nulls().unique().cast(final).alias(name)
    return _Plan(typed.cast(final).alias(name), [], checks, values)


def _plain_numbers(frame: Frame, columns: list[Column]) -> set[str]:
    """Text columns of numbers where every written cell reads with a plain cast (no
    thousands separator, no surrounding space, no blank): the full parser is not needed."""
    types = lazy.schema(frame)
    names = [
        c.name for c in columns
        if c.type in ("float", "int") and types[c.name] == pl.String
    ]
    if not names:
        return set()
    unread = lazy.one_row(frame, (
        (pl.col(n).is_not_null() & pl.col(n).cast(pl.Float64, strict=False).is_null()).sum()
        for n in names
    ))
    return {n for n, count in zip(names, unread, strict=True) if count == 0}


#: Native (Parquet) types whose every value is a value of the column type as it is.
_LOSSLESS: dict[str, tuple[pl.DataType, ...]] = {
    "int": (pl.Int8(), pl.Int16(), pl.Int32(), pl.Int64(), pl.UInt8(), pl.UInt16(),
            pl.UInt32()),
    "bool": (pl.Boolean(),),
    "date": (pl.Date(),),
}


def _lossless(column: Column, dtype: pl.DataType) -> bool:
    """Whether the typed column is the raw column of `dtype` itself (a cast that cannot fail):
    a cell is then typed exactly when it is given, so its type check needs no pass."""
    return dtype in _LOSSLESS.get(column.type, ())


def _row_by_row(column: Column, dtype: pl.DataType, plain: bool) -> _Plan:
    """Parse and check a column row by row (many distinct values, or a native type)."""
    name, final = column.name, parse.DTYPES[column.type]
    given = parse.given(name, dtype)
    typed: pl.Expr
    if column.type == "int" and dtype.is_integer():
        typed = pl.col(name).cast(pl.Int64, strict=False)
    elif column.type in ("float", "int") and plain:
        # every written cell is a number: the same values as `parse.number`, without its
        # text clean-up, and a cell is given exactly when it is written
        value = pl.col(name).cast(pl.Float64, strict=False)
        typed = pl.when(value.is_finite()).then(value)
        if column.type == "int":
            typed = pl.when(typed == typed.floor()).then(typed).cast(pl.Int64, strict=False)
        given = pl.col(name).is_not_null()
    else:
        typed = _typed_expr(column, dtype)
    work = [typed.alias(name + _TYPED), given.alias(name + _GIVEN)]
    checks: list[tuple[Check, pl.Expr | None]] = [(c, c.bad) for c in _checks(column)]
    if _lossless(column, dtype):  # a native value is its typed value: none is of the wrong type
        checks = [(c, None if c.code == "wrong_type" else bad) for c, bad in checks]
    if dtype != pl.String:  # a number given as a number has no separator to mistake
        checks = [(c, None if c.code == "point_thousands" else bad) for c, bad in checks]
    # A float column loses only NaN and infinity, which its type check finds.
    unchanged_unless = next(
        (c for c, _ in checks if c.code == "wrong_type"), None
    ) if column.type == "float" and dtype == pl.Float64 else None
    return _Plan(pl.col(name + _TYPED).cast(final).alias(name), work, checks,
                 unchanged_unless=unchanged_unless)


@dataclass(frozen=True, slots=True)
class TypedTable:
    """A table typed per its spec, and the distinct values of the columns that were parsed
    per distinct value (facility ids, sources, units, …; nulls left out), for later checks."""

    frame: pl.DataFrame
    distinct: dict[str, pl.Series]
    #: The same typing as a function of the raw table as a lazy frame (the file scanned
    #: again gives `frame` again: every parser is an expression of the raw columns).
    plan: Callable[[pl.LazyFrame], pl.LazyFrame] | None = None
    #: A lazy raw table (`RawTable.lazy`): the typed table as a plan over its file, never
    #: collected here (`frame` then has its columns and no rows).
    lazy: pl.LazyFrame | None = None
    #: Per column, the rows (`_row`) of the cells given but unreadable (of the wrong type or
    #: not an accepted value: reported, and null here), so that a later check does not take
    #: those nulls for cells left empty.
    unread: dict[str, pl.Series] = field(default_factory=dict)

    @property
    def data(self) -> pl.DataFrame | pl.LazyFrame:
        """The typed rows: the plan when the table is lazy, else `frame`."""
        return self.frame if self.lazy is None else self.lazy


def validate_table(
    raw: RawTable, spec: Table, log: ProblemLog, extra: tuple[Column, ...] = ()
) -> pl.DataFrame | None:
    """The table typed per `spec` (plus `extra` optional columns), or None when a required
    column is missing. Problems go to `log`; rows with problems stay, with nulls."""
    typed = type_table(raw, spec, log, extra)
    return None if typed is None else lazy.collect(typed.data)


def type_table(
    raw: RawTable, spec: Table, log: ProblemLog, extra: tuple[Column, ...] = ()
) -> TypedTable | None:
    """`validate_table`, keeping the distinct values it found (see `TypedTable`).

    A lazy raw table (`RawTable.lazy`) is checked by aggregations over its file and comes
    back as a lazy plan: the same typing, never materialised here."""
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

    def renamed(frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.select(ROW, *renames).rename(renames)

    frame = raw.data.select(ROW, *renames).rename(renames)
    names = lazy.column_names(frame)
    present = [c for c in columns if c.name in names]
    schema = lazy.schema(frame)
    distinct = _distinct_values(frame, present, raw.height)
    plain = _plain_numbers(frame, [c for c in present if c.name not in distinct])
    plans = {
        c.name: _by_distinct(c, distinct[c.name]) if c.name in distinct
        else _row_by_row(c, schema[c.name], c.name in plain)
        for c in present
    }

    # One pass counts every check; then only the bad rows of the checks that found any.
    work = [w for p in plans.values() for w in p.work]
    rows = frame.lazy().with_columns(work)
    found = [(check, bad) for p in plans.values() for check, bad in p.checks if bad is not None]
    counts = lazy.one_row(rows, (
        (check.any_row if bad is check.bad and check.any_row is not None else bad.sum())
        .alias(str(i)) for i, (check, bad) in enumerate(found))) if found else ()
    found_any = {id(check) for (check, _), count in zip(found, counts, strict=True) if count}
    #: the checks whose rows are left null in the typed table
    nulled = ("wrong_type", "unknown_value")
    unread: dict[str, pl.Series] = {}
    for (check, bad), count in zip(found, counts, strict=True):
        if count:
            listed = rows.filter(bad).select(ROW, check.column).collect()
            if check.code in nulled:
                at = listed.get_column(ROW)
                before = unread.get(check.column)
                unread[check.column] = at if before is None else pl.concat([before, at])
            log.rows(
                listed,
                source,
                message=check.message,
                code=check.code,
                column=check.column,
                value_column=check.column,
                accepted=check.accepted,
                severity=check.severity,
            )

    for name, plan in plans.items():
        if plan.unchanged_unless is not None and id(plan.unchanged_unless) not in found_any:
            plan.typed = pl.col(name)  # nothing to take out: no copy
    final = [
        ROW,
        *(
            plans[c.name].typed if c.name in plans
            else pl.lit(None, parse.DTYPES[c.type]).alias(c.name)
            for c in columns
        ),
    ]
    status = "verification_status" in spec.column_names or any(
        c.name == "verification_status" for c in extra
    )

    def typing(rows: pl.LazyFrame) -> pl.LazyFrame:
        typed = rows.select(final)
        if status:
            typed = typed.with_columns(
                pl.col("verification_status").fill_null(VERIFICATION_STATUSES[0])
            )
        return typed

    def from_raw(raw_rows: pl.LazyFrame) -> pl.LazyFrame:
        return typing(renamed(raw_rows).with_columns(work))

    distinct_typed = {n: p.values for n, p in plans.items() if p.values is not None}
    if raw.lazy is not None:
        typed_rows = typing(rows)
        empty = pl.DataFrame(schema=typed_rows.collect_schema())
        return TypedTable(empty, distinct_typed, from_raw, typed_rows, unread)
    return TypedTable(typing(rows).collect(engine="in-memory"), distinct_typed, from_raw,
                      unread=unread)
