"""Open data (#17): peer aggregates come only from published values, and only for groups of
at least 5 contributing facilities; a withdrawal below 5 removes the group."""

from __future__ import annotations

import json

import polars as pl
import pytest

from factory_journey.demo import generate_dataset
from factory_journey.ingest import read_dataset
from factory_journey.services.open_data import aggregates, public_read, publish
from factory_journey.services.platform import accounts, imports
from factory_journey.store.database import make_engine, migrate, session_factory, transaction
from factory_journey.store.models import Facility
from tests.database import test_database_url

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    engine = make_engine(test_database_url(tmp_path_factory))
    migrate(engine)
    factory = session_factory(engine)
    folder = tmp_path_factory.mktemp("aggregates-dataset")
    for name, frame in generate_dataset(7, [2023], seed=3, messiness=0.0).items():
        frame.write_csv(folder / f"{name}.csv")
    dataset = read_dataset(folder)
    assert dataset.ok
    with transaction(factory) as session:
        org = accounts.create_organisation(session, "Group", "factory_group")
        accounts.create_user(session, "a@test.example", PASSWORD, "A", org, "admin")
    with transaction(factory) as session:
        token = accounts.sign_in(session, "a@test.example", PASSWORD)
        actor = accounts.actor_for_token(session, token)
        upload = imports.store_upload(session, actor, "all.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    assert imports.run_import(factory, job.id, actor, read_dataset=lambda _p: dataset).status \
        == "succeeded"
    with transaction(factory) as session:  # one country, so that they form one peer group
        for facility in session.query(Facility):
            facility.country_iso2 = "BD"
    yield factory, token
    engine.dispose()


def _groups(factory) -> list[dict]:
    with transaction(factory) as session:
        return json.loads(aggregates.peer_aggregates(session).content)["groups"]


def test_groups_of_five_published_facilities_only(platform):
    factory, token = platform
    ids = [f"FJ-{n:04d}" for n in range(1, 8)]
    with transaction(factory) as session:
        actor = accounts.actor_for_token(session, token)
        for facility_id in ids[:5]:
            publish.publish(session, actor, facility_id, ["energy"])
        publish.publish(session, actor, ids[5], ["water"])
        # ids[6] publishes nothing
    groups = _groups(factory)
    assert groups, "five facilities published energy: their groups are shown"
    assert {g["indicator"] for g in groups} <= {
        "energy_total_mj", "energy_electric_mj", "energy_thermal_mj", "energy_renewable_mj",
        "renewable_share", "coal_share_thermal", "fossil_share_thermal",
        "energy_intensity_mj_per_pc", "energy_intensity_mj_per_kg",
        "energy_intensity_mj_per_unit",
    }  # water: one contributor, never shown
    with transaction(factory) as session:
        values = public_read.published_values(session)
    total = groups[[g["indicator"] for g in groups].index("energy_total_mj")]
    published = values.filter(pl.col("indicator") == "energy_total_mj")["value"]
    assert total["contributors"] == 5
    assert total["median"] == pytest.approx(published.median())

    with transaction(factory) as session:
        publish.withdraw(session, accounts.actor_for_token(session, token), ids[0])
    assert _groups(factory) == []  # four left: below the minimum
