"""Benchmark: `journey report --all` on 2 worker processes against 1, as a user runs it, with a
bare Polars scan of the same files beside it (issue 14: "≥ 1.8× the one-core rate on 2 cores").

    python benchmarks/bench_report_workers.py --facilities 300 --runs 3
    python benchmarks/bench_report_workers.py --dataset pilot --runs 3

1. The dataset: `--dataset DIR` (or `pilot`), or made once with `journey demo-data
   --facilities N --years 2022-2024 --format parquet` into $TMPDIR/fj-report-workers-N/ and
   reused (not timed).
2. One warm-up of each, then `--runs` rounds in turn: A2 = `journey report DATASET --all
   --lang en --out OUT2 --workers 2 --force`; A1c = the same with `--workers 1` held to one
   CPU (`sched_setaffinity`, then exec: the one-core rate); A1 = `--workers 1` free to use
   both CPUs; B = a bare Polars scan + group-by of the dataset's Parquet files
   (bench_assess_cli.FLOOR). Each run is a new process; wall time by a monotonic clock, CPU
   time (every process of the command: `os.wait4` counts waited-for children) and peak memory
   of the largest process.
3. Prints min / median / max of each figure, the PDFs per second, and the rates' ratios taken
   round by round; quote medians. The issue's yardstick is A1c/A2 (the one-core rate against
   2 cores). A1/A2 is shown beside it: with one worker, typst's own threads and Polars' still
   use part of the second CPU (about 1.1 CPU-seconds a second), so that one-worker run is not a
   one-core rate and its ratio understates what the second worker adds.
Times are wall-clock on whatever else the machine is doing: the load average is printed,
and a speed-up from 2 cores can only show when nothing else holds the second one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_assess_cli import FLOOR, _journey, _run, same_allocator

#: FLOOR for a dataset of CSV files (the pilot): scan every CSV file, group by facility-year.
FLOOR_CSV = FLOOR.replace('glob("*.parquet")', 'glob("*.csv")').replace(
    "pl.scan_parquet(path)", "pl.scan_csv(path, infer_schema_length=10000)")


#: Run argv[1:] held to the first CPU this process may use (exec: same process, same pid).
ONE_CPU = ("import os, sys; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
           "os.execv(sys.argv[1], sys.argv[1:])")


def _dataset(args: argparse.Namespace) -> tuple[str, Path | None]:
    """(what `journey report` is given, the folder of Parquet files for the bare scan)."""
    if args.dataset == "pilot":
        from factory_journey.demo import pilot_dataset_path

        return "pilot", pilot_dataset_path()
    if args.dataset is not None:
        return str(args.dataset), Path(args.dataset)
    folder = Path(tempfile.gettempdir()) / f"fj-report-workers-{args.facilities}"
    if not (folder / "profiles.parquet").exists():
        subprocess.run([*_journey(), "demo-data", "--facilities", str(args.facilities),
                        "--years", "2022-2024", "--format", "parquet", "--out", str(folder),
                        "--force"], check=True, stdout=subprocess.DEVNULL)
    return str(folder), folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=300)
    parser.add_argument("--dataset", default=None, help="an existing dataset folder, or pilot")
    parser.add_argument("--runs", type=int, default=3, help="counted triples after a warm-up")
    args = parser.parse_args()

    given, folder = _dataset(args)
    out = Path(tempfile.mkdtemp(prefix="fj-report-workers-"))
    commands = {
        f"A{workers}": [*_journey(), "report", given, "--all", "--lang", "en", "--out",
                        str(out / f"w{workers}"), "--workers", str(workers), "--force"]
        for workers in (2, 1)
    }
    # --workers 1 held to one CPU: the one-core rate (exec keeps the pid, so wait4 counts it)
    commands["A1c"] = [sys.executable, "-c", ONE_CPU, *commands["A1"]]
    scan = folder is not None
    if folder is not None:
        # The pilot is CSV: the same scan + group-by over its CSV files.
        floor = FLOOR if any(folder.glob("*.parquet")) else FLOOR_CSV
        commands["B"] = [sys.executable, "-c", floor, str(folder)]
    print(f"dataset: {given}; A2/A1 = journey report --all --workers 2/1; "
          f"B = bare Polars scan + group-by of its files")
    print(f"allocator options of every run (journey and bare scan): {same_allocator()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")
    figures: dict[str, list[float]] = {}
    for run in range(args.runs + 1):
        measured = {name: _run(command) for name, command in commands.items()}
        if run == 0:
            continue  # warm-up: file cache, bytecode, fonts
        for name, values in measured.items():
            for figure, value in values.items():
                figures.setdefault(f"{name} {figure}", []).append(value)
        for one in ("A1c", "A1"):
            figures.setdefault(f"{one}/A2 wall", []).append(
                measured[one]["wall_s"] / measured["A2"]["wall_s"])
        if scan:
            figures.setdefault("A2/B wall", []).append(
                measured["A2"]["wall_s"] / measured["B"]["wall_s"])
    pdfs = len(list((out / "w2").glob("*.pdf")))
    if pdfs == 0 or pdfs != len(list((out / "w1").glob("*.pdf"))):
        sys.exit("the two runs wrote a different number of PDFs")
    print(f"{'figure':<16} {'min':>10} {'median':>10} {'max':>10}   ({args.runs} runs each)")
    for name, values in figures.items():
        print(f"{name:<16} {min(values):>10.2f} {statistics.median(values):>10.2f} "
              f"{max(values):>10.2f}")
    for name, what in (("A2", "2 workers"), ("A1c", "1 worker on one CPU"),
                       ("A1", "1 worker, both CPUs free")):
        wall = statistics.median(figures[f"{name} wall_s"])
        print(f"{what}: {pdfs} PDFs in {wall:.2f} s = {pdfs / wall:.1f} PDFs/s")
    print(f"2 cores against the one-core rate (A1c/A2 wall, median of rounds): "
          f"{statistics.median(figures['A1c/A2 wall']):.2f}x (target >= 1.8x); "
          f"against one worker free to use both CPUs (A1/A2): "
          f"{statistics.median(figures['A1/A2 wall']):.2f}x")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
