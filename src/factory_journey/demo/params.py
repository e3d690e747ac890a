"""Parameters of the synthetic demo data, each anchored on a figure it cites.

Sources are the sections of `/shared/domain-facts.md` (copied into the project's docs) and the
seed `factory-improvement-journey.txt`; where no published figure was in hand the value is a
plain project assumption and says so (`[assumption]`). Nothing here is a benchmark: these are
the knobs of a random generator, chosen so that the generated data looks like a pilot.

Index conventions used by the arrays below:
- countries `COUNTRIES` = BD, CN, VN, TR, KH;
- journey factory types `FACTORY_TYPES` = cut_sew, mill, vertical, component;
- cohorts `COHORTS` = clp_stz, stz, clp, control.
"""

from __future__ import annotations

import numpy as np

# --- Cohorts and countries (seed, "Participation Record of Pilot Factories") -----------------
# The seed's pilot: 18 CLP + STZ, 33 STZ only, 33 CLP only, 30 control = 114 factories.
COHORTS: tuple[str, ...] = ("clp_stz", "stz", "clp", "control")
COHORT_WEIGHTS = np.array([18, 33, 33, 30], dtype=float)
COHORT_CLP = np.array([True, False, True, False])
COHORT_STZ = np.array([True, True, False, False])

# Seed country distribution: Bangladesh 37, China 40, Vietnam 14, Turkey 9 (= 100). The seed
# also names Cambodia ("Vietnam, Cambodia, Bangladesh and other countries") without a count:
# the remaining pilot factories are put in Cambodia, 15 of them, making 115 in all.
COUNTRIES: tuple[str, ...] = ("BD", "CN", "VN", "TR", "KH")
COUNTRY_NAMES: tuple[str, ...] = ("Bangladesh", "China", "Vietnam", "Turkey", "Cambodia")
COUNTRY_ISO3: tuple[str, ...] = ("BGD", "CHN", "VNM", "TUR", "KHM")
COUNTRY_WEIGHTS = np.array([37, 40, 14, 9, 15], dtype=float)
PILOT_FACILITIES = 115

# Seed, "Regional Insights": Bangladesh and China showed the highest improvements. The
# programme effect is scaled per country [assumption: 1.3 vs 0.75].
COUNTRY_EFFECT = np.array([1.3, 1.3, 0.75, 0.75, 0.75])

# --- Factory types (seed: cut & sew, mills, vertical; domain-facts §1 facility types) --------
FACTORY_TYPES: tuple[str, ...] = ("cut_sew", "mill", "vertical", "component")
# Share of factory types by country [assumption]: Cambodia and Vietnam are mostly assemblers,
# China and Turkey have many mills, Bangladesh many knit composites (vertical).
TYPE_BY_COUNTRY = np.array(
    [
        [0.45, 0.22, 0.28, 0.05],  # BD
        [0.35, 0.35, 0.20, 0.10],  # CN
        [0.58, 0.17, 0.15, 0.10],  # VN
        [0.30, 0.37, 0.28, 0.05],  # TR
        [0.80, 0.05, 0.10, 0.05],  # KH
    ]
)
# CLP targets wet-processing hotspot suppliers (domain-facts §3), and STZ is a chemicals
# programme: both over-sample mills and vertical factories [assumption: weights ×2.5 / ×1.6].
TYPE_WEIGHT_CLP = np.array([1.0, 2.5, 2.5, 0.6])
TYPE_WEIGHT_STZ = np.array([1.0, 1.6, 1.6, 0.8])
# Mills split between Material Production and Finished Product Processing (wet processing of
# products) [assumption: 65/35].
MILL_MATERIAL_SHARE = 0.65

