"""Every DateTime column gives back an aware UTC datetime, on SQLite (which keeps no zone)
and on PostgreSQL (which answers in the session's zone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import DateTime, select, text

from factory_journey.services.platform import accounts
from factory_journey.store.database import make_engine, migrate, session_factory, transaction
from factory_journey.store.models import ApiToken, Base, Organisation
from factory_journey.store.utc_datetime import UtcDateTime
from tests.database import test_database_url


def test_every_datetime_column_is_utc_aware():
    columns = [(table.name, column.name) for table in Base.metadata.tables.values()
               for column in table.columns
               if isinstance(getattr(column.type, "impl", column.type), DateTime)]
    assert len(columns) >= 10
    wrong = [(t, c) for t, c in columns
             if not isinstance(Base.metadata.tables[t].columns[c].type, UtcDateTime)]
    assert wrong == []


def test_values_come_back_aware_in_utc_whatever_zone_they_were_given_in(tmp_path_factory):
    engine = make_engine(test_database_url(tmp_path_factory))
    migrate(engine)
    factory = session_factory(engine)
    dhaka = timezone(timedelta(hours=6))
    with transaction(factory) as session:
        organisation = accounts.create_organisation(session, "Factory A", "factory_group")
        user = accounts.create_user(session, "a@test.example", "long enough pw", "A",
                                    organisation, "editor")
        session.add(ApiToken(user_id=user.id, token_sha256="x" * 64,
                             expires_at=datetime(2026, 12, 7, 5, 30, tzinfo=dhaka),
                             revoked_at=datetime(2026, 12, 6, 23, 45)))  # naive: taken as UTC
    with transaction(factory) as session:
        if engine.dialect.name == "postgresql":  # a session zone other than UTC changes nothing
            session.execute(text("SET LOCAL TIME ZONE 'Asia/Dhaka'"))
        token = session.scalars(select(ApiToken)).one()
        created = session.scalars(select(Organisation.created_at)).one()
        # a comparison in SQL binds through the same type
        later = session.scalars(select(ApiToken.id).where(
            ApiToken.expires_at > datetime(2026, 12, 6, 23, 29, tzinfo=UTC))).all()
    assert token.expires_at == datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    assert token.expires_at.tzinfo is UTC and token.revoked_at.tzinfo is UTC
    assert token.revoked_at == datetime(2026, 12, 6, 23, 45, tzinfo=UTC)
    assert created.tzinfo is UTC and abs(created - datetime.now(UTC)) < timedelta(minutes=5)
    assert later == [token.id]
