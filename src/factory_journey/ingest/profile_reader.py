"""Read facility profiles (FEM Site Information, docs/contracts.md §1) from CSV, XLSX or JSON.

`read_profiles(path)` returns every valid profile and ALL problems, each located by file,
sheet, row and column with the value and what is accepted; it never raises on bad input.
`profiles_frame(...)` gives the canonical polars frame with the derived columns
(`country_iso2`, `country_iso3`, `facility_types`, `journey_factory_type`,
`production_volume_<typekey>` in pcs or kg) that the dataset reader and the engine use.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from factory_journey.domain import fem_enums
from factory_journey.domain.factory_type import journey_factory_type_expr
from factory_journey.domain.problems import Problem, ProblemList, Severity
from factory_journey.domain.profile import PRODVOL, PROFILES, SUB_QUESTIONS, FacilityProfile
from factory_journey.domain.profile_rules import validate_profile
from factory_journey.ingest.cells import CellError, is_blank, parse_cell
from factory_journey.ingest.spreadsheet import RawRow, SheetRows, read_rows

PROGRAMMES = "sipindustryprograms_programmes"
_BY_HEADER: dict[str, str] = {c.name.lower(): c.name for c in PROFILES.columns}
_BY_HEADER[PROGRAMMES] = PROGRAMMES
_POLARS_TYPES: dict[str, Any] = {
    "str": pl.String, "int": pl.Int64, "float": pl.Float64, "bool": pl.Boolean,
    "date": pl.Date, "list": pl.List(pl.String),
}


@dataclass(frozen=True, slots=True)
class ProfileRecord:
    """A valid profile and where it was read."""

    profile: FacilityProfile
    file: str | None = None
    sheet: str | None = None
    row: int | None = None


@dataclass(slots=True)
class ProfileReadResult:
    """Profiles read from one file: the valid ones and every problem found."""

    records: list[ProfileRecord] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)

    @property
    def profiles(self) -> list[FacilityProfile]:
        return [r.profile for r in self.records]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed) and at least one profile."""
        return not self.problems.has_errors and bool(self.records)

    def frame(self) -> pl.DataFrame:
        """The canonical profiles frame of the valid profiles (see `profiles_frame`)."""
        return profiles_frame(self.records)


