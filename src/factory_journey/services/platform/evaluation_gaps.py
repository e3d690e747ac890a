"""Which facilities of a cohort's evaluation have no comparable data, area by area.

The evaluation report counts them ("Facilities without comparable data": area, reason, number);
a programme officer needs their ids and names to ask each factory for what is missing. Read
from the engine's per facility × area judgement (`EvaluationResult.changes`, status
`not_comparable` with its reason code and detail), in the rules' order of areas, facilities by
id within an area. Names are the facilities' current names on the platform.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy.orm import Session

from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.cohorts import candidates
from factory_journey.services.platform.programme_evaluation import CohortEvaluation

__all__ = ["AreaGaps", "GapFacility", "facilities_without_comparable_data", "facility_names"]


@dataclass(frozen=True, slots=True)
class GapFacility:
    """One facility without comparable data in an area: `reason` is a key of
    `engine.evaluation.REASONS`, `detail` the engine's English words with the years or values
    involved."""

    facility_id: str
    name: str
    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class AreaGaps:
    """An area (its rule key and English label) and its facilities without comparable data."""

    area: str
    label: str
    facilities: list[GapFacility]


def facility_names(session: Session, actor: Actor) -> dict[str, str]:
    """Facility id → name of every facility shared with the actor's programme with its data
    (those an evaluation may read)."""
    return {c.facility_id: c.name for c in candidates(session, actor)}


def facilities_without_comparable_data(
    session: Session, actor: Actor, outcome: CohortEvaluation
) -> list[AreaGaps]:
    """The areas with at least one facility without comparable data, each with its
    facilities; [] when every facility is comparable in every area (or no result is kept)."""
    result = outcome.result
    if result is None:
        return []
    gaps = result.changes.filter(pl.col("status") == "not_comparable").select(
        "area", "facility_id", "reason", "detail")
    if gaps.is_empty():
        return []
    names = facility_names(session, actor)
    by_area: dict[str, list[GapFacility]] = {}
    for area, facility_id, reason, detail in gaps.sort("area", "facility_id").iter_rows():
        by_area.setdefault(area, []).append(
            GapFacility(facility_id, names.get(facility_id, ""), reason or "", detail or ""))
    rules = result.rules.areas
    order = [a for a in rules if a in by_area] + sorted(set(by_area) - set(rules))
    return [AreaGaps(a, rules[a].label if a in rules else a, by_area[a]) for a in order]
