"""Use case: the methodology versions the platform builds from accepted proposals, and
assessing a facility with one of them.

A build is the packaged methodology and programme catalogue plus every proposal accepted so
far, in the order of acceptance, stored whole in `methodology_build` (decision 0024) and
never changed: accepting another proposal makes another build. The packaged version is never
touched, so an assessment under it stays as it was.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.engine.assessment import (
    AssessmentResult,
    Catalogue,
    Methodology,
    assess,
    default_catalogue,
    default_methodology,
)
from factory_journey.engine.assessment.catalogue import DEFAULT_CATALOGUE
from factory_journey.engine.assessment.extension import (
    AcceptedProposal,
    extended_documents,
    parse_version,
)
from factory_journey.engine.assessment.methodology import DEFAULT_METHODOLOGY
from factory_journey.engine.assessment.proposal_content import ProposalContent
from factory_journey.reference.loader import load_yaml
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.audit import record
from factory_journey.services.platform.errors import NotFound
from factory_journey.store.models import (
    MethodologyBuild,
    Organisation,
    Proposal,
    ProposalEvent,
    ProposalVersion,
)


def _accepted(session: Session, proposal: Proposal, version: ProposalVersion) -> AcceptedProposal:
    organisation = session.get(Organisation, proposal.organisation_id)
    assert organisation is not None
    accepted_at = session.scalar(
        select(ProposalEvent.at)
        .where(ProposalEvent.proposal_id == proposal.id, ProposalEvent.to_state == "accepted")
        .order_by(ProposalEvent.id.desc())
        .limit(1)
    )
    assert accepted_at is not None, "a proposal is built into a version once accepted"
    return AcceptedProposal(
        proposal_id=proposal.id,
        version=version.number,
        organisation=organisation.name,
        accepted_on=accepted_at.date().isoformat(),
        content=ProposalContent.model_validate(version.content),
    )


def _sha256(methodology: dict[str, Any], catalogue: dict[str, Any]) -> str:
    text = json.dumps([methodology, catalogue], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extended_documents_of(
    accepted: list[AcceptedProposal], name: str, version: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The packaged methodology and catalogue documents with `accepted` added (copies)."""
    return extended_documents(
        load_yaml(DEFAULT_METHODOLOGY), load_yaml(DEFAULT_CATALOGUE), accepted, name, version
    )


def _accepted_so_far(session: Session) -> list[tuple[int, int]]:
    """(proposal id, accepted version number) of every accepted proposal, in the order of
    acceptance (the proposal accepted in this transaction included, last)."""
    rows = session.execute(
        select(ProposalEvent.proposal_id, ProposalEvent.version_number)
        .join(Proposal, Proposal.id == ProposalEvent.proposal_id)
        .where(ProposalEvent.to_state == "accepted", Proposal.state == "accepted")
        .order_by(ProposalEvent.id)
    ).all()
    return [(int(p), int(v)) for p, v in rows]


def build_with(
    session: Session, actor: Actor | None, proposal: Proposal, version: ProposalVersion
) -> MethodologyBuild:
    """A new build: the packaged version plus every proposal accepted so far (this one last).

    Built from the accepted proposals themselves, not from the previous build, so that two
    acceptances at the same moment cannot leave one out of every later build; named after
    the proposal whose acceptance made it (a proposal is accepted once: names are unique).
    """
    session.flush()  # this proposal's acceptance event is among the rows read
    included = _accepted_so_far(session)
    assert included and included[-1] == (proposal.id, version.number), included
    accepted = []
    for proposal_id, number in included:
        row = session.get(Proposal, proposal_id)
        assert row is not None
        kept = session.scalar(
            select(ProposalVersion).where(
                ProposalVersion.proposal_id == proposal_id, ProposalVersion.number == number
            )
        )
        assert kept is not None
        accepted.append(_accepted(session, row, kept))
    base = load_yaml(DEFAULT_METHODOLOGY)["meta"]
    name, version_label = f"{base['name']}-jj{proposal.id}", f"{base['version']}-jj{proposal.id}"
    methodology, catalogue = extended_documents_of(accepted, name, version_label)
    parsed, _ = parse_version(methodology, catalogue)  # never store a version that fails
    build = MethodologyBuild(
        name=name,
        label=parsed.label,
        base_label=default_methodology().label,
        methodology=methodology,
        catalogue=catalogue,
        content_sha256=_sha256(methodology, catalogue),
        proposal_versions=[list(pair) for pair in included],
        created_by=actor.user_id if actor else None,
    )
    session.add(build)
    session.flush()
    proposal.methodology_build_id = build.id
    record(session, actor, "methodology.build", "methodology_build", build.id,
           {"name": name, "proposals": [f"JJ-{p} v{v}" for p, v in included]})
    return build


def list_builds(session: Session) -> list[MethodologyBuild]:
    return list(session.scalars(select(MethodologyBuild).order_by(MethodologyBuild.id)))


def get_build(session: Session, build_id: int) -> MethodologyBuild:
    row = session.get(MethodologyBuild, build_id)
    if row is None:
        raise NotFound(f"no methodology version {build_id}")
    return row


