"""Where `journey assess`'s time and memory go, stage by stage, in one process.

    python benchmarks/bench_assess_stages.py DATASET [--out DIR]

Runs what `journey assess DATASET --out DIR --force` runs (`services.assessment.assess_files`
with the default formats) and prints, at the end of each stage (read, matrix, assess, written):
seconds since the start (wall), CPU seconds of the process (all threads), the resident memory
then and the peak so far (MiB). Each output frame is written on a second thread as soon as it
is computed, so "assess" includes the writes that overlapped it and "written" what was left.
The whole command as a user runs it, beside a bare scan: `bench_assess_cli.py`. Times are
wall-clock on whatever else the machine is doing: the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

STARTED = time.perf_counter()


def _resident_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: temp)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    # as `journey` does, before Polars is loaded: its allocator options (cli/allocator.py)
    from factory_journey.cli.allocator import configure

    print(f"allocator options: {configure()}")
    from factory_journey.services.assessment import assess_files

    marks: list[tuple[str, float, float, float, float]] = []

    def mark(label: str) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        marks.append((label, time.perf_counter() - STARTED, time.process_time(),
                      _resident_mib(), peak))

    def progress(stage: str, done: int, total: int) -> None:
        label = "written" if stage == "write" else stage
        if done == total and total and not (marks and marks[-1][0] == label):
            mark(label)

    mark("imported")
    with tempfile.TemporaryDirectory() as tmp:
        run = assess_files(args.dataset, args.out or Path(tmp) / "out", progress=progress,
                           force=True)
    if run.status != "ok":
        raise SystemExit(f"{run.status}: {run.message}")
    print(f"{'stage':<10} {'wall s':>8} {'CPU s':>8} {'RSS MiB':>9} {'peak MiB':>9}")
    for label, wall, cpu, rss, peak in marks:
        print(f"{label:<10} {wall:8.2f} {cpu:8.2f} {rss:9,.0f} {peak:9,.0f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
