"""Access requests: an organisation asks a factory to share a facility; the factory decides.

A brand, programme, park operator or verifier names a facility by its Open Supply Hub ID or
its name (`request_access`). The answer is the same whether or not a facility was found: a
facility's presence on the platform is not disclosed to organisations it has not shared with
(access.py says the same of every facility route), so a request that finds nothing, or a name
that several facilities share, simply stays pending. The owning organisation's admins are told
through the outbox and accept (a sharing grant at the requested scope, `sharing.grant`) or
decline; the requester may withdraw a pending request. Every step is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factory_journey.domain.os_hub_id import is_valid_os_hub_id, normalise_os_hub_id
from factory_journey.services.platform import outbox, sharing
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import Conflict, Forbidden, InvalidInput, NotFound
from factory_journey.services.platform.policy import (
    Relation,
    allowed,
    allowed_in_organisation,
)
from factory_journey.store.like import LIKE_ESCAPE, like_literal
from factory_journey.store.models import (
    GRANT_SCOPES,
    AccessRequest,
    Facility,
    Membership,
    Organisation,
    User,
    utcnow,
)

#: Longest query [characters] (an OS Hub ID has 15, a facility name at most 300).
MAX_QUERY = 300
#: Longest note to the factory [characters].
MAX_MESSAGE = 1000
_SPACES = re.compile(r"\s+")


def normalise_query(text: str) -> str:
    """Spaces collapsed and trimmed: what is stored and compared."""
    return _SPACES.sub(" ", text).strip()


def find_facility(session: Session, query: str) -> Facility | None:
    """The one facility an OS Hub ID or a name (case and spacing ignored) designates.

    None when none does, or when several facilities share the name (the requester is told to
    use the OS Hub ID): a request never goes to a factory that was not meant.
    """
    candidate = normalise_os_hub_id(query)
    if is_valid_os_hub_id(candidate):
        found = session.scalars(
            select(Facility).where(Facility.os_hub_id == candidate).limit(2)
        ).all()
    else:
        # Names are stored as typed: narrow with LIKE on the words, then compare the names
        # with spacing collapsed and case folded.
        name = normalise_query(query).lower()
        words = [like_literal(w) for w in name.split(" ")]
        pattern = "%" + "%".join(words) + "%"
        found = [
            facility
            for facility in session.scalars(
                select(Facility)
                .where(func.lower(Facility.name).like(pattern, escape=LIKE_ESCAPE))
                .limit(200)
            )
            if normalise_query(facility.name).lower() == name
        ]
    return found[0] if len(found) == 1 else None


def _check_may_request(actor: Actor) -> None:
    if not allowed_in_organisation("access.request", actor.organisation_kind, actor.role):
        raise Forbidden(
            "only brands, programmes, park operators and verifiers ask factories for access"
        )


def request_access(
    session: Session,
    actor: Actor,
    query: str,
    scope: str = "assessment",
    message: str | None = None,
) -> AccessRequest:
    """Ask the factory of the facility `query` names (OS Hub ID or name) to share it at `scope`.

    Asking again while a request for the same facility (or the same text) is pending gives
    that request back: a factory is asked once.
    """
    _check_may_request(actor)
    text = normalise_query(query)
    if not text:
        raise InvalidInput("query: give the facility's Open Supply Hub ID or its name")
    if len(text) > MAX_QUERY:
        raise InvalidInput(f"query: at most {MAX_QUERY} characters")
    if scope not in GRANT_SCOPES:
        raise InvalidInput(f"scope: one of {', '.join(GRANT_SCOPES)}, not {scope!r}")
    note = (message or "").strip() or None
    if note is not None and len(note) > MAX_MESSAGE:
        raise InvalidInput(f"message: at most {MAX_MESSAGE} characters")
    facility = find_facility(session, text)
    if facility is not None and facility.owner_organisation_id == actor.organisation_id:
        raise InvalidInput("your organisation owns this facility already")
    pending = select(AccessRequest).where(
        AccessRequest.requester_organisation_id == actor.organisation_id,
        AccessRequest.status == "pending",
    )
    if facility is not None:
        pending = pending.where(AccessRequest.facility_id == facility.id)
    else:
        pending = pending.where(
            AccessRequest.facility_id.is_(None), func.lower(AccessRequest.query) == text.lower()
        )
    existing = session.scalars(pending.order_by(AccessRequest.id).limit(1)).first()
    if existing is not None:
        return existing
    row = AccessRequest(
        requester_organisation_id=actor.organisation_id,
        requested_by=actor.user_id,
        query=text,
        facility_id=facility.id if facility is not None else None,
        scope=scope,
        message=note,
        status="pending",
    )
    session.add(row)
    session.flush()
    record(session, actor, "access.request", "access_request", row.id,
           {"query": text, "scope": scope, "matched": facility is not None})
    if facility is not None:
        _tell_owner(session, row, facility)
    return row


def _organisation_name(session: Session, organisation_id: int) -> str:
    organisation = session.get(Organisation, organisation_id)
    return organisation.name if organisation is not None else f"organisation {organisation_id}"


def _tell_owner(session: Session, row: AccessRequest, facility: Facility) -> None:
    """Each active admin of the owning organisation gets a message in the outbox."""
    requester = _organisation_name(session, row.requester_organisation_id)
    admins = session.scalars(
        select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == facility.owner_organisation_id,
            Membership.role == "admin",
            User.active.is_(True),
        )
        .order_by(User.email)
    ).all()
    body = (
        f"{requester} asks to see {facility.name} ({facility.id}) at the scope "
        f"'{row.scope}'.\n"
        + (f"Their note: {row.message}\n" if row.message else "")
        + "Accept or decline it on the Requests page (/requests)."
    )
    for email in admins:
        outbox.send(session, email, f"Access request for {facility.name}", body)


def _tell_requester(session: Session, row: AccessRequest, facility: Facility) -> None:
    user = session.get(User, row.requested_by)
    if user is None or not user.active:
        return
    verb = "accepted" if row.status == "accepted" else "declined"
    outbox.send(
        session,
        user.email,
        f"Your access request was {verb}",
        f"The owner of {facility.name} {verb} your request ({row.query!r}, scope "
        f"'{row.scope}')."
        + (" It is now in your portfolio." if row.status == "accepted" else ""),
    )


def _owned_request(session: Session, actor: Actor, request_id: int) -> tuple[AccessRequest,
                                                                              Facility]:
    """A request for a facility of the actor's organisation that its role may decide on.

    Any other organisation is told "not found" (requests are not disclosed); a member of the
    owner who may not share (not an admin) is told "forbidden".
    """
    row = session.get(AccessRequest, request_id)
    facility = session.get(Facility, row.facility_id) if row and row.facility_id else None
    if row is None or facility is None or facility.owner_organisation_id != actor.organisation_id:
        raise NotFound(f"no access request {request_id} for a facility of yours")
    if not allowed("sharing.manage", Relation.OWNER, actor.role):
        raise Forbidden("only your organisation's admins decide on access requests")
    if row.status != "pending":
        raise Conflict(f"access request {request_id} is {row.status} already")
    return row, facility


def accept(
    session: Session, actor: Actor, request_id: int, scope: str | None = None
) -> AccessRequest:
    """Accept a pending request: share the facility with the requester at the requested
    scope (or `scope`, which the admin may choose instead)."""
    row, facility = _owned_request(session, actor, request_id)
    granted = sharing.grant(
        session, actor, facility.id, row.requester_organisation_id, scope or row.scope
    )
    row.status, row.scope = "accepted", granted.scope
    row.decided_at, row.decided_by, row.grant_id = utcnow(), actor.user_id, granted.id
    record(session, actor, "access.accept", "access_request", row.id,
           {"facility_id": facility.id, "grant_id": granted.id, "scope": granted.scope})
    _tell_requester(session, row, facility)
    return row


def decline(session: Session, actor: Actor, request_id: int) -> AccessRequest:
    """Decline a pending request; nothing is shared."""
    row, facility = _owned_request(session, actor, request_id)
    row.status, row.decided_at, row.decided_by = "declined", utcnow(), actor.user_id
    record(session, actor, "access.decline", "access_request", row.id,
           {"facility_id": facility.id})
    _tell_requester(session, row, facility)
    return row


def withdraw(session: Session, actor: Actor, request_id: int) -> AccessRequest:
    """The requesting organisation takes back a pending request."""
    row = session.get(AccessRequest, request_id)
    if row is None or row.requester_organisation_id != actor.organisation_id:
        raise NotFound(f"no access request {request_id} of your organisation")
    _check_may_request(actor)
    if row.status != "pending":
        raise Conflict(f"access request {request_id} is {row.status} already")
    row.status, row.decided_at, row.decided_by = "withdrawn", utcnow(), actor.user_id
    record(session, actor, "access.withdraw", "access_request", row.id, {})
    return row


@dataclass(frozen=True, slots=True)
class SentRequest:
    """A request as its requester sees it: the facility only once the factory accepted."""

    id: int
    query: str
    scope: str
    status: str
    message: str | None
    created_at: datetime
    decided_at: datetime | None
    facility_id: str | None
    facility_name: str | None


@dataclass(frozen=True, slots=True)
class ReceivedRequest:
    """A request as the factory's admin sees it."""

    id: int
    requester: str
    requester_kind: str
    facility_id: str
    facility_name: str
    scope: str
    status: str
    message: str | None
    created_at: datetime
    decided_at: datetime | None


