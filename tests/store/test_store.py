"""The store on a real database: migrations, append-only submissions, atomic imports."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
import pytest
from sqlalchemy import func, inspect, select

from factory_journey.domain.problems import Problem, ProblemList
from factory_journey.services.platform import accounts, imports
from factory_journey.store.database import make_engine, migrate, session_factory, transaction
from factory_journey.store.models import Facility, ImportJob, Submission, SubmissionTable, Upload
from tests.database import test_database_url


@dataclass
class FakeResult:
    """Stands in for `ingest.read_dataset`'s result: tables and problems."""

    tables: dict[str, pl.DataFrame]
    problems: ProblemList = field(default_factory=ProblemList)

    @property
    def ok(self) -> bool:
        return not self.problems.has_errors


def _profiles(ids: list[str], year: int = 2023) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "facility_id": ids,
            "year": [year] * len(ids),
            "facility_name": [f"Name {i}" for i in ids],
            "country_iso2": ["BD"] * len(ids),
            "journey_factory_type": ["mill"] * len(ids),
        }
    )


def _energy(ids: list[str], year: int, quantity: float) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "facility_id": ids,
            "year": [year] * len(ids),
            "source": ["purchased_electricity"] * len(ids),
            "quantity_canonical": [quantity] * len(ids),
        }
    )


@pytest.fixture
def store(tmp_path_factory):
    engine = make_engine(test_database_url(tmp_path_factory))
    migrate(engine)
    factory = session_factory(engine)
    with transaction(factory) as session:
        org = accounts.create_organisation(session, "Factory A", "factory_group")
        accounts.create_user(session, "a@test.example", "long enough pw", "A", org, "editor")
        other = accounts.create_organisation(session, "Factory B", "factory_group")
        accounts.create_user(session, "b@test.example", "long enough pw", "B", other, "editor")
        token_a = accounts.sign_in(session, "a@test.example", "long enough pw")
        token_b = accounts.sign_in(session, "b@test.example", "long enough pw")
    with transaction(factory) as session:
        actor_a = accounts.actor_for_token(session, token_a)
        actor_b = accounts.actor_for_token(session, token_b)
    return engine, factory, actor_a, actor_b


def _import(factory, actor, result: FakeResult, name: str = "data.json") -> ImportJob:
    with transaction(factory) as session:
        upload = imports.store_upload(session, actor, name, "application/json", b"{}")
        job = imports.create_job(session, upload)
    return imports.run_import(factory, job.id, actor, read_dataset=lambda _path: result)


def test_migrations_are_idempotent(store):
    engine, *_ = store
    migrate(engine)  # a second run changes nothing and does not fail
    assert {"submission", "submission_table", "sharing_grant", "audit_event"} <= set(
        inspect(engine).get_table_names()
    )


def test_corrections_are_new_versions_and_all_stay_readable(store):
    _engine, factory, actor, _ = store
    first = _import(
        factory,
        actor,
        FakeResult({"profiles": _profiles(["F1"]), "energy": _energy(["F1"], 2023, 100.0)}),
    )
    second = _import(
        factory,
        actor,
        FakeResult({"profiles": _profiles(["F1"]), "energy": _energy(["F1"], 2023, 120.0)}),
    )
    assert (first.status, second.status) == ("succeeded", "succeeded")
    with transaction(factory) as session:
        versions = session.scalars(
            select(Submission.version)
            .where(Submission.facility_id == "F1")
            .order_by(Submission.version)
        ).all()
        assert versions == [1, 2]
        latest = imports.latest_tables(session, ["F1"])
    assert latest["energy"]["quantity_canonical"].to_list() == [120.0]


def test_an_import_that_fails_half_way_leaves_the_database_as_it_was(store):
    _engine, factory, actor_a, actor_b = store
    # Factory B owns F2; A's file holds F1 (fine) then F2 (not A's): nothing of it may land.
    _import(factory, actor_b, FakeResult({"profiles": _profiles(["F2"])}))
    with transaction(factory) as session:
        before = session.scalar(select(func.count()).select_from(Submission))
        tables_before = session.scalar(select(func.count()).select_from(SubmissionTable))
    job = _import(
        factory,
        actor_a,
        FakeResult(
            {"profiles": _profiles(["F1", "F2"]), "energy": _energy(["F1", "F2"], 2023, 5.0)}
        ),
    )
    assert job.status == "failed"
    assert "belongs to another organisation" in job.problems[0]["message"]
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == before
        assert session.scalar(select(func.count()).select_from(SubmissionTable)) == tables_before
        assert session.get(Facility, "F1") is None
        # The raw upload is kept, whatever became of the import.
        assert session.scalar(select(func.count()).select_from(Upload)) == 2


def test_input_problems_fail_the_job_with_a_located_report(store):
    _engine, factory, actor, _ = store
    problems = ProblemList()
    problems.add(Problem("unknown unit", file="energy.csv", row=4, column="unit", value="kwhh"))
    job = _import(factory, actor, FakeResult({}, problems))
    assert job.status == "failed"
    assert job.problems[0]["row"] == 4 and job.problems[0]["column"] == "unit"
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0
