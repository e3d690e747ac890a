"""`journey profile …` end to end, including the template → fill → validate → JSON round trip."""

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from factory_journey.cli import app
from tests.cli_outcome import assert_handled

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, ["profile", *args])
    assert_handled(result)
    return result


FILLED = {
    "facility_id": "PK-0042",
    "facility_name": "Indus Denim Mills",
    "year": 2024,
    "sitecountry": "PK - Pakistan",
    "sipfacilitytype": "Finished Product Assembler; Material Production",
    "sipproductcategories": "Apparel",
    "sipmaterialtype": "Textiles / Fabric",
    "sipindustrysector": "Apparel; Home Textiles",
    "sipoperatingdays": 301.5,
    "siptotalnumemployees": 530,
    "sipfacilityannualprodvol_finalProductAssembly": 1_200_000,
    "sipfacilityannualprodvol_finalProductAssembly_unit": "pcs",
    "sipfacilityannualprodvol_materialProduction": 850,
    "sipfacilityannualprodvol_materialProduction_unit": "t",
    "sipfacilityindustrialzone": "No",
    "sipfreshwaterpretreatused": "Yes",
    "sipfreshwaterpretreatused_types": "Primary Treatment; Secondary Treatment",
    "sipfreshwaterpretreatused_operators": 6,
    "sipindustryprograms": "No",
    "sipaudit": "Yes",
    "sipaudit_count": 2,
    "sipaudit_person_days": 1.5,
    "sipaudit_types": "2nd party brand audit",
    "sipapprovedtraining": "Yes",
    "sipapprovedtraining_course": "Higg FEM 4.0 Fundamentals",
    "sipapprovedtraining_year": 2024,
    "sipapprovedtraining_trainer_body": "Example Trainer Body",
    "sipapprovedtraining_reference_number": "FEM-TR-2024-0071",
    "sipapprovedtraining_attendees": 3,
    "sipincludedindiscolsure": "Yes",
    "sipincludedindiscolsure_platform": "CDP",
    "sip_has_osh_id": "Yes",
    "sip_osh_id": "PK2019083XJJ7D7",
    "sip_is_part_of_group": "Yes",
    "sip_parent_worldly_id": "W-12345",
    "sip_parent_osh_id": "CN2019243789RPC",
    "water_stress_score": 3.8,
    "verification_status": "verified",
}
EXPECTED = {
    "facility_id": "PK-0042",
    "facility_name": "Indus Denim Mills",
    "year": 2024,
    "sitecountry": "PK",
    "sipfacilitytype": ["finalProductAssembly", "materialProduction"],
    "sipproductcategories": ["apparel"],
    "sipmaterialtype": ["textiles"],
    "sipindustrysector": ["apparel", "home_textiles"],
    "sipoperatingdays": 301.5,
    "siptotalnumemployees": 530,
    "sipfacilityannualprodvol": {
        "finalProductAssembly": {"quantity": 1_200_000, "unit": "pcs"},
        "materialProduction": {"quantity": 850, "unit": "t"},
    },
    "sipfacilityindustrialzone": False,
    "sipfreshwaterpretreatused": True,
    "sipfreshwaterpretreatused_types": ["primary", "secondary"],
    "sipfreshwaterpretreatused_operators": 6,
    "sipindustryprograms": False,
    "sipaudit": True,
    "sipaudit_count": 2,
    "sipaudit_person_days": 1.5,
    "sipaudit_types": "2nd party brand audit",
    "sipapprovedtraining": True,
    "sipapprovedtraining_year": 2024,
    "sipapprovedtraining_reference_number": "FEM-TR-2024-0071",
    "sipapprovedtraining_attendees": 3,
    "sipincludedindiscolsure": True,
    "sipincludedindiscolsure_platform": "cdp",
    "sip_has_osh_id": True,
    "sip_osh_id": "PK2019083XJJ7D7",
    "sip_is_part_of_group": True,
    "sip_parent_worldly_id": "W-12345",
    "sip_parent_osh_id": "CN2019243789RPC",
    "water_stress_score": 3.8,
    "verification_status": "verified",
}


def fill_template(path):
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["profiles"]
    header = [cell.value for cell in sheet[1]]
    for name, value in FILLED.items():
        sheet.cell(row=2, column=header.index(name) + 1, value=value)
    workbook.save(path)


