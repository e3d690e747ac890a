"""A small set of `journey park assess` outputs, made by hand in the documented shape
(docs/park-data-format.md), for the park report tests: one park in Ethiopia with three members
and a central effluent plant, one in Vietnam (so that the Decree 35 overlay shows), each judged
against the packaged framework files, and the collective plan from the real plan engine."""

from __future__ import annotations

import polars as pl

from factory_journey.engine.parks.framework_schema import parse_framework, with_overlays
from factory_journey.engine.parks.plan import collective_plan
from factory_journey.engine.parks.plan_inputs import members_for_plan
from factory_journey.reference.loader import load_yaml
from factory_journey.reports.park_context import ParkReportData

BASE = "park_frameworks/ifeip2-2026.1.yaml"
OVERLAY = "park_frameworks/vn-eip-2026.1.yaml"
RESULT_CYCLE = ("met", "partly_met", "not_met", "met", "not_assessed")

PARKS = pl.DataFrame({
    "park_id": ["ET-HAWASSA", "VN-DEMO"],
    "park_name": ["Demo Textile Park (Hawassa)", "Khu công nghiệp Sinh thái Demo"],
    "country_iso2": ["ET", "VN"],
    "operator": ["Demo Park Development Corporation", "Công ty Hạ tầng Demo"],
})
#: Versions as `journey park assess` records them (the Data Matrix's under `matrix:`)
VERSIONS = {"methodology": "fj-2026.2 (2026.2)", "prices": "regional_prices.csv 2026.1",
            "gwp.csv": "2 (IPCC AR5 (2013/2014) and AR6 (2021))",
            "matrix:gwp.csv": "2 (IPCC AR5 (2013/2014) and AR6 (2021))",
            "matrix:water_stress_countries.csv": "1 (Aqueduct 4.0 (2023))"}
MEMBERS = {
    "ET-HAWASSA": [("ET-M1", "Abay Garments"), ("ET-M2", "Rift Valley Mills"),
                   ("ET-M3", "Sidama Knits")],
    "VN-DEMO": [("VN-M1", "Sông Hồng Dệt May"), ("VN-M2", "Mekong Apparel")],
}


def _members() -> pl.DataFrame:
    rows = []
    for park, members in MEMBERS.items():
        for i, (fid, name) in enumerate(members):
            rows.append({
                "park_id": park, "year": 2024, "facility_id": fid, "facility_name": name,
                "os_id": None, "journey_factory_type": ["cut_sew", "mill", "vertical"][i % 3],
                "assessed": True,
                "high_areas": ["energy;water", "energy;wastewater;chemicals", ""][i % 3],
                "low_areas": ["ems;waste", "water;ems", "energy;water;waste"][i % 3],
                "not_assessed_areas": "air",
                "zdhc_status": ["green", "red", "yellow"][i % 3],
                "zdhc_parameters_failing_foundational": [0, 3, 1][i % 3],
                "energy_total_mj": 1e6 * (i + 1), "water_withdrawal_m3": 5000.0 * (i + 1),
                "wastewater_m3": 4000.0 * (i + 1), "ghg_kgco2e": 2e5 * (i + 1),
            })
    return pl.DataFrame(rows)


def _indicators() -> pl.DataFrame:
    values = {"members": 3, "members_assessed": 3, "members_assessed_share": 1.0,
              "shared_facilities": 2, "employees": 4200, "energy_total_mj": 6.5e6,
              "energy_renewable_mj": 1.3e6, "renewable_share": 0.2, "ghg_kgco2e": 1.25e6,
              "water_withdrawal_m3": 31000.0, "water_recycled_reused_share": 0.08,
              "wastewater_m3": 26000.0, "waste_total_kg": 52000.0,
              "waste_diversion_share": 0.41, "energy_mj_per_employee": 1547.6,
              "water_m3_per_employee": 7.38, "ghg_kgco2e_per_employee": 297.6,
              "members_zdhc_tested_share": 1.0, "members_zdhc_green_share": 1 / 3,
              "central_plant_zdhc_pass": 1.0, "has_central_effluent_plant": 1.0}
    rows = [{"park_id": park, "year": 2024, "indicator": key, "value": float(value),
             "unit": "", "members_value": None, "shared_value": None, "internal_value": None,
             "reporting": 3}
            for park in MEMBERS for key, value in values.items()]
    return pl.DataFrame(rows)


