"""Migration 0016 on a database that already publishes: every profile gets its name and id
folded (in batches: more profiles than one batch), public values stay attached, the public
search finds the old rows by their folded names, and a downgrade drops the columns again."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from factory_journey.domain.name_folding import fold
from factory_journey.services.open_data import public_read
from factory_journey.services.platform import accounts
from factory_journey.store import database
from factory_journey.store.database import make_engine, migrate, session_factory, transaction
from tests.database import test_database_url

_MIGRATION = (Path(database.__file__).parent / "migrations" / "versions"
              / "0016_public_profile_folded.py")


def _batch() -> int:
    spec = importlib.util.spec_from_file_location("migration_0016", _MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return int(module.BATCH)


#: The tables as 0015 left them (the model has the new columns already).
_meta = sa.MetaData()
_consent = sa.Table(
    "publication_consent", _meta,
    *(sa.Column(name, kind) for name, kind in (
        ("id", sa.Integer()), ("subject_kind", sa.String()), ("subject_id", sa.String()),
        ("organisation_id", sa.Integer()), ("groups", sa.JSON()), ("years", sa.JSON()),
        ("effective_from", sa.DateTime(timezone=True)), ("licence_id", sa.String()),
        ("licences_version", sa.String()), ("granted_by", sa.Integer()),
        ("created_at", sa.DateTime(timezone=True)),
    )),
)
_profile = sa.Table(
    "public_profile", _meta,
    *(sa.Column(name, kind) for name, kind in (
        ("id", sa.Integer()), ("subject_kind", sa.String()), ("subject_id", sa.String()),
        ("consent_id", sa.Integer()), ("name", sa.String()), ("country_iso2", sa.String()),
        ("licence_id", sa.String()), ("methodology_version", sa.String()),
        ("reference_versions", sa.JSON()), ("discharge", sa.JSON()),
        ("published_at", sa.DateTime(timezone=True)), ("etag", sa.String()),
    )),
)
_value = sa.Table(
    "public_value", _meta,
    *(sa.Column(name, kind) for name, kind in (
        ("id", sa.Integer()), ("profile_id", sa.Integer()), ("year", sa.Integer()),
        ("indicator_group", sa.String()), ("indicator", sa.String()), ("value", sa.Float()),
        ("unit", sa.String()), ("verification_status", sa.String()),
    )),
)

NAMED = {"VN-001": "Hà Nội Dệt May", "TR-001": "İstanbul Tekstil", "DE-001": "Straße  Weberei"}


def test_0016_folds_the_profiles_already_published(tmp_path_factory):
    engine = make_engine(test_database_url(tmp_path_factory))
    migrate(engine, "0015")
    factory = session_factory(engine)
    with transaction(factory) as session:
        org = accounts.create_organisation(session, "Publisher", "factory_group")
        user = accounts.create_user(session, "p@test.example", "correct horse battery", "P",
                                    org, "admin")
        org_id, user_id = org.id, user.id
    many = _batch() + 3  # more than one batch
    names = {**NAMED, **{f"BD-{i:05d}": f"Dhaka Knit {i:05d}" for i in range(many)}}
    past = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(_consent.insert(), [{
            "id": 1, "subject_kind": "facility", "subject_id": "ALL", "organisation_id": org_id,
            "groups": ["energy"], "years": [], "effective_from": past,
            "licence_id": "CC-BY-4.0", "licences_version": "1", "granted_by": user_id,
            "created_at": past,
        }])
        connection.execute(_profile.insert(), [
            {"id": n, "subject_kind": "facility", "subject_id": subject_id, "consent_id": 1,
             "name": name, "country_iso2": subject_id[:2], "licence_id": "CC-BY-4.0",
             "methodology_version": "1", "reference_versions": {}, "discharge": [],
             "published_at": past, "etag": subject_id}
            for n, (subject_id, name) in enumerate(names.items(), start=1)
        ])
        connection.execute(_value.insert(), [
            {"id": 1, "profile_id": 1, "year": 2024, "indicator_group": "energy",
             "indicator": "total_energy_gj", "value": 1.5, "unit": "GJ",
             "verification_status": "self_reported"},
        ])

    migrate(engine)

    with engine.connect() as connection:
        stored = connection.execute(sa.text(
            "SELECT subject_id, name, name_folded, subject_id_folded FROM public_profile"
        )).all()
        assert connection.execute(sa.text("SELECT count(*) FROM public_value")).scalar() == 1
    assert len(stored) == len(names)
    assert all(row.name_folded == fold(row.name) and row.subject_id_folded == fold(row.subject_id)
               for row in stored)
    folded = {row.subject_id: row.name_folded for row in stored}
    assert (folded["VN-001"], folded["TR-001"], folded["DE-001"]) == (
        "ha noi det may", "istanbul tekstil", "strasse weberei")
    assert folded[f"BD-{many - 1:05d}"] == f"dhaka knit {many - 1:05d}"  # the last batch too
    columns = {c["name"]: c for c in sa.inspect(engine).get_columns("public_profile")}
    assert not columns["name_folded"]["nullable"]
    assert not columns["subject_id_folded"]["nullable"]
    with transaction(factory) as session:
        found = public_read.search_document(session, public_read.SearchQuery("ha noi"))
        assert [item["id"] for item in found["items"]] == ["VN-001"]
        found = public_read.search_document(session, public_read.SearchQuery("dhaka knit"))
        assert found["total"] == many

    command.downgrade(database._alembic_config(engine), "0015")
    columns = {c["name"] for c in sa.inspect(engine).get_columns("public_profile")}
    assert not {"name_folded", "subject_id_folded"} & columns
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM public_profile")).scalar() == (
            len(names))
    migrate(engine)  # and up again
    with engine.connect() as connection:
        assert connection.execute(sa.text(
            "SELECT name_folded FROM public_profile WHERE subject_id = 'TR-001'"
        )).scalar() == "istanbul tekstil"
    engine.dispose()
