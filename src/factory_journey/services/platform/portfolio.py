"""An organisation's portfolio (every facility it may read, with its latest levels) and a
facility's report PDF, both read from the stored snapshots of `results`."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from factory_journey.reports.i18n import LANGUAGES
from factory_journey.services.platform.access import authorise
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import InvalidInput, NotFound
from factory_journey.services.platform.facilities import portfolio as portfolio_entries
from factory_journey.services.platform.results import (
    RenderedCache,
    SnapshotRef,
    current_snapshot,
)
from factory_journey.services.platform.snapshot_report import snapshot_report_data
from factory_journey.store.models import AssessmentSnapshot

#: Codes of the report languages (`report_pdf`'s `lang`).
REPORT_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)


@dataclass(frozen=True, slots=True)
class PortfolioLine:
    facility_id: str
    name: str
    country_iso2: str
    journey_factory_type: str | None
    relation: str
    scope: str | None
    year: int | None
    opportunity_levels: dict[str, str | None]
    snapshot_id: int


def portfolio(session: Session, actor: Actor) -> list[PortfolioLine]:
    """Every facility the actor may read the assessment of, with its latest year's levels."""
    lines: list[PortfolioLine] = []
    for entry in portfolio_entries(session, actor):
        facility = authorise(session, actor, "assessment.read", entry.facility.id)
        ref = current_snapshot(session, facility.id)
        levels, year = _latest_levels(session, ref)
        lines.append(
            PortfolioLine(
                facility.id,
                facility.name,
                facility.country_iso2,
                facility.journey_factory_type,
                entry.relation,
                entry.scope,
                year,
                levels,
                ref.id,
            )
        )
    return lines


_levels_cache: OrderedDict[tuple[str, int], tuple[dict[str, str | None], int | None]] = (
    OrderedDict()
)
_levels_lock = threading.Lock()


def _latest_levels(session: Session, ref: SnapshotRef) -> tuple[dict[str, str | None], int | None]:
    key = (str(session.get_bind().engine.url), ref.id)
    with _levels_lock:
        if key in _levels_cache:
            return _levels_cache[key]
    row = session.get(AssessmentSnapshot, ref.id)
    assert row is not None
    opportunities = row.result["parts"].get("opportunities", [])
    years = [o["year"] for o in opportunities if o.get("year") is not None]
    year = max(years) if years else None
    levels = {o["area"]: o["opportunity_level"] for o in opportunities if o["year"] == year}
    with _levels_lock:
        _levels_cache[key] = (levels, year)
        while len(_levels_cache) > 4096:
            _levels_cache.popitem(last=False)
    return levels, year


_pdfs = RenderedCache(size=64)


class _OnePerKey:
    """A lock per key while anyone holds it: requests for one report wait for one compile
    instead of each compiling the same PDF (compiles are the scarce resource, see
    `reports.render.CompilerPool`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[tuple[str, int, str], tuple[threading.Lock, int]] = {}

    @contextmanager
    def hold(self, key: tuple[str, int, str]) -> Iterator[None]:
        with self._lock:
            lock, users = self._held.get(key, (threading.Lock(), 0))
            self._held[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._lock:
                lock, users = self._held[key]
                if users == 1:
                    del self._held[key]
                else:
                    self._held[key] = (lock, users - 1)


_making = _OnePerKey()


def report_pdf(
    session: Session, actor: Actor, facility_id: str, lang: str = "en", year: int | None = None
) -> bytes:
    """The facility report (PDF) of its current snapshot, in `lang` (en, vi, zh, …)."""
    from factory_journey.reports.context import FacilityNotFoundError
    from factory_journey.reports.i18n import UnknownLanguageError, normalise_language
    from factory_journey.services.reports import render_facility

    authorise(session, actor, "report.read", facility_id)
    try:
        lang = normalise_language(lang)
    except UnknownLanguageError as error:
        raise InvalidInput(str(error)) from None
    ref = current_snapshot(session, facility_id)
    if not ref.submission_ids:
        raise NotFound(f"facility {facility_id} has no data to report on yet")
    key = (str(session.get_bind().engine.url), ref.id, f"pdf:{lang}:{year}")
    body = _pdfs.get(key)
    if body is not None:
        return body
    with _making.hold(key):
        body = _pdfs.get(key)  # made by the request this one waited for
        if body is not None:
            return body
        data = snapshot_report_data(session, ref)
        try:
            body = render_facility(data, facility_id, lang, "pdf", year=year)
        except FacilityNotFoundError as error:
            raise NotFound(str(error)) from None
        _pdfs.put(key, body)
        return body
