"""Read a dataset — a folder of CSV/Parquet files, one .xlsx workbook, one JSON document or a
.zip — into typed, validated tables with located problems (docs/contracts.md §2).

`read_dataset` is the one entry point: load the raw tables (`formats`), read the profiles
(`profile_reader`), type and check each performance table against `domain/tables.py`
(`validate`), convert units (`units`), then check across rows and tables (`checks`).
"""

from __future__ import annotations

import itertools
import os
import queue
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, as_completed
from functools import partial
from pathlib import Path
from typing import TypeVar

import polars as pl

from factory_journey.domain.park_tables import PARK_TABLES_BY_NAME
from factory_journey.domain.tables import PERFORMANCE_TABLES, TABLES_BY_NAME, Table
from factory_journey.ingest import checks, parse, units
from factory_journey.ingest.formats import ROW, TABLE_NAMES, RawTable, load_dataset
from factory_journey.ingest.lazy import FrameT
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.profile_reader import profiles_frame
from factory_journey.ingest.result import ImportResult
from factory_journey.ingest.validate import TypedTable, type_table
from factory_journey.reference.tables import zdhc_limits

#: A table checked: typed, a lazy plan over its file (lazy mode), or None when unreadable.
Checked = pl.DataFrame | pl.LazyFrame | None

#: `progress(stage, done, total)`: stage is "read" or "validate".
Progress = Callable[[str, int, int], None]

PROVENANCE_COLUMNS = ("_file", "_sheet", ROW)

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def read_dataset(
    path: str | Path, progress: Progress | None = None, *, lazy: bool = False
) -> ImportResult:
    """Read and validate the dataset at `path`; never raises on bad input.

    Returns the typed tables (`profiles` plus each performance table present), every
    located problem, and the raw files read (with their sha256).

    `lazy`: a Parquet table of at least `LAZY_MIN_ROWS` rows that is checked without an
    error is returned in `ImportResult.scans` as a lazy plan over its file (the same typing
    and conversion, which gives the same frame) instead of in `tables`, so that it is not
    held in memory while the caller (the Data Matrix) reads only the columns it needs.
    """
    report = progress or _no_progress
    path = Path(path)
    log = ProblemLog()
    if not path.exists():
        log.error("The dataset was not found", Source(str(path)), code="not_found")
        return ImportResult(problems=log.problems)
    report("read", 0, 1)
    with _TableChecks(log.limit, lazy) as table_checks:
        # each raw table is let go once checked
        files = load_dataset(path, log, on_table=table_checks.start, keep=False,
                             before_file=table_checks.wait_for_room,
                             lazy_from=LAZY_MIN_ROWS if lazy else None).files
        report("read", 1, 1)
        names = table_checks.names
        result = ImportResult(problems=log.problems, files=files)
        if "profiles" not in names:
            if not log.problems.has_errors:
                log.error(
                    "The dataset has no profiles table (profiles.csv, a sheet 'profiles' or a "
                    "'profiles' key in JSON); every facility needs a profile",
                    Source(path.name),
                    code="missing_table",
                    accepted="profiles plus any of "
                    + ", ".join(t.name for t in PERFORMANCE_TABLES),
                )
            result.problems = log.sorted()
            return result
        frames = table_checks.finish(log, report)
        refused = {name for name, table_log in table_checks.logs.items()
                   if table_log.problems.has_errors}
    for name, frame in frames.items():
        if isinstance(frame, pl.LazyFrame):
            result.scans[name] = frame
            result.scan_rows[name] = table_checks.rows[name]
        elif frame is not None:
            result.tables[name] = frame
    result.park_raw = table_checks.park_raw
    # Across tables: plausibility of the intensities, from tables without errors only (a
    # refused value is nulled or kept as given; either would make a misleading intensity).
    if not refused & INTENSITY_TABLES:
        checks.intensities(result.frames(), log)
    result.problems = log.sorted()
    return result


#: Rows from which a table is handed on as a lazy plan in lazy mode. Not less than the
#: matrix's `PROVENANCE_AUTO_LIMIT` (a test holds them together): a lazy table turns the
#: matrix's provenance off, which a dataset with a table this large has off anyway, so the
#: outputs do not depend on the mode.
LAZY_MIN_ROWS = 2_000_000

#: The tables the intensity check reads.
INTENSITY_TABLES = frozenset({"profiles", "energy", "water"})

#: Cells (rows × columns) of the tables waiting or being checked below which the loader
#: never waits for room (see `_TableChecks`): small datasets read and check side by side.
ROOM_CELLS = 10_000_000

#: Tables checked side by side: the profile checks run mostly on one core, a performance
#: table's on several, so two at a time keep both cores of a small machine busy.
WORKERS = max(1, min(4, os.cpu_count() or 1))


