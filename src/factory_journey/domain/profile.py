"""The facility profile: Higg FEM Site Information, one facility and reporting year.

Field names are the FEM Ref IDs (`sitecountry`, `sipfacilitytype`, …) and, for sub-questions,
`<refid>_<sub>` as in docs/contracts.md §1. The annual production volume is a mapping from
FEM facility type key to quantity and unit (flat columns `sipfacilityannualprodvol_<key>` and
`…_<key>_unit`); industry programmes are a nested list (JSON only; flat files use the
`programmes` table).

`PROFILES` is the spec the vectorised validator (`ingest.profile_reader`) checks types,
choices and ranges against; the cross-field rules are polars expressions in `profile_rules`.
`FacilityProfile` is the nested output form of a validated row (`journey profile show`,
checklists): it is built from validated rows and holds no rules of its own. It and its parts
are defined in `profile_model` and importable from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factory_journey.domain import fem_enums
from factory_journey.domain.tables import VERIFICATION_STATUSES, Column, Table
from factory_journey.domain.units import unit_dimension

if TYPE_CHECKING:
    from factory_journey.domain.profile_model import FacilityProfile as FacilityProfile
    from factory_journey.domain.profile_model import ProductionVolume as ProductionVolume
    from factory_journey.domain.profile_model import Programme as Programme

#: The pydantic models of a profile live in `profile_model` and are loaded when first asked
#: for: reading and assessing a dataset validates the flat table, not the models, and building
#: the models costs every command's start-up (issue 14).
_MODELS = ("FacilityProfile", "ProductionVolume", "Programme")

PRODVOL = "sipfacilityannualprodvol"
#: Suffix of the additional-option quantity of a facility type (`<PRODVOL>_<key>_additional`).
ADDITIONAL = "_additional"
COUNTRY_ACCEPTED = (
    "an ISO 3166 alpha-2 or alpha-3 code, or the country's name in English or in a language "
    "of the platform (e.g. BD, BGD, Bangladesh, বাংলাদেশ)"
)
OSH_ACCEPTED = "an Open Supply Hub ID: 15 characters CC YYYYDDD RRRRR K (e.g. PK2019083XJJ7D7)"

#: Which facility types make a question applicable (FEM: "only applicable to facilities that
#: selected …").
PRODUCT_CATEGORY_TYPES: tuple[str, ...] = (
    "finalProductAssembly",
    "printingProductDyeingAndLaundering",
)
MATERIAL_TYPE_TYPES: tuple[str, ...] = (
    "hardComponentTrimProduction",
    "materialProduction",
    "rawMaterialProcessing",
)

#: Sub-questions asked only when the parent's answer is Yes: parent → {sub key: column}.
SUB_QUESTIONS: dict[str, dict[str, str]] = {
    "sipfreshwaterpretreatused": {
        "types": "sipfreshwaterpretreatused_types",
        "operators": "sipfreshwaterpretreatused_operators",
    },
    "sipindustryprograms": {"programmes": "sipindustryprograms_programmes"},
    "sipaudit": {
        "count": "sipaudit_count",
        "person_days": "sipaudit_person_days",
        "types": "sipaudit_types",
    },
    "sipapprovedtraining": {
        "course": "sipapprovedtraining_course",
        "year": "sipapprovedtraining_year",
        "trainer_body": "sipapprovedtraining_trainer_body",
        "reference_number": "sipapprovedtraining_reference_number",
        "attendees": "sipapprovedtraining_attendees",
    },
    "sipincludedindiscolsure": {
        "platform": "sipincludedindiscolsure_platform",
        "other": "sipincludedindiscolsure_other",
    },
    "sip_has_osh_id": {"osh_id": "sip_osh_id", "id": "sip_osh_id"},
    "sip_is_part_of_group": {
        "parent_worldly_id": "sip_parent_worldly_id",
        "parent_osh_id": "sip_parent_osh_id",
    },
}


def parent_question(column: str) -> str | None:
    """The question (Ref ID) a sub-question column belongs to, or None for a question."""
    for parent, subs in SUB_QUESTIONS.items():
        if column in subs.values():
            return parent
    return None


def _c(name: str, type_: Any, description: str, **kw: Any) -> Column:
    return Column(name, type_, description, fem_ref_id=parent_question(name) or name, **kw)


def _prodvol_columns() -> tuple[Column, ...]:
    columns: list[Column] = []
    for key, info in fem_enums.facility_types().items():
        columns.append(
            Column(f"{PRODVOL}_{key}", "float",
                   f"Shipped/sold volume as {info.label}, rejects excluded, in the unit column.",
                   minimum=0, fem_ref_id=PRODVOL,
                   dimension=unit_dimension(info.production_unit))
        )
        # The unit is checked against the type's dimension by the model, which can say
        # "a length unit for a kg type" rather than only "not in the list".
        columns.append(
            Column(f"{PRODVOL}_{key}_unit", "str",
                   f"Unit of that volume; empty = {info.production_unit} "
                   f"(accepted: {', '.join(info.allowed_units)}).",
                   fem_ref_id=PRODVOL)
        )
    for key, info in fem_enums.facility_types().items():
        if not info.additional_units:
            continue
        # FEM's "Annual Quantity (Additional Option)": the same year's volume in another unit
        # of the type's list, beside (not instead of) the volume in the FEM unit.
        columns.append(
            Column(f"{PRODVOL}_{key}{ADDITIONAL}", "float",
                   f"Additional option: the {info.label} volume in another unit (e.g. the "
                   "year's TOTAL standard allowed minutes, Σ SAM per piece × pieces).",
                   minimum=0, fem_ref_id=PRODVOL)
        )
        columns.append(
            Column(f"{PRODVOL}_{key}{ADDITIONAL}_unit", "str",
                   f"Unit of the additional quantity (required with it; accepted: "
                   f"{', '.join(info.additional_units)}).", fem_ref_id=PRODVOL)
        )
    return tuple(columns)


#: The flat `profiles` table of docs/contracts.md §1, in template order.
PROFILES = Table(
    name="profiles",
    row_is="one facility in one reporting year (FEM Site Information)",
    key=("facility_id", "year"),
    required=True,
    columns=(
        Column("facility_id", "str", "Facility identifier used across all tables.", True),
        Column("facility_name", "str", "Facility name."),
        Column("year", "int", "Reporting year.", True, minimum=1990, maximum=2100),
        _c("sitecountry", "str", "Country or region of the facility.", required=True),
        _c("sipfacilitytype", "list", "FEM facility type(s), ;-separated.", required=True,
           enum=fem_enums.FACILITY_TYPES),
        _c("sipproductcategories", "list", "Product categories (assemblers and finished "
           "product processors only).", enum=fem_enums.PRODUCT_CATEGORIES),
        _c("sipmaterialtype", "list", "Material types (component, material production and raw "
           "material processing only).", enum=fem_enums.MATERIAL_TYPES),
        _c("sipindustrysector", "list", "Industry sectors supplied.",
           enum=fem_enums.INDUSTRY_SECTORS),
        _c("sipoperatingdays", "float", "Operating days in the year [day]; a day with < 50 % "
           "of hours or workers counts 0.5.", minimum=0, maximum=366),
        _c("siptotalnumemployees", "int", "Average employees over pay periods, rounded up "
           "[persons].", minimum=0),
        *_prodvol_columns(),
        _c("sipfacilityindustrialzone", "bool", "Located inside an industry zone/park."),
        Column("park_id", "str", "Industrial park identifier (optional, for park views)."),
        _c("sipfreshwaterpretreatused", "bool", "Onsite water pre-treatment and/or wastewater "
           "treatment."),
        _c("sipfreshwaterpretreatused_types", "list", "Treatment types (only after Yes).",
           enum=fem_enums.TREATMENT_TYPES),
        _c("sipfreshwaterpretreatused_operators", "int", "Employees operating the treatment "
           "[persons] (only after Yes).", minimum=0),
        _c("sipindustryprograms", "bool", "Took part in sustainability industry programmes "
           "(details in the programmes table)."),
        _c("sipaudit", "bool", "Environmental assessment/audit other than the Higg vFEM in the "
           "year."),
        _c("sipaudit_count", "int", "Number of assessments/audits (only after Yes).",
           minimum=0),
        _c("sipaudit_person_days", "float", "Auditor person-days, environmental portion "
           "[person-day] (only after Yes).", minimum=0),
        _c("sipaudit_types", "str", "Types of the assessments/audits (only after Yes)."),
        _c("sipapprovedtraining", "bool", "Attended approved Higg FEM training within 24 "
           "months."),
        _c("sipapprovedtraining_course", "str", "Training course name (only after Yes)."),
        _c("sipapprovedtraining_year", "int", "Year of the most recent training (only after "
           "Yes).", minimum=1990, maximum=2100),
        _c("sipapprovedtraining_trainer_body", "str", "Trainer body company (only after Yes)."),
        _c("sipapprovedtraining_reference_number", "str", "Training event reference number "
           "(only after Yes)."),
        _c("sipapprovedtraining_attendees", "int", "Persons who attended [persons] (only after "
           "Yes).", minimum=0),
        _c("sipincludedindiscolsure", "bool", "GHG emissions included in a broader corporate "
           "disclosure (sic, FEM spelling)."),
        _c("sipincludedindiscolsure_platform", "str", "Disclosure platform (only after Yes).",
           enum=fem_enums.DISCLOSURE_PLATFORMS),
        _c("sipincludedindiscolsure_other", "str", "Other platform, described (only after "
           "Yes)."),
        _c("sip_has_osh_id", "bool", "Has a claimed Open Supply Hub ID."),
        Column("sip_osh_id", "str", "Open Supply Hub ID (only after Yes).",
               fem_ref_id="sip_has_osh_id"),
        _c("sip_is_part_of_group", "bool", "Part of a group owned by a parent company."),
        Column("sip_parent_worldly_id", "str", "Parent company's Higg FEM/Worldly account ID "
               "(only after Yes).", fem_ref_id="sip_is_part_of_group"),
        Column("sip_parent_osh_id", "str", "Parent company's Open Supply Hub ID (only after "
               "Yes).", fem_ref_id="sip_is_part_of_group"),
        Column("water_stress_score", "float", "Aqueduct baseline water stress at the site "
               "[0–5]; empty = country value.", minimum=0, maximum=5),
        Column("verification_status", "str", "self-reported (default), verified or disputed.",
               enum=VERIFICATION_STATUSES),
    ),
)


def __getattr__(name: str) -> Any:
    if name in _MODELS:
        from factory_journey.domain import profile_model

        return getattr(profile_model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
