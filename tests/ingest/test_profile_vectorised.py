"""The vectorised profile validator gives the problems of the former per-row validator, and
the derived columns of docs/contracts.md §1."""

import random

import polars as pl
import pytest

from factory_journey.domain.os_hub_id import ALPHABET, check_character, is_valid_os_hub_id
from factory_journey.domain.problems import Severity
from factory_journey.domain.profile_rules import os_hub_id_normalised_expr, os_hub_id_valid_expr
from factory_journey.ingest.formats import ROW
from factory_journey.ingest.problem_log import ProblemLog, Source
from factory_journey.ingest.profile_reader import read_profiles, validate_profiles
from tests.ingest.test_profile_reader import BAD_CASES, GOOD, write_csv

#: The errors the per-row pydantic validator gave for each bad-profile kind (row 2 of
#: profiles.csv): (column, code, message). Recorded before the change to polars.
FORMER_ERRORS = {
    "unknown country": [("sitecountry", "country", "unknown country or region")],
    "negative employees": [("siptotalnumemployees", "invalid_cell", "negative: -3")],
    "product categories on a mill": [
        ("sipproductcategories", "not_applicable",
         "sipproductcategories applies only to facility types Finished Product Assembler / "
         "Finished Product Processing, and this facility is Material Production")],
    "unknown unit": [
        ("sipfacilityannualprodvol_materialProduction_unit", "unit",
         "unknown unit 'bales' for the Material Production volume, which is in kg")],
    "unit of another dimension": [
        ("sipfacilityannualprodvol_materialProduction_unit", "unit",
         "the unit 'metres' measures length, not the Material Production volume, which is in "
         "kg")],
    "text in a number column": [("sipoperatingdays", "invalid_cell", "not a number")],
    "decimal comma": [("sipoperatingdays", "invalid_cell",
                       "not a number (use a point as the decimal separator)")],
    "unknown facility type": [("sipfacilitytype", "invalid_cell", "unknown value 'spaceport'")],
    "bad OS Hub check character": [
        ("sip_osh_id", "os_hub_id", "check character '8' (position 15) is wrong: expected "
         "'7'; a character was probably mistyped")],
    "OS Hub ID with a letter outside the alphabet": [
        ("sip_osh_id", "os_hub_id", "character 'O' at position 12 is not in the OS Hub "
         "alphabet 0123456789ABCDEFGHJKMNPQRSTVWXYZ (I, L, O and U are never used)")],
    "sub-answer without a yes": [
        ("sipaudit_count", "sub_answer_without_yes", "sipaudit_count is a sub-answer of "
         "sipaudit, which is No: sub-answers are given only after Yes")],
    "operating days above 366": [("sipoperatingdays", "invalid_cell", "out of range: 400")],
    "bad year": [("year", "invalid_cell", "out of range: 24")],
    "year that is not a number": [("year", "invalid_cell", "not a number")],
    "fractional employees": [("siptotalnumemployees", "invalid_cell", "not a whole number")],
    "yes/no that is neither": [
        ("sipaudit", "invalid_cell", "not a yes/no answer"),
        ("sipaudit_count", "sub_answer_without_yes", "sipaudit_count is a sub-answer of "
         "sipaudit, which is not answered: sub-answers are given only after Yes")],
    "missing facility id": [("facility_id", "missing", "required value is missing")],
    "volume for a type not selected": [
        ("sipfacilityannualprodvol_materialProduction", "not_applicable",
         "annual volume given for Material Production, which is not among the facility types")],
}


def test_every_bad_kind_is_recorded():
    assert set(FORMER_ERRORS) == {case[0] for case in BAD_CASES}