# --- Size: employees and production (domain-facts §1 Site Information) -----------------------
# Median employees and log-sd per type [assumption]; Bangladesh garment factories are larger.
EMPLOYEES_MEDIAN = np.array([1200.0, 450.0, 2600.0, 300.0])
EMPLOYEES_SIGMA = np.array([0.6, 0.6, 0.55, 0.7])
EMPLOYEES_COUNTRY = np.array([1.5, 1.0, 1.1, 0.7, 1.0])
# Pieces shipped per employee and year (assembly) [assumption: ~10-15 pieces a worker-day].
PCS_PER_EMPLOYEE = np.array([3200.0, 0.0, 2600.0, 25000.0])
PCS_SIGMA = 0.35
# kg shipped per employee and year (material / processing) [assumption: a 450-person mill
# ships ~3,600 t a year, ~12 t a day].
KG_PER_EMPLOYEE = np.array([0.0, 8000.0, 3200.0, 0.0])
KG_SIGMA = 0.45
PRODUCTION_GROWTH_MEAN = 0.03  # per year [assumption]
PRODUCTION_GROWTH_SD = 0.08

# --- Energy (domain-facts §4 Çay 2018; §3 Clean by Design / CLP) -----------------------------
# Cut & sew: knitted garment from finished fabric 0.78–1.44 MJ/piece (Çay 2018): median 1.1,
# log-sd 0.22 gives a 5–95 % range of about 0.77–1.58 MJ/pc.
ENERGY_MJ_PER_PC = 1.1
ENERGY_PC_SIGMA = 0.22
# Components (trims, labels, buttons) per piece [assumption].
ENERGY_MJ_PER_PC_COMPONENT = 0.35
# Mills per kg of fabric processed: wet processing is far more energy-intensive than assembly
# [assumption: median 35 MJ/kg, log-sd 0.4, about 18–67 MJ/kg]; product processing (garment
# dyeing, laundering) somewhat less [×0.6].
ENERGY_MJ_PER_KG = 35.0
ENERGY_KG_SIGMA = 0.4
ENERGY_PROCESSING_FACTOR = 0.6
# Electricity share of site energy [assumption]: assembly is mostly electric (sewing, lighting,
# cooling; steam for pressing is the thermal part), wet processing mostly thermal (steam).
ELECTRIC_SHARE_ASSEMBLY = (0.80, 0.07)  # mean, sd
ELECTRIC_SHARE_MILL = (0.30, 0.07)

# Energy sources as fem_energy_sources.csv keys (resolved in generator via keys.pick).
ENERGY_SOURCE_CANDIDATES: tuple[tuple[str, ...], ...] = (
    ("purchased_electricity",),
    ("solar_pv",),
    ("purchased_renewables",),
    ("natural_gas",),
    ("coal",),
    ("diesel",),
    ("fuel_oil",),
    ("lpg",),
    ("biomass_uncertified",),
    ("purchased_steam",),
)
SRC_GRID, SRC_SOLAR, SRC_REN, SRC_GAS, SRC_COAL, SRC_DIESEL, SRC_FO, SRC_LPG, SRC_BIO, SRC_STEAM = (
    range(10)
)
THERMAL_SOURCES = np.array([SRC_GAS, SRC_COAL, SRC_DIESEL, SRC_FO, SRC_LPG, SRC_BIO, SRC_STEAM])
# Main thermal fuel by country, over THERMAL_SOURCES [assumption, following the brief and
# common knowledge of the regions: coal common in Chinese and Bangladeshi mills, pipeline gas
# in Turkey and Bangladesh, biomass (wood, rice husk) in Cambodia and Vietnam, park steam in
# Chinese industrial zones].
THERMAL_FUEL_BY_COUNTRY = np.array(
    [
        # gas   coal  diesel fo    lpg   bio   steam
        [0.45, 0.25, 0.13, 0.05, 0.05, 0.02, 0.05],  # BD
        [0.28, 0.40, 0.04, 0.03, 0.05, 0.05, 0.15],  # CN
        [0.05, 0.35, 0.10, 0.10, 0.05, 0.30, 0.05],  # VN
        [0.85, 0.07, 0.02, 0.03, 0.03, 0.00, 0.00],  # TR
        [0.00, 0.15, 0.25, 0.05, 0.05, 0.50, 0.00],  # KH
    ]
)
# Diesel generators for grid back-up [assumption]: share of facilities and share of their
# electricity made onsite (fuel input = electricity / 0.35 efficiency).
GENSET_SHARE_BY_COUNTRY = np.array([0.45, 0.05, 0.10, 0.05, 0.35])
GENSET_ELECTRIC_SHARE = (0.02, 0.08)
GENSET_EFFICIENCY = 0.35
# Onsite solar PV [assumption]: share with PV in the baseline year, yearly adoption by others
# and CLP participants, and share of electricity it supplies.
SOLAR_BASE_SHARE = 0.08
SOLAR_ADOPTION_PER_YEAR = 0.03
SOLAR_ADOPTION_CLP = 0.25
SOLAR_ELECTRIC_SHARE = (0.04, 0.20)
# Purchased renewable electricity with a contractual instrument [assumption].
RENEWABLE_PURCHASE_SHARE = 0.04
# Fuel switch away from coal by CLP participants after the programme year ("eliminating coal
# in manufacturing", WRI + Aii Roadmap to Net Zero, domain-facts §3) [assumption: 25 % of coal
# users switch half their coal].
COAL_SWITCH_PROB_CLP = 0.25
COAL_SWITCH_FRACTION = 0.5