def _flatten(values: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
    """Nested JSON answers → flat columns; returns (flat, [(column, message, value)])."""
    flat: dict[str, Any] = {}
    bad: list[tuple[str, str, Any]] = []
    enum = fem_enums.enumeration(fem_enums.FACILITY_TYPES)
    for name, value in values.items():
        key = name.strip()
        if key.lower() == PRODVOL and isinstance(value, dict | list):
            items = value.items() if isinstance(value, dict) else (
                (v.get("facility_type"), v) if isinstance(v, dict) else (None, v) for v in value)
            for given, volume in items:
                type_key = enum.resolve(given) if given is not None else None
                if type_key is None:
                    bad.append((PRODVOL, "unknown facility type in the annual volume", given))
                    continue
                if isinstance(volume, dict):
                    flat[f"{PRODVOL}_{type_key}"] = volume.get("quantity")
                    flat[f"{PRODVOL}_{type_key}_unit"] = volume.get("unit")
                else:
                    flat[f"{PRODVOL}_{type_key}"] = volume
        elif key in SUB_QUESTIONS and isinstance(value, dict):
            flat[key] = value.get("answer", value.get("value"))
            for sub, sub_value in value.items():
                if sub in ("answer", "value"):
                    continue
                flat[SUB_QUESTIONS[key].get(sub, sub if sub.startswith("sip") else
                                            f"{key}_{sub}")] = sub_value
        elif key == "sipindustryprograms" and isinstance(value, list):
            flat[key] = bool(value)
            flat[PROGRAMMES] = value
        else:
            flat[key] = value
    return flat, bad


def _row_record(raw: RawRow) -> tuple[dict[str, Any], list[Problem], set[str]]:
    """Typed record of one row, cell problems (no location yet), columns that failed."""
    flat, nested_bad = _flatten(raw.values)
    problems = [Problem(msg, column=col, value=val, code="invalid") for col, msg, val in nested_bad]
    failed: set[str] = {col for col, _, _ in nested_bad}
    record: dict[str, Any] = {}
    volumes: dict[str, dict[str, Any]] = {}
    for header, value in flat.items():
        name = _BY_HEADER.get(header.lower())
        if name is None or is_blank(value):
            continue
        if name == PROGRAMMES:
            record[name] = value
            continue
        column = PROFILES.column(name)
        try:
            parsed = parse_cell(value, column)
        except CellError as error:
            problems.append(Problem(error.message, column=name, value=value,
                                    accepted=error.accepted, code="invalid_cell"))
            failed.add(name)
            continue
        if name.startswith(f"{PRODVOL}_"):
            type_key = name.removeprefix(f"{PRODVOL}_").removesuffix("_unit")
            volumes.setdefault(type_key, {})["unit" if name.endswith("_unit") else
                                             "quantity"] = parsed
        elif parsed is not None:
            record[name] = parsed
    for type_key, volume in volumes.items():
        if "quantity" in volume:
            record.setdefault(PRODVOL, {})[type_key] = volume
        elif f"{PRODVOL}_{type_key}" not in failed:
            problems.append(Problem(
                "a unit is given without a volume", column=f"{PRODVOL}_{type_key}_unit",
                value=volume.get("unit"), accepted=f"a volume in {PRODVOL}_{type_key}",
                code="unit_without_volume", severity=Severity.WARNING))
    return record, problems, failed


def profiles_from_rows(table: SheetRows) -> ProfileReadResult:
    """Validate the rows of a profiles table already read (see `spreadsheet.read_rows`)."""
    result = ProfileReadResult()
    result.problems.extend(table.problems)
    if not table.readable:
        return result

    def locate(problem: Problem, row: int | None) -> Problem:
        return dataclasses.replace(problem, file=table.file, sheet=table.sheet, row=row)

    is_json = table.file.lower().endswith(".json")
    known = {*_BY_HEADER, *(k.lower() for k in SUB_QUESTIONS), PRODVOL}
    warned: set[str] = set()
    for raw in table.rows:
        for header in raw.values:
            if header.lower() not in known and header not in warned:
                warned.add(header)
                result.problems.add(locate(Problem(
                    "unknown column: it is ignored", column=header,
                    accepted="the columns of docs/contracts.md §1 (FEM Ref IDs); "
                    "`journey profile template` writes them", code="unknown_column",
                    severity=Severity.WARNING), 1 if not is_json else raw.row))
    if not is_json:
        headers = {h.lower() for h in table.header}
        missing = [c.name for c in PROFILES.columns if c.required and c.name.lower() not in headers]
        for name in missing:
            result.problems.add(locate(Problem(
                "required column is missing", column=name, accepted=", ".join(missing)
                + " must be in the header row", code="missing_column"), 1))
        if missing:
            return result

    first_row: dict[tuple[str, int], int] = {}
    for raw in table.rows:
        record, problems, failed = _row_record(raw)
        profile, more = validate_profile(record)
        problems += [p for p in more if p.column not in failed or p.code not in ("missing",)]
        key = (str(record.get("facility_id")), int(record.get("year") or 0))
        if "facility_id" in record and "year" in record:
            if key in first_row:
                problems.append(Problem(
                    f"facility {key[0]} year {key[1]} appears twice (first in row "
                    f"{first_row[key]})", column="facility_id", value=key[0],
                    accepted="one row per facility and year", code="duplicate"))
                profile = None
            else:
                first_row[key] = raw.row
        if any(p.severity is Severity.ERROR for p in problems):
            profile = None
        result.problems.extend([locate(p, raw.row) for p in problems])
        if profile is not None:
            result.records.append(ProfileRecord(profile, table.file, table.sheet, raw.row))
    return result


def read_profiles(path: str | Path, *, sheet: str | None = None) -> ProfileReadResult:
    """Read and validate the profiles in `path` (.csv, .xlsx sheet `profiles`, .json).

    Never raises on bad input: every problem is in `.problems`, located by file, sheet,
    row (header = 1; JSON: record number) and column, with the value and what is accepted.
    """
    return profiles_from_rows(read_rows(path, table="profiles", sheet=sheet))


class _RawTableLike(Protocol):
    """The dataset reader's raw table: `.frame` (text cells, `_row`) and `.source`."""

    frame: pl.DataFrame
    source: Any


class _LogLike(Protocol):
    def add(self, problem: Problem) -> None: ...


def _records_from_raw(raw: _RawTableLike, log: _LogLike | None) -> list[ProfileRecord]:
    file = str(getattr(raw.source, "where", getattr(raw.source, "file", "profiles")))
    sheet = getattr(raw.source, "sheet", None)
    columns = [c for c in raw.frame.columns if c != "_row"]
    table = SheetRows(file=file, sheet=sheet, header=columns)
    for values in raw.frame.iter_rows(named=True):
        row = values.pop("_row", None)
        table.rows.append(RawRow(values, int(row) if row is not None else 0))
    result = profiles_from_rows(table)
    if log is not None:
        for problem in result.problems:
            log.add(problem)
    return result.records


def profiles_frame(
    source: Sequence[ProfileRecord] | Sequence[FacilityProfile] | _RawTableLike,
    log: _LogLike | None = None,
) -> pl.DataFrame:
    """The canonical `profiles` frame (docs/contracts.md §1) with the derived columns.

    `source` is the records of a `ProfileReadResult`, plain profiles, or the dataset
    reader's raw table (then rows are validated here and problems go to `log`). Columns: the
    contract's, lists as `list[str]`, plus `country_iso2`, `country_iso3`, `facility_types`,
    `journey_factory_type`, `production_volume_<typekey>` [pcs or kg] and `_file`, `_sheet`,
    `_row`. Only valid profiles are rows.
    """
    if hasattr(source, "frame"):
        records = _records_from_raw(source, log)  # type: ignore[arg-type]
    else:
        records = [r if isinstance(r, ProfileRecord) else ProfileRecord(r)
                   for r in source]
    schema: dict[str, Any] = {c.name: _POLARS_TYPES[c.type] for c in PROFILES.columns}
    type_keys = list(fem_enums.facility_types())
    schema.update({"country_iso2": pl.String, "country_iso3": pl.String,
                   "facility_types": pl.List(pl.String)})
    schema.update({f"production_volume_{k}": pl.Float64 for k in type_keys})
    schema.update({"_file": pl.String, "_sheet": pl.String, "_row": pl.Int64})
    rows: list[dict[str, Any]] = []
    for record in records:
        profile = record.profile
        row = profile.to_flat()
        country = fem_enums.resolve_country(profile.sitecountry)
        row["country_iso2"] = profile.sitecountry
        row["country_iso3"] = country.iso3 if country else None
        row["facility_types"] = profile.facility_types
        for key in type_keys:
            row[f"production_volume_{key}"] = profile.production_volume(key)
        row.update({"_file": record.file, "_sheet": record.sheet, "_row": record.row})
        rows.append(row)
    frame = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(
        schema=schema)
    position = frame.columns.index("facility_types") + 1
    frame = frame.with_columns(journey_factory_type_expr("facility_types"))
    ordered = [*frame.columns[:position], "journey_factory_type",
               *[c for c in frame.columns[position:] if c != "journey_factory_type"]]
    return frame.select(ordered)
