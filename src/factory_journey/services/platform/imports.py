"""Upload a dataset and import it as new submission versions, as a job with progress.

The raw upload is stored first and kept whatever happens. The import itself is one
transaction: either every facility-year of the file becomes a new submission version, or
nothing does (a located error report is stored on the job instead).
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from factory_journey.domain.problems import Problem
from factory_journey.domain.timestamps import as_utc
from factory_journey.services.platform import facilities, peer_rows
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import Conflict, Forbidden, InvalidInput, TooLarge
from factory_journey.services.platform.files import safe_filename
from factory_journey.services.platform.latest_versions import (
    ID_BATCH,
    is_latest,
    latest_versions,
)
from factory_journey.services.platform.policy import allowed_in_organisation
from factory_journey.services.platform.submission_content import decode_table, encode_table
from factory_journey.services.platform.upload_notices import claimed_statuses, other_owner_problem
from factory_journey.store.database import transaction
from factory_journey.store.models import (
    Facility,
    ImportJob,
    Submission,
    SubmissionTable,
    Upload,
    utcnow,
)

logger = logging.getLogger(__name__)

#: Largest upload accepted [bytes].
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: File kinds a dataset upload may be, by suffix.
DATASET_SUFFIXES = {".xlsx": "xlsx", ".json": "json", ".zip": "zip", ".csv": "csv"}


def check_upload(actor: Actor) -> None:
    """`Forbidden` unless `actor` may upload a dataset: asked before the file is read."""
    if not allowed_in_organisation("dataset.upload", actor.organisation_kind, actor.role):
        raise Forbidden("only admins and editors of a factory organisation upload facility data")


def too_large(filename: str) -> TooLarge:
    """The refusal of a dataset larger than `MAX_UPLOAD_BYTES`."""
    return TooLarge(
        f"{filename} is larger than {MAX_UPLOAD_BYTES / 1e6:.0f} MB, the limit for a dataset "
        "upload: split it into several files (a .zip of CSV files is smallest)"
    )


def store_upload(
    session: Session, actor: Actor, filename: str, content_type: str, content: bytes
) -> Upload:
    """Keep the raw file verbatim (before anything is parsed) and return its record."""
    check_upload(actor)
    suffix = Path(filename).suffix.lower()
    if suffix not in DATASET_SUFFIXES:
        raise InvalidInput(
            f"{filename}: a dataset upload must be one of {', '.join(sorted(DATASET_SUFFIXES))}"
            " (a .zip holds a folder of CSV files)"
        )
    if len(content) > MAX_UPLOAD_BYTES:
        raise too_large(filename)
    upload = Upload(
        organisation_id=actor.organisation_id,
        user_id=actor.user_id,
        filename=safe_filename(filename),
        content_type=content_type or "application/octet-stream",
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
    session.add(upload)
    session.flush()
    record(
        session,
        actor,
        "upload.create",
        "upload",
        upload.id,
        {"filename": upload.filename, "sha256": upload.sha256},
    )
    return upload


def worker_id() -> str:
    """This process as a job's worker: "host:pid" (read per call: a forked worker differs)."""
    return f"{socket.gethostname()[:150]}:{os.getpid()}"


def create_job(session: Session, upload: Upload, retry_of: ImportJob | None = None) -> ImportJob:
    """A queued job for `upload`, owned by this process (which runs it next)."""
    job = ImportJob(
        upload_id=upload.id,
        status="queued",
        stage="queued",
        progress=0.0,
        attempt=(retry_of.attempt + 1) if retry_of is not None else 1,
        retry_of_id=retry_of.id if retry_of is not None else None,
        worker=worker_id(),
        heartbeat_at=utcnow(),
    )
    session.add(job)
    session.flush()
    return job


def _set_progress(factory: sessionmaker[Session], job_id: int, stage: str, progress: float) -> None:
    with transaction(factory) as session:
        job = session.get(ImportJob, job_id)
        assert job is not None
        job.status, job.stage, job.progress = "running", stage, progress
        job.worker, job.heartbeat_at = worker_id(), utcnow()


