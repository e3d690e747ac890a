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
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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

    Kept as Parquet bytes so that types round-trip exactly into the engine.
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

    `content` is the engine's peer table (threshold and size `n` of every peer group with at
    least the methodology's minimum size, over the latest data of every facility) as Parquet;
    `content_sha256` its SHA-256 hex. A facility's assessment names the snapshot it used.
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
