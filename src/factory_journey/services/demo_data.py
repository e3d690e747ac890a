"""Use case `demo-data`: generate a synthetic dataset and write it, all or nothing.

Generation is `factory_journey.demo` (pure numpy/polars); this module only writes files:
- `csv`: one `<table>.csv` per table (UTF-8, header row, ISO dates);
- `parquet`: one `<table>.parquet` per table;
- `xlsx`: one workbook `dataset.xlsx`, a sheet per table (≤ 1,048,575 rows a sheet);
- `json`: one document `dataset.json`, `{"<table>": [records...]}`.
The folder is written beside the target and renamed into place at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

from factory_journey.demo import (
    TABLE_ORDER,
    InjectedError,
    generate_dataset,
    inject_errors,
    iter_dataset,
)
from factory_journey.services.options import DEMO_FORMATS
from factory_journey.services.output_dir import OutputExistsError, atomic_output_dir
from factory_journey.services.spreadsheet_safety import open_workbook, write_csv, write_sheet

Format = Literal["csv", "parquet", "xlsx", "json"]
FORMATS = DEMO_FORMATS  # named in `journey --help`, hence kept in services.options
EXCEL_MAX_ROWS = 1_048_575  # a sheet holds 1,048,576 rows, one of them the header

__all__ = [
    "FORMATS",
    "DemoDataResult",
    "OutputExistsError",
    "make_demo_data",
    "write_dataset",
]


@dataclass(slots=True)
class DemoDataResult:
    """What was written: the folder, its files, rows per table and any planted errors."""

    out_dir: Path
    files: list[Path]
    rows: dict[str, int]
    injected: list[InjectedError] = field(default_factory=list)


def _write_tables(tables: dict[str, pl.DataFrame], folder: Path, fmt: str,
                  on_table: Callable[[str], None] | None) -> list[str]:
    names: list[str] = []
    ordered = [name for name in TABLE_ORDER if name in tables] + [
        name for name in tables if name not in TABLE_ORDER]
    if fmt in ("csv", "parquet"):
        for name in ordered:
            path = folder / f"{name}.{fmt}"
            if fmt == "csv":
                write_csv(tables[name], path, dataset=True)
            else:
                # No column statistics: they cost a third of the writing time on text
                # columns and a reader of a whole dataset gains nothing from them.
                tables[name].write_parquet(path, statistics=False)
            names.append(path.name)
            if on_table:
                on_table(name)
    elif fmt == "xlsx":
        too_big = [n for n in ordered if tables[n].height > EXCEL_MAX_ROWS]
        if too_big:
            raise ValueError(
                f"a spreadsheet sheet holds at most {EXCEL_MAX_ROWS:,} rows; table(s) "
                f"{', '.join(too_big)} are larger: use --format csv or parquet"
            )
        path = folder / "dataset.xlsx"
        with open_workbook(path) as workbook:
            for name in ordered:
                write_sheet(workbook, tables[name], name, keep_numbers=True, autofit=False,
                            table_style=None, dtype_formats={pl.Date: "yyyy-mm-dd"})
                if on_table:
                    on_table(name)
        names.append(path.name)
    elif fmt == "json":
        path = folder / "dataset.json"
        with path.open("w", encoding="utf-8") as handle:
            handle.write("{")
            for i, name in enumerate(ordered):
                frame = tables[name].with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
                handle.write(("," if i else "") + f'\n"{name}": ')
                handle.write(frame.write_json())
                if on_table:
                    on_table(name)
            handle.write("\n}\n")
        names.append(path.name)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return names


def write_dataset(
    tables: dict[str, pl.DataFrame],
    out_dir: Path | str,
    fmt: str = "csv",
    *,
    force: bool = False,
    on_table: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write `tables` into `out_dir` in format `fmt`, atomically; return the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    with atomic_output_dir(out, force=force) as staging:
        names = _write_tables(tables, staging, fmt, on_table)
    return [out / name for name in names]


def make_demo_data(
    facilities: int,
    years: range | list[int] | str,
    seed: int,
    out_dir: Path | str,
    fmt: str = "csv",
    *,
    errors: bool = False,
    monthly: bool | None = None,
    messiness: float = 1.0,
    force: bool = False,
    on_step: Callable[[str], None] | None = None,
) -> DemoDataResult:
    """Generate a dataset (see `factory_journey.demo.generate_dataset`) and write it.

    `errors=True` plants hard errors (`factory_journey.demo.inject_errors`) for testing the
    validation. `on_step(name)` is called after each table is generated (`gen:<table>`) and
    written (`write:<table>`), for a progress bar.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt in ("csv", "parquet") and not errors:
        # Stream: write each table as soon as it is made and let it go (peak memory = the
        # largest table, not the whole dataset).
        rows: dict[str, int] = {}
        names: list[str] = []
        out = Path(out_dir)
        with atomic_output_dir(out, force=force) as staging:
            for name, frame in iter_dataset(facilities, years, seed, monthly=monthly,
                                            messiness=messiness):
                if on_step:
                    on_step(f"gen:{name}")
                names += _write_tables({name: frame}, staging, fmt, None)
                rows[name] = frame.height
                del frame
                if on_step:
                    on_step(f"write:{name}")
        ordered = {name: rows[name] for name in TABLE_ORDER if name in rows}
        return DemoDataResult(out, [out / n for n in names], ordered, [])
    tables = generate_dataset(
        facilities, years, seed, monthly=monthly, messiness=messiness,
        progress=(lambda name: on_step(f"gen:{name}")) if on_step else None,
    )
    injected: list[InjectedError] = []
    if errors:
        tables, injected = inject_errors(tables, seed)
    files = write_dataset(
        tables, out_dir, fmt, force=force,
        on_table=(lambda name: on_step(f"write:{name}")) if on_step else None,
    )
    rows = {n: t.height for n, t in tables.items()}
    return DemoDataResult(Path(out_dir), files, rows, injected)


