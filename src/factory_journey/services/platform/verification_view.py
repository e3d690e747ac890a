"""What a verifier (or the facility itself) reads about a facility-year's data points.

`facility_year`: the tables of one facility-year's latest submission with their counts, and
one table's data points with their status in force. `status_lookup` and `facility_counts`: the
status of any row, and the counts of each year, for other pages that show values. One data
point with its evidence and history: `verification_data_point`.

Reads need `submission.read` (the owner, or a `full` grant), as the submission API does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.domain.tables import TABLES_BY_NAME
from factory_journey.domain.timestamps import as_utc
from factory_journey.domain.verification import (
    SUBJECT_TABLES,
)
from factory_journey.services.platform.access import authorise, relation_to
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import NotFound
from factory_journey.services.platform.policy import allowed
from factory_journey.services.platform.submission_content import decode_table
from factory_journey.services.platform.verification import ROW, UNVERIFIED, records_in_force
from factory_journey.services.platform.verification_queue import StatusCounts, year_counts
from factory_journey.store.models import (
    Facility,
    Submission,
    SubmissionTable,
)

#: Columns that are not a data point's fields: where a row came from (shown apart), what the
#: facility claimed (shown apart) and what every row of the facility-year shares.
NOT_FIELDS = frozenset({"facility_id", "year", "verification_status", "_file", "_sheet", ROW})


def may(session: Session, actor: Actor, action: str, facility_id: str) -> bool:
    """True when the actor may do `action` on the facility (to show or hide a form; the write
    itself asks `authorise`). Not audited: it reads no data."""
    facility = session.get(Facility, facility_id)
    if facility is None:
        return False
    relation, scope = relation_to(session, actor, facility)
    return allowed(
        action, relation, actor.role, grant_scope=scope, organisation_kind=actor.organisation_kind
    )


@dataclass(frozen=True, slots=True)
class RowView:
    """One data point in a table listing: its row number, what it is (key values), the value
    as reported and its status in force."""

    row: int
    label: tuple[tuple[str, Any], ...]
    value: Any
    unit: str | None
    status: str


@dataclass(frozen=True, slots=True)
class TableView:
    table: str
    rows: tuple[RowView, ...]
    counts: StatusCounts


@dataclass(frozen=True, slots=True)
class FacilityYearView:
    """A facility-year: its tables with their counts (`tables`), and the data points of one
    of them (`table`: the one asked for, else the first with data points waiting)."""

    facility_id: str
    facility_name: str
    country_iso2: str
    relation: str
    year: int
    years: tuple[int, ...]
    version: int
    submitted_at: datetime
    counts: StatusCounts
    tables: tuple[tuple[str, StatusCounts], ...]
    table: TableView
    may_verify: bool


class StatusLookup:
    """The status in force of any row of one facility-year's latest submission."""

    def __init__(self, table_status: dict[str, str], row_status: dict[tuple[str, int], str]):
        self._table = table_status
        self._row = row_status

    def of(self, table: str, row: int | None = None) -> str:
        """`verified`, `disputed` or `self-reported`; for a whole table (`row` None) the
        status a whole-table record set, else `self-reported`."""
        if row is not None and (table, row) in self._row:
            return self._row[(table, row)]
        return self._table.get(table, UNVERIFIED)


def latest_submission(session: Session, facility_id: str, year: int | None) -> Submission:
    """The latest version of the year's data (of the latest year when `year` is None)."""
    query = select(Submission).where(Submission.facility_id == facility_id)
    if year is not None:
        query = query.where(Submission.year == year)
    found = session.scalar(query.order_by(Submission.year.desc(), Submission.version.desc()))
    if found is None:
        what = f"data for {year}" if year is not None else "data yet"
        raise NotFound(f"facility {facility_id} has no {what}")
    return found


def lookup_of(session: Session, submission: Submission) -> StatusLookup:
    """The statuses the records in force on `submission` set (no permission check)."""
    tables: dict[str, str] = {}
    rows: dict[tuple[str, int], str] = {}
    for item in records_in_force(session, (submission.id,)):
        subject = item.decision.subject
        if subject.row is None:
            tables[subject.table] = item.decision.status
            rows = {k: v for k, v in rows.items() if k[0] != subject.table}
        else:
            rows[(subject.table, subject.row)] = item.decision.status
    return StatusLookup(tables, rows)


