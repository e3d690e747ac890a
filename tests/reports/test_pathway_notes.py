"""The notes next to a facility's pathway: the order note only when a step shows a smaller
priority number than a step listed after it (a high opportunity before a low one of larger
priority, as the methodology orders them), the figures note when an optional step lists
measures without savings or investment; translated."""

from __future__ import annotations

import dataclasses
from typing import Any

import polars as pl
import pytest

from factory_journey.reports.context import ReportData, build_facility_context
from factory_journey.reports.i18n import translator
from factory_journey.reports.pathway_notes import (
    ORDER_NOTE,
    UNCOSTED_NOTE,
    order_looks_inverted,
    pathway_notes,
)
from factory_journey.reports.render import render_pdf
from tests.reports.conftest import TODAY
from tests.reports.pdftext import extract, squash


def _low_waste_of_larger_priority(data: ReportData) -> ReportData:
    """CN-MILL-002 2024 with its last optional step (waste, rank 5) a low opportunity whose
    priority (85) is larger than the recommended step's (82.5): what the engine ranks this way
    (high before low) and what surprised a reader."""
    pathways = data.pathways
    waste = ((pl.col("facility_id") == "CN-MILL-002") & (pl.col("year") == 2024)
             & (pl.col("area") == "waste"))
    level = pathways.schema["opportunity_level"]
    changed = pathways.with_columns(
        pl.when(waste).then(pl.lit("low")).otherwise(pl.col("opportunity_level").cast(pl.String))
        .cast(level).alias("opportunity_level"),
        pl.when(waste).then(pl.lit(85.0)).otherwise(pl.col("priority")).alias("priority"),
    )
    return dataclasses.replace(data, pathways=changed)


def test_steps_in_priority_order_get_only_the_figures_note(report_data: ReportData) -> None:
    context = build_facility_context(report_data, "CN-MILL-002", translator("en"), today=TODAY)
    shown = [s["priority"] for s in context["recommended"] + context["optional"]]
    assert shown == ["82", "79", "78", "56", "43"]  # decreasing: nothing to explain
    assert context["optional"] and all(
        s["measures"] and not s["costed"] for s in context["optional"])
    assert context["recommended"][0]["costed"]
    assert context["pathway_notes"] == [UNCOSTED_NOTE]


def test_a_low_opportunity_of_larger_priority_after_a_high_one_gets_the_order_note(
    report_data: ReportData,
) -> None:
    data = _low_waste_of_larger_priority(report_data)
    context = build_facility_context(data, "CN-MILL-002", translator("en"), today=TODAY)
    last = context["optional"][-1]
    assert (last["level"], last["priority"]) == ("low", "85")
    assert context["recommended"][0]["priority"] == "82"  # 82.5, half to even
    assert context["pathway_notes"] == [ORDER_NOTE, UNCOSTED_NOTE]
    vi = build_facility_context(data, "CN-MILL-002", translator("vi", strict=True), today=TODAY)
    assert vi["pathway_notes"][0].startswith("Các bước được sắp xếp trước hết theo mức cơ hội")
    assert vi["pathway_notes"][1].startswith("Mức tiết kiệm và vốn đầu tư chỉ được ước tính")
    # The other facilities keep their own pathway: no order note there.
    other = build_facility_context(data, "VN-VERT-003", translator("en"), today=TODAY)
    assert ORDER_NOTE not in other["pathway_notes"]


def _steps(*priorities: float | None) -> list[dict[str, float | None]]:
    return [{"priority": p} for p in priorities]


def test_the_order_is_judged_on_the_numbers_the_reader_sees() -> None:
    assert not order_looks_inverted(_steps(87.1, 81.5, 74.5))
    assert order_looks_inverted(_steps(82.5, 79.1, 85.0))  # the last step is larger
    assert order_looks_inverted(_steps(90.0, 50.0, 70.0))  # among optional steps too
    assert not order_looks_inverted(_steps(82.3, 82.4))  # both shown as 82
    assert not order_looks_inverted(_steps(82.5, 82.4))  # both 82: half to even, as shown
    assert order_looks_inverted(_steps(81.4, 82.4))  # 81 before 82
    assert not order_looks_inverted(_steps(60.0, None, 0.0, 55.0))  # '–' takes no part
    assert order_looks_inverted(_steps(40.0, None, 55.0))
    assert not order_looks_inverted([])


def test_no_figures_note_without_an_optional_step_lacking_figures() -> None:
    tr = translator("en")
    costed: dict[str, Any] = {"measures": ["Metering"], "costed": [{"title": "Metering"}]}
    bare: dict[str, Any] = {"measures": ["Metering"], "costed": []}
    nothing: dict[str, Any] = {"measures": [], "costed": []}
    assert pathway_notes(tr, _steps(80.0), []) == []
    assert pathway_notes(tr, _steps(80.0, 70.0), [costed, nothing]) == []
    assert pathway_notes(tr, _steps(80.0, 70.0), [costed, bare]) == [UNCOSTED_NOTE]
    assert pathway_notes(tr, _steps(70.0, 80.0), []) == [ORDER_NOTE]


@pytest.mark.parametrize("lang", ["vi", "km"])
def test_the_pdf_report_shows_both_notes_under_the_optional_pathway(
    report_data: ReportData, lang: str
) -> None:
    context = build_facility_context(_low_waste_of_larger_priority(report_data), "CN-MILL-002",
                                     translator(lang, strict=True), today=TODAY)
    assert len(context["pathway_notes"]) == 2
    text = squash("".join(page.text for page in extract(render_pdf(context))))
    optional = text[text.index(squash(context["headings"]["optional"])):]
    for note in context["pathway_notes"]:
        assert squash(note) in optional, note
