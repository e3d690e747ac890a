"""Every crash keeps its own log (time and process id in the name), never one overwritten
file (#13)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

import factory_journey.cli as cli
from factory_journey.cli.crash_log import write_crash_log


def test_two_crashes_in_the_same_second_keep_two_logs(tmp_path):
    first = write_crash_log("first details", tmp_path)
    second = write_crash_log("second details", tmp_path)
    assert first != second
    assert first.read_text(encoding="utf-8") == "first details"
    assert second.read_text(encoding="utf-8") == "second details"
    assert re.fullmatch(rf"journey-error-\d{{8}}T\d{{6}}Z-{os.getpid()}\.log", first.name)


def test_the_command_line_names_a_new_log_for_each_unexpected_error(
    tmp_path, monkeypatch, capsys
):
    def crash() -> None:
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(cli, "app", crash)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    logs = []
    for _ in range(2):
        with pytest.raises(SystemExit) as stopped:
            cli.main()
        assert stopped.value.code == 70
        said = capsys.readouterr().err
        assert "Traceback" not in said and "unexpected error" in said
        logs.append(re.search(r"details are in (\S+)\.", said)[1])  # type: ignore[index]
    assert len(set(logs)) == 2
    assert sorted(str(p) for p in tmp_path.glob("journey-error-*.log")) == sorted(logs)
    for log in logs:
        assert "RuntimeError: a bug of ours" in Path(log).read_text(encoding="utf-8")
