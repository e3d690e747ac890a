"""Finding an organisation to share with, the grants of a factory's facilities as its sharing
page lists them, and the members of an organisation for its admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factory_journey.domain.os_hub_id import is_valid_os_hub_id, normalise_os_hub_id
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import Forbidden
from factory_journey.services.platform.policy import allowed_in_organisation
from factory_journey.services.platform.sharing import grants_of
from factory_journey.store.like import LIKE_ESCAPE, like_literal
from factory_journey.store.models import (
    Facility,
    Membership,
    Organisation,
    SharingGrant,
    User,
)

#: Kinds of organisation a facility shares with (never another factory group).
GRANTEE_KINDS = ("brand", "programme", "park_operator", "verifier")
#: Most organisations a search answers.
SEARCH_LIMIT = 20
#: Shortest name fragment searched [characters]: fewer would list the whole directory.
MIN_QUERY = 2


@dataclass(frozen=True, slots=True)
class OrganisationHit:
    id: int
    name: str
    kind: str
    #: How it was found: "name", or "os_hub_id" (the owner of a facility with that OS ID).
    matched: str


def find_organisations(session: Session, actor: Actor, query: str) -> list[OrganisationHit]:
    """Organisations whose name contains `query` (any case) that a facility may share with,
    or the owner of the facility whose Open Supply Hub ID is `query`; never the actor's own."""
    text = query.strip()
    if len(text) < MIN_QUERY:
        return []
    hits: list[OrganisationHit] = []
    if is_valid_os_hub_id(text):
        os_id = normalise_os_hub_id(text)
        owner = session.scalar(
            select(Organisation)
            .join(Facility, Facility.owner_organisation_id == Organisation.id)
            .where(Facility.os_hub_id == os_id)
        )
        if owner is not None and owner.id != actor.organisation_id:
            hits.append(OrganisationHit(owner.id, owner.name, owner.kind, "os_hub_id"))
    escaped = like_literal(text.lower())
    for organisation in session.scalars(
        select(Organisation)
        .where(
            func.lower(Organisation.name).like(f"%{escaped}%", escape=LIKE_ESCAPE),
            Organisation.kind.in_(GRANTEE_KINDS),
            Organisation.id != actor.organisation_id,
        )
        .order_by(Organisation.name)
        .limit(SEARCH_LIMIT)
    ):
        if all(h.id != organisation.id for h in hits):
            hits.append(OrganisationHit(organisation.id, organisation.name, organisation.kind,
                                        "name"))
    return hits[:SEARCH_LIMIT]


@dataclass(frozen=True, slots=True)
class GrantLine:
    id: int
    grantee_id: int
    grantee_name: str
    grantee_kind: str
    scope: str
    granted_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def grant_lines(session: Session, actor: Actor, facility_id: str) -> list[GrantLine]:
    """Every grant of a facility (active first, then revoked), with its grantee's name.

    Needs `sharing.read` (checked by `sharing.grants_of`)."""
    grants: list[SharingGrant] = grants_of(session, actor, facility_id)
    ids = {g.grantee_organisation_id for g in grants}
    names = {
        o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    } if ids else {}
    lines = [
        GrantLine(g.id, g.grantee_organisation_id, names[g.grantee_organisation_id].name,
                  names[g.grantee_organisation_id].kind, g.scope, g.created_at, g.revoked_at)
        for g in grants
    ]
    return sorted(lines, key=lambda line: (not line.active, line.id))


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    email: str
    display_name: str
    role: str
    active: bool


def members(session: Session, actor: Actor) -> list[Member]:
    """The members of the actor's organisation (admins only: the same rule as inviting)."""
    if not allowed_in_organisation("organisation.invite", actor.organisation_kind, actor.role):
        raise Forbidden("only an admin of your organisation sees its members")
    return [
        Member(user.id, user.email, user.display_name, role, user.active)
        for user, role in session.execute(
            select(User, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id == actor.organisation_id)
            .order_by(User.display_name, User.id)
        )
    ]
