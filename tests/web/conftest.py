"""A real database (SQLite file per test module, or PostgreSQL when JOURNEY_TEST_DATABASE_URL
is set) with organisations of every kind, users of every role and one facility, F1 (years 2022
and 2023 of a generated dataset, imported by Factory A through the import service)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient

from factory_journey.demo import generate_dataset
from factory_journey.ingest import read_dataset
from factory_journey.services.platform import accounts, imports
from factory_journey.store.database import make_engine, session_factory, transaction
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
    with transaction(factory) as session:
        for name, *_ in ACTORS:
            tokens[name] = accounts.sign_in(session, f"{name}@test.example", PASSWORD)
    import_f1(factory, tokens["owner_admin"])
    return Platform(TestClient(app), tokens, organisations, factory)


@lru_cache(maxsize=1)
def f1_dataset():  # type: ignore[no-untyped-def]
    """A tidy generated dataset of one facility, renamed F1, read once by the real reader."""
    tables = generate_dataset(1, [2022, 2023], seed=11, messiness=0.0)
    folder = Path(tempfile.mkdtemp(prefix="journey-f1-"))
    for name, frame in tables.items():
        if "facility_id" in frame.columns:
            frame = frame.with_columns(facility_id=pl.lit("F1"))
        if name == "profiles":
            frame = frame.with_columns(facility_name=pl.lit("Facility One"))
        frame.write_csv(folder / f"{name}.csv")
    result = read_dataset(folder)
    assert result.ok, [p.to_dict() for p in result.problems][:5]
    return result


def import_f1(factory, token: str) -> None:  # type: ignore[no-untyped-def]
    with transaction(factory) as session:
        owner = accounts.actor_for_token(session, token)
        upload = imports.store_upload(session, owner, "f1.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    done = imports.run_import(factory, job.id, owner, read_dataset=lambda _path: f1_dataset())
    assert done.status == "succeeded", done.problems
