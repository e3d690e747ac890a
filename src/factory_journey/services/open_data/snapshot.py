"""Build a subject's published snapshot from its consented data (at publish and refresh).

The snapshot is the only thing public reads see: the profile (name, country, park, Open
Supply Hub id, licence, methodology and reference versions, discharge status per year) and
the values consent covers, each with unit and verification status. It is rebuilt whole, so
a narrower consent never leaves a value of a wider one behind.
"""

from __future__ import annotations

import hashlib
import json
import re

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from factory_journey.engine.open_data import discharge_years, long_values
from factory_journey.services.open_data.consent_filter import (
    consented_discharge,
    consented_values,
    in_force,
)
from factory_journey.services.platform import results
from factory_journey.services.platform.imports import latest_tables
from factory_journey.store.models import (
    AssessmentSnapshot,
    Evidence,
    Facility,
    ParkMember,
    PublicationConsent,
    PublicProfile,
    PublicValue,
)

#: The evidence subject that files a ZDHC corrective action plan for its facility-year
#: (case, spaces and punctuation ignored): a failing test with one is yellow, not red.
CORRECTIVE_ACTION_PLAN = "zdhc corrective action plan"


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def plan_years(session: Session, facility_id: str) -> frozenset[int]:
    """Years of the facility with a corrective action plan among its evidence documents."""
    rows = session.execute(
        select(Evidence.year, Evidence.subject).where(Evidence.facility_id == facility_id)
    ).all()
    return frozenset(year for year, subject in rows if _normalised(subject) ==
                     CORRECTIVE_ACTION_PLAN)


def identity(session: Session, facility: Facility) -> tuple[str | None, str | None]:
    """(park id, Open Supply Hub id) of the facility. The park: the park whose operator
    records the facility as a member in its newest year (a park on the platform, whose page
    lists its published members), else the platform's record, else what its latest profile
    says (the import keeps it in the profile table); the Open Supply Hub id: the platform's
    record, else its latest profile's."""
    member_of = session.scalar(
        select(ParkMember.park_id).where(ParkMember.facility_id == facility.id)
        .order_by(ParkMember.year.desc()).limit(1)
    )
    park, os_hub = member_of or facility.park_id, facility.os_hub_id
    if park and os_hub:
        return park, os_hub
    profiles = latest_tables(session, [facility.id]).get("profiles")
    if profiles is not None and profiles.height:
        latest = profiles.sort("year").row(-1, named=True)
        park = park or latest.get("park_id")
        os_hub = os_hub or latest.get("sip_osh_id")
    return park, os_hub


def remove(session: Session, subject_kind: str, subject_id: str) -> None:
    """Delete the subject's published snapshot (a withdrawal, or before a rebuild)."""
    profile_ids = select(PublicProfile.id).where(
        PublicProfile.subject_kind == subject_kind, PublicProfile.subject_id == subject_id
    )
    session.execute(delete(PublicValue).where(PublicValue.profile_id.in_(profile_ids)))
    session.execute(
        delete(PublicProfile).where(
            PublicProfile.subject_kind == subject_kind, PublicProfile.subject_id == subject_id
        )
    )


def build_facility(session: Session, consent: PublicationConsent) -> PublicProfile:
    """(Re)build the published snapshot of a facility from its latest data and `consent`."""
    facility = session.get(Facility, consent.subject_id)
    assert facility is not None
    ref = results.current_snapshot(session, facility.id)
    frames = results.snapshot_frames(session, ref)
    stored = session.get(AssessmentSnapshot, ref.id)
    assert stored is not None
    matrix = frames["matrix"]
    park_id, os_hub_id = identity(session, facility)
    rows: list[dict[str, object]] = []
    discharge = []
    if matrix.height and "year" in matrix.columns:  # no data submitted yet: nothing to show
        rows = consented_values(long_values(matrix), consent).to_dicts()
        discharge = consented_discharge(
            discharge_years(matrix, plan_years(session, facility.id)), consent
        )
    discharge_rows = [
        {
            "year": item.year,
            "status": item.status,
            "parameters_tested": item.parameters_tested,
            "parameters_failing": item.parameters_failing,
            "corrective_action_plan": item.corrective_action_plan,
        }
        for item in discharge
    ]
    versions = {str(k): str(v) for k, v in (stored.result.get("versions") or {}).items()}
    document = {
        "facility": [facility.id, facility.name, facility.country_iso2, park_id, os_hub_id],
        "consent": consent.id,
        "values": rows,
        "discharge": discharge_rows,
        "versions": versions,
    }
    etag = hashlib.sha256(
        json.dumps(document, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()
    remove(session, "facility", facility.id)
    profile = PublicProfile(
        subject_kind="facility",
        subject_id=facility.id,
        consent_id=consent.id,
        name=facility.name,
        country_iso2=facility.country_iso2,
        park_id=park_id,
        os_hub_id=os_hub_id,
        licence_id=consent.licence_id,
        methodology_version=ref.methodology_version,
        reference_versions=versions,
        discharge=discharge_rows,
        etag=etag,
    )
    session.add(profile)
    session.flush()
    session.add_all(PublicValue(profile_id=profile.id, **row) for row in rows)
    session.flush()
    return profile


def consents_in_force(session: Session) -> list[PublicationConsent]:
    """Every consent that lets its subject be published now."""
    return list(
        session.scalars(
            select(PublicationConsent).where(in_force()).order_by(PublicationConsent.id)
        )
    )


def refresh_all(session: Session) -> int:
    """Rebuild the snapshot of every subject whose consent is in force from its latest data;
    the number rebuilt (a park's from its operator's newest assessment)."""
    from factory_journey.services.open_data.park_snapshot import build_park  # it imports us

    count = 0
    for consent in consents_in_force(session):
        if consent.subject_kind == "facility":
            build_facility(session, consent)
        else:
            build_park(session, consent)
        count += 1
    return count
