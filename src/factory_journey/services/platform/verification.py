"""A verifier's status for a table or a row of a submission, and how it reaches the matrix.

A record is accepted only with substance (`domain.verification`): an evidence document of the
same facility and year, or an on-site observation note; a dispute or a withdrawal says why.
It names the submission version checked, so a correction (a new version) is not verified by a
check of its predecessor. Records are append-only: the latest about a row, or about its whole
table, is in force (`domain.verification.in_force`), and the facility's Data Matrix reads the
rows with those statuses, so the areas' verified shares follow (`results.py`). The status a
facility uploads for its own rows is its claim: on the platform it counts for nothing until a
verifier records (`apply_to_tables`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from factory_journey.domain.timestamps import iso_utc
from factory_journey.domain.verification import (
    Decision,
    Subject,
    SubjectError,
    evidence_supports,
    in_force,
    parse_subject,
    substance_problem,
)
from factory_journey.services.platform.access import authorise
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import Conflict, InvalidInput, NotFound
from factory_journey.services.platform.submission_content import decode_table
from factory_journey.store.models import (
    Evidence,
    Submission,
    SubmissionTable,
    VerificationRecord,
)

ROW = "_row"


def _submission(session: Session, facility_id: str, year: int, version: int | None) -> Submission:
    """The latest submission of the year, or `version` of it when that is still the latest."""
    latest = session.scalar(
        select(Submission)
        .where(Submission.facility_id == facility_id, Submission.year == year)
        .order_by(Submission.version.desc())
        .limit(1)
    )
    if latest is None:
        years = session.scalars(
            select(Submission.year)
            .where(Submission.facility_id == facility_id)
            .distinct()
            .order_by(Submission.year)
        ).all()
        held = ", ".join(str(y) for y in years) or "none yet"
        raise NotFound(
            f"facility {facility_id} has no data for {year} to verify; years with data: {held}"
        )
    if version is not None and version != latest.version:
        if version > latest.version or version < 1:
            raise NotFound(
                f"facility {facility_id} has no version {version} of {year}; "
                f"the latest is version {latest.version}"
            )
        raise Conflict(
            f"version {version} of {year} has been replaced by version {latest.version}: "
            f"check version {latest.version} and verify that"
        )
    return latest


def _check_subject(session: Session, submission: Submission, subject: Subject) -> None:
    """The subject names a table, or a row, that the submission holds; else a clear error."""
    part = session.scalar(
        select(SubmissionTable).where(
            SubmissionTable.submission_id == submission.id,
            SubmissionTable.table_name == subject.table,
        )
    )
    where = f"{submission.year} (version {submission.version})"
    if part is None:
        held = session.scalars(
            select(SubmissionTable.table_name)
            .where(SubmissionTable.submission_id == submission.id)
            .order_by(SubmissionTable.table_name)
        ).all()
        raise InvalidInput(
            f"the data of {where} have no table {subject.table!r} to verify; "
            f"its tables: {', '.join(held)}"
        )
    if subject.row is None:
        return
    frame = decode_table(part.content)
    rows: list[int] = (
        [int(v) for v in frame[ROW].drop_nulls().to_list()] if ROW in frame.columns else []
    )
    if subject.row not in rows:
        span = f"rows {min(rows)}–{max(rows)}" if rows else "no numbered rows"
        raise InvalidInput(
            f"{subject.table} of {where} has no row {subject.row} (its file has {span}); "
            "give the row number as the factory's file shows it"
        )


def checked_submission(
    session: Session, facility_id: str, year: int, subject: Subject, version: int | None
) -> Submission:
    """The latest submission of the year when it holds `subject` (and is `version`, if given);
    else the error `set_verification` would give. Lets a caller check before it writes."""
    submission = _submission(session, facility_id, year, version)
    _check_subject(session, submission, subject)
    return submission


def _named_subject(text: str) -> Subject | None:
    """The table (and row) an evidence document's subject names, None for free text."""
    try:
        return parse_subject(text)
    except SubjectError:
        return None


def _check_evidence(
    session: Session, facility_id: str, year: int, subject: Subject, evidence_id: int | None
) -> Evidence | None:
    """The evidence document, when it is of this facility and year and about this subject.

    A document uploaded for a table (`water`) or a row (`water:14`) supports records about that
    table, or that row; one whose subject is free text ("electricity invoices 2023") names no
    table and supports any record of its facility-year.
    """
    if evidence_id is None:
        return None
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.facility_id != facility_id:
        raise NotFound(f"no evidence {evidence_id} on facility {facility_id}")
    if evidence.year != year:
        raise InvalidInput(
            f"evidence {evidence_id} ({evidence.filename}) is a document of {evidence.year}, "
            f"not of {year}: upload the evidence of {year} and give its id"
        )
    if not evidence_supports(evidence.subject, subject):
        named = _named_subject(evidence.subject)
        raise InvalidInput(
            f"evidence {evidence_id} ({evidence.filename}) was uploaded for {named}, not for "
            f"{subject}: give the evidence of {subject}, or upload it for {subject.table}"
        )
    return evidence


