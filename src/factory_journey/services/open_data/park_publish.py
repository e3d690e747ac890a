"""Give, change and withdraw consent to publish a park's park-level data (write use cases).

The same rules as a facility's publication (`publish.give` / `publish.take_back`: nothing
public by default, a new consent replaces the one in force, every change audited, a
withdrawal or narrower consent effective on the very next request), with the park's groups
(engine.park_open_data.PARK_GROUPS) and the park operator's write permission
(`park.publication.manage`: its admins and editors, for parks it recorded).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from factory_journey.engine.park_open_data import PARK_GROUPS
from factory_journey.services.open_data import park_snapshot
from factory_journey.services.open_data.publish import checked_groups, give, history, take_back
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import Forbidden, NotFound
from factory_journey.services.platform.policy import allowed_in_organisation
from factory_journey.store.models import Park

ACTION = "park.publication.manage"


def authorise_park(session: Session, actor: Actor, park_id: str) -> Park:
    """The park when `actor` may manage its publication: NotFound unless its organisation
    operates it (a park's existence is not disclosed), Forbidden for a viewer."""
    park = session.get(Park, park_id)
    if park is None or park.operator_organisation_id != actor.organisation_id:
        raise NotFound(f"no park {park_id!r} that you operate")
    if not allowed_in_organisation(ACTION, actor.organisation_kind, actor.role):
        raise Forbidden("only admins and editors of the park's operator publish its data")
    return park


def state(session: Session, actor: Actor, park_id: str) -> dict[str, Any]:
    """The park's consent in force (or None), its history, and what can be published."""
    park = authorise_park(session, actor, park_id)
    found = history(session, "park", park_id)
    return {
        "park_id": park_id,
        **found,
        "groups_available": list(PARK_GROUPS),
        "years_available": park_snapshot.park_years(session, park),
    }


def publish(
    session: Session,
    actor: Actor,
    park_id: str,
    groups: Sequence[str],
    years: Sequence[int] = (),
    effective_from: datetime | None = None,
    licence_id: str | None = None,
) -> dict[str, Any]:
    """Publish the park's `groups` of `years` (none: all) from `effective_from` (default now)
    under `licence_id` (default: the operator's last choice for the park, else CC BY 4.0)."""
    authorise_park(session, actor, park_id)
    give(session, actor, "park", park_id, checked_groups(groups, PARK_GROUPS), years,
         effective_from, licence_id, park_snapshot.build_park)
    return state(session, actor, park_id)


def withdraw(session: Session, actor: Actor, park_id: str) -> dict[str, Any]:
    """Withdraw: nothing of the park is public from the next request on."""
    authorise_park(session, actor, park_id)
    take_back(session, actor, "park", park_id)
    return state(session, actor, park_id)