# Units as reported per energy source: (unit, probability, MJ per unit). MJ per unit of fuels
# from IPCC 2006 NCVs and densities (domain-facts §5; reference/data/ipcc_fuel_factors.csv):
# natural gas 48.0 MJ/kg × 0.75 kg/Nm³ = 36.0 MJ/Nm³; diesel 43.0 MJ/kg × 0.844 kg/L =
# 36.29 MJ/L; residual fuel oil 40.4 × 0.944 = 38.14 MJ/L; LPG 47.3 MJ/kg; bituminous coal
# 25.8 MJ/kg; other solid biomass 11.6 MJ/kg. 1 kWh = 3.6 MJ; 1 MMBtu = 1055.056 MJ.
KWH = 3.6
MMBTU = 1055.05585262
ENERGY_UNITS: tuple[tuple[tuple[str, float, float, int], ...], ...] = (
    # (unit, probability, MJ per unit, decimals when rounded)
    (("kWh", 0.83, KWH, 0), ("MWh", 0.12, 1000 * KWH, 3), ("kwh", 0.05, KWH, 0)),  # grid
    (("kWh", 1.0, KWH, 0),),  # solar PV
    (("kWh", 0.8, KWH, 0), ("MWh", 0.2, 1000 * KWH, 3)),  # purchased renewables
    (("Nm3", 0.45, 36.0, 0), ("m3", 0.30, 36.0, 0), ("MMBtu", 0.15, MMBTU, 2),
     ("kWh", 0.10, KWH, 0)),  # natural gas
    (("t", 0.80, 25_800.0, 2), ("kg", 0.15, 25.8, 0), ("tonnes", 0.05, 25_800.0, 2)),  # coal
    (("L", 0.55, 36.2920, 0), ("litres", 0.35, 36.2920, 0), ("liters", 0.10, 36.2920, 0)),
    (("L", 0.5, 38.1376, 0), ("t", 0.3, 40_400.0, 3), ("kg", 0.2, 40.4, 0)),  # fuel oil
    (("kg", 0.9, 47.3, 0), ("t", 0.1, 47_300.0, 3)),  # LPG
    (("t", 0.7, 11_600.0, 2), ("kg", 0.3, 11.6, 0)),  # biomass
    (("GJ", 0.5, 1000.0, 2), ("MMBtu", 0.3, MMBTU, 2), ("kWh", 0.2, KWH, 0)),  # purchased steam
)

# Seasonal profile of energy use [assumption]: hot-season cooling in South/South-East Asia,
# winter heating in China and Turkey: amplitude of a cosine peaking in the given month.
SEASON_AMPLITUDE = np.array([0.10, 0.08, 0.08, 0.08, 0.10])
SEASON_PEAK_MONTH = np.array([6, 1, 6, 1, 5])

