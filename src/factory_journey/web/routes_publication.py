"""A facility's open-data publication: its admins give, change and withdraw consent (#17)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from factory_journey.services.open_data import publish
from factory_journey.web.deps import CurrentActor, FacilityId, SessionDep
from factory_journey.web.responses import FACILITY_ERRORS
from factory_journey.web.schemas_open_data import PublicationState, PublishRequest

router = APIRouter(tags=["open data"])


@router.get(
    "/facilities/{facility_id}/publication",
    response_model=PublicationState,
    responses=FACILITY_ERRORS,
)
def get_publication(
    facility_id: FacilityId, session: SessionDep, actor: CurrentActor
) -> dict[str, Any]:
    """What the facility publishes openly, and every consent given and withdrawn."""
    return publish.state(session, actor, facility_id)


@router.put(
    "/facilities/{facility_id}/publication",
    response_model=PublicationState,
    responses=FACILITY_ERRORS,
)
def put_publication(
    facility_id: FacilityId, body: PublishRequest, session: SessionDep, actor: CurrentActor
) -> dict[str, Any]:
    """Publish the chosen indicator groups and years under a licence (replaces the consent in
    force); committed, snapshot and release made, before the answer."""
    return publish.publish(
        session, actor, facility_id, body.groups, body.years, body.effective_from, body.licence
    )


@router.delete(
    "/facilities/{facility_id}/publication",
    response_model=PublicationState,
    responses=FACILITY_ERRORS,
)
def delete_publication(
    facility_id: FacilityId, session: SessionDep, actor: CurrentActor
) -> dict[str, Any]:
    """Withdraw: nothing of the facility is public from the next request on."""
    return publish.withdraw(session, actor, facility_id)
