"""A peer recompute rebuilds only the facilities submitted since the last one (#14), and its
thresholds are those of a recompute that reads every facility afresh, byte for byte."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest
from sqlalchemy import delete, select

from factory_journey.demo import generate_dataset
from factory_journey.ingest import read_dataset
from factory_journey.services.platform import accounts, imports, peer_rows, peers
from factory_journey.store.database import make_engine, migrate, session_factory, transaction
from factory_journey.store.models import PeerInput
from tests.database import test_database_url

FACILITIES = 40


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    url = test_database_url(tmp_path_factory)
    engine = make_engine(url)
    migrate(engine)
    factory = session_factory(engine)
    folder = tmp_path_factory.mktemp("peer-cache-dataset")
    for name, frame in generate_dataset(FACILITIES, [2022, 2023], seed=11, messiness=0.0).items():
        frame.write_csv(folder / f"{name}.csv")
    dataset = read_dataset(folder)
    assert dataset.ok
    with transaction(factory) as session:
        org = accounts.create_organisation(session, "Group", "factory_group")
        accounts.create_user(session, "a@test.example", "correct horse battery", "A", org, "admin")
    with transaction(factory) as session:
        token = accounts.sign_in(session, "a@test.example", "correct horse battery")
    _import(factory, token, dataset)
    yield factory, token, dataset
    engine.dispose()


def _import(factory, token, dataset) -> None:
    with transaction(factory) as session:
        actor = accounts.actor_for_token(session, token)
        upload = imports.store_upload(session, actor, "d.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    done = imports.run_import(factory, job.id, actor, read_dataset=lambda _path: dataset)
    assert done.status == "succeeded", done.problems


def _only(dataset, ids: list[str], energy_factor: float):
    tables = {
        name: frame.filter(pl.col("facility_id").cast(pl.String).is_in(ids))
        if "facility_id" in frame.columns
        else frame
        for name, frame in dataset.tables.items()
    }
    tables["energy"] = tables["energy"].with_columns(pl.col(pl.Float64) * energy_factor)
    return dataclasses.replace(dataset, tables=tables)


def _cold_bytes(factory) -> bytes:
    with transaction(factory) as session:
        table, _ = peers.compute_peer_table(session, use_cache=False)
        session.rollback()
    return peers.table_bytes(table)


def _spy(monkeypatch) -> list[list[str] | None]:
    rebuilt: list[list[str] | None] = []
    real_build = peers._build

    def spying_build(session, facility_ids):
        rebuilt.append(facility_ids)
        return real_build(session, facility_ids)

    monkeypatch.setattr(peers, "_build", spying_build)
    return rebuilt


def _incremental(factory, monkeypatch) -> tuple[bytes, list[list[str] | None]]:
    rebuilt = _spy(monkeypatch)
    with transaction(factory) as session:
        table, facilities = peers.compute_peer_table(session)
    assert facilities == FACILITIES
    monkeypatch.undo()
    return peers.table_bytes(table), rebuilt


def test_an_incremental_recompute_equals_a_cold_one(platform, monkeypatch):
    factory, token, dataset = platform
    with transaction(factory) as session:
        session.execute(delete(PeerInput))
    with transaction(factory) as session:
        first, _ = peers.compute_peer_table(session)  # cold: builds and stores the rows
    assert first.height > 0
    assert peers.table_bytes(first) == _cold_bytes(factory)

    ids = sorted(dataset.tables["profiles"]["facility_id"].cast(pl.String).unique().to_list())
    changed = ids[:3]
    # Corrections of three facilities: too few for the import to keep their rows.
    _import(factory, token, _only(dataset, changed, 4.0))

    second, rebuilt = _incremental(factory, monkeypatch)
    assert rebuilt == [changed]  # only the facilities submitted since were read
    cold = _cold_bytes(factory)
    assert second == cold
    assert cold != peers.table_bytes(first)  # the corrections moved some threshold


def test_an_import_keeps_the_rows_a_cold_recompute_builds(platform, monkeypatch):
    """Rows written at import are those a rebuild from the tables gives: for facilities
    uploaded whole, and for one whose upload holds one year of two (its other year is read)."""
    factory, token, dataset = platform
    monkeypatch.setattr(peer_rows, "KEEP_FROM_FACILITIES", 1)
    ids = sorted(dataset.tables["profiles"]["facility_id"].cast(pl.String).unique().to_list())
    _import(factory, token, _only(dataset, ids[3:6], 0.25))
    one_year = _only(dataset, ids[6:7], 9.0)
    one_year = dataclasses.replace(
        one_year,
        tables={
            name: frame.filter(pl.col("year") == 2023) if "year" in frame.columns else frame
            for name, frame in one_year.tables.items()
        },
    )
    _import(factory, token, one_year)
    incremental, rebuilt = _incremental(factory, monkeypatch)
    assert rebuilt == []  # nothing read from the submitted tables
    assert incremental == _cold_bytes(factory)


def test_a_full_recompute_from_import_rows_reads_no_table(tmp_path_factory, monkeypatch):
    """On a platform whose every facility came through an import, the first recompute ever
    reads no submitted table and gives the thresholds of a cold one."""
    engine = make_engine(test_database_url(tmp_path_factory))
    migrate(engine)
    factory = session_factory(engine)
    folder = tmp_path_factory.mktemp("dataset")
    for name, frame in generate_dataset(12, [2023], seed=5, messiness=0.0).items():
        frame.write_csv(folder / f"{name}.csv")
    dataset = read_dataset(folder)
    with transaction(factory) as session:
        org = accounts.create_organisation(session, "G", "factory_group")
        accounts.create_user(session, "b@test.example", "correct horse battery", "B", org, "admin")
    with transaction(factory) as session:
        token = accounts.sign_in(session, "b@test.example", "correct horse battery")
    ids = sorted(dataset.tables["profiles"]["facility_id"].cast(pl.String).unique().to_list())
    monkeypatch.setattr(peer_rows, "KEEP_FROM_FACILITIES", 1)
    _import(factory, token, _only(dataset, ids[:6], 1.0))
    _import(factory, token, _only(dataset, ids[6:], 1.0))
    monkeypatch.setattr(peers, "_build", lambda *_: pytest.fail("tables were read"))
    with transaction(factory) as session:
        table, facilities = peers.compute_peer_table(session)
    monkeypatch.undo()
    assert facilities == 12
    assert peers.table_bytes(table) == _cold_bytes(factory)
    engine.dispose()


def test_nothing_submitted_since_reads_no_tables(platform, monkeypatch):
    factory, _token, _dataset = platform
    with transaction(factory) as session:
        peers.compute_peer_table(session)
    monkeypatch.setattr(peers, "_build", lambda *_: pytest.fail("tables were read again"))
    with transaction(factory) as session:
        table, _ = peers.compute_peer_table(session)
    assert peers.table_bytes(table) == _cold_bytes_without_spy(factory, monkeypatch)


def _cold_bytes_without_spy(factory, monkeypatch) -> bytes:
    monkeypatch.undo()
    return _cold_bytes(factory)


def test_a_cache_of_other_versions_is_never_used(platform, monkeypatch):
    factory, _token, dataset = platform
    with transaction(factory) as session:
        peers.compute_peer_table(session)
    monkeypatch.setattr(peers, "_versions_sha256", lambda: "0" * 64)
    read_all: list[object] = []
    real_build = peers._build
    monkeypatch.setattr(
        peers, "_build", lambda session, ids: read_all.append(ids) or real_build(session, ids)
    )
    with transaction(factory) as session:
        peers.compute_peer_table(session)
        keys = set(session.scalars(select(PeerInput.versions_sha256)))
    everyone = sorted(dataset.tables["profiles"]["facility_id"].cast(pl.String).unique())
    assert [i for ids in read_all for i in ids] == everyone  # every facility read afresh
    assert "0" * 64 in keys