def as_sent(row: AccessRequest, facility_name: str | None) -> SentRequest:
    """`row` as its requester sees it: a declined or pending request does not say which
    facility was found, if any."""
    shown = row.status == "accepted"
    return SentRequest(
        row.id, row.query, row.scope, row.status, row.message, row.created_at, row.decided_at,
        row.facility_id if shown else None, facility_name if shown else None,
    )


def sent_view(session: Session, row: AccessRequest) -> SentRequest:
    facility = session.get(Facility, row.facility_id) if row.facility_id else None
    return as_sent(row, facility.name if facility else None)


def as_received(session: Session, row: AccessRequest) -> ReceivedRequest:
    """`row` as the factory's admin sees it."""
    facility = session.get(Facility, row.facility_id) if row.facility_id else None
    requester = session.get(Organisation, row.requester_organisation_id)
    return ReceivedRequest(
        row.id, requester.name if requester else "", requester.kind if requester else "",
        row.facility_id or "", facility.name if facility else "", row.scope, row.status,
        row.message, row.created_at, row.decided_at,
    )


def sent(session: Session, actor: Actor) -> list[SentRequest]:
    """The requests of the actor's organisation, newest first."""
    rows = session.execute(
        select(AccessRequest, Facility.name)
        .outerjoin(Facility, Facility.id == AccessRequest.facility_id)
        .where(AccessRequest.requester_organisation_id == actor.organisation_id)
        .order_by(AccessRequest.id.desc())
    ).all()
    return [as_sent(row, name) for row, name in rows]


