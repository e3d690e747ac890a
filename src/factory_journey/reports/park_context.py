"""Park report context: the `journey park assess` outputs of one park-year → one plain dict.

Pure (no I/O). Reads the documented output tables (docs/park-data-format.md: park_indicators,
park_members, park_opportunities, park_shared_facilities, requirement_results, pillar_scores)
and the collective plan (engine.parks.plan: measures and member shares), and turns them into
translated, locale-formatted text and SVG charts for the HTML and typst templates. The
translator is the park catalogue's (`i18n.park_translator`), named `pt` so that its messages
go to `park.po` (see `park_labels`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from factory_journey.reports import charts
from factory_journey.reports.formatting import country_name
from factory_journey.reports.i18n import Translator
from factory_journey.reports.labels import AREA_ORDER, AREAS
from factory_journey.reports.park_charts import pillar_bars
from factory_journey.reports.park_labels import (
    NP_,
    RESULTS,
    SHARED_TYPES,
    SPLIT_BASES,
    TOTALS,
    UNIT_DIVISORS,
    ZDHC_STATUS,
)
from factory_journey.reports.park_reasons import decided_by, steps_text
from factory_journey.reports.reference_names import reference_name, reference_rows
from factory_journey.reports.report_data import Context


class ParkNotFoundError(LookupError):
    """The park (or the year) asked for is not in the park outputs."""


@dataclass(frozen=True)
class ParkReportData:
    """The `journey park assess` outputs, the plan and what the report says about their origin."""

    park_indicators: pl.DataFrame
    park_members: pl.DataFrame
    park_opportunities: pl.DataFrame
    park_shared_facilities: pl.DataFrame
    requirement_results: pl.DataFrame
    pillar_scores: pl.DataFrame
    #: park_id, park_name, country_iso2, operator (optional: the park's id stands in)
    parks: pl.DataFrame | None = None
    plan_measures: pl.DataFrame | None = None
    plan_members: pl.DataFrame | None = None
    #: pillar key → title (English msgid), from the framework files
    pillar_titles: dict[str, str] = field(default_factory=dict)
    #: framework id → its attribution line
    attributions: dict[str, str] = field(default_factory=dict)
    #: requirement id → the evidence its framework asks for (English msgid)
    evidence_needed: dict[str, str] = field(default_factory=dict)
    #: member pathway step (`area:measure`, as in plan_members.covered_steps) → its title
    #: (English msgid, from the programme catalogue)
    step_titles: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    dataset_name: str = ""


def _one(frame: pl.DataFrame | None, park_id: str, year: int) -> pl.DataFrame:
    if frame is None or frame.height == 0:
        return pl.DataFrame()
    return frame.filter((pl.col("park_id") == park_id) & (pl.col("year") == year))


def park_years(data: ParkReportData, park_id: str) -> list[int]:
    """Years of `park_id` in the outputs, oldest first."""
    rows = data.park_indicators.filter(pl.col("park_id") == park_id)
    return sorted({int(y) for y in rows["year"].to_list()})


def _info(data: ParkReportData, park_id: str) -> dict[str, Any]:
    if data.parks is not None and data.parks.height:
        rows = data.parks.filter(pl.col("park_id") == park_id).to_dicts()
        if rows:
            return rows[0]
    return {"park_id": park_id}


def _share(pt: Translator, value: Any) -> str:
    return pt.percent(float(value)) if value is not None else "–"


def _indicator_text(pt: Translator, value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "share":
        return pt.percent(value)
    shown = value / UNIT_DIVISORS.get(unit, 1.0)
    return f"{pt.significant(shown)} {unit}"


def _headings(pt: Translator) -> dict[str, str]:
    return {
        "report": pt("Park report"),
        "summary": pt("The park at a glance"),
        "scores": pt("Framework score by pillar"),
        "prerequisites": pt("Prerequisites"),
        "requirements": pt("Requirements and what decided them"),
        "totals": pt("Park totals"),
        "members": pt("How the members stand"),
        "zdhc": pt("ZDHC wastewater discharge status"),
        "shared": pt("Shared facilities"),
        "plan": pt("Collective improvement plan"),
        "split": pt("How costs and benefits split across members"),
        "methodology": pt("Framework, methodology and reference data"),
    }


def _labels(pt: Translator, credit: float) -> dict[str, str]:
    return {
        "pillar": pt("Pillar"), "score": pt("Score"), "met": pt(RESULTS["met"]),
        "partly_met": pt(RESULTS["partly_met"]), "not_met": pt(RESULTS["not_met"]),
        "not_assessed": pt(RESULTS["not_assessed"]), "requirement": pt("Requirement"),
        "result": pt("Result"), "decided_by": pt("Decided by"), "indicator": pt("Indicator"),
        "value": pt("Value"), "member": pt("Member"), "status": pt("Status"),
        "failing": pt("Parameters failing"), "facility": pt("Facility"), "type": pt("Type"),
        "serves": pt("Serves members by"), "measure": pt("Measure"),
        "participants": pt("Members taking part"), "investment": pt("Investment"),
        "savings": pt("Savings per year"), "co2e": pt("CO2e avoided per year"),
        "payback": pt("Payback"), "split_basis": pt("Split by"), "share": pt("Share"),
        "covers": pt("Member pathway steps covered"), "total": pt("Total"),
        "prerequisites_met": pt("Prerequisites met"),
        "score_note": pt("Score = (met + {credit} × partly met) / requirements judged, "
                         "prerequisites apart. Recompute it from requirement_results and the "
                         "framework file.", credit=pt.number(credit, 1)),
        "decided_note": pt("The assessment's own record of each result, in English, is the "
                           "decided_by column of requirement_results in the park outputs."),
        "estimates_note": pt("Plan figures are estimates (project defaults) until a feasibility "
                             "study of the park replaces them."),
        "no_plan": pt("No collective plan: the park outputs hold no member figures to plan "
                      "with."),
        "version_name": pt("Reference"), "version_value": pt("Version and source"),
        "page": pt("Page {page} of {pages}"),
    }


def _scores(pt: Translator, scores: pl.DataFrame, titles: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for r in scores.to_dicts():
        judged = int(r["met"]) + int(r["partly_met"]) + int(r["not_met"])
        rows.append({
            "key": r["pillar"],
            "pillar": pt(titles.get(r["pillar"], str(r["pillar"]))),
            "score_value": r["score"],
            "score": _share(pt, r["score"]),
            "met": pt.number(r["met"]), "partly_met": pt.number(r["partly_met"]),
            "not_met": pt.number(r["not_met"]), "not_assessed": pt.number(r["not_assessed"]),
            "judged": judged,
            "prerequisites": pt("{met} of {n}", met=pt.number(r["prerequisites_met"]),
                                n=pt.number(r["prerequisites"])),
        })
    return rows


def _requirements(pt: Translator, results: pl.DataFrame, titles: dict[str, str],
                  evidence_needed: dict[str, str]) -> list[dict[str, Any]]:
    pillars: dict[str, dict[str, Any]] = {}
    for r in results.to_dicts():
        block = pillars.setdefault(str(r["pillar"]), {
            "pillar": pt(titles.get(str(r["pillar"]), str(r["pillar"]))), "items": []})
        block["items"].append({
            "id": r["requirement_id"], "title": pt(str(r["title"])),
            "prerequisite": bool(r["prerequisite"]), "result_key": r["result"],
            "result": pt(RESULTS.get(str(r["result"]), str(r["result"]))),
            "decided_by": decided_by(pt, r, evidence_needed),
        })
    return list(pillars.values())


def _totals(pt: Translator, indicators: pl.DataFrame) -> list[dict[str, str]]:
    values = dict(zip(indicators["indicator"].cast(pl.String).to_list(),
                      indicators["value"].to_list(), strict=True))
    return [{"label": pt(label), "value": _indicator_text(pt, values.get(key), unit)}
            for key, label, unit in TOTALS]


def _members(pt: Translator, members: pl.DataFrame, opps: pl.DataFrame) -> dict[str, Any]:
    rows, cells, texts = [], [], []
    level_text = {"high": pt("High"), "low": pt("Low")}
    for r in members.sort("facility_id").to_dicts():
        name = r.get("facility_name") or r["facility_id"]
        rows.append(str(name))
        high = set(str(r.get("high_areas") or "").split(";")) - {""}
        low = set(str(r.get("low_areas") or "").split(";")) - {""}
        cells.append([1.0 if a in high else 0.0 if a in low else None for a in AREA_ORDER])
        texts.append([level_text["high"] if a in high else level_text["low"] if a in low
                      else "–" for a in AREA_ORDER])
    grid = charts.heatmap(rows, [pt(AREAS[a]) for a in AREA_ORDER], cells, texts,
                            pt("High and low opportunities of each member"),
                          font=charts.font_for(pt.lang), label_width=170.0) if rows else ""
    by_area = []
    for r in opps.to_dicts():
        if str(r["area"]) in AREAS:
            by_area.append({"area": pt(AREAS[str(r["area"])]), "high": pt.number(r["high"]),
                            "low": pt.number(r["low"]),
                            "not_assessed": pt.number(r["not_assessed"])})
    zdhc = [{"name": str(r.get("facility_name") or r["facility_id"]),
             "status_key": str(r.get("zdhc_status") or "not_tested"),
             "status": pt(ZDHC_STATUS.get(str(r.get("zdhc_status")), ZDHC_STATUS["not_tested"])),
             "failing": pt.number(r.get("zdhc_parameters_failing_foundational") or 0)}
            for r in members.sort("facility_id").to_dicts()]
    return {"grid": grid, "by_area": by_area, "zdhc": zdhc}


def _shared(pt: Translator, shared: pl.DataFrame) -> list[dict[str, str]]:
    serves = {"metered": SPLIT_BASES["metered"], "allocated_by_volume": SPLIT_BASES["volume"],
              "allocated_by_production": SPLIT_BASES["production"],
              "not_allocated": NP_("Not allocated")}
    return [{
        "name": str(r.get("name") or r["shared_facility_id"]),
        "type": pt(SHARED_TYPES.get(str(r["type"]), SHARED_TYPES["other"])),
        "serves": pt(serves.get(str(r.get("serves") or "not_allocated"), "Not allocated")),
        "status_key": str(r.get("zdhc_status") or "not_tested"),
        "status": pt(ZDHC_STATUS.get(str(r.get("zdhc_status")), ZDHC_STATUS["not_tested"])),
    } for r in shared.sort("shared_facility_id").to_dicts()]


def _plan(pt: Translator, measures: pl.DataFrame, shares: pl.DataFrame,
          names: dict[str, str], step_titles: dict[str, str]) -> dict[str, Any]:
    rows = []
    for r in measures.filter(pl.col("participants") > 0).to_dicts():
        payback = r["simple_payback_years"]
        rows.append({
            "measure": pt(str(r["measure_title"])),
            "participants": pt.number(r["participants"]),
            "investment": pt.money(r["investment_usd"]),
            "savings": pt.money(r["money_saved_usd"]),
            "co2e": pt("{n} t", n=pt.number((r["co2e_saved_kgco2e"] or 0.0) / 1000.0))
            if r["co2e_saved_kgco2e"] is not None else "–",
            "payback": pt("{n} years", n=pt.number(payback, 1)) if payback is not None else "–",
            "split": pt(SPLIT_BASES.get(str(r["split_basis"]), str(r["split_basis"]))),
        })
    titles = dict(zip(measures["measure"].to_list(), measures["measure_title"].to_list(),
                      strict=True))
    split = [{
        "member": names.get(str(r["facility_id"]), str(r["facility_id"])),
        "measure": pt(str(titles.get(r["measure"], r["measure"]))),
        "share": pt.percent(r["share"], 1), "investment": pt.money(r["investment_usd"]),
        "savings": pt.money(r["money_saved_usd"]),
        "covers": steps_text(pt, r.get("covered_steps"), step_titles),
    } for r in shares.sort("facility_id", "measure").to_dicts()]
    total = {"investment": pt.money(float(measures["investment_usd"].sum())),
             "savings": pt.money(float(measures["money_saved_usd"].sum())),
             "co2e": pt("{n} t", n=pt.number(float(measures["co2e_saved_kgco2e"]
                                                   .fill_null(0.0).sum()) / 1000.0))}
    return {"measures": rows, "split": split, "total": total}


def build_park_context(data: ParkReportData, park_id: str, pt: Translator,
                       year: int | None = None, today: dt.date | None = None) -> Context:
    """The report context of one park-year (default: the park's latest year)."""
    years = park_years(data, park_id)
    if not years:
        raise ParkNotFoundError(f"The park {park_id!r} is not in the park outputs.")
    chosen = year if year is not None else years[-1]
    if chosen not in years:
        raise ParkNotFoundError(f"The park {park_id!r} has no results for {chosen}; "
                                f"years: {', '.join(map(str, years))}.")
    info = _info(data, park_id)
    members = _one(data.park_members, park_id, chosen)
    indicators = _one(data.park_indicators, park_id, chosen)
    results = _one(data.requirement_results, park_id, chosen)
    scores = _one(data.pillar_scores, park_id, chosen)
    h, labels = _headings(pt), _labels(pt, _credit(data))
    score_rows = _scores(pt, scores, data.pillar_titles)
    blocks = _requirements(pt, results, data.pillar_titles, data.evidence_needed)
    names = {str(r["facility_id"]): str(r.get("facility_name") or r["facility_id"])
             for r in members.to_dicts()}
    count = dict(zip(indicators["indicator"].cast(pl.String).to_list(),
                     indicators["value"].to_list(), strict=True)) if indicators.height else {}
    plan_m, plan_s = _one(data.plan_measures, park_id, chosen), _one(data.plan_members,
                                                                     park_id, chosen)
    country = info.get("country_iso2")
    frameworks = sorted({str(v) for v in results["source_framework"].to_list()}) \
        if results.height else []
    lines = {f: data.attributions.get(f, "") for f in frameworks}
    return {
        "kind": "park",
        "lang": pt.lang,
        "headings": h,
        "labels": labels,
        "title": str(info.get("park_name") or park_id),
        "subtitle": " · ".join(x for x in (country_name(pt, country) if country else "",
                                           str(info.get("operator") or ""), str(chosen)) if x),
        "summary": [
            {"label": pt("Members"), "value": pt.number(count.get("members"))},
            {"label": pt("Members assessed"), "value": _share(pt, count.get(
                "members_assessed_share"))},
            {"label": pt("Shared facilities"), "value": pt.number(count.get(
                "shared_facilities"))},
            {"label": pt("Employees"), "value": pt.number(count.get("employees"))},
        ],
        "scores": score_rows,
        "score_chart": pillar_bars([(s["pillar"], s["score_value"], s["score"])
                                    for s in score_rows], h["scores"],
                                   font=charts.font_for(pt.lang)) if score_rows else "",
        "prerequisites": [i for block in blocks for i in block["items"] if i["prerequisite"]],
        "requirements": blocks,
        "totals": _totals(pt, indicators) if indicators.height else [],
        "members": _members(pt, members, _one(data.park_opportunities, park_id, chosen)),
        "shared": _shared(pt, _one(data.park_shared_facilities, park_id, chosen)),
        "plan": _plan(pt, plan_m, plan_s, names, data.step_titles) if plan_m.height else None,
        "versions": reference_rows(pt, _versions_not_in(data.versions, lines)),
        "frameworks": [{"name": reference_name(pt, f"{FRAMEWORK_KEY}{f}"), "value": line}
                       for f, line in lines.items()],
        "generated": pt("Generated on {date}", date=pt.date(today or dt.date.today())),
    }


#: The version key of a framework file (engine.parks.framework_files.FrameworkSet.versions).
FRAMEWORK_KEY = "park_framework:"


def _versions_not_in(versions: dict[str, str], lines: dict[str, str]) -> dict[str, str]:
    """`versions` without a framework's version its framework line already says ("… (2026.1).
    after IFEIP v2.0 …"): the same name twice, once with less, would read as two things."""
    return {key: value for key, value in versions.items()
            if not (key.startswith(FRAMEWORK_KEY)
                    and f"({value})" in lines.get(key.removeprefix(FRAMEWORK_KEY), ""))}


def _credit(data: ParkReportData) -> float:
    """The partly-met credit the scores used, read back from the pillar scores when given."""
    if "partly_met_credit" in data.pillar_scores.columns and data.pillar_scores.height:
        return float(data.pillar_scores["partly_met_credit"][0])
    return 0.5
