"""What an open-data publication of a park holds, derived from its assessment frames (pure).

A park operator publishes park-level data in four groups (`PARK_GROUPS`): the park's
indicators (totals and shares, `park_indicators`), its shared facilities' own figures and the
ZDHC-style discharge status of each central effluent plant (`park_shared_facilities`), the
framework's requirement results and its pillar scores. Member factories' own values are never
part of it (`park_members` is not read): a member is public only through its own consent.

Aggregates without exposure (decision 0033): a park total that adds up members' data is
published only when at least `minimum` members contribute to it; a share over members only
when its denominator counts at least `minimum` members; a ratio only when every total it
divides is published; and a requirement that tests a withheld indicator is left out. The
park's own figures (counts of members and shared facilities, shared facilities' own flows,
the central plant's ZDHC result, questionnaire answers, pillar scores) need no such group.
Which groups and years the operator consented to is applied afterwards by the consent filter.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from factory_journey.engine.open_data import VALUE_SCHEMA

PARK_GROUPS: tuple[str, ...] = (
    "park_indicators",
    "shared_facilities",
    "requirement_results",
    "pillar_scores",
)
#: Park values carry no verification of their own on the platform: the operator reports them.
PARK_VERIFICATION = "self-reported"

#: Park indicators that are the park's own facts, not sums over members.
_OWN = frozenset({"members", "members_assessed", "shared_facilities",
                  "has_central_effluent_plant", "central_plant_zdhc_pass"})
#: Ratios: published only when every total named is.
_RATIOS: dict[str, tuple[str, ...]] = {
    "renewable_share": ("energy_renewable_mj", "energy_total_mj"),
    "water_recycled_reused_share": ("water_recycled_reused_m3", "water_withdrawal_m3"),
    "waste_diversion_share": ("waste_diverted_kg", "waste_total_kg"),
    "energy_mj_per_employee": ("energy_total_mj", "employees"),
    "water_m3_per_employee": ("water_withdrawal_m3", "employees"),
    "ghg_kgco2e_per_employee": ("ghg_kgco2e", "employees"),
    "waste_kg_per_employee": ("waste_total_kg", "employees"),
}
#: A shared facility's own figures: (column of park_shared_facilities, unit). Members' flows
#: metered at a shared facility (`member_flows_*`) are members' data and are not published.
SHARED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("energy_total_mj", "MJ"),
    ("ghg_kgco2e", "kgCO2e"),
    ("water_withdrawal_m3", "m3"),
    ("wastewater_m3", "m3"),
    ("zdhc_parameters_failing_foundational", "count"),
)
CENTRAL_PLANT = "central_effluent_treatment"


@dataclass(frozen=True, slots=True)
class PlantDischarge:
    """The ZDHC-style discharge status of a central effluent plant in a year (green, yellow,
    red as for a facility; None when not tested) and its failing parameters [count]."""

    year: int
    shared_facility_id: str
    name: str
    status: str | None
    parameters_failing: int | None


def _number(value: object) -> float | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return float(value) if isinstance(value, int | float) else None


def _members_behind(row: dict[str, object], shared_count: int) -> int | None:
    """How many members a summed park total rests on (a lower bound): the reporting count
    less the shared facilities when they add to it; None when no member adds to it."""
    if _number(row.get("members_value")) is None:
        return None
    reporting = int(_number(row.get("reporting")) or 0)
    shared = shared_count if _number(row.get("shared_value")) is not None else 0
    return reporting - shared


def _share_denominators(indicators: dict[str, float | None],
                        opportunities: dict[str, int]) -> dict[str, int]:
    """The members each share over members rests on [count]."""
    members = int(indicators.get("members") or 0)
    tested = round((indicators.get("members_zdhc_tested_share") or 0.0) * members)
    out = {"members_assessed_share": members, "members_zdhc_tested_share": members,
           "members_zdhc_green_share": tested}
    for area, assessed in opportunities.items():
        out[f"members_high_share_{area}"] = assessed
    return out


def published_indicators(indicators: pl.DataFrame, opportunities: pl.DataFrame,
                         minimum: int) -> pl.DataFrame:
    """The rows of one park-year's `park_indicators` that may be published (see module doc);
    `opportunities` is the same park-year's `park_opportunities`."""
    rows = indicators.to_dicts()
    values = {str(r["indicator"]): _number(r["value"]) for r in rows}
    shared_count = int(values.get("shared_facilities") or 0)
    assessed = {str(r["area"]): int(r["high"] or 0) + int(r["low"] or 0)
                for r in opportunities.iter_rows(named=True)}
    shares = _share_denominators(values, assessed)
    allowed: set[str] = set()
    for row in rows:
        name = str(row["indicator"])
        if name in _OWN:
            allowed.add(name)
        elif name in shares:
            if shares[name] >= minimum:
                allowed.add(name)
        elif name not in _RATIOS:
            behind = _members_behind(row, shared_count)
            if behind is None and _number(row.get("shared_value")) is not None:
                allowed.add(name)  # the shared facilities' own only
            elif behind is not None and behind >= minimum:
                allowed.add(name)
    allowed |= {name for name, parts in _RATIOS.items() if set(parts) <= allowed}
    return indicators.filter(pl.col("indicator").is_in(sorted(allowed)))


