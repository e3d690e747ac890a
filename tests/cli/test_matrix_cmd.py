"""`journey matrix`: exit 0 / 1 (input problems) / 2 (usage), located errors, JSON output."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import polars as pl
import pytest

from factory_journey.cli import app
from factory_journey.services import matrix as service
from tests.cli_outcome import HandledRunner
from tests.ingest.dataset_helpers import EXAMPLE, edit_table, example_copy, set_cell

runner = HandledRunner()


@pytest.fixture(autouse=True)
def stub_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    def build(tables: dict[str, pl.DataFrame]) -> Any:
        matrix = tables["profiles"].select("facility_id", "year").with_columns(
            pl.lit(True).alias("energy_complete"),
            pl.lit(False).alias("water_complete"),
            pl.lit(6).alias("water_months_reported"),
        )
        return SimpleNamespace(matrix=matrix, zdhc_levels=pl.DataFrame({"level": ["fail"]}),
                               provenance=pl.DataFrame({"_row": [2]}), versions={})

    monkeypatch.setattr(service, "build_matrix", build)


def test_success_prints_a_summary(tmp_path: Path) -> None:
    result = runner.invoke(app, ["matrix", str(EXAMPLE), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Facility-years" in result.output
    assert "2023–2024" in result.output
    assert (tmp_path / "out" / "matrix.parquet").is_file()


def test_bad_input_exits_1_with_located_errors(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    edit_table(folder, "water", lambda f: set_cell(f, 3, "quantity", "-10"))
    result = runner.invoke(app, ["matrix", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "water.csv, row 5, column quantity: Negative quantity" in result.output
    assert "errors.txt" in result.output
    assert not (tmp_path / "out" / "matrix.parquet").exists()


def test_existing_output_exits_2_and_force_replaces(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["matrix", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 2
    assert (out / "old.txt").exists()
    result = runner.invoke(app, ["matrix", str(EXAMPLE), "--out", str(out), "--force"])
    assert result.exit_code == 0
    assert not (out / "old.txt").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["matrix", str(EXAMPLE)]).exit_code == 2  # no --out
    missing = runner.invoke(app, ["matrix", str(tmp_path / "nowhere"), "--out", str(tmp_path)])
    assert missing.exit_code == 2
    assert "not found" in missing.output


def test_json_output(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["matrix", str(EXAMPLE), "--out", str(tmp_path / "out"), "--json"]
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["status"] == "ok"
    assert document["summary"]["facility_years"] == 6
    assert document["summary"]["complete_share"] == 0.0  # water has 6 months in the stub
