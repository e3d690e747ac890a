"""`journey committee`: an operator seats organisations; a wrong seat or name is refused."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from factory_journey.cli import app
from factory_journey.services.platform import accounts
from factory_journey.store.database import make_engine, migrate, session_factory, transaction


def test_an_operator_seats_an_organisation(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'journey.db'}"
    engine = make_engine(url)
    migrate(engine)
    with transaction(session_factory(engine)) as session:
        accounts.create_organisation(session, "ZDHC Foundation", "programme")
    engine.dispose()
    runner = CliRunner()
    done = runner.invoke(app, ["committee", "seat", "zdhc", "ZDHC Foundation", "--database", url])
    assert done.exit_code == 0, done.output
    listed = runner.invoke(app, ["committee", "seats", "--database", url])
    assert "zdhc (ZDHC): ZDHC Foundation" in listed.output
    assert "cascale (Cascale): vacant" in listed.output
    again = runner.invoke(app, ["committee", "seat", "zdhc", "ZDHC Foundation", "--database", url])
    assert again.exit_code == 2 and "held already" in again.output
    unknown = runner.invoke(app, ["committee", "seat", "nobody", "ZDHC Foundation",
                                  "--database", url])
    assert unknown.exit_code == 2 and "not one of the committee's seats" in unknown.output