def run_import(
    factory: sessionmaker[Session],
    job_id: int,
    actor: Actor,
    read_dataset: Callable[[Path], Any] | None = None,
) -> ImportJob:
    """Run import job `job_id` to the end; never raises for bad input (the job records it).

    Whatever happens the job ends "succeeded", "failed" or "interrupted" with a message: an
    unexpected error fails it (and is logged with its traceback), an interruption of the
    process (KeyboardInterrupt, SystemExit) marks it interrupted and goes on. A process killed
    outright cannot say anything: `expire_stale_jobs` marks its jobs later.
    """
    heartbeat = _Heartbeat(factory, job_id)
    heartbeat.start()
    try:
        return _run_import(factory, job_id, actor, read_dataset)
    except Exception:
        logger.exception("import job %s stopped on an unexpected error", job_id)
        return _finish(factory, job_id, "failed", [], message=UNEXPECTED_ERROR)
    except BaseException:
        _finish(factory, job_id, "interrupted", [], message=INTERRUPTED)
        raise
    finally:
        heartbeat.stop()


#: What a job that stopped on an error of ours says (the details are in the server's log).
UNEXPECTED_ERROR = (
    "the import stopped on an unexpected error; nothing of it was saved, the uploaded file is "
    "kept and the job can be retried (POST /api/jobs/{id}/retry)"
)
#: What a job says whose process stopped or died while it ran.
INTERRUPTED = (
    "the import was interrupted (the server stopped while it ran); nothing of it was saved, "
    "the uploaded file is kept and the job can be retried (POST /api/jobs/{id}/retry)"
)
#: What a job says that could not get its versions after every attempt.
CONFLICTED = (
    "other imports of the same facility-years kept taking the next version; nothing of this "
    "one was saved, the uploaded file is kept and the job can be retried "
    "(POST /api/jobs/{id}/retry)"
)


def _run_import(
    factory: sessionmaker[Session],
    job_id: int,
    actor: Actor,
    read_dataset: Callable[[Path], Any] | None,
) -> ImportJob:
    if read_dataset is None:
        from factory_journey.ingest import read_dataset as default_reader

        read_dataset = default_reader
    with transaction(factory) as session:
        job = session.get(ImportJob, job_id)
        assert job is not None
        upload = session.get(Upload, job.upload_id)
        assert upload is not None
        filename, content = upload.filename, upload.content
    _set_progress(factory, job_id, "reading", 0.1)
    with tempfile.TemporaryDirectory(prefix="journey-import-") as tmp:
        path = Path(tmp) / filename
        path.write_bytes(content)
        result = read_dataset(path)
    if not result.ok:
        return _finish(factory, job_id, "failed", [p.to_dict() for p in result.problems])
    _set_progress(factory, job_id, "saving", 0.6)
    warnings = [p.to_dict() for p in [*result.problems, *claimed_statuses(result.tables)]]
    for attempt in range(1, SAVE_ATTEMPTS + 1):
        try:
            with transaction(factory) as session:
                _begin_writing(session)
                problems = _save_submissions(session, actor, job_id, result.tables)
                if problems:
                    # Roll back everything this import wrote; the job records why.
                    raise _Rejected(problems)
                # Done in the same transaction: the versions and "succeeded" commit together,
                # so a retry can never save the same file twice.
                return _mark_finished(session, job_id, "succeeded", warnings)
        except _Rejected as rejected:
            return _finish(factory, job_id, "failed", [p.to_dict() for p in rejected.problems])
        except (IntegrityError, OperationalError) as error:
            # Another import took a version (or a new facility) this one allocated, or the
            # database refused the transaction under contention: the whole save is redone,
            # reading the versions afresh.
            logger.warning(
                "import job %s: saving attempt %s of %s conflicted (%s)",
                job_id, attempt, SAVE_ATTEMPTS, type(error).__name__,
            )
            if attempt < SAVE_ATTEMPTS:
                time.sleep(random.uniform(0.05, 0.2) * attempt)
    return _finish(factory, job_id, "failed", warnings, message=CONFLICTED)


