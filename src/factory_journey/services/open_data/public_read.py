"""Public reads: search and profiles of published subjects, and the published values table.

Everything here starts from `consent_filter.visible_profiles`, so nothing unconsented and
nothing withdrawn can be read, and nothing reads a private table. Bodies carry an ETag (the
SHA-256 of what they say), so a client's cached copy is answered with 304.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import BindParameter, Connection, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from factory_journey.domain.name_folding import fold
from factory_journey.domain.timestamps import iso_utc
from factory_journey.engine.open_data import VALUE_SCHEMA
from factory_journey.services.open_data.consent_filter import visible_profiles
from factory_journey.services.open_data.licences import licence
from factory_journey.services.platform.errors import NotFound
from factory_journey.services.platform.results import RenderedCache
from factory_journey.store.like import LIKE_ESCAPE, like_literal
from factory_journey.store.models import (
    PublicationConsent,
    PublicProfile,
    PublicValue,
    utcnow,
)

#: The published values table (API rows, downloads): the subject's profile fields, then
#: the engine's long table of values (engine.open_data.VALUE_SCHEMA), in order.
VALUE_TABLE_SCHEMA: dict[str, Any] = {
    **{
        name: pl.String()
        for name in (
            "subject_kind", "subject_id", "name", "country_iso2", "park_id", "os_hub_id",
            "licence_id", "methodology_version",
        )
    },
    **VALUE_SCHEMA,
}
VALUE_TABLE_COLUMNS: tuple[str, ...] = tuple(VALUE_TABLE_SCHEMA)
MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class Body:
    """A rendered public answer and its validator."""

    content: bytes
    etag: str


#: Rendered public bodies by (database, snapshot id or -1, what): the platform's cache of
#: immutable bodies (results.py), so a repeated read serialises nothing.
_rendered = RenderedCache(1024)


def _cached(key: tuple[str, int, str], build: Callable[[], Body]) -> Body:
    content = _rendered.get(key)
    if content is not None:
        return Body(content, _etag(content))
    body = build()
    _rendered.put(key, body.content)
    return body


def _etag(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:32]


def json_body(document: dict[str, Any]) -> Body:
    content = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Body(content, _etag(content))


def _summary(profile: PublicProfile) -> dict[str, Any]:
    return {
        "kind": profile.subject_kind,
        "id": profile.subject_id,
        "name": profile.name,
        "country_iso2": profile.country_iso2,
        "park_id": profile.park_id,
        "os_hub_id": profile.os_hub_id,
        "published_at": iso_utc(profile.published_at),
    }


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """Published facilities whose name contains `q` (any case, accents ignored: see
    `searched_page`) or whose id is `q`, of
    `country` (ISO2), in `park`, or with that Open Supply Hub id; page `page` of `per_page`
    (at most MAX_PAGE_SIZE), by name."""

    q: str | None = None
    country: str | None = None
    park: str | None = None
    os_hub_id: str | None = None
    page: int = 1
    per_page: int = 20


def search(session: Session, query: SearchQuery) -> Body:
    """The answer to `query` as a JSON body, rendered once per visibility state."""
    return per_visibility_state(
        session,
        ["search", *dataclasses.astuple(query)],
        lambda: json_body(search_document(session, query)),
    )


def per_visibility_state(
    session: Session, question: list[Any], build: Callable[[], Body]
) -> Body:
    """The body `build` makes for `question`, made once per visibility state (see
    `visibility_state`): for answers computed over everything published."""
    key = (
        str(session.get_bind().engine.url),
        -1,
        json.dumps([visibility_state(session), question]),
    )
    return _cached(key, build)


def visibility_state(session: Session | Connection) -> tuple[int, ...]:
    """Counters that identify the set of visible snapshots: consents given, consents
    withdrawn (both only grow: any publication or withdrawal moves one), and the count and
    newest id of visible snapshots (between publications only an effective date reached,
    which adds one, or a rebuild, which makes new ids, changes them). Equal counters, equal
    set; so a cached page can never show a withdrawn subject. One statement, built once
    (it is read on every public request: web/public_cache.py)."""
    row = session.execute(_VISIBILITY_STATE, {"now": utcnow()}).one()
    return tuple(int(v or 0) for v in row)


def _visibility_statement() -> Select[Any]:
    given = select(func.count(PublicationConsent.id)).scalar_subquery()
    withdrawn = (
        select(func.count(PublicationConsent.id))
        .where(PublicationConsent.withdrawn_at.is_not(None))
        .scalar_subquery()
    )
    now: BindParameter[Any] = bindparam("now")
    visible = visible_profiles(func.count(), func.max(PublicProfile.id), now=now).subquery()
    return select(given, withdrawn, visible.c[0], visible.c[1])


_VISIBILITY_STATE = _visibility_statement()


def searched_page(
    session: Session,
    query: Select[Any],
    q: str | None,
    *,
    starts: bool,
    page: int,
    per_page: int,
) -> tuple[int, list[PublicProfile]]:
    """How many profiles `query` selects whose name contains `q` (begins with it, if
    `starts`) or whose id is `q`, and page `page` of them (`per_page` a page), by name then id.

    The words match as on the facilities list (`fold`, decision 0053): any case, Latin
    accents ignored ("ha noi" finds "Hà Nội", "istanbul" "İstanbul"). Neither SQLite nor
    PostgreSQL folds accents in `LIKE`, so each profile keeps its name and id folded
    (`name_folded`, `subject_id_folded`, written with them) and only the words are folded
    here: SQL filters, counts and pages, as without words. What is typed reaches SQL only as
    bound parameters, its `%`, `_` and `\\` escaped so that they match themselves. Without `q`
    (or with only spaces) everything `query` selects is kept.
    """
    words = fold(q or "")
    if words:
        pattern = like_literal(words) + "%"
        query = query.where(
            or_(
                PublicProfile.subject_id_folded == words,
                PublicProfile.name_folded.like(pattern if starts else "%" + pattern,
                                               escape=LIKE_ESCAPE),
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(PublicProfile.name, PublicProfile.subject_id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return total, list(rows)


def search_document(session: Session, search: SearchQuery) -> dict[str, Any]:
    """The search answer as a document (the API's body; the public search page's context)."""
    q, country, park, os_hub_id = search.q, search.country, search.park, search.os_hub_id
    query = visible_profiles().where(PublicProfile.subject_kind == "facility")
    if country:
        query = query.where(PublicProfile.country_iso2 == country.upper())
    if park:
        query = query.where(PublicProfile.park_id == park)
    if os_hub_id:
        query = query.where(PublicProfile.os_hub_id == os_hub_id.upper())
    per_page = max(1, min(search.per_page, MAX_PAGE_SIZE))
    page = max(1, search.page)
    total, rows = searched_page(session, query, q, starts=False, page=page, per_page=per_page)
    return {
        "page": page,
        "per_page": per_page,
        "total": total,
        "items": [_summary(row) for row in rows],
    }


def profile_document(session: Session, kind: str, subject_id: str) -> dict[str, Any]:
    """The published profile of a subject with its values by year; NotFound unless published."""
    row = session.scalars(
        visible_profiles().where(
            PublicProfile.subject_kind == kind, PublicProfile.subject_id == subject_id
        )
    ).first()
    if row is None:
        raise NotFound(f"no published {kind} of that id (never published, or withdrawn)")
    values = session.execute(
        select(
            PublicValue.year,
            PublicValue.indicator_group,
            PublicValue.indicator,
            PublicValue.value,
            PublicValue.value_text,
            PublicValue.unit,
            PublicValue.verification_status,
        )
        .where(PublicValue.profile_id == row.id)
        .order_by(PublicValue.year, PublicValue.id)
    ).all()
    years: dict[int, list[dict[str, Any]]] = {}
    for year, group, indicator, value, text, unit, status in values:
        years.setdefault(year, []).append(
            {
                "group": group,
                "indicator": indicator,
                "value": value,
                "value_text": text,
                "unit": unit,
                "verification_status": status,
            }
        )
    chosen = licence(row.licence_id)
    return {
        **_summary(row),
        "licence": {"id": chosen.id, "name": chosen.name, "url": chosen.url},
        "methodology_version": row.methodology_version,
        "reference_versions": row.reference_versions,
        "discharge": row.discharge,
        "years": [{"year": year, "values": items} for year, items in sorted(years.items())],
    }




def profile(session: Session, kind: str, subject_id: str) -> Body:
    """`profile_document` as a JSON body with its ETag (rendered once per snapshot)."""
    found = session.execute(
        visible_profiles(PublicProfile.id, PublicProfile.etag).where(
            PublicProfile.subject_kind == kind, PublicProfile.subject_id == subject_id
        )
    ).first()
    if found is None:
        raise NotFound(f"no published {kind} of that id (never published, or withdrawn)")
    key = (str(session.get_bind().engine.url), found[0], f"public:{found[1]}")
    return _cached(key, lambda: json_body(profile_document(session, kind, subject_id)))


def published_values(session: Session) -> pl.DataFrame:
    """Every published value with its subject's profile fields (VALUE_TABLE_COLUMNS), sorted."""
    query = visible_profiles(
        PublicProfile.subject_kind,
        PublicProfile.subject_id,
        PublicProfile.name,
        PublicProfile.country_iso2,
        PublicProfile.park_id,
        PublicProfile.os_hub_id,
        PublicProfile.licence_id,
        PublicProfile.methodology_version,
        PublicValue.year,
        PublicValue.indicator_group,
        PublicValue.indicator,
        PublicValue.value,
        PublicValue.value_text,
        PublicValue.unit,
        PublicValue.verification_status,
    ).join(PublicValue, PublicValue.profile_id == PublicProfile.id)
    rows = session.execute(
        query.order_by(
            PublicProfile.subject_kind, PublicProfile.subject_id, PublicValue.year,
            PublicValue.id,
        )
    ).all()
    return pl.DataFrame(
        [tuple(row) for row in rows], schema=VALUE_TABLE_SCHEMA, orient="row"
    )


def published_profiles(session: Session) -> list[dict[str, Any]]:
    """Every published profile (without values), for the bulk release's facilities file."""
    rows = session.scalars(
        visible_profiles().order_by(PublicProfile.subject_kind, PublicProfile.subject_id)
    ).all()
    return [
        {
            **_summary(row),
            "licence_id": row.licence_id,
            "methodology_version": row.methodology_version,
            "reference_versions": row.reference_versions,
            "discharge": row.discharge,
        }
        for row in rows
    ]

