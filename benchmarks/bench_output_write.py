"""What writing `journey assess`'s outputs costs on its own, beside the bare scan of the input.

    python benchmarks/bench_output_write.py --dataset /tmp/fj-1m --outputs OUT --runs 3

OUT is the folder a `journey assess DATASET --out OUT` run wrote (default formats: Parquet).
In turn, each a new process: W = read every Parquet file of OUT into memory (not timed), then
write each again with the options `journey` writes with (`services.report_files.
PARQUET_OPTIONS`: compression, level, statistics, row groups) into a temporary folder, timed:
wall [s] and CPU [s] of the writes alone; B = the bare Polars scan + group-by of DATASET's
files (`bench_assess_cli.FLOOR`). Prints min / median / max of each and W/B.

Why: the issue asks `journey assess` for at most 5 x the bare scan. The bare scan writes
nothing; the assessment must write its outputs. W is the part of that budget the outputs take
before anything is read, checked or computed: a floor under the command, not a target.
Times are wall-clock on whatever else the machine is doing: the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench_assess_cli import FLOOR, _run, same_allocator

#: In a new process: read the outputs, then time writing them again as `journey` does.
WRITE = """
import os, resource, sys, tempfile, time
from pathlib import Path
import polars as pl
from factory_journey.services.report_files import PARQUET_OPTIONS

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

frames = {p.name: pl.read_parquet(p) for p in sorted(Path(sys.argv[1]).glob("*.parquet"))}
with tempfile.TemporaryDirectory(prefix="fj-output-write-") as folder:
    wall, started = time.perf_counter(), cpu()
    for name, frame in frames.items():
        frame.write_parquet(Path(folder) / name, **PARQUET_OPTIONS)
    wall, spent = time.perf_counter() - wall, cpu() - started
    size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6
rows = sum(f.height for f in frames.values())
print(f"{wall:.4f} {spent:.4f} {size:.1f} {rows}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, required=True, help="the input folder")
    parser.add_argument("--outputs", type=Path, required=True,
                        help="the folder `journey assess DATASET --out` wrote")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not any(args.outputs.glob("*.parquet")):
        sys.exit(f"{args.outputs} holds no Parquet output of `journey assess`")
    print(f"dataset: {args.dataset}; outputs: {args.outputs}; W = writing those outputs again "
          f"from memory with journey's Parquet options; B = bare Polars scan + group-by")
    print(f"allocator options of every run: {same_allocator()}")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    figures: dict[str, list[float]] = {}
    described = ""
    for _ in range(args.runs):
        done = subprocess.run([sys.executable, "-c", WRITE, str(args.outputs)], check=True,
                              capture_output=True, text=True)
        wall, cpu, size, rows = done.stdout.split()
        described = f"{int(rows):,} rows, {float(size):.0f} MB written"
        floor = _run([sys.executable, "-c", FLOOR, str(args.dataset)])
        figures.setdefault("W write wall_s", []).append(float(wall))
        figures.setdefault("W write cpu_s", []).append(float(cpu))
        figures.setdefault("B wall_s", []).append(floor["wall_s"])
        figures.setdefault("B cpu_s", []).append(floor["cpu_s"])
        figures.setdefault("W/B wall", []).append(float(wall) / floor["wall_s"])
    print(f"W: {described}")
    print(f"{'figure':<16} {'min':>8} {'median':>8} {'max':>8}   ({args.runs} runs each)")
    for name, values in figures.items():
        print(f"{name:<16} {min(values):>8.2f} {statistics.median(values):>8.2f} "
              f"{max(values):>8.2f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
