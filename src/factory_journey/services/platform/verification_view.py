"""What a verifier (or the facility itself) reads about a facility's data points.

`facility_year`: every data point of one facility-year's latest submission, table by table,
with its status in force. `data_point`: one row with its reported value and unit, the
canonical value, its provenance (file, sheet, row, version, who uploaded it and when), the
evidence that may support a record about it, and its history (who recorded what, when, why).
`status_lookup`: the status of any row of a facility-year, for other pages that show values.

Reads need `submission.read` (the owner, or a `full` grant), as the submission API does.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, defer

from factory_journey.domain.tables import TABLES_BY_NAME
from factory_journey.domain.timestamps import as_utc
from factory_journey.domain.verification import (
    SUBJECT_TABLES,
    Subject,
    SubstanceRules,
    evidence_supports,
    substance_rules,
)
from factory_journey.services.platform import evidence as evidence_service
from factory_journey.services.platform.access import authorise, relation_to
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import NotFound
from factory_journey.services.platform.policy import allowed
from factory_journey.services.platform.verification import ROW, UNVERIFIED, records_in_force
from factory_journey.services.platform.verification_queue import StatusCounts, year_counts
from factory_journey.store.models import (
    Evidence,
    Facility,
    Organisation,
    Submission,
    SubmissionTable,
    Upload,
    User,
    VerificationRecord,
)

#: Columns that say where a row came from, or what the facility claimed: shown apart.
_PROVENANCE = ("_file", "_sheet", ROW)
_NOT_FIELDS = frozenset({"facility_id", "year", "verification_status", *_PROVENANCE})


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


def _latest(session: Session, facility_id: str, year: int | None) -> Submission:
    query = select(Submission).where(Submission.facility_id == facility_id)
    if year is not None:
        query = query.where(Submission.year == year)
    found = session.scalar(query.order_by(Submission.year.desc(), Submission.version.desc()))
    if found is None:
        what = f"data for {year}" if year is not None else "data yet"
        raise NotFound(f"facility {facility_id} has no {what}")
    return found


def _lookup(session: Session, submission: Submission) -> StatusLookup:
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
    return _lookup(session, _latest(session, facility_id, year))


def facility_counts(
    session: Session, actor: Actor, facility_id: str
) -> tuple[tuple[int, StatusCounts], ...]:
    """(year, data points by status) of each year of the facility, oldest first."""
    authorise(session, actor, "facility.read", facility_id)
    years = year_counts(session, [facility_id]).get(facility_id, ())
    return tuple((y.year, y.counts) for y in years)


def _frame(session: Session, submission_id: int, table: str) -> pl.DataFrame | None:
    content = session.scalar(
        select(SubmissionTable.content).where(
            SubmissionTable.submission_id == submission_id, SubmissionTable.table_name == table
        )
    )
    return None if content is None else pl.read_parquet(io.BytesIO(content))


def _label_columns(table: str, columns: list[str]) -> list[str]:
    key = TABLES_BY_NAME[table].key if table in TABLES_BY_NAME else ()
    found = [c for c in key if c in columns and c not in ("facility_id", "year")]
    # A profile is one row per year: its name says what it is.
    return found or [c for c in ("facility_name",) if c in columns]


def _value(record: dict[str, Any]) -> tuple[Any, str | None]:
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
    submission = _latest(session, facility_id, year)
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
    lookup = _lookup(session, submission)
    frame = _frame(session, submission.id, table)
    rows = []
    if frame is not None and ROW in frame.columns:
        labels = _label_columns(table, frame.columns)
        for record in frame.sort(ROW).to_dicts():
            value, unit = _value(record)
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


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    id: int
    filename: str
    content_type: str
    size_bytes: int
    subject: str
    uploaded_by: str
    uploaded_at: datetime
    inline: bool


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """A verifier's record about the data point (or its whole table)."""

    id: int
    at: datetime
    by: str
    organisation: str
    status: str
    whole_table: bool
    version: int | None
    comment: str | None
    observation: str | None
    evidence_id: int | None
    evidence_filename: str | None
    in_force: bool


@dataclass(frozen=True, slots=True)
class DataPointView:
    facility_id: str
    facility_name: str
    year: int
    version: int
    table: str
    row: int
    subject: str
    label: tuple[tuple[str, Any], ...]
    fields: tuple[tuple[str, Any], ...]
    value: Any
    unit: str | None
    canonical_value: Any
    canonical_unit: str | None
    file: str | None
    sheet: str | None
    uploaded_by: str
    uploaded_at: datetime
    upload_filename: str | None
    claimed_status: str | None
    status: str
    evidence: tuple[EvidenceItem, ...]
    history: tuple[HistoryItem, ...]
    may_verify: bool
    may_upload: bool
    #: The next data point of the table still waiting after this one (wrapping round), if any.
    next_waiting: int | None
    rules: SubstanceRules


def _names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(
        session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all()
    )