def test_template_fill_validate_show_round_trip(tmp_path):
    template = tmp_path / "profiles.xlsx"
    assert run("template", "--format", "xlsx", "--out", str(template)).exit_code == 0
    fill_template(template)

    checked = run("validate", str(template))
    assert checked.exit_code == 0, checked.output
    assert "valid — 1 profile(s), 0 error(s)" in checked.output

    shown = run("show", str(template), "--json")
    assert shown.exit_code == 0, shown.output
    (profile,) = json.loads(shown.stdout)["profiles"]
    for key, value in EXPECTED.items():
        assert profile[key] == value, key

    # The JSON printed by `show` is itself a profile file that reads back to the same values.
    again = tmp_path / "profiles.json"
    again.write_text(shown.stdout, encoding="utf-8")
    reshown = run("show", str(again), "--json")
    assert reshown.exit_code == 0, reshown.output
    assert json.loads(reshown.stdout) == json.loads(shown.stdout)


def test_template_xlsx_has_lists_and_guidance(tmp_path):
    path = tmp_path / "t.xlsx"
    assert run("template", "--out", str(path)).exit_code == 0
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["profiles", "lists", "guidance"]
    assert workbook["lists"].sheet_state == "hidden"
    sheet = workbook["profiles"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["facility_id", "facility_name", "year", "sitecountry"]
    validated = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    letters = {name: openpyxl.utils.get_column_letter(i + 1) for i, name in enumerate(header)}
    for name in ("sitecountry", "sipfacilitytype", "sipaudit", "sipincludedindiscolsure_platform",
                 "sipfacilityannualprodvol_materialProduction_unit", "verification_status",
                 "sipfreshwaterpretreatused_types", "year"):
        assert f"{letters[name]}2" in validated, name
    guidance = list(workbook["guidance"].iter_rows(values_only=True))
    assert guidance[0] == ("column", "question", "rule", "accepted values", "unit",
                           "verification documents")
    by_column = {row[0]: row for row in guidance[1:]}
    assert "Payroll" in by_column["siptotalnumemployees"][5]
    assert "Not verified" in by_column["sip_osh_id"][5]


def test_template_csv(tmp_path):
    path = tmp_path / "t.csv"
    assert run("template", "--format", "csv", "--out", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8").startswith("facility_id,facility_name,year,sitecountry")
    assert run("template", "--format", "csv", "--out", str(path)).exit_code == 1  # exists
    assert run("template", "--format", "pdf", "--out", str(tmp_path / "t.pdf")).exit_code == 1


def test_validate_prints_every_problem_and_fails(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "facility_id,year,sitecountry,sipfacilitytype,siptotalnumemployees,sip_osh_id\n"
        "F1,2024,Atlantis,materialProduction,-4,\n"
        "F2,2024,BD,materialProduction,10,PK2019083XJJ7D8\n",
        encoding="utf-8",
    )
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "p.csv, row 2, column sitecountry: unknown country or region (found: 'Atlantis')" in (
        result.output)
    assert "row 2, column siptotalnumemployees" in result.output
    assert "row 3, column sip_osh_id" in result.output and "expected '7'" in result.output

    report = json.loads(run("validate", str(path), "--json").stdout)
    assert report["valid"] is False and report["errors"] == 3
    assert {(p["row"], p["column"]) for p in report["problems"]} >= {
        (2, "sitecountry"), (2, "siptotalnumemployees"), (3, "sip_osh_id")}
    assert all(p["accepted"] for p in report["problems"])


@pytest.mark.parametrize("content", [b"", b"\xff\xfeA\x00", b"facility_id,year\n\xe9\n"])
def test_unreadable_files_exit_1_without_traceback(tmp_path, content):
    path = tmp_path / "p.csv"
    path.write_bytes(content)
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "ERROR:" in result.output


def test_checklist(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"profiles": [{
        "facility_id": "M1", "facility_name": "Mill", "year": 2024, "sitecountry": "CN",
        "sipfacilitytype": "materialProduction", "sipmaterialtype": "textiles",
        "sipfreshwaterpretreatused": True, "sipfreshwaterpretreatused_types": ["sludge"],
        "sip_has_osh_id": True, "sip_osh_id": "CN2019243789RPC"}]}), encoding="utf-8")
    result = run("checklist", str(path))
    assert result.exit_code == 0, result.output
    assert "== M1 (Mill), reporting year 2024" in result.output
    assert "sipmaterialtype" in result.output and "sipproductcategories" not in result.output
    assert "hydraulic diagrams" in result.output
    assert "[not verified in the 2024 cadence]" in result.output
    data = json.loads(run("checklist", str(path), "--json").stdout)
    assert data[0]["facility_id"] == "M1"
