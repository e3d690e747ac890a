"""Benchmark: assess N facility-years end to end (read, matrix, assessment), and one facility.

    python benchmarks/bench_assess.py --facility-years 1000000

1. Generate the dataset with `factory_journey.demo.generate_dataset` (facilities × years) and
   write it as Parquet (not timed; reused when the folder already holds it).
2. In a fresh child process (so that generation does not count towards peak memory):
   - read: `factory_journey.ingest.read_dataset(folder)`;
   - matrix: `factory_journey.engine.matrix.build_matrix(tables)` (provenance off);
   - assess: `factory_journey.engine.assessment.assess(matrix)`;
   - end to end = read + matrix + assess; peak RSS from `resource.getrusage`;
   - one facility: `assess` on the matrix rows of one facility (all its years), median of
     `--repeat` runs after a warm-up — the same engine as for a million.
   With `--write DIR` the child also times writing every output (Parquet, CSV, JSON or JSON
   Lines); `benchmarks/bench_assess_cli.py` times `journey assess` as a user runs it.
   With `--tile K` the assessment runs on the matrix repeated K times (facility ids suffixed
   `-k`), to time the engine at K × N facility-years when reading and building N × K would
   not fit the machine's time or memory; read and matrix times are then for N only.
Times are wall-clock on whatever else the machine is doing; the load average is printed.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from bench_data import dataset_parser, peak_rss_mb, prepared_dataset


def _tile(matrix: pl.DataFrame, times: int) -> pl.DataFrame:
    """`matrix` repeated `times` times, each copy's facility ids suffixed `-k`."""
    if times <= 1:
        return matrix
    copies = [matrix.with_columns(pl.col("facility_id") + f"-{k}") for k in range(times)]
    return pl.concat(copies, how="vertical")


def _measure(folder: Path, repeat: int, write: Path | None, tile: int) -> dict[str, object]:
    """Runs in the child process; prints a JSON line."""
    from factory_journey.engine.assessment import assess, default_catalogue, default_methodology
    from factory_journey.engine.assessment.prices import default_prices
    from factory_journey.engine.matrix import build_matrix
    from factory_journey.engine.refdata import default_reference
    from factory_journey.ingest import read_dataset

    # Reference files are read once per process; that is set-up, not the workload.
    default_reference("AR5")
    methodology, catalogue, prices = default_methodology(), default_catalogue(), default_prices()
    out: dict[str, object] = {"polars": pl.__version__}
    start, start_cpu = time.perf_counter(), time.process_time()
    imported = read_dataset(folder)
    out["read_s"] = time.perf_counter() - start
    out["read_cpu_s"] = time.process_time() - start_cpu
    out["rss_after_read_mb"] = peak_rss_mb()
    out["problems"] = len(imported.problems)
    start, start_cpu = time.perf_counter(), time.process_time()
    built = build_matrix(imported.tables, with_provenance=False)
    out["matrix_s"] = time.perf_counter() - start
    out["matrix_cpu_s"] = time.process_time() - start_cpu
    del imported
    out["matrix_rows"] = built.matrix.height
    matrix = _tile(built.matrix, tile)
    del built
    out["assessed_rows"] = matrix.height
    start, start_cpu = time.perf_counter(), time.process_time()
    result = assess(matrix, methodology, catalogue, prices)
    out["assess_s"] = time.perf_counter() - start
    out["assess_cpu_s"] = time.process_time() - start_cpu
    if tile <= 1:
        out["end_to_end_s"] = out["read_s"] + out["matrix_s"] + out["assess_s"]  # type: ignore[operator]
    out["rows"] = {
        name: getattr(result, name).height
        for name in ("opportunities", "pathways", "measures", "trajectory", "indicators")
    }
    out["peak_rss_mb"] = peak_rss_mb()
    if write is not None:
        from factory_journey.services.assessment import OUTPUTS, write_frame
        from factory_journey.services.output_formats import plan_outputs

        write.mkdir(parents=True, exist_ok=True)
        frames = {"matrix": matrix, **{n: getattr(result, n) for n in OUTPUTS if n != "matrix"}}
        plan = plan_outputs(("csv", "json"), matrix.height)  # every text format, as asked
        start = time.perf_counter()
        for name in OUTPUTS:
            write_frame(frames[name], write, name, plan)
        out["write_s"] = time.perf_counter() - start
        out["written_mb"] = sum(p.stat().st_size for p in write.iterdir()) / 1e6
    facility = matrix["facility_id"][0]
    one = matrix.filter(pl.col("facility_id") == facility)
    del result
    assess(one, methodology, catalogue, prices)  # warm-up
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        assess(one, methodology, catalogue, prices)
        times.append(time.perf_counter() - start)
        # CPU time of all threads: less sensitive than wall time to a busy machine.
        cpu.append(time.process_time() - start_cpu)
    out["one_facility_rows"] = one.height
    out["one_facility_median_ms"] = statistics.median(times) * 1000
    out["one_facility_max_ms"] = max(times) * 1000
    out["one_facility_cpu_median_ms"] = statistics.median(cpu) * 1000
    return out


