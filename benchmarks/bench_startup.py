"""Start-up of the `journey` command, measured as a user runs it: a new process for every run.

    python benchmarks/bench_startup.py [--runs 7]

Times whole processes, output read and thrown away: `journey --help`, `journey assess --help`,
`journey explain pilot FJ-0007 --year 2023`, and one facility's `journey assess` (a dataset of
one facility and one year made first with `journey demo-data --facilities 1 --years 2023`; its
outputs written into a temporary folder with --force). One warm-up run each, then --runs
counted runs; prints wall and CPU seconds (the child's user + system time) as min / median /
max, the peak RSS of the largest run, and the load average before each command. The machine
being shared, quote the median and the load with it.
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


def journey_command() -> str:
    """The `journey` script of this interpreter's environment (else the one on PATH)."""
    beside = Path(sys.executable).with_name("journey")
    if beside.is_file():
        return str(beside)
    found = shutil.which("journey")
    if found is None:
        sys.exit("journey is not installed in this environment (pip install -e .)")
    return found


def one_run(argv: list[str]) -> tuple[float, float, int, int]:
    """(wall s, CPU s, peak RSS KiB, exit code) of one process running `argv`."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode


def measure(label: str, argv: list[str], runs: int) -> None:
    load = os.getloadavg()[0]
    one_run(argv)  # warm-up: file-system and bytecode caches
    results = [one_run(argv) for _ in range(runs)]
    codes = sorted({code for *_, code in results})
    walls = [wall for wall, *_ in results]
    cpus = [cpu for _, cpu, *_ in results]
    peak_mib = max(rss for _, _, rss, _ in results) / 1024
    print(f"{label:<44} wall {min(walls):5.2f} {statistics.median(walls):5.2f} "
          f"{max(walls):5.2f}  cpu {min(cpus):5.2f} {statistics.median(cpus):5.2f} "
          f"{max(cpus):5.2f}  peak {peak_mib:6.1f} MiB  exit {codes}  load {load:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="counted runs per command")
    args = parser.parse_args()
    journey = journey_command()
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
        for label, rest in (
            ("journey --help", ["--help"]),
            ("journey assess --help", ["assess", "--help"]),
            ("journey explain pilot FJ-0007 --year 2023",
             ["explain", "pilot", "FJ-0007", "--year", "2023"]),
            ("journey assess (1 facility, 1 year)",
             ["assess", str(root / "one"), "--out", str(root / "out"), "--force"]),
        ):
            measure(label, [journey, *rest], args.runs)


if __name__ == "__main__":
    main()
