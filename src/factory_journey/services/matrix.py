"""Use case: build the Data Matrix of a dataset and write it to a folder, all or nothing.

read → validate → (problems: error report only) → `engine.matrix.build_matrix` → write
matrix, ZDHC levels, provenance and metadata. Parquet always; CSV, JSON and xlsx when asked for
or when the result is small (`output_formats`). Shared by `journey matrix` and the web.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from factory_journey import __version__
from factory_journey.domain.problems import Problem, Severity
from factory_journey.domain.timestamps import now_iso_utc
from factory_journey.ingest import ImportResult, read_dataset
from factory_journey.services.output_dir import atomic_output_dir
from factory_journey.services.output_formats import FormatError, parse_formats, plan_outputs
from factory_journey.services.report_files import write_table
from factory_journey.services.run_outcome import RunOutcome, input_problems, refused

#: `progress(stage, done, total)`; stages in order: read, validate, build, write.
Progress = Callable[[str, int, int], None]
STAGES: tuple[str, ...] = ("read", "validate", "build", "write")

#: The dataset name that means the pilot dataset bundled with the package.
PILOT = "pilot"

#: Areas whose `<area>_complete` matrix column is summarised.
COMPLETENESS_AREAS: tuple[str, ...] = ("energy", "water", "wastewater", "waste", "chemicals")



@dataclass(frozen=True, slots=True)
class MatrixSummary:
    """What a built matrix holds, in numbers for a person."""

    facility_years: int
    facilities: int
    years: list[int]
    complete_share: float | None
    complete_share_by_area: dict[str, float | None]
    warnings: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "facility_years": self.facility_years,
            "facilities": self.facilities,
            "years": self.years,
            "complete_share": self.complete_share,
            "complete_share_by_area": self.complete_share_by_area,
            "warnings": self.warnings,
        }


@dataclass(slots=True)
class MatrixRun(RunOutcome):
    """The outcome of `build_matrix_files`.

    Status: one of ok, input_problems, output_exists, not_found, bad_options.
    `formats`: what `OutputPlan.to_dict` says (formats asked, written, and why not the others).
    """

    summary: MatrixSummary | None = None
    formats: dict[str, Any] = field(default_factory=dict)

    def details(self) -> dict[str, Any]:
        return {"summary": self.summary.to_dict() if self.summary else None,
                "formats": self.formats}


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def build_matrix(tables: dict[str, pl.DataFrame]) -> Any:
    """`engine.matrix.build_matrix`, imported when first used so that every `journey`
    command starts without loading the engine. The tables are released from `tables` once
    aggregated (`release_tables`): this use case needs only their row counts afterwards."""
    from factory_journey.engine.matrix import build_matrix as engine_build_matrix

    return engine_build_matrix(tables, release_tables=True)


def resolve_dataset(dataset: str | Path) -> Path:
    """A path as given, or the bundled pilot dataset for the name `pilot`."""
    path = Path(dataset)
    if str(dataset) == PILOT and not path.exists():
        # Imported here: the demo package brings its generator, which a real dataset never needs.
        from factory_journey.demo import pilot_dataset_path

        return pilot_dataset_path()
    return path


def build_matrix_files(
    dataset_path: str | Path,
    out_dir: str | Path,
    progress: Progress | None = None,
    force: bool = False,
    formats: str | Iterable[str] | None = None,
) -> MatrixRun:
    """Build the matrix of a dataset and write it into `out_dir`, all or nothing.

    On input problems `out_dir` receives only errors.csv, errors.json and errors.txt and the
    run's status is `input_problems`. On success it holds matrix.parquet,
    zdhc_levels.parquet, provenance.parquet and metadata.json, and the matrix and ZDHC levels
    as .csv, .json (.jsonl) and .xlsx as `formats` asks ("auto" by default: when the matrix has
    at most `output_formats.SMALL_RESULT_MAX_FACILITY_YEARS` rows; see `plan_outputs`). A
    `formats` value that cannot be honoured gives status bad_options, nothing written. An existing,
    non-empty `out_dir` is replaced only with `force`; an unexpected failure leaves it as it
    was and leaves no partial files.
    """
    report = progress or _no_progress
    out = Path(out_dir)
    dataset = resolve_dataset(dataset_path)
    if (early := refused(MatrixRun, dataset, out, force)) is not None:
        return early
    try:
        asked = parse_formats(formats)
    except FormatError as error:
        return MatrixRun("bad_options", dataset, out, message=str(error))

    # lazy: the large tables stay plans over their files; the matrix reads what it needs
    imported = read_dataset(dataset, progress=report, lazy=True)
    problems = list(imported.problems)
    if not imported.ok:
        report("write", 0, 1)
        stopped = input_problems(MatrixRun, dataset, out, problems, force)
        report("write", 1, 1)
        return stopped

    report("build", 0, 1)
    input_rows = imported.row_counts()  # before the build releases the tables
    tables = imported.frames()
    # The build empties `tables` once every area is aggregated; the import must not hold
    # them either, or their memory stays taken (only its files list is read afterwards).
    imported.tables.clear()
    imported.scans.clear()
    result = build_matrix(tables)
    report("build", 1, 1)

    outputs = (
        ("matrix", result.matrix, False),
        ("zdhc_levels", result.zdhc_levels, False),
        ("provenance", result.provenance, True),
    )
    try:
        plan = plan_outputs(asked, result.matrix.height,
                            {name: frame.height for name, frame, only in outputs if not only})
    except FormatError as error:
        return MatrixRun("bad_options", dataset, out, problems, message=str(error))
    steps = len(outputs) + 1
    report("write", 0, steps)
    with atomic_output_dir(out, force) as staging:
        written: list[str] = []
        for done, (name, frame, parquet_only) in enumerate(outputs, start=1):
            written += write_table(frame, staging, name, parquet_only=parquet_only, plan=plan)
            report("write", done, steps)
        summary = summarise(result.matrix, problems)
        metadata = _metadata(dataset, imported, input_rows, result, summary, problems)
        metadata["outputs"] = {**plan.to_dict(), "files": [*written, "metadata.json"]}
        (staging / "metadata.json").write_text(
            json.dumps(metadata, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
        )
        written.append("metadata.json")
        report("write", steps, steps)
    return MatrixRun(
        "ok",
        dataset,
        out,
        problems,
        written,
        summary=summary,
        formats=plan.to_dict(),
        message=f"Matrix of {summary.facility_years} facility-years written to {out}",
    )


def summarise(matrix: pl.DataFrame, problems: list[Problem]) -> MatrixSummary:
    """Facility-years, facilities, years and the share of complete data.

    An area counts for a facility-year when it has data (months reported, or an annual value):
    `complete_share_by_area` is the share of those facility-years whose area is complete
    (twelve months or an annual value), and `complete_share` the share of facility-years
    whose areas with data are all complete.
    """
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    if matrix.is_empty():
        return MatrixSummary(0, 0, [], None, {}, warnings)
    # One pass over the matrix (a million rows at most a few tenths of a second), not one
    # filtered copy per area.
    shares: list[pl.Expr] = []
    complete_where_reported: list[pl.Expr] = []
    for area in COMPLETENESS_AREAS:
        complete, months = f"{area}_complete", f"{area}_months_reported"
        if complete not in matrix.columns:
            continue
        # an annual value is complete with no month reported
        has_data = pl.col(complete).fill_null(False)
        if months in matrix.columns:
            has_data = has_data | (pl.col(months).fill_null(0) > 0)
        shares.append(pl.col(complete).filter(has_data).cast(pl.Float64).mean().alias(area))
        complete_where_reported.append(~has_data | pl.col(complete).fill_null(False))
    overall = (
        [pl.all_horizontal(complete_where_reported).mean().alias("_complete_share")]
        if complete_where_reported
        else []
    )
    row = matrix.select(
        *shares,
        *overall,
        pl.col("facility_id").n_unique().alias("_facilities"),
        pl.col("year").unique().drop_nulls().sort().implode().alias("_years"),
    ).row(0, named=True)
    by_area: dict[str, float | None] = {
        area: None if row[area] is None else float(row[area])
        for area in COMPLETENESS_AREAS
        if area in row
    }
    complete_share = float(row["_complete_share"]) if complete_where_reported else None
    return MatrixSummary(
        facility_years=matrix.height,
        facilities=int(row["_facilities"]),
        years=[int(y) for y in row["_years"]],
        complete_share=complete_share,
        complete_share_by_area=by_area,
        warnings=warnings,
    )


def _metadata(
    dataset: Path,
    imported: ImportResult,
    input_rows: dict[str, int],
    result: Any,
    summary: MatrixSummary,
    problems: list[Problem],
) -> dict[str, Any]:
    from factory_journey.reference import versions as reference_versions

    return {
        "created_utc": now_iso_utc(),
        "package": {"name": "factory-journey", "version": __version__},
        "dataset": {"name": dataset.name, "path": str(dataset.resolve())},
        "input_files": [f.to_dict() for f in imported.files],
        "input_rows": input_rows,
        "output_rows": {
            "matrix": result.matrix.height,
            "zdhc_levels": result.zdhc_levels.height,
            "provenance": result.provenance.height,
        },
        "provenance_included": bool(getattr(result, "provenance_included", True)),
        "summary": summary.to_dict(),
        "engine_versions": dict(result.versions),
        "reference_versions": reference_versions(),
        "warnings": [p.describe() for p in problems if p.severity is Severity.WARNING][:100],
    }
