"""Tables of the platform (SQLAlchemy 2 declarative, typed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates

from factory_journey.domain.name_folding import fold

# Every `DateTime(timezone=True)` column below stores UTC and gives back an aware UTC
# datetime on every database (SQLite keeps no zone): see store/utc_datetime.py.
from factory_journey.store.utc_datetime import UtcDateTime as DateTime

#: Kinds of organisation and what they do on the platform.
ORGANISATION_KINDS = ("factory_group", "brand", "programme", "park_operator", "verifier")
#: Roles of a user within an organisation.
ROLES = ("admin", "editor", "viewer")
#: What a sharing grant lets the grantee read.
GRANT_SCOPES = ("assessment", "matrix", "full")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Organisation(Base):
    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The language the pages speak to this person in (a key of reports.i18n.LANGUAGES), or
    #: None: not chosen (then the browser's Accept-Language decides). Migration 0007.
    language: Mapped[str | None] = mapped_column(String(16), nullable=True, default=None)


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    role: Mapped[str] = mapped_column(String(16))


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Facility(Base):
    __tablename__ = "facility"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    country_iso2: Mapped[str] = mapped_column(String(2))
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    journey_factory_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    os_hub_id: Mapped[str | None] = mapped_column(String(15), nullable=True)
    park_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Upload(Base):
    """A raw uploaded file, kept verbatim whatever became of its import."""

    __tablename__ = "upload"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ImportJob(Base):
    __tablename__ = "import_job"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id"))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    stage: Mapped[str] = mapped_column(String(64), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    problems: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Retry and liveness (#13, migration 0005): a retry is a new job naming the one it retries
    # (once: the unique constraint stops two simultaneous retries of one job); `worker` is the
    # "host:pid" running the job and `heartbeat_at` its last sign of life, so that a job whose
    # process died is marked interrupted instead of staying "running".
    attempt: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    retry_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_job.id"), nullable=True, unique=True
    )
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)


class Submission(Base):
    """One immutable version of a facility-year's data; a correction is a new version."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("facility_id", "year", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facility.id"))
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"), nullable=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class SubmissionTable(Base):
    """One table of a submission as ingested: typed rows with reported units and provenance.

    Kept as Arrow IPC stream bytes (older rows: Parquet) so that types round-trip exactly into
    the engine; read and write them only through services.platform.submission_content.
    """

    __tablename__ = "submission_table"
    __table_args__ = (UniqueConstraint("submission_id", "table_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"))
    table_name: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Evidence(Base):
    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facility.id"))
    year: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(120))
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VerificationRecord(Base):
    """Append-only: the latest record for a (facility, year, subject) is the status in force."""

    __tablename__ = "verification_record"
    __table_args__ = (Index("ix_verification_record_facility", "facility_id", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facility.id"))
    year: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"), nullable=True)
    set_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The submission version checked (a correction is not verified by a check of its
    # predecessor) and the on-site observation note a record may rest on instead of evidence.
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id"), nullable=True)
    observation: Mapped[str | None] = mapped_column(Text, nullable=True)


class AssessmentSnapshot(Base):
    """An assessment as computed: never updated, so a past result stays as it was.

    `inputs_key` is the SHA-256 of the inputs (submission ids, methodology and reference-data
    versions): a read whose inputs have not changed is a lookup, and a change of factors or a
    correction makes a new snapshot beside the old ones.
    """

    __tablename__ = "assessment_snapshot"
    __table_args__ = (Index("ix_assessment_snapshot_inputs", "facility_id", "inputs_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facility.id"))
    inputs_key: Mapped[str] = mapped_column(String(64), default="", server_default="")
    year: Mapped[int] = mapped_column(Integer)
    methodology_version: Mapped[str] = mapped_column(String(64))
    reference_versions: Mapped[dict[str, Any]] = mapped_column(JSON)
    submission_ids: Mapped[list[Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SharingGrant(Base):
    __tablename__ = "sharing_grant"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facility.id"))
    grantee_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    scope: Mapped[str] = mapped_column(String(16))
    granted_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)


class AuditEvent(Base):
    """Every change, and every read of data shared by another organisation."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), nullable=True
    )
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SignInThrottle(Base):
    """Failed sign-in attempts of one account or one client address, and its lock-out.

    `key_sha256` is the SHA-256 of `kind:value` (an e-mail as typed, lower-cased, or an
    address), so that the e-mail addresses of accounts that do not exist are not kept.
    """

    __tablename__ = "sign_in_throttle"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    lockouts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Invitation(Base):
    """An invitation to join an organisation with a role; only the link token's hash is kept."""

    __tablename__ = "invitation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class PasswordReset(Base):
    """A one-time, expiring link to set a new password; only its token's hash is kept."""

    __tablename__ = "password_reset"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class OutboxMessage(Base):
    """A message to a person (there is no mail server: this table and the log are the post)."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PeerSnapshot(Base):
    """The platform's peer thresholds as computed at one time: never updated.

    `content` is the engine's peer table (threshold, size `n` and median of every peer group
    with at least the methodology's minimum size, over the latest data of every facility) as
    Parquet; `content_sha256` its SHA-256 hex; `reference_versions["peer_table"]` the version of
    its columns (decision 0051). A facility's assessment names the snapshot it used.
    """

    __tablename__ = "peer_snapshot"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    methodology_version: Mapped[str] = mapped_column(String(64))
    reference_versions: Mapped[dict[str, Any]] = mapped_column(JSON)
    facility_count: Mapped[int] = mapped_column(Integer)
    group_count: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: The newest submission id the computation read: nothing newer, nothing to recompute.
    submission_watermark: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PeerInput(Base):
    """A batch of Data Matrix rows for the peer recompute (a cache: deleting every row changes
    no result), written by each import for what it saved and by a recompute for what it had
    to rebuild (services/platform/peer_rows.py, migration 0015).

    `content` is an Arrow IPC stream of matrix rows, each with `_facility_watermark` (its
    facility's newest submission id when built; `submission_watermark` is the largest);
    `versions_sha256` the SHA-256 of the methodology and reference versions (the engine's
    among them) it was built under: rows built under others are never reused.
    """

    __tablename__ = "peer_input"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    versions_sha256: Mapped[str] = mapped_column(String(64), index=True)
    submission_watermark: Mapped[int] = mapped_column(Integer)
    facility_year_count: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The import job whose submissions these rows were built from (migration 0015); None
    #: for rows a recompute built or compacted.
    import_job_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


#: States of an access request: waiting for the factory, or decided (or taken back).
ACCESS_REQUEST_STATES = ("pending", "accepted", "declined", "withdrawn")


class AccessRequest(Base):
    """An organisation asks a factory to share a facility (#15, migration 0011).

    `query` is what the requester typed (an Open Supply Hub ID or a facility name);
    `facility_id` the facility it found, None when it found none or several, so that the
    requester cannot tell whether a facility is on the platform before its owner answers.
    Accepting creates a sharing grant (`grant_id`).
    """

    __tablename__ = "access_request"
    __table_args__ = (
        Index("ix_access_request_facility", "facility_id", "status"),
        Index("ix_access_request_requester", "requester_organisation_id", "status"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requester_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    requested_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    query: Mapped[str] = mapped_column(String(300))
    facility_id: Mapped[str | None] = mapped_column(ForeignKey("facility.id"), nullable=True)
    scope: Mapped[str] = mapped_column(String(16))
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("sharing_grant.id"), nullable=True)


class Cohort(Base):
    """A programme's named set of facilities (#15, migration 0011)."""

    __tablename__ = "cohort"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CohortFacility(Base):
    __tablename__ = "cohort_facility"
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), primary_key=True)
    facility_id: Mapped[str] = mapped_column(ForeignKey("facility.id"), primary_key=True)


class ProgrammeRecords(Base):
    """Programme participation records a programme uploaded (the `programmes` table of a
    dataset, as Parquet): the newest upload of an organisation is the one in force."""

    __tablename__ = "programme_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id"))
    row_count: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PublicationConsent(Base):
    """A publisher's consent to publish a subject's data openly (#17): which indicator groups,
    which years (empty: every year), from when, under which licence. Never deleted: a
    withdrawal sets `withdrawn_at`, a new publication is a new row (the previous one is
    withdrawn in the same transaction), so the history of consent stays readable.

    `subject_kind` is `facility` or `park` and `subject_id` the facility's (or park's) id.
    """

    __tablename__ = "publication_consent"
    __table_args__ = (
        Index("ix_publication_consent_subject", "subject_kind", "subject_id", "id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(64))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    groups: Mapped[list[Any]] = mapped_column(JSON)
    years: Mapped[list[Any]] = mapped_column(JSON)
    effective_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    licence_id: Mapped[str] = mapped_column(String(32))
    licences_version: Mapped[str] = mapped_column(String(16))
    granted_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    withdrawn_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )


class PublicProfile(Base):
    """The published snapshot of one subject: built from consented data when it is published
    or refreshed, deleted when consent is withdrawn. Public reads read only this table and
    `PublicValue` (through the consent filter), never the private tables.

    `name_folded` and `subject_id_folded` hold `fold(name)` and `fold(subject_id)`
    (domain.name_folding), set here whenever `name` or `subject_id` is set, so the open-data
    search matches them in SQL (`public_read.searched_page`, decision 0053). Text: a folded
    form can be longer than what it folds ("…" gives "..."). No index: a facility's name is
    matched anywhere in it (`LIKE '%x%'`, which no b-tree serves); a park's from its start,
    but parks are few. The server default "" only lets migration 0016 add them to a filled
    table on SQLite; it backfills every row.
    """

    __tablename__ = "public_profile"
    __table_args__ = (UniqueConstraint("subject_kind", "subject_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(64))
    consent_id: Mapped[int] = mapped_column(ForeignKey("publication_consent.id"))
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(Text, server_default="")
    subject_id_folded: Mapped[str] = mapped_column(Text, server_default="")
    country_iso2: Mapped[str] = mapped_column(String(2), index=True)
    park_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    os_hub_id: Mapped[str | None] = mapped_column(String(15), nullable=True, index=True)
    licence_id: Mapped[str] = mapped_column(String(32))
    methodology_version: Mapped[str] = mapped_column(String(64))
    reference_versions: Mapped[dict[str, Any]] = mapped_column(JSON)
    discharge: Mapped[list[Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    etag: Mapped[str] = mapped_column(String(64))

    @validates("name", "subject_id")
    def _keep_folded(self, key: str, value: str) -> str:
        # Every writer (publishing, a refresh, a test) gets the folded form with the value.
        setattr(self, f"{key}_folded", fold(value or ""))
        return value


class PublicValue(Base):
    """One published value of a subject: (year, indicator) in the indicator's unit."""

    __tablename__ = "public_value"
    __table_args__ = (Index("ix_public_value_profile", "profile_id", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("public_profile.id"))
    year: Mapped[int] = mapped_column(Integer)
    indicator_group: Mapped[str] = mapped_column(String(32))
    # 140: a park's shared-facility figure is `<shared_facility_id>.<column>` (migration 0014)
    indicator: Mapped[str] = mapped_column(String(140))
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    value_text: Mapped[str | None] = mapped_column(String(200), nullable=True)
    unit: Mapped[str] = mapped_column(String(32))
    verification_status: Mapped[str] = mapped_column(String(16))


class OpenDataRelease(Base):
    """One bulk release of everything published, made at a refresh. A release that holds a
    subject whose consent was later withdrawn is retired (its files are emptied, its URL
    answers 410) in the withdrawal's transaction."""

    __tablename__ = "open_data_release"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    content_sha256: Mapped[str] = mapped_column(String(64))
    subjects: Mapped[list[Any]] = mapped_column(JSON)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class OpenDataFile(Base):
    """One file of a release (CSV, Parquet, JSON, data dictionary, licence, checksums)."""

    __tablename__ = "open_data_file"
    __table_args__ = (UniqueConstraint("release_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("open_data_release.id"))
    name: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)
#: States of a Join the Journey proposal (#18), in the order a proposal usually passes them.
PROPOSAL_STATES = (
    "draft",
    "submitted",
    "under_review",
    "changes_requested",
    "accepted",
    "rejected",
)


class CommitteeSeat(Base):
    """An organisation's seat on the Join the Journey review committee (one per founding
    organisation by default: the seats of reference/data/proposals/review_rubric.yaml)."""

    __tablename__ = "committee_seat"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seat: Mapped[str] = mapped_column(String(32), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Proposal(Base):
    """A pathway proposal of one organisation; its content lives in its versions."""

    __tablename__ = "proposal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The methodology version its acceptance built (null until accepted).
    methodology_build_id: Mapped[int | None] = mapped_column(
        ForeignKey("methodology_build.id"), nullable=True
    )


class ProposalVersion(Base):
    """One version of a proposal: editable while a draft, frozen once submitted."""

    __tablename__ = "proposal_version"
    __table_args__ = (UniqueConstraint("proposal_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"))
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ProposalAttachment(Base):
    """A document attached to a proposal version (type checked by content, as evidence)."""

    __tablename__ = "proposal_attachment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("proposal_version.id"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProposalReview(Base):
    """One committee seat's review of one submitted version: never updated."""

    __tablename__ = "proposal_review"
    __table_args__ = (UniqueConstraint("version_id", "seat"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("proposal_version.id"), index=True)
    seat: Mapped[str] = mapped_column(String(32))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    conflict_of_interest: Mapped[bool] = mapped_column(default=False)
    conflict_statement: Mapped[str] = mapped_column(Text, default="")
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    comments: Mapped[dict[str, Any]] = mapped_column(JSON)
    recommendation: Mapped[str | None] = mapped_column(String(16), nullable=True)
    rubric_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProposalEvent(Base):
    """The history of a proposal: every change of state, who and when."""

    __tablename__ = "proposal_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    from_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_state: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), nullable=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MethodologyBuild(Base):
    """A methodology version the platform built from accepted proposals: never updated.

    `methodology` and `catalogue` are the complete documents (the YAML's content as JSON), so
    that an assessment with this version is reproducible from this row alone.
    """

    __tablename__ = "methodology_build"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(128))
    base_label: Mapped[str] = mapped_column(String(128))
    methodology: Mapped[dict[str, Any]] = mapped_column(JSON)
    catalogue: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_sha256: Mapped[str] = mapped_column(String(64))
    proposal_versions: Mapped[list[Any]] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Park(Base):
    """An industrial park (#16), operated by a `park_operator` organisation.

    `id` is the dataset's `park_id`; members and shared facilities are kept by year."""

    __tablename__ = "park"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    country_iso2: Mapped[str] = mapped_column(String(2))
    operator_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ParkMember(Base):
    """A member factory of a park in a year (`facility_id` as in the park's dataset; a facility
    of the platform when one has that id: its organisation then sees the park, read-only)."""

    __tablename__ = "park_member"
    __table_args__ = (UniqueConstraint("park_id", "year", "facility_id"),
                      Index("ix_park_member_facility", "facility_id"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    park_id: Mapped[str] = mapped_column(ForeignKey("park.id"))
    year: Mapped[int] = mapped_column(Integer)
    facility_id: Mapped[str] = mapped_column(String(64))
    os_id: Mapped[str | None] = mapped_column(String(15), nullable=True)


class SharedFacility(Base):
    """A shared facility of a park in a year it operates (central effluent plant, boiler …)."""

    __tablename__ = "shared_facility"
    __table_args__ = (UniqueConstraint("park_id", "year", "shared_facility_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    park_id: Mapped[str] = mapped_column(ForeignKey("park.id"))
    year: Mapped[int] = mapped_column(Integer)
    shared_facility_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    type: Mapped[str] = mapped_column(String(32))
    serves: Mapped[str | None] = mapped_column(String(32), nullable=True)


class ParkAssessment(Base):
    """`journey park assess` of one park dataset of an operator, as computed: never updated.

    `frames` holds each output frame (docs/park-data-format.md) as Parquet in
    `ParkAssessmentFrame`; the newest row of an operator is the one in force."""

    __tablename__ = "park_assessment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operator_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"), nullable=True)
    dataset_sha256: Mapped[str] = mapped_column(String(64))
    framework: Mapped[str] = mapped_column(String(200))
    versions: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ParkAssessmentFrame(Base):
    """One output frame of a park assessment, as Parquet bytes."""

    __tablename__ = "park_assessment_frame"
    __table_args__ = (UniqueConstraint("assessment_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("park_assessment.id"))
    name: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
