"""Reading profile files: a valid file, and many kinds of bad file each with a clear message."""

import csv
import io
import json
from types import SimpleNamespace

import openpyxl
import polars as pl
import pytest

from factory_journey.domain.problems import Severity
from factory_journey.ingest.profile_reader import profiles_frame, read_profiles

HEADER = [
    "facility_id",
    "facility_name",
    "year",
    "sitecountry",
    "sipfacilitytype",
    "sipproductcategories",
    "sipmaterialtype",
    "sipoperatingdays",
    "siptotalnumemployees",
    "sipfacilityannualprodvol_finalProductAssembly",
    "sipfacilityannualprodvol_finalProductAssembly_unit",
    "sipfacilityannualprodvol_materialProduction",
    "sipfacilityannualprodvol_materialProduction_unit",
    "sipaudit",
    "sipaudit_count",
    "sip_has_osh_id",
    "sip_osh_id",
]
GOOD = {
    "facility_id": "F1",
    "facility_name": "Alpha Knit",
    "year": "2024",
    "sitecountry": "Pakistan",
    "sipfacilitytype": "Finished Product Assembler; materialProduction",
    "sipproductcategories": "Apparel",
    "sipmaterialtype": "Textiles",
    "sipoperatingdays": "300.5",
    "siptotalnumemployees": "530",
    "sipfacilityannualprodvol_finalProductAssembly": "100,000",
    "sipfacilityannualprodvol_finalProductAssembly_unit": "pcs",
    "sipfacilityannualprodvol_materialProduction": "2",
    "sipfacilityannualprodvol_materialProduction_unit": "t",
    "sipaudit": "Yes",
    "sipaudit_count": "2",
    "sip_has_osh_id": "y",
    "sip_osh_id": "pk-2019083-xjj7d-7",
}


def write_csv(path, rows, header=HEADER):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def errors(result):
    return [p for p in result.problems if p.severity is Severity.ERROR]


def test_valid_csv(tmp_path):
    result = read_profiles(write_csv(tmp_path / "profiles.csv", [GOOD]))
    assert result.ok, [p.describe() for p in result.problems]
    profile = result.profiles[0]
    assert profile.sitecountry == "PK"
    assert profile.sip_osh_id == "PK2019083XJJ7D7"
    frame = result.frame()
    row = frame.row(0, named=True)
    assert row["country_iso3"] == "PAK"
    assert row["journey_factory_type"] == "vertical"
    assert row["facility_types"] == ["finalProductAssembly", "materialProduction"]
    assert row["production_volume_finalProductAssembly"] == 100_000
    assert row["production_volume_materialProduction"] == 2000
    assert row["_row"] == 2 and row["_file"] == "profiles.csv"
    assert frame.schema["sipproductcategories"] == pl.List(pl.String)


@pytest.mark.parametrize("written, iso2", [
    ("Việt Nam", "VN"), ("VIỆT NAM", "VN"), ("中国", "CN"), ("বাংলাদেশ", "BD"),
    ("កម្ពុជា", "KH"), ("Türkiye", "TR"), ("ኢትዮጵያ", "ET"), ("Trung Quốc", "CN"),
    ("Vie\u0302\u0323t Nam", "VN"),  # the same letters typed as base + combining marks
])
def test_a_country_may_be_named_in_a_language_of_the_platform(tmp_path, written, iso2):
    """A manager writes their country as on every letter they send: its name in Vietnamese,
    Chinese, Bengali, Khmer, Turkish, Swahili or Amharic (CLDR, shipped with Babel)."""
    result = read_profiles(write_csv(tmp_path / "profiles.csv", [{**GOOD, "sitecountry": written}]))
    assert result.ok, [p.describe() for p in result.problems]
    assert result.profiles[0].sitecountry == iso2


def test_the_languages_of_country_names_are_those_of_the_pages():
    from factory_journey.reference.countries import LOCAL_NAME_LANGUAGES
    from factory_journey.reports.i18n import LANGUAGES

    assert set(LOCAL_NAME_LANGUAGES) == {locale for code, (locale, _) in LANGUAGES.items()
                                         if code != "en"}


def test_utf8_with_bom_is_accepted(tmp_path):
    path = write_csv(tmp_path / "p.csv", [GOOD])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_profiles(path).ok


