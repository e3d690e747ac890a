"""Site Information rules of the seed (higg-fem-site-information.txt), one case each, through
the dataset reader: each broken rule is a located error or warning on the profile row."""

from __future__ import annotations

from pathlib import Path

import pytest

from factory_journey.domain.profile import FacilityProfile
from factory_journey.ingest import read_dataset
from tests.ingest.dataset_helpers import example_copy, read_table, set_cell

A = "sipfacilityannualprodvol_finalProductAssembly"
M = "sipfacilityannualprodvol_materialProduction"

#: (rule, {column: value} on data row `index`, index, column named, code, severity)
CASES = [
    ("a day under 50 % counts 0.5: the total is whole and half days",
     {"sipoperatingdays": "287.25"}, 0, "sipoperatingdays", "operating_days_halves", "error"),
    ("half days are accepted", {"sipoperatingdays": "287.5"}, 0, None, None, None),
    ("no more operating days than the year has (2023: 365)",
     {"sipoperatingdays": "366"}, 0, "sipoperatingdays", "operating_days_year", "error"),
    ("an audit answered Yes is one or more audits",
     {"sipaudit": "yes", "sipaudit_count": "0"}, 0, "sipaudit_count", "audit_count", "error"),
    ("treatment operators are employees of the facility",
     {"sipfreshwaterpretreatused_operators": "5000"}, 1,
     "sipfreshwaterpretreatused_operators", "more_than_employees", "warning"),
    ("SAM is the year's TOTAL, not one product's",
     {f"{A}_additional": "15", f"{A}_additional_unit": "SAM"}, 0, f"{A}_additional",
     "sam_not_total", "warning"),
    ("a total SAM is accepted",
     {f"{A}_additional": "18000000", f"{A}_additional_unit": "sam"}, 0, None, None, None),
    ("the additional quantity needs its unit",
     {f"{A}_additional": "18000000"}, 0, f"{A}_additional_unit", "unit", "error"),
    ("the additional unit comes from the type's list",
     {f"{M}_additional": "100", f"{M}_additional_unit": "SAM"}, 1, f"{M}_additional_unit",
     "unit", "error"),
    ("the additional option is beside the volume in the FEM unit",
     {f"{M}_additional": "500000", f"{M}_additional_unit": "m", M: None}, 1, M,
     "missing_volume", "warning"),
]


@pytest.mark.parametrize(("rule", "cells", "index", "column", "code", "severity"), CASES,
                         ids=[c[0] for c in CASES])
def test_rule(tmp_path: Path, rule: str, cells: dict[str, str | None], index: int,
              column: str | None, code: str | None, severity: str | None) -> None:
    folder = example_copy(tmp_path)
    frame = read_table(folder, "profiles")
    for name, value in cells.items():
        frame = set_cell(frame, index, name, value)
    frame.write_csv(folder / "profiles.csv")
    problems = [p for p in read_dataset(folder).problems if p.file == "profiles.csv"]
    if code is None:
        assert [p.describe() for p in problems if p.column in cells] == []
        return
    found = [p for p in problems if p.code == code and p.column == column]
    assert found, (rule, [p.describe() for p in problems])
    assert found[0].row == index + 2
    assert found[0].severity.value == severity
    assert found[0].accepted


def test_the_additional_option_survives_nested_json_and_the_model(tmp_path: Path) -> None:
    profile = FacilityProfile.model_validate({
        "facility_id": "F", "year": 2023, "sitecountry": "BD",
        "sipfacilitytype": ["finalProductAssembly"],
        "sipfacilityannualprodvol": {"finalProductAssembly": {
            "quantity": 100000, "additional_quantity": 1500000, "additional_unit": "SAM"}},
    })
    flat = profile.to_flat()
    assert flat[f"{A}_additional"] == 1500000
    assert flat[f"{A}_additional_unit"] == "SAM"
    again = FacilityProfile.from_flat(flat)
    assert again.sipfacilityannualprodvol["finalProductAssembly"].additional_quantity == 1500000
    # without the option, a volume serialises as before
    plain = FacilityProfile.model_validate({**profile.model_dump(), PRODVOL_KEY: {
        "finalProductAssembly": {"quantity": 5}}})
    assert plain.model_dump()[PRODVOL_KEY]["finalProductAssembly"] == {"quantity": 5.0,
                                                                       "unit": None}


PRODVOL_KEY = "sipfacilityannualprodvol"
