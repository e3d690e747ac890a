"""A platform (a migrated database of the test run's kind) holding generated facilities,
imported by one factory-group user as a user's upload would be: for the tests of what the
platform computes over many facilities (peer snapshots, reports against the peers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from factory_journey.demo import generate_dataset
from factory_journey.ingest import ImportResult, read_dataset
from factory_journey.services.platform import accounts, imports
from factory_journey.store.database import make_engine, migrate, session_factory, transaction
from tests.database import test_database_url


@dataclass
class GeneratedPlatform:
    engine: Any
    factory: Any
    url: str
    #: the signed-in token of the group's admin, who uploaded every facility
    token: str
    #: the generated dataset's folder (CSV files) and the dataset read from it
    folder: Path
    dataset: ImportResult


def generated_platform(tmp_path_factory: pytest.TempPathFactory, name: str, facilities: int,
                       years: list[int], seed: int) -> GeneratedPlatform:
    """`facilities` generated facilities of `years` (no messiness), imported in one job."""
    url = test_database_url(tmp_path_factory)
    engine = make_engine(url)
    migrate(engine)
    factory = session_factory(engine)
    folder = tmp_path_factory.mktemp(name)
    for table, frame in generate_dataset(facilities, years, seed=seed, messiness=0.0).items():
        frame.write_csv(folder / f"{table}.csv")
    dataset = read_dataset(folder)
    assert dataset.ok
    with transaction(factory) as session:
        org = accounts.create_organisation(session, "Group", "factory_group")
        accounts.create_user(session, "a@test.example", "correct horse battery", "A", org, "admin")
    with transaction(factory) as session:
        token = accounts.sign_in(session, "a@test.example", "correct horse battery")
        actor = accounts.actor_for_token(session, token)
        upload = imports.store_upload(session, actor, "all.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    done = imports.run_import(factory, job.id, actor, read_dataset=lambda _path: dataset)
    assert done.status == "succeeded", done.problems
    return GeneratedPlatform(engine, factory, url, token, folder, dataset)
