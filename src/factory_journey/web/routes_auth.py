"""Sign in and out; who am I; passwords; invitations into one's organisation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from factory_journey.services.platform import accounts, invitations, passwords
from factory_journey.web.deps import (
    SESSION_COOKIE,
    CurrentActor,
    FactoryDep,
    RowId,
    SessionDep,
    TokenDep,
)
from factory_journey.web.responses import errors
from factory_journey.web.schemas import MePublic, SignIn, TokenPublic
from factory_journey.web.schemas_accounts import (
    AccountPublic,
    InvitationAccept,
    InvitationCreate,
    InvitationPublic,
    Message,
    PasswordChange,
    ResetConfirm,
    ResetRequest,
)
from factory_journey.web.settings import Settings

router = APIRouter(tags=["accounts"])


#: What the account routes' errors mean, in their own terms (the body is a `Problem`).
_ACCOUNT_ERRORS = {
    400: "the link is unknown, used, withdrawn or expired",
    401: "not signed in, or the e-mail or password is not right",
    403: "not allowed (or the current password is not right)",
    404: "no such invitation in your organisation",
    409: "the invitation was accepted already, or the address has an account",
}


def _answers(*codes: int) -> dict[int | str, dict[str, Any]]:
    return errors(*codes, why=_ACCOUNT_ERRORS)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _address(request: Request) -> str:
    # The peer address; behind a proxy, from X-Forwarded-For, believed only from the proxies
    # in JOURNEY_TRUSTED_PROXIES (`journey serve --forwarded-allow-ips`; app.py). The
    # throttle keys an IPv6 address by its /64.
    return request.client.host if request.client else "unknown"


@router.post(
    "/auth/sign-in",
    response_model=TokenPublic,
    responses=_answers(401, 429),
)
def sign_in(body: SignIn, factory: FactoryDep, response: Response, request: Request) -> TokenPublic:
    settings = _settings(request)
    token = accounts.sign_in_guarded(
        factory, body.email, body.password, _address(request), settings.account_limits
    )
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="strict",
        max_age=int(accounts.TOKEN_LIFETIME.total_seconds()),
    )
    return TokenPublic(token=token)


@router.post("/auth/sign-out", status_code=204, responses=_answers(401))
def sign_out(
    session: SessionDep, token: TokenDep, _actor: CurrentActor, response: Response
) -> None:
    accounts.sign_out(session, token)
    response.delete_cookie(SESSION_COOKIE)


@router.get("/me", response_model=MePublic, responses=_answers(401))
def me(actor: CurrentActor) -> MePublic:
    return MePublic(
        user_id=actor.user_id,
        email=actor.email,
        organisation_id=actor.organisation_id,
        organisation_kind=actor.organisation_kind,
        role=actor.role,
    )


@router.post(
    "/auth/password",
    status_code=204,
    responses=_answers(401, 403, 429),
)
def change_password(
    body: PasswordChange, factory: FactoryDep, token: TokenDep, request: Request
) -> None:
    """Set a new password (the current one is needed); every other session is signed out."""
    passwords.change(
        factory,
        token,
        body.current_password,
        body.new_password,
        _address(request),
        _settings(request).account_limits,
    )


@router.post(
    "/auth/password-reset", status_code=202, response_model=Message, responses=_answers(429)
)
def request_password_reset(body: ResetRequest, factory: FactoryDep, request: Request) -> Message:
    """Send a one-time link to set a new password; the answer does not say whether the
    address has an account."""
    settings = _settings(request)
    return Message(
        detail=passwords.request_reset_guarded(
            factory, body.email, _address(request), settings.account_limits, settings.link_base
        )
    )


@router.post("/auth/password-reset/confirm", status_code=204, responses=_answers(400))
def confirm_password_reset(body: ResetConfirm, session: SessionDep) -> None:
    """Set a new password with the token of a reset link (once); every session ends."""
    passwords.reset(session, body.token, body.new_password)


@router.post(
    "/auth/invitations/accept",
    status_code=201,
    response_model=AccountPublic,
    responses=_answers(400, 409),
)
def accept_invitation(body: InvitationAccept, session: SessionDep) -> AccountPublic:
    """Create one's account from an invitation link's token; then sign in."""
    user = invitations.accept(session, body.token, body.password, body.display_name)
    actor = accounts.actor_for_email(session, user.email)
    return AccountPublic(
        user_id=actor.user_id,
        email=actor.email,
        organisation_id=actor.organisation_id,
        role=actor.role,
    )


@router.get(
    "/organisation/invitations",
    response_model=list[InvitationPublic],
    responses=_answers(401, 403),
)
def list_invitations(session: SessionDep, actor: CurrentActor) -> list[InvitationPublic]:
    """The invitations of one's organisation (its admins only)."""
    return [InvitationPublic.model_validate(row) for row in invitations.list_open(session, actor)]


@router.post(
    "/organisation/invitations",
    status_code=201,
    response_model=InvitationPublic,
    responses=_answers(401, 403),
)
def create_invitation(
    body: InvitationCreate, session: SessionDep, actor: CurrentActor, request: Request
) -> InvitationPublic:
    """Invite an e-mail address into one's organisation with a role (its admins only); the
    link goes to the outbox. The answer does not say whether the address has an account."""
    settings = _settings(request)
    invitation = invitations.invite(
        session, actor, body.email, body.role, settings.account_limits, settings.link_base
    )
    return InvitationPublic.model_validate(invitation)


@router.delete(
    "/organisation/invitations/{invitation_id}",
    status_code=204,
    responses=_answers(401, 403, 404, 409),
)
def withdraw_invitation(invitation_id: RowId, session: SessionDep, actor: CurrentActor) -> None:
    """Withdraw an open invitation of one's organisation (its admins only)."""
    invitations.withdraw(session, actor, invitation_id)
