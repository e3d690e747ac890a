"""read_dataset: the example reads clean in every format; units convert as hand-computed."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from factory_journey.domain.tables import PERFORMANCE_TABLES
from factory_journey.ingest import read_dataset
from tests.ingest.dataset_helpers import EXAMPLE, ROOT, edit_table, example_copy

EXAMPLES = ROOT / "examples"


def _comparable(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.drop("_file", "_sheet", "_row")


def test_example_reads_without_any_problem() -> None:
    result = read_dataset(EXAMPLE)
    assert [p.describe() for p in result.problems] == []
    assert result.ok
    assert set(result.tables) == {"profiles", *(t.name for t in PERFORMANCE_TABLES)}
    assert result.tables["profiles"]["facility_id"].n_unique() == 3
    assert sorted(result.tables["energy"]["year"].unique().to_list()) == [2023, 2024]
    assert {f.name for f in result.files} == {f"{t}.csv" for t in result.tables}
    assert all(len(f.sha256) == 64 for f in result.files)


@pytest.mark.parametrize("name", ["small-dataset.xlsx", "small-dataset.json"])
def test_xlsx_and_json_give_the_same_tables_as_csv(name: str) -> None:
    csv = read_dataset(EXAMPLE)
    other = read_dataset(EXAMPLES / name)
    assert [p.describe() for p in other.problems] == []
    assert set(other.tables) == set(csv.tables)
    for table, frame in csv.tables.items():
        assert_frame_equal(_comparable(frame), _comparable(other.tables[table]))


def test_xlsx_rows_are_located_by_sheet_and_spreadsheet_row() -> None:
    energy = read_dataset(EXAMPLES / "small-dataset.xlsx").tables["energy"]
    assert energy["_file"][0] == "small-dataset.xlsx"
    assert energy["_sheet"][0] == "energy"
    assert energy["_row"][0] == 2  # header = 1


def test_json_rows_are_located_by_record_index() -> None:
    energy = read_dataset(EXAMPLES / "small-dataset.json").tables["energy"]
    assert energy["_row"][0] == 1
    assert energy["_sheet"][0] is None


def test_parquet_folder_and_zip_read_like_csv(tmp_path: Path) -> None:
    folder = tmp_path / "parquet"
    folder.mkdir()
    for path in EXAMPLE.glob("*.csv"):
        pl.read_csv(path, try_parse_dates=True).write_parquet(folder / f"{path.stem}.parquet")
    archive = tmp_path / "dataset.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in EXAMPLE.glob("*.csv"):
            handle.write(path, f"small-dataset/{path.name}")
    csv = read_dataset(EXAMPLE)
    for other in (read_dataset(folder), read_dataset(archive)):
        assert [p.describe() for p in other.problems] == []
        for table, frame in csv.tables.items():
            assert_frame_equal(_comparable(frame), _comparable(other.tables[table]))


def test_contract_columns_present_and_typed() -> None:
    tables = read_dataset(EXAMPLE).tables
    for spec in PERFORMANCE_TABLES:
        frame = tables[spec.name]
        assert frame.columns[-3:] == ["_file", "_sheet", "_row"]
        for column in spec.columns:
            assert column.name in frame.columns
        assert frame.schema["year" if "year" in frame.columns else "facility_id"] in (
            pl.Int64,
            pl.String,
        )
    energy = tables["energy"]
    for name in ("quantity_reported", "unit_reported", "quantity_canonical", "unit_canonical"):
        assert name in energy.columns
    assert energy.schema["month"] == pl.Int64
    assert energy.schema["quantity"] == pl.Float64
    assert tables["zdhc_wastewater"].schema["year"] == pl.Int64
    assert tables["zdhc_wastewater"].schema["sample_date"] == pl.Date
    assert tables["waste"].schema["hazardous"] == pl.Boolean
    # empty verification_status means self-reported
    assert tables["water"]["verification_status"].unique().to_list() == ["self-reported"]


def _tiny_dataset(tmp_path: Path) -> Path:
    """The example's profiles and hand-made energy, water and waste rows."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    shutil.copy(EXAMPLE / "profiles.csv", folder / "profiles.csv")
    (folder / "energy.csv").write_text(
        "facility_id,year,month,ensourceheader,quantity,unit,tracking_method\n"
        "BD-CS-001,2023,,Purchased Electricity,\"1,000\",kWh,METER\n"
        "BD-CS-001,2023,,diesel,500,L,invoice\n"
        "BD-CS-001,2023,,Natural Gas,2,MWh,\n"
        "CN-MILL-002,2023,,coal,3,t,\n",
        encoding="utf-8",
    )
    (folder / "water.csv").write_text(
        "facility_id,year,month,source,flow,quantity,unit\n"
        "BD-CS-001,2023,,groundwater,withdrawal,1000,L\n"
        "BD-CS-001,2023,,municipal,withdrawal,2,kL\n",
        encoding="utf-8",
    )
    (folder / "waste.csv").write_text(
        "facility_id,year,month,stream,hazardous,quantity,unit,disposal_method\n"
        "CN-MILL-002,2023,,boiler ash,no,2,short tons,reuse\n"
        "CN-MILL-002,2023,,fabric_scraps,No,1500,g,Recycling\n",
        encoding="utf-8",
    )
    return folder


