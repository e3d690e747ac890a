"""The report context: pure, complete, translated, and faithful to the assessment frames."""

from __future__ import annotations

import json

import polars as pl
import pytest

from factory_journey.reports.context import (
    FacilityNotFoundError,
    ReportData,
    build_facility_context,
    build_portfolio_context,
)
from factory_journey.reports.i18n import translator
from tests.reports.conftest import TODAY


def test_facility_context_is_plain_json(report_data: ReportData) -> None:
    context = build_facility_context(report_data, "CN-MILL-002", translator("en"), today=TODAY)
    assert json.loads(json.dumps(context)) == context
    assert context["facility"] == {"id": "CN-MILL-002", "name": "Shaoxing Riverside Dyeing Mill",
                                   "year": 2024}
    assert context["generated"] == "Generated on November 22, 2026"


def test_seven_areas_with_the_assessed_levels(report_data: ReportData) -> None:
    context = build_facility_context(report_data, "BD-CS-001", translator("en"), today=TODAY)
    levels = {
        str(r["area"]): r["opportunity_level"]
        for r in report_data.opportunities.filter(
            (pl.col("facility_id") == "BD-CS-001") & (pl.col("year") == 2024)).to_dicts()
    }
    assert [a["key"] for a in context["areas"]] == [
        "energy", "water", "wastewater", "chemicals", "ems", "waste", "air"]
    assert {a["key"]: a["level"] for a in context["areas"]} == levels
    assert len(context["overview"]["rows"]) == 7


def test_reasons_state_value_and_threshold(report_data: ReportData) -> None:
    context = build_facility_context(report_data, "CN-MILL-002", translator("en"), today=TODAY)
    energy = next(a for a in context["areas"] if a["key"] == "energy")
    intensity = next(i for i in energy["indicators"] if i["key"] == "energy_intensity")
    assert intensity["status"] == "worse"
    assert intensity["reason"] == "119 MJ/kg is above the threshold of 60.0 MJ/kg."
    renewable = next(i for i in energy["indicators"] if i["key"] == "renewable_share")
    assert renewable["reason"] == "0% is below the threshold of 20%."


def test_recommended_pathway_carries_costed_measures(report_data: ReportData) -> None:
    context = build_facility_context(report_data, "CN-MILL-002", translator("en"), today=TODAY)
    assert [s["rank"] for s in context["recommended"]] == [1]
    step = context["recommended"][0]
    measures = report_data.measures.filter(
        (pl.col("facility_id") == "CN-MILL-002") & (pl.col("year") == 2024))
    assert len(step["costed"]) == measures.height
    assert step["costed"][0]["savings"].startswith("US$ ")
    assert all(not m.startswith("aii_") for m in step["modules"])  # titles, not keys
    total = measures["money_saved_usd"].sum()
    assert context["totals"]["savings"] == translator("en").money(total)


def test_trends_when_several_years(report_data: ReportData) -> None:
    context = build_facility_context(report_data, "VN-VERT-003", translator("en"), today=TODAY)
    assert context["trends"]["available"]
    assert context["trends"]["years"] == [2023, 2024]
    assert context["trends"]["charts"]
    one_year = build_facility_context(report_data, "VN-VERT-003", translator("en"), year=2023,
                                      today=TODAY)
    assert one_year["facility"]["year"] == 2023


def test_translated_context(report_data: ReportData) -> None:
    context = build_facility_context(report_data, "VN-VERT-003", translator("vi", strict=True),
                                     today=TODAY)
    assert context["headings"]["recommended"] == "Lộ trình khuyến nghị"
    assert context["profile"][1]["value"] == "Việt Nam"
    assert context["generated"] == "Lập ngày 22 tháng 11, 2026"


def test_unknown_facility_or_year(report_data: ReportData) -> None:
    with pytest.raises(FacilityNotFoundError):
        build_facility_context(report_data, "NOPE", translator("en"))
    with pytest.raises(FacilityNotFoundError):
        build_facility_context(report_data, "CN-MILL-002", translator("en"), year=1999)


def test_portfolio_counts(report_data: ReportData) -> None:
    context = build_portfolio_context(report_data, translator("en"), today=TODAY)
    summary = {row["label"]: row["value"] for row in context["summary"]}
    assert summary["Facilities"] == "3"
    assert summary["Countries"] == "3"
    latest = report_data.opportunities.filter(pl.col("year") == 2024)
    assert summary["High opportunities"] == str(
        latest.filter(pl.col("opportunity_level") == "high").height)
    assert context["priorities"][0]["priority"] >= context["priorities"][-1]["priority"]
    assert "<svg" in context["by_country"] and "<svg" in context["by_type"]
    assert "China · Mill (1)" in context["by_country_type"]


def test_portfolio_of_a_subset(report_data: ReportData) -> None:
    context = build_portfolio_context(report_data, translator("en"), ["BD-CS-001"], today=TODAY)
    assert {p["id"] for p in context["priorities"]} == {"BD-CS-001"}
