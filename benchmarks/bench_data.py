"""The benchmarks' shared data: a demo-data dataset as Parquet, made once and reused, and the
peak resident memory of a process."""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import time
from pathlib import Path


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory [MB] of this process (or its waited-for children)."""
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def prepared_dataset(folder: Path, facility_years: int, years: int, seed: int) -> dict[str, object]:
    """`factory_journey.demo.generate_dataset` written as `<table>.parquet` into `folder`, with
    `bench_info.json` (row counts, generation time); reused when the folder holds it already.
    Generation is never part of a timed measurement."""
    info_file = folder / "bench_info.json"
    if info_file.is_file():
        info: dict[str, object] = json.loads(info_file.read_text())
        print(f"dataset: reusing {folder} ({info['generator']})")
        return info
    from factory_journey.demo import generate_dataset

    start = time.perf_counter()
    first_year = 2024 - years
    facilities = math.ceil(facility_years / years)
    tables = generate_dataset(facilities, range(first_year, first_year + years), seed)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.write_parquet(folder / f"{name}.parquet")
    info = {
        "generator": "factory_journey.demo.generate_dataset",
        "rows": {name: frame.height for name, frame in tables.items()},
        "seconds": time.perf_counter() - start,
    }
    info_file.write_text(json.dumps(info, indent=1))
    print(f"dataset: generated in {info['seconds']:.1f} s (not timed), written to {folder}")
    return info


def dataset_parser(description: str) -> argparse.ArgumentParser:
    """An argument parser with the options every dataset benchmark shares: the dataset's size
    (--facility-years, --years, --seed) and the hidden --measure of the timed child process."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--facility-years", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=3, help="reporting years per facility")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    return parser


def journey_argv(*args: str) -> list[str]:
    """`journey ARGS` as a new process of this interpreter (its PYTHONPATH decides the source
    tree, so a benchmark can run another tree's `journey` beside this one's)."""
    return [sys.executable, "-c", "from factory_journey.cli import main; main()", *args]


def bare_scan_seconds(folder: Path, pattern: str = "*.csv") -> float:
    """The yardstick beside a command: seconds to scan every file of `folder` matching
    `pattern` with Polars and count its rows per facility-year, nothing else."""
    import polars as pl

    started = time.perf_counter()
    for path in sorted(folder.glob(pattern)):
        frame = pl.scan_csv(path, infer_schema_length=0)
        keys = [c for c in ("facility_id", "year") if c in frame.collect_schema().names()]
        if keys:
            frame.group_by(keys).len().collect()
    return time.perf_counter() - started