# --- Programme effects (domain-facts §3; seed "Proof of Concept - The Results") -------------
# Log-change per year of exposure. CLP: facility-specific carbon and water targets; Clean by
# Design S1T2 reached −10.6 % energy and −12.9 % water, NRDC's 2013–14 cohort −6 % energy and
# −9 % water, audits find 10–20 % savings: participants' effect drawn from −5 to −12 % a year,
# and a share of participants implement nothing measurable [assumption: 15 %].
CLP_ENERGY_EFFECT = (0.05, 0.12)
CLP_WATER_EFFECT = (0.05, 0.12)
CLP_NON_IMPLEMENTERS = 0.15
# Everybody's drift per year [assumption]: energy intensity creeps up without a programme
# (more cooling, smaller orders), water intensity falls slowly (brand water programmes,
# leak repair is cheap).
ENERGY_DRIFT = 0.0
WATER_DRIFT = -0.045
# Year-to-year noise of intensities (log-sd) [assumption].
ENERGY_NOISE = 0.07
WATER_NOISE = 0.08
MONTH_NOISE = 0.05
# STZ: chemical inventory share on the ZDHC Gateway, per year of exposure [assumption]:
# participants gain 0–10 points a year; 40 % show no change in the data (seed: only 20 % of
# factories "improved chemical management, highlighting the need for better-aligned
# indicators").
STZ_GATEWAY_GAIN = (0.05, 0.20)
STZ_NO_CHANGE = 0.40
GATEWAY_BASE = (3.0, 3.5)  # Beta(a, b) of the baseline share, mean ≈ 0.46
GATEWAY_DRIFT = 0.0
GATEWAY_NOISE = 0.03

# --- Water (domain-facts §4: IFC PaCT Bangladesh; Worldly screen) ---------------------------
# Wet processing: > 250 L/kg in Bangladesh washing/dyeing against a 70 L/kg best practice
# (IFC PaCT 2017); median 110 L/kg with log-sd 0.45 (about 50–230 L/kg), scaled by country
# (Bangladesh ×1.5 puts its median near 165 and its tail above 250 L/kg).
WATER_L_PER_KG = 110.0
WATER_KG_SIGMA = 0.45
WATER_COUNTRY = np.array([1.5, 1.0, 1.0, 0.8, 1.1])
# Assembly uses water mostly for people (drinking, canteen, toilets) [assumption: 6 L/piece,
# ~50 L per worker-day]; far below the Worldly outlier screen of 2,288 L/unit.
WATER_L_PER_PC = 6.0
WATER_PC_SIGMA = 0.5
WATER_L_PER_PC_COMPONENT = 3.0
WATER_SOURCE_CANDIDATES: tuple[str, ...] = (
    "groundwater", "municipal", "surface_water", "third_party", "rainwater"
)
WATER_SOURCE_BY_COUNTRY = np.array(
    [
        # ground municipal surface third_party
        [0.80, 0.08, 0.07, 0.05],  # BD: deep tube wells
        [0.15, 0.60, 0.05, 0.20],  # CN: park supply
        [0.30, 0.50, 0.10, 0.10],  # VN
        [0.50, 0.40, 0.00, 0.10],  # TR
        [0.60, 0.30, 0.10, 0.00],  # KH
    ]
)
RAINWATER_SHARE = (0.08, 0.02, 0.06)  # share of facilities, min, max share of withdrawal
WATER_UNITS: tuple[tuple[str, float, float], ...] = (
    # (unit, probability, m3 per unit)
    ("m3", 0.85, 1.0), ("m³", 0.05, 1.0), ("kL", 0.05, 1.0), ("cubic meters", 0.05, 1.0),
)
# Recycling in wet processing [assumption]: share of mills recycling at baseline, adoption by
# CLP participants, and recycled volume as a share of withdrawal.
RECYCLING_BASE_SHARE = 0.20
RECYCLING_ADOPTION_CLP = 0.30
RECYCLED_SHARE_RANGE = (0.05, 0.25)

