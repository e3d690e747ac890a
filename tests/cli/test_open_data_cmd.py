"""`journey open-data refresh` on a database: its outcome in words, nothing published yet."""

from __future__ import annotations

from typer.testing import CliRunner

from factory_journey.cli import app


def test_refresh_on_an_empty_platform(tmp_path):
    url = f"sqlite:///{tmp_path / 'journey.db'}"
    result = CliRunner().invoke(app, ["open-data", "refresh", "--database", url])
    assert result.exit_code == 0, result.output
    assert "Rebuilt 0 published snapshots" in result.output
    assert "no new release" in result.output