def test_units_convert_to_hand_computed_values(tmp_path: Path) -> None:
    result = read_dataset(_tiny_dataset(tmp_path))
    # the hand-made quantities are tiny beside a year's production: only intensity warnings
    assert [p.describe() for p in result.problems if p.code != "unusual_intensity"] == []
    energy = result.tables["energy"]
    got = dict(zip(energy["source"], zip(energy["quantity_canonical"], energy["unit_canonical"],
                                         strict=True), strict=True))
    assert got["purchased_electricity"] == pytest.approx((3600.0, "MJ"))  # 1,000 kWh × 3.6
    assert got["natural_gas"] == pytest.approx((7200.0, "MJ"))  # 2 MWh × 3,600
    assert got["diesel"][0] == pytest.approx(0.5) and got["diesel"][1] == "m3"  # stays volume
    assert got["coal"][0] == pytest.approx(3000.0) and got["coal"][1] == "kg"  # stays mass
    assert energy["quantity_reported"].to_list()[:2] == [1000.0, 500.0]
    assert energy["unit_reported"].to_list()[:2] == ["kWh", "L"]
    assert energy["tracking_method"][0] == "meter"  # case-insensitive literal enum

    water = result.tables["water"]
    assert water["quantity_canonical"].to_list() == pytest.approx([1.0, 2.0])
    assert water["unit_canonical"].unique().to_list() == ["m3"]

    waste = result.tables["waste"]
    assert waste["stream"].to_list() == ["boiler_ash", "fabric_scraps"]
    assert waste["disposal_method"].to_list() == ["reuse", "recycling"]
    assert waste["quantity_canonical"].to_list() == pytest.approx([1814.36948, 1.5])
    assert waste["unit_canonical"].to_list() == ["kg", "kg"]


