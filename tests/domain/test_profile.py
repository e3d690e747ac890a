"""The facility profile model, its cross-field rules and the verification checklist."""

from factory_journey.domain.problems import Severity
from factory_journey.domain.profile import PROFILES, FacilityProfile
from factory_journey.domain.site_checklist import checklist_questions, facility_checklist
from factory_journey.ingest.profile_reader import validate_profile

BASE = {
    "facility_id": "F1",
    "year": 2024,
    "sitecountry": "Bangladesh",
    "sipfacilitytype": ["Finished Product Assembler", "finished product processing"],
    "sipfacilityannualprodvol": {
        "finalProductAssembly": {"quantity": 100_000, "unit": "pcs"},
        "printingProductDyeingAndLaundering": {"quantity": 2, "unit": "t"},
    },
}


def _codes(problems):
    return {(p.column, p.code) for p in problems if p.severity is Severity.ERROR}


def test_valid_profile_is_normalised():
    profile, problems = validate_profile(BASE)
    assert profile is not None, problems
    assert profile.sitecountry == "BD"
    assert profile.sipfacilitytype == ["finalProductAssembly", "printingProductDyeingAndLaundering"]
    assert profile.production_volume("printingProductDyeingAndLaundering") == 2000
    assert profile.production_volume("materialProduction") is None


def test_all_sixteen_questions_are_fields():
    refs = [q["ref_id"] for q in checklist_questions()]
    assert len(refs) == 16
    for ref in refs:
        assert ref in FacilityProfile.model_fields
    assert "sipincludedindiscolsure" in refs  # (sic)


def test_flat_columns_follow_the_contract():
    names = set(PROFILES.column_names)
    for name in (
        "facility_id",
        "year",
        "sitecountry",
        "sipfacilityannualprodvol_materialProduction",
        "sipfacilityannualprodvol_materialProduction_unit",
        "sip_osh_id",
        "sip_parent_worldly_id",
        "sipapprovedtraining_reference_number",
        "water_stress_score",
        "verification_status",
        "park_id",
    ):
        assert name in names


def test_product_categories_only_for_assembly_or_processing():
    record = {
        **BASE,
        "sipfacilitytype": ["materialProduction"],
        "sipproductcategories": ["Apparel"],
        "sipfacilityannualprodvol": {},
    }
    profile, problems = validate_profile(record)
    assert profile is None
    assert ("sipproductcategories", "not_applicable") in _codes(problems)


def test_material_types_only_for_component_material_raw():
    profile, problems = validate_profile({**BASE, "sipmaterialtype": ["textiles"]})
    assert profile is None
    assert ("sipmaterialtype", "not_applicable") in _codes(problems)


def test_sub_answer_needs_a_yes():
    profile, problems = validate_profile({**BASE, "sipaudit": False, "sipaudit_count": 2})
    assert profile is None
    assert ("sipaudit_count", "sub_answer_without_yes") in _codes(problems)
    profile, _ = validate_profile(
        {**BASE, "sipaudit": True, "sipaudit_count": 2, "sipaudit_person_days": 1.5}
    )
    assert profile is not None


def test_volume_for_a_type_not_selected():
    record = {**BASE, "sipfacilityannualprodvol": {"materialProduction": {"quantity": 5}}}
    profile, problems = validate_profile(record)
    assert profile is None
    assert ("sipfacilityannualprodvol_materialProduction", "not_applicable") in _codes(problems)


def test_missing_volume_is_a_warning():
    profile, problems = validate_profile({**BASE, "sipfacilityannualprodvol": {}})
    assert profile is not None
    assert {p.code for p in problems} == {"missing_volume"}


def test_programmes_nested_list():
    record = {
        **BASE,
        "sipindustryprograms": True,
        "sipindustryprograms_programmes": [
            {
                "programme": "Clean by Design",
                "start_date": "2023-04",
                "rating": "completed",
                "link": "https://example.org/cbd",
            }
        ],
    }
    profile, problems = validate_profile(record)
    assert profile is not None, problems
    assert profile.sipindustryprograms_programmes[0].start_date.isoformat() == "2023-04-01"


def test_checklist_lists_only_applicable_questions():
    profile, _ = validate_profile({**BASE, "sip_has_osh_id": True, "sipaudit": False})
    assert profile is not None
    items = {item.ref_id: item for item in facility_checklist(profile)}
    assert "sipproductcategories" in items
    assert "sipmaterialtype" not in items  # not a component/material/raw facility
    assert items["siptotalnumemployees"].documents[0].startswith("Payroll")
    assert not items["sip_has_osh_id"].verified_2024
    assert not items["sip_is_part_of_group"].verified_2024
    assert items["sip_has_osh_id"].sub_questions  # Yes → its sub-question is listed
    assert items["sipaudit"].sub_questions == ()  # No → none


def test_checklist_for_a_mill():
    profile, _ = validate_profile(
        {
            **BASE,
            "sipfacilitytype": ["materialProduction"],
            "sipfacilityannualprodvol": {},
            "sipmaterialtype": ["Fabric"],
            "sipfreshwaterpretreatused": True,
            "sipfreshwaterpretreatused_types": ["ZLD", "primary"],
        }
    )
    assert profile is not None
    items = {item.ref_id: item for item in facility_checklist(profile)}
    assert "sipmaterialtype" in items and "sipproductcategories" not in items
    water = items["sipfreshwaterpretreatused"]
    assert water.inspect and water.documents
    assert dict((k, a) for k, _, a in water.sub_questions)["types"] == ["advanced_zld", "primary"]


def test_field_and_rule_problems_are_reported_together():
    record = {**BASE, "siptotalnumemployees": -1, "sipaudit": False, "sipaudit_count": 3}
    profile, problems = validate_profile(record)
    assert profile is None
    assert {("siptotalnumemployees", "invalid_cell"),
            ("sipaudit_count", "sub_answer_without_yes")} <= _codes(problems)
