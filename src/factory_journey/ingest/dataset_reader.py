"""Read a dataset — a folder of CSV/Parquet files, one .xlsx workbook, one JSON document or a
.zip — into typed, validated tables with located problems (docs/contracts.md §2).

`read_dataset` is the one entry point: load the raw tables (`formats`), read the profiles
(`profile_reader`), type and check each performance table against `domain/tables.py`
(`validate`), convert units (`units`), then check across rows and tables (`checks`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from functools import partial
from pathlib import Path

import polars as pl

from factory_journey.domain.tables import PERFORMANCE_TABLES, Table
from factory_journey.ingest import checks, parse, units
from factory_journey.ingest.formats import ROW, RawTable, load_dataset
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.profile_reader import profiles_frame
from factory_journey.ingest.result import ImportResult
from factory_journey.ingest.validate import type_table
from factory_journey.reference.tables import zdhc_limits

#: `progress(stage, done, total)`: stage is "read" or "validate".
Progress = Callable[[str, int, int], None]

PROVENANCE_COLUMNS = ("_file", "_sheet", ROW)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def read_dataset(path: str | Path, progress: Progress | None = None) -> ImportResult:
    """Read and validate the dataset at `path`; never raises on bad input.

    Returns the typed tables (`profiles` plus each performance table present), every
    located problem, and the raw files read (with their sha256).
    """
    report = progress or _no_progress
    path = Path(path)
    log = ProblemLog()
    if not path.exists():
        log.error("The dataset was not found", Source(str(path)), code="not_found")
        return ImportResult(problems=log.problems)
    report("read", 0, 1)
    loaded = load_dataset(path, log)
    report("read", 1, 1)
    raws = {raw.table: raw for raw in loaded.tables}
    result = ImportResult(problems=log.problems, files=loaded.files)
    if "profiles" not in raws:
        if not log.problems.has_errors:
            log.error(
                "The dataset has no profiles table (profiles.csv, a sheet 'profiles' or a "
                "'profiles' key in JSON); every facility needs a profile",
                Source(path.name),
                code="missing_table",
                accepted="profiles plus any of " + ", ".join(t.name for t in PERFORMANCE_TABLES),
            )
        result.problems = log.sorted()
        return result

    total = 1 + sum(spec.name in raws for spec in PERFORMANCE_TABLES)
    report("validate", 0, total)
    # Membership is checked against every profile row given, valid or not, so that a
    # profile with a mistake is reported once (by the profile reader), not once per table.
    known = checks.ProfileKeys(facility_years_given(raws["profiles"]))
    tasks: dict[str, Callable[[ProblemLog], pl.DataFrame | None]] = {
        "profiles": lambda table_log: _profiles_table(raws.pop("profiles"), table_log)
    }
    for spec in PERFORMANCE_TABLES:
        if spec.name in raws:
            tasks[spec.name] = partial(_performance_task, raws, spec, known)
    del loaded  # each raw table is let go once checked (`raws.pop`)
    frames = _run_tasks(tasks, log, lambda done: report("validate", done, total))
    result.tables.update({name: frame for name, frame in frames.items() if frame is not None})
    result.problems = log.sorted()
    return result


#: Tables checked side by side: the profile checks run mostly on one core, a performance
#: table's on several, so two at a time keep both cores of a small machine busy.
WORKERS = max(1, min(4, os.cpu_count() or 1))


def _run_tasks(
    tasks: dict[str, Callable[[ProblemLog], pl.DataFrame | None]],
    log: ProblemLog,
    done: Callable[[int], None],
) -> dict[str, pl.DataFrame | None]:
    """Run each table's task (up to `WORKERS` at once), each with its own problem log; the
    logs are then added to `log` in task order, so the problems come out as if the tables
    had been read one after the other."""
    logs = {name: ProblemLog(log.limit) for name in tasks}
    frames: dict[str, pl.DataFrame | None] = {}
    if WORKERS > 1 and len(tasks) > 1:
        units.prepare_for_threads()
        with ThreadPoolExecutor(WORKERS, thread_name_prefix="journey-ingest") as pool:
            futures = {pool.submit(task, logs[name]): name for name, task in tasks.items()}
            for count, future in enumerate(as_completed(futures), start=1):
                frames[futures[future]] = future.result()
                done(count)
    else:
        for count, (name, task) in enumerate(tasks.items(), start=1):
            frames[name] = task(logs[name])
            done(count)
    for name in tasks:
        for problem in logs[name].problems:
            log.add(problem)
    return {name: frames[name] for name in tasks}


def _profiles_table(raw: RawTable, log: ProblemLog) -> pl.DataFrame:
    return _with_provenance(profiles_frame(raw, log), raw)


def _performance_task(
    raws: dict[str, RawTable], spec: Table, known: checks.ProfileKeys, log: ProblemLog
) -> pl.DataFrame | None:
    return read_performance_table(raws.pop(spec.name), spec, log, known)


def facility_years_given(raw: RawTable) -> pl.DataFrame:
    """`facility_id` (text) and `year` (integer, null when unreadable) of every profile row.

    Empty of columns when the profiles have no facility_id column (the profile reader
    reports that; membership is then not checked, rather than failing every row)."""
    by_lower = {c.lower(): c for c in raw.frame.columns}
    if "facility_id" not in by_lower:
        return pl.DataFrame()
    schema = raw.frame.schema
    columns = []
    for name, typed in (("facility_id", "str"), ("year", "int")):
        if name in by_lower:
            expr = parse.typed(by_lower[name], typed, schema[by_lower[name]])  # type: ignore[arg-type]
        else:
            expr = pl.lit(None, pl.Int64 if typed == "int" else pl.String)
        columns.append(expr.alias(name))
    return raw.frame.select(columns).unique()


def read_performance_table(
    raw: RawTable, spec: Table, log: ProblemLog, profiles: pl.DataFrame | checks.ProfileKeys
) -> pl.DataFrame | None:
    """One performance table typed, converted and checked; None when it cannot be read.

    `profiles` holds the facility_id and year of every profile row given."""
    keys = profiles if isinstance(profiles, checks.ProfileKeys) else checks.ProfileKeys(profiles)
    typed = type_table(raw, spec, log)
    if typed is None:
        return None
    frame = typed.frame
    source = raw.source
    quantity = spec.column("quantity") if "quantity" in spec.column_names else None
    if quantity is not None and quantity.dimension is not None:
        frame = units.convert_quantities(frame, quantity.dimension, source, log, spec.name,
                                         typed.distinct.get("unit"))
    if spec.name == "zdhc_wastewater":
        frame = checks.zdhc_sample_year(frame, source, log)
        checks.zdhc_parameter_units(frame, source, log, zdhc_parameter_units())
    if spec.name == "programmes":
        checks.programme_dates(frame, source, log)
    checks.duplicate_rows(frame, spec, source, log)
    checks.annual_and_monthly(frame, spec, source, log)
    if "facility_id" in keys.given.columns:
        checks.facilities_in_profiles(frame, source, log, keys, spec.name,
                                      typed.distinct.get("facility_id"))
    return _with_provenance(frame, raw)


def zdhc_parameter_units() -> dict[str, str]:
    """ZDHC parameter key → the unit its limits are set in."""
    limits = zdhc_limits()
    return dict(zip(limits["parameter"].to_list(), limits["unit"].to_list(), strict=True))


def _with_provenance(frame: pl.DataFrame, raw: RawTable) -> pl.DataFrame:
    """Provenance columns last: `_file`, `_sheet` (xlsx; else null) and `_row`."""
    return frame.with_columns(
        pl.lit(raw.source.file, pl.String).alias("_file"),
        pl.lit(raw.source.sheet, pl.String).alias("_sheet"),
    ).select(pl.exclude(*PROVENANCE_COLUMNS), *PROVENANCE_COLUMNS)
