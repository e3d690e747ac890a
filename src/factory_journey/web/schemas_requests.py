"""Bodies of the access-request routes (routes_requests.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from factory_journey.web.schemas import LINE, UtcDatetime

Scope = Literal["assessment", "matrix", "full"]
#: Free text of several lines: no control characters but tab and line breaks.
NOTE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


class AccessRequestCreate(BaseModel):
    query: str = Field(
        min_length=1,
        max_length=300,
        pattern=LINE,
        description="The facility's Open Supply Hub ID (e.g. CN2019123ABCDEF) or its name",
    )
    scope: Scope = Field("assessment", description="What you ask to see")
    message: str | None = Field(
        None, max_length=1000, pattern=NOTE, description="A note to the factory"
    )


class AccessDecision(BaseModel):
    scope: Scope | None = Field(
        None, description="Share at this scope instead of the one requested"
    )


class AccessRequestSent(BaseModel):
    """A request as its requester sees it: which facility it found is said only once the
    factory accepted it."""

    id: int
    query: str
    scope: str
    status: Literal["pending", "accepted", "declined", "withdrawn"]
    message: str | None
    created_at: UtcDatetime
    decided_at: UtcDatetime | None
    facility_id: str | None
    facility_name: str | None


class AccessRequestReceived(BaseModel):
    id: int
    requester: str
    requester_kind: str
    facility_id: str
    facility_name: str
    scope: str
    status: Literal["pending", "accepted", "declined", "withdrawn"]
    message: str | None
    created_at: UtcDatetime
    decided_at: UtcDatetime | None
