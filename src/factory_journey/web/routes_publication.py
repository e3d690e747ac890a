"""Open-data publication (#17): a facility's admins, and a park operator's admins and editors
for its parks' park-level data, give, change and withdraw consent."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from factory_journey.services.open_data import park_publish, publish
from factory_journey.web.deps import CurrentActor, FacilityId, ParkId, SessionDep
from factory_journey.web.responses import FACILITY_ERRORS
from factory_journey.web.schemas_open_data import (
    ParkPublicationState,
    ParkPublishRequest,
    PublicationState,
    PublishRequest,
)

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


@router.get(
    "/parks/{park_id}/publication",
    response_model=ParkPublicationState,
    responses=FACILITY_ERRORS,
)
def get_park_publication(
    park_id: ParkId, session: SessionDep, actor: CurrentActor
) -> dict[str, Any]:
    """What the park's operator publishes of the park, and every consent given and withdrawn."""
    return park_publish.state(session, actor, park_id)


@router.put(
    "/parks/{park_id}/publication",
    response_model=ParkPublicationState,
    responses=FACILITY_ERRORS,
)
def put_park_publication(
    park_id: ParkId, body: ParkPublishRequest, session: SessionDep, actor: CurrentActor
) -> dict[str, Any]:
    """Publish the park's chosen groups and years under a licence (replaces the consent in
    force); committed, snapshot and release made, before the answer. Members' own values
    are never in it; park totals over fewer than 5 members are left out."""
    return park_publish.publish(
        session, actor, park_id, body.groups, body.years, body.effective_from, body.licence
    )


@router.delete(
    "/parks/{park_id}/publication",
    response_model=ParkPublicationState,
    responses=FACILITY_ERRORS,
)
def delete_park_publication(
    park_id: ParkId, session: SessionDep, actor: CurrentActor
) -> dict[str, Any]:
    """Withdraw: nothing of the park is public from the next request on."""
    return park_publish.withdraw(session, actor, park_id)
