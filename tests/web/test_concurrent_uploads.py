"""Uploads that cannot hang (#13): simultaneous uploads get distinct consecutive versions, any
failure ends the job with a message, a job whose worker died says so, and a failed or
interrupted job is retried from its kept upload.

Simultaneous: N threads post through the TestClient at once (each request runs its import
before answering), and the reader is wrapped so that every import waits at a barrier after
reading: the N saving transactions start together, where the read-then-insert race was. Before
the fix (main at f87cf9c, SQLite, this barrier), 6 simultaneous uploads of an existing
facility's years left 3 jobs "running" for ever (IntegrityError on the unique version), 6 of a
new facility left 4 (on the facility's primary key), and 3 of an existing one left 1, as
reported in #13; on PostgreSQL 5 of 6 in both cases.
"""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import cache

import polars as pl
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import factory_journey.ingest as ingest
from factory_journey.demo import generate_dataset
from factory_journey.services.platform import imports
from factory_journey.store.database import transaction
from factory_journey.store.models import ImportJob, Submission
from tests.database import test_database_url
from tests.web.conftest import Platform, make_platform
from tests.web.test_crash_safety import (
    Server,
    _free_port,
    _wait_job,
    database_with_factory_admin,
    signed_in_admin,
)
from tests.web.test_crash_safety import _upload as _upload_to

#: Simultaneous uploads per test (2 cores: enough to race, few enough to stay fast).
N = 6
YEARS = (2022, 2023)


@cache
def _dataset(facility_id: str) -> bytes:
    """A tidy two-year dataset of one facility, as a zip of CSVs."""
    tables = generate_dataset(1, list(YEARS), seed=7, messiness=0.0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in tables.items():
            if "facility_id" in frame.columns:
                frame = frame.with_columns(facility_id=pl.lit(facility_id))
            archive.writestr(f"{name}.csv", frame.write_csv())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Platform:
    return make_platform(tmp_path_factory)


def _upload(platform: Platform, facility_id: str, actor: str = "owner_admin") -> dict:
    response = platform.client.post(
        "/api/uploads",
        files={"file": (f"{facility_id}.zip", _dataset(facility_id), "application/zip")},
        headers=platform.headers(actor),
    )
    assert response.status_code == 202, response.text
    return response.json()


def _job(platform: Platform, job_id: int) -> dict:
    response = platform.client.get(f"/api/jobs/{job_id}", headers=platform.headers("owner_admin"))
    assert response.status_code == 200, response.text
    return response.json()


def _simultaneously(platform: Platform, facility_ids: list[str], monkeypatch) -> list[dict]:
    """Upload every dataset at once; every import reads, then waits for the others to save."""
    barrier = threading.Barrier(len(facility_ids), timeout=60)
    real_reader = ingest.read_dataset

    def reader_then_wait(path):  # type: ignore[no-untyped-def]
        result = real_reader(path)
        barrier.wait()
        return result

    monkeypatch.setattr(ingest, "read_dataset", reader_then_wait)
    with ThreadPoolExecutor(len(facility_ids)) as pool:
        answers = list(pool.map(lambda fid: _upload(platform, fid), facility_ids))
    monkeypatch.setattr(ingest, "read_dataset", real_reader)
    return [_job(platform, answer["id"]) for answer in answers]


def _versions(platform: Platform, facility_id: str) -> dict[int, list[int]]:
    with transaction(platform.factory) as session:  # type: ignore[arg-type]
        rows = session.execute(
            select(Submission.year, Submission.version).where(
                Submission.facility_id == facility_id
            )
        ).all()
    versions: dict[int, list[int]] = {}
    for year, version in rows:
        versions.setdefault(year, []).append(version)
    return {year: sorted(found) for year, found in versions.items()}


def test_simultaneous_uploads_of_one_facility_year_get_consecutive_versions(
    platform, monkeypatch
):
    jobs = _simultaneously(platform, ["SAME"] * N, monkeypatch)
    assert [job["status"] for job in jobs] == ["succeeded"] * N, [
        (job["status"], job["message"]) for job in jobs
    ]
    assert _versions(platform, "SAME") == {year: list(range(1, N + 1)) for year in YEARS}


def test_simultaneous_uploads_of_different_facilities_each_get_version_one(
    platform, monkeypatch
):
    ids = [f"DIFF{i}" for i in range(N)]
    jobs = _simultaneously(platform, ids, monkeypatch)
    assert [job["status"] for job in jobs] == ["succeeded"] * N, [
        (job["status"], job["message"]) for job in jobs
    ]
    for facility_id in ids:
        assert _versions(platform, facility_id) == {year: [1] for year in YEARS}


def test_an_unexpected_error_fails_the_job_and_a_retry_imports_the_kept_upload(
    platform, monkeypatch
):
    def broken_reader(path):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(ingest, "read_dataset", broken_reader)
    failed = _job(platform, _upload(platform, "RETRY")["id"])
    monkeypatch.undo()
    assert failed["status"] == "failed"
    assert "unexpected error" in failed["message"] and "a bug of ours" not in failed["message"]
    assert f"/api/jobs/{failed['id']}/retry" in failed["message"]
    assert _versions(platform, "RETRY") == {}

    def retry(job_id: int, actor: str):  # type: ignore[no-untyped-def]
        return platform.client.post(f"/api/jobs/{job_id}/retry", headers=platform.headers(actor))

    assert retry(failed["id"], "owner_viewer").status_code == 403
    assert retry(failed["id"], "other_factory_admin").status_code == 404
    assert retry(failed["id"], "brand_viewer").status_code == 404
    answer = retry(failed["id"], "owner_editor")
    assert answer.status_code == 202, answer.text
    retried = _job(platform, answer.json()["id"])
    assert retried["status"] == "succeeded", retried
    assert (retried["attempt"], retried["retry_of_id"]) == (2, failed["id"])
    assert retried["upload_id"] == failed["upload_id"]
    assert _versions(platform, "RETRY") == {year: [1] for year in YEARS}
    assert retry(failed["id"], "owner_admin").status_code == 409  # retried once already
    assert retry(retried["id"], "owner_admin").status_code == 409  # it succeeded


def test_a_conflict_on_every_attempt_fails_the_job_with_a_message(platform, monkeypatch):
    attempts = []

    def always_conflicting(session, actor, job_id, tables):  # type: ignore[no-untyped-def]
        attempts.append(job_id)
        raise IntegrityError("INSERT", {}, Exception("unique version"))

    monkeypatch.setattr(imports, "_save_submissions", always_conflicting)
    monkeypatch.setattr(imports.time, "sleep", lambda _seconds: None)
    job = _job(platform, _upload(platform, "CONFLICT")["id"])
    assert len(attempts) == imports.SAVE_ATTEMPTS
    assert job["status"] == "failed" and "other imports" in job["message"]


def _set_job(platform: Platform, job_id: int, **values) -> None:  # type: ignore[no-untyped-def]
    with transaction(platform.factory) as session:  # type: ignore[arg-type]
        job = session.get(ImportJob, job_id)
        assert job is not None
        for name, value in values.items():
            setattr(job, name, value)


def test_a_job_whose_worker_died_reads_as_interrupted_and_can_be_retried(platform):
    job = _upload(platform, "DIED")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    host = imports.worker_id().rpartition(":")[0]
    _set_job(platform, job["id"], status="running", stage="saving", finished_at=None,
             worker=f"{host}:{dead.stdout.strip()}")
    read = _job(platform, job["id"])
    assert read["status"] == "interrupted" and "interrupted" in read["message"]
    answer = platform.client.post(
        f"/api/jobs/{job['id']}/retry", headers=platform.headers("owner_admin")
    )
    assert answer.status_code == 202, answer.text
    assert _job(platform, answer.json()["id"])["status"] == "succeeded"


def test_a_running_job_of_a_live_worker_is_left_running(platform):
    job = _upload(platform, "ALIVE")
    _set_job(platform, job["id"], status="running", stage="saving", finished_at=None,
             worker=imports.worker_id(), heartbeat_at=imports.utcnow())
    assert imports.expire_stale_jobs(platform.factory) == []  # type: ignore[arg-type]
    assert _job(platform, job["id"])["status"] == "running"
    refused = platform.client.post(
        f"/api/jobs/{job['id']}/retry", headers=platform.headers("owner_admin")
    )
    assert refused.status_code == 409 and "still running" in refused.json()["detail"]
    # Silent for longer than the lease (a worker on another host, say): interrupted.
    _set_job(platform, job["id"], worker="elsewhere:1",
             heartbeat_at=imports.utcnow() - timedelta(
                 seconds=imports.JOB_LEASE_SECONDS + 1))
    assert imports.expire_stale_jobs(platform.factory) == [job["id"]]  # type: ignore[arg-type]
    assert _job(platform, job["id"])["status"] == "interrupted"


def test_a_running_import_keeps_its_heartbeat_fresh(platform, monkeypatch):
    monkeypatch.setattr(imports, "HEARTBEAT_SECONDS", 0.05)
    beats = []
    real_reader = ingest.read_dataset

    def slow_reader(path):  # type: ignore[no-untyped-def]
        result = real_reader(path)
        with transaction(platform.factory) as session:  # type: ignore[arg-type]
            first = session.scalars(
                select(ImportJob.heartbeat_at).order_by(ImportJob.id.desc())
            ).first()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.05)
            with transaction(platform.factory) as session:  # type: ignore[arg-type]
                latest = session.scalars(
                    select(ImportJob.heartbeat_at).order_by(ImportJob.id.desc())
                ).first()
            if latest != first:
                beats.append(latest)
                break
        return result

    monkeypatch.setattr(ingest, "read_dataset", slow_reader)
    job = _job(platform, _upload(platform, "BEAT")["id"])
    assert job["status"] == "succeeded"
    assert beats, "no heartbeat while the import ran"