def received(session: Session, actor: Actor) -> list[ReceivedRequest]:
    """Requests for facilities of the actor's organisation, pending first, then newest first;
    empty for members who may not share (only admins decide)."""
    if not allowed("sharing.manage", Relation.OWNER, actor.role):
        return []
    rows = session.execute(
        select(AccessRequest, Facility.name, Organisation.name, Organisation.kind)
        .join(Facility, Facility.id == AccessRequest.facility_id)
        .join(Organisation, Organisation.id == AccessRequest.requester_organisation_id)
        .where(Facility.owner_organisation_id == actor.organisation_id)
        .order_by((AccessRequest.status != "pending"), AccessRequest.id.desc())
    ).all()
    return [
        ReceivedRequest(
            row.id, requester, kind, row.facility_id or "", facility_name, row.scope,
            row.status, row.message, row.created_at, row.decided_at,
        )
        for row, facility_name, requester, kind in rows
    ]


def pending_count(session: Session, actor: Actor) -> int:
    """How many requests wait for the actor's decision (for the navigation's badge)."""
    if not allowed("sharing.manage", Relation.OWNER, actor.role):
        return 0
    return int(session.scalar(
        select(func.count(AccessRequest.id))
        .join(Facility, Facility.id == AccessRequest.facility_id)
        .where(
            Facility.owner_organisation_id == actor.organisation_id,
            AccessRequest.status == "pending",
        )
    ) or 0)


__all__ = [
    "AccessRequest",
    "ReceivedRequest",
    "SentRequest",
    "accept",
    "as_received",
    "as_sent",
    "decline",
    "find_facility",
    "pending_count",
    "received",
    "request_access",
    "sent",
    "sent_view",
    "withdraw",
]
