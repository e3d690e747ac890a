"""Platform at N facilities: a full peer recompute, and one facility's upload -> its assessment.

    python benchmarks/bench_peer_recompute.py [--facilities 100000] [--chunk 10000] [--legacy]

Set-up (timed, but not the point): `journey demo-data` writes N facilities x 1 year (CSV) and
one more facility; a fresh SQLite database gets the demo accounts, and the N facilities are
loaded with the platform's own import job (`imports.run_import`, the function a
`POST /api/uploads` job runs) in chunks, as cohort uploads of `--chunk` facilities would be.
The dataset is read once and handed to each job instead of being zipped, uploaded and read
again per chunk: a 10,000-facility zip is over the upload limit, and reading the files is the
same `read_dataset` either way. Everything from the job on (versions, tables, the matrix rows
kept for peers) is the upload's path. Then, each as a user (or the scheduler) runs it:
1. a full recompute: `journey peers recompute --database URL --json`, a new process; nothing
   cached by an earlier recompute, only the rows every import kept;
2. one facility's upload -> its new assessment: `journey serve` (a new process) on the
   loaded database, the factory admin uploads one new facility as a .zip
   (`POST /api/uploads`), polls the job and reads `GET /api/facilities/{id}/assessment`;
3. the recompute again after that upload;
4. with --legacy, a cold recompute with no kept rows at all (every table decoded: minutes).
Beside them, a bare Polars scan + group-by of the same CSV files, and the ratios.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
from bench_data import bare_scan_seconds, journey_argv, peak_rss_mb
from bench_http import _free_port, _start_server
from bench_platform_upload import PASSWORD, _upload, _zip


def _only(dataset, ids: list[str]):
    """`dataset` with only the facilities `ids`."""
    tables = {
        name: frame.filter(pl.col("facility_id").cast(pl.String).is_in(ids))
        if "facility_id" in frame.columns
        else frame
        for name, frame in dataset.tables.items()
    }
    return dataclasses.replace(dataset, tables=tables)


def _run_job(factory, owner, dataset) -> None:
    """One import job of `dataset`, as a cohort upload's job runs it."""
    from factory_journey.services.platform import imports
    from factory_journey.store.database import transaction

    with transaction(factory) as session:
        upload = imports.store_upload(session, owner, "cohort.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    done = imports.run_import(factory, job.id, owner, read_dataset=lambda _path: dataset)
    assert done.status == "succeeded", done.problems[:3]


def _recompute(url: str) -> tuple[float, dict]:
    """(seconds, the command's JSON answer with its peak memory [MB] as "peak_mb")."""
    # GNU time reports the command's own peak: a child of this (large) process would inherit
    # its high-water mark.
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        started = time.perf_counter()
        out = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", peak.name,
             *journey_argv("peers", "recompute", "--database", url, "--json")],
            check=True, capture_output=True, text=True,
        )
        seconds = time.perf_counter() - started
        peak_kib = int(Path(peak.name).read_text().split()[-1])
    answer = json.loads(out.stdout)
    answer["peak_mb"] = peak_kib / 1024
    return seconds, answer


