"""Use case: what the park pages show (#16) — the parks a person may see, and one park's year:
its totals with their parts, pillar scores with prerequisites apart, every requirement with
what decided it, the members' standing, the shared facilities and the collective improvement
plan (its measures, and how their costs and savings split). Plain rows for a template;
the numbers are the stored outputs of `journey park assess` (services.platform.parks).

The texts that come with the outputs (requirement and measure titles, what decided each
requirement, the member steps a measure covers) are given in the page's language (the park
report's catalogue has every page language), with the park report's wording
(reports.park_reasons), so that the page and the PDF say the same; otherwise in English."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from factory_journey.reports.i18n import PARK_LANGUAGES, Translator, park_translator
from factory_journey.reports.park_reasons import decided_by, steps_text
from factory_journey.services.park_report import packaged_framework_texts
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.parks import ParkSummary, park_view, visible_parks

#: Park indicators shown at the top of a park's page, in this order.
HEADLINE: tuple[str, ...] = (
    "members", "members_assessed_share", "employees", "energy_total_mj", "renewable_share",
    "ghg_kgco2e", "water_withdrawal_m3", "water_recycled_reused_share", "wastewater_m3",
    "waste_total_kg", "waste_diversion_share", "members_zdhc_green_share",
    "central_plant_zdhc_pass",
)


@dataclass(slots=True)
class ParkPage:
    """One park in one year, as rows of plain values."""

    summary: ParkSummary
    years: list[int] = field(default_factory=list)
    year: int | None = None
    framework: str = ""
    indicators: list[dict[str, Any]] = field(default_factory=list)
    pillars: list[dict[str, Any]] = field(default_factory=list)
    requirements: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    shared: list[dict[str, Any]] = field(default_factory=list)
    opportunities: list[dict[str, Any]] = field(default_factory=list)
    #: the collective plan: its measures, and each member's share (a member sees its own)
    plan: list[dict[str, Any]] = field(default_factory=list)
    shares: list[dict[str, Any]] = field(default_factory=list)

    @property
    def read_only(self) -> bool:
        return self.summary.relation != "operator"


def park_list(session: Session, actor: Actor) -> list[ParkSummary]:
    """The parks `actor` may see (its own as operator, its factories' as member)."""
    return visible_parks(session, actor)


def _rows(frame: pl.DataFrame | None, year: int | None) -> list[dict[str, Any]]:
    if frame is None or year is None:
        return []
    return frame.filter(pl.col("year") == year).to_dicts()


def _words(lang: str) -> Translator:
    return park_translator(lang if lang in PARK_LANGUAGES else "en")


def park_page(session: Session, actor: Actor, park_id: str, year: int | None = None,
              lang: str = "en") -> ParkPage:
    """The page of `park_id` for `actor` in `year` (default: the latest assessed), its texts in
    `lang` where the park catalogue has it (see the module); raises `NotFound` when the park is
    not visible to `actor`."""
    view = park_view(session, actor, park_id)
    page = ParkPage(view.summary, framework=view.framework)
    indicators = view.frames.get("park_indicators")
    if indicators is None or indicators.is_empty():
        return page
    page.years = sorted(set(indicators["year"].to_list()))
    page.year = year if year in page.years else page.years[-1]
    by_key = {row["indicator"]: row for row in _rows(indicators, page.year)}
    page.indicators = [by_key[key] for key in HEADLINE if key in by_key]
    page.pillars = _rows(view.frames.get("pillar_scores"), page.year)
    pt, texts = _words(lang), packaged_framework_texts()
    page.requirements = [
        {**row, "title": pt(str(row["title"])),
         "decided_by": decided_by(pt, row, texts["evidence_needed"])}
        for row in _rows(view.frames.get("requirement_results"), page.year)]
    page.members = _rows(view.frames.get("park_members"), page.year)
    page.shared = _rows(view.frames.get("park_shared_facilities"), page.year)
    page.opportunities = _rows(view.frames.get("park_opportunities"), page.year)
    page.plan = [{**row, "measure_title": pt(str(row["measure_title"]))}
                 for row in _rows(view.frames.get("plan_measures"), page.year)]
    titles = {row["measure"]: row["measure_title"] for row in page.plan}
    names = {row["facility_id"]: row.get("facility_name") or row["facility_id"]
             for row in page.members}
    page.shares = [{**row, "measure_title": titles.get(row["measure"], row["measure"]),
                    "facility_name": names.get(row["facility_id"], row["facility_id"]),
                    "covers": steps_text(pt, row.get("covered_steps"), texts["step_titles"])}
                   for row in _rows(view.frames.get("plan_members"), page.year)]
    return page
