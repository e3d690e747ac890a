"""Outputs that fit the size (issue 14, decision 0019): Parquet always, the human formats when
small or asked for, JSON Lines instead of a JSON array nobody can open, xlsx refused beyond
Excel's sheets, and the same bytes on a rerun whatever the frames' memory layout."""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from factory_journey.cli import app
from factory_journey.services import output_formats
from factory_journey.services.assessment import assess_dataset, write_outputs
from factory_journey.services.output_formats import (
    SMALL_RESULT_MAX_FACILITY_YEARS,
    FormatError,
    parse_formats,
    plan_outputs,
)
from factory_journey.services.report_files import write_parquet
from factory_journey.services.spreadsheet_safety import sink_csv, write_csv

SMALL = SMALL_RESULT_MAX_FACILITY_YEARS


@pytest.fixture(scope="module")
def pilot():
    return assess_dataset("pilot")


@pytest.fixture
def pilot_is_large(monkeypatch: pytest.MonkeyPatch, pilot) -> int:
    """The pilot (345 facility-years) treated as a result too large for a person to open."""
    limit = pilot.matrix.height - 1
    monkeypatch.setattr(output_formats, "SMALL_RESULT_MAX_FACILITY_YEARS", limit)
    return limit


def test_format_values_are_read_and_bad_ones_named() -> None:
    assert parse_formats(None) == parse_formats("") == parse_formats(" ") == ("auto",)
    assert parse_formats("XLSX, csv,parquet") == ("parquet", "csv", "xlsx")
    assert parse_formats(["json", "auto"]) == ("auto", "json")
    with pytest.raises(FormatError) as raised:
        parse_formats("csv,tsv,xml")
    assert "'tsv', 'xml' is not a format" in str(raised.value)
    assert "auto (the default), parquet, csv, json, xlsx" in str(raised.value)


def test_auto_writes_the_human_formats_only_for_a_small_result() -> None:
    small = plan_outputs(("auto",), SMALL)
    assert small.formats == ("parquet", "csv", "json", "xlsx") and small.json == "json"
    assert small.not_written == {} == small.notes
    large = plan_outputs(("auto",), SMALL + 1)
    assert large.formats == ("parquet",)
    assert set(large.not_written) == {"csv", "json", "xlsx"}
    assert f"{SMALL + 1:,} facility-years" in large.not_written["csv"]
    assert plan_outputs(("parquet",), 3).formats == ("parquet",)


def test_json_asked_for_at_large_size_is_json_lines_and_xlsx_beyond_excel_is_refused() -> None:
    asked = plan_outputs(("auto", "json"), SMALL + 1)
    assert asked.json == "jsonl" and "JSON Lines" in asked.notes["json"]
    assert set(asked.not_written) == {"csv", "xlsx"}
    assert plan_outputs(("xlsx",), 10**6, {"Reasons": 1_048_575}).xlsx
    with pytest.raises(FormatError) as raised:
        plan_outputs(("xlsx",), 10**6, {"Reasons": 1_048_576, "Pathways": 10})
    assert "Reasons (1,048,576 rows)" in str(raised.value) and "Pathways" not in str(raised.value)
    assert "nothing was written" in str(raised.value)


def test_parquet_bytes_do_not_depend_on_how_the_frame_is_chunked(tmp_path: Path) -> None:
    rows = 600_000  # more than two row groups
    frame = pl.DataFrame({"id": range(rows), "x": [i * 0.5 for i in range(rows)],
                          "s": [f"f{i % 97}" for i in range(rows)]})
    pieces = pl.concat([frame.slice(i, 77_777) for i in range(0, rows, 77_777)], rechunk=False)
    assert pieces.n_chunks() > 1 and frame.n_chunks() == 1
    write_parquet(frame, tmp_path / "one.parquet")
    write_parquet(pieces, tmp_path / "many.parquet")
    assert filecmp.cmp(tmp_path / "one.parquet", tmp_path / "many.parquet", shallow=False)
    assert pl.read_parquet(tmp_path / "one.parquet").equals(frame)


