"""Read facility profiles (FEM Site Information, docs/contracts.md §1) from CSV, XLSX or JSON.

Every way in goes through the one vectorised validator, `ingest.profile_validate`: the
dataset reader (`profiles_frame`), `read_profiles` (`journey profile validate`) and
`validate_profile` (one record). Nested JSON answers are flattened to the
flat columns first (`flatten_record`).

The canonical frame holds the valid rows: the contract's columns (lists as `list[str]`) plus
`country_iso2`, `country_iso3`, `facility_types`, `journey_factory_type`,
`production_volume_<typekey>` [pcs or kg] and `_file`, `_sheet`, `_row`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl
from pydantic import ValidationError

from factory_journey.domain import fem_enums
from factory_journey.domain.problems import Problem, ProblemList
from factory_journey.domain.profile import ADDITIONAL, PRODVOL, SUB_QUESTIONS
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.profile_validate import (
    PROGRAMMES,
    empty_profiles_frame,
    validate_profiles,
)
from factory_journey.ingest.raw_tables import ROW, cell_text
from factory_journey.ingest.spreadsheet import RawRow, SheetRows, read_rows

if TYPE_CHECKING:  # the models are built when first used, not by every dataset read
    from factory_journey.domain.profile_model import FacilityProfile

# ---------------------------------------------------------------- results and records


@dataclass(frozen=True, slots=True)
class ProfileRecord:
    """A valid profile and where it was read."""

    profile: FacilityProfile
    file: str | None = None
    sheet: str | None = None
    row: int | None = None


@dataclass(slots=True)
class ProfileReadResult:
    """Profiles read from one file: the canonical frame of the valid ones and every problem.

    `records`/`profiles` are the nested models of the valid rows, built on demand."""

    table: pl.DataFrame = field(default_factory=lambda: empty_profiles_frame())
    problems: ProblemList = field(default_factory=ProblemList)
    programmes: dict[int, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def records(self) -> list[ProfileRecord]:
        from factory_journey.domain.profile_model import FacilityProfile

        return [
            ProfileRecord(
                FacilityProfile.from_flat(row, self.programmes.get(row[ROW])),
                row["_file"], row["_sheet"], row[ROW],
            )
            for row in self.table.iter_rows(named=True)
        ]

    @property
    def profiles(self) -> list[FacilityProfile]:
        return [r.profile for r in self.records]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed) and at least one profile."""
        return not self.problems.has_errors and self.table.height > 0

    def frame(self) -> pl.DataFrame:
        """The canonical profiles frame of the valid profiles."""
        return self.table


# ---------------------------------------------------------------- nested JSON → flat


def flatten_record(
    values: Mapping[str, Any],
) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
    """Nested JSON answers → flat columns; returns (flat, [(column, message, value)]).

    `sipfacilityannualprodvol: {type: {quantity, unit, additional_quantity,
    additional_unit}}` (or a list of such objects with
    `facility_type`), `<question>: {answer, <sub>: …}` and `sipindustryprograms: [...]`
    become the flat columns of docs/contracts.md §1 (programmes stay nested)."""
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
                    for part in ("quantity", "unit"):  # FEM's additional option
                        if volume.get(f"additional_{part}") is not None:
                            flat[f"{PRODVOL}_{type_key}{ADDITIONAL}"
                                 + ("_unit" if part == "unit" else "")] = volume.get(
                                     f"additional_{part}")
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


def _frame_of_rows(
    table: SheetRows,
) -> tuple[pl.DataFrame, dict[int, list[Any]], list[Problem]]:
    """The rows read (`spreadsheet.read_rows`) as a text frame with `_row`, nested answers
    flattened; the nested programmes by row; problems of the nesting."""
    problems: list[Problem] = []
    programmes: dict[int, list[Any]] = {}
    records: list[dict[str, Any]] = []
    for raw in table.rows:
        flat, bad = flatten_record(raw.values)
        for column, message, value in bad:
            problems.append(Problem(message, file=table.file, sheet=table.sheet, row=raw.row,
                                    column=column, value=value, code="invalid",
                                    accepted=fem_enums.enumeration(
                                        fem_enums.FACILITY_TYPES).accepted()))
        if PROGRAMMES in flat:
            value = flat.pop(PROGRAMMES)
            if value:
                programmes[raw.row] = value
        records.append({ROW: raw.row, **{k: cell_text(v) for k, v in flat.items()}})
    names = dict.fromkeys([ROW, *table.header])
    for record in records:
        names.update(dict.fromkeys(record))
    schema = {name: pl.Int64 if name == ROW else pl.String for name in names}
    frame = pl.DataFrame(records, schema=schema, orient="row") if records else pl.DataFrame(
        schema=schema)
    return frame, programmes, problems


# ---------------------------------------------------------------- nested programmes


