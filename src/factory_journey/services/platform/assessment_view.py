"""The assessment of one facility as a page shows it: the facility report's own context (seven
areas high / low with their reasons, recommended and optional pathways with costed measures,
trends, the report's SVG charts) built from the stored snapshot, plus the greenhouse-gas
trajectory against the target year by year.

Nothing is computed twice: the context is `reports.facility_context.build_facility_context`
over the snapshot's frames (as the PDF report is), translated with the report catalogues. A
snapshot never changes, so a context is kept by (database, snapshot, language, year).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from factory_journey.services.platform.access import check
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import InvalidInput, NotFound
from factory_journey.services.platform.results import (
    SnapshotRef,
    current_snapshot,
)
from factory_journey.services.platform.snapshot_report import snapshot_report_data


@dataclass(frozen=True, slots=True)
class TrajectoryYear:
    """One year of the greenhouse-gas trajectory [t CO2e] (None where not computed)."""

    year: int
    emissions_t: float | None
    target_t: float | None
    gap_t: float | None
    on_track: bool | None


@dataclass(frozen=True, slots=True)
class AssessmentView:
    facility_id: str
    snapshot_id: int
    year: int
    years: tuple[int, ...]
    #: The facility report context (`build_facility_context`): areas, pathways, charts, …
    report: dict[str, Any]
    trajectory: tuple[TrajectoryYear, ...]
    target_year: int | None
    methodology_version: str


class _Views:
    def __init__(self, size: int = 256) -> None:
        self._items: OrderedDict[tuple[str, int, str, int | None], AssessmentView] = (
            OrderedDict()
        )
        self._size, self._lock = size, threading.Lock()

    def get(self, key: tuple[str, int, str, int | None]) -> AssessmentView | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, int, str, int | None], view: AssessmentView) -> None:
        with self._lock:
            self._items[key] = view
            while len(self._items) > self._size:
                self._items.popitem(last=False)


_views = _Views()


def _tonnes(value: Any) -> float | None:
    return None if value is None else float(value) / 1000.0


def trajectory_years(trajectory: pl.DataFrame, facility_id: str) -> tuple[TrajectoryYear, ...]:
    """The facility's emissions against its target path, year by year [t CO2e]."""
    if trajectory.is_empty() or "facility_id" not in trajectory.columns:
        return ()
    rows = trajectory.filter(pl.col("facility_id") == facility_id).sort("year").to_dicts()
    return tuple(
        TrajectoryYear(
            int(r["year"]), _tonnes(r.get("ghg_kgco2e")), _tonnes(r.get("target_kgco2e")),
            _tonnes(r.get("gap_to_target_kgco2e")),
            None if r.get("on_track") is None else bool(r["on_track"]),
        )
        for r in rows
    )


def _build(session: Session, ref: SnapshotRef, lang: str, year: int | None) -> AssessmentView:
    from factory_journey.reports.context import FacilityNotFoundError
    from factory_journey.reports.facility_context import build_facility_context
    from factory_journey.reports.i18n import translator

    data = snapshot_report_data(session, ref)
    try:
        report = build_facility_context(data, ref.facility_id, translator(lang), year=year)
    except FacilityNotFoundError as error:
        raise NotFound(str(error)) from None
    matrix = data.matrix
    years = tuple(sorted(int(y) for y in matrix.filter(
        pl.col("facility_id") == ref.facility_id)["year"].to_list()))
    trajectory = trajectory_years(data.trajectory, ref.facility_id)
    target_year = None
    if "target_year" in data.trajectory.columns and trajectory:
        targets = data.trajectory["target_year"].drop_nulls()
        target_year = int(targets.max()) if targets.len() else None  # type: ignore[arg-type]
    return AssessmentView(
        ref.facility_id, ref.id, int(report["facility"]["year"]), years, report, trajectory,
        target_year, ref.methodology_version,
    )


def assessment_view(
    session: Session, actor: Actor, facility_id: str, lang: str = "en", year: int | None = None
) -> AssessmentView:
    """The facility's current assessment for a page, in `lang` (a report language).

    Needs `assessment.read`; NotFound when the facility has no data yet or not that year.
    """
    from factory_journey.reports.i18n import UnknownLanguageError, normalise_language

    check(session, actor, "assessment.read", facility_id)
    try:
        lang = normalise_language(lang)
    except UnknownLanguageError as error:
        raise InvalidInput(str(error)) from None
    ref = current_snapshot(session, facility_id)
    if not ref.submission_ids:
        raise NotFound(f"facility {facility_id} has no data to assess yet")
    key = (str(session.get_bind().engine.url), ref.id, lang, year)
    view = _views.get(key)
    if view is None:
        view = _build(session, ref, lang, year)
        _views.put(key, view)
    return view
