"""Bad numbers, one kind per case, through `journey matrix` and the upload route (issue #13).

Each case edits one cell of the example dataset. A refused value (impossible, not a number,
beyond what a float or an exact sum holds) ends the run with its location — file, row,
column, the value and what is accepted — exit 1, no matrix and, on the platform, a failed job
that wrote no rows. An unusual value (outside the soft range of plausibility_bounds.yaml) is
accepted with a located warning. Never a traceback, never a silently null total.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factory_journey.cli import app
from factory_journey.reference.plausibility import BOUNDS_FILE, bounds_version
from tests.cli_outcome import FOREIGN, assert_handled
from tests.ingest.dataset_helpers import example_copy, read_table, set_cell

runner = CliRunner()


@dataclass(frozen=True)
class Case:
    kind: str
    table: str
    index: int  # data row (0-based); the file's row is index + 2
    column: str
    value: str
    refused: bool  # else: accepted with a warning
    code: str
    problem_column: str | None = None  # the column the problem names, when not `column`
    also: tuple[tuple[str, str], ...] = ()  # other cells of the same row: (column, value)


CASES = (
    Case("huge: 1e40 kWh in a month", "energy", 0, "quantity", "1e40", True,
         "implausible_quantity"),
    Case("1e308 kWh: more MJ than a float holds", "energy", 0, "quantity", "1e308", True,
         "implausible_quantity"),
    Case("beyond a float: 1e400", "energy", 0, "quantity", "1e400", True, "wrong_type"),
    Case("tiny negative", "energy", 0, "quantity", "-1e-9", True, "negative"),
    Case("NaN", "energy", 0, "quantity", "NaN", True, "wrong_type"),
    Case("inf", "energy", 0, "quantity", "inf", True, "wrong_type"),
    Case("-inf", "water", 0, "quantity", "-inf", True, "wrong_type"),
    Case("water beyond a river's flow", "water", 0, "quantity", "5e9", True,
         "implausible_quantity"),
    Case("wastewater 1e12 m3 in a year", "wastewater", 0, "quantity", "1e12", True,
         "implausible_quantity"),
    Case("waste 1e15 kg in a year", "waste", 0, "quantity", "1e15", True,
         "implausible_quantity"),
    Case("unusual: 90 GWh of electricity in a month", "energy", 0, "quantity", "9e7", False,
         "unusual_quantity"),
    Case("unusual: litres written as m3", "water", 0, "quantity", "6192000", False,
         "unusual_quantity"),
    Case("production beyond world output", "profiles", 0,
         "sipfacilityannualprodvol_finalProductAssembly", "1e40", True,
         "implausible_quantity"),
    Case("employees beyond any site", "profiles", 0, "siptotalnumemployees", "2000000", True,
         "implausible_quantity"),
    Case("zero production with nonzero energy", "profiles", 1,
         "sipfacilityannualprodvol_materialProduction", "0", False,
         "energy_without_production", "sipfacilityannualprodvol"),
    Case("implausible intensity: 10 pieces for a year's energy", "profiles", 0,
         "sipfacilityannualprodvol_finalProductAssembly", "10", False, "unusual_intensity",
         "energy_intensity_mj_per_pc"),
    Case("operating days not in whole or half days", "profiles", 0, "sipoperatingdays",
         "300.3", True, "operating_days_halves"),
    Case("366 operating days in 2023", "profiles", 1, "sipoperatingdays", "366", True,
         "operating_days_year"),
    # review of #13: refused before the intensities (which overflowed an integer cast)
    Case("production share 1e20", "energy", 0, "production_share", "1e20", True,
         "out_of_range"),
    Case("refrigerant recharge 1e30 kg", "air", 1, "refrigerant_recharge_kg", "1e30", True,
         "implausible_value"),
    Case("unusual: 8 t of refrigerant in a year", "air", 1, "refrigerant_recharge_kg", "8000",
         False, "unusual_value"),
    Case("market factor 1e30 kgCO2e/kWh", "energy", 0, "market_factor_kgco2e_per_kwh",
         "1e30", True, "implausible_value", also=(("instrument", "EAC"),)),
    Case("market factor 50 kgCO2e/kWh (impossible)", "energy", 0,
         "market_factor_kgco2e_per_kwh", "50", True, "implausible_value",
         also=(("instrument", "EAC"),)),
    Case("unusual: market factor 2 kgCO2e/kWh", "energy", 0, "market_factor_kgco2e_per_kwh",
         "2", False, "unusual_value", also=(("instrument", "EAC"),)),
    Case("10^18 chemical products", "chemicals", 0, "products_in_inventory",
         "1000000000000000000", True, "implausible_value"),
    Case("ZDHC result 1e30 mg/L", "zdhc_wastewater", 0, "value", "1e30", True,
         "implausible_value"),
    Case("audit person-days 1e30", "profiles", 0, "sipaudit_person_days", "1e30", True,
         "implausible_value", also=(("sipaudit", "Yes"),)),
)


def _dataset(tmp_path: Path, case: Case, suffix: str = "") -> Path:
    folder = example_copy(tmp_path)
    frame = read_table(folder, case.table)
    frame = set_cell(frame, case.index, case.column, case.value)
    for column, value in case.also:
        frame = set_cell(frame, case.index, column, value)
    frame.write_csv(folder / f"{case.table}.csv")
    if suffix:  # facility ids of their own, so that rows written by another case never count
        for path in folder.glob("*.csv"):
            text = path.read_text(encoding="utf-8")
            for facility in ("BD-CS-001", "CN-MILL-002", "VN-VERT-003"):
                text = text.replace(facility, facility + suffix)
            path.write_text(text, encoding="utf-8")
    return folder


def _located(problems: list[dict], case: Case) -> dict:
    column = case.problem_column or case.column
    found = [p for p in problems if p["code"] == case.code]
    assert found, (case.kind, [(p["code"], p["column"]) for p in problems])
    problem = found[0]
    assert problem["file"] == f"{case.table}.csv"
    assert problem["row"] == case.index + 2
    assert problem["column"] == column
    assert problem["accepted"], problem
    assert problem["severity"] == ("error" if case.refused else "warning")
    if case.problem_column is None:  # the cell's own value is named, as a number or as given
        shown = str(problem["value"]).split()[0]
        given = float(case.value)
        assert shown == case.value or float(shown) == given or (
            math.isnan(given) and math.isnan(float(shown))), problem
    return problem


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_cli_matrix(tmp_path: Path, case: Case) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["matrix", str(_dataset(tmp_path, case)), "--out", str(out),
                                 "--json"])
    assert_handled(result)
    outcome = json.loads(result.output)
    _located(outcome["problems"], case)
    if case.refused:
        assert result.exit_code == 1, result.output
        assert outcome["status"] == "input_problems"
        assert not (out / "matrix.parquet").exists()
        assert sorted(p.name for p in out.iterdir()) == ["errors.csv", "errors.json",
                                                         "errors.txt"]
        return
    assert result.exit_code == 0, result.output
    metadata = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert BOUNDS_FILE in metadata["reference_versions"]
    assert any(case.code in json.dumps(w) or "nusual" in str(w) or "Energy is used" in str(w)
               for w in metadata.get("warnings", [])) or outcome["summary"]["warnings"]


def test_cli_assess_refuses_1e308_with_its_location(tmp_path: Path) -> None:
    case = CASES[1]
    out = tmp_path / "out"
    result = runner.invoke(app, ["assess", str(_dataset(tmp_path, case)), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert_handled(result)
    assert "energy.csv, row 2, column quantity" in result.output
    assert not any(p.name.startswith("assessment") for p in out.iterdir())


def test_a_valid_matrix_never_has_a_silently_null_year_energy(tmp_path: Path) -> None:
    """The largest value the bounds accept still adds up: the year's energy is a number."""
    case = Case("at the hard limit", "energy", 0, "quantity", "2.7e10", False, "")
    out = tmp_path / "out"
    result = runner.invoke(app, ["matrix", str(_dataset(tmp_path, case)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    import polars as pl

    matrix = pl.read_parquet(out / "matrix.parquet")
    year = matrix.filter((pl.col("facility_id") == "BD-CS-001") & (pl.col("year") == 2023))
    assert year["energy_total_mj"][0] > 2.7e10 * 3.6
    assert year["scope2_location_kgco2e"][0] is not None
    metadata = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["reference_versions"][BOUNDS_FILE] == bounds_version()


# ---------------------------------------------------------------- the upload route


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.web.conftest import make_platform

    return make_platform(tmp_path_factory)


def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, path.name)
    return buffer.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_upload_route(platform, tmp_path: Path, case: Case) -> None:  # type: ignore[no-untyped-def]
    from factory_journey.store.database import transaction
    from factory_journey.store.models import Submission

    suffix = f"-{CASES.index(case)}"
    folder = _dataset(tmp_path, case, suffix)
    response = platform.client.post(
        "/api/uploads", files={"file": ("data.zip", _zip(folder), "application/zip")},
        headers=platform.headers("owner_admin"))
    assert response.status_code == 202, response.text
    job = platform.client.get(f"/api/jobs/{response.json()['id']}",
                              headers=platform.headers("owner_admin")).json()
    _located(job["problems"], case)
    assert not FOREIGN.search(json.dumps(job["problems"])), job["problems"]
    with transaction(platform.factory) as session:
        written = session.query(Submission).filter(
            Submission.facility_id.like(f"%{suffix}")).count()
    if case.refused:
        assert job["status"] == "failed", job
        assert written == 0
    else:
        assert job["status"] == "succeeded", job
        assert written > 0


def test_the_engine_records_the_bounds_and_gas_conditions_with_every_matrix() -> None:
    """The platform stores the engine's versions with each result (services/platform)."""
    from factory_journey.engine.refdata import default_reference
    from factory_journey.reference import meta

    versions = default_reference().versions
    assert versions[BOUNDS_FILE] == bounds_version()
    assert versions["gas_volumes.yaml"].startswith(str(meta("gas_volumes.yaml")["version"]))
