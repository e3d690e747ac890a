"""`journey serve`'s start-up: demo accounts, the pilot dataset and its sharing, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from factory_journey.services.platform import bootstrap
from factory_journey.store.database import make_engine, session_factory, transaction
from factory_journey.store.models import Facility, SharingGrant, Submission, Upload, User
from tests.database import test_database_url


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (User, Facility, Submission, Upload, SharingGrant)
        }
    engine.dispose()
    return counts


def test_first_start_loads_the_demo_and_a_restart_changes_nothing(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("JOURNEY_ENV", "development")
    url = test_database_url(tmp_path_factory)
    first = bootstrap.prepare(url, warm=False)
    assert first.imported_facilities == 115
    sees = {line.email: line.sees for line in first.demo}
    assert sees["factory.admin@demo.test"].startswith("115 own facilities")
    assert sees["brand.analyst@demo.test"] == "39 shared (assessment)"
    assert sees["programme.officer@demo.test"] == "60 shared (matrix)"
    assert sees["verifier@demo.test"] == "10 shared (full)"
    assert all(line.password == bootstrap.DEMO_PASSWORD for line in first.demo)
    counts = _counts(url)
    assert counts["facility"] == 115 and counts["upload"] == 1
    assert counts["sharing_grant"] == 39 + 60 + 10

    again = bootstrap.prepare(url, warm=False)
    assert again.imported_facilities == 0
    assert _counts(url) == counts


def test_no_demo_outside_development(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("JOURNEY_ENV", "production")
    url = test_database_url(tmp_path_factory)
    prepared = bootstrap.prepare(url)
    assert prepared.demo == []
    assert _counts(url)["user_account"] == 0


def test_serve_command_is_registered():
    from typer.testing import CliRunner

    from factory_journey.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--database" in result.output and "--port" in result.output
