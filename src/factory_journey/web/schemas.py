"""Request and response bodies of the JSON API (one family per entity)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from factory_journey.domain.timestamps import as_utc, iso_utc

#: Largest id a database integer column holds (PostgreSQL `integer`).
MAX_DB_INT = 2_147_483_647
#: One line of text without control characters (PostgreSQL refuses NUL in text).
LINE = r"^[^\x00-\x1f\x7f]*$"
#: Free text: any characters but NUL.
NO_NUL = r"^[^\x00]*$"

#: A moment in a response: aware UTC (a naive value from SQLite is UTC), written in ISO 8601
#: with `Z` (`2026-12-06T23:30:00Z`), the same form as the CLI's files (`iso_utc`).
UtcDatetime = Annotated[
    datetime,
    AfterValidator(as_utc),
    PlainSerializer(iso_utc, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]


class SignIn(BaseModel):
    email: str = Field(min_length=3, max_length=320, pattern=LINE)
    password: str = Field(min_length=1, max_length=1024, pattern=NO_NUL)


class TokenPublic(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"


class MePublic(BaseModel):
    user_id: int
    email: str
    organisation_id: int
    organisation_kind: str
    role: str


class FacilityPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    name: str
    country_iso2: str
    journey_factory_type: str | None
    relation: str = "owner"
    scope: str | None = None


class JobPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    upload_id: int
    status: str
    stage: str
    progress: float
    problems: list[dict[str, Any]]
    created_at: UtcDatetime
    finished_at: UtcDatetime | None
    attempt: int = 1
    retry_of_id: int | None = None
    message: str | None = None


class SubmissionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    facility_id: str
    year: int
    version: int
    upload_id: int | None
    created_at: UtcDatetime


class GrantCreate(BaseModel):
    grantee_organisation_id: int = Field(ge=1, le=MAX_DB_INT)
    scope: Literal["assessment", "matrix", "full"]


class GrantPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    facility_id: str
    grantee_organisation_id: int
    scope: str
    created_at: UtcDatetime
    revoked_at: UtcDatetime | None


class VerificationCreate(BaseModel):
    year: int = Field(ge=1990, le=2100)
    subject: str = Field(
        min_length=1,
        max_length=120,
        pattern=LINE,
        description="a table of the year's data ('energy') or a row of it by the row number "
        "its file gives it ('energy:12')",
    )
    status: Literal["self-reported", "verified", "disputed"]
    evidence_id: int | None = Field(
        default=None,
        ge=1,
        le=MAX_DB_INT,
        description=(
            "the evidence document the status rests on: of this facility and year, and of this "
            "table (or row) when the document was uploaded for one"
        ),
    )
    observation: str | None = Field(
        default=None,
        max_length=4000,
        pattern=NO_NUL,
        description="an on-site observation note: what was seen, where and against what "
        "(instead of, or beside, an evidence document)",
    )
    comment: str | None = Field(
        default=None,
        max_length=4000,
        pattern=NO_NUL,
        description="why: required to mark a value disputed or back to self-reported",
    )
    version: int | None = Field(
        default=None,
        ge=1,
        le=MAX_DB_INT,
        description="the submission version checked; refused when a newer one replaced it",
    )


class VerificationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    facility_id: str
    year: int
    subject: str
    status: str
    evidence_id: int | None
    created_at: UtcDatetime
    submission_id: int | None = None
    set_by: int
    organisation_id: int
    comment: str | None = None
    observation: str | None = None


class EvidencePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    facility_id: str
    year: int
    subject: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    created_at: UtcDatetime
    uploaded_by: int


class OrganisationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    kind: str


class PeerSnapshotPublic(BaseModel):
    id: int
    sha256: str = Field(description="SHA-256 of the peer table (Parquet) the result used")
    methodology_version: str
    facility_count: int
    group_count: int
    created_at: UtcDatetime


class SnapshotPublic(BaseModel):
    facility_id: str
    snapshot_id: int
    computed_at: UtcDatetime
    inputs_key: str = Field(
        description="SHA-256 of submission ids and methodology/reference versions"
    )
    submission_ids: list[int]
    methodology_version: str
    versions: dict[str, str]
    warnings: list[str]
    peer_snapshot: PeerSnapshotPublic | None = Field(
        default=None,
        description="the platform peer snapshot the peer thresholds came from; null before the "
        "first one (peer thresholds then fall back to absolute ones)",
    )


class MatrixPublic(SnapshotPublic):
    matrix: list[dict[str, Any]] = Field(description="Data Matrix rows (docs/contracts.md §3)")
    zdhc_levels: list[dict[str, Any]]
    verification: list[dict[str, Any]] = Field(
        default_factory=list,
        description="verifiers' records in force on the data: year, subject, table, row, "
        "status, evidence_id, on_site_observation, set_by, organisation_id, set_at (UTC)",
    )


class AssessmentPublic(SnapshotPublic):
    opportunities: list[dict[str, Any]]
    pathways: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    trajectory: list[dict[str, Any]]


class PortfolioLinePublic(BaseModel):
    facility_id: str
    name: str
    country_iso2: str
    journey_factory_type: str | None
    relation: str
    scope: str | None
    year: int | None
    opportunity_levels: dict[str, str | None]
    snapshot_id: int