class _TableChecks:
    """Each table's checks, started as soon as the table is loaded (the profiles come first),
    on up to `WORKERS` threads while the next file is read; a free thread takes the largest
    table waiting. The loader reads the next file only when fewer than `WORKERS` tables wait
    or are being checked, or they are small (`ROOM_CELLS`): reading is quicker than checking,
    and without this every table of the dataset would be held at once (7 GB of a million
    facility-years). Each table has its
    own problem log; the logs are joined in table order at the end, so the problems come out
    exactly as when the tables are read and checked one after the other."""

    def __init__(self, limit: int, lazy: bool = False) -> None:
        self.limit = limit
        self.lazy = lazy
        #: the tables loaded, in table order, and their rows as loaded
        self.names: list[str] = []
        self.rows: dict[str, int] = {}
        self.known: checks.ProfileKeys | None = None
        self.logs: dict[str, ProblemLog] = {}
        self.jobs: dict[str, Future[Checked]] = {}
        #: park tables as loaded, left for `ingest.park_reader` (they need the profiles)
        self.park_raw: dict[str, RawTable] = {}
        self.waiting: queue.PriorityQueue[tuple[int, int, _Job | None]] = queue.PriorityQueue()
        self.arrival = itertools.count()  # ties keep the order of arrival
        #: Room for the tables waiting or being checked (see the class's docstring).
        self.room = threading.Condition()
        self.in_flight: dict[int, int] = {}  # job → cells, of the tables waiting or checked
        self.threads = [
            threading.Thread(target=self._work, name=f"journey-ingest-{i}", daemon=True)
            for i in range(WORKERS if WORKERS > 1 else 0)
        ]
        # pint is warmed up while the first file is read; the workers wait for it
        self.units_ready = threading.Thread(target=units.prepare_for_threads)
        if self.threads:
            self.units_ready.start()
        for thread in self.threads:
            thread.start()

    def __enter__(self) -> _TableChecks:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is not None:  # stopped by an error: what has not started never will
            for job in self.jobs.values():
                job.cancel()
        for _ in self.threads:
            self.waiting.put((sys.maxsize, next(self.arrival), None))
        for thread in self.threads:
            thread.join()

    def _work(self) -> None:
        self.units_ready.join()
        while (job := self.waiting.get()[2]) is not None:
            try:
                job.run()
            finally:
                with self.room:
                    del self.in_flight[id(job)]
                    self.room.notify_all()

    def wait_for_room(self) -> None:
        """Called by the loader before it reads a file: waits while `WORKERS` tables of
        `ROOM_CELLS` cells or more in all wait or are being checked, so that a large table
        is read only when it can be checked."""
        with self.room:
            while (len(self.in_flight) >= WORKERS
                   and sum(self.in_flight.values()) >= ROOM_CELLS):
                self.room.wait()

    def start(self, raw: RawTable) -> None:
        """Called by the loader with each table read, in table order (profiles first)."""
        self.names.append(raw.table)
        self.rows[raw.table] = raw.height
        if raw.table in PARK_TABLES_BY_NAME:
            self.park_raw[raw.table] = raw
            return
        log = self.logs.setdefault(raw.table, ProblemLog(self.limit))
        task: Callable[[], Checked]
        if raw.table == "profiles":
            task = partial(_profiles_table, raw, log)
        elif self.known is not None and raw.table in TABLES_BY_NAME:
            task = partial(read_performance_table, raw, TABLES_BY_NAME[raw.table], log,
                           self.known, lazy=self.lazy)
            if raw.lazy is not None:
                task = partial(_unless_damaged, task, raw, log)
        else:
            return
        self._queue(raw, task)
        if raw.table == "profiles" and raw.frame.height > 0:
            # Membership is checked against every profile row given, valid or not, so that
            # a profile with a mistake is reported once (by the profile reader), not once
            # per table. Profiles without rows are one error, not one per row elsewhere.
            self.known = checks.ProfileKeys(facility_years_given(raw))

    def _queue(self, raw: RawTable, task: Callable[[], Checked]) -> None:
        job = _Job(task)
        self.jobs[raw.table] = job.future
        if self.threads:
            cells = raw.height * max(raw.frame.width, 1)
            with self.room:  # a lazy table is read in batches: it takes no room
                self.in_flight[id(job)] = cells if raw.lazy is None else 0
            self.waiting.put((-cells, next(self.arrival), job))
        else:
            job.run()

    def finish(self, log: ProblemLog, report: Progress) -> dict[str, Checked]:
        """Wait for every table's checks; their problems are added to `log` in table order."""
        order = [name for name in TABLE_NAMES if name in self.jobs]
        report("validate", 0, len(order))
        futures = {self.jobs[name]: name for name in order}
        frames: dict[str, Checked] = {}
        for future in as_completed(futures):
            frames[futures[future]] = future.result()
            report("validate", len(frames), len(order))
        for name in order:
            for problem in self.logs[name].problems:
                log.add(problem)
        return {name: frames[name] for name in order}


class _Job:
    """A table's checks and the future of their result."""

    def __init__(self, task: Callable[[], Checked]) -> None:
        self.task: Callable[[], Checked] | None = task
        self.future: Future[Checked] = Future()

    def run(self) -> None:
        task, self.task = self.task, None  # let the raw table go once checked
        if task is None or not self.future.set_running_or_notify_cancel():
            return
        try:
            self.future.set_result(task())
        except BaseException as error:  # handed to the reader, which raises it
            self.future.set_exception(error)


