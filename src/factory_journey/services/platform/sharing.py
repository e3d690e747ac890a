"""Sharing grants: a facility shares with a brand, programme, park operator or verifier."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.services.platform.access import authorise
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import InvalidInput, NotFound
from factory_journey.store.models import GRANT_SCOPES, Organisation, SharingGrant, utcnow


def grant(
    session: Session, actor: Actor, facility_id: str, grantee_organisation_id: int, scope: str
) -> SharingGrant:
    """Share a facility's data with another organisation, at `scope`."""
    authorise(session, actor, "sharing.manage", facility_id)
    if scope not in GRANT_SCOPES:
        raise InvalidInput(f"unknown scope {scope!r}; accepted: {', '.join(GRANT_SCOPES)}")
    grantee = session.get(Organisation, grantee_organisation_id)
    if grantee is None:
        raise NotFound(f"no organisation {grantee_organisation_id}")
    if grantee.id == actor.organisation_id:
        raise InvalidInput("a facility does not need to share with its own organisation")
    row = SharingGrant(
        facility_id=facility_id,
        grantee_organisation_id=grantee.id,
        scope=scope,
        granted_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "sharing.grant",
        "sharing_grant",
        row.id,
        {"facility_id": facility_id, "grantee": grantee.id, "scope": scope},
    )
    return row


def revoke(session: Session, actor: Actor, facility_id: str, grant_id: int) -> SharingGrant:
    """Revoke a grant; it stops giving access at once (the row stays, marked revoked)."""
    authorise(session, actor, "sharing.manage", facility_id)
    row = session.get(SharingGrant, grant_id)
    if row is None or row.facility_id != facility_id:
        raise NotFound(f"no grant {grant_id} on facility {facility_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        row.revoked_by = actor.user_id
        record(
            session, actor, "sharing.revoke", "sharing_grant", row.id, {"facility_id": facility_id}
        )
    return row


def grants_of(session: Session, actor: Actor, facility_id: str) -> list[SharingGrant]:
    authorise(session, actor, "sharing.read", facility_id)
    return list(
        session.scalars(
            select(SharingGrant)
            .where(SharingGrant.facility_id == facility_id)
            .order_by(SharingGrant.id)
        )
    )
