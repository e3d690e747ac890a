"""What one person may see and do on one facility's pages, from the policy table, so that a page
shows a link or a button only where the action behind it would be allowed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from factory_journey.services.platform.access import relation_to
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import NotFound
from factory_journey.services.platform.policy import (
    ORGANISATION_POLICY,
    Relation,
    allowed,
    allowed_in_organisation,
)
from factory_journey.store.models import Facility

#: The facility actions a factory page offers.
PAGE_ACTIONS = (
    "facility.read", "assessment.read", "report.read", "submission.read", "sharing.read",
    "sharing.manage",
)


@dataclass(frozen=True, slots=True)
class FacilityRights:
    facility: Facility
    relation: str
    scope: str | None
    actions: frozenset[str]

    def may(self, action: str) -> bool:
        return action in self.actions


def facility_rights(session: Session, actor: Actor, facility_id: str) -> FacilityRights:
    """The actor's allowed page actions on a facility; NotFound without any relation to it."""
    facility = session.get(Facility, facility_id)
    if facility is None:
        raise NotFound(f"no facility {facility_id!r} that you can see")
    relation, scope = relation_to(session, actor, facility)
    if relation is Relation.NONE:
        raise NotFound(f"no facility {facility_id!r} that you can see")
    actions = frozenset(
        action for action in PAGE_ACTIONS
        if allowed(action, relation, actor.role, grant_scope=scope,
                   organisation_kind=actor.organisation_kind)
    )
    if "facility.read" not in actions:
        raise NotFound(f"no facility {facility_id!r} that you can see")
    return FacilityRights(facility, relation.value, scope, actions)


def may_upload(actor: Actor) -> bool:
    """Whether the actor may upload a dataset (admins and editors of a factory group)."""
    return allowed_in_organisation("dataset.upload", actor.organisation_kind, actor.role)


def reports_own_facilities(actor: Actor) -> bool:
    """Whether the actor's organisation reports facilities of its own (a factory group: its
    datasets create them), whatever the actor's role; other organisations see facilities that
    factories share with them, on their own pages."""
    kinds, _roles = ORGANISATION_POLICY["dataset.upload"]
    return actor.organisation_kind in kinds


def may_see_cohorts(actor: Actor) -> bool:
    """Whether the actor sees a programme's cohorts and evaluation (/programme)."""
    return allowed_in_organisation("cohort.read", actor.organisation_kind, actor.role)


def may_manage_team(actor: Actor) -> bool:
    """Whether the actor may invite people and see the members (its organisation's admins)."""
    return allowed_in_organisation("organisation.invite", actor.organisation_kind, actor.role)
