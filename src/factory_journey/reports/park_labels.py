"""English source texts (msgids of the park catalogue, `park.po`) for the keys a park report shows.

Park reports have their own catalogue domain (the report languages; `i18n.PARK_LANGUAGES`),
so their messages are marked with `NP_` and translated with a translator named `pt`: the
facility-report extraction (`tr`, `N_`) does not pick them up. `tools/update_catalogues.py`
also adds to the park catalogue the impact-area names of `labels.AREAS`, and the pillar,
requirement and shared-measure titles of the packaged framework and plan files.
"""

from __future__ import annotations


def NP_(message: str) -> str:
    """Mark a string for the park catalogue without translating it here."""
    return message


RESULTS: dict[str, str] = {
    "met": NP_("Met"),
    "partly_met": NP_("Partly met"),
    "not_met": NP_("Not met"),
    "not_assessed": NP_("Not assessed"),
}

ZDHC_STATUS: dict[str, str] = {
    "green": NP_("Passes (green)"),
    "yellow": NP_("Fails, action plan filed (yellow)"),
    "red": NP_("Fails, no action plan (red)"),
    "not_tested": NP_("Not tested"),
}

SHARED_TYPES: dict[str, str] = {
    "central_effluent_treatment": NP_("Central effluent treatment plant"),
    "central_boiler": NP_("Central boiler or steam plant"),
    "power_plant": NP_("Power plant"),
    "solar_plant": NP_("Solar plant"),
    "water_supply": NP_("Water supply and treatment"),
    "waste_yard": NP_("Waste yard"),
    "dormitory": NP_("Dormitory"),
    "canteen": NP_("Canteen"),
    "other": NP_("Other shared facility"),
}

SPLIT_BASES: dict[str, str] = {
    "metered": NP_("Metered share"),
    "volume": NP_("Volume"),
    "production": NP_("Production"),
    "equal": NP_("Equal shares"),
    "headcount": NP_("Headcount"),
}

#: Park indicators shown in the totals table, with their unit kind: `share`, `count`, or a unit.
TOTALS: tuple[tuple[str, str, str], ...] = (
    ("energy_total_mj", NP_("Total energy"), "GJ"),
    ("renewable_share", NP_("Renewable energy share"), "share"),
    ("ghg_kgco2e", NP_("Greenhouse gas emissions (Scope 1 and 2)"), "tCO2e"),
    ("water_withdrawal_m3", NP_("Fresh water withdrawn"), "m³"),
    ("water_recycled_reused_share", NP_("Water recycled or reused"), "share"),
    ("wastewater_m3", NP_("Wastewater"), "m³"),
    ("waste_total_kg", NP_("Waste"), "t"),
    ("waste_diversion_share", NP_("Waste diverted from disposal"), "share"),
    ("energy_mj_per_employee", NP_("Energy per employee"), "GJ"),
    ("water_m3_per_employee", NP_("Water per employee"), "m³"),
    ("ghg_kgco2e_per_employee", NP_("Emissions per employee"), "tCO2e"),
    ("members_zdhc_tested_share", NP_("Members with a ZDHC wastewater test"), "share"),
    ("members_zdhc_green_share", NP_("Tested members passing ZDHC"), "share"),
)
#: Indicator values are stored in MJ, kgCO2e and kg; the report shows GJ, tonnes.
UNIT_DIVISORS: dict[str, float] = {"GJ": 1000.0, "tCO2e": 1000.0, "t": 1000.0}