def test_semicolon_separated_csv_is_accepted(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "facility_id;year;sitecountry;sipfacilitytype\nF1;2024;VN;materialProduction\n",
        encoding="utf-8",
    )
    result = read_profiles(path)
    assert not errors(result), [p.describe() for p in result.problems]


BAD_CASES = [
    # (name, changes to GOOD, column, words in the message)
    ("unknown country", {"sitecountry": "Atlantis"}, "sitecountry", "unknown country"),
    ("negative employees", {"siptotalnumemployees": "-3"}, "siptotalnumemployees", "negative"),
    (
        "product categories on a mill",
        {
            "sipfacilitytype": "materialProduction",
            "sipfacilityannualprodvol_finalProductAssembly": "",
            "sipfacilityannualprodvol_finalProductAssembly_unit": "",
        },
        "sipproductcategories",
        "applies only",
    ),
    (
        "unknown unit",
        {"sipfacilityannualprodvol_materialProduction_unit": "bales"},
        "sipfacilityannualprodvol_materialProduction_unit",
        "unknown unit",
    ),
    (
        "unit of another dimension",
        {"sipfacilityannualprodvol_materialProduction_unit": "metres"},
        "sipfacilityannualprodvol_materialProduction_unit",
        "measures length",
    ),
    (
        "text in a number column",
        {"sipoperatingdays": "about 300"},
        "sipoperatingdays",
        "not a number",
    ),
    ("decimal comma", {"sipoperatingdays": "300,5"}, "sipoperatingdays", "decimal separator"),
    ("unknown facility type", {"sipfacilitytype": "spaceport"}, "sipfacilitytype", "unknown"),
    ("bad OS Hub check character", {"sip_osh_id": "PK2019083XJJ7D8"}, "sip_osh_id", "expected '7'"),
    (
        "OS Hub ID with a letter outside the alphabet",
        {"sip_osh_id": "PK2019083XJO7D7"},
        "sip_osh_id",
        "'O' at position 12",
    ),
    ("sub-answer without a yes", {"sipaudit": "no"}, "sipaudit_count", "only after Yes"),
    ("operating days above 366", {"sipoperatingdays": "400"}, "sipoperatingdays", "out of range"),
    ("bad year", {"year": "24"}, "year", "out of range"),
    ("year that is not a number", {"year": "FY2024"}, "year", "not a number"),
    (
        "fractional employees",
        {"siptotalnumemployees": "530.5"},
        "siptotalnumemployees",
        "whole number",
    ),
    ("yes/no that is neither", {"sipaudit": "maybe"}, "sipaudit", "yes/no"),
    ("missing facility id", {"facility_id": ""}, "facility_id", "required"),
    (
        "volume for a type not selected",
        {"sipfacilitytype": "finalProductAssembly", "sipmaterialtype": ""},
        "sipfacilityannualprodvol_materialProduction",
        "not among the facility types",
    ),
]


@pytest.mark.parametrize(
    ("name", "changes", "column", "words"), BAD_CASES, ids=[c[0] for c in BAD_CASES]
)
def test_bad_profile_gives_a_located_clear_problem(tmp_path, name, changes, column, words):
    result = read_profiles(write_csv(tmp_path / "profiles.csv", [{**GOOD, **changes}]))
    assert not result.ok
    found = [p for p in errors(result) if p.column == column]
    assert found, [p.describe() for p in result.problems]
    problem = found[0]
    assert words in problem.describe()
    assert problem.file == "profiles.csv" and problem.row == 2
    assert problem.accepted  # always says what would be accepted


def test_duplicate_facility_year(tmp_path):
    result = read_profiles(write_csv(tmp_path / "p.csv", [GOOD, {**GOOD, "facility_name": "x"}]))
    (problem,) = errors(result)
    assert problem.row == 3 and "appears twice (first in row 2)" in problem.message
    assert len(result.profiles) == 1


def test_missing_required_column(tmp_path):
    header = [h for h in HEADER if h != "sitecountry"]
    result = read_profiles(write_csv(tmp_path / "p.csv", [GOOD], header=header))
    (problem,) = errors(result)
    assert problem.column == "sitecountry" and problem.row == 1
    assert "required column is missing" in problem.message


