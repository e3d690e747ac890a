"""English source texts (gettext msgids) for the keys that reports show.

Keys come from the Data Matrix and the assessment (areas, indicators, levels, factory types);
the texts here are the msgids of the report catalogues, so every one of them must be translated
in every language (tests/reports/test_catalogues.py).
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for extraction into the catalogues without translating it here."""
    return message


AREAS: dict[str, str] = {
    "energy": N_("Energy"),
    "water": N_("Water"),
    "wastewater": N_("Wastewater"),
    "chemicals": N_("Chemicals"),
    "ems": N_("Environmental management"),
    "waste": N_("Waste"),
    "air": N_("Air emissions"),
}
AREA_ORDER = list(AREAS)

LEVELS: dict[str, str] = {
    "high": N_("High opportunity"),
    "low": N_("Low opportunity"),
    "not_assessed": N_("Not assessed"),
}

INDICATORS: dict[str, str] = {
    "energy_intensity": N_("Energy intensity"),
    "renewable_share": N_("Renewable energy share"),
    "coal_share_thermal": N_("Coal share of thermal energy"),
    "water_intensity": N_("Water intensity"),
    "water_recycled_reused_share": N_("Water recycled or reused"),
    "zdhc_level": N_("ZDHC wastewater level"),
    "wastewater_recycling_rate": N_("Wastewater recycling rate"),
    "chem_gateway_share": N_("Chemicals listed on the ZDHC Gateway"),
    "chem_months_reported": N_("Months of chemical inventory reported"),
    "ems_policy": N_("Environmental policy"),
    "ems_management_system": N_("Environmental management system"),
    "waste_diversion_share": N_("Waste diverted from disposal"),
    "waste_share_landfill": N_("Waste sent to landfill"),
    "air_sources_tracked_share": N_("Air emission sources tracked"),
    "air_coal_share_thermal": N_("Coal share of thermal energy (air)"),
}

FACTORY_TYPES: dict[str, str] = {
    "cut_sew": N_("Cut and sew"),
    "mill": N_("Mill"),
    "vertical": N_("Vertical"),
    "component": N_("Component and trim"),
    "raw_material": N_("Raw material processing"),
}

ZDHC_LEVELS: dict[int, str] = {
    0: N_("Fail"),
    1: N_("Foundational"),
    2: N_("Progressive"),
    3: N_("Aspirational"),
}

PATHWAYS: dict[str, str] = {
    "recommended": N_("Recommended pathway"),
    "optional": N_("Optional pathway"),
    "collect_data": N_("Collect data first"),
    "none": N_("Maintain"),
}

MATURITY: dict[str, str] = {
    "awareness": N_("Awareness"),
    "baseline": N_("Baseline"),
    "managing": N_("Targets and tracking"),
    "leading": N_("Leading, verified"),
}

#: Short names of the matrix columns an indicator needs (`requires` in the methodology) and
#: that the assessment names when they are missing (`missing_data`; `production_volume` stands
#: for the volume on the facility's intensity basis, or the basis itself when it is unknown).
INPUTS: dict[str, str] = {
    "energy_total_mj": N_("energy used"),
    "energy_thermal_mj": N_("thermal energy used"),
    "water_withdrawal_m3": N_("fresh water withdrawn"),
    "wastewater_m3": N_("wastewater generated"),
    "zdhc_parameters_tested": N_("ZDHC wastewater parameters tested"),
    "chem_products": N_("chemical products in inventory"),
    "waste_total_kg": N_("waste generated"),
    "air_sources_count": N_("air emission sources"),
    "production_volume_pcs": N_("annual production in pieces"),
    "production_volume_kg": N_("annual production in kg"),
    "intensity_basis": N_("production unit (pieces or kg)"),
}
