"""Benchmark: build the Data Matrix for N facility-years of demo data.

    python benchmarks/bench_matrix.py --facility-years 1000000
    python benchmarks/bench_matrix.py --stage /tmp/fj-1m --repeat 3

`--stage DATASET`: the matrix stage exactly as `journey matrix` and `journey assess` run it
(`services.matrix`): in a fresh child process, `read_dataset(DATASET, lazy=True)` (not timed
here; large tables are lazy plans over their Parquet files), then
`engine.matrix.build_matrix(tables, release_tables=True)` timed: wall, CPU of all threads,
resident memory before it, and the peak resident memory *during* it (the kernel's high-water
mark is reset just before, `/proc/self/clear_refs`). `--repeat N` runs N children (each reads
and builds once, as the command does) and prints each. The whole command beside a bare scan:
`bench_assess_cli.py --command matrix`.

1. Generate the dataset with `factory_journey.demo.generate_dataset` (facilities × years) and
   write it as Parquet (not timed; skipped when the folder already holds it).
2. In a fresh child process (so that generation does not count towards peak memory):
   - read: `factory_journey.ingest.read_dataset(folder)` — parse, validate, convert units
     (the ingested tables are saved once to `<workdir>/ingested/`; `--from-ingested` reads
     those instead, to time the engine without ingest);
   - build: `factory_journey.engine.matrix.build_matrix(tables)`;
   - end to end = read + build; peak RSS of the child from `resource.getrusage`.
   Provenance is off for the timed build unless `--with-provenance` is given; the child then
   times a second build with provenance when `--also-provenance` is given.
Times are wall-clock (`time.perf_counter`) on whatever else the machine is doing, so the
load average at start and end is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from bench_data import dataset_parser, peak_rss_mb, prepared_dataset


def _measure(folder: Path, with_provenance: bool, also_provenance: bool,
             from_ingested: bool, repeat: int) -> dict[str, object]:
    """Runs in the child process: read, build, and report as JSON on stdout."""
    from factory_journey.engine.matrix import build_matrix
    from factory_journey.engine.refdata import default_reference

    out: dict[str, object] = {"polars": pl.__version__}
    default_reference("AR5")  # reference files are read once per process; not the workload
    ingested = folder / "ingested"
    start, start_cpu = time.perf_counter(), time.process_time()
    tables: dict[str, pl.DataFrame | pl.LazyFrame]
    if from_ingested:
        # Lazy scans: the engine reads only the columns it uses.
        tables = {p.stem: pl.scan_parquet(p) for p in sorted(ingested.glob("*.parquet"))}
        out["reader"] = "pl.scan_parquet (lazy) of tables saved after an earlier read_dataset"
    else:
        from factory_journey.ingest import read_dataset

        result = read_dataset(folder)
        tables = result.tables
        out["reader"] = "factory_journey.ingest.read_dataset"
        out["problems"] = len(result.problems)
    out["read_s"] = time.perf_counter() - start
    out["read_cpu_s"] = time.process_time() - start_cpu
    if not from_ingested and not ingested.is_dir():
        ingested.mkdir()
        for name, frame in tables.items():
            if isinstance(frame, pl.DataFrame):
                frame.write_parquet(ingested / f"{name}.parquet")
    out["input_rows"] = sum(
        f.height if isinstance(f, pl.DataFrame) else f.select(pl.len()).collect().item()
        for f in tables.values()
    )
    out["rss_after_read_mb"] = peak_rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    matrix = build_matrix(tables, with_provenance=with_provenance)
    out["build_s"] = time.perf_counter() - start
    out["build_cpu_s"] = time.process_time() - cpu
    out["matrix_shape"] = list(matrix.matrix.shape)
    out["zdhc_levels_rows"] = matrix.zdhc_levels.height
    out["provenance_rows"] = matrix.provenance.height
    out["end_to_end_s"] = out["read_s"] + out["build_s"]  # type: ignore[operator]
    out["peak_rss_mb"] = peak_rss_mb()
    if repeat > 1:
        del matrix
        times = []
        for _ in range(repeat - 1):
            start = time.perf_counter()
            build_matrix(tables, with_provenance=with_provenance)
            times.append(time.perf_counter() - start)
        out["repeat_build_s"] = times
        out["peak_rss_mb"] = peak_rss_mb()
    if also_provenance and not with_provenance:
        start = time.perf_counter()
        again = build_matrix(tables, with_provenance=True)
        out["build_with_provenance_s"] = time.perf_counter() - start
        out["provenance_rows"] = again.provenance.height
        out["peak_rss_with_provenance_mb"] = peak_rss_mb()
    return out


def _resident_mb(field: str) -> float:
    """`VmRSS` (now) or `VmHWM` (peak since the last reset) of this process [MB]."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _stage(dataset: Path) -> dict[str, object]:
    """Runs in the child process: read as the services do, then time the matrix stage."""
    from factory_journey.engine.matrix import build_matrix
    from factory_journey.ingest import read_dataset

    start = time.perf_counter()
    imported = read_dataset(dataset, lazy=True)
    tables = imported.frames()
    lazy_tables = sorted(n for n, f in tables.items() if isinstance(f, pl.LazyFrame))
    imported.tables.clear()  # as services.matrix does: the build releases the tables
    imported.scans.clear()
    out: dict[str, object] = {"polars": pl.__version__, "read_s": time.perf_counter() - start,
                              "lazy_tables": lazy_tables, "peak_read_mb": peak_rss_mb()}
    out["rss_before_mb"] = _resident_mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the RSS now
    start, cpu = time.perf_counter(), time.process_time()
    result = build_matrix(tables, release_tables=True)
    out["build_s"] = time.perf_counter() - start
    out["build_cpu_s"] = time.process_time() - cpu
    out["peak_build_mb"] = _resident_mb("VmHWM")
    out["matrix_shape"] = list(result.matrix.shape)
    out["zdhc_levels_rows"] = result.zdhc_levels.height
    return out


