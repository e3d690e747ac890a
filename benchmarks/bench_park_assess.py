"""Benchmark: `journey park assess` as a user runs it (a new process, files written) against a
bare Polars scan + group-by of the same input files, in turn, with their ratio (#16).

    python benchmarks/bench_park_assess.py --parks 1000 --members 50 --years 3 --runs 3

1. The dataset (made once, reused, not timed): `journey demo-data --annual --format parquet`
   for parks × members facilities over the years, then the park tables as Parquet: every park
   has `--members` members (facilities in order), a central effluent plant that meters the
   members' industrial wastewater (moved from the members' table: one owner per flow) and a
   central boiler that delivers the members' purchased steam, the plants' own energy,
   wastewater, sludge and ZDHC results, and an answer to every question of the packaged
   frameworks for each park-year.
2. One warm-up of each, then `--runs` pairs in turn: A = `journey park assess DATASET --out OUT
   --force`, B = `python -c FLOOR DATASET` (every Parquet file scanned once and grouped by its
   first key columns). Wall time around each new process; CPU and peak memory from `os.wait4`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
from bench_assess_cli import _journey, _run, _size_mb, same_allocator

FLOOR = """
import sys
from pathlib import Path
import polars as pl
import polars.selectors as cs
for path in sorted(Path(sys.argv[1]).glob("*.parquet")):
    frame = pl.scan_parquet(path)
    names = frame.collect_schema().names()
    keys = [k for k in ("park_id", "facility_id", "year") if k in names][:2]
    frame.group_by(keys).agg(pl.len(), cs.numeric().exclude(keys).sum()).collect()
