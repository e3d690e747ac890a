"""Benchmark the programme evaluation engine on a Data Matrix of N facilities × 3 years.

    python benchmarks/bench_evaluate.py --facilities 100000

What is timed: `factory_journey.engine.evaluation.evaluate_programmes(matrix, 2021, 2023,
programmes=...)` on an in-memory matrix frame (contracts §3 columns used by the evaluation):
comparison of baseline and follow-up for every facility × 7 areas, one-year improvement cycles
(2021→2022, 2022→2023), participation groups from a programmes table, shares by group and
country, change per group and difference-in-differences with 1,000 bootstrap resamples per
group plus Welch intervals. Not timed: making the synthetic matrix (below), reading files and
building the matrix (see bench_read_dataset.py and bench_matrix.py). Prints the seconds of each
run, the best (wall and CPU), the machine's load and the peak RSS of the process.

The matrix is synthetic, made with numpy: pilot-like groups (CLP+STz 16 %, STz 29 %, CLP 29 %,
control 26 %), five countries, three factory types, ~3 % of facilities missing the follow-up
year, ~1 % changing factory type, ~8 % of facility-years with 10–11 months and ~5 % missing
indicators.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import numpy as np
import polars as pl

AREAS = ("energy", "water", "wastewater", "waste", "air", "chemicals")


def synthetic_matrix(facilities: int, seed: int = 1) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(matrix, programmes) for `facilities` facilities over 2021–2023."""
    rng = np.random.default_rng(seed)
    n = facilities
    ids = np.char.add("F", np.arange(n).astype(str))
    country = rng.choice(np.array(["BD", "CN", "VN", "TR", "KH"]), n, p=[.32, .35, .12, .08, .13])
    ftype = rng.choice(np.array(["cut_sew", "mill", "vertical"]), n)
    basis = np.where(ftype == "cut_sew", "pc", "kg")
    group = rng.choice(4, n, p=[.16, .29, .29, .26])
    effect = np.array([-0.06, -0.02, -0.05, 0.0])[group]
    frames = []
    energy0 = rng.lognormal(3.0, 0.6, n)
    water0 = rng.lognormal(4.0, 0.6, n)
    waste0 = rng.lognormal(0.0, 0.4, n)
    for step, year in enumerate((2021, 2022, 2023)):
        keep = np.ones(n, bool) if year < 2023 else rng.uniform(size=n) > 0.03
        types = ftype.copy()
        if year == 2023:
            types = np.where(rng.uniform(size=n) < 0.01, "vertical", ftype)
        months = np.where(rng.uniform(size=n) < 0.08, rng.integers(10, 12, n), 12)
        trend = 1 + step * effect + rng.normal(0, 0.06, n)

        def maybe(values: np.ndarray) -> np.ndarray:
            return np.where(rng.uniform(size=n) < 0.05, np.nan, values)

        columns = {
            "facility_id": ids, "year": np.full(n, year), "country_iso2": country,
            "journey_factory_type": types, "intensity_basis": basis,
            "energy_intensity_mj_per_unit": maybe(energy0 * trend),
            "water_intensity_l_per_unit": maybe(water0 * trend * 0.98),
            "wastewater_recycling_rate": maybe(np.clip(rng.uniform(0, .4, n) + .02 * step, 0, 1)),
            "chem_gateway_share": maybe(np.clip(rng.uniform(.3, .9, n) + .01 * step, 0, 1)),
            "waste_intensity_kg_per_unit": maybe(waste0 * trend),
            "air_sources_tracked_share": maybe(rng.uniform(0, 1, n)),
        }
        for area in ("energy", "water", "wastewater", "waste", "chemicals"):
            columns[f"{area}_months_reported"] = months
            columns[f"{area}_complete"] = months == 12
        for area in (*AREAS, "ems"):
            columns[f"{area}_verified_share"] = rng.uniform(0, 1, n)
        for area in AREAS:
            columns[f"{area}_has_baseline"] = rng.uniform(size=n) < 0.4 + 0.1 * step
            columns[f"{area}_has_target"] = rng.uniform(size=n) < 0.3 + 0.1 * step
        frame = pl.DataFrame(columns).filter(pl.Series(keep))
        frames.append(frame.with_columns(pl.col(pl.Float64).fill_nan(None)))
    clp = (group == 0) | (group == 2)
    stz = (group == 0) | (group == 1)
    programmes = pl.concat([
        pl.DataFrame({"facility_id": ids[clp], "programme": "clp", "start_date": "2022-03-01"}),
        pl.DataFrame({"facility_id": ids[stz], "programme": "stz", "start_date": "2022-02-01"}),
    ]).with_columns(pl.col("start_date").str.to_date(), pl.lit(None, pl.Date).alias("end_date"))
    return pl.concat(frames), programmes


def main(argv: list[str]) -> None:
    from factory_journey.engine.evaluation import evaluate_programmes, load_evaluation_rules

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    matrix, programmes = synthetic_matrix(args.facilities)
    load_evaluation_rules()  # reading the YAML once is not part of the engine's time
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times: list[float] = []
    cpu: list[float] = []
    peak = 0.0
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = evaluate_programmes(matrix, 2021, 2023, programmes=programmes)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if len(times) == 1:  # later runs add the allocator's retained pages, not new data
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    energy = result.shares_overall.filter(pl.col("area") == "energy").row(0, named=True)
    print(
        f"evaluate_programmes: {args.facilities:,} facilities × 3 years "
        f"({matrix.height:,} facility-years): runs {', '.join(f'{t:.2f}' for t in times)} s, "
        f"best {min(times):.2f} s (CPU {min(cpu):.2f} s, all threads); load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; peak RSS after the first run "
        f"{peak:,.0f} MB "
        f"(synthetic matrix made: {rss_before:,.0f} MB); facility-area rows "
        f"{result.changes.height:,}, cycle rows "
        f"{result.cycles.height:,}; energy improved {energy['share_improved']:.0%} "
        f"(n={energy['n_comparable']:,})"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
