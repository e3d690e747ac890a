"""A real database (SQLite file per test module, or PostgreSQL when JOURNEY_TEST_DATABASE_URL
is set) with organisations of every kind, users of every role and one facility."""

from __future__ import annotations

import io
from dataclasses import dataclass

import polars as pl
import pytest
from fastapi.testclient import TestClient

from factory_journey.services.platform import accounts
from factory_journey.store.database import make_engine, session_factory, transaction
from factory_journey.store.models import Facility, Submission, SubmissionTable
from factory_journey.web.app import create_app
from factory_journey.web.settings import Settings
from tests.database import test_database_url

PASSWORD = "correct horse battery"

#: (name, organisation, kind, role)
ACTORS = (
    ("owner_admin", "Factory A", "factory_group", "admin"),
    ("owner_editor", "Factory A", "factory_group", "editor"),
    ("owner_viewer", "Factory A", "factory_group", "viewer"),
    ("brand_viewer", "Brand", "brand", "viewer"),
    ("programme_admin", "Programme", "programme", "admin"),
    ("verifier_editor", "Verifier", "verifier", "editor"),
    ("verifier_viewer", "Verifier", "verifier", "viewer"),
    ("other_factory_admin", "Factory B", "factory_group", "admin"),
)


@dataclass
class Platform:
    client: TestClient
    tokens: dict[str, str]
    organisations: dict[str, int]
    factory: object

    def headers(self, actor: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[actor]}"}


def make_platform(tmp_path_factory: pytest.TempPathFactory) -> Platform:
    engine = make_engine(test_database_url(tmp_path_factory))
    settings = Settings("development", None, secure_cookies=False, demo_accounts=False)
    app = create_app(engine, settings)
    factory = session_factory(engine)
    organisations: dict[str, int] = {}
    tokens: dict[str, str] = {}
    with transaction(factory) as session:
        for name, org_name, kind, role in ACTORS:
            if org_name not in organisations:
                organisations[org_name] = accounts.create_organisation(session, org_name, kind).id
            org = session.get(accounts.Organisation, organisations[org_name])
            accounts.create_user(session, f"{name}@test.example", PASSWORD, name, org, role)
        session.add(
            Facility(
                id="F1",
                name="Facility One",
                country_iso2="BD",
                owner_organisation_id=organisations["Factory A"],
                journey_factory_type="mill",
            )
        )
        session.flush()
        submission = Submission(facility_id="F1", year=2023, version=1, created_by=1)
        session.add(submission)
        session.flush()
        buffer = io.BytesIO()
        pl.DataFrame({"facility_id": ["F1"], "year": [2023], "source": ["coal"]}).write_parquet(
            buffer
        )
        session.add(
            SubmissionTable(
                submission_id=submission.id,
                table_name="energy",
                row_count=1,
                content=buffer.getvalue(),
            )
        )
    with transaction(factory) as session:
        for name, *_ in ACTORS:
            tokens[name] = accounts.sign_in(session, f"{name}@test.example", PASSWORD)
    return Platform(TestClient(app), tokens, organisations, factory)
