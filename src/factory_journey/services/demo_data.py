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

from factory_journey.demo import TABLE_ORDER, InjectedError, generate_dataset, inject_errors
from factory_journey.services.output_dir import OutputExistsError, atomic_output_dir

Format = Literal["csv", "parquet", "xlsx", "json"]
FORMATS: tuple[str, ...] = ("csv", "parquet", "xlsx", "json")
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
                tables[name].write_csv(path)
            else:
                tables[name].write_parquet(path)
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
        import xlsxwriter

        path = folder / "dataset.xlsx"
        with xlsxwriter.Workbook(str(path)) as workbook:
            for name in ordered:
                tables[name].write_excel(workbook=workbook, worksheet=name, autofit=False,
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
    return DemoDataResult(Path(out_dir), files, {n: t.height for n, t in tables.items()},
                          injected)