#: How many times the saving transaction is tried before the job fails on conflicts.
SAVE_ATTEMPTS = 5


def _begin_writing(session: Session) -> None:
    """Take the database's write lock before reading the versions to allocate.

    SQLite has one writer at a time, but a read before the first write is not part of it:
    two imports could both read version 2 and both write 3. `BEGIN IMMEDIATE` makes the read
    part of the writing transaction (it waits for the other writer, up to the busy timeout).
    PostgreSQL locks the facility row instead (`_save_submissions`).
    """
    if session.get_bind().dialect.name == "sqlite":
        # Not when the engine already began the transaction itself (a `begin` event): the
        # retry on conflicts covers that case.
        driver: Any = session.connection().connection.dbapi_connection
        if not driver.in_transaction:
            session.execute(text("BEGIN IMMEDIATE"))


class _Rejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _mark_finished(
    session: Session,
    job_id: int,
    status: str,
    problems: list[dict[str, Any]],
    message: str | None = None,
) -> ImportJob:
    job = session.get(ImportJob, job_id)
    assert job is not None
    job.status, job.stage = status, status
    job.progress = 1.0
    job.problems = problems
    job.finished_at = utcnow()
    job.message = message.replace("{id}", str(job_id)) if message else None
    return job


def _finish(
    factory: sessionmaker[Session],
    job_id: int,
    status: str,
    problems: list[dict[str, Any]],
    message: str | None = None,
) -> ImportJob:
    with transaction(factory) as session:
        return _mark_finished(session, job_id, status, problems, message)


#: How often a job's worker says it is alive [s].
HEARTBEAT_SECONDS = 10.0
#: A queued or running job without a sign of life for this long is interrupted [s]; well
#: above the heartbeat, since on SQLite a heartbeat waits for another import's commit.
JOB_LEASE_SECONDS = 180.0


class _Heartbeat:
    """A thread that refreshes a running job's `heartbeat_at` until stopped."""

    def __init__(self, factory: sessionmaker[Session], job_id: int) -> None:
        self._factory, self._job_id = factory, job_id
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"import-job-{job_id}-heartbeat", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            try:
                with transaction(self._factory) as session:
                    session.execute(
                        update(ImportJob)
                        .where(
                            ImportJob.id == self._job_id,
                            ImportJob.status.in_(ACTIVE),
                        )
                        .values(heartbeat_at=utcnow(), worker=worker_id())
                    )
            except Exception:  # a missed beat only shortens the lease; the job goes on
                logger.warning("import job %s: heartbeat failed", self._job_id, exc_info=True)


#: Statuses of a job that has not ended.
ACTIVE = ("queued", "running")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def is_stale(job: ImportJob, now: datetime | None = None) -> bool:
    """True when `job` is queued or running but its worker is gone.

    Gone: a process of this host that no longer exists, or no heartbeat for
    `JOB_LEASE_SECONDS` (a worker on another host, or a reused process id).
    """
    if job.status not in ACTIVE:
        return False
    if job.worker is None or job.heartbeat_at is None:
        return True  # a job from before workers were recorded: its server has restarted
    host, _, pid = job.worker.rpartition(":")
    if host == socket.gethostname()[:150] and pid.isdigit() and not _pid_alive(int(pid)):
        return True
    age = ((now or utcnow()) - as_utc(job.heartbeat_at)).total_seconds()
    return age > JOB_LEASE_SECONDS


def _mark_interrupted(job: ImportJob) -> None:
    job.status = job.stage = "interrupted"
    job.finished_at = utcnow()
    job.message = INTERRUPTED.replace("{id}", str(job.id))


def expire_stale_jobs(factory: sessionmaker[Session]) -> list[int]:
    """Mark every job whose worker is gone as interrupted; return their ids.

    Run at start-up: a server killed during an import committed nothing of it, and its jobs
    would otherwise stay "running". Jobs of live workers (other processes of a multi-worker
    server) are left alone.
    """
    with transaction(factory) as session:
        expired = []
        for job in session.scalars(
            select(ImportJob).where(ImportJob.status.in_(ACTIVE)).with_for_update()
        ):
            if is_stale(job):
                _mark_interrupted(job)
                expired.append(job.id)
        return expired


