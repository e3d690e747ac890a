"""Benchmark `read_dataset` on a generated dataset of N facility-years.

    python benchmarks/bench_read_dataset.py --facility-years 1000000 --format parquet
    python benchmarks/bench_read_dataset.py --facility-years 100000 --format csv --profiles real

The dataset comes from `factory_journey.demo.generate_dataset` (annual rows above its monthly
limit; InCheck chemicals stay monthly) and is written once into --workdir. `--profiles stub`
replaces the profile reader by a minimal vectorised stand-in, to time the performance tables
alone; `real` times the whole reader. Prints seconds per stage and the peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import polars as pl


def write_dataset(facility_years: int, fmt: str, folder: Path) -> dict[str, int]:
    from factory_journey.demo import generate_dataset

    years = range(2021, 2024)
    tables = generate_dataset(max(1, facility_years // len(years)), years, seed=1)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        lists = [c for c, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
        frame = frame.with_columns(pl.col(c).list.join(";") for c in lists)
        if fmt == "csv":
            frame.write_csv(folder / f"{name}.csv")
        else:
            frame.write_parquet(folder / f"{name}.parquet")
    return {name: frame.height for name, frame in tables.items()}


def stub_profiles() -> None:
    """Replace the profile reader by a typed projection of the raw profiles (timing only)."""
    from factory_journey.ingest import dataset_reader

    def profiles_frame(raw, log):  # type: ignore[no-untyped-def]
        return dataset_reader.facility_years_given(raw).with_columns(pl.lit(0).alias("_row"))

    dataset_reader.profiles_frame = profiles_frame  # type: ignore[assignment]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facility-years", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "parquet"), default="parquet")
    parser.add_argument("--profiles", choices=("stub", "real"), default="stub")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.gettempdir()) / "fj-bench-read"
    folder = workdir / f"{args.facility_years}-{args.format}"
    if not folder.exists():
        started = time.perf_counter()
        rows = write_dataset(args.facility_years, args.format, folder)
        print(f"generated {folder} in {time.perf_counter() - started:.1f} s: {rows}")
    if args.profiles == "stub":
        stub_profiles()
    from factory_journey.ingest import read_dataset

    stages: dict[str, float] = {}
    cpu_started = time.process_time()
    started = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        stages[stage] = time.perf_counter() - started

    result = read_dataset(folder, progress=progress)
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = sum(frame.height for frame in result.tables.values())
    print(
        f"read_dataset: {total:.1f} s wall, {cpu:.1f} s CPU for {rows:,} rows ({args.format}, "
        f"profiles {args.profiles}); stages done at "
        f"{', '.join(f'{k} {v:.1f} s' for k, v in stages.items())}; "
        f"{len(result.problems.errors)} errors; peak RSS {peak_mb:,.0f} MB"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
