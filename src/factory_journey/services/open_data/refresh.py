"""Refresh what is published: rebuild every snapshot in force from the latest data (new
years, corrections, verifications, consents whose date has come) and make a new release
when anything changed. Run by `journey open-data refresh` (e.g. daily)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy.orm import Session

from factory_journey.services.open_data import releases, snapshot


@dataclass(frozen=True, slots=True)
class Refreshed:
    subjects: int
    release_id: int | None  # None: the published data did not change (or nothing published)
    seconds: float


def refresh(session: Session) -> tuple[int, int | None]:
    """Rebuild every snapshot in force and make a release when the published data changed:
    (snapshots rebuilt, new release id or None)."""
    count = snapshot.refresh_all(session)
    release = releases.refresh(session)
    return count, release.id if release is not None else None


def refresh_in_database(database_url: str | None) -> Refreshed:
    """Refresh the platform at `database_url` (None: the default database) in one
    transaction."""
    from factory_journey.store.database import make_engine, migrate, session_factory, transaction

    engine = make_engine(database_url)
    try:
        migrate(engine)
        started = time.perf_counter()
        with transaction(session_factory(engine)) as session:
            count, release_id = refresh(session)
        return Refreshed(count, release_id, time.perf_counter() - started)
    finally:
        engine.dispose()