def _results() -> tuple[pl.DataFrame, pl.DataFrame, dict[str, str]]:
    base = parse_framework(load_yaml(BASE))
    overlay = parse_framework(load_yaml(OVERLAY))
    titles: dict[str, str] = {}
    rows, scores = [], []
    for park, country in (("ET-HAWASSA", "ET"), ("VN-DEMO", "VN")):
        chosen = with_overlays(base, [overlay] if country == "VN" else [])
        origin = {r.id: "vn-eip" for p in overlay.pillars for r in p.requirements}
        k = 0
        for pillar in chosen.pillars:
            titles[pillar.key] = pillar.title
            counts = dict.fromkeys(("met", "partly_met", "not_met", "not_assessed"), 0)
            pre = dict.fromkeys(("met", "partly_met", "not_met", "not_assessed"), 0)
            for req in pillar.requirements:
                result = RESULT_CYCLE[k % len(RESULT_CYCLE)]
                k += 1
                (pre if req.prerequisite else counts)[result] += 1
                rows.append({
                    "park_id": park, "year": 2024, "framework_id": "ifeip2",
                    "framework_version": "2026.1",
                    "source_framework": origin.get(req.id, "ifeip2"), "pillar": pillar.key,
                    "requirement_id": req.id, "title": req.title,
                    "prerequisite": req.prerequisite, "test_kind": req.test.kind,
                    "subject": req.test.indicator or req.test.question,
                    "comparison": req.test.comparison, "met_threshold": req.test.met,
                    "partly_threshold": req.test.partly, "value": None, "answer": None,
                    "unit": req.unit, "evidence": None, "result": result,
                    "decided_by": f"test fixture: {result}",
                })
            judged = counts["met"] + counts["partly_met"] + counts["not_met"]
            scores.append({
                "park_id": park, "year": 2024, "framework_id": "ifeip2",
                "framework_version": "2026.1", "pillar": pillar.key,
                "requirements": sum(counts.values()), **counts, "partly_met_credit": 0.5,
                "score": (counts["met"] + 0.5 * counts["partly_met"]) / judged if judged
                else None,
                "prerequisites": sum(pre.values()), "prerequisites_met": pre["met"],
                "prerequisites_partly_met": pre["partly_met"],
                "prerequisites_not_met": pre["not_met"],
                "prerequisites_not_assessed": pre["not_assessed"],
            })
    return pl.DataFrame(rows), pl.DataFrame(scores), titles


def _matrix() -> pl.DataFrame:
    rows = []
    for park, members in MEMBERS.items():
        for i, (fid, _) in enumerate(members):
            rows.append({
                "facility_id": fid, "year": 2024, "country_iso2": park[:2],
                "energy_electric_mj": 1.8e6 * (i + 1), "energy_thermal_mj": 3e6 * i,
                "scope1_kgco2e": 2.1e5 * i, "grid_factor_kgco2e_per_kwh": 0.03 if park[:2]
                == "ET" else 0.6, "wastewater_industrial_m3": 4000.0 * (i + 1),
                "wastewater_m3": 4500.0 * (i + 1), "waste_total_kg": 15000.0 + 5000 * i,
                "production_volume_kg": 2e5 * i if i else None,
                "siptotalnumemployees": 1400 * (i + 1) // 2,
            })
    return pl.DataFrame(rows)


STEPS = pl.DataFrame({
    "facility_id": ["ET-M1", "ET-M2", "ET-M2"], "year": [2024] * 3,
    "area": ["energy", "energy", "wastewater"], "pathway": ["recommended", "recommended",
                                                            "optional"],
    "measures": ["rooftop_solar;metering", "steam_traps;boiler_efficiency;rooftop_solar",
                 "etp_optimisation"],
    "modules": ["aii_renewable_energy", "aii_thermal_solutions", "zdhc_wastewater_guidelines"],
})


def park_report_data() -> ParkReportData:
    members = _members()
    indicators = _indicators()
    results, scores, titles = _results()
    plan = collective_plan(members_for_plan(members, _matrix(), indicators), STEPS)
    shared = pl.DataFrame({
        "park_id": ["ET-HAWASSA", "ET-HAWASSA", "VN-DEMO"], "year": [2024] * 3,
        "shared_facility_id": ["CETP", "STEAM", "VN-CETP"],
        "name": ["Central effluent plant", "Steam plant", "Nhà máy xử lý nước thải tập trung"],
        "type": ["central_effluent_treatment", "central_boiler", "central_effluent_treatment"],
        "serves": ["metered", "allocated_by_volume", "metered"],
        "zdhc_status": ["green", "not_tested", "yellow"],
        "zdhc_parameters_failing_foundational": [0, 0, 2],
    })
    opportunities = pl.DataFrame([
        {"park_id": park, "year": 2024, "area": area, "high": h, "low": 3 - h - 1,
         "not_assessed": 1, "members": 3}
        for park in MEMBERS for area, h in (("energy", 2), ("water", 1), ("wastewater", 1),
                                             ("chemicals", 1), ("ems", 0), ("waste", 0),
                                             ("air", 0))])
    return ParkReportData(
        park_indicators=indicators, park_members=members, park_opportunities=opportunities,
        park_shared_facilities=shared, requirement_results=results, pillar_scores=scores,
        parks=PARKS, plan_measures=plan.measures, plan_members=plan.members,
        pillar_titles=titles,
        attributions={"ifeip2": "after IFEIP v2.0 (World Bank, UNIDO, GIZ 2021)",
                      "vn-eip": "Decree 35/2022/ND-CP Art. 37"},
        versions={"park_framework:ifeip2": "2026.1", "park_framework:vn-eip": "2026.1",
                  **plan.versions, **VERSIONS},
        dataset_name="park-fixture",
    )