def _one_upload(url: str, one: Path, work: Path) -> tuple[float, float]:
    """(seconds from the upload's first byte to the assessment answered, of which the job)."""
    # No demo set-up at start: it would assess every facility of the demo factory admin, who
    # owns the whole loaded cohort here (the accounts exist already).
    port = _free_port()
    server = _start_server(url, port, 1, work / "server.log", env={"JOURNEY_DEMO_ACCOUNTS": "0"})
    try:
        base = f"http://127.0.0.1:{port}"
        time.sleep(5)  # the server's first scheduled recompute (nothing new: returns at once)
        token = httpx.post(f"{base}/api/auth/sign-in", json={
            "email": "factory.admin@demo.test", "password": PASSWORD}).json()["token"]
        client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                              timeout=600)
        started = time.perf_counter()
        job, job_s = _upload(client, "one.zip", _zip(one))
        assert job["status"] == "succeeded", job
        facility = pl.read_csv(one / "profiles.csv")["facility_id"][0]
        answer = client.get(f"/api/facilities/{facility}/assessment")
        answer.raise_for_status()
        assert answer.json()["peer_snapshot"] is not None, "judged without the peer snapshot"
        return time.perf_counter() - started, job_s
    finally:
        server.terminate()
        server.wait(timeout=60)


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _set_up(args):
    """(folder, database URL, session factory) of a freshly loaded platform."""
    from factory_journey.ingest import read_dataset
    from factory_journey.services.demo_data import make_demo_data
    from factory_journey.services.platform import bootstrap
    from factory_journey.services.platform.accounts import actor_for_email
    from factory_journey.store.database import make_engine, session_factory, transaction

    work = Path(tempfile.mkdtemp(prefix="journey-bench-peers-"))
    cohort, one = work / "cohort", work / "one"
    make_demo_data(args.facilities, [2023], 2021, cohort, "csv")
    make_demo_data(1, [2023], 7, one, "csv")
    for path in one.glob("*.csv"):
        path.write_text(path.read_text().replace("FJ-", "ONE-"))
    url = f"sqlite:///{work / 'journey.db'}"
    bootstrap.prepare(url, demo=True, warm=False)
    factory = session_factory(make_engine(url))
    with transaction(factory) as session:
        owner = actor_for_email(session, "factory.admin@demo.test")
    started = time.perf_counter()
    dataset = read_dataset(cohort)
    assert dataset.ok, dataset.problems[:3]
    read_s = time.perf_counter() - started
    ids = sorted(dataset.tables["profiles"]["facility_id"].cast(pl.String).unique())
    chunks = []
    for start in range(0, len(ids), args.chunk):
        chunk_started = time.perf_counter()
        _run_job(factory, owner, _only(dataset, ids[start : start + args.chunk]))
        chunks.append(time.perf_counter() - chunk_started)
        print(f"  chunk {len(chunks)}: {chunks[-1]:.1f} s (load {_load()})", flush=True)
    del dataset
    size_mb = (work / "journey.db").stat().st_size / 1e6
    print(f"SQLite {size_mb:,.0f} MB; set-up: read {read_s:.1f} s, import of {len(ids):,} "
          f"facilities in chunks of {args.chunk:,}: {sum(chunks):.1f} s "
          f"(first chunk {chunks[0]:.1f} s, last {chunks[-1]:.1f} s)", flush=True)
    return work, url, factory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facilities", type=int, default=100000)
    parser.add_argument("--chunk", type=int, default=10000)
    parser.add_argument("--legacy", action="store_true", help="also a recompute with no rows kept")
    parser.add_argument("--work", type=Path, help="a folder of an earlier run: its data and "
                        "database are used as they are (no set-up)")
    args = parser.parse_args()
    from sqlalchemy import delete

    from factory_journey.store.database import make_engine, session_factory, transaction
    from factory_journey.store.models import PeerInput

    if args.work is not None:
        work = args.work
        cohort, one, url = work / "cohort", work / "one", f"sqlite:///{work / 'journey.db'}"
        factory = session_factory(make_engine(url))
        print(f"reusing {work}: no set-up", flush=True)
    else:
        work, url, factory = _set_up(args)
        cohort, one = work / "cohort", work / "one"
    load_full = _load()
    full_s, full = _recompute(url)
    print(f"full recompute (rows kept at import), load {load_full}: {full_s:.2f} s whole process "
          f"({full['facility_count']:,} facilities, {full['group_count']} groups; "
          f"peak {full['peak_mb']:,.0f} MB)", flush=True)
    load_one = _load()
    one_s, one_job_s = _one_upload(url, one, work)
    print(f"one facility's upload -> its assessment answered, load {load_one}: {one_s:.2f} s "
          f"(job {one_job_s:.2f} s)", flush=True)
    load_after = _load()
    after_s, after = _recompute(url)
    print(f"recompute after that upload, load {load_after}: {after_s:.2f} s whole process "
          f"({after['facility_count']:,} facilities, new snapshot: {after['new']}; "
          f"peak {after['peak_mb']:,.0f} MB)", flush=True)
    if args.legacy:
        with transaction(factory) as session:
            session.execute(delete(PeerInput))
        load_cold = _load()
        cold_s, cold = _recompute(url)
        print(f"cold recompute with no rows kept (every table decoded), load {load_cold}: "
              f"{cold_s:.2f} s whole process (peak {cold['peak_mb']:,.0f} MB)", flush=True)
    print(f"peak memory of this process (loading): {peak_rss_mb():,.0f} MB")
    floor, floor_one = bare_scan_seconds(cohort), bare_scan_seconds(one)
    print(f"bare Polars scan + group-by of the same CSVs: {floor:.2f} s (one facility "
          f"{floor_one:.3f} s); ratios {full_s / floor:.1f}x full recompute, "
          f"{after_s / floor:.1f}x after one upload, {one_s / floor_one:.0f}x one upload")


if __name__ == "__main__":
    main()
