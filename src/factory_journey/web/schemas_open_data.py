"""Schemas of the open-data API (#17): public reads and a facility's publication consent."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from factory_journey.services.open_data.licences import licences
from factory_journey.services.open_data.park_publish import PARK_GROUPS
from factory_journey.services.open_data.publish import PUBLISHABLE_GROUPS

Group = Literal[PUBLISHABLE_GROUPS]  # type: ignore[valid-type]
LicenceId = Literal[tuple(item.id for item in licences())]  # type: ignore[valid-type]


class PublishRequest(BaseModel):
    groups: list[Group] = Field(min_length=1, max_length=len(PUBLISHABLE_GROUPS),
                                description="indicator groups to publish")
    years: list[Annotated[int, Field(ge=1900, le=2100)]] = Field(
        default_factory=list, max_length=200, description="years to publish; empty: every year"
    )
    effective_from: datetime | None = Field(
        None, description="when the publication takes effect (UTC); default now"
    )
    licence: LicenceId | None = Field(None, description="SPDX id; default CC-BY-4.0")


class ConsentPublic(BaseModel):
    id: int
    groups: list[str]
    years: list[int]
    effective_from: str
    licence_id: str
    created_at: str
    withdrawn_at: str | None


class LicencePublic(BaseModel):
    id: str
    name: str
    url: str


class PublicationState(BaseModel):
    facility_id: str
    published: bool = Field(description="a consent is in force and its date has come")
    consent: ConsentPublic | None
    history: list[ConsentPublic] = Field(description="every consent, newest first")
    groups_available: list[str]
    years_available: list[int] = Field(description="years the facility has data for")
    licences: list[LicencePublic]


class PublicSummary(BaseModel):
    kind: str = Field(description="facility or park")
    id: str
    name: str
    country_iso2: str
    park_id: str | None
    os_hub_id: str | None
    published_at: str


class PublicSearchPage(BaseModel):
    page: int
    per_page: int
    total: int
    items: list[PublicSummary]


class PublicValueItem(BaseModel):
    group: str
    indicator: str
    value: float | None = Field(description="in `unit`; flags 1 = true, 0 = false")
    value_text: str | None
    unit: str
    verification_status: str = Field(description="verified, partly verified or self-reported")


class PublicYear(BaseModel):
    year: int
    values: list[PublicValueItem]


class DischargeYearPublic(BaseModel):
    year: int
    status: Literal["green", "yellow", "red"] | None = Field(
        description="green: every tested substance passes; yellow: a failure with a "
        "corrective action plan filed; red: a failure without one; null: nothing tested"
    )
    parameters_tested: int
    parameters_failing: int
    corrective_action_plan: bool


class PublicProfileBody(PublicSummary):
    licence: LicencePublic
    methodology_version: str
    reference_versions: dict[str, str]
    discharge: list[DischargeYearPublic]
    years: list[PublicYear]


class PublicAggregates(BaseModel):
    min_contributors: int
    groups: list[dict[str, Any]] = Field(
        description="country_iso2, year, indicator, unit, contributors, median, mean"
    )


class ReleaseFilePublic(BaseModel):
    name: str
    sha256: str
    size_bytes: int
    url: str


class ReleasePublic(BaseModel):
    id: int
    created_at: str
    files: list[ReleaseFilePublic]


class ReleaseList(BaseModel):
    latest: str | None
    releases: list[ReleasePublic]


ParkGroup = Literal[PARK_GROUPS]  # type: ignore[valid-type]


class ParkPublishRequest(BaseModel):
    groups: list[ParkGroup] = Field(min_length=1, max_length=len(PARK_GROUPS),
                                    description="park data groups to publish")
    years: list[Annotated[int, Field(ge=1900, le=2100)]] = Field(
        default_factory=list, max_length=200, description="years to publish; empty: every year"
    )
    effective_from: datetime | None = Field(
        None, description="when the publication takes effect (UTC); default now"
    )
    licence: LicenceId | None = Field(None, description="SPDX id; default CC-BY-4.0")


class ParkPublicationState(BaseModel):
    park_id: str
    published: bool = Field(description="a consent is in force and its date has come")
    consent: ConsentPublic | None
    history: list[ConsentPublic] = Field(description="every consent, newest first")
    groups_available: list[str]
    years_available: list[int] = Field(description="years the park's assessment covers")
    licences: list[LicencePublic]


class PlantDischargePublic(BaseModel):
    year: int
    shared_facility_id: str
    name: str
    status: Literal["green", "yellow", "red"] | None = Field(
        description="the central effluent plant's ZDHC-style status, as a facility's"
    )
    parameters_failing: int | None


class PublicParkBody(PublicSummary):
    licence: LicencePublic
    methodology_version: str = Field(description="the park framework and its version")
    reference_versions: dict[str, str]
    discharge: list[PlantDischargePublic]
    years: list[PublicYear] = Field(
        description="groups park_indicators (totals of at least 5 members only), "
        "shared_facilities, requirement_results (result in value_text), pillar_scores"
    )
    members: list[PublicSummary] = Field(
        description="members that published themselves (only those)"
    )