def test_unknown_file_in_folder_is_a_warning_not_an_error(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    edit_table(folder, "air", lambda f: f.with_columns(pl.lit("x").alias("comment")))
    result = read_dataset(folder)
    assert result.ok
    codes = {(p.file, p.code) for p in result.problems}
    assert ("notes.csv", "unknown_table") in codes
    assert ("air.csv", "unknown_column") in codes


def test_json_lists_are_multi_select_answers(tmp_path: Path) -> None:
    import json

    document = json.loads((EXAMPLES / "small-dataset.json").read_text("utf-8"))
    for record in document["profiles"]:
        record["sipfacilitytype"] = record["sipfacilitytype"].split(";")
    path = tmp_path / "lists.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = read_dataset(path)
    assert [p.describe() for p in result.problems] == []
    types = result.tables["profiles"].filter(pl.col("facility_id") == "VN-VERT-003")
    assert types["facility_types"][0].to_list() == ["finalProductAssembly", "materialProduction"]


def test_gas_volumes_are_brought_to_normal_cubic_metres(tmp_path: Path) -> None:
    """Hand-computed: 1 scf = 0.0283168 m³ at 60 °F (288.706 K) and 14.696 psia (101.325 kPa)
    = 0.0283168 × 273.15 / 288.706 = 0.026791 Nm³ (1/37.33); 1 Sm3 (15 °C) = 273.15/288.15
    = 0.947944 Nm³; 1 Mcf = 26.791 Nm³. Water in ft³ and a liquid fuel keep their volume."""
    folder = _tiny_dataset(tmp_path)
    (folder / "energy.csv").write_text(
        "facility_id,year,month,source,quantity,unit\n"
        "BD-CS-001,2023,1,natural_gas,1000,scf\n"
        "BD-CS-001,2023,2,natural_gas,1000,Sm3\n"
        "BD-CS-001,2023,3,natural_gas,1000,Nm3\n"
        "BD-CS-001,2023,4,natural_gas,10,mcf\n"
        "BD-CS-001,2023,5,cng,1000,ft3\n"
        "BD-CS-001,2023,6,diesel,1000,ft3\n",
        encoding="utf-8",
    )
    (folder / "water.csv").write_text(
        "facility_id,year,month,source,flow,quantity,unit\n"
        "BD-CS-001,2023,,groundwater,withdrawal,1000,ft3\n",
        encoding="utf-8",
    )
    result = read_dataset(folder)
    assert not result.problems.has_errors, [p.describe() for p in result.problems]
    got = result.tables["energy"].sort("month")["quantity_canonical"].to_list()
    assert got == pytest.approx([26.791, 947.944, 1000.0, 267.911, 26.791, 28.3168], rel=1e-4)
    assert 1000 / got[0] == pytest.approx(37.326, rel=1e-4)  # scf per Nm³
    assert result.tables["water"]["quantity_canonical"][0] == pytest.approx(28.3168, rel=1e-5)


def test_a_zip_that_would_unpack_too_large_is_refused_before_unpacking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factory_journey.ingest import archives

    monkeypatch.setattr(archives, "MAX_UNZIPPED_BYTES", 10_000)  # the example is ~34 kB
    path = tmp_path / "dataset.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in sorted(EXAMPLE.iterdir()):
            archive.write(table, f"dataset/{table.name}")
    unpacked = []
    monkeypatch.setattr(zipfile.ZipFile, "extractall", lambda *a, **k: unpacked.append(a))
    problems = list(read_dataset(path).problems)
    assert [p.code for p in problems] == ["unsafe_zip"]
    assert "would unpack to" in problems[0].message and not unpacked


def test_one_csv_named_after_its_table_is_a_dataset_of_that_table(tmp_path: Path) -> None:
    path = tmp_path / "profiles.csv"
    shutil.copy(EXAMPLE / "profiles.csv", path)
    result = read_dataset(path)
    assert result.ok, [p.describe() for p in result.problems]
    assert set(result.tables) == {"profiles"}


def test_trailing_separators_lose_nothing_and_say_nothing(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    text = (folder / "water.csv").read_text(encoding="utf-8").splitlines()
    (folder / "water.csv").write_text("\n".join(line + ",," for line in text) + "\n",
                                      encoding="utf-8")
    result = read_dataset(folder)
    assert result.ok and not list(result.problems), [p.describe() for p in result.problems]


def test_a_json_dataset_from_demo_data_reads_back(tmp_path: Path) -> None:
    # `journey demo-data --format json` writes `"zdhc_wastewater": []` when no facility took
    # wastewater samples; reading it back gave 7 "table has no column …" errors at "row 1".
    import json

    from typer.testing import CliRunner

    from factory_journey.cli import app

    runner = CliRunner()
    made = runner.invoke(app, ["demo-data", "--out", str(tmp_path / "json"), "-n", "1",
                               "--format", "json"])
    assert made.exit_code == 0, made.output
    document = json.loads((tmp_path / "json" / "dataset.json").read_text("utf-8"))
    empty = [name for name, records in document.items() if records == []]
    assert "zdhc_wastewater" in empty, "the round trip must carry an empty table"
    from_json = read_dataset(tmp_path / "json" / "dataset.json")
    assert [p.describe() for p in from_json.problems] == []
    for name in empty:
        assert from_json.tables[name].height == 0
    matrix = runner.invoke(app, ["matrix", str(tmp_path / "json" / "dataset.json"),
                                 "--out", str(tmp_path / "matrix")])
    assert matrix.exit_code == 0, matrix.output
    assert "0 errors" in matrix.output


@pytest.mark.parametrize("table", [t.name for t in PERFORMANCE_TABLES])
def test_an_empty_json_list_reads_like_a_csv_with_only_its_header(
    table: str, tmp_path: Path
) -> None:
    import json

    document = json.loads((EXAMPLES / "small-dataset.json").read_text("utf-8"))
    document[table] = []
    (tmp_path / "empty.json").write_text(json.dumps(document), encoding="utf-8")
    folder = example_copy(tmp_path / "csv")
    header = (folder / f"{table}.csv").read_text("utf-8").splitlines()[0]
    (folder / f"{table}.csv").write_text(header + "\n", encoding="utf-8")
    from_json, from_csv = read_dataset(tmp_path / "empty.json"), read_dataset(folder)
    assert [p.describe() for p in from_csv.problems] == []
    assert [p.describe() for p in from_json.problems] == []
    assert from_json.tables[table].height == 0
    typed_csv = from_csv.tables[table].drop("_file", "_sheet")
    assert from_json.tables[table].select(typed_csv.columns).schema == typed_csv.schema
