"""The database tests run on: a SQLite file by default, or a fresh PostgreSQL database per
call when `JOURNEY_TEST_DATABASE_URL` points at a server (CI starts one, see .ci/run)."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text


def test_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    base = os.environ.get("JOURNEY_TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'journey.db'}"
    # One fresh PostgreSQL database per platform, so tests never see each other's rows.
    name = f"journey_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.rsplit("/", 1)[0] + f"/{name}"


test_database_url.__test__ = False  # type: ignore[attr-defined]
