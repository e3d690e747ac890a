"""Request and response bodies of the Join the Journey API (proposals, reviews, methodology
versions built from accepted proposals)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from factory_journey.web.schemas import LINE, MAX_DB_INT, NO_NUL, UtcDatetime

Line = Annotated[str, Field(max_length=200, pattern=LINE)]
Key = Annotated[str, Field(min_length=1, max_length=32, pattern=LINE)]
Text = Annotated[str, Field(max_length=8000, pattern=NO_NUL)]
Effect = Literal[
    "thermal_energy",
    "electric_energy",
    "grid_electricity_substituted",
    "water",
    "scope1",
    "thermal_electrified",
]
Fraction = Annotated[float, Field(ge=0, le=1)]
Usd = Annotated[float, Field(ge=0, le=1e9)]


class _Body(BaseModel):
    # Strict: `true` is not the number 1, nor "3" a score (the document says number/integer).
    model_config = ConfigDict(extra="forbid", strict=True)


class InvestmentDraft(_Body):
    """Typical investment [USD per unit of `basis`]."""

    basis: Literal["facility", "energy_gj", "switched_gj", "electricity_kwh", "water_m3"]
    usd_low: Usd
    usd_high: Usd


class MeasureDraft(_Body):
    """A proposed measure; savings as [low, high] fractions (0-1) of a facility's annual
    baseline (thermal_energy, electric_energy, water, scope1 for on-site CO2e, …)."""

    title: Line | None = None
    area: Key | None = None
    addresses: list[Key] | None = Field(default=None, max_length=10)
    effects: dict[Effect, Annotated[list[Fraction], Field(min_length=2, max_length=2)]] | None = (
        None
    )
    investment: InvestmentDraft | None = None
    evidence: Annotated[str, Field(max_length=4000, pattern=NO_NUL)] | None = None
    certainty: Literal["primary", "secondary", "unverified"] | None = None


class ProposalDraft(_Body):
    """A proposal as far as it is written: a draft needs only its title; a submission needs
    every field (the answer's `problems` says what is still missing)."""

    title: Annotated[str, Field(min_length=3, max_length=200, pattern=LINE)]
    summary: Text | None = None
    provider: Line | None = None
    impact_areas: list[Key] | None = Field(default=None, max_length=7)
    factory_types: list[Key] | None = Field(default=None, max_length=6)
    regions: list[Annotated[str, Field(min_length=1, max_length=2, pattern=LINE)]] | None = (
        Field(default=None, max_length=250)
    )
    maturity_stages: list[Annotated[int, Field(ge=1, le=4)]] | None = Field(
        default=None, max_length=4
    )
    measures: list[MeasureDraft] | None = Field(default=None, max_length=10)
    expected_impact: Text | None = None

    def content(self) -> dict[str, Any]:
        """The draft's content as stored (fields left out are not kept)."""
        return self.model_dump(mode="json", exclude_none=True)


class ReviewCreate(_Body):
    """A seat's review: a conflict of interest is a recusal (a statement, nothing else);
    otherwise a whole score for every sub-criterion (`criterion.sub`, see
    /api/proposal-rubric), comments and a recommendation."""

    conflict_of_interest: bool
    conflict_statement: Annotated[str, Field(max_length=2000, pattern=NO_NUL)] = ""
    scores: dict[Annotated[str, Field(max_length=64, pattern=LINE)], int] = Field(
        default_factory=dict, max_length=50
    )
    comments: dict[Annotated[str, Field(max_length=64, pattern=LINE)], Text] = Field(
        default_factory=dict, max_length=50
    )
    recommendation: Literal["accept", "changes", "reject"] | None = None


class ProblemLine(BaseModel):
    where: str
    message: str


class AttachmentPublic(BaseModel):
    id: int
    filename: str
    content_type: str
    size_bytes: int
    sha256: str


class VersionPublic(BaseModel):
    number: int
    created_at: UtcDatetime
    submitted_at: UtcDatetime | None
    content: dict[str, Any]
    attachments: list[AttachmentPublic]


class EventPublic(BaseModel):
    at: UtcDatetime
    version: int
    from_state: str | None
    to_state: str
    by: str
    organisation: str
    note: str


class ProposalSummary(BaseModel):
    id: int
    reference: str
    title: str
    state: str
    organisation: str
    updated_at: UtcDatetime


class ProposalPublic(ProposalSummary):
    versions: list[VersionPublic]
    history: list[EventPublic]
    problems: list[ProblemLine] = Field(
        description="What a submission of the current draft would be refused for (empty: ready)"
    )
    methodology_version_id: int | None


class ReviewPublic(BaseModel):
    id: int
    version: int
    seat: str
    conflict_of_interest: bool
    conflict_statement: str
    scores: dict[str, int]
    comments: dict[str, str]
    recommendation: str | None
    rubric_version: str
    created_at: UtcDatetime


class MethodologyVersionSummary(BaseModel):
    id: int
    name: str
    label: str
    base_label: str
    proposals: list[str]
    created_at: UtcDatetime


class MethodologyVersionPublic(MethodologyVersionSummary):
    methodology: dict[str, Any]
    catalogue: dict[str, Any]
    content_sha256: str


class FacilityAssessmentPublic(BaseModel):
    facility_id: str
    methodology_version: str
    versions: dict[str, str]
    pathways: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    explanation: list[str]


BuildId = Annotated[int, Field(ge=1, le=MAX_DB_INT)]