def _value_rows(park_year: tuple[str, int], group: str, items: list[tuple[str, object, str]]
                ) -> list[dict[str, object]]:
    out = []
    for indicator, raw, unit in items:
        number = _number(raw)
        text = None if number is not None or raw is None else str(raw)
        if number is None and text is None:
            continue
        out.append({"year": park_year[1], "indicator_group": group, "indicator": indicator,
                    "value": number, "value_text": text, "unit": unit[:32],
                    "verification_status": PARK_VERIFICATION})
    return out


def park_long_values(frames: dict[str, pl.DataFrame], minimum: int) -> pl.DataFrame:
    """Every publishable value of one park (frames already filtered to it), one row per
    (year, group, indicator) in engine.open_data.VALUE_SCHEMA. A shared facility's figure is
    named `<shared_facility_id>.<column>`; a requirement's row holds its result in
    `value_text` and its tested value in `value`."""
    rows: list[dict[str, object]] = []
    indicators = frames.get("park_indicators", pl.DataFrame())
    opportunities = frames.get("park_opportunities", pl.DataFrame())
    years = sorted({int(y) for f in frames.values() if "year" in f.columns
                    for y in f["year"].to_list()})
    for year in years:
        key = ("", year)
        kept: set[str] = set()
        if indicators.height:
            ours = indicators.filter(pl.col("year") == year)
            theirs = (opportunities.filter(pl.col("year") == year) if opportunities.height
                      else pl.DataFrame({"area": [], "high": [], "low": []}))
            shown = published_indicators(ours, theirs, minimum).sort("indicator")
            kept = set(shown["indicator"].to_list())
            rows += _value_rows(key, "park_indicators", [
                (r["indicator"], r["value"], r["unit"]) for r in shown.iter_rows(named=True)])
        shared = frames.get("park_shared_facilities", pl.DataFrame())
        if shared.height:
            for plant in shared.filter(pl.col("year") == year).sort(
                    "shared_facility_id").iter_rows(named=True):
                sid = plant["shared_facility_id"]
                rows += _value_rows(key, "shared_facilities", [
                    (f"{sid}.type", plant["type"], "-"),
                    *[(f"{sid}.{column}", plant.get(column), unit)
                      for column, unit in SHARED_COLUMNS],
                ])
        requirements = frames.get("requirement_results", pl.DataFrame())
        if requirements.height:
            for req in requirements.filter(pl.col("year") == year).iter_rows(named=True):
                if req["test_kind"] == "indicator" and req["subject"] not in kept:
                    continue  # it tests a withheld aggregate: its result would tell it
                value = _number(req["value"])
                rows.append({"year": year, "indicator_group": "requirement_results",
                             "indicator": req["requirement_id"], "value": value,
                             "value_text": req["result"], "unit": str(req["unit"] or "-")[:32],
                             "verification_status": PARK_VERIFICATION})
        pillars = frames.get("pillar_scores", pl.DataFrame())
        if pillars.height:
            rows += _value_rows(key, "pillar_scores", [
                (r["pillar"], r["score"], "share")
                for r in pillars.filter(pl.col("year") == year).iter_rows(named=True)])
    return pl.DataFrame(rows, schema=VALUE_SCHEMA)


def plant_discharge(shared: pl.DataFrame) -> list[PlantDischarge]:
    """The discharge status of every central effluent plant of one park, by year."""
    if not shared.height:
        return []
    plants = shared.filter(pl.col("type") == CENTRAL_PLANT).sort("year", "shared_facility_id")
    out = []
    for row in plants.iter_rows(named=True):
        status = row.get("zdhc_status")
        failing = row.get("zdhc_parameters_failing_foundational")
        out.append(PlantDischarge(
            int(row["year"]), str(row["shared_facility_id"]), str(row["name"] or ""),
            status if status in ("green", "yellow", "red") else None,
            int(failing) if failing is not None else None))
    return out
