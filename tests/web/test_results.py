"""Matrix, assessment, report and portfolio over HTTP: snapshots reused, kept and followed."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest
from sqlalchemy import func, select

from factory_journey.services.platform import accounts, imports
from factory_journey.store.database import transaction
from factory_journey.store.models import AssessmentSnapshot

from .conftest import f1_dataset, make_platform


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    return make_platform(tmp_path_factory)


def _snapshots(platform) -> int:
    with transaction(platform.factory) as session:
        return session.scalar(select(func.count()).select_from(AssessmentSnapshot))


def test_assessment_is_computed_once_then_read_back(platform):
    headers = platform.headers("owner_viewer")
    first = platform.client.get("/api/facilities/F1/assessment", headers=headers)
    assert first.status_code == 200, first.text
    body = first.json()
    assert {"opportunities", "pathways", "measures", "trajectory"} <= set(body)
    assert {row["year"] for row in body["opportunities"]} == {2022, 2023}
    assert body["methodology_version"].startswith("fj-")
    count = _snapshots(platform)
    again = platform.client.get("/api/facilities/F1/assessment", headers=headers).json()
    assert again["snapshot_id"] == body["snapshot_id"]
    matrix = platform.client.get("/api/facilities/F1/matrix", headers=headers).json()
    assert matrix["snapshot_id"] == body["snapshot_id"]  # one computation serves both
    assert [row["year"] for row in matrix["matrix"]] == [2022, 2023]
    assert _snapshots(platform) == count


def test_recompute_appends_and_a_correction_makes_a_new_snapshot(platform):
    headers = platform.headers("owner_admin")
    before = platform.client.get("/api/facilities/F1/assessment", headers=headers).json()
    again = platform.client.post("/api/facilities/F1/assess", headers=headers)
    assert again.status_code == 201
    assert again.json()["snapshot_id"] > before["snapshot_id"]
    assert again.json()["inputs_key"] == before["inputs_key"]
    # A correction: energy doubled for 2023 → a new submission version and a new snapshot.
    data = f1_dataset()
    energy = data.tables["energy"].with_columns(quantity_canonical=pl.col("quantity_canonical") * 2)
    corrected = dataclasses.replace(data, tables={**data.tables, "energy": energy})
    with transaction(platform.factory) as session:
        owner = accounts.actor_for_token(session, platform.tokens["owner_admin"])
        upload = imports.store_upload(session, owner, "fix.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    done = imports.run_import(platform.factory, job.id, owner, read_dataset=lambda _p: corrected)
    assert done.status == "succeeded"
    after = platform.client.get("/api/facilities/F1/matrix", headers=headers).json()
    assert after["inputs_key"] != before["inputs_key"]
    assert after["matrix"][1]["energy_total_mj"] == pytest.approx(
        2 * platform_matrix_energy(platform, before["snapshot_id"]), rel=1e-9
    )
    # The old snapshot stays as it was.
    with transaction(platform.factory) as session:
        old = session.get(AssessmentSnapshot, before["snapshot_id"])
        assert old.inputs_key == before["inputs_key"]


def platform_matrix_energy(platform, snapshot_id: int) -> float:
    with transaction(platform.factory) as session:
        row = session.get(AssessmentSnapshot, snapshot_id)
        return row.result["parts"]["matrix"][1]["energy_total_mj"]


def test_report_is_a_pdf_and_an_unknown_language_is_refused(platform):
    headers = platform.headers("owner_viewer")
    pdf = platform.client.get("/api/facilities/F1/report.pdf?lang=vi", headers=headers)
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    bad = platform.client.get("/api/facilities/F1/report.pdf?lang=xx", headers=headers)
    assert bad.status_code == 422
    (problem,) = bad.json()["detail"]  # where it was and the languages there are
    assert problem["loc"] == ["query", "lang"] and "input" not in problem
    assert problem["msg"].startswith("query lang: must be one of") and "'vi'" in problem["msg"]


def test_portfolio_follows_grants(tmp_path_factory):
    platform = make_platform(tmp_path_factory)
    client = platform.client
    brand = platform.headers("brand_viewer")
    assert client.get("/api/portfolio", headers=brand).json() == []
    owner = platform.headers("owner_admin")
    grant = client.post(
        "/api/facilities/F1/grants",
        json={"grantee_organisation_id": platform.organisations["Brand"], "scope": "assessment"},
        headers=owner,
    ).json()
    lines = client.get("/api/portfolio", headers=brand).json()
    assert [line["facility_id"] for line in lines] == ["F1"]
    assert lines[0]["year"] == 2023 and lines[0]["relation"] == "grantee"
    assert set(lines[0]["opportunity_levels"]) >= {"energy", "water"}
    client.post(f"/api/facilities/F1/grants/{grant['id']}/revoke", headers=owner)
    assert client.get("/api/portfolio", headers=brand).json() == []
    assert client.get("/api/facilities/F1/assessment", headers=brand).status_code == 404
    own = client.get("/api/portfolio", headers=owner).json()
    assert [line["relation"] for line in own] == ["owner"]
