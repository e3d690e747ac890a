"""A hand-made park: three members and one central effluent plant (CETP), one year, annual
rows, written as the CSV files a user gives. Every figure of the tests is worked out by hand
from these rows."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
FRAMEWORK = FIXTURES / "tiny-framework.yaml"

PROFILES = (
    "facility_id,year,facility_name,sitecountry,sipfacilitytype,siptotalnumemployees,"
    "sipfacilityannualprodvol_finalProductAssembly,sipfacilityannualprodvol_materialProduction\n"
) + """M1,2024,Member one,ET,finalProductAssembly,100,100000,
M2,2024,Member two,ET,materialProduction,200,,50000
M3,2024,Member three,ET,finalProductAssembly,300,200000,
OUT,2024,Not in the park,ET,finalProductAssembly,50,1000,
"""
ENERGY = """facility_id,year,source,quantity,unit
M1,2024,purchased_electricity,100000,kWh
M1,2024,solar_pv,300000,kWh
M2,2024,purchased_electricity,200000,kWh
M2,2024,purchased_steam,500000,MJ
M3,2024,purchased_electricity,50000,kWh
OUT,2024,purchased_electricity,999999,kWh
"""
WATER = """facility_id,year,source,flow,quantity,unit
M1,2024,municipal,withdrawal,1000,m3
M2,2024,groundwater,withdrawal,20000,m3
M2,2024,groundwater,recycled,2000,m3
M3,2024,municipal,withdrawal,3000,m3
"""
WASTEWATER_OWN = """facility_id,year,wastewater_type,quantity,unit
M1,2024,domestic,800,m3
M3,2024,domestic,2500,m3
"""
#: M2's industrial wastewater, as the member gives it (moved to the plant's meter in a test)
M2_WASTEWATER = "M2,2024,industrial,18000,m3\n"
WASTE = """facility_id,year,stream,hazardous,quantity,unit,disposal_method
M1,2024,fabric_scraps,no,5000,kg,recycling
M2,2024,etp_sludge,yes,2000,kg,landfill
"""
ZDHC = """facility_id,sample_date,parameter,value,unit,discharge_type,sampling_point
M2,2024-03-01,cod,100,mg/L,indirect_pretreatment_with_sludge,discharged
M2,2024-03-01,bod5,20,mg/L,indirect_pretreatment_with_sludge,discharged
"""
PARKS = """park_id,park_name,country,operator
P1,Hand Park,Ethiopia,Hand Park Operator
"""
MEMBERS = """park_id,year,facility_id
P1,2024,M1
P1,2024,M2
P1,2024,M3
"""
SHARED_FACILITIES = """park_id,year,shared_facility_id,name,type,serves
P1,2024,CETP,Central effluent plant,central_effluent_treatment,metered
"""
SHARED_ENERGY = """facility_id,year,source,quantity,unit
CETP,2024,purchased_electricity,20000,kWh
"""
SHARED_WATER = """facility_id,year,source,flow,quantity,unit
CETP,2024,municipal,withdrawal,100,m3
"""
SHARED_WASTEWATER = """facility_id,year,wastewater_type,quantity,unit,member_facility_id
CETP,2024,domestic,50,m3,
"""
#: M2's industrial wastewater metered at the plant's inlet
M2_AT_PLANT = "CETP,2024,industrial,18000,m3,M2\n"
SHARED_WASTE = """facility_id,year,stream,hazardous,quantity,unit,disposal_method
CETP,2024,etp_sludge,yes,10000,kg,landfill
"""
SHARED_ZDHC = """facility_id,sample_date,parameter,value,unit,discharge_type,sampling_point
CETP,2024-04-01,cod,200,mg/L,direct,discharged
CETP,2024-04-01,bod5,20,mg/L,direct,discharged
"""
QUESTIONNAIRE = """park_id,year,question_id,answer,evidence
P1,2024,pm_management_plan,yes,
P1,2024,soc_grievance_mechanism,no,
P1,2024,env_monitoring_points,2,monitoring-log-2024.xlsx
"""


def write_park(folder: Path, *, m2_at_plant: bool = False, both: bool = False) -> Path:
    """The hand park as CSV files in `folder`. M2's industrial wastewater is in its own table
    (default), metered at the plant (`m2_at_plant`), or — wrongly — in both (`both`)."""
    folder.mkdir(parents=True, exist_ok=True)
    own = WASTEWATER_OWN + ("" if m2_at_plant and not both else M2_WASTEWATER)
    plant = SHARED_WASTEWATER + (M2_AT_PLANT if m2_at_plant or both else "")
    files = {
        "profiles": PROFILES, "energy": ENERGY, "water": WATER, "wastewater": own,
        "waste": WASTE, "zdhc_wastewater": ZDHC, "parks": PARKS, "park_members": MEMBERS,
        "shared_facilities": SHARED_FACILITIES, "shared_energy": SHARED_ENERGY,
        "shared_water": SHARED_WATER, "shared_wastewater": plant, "shared_waste": SHARED_WASTE,
        "shared_zdhc_wastewater": SHARED_ZDHC, "park_questionnaire": QUESTIONNAIRE,
    }
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder
