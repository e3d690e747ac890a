"""Benchmark `read_dataset` (reading, typing and checking every table) on N facility-years.

    python benchmarks/bench_read_dataset.py --facility-years 1000000
    python benchmarks/bench_read_dataset.py --facility-years 100000 --format csv --workers 1
    python benchmarks/bench_read_dataset.py --facility-years 1000000 --lazy
    python benchmarks/bench_read_dataset.py --dataset /tmp/fj-1m --lazy

1. The dataset is `factory_journey.demo.generate_dataset` (3 years per facility, seed 7; the
   same Parquet files as bench_matrix.py, made once in the parent and reused, not timed);
   `--format csv` writes those tables once more as CSV beside them.
2. A fresh child process times `read_dataset(folder)`: wall time, CPU time of all threads
   (user and system; system time is mostly page faults of new memory), page faults, peak
   RSS, the time at which the read stage and the checks ended, and the problems found.
   `--workers N` sets the tables checked side by side (default: one per core, at most 4).
   `--lazy` reads as `journey assess` does (`read_dataset(..., lazy=True)`: large Parquet
   tables checked without an error come back as plans over their files, not held; decision
   0035); "tables held" then counts only the frames in memory.
3. Beside it, in the same run, a bare Polars scan + group-by of the same Parquet files in a
   new process (`bench_assess_cli.FLOOR`), and the ratio of the two.
`--dataset FOLDER` reads an existing Parquet dataset (e.g. /tmp/fj-1m) instead.
Times are wall-clock on whatever else the machine is doing; the load average is printed.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from bench_assess_cli import FLOOR, _run
from bench_data import dataset_parser, peak_rss_mb, prepared_dataset


def _measure(folder: Path, workers: int | None, lazy: bool = False) -> dict[str, object]:
    """Runs in the child process; returns what is printed as JSON."""
    from factory_journey.ingest import dataset_reader, read_dataset

    if workers is not None:
        dataset_reader.WORKERS = workers
    stages: dict[str, float] = {}
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        if done == total:
            stages[stage] = time.perf_counter() - start

    result = read_dataset(folder, progress=progress, **({"lazy": True} if lazy else {}))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "polars": pl.__version__,
        "workers": getattr(dataset_reader, "WORKERS", 1),  # 1 before tables ran side by side
        "wall_s": wall,
        "user_s": after.ru_utime - before.ru_utime,
        "sys_s": after.ru_stime - before.ru_stime,
        "page_faults": after.ru_minflt - before.ru_minflt,
        "stages_s": stages,
        "rows": sum(result.row_counts().values()),
        "scans": sorted(getattr(result, "scans", {})),
        "errors": len(result.problems.errors),
        "warnings": len(result.problems) - len(result.problems.errors),
        "tables_mb": sum(frame.estimated_size() for frame in result.tables.values()) / 1e6,
        "peak_rss_mb": peak_rss_mb(),
    }


def _as_csv(parquet: Path, facility_years: int) -> Path:
    """The Parquet dataset written once as CSV (lists `;`-joined)."""
    folder = parquet.parent / f"{parquet.name}-csv"
    if (folder / "profiles.csv").is_file():
        return folder
    folder.mkdir(exist_ok=True)
    for path in sorted(parquet.glob("*.parquet")):
        frame = pl.read_parquet(path)
        lists = [c for c, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
        frame.with_columns(pl.col(c).list.join(";") for c in lists).write_csv(
            folder / f"{path.stem}.csv"
        )
    print(f"dataset: written as CSV to {folder} ({facility_years:,} facility-years)")
    return folder


def main() -> None:
    parser = dataset_parser(__doc__.splitlines()[0])
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--workers", type=int, default=None,
                        help="tables checked side by side (default: one per core, at most 4)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="folder of the Parquet dataset (default: the one bench_matrix uses)")
    parser.add_argument("--lazy", action="store_true",
                        help="read_dataset(lazy=True), as journey assess reads")
    parser.add_argument("--dataset", type=Path, default=None,
                        help="an existing Parquet dataset folder (default: generated)")
    args = parser.parse_args()

    if args.measure is not None:
        print(json.dumps(_measure(args.measure, args.workers, args.lazy)))
        return

    if args.dataset is not None:
        folder = args.dataset
        print(f"dataset: {folder}")
    else:
        folder = args.workdir or Path(tempfile.gettempdir()) / f"fj-bench-{args.facility_years}"
        info = prepared_dataset(folder, args.facility_years, args.years, args.seed)
        if args.format == "csv":
            folder = _as_csv(folder, args.facility_years)
        print(f"input rows: {sum(info['rows'].values()):,} ({args.format})")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    command = [sys.executable, __file__, "--measure", str(folder)]
    if args.workers is not None:
        command += ["--workers", str(args.workers)]
    if args.lazy:
        command.append("--lazy")
    child = subprocess.run(command, capture_output=True, text=True, check=False)
    if child.returncode != 0:
        sys.exit(f"measurement failed:\n{child.stderr}")
    r = json.loads(child.stdout.strip().splitlines()[-1])
    cpu = r["user_s"] + r["sys_s"]
    print(f"polars {r['polars']}; {r['workers']} tables checked side by side")
    print(f"read_dataset:  {r['wall_s']:7.2f} s wall  ({r['rows']:,} rows; files read by "
          f"{r['stages_s'].get('read', 0):.2f} s, checks done at "
          f"{r['stages_s'].get('validate', 0):.2f} s)")
    print(f"CPU:           {cpu:7.2f} s  (user {r['user_s']:.2f} s, system {r['sys_s']:.2f} s; "
          f"{r['page_faults']:,} page faults)")
    print(f"problems:      {r['errors']:,} errors, {r['warnings']:,} warnings")
    print(f"peak RSS:      {r['peak_rss_mb']:,.0f} MB  (tables held: {r['tables_mb']:,.0f} MB)")
    if r.get("scans"):
        print(f"lazy (plans over their files, not held): {', '.join(r['scans'])}")
    parquet = folder.parent / folder.name.removesuffix("-csv") if args.format == "csv" else folder
    floor = _run([sys.executable, "-c", FLOOR, str(parquet)])
    print(f"bare scan + group-by of the Parquet files (new process): {floor['wall_s']:.2f} s "
          f"wall, {floor['cpu_s']:.2f} s CPU, {floor['peak_mb']:,.0f} MB peak")
    print(f"ratio read_dataset / bare scan: {r['wall_s'] / floor['wall_s']:.1f} x wall, "
          f"{cpu / floor['cpu_s']:.1f} x CPU, {r['peak_rss_mb'] / floor['peak_mb']:.1f} x peak")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