def test_unknown_column_is_a_warning(tmp_path):
    result = read_profiles(
        write_csv(tmp_path / "p.csv", [{**GOOD, "colour": "blue"}], header=[*HEADER, "colour"])
    )
    assert result.ok
    (warning,) = [p for p in result.problems if p.column == "colour"]
    assert warning.severity is Severity.WARNING and warning.row == 1


def test_empty_file(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"")
    (problem,) = read_profiles(path).problems
    assert problem.code == "empty_file" and "empty" in problem.message


def test_header_without_rows(tmp_path):
    result = read_profiles(write_csv(tmp_path / "p.csv", []))
    assert not result.ok
    assert any(p.code == "no_rows" for p in result.problems)


def test_latin1_bytes_are_refused_with_the_line(tmp_path):
    path = write_csv(tmp_path / "p.csv", [{**GOOD, "facility_name": "Fábrica"}])
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    (problem,) = read_profiles(path).problems
    assert problem.code == "encoding" and "not UTF-8" in problem.message
    assert problem.row == 2 and "0xe1" in problem.message
    assert "CSV UTF-8" in problem.accepted


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_a_byte_order_mark_is_read(tmp_path, codec):
    path = write_csv(tmp_path / "p.csv", [{**GOOD, "facility_name": "Fábrica"}])
    path.write_bytes(path.read_text(encoding="utf-8").encode(codec))
    result = read_profiles(path)
    assert result.ok, [p.describe() for p in result.problems]
    assert result.table["facility_name"].to_list() == ["Fábrica"]


def test_old_mac_line_endings_are_read(tmp_path):
    path = write_csv(tmp_path / "p.csv", [GOOD, {**GOOD, "year": "2022"}])
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    result = read_profiles(path)
    assert result.ok, [p.describe() for p in result.problems]
    assert result.table.height == 2


def test_missing_file(tmp_path):
    (problem,) = read_profiles(tmp_path / "nope.csv").problems
    assert problem.code == "not_found"


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "p.docx"
    path.write_text("x")
    (problem,) = read_profiles(path).problems
    assert problem.code == "unsupported_format"


def test_invalid_json(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"profiles": [{"facility_id": "F1",}]}', encoding="utf-8")
    (problem,) = read_profiles(path).problems
    assert problem.code == "invalid_json" and "line 1" in problem.message