@pytest.mark.slow
def test_simultaneous_uploads_to_a_real_server_all_end_with_consecutive_versions(
    tmp_path, tmp_path_factory
):
    """The same through a real server process, whose imports run after their answers (before
    the fix: at least one job of these 6 stayed "running" at its "saving" stage)."""
    url = test_database_url(tmp_path_factory)
    engine, _factory = database_with_factory_admin(url)
    server = Server(url, _free_port(), tmp_path / "server.log")
    server.start()
    try:
        client, _token = signed_in_admin(server)
        names = ["REAL"] * 4 + ["REAL0", "REAL1"]
        with ThreadPoolExecutor(len(names)) as pool:
            jobs = list(pool.map(
                lambda name: _upload_to(client, f"{name}.zip", _dataset(name)), names
            ))
        ended = [_wait_job(client, job["id"], {"succeeded", "failed", "interrupted"})
                 for job in jobs]
        assert [job["status"] for job in ended] == ["succeeded"] * len(names), ended
        for facility_id, count in (("REAL", 4), ("REAL0", 1), ("REAL1", 1)):
            listed = client.get(f"/api/facilities/{facility_id}/submissions").json()
            versions: dict[int, list[int]] = {}
            for row in listed:
                versions.setdefault(row["year"], []).append(row["version"])
            assert {y: sorted(v) for y, v in versions.items()} == {
                year: list(range(1, count + 1)) for year in YEARS
            }
    finally:
        server.stop()
        engine.dispose()
