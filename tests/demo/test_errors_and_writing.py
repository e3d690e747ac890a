"""Hard-error injection, the writer service and the CLI."""

from __future__ import annotations

import json

import polars as pl
import pytest
from typer.testing import CliRunner

from factory_journey.demo import generate_dataset, inject_errors
from factory_journey.services.demo_data import (
    OutputExistsError,
    make_demo_data,
    write_dataset,
)


@pytest.fixture(scope="module")
def small():
    return generate_dataset(20, [2021, 2022], 9)


def test_inject_errors_plants_every_kind(small):
    bad, planted = inject_errors(small, seed=1)
    kinds = {e.kind for e in planted}
    assert len(kinds) >= 15
    assert "duplicate row" in kinds
    assert bad["energy"].height == small["energy"].height + 1
    for e in planted:
        if e.kind != "duplicate row":
            assert str(bad[e.table][e.column][e.row]) == e.value or e.value == "None"


def test_injected_errors_are_all_reported(tmp_path, small):
    from factory_journey.ingest import read_dataset

    bad, planted = inject_errors(small, seed=1)
    write_dataset(bad, tmp_path / "bad", "csv")
    errors = [p for p in read_dataset(tmp_path / "bad").problems
              if p.severity.value == "error"]
    located = {(p.file.rsplit(".", 1)[0], p.row) for p in errors}
    tables_with_errors = {p.file.rsplit(".", 1)[0] for p in errors}
    for e in planted:
        if e.kind == "unknown facility":  # reported once per facility, not per row
            assert "energy" in tables_with_errors
            continue
        assert (e.table, e.row + 2) in located, e


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json", "xlsx"])
def test_write_formats(tmp_path, small, fmt):
    files = write_dataset(small, tmp_path / fmt, fmt)
    assert all(f.is_file() for f in files)
    if fmt == "json":
        document = json.loads(files[0].read_text(encoding="utf-8"))
        assert set(document) == set(small)
        assert len(document["energy"]) == small["energy"].height
    if fmt == "parquet":
        back = pl.read_parquet(tmp_path / fmt / "energy.parquet")
        assert back.equals(small["energy"])


def test_output_is_atomic_and_not_overwritten(tmp_path, small):
    target = tmp_path / "out"
    write_dataset(small, target, "csv")
    with pytest.raises(OutputExistsError):
        write_dataset(small, target, "csv")
    write_dataset(small, target, "csv", force=True)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_make_demo_data_reports_progress(tmp_path):
    steps: list[str] = []
    result = make_demo_data(10, "2021-2022", 1, tmp_path / "d", "csv", on_step=steps.append)
    assert len(steps) == 20
    assert result.rows["profiles"] == 20


def test_cli_demo_data(tmp_path):
    from factory_journey.cli import app

    out = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo-data", "--facilities", "12", "--years",
                                      "2021-2023", "--seed", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "profiles.csv").is_file()
    again = CliRunner().invoke(app, ["demo-data", "--facilities", "12", "--out", str(out)])
    assert again.exit_code == 2
    bad = CliRunner().invoke(app, ["demo-data", "--out", str(tmp_path / "x"), "--years", "abc"])
    assert bad.exit_code != 0
