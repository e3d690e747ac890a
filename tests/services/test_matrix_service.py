"""build_matrix_files: all or nothing, an error report on bad input, metadata with hashes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import polars as pl
import pytest

from factory_journey.services import matrix as service
from tests.ingest.dataset_helpers import EXAMPLE, edit_table, example_copy, set_cell


def _stub_result(tables: dict[str, pl.DataFrame], rows: int | None = None) -> Any:
    keys = tables["profiles"].select("facility_id", "year")
    if rows is not None:
        keys = pl.DataFrame({"facility_id": [f"F{i}" for i in range(rows)], "year": [2024] * rows})
    matrix = keys.with_columns(
        pl.lit(True).alias("energy_complete"),
        pl.lit(None, pl.Boolean).alias("chemicals_complete"),
        pl.lit("finalProductAssembly;materialProduction").alias("facility_types"),
    )
    return SimpleNamespace(
        matrix=matrix,
        zdhc_levels=pl.DataFrame({"facility_id": ["CN-MILL-002"], "year": [2024],
                                  "parameter": ["cod"], "level": ["progressive"]}),
        provenance=pl.DataFrame({"facility_id": ["BD-CS-001"], "_row": [2]}),
        versions={"engine": "test"},
    )


@pytest.fixture
def stub_engine(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, pl.DataFrame]]:
    calls: list[dict[str, pl.DataFrame]] = []

    def build(tables: dict[str, pl.DataFrame]) -> Any:
        calls.append(tables)
        return _stub_result(tables)

    monkeypatch.setattr(service, "build_matrix", build)
    return calls


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_success_writes_every_output(tmp_path: Path, stub_engine: list[Any]) -> None:
    stages: list[str] = []
    out = tmp_path / "out"
    run = service.build_matrix_files(EXAMPLE, out, progress=lambda s, d, t: stages.append(s))
    assert run.ok, run.message
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "matrix.parquet", "matrix.csv", "matrix.json", "matrix.xlsx",
            "zdhc_levels.parquet", "zdhc_levels.csv", "zdhc_levels.json", "zdhc_levels.xlsx",
            "provenance.parquet", "metadata.json",
        ]
    )
    assert sorted(run.files_written) == sorted(p.name for p in out.iterdir())
    assert list(dict.fromkeys(stages)) == ["read", "validate", "build", "write"]
    assert set(stub_engine[0]) >= {"profiles", "energy", "water"}
    assert pl.read_parquet(out / "matrix.parquet").height == 6
    assert pl.read_csv(out / "matrix.csv").height == 6

    metadata = json.loads((out / "metadata.json").read_text("utf-8"))
    files = {f["name"]: f for f in metadata["input_files"]}
    energy = EXAMPLE / "energy.csv"
    assert files["energy.csv"]["sha256"] == hashlib.sha256(energy.read_bytes()).hexdigest()
    assert metadata["input_rows"]["energy"] == 240
    assert metadata["output_rows"] == {"matrix": 6, "zdhc_levels": 1, "provenance": 1}
    assert metadata["package"]["version"]
    assert "unit_aliases.csv" in metadata["reference_versions"]
    assert metadata["engine_versions"] == {"engine": "test"}

    summary = run.summary
    assert summary is not None
    assert (summary.facility_years, summary.facilities, summary.years) == (6, 3, [2023, 2024])
    assert summary.complete_share == 1.0
    assert _leftovers(tmp_path) == []


def test_a_large_matrix_is_parquet_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "build_matrix", lambda t: _stub_result(t, rows=1_001))
    run = service.build_matrix_files(EXAMPLE, tmp_path / "out")
    assert run.ok
    assert sorted(run.files_written) == ["matrix.parquet", "metadata.json", "provenance.parquet",
                                         "zdhc_levels.parquet"]
    assert set(run.formats["not_written"]) == {"csv", "json", "xlsx"}
    assert "1,001 facility-years" in run.formats["not_written"]["csv"]
    metadata = json.loads((tmp_path / "out" / "metadata.json").read_text("utf-8"))
    assert metadata["outputs"]["files"] == [*run.files_written]
    assert metadata["outputs"]["not_written"] == run.formats["not_written"]

    asked = service.build_matrix_files(EXAMPLE, tmp_path / "asked", formats="csv,json")
    assert asked.ok
    assert {"matrix.csv", "matrix.jsonl", "zdhc_levels.csv", "zdhc_levels.jsonl"} <= set(
        asked.files_written)
    assert pl.read_csv(tmp_path / "asked" / "matrix.csv").height == 1_001
    assert pl.read_ndjson(tmp_path / "asked" / "matrix.jsonl").height == 1_001
    assert asked.formats["written"] == ["parquet", "csv", "json"]
    assert asked.formats["not_written"] == {} and "json" in asked.formats["notes"]


def test_a_format_that_is_not_one_is_refused_before_any_work(tmp_path: Path) -> None:
    run = service.build_matrix_files(EXAMPLE, tmp_path / "out", formats="parquet,xml")
    assert run.status == "bad_options"
    assert "'xml' is not a format" in run.message and "csv" in run.message
    assert not (tmp_path / "out").exists()


def test_bad_input_writes_only_the_error_report(tmp_path: Path, stub_engine: list[Any]) -> None:
    folder = example_copy(tmp_path)
    edit_table(folder, "energy", lambda f: set_cell(f, 0, "unit", "furlongs"))
    out = tmp_path / "out"
    run = service.build_matrix_files(folder, out)
    assert run.status == "input_problems"
    assert stub_engine == []  # the engine never ran
    assert sorted(p.name for p in out.iterdir()) == ["errors.csv", "errors.json", "errors.txt"]
    errors = pl.read_csv(out / "errors.csv")
    first = errors.row(0, named=True)
    assert (first["file"], first["row"], first["column"], first["value"]) == (
        "energy.csv", 2, "unit", "furlongs")
    report = json.loads((out / "errors.json").read_text("utf-8"))
    assert report["errors"] == 1
    assert "energy.csv, row 2, column unit: Unknown unit" in (out / "errors.txt").read_text()
    assert _leftovers(tmp_path) == []


def test_failure_while_building_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(tables: dict[str, pl.DataFrame]) -> Any:
        raise RuntimeError("engine failed")

    monkeypatch.setattr(service, "build_matrix", broken)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        service.build_matrix_files(EXAMPLE, out)
    assert not out.exists()
    assert _leftovers(tmp_path) == []


def test_failure_while_writing_leaves_nothing_and_keeps_the_old_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stub_engine: list[Any]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "matrix.csv").write_text("old", encoding="utf-8")

    def write_then_fail(frame: pl.DataFrame, folder: Path, name: str, **_: Any) -> list[str]:
        (folder / f"{name}.parquet").write_bytes(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(service, "write_table", write_then_fail)
    with pytest.raises(OSError):
        service.build_matrix_files(EXAMPLE, out, force=True)
    assert [p.name for p in out.iterdir()] == ["matrix.csv"]
    assert (out / "matrix.csv").read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_existing_output_is_kept_unless_forced(tmp_path: Path, stub_engine: list[Any]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    run = service.build_matrix_files(EXAMPLE, out)
    assert run.status == "output_exists"
    assert "--force" in run.message
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert stub_engine == []

    forced = service.build_matrix_files(EXAMPLE, out, force=True)
    assert forced.ok
    assert not (out / "keep.txt").exists()
    assert (out / "matrix.parquet").is_file()
    assert _leftovers(tmp_path) == []


def test_an_empty_existing_folder_is_used(tmp_path: Path, stub_engine: list[Any]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert service.build_matrix_files(EXAMPLE, out).ok


def test_missing_dataset(tmp_path: Path) -> None:
    run = service.build_matrix_files(tmp_path / "nowhere", tmp_path / "out")
    assert run.status == "not_found"
    assert not (tmp_path / "out").exists()


def test_pilot_name_resolves_to_the_bundled_dataset() -> None:
    path = service.resolve_dataset("pilot")
    assert path.parts[-2:] == ("demo", "pilot")
    assert service.resolve_dataset(EXAMPLE) == EXAMPLE


def test_complete_share_counts_areas_with_data_only() -> None:
    matrix = pl.DataFrame(
        {
            "facility_id": ["A", "A", "B"],
            "year": [2023, 2024, 2023],
            "energy_complete": [True, True, False],
            "energy_months_reported": [12, 12, 7],
            "waste_complete": [True, None, None],  # annual value in 2023 only
            "waste_months_reported": [0, 0, 0],
            "chemicals_complete": [False, False, False],  # never reported
            "chemicals_months_reported": [0, 0, 0],
        }
    )
    summary = service.summarise(matrix, [])
    assert summary.complete_share == pytest.approx(2 / 3)
    assert summary.complete_share_by_area == {
        "energy": pytest.approx(2 / 3), "waste": 1.0, "chemicals": None}
    assert (summary.facility_years, summary.facilities, summary.years) == (3, 2, [2023, 2024])


def test_example_through_the_real_engine(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = service.build_matrix_files(EXAMPLE, out)
    assert run.ok, [p.describe() for p in run.problems]
    matrix = pl.read_parquet(out / "matrix.parquet")
    assert matrix.height == 6
    assert set(matrix["facility_id"]) == {"BD-CS-001", "CN-MILL-002", "VN-VERT-003"}
    assert pl.read_csv(out / "matrix.csv").height == 6
    metadata = json.loads((out / "metadata.json").read_text("utf-8"))
    assert metadata["output_rows"]["matrix"] == 6
    assert metadata["engine_versions"]