def test_streamed_csv_is_the_written_csv_byte_for_byte(tmp_path: Path) -> None:
    frame = pl.DataFrame({"name": ["=1+1", "plain", "-5", None, "@x", "\t=2"],
                          "value": [1.5, -2.0, None, 3.25, 1e-7, 12345678.9]})
    write_csv(frame, tmp_path / "written.csv")
    sink_csv(frame.lazy(), tmp_path / "streamed.csv")
    assert (tmp_path / "written.csv").read_bytes() == (tmp_path / "streamed.csv").read_bytes()
    assert "\"'=1+1\"" in (tmp_path / "streamed.csv").read_text(encoding="utf-8")


def test_a_large_assessment_is_parquet_and_metadata_by_default(
    pilot, pilot_is_large: int, tmp_path: Path
) -> None:
    run = write_outputs(pilot, tmp_path / "out")
    assert run.ok, run.message
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(run.files_written)
    assert {Path(n).suffix for n in names} == {".parquet", ".json"} and "metadata.json" in names
    assert len(names) == 7
    metadata = json.loads((tmp_path / "out" / "metadata.json").read_text(encoding="utf-8"))
    outputs = metadata["outputs"]
    assert outputs["files"] == run.files_written
    assert outputs["written"] == ["parquet"] and outputs["asked"] == "auto"
    assert set(outputs["not_written"]) == {"csv", "json", "xlsx"}
    assert outputs["rows"]["indicators"] == pilot.result.indicators.height


def test_json_asked_for_at_large_size_streams_json_lines_and_reruns_identically(
    pilot, pilot_is_large: int, tmp_path: Path
) -> None:
    runs = [write_outputs(pilot, tmp_path / d, formats="csv,json") for d in ("a", "b")]
    assert all(r.ok for r in runs)
    files = runs[0].files_written
    assert "indicators.jsonl" in files and "indicators.csv" in files
    assert not any(f.endswith(".json") and f != "metadata.json" for f in files)
    lines = pl.read_ndjson(tmp_path / "a" / "opportunities.jsonl")
    assert lines.height == pilot.result.opportunities.height
    assert lines["facility_id"].to_list() == pilot.result.opportunities["facility_id"].to_list()
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", files,
                                               shallow=False)
    assert (mismatch, errors) == ([], []) and sorted(match) == sorted(files)


def test_xlsx_beyond_excel_is_refused_and_nothing_is_written(
    pilot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(output_formats, "EXCEL_MAX_ROWS", pilot.result.indicators.height)
    run = write_outputs(pilot, tmp_path / "out", formats="xlsx")
    assert run.status == "bad_options"
    assert "Reasons" in run.message and "--format csv" in run.message
    assert not (tmp_path / "out").exists()


def test_the_cli_says_what_it_wrote_and_why_not_the_rest(
    pilot_is_large: int, tmp_path: Path
) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["assess", "pilot", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Files: matrix.parquet, opportunities.parquet" in text
    assert "Not written: csv, json, xlsx (345 facility-years" in text
    assert "--format csv,json,xlsx writes them anyway" in text
    refused = runner.invoke(app, ["assess", "pilot", "--out", str(tmp_path / "x"),
                                  "--format", "csv,xls"])
    assert refused.exit_code == 2
    assert "'xls' is not a format" in " ".join(refused.output.split())
    assert not (tmp_path / "x").exists()


def test_every_format_reruns_byte_identical_across_processes_and_thread_counts(
    tmp_path: Path,
) -> None:
    """Two whole `journey assess` processes, one and two Polars threads: `cmp` every file."""
    src = Path(__file__).resolve().parents[2] / "src"
    for folder, threads, seed in (("a", "1", "1"), ("b", "2", "2")):
        env = {**os.environ, "POLARS_MAX_THREADS": threads, "PYTHONHASHSEED": seed,
               "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        done = subprocess.run(
            [sys.executable, "-c", "from factory_journey.cli import main; main()", "assess",
             "pilot", "--out",
             str(tmp_path / folder), "--format", "parquet,csv,json,xlsx", "--json"],
            env=env, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 6 * 3 + 2
    differ = [n for n in names
              if subprocess.run(["cmp", "-s", str(tmp_path / "a" / n), str(tmp_path / "b" / n)],
                                check=False).returncode != 0]
    assert differ == []
