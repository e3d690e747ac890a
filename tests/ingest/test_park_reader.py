"""The park tables are read like every input: each mistake is an error naming the file, row,
column and value, and nothing is assessed (docs/park-data-format.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from factory_journey.ingest import read_dataset
from factory_journey.ingest.park_reader import read_park_tables
from tests.engine.parks.hand_park import write_park


def _problems(folder: Path):
    imported = read_dataset(folder)
    assert imported.ok, [p.describe() for p in imported.problems]
    tables, problems = read_park_tables(imported)
    return tables, [p for p in problems if p.severity.value == "error"]


def _append(folder: Path, table: str, line: str) -> None:
    with (folder / f"{table}.csv").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def test_the_hand_park_reads_without_problems(tmp_path: Path) -> None:
    tables, errors = _problems(write_park(tmp_path))
    assert errors == []
    assert tables is not None
    assert tables.parks["country_iso2"].to_list() == ["ET"]
    assert set(tables.shared) == {"energy", "water", "wastewater", "waste", "zdhc_wastewater"}
    answers = dict(tables.questionnaire.select("question_id", "answer_value").iter_rows())
    assert answers == {"pm_management_plan": 1.0, "soc_grievance_mechanism": 0.0,
                       "env_monitoring_points": 2.0}


@pytest.mark.parametrize(("table", "line", "row", "column", "value", "code"), [
    ("park_members", "P1,2024,NOPE", 5, "facility_id", "NOPE", "unknown_reference"),
    ("park_members", "P9,2024,M1", 5, "park_id", "P9", "unknown_reference"),
    ("shared_facilities", "P1,2024,M1,Not a plant,waste_yard,", 3, "shared_facility_id", "M1",
     "shared_is_factory"),
    ("shared_energy", "M1,2024,diesel,10,L", 3, "facility_id", "M1", "unknown_reference"),
    ("shared_energy", "CETP,2023,diesel,10,L", 3, "facility_id", "CETP", "unknown_reference"),
    ("shared_wastewater", "CETP,2024,industrial,5,m3,OUT", 3, "member_facility_id", "OUT",
     "unknown_reference"),
    ("park_questionnaire", "P1,2024,soc_other,maybe,", 5, "answer", "maybe", "bad_answer"),
    ("parks", "P2,Other,Atlantis,", 3, "country", "Atlantis", "bad_country"),
])
def test_each_mistake_is_located(tmp_path: Path, table: str, line: str, row: int, column: str,
                                 value: str, code: str) -> None:
    folder = write_park(tmp_path)
    _append(folder, table, line)
    _, errors = _problems(folder)
    located = [(p.file, p.row, p.column, p.value, p.code) for p in errors]
    assert (f"{table}.csv", row, column, value, code) in located, located


def test_a_facility_in_two_parks_in_one_year_is_refused(tmp_path: Path) -> None:
    folder = write_park(tmp_path)
    _append(folder, "parks", "P2,Second,Kenya,")
    _append(folder, "park_members", "P2,2024,M1")
    _, errors = _problems(folder)
    assert [(p.row, p.code) for p in errors] == [(5, "member_of_two_parks")]


def test_a_flow_metered_at_two_plants_is_refused(tmp_path: Path) -> None:
    folder = write_park(tmp_path, m2_at_plant=True)
    _append(folder, "shared_facilities", "P1,2024,CETP2,Second plant,central_effluent_treatment,")
    _append(folder, "shared_wastewater", "CETP2,2024,industrial,18000,m3,M2")
    _, errors = _problems(folder)
    assert [(p.file, p.row, p.code) for p in errors] == [
        ("shared_wastewater.csv", 4, "counted_twice")]


def test_an_annual_plant_row_beside_the_members_monthly_rows_is_counted_twice(
    tmp_path: Path,
) -> None:
    """M2 gives January's industrial wastewater itself; the plant meters M2's whole year."""
    folder = write_park(tmp_path)
    (folder / "wastewater.csv").write_text(
        "facility_id,year,month,wastewater_type,quantity,unit\n"
        "M1,2024,,domestic,800,m3\n"
        "M2,2024,1,industrial,1500,m3\n", encoding="utf-8")
    _append(folder, "shared_wastewater", "CETP,2024,industrial,18000,m3,M2")
    _, errors = _problems(folder)
    assert [(p.file, p.row, p.column, p.value, p.code) for p in errors] == [
        ("shared_wastewater.csv", 3, "member_facility_id", "M2", "counted_twice")]
    assert "wastewater.csv row 3" in errors[0].message


def test_a_bad_os_id_is_refused(tmp_path: Path) -> None:
    folder = write_park(tmp_path)
    text = (folder / "park_members.csv").read_text(encoding="utf-8").splitlines()
    text = [text[0] + ",os_id", text[1] + ",PK2019083XJJ7D7", text[2] + ",PK2019083XJJ7D8",
            text[3] + ","]
    (folder / "park_members.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    _, errors = _problems(folder)
    assert [(p.row, p.column, p.value, p.code) for p in errors] == [
        (3, "os_id", "PK2019083XJJ7D8", "bad_os_id")]


def test_ordinary_commands_read_a_park_dataset_without_warnings(tmp_path: Path) -> None:
    imported = read_dataset(write_park(tmp_path))
    assert imported.ok
    assert not [p for p in imported.problems if p.code == "unknown_table"]
    assert "parks" not in imported.tables  # left aside for the park reader


def test_no_parks_table_is_one_error(tmp_path: Path) -> None:
    folder = write_park(tmp_path)
    (folder / "parks.csv").unlink()
    tables, errors = _problems(folder)
    assert tables is None
    assert [p.code for p in errors] == ["missing_table"]