# --- Wastewater: ≈ 80–90 % of withdrawal is discharged (brief) ------------------------------
WASTEWATER_RATIO = (0.80, 0.90)
DOMESTIC_M3_PER_EMPLOYEE_DAY = 0.04  # [assumption: 40 L per worker-day]
DISCHARGE_CANDIDATES: tuple[str, ...] = (
    "direct",
    "indirect_pretreatment_with_sludge",
    "indirect_pretreatment_without_sludge",
    "indirect_without_pretreatment",
    "zero_liquid_discharge",
)
DISCHARGE_MILL_BY_COUNTRY = np.array(
    [
        [0.65, 0.22, 0.03, 0.08, 0.02],  # BD: own ETP, discharge to rivers
        [0.25, 0.52, 0.10, 0.10, 0.03],  # CN: pretreatment, then park CETP
        [0.30, 0.40, 0.05, 0.25, 0.00],  # VN
        [0.30, 0.45, 0.05, 0.20, 0.00],  # TR
        [0.40, 0.10, 0.00, 0.50, 0.00],  # KH
    ]
)
DISCHARGE_ASSEMBLY = np.array([0.30, 0.00, 0.00, 0.70, 0.00])

# --- Waste (domain-facts §1: per stream, hazardous flag, mass, disposal method) -------------
# (stream key, hazardous, basis, rate per basis unit, log-sd, types it applies to,
#  {disposal key: probability}). Bases: "pc" kg per piece, "kg" kg per kg, "emp" kg per
# employee and year, "ash" kg per kg of coal or biomass burnt (×0.1 ash content). Rates are
# [assumption]: cutting waste ≈ 15 % of a ~0.25 kg garment's fabric.
WASTE_STREAMS: tuple[tuple[str, bool, str, float, float, tuple[int, ...], dict[str, float]],
                     ...] = (
    ("fabric_scraps", False, "pc", 0.035, 0.4, (0, 2),
     {"recycling": 0.45, "downcycling": 0.15, "energy_recovery": 0.15, "landfill": 0.15,
      "incineration": 0.10}),
    ("yarn_fibre_waste", False, "kg", 0.02, 0.5, (1, 2),
     {"recycling": 0.6, "downcycling": 0.2, "landfill": 0.2}),
    ("paper_cardboard", False, "pc", 0.006, 0.5, (0, 2, 3),
     {"recycling": 0.85, "landfill": 0.10, "incineration": 0.05}),
    ("plastic", False, "pc", 0.002, 0.5, (0, 2, 3),
     {"recycling": 0.65, "landfill": 0.25, "incineration": 0.10}),
    ("etp_sludge", True, "kg", 0.03, 0.6, (1, 2),
     {"secure_landfill": 0.35, "landfill": 0.25, "co_processing": 0.25, "incineration": 0.15}),
    ("chemical_containers", True, "kg", 0.002, 0.5, (1, 2),
     {"reuse": 0.45, "recycling": 0.35, "secure_landfill": 0.20}),
    ("boiler_ash", False, "ash", 0.10, 0.3, (0, 1, 2, 3),
     {"reuse": 0.35, "landfill": 0.55, "recycling": 0.10}),
    ("domestic_waste", False, "emp", 60.0, 0.4, (0, 1, 2, 3),
     {"landfill": 0.75, "composting": 0.15, "incineration": 0.10}),
)
# Streams collected once a quarter (packaging sold to recyclers, containers returned or sent
# to a licensed handler) [assumption]: in monthly data they appear in March, June, September
# and December with the quarter's quantity.
WASTE_QUARTERLY: tuple[str, ...] = ("paper_cardboard", "plastic", "chemical_containers")
WASTE_UNITS: tuple[tuple[str, float, float, int], ...] = (
    # (unit, probability, kg per unit, decimals)
    ("kg", 0.80, 1.0, 0), ("t", 0.15, 1000.0, 3), ("short ton", 0.05, 907.18474, 3),
)

