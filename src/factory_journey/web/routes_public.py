"""The public read API of open data (#17): no sign-in, only what publishers consented to.

Every answer carries an ETag and `Cache-Control: public, no-cache`: a cache may keep a copy
but asks again each time (a 304 costs little), so a withdrawal is effective on the very next
request even through a cache (decision 0023).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal, TypeVar

import anyio.to_thread
from fastapi import APIRouter, Path, Query, Request, Response

from factory_journey.services.open_data import aggregates, public_parks, public_read, releases
from factory_journey.store.database import transaction
from factory_journey.web.deps import PRINTABLE, FacilityId, ParkId, SessionDep
from factory_journey.web.public_cache import names_etag, shared
from factory_journey.web.responses import errors
from factory_journey.web.schemas_open_data import (
    PublicAggregates,
    PublicParkBody,
    PublicProfileBody,
    PublicSearchPage,
    ReleaseList,
)

router = APIRouter(prefix="/public", tags=["open data"])
T = TypeVar("T")

_JSON = "application/json"
CACHE_CONTROL = "public, no-cache"
_NOT_MODIFIED = {304: {"description": "Not modified: your copy (If-None-Match) is current"}}
ReleaseFileName = Literal[tuple(releases.FILES)]  # type: ignore[valid-type]
ReleaseRef = Annotated[
    str,
    Path(pattern=r"^(latest|[1-9][0-9]{0,8})$", description="a release number, or latest"),
]
Text = Annotated[str | None, Query(max_length=200, pattern=PRINTABLE)]


async def in_thread(request: Request, use_case: Callable[..., T], *args: object) -> T:
    """Run `use_case(session, *args)` in one transaction on one worker thread (one hop, the
    app's read limiter), as the signed-in hot reads do (deps.as_actor)."""
    factory = request.app.state.session_factory

    def work() -> T:
        with transaction(factory) as session:
            return use_case(session, *args)

    limiter = getattr(request.app.state, "read_limiter", None)
    return await anyio.to_thread.run_sync(work, limiter=limiter)


def cached(request: Request, content: bytes, etag: str, media_type: str = _JSON) -> Response:
    """The body, or 304 when the client's If-None-Match names its ETag."""
    tag = f'"{etag}"'
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    if names_etag(request.headers.get("if-none-match", ""), tag):
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=media_type, headers=headers)


@router.get(
    "/facilities",
    response_class=Response,
    responses={200: {"model": PublicSearchPage, "content": {_JSON: {}}}, **_NOT_MODIFIED},
)
async def search_facilities(
    request: Request,
    q: Annotated[Text, Query(description="part of the name, or the facility id")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
    park: Annotated[Text, Query(description="park id")] = None,
    os_hub_id: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{1,15}$")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=public_read.MAX_PAGE_SIZE)] = 20,
) -> Response:
    """Published facilities by name, country, park or Open Supply Hub id, a page at a time."""
    query = public_read.SearchQuery(q, country, park, os_hub_id, page, per_page)
    body = await in_thread(request, public_read.search, query)
    return shared(cached(request, body.content, body.etag))


@router.get(
    "/facilities/{facility_id}",
    response_class=Response,
    responses={
        200: {"model": PublicProfileBody, "content": {_JSON: {}}},
        **_NOT_MODIFIED,
        **errors(404, why={404: "The facility has published nothing (or withdrew)"}),
    },
)
async def get_public_facility(facility_id: FacilityId, request: Request) -> Response:
    """A published facility: indicators by year with units and verification status,
    methodology and reference versions, discharge status per year, licence."""
    body = await in_thread(request, public_read.profile, "facility", facility_id)
    return shared(cached(request, body.content, body.etag))


@router.get(
    "/parks",
    response_class=Response,
    responses={200: {"model": PublicSearchPage, "content": {_JSON: {}}}, **_NOT_MODIFIED},
)
async def search_parks(
    request: Request,
    q: Annotated[Text, Query(description="the start of the name, or the park id")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=public_read.MAX_PAGE_SIZE)] = 20,
) -> Response:
    """Published parks by name or country, a page at a time (their published members:
    /public/facilities?park=<park id>)."""
    query = public_parks.ParkQuery(q, country, page, per_page)
    body = await in_thread(request, public_parks.park_search, query)
    return shared(cached(request, body.content, body.etag))


@router.get(
    "/parks/{park_id}",
    response_class=Response,
    responses={
        200: {"model": PublicParkBody, "content": {_JSON: {}}},
        **_NOT_MODIFIED,
        **errors(404, why={404: "The park's operator has published nothing (or withdrew)"}),
    },
)
async def get_public_park(park_id: ParkId, request: Request) -> Response:
    """A published park: its indicators (totals of at least 5 members), shared facilities and
    the discharge status of its central effluent plant, requirement results and pillar scores
    by year, framework and reference versions, licence, and the members that published."""
    body = await in_thread(request, public_parks.park_profile, park_id)
    return shared(cached(request, body.content, body.etag))


@router.get(
    "/aggregates",
    response_class=Response,
    responses={200: {"model": PublicAggregates, "content": {_JSON: {}}}, **_NOT_MODIFIED},
)
def get_aggregates(
    request: Request,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> Response:
    """Median and mean per country, year and indicator, for groups of at least 5 publishers."""
    body = aggregates.peer_aggregates(session, year)
    return cached(request, body.content, body.etag)


@router.get(
    "/releases",
    response_class=Response,
    responses={200: {"model": ReleaseList, "content": {_JSON: {}}}, **_NOT_MODIFIED},
)
def list_releases(request: Request, session: SessionDep) -> Response:
    """The bulk releases that can be downloaded, newest first, with SHA-256 of each file."""
    body = public_read.json_body(releases.release_list(session))
    return cached(request, body.content, body.etag)


@router.get(
    "/releases/{release}/{name}",
    response_class=Response,
    responses={
        200: {
            "description": "The file",
            "content": {
                "text/csv": {},
                "application/vnd.apache.parquet": {},
                _JSON: {},
                "text/plain": {},
            },
        },
        **_NOT_MODIFIED,
        **errors(
            404, 410,
            why={
                404: "No such release (or none yet)",
                410: "The release was retired: a publisher withdrew its consent",
            },
        ),
    },
)
def get_release_file(
    release: ReleaseRef, name: ReleaseFileName, request: Request, session: SessionDep
) -> Response:
    """A file of a release (values.csv, values.parquet, values.json, facilities.json,
    dictionary.csv, LICENCE.txt, SHA256SUMS); `latest` is the newest release."""
    found = releases.release_file(session, release, name)
    response = cached(request, found.content, found.sha256, found.media_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="open-data-{found.release_id}-{name}"'
    )
    response.headers["X-Release"] = str(found.release_id)
    return response