def status_lookup(session: Session, actor: Actor, facility_id: str, year: int) -> StatusLookup:
    """The status of each row of the facility-year's latest data (for pages showing values)."""
    authorise(session, actor, "facility.read", facility_id)
    return lookup_of(session, latest_submission(session, facility_id, year))


def facility_counts(
    session: Session, actor: Actor, facility_id: str
) -> tuple[tuple[int, StatusCounts], ...]:
    """(year, data points by status) of each year of the facility, oldest first."""
    authorise(session, actor, "facility.read", facility_id)
    years = year_counts(session, [facility_id]).get(facility_id, ())
    return tuple((y.year, y.counts) for y in years)


def table_frame(session: Session, submission_id: int, table: str) -> pl.DataFrame | None:
    """One table of a submission as stored (None when the submission has no such table)."""
    content = session.scalar(
        select(SubmissionTable.content).where(
            SubmissionTable.submission_id == submission_id, SubmissionTable.table_name == table
        )
    )
    return None if content is None else decode_table(content)


def label_columns(table: str, columns: list[str]) -> list[str]:
    """The columns that say what a row of `table` is (its key but facility and year)."""
    key = TABLES_BY_NAME[table].key if table in TABLES_BY_NAME else ()
    found = [c for c in key if c in columns and c not in ("facility_id", "year")]
    # A profile is one row per year: its name says what it is.
    return found or [c for c in ("facility_name",) if c in columns]


def reported_value(record: dict[str, Any]) -> tuple[Any, str | None]:
    """(value, unit) as the facility reported them, (None, None) for a row without one."""
    if "quantity_reported" in record:
        return record["quantity_reported"], record.get("unit_reported")
    if "value" in record and "unit" in record:
        return record["value"], record.get("unit")
    return None, None


def facility_year(
    session: Session,
    actor: Actor,
    facility_id: str,
    year: int | None = None,
    table: str | None = None,
) -> FacilityYearView:
    """The facility-year's latest data (the latest year by default): every table with its
    counts, and the data points of `table` (by default the first with data points waiting,
    else the first). One table is read: a verifier checks a table at a time, and a page of
    every table's rows (hundreds) is slow to draw and to read on a phone."""
    facility = authorise(session, actor, "submission.read", facility_id)
    submission = latest_submission(session, facility_id, year)
    counts = year_counts(session, [facility_id]).get(facility_id, ())
    this = next(y for y in counts if y.submission_id == submission.id)
    held = [(name, this.by_table[name]) for name in SUBJECT_TABLES if name in this.by_table]
    if not held:
        raise NotFound(f"the data of {submission.year} of facility {facility_id} hold no table")
    if table is None:
        table = next((name for name, c in held if c.waiting), held[0][0])
    elif table not in this.by_table:
        raise NotFound(
            f"the data of {submission.year} of facility {facility_id} have no table {table!r}; "
            f"its tables: {', '.join(name for name, _ in held)}"
        )
    lookup = lookup_of(session, submission)
    frame = table_frame(session, submission.id, table)
    rows = []
    if frame is not None and ROW in frame.columns:
        labels = label_columns(table, frame.columns)
        for record in frame.sort(ROW).to_dicts():
            value, unit = reported_value(record)
            rows.append(
                RowView(
                    int(record[ROW]),
                    tuple((c, record[c]) for c in labels),
                    value,
                    unit,
                    lookup.of(table, int(record[ROW])),
                )
            )
    relation, _scope = relation_to(session, actor, facility)
    return FacilityYearView(
        facility.id,
        facility.name,
        facility.country_iso2,
        relation.value,
        submission.year,
        tuple(y.year for y in counts),
        submission.version,
        as_utc(submission.created_at),
        this.counts,
        tuple(held),
        TableView(table, tuple(rows), this.by_table[table]),
        may(session, actor, "verification.set", facility_id),
    )
