"""Sign in and out; who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from factory_journey.services.platform import accounts
from factory_journey.web.deps import SESSION_COOKIE, CurrentActor, SessionDep, TokenDep
from factory_journey.web.responses import errors
from factory_journey.web.schemas import MePublic, SignIn, TokenPublic

router = APIRouter(tags=["accounts"])


@router.post("/auth/sign-in", response_model=TokenPublic, responses=errors(401, 422))
def sign_in(body: SignIn, session: SessionDep, response: Response, request: Request) -> TokenPublic:
    token = accounts.sign_in(session, body.email, body.password)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        secure=request.app.state.settings.secure_cookies,
        samesite="strict",
        max_age=int(accounts.TOKEN_LIFETIME.total_seconds()),
    )
    return TokenPublic(token=token)


@router.post("/auth/sign-out", status_code=204, responses=errors(401))
def sign_out(
    session: SessionDep, token: TokenDep, _actor: CurrentActor, response: Response
) -> None:
    accounts.sign_out(session, token)
    response.delete_cookie(SESSION_COOKIE)


@router.get("/me", response_model=MePublic, responses=errors(401))
def me(actor: CurrentActor) -> MePublic:
    return MePublic(
        user_id=actor.user_id,
        email=actor.email,
        organisation_id=actor.organisation_id,
        organisation_kind=actor.organisation_kind,
        role=actor.role,
    )
