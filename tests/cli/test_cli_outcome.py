"""`assert_handled` fails when a command breaks, where the old "no Traceback" check passed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import factory_journey.cli as cli
from factory_journey.cli import app
from factory_journey.services import matrix
from tests.cli_outcome import assert_handled
from tests.ingest.dataset_helpers import EXAMPLE


def _broken(*args: object, **kwargs: object) -> None:
    raise RuntimeError("a bug of ours")


def test_a_broken_command_fails_the_check_under_clirunner(tmp_path, monkeypatch):
    monkeypatch.setattr(matrix, "build_matrix", _broken)
    result = CliRunner().invoke(app, ["matrix", str(EXAMPLE), "--out", str(tmp_path / "out")])
    assert "Traceback" not in result.output, "the old check passes on a crash"
    with pytest.raises(AssertionError, match="RuntimeError: a bug of ours"):
        assert_handled(result)


def test_a_broken_command_fails_the_check_through_the_last_guard(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(matrix, "build_matrix", _broken)
    monkeypatch.setattr("sys.argv", ["journey", "matrix", str(EXAMPLE), "--out",
                                     str(tmp_path / "out")])
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    said = capsys.readouterr()

    class Finished:  # what subprocess.run would have returned
        returncode = stopped.value.code
        stdout, stderr = said.out, said.err

    assert "Traceback" not in said.err, "the old check passes on a crash"
    with pytest.raises(AssertionError):
        assert_handled(Finished())


def test_a_handled_refusal_passes_the_check(tmp_path):
    result = CliRunner().invoke(app, ["matrix", str(tmp_path / "nowhere"), "--out",
                                      str(tmp_path / "out")])
    assert result.exit_code == 2
    assert_handled(result)
