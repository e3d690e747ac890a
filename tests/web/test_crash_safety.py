"""Killing the server during an import loses nothing that was committed.

A real server (uvicorn, a separate process) on a free loopback port and a SQLite file: one
import succeeds, a second, large one is killed with SIGKILL while it saves; after a restart
the first import's submissions read back unchanged, nothing of the second is present, and its
job says `interrupted` with its raw upload kept.
"""

from __future__ import annotations

import hashlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import polars as pl
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from factory_journey.demo import generate_dataset
from factory_journey.services.platform import accounts
from factory_journey.store.database import make_engine, migrate, session_factory, transaction
from factory_journey.store.models import Facility, Submission, SubmissionTable, Upload

PASSWORD = "correct horse battery"
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _zip(tables: dict[str, pl.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in tables.items():
            archive.writestr(f"{name}.csv", frame.write_csv())
    return buffer.getvalue()


def _small_dataset() -> bytes:
    tables = generate_dataset(1, [2022, 2023], seed=3, messiness=0.0)
    return _zip(
        {
            name: frame.with_columns(facility_id=pl.lit("F1"))
            if "facility_id" in frame.columns
            else frame
            for name, frame in tables.items()
        }
    )


def _large_dataset() -> bytes:
    # 6,000 facility-years take seconds to save (the import saves in bulk since issue 14:
    # 600 took well under one): long enough to be killed mid-way.
    return _zip(generate_dataset(3000, [2022, 2023], seed=5, monthly=False))


class Server:
    def __init__(self, url: str, port: int, log: Path) -> None:
        self.url, self.port, self.log = url, port, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "JOURNEY_DATABASE_URL": self.url,
            "JOURNEY_ENV": "development",
            "JOURNEY_SECURE_COOKIES": "0",
        }
        command = [sys.executable, "-m", "uvicorn", "factory_journey.web.app:create_app"]
        command += ["--factory", "--host", "127.0.0.1", "--port", str(self.port)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/openapi.json", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError(f"the server did not start: {self.log.read_text()[-2000:]}")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def database_with_factory_admin(url: str) -> tuple[Engine, sessionmaker[Session]]:
    """The migrated database at `url` with one factory organisation and its admin
    (admin@test.example, `PASSWORD`)."""
    engine = make_engine(url)
    migrate(engine)
    factory = session_factory(engine)
    with transaction(factory) as session:
        organisation = accounts.create_organisation(session, "Factory A", "factory_group")
        accounts.create_user(session, "admin@test.example", PASSWORD, "A", organisation, "admin")
    return engine, factory


def signed_in_admin(server: Server) -> tuple[httpx.Client, str]:
    """A client of `server` signed in as that admin, and its token."""
    client = httpx.Client(base_url=server.base, timeout=60)
    token = client.post(
        "/api/auth/sign-in", json={"email": "admin@test.example", "password": PASSWORD}
    ).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client, token


def _wait_job(client: httpx.Client, job_id: int, until: set[str], timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in until or job["stage"] in until:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not reach {until}: {job}")


def _upload(client: httpx.Client, name: str, content: bytes) -> dict:
    response = client.post("/api/uploads", files={"file": (name, content, "application/zip")})
    assert response.status_code == 202, response.text
    return response.json()


def _first_import_state(client: httpx.Client) -> dict:
    versions = client.get("/api/facilities/F1/submissions").json()
    return {
        (v["year"], v["version"]): client.get(
            f"/api/facilities/F1/submissions/{v['year']}/{v['version']}"
        ).json()
        for v in versions
    }


def test_killing_the_server_during_an_import_loses_nothing_committed(tmp_path):
    url = f"sqlite:///{tmp_path / 'journey.db'}"
    engine, factory = database_with_factory_admin(url)

    server = Server(url, _free_port(), tmp_path / "server.log")
    server.start()
    try:
        client, token = signed_in_admin(server)

        first = _upload(client, "first.zip", _small_dataset())
        assert _wait_job(client, first["id"], {"succeeded", "failed"})["status"] == "succeeded"
        before = _first_import_state(client)
        assert {year for year, _version in before} == {2022, 2023}

        large = _large_dataset()
        second = _upload(client, "second.zip", large)
        running = _wait_job(client, second["id"], {"saving", "succeeded", "failed"})
        assert running["stage"] == "saving", running
        time.sleep(0.3)  # well inside the saving transaction, which takes seconds
        server.kill()
    finally:
        server.stop()

    with transaction(factory) as session:  # the database as the killed server left it
        assert session.scalar(select(func.count()).select_from(Facility)) == 1
        assert session.scalar(select(func.count()).select_from(Submission)) == 2

    server.start()
    try:
        client.headers["Authorization"] = f"Bearer {token}"
        assert _first_import_state(client) == before
        job = client.get(f"/api/jobs/{second['id']}").json()
        assert job["status"] == "interrupted"
        assert [f["id"] for f in client.get("/api/facilities").json()] == ["F1"]
    finally:
        server.stop()

    with transaction(factory) as session:
        upload = session.get(Upload, job["upload_id"])
        assert upload is not None and upload.sha256 == hashlib.sha256(large).hexdigest()
        assert session.scalar(select(func.count()).select_from(SubmissionTable)) == sum(
            len(tables) for tables in before.values()
        )
    engine.dispose()
