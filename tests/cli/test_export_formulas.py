"""No live formula in any CSV or XLSX file the CLI writes (OWASP CSV injection).

A dataset whose free-text fields (facility name, park, air source name, ZDHC report id,
programme link and rating, the dataset's own name) carry every formula trigger goes through
`journey matrix`, `assess` and `evaluate`; a broken one through the error report; then
`demo-data` (CSV and XLSX, with planted errors) and `profile template` (XLSX and CSV). Every
CSV and XLSX file found under the output folders (by glob, so a new export is covered without
a change here) is read back cell by cell.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest

from factory_journey.cli import app
from tests.cli_outcome import HandledRunner
from tests.spreadsheet_cells import (
    PAYLOADS,
    all_text,
    cycle,
    formula_risks,
    poisoned_dataset,
    spreadsheet_files,
)

runner = HandledRunner()

#: The dataset folder's own name lands in workbooks and reports.
DATASET_NAME = "=cmd dataset"


def _broken_dataset(good: Path, folder: Path) -> Path:
    """The poisoned dataset with payloads where a unit and a sampling point are expected."""
    folder.mkdir(parents=True)
    for path in good.glob("*.csv"):
        frame = pl.read_csv(path, infer_schema_length=None)
        if path.stem == "energy":
            frame = frame.with_columns(unit=cycle(frame.height))
        if path.stem == "zdhc_wastewater":
            frame = frame.with_columns(sampling_point=cycle(frame.height))
        frame.write_csv(folder / path.name)
    return folder


def _journey(*args: str, exit_code: int = 0) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code == exit_code, result.output


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exports")
    data = poisoned_dataset(root / "in" / DATASET_NAME)
    broken = _broken_dataset(data, root / "in" / "broken")
    out = root / "out"
    _journey("matrix", str(data), "--out", str(out / "matrix"))
    _journey("assess", str(data), "--out", str(out / "assess"))
    _journey("evaluate", str(data), "--baseline", "2021", "--followup", "2023",
             "--out", str(out / "evaluate"))
    _journey("matrix", str(broken), "--out", str(out / "errors"), exit_code=1)
    for fmt in ("csv", "xlsx"):
        _journey("demo-data", "--out", str(out / f"demo-{fmt}"), "--facilities", "3",
                 "--years", "2022-2023", "--format", fmt, "--inject-errors")
    (out / "template").mkdir()
    for fmt in ("csv", "xlsx"):
        _journey("profile", "template", "--format", fmt, "--out",
                 str(out / "template" / f"profiles.{fmt}"))
    return out


def test_every_export_was_written(outputs: Path):
    names = {str(p.relative_to(outputs)) for p in spreadsheet_files(outputs)}
    assert {
        "matrix/matrix.csv", "matrix/matrix.xlsx", "matrix/zdhc_levels.csv",
        "matrix/zdhc_levels.xlsx",
        "assess/assessment.xlsx", "assess/matrix.csv", "assess/opportunities.csv",
        "assess/measures.csv", "assess/pathways.csv", "assess/trajectory.csv",
        "assess/indicators.csv",
        "evaluate/facilities.csv", "evaluate/facility_changes.csv",
        "errors/errors.csv",
        "demo-csv/profiles.csv", "demo-xlsx/dataset.xlsx",
        "template/profiles.csv", "template/profiles.xlsx",
    } <= names


def test_no_cell_of_any_export_is_a_live_formula(outputs: Path):
    files = spreadsheet_files(outputs)
    risks = [risk for path in files for risk in formula_risks(path)]
    assert len(files) >= 20
    assert risks == [], "\n".join(risks[:20])


@pytest.mark.parametrize("export", [
    "matrix/matrix.csv", "matrix/matrix.xlsx", "assess/matrix.csv", "assess/assessment.xlsx",
    "evaluate/facilities.csv", "errors/errors.csv",
])
def test_the_payloads_reach_the_exports_neutralised_not_dropped(outputs: Path, export: str):
    text = all_text(outputs / export)
    # The reader trims blanks and line ends, so the tab and CR payloads arrive as "=1+1"
    # (the error report keeps the tab; test_spreadsheet_safety covers both directly).
    expected = [p for p in PAYLOADS if not p.startswith(("\t", "\r"))] + ["=1+1"]
    if export.startswith("errors/"):
        expected.append("\t=1+1")
    for payload in expected:
        assert "'" + payload in text, f"{payload!r} not found neutralised in {export}"


def test_the_workbook_names_the_dataset_without_running_it(outputs: Path):
    assert "'" + DATASET_NAME in all_text(outputs / "assess" / "assessment.xlsx")


def test_parquet_and_json_keep_the_text_as_it_came(outputs: Path):
    for names in (
        pl.read_parquet(outputs / "matrix" / "matrix.parquet")["facility_name"].to_list(),
        [row["facility_name"] for row in json.loads(
            (outputs / "assess" / "matrix.json").read_text(encoding="utf-8"))],
    ):
        assert PAYLOADS[0] in names and "-5" in names


def test_every_timestamp_the_cli_writes_is_utc_with_z(outputs: Path):
    moment = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d[^\"<\s]*")
    found = {
        str(path.relative_to(outputs)): moment.findall(path.read_text(encoding="utf-8"))
        for path in sorted(outputs.rglob("*"))
        if path.suffix in (".json", ".html", ".txt")
    }
    stamps = [(name, text) for name, texts in found.items() for text in texts]
    assert {"matrix/metadata.json", "evaluate/evaluation.json", "evaluate/evaluation.html"} <= {
        name for name, _ in stamps}
    assert [s for s in stamps if not re.fullmatch(r"\S+T\d\d:\d\d:\d\dZ", s[1])] == []
