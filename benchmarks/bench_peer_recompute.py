"""Platform peer recompute benchmark: `journey peers recompute` over N facilities.

    python benchmarks/bench_peer_recompute.py [--facilities 20000] [--chunk 5000]

Set-up (timed, but not the point): `journey demo-data` writes N facilities x 1 year (CSV) and
one more facility; a fresh SQLite database gets the demo accounts, and the N facilities are
imported through the platform's import service in chunks (as a cohort's files would be).
Measured as a user (or the scheduler) runs it, each a new process:
1. cold: `journey peers recompute --database URL --json` with no cached matrix (every facility's
   tables read and the matrix built);
2. after one new facility's upload: the same command again (the cached matrix plus that
   facility rebuilt; thresholds over all N + 1).
Beside them, a bare Polars scan + group-by of the same CSV files, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
from bench_data import bare_scan_seconds, journey_argv


def _import(factory, owner, folder: Path, ids: list[str] | None) -> None:
    """Import `folder` (only the facilities `ids`) through the platform's import service."""
    from factory_journey.ingest import read_dataset
    from factory_journey.services.platform import imports
    from factory_journey.store.database import transaction

    dataset = read_dataset(folder)
    assert dataset.ok, dataset.problems[:3]
    if ids is not None:
        import dataclasses

        tables = {
            name: frame.filter(pl.col("facility_id").cast(pl.String).is_in(ids))
            if "facility_id" in frame.columns
            else frame
            for name, frame in dataset.tables.items()
        }
        dataset = dataclasses.replace(dataset, tables=tables)
    with transaction(factory) as session:
        upload = imports.store_upload(session, owner, "d.zip", "application/zip", b"PK")
        job = imports.create_job(session, upload)
    done = imports.run_import(factory, job.id, owner, read_dataset=lambda _path: dataset)
    assert done.status == "succeeded", done.problems[:3]


def _recompute(url: str) -> tuple[float, dict]:
    started = time.perf_counter()
    out = subprocess.run(
        journey_argv("peers", "recompute", "--database", url, "--json"),
        check=True, capture_output=True, text=True,
    )
    return time.perf_counter() - started, json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facilities", type=int, default=20000)
    parser.add_argument("--chunk", type=int, default=5000)
    args = parser.parse_args()
    from sqlalchemy import delete

    from factory_journey.services.demo_data import make_demo_data
    from factory_journey.services.platform import bootstrap
    from factory_journey.services.platform.accounts import actor_for_email
    from factory_journey.store.database import make_engine, session_factory, transaction
    from factory_journey.store.models import PeerInput

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
    ids = sorted(pl.read_csv(cohort / "profiles.csv")["facility_id"].cast(pl.String).unique())
    started = time.perf_counter()
    for start in range(0, len(ids), args.chunk):
        _import(factory, owner, cohort, ids[start : start + args.chunk])
    load_s = time.perf_counter() - started
    with transaction(factory) as session:
        session.execute(delete(PeerInput))
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    cold_s, cold = _recompute(url)
    _import(factory, owner, one, None)
    warm_s, warm = _recompute(url)
    floor = bare_scan_seconds(cohort)
    print(f"SQLite; load average before the recomputes {load}; set-up import of "
          f"{len(ids):,} facilities in chunks of {args.chunk:,}: {load_s:.1f} s")
    print(f"cold recompute (no cached matrix): {cold_s:.2f} s whole process "
          f"({cold['facility_count']:,} facilities, {cold['group_count']} groups)")
    print(f"after one facility's upload: {warm_s:.2f} s whole process "
          f"({warm['facility_count']:,} facilities, new snapshot: {warm['new']})")
    print(f"bare Polars scan + group-by of the same CSVs: {floor:.2f} s; ratios "
          f"{cold_s / floor:.1f}x cold, {warm_s / floor:.1f}x after one upload")


if __name__ == "__main__":
    main()
