"""Start-up of the `journey` command, measured as a user runs it: a new process for every run.

    python benchmarks/bench_startup.py [--runs 7] [--compare OTHER_SRC]

Times whole processes, output read and thrown away: `journey --help`, `journey assess --help`,
`journey explain pilot FJ-0007 --year 2023`, and one facility's `journey assess` (a dataset of
one facility and one year made first with `journey demo-data --facilities 1 --years 2023`; its
outputs, Parquet, CSV, JSON and assessment.xlsx as `auto` writes them at that size, written into
a temporary folder with --force), and beside it the yardstick: a new Python process that scans
the same CSV files with Polars and counts their rows per facility-year (`FLOOR`), with the
ratio of the two medians. One warm-up run each, then --runs counted runs, the commands in turn
(A B C … A B C …) so that a change in the machine's load touches all of them alike; prints wall
and CPU seconds (the child's user + system time) as min / median / max, the peak RSS of the
largest run, and the load average before the first and after the last run. The machine being
shared, quote the median and the load with it.

--compare OTHER_SRC runs every command a second time in each round with PYTHONPATH=OTHER_SRC
(e.g. `git archive` of the commit before a change, unpacked), so that before and after are
measured in the same minutes.
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

#: The yardstick: a new interpreter that imports Polars, scans every CSV file of the dataset
#: and groups it by facility-year: the least any tool must do to read those files once.
FLOOR = """
import sys
from pathlib import Path
import polars as pl
for path in sorted(Path(sys.argv[1]).glob("*.csv")):
    frame = pl.scan_csv(path, infer_schema_length=0)
    keys = [k for k in ("facility_id", "year") if k in frame.collect_schema().names()]
    if keys:
        frame.group_by(keys).len().collect()
"""

ASSESS = "journey assess (1 facility, 1 year)"
BARE = "bare Polars scan + group-by (same files)"


def journey_command() -> str:
    """The `journey` script of this interpreter's environment (else the one on PATH)."""
    beside = Path(sys.executable).with_name("journey")
    if beside.is_file():
        return str(beside)
    found = shutil.which("journey")
    if found is None:
        sys.exit("journey is not installed in this environment (pip install -e .)")
    return found


def one_run(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, int]:
    """(wall s, CPU s, peak RSS KiB, exit code) of one process running `argv`."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode


def report(label: str, results: list[tuple[float, float, int, int]]) -> float:
    """Print one row of figures; returns the median wall time."""
    codes = sorted({code for *_, code in results})
    walls = [wall for wall, *_ in results]
    cpus = [cpu for _, cpu, *_ in results]
    peak_mib = max(rss for _, _, rss, _ in results) / 1024
    print(f"{label:<52} wall {min(walls):5.2f} {statistics.median(walls):5.2f} "
          f"{max(walls):5.2f}  cpu {min(cpus):5.2f} {statistics.median(cpus):5.2f} "
          f"{max(cpus):5.2f}  peak {peak_mib:6.1f} MiB  exit {codes}")
    return statistics.median(walls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="counted runs per command")
    parser.add_argument("--compare", type=Path, default=None,
                        help="another source tree to run the same commands from, in turn")
    args = parser.parse_args()
    journey = journey_command()
    trees: dict[str, dict[str, str] | None] = {"": None}
    if args.compare is not None:
        trees = {"": None, " [compare]": {**os.environ, "PYTHONPATH": str(args.compare)}}
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {args.runs} runs each; "
          "figures are min median max (s)")
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        root = Path(folder)
        made = subprocess.run(
            [journey, "demo-data", "--out", str(root / "one"), "--facilities", "1",
             "--years", "2023"], capture_output=True, check=False,
        )
        if made.returncode != 0:
            sys.exit(f"demo-data failed: {made.stderr.decode(errors='replace')[-2000:]}")
        commands = {
            "journey --help": [journey, "--help"],
            "journey assess --help": [journey, "assess", "--help"],
            "journey explain pilot FJ-0007 --year 2023":
                [journey, "explain", "pilot", "FJ-0007", "--year", "2023"],
            ASSESS: [journey, "assess", str(root / "one"), "--out", str(root / "out"),
                     "--force"],
        }
        runs: list[tuple[str, list[str], dict[str, str] | None]] = [
            (label + suffix, argv, env) for suffix, env in trees.items()
            for label, argv in commands.items()
        ]
        runs.append((BARE, [sys.executable, "-c", FLOOR, str(root / "one")], None))
        from bench_assess_cli import same_allocator

        print(f"allocator options of every run (journey and bare scan): {same_allocator()}")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        results: dict[str, list[tuple[float, float, int, int]]] = {label: [] for label, *_ in runs}
        for round_ in range(args.runs + 1):
            for label, argv, env in runs:
                result = one_run(argv, env)
                if round_:  # round 0 is the warm-up: file-system and bytecode caches
                    results[label].append(result)
        medians = {label: report(label, figures) for label, figures in results.items()}
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        for suffix in trees:
            print(f"{ASSESS + suffix} / bare scan, medians: "
                  f"{medians[ASSESS + suffix] / medians[BARE]:.1f}x")


if __name__ == "__main__":
    main()
