"""Public reads of published parks: search and the park profile (beside `public_read`).

Like every public read, they start from `consent_filter.visible_profiles`. A park's profile
lists its members only as the facilities that published themselves (visible facility
snapshots whose park is this one), linking to their own profiles: nothing of a member that
did not publish is read, and nothing of a member comes through the park's snapshot.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Any

from sqlalchemy.orm import Session

from factory_journey.services.open_data.consent_filter import visible_profiles
from factory_journey.services.open_data.public_read import (
    MAX_PAGE_SIZE,
    Body,
    _summary,
    json_body,
    per_visibility_state,
    profile_document,
    searched_page,
)
from factory_journey.services.platform.errors import NotFound
from factory_journey.store.models import PublicProfile


@dataclass(frozen=True, slots=True)
class ParkQuery:
    """Published parks whose name starts with `q` (any case, accents ignored: see
    `public_read.searched_page`) or whose id is `q`, of `country` (ISO2); page `page` of
    `per_page` (at most MAX_PAGE_SIZE), by name."""

    q: str | None = None
    country: str | None = None
    page: int = 1
    per_page: int = 20


def park_search_document(session: Session, search: ParkQuery) -> dict[str, Any]:
    """The park search answer as a document (API body; the search page's parks)."""
    query = visible_profiles().where(PublicProfile.subject_kind == "park")
    if search.country:
        query = query.where(PublicProfile.country_iso2 == search.country.upper())
    per_page = max(1, min(search.per_page, MAX_PAGE_SIZE))
    page = max(1, search.page)
    total, rows = searched_page(session, query, search.q, starts=True, page=page,
                                per_page=per_page)
    return {"page": page, "per_page": per_page, "total": total,
            "items": [_summary(row) for row in rows]}


def park_search(session: Session, query: ParkQuery) -> Body:
    """`park_search_document` as a JSON body, rendered once per visibility state."""
    return per_visibility_state(session, ["parks", *astuple(query)],
                                lambda: json_body(park_search_document(session, query)))


def published_members(session: Session, park_id: str) -> list[dict[str, Any]]:
    """The park's members that published themselves (their public summaries), by name."""
    rows = session.scalars(
        visible_profiles().where(PublicProfile.subject_kind == "facility",
                                 PublicProfile.park_id == park_id)
        .order_by(PublicProfile.name, PublicProfile.subject_id)
    ).all()
    return [_summary(row) for row in rows]


def park_document(session: Session, park_id: str) -> dict[str, Any]:
    """The published profile of a park: its values by year (each with its group), the
    discharge status of its central effluent plants, and its published members."""
    document = profile_document(session, "park", park_id)
    document["members"] = published_members(session, park_id)
    return document


def park_profile(session: Session, park_id: str) -> Body:
    """`park_document` as a JSON body with its ETag; NotFound unless the park is published.
    Rendered once per visibility state (its member list follows the members' consents)."""
    found = session.scalar(visible_profiles(PublicProfile.id).where(
        PublicProfile.subject_kind == "park", PublicProfile.subject_id == park_id))
    if found is None:
        raise NotFound("no published park of that id (never published, or withdrawn)")
    return per_visibility_state(session, ["park", park_id],
                                lambda: json_body(park_document(session, park_id)))
