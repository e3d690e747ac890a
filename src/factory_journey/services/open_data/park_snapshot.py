"""Build a park's published snapshot from its operator's newest assessment and its consent.

The park's frames (docs/park-data-format.md) of the operator's assessment in force are read,
reduced to what may be published without exposing a member (engine.park_open_data: groups
of at least `aggregates.MIN_CONTRIBUTORS` members), then to what consent covers (the same
consent filter as a facility's). The profile's `discharge` lists each central effluent
plant's ZDHC-style status by year (shared-facilities group). Member factories appear on the
park's public page only through their own published profiles (`public_parks`).
"""

from __future__ import annotations

import hashlib
import io
import json

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from factory_journey.engine.park_open_data import park_long_values, plant_discharge
from factory_journey.services.open_data.aggregates import MIN_CONTRIBUTORS
from factory_journey.services.open_data.consent_filter import consented_values
from factory_journey.services.open_data.snapshot import remove
from factory_journey.store.models import (
    Park,
    ParkAssessment,
    ParkAssessmentFrame,
    PublicationConsent,
    PublicProfile,
    PublicValue,
)


def park_frames(session: Session, park: Park) -> tuple[ParkAssessment | None,
                                                       dict[str, pl.DataFrame]]:
    """The operator's assessment in force and its frames, filtered to `park`."""
    stored = session.scalar(
        select(ParkAssessment)
        .where(ParkAssessment.operator_organisation_id == park.operator_organisation_id)
        .order_by(ParkAssessment.id.desc()).limit(1))
    frames: dict[str, pl.DataFrame] = {}
    if stored is None:
        return None, frames
    for row in session.scalars(select(ParkAssessmentFrame).where(
            ParkAssessmentFrame.assessment_id == stored.id)):
        if row.name == "park_members":
            continue  # members' own values: never read for a park's publication
        frame = pl.read_parquet(io.BytesIO(row.content))
        if "park_id" in frame.columns:
            frames[row.name] = frame.filter(pl.col("park_id") == park.id)
    return stored, frames


def park_years(session: Session, park: Park) -> list[int]:
    """The years the park's assessment in force covers (what its operator may publish)."""
    _stored, frames = park_frames(session, park)
    indicators = frames.get("park_indicators")
    if indicators is None or not indicators.height:
        return []
    return sorted({int(y) for y in indicators["year"].to_list()})


def build_park(session: Session, consent: PublicationConsent) -> PublicProfile:
    """(Re)build the published snapshot of a park from its newest assessment and `consent`."""
    park = session.get(Park, consent.subject_id)
    assert park is not None
    stored, frames = park_frames(session, park)
    rows: list[dict[str, object]] = []
    discharge: list[dict[str, object]] = []
    if stored is not None:
        rows = consented_values(park_long_values(frames, MIN_CONTRIBUTORS), consent).to_dicts()
        if "shared_facilities" in consent.groups:
            allowed_years = {int(y) for y in consent.years}
            discharge = [
                {"year": item.year, "shared_facility_id": item.shared_facility_id,
                 "name": item.name, "status": item.status,
                 "parameters_failing": item.parameters_failing}
                for item in plant_discharge(frames.get("park_shared_facilities",
                                                       pl.DataFrame()))
                if not allowed_years or item.year in allowed_years
            ]
    versions = {str(k): str(v) for k, v in ((stored.versions if stored else {}) or {}).items()}
    framework = stored.framework if stored else ""
    document = {"park": [park.id, park.name, park.country_iso2], "consent": consent.id,
                "values": rows, "discharge": discharge, "versions": versions,
                "framework": framework}
    etag = hashlib.sha256(
        json.dumps(document, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    remove(session, "park", park.id)
    profile = PublicProfile(
        subject_kind="park", subject_id=park.id, consent_id=consent.id, name=park.name,
        country_iso2=park.country_iso2, park_id=park.id, os_hub_id=None,
        licence_id=consent.licence_id, methodology_version=framework,
        reference_versions=versions, discharge=discharge, etag=etag)
    session.add(profile)
    session.flush()
    session.add_all(PublicValue(profile_id=profile.id, **row) for row in rows)
    session.flush()
    return profile