def _programme_problems(
    programmes: dict[int, list[Any]], source: Source, log: ProblemLog
) -> tuple[dict[int, list[dict[str, Any]]], set[int]]:
    """Nested programmes of JSON records (few): checked with the `Programme` model; rows
    with a bad programme are returned to be left out."""
    from factory_journey.domain.profile_model import Programme

    good: dict[int, list[dict[str, Any]]] = {}
    bad_rows: set[int] = set()
    for row, items in programmes.items():
        checked: list[dict[str, Any]] = []
        for number, item in enumerate(items, start=1):
            where = f"{PROGRAMMES}[{number}]"
            try:
                programme = Programme.model_validate(item)
            except ValidationError as error:
                for e in error.errors():
                    loc = ".".join(str(p) for p in e["loc"])
                    log.error(str(e["msg"]).replace("Input should be", "must be"), source,
                              row=row, column=f"{where}.{loc}" if loc else where,
                              code=str(e["type"]), accepted="a programme object")
                bad_rows.add(row)
                continue
            if programme.start_date and programme.end_date and (
                    programme.end_date < programme.start_date):
                log.error("programme end date is before its start date", source, row=row,
                          column=f"{where}.end_date", value=programme.end_date.isoformat(),
                          accepted="a date after the start date", code="date_order")
                bad_rows.add(row)
                continue
            checked.append(programme.model_dump())
        good[row] = checked
    return good, bad_rows


# ---------------------------------------------------------------- entry points


def profiles_from_rows(table: SheetRows) -> ProfileReadResult:
    """Validate the rows of a profiles table already read (see `spreadsheet.read_rows`)."""
    result = ProfileReadResult()
    result.problems.extend(table.problems)
    if not table.readable:
        return result
    source = Source(table.file, table.sheet)
    log = ProblemLog()
    raw, programmes, nesting = _frame_of_rows(table)
    for problem in nesting:
        log.add(problem)
    is_json = table.file.lower().endswith(".json")
    frame = validate_profiles(raw, source, log, is_json=is_json)
    good, bad_rows = _programme_problems(programmes, source, log)
    bad_rows |= {p.row for p in nesting if p.row is not None}
    if bad_rows:
        frame = frame.filter(~pl.col(ROW).is_in(list(bad_rows)))
    result.table = frame
    result.programmes = good
    result.problems.extend(log.sorted())
    return result


def read_profiles(path: str | Path, *, sheet: str | None = None) -> ProfileReadResult:
    """Read and validate the profiles in `path` (.csv, .xlsx sheet `profiles`, .json).

    Never raises on bad input: every problem is in `.problems`, located by file, sheet,
    row (header = 1; JSON: record number) and column, with the value and what is accepted.
    """
    return profiles_from_rows(read_rows(path, table="profiles", sheet=sheet))


def validate_profile(
    record: Mapping[str, Any],
) -> tuple[FacilityProfile | None, list[Problem]]:
    """Validate one profile record (nested or flat JSON form); the profile is None on any
    error. The same vectorised validation as a file, on a frame of one row."""
    table = SheetRows(file="record.json", sheet=None, header=list(record))
    table.rows.append(RawRow(dict(record), 1))
    result = profiles_from_rows(table)
    problems = [Problem(**{**_problem_fields(p), "file": None, "row": None})
                for p in result.problems]
    profiles = result.profiles
    return (profiles[0] if profiles else None), problems


def _problem_fields(problem: Problem) -> dict[str, Any]:
    return {name: getattr(problem, name) for name in Problem.__slots__}


class _RawTableLike(Protocol):
    """The dataset reader's raw table: `.frame` (text cells, `_row`) and `.source`."""

    frame: pl.DataFrame
    source: Any


class _LogLike(Protocol):
    def add(self, problem: Problem) -> None: ...


def profiles_frame(
    source: Sequence[ProfileRecord] | Sequence[FacilityProfile] | _RawTableLike,
    log: _LogLike | None = None,
) -> pl.DataFrame:
    """The canonical `profiles` frame (docs/contracts.md §1) with the derived columns.

    `source` is the dataset reader's raw table (rows are validated here, vectorised, and
    problems go to `log`), or profiles already validated (records or plain profiles)."""
    if hasattr(source, "frame"):
        table: Any = source
        where = str(getattr(table.source, "where", getattr(table.source, "file",
                                                           "profiles")))
        located = Source(where, getattr(table.source, "sheet", None))
        problems = log if isinstance(log, ProblemLog) else ProblemLog()
        frame = validate_profiles(table.frame, located, problems)
        if log is not None and problems is not log:
            for problem in problems.problems:
                log.add(problem)
        return frame
    records = [r if isinstance(r, ProfileRecord) else ProfileRecord(r) for r in source]
    if not records:
        return empty_profiles_frame()
    rows = [{ROW: r.row or i, **{k: cell_text(v) for k, v in r.profile.to_flat().items()}}
            for i, r in enumerate(records, start=1)]
    frame = validate_profiles(pl.DataFrame(rows), Source("profiles"), ProblemLog())
    files = pl.DataFrame({ROW: [r[ROW] for r in rows], "_f": [r.file for r in records],
                          "_s": [r.sheet for r in records]})
    return frame.join(files, on=ROW, how="left").with_columns(
        pl.col("_f").alias("_file"), pl.col("_s").alias("_sheet")).drop("_f", "_s")


__all__ = [
    "ProfileReadResult",
    "ProfileRecord",
    "flatten_record",
    "profiles_frame",
    "read_profiles",
    "validate_profile",
    "validate_profiles",
]