def test_a_json_key_given_twice_names_the_record_and_key(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"profiles": [{"facility_id": "F1", "year": 2023}, '
                    '{"facility_id": "F2", "year": 2023, "year": 2024}]}', encoding="utf-8")
    (problem,) = read_profiles(path).problems
    assert (problem.code, problem.row, problem.column) == ("duplicate_key", 2, "year")


def test_deeply_nested_json_is_refused_with_a_message(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"profiles": ' + "[" * 50_000 + "]" * 50_000 + "}", encoding="utf-8")
    (problem,) = read_profiles(path).problems
    assert problem.code == "too_deep" and "nested more than 20 levels" in problem.message


def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    import os

    path = tmp_path / "p.csv"
    os.mkfifo(path)
    (problem,) = read_profiles(path).problems
    assert problem.code == "unreadable_file" and "named pipe" in problem.message


def test_json_of_the_wrong_shape(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"facilities": []}', encoding="utf-8")
    (problem,) = read_profiles(path).problems
    assert "profiles" in problem.message


def test_json_nested_sub_questions(tmp_path):
    record = {
        "facility_id": "F9",
        "year": 2023,
        "sitecountry": "MMR",
        "sipfacilitytype": ["finalProductAssembly"],
        "sipfacilityannualprodvol": {
            "Finished Product Assembler": {"quantity": 12000, "unit": "dozen"}
        },
        "sipaudit": {"answer": "yes", "count": 2, "person_days": 1.5},
        "sip_has_osh_id": {"answer": True, "osh_id": "MM2020217RHSTQV"},
        "sipindustryprograms": [
            {
                "programme": "Clean by Design",
                "start_date": "2022-03",
                "end_date": None,
                "rating": "completed",
            }
        ],
        "sipincludedindiscolsure": {"answer": True, "platform": "CDP"},
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    result = read_profiles(path)
    assert result.ok, [p.describe() for p in result.problems]
    profile = result.profiles[0]
    assert profile.sitecountry == "MM" and profile.sipaudit_count == 2
    assert profile.sip_osh_id == "MM2020217RHSTQV"
    assert profile.sipincludedindiscolsure_platform == "cdp"
    assert profile.production_volume("finalProductAssembly") == 144_000
    assert profile.sipindustryprograms is True
    assert profile.sipindustryprograms_programmes[0].programme == "Clean by Design"


def test_json_record_problems_name_the_record(tmp_path):
    path = tmp_path / "p.json"
    good = {
        "facility_id": "F1",
        "year": 2024,
        "sitecountry": "BD",
        "sipfacilitytype": "materialProduction",
    }
    path.write_text(
        json.dumps({"profiles": [good, {**good, "facility_id": "F2", "year": 1900}]}),
        encoding="utf-8",
    )
    result = read_profiles(path)
    (problem,) = errors(result)
    assert problem.row == 2 and problem.column == "year"


def _xlsx(path, sheet_name, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row.get(h) for h in HEADER])
    return workbook


def test_xlsx_profiles_sheet(tmp_path):
    workbook = _xlsx(tmp_path, "profiles", [{**GOOD, "year": 2024, "siptotalnumemployees": 530}])
    workbook.create_sheet("notes")
    workbook.save(tmp_path / "p.xlsx")
    result = read_profiles(tmp_path / "p.xlsx")
    assert result.ok, [p.describe() for p in result.problems]
    assert result.records[0].sheet == "profiles" and result.records[0].row == 2


def test_xlsx_single_sheet_of_any_name(tmp_path):
    _xlsx(tmp_path, "Sheet1", [GOOD]).save(tmp_path / "p.xlsx")
    assert read_profiles(tmp_path / "p.xlsx").ok


def test_xlsx_without_the_sheet(tmp_path):
    workbook = _xlsx(tmp_path, "energy", [GOOD])
    workbook.create_sheet("water")
    workbook.save(tmp_path / "p.xlsx")
    (problem,) = read_profiles(tmp_path / "p.xlsx").problems
    assert problem.code == "missing_sheet" and "energy, water" in str(problem.value)


def test_xlsx_problem_names_the_sheet(tmp_path):
    _xlsx(tmp_path, "profiles", [{**GOOD, "sitecountry": "Gondor"}]).save(tmp_path / "p.xlsx")
    (problem,) = errors(read_profiles(tmp_path / "p.xlsx"))
    assert problem.location() == "p.xlsx, sheet profiles, row 2, column sitecountry"


def test_not_an_xlsx(tmp_path):
    path = tmp_path / "p.xlsx"
    path.write_text("this is not a workbook")
    (problem,) = read_profiles(path).problems
    assert problem.code == "unreadable_file"


def test_profiles_frame_from_a_raw_table_of_the_dataset_reader():
    raw = SimpleNamespace(
        frame=pl.DataFrame(
            {
                "_row": [2, 3],
                "facility_id": ["A", "B"],
                "year": ["2024", "2024"],
                "sitecountry": ["VN", "XX"],
                "sipfacilitytype": ["hardComponentTrimProduction", "materialProduction"],
                "sipfacilityannualprodvol_hardcomponenttrimproduction": ["10", None],
                "sipfacilityannualprodvol_hardcomponenttrimproduction_unit": ["dozen", None],
            }
        ),
        source=SimpleNamespace(file="profiles.csv", where="profiles.csv", sheet=None),
    )
    collected = []
    log = SimpleNamespace(add=collected.append)
    frame = profiles_frame(raw, log)
    assert frame["facility_id"].to_list() == ["A"]
    assert frame["_row"].to_list() == [2]
    assert frame["production_volume_hardComponentTrimProduction"].to_list() == [120.0]
    assert frame["journey_factory_type"].to_list() == ["component"]
    assert [(p.row, p.column) for p in collected if p.severity is Severity.ERROR] == [
        (3, "sitecountry")
    ]


def test_profiles_frame_of_nothing_keeps_the_schema():
    frame = profiles_frame([])
    assert frame.height == 0
    assert frame.schema["journey_factory_type"] == pl.String
    assert "production_volume_materialProduction" in frame.columns
