"""Bulk releases of everything published: one per refresh, each file with its SHA-256.

A release holds `values.csv` (through services/spreadsheet_safety.py), `values.parquet`,
`values.json` (the same rows), `facilities.json` (profiles, discharge status, versions),
`dictionary.csv` (column, unit, definition, source), `LICENCE.txt` and `SHA256SUMS`. Its URL
is stable (`/api/public/releases/<id>/<file>`) and `latest` names the newest. A release that
holds a subject whose consent is withdrawn is retired in the withdrawal's transaction: its
files are deleted and its URL answers 410, so no download keeps an unconsented value.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from factory_journey.domain.timestamps import iso_utc
from factory_journey.engine.catalogue import catalogue_version, indicators
from factory_journey.engine.open_data import PUBLISHABLE_GROUPS
from factory_journey.engine.park_open_data import PARK_GROUPS, SHARED_COLUMNS
from factory_journey.services.open_data import licences
from factory_journey.services.open_data.public_read import published_profiles, published_values
from factory_journey.services.platform.errors import NotFound, PlatformError
from factory_journey.services.spreadsheet_safety import write_csv
from factory_journey.store.models import OpenDataFile, OpenDataRelease, utcnow

CSV = "text/csv; charset=utf-8"
FILES: dict[str, str] = {
    "values.csv": CSV,
    "values.parquet": "application/vnd.apache.parquet",
    "values.json": "application/json",
    "facilities.json": "application/json",
    "dictionary.csv": CSV,
    "LICENCE.txt": "text/plain; charset=utf-8",
    "SHA256SUMS": "text/plain; charset=utf-8",
}

#: The columns of the values table: (unit, definition).
_COLUMNS: dict[str, tuple[str, str]] = {
    "subject_kind": ("-", "What the row is about: facility (a facility's own data, published "
                          "by it) or park (park-level data, published by the park's operator)"),
    "subject_id": ("-", "The facility's id on the platform, or the park's id"),
    "name": ("-", "The facility's (or park's) name as its owner gives it"),
    "country_iso2": ("-", "ISO 3166-1 alpha-2 code of the site's country"),
    "park_id": ("-", "The industrial park the facility is in, when known; a park's own id"),
    "os_hub_id": ("-", "Open Supply Hub id of the facility, when known (parks: empty)"),
    "licence_id": ("-", "SPDX id of the licence its publisher chose for the row"),
    "methodology_version": ("-", "Methodology version the values were computed under; for a "
                                 "park, the park framework and its version"),
    "year": ("year", "Reporting year"),
    "indicator_group": ("-", "Indicator group: " + ", ".join(PUBLISHABLE_GROUPS)
                        + " (facilities); " + ", ".join(PARK_GROUPS) + " (parks)"),
    "indicator": ("-", "Indicator name (see the indicator rows of this dictionary); for a "
                       "park's shared facility <shared_facility_id>.<figure>, for a "
                       "requirement its id, for a pillar score the pillar"),
    "value": ("unit column", "Value in `unit` (flags: 1 = true, 0 = false)"),
    "value_text": ("-", "Text value (a level, a category) where the indicator is not a "
                        "number; a park requirement's result (met, partly_met, not_met, "
                        "not_assessed)"),
    "unit": ("-", "Unit of `value`"),
    "verification_status": ("-", "verified, partly verified or self-reported (its group); "
                                 "park rows: self-reported (the operator's data)"),
}


#: The park indicators (docs/park-data-format.md): (unit, definition). A total over members
#: is published only when at least 5 members contribute to it (decision 0033).
PARK_INDICATORS: dict[str, tuple[str, str]] = {
    "members": ("count", "Member facilities in the year"),
    "members_assessed": ("count", "Members with at least one impact area assessed"),
    "members_assessed_share": ("share", "members_assessed / members"),
    "shared_facilities": ("count", "Shared facilities operating in the year"),
    "employees": ("persons", "Sum of the members' employees"),
    "production_volume_pcs": ("pcs", "Sum of the members' production in pieces"),
    "production_volume_kg": ("kg", "Sum of the members' production in kg"),
    "energy_total_mj": ("MJ", "Park total final energy (members less internal deliveries "
                              "plus shared facilities' own)"),
    "energy_renewable_mj": ("MJ", "Park total renewable energy"),
    "renewable_share": ("share", "energy_renewable_mj / energy_total_mj"),
    "scope1_kgco2e": ("kgCO2e", "Park total Scope 1"),
    "scope2_location_kgco2e": ("kgCO2e", "Park total Scope 2, location-based"),
    "ghg_kgco2e": ("kgCO2e", "Scope 1 + Scope 2 (location), park total"),
    "water_withdrawal_m3": ("m3", "Park total fresh water withdrawn"),
    "water_recycled_reused_m3": ("m3", "Park total recycled and reused water"),
    "water_recycled_reused_share": ("share", "Recycled+reused / (withdrawal+recycled+reused)"),
    "wastewater_m3": ("m3", "Park total wastewater generated"),
    "waste_total_kg": ("kg", "Park total waste"),
    "waste_hazardous_kg": ("kg", "Park total hazardous waste"),
    "waste_diverted_kg": ("kg", "Park total waste diverted from disposal"),
    "waste_diversion_share": ("share", "waste_diverted_kg / waste_total_kg"),
    "energy_mj_per_employee": ("MJ/person", "energy_total_mj / employees"),
    "water_m3_per_employee": ("m3/person", "water_withdrawal_m3 / employees"),
    "ghg_kgco2e_per_employee": ("kgCO2e/person", "ghg_kgco2e / employees"),
    "waste_kg_per_employee": ("kg/person", "waste_total_kg / employees"),
    "members_zdhc_tested_share": ("share", "Members with a discharged ZDHC sample / members"),
    "members_zdhc_green_share": ("share", "Members green / members tested"),
    "central_plant_zdhc_pass": ("0/1", "1 when every central effluent plant's latest "
                                       "discharged sample passes ZDHC foundational"),
    "has_central_effluent_plant": ("0/1", "A central effluent treatment plant operates"),
    "members_high_share_<area>": ("share", "Members with a high opportunity in the area / "
                                           "members assessed in it"),
}


class Gone(PlatformError):
    status = 410


@dataclass(frozen=True, slots=True)
class ReleaseFile:
    release_id: int
    name: str
    media_type: str
    sha256: str
    content: bytes


def dictionary() -> pl.DataFrame:
    """The data dictionary: every column of the values table, then every indicator."""
    source = f"Factory Journey indicator catalogue, version {catalogue_version()}"
    rows = [
        {"column": name, "unit": unit, "definition": text, "source": "Factory Journey"}
        for name, (unit, text) in _COLUMNS.items()
    ]
    rows += [
        {
            "column": f"indicator={item.name}",
            "unit": item.unit,
            "definition": f"{item.description} Formula: {item.formula}".strip(),
            "source": source,
        }
        for item in indicators()
        if item.area in PUBLISHABLE_GROUPS
    ]
    park_source = "Factory Journey park assessment (docs/park-data-format.md)"
    rows += [
        {"column": f"park indicator={name}", "unit": unit, "definition": text,
         "source": park_source}
        for name, (unit, text) in PARK_INDICATORS.items()
    ]
    rows += [
        {"column": f"park shared facility=<id>.{name}", "unit": unit,
         "definition": f"The shared facility's own {name} (members' flows metered there are "
                       "members' data: not published)", "source": park_source}
        for name, unit in (("type", "-"), *SHARED_COLUMNS)
    ]
    rows += [
        {"column": "park requirement=<requirement id>", "unit": "as the framework gives",
         "definition": "value: the value tested; value_text: the result. Left out when it "
                       "tests a park total withheld (fewer than 5 members)",
         "source": park_source},
        {"column": "park pillar score=<pillar>", "unit": "share",
         "definition": "Score of the framework pillar, 0-1 (partly met counts half)",
         "source": park_source},
    ]
    return pl.DataFrame(rows)


def _csv(frame: pl.DataFrame) -> bytes:
    with tempfile.TemporaryDirectory(prefix="journey-release-") as folder:
        path = Path(folder) / "file.csv"
        write_csv(frame, path)
        return path.read_bytes()


def _licence_text(values: pl.DataFrame) -> bytes:
    used = sorted(set(values["licence_id"].to_list())) if values.height else []
    lines = [
        "Factory Journey open environmental data.",
        "Each row is published by its facility (or, for a park, by the park's operator)",
        "under the licence named in its licence_id",
        "column (the publisher's choice). Licences used in this release:",
        "",
    ]
    for licence_id in used:
        item = licences.licence(licence_id)
        lines.append(f"{item.id}: {item.name} <{item.url}>")
    if not used:
        lines.append("(no data is published in this release)")
    return ("\n".join(lines) + "\n").encode("utf-8")


def build_files(session: Session) -> tuple[dict[str, bytes], list[str]]:
    """The files of a release of everything published now, and the subjects it holds."""
    values = published_values(session)
    profiles = published_profiles(session)
    parquet = io.BytesIO()
    values.write_parquet(parquet)
    files = {
        "values.csv": _csv(values),
        "values.parquet": parquet.getvalue(),
        "values.json": json.dumps(values.to_dicts(), ensure_ascii=False).encode("utf-8"),
        "facilities.json": json.dumps(profiles, ensure_ascii=False).encode("utf-8"),
        "dictionary.csv": _csv(dictionary()),
        "LICENCE.txt": _licence_text(values),
    }
    sums = "".join(
        f"{hashlib.sha256(body).hexdigest()}  {name}\n" for name, body in files.items()
    )
    files["SHA256SUMS"] = sums.encode("utf-8")
    subjects = [f"{p['kind']}:{p['id']}" for p in profiles]
    return files, subjects


def _content_key(files: dict[str, bytes]) -> str:
    # Parquet bytes are not a stable key; the JSON files say the same and are.
    digest = hashlib.sha256()
    for name in ("values.json", "facilities.json"):
        digest.update(files[name])
    return digest.hexdigest()


def _latest(session: Session) -> OpenDataRelease | None:
    return session.scalars(
        select(OpenDataRelease)
        .where(OpenDataRelease.retired_at.is_(None))
        .order_by(OpenDataRelease.id.desc())
        .limit(1)
    ).first()


def refresh(session: Session) -> OpenDataRelease | None:
    """Make a new release when what is published differs from the latest release; the new
    release, or None when nothing changed or nothing is published (no empty release)."""
    files, subjects = build_files(session)
    if not subjects:
        return None
    key = _content_key(files)
    latest = _latest(session)
    if latest is not None and latest.content_sha256 == key:
        return None
    release = OpenDataRelease(content_sha256=key, subjects=subjects)
    session.add(release)
    session.flush()
    for name, body in files.items():
        session.add(
            OpenDataFile(
                release_id=release.id,
                name=name,
                media_type=FILES[name],
                sha256=hashlib.sha256(body).hexdigest(),
                size_bytes=len(body),
                content=body,
            )
        )
    session.flush()
    return release


def retire_subject(session: Session, kind: str, subject_id: str) -> list[int]:
    """Retire every release holding the subject (files deleted); their ids."""
    key = f"{kind}:{subject_id}"
    retired = [
        release
        for release in session.scalars(
            select(OpenDataRelease).where(OpenDataRelease.retired_at.is_(None))
        )
        if key in release.subjects
    ]
    now = utcnow()
    for release in retired:
        release.retired_at = now
    ids = [release.id for release in retired]
    if ids:
        session.execute(delete(OpenDataFile).where(OpenDataFile.release_id.in_(ids)))
    return ids


def _release(session: Session, release: str) -> OpenDataRelease:
    if release == "latest":
        row = _latest(session)
        if row is None:
            raise NotFound("no release has been made yet: nothing is published")
        return row
    if not release.isdigit() or len(release) > 9:
        raise NotFound(f"no release {release!r}: give a release number or 'latest'")
    row = session.get(OpenDataRelease, int(release))
    if row is None:
        raise NotFound(f"no release {release}")
    if row.retired_at is not None:
        raise Gone(
            f"release {release} was retired on {iso_utc(row.retired_at)} because a publisher "
            "withdrew its consent; download /api/public/releases/latest/ instead"
        )
    return row


def release_file(session: Session, release: str, name: str) -> ReleaseFile:
    """A file of a release (`latest` or its number); NotFound, or Gone when retired."""
    row = _release(session, release)
    if name not in FILES:
        raise NotFound(f"no file {name!r} in a release; files: {', '.join(FILES)}")
    found = session.scalars(
        select(OpenDataFile).where(
            OpenDataFile.release_id == row.id, OpenDataFile.name == name
        )
    ).first()
    assert found is not None
    return ReleaseFile(row.id, name, found.media_type, found.sha256, found.content)


def release_list(session: Session) -> dict[str, Any]:
    """Every release that can be downloaded, newest first, with its files and checksums."""
    releases = session.scalars(
        select(OpenDataRelease)
        .where(OpenDataRelease.retired_at.is_(None))
        .order_by(OpenDataRelease.id.desc())
        .limit(50)
    ).all()
    files = session.execute(
        select(OpenDataFile.release_id, OpenDataFile.name, OpenDataFile.sha256,
               OpenDataFile.size_bytes)
        .where(OpenDataFile.release_id.in_([r.id for r in releases]))
        .order_by(OpenDataFile.id)
    ).all()
    by_release: dict[int, list[dict[str, Any]]] = {}
    for release_id, name, sha256, size in files:
        by_release.setdefault(release_id, []).append(
            {"name": name, "sha256": sha256, "size_bytes": size,
             "url": f"/api/public/releases/{release_id}/{name}"}
        )
    return {
        "latest": "/api/public/releases/latest/" if releases else None,
        "releases": [
            {"id": r.id, "created_at": iso_utc(r.created_at), "files": by_release.get(r.id, [])}
            for r in releases
        ],
    }