"""


def _park_tables(folder: Path, parks: int, members: int, years: list[int]) -> None:
    """The park tables of the benchmark (see the module docstring), written as Parquet."""
    from factory_journey.services.park_demo import framework_questions

    profiles = pl.read_parquet(folder / "profiles.parquet", columns=["facility_id", "year"])
    ids = profiles["facility_id"].unique(maintain_order=True).head(parks * members)
    park_of = pl.DataFrame({"facility_id": ids,
                            "park_id": [f"PARK-{i // members:05d}" for i in range(len(ids))]})
    member_years = profiles.join(park_of, on="facility_id")
    park_ids = park_of["park_id"].unique(maintain_order=True)
    countries = ["ET", "KE", "VN", "BD", "KH"]
    pl.DataFrame({"park_id": park_ids, "park_name": park_ids,
                  "country": [countries[i % 5] for i in range(len(park_ids))]}
                 ).write_parquet(folder / "parks.parquet")
    member_years.select("park_id", "year", "facility_id").write_parquet(
        folder / "park_members.parquet")
    grid = pl.DataFrame({"park_id": park_ids}).join(pl.DataFrame({"year": years}), how="cross")
    cetp = grid.with_columns((pl.col("park_id") + "-CETP").alias("shared_facility_id"),
                             pl.lit("central_effluent_treatment").alias("type"),
                             pl.lit("metered").alias("serves"),
                             pl.lit(None, pl.String).alias("delivers_energy_source"))
    boiler = grid.with_columns((pl.col("park_id") + "-BOILER").alias("shared_facility_id"),
                               pl.lit("central_boiler").alias("type"),
                               pl.lit("allocated_by_volume").alias("serves"),
                               pl.lit("purchased_steam").alias("delivers_energy_source"))
    pl.concat([cetp, boiler]).write_parquet(folder / "shared_facilities.parquet")
    plant = cetp.select(pl.col("shared_facility_id").alias("facility_id"), "year")
    boilers = boiler.select(pl.col("shared_facility_id").alias("facility_id"), "year")
    pl.concat([
        plant.with_columns(pl.lit("purchased_electricity").alias("source"),
                           pl.lit(500_000.0).alias("quantity"), pl.lit("kWh").alias("unit")),
        boilers.with_columns(pl.lit("coal").alias("source"), pl.lit(900.0).alias("quantity"),
                             pl.lit("t").alias("unit")),
    ]).write_parquet(folder / "shared_energy.parquet")
    wastewater = pl.read_parquet(folder / "wastewater.parquet")
    industrial = ((pl.col("wastewater_type") == "industrial")
                  & pl.col("facility_id").is_in(ids.implode()))
    metered = wastewater.filter(industrial).join(park_of, on="facility_id").with_columns(
        pl.col("facility_id").alias("member_facility_id"),
        (pl.col("park_id") + "-CETP").alias("facility_id")).drop("park_id")
    own = plant.with_columns(pl.lit("domestic").alias("wastewater_type"),
                             pl.lit(400.0).alias("quantity"), pl.lit("m3").alias("unit"))
    pl.concat([own, metered], how="diagonal_relaxed").write_parquet(
        folder / "shared_wastewater.parquet")
    wastewater.filter(~industrial).write_parquet(folder / "wastewater.parquet")
    pl.concat([plant.with_columns(
        pl.format("{}-06-15", "year").alias("sample_date"), pl.lit(p).alias("parameter"),
        pl.lit(v).alias("value"), pl.lit("mg/L").alias("unit"),
        pl.lit("direct").alias("discharge_type"), pl.lit("discharged").alias("sampling_point"),
    ) for p, v in (("cod", 120.0), ("bod5", 20.0), ("tss", 40.0))]).write_parquet(
        folder / "shared_zdhc_wastewater.parquet")
    questions = [q for q, _, _, countries in framework_questions() if not countries]
    answers = grid.join(pl.DataFrame({"question_id": questions}), how="cross").with_row_index()
    answers.with_columns(
        pl.col("index").mod(3).replace_strict({0: "yes", 1: "partly", 2: "no"},
                                              return_dtype=pl.String).alias("answer"),
        pl.format("evidence-{}.pdf", "index").alias("evidence"),
    ).drop("index").write_parquet(folder / "park_questionnaire.parquet")


def _dataset(parks: int, members: int, years: int) -> Path:
    folder = Path(tempfile.gettempdir()) / f"fj-parks-{parks}x{members}x{years}"
    if (folder / "park_questionnaire.parquet").exists():
        return folder
    span = f"2021-{2020 + years}"
    subprocess.run([*_journey(), "demo-data", "--facilities", str(parks * members), "--years",
                    span, "--format", "parquet", "--annual", "--out", str(folder), "--force"],
                   check=True, stdout=subprocess.DEVNULL)
    _park_tables(folder, parks, members, list(range(2021, 2021 + years)))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3, help="counted pairs after one warm-up")
    args = parser.parse_args()

    dataset = _dataset(args.parks, args.members, args.years)
    out = Path(tempfile.mkdtemp(prefix="fj-park-assess-")) / "out"
    assess = [*_journey(), "park", "assess", str(dataset), "--out", str(out), "--force"]
    floor = [sys.executable, "-c", FLOOR, str(dataset)]
    rows = {p.stem: pl.scan_parquet(p).select(pl.len()).collect().item()
            for p in sorted(dataset.glob("*.parquet"))}
    print(f"dataset: {dataset}; {sum(rows.values()):,} input rows: "
          + ", ".join(f"{k} {v:,}" for k, v in rows.items()))
    print("A = journey park assess DATASET --out OUT --force; B = bare Polars scan + group-by")
    print(f"allocator options of every run (journey and bare scan): {same_allocator()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")
    figures: dict[str, list[float]] = {}
    for run in range(args.runs + 1):
        a, b = _run(assess), _run(floor)
        if run == 0:
            continue
        for name, value in a.items():
            figures.setdefault(f"A {name}", []).append(value)
        for name, value in b.items():
            figures.setdefault(f"B {name}", []).append(value)
        figures.setdefault("A/B wall", []).append(a["wall_s"] / b["wall_s"])
    print(f"{'figure':<12} {'min':>10} {'median':>10} {'max':>10}   ({args.runs} pairs)")
    for name, values in figures.items():
        print(f"{name:<12} {min(values):>10.2f} {statistics.median(values):>10.2f} "
              f"{max(values):>10.2f}")
    print(f"A wrote {_size_mb(out):,.1f} MB: {', '.join(sorted(p.name for p in out.iterdir()))}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