def _run_stage(dataset: Path, repeat: int) -> None:
    print(f"matrix stage of {dataset} (read_dataset lazy, then build_matrix with "
          f"release_tables), {repeat} fresh process(es)")
    for run in range(repeat):
        load = os.getloadavg()[0]
        child = subprocess.run([sys.executable, __file__, "--stage-child", str(dataset)],
                               capture_output=True, text=True, check=False)
        if child.returncode != 0:
            sys.exit(f"measurement failed:\n{child.stderr}")
        r = json.loads(child.stdout.strip().splitlines()[-1])
        if run == 0:
            print(f"polars {r['polars']}; lazy tables: {', '.join(r['lazy_tables'])}; matrix "
                  f"{r['matrix_shape'][0]:,} × {r['matrix_shape'][1]}, zdhc_levels "
                  f"{r['zdhc_levels_rows']:,} rows")
        print(f"run {run + 1}: load {load:.2f}; read {r['read_s']:.2f} s (peak "
              f"{r['peak_read_mb']:,.0f} MB); build_matrix {r['build_s']:.2f} s wall, "
              f"{r['build_cpu_s']:.2f} s CPU; RSS before {r['rss_before_mb']:,.0f} MB, peak "
              f"during the build {r['peak_build_mb']:,.0f} MB")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = dataset_parser(__doc__.splitlines()[0])
    parser.add_argument("--stage", type=Path, default=None,
                        help="time the matrix stage of this dataset as the services run it")
    parser.add_argument("--stage-child", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="folder for the Parquet dataset (default: a temp folder)")
    parser.add_argument("--with-provenance", action="store_true",
                        help="collect the provenance frame in the timed build")
    parser.add_argument("--also-provenance", action="store_true",
                        help="after the timed build, time one more build with provenance")
    parser.add_argument("--from-ingested", action="store_true",
                        help="skip read_dataset: read the tables an earlier run saved after "
                             "ingest (<workdir>/ingested/*.parquet), to time the engine alone")
    parser.add_argument("--repeat", type=int, default=1,
                        help="build the matrix this many times in the child (first = cold)")
    args = parser.parse_args()

    if args.stage_child is not None:
        print(json.dumps(_stage(args.stage_child)))
        return
    if args.stage is not None:
        _run_stage(args.stage, args.repeat)
        return
    if args.measure is not None:
        print(json.dumps(_measure(args.measure, args.with_provenance, args.also_provenance,
                                  args.from_ingested, args.repeat)))
        return

    folder = args.workdir or Path(tempfile.gettempdir()) / f"fj-bench-{args.facility_years}"
    info = prepared_dataset(folder, args.facility_years, args.years, args.seed)
    print(f"input rows: {sum(info['rows'].values()):,} "
          + ", ".join(f"{k} {v:,}" for k, v in info["rows"].items()))
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    command = [sys.executable, __file__, "--measure", str(folder)]
    if args.with_provenance:
        command.append("--with-provenance")
    if args.also_provenance:
        command.append("--also-provenance")
    if args.from_ingested:
        command.append("--from-ingested")
    command += ["--repeat", str(args.repeat)]
    child = subprocess.run(command, capture_output=True, text=True, check=False)
    if child.returncode != 0:
        sys.exit(f"measurement failed:\n{child.stderr}")
    result = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"polars {result['polars']}; reader: {result['reader']}")
    label = "read parquet:" if args.from_ingested else "read_dataset:"
    print(f"{label:14s} {result['read_s']:7.2f} s  ({result['read_cpu_s']:.1f} s CPU; "
          f"{result['input_rows']:,} input rows; "
          f"peak RSS after read {result['rss_after_read_mb']:,.0f} MB)")
    print(f"build_matrix:  {result['build_s']:7.2f} s  (matrix {result['matrix_shape'][0]:,} × "
          f"{result['matrix_shape'][1]}; zdhc_levels {result['zdhc_levels_rows']:,} rows; "
          f"provenance {'on' if args.with_provenance else 'off'})")
    print(f"               {result['build_cpu_s']:7.2f} s CPU time of the process during the build "
          f"(all threads)")
    if "repeat_build_s" in result:
        print("build again:   " + ", ".join(f"{t:.2f} s" for t in result["repeat_build_s"]))
    print(f"end to end:    {result['end_to_end_s']:7.2f} s  (read + build)")
    print(f"peak RSS:      {result['peak_rss_mb']:,.0f} MB (child process: read + build)")
    if "build_with_provenance_s" in result:
        print(f"build_matrix with provenance: {result['build_with_provenance_s']:.2f} s "
              f"({result['provenance_rows']:,} provenance rows; peak RSS "
              f"{result['peak_rss_with_provenance_mb']:,.0f} MB)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
