"""A database of published subjects for the open-data search tests: each subject with its
publication consent (in force, withdrawn or not yet in force) and its public profile."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from factory_journey.services.platform import accounts
from factory_journey.store.database import make_engine, migrate, session_factory, transaction
from factory_journey.store.models import PublicationConsent, PublicProfile, utcnow

#: (kind, id, name, country, consent: "in force" | "withdrawn" | "future")
Subject = tuple[str, str, str, str, str]


def published(database_url: str, subjects: Iterable[Subject]
              ) -> tuple[Engine, sessionmaker[Session]]:
    """A migrated database at `database_url` in which one organisation published `subjects`."""
    engine = make_engine(database_url)
    migrate(engine)
    factory = session_factory(engine)
    now = utcnow()
    with transaction(factory) as session:
        org = accounts.create_organisation(session, "Publisher", "factory_group")
        user = accounts.create_user(session, "p@test.example", "correct horse battery", "P",
                                    org, "admin")
        for kind, subject_id, name, country, state in subjects:
            consent = PublicationConsent(
                subject_kind=kind, subject_id=subject_id, organisation_id=org.id,
                groups=["energy"], years=[], licence_id="CC-BY-4.0", licences_version="1",
                granted_by=user.id,
                effective_from=now + timedelta(days=30) if state == "future"
                else now - timedelta(days=1),
                withdrawn_at=now if state == "withdrawn" else None,
                withdrawn_by=user.id if state == "withdrawn" else None,
            )
            session.add(consent)
            session.flush()
            session.add(PublicProfile(
                subject_kind=kind, subject_id=subject_id, consent_id=consent.id, name=name,
                country_iso2=country, licence_id="CC-BY-4.0", methodology_version="1",
                reference_versions={}, discharge=[], etag=subject_id,
            ))
    return engine, factory