def pilot_readme(tables: dict[str, pl.DataFrame]) -> str:
    """The README of the bundled pilot dataset, with its cohort sizes and measured effects."""
    from factory_journey.demo import PILOT_FACILITIES, PILOT_SEED, PILOT_YEARS, cohorts
    from factory_journey.demo.summary import headline

    design = cohorts(PILOT_FACILITIES, PILOT_SEED)
    by_cohort = dict(design.group_by("cohort").len().iter_rows())
    by_country = dict(design.group_by("country_iso2").len().iter_rows())
    by_type = dict(design.group_by("factory_type").len().iter_rows())
    h = headline(tables)
    rows = "\n".join(f"| {name} | {tables[name].height:,} |" for name in TABLE_ORDER)
    labels = {"clp_stz": "Carbon Leadership Program + Supplier to Zero",
              "stz": "Supplier to Zero only", "clp": "Carbon Leadership Program only",
              "control": "Control group"}
    cohort_lines = "\n".join(f"| {labels[k]} | {by_cohort.get(k, 0)} |" for k in labels)
    countries = {"BD": "Bangladesh", "CN": "China", "VN": "Vietnam", "TR": "Turkey",
                 "KH": "Cambodia"}
    country_lines = "\n".join(f"| {v} | {by_country.get(k, 0)} |" for k, v in countries.items())
    type_lines = "\n".join(f"| {k} | {by_type.get(k, 0)} |"
                           for k in ("cut_sew", "mill", "vertical", "component"))
    return f"""# Pilot demo dataset (synthetic)

**Every number in these files is invented.** The dataset imitates the Factory Improvement
Journey data pilot described in the seed document (over 100 factories; baseline 2021,
programme participation 2022, progress 2023) so that the tools can be tried and tested. No
real factory, brand or person is described.

Made by `python tools/make_pilot_dataset.py` with
`factory_journey.demo.generate_dataset({PILOT_FACILITIES}, {list(PILOT_YEARS)}, seed={PILOT_SEED})`
(monthly rows, realistic messiness); regenerating gives byte-identical files (a test checks
it). The same data: `journey demo-data --facilities {PILOT_FACILITIES} --years \
{PILOT_YEARS[0]}-{PILOT_YEARS[-1]} --seed {PILOT_SEED} --out DIR`.
How the values are drawn and what they are anchored on: `factory_journey/demo/README.md`.

## Cohorts (seed: 18 / 33 / 33 / 30 of 114 factories)

| cohort | facilities |
|---|---|
{cohort_lines}

The seed counts 114 factories; the pilot here has 115 (the seed's country counts plus
Cambodia), and the extra facility falls in the largest remainder, Supplier to Zero only.

## Countries (seed: Bangladesh 37, China 40, Vietnam 14, Turkey 9, "and other countries")

| country | facilities |
|---|---|
{country_lines}

The seed names Cambodia among the pilot countries without a count: the 15 facilities beyond
the four counted countries are placed there.

## Factory types

| journey factory type | facilities |
|---|---|
{type_lines}

## Tables

| table | rows |
|---|---|
{rows}

## What the data show (measured by `factory_journey.demo.summary.headline`)

First year to last, per facility with both years computable:

- energy intensity improved at {h['energy_improved_share']:.0%} of facilities (seed: 61 %);
  median change CLP participants {h['clp_energy_change_median']:+.1%}, control group
  {h['control_energy_change_median']:+.1%};
- water intensity improved at {h['water_improved_share']:.0%} (seed: 77 %); CLP
  {h['clp_water_change_median']:+.1%}, control {h['control_water_change_median']:+.1%};
- chemical management improved (Gateway share up by ≥ 10 points) at
  {h['chemicals_improved_share']:.0%} of all facilities (seed: 20 %); median change of the
  share: Supplier to Zero participants {h['stz_gateway_change_median']:+.3f}, control
  {h['control_gateway_change_median']:+.3f}.

These shares are not written into the generator: they come out of its parameters (programme
effects, drift and noise, see `factory_journey/demo/params.py`) and vary with the seed.

## Deliberate imperfections (all valid input)

About 4–5 % of months missing (gaps of 1–4 months, clustered at some facilities), a few
tables missing for some facility-years, ZDHC discharge type left blank on domestic
wastewater rows of wet processors, a few
missing production volumes (warnings), units as reported (kWh, MWh, MMBtu, Nm3, m3, t, kg,
L, short ton, …), country written as code or name, about 25 % of rows verified, the rest
self-reported (mostly left blank) and about 1 % disputed.
"""


def build_pilot(out_dir: Path | str, *, force: bool = True) -> list[Path]:
    """Write the pilot dataset (CSV files and README.md) into `out_dir`, atomically."""
    from factory_journey.demo import PILOT_FACILITIES, PILOT_SEED, PILOT_YEARS

    tables = generate_dataset(PILOT_FACILITIES, list(PILOT_YEARS), PILOT_SEED)
    out = Path(out_dir)
    with atomic_output_dir(out, force=force) as staging:
        names = _write_tables(tables, staging, "csv", None)
        (staging / "README.md").write_text(pilot_readme(tables), encoding="utf-8")
    return [out / name for name in [*names, "README.md"]]