_parsed: dict[str, tuple[Methodology, Catalogue]] = {}
_parsed_lock = threading.Lock()


def version_of(row: MethodologyBuild) -> tuple[Methodology, Catalogue]:
    """The build's methodology and catalogue, parsed once a process (the engine caches its
    expressions per object, so the same objects are handed out every time)."""
    with _parsed_lock:
        found = _parsed.get(row.content_sha256)
        if found is None:
            found = parse_version(row.methodology, row.catalogue)
            _parsed[row.content_sha256] = found
        return found


@dataclass(frozen=True)
class FacilityAssessment:
    """A facility assessed with a chosen methodology version (computed, not stored)."""

    facility_id: str
    methodology: Methodology
    catalogue: Catalogue
    matrix: pl.DataFrame
    result: AssessmentResult
    #: The peer table it was judged against (the platform's current peer snapshot, or empty
    #: before the first): its report's peer lines come from it too.
    peers: pl.DataFrame | None = None


def assess_facility(
    session: Session, actor: Actor, facility_id: str, build_id: int | None
) -> FacilityAssessment:
    """Assess the facility's current data with build `build_id` (None: the packaged version),
    against the platform's current peer snapshot, as the stored assessment is computed."""
    from factory_journey.engine.assessment.peers import empty_peer_table
    from factory_journey.engine.matrix import build_matrix
    from factory_journey.services.platform.access import authorise
    from factory_journey.services.platform.imports import latest_tables
    from factory_journey.services.platform.peers import peer_table
    from factory_journey.services.platform.results import current_inputs
    from factory_journey.services.platform.verification import apply_to_tables, records_in_force

    authorise(session, actor, "assessment.read", facility_id)
    if build_id is None:
        methodology, catalogue = default_methodology(), default_catalogue()
    else:
        methodology, catalogue = version_of(get_build(session, build_id))
    inputs = current_inputs(session, facility_id)
    if not inputs.submission_ids:
        raise NotFound(f"facility {facility_id} has no data to assess yet")
    in_force = records_in_force(session, inputs.submission_ids)
    tables = apply_to_tables(latest_tables(session, [facility_id]), in_force)
    built = build_matrix(tables, with_provenance=False)
    peers = (
        peer_table(session, inputs.peer_snapshot)
        if inputs.peer_snapshot is not None
        else empty_peer_table()
    )
    result = assess(
        built.matrix, methodology, catalogue, matrix_versions=built.versions, peers=peers
    )
    return FacilityAssessment(facility_id, methodology, catalogue, built.matrix, result, peers)


def explanation_lines(assessed: FacilityAssessment, year: int | None = None) -> list[str]:
    """The plain-words explanation (services/explain.py) of the assessment, as lines."""
    from factory_journey.services.assessment import Assessed
    from factory_journey.services.explain import explain_assessed

    wrapped = Assessed(Path(assessed.facility_id), assessed.matrix, assessed.result, [])
    explanation = explain_assessed(
        wrapped, assessed.facility_id, year, assessed.methodology, assessed.catalogue
    )
    return explanation.text().splitlines()


def assessment_summary(assessed: FacilityAssessment) -> dict[str, Any]:
    """The pathways, measures, versions and explanation of an assessment, as JSON-able data."""
    result = assessed.result

    def records(frame: pl.DataFrame) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = json.loads(frame.write_json())
        return rows

    return {
        "facility_id": assessed.facility_id,
        "methodology_version": assessed.methodology.label,
        "versions": dict(result.versions),
        "pathways": records(result.pathways),
        "measures": records(result.measures),
        "explanation": explanation_lines(assessed),
    }


def report_pdf(
    session: Session, actor: Actor, facility_id: str, build_id: int, lang: str = "en"
) -> bytes:
    """The facility report (PDF) of its current data assessed with build `build_id`; a module
    an accepted proposal added is titled with the proposal it came from. Made on request,
    not stored (the platform's stored report stays the packaged version's)."""
    from factory_journey.reports.context import FacilityNotFoundError
    from factory_journey.reports.i18n import UnknownLanguageError, normalise_language
    from factory_journey.services.platform.access import authorise
    from factory_journey.services.platform.errors import InvalidInput
    from factory_journey.services.reports import ASSESSMENT_FRAMES, render_facility, report_data

    authorise(session, actor, "report.read", facility_id)
    try:
        lang = normalise_language(lang)
    except UnknownLanguageError as error:
        raise InvalidInput(str(error)) from None
    assessed = assess_facility(session, actor, facility_id, build_id)
    frames = {name: getattr(assessed.result, name) for name in ASSESSMENT_FRAMES}
    data = report_data(
        assessed.matrix, frames, assessed.result.versions, facility_id, assessed.catalogue,
        assessed.methodology, assessed.peers,
    )
    try:
        return render_facility(data, facility_id, lang, "pdf")
    except FacilityNotFoundError as error:
        raise NotFound(str(error)) from None
