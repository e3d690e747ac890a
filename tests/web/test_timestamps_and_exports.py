"""Every timestamp the API sends is ISO 8601 in UTC with `Z`, and no CSV or XLSX it sends
holds a live formula.

A dataset whose free text carries every formula trigger is uploaded over HTTP; a grant is
given and revoked, evidence and a verifier's verification recorded, an assessment computed.
Then every GET route of the OpenAPI document is called for F1 and for a poisoned facility
(path parameters filled from what was created; a route added later is walked without a
change here) and every JSON body walked, with the bodies of the writes.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from tests.spreadsheet_cells import PAYLOADS, formula_risks, poisoned_dataset

from .conftest import make_platform

#: A date and a time of day: a timestamp (a date alone is a date, not a moment).
MOMENT = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")
#: The one form: seconds, optional fractions, Z.
UTC_FORM = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
SPREADSHEET_TYPES = ("text/csv", "spreadsheetml", "ms-excel")


def _png() -> bytes:
    """A real 1×1 PNG (evidence is checked by type)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, path.name)
    return buffer.getvalue()


def _moments(node: Any, path: str = "$") -> list[tuple[str, str]]:
    """(where, text) of every string in a JSON document that holds a date and a time."""
    if isinstance(node, dict):
        return [m for key, value in node.items() for m in _moments(value, f"{path}.{key}")]
    if isinstance(node, list):
        return [m for i, value in enumerate(node) for m in _moments(value, f"{path}[{i}]")]
    if isinstance(node, str) and MOMENT.match(node):
        return [(path, node)]
    return []


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    platform = make_platform(tmp_path_factory)
    client, owner = platform.client, platform.headers("owner_admin")
    data = poisoned_dataset(tmp_path_factory.mktemp("upload") / "poisoned")
    bodies: dict[str, Any] = {}

    def write(label: str, response: Any, status: int) -> Any:
        assert response.status_code == status, f"{label}: {response.status_code} {response.text}"
        bodies[label] = response.json()
        return bodies[label]

    job = write("POST /uploads", client.post(
        "/api/uploads", headers=owner,
        files={"file": ("poisoned.zip", _zip(data), "application/zip")}), 202)
    job = write("GET /jobs", client.get(f"/api/jobs/{job['id']}", headers=owner), 200)
    assert job["status"] == "succeeded", job
    facilities = client.get("/api/facilities", headers=owner).json()
    poisoned = next(f["id"] for f in facilities if f["name"] == PAYLOADS[0])
    grant = write("POST grants", client.post(
        "/api/facilities/F1/grants", headers=owner,
        json={"grantee_organisation_id": platform.organisations["Brand"], "scope": "full"}), 201)
    write("POST revoke", client.post(
        f"/api/facilities/F1/grants/{grant['id']}/revoke", headers=owner), 200)
    evidence = write("POST evidence", client.post(
        "/api/facilities/F1/evidence", headers=owner, data={"year": "2022", "subject": "energy"},
        files={"file": ("meter.png", _png(), "image/png")}), 201)
    write("POST grants (verifier)", client.post(
        "/api/facilities/F1/grants", headers=owner,
        json={"grantee_organisation_id": platform.organisations["Verifier"], "scope": "full"}),
        201)
    write("POST verification", client.post(
        "/api/facilities/F1/verification", headers=platform.headers("verifier_editor"),
        json={"year": 2022, "subject": "energy", "status": "verified",
              "evidence_id": evidence["id"], "comment": "meter photo seen on site"}), 201)
    write("POST assess", client.post(f"/api/facilities/{poisoned}/assess", headers=owner), 201)

    values = {"year": 2022, "version": 1, "grant_id": grant["id"], "job_id": job["id"],
              "evidence_id": evidence["id"]}
    spreadsheets: list[str] = []
    openapi = client.get("/openapi.json").json()
    for route, operations in openapi["paths"].items():
        if "get" not in operations or route.endswith(".pdf"):
            continue  # a PDF is no spreadsheet and renders slowly
        for facility in ("F1", poisoned):
            url = re.sub(r"\{(\w+)\}", lambda m, f=facility: str(
                f if m.group(1) == "facility_id" else values.get(m.group(1), 1)), route)
            response = client.get(url, headers=owner)
            kind = response.headers.get("content-type", "")
            if any(t in kind for t in SPREADSHEET_TYPES):
                target = tmp_path_factory.mktemp("download") / (
                    "body.csv" if "csv" in kind else "body.xlsx")
                target.write_bytes(response.content)
                spreadsheets += formula_risks(target)
            elif response.status_code == 200 and "json" in kind:
                bodies[f"GET {url}"] = response.json()
    return {"bodies": bodies, "spreadsheet_risks": spreadsheets}


def test_every_timestamp_has_its_zone_in_one_form(walked: dict[str, Any]):
    moments = [(label, where, text) for label, body in walked["bodies"].items()
               for where, text in _moments(body)]
    wrong = [m for m in moments if not UTC_FORM.fullmatch(m[2])]
    assert wrong == [], wrong[:10]
    keys = {where.rsplit(".", 1)[-1] for _, where, _ in moments}
    # every kind of moment the API holds was seen, so the check above is not empty
    assert {"created_at", "finished_at", "revoked_at", "computed_at"} <= keys


def test_the_main_routes_were_walked(walked: dict[str, Any]):
    labels = " ".join(walked["bodies"])
    for route in ("/api/me", "/api/facilities", "/grants", "/evidence", "/verification",
                  "/submissions", "/assessment", "/matrix", "/api/portfolio", "/api/jobs/"):
        assert route in labels, route


def test_no_spreadsheet_from_the_api_holds_a_live_formula(walked: dict[str, Any]):
    assert walked["spreadsheet_risks"] == []
