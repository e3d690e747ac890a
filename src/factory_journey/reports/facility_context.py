"""Facility report context: the matrix and assessment frames of one facility-year → a plain dict.

Pure (no I/O): everything the facility templates show is decided here, translated and formatted
for the report language, charts included (as SVG strings): profile, areas at a glance, the
recommended and optional pathways with costed measures, indicators with their reasons,
year-over-year trends, data quality and the methodology versions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from factory_journey.reports import charts
from factory_journey.reports.assessment_words import missing_words, peer_group_words
from factory_journey.reports.formatting import country_name, per_basis, value_text
from factory_journey.reports.i18n import Translator
from factory_journey.reports.labels import (
    AREA_ORDER,
    AREAS,
    FACTORY_TYPES,
    INDICATORS,
    LEVELS,
    MATURITY,
    N_,
)
from factory_journey.reports.pathway_notes import pathway_notes
from factory_journey.reports.peer_comparison import peer_comparison, peer_text
from factory_journey.reports.reference_names import reference_rows
from factory_journey.reports.report_data import Context, FacilityNotFoundError, ReportData

QUALITY_AREAS = ("energy", "water", "wastewater", "waste", "chemicals")


def _rows(frame: pl.DataFrame, **eq: object) -> list[dict[str, Any]]:
    for column, value in eq.items():
        frame = frame.filter(pl.col(column) == value)
    return frame.to_dicts()


#: A peer threshold's note by its percentile; another percentile gets `PEER_NOTE_OTHER`.
PEER_NOTES: dict[float, str] = {
    0.75: N_("75th percentile of {n} peers ({group})"),
    0.25: N_("25th percentile of {n} peers ({group})"),
}
PEER_NOTE_OTHER = N_("Percentile {p} of {n} peers ({group})")
PEER_NOTE_UNKNOWN = N_("A percentile of {n} peers ({group}), as the methodology sets it")


def _threshold_note(tr: Translator, row: dict[str, Any], profile: dict[str, Any],
                    percentiles: dict[str, float]) -> str:
    kind = row.get("threshold_kind") or ""
    if kind == "peer":
        # Which percentile depends on the indicator (the 25th for one where higher is better
        # in the packaged methodology): the methodology's own figure, never an assumed one.
        percentile = percentiles.get(str(row.get("indicator")))
        words = {"n": tr.number(row.get("peer_group_size") or 0),
                 "group": peer_group_words(tr, row, profile)}
        if percentile is None:
            return tr(PEER_NOTE_UNKNOWN, **words)
        if percentile in PEER_NOTES:
            return tr(PEER_NOTES[percentile], **words)
        return tr(PEER_NOTE_OTHER, p=tr.number(round(percentile * 100)), **words)
    if kind == "absolute_fallback":
        return tr("Fixed threshold (too few peers to compare)")
    return tr("Fixed threshold")


def _reason(tr: Translator, row: dict[str, Any], value: str, threshold: str) -> str:
    if row.get("value") is None:
        return tr("Not assessed: the data needed are missing.")
    if row.get("threshold") is None:
        return tr("No threshold applies to this facility.")
    if row.get("unit") == "yes/no":
        return tr("Not in place yet.") if row.get("worse_than_threshold") else tr("In place.")
    if row.get("worse_than_threshold"):
        if row.get("direction") == "higher_is_better":
            return tr("{value} is below the threshold of {threshold}.", value=value,
                      threshold=threshold)
        return tr("{value} is above the threshold of {threshold}.", value=value,
                  threshold=threshold)
    return tr("{value} meets the threshold of {threshold}.", value=value, threshold=threshold)


def _indicator_rows(tr: Translator, data: ReportData, ind_rows: list[dict[str, Any]],
                    profile: dict[str, Any]) -> list[dict[str, Any]]:
    basis = profile.get("intensity_basis")
    out = []
    for row in ind_rows:
        key, unit = str(row["indicator"]), str(row["unit"])
        v_text = value_text(tr, key, unit, row.get("value"), basis)
        t_text = value_text(tr, key, unit, row.get("threshold"), basis)
        comparison = peer_comparison(data, row, profile)
        median = comparison.median
        peers_line = peer_text(tr, comparison, value_text(tr, key, unit, median, basis))
        worse = bool(row.get("worse_than_threshold"))
        bars = [
            {"label": tr("This facility"), "value": row.get("value"), "text": v_text,
             "kind": "facility_worse" if worse else "facility_ok"},
            {"label": tr("Threshold"), "value": row.get("threshold"), "text": t_text,
             "kind": "threshold"},
        ]
        if median is not None:
            bars.append({"label": tr("Peer median"), "value": median,
                         "text": value_text(tr, key, unit, median, basis), "kind": "peer"})
        chart = ""
        if unit not in ("yes/no", "level", "months") and row.get("value") is not None:
            chart = charts.indicator_bars(bars, tr(INDICATORS.get(key, key)),
                                          font=charts.font_for(tr.lang))
        out.append({
            "key": key,
            "label": tr(INDICATORS.get(key, key)),
            "value": v_text,
            "threshold": t_text if row.get("threshold") is not None else "–",
            "threshold_note": _threshold_note(tr, row, profile, data.peer_percentiles),
            "peers": peers_line,
            "status": ("worse" if worse else "missing" if row.get("value") is None else "meets"),
            "status_text": (tr("Worse than threshold") if worse else
                            tr("No data") if row.get("value") is None else tr("Meets threshold")),
            "reason": _reason(tr, row, v_text, t_text),
            "missing": missing_words(tr, row.get("missing_data"), {str(row["column"]): key},
                                     own=str(row["column"])),
            "chart": chart,
        })
    return out


def _money_row(tr: Translator, m: dict[str, Any], titles: dict[str, str]) -> dict[str, str]:
    payback = m.get("simple_payback_years")
    return {
        "title": tr(titles.get(str(m["measure"]), str(m.get("measure_title") or m["measure"]))),
        "savings": tr.money(m.get("money_saved_usd")),
        "investment": tr.money(m.get("investment_usd")),
        "payback": (tr("{n} years", n=tr.number(payback, 1)) if payback is not None
                    else tr("No payback")),
        "co2e": tr("{n} t", n=tr.number((m.get("co2e_saved_kgco2e") or 0) / 1000, 0)),
    }


def _steps(tr: Translator, data: ReportData, steps: list[dict[str, Any]],
           measures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for step in steps:
        area = str(step["area"])
        module_keys = [k for k in (step.get("modules") or "").split(";") if k]
        measure_keys = [k for k in (step.get("measures") or "").split(";") if k]
        costed = [m for m in measures if str(m["area"]) == area]
        out.append({
            "rank": step["rank"],
            "area": tr(AREAS[area]),
            "level": step["opportunity_level"],
            "level_text": tr(LEVELS[str(step["opportunity_level"])]),
            "priority": tr.number(step.get("priority"), 0) if step.get("priority") else "–",
            "modules": [data.module_titles.get(k, k) for k in module_keys],
            "measures": [tr(data.measure_titles.get(k, k)) for k in measure_keys],
            "costed": [_money_row(tr, m, data.measure_titles) for m in costed],
        })
    return out


def _sum(rows: list[dict[str, Any]], column: str) -> float:
    return float(sum(r.get(column) or 0.0 for r in rows))


def _trend_chart(tr: Translator, years: list[int], label: str,
                 lines: list[tuple[str, list[float | None]]], scale: float = 1.0,
                 digits: int = 0) -> str:
    values = [v for _, vs in lines for v in vs if v is not None]
    if not values:
        return ""
    ticks = charts.nice_ticks(min(values) / scale, max(values) / scale)
    scaled: list[dict[str, object]] = [
        {"label": name, "values": [None if v is None else v / scale for v in vs]}
        for name, vs in lines
    ]
    return charts.trend_lines(years, scaled, label, [tr.number(t, digits) for t in ticks], ticks,
                              font=charts.font_for(tr.lang))


def _trends(tr: Translator, data: ReportData, facility_id: str,
            basis: str | None) -> dict[str, Any]:
    rows = _rows(data.matrix.sort("year"), facility_id=facility_id)
    years = [int(r["year"]) for r in rows]
    if len(years) < 2:
        return {"available": False, "years": years, "charts": [], "table": []}
    traj = {int(r["year"]): r for r in _rows(data.trajectory, facility_id=facility_id)}
    ghg = [r.get("ghg_kgco2e") for r in rows]
    target = [traj.get(y, {}).get("target_kgco2e") for y in years]
    energy = [r.get("energy_intensity_mj_per_unit") for r in rows]
    water = [r.get("water_intensity_l_per_unit") for r in rows]
    chart_list = [
        {"title": tr("Greenhouse gas emissions, Scope 1 and 2 (t CO2e)"),
         "svg": _trend_chart(tr, years, tr("Greenhouse gas emissions"),
                             [(tr("Emissions"), ghg), (tr("Target path"), target)], 1000.0)},
        {"title": tr("Energy intensity") + f" ({per_basis('MJ/unit', basis)})",
         "svg": _trend_chart(tr, years, tr("Energy intensity"), [(tr("Energy intensity"), energy)],
                             digits=1)},
        {"title": tr("Water intensity") + f" ({per_basis('L/unit', basis)})",
         "svg": _trend_chart(tr, years, tr("Water intensity"), [(tr("Water intensity"), water)],
                             digits=1)},
    ]
    table = []
    for label, column, kind in (
        (tr("Energy intensity"), "energy_intensity_mj_per_unit", "MJ/unit"),
        (tr("Renewable energy share"), "renewable_share", "share"),
        (tr("Water intensity"), "water_intensity_l_per_unit", "L/unit"),
        (tr("Waste diverted from disposal"), "waste_diversion_share", "share"),
        (tr("Greenhouse gas emissions (t CO2e)"), "ghg_kgco2e", "t"),
    ):
        cells = []
        for r in rows:
            v = r.get(column)
            if kind == "t":
                cells.append(tr.number(v / 1000, 0) if v is not None else "–")
            else:
                cells.append(value_text(tr, column, kind, v, basis))
        table.append({"label": label, "cells": cells})
    return {"available": True, "years": years, "charts": [c for c in chart_list if c["svg"]],
            "table": table}


def _quality(tr: Translator, profile: dict[str, Any]) -> list[dict[str, str]]:
    out = []
    for area in AREA_ORDER:
        months = profile.get(f"{area}_months_reported") if area in QUALITY_AREAS else None
        complete = profile.get(f"{area}_complete") if area in QUALITY_AREAS else None
        verified = profile.get(f"{area}_verified_share")
        out.append({
            "area": tr(AREAS[area]),
            "months": tr.number(months) if months is not None else "–",
            "complete": ("–" if complete is None else tr("Yes") if complete else tr("No")),
            "verified": tr.percent(verified) if verified is not None else "–",
        })
    return out


def headings(tr: Translator) -> dict[str, str]:
    """Section headings of the facility report, translated (tests look for these in the PDF)."""
    return {
        "report": tr("Factory Improvement Journey report"),
        "profile": tr("Facility profile"),
        "overview": tr("Impact areas at a glance"),
        "areas": tr("Opportunities by impact area"),
        "recommended": tr("Recommended pathway"),
        "optional": tr("Optional pathway"),
        "trends": tr("Year-over-year trends"),
        "quality": tr("Data completeness and verification"),
        "methodology": tr("Methodology and reference data"),
    }


def build_facility_context(data: ReportData, facility_id: str, tr: Translator,
                           year: int | None = None, today: dt.date | None = None) -> Context:
    """Everything a facility report shows, for the latest (or given) year of the facility."""
    years = sorted(int(y) for y in data.matrix.filter(
        pl.col("facility_id") == facility_id)["year"].to_list())
    if not years:
        raise FacilityNotFoundError(f"No facility '{facility_id}' in the dataset.")
    year = years[-1] if year is None else year
    if year not in years:
        raise FacilityNotFoundError(f"Facility '{facility_id}' has no data for {year}.")
    profile = _rows(data.matrix, facility_id=facility_id, year=year)[0]
    basis = profile.get("intensity_basis")
    opps = {str(r["area"]): r for r in _rows(data.opportunities, facility_id=facility_id,
                                             year=year)}
    inds = _rows(data.indicators, facility_id=facility_id, year=year)
    steps = sorted(_rows(data.pathways, facility_id=facility_id, year=year),
                   key=lambda r: r["rank"])
    measures = _rows(data.measures, facility_id=facility_id, year=year)
    h = headings(tr)

    overview_rows, areas = [], []
    for area in AREA_ORDER:
        opp = opps.get(area, {})
        level = str(opp.get("opportunity_level") or "not_assessed")
        overview_rows.append({"label": tr(AREAS[area]), "level": level,
                              "level_label": tr(LEVELS[level])})
        stage = opp.get("maturity_stage_key")
        areas.append({
            "key": area,
            "title": tr(AREAS[area]),
            "level": level,
            "level_text": tr(LEVELS[level]),
            "maturity": tr(MATURITY[stage]) if stage in MATURITY else "–",
            "indicators": _indicator_rows(tr, data, [i for i in inds if str(i["area"]) == area],
                                          profile),
            "missing": missing_words(tr, opp.get("missing_data"), {
                str(i["column"]): str(i["indicator"]) for i in inds if str(i["area"]) == area}),
        })
    recommended = [s for s in steps if s["pathway"] == "recommended"]
    optional = [s for s in steps if s["pathway"] == "optional"]
    collect = [s for s in steps if s["pathway"] == "collect_data"]
    optional_steps = _steps(tr, data, optional, measures)  # costed when the assessment costs it
    high = sum(1 for r in overview_rows if r["level"] == "high")
    assessed = sum(1 for r in overview_rows if r["level"] != "not_assessed")
    versions = reference_rows(tr, data.versions)
    ftype = profile.get("journey_factory_type")
    volume = (profile.get("production_volume_pcs") if basis == "pc"
              else profile.get("production_volume_kg"))
    return {
        "kind": "facility",
        "lang": tr.lang,
        "headings": h,
        "labels": _facility_labels(tr),
        "title": h["report"],
        "facility": {
            "id": facility_id,
            "name": profile.get("facility_name") or facility_id,
            "year": year,
        },
        "profile": [
            {"label": tr("Facility ID"), "value": facility_id},
            {"label": tr("Country"), "value": country_name(tr, profile.get("country_iso2"))},
            {"label": tr("Factory type"),
             "value": tr(FACTORY_TYPES[ftype]) if ftype in FACTORY_TYPES else "–"},
            {"label": tr("Reporting year"), "value": str(year)},
            {"label": tr("Annual production"),
             "value": (f"{tr.number(volume)} {'pcs' if basis == 'pc' else 'kg'}"
                       if volume is not None else "–")},
            {"label": tr("Industrial park"), "value": profile.get("park_id") or "–"},
            {"label": tr("Years of data"), "value": ", ".join(str(y) for y in years)},
        ],
        "summary": tr("{high} of {assessed} assessed impact areas show a high opportunity for "
                      "improvement.", high=tr.number(high), assessed=tr.number(assessed)),
        "overview": {"svg": charts.area_overview(overview_rows, h["overview"],
                                                 font=charts.font_for(tr.lang)),
                     "rows": overview_rows},
        "areas": areas,
        "recommended": _steps(tr, data, recommended, measures),
        "optional": optional_steps,
        # Why a step can show a smaller priority than a later one, why optional steps have
        # no figures: said next to the pathway when the reader sees it.
        "pathway_notes": pathway_notes(tr, recommended + optional, optional_steps),
        "collect_data": [tr(AREAS[str(s["area"])]) for s in collect],
        "totals": {
            "savings": tr.money(_sum(measures, "money_saved_usd")),
            "investment": tr.money(_sum(measures, "investment_usd")),
            "co2e": tr("{n} t", n=tr.number(_sum(measures, "co2e_saved_kgco2e") / 1000)),
        },
        "trends": _trends(tr, data, facility_id, basis),
        "quality": _quality(tr, profile),
        "versions": versions,
        "generated": tr("Generated on {date}", date=tr.date(today or dt.date.today())),
    }


def _facility_labels(tr: Translator) -> dict[str, str]:
    return {
        "indicator": tr("Indicator"), "value": tr("Value"), "threshold": tr("Threshold"),
        "peers": tr("Peers"), "status": tr("Status"), "reason": tr("Why"),
        "maturity": tr("Maturity stage"), "missing": tr("Data needed"),
        "step": tr("Step"), "area": tr("Impact area"), "priority": tr("Priority"),
        "programmes": tr("Programmes"), "measures": tr("Measures"),
        "measure": tr("Measure"), "savings": tr("Savings per year"),
        "investment": tr("Investment"), "payback": tr("Payback"),
        "co2e": tr("CO2e avoided per year"),
        "total": tr("Total of the recommended pathway"),
        "no_recommended": tr("No high opportunity was found: keep monitoring every area."),
        "no_optional": tr("No further opportunity beyond the recommended pathway."),
        "collect_data": tr("Collect the missing data for these areas first:"),
        "no_trends": tr("Trends appear once the facility has reported more than one year."),
        "months": tr("Months reported"), "complete": tr("Complete"),
        "verified": tr("Verified share"), "year": tr("Year"),
        "version_name": tr("Reference"), "version_value": tr("Version and source"),
        "methodology_note": tr(
            "Thresholds, weights and programme mappings come from a versioned methodology file. "
            "Savings and investment are estimates with the ranges and sources recorded in the "
            "programme catalogue; verify them with an energy or water audit before investing."),
        "estimates_note": tr("Savings are estimates; negative values mean added cost."),
        "page": tr("Page {page} of {pages}"),
    }
