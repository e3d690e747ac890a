"""Request and response bodies of invitations and passwords."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from factory_journey.services.platform.accounts import MIN_PASSWORD_LENGTH
from factory_journey.web.schemas import LINE, NO_NUL

PasswordText = Annotated[str, Field(min_length=1, max_length=1024, pattern=NO_NUL)]
#: A password being chosen: as long as `accounts.MIN_PASSWORD_LENGTH` asks.
NewPassword = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=1024, pattern=NO_NUL)]
#: One-time link tokens are 43 URL-safe characters; a little room for a future format.
LinkToken = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_-]+$")]


class PasswordChange(BaseModel):
    current_password: PasswordText
    new_password: NewPassword


class ResetRequest(BaseModel):
    email: str = Field(min_length=3, max_length=320, pattern=LINE)


class ResetConfirm(BaseModel):
    token: LinkToken
    new_password: NewPassword


class Message(BaseModel):
    detail: str


class InvitationCreate(BaseModel):
    email: str = Field(min_length=3, max_length=320, pattern=LINE)
    role: Literal["admin", "editor", "viewer"]


class InvitationPublic(BaseModel):
    """An invitation as its organisation's admins see it (never its token)."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    email: str
    role: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class InvitationAccept(BaseModel):
    token: LinkToken
    password: NewPassword
    display_name: str = Field(default="", max_length=200, pattern=LINE)


class AccountPublic(BaseModel):
    user_id: int
    email: str
    organisation_id: int
    role: str
