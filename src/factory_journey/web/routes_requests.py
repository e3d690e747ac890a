"""Access requests: ask a factory to share a facility; the factory's admin accepts or declines."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from factory_journey.services.platform import access_requests
from factory_journey.web.deps import CurrentActor, RowId, SessionDep
from factory_journey.web.responses import errors
from factory_journey.web.schemas_requests import (
    AccessDecision,
    AccessRequestCreate,
    AccessRequestReceived,
    AccessRequestSent,
)

router = APIRouter(tags=["access requests"])


def _sent(session: SessionDep, row: access_requests.AccessRequest) -> AccessRequestSent:
    return AccessRequestSent(**asdict(access_requests.sent_view(session, row)))


def _received(session: SessionDep, row: access_requests.AccessRequest) -> AccessRequestReceived:
    return AccessRequestReceived(**asdict(access_requests.as_received(session, row)))


@router.post(
    "/access-requests",
    response_model=AccessRequestSent,
    status_code=202,
    responses=errors(
        401, 403, 422, why={403: "Only brands, programmes, park operators and verifiers ask"}
    ),
)
def create_access_request(
    body: AccessRequestCreate, session: SessionDep, actor: CurrentActor
) -> AccessRequestSent:
    """Ask the factory of a facility (by Open Supply Hub ID or name) to share it with your
    organisation. The answer is the same whether or not such a facility is on the platform;
    asking again while a request is pending gives that request back."""
    row = access_requests.request_access(session, actor, body.query, body.scope, body.message)
    return _sent(session, row)


@router.get("/access-requests", response_model=list[AccessRequestSent], responses=errors(401))
def list_sent_requests(session: SessionDep, actor: CurrentActor) -> list[AccessRequestSent]:
    """Your organisation's requests, newest first."""
    return [AccessRequestSent(**asdict(r)) for r in access_requests.sent(session, actor)]


@router.get(
    "/access-requests/received",
    response_model=list[AccessRequestReceived],
    responses=errors(401),
)
def list_received_requests(
    session: SessionDep, actor: CurrentActor
) -> list[AccessRequestReceived]:
    """Requests for your organisation's facilities (admins; empty for other roles)."""
    return [AccessRequestReceived(**asdict(r)) for r in access_requests.received(session, actor)]


_DECIDE_ERRORS = errors(
    401, 403, 404, 409, 422, why={409: "The request is not pending any more"}
)


@router.post(
    "/access-requests/{request_id}/accept",
    response_model=AccessRequestReceived,
    responses=_DECIDE_ERRORS,
)
def accept_access_request(
    request_id: RowId,
    session: SessionDep,
    actor: CurrentActor,
    body: AccessDecision | None = None,
) -> AccessRequestReceived:
    """Accept: the facility is shared with the requester (a sharing grant you may revoke)."""
    row = access_requests.accept(session, actor, request_id, body.scope if body else None)
    return _received(session, row)


@router.post(
    "/access-requests/{request_id}/decline",
    response_model=AccessRequestReceived,
    responses=_DECIDE_ERRORS,
)
def decline_access_request(
    request_id: RowId, session: SessionDep, actor: CurrentActor
) -> AccessRequestReceived:
    """Decline: nothing is shared; the requester is told."""
    return _received(session, access_requests.decline(session, actor, request_id))


@router.post(
    "/access-requests/{request_id}/withdraw",
    response_model=AccessRequestSent,
    responses=_DECIDE_ERRORS,
)
def withdraw_access_request(
    request_id: RowId, session: SessionDep, actor: CurrentActor
) -> AccessRequestSent:
    """Take back a pending request of your organisation."""
    return _sent(session, access_requests.withdraw(session, actor, request_id))