def _profiles_table(raw: RawTable, log: ProblemLog) -> pl.DataFrame | None:
    if raw.frame.height == 0:
        log.error("The profiles table has no rows: every facility-year needs a profile row",
                  raw.source, row=2 if raw.source.json_table is None else None,
                  code="no_rows", accepted="one row per facility and year under the header")
        return None
    frame = checks.column_bounds(profiles_frame(raw, log), "profiles", raw.source, log)
    return _with_provenance(frame, raw)


def _unless_damaged(task: Callable[[], Checked], raw: RawTable, log: ProblemLog) -> Checked:
    """A lazy table's checks; a file whose footer reads but whose data does not (found only
    when its pages are read) is the problem it would be when read whole, not a crash."""
    try:
        return task()
    except (pl.exceptions.ComputeError, OSError):
        log.error("The file is not a readable Parquet file (it is damaged or of another kind)",
                  raw.source, code="unreadable_file",
                  accepted="a Parquet file, or a CSV file")
        return None


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
    # Not made unique: every use of these keys (anti- and semi-joins, distinct years per
    # facility) gives the same with a row repeated, and hashing a million keys costs more.
    return raw.frame.select(columns)


def read_performance_table(
    raw: RawTable, spec: Table, log: ProblemLog, profiles: pl.DataFrame | checks.ProfileKeys,
    *, lazy: bool = False,
) -> Checked:
    """One performance table typed, converted and checked; None when it cannot be read.

    `profiles` holds the facility_id and year of every profile row given. `lazy`: a large
    Parquet table without errors comes back as a lazy plan over its file (`read_dataset`)."""
    keys = profiles if isinstance(profiles, checks.ProfileKeys) else checks.ProfileKeys(profiles)
    typed = type_table(raw, spec, log)
    if typed is None:
        return None
    steps = [typed.plan] if typed.plan is not None else None
    if typed.lazy is not None:
        # Checked by aggregations over the file (`RawTable.lazy`): without an error the plan
        # is handed on; with one, the table is held as in every other case.
        plan = _checked(typed.lazy, typed, raw.source, spec, log, keys, None)
        if log.problems.has_errors:
            return _with_provenance(plan.collect(engine="in-memory"), raw)
        return _with_provenance(plan, raw)
    frame = _checked(typed.frame, typed, raw.source, spec, log, keys, steps)
    if (lazy and raw.scan is not None and steps is not None and frame.height >= LAZY_MIN_ROWS
            and not log.problems.has_errors):
        # Without an error no check changed a value: the file scanned again and put through
        # the same steps gives this frame, which is let go.
        plan = raw.scan()
        for step in steps:
            plan = step(plan)
        if spec.name == "zdhc_wastewater":
            plan = plan.with_columns(checks.ZDHC_YEAR)
        return _with_provenance(plan, raw)
    return _with_provenance(frame, raw)


def _checked(
    frame: FrameT, typed: TypedTable, source: Source, spec: Table, log: ProblemLog,
    keys: checks.ProfileKeys, steps: list[Callable[[pl.LazyFrame], pl.LazyFrame]] | None,
) -> FrameT:
    """A typed table converted and checked, held or lazy: the same checks either way."""
    quantity = spec.column("quantity") if "quantity" in spec.column_names else None
    if quantity is not None and quantity.dimension is not None:
        frame = units.convert_quantities(frame, quantity.dimension, source, log, spec.name,
                                         typed.distinct.get("unit"), steps)
    frame = checks.column_bounds(frame, spec.name, source, log)
    if spec.name == "zdhc_wastewater":
        frame = checks.zdhc_sample_year(frame, source, log)
        checks.zdhc_parameter_units(frame, source, log, zdhc_parameter_units())
    if spec.name == "programmes":
        checks.programme_dates(frame, source, log)
    checks.duplicate_rows(frame, spec, source, log)
    checks.annual_and_monthly(frame, spec, source, log, typed.unread.get("month"))
    if "facility_id" in keys.given.columns:
        checks.facilities_in_profiles(frame, source, log, keys, spec.name,
                                      typed.distinct.get("facility_id"))
    return frame


def zdhc_parameter_units() -> dict[str, str]:
    """ZDHC parameter key → the unit its limits are set in."""
    limits = zdhc_limits()
    return dict(zip(limits["parameter"].to_list(), limits["unit"].to_list(), strict=True))


def _with_provenance(frame: Frame, raw: RawTable) -> Frame:
    """Provenance columns last: `_file`, `_sheet` (xlsx; else null) and `_row`."""
    return frame.with_columns(
        pl.lit(raw.source.file, pl.String).alias("_file"),
        pl.lit(raw.source.sheet, pl.String).alias("_sheet"),
    ).select(pl.exclude(*PROVENANCE_COLUMNS), *PROVENANCE_COLUMNS)
