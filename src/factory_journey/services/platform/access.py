"""Resolve a user's relation to a facility and check the policy; log access to shared data."""

from __future__ import annotations

from sqlalchemy import select
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


def authorise(session: Session, actor: Actor, action: str, facility_id: str) -> Facility:
    """The facility when the actor may do `action` on it; otherwise `NotFound`/`Forbidden`.

    A facility the actor has no relation to answers "not found", so that its existence is not
    disclosed to organisations it has not shared with. Reads of shared data are audited.
    """
    facility = session.get(Facility, facility_id)
    if facility is None:
        raise NotFound(f"no facility {facility_id!r} that you can see")
    relation, scope = relation_to(session, actor, facility)
    if relation is Relation.NONE:
        raise NotFound(f"no facility {facility_id!r} that you can see")
    if not allowed(
        action, relation, actor.role, grant_scope=scope, organisation_kind=actor.organisation_kind
    ):
        raise Forbidden(f"your role does not allow {action} on facility {facility_id}")
    if relation is Relation.GRANTEE:
        record(session, actor, f"shared.{action}", "facility", facility.id, {"scope": scope})
    return facility