def job_status(session: Session, actor: Actor, job_id: int) -> ImportJob:
    """An import job of the actor's organisation, marked interrupted if its worker is gone."""
    job = facilities.job(session, actor, job_id)
    if is_stale(job):
        _mark_interrupted(job)
        session.flush()
    return job


def retry_job(session: Session, actor: Actor, job_id: int) -> ImportJob:
    """A new job importing the kept upload of failed or interrupted job `job_id` again.

    The same permission as uploading. A job is retried once (retry the retry for a third
    attempt); a queued, running or succeeded job is not retried.
    """
    previous = job_status(session, actor, job_id)
    if not allowed_in_organisation("dataset.upload", actor.organisation_kind, actor.role):
        raise Forbidden("only admins and editors of a factory organisation retry an import")
    if previous.status in ACTIVE:
        raise Conflict(f"import job {job_id} is still {previous.status}; wait for it to end")
    if previous.status == "succeeded":
        raise Conflict(
            f"import job {job_id} succeeded; upload the file again to make a new version"
        )
    retried = session.scalar(select(ImportJob.id).where(ImportJob.retry_of_id == previous.id))
    if retried is not None:
        raise Conflict(f"import job {job_id} was already retried as job {retried}")
    upload = session.get(Upload, previous.upload_id)
    assert upload is not None
    try:
        job = create_job(session, upload, retry_of=previous)
    except IntegrityError:  # retried at the same moment by someone else (the request rolls back)
        raise Conflict(f"import job {job_id} was already retried") from None
    record(
        session, actor, "import_job.retry", "import_job", job.id,
        {"retry_of": previous.id, "upload_id": upload.id, "attempt": job.attempt},
    )
    return job


def _save_submissions(
    session: Session, actor: Actor, job_id: int, tables: dict[str, pl.DataFrame]
) -> list[Problem]:
    """Create facilities as needed and one new submission version per facility-year.

    In bulk: the file's facilities and their latest versions are read in a few statements,
    each table is split by facility-year once, and the rows are inserted in batches — a
    cohort of thousands of facilities imports in seconds, not one round trip and one filter
    per facility-year (issue 14).
    """
    profiles = tables["profiles"]
    problems: list[Problem] = []
    job = session.get(ImportJob, job_id)
    assert job is not None
    rows = list(
        profiles.select(
            "facility_id", "year", "facility_name", "country_iso2", "journey_factory_type"
        )
        .unique()
        .sort("facility_id", "year")
        .iter_rows(named=True)
    )
    ids = sorted({str(row["facility_id"]) for row in rows})
    # Locked until the commit (PostgreSQL; SQLite holds its write lock already): another
    # import of these facilities waits here and then reads the versions this one wrote.
    known = _locked_facilities(session, ids)
    latest = _latest_versions(session, ids)
    earlier_years: dict[str, set[Any]] = {}
    for facility_id, year in latest:
        earlier_years.setdefault(facility_id, set()).add(year)
    parts = {name: _split_by_facility_year(name, frame) for name, frame in tables.items()}
    saved: list[tuple[Submission, str, int]] = []
    for row in rows:
        facility = known.get(row["facility_id"])
        if facility is None:
            facility = Facility(
                id=row["facility_id"],
                name=row["facility_name"] or row["facility_id"],
                country_iso2=row["country_iso2"],
                owner_organisation_id=actor.organisation_id,
                journey_factory_type=row["journey_factory_type"],
            )
            session.add(facility)
            known[facility.id] = facility
            record(session, actor, "facility.create", "facility", facility.id)
        elif facility.owner_organisation_id != actor.organisation_id:
            problems.append(
                Problem(
                    other_owner_problem(facility.id),
                    column="facility_id",
                    value=facility.id,
                )
            )
            continue
        key = (facility.id, row["year"])
        latest[key] = latest.get(key, 0) + 1
        submission = Submission(
            facility_id=facility.id,
            year=row["year"],
            version=latest[key],
            upload_id=job.upload_id,
            created_by=actor.user_id,
        )
        session.add(submission)
        saved.append((submission, facility.id, row["year"]))
    if problems:
        return problems
    session.flush()  # facilities, then submissions in batches: their ids for the tables
    contents: list[dict[str, Any]] = []
    for submission, facility_id, year in saved:
        for name, split in parts.items():
            by_year, rows_of = split
            part = rows_of.get((facility_id, year) if by_year else (facility_id,))
            if part is not None and part.height:
                contents.append(
                    {
                        "submission_id": submission.id,
                        "table_name": name,
                        "row_count": part.height,
                        "content": encode_table(part),
                    }
                )
        record(
            session,
            actor,
            "submission.create",
            "submission",
            submission.id,
            {"facility_id": facility_id, "year": year, "version": submission.version},
        )
    # One executemany, not a unit-of-work object per table: ~10 per facility-year.
    for start in range(0, len(contents), _TABLE_BATCH):
        session.execute(insert(SubmissionTable), contents[start : start + _TABLE_BATCH])
    # The matrix rows of what was saved, for the peer recompute (peer_rows.py): built here,
    # from the tables in memory, so that a recompute never decodes every submitted table.
    peer_rows.write_import_rows(session, job_id, saved, parts, earlier_years)
    return problems


