"""Evaluate a cohort on the platform: the same engine, content and charts as `journey evaluate`.

The cohort's facilities that are still shared with the programme with their data are read
(the latest submission of every year, `imports.latest_tables`), their Data Matrix built and
`engine.evaluation.evaluate_programmes` run between a baseline and a follow-up year, with the
programme's participation records in force (cohorts.py) or, without any, the programmes the
facilities reported themselves. The outcome is the evaluation report's context
(`reports.evaluation_context.build_evaluation_context`: headline shares, participation,
countries, regional insights, shares by group, effect against the control group with its
charts, cycles, caveats, method), the same dict the HTML and PDF reports render.

The outcome also keeps the engine's `EvaluationResult` (every table, one row per facility and
area among them): `evaluation_gaps` lists the facilities without comparable data from it and
`evaluation_export` writes it as CSV and XLSX.

Results are kept per process by their inputs (facilities, submission ids, records, years), so
reading the page again, or downloading it, costs a lookup; a new submission or records upload
makes a new key.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.cohorts import candidates, cohort, records_frame
from factory_journey.services.platform.errors import InvalidInput, NotFound
from factory_journey.store.models import ProgrammeRecords, Submission

if TYPE_CHECKING:
    from factory_journey.engine.evaluation import EvaluationResult


@dataclass(slots=True)
class CohortEvaluation:
    """The report context of one evaluation, the engine's result it was made from (None only
    when built by hand), the cohort's name, and the facilities it had to leave out."""

    context: dict[str, Any]
    facilities: int
    left_out: list[str] = field(default_factory=list)
    records_id: int | None = None
    result: EvaluationResult | None = None
    name: str = ""


_results: OrderedDict[str, CohortEvaluation] = OrderedDict()
_lock = threading.Lock()


def _readable(session: Session, actor: Actor, facility_ids: list[str]) -> tuple[list[str],
                                                                                list[str]]:
    """(facilities whose matrix the actor may read, the others) — a grant may have been
    revoked or narrowed since the cohort was made. Each read is audited as `access.check`
    audits it, without a query per facility."""
    scopes = {c.facility_id: c.scope for c in candidates(session, actor)}
    ok = [f for f in facility_ids if f in scopes]
    for facility_id in ok:
        record(session, actor, "shared.matrix.read", "facility", facility_id,
               {"scope": scopes[facility_id]})
    return ok, [f for f in facility_ids if f not in scopes]


def _key(session: Session, actor: Actor, ids: list[str], baseline: int, followup: int,
         cycle_years: int | None) -> tuple[str, int | None]:
    submissions = sorted(session.scalars(
        select(Submission.id).where(Submission.facility_id.in_(ids))
    )) if ids else []
    records_id = session.scalar(
        select(func.max(ProgrammeRecords.id))
        .where(ProgrammeRecords.organisation_id == actor.organisation_id)
    )
    document = {"db": str(session.get_bind().engine.url), "ids": ids,
                "submissions": submissions, "records": records_id, "years": [baseline,
                followup, cycle_years]}
    text = json.dumps(document, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), records_id


def years_available(session: Session, actor: Actor) -> list[int]:
    """Years with data among the facilities shared with the programme with their data."""
    ids = [c.facility_id for c in candidates(session, actor)]
    if not ids:
        return []
    return sorted(session.scalars(
        select(Submission.year).where(Submission.facility_id.in_(ids)).distinct()
    ))


def chosen_years(years: list[int], baseline: int | None, followup: int | None
                 ) -> tuple[int | None, int | None]:
    """(baseline, follow-up) [years] of a request: those asked for, else the first and the last
    of `years` (the years with data, `years_available`); None when there are none."""
    return (baseline or (years[0] if years else None),
            followup or (years[-1] if years else None))


def evaluate_cohort(
    session: Session,
    actor: Actor,
    cohort_id: int | None,
    baseline_year: int,
    followup_year: int,
    cycle_years: int | None = None,
) -> CohortEvaluation:
    """Evaluate the cohort between `baseline_year` and `followup_year` [years]; without a
    cohort, every facility shared with the programme with its data."""
    from factory_journey.engine.evaluation import EvaluationInputError, evaluate_programmes
    from factory_journey.engine.matrix import build_matrix
    from factory_journey.reports.evaluation_context import build_evaluation_context
    from factory_journey.services.evaluation import (
        country_names,
        disputed_rows,
        headlines,
        named_insights,
    )
    from factory_journey.services.platform.imports import latest_tables

    if cohort_id is None:
        name, members = "all facilities shared", [c.facility_id
                                                  for c in candidates(session, actor)]
    else:
        found = cohort(session, actor, cohort_id)
        name, members = found.name, found.facility_ids
    ids, left_out = _readable(session, actor, members)
    if not ids:
        raise NotFound(f"no facility of {name!r} is shared with your organisation with its "
                       "data")
    key, records_id = _key(session, actor, ids, baseline_year, followup_year, cycle_years)
    with _lock:
        if key in _results:
            _results.move_to_end(key)
            return _results[key]
    tables = latest_tables(session, ids)
    records = records_frame(session, actor)
    programmes = (records.filter(pl.col("facility_id").is_in(ids)) if records is not None
                  else tables.get("programmes"))
    built = build_matrix(tables)
    try:
        result = evaluate_programmes(
            built.matrix, baseline_year, followup_year, programmes=programmes,
            provenance=disputed_rows(tables), cycle_years=cycle_years,
        )
    except EvaluationInputError as error:
        raise InvalidInput(str(error)) from None
    names = country_names(result.country_distribution.get_column("country_iso2").to_list())
    from factory_journey.domain.timestamps import now_iso_utc

    context = build_evaluation_context(
        result, headlines(result), insights=named_insights(result, names),
        dataset_name=name, country_names=names, created=now_iso_utc(),
    )
    outcome = CohortEvaluation(context, len(ids), left_out, records_id, result, name)
    with _lock:
        _results[key] = outcome
        while len(_results) > 32:
            _results.popitem(last=False)
    return outcome
