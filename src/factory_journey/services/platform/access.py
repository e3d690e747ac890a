"""Resolve a user's relation to a facility and check the policy; log access to shared data."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import Forbidden, NotFound
from factory_journey.services.platform.policy import Relation, allowed
from factory_journey.store.models import Facility, SharingGrant

#: Widest first when an organisation holds several grants for one facility.
_SCOPE_RANK = {"assessment": 1, "matrix": 2, "full": 3}


def relation_to(session: Session, actor: Actor, facility: Facility) -> tuple[Relation, str | None]:
    """`(relation, widest active grant scope)` of the actor's organisation to the facility."""
    if facility.owner_organisation_id == actor.organisation_id:
        return Relation.OWNER, None
    grants = session.scalars(
        select(SharingGrant).where(
            SharingGrant.facility_id == facility.id,
            SharingGrant.grantee_organisation_id == actor.organisation_id,
            SharingGrant.revoked_at.is_(None),
        )
    ).all()
    if not grants:
        return Relation.NONE, None
    return Relation.GRANTEE, max((g.scope for g in grants), key=_SCOPE_RANK.__getitem__)


#: The owner of a facility and the scopes of the active grants it gives one organisation.
_RELATION = (
    select(Facility.owner_organisation_id, SharingGrant.scope)
    .outerjoin(
        SharingGrant,
        and_(
            SharingGrant.facility_id == Facility.id,
            SharingGrant.grantee_organisation_id == bindparam("organisation_id"),
            SharingGrant.revoked_at.is_(None),
        ),
    )
    .where(Facility.id == bindparam("facility_id"))
)


def check(session: Session, actor: Actor, action: str, facility_id: str) -> Relation:
    """The actor's relation to the facility when it may do `action`; else NotFound/Forbidden.

    A facility the actor has no relation to answers "not found", so that its existence is not
    disclosed to organisations it has not shared with. Reads of shared data are audited.
    One statement, so that it costs little on every request.
    """
    rows = (
        session.connection()
        .execute(_RELATION, {"facility_id": facility_id, "organisation_id": actor.organisation_id})
        .all()
    )
    if not rows:
        raise NotFound(f"no facility {facility_id!r} that you can see")
    scopes = [scope for _owner, scope in rows if scope is not None]
    if rows[0][0] == actor.organisation_id:
        relation, scope = Relation.OWNER, None
    elif scopes:
        relation, scope = Relation.GRANTEE, max(scopes, key=_SCOPE_RANK.__getitem__)
    else:
        raise NotFound(f"no facility {facility_id!r} that you can see")
    if not allowed(
        action, relation, actor.role, grant_scope=scope, organisation_kind=actor.organisation_kind
    ):
        raise Forbidden(f"your role does not allow {action} on facility {facility_id}")
    if relation is Relation.GRANTEE:
        record(session, actor, f"shared.{action}", "facility", facility_id, {"scope": scope})
    return relation


def authorise(session: Session, actor: Actor, action: str, facility_id: str) -> Facility:
    """The facility when the actor may do `action` on it; otherwise `NotFound`/`Forbidden`."""
    check(session, actor, action, facility_id)
    facility = session.get(Facility, facility_id)
    assert facility is not None
    return facility