#: Submitted tables per INSERT batch (bounded memory for the statement's parameters).
_TABLE_BATCH = 5000


def _locked_facilities(session: Session, ids: list[str]) -> dict[str, Facility]:
    """The facilities among `ids` that exist, locked for update (PostgreSQL), by id."""
    found: dict[str, Facility] = {}
    for start in range(0, len(ids), ID_BATCH):
        batch = ids[start : start + ID_BATCH]
        statement = select(Facility).where(Facility.id.in_(batch)).with_for_update()
        found.update((facility.id, facility) for facility in session.scalars(statement))
    return found


def _latest_versions(session: Session, ids: list[str]) -> dict[tuple[str, int], int]:
    """(facility id, year) → its latest submission version, for the facilities `ids`."""
    latest: dict[tuple[str, int], int] = {}
    for start in range(0, len(ids), ID_BATCH):
        batch = ids[start : start + ID_BATCH]
        statement = (
            select(Submission.facility_id, Submission.year, func.max(Submission.version))
            .where(Submission.facility_id.in_(batch))
            .group_by(Submission.facility_id, Submission.year)
        )
        latest.update(((f, y), int(v)) for f, y, v in session.execute(statement))
    return latest


def _split_by_facility_year(
    name: str, frame: pl.DataFrame
) -> tuple[bool, dict[tuple[Any, ...], pl.DataFrame]]:
    """(whether split by year, the table's rows by (facility_id, year) or (facility_id,)),
    rows in their order. Programme rows span years, so they are split by facility only and
    kept with every year of the facility; so is a table without a year."""
    by_year = name != "programmes" and "year" in frame.columns
    if frame.is_empty():
        return by_year, {}
    by = ["facility_id", "year"] if by_year else ["facility_id"]
    return by_year, frame.partition_by(by, as_dict=True, maintain_order=True)


def latest_tables(session: Session, facility_ids: list[str] | None) -> dict[str, pl.DataFrame]:
    """The latest submission version of every year of these facilities (None: of every
    facility on the platform), as engine tables."""
    latest = latest_versions(facility_ids)
    rows = session.execute(
        select(SubmissionTable.table_name, SubmissionTable.content)
        .join(Submission, Submission.id == SubmissionTable.submission_id)
        .join(latest, is_latest(latest))
        .order_by(Submission.facility_id, Submission.year, SubmissionTable.table_name)
    ).all()
    return peer_rows.assemble_tables((name, decode_table(content)) for name, content in rows)
