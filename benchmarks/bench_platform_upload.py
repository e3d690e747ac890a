"""Platform upload benchmark: a cohort's dataset uploaded to `journey serve`, then one facility.

    python benchmarks/bench_platform_upload.py [--facilities 2000] [--src PATH]

As a user does it: `journey demo-data` writes the cohort (one year, CSV) and one extra
facility; a fresh SQLite database is prepared and `journey serve` started (a new process);
the factory admin signs in, uploads the cohort as a .zip (`POST /api/uploads`) and polls its
job (`GET /api/jobs/{id}`) until it ends; then uploads the one facility and reads its new
assessment (`GET /api/facilities/{id}/assessment`). Printed: seconds from the first byte of
each upload to the job's end, and to the one facility's assessment answered; beside them a
bare Polars scan + group-by of the same CSV files (the floor: reading the data once), and the
ratios. `--src` runs another source tree's `journey` (e.g. main, for a before/after).
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import httpx
import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
from bench_data import bare_scan_seconds, journey_argv
from bench_http import _free_port, _start_server

PASSWORD = "journey-demo-2026"






def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, path.name)
    return buffer.getvalue()




def _upload(client: httpx.Client, name: str, content: bytes) -> tuple[dict, float]:
    started = time.perf_counter()
    answer = client.post("/api/uploads", files={"file": (name, content, "application/zip")})
    answer.raise_for_status()
    job = answer.json()
    while job["status"] in ("queued", "running"):
        time.sleep(0.05)
        job = client.get(f"/api/jobs/{job['id']}").json()
    return job, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facilities", type=int, default=2000)
    parser.add_argument("--src", help="source tree whose journey to run (default: installed)")
    args = parser.parse_args()
    env = {**os.environ, "JOURNEY_ENV": "development", "JOURNEY_LOG_LEVEL": "warning"}
    if args.src:
        env["PYTHONPATH"] = str(Path(args.src) / "src")
    work = Path(tempfile.mkdtemp(prefix="journey-bench-upload-"))
    cohort, one = work / "cohort", work / "one"
    subprocess.run(
        journey_argv("demo-data", "--facilities", str(args.facilities), "--years", "2023",
                 "--out", str(cohort)), env=env, check=True, capture_output=True)
    subprocess.run(
        journey_argv("demo-data", "--facilities", "1", "--years", "2023", "--seed", "7",
                 "--out", str(one)), env=env, check=True, capture_output=True)
    # The single facility gets an id of its own, so its upload is a new facility's data.
    for path in one.glob("*.csv"):
        path.write_text(path.read_text().replace("FJ-", "ONE-"))
    port = _free_port()
    url = f"sqlite:///{work / 'journey.db'}"
    server = _start_server(url, port, 1, work / "server.log", env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        token = httpx.post(f"{base}/api/auth/sign-in", json={
            "email": "factory.admin@demo.test", "password": PASSWORD}).json()["token"]
        client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                              timeout=600)
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        job, cohort_s = _upload(client, "cohort.zip", _zip(cohort))
        assert job["status"] == "succeeded", job
        started = time.perf_counter()
        job, one_job_s = _upload(client, "one.zip", _zip(one))
        assert job["status"] == "succeeded", job
        facility = pl.read_csv(one / "profiles.csv")["facility_id"][0]
        answer = client.get(f"/api/facilities/{facility}/assessment")
        answer.raise_for_status()
        one_s = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=60)
    floor_cohort, floor_one = bare_scan_seconds(cohort), bare_scan_seconds(one)
    print(f"journey serve on SQLite, source {args.src or 'installed'}; load before {load}")
    print(f"cohort of {args.facilities:,} facilities x 1 year uploaded -> job done: "
          f"{cohort_s:.2f} s; bare Polars scan + group-by of the same CSVs {floor_cohort:.2f} s; "
          f"ratio {cohort_s / floor_cohort:.1f}x")
    print(f"then one facility uploaded -> its assessment answered: {one_s:.2f} s "
          f"(job {one_job_s:.2f} s); bare scan {floor_one:.3f} s")


if __name__ == "__main__":
    main()
