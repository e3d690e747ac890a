"""Benchmark of the reports: median time per facility PDF, and `journey report --all`.

    python benchmarks/bench_reports.py                       # both parts, 1,000 facilities
    python benchmarks/bench_reports.py --facilities 200 --skip-per-facility

Part 1 renders facility PDFs of the bundled pilot dataset (115 facilities, 3 years) in one
process after a warm-up: context (pure) + PDF, median and 90th percentile, in English and in
every report language. Part 2 generates a demo dataset of N facilities (3 years; written
once to $TMPDIR/fj-bench-reports-<N>/ and reused) and times the command a user runs,
`journey report DIR --all --out OUT` with 2 worker processes, end to end in a fresh process
(start-up, reading, matrix, assessment and every PDF), then the rendering part alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from factory_journey.reports.context import build_facility_context
from factory_journey.reports.i18n import LANGUAGES, translator
from factory_journey.reports.render import render_pdf
from factory_journey.services import reports as service


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return f"median {statistics.median(samples) * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms"


def per_facility(count: int) -> None:
    data = service.load_report_data("pilot")
    ids = service.facility_ids(data)[:count]
    render_pdf(build_facility_context(data, ids[0], translator("en")))  # warm-up
    contexts, totals, cpu = [], [], []
    for fid in ids:
        c0, t0 = time.process_time(), time.perf_counter()
        context = build_facility_context(data, fid, translator("en"))
        t1 = time.perf_counter()
        render_pdf(context)
        t2 = time.perf_counter()
        contexts.append(t1 - t0)
        totals.append(t2 - t0)
        cpu.append(time.process_time() - c0)
    print(f"facility PDF, en, {len(ids)} facilities: wall {_ms(totals)}; CPU {_ms(cpu)}; "
          f"context alone {_ms(contexts)}")
    for lang in LANGUAGES:
        render_pdf(build_facility_context(data, ids[0], translator(lang)))  # fonts warm
        samples, cpu = [], []
        for fid in ids[:20]:
            c0, t0 = time.process_time(), time.perf_counter()
            render_pdf(build_facility_context(data, fid, translator(lang)))
            samples.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        print(f"facility PDF, {lang}: wall {_ms(samples)}; CPU {_ms(cpu)}")


def dataset(facilities: int) -> Path:
    folder = Path(tempfile.gettempdir()) / f"fj-bench-reports-{facilities}"
    if not (folder / "profiles.parquet").exists():
        from factory_journey.services.demo_data import make_demo_data

        make_demo_data(facilities, range(2022, 2025), 2026, folder, "parquet", force=True)
    return folder


def all_reports(facilities: int, workers: int) -> None:
    folder = dataset(facilities)
    out = Path(tempfile.mkdtemp(prefix="fj-bench-reports-out-"))
    journey = shutil.which("journey") or str(Path(sys.executable).with_name("journey"))
    command = [journey, "report", str(folder), "--all", "--out", str(out / "pdf"),
               "--workers", str(workers)]
    load_before = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    written = len(list((out / "pdf").glob("*.pdf")))
    size = sum(p.stat().st_size for p in (out / "pdf").glob("*.pdf")) / written / 1024
    print(f"journey report --all, {written} facilities, {workers} workers: {wall:.1f} s wall "
          f"end to end ({wall / written * 1000:.0f} ms per report; PDF {size:.0f} KB each); "
          f"CPU {cpu:.1f} s in all processes (= {cpu / workers:.1f} s on {workers} idle cores); "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")

    c0, t0 = time.process_time(), time.perf_counter()
    data = service.load_report_data(folder)
    c1, t1 = time.process_time(), time.perf_counter()
    service.write_all_reports(data, out / "again", workers=workers)
    t2 = time.perf_counter()
    print(f"  of which read + matrix + assessment {t1 - t0:.1f} s wall ({c1 - c0:.1f} s CPU), "
          f"rendering {t2 - t1:.1f} s wall")
    shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=1000)
    parser.add_argument("--per-facility", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-per-facility", action="store_true")
    parser.add_argument("--skip-all", action="store_true")
    args = parser.parse_args()
    print(f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    if not args.skip_per_facility:
        per_facility(args.per_facility)
    if not args.skip_all:
        all_reports(args.facilities, args.workers)


if __name__ == "__main__":
    main()