@pytest.mark.parametrize("case", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_same_errors_as_the_former_per_row_validator(tmp_path, case):
    name, changes, _, _ = case
    result = read_profiles(write_csv(tmp_path / "profiles.csv", [{**GOOD, **changes}]))
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    assert [(p.column, p.code, p.message) for p in errors] == FORMER_ERRORS[name]
    assert all(p.file == "profiles.csv" and p.row == 2 and p.accepted for p in errors)
    assert result.frame().height == 0


def test_many_bad_rows_are_listed_up_to_the_cap_then_counted():
    rows = 45
    raw = pl.DataFrame({
        ROW: list(range(2, rows + 2)),
        "facility_id": [f"F{i}" for i in range(rows)],
        "year": ["2024"] * rows,
        "sitecountry": ["Atlantis"] * rows,
        "sipfacilitytype": ["materialProduction"] * rows,
    })
    log = ProblemLog()
    frame = validate_profiles(raw, Source("profiles.csv"), log)
    assert frame.height == 0
    listed = [p for p in log.problems if p.row is not None]
    (summary,) = [p for p in log.problems if p.row is None]
    assert len(listed) == log.limit
    assert summary.message.startswith(f"{rows - log.limit} more rows (rows 22–46)")


def test_derived_columns_of_hand_made_rows():
    raw = pl.DataFrame({
        ROW: [2, 3, 4],
        "facility_id": [" A ", "B", "C"],
        "year": ["2024", "2023.0", "2024"],
        "sitecountry": ["Bangladesh", "VNM", "pk - Pakistan"],
        "sipfacilitytype": ["Finished Product Assembler; materialProduction",
                            "hardComponentTrimProduction", "printingProductDyeingAndLaundering"],
        "sipfacilityannualprodvol_finalProductAssembly": ["1,200", None, None],
        "sipfacilityannualprodvol_finalProductAssembly_unit": ["dozen", None, None],
        "sipfacilityannualprodvol_materialProduction": ["2.5", None, None],
        "sipfacilityannualprodvol_materialProduction_unit": ["t", None, None],
        "sipfacilityannualprodvol_hardComponentTrimProduction": [None, "10", None],
        "sipfacilityannualprodvol_printingProductDyeingAndLaundering": [None, None, "100"],
        "sipfacilityannualprodvol_printingProductDyeingAndLaundering_unit": [None, None, "lb"],
        "sip_has_osh_id": [None, "no", "Y"],
        "sip_osh_id": [None, None, "pk-2019083-xjj7d-7"],
        "verification_status": [None, "Verified", None],
    })
    log = ProblemLog()
    frame = validate_profiles(raw, Source("profiles.csv"), log)
    assert not log.problems.has_errors, [p.describe() for p in log.problems]
    rows = {r["facility_id"]: r for r in frame.iter_rows(named=True)}
    a, b, c = rows["A"], rows["B"], rows["C"]
    assert (a["country_iso2"], a["country_iso3"], a["sitecountry"]) == ("BD", "BGD", "BD")
    assert (b["country_iso2"], c["country_iso3"]) == ("VN", "PAK")
    assert a["facility_types"] == ["finalProductAssembly", "materialProduction"]
    assert a["journey_factory_type"] == "vertical"
    assert b["journey_factory_type"] == "component"
    assert c["journey_factory_type"] == "mill"
    assert a["production_volume_finalProductAssembly"] == 14_400  # 1,200 dozen
    assert a["production_volume_materialProduction"] == 2_500  # 2.5 t
    assert b["production_volume_hardComponentTrimProduction"] == 10  # default unit pcs
    assert b["sipfacilityannualprodvol_hardComponentTrimProduction_unit"] == "pcs"
    assert c["production_volume_printingProductDyeingAndLaundering"] == pytest.approx(45.359237)
    assert a["production_volume_rawMaterialCollection"] is None
    assert b["year"] == 2023
    assert c["sip_osh_id"] == "PK2019083XJJ7D7"
    assert (a["verification_status"], b["verification_status"]) == ("self-reported", "verified")
    assert (a[ROW], a["_file"], a["_sheet"]) == (2, "profiles.csv", None)
    assert frame.schema["facility_types"] == pl.List(pl.String)
    assert frame.schema["sipproductcategories"] == pl.List(pl.String)


def test_duplicate_facility_year_names_the_first_row():
    raw = pl.DataFrame({
        ROW: [2, 3, 4],
        "facility_id": ["A", "B", "A"],
        "year": ["2024", "2024", "2024"],
        "sitecountry": ["BD", "BD", "BD"],
        "sipfacilitytype": ["materialProduction"] * 3,
    })
    log = ProblemLog()
    frame = validate_profiles(raw, Source("p.csv"), log)
    (error,) = log.problems.errors
    assert (error.row, error.code) == (4, "duplicate")
    assert error.message == "facility A year 2024 appears twice (first in row 2)"
    assert frame["facility_id"].to_list() == ["A", "B"]


def test_polars_check_character_agrees_with_the_parser():
    random.seed(7)
    ids = []
    for _ in range(5000):
        head = random.choice(["PK", "bd", "CN", "1A"]) + str(random.randint(1995, 2105))
        head += f"{random.randint(0, 370):03d}"
        head += "".join(random.choice(ALPHABET + "ILOU" if random.random() < 0.1 else ALPHABET)
                        for _ in range(5))
        try:
            check = check_character(head.upper())
        except ValueError:
            check = "7"
        ident = head + (check if random.random() < 0.7 else random.choice(ALPHABET))
        if random.random() < 0.1:
            ident = ident[:-3] + "-" + ident[-3:]
        if random.random() < 0.05:
            ident = ident[:-1]
        ids.append(ident)
    ok = pl.select(
        os_hub_id_valid_expr(os_hub_id_normalised_expr(pl.lit(pl.Series(ids))))
    ).to_series().to_list()
    assert ok == [is_valid_os_hub_id(i) for i in ids]
    assert 1000 < sum(ok) < 4000


def test_many_rows_with_mixed_mistakes(tmp_path):
    """Thousands of rows, every kind of mistake at random: no crash, each kind found."""
    rng = random.Random(11)
    cases = [case for case in BAD_CASES if case[0] != "missing facility id"]
    rows, expected = [], {}
    for number in range(3000):
        row = {**GOOD, "facility_id": f"F{number}"}
        if rng.random() < 0.3:
            name, changes, column, _ = rng.choice(cases)
            row.update(changes)
            expected.setdefault((column, name), 0)
            expected[(column, name)] += 1
        rows.append(row)
    result = read_profiles(write_csv(tmp_path / "profiles.csv", rows))
    found = {p.column for p in result.problems if p.severity is Severity.ERROR}
    assert {column for column, _ in expected} <= found
    bad_rows = sum(expected.values())
    assert result.frame().height == 3000 - bad_rows
    # bounded: the rows beyond the cap of each kind are counted in one line
    assert any("more rows" in p.message for p in result.problems)
    assert len(result.problems) < bad_rows