def main() -> None:
    parser = dataset_parser(__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs of the one-facility case")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="folder for the Parquet dataset (default: a temp folder)",
    )
    parser.add_argument(
        "--write", type=Path, default=None, help="also time writing every output into this folder"
    )
    parser.add_argument(
        "--tile", type=int, default=1, help="assess the matrix repeated K times (see above)"
    )
    args = parser.parse_args()

    if args.measure is not None:
        print(json.dumps(_measure(args.measure, args.repeat, args.write, args.tile)))
        return

    folder = args.workdir or Path(tempfile.gettempdir()) / f"fj-bench-assess-{args.facility_years}"
    info = prepared_dataset(folder, args.facility_years, args.years, args.seed)
    print(f"input rows: {sum(info['rows'].values()):,}")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    command = [
        sys.executable,
        __file__,
        "--measure",
        str(folder),
        "--repeat",
        str(args.repeat),
        "--tile",
        str(args.tile),
    ]
    if args.write is not None:
        command += ["--write", str(args.write)]
    child = subprocess.run(command, capture_output=True, text=True, check=True)
    r = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"polars {r['polars']}")
    print(f"read_dataset:  {r['read_s']:7.2f} s  ({r['read_cpu_s']:.1f} s CPU in all threads; "
          f"peak RSS so far {r['rss_after_read_mb']:,.0f} MB)")
    print(f"build_matrix:  {r['matrix_s']:7.2f} s  ({r['matrix_rows']:,} facility-years; "
          f"{r['matrix_cpu_s']:.1f} s CPU)")
    tiled = f" = matrix × {args.tile}" if args.tile > 1 else ""
    print(
        f"assess:        {r['assess_s']:7.2f} s  ({r['assessed_rows']:,} facility-years{tiled}; "
        f"{r['assess_cpu_s']:.1f} s CPU in all threads)"
    )
    print("  output rows: " + ", ".join(f"{k} {v:,}" for k, v in r["rows"].items()))
    if "end_to_end_s" in r:
        print(f"end to end:    {r['end_to_end_s']:7.2f} s  (read + matrix + assess)")
    print(f"peak RSS:      {r['peak_rss_mb']:,.0f} MB")
    if "write_s" in r:
        print(
            f"write outputs: {r['write_s']:7.2f} s  ({r['written_mb']:,.0f} MB of Parquet, "
            "CSV and JSON)"
        )
    print(
        f"one facility:  {r['one_facility_median_ms']:.1f} ms median, "
        f"{r['one_facility_max_ms']:.1f} ms max, {r['one_facility_cpu_median_ms']:.1f} ms CPU "
        f"median ({r['one_facility_rows']} facility-years, {args.repeat} runs)"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