def set_verification(
    session: Session,
    actor: Actor,
    facility_id: str,
    year: int,
    subject: str,
    status: str,
    *,
    evidence_id: int | None = None,
    observation: str | None = None,
    comment: str | None = None,
    version: int | None = None,
) -> VerificationRecord:
    """Record a verifier's status for a table or a row of the facility-year's latest data.

    Who (user and organisation), when (UTC) and why (comment, observation, evidence) are kept
    with it; the facility's next matrix read reflects it.
    """
    authorise(session, actor, "verification.set", facility_id)
    try:
        parsed = parse_subject(subject)
    except SubjectError as error:
        raise InvalidInput(str(error)) from None
    submission = _submission(session, facility_id, year, version)
    _check_subject(session, submission, parsed)
    evidence = _check_evidence(session, facility_id, year, parsed, evidence_id)
    problem = substance_problem(
        parsed,
        year,
        status,
        has_evidence=evidence is not None,
        observation=observation,
        reason=comment,
    )
    if problem is not None:
        raise InvalidInput(problem)
    row = VerificationRecord(
        facility_id=facility_id,
        year=year,
        subject=str(parsed),
        status=status,
        evidence_id=evidence_id,
        set_by=actor.user_id,
        organisation_id=actor.organisation_id,
        comment=(comment or "").strip() or None,
        submission_id=submission.id,
        observation=(observation or "").strip() or None,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "verification.set",
        "verification_record",
        row.id,
        {
            "facility_id": facility_id,
            "year": year,
            "version": submission.version,
            "subject": row.subject,
            "status": status,
            "evidence_id": evidence_id,
            "observation": row.observation is not None,
        },
    )
    return row


def verification_history(
    session: Session, actor: Actor, facility_id: str
) -> list[VerificationRecord]:
    """Every record of the facility, oldest first (superseded ones too)."""
    authorise(session, actor, "facility.read", facility_id)
    return list(
        session.scalars(
            select(VerificationRecord)
            .where(VerificationRecord.facility_id == facility_id)
            .order_by(VerificationRecord.id)
        )
    )


#: Id of the facility's newest verification record (bind `facility_id`), None without any.
#: Records are append-only, so a new one (and only that) changes it: it is part of the
#: facility's assessment inputs key, and a verification invalidates the stored snapshots.
LATEST_RECORD_ID = (
    select(func.max(VerificationRecord.id))
    .where(VerificationRecord.facility_id == bindparam("facility_id"))
    .scalar_subquery()
)


@dataclass(frozen=True, slots=True)
class InForce:
    """A record in force on a current submission, as the matrix document lists it."""

    decision: Decision
    record: VerificationRecord

    def as_dict(self) -> dict[str, Any]:
        r = self.record
        return {
            "verification_id": r.id,
            "year": r.year,
            "subject": r.subject,
            "table": self.decision.subject.table,
            "row": self.decision.subject.row,
            "status": r.status,
            "evidence_id": r.evidence_id,
            "on_site_observation": r.observation is not None,
            "set_by": r.set_by,
            "organisation_id": r.organisation_id,
            "set_at": iso_utc(r.created_at),
        }


def records_in_force(session: Session, submission_ids: tuple[int, ...]) -> list[InForce]:
    """The records in force on these submissions (a facility's latest versions), oldest first."""
    if not submission_ids:
        return []
    rows = session.scalars(
        select(VerificationRecord)
        .where(VerificationRecord.submission_id.in_(submission_ids))
        .order_by(VerificationRecord.id)
    ).all()
    by_id = {r.id: r for r in rows}
    decisions = []
    for r in rows:
        try:
            decisions.append(Decision(r.id, r.year, parse_subject(r.subject), r.status))
        except SubjectError:  # pragma: no cover - only parsed subjects are stored
            continue
    return [InForce(d, by_id[d.id]) for d in in_force(decisions)]


#: The status every row has on the platform until a verifier's record in force says otherwise.
UNVERIFIED = "self-reported"


def apply_to_tables(
    tables: dict[str, pl.DataFrame], records: list[InForce]
) -> dict[str, pl.DataFrame]:
    """The tables with each row's verification status as the verifiers' records set it.

    On the platform the status a facility uploads is its own claim, not a verification: every
    row starts `self-reported` (an uploaded `verified` or `disputed` counts for nothing in the
    verified shares; the submission still shows it as uploaded), and only a record in force
    makes it `verified` or `disputed`. The tables hold one submission per facility-year (the
    latest) and the records in force are about those submissions, so a year and a row number
    name one row. (The command line reads the column of the user's own file: decision 0013.)
    """
    by_table: dict[str, list[Decision]] = {}
    for item in records:
        by_table.setdefault(item.decision.subject.table, []).append(item.decision)
    out = dict(tables)
    for table, frame in tables.items():
        decisions = by_table.get(table, [])
        if "verification_status" not in frame.columns and not decisions:
            continue  # nothing claimed, nothing recorded: the engine reads it as self-reported
        unverified = pl.lit(UNVERIFIED, dtype=pl.String)
        if not decisions or "year" not in frame.columns:
            out[table] = frame.with_columns(unverified.alias("verification_status"))
            continue
        # Rows first, then whole tables: `in_force` has dropped the row records a later
        # table record replaced, so a row record still in force is newer than its table's.
        row_sets: dict[tuple[int, str], list[int]] = {}
        table_status: dict[int, str] = {}
        for d in decisions:
            if d.subject.row is None:
                table_status[d.year] = d.status
            elif ROW in frame.columns:
                row_sets.setdefault((d.year, d.status), []).append(d.subject.row)
        chain: Any = None
        for (year, value), rows in sorted(row_sets.items()):
            condition = (pl.col("year") == year) & pl.col(ROW).is_in(rows)
            chain = (pl.when if chain is None else chain.when)(condition).then(pl.lit(value))
        for year, value in sorted(table_status.items()):
            condition = pl.col("year") == year
            chain = (pl.when if chain is None else chain.when)(condition).then(pl.lit(value))
        status = unverified if chain is None else chain.otherwise(unverified)
        out[table] = frame.with_columns(status.alias("verification_status"))
    return out
