"""Connecting to the database and bringing its schema up to date (Alembic)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_SQLITE_FILE = "journey.db"
#: How long a SQLite connection waits for another writer's transaction [s].
SQLITE_BUSY_SECONDS = 60.0


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else `JOURNEY_DATABASE_URL`, else `./journey.db` (SQLite)."""
    if url:
        return url
    env = os.environ.get("JOURNEY_DATABASE_URL")
    if env:
        return env
    return f"sqlite:///{Path.cwd() / DEFAULT_SQLITE_FILE}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url`; SQLite gets foreign keys and WAL so a killed server loses nothing."""
    resolved = database_url(url)
    if resolved.startswith("sqlite"):
        # One writer at a time: a request waits for a long import's commit rather than fail.
        engine = create_engine(
            resolved, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.close()

        return engine
    return create_engine(resolved, pool_pre_ping=True)


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema of `engine`'s database up to `revision` (idempotent)."""
    command.upgrade(_alembic_config(engine), revision)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed together, or not at all."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