# --- Air (domain-facts §1: point, fugitive, mobile; refrigerants in Scope 1) ----------------
REFRIGERANT_CANDIDATES: tuple[tuple[str, float], ...] = (
    # ASHRAE names as a facility writes them; gwp.csv accepts them as aliases of its keys.
    ("R-410A", 0.40), ("R-22", 0.25), ("R-134a", 0.15), ("R-32", 0.12), ("R-407C", 0.08),
)
REFRIGERANT_RECHARGE_KG = (4.0, 0.8, 0.35)  # median, log-sd, share of units with no recharge

# --- Chemicals (domain-facts §2: InCheck monthly, Gateway, MRSL levels, Supplier to Zero) ---
CHEM_REPORTING = np.array([0.40, 0.90, 0.92, 0.50])  # share of facilities filing InCheck
CHEM_PRODUCTS_MEDIAN = np.array([25.0, 150.0, 180.0, 40.0])
CHEM_PRODUCTS_SIGMA = 0.4
INCHECK_VERIFIED_SHARE = (0.25, 0.55)  # non-STZ, STZ
MRSL_LEVEL_SHARES = np.array([0.45, 0.35, 0.20])  # of Gateway products, levels 1/2/3

# --- EMS (FEM EMS section: policy, management system, baseline, target, tracking) ----------
EMS_AREAS: tuple[str, ...] = ("ems", "energy", "water", "wastewater", "waste", "air", "chemicals")
# CLP covers energy and water targets; STZ chemicals and wastewater (programmes.csv).
CLP_AREAS = np.array([False, True, True, False, False, False, False])
STZ_AREAS = np.array([False, False, False, True, False, False, True])

# --- ZDHC wastewater tests (domain-facts §2; reference/data/zdhc_wastewater_limits.csv) -----
ZDHC_PARAMETERS: tuple[str, ...] = (
    "temperature_difference", "tss", "cod", "bod5", "total_nitrogen", "total_phosphorus", "ph",
    "colour_436nm", "colour_525nm", "colour_620nm", "coliform", "oil_grease", "ammonium_n",
    "aox", "sulfide", "chromium_total", "copper",
)
# Value = foundational limit × exp(N(log 0.5, …)): roughly 15–20 % of results above the
# Foundational limit, which 90 % of reference facilities meet (domain-facts §2).
ZDHC_MEDIAN_OF_LIMIT = 0.5
ZDHC_FACILITY_SD = 0.45
ZDHC_SAMPLE_SD = 0.5
ZDHC_TESTING = np.array([0.05, 0.90, 0.90, 0.20])  # share of facilities testing, per type

# --- Data quality (brief; domain-facts §1 verified data) ------------------------------------
# Missing months cluster in some facilities: a share of "poor reporters", and per facility,
# year and table a chance of a gap of 1–4 consecutive months. With these values about 4–5 %
# of months are missing overall while most facility-years stay complete [assumption].
POOR_REPORTER_SHARE = 0.4
GAP_CHANCE = (0.05, 0.45)  # good reporters, poor reporters
GAP_MONTHS = (1, 4)
MISSING_TABLE = {  # share of facility-years without the table
    "energy": 0.01, "water": 0.03, "wastewater": 0.05, "waste": 0.08, "air": 0.10,
    "chemicals": 0.04, "ems": 0.03,
}
VERIFIED_SHARE = 0.25
DISPUTED_SHARE = 0.01
EXPLICIT_SELF_REPORTED = 0.1  # share that writes "self-reported" rather than leaving it blank
SPIKE_SHARE = 0.003  # monthly values entered ×10 (a slipped decimal): valid but odd
MISSING_PRODUCTION = 0.015
COUNTRY_SPELLING = (0.85, 0.10, 0.05)  # alpha-2, English name, alpha-3