def _next_waiting(frame: pl.DataFrame, lookup: StatusLookup, table: str, row: int) -> int | None:
    """The first row after `row` (then from the top) whose status is still self-reported."""
    rows = sorted(int(r) for r in frame[ROW].to_list() if r is not None)
    for candidate in [r for r in rows if r > row] + [r for r in rows if r < row]:
        if lookup.of(table, candidate) == UNVERIFIED:
            return candidate
    return None


def _deciding_record(session: Session, submission: Submission, subject: Subject) -> int | None:
    """The id of the record in force that decides the row: its own, else its table's."""
    table_record = None
    for item in records_in_force(session, (submission.id,)):
        if item.decision.subject == subject:
            return item.record.id
        if item.decision.subject == Subject(subject.table):
            table_record = item.record.id
    return table_record


def evidence_for(session: Session, facility_id: str, year: int, subject: Subject) -> list[Evidence]:
    """The facility-year's documents that may support a record about `subject`."""
    rows = session.scalars(
        select(Evidence)
        .options(defer(Evidence.content))  # documents of up to 20 MB: not read to list them
        .where(Evidence.facility_id == facility_id, Evidence.year == year)
        .order_by(Evidence.id)
    ).all()
    return [e for e in rows if evidence_supports(e.subject, subject)]


def data_point(
    session: Session, actor: Actor, facility_id: str, year: int, table: str, row: int
) -> DataPointView:
    """One data point of the facility-year's latest data, with its evidence and history."""
    facility = authorise(session, actor, "submission.read", facility_id)
    submission = _latest(session, facility_id, year)
    frame = _frame(session, submission.id, table) if table in SUBJECT_TABLES else None
    found = (
        frame.filter(pl.col(ROW) == row).to_dicts()
        if frame is not None and ROW in frame.columns
        else []
    )
    if not found:
        raise NotFound(
            f"the data of {year} (version {submission.version}) of facility {facility_id} "
            f"have no row {row} in {table}"
        )
    record = found[0]
    assert frame is not None
    subject = Subject(table, row)
    lookup = _lookup(session, submission)
    documents = evidence_for(session, facility_id, year, subject)
    records = session.scalars(
        select(VerificationRecord)
        .where(
            VerificationRecord.facility_id == facility_id,
            VerificationRecord.year == year,
            or_(VerificationRecord.subject == table, VerificationRecord.subject == str(subject)),
        )
        .order_by(VerificationRecord.id)
    ).all()
    deciding = _deciding_record(session, submission, subject)
    versions = dict(
        session.execute(
            select(Submission.id, Submission.version).where(
                Submission.facility_id == facility_id, Submission.year == year
            )
        ).all()
    )
    names = _names(
        session,
        {submission.created_by, *(e.uploaded_by for e in documents), *(r.set_by for r in records)},
    )
    organisations = dict(
        session.execute(
            select(Organisation.id, Organisation.name).where(
                Organisation.id.in_({r.organisation_id for r in records})
            )
        ).all()
    )
    filenames = {
        e.id: e.filename
        for e in session.execute(
            select(Evidence.id, Evidence.filename).where(
                Evidence.id.in_({r.evidence_id for r in records if r.evidence_id})
            )
        )
    }
    upload_name = (
        session.scalar(select(Upload.filename).where(Upload.id == submission.upload_id))
        if submission.upload_id
        else None
    )
    value, unit = _value(record)
    labels = _label_columns(table, list(record))
    return DataPointView(
        facility_id=facility.id,
        facility_name=facility.name,
        year=year,
        version=submission.version,
        table=table,
        row=row,
        subject=str(subject),
        label=tuple((c, record[c]) for c in labels),
        fields=tuple((c, v) for c, v in record.items() if c not in _NOT_FIELDS),
        value=value,
        unit=unit,
        canonical_value=record.get("quantity_canonical"),
        canonical_unit=record.get("unit_canonical"),
        file=record.get("_file"),
        sheet=record.get("_sheet"),
        uploaded_by=names.get(submission.created_by, "?"),
        uploaded_at=as_utc(submission.created_at),
        upload_filename=upload_name,
        claimed_status=record.get("verification_status"),
        status=lookup.of(table, row),
        evidence=tuple(
            EvidenceItem(
                e.id,
                e.filename,
                e.content_type,
                e.size_bytes,
                e.subject,
                names.get(e.uploaded_by, "?"),
                as_utc(e.created_at),
                evidence_service.opens_inline(e),
            )
            for e in documents
        ),
        history=tuple(
            HistoryItem(
                r.id,
                as_utc(r.created_at),
                names.get(r.set_by, "?"),
                organisations.get(r.organisation_id, "?"),
                r.status,
                r.subject == table,
                versions.get(r.submission_id) if r.submission_id else None,
                r.comment,
                r.observation,
                r.evidence_id,
                filenames.get(r.evidence_id) if r.evidence_id else None,
                r.id == deciding,
            )
            for r in reversed(records)
        ),
        may_verify=may(session, actor, "verification.set", facility_id),
        may_upload=may(session, actor, "evidence.create", facility_id),
        next_waiting=_next_waiting(frame, lookup, table, row),
        rules=substance_rules(),
    )
