"""Benchmark: `journey assess` (or `journey matrix`) as a user runs it (a new process, files
written) against a bare Polars scan + group-by of the same input files, in turn, with their ratio.

    python benchmarks/bench_assess_cli.py --facility-years 100000 --runs 3
    python benchmarks/bench_assess_cli.py --dataset /tmp/fj-1m --command matrix --runs 1
    python benchmarks/bench_assess_cli.py --dataset /tmp/fj-100k --format parquet,csv,json

1. The dataset: `--dataset DIR` (e.g. made with `journey demo-data --facilities 33334 --years
   2021-2023 --format parquet --annual --out DIR`), or made once with `journey demo-data
   --annual --format parquet` for `--facility-years` and reused (not timed).
2. One warm-up of each, then `--runs` pairs in turn (A B A B …): A = `journey assess DATASET
   --out OUT --force [--format F]` (`--command matrix`: `journey matrix`, same options),
   B = `python -c FLOOR DATASET`, where FLOOR scans every
   Parquet file of the dataset and groups it by facility and year (count and sums): the least
   any tool must do to read those files once. Each run is a new process; wall time by a
   monotonic clock around it, CPU time and peak resident memory from `os.wait4` (the
   operating system's accounting of that one child), and the bytes `journey assess` wrote.
3. Prints a row per figure (min, median, max) and the ratio A/B pair by pair; quote medians.
Times are wall-clock on whatever else the machine is doing: the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The yardstick: read every Parquet file of the dataset once and group it by facility-year.
FLOOR = """
import sys
from pathlib import Path
import polars as pl
import polars.selectors as cs
for path in sorted(Path(sys.argv[1]).glob("*.parquet")):
    frame = pl.scan_parquet(path)
    names = frame.collect_schema().names()
    keys = [k for k in ("facility_id", "year") if k in names]
    frame.group_by(keys).agg(pl.len(), cs.numeric().exclude(keys).sum()).collect()
"""


def same_allocator() -> str:
    """The allocator options `journey` sets for itself (src/factory_journey/cli/allocator.py),
    set here for every process the benchmark starts, the bare scan included: the yardstick
    gets the same help from the allocator as the command it is set beside."""
    from factory_journey.cli.allocator import configure

    return configure()


def _journey() -> list[str]:
    """The `journey` of this Python environment (next to the interpreter), else on PATH."""
    beside = Path(sys.executable).with_name("journey")
    found = str(beside) if beside.exists() else shutil.which("journey")
    if found is None:
        sys.exit("journey is not installed in this environment (pip install -e .)")
    return [found]


def _run(command: list[str]) -> dict[str, float]:
    """One whole process: wall [s], CPU (user + system) [s], peak resident memory [MB]."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"{command[0]} exited with {child.returncode}: {errors.decode()[-2000:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024}


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def _dataset(args: argparse.Namespace) -> Path:
    if args.dataset is not None:
        return Path(args.dataset)
    facilities = -(-args.facility_years // 3)
    folder = Path(tempfile.gettempdir()) / f"fj-cli-{facilities}x3"
    if not (folder / "profiles.parquet").exists():
        subprocess.run([*_journey(), "demo-data", "--facilities", str(facilities), "--years",
                        "2021-2023", "--format", "parquet", "--annual", "--out", str(folder),
                        "--force"], check=True, stdout=subprocess.DEVNULL)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facility-years", type=int, default=100_000)
    parser.add_argument("--dataset", type=Path, default=None, help="an existing dataset folder")
    parser.add_argument("--command", choices=("assess", "matrix"), default="assess",
                        help="the journey command to time (default assess)")
    parser.add_argument("--format", default=None, help="its --format (default auto)")
    parser.add_argument("--runs", type=int, default=3, help="counted pairs after one warm-up")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: temp)")
    args = parser.parse_args()

    dataset = _dataset(args)
    out = args.out or Path(tempfile.mkdtemp(prefix="fj-assess-cli-")) / "out"
    assess = [*_journey(), args.command, str(dataset), "--out", str(out), "--force"]
    if args.format:
        assess += ["--format", args.format]
    floor = [sys.executable, "-c", FLOOR, str(dataset)]
    print(f"dataset: {dataset}; A = {' '.join(assess[1:])}; B = bare Polars scan + group-by")
    print(f"allocator options of every run (journey and bare scan): {same_allocator()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")
    figures: dict[str, list[float]] = {}
    for run in range(args.runs + 1):
        a, b = _run(assess), _run(floor)
        if run == 0:
            continue  # warm-up: file cache, first imports
        for name, value in a.items():
            figures.setdefault(f"A {name}", []).append(value)
        for name, value in b.items():
            figures.setdefault(f"B {name}", []).append(value)
        figures.setdefault("A/B wall", []).append(a["wall_s"] / b["wall_s"])
        figures.setdefault("A/B cpu", []).append(a["cpu_s"] / b["cpu_s"])
    written = _size_mb(out)
    print(f"{'figure':<12} {'min':>10} {'median':>10} {'max':>10}   ({args.runs} pairs)")
    for name, values in figures.items():
        print(f"{name:<12} {min(values):>10.2f} {statistics.median(values):>10.2f} "
              f"{max(values):>10.2f}")
    files = ", ".join(sorted(p.name for p in out.iterdir()))
    print(f"A = journey {args.command}; A wrote {written:,.1f} MB: {files}")
    if args.out is None:  # our own temporary folder: ~600 MB at a million facility-years
        shutil.rmtree(out.parent)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
