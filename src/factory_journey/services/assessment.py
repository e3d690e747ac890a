"""Use case: assess a dataset and write matrix, opportunities and pathways, all or nothing.

read → validate → `engine.matrix.build_matrix` → `engine.assessment.assess` → write every
frame as Parquet (always) and as CSV and JSON when asked for or when the result is small
(`output_formats`, docs/decisions/0019-outputs-that-fit-the-size.md), assessment.xlsx likewise,
plus metadata.json with the methodology and reference-data versions and which formats were
written and why not the others. No timestamp is written: the same input, methodology and
formats give identical bytes. `assess_files` writes each frame as soon as the assessment has
made it, on a second thread, and lets it go (`_assess_and_write`): at a million
facility-years the frames are never all in memory; only a result that gets assessment.xlsx
is held whole first (`write_outputs`). From `chunked_assessment.CHUNK_MIN_FACILITY_YEARS`
facility-years (Parquet only) the matrix is assessed in chunks of whole facilities against the
peer table of the whole matrix, each output still one file (decision 0039).
Shared by `journey assess`, `journey explain` and the web.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl

from factory_journey import __version__
from factory_journey.domain.problems import Problem, Severity
from factory_journey.engine.assessment import (
    AssessmentResult,
    Methodology,
    MethodologyError,
    assess,
)
from factory_journey.engine.assessment.prices import PriceTableError
from factory_journey.engine.matrix import MatrixResult, build_matrix
from factory_journey.ingest import read_dataset
from factory_journey.services import chunked_assessment
from factory_journey.services.assessment_inputs import (
    AssessmentInputError,
    load_methodology_file,
    load_peer_snapshot_file,
    load_prices_file,
    peer_snapshot_version,
)
from factory_journey.services.assessment_summary import (
    summarise,
    summary_from,
    summary_of,
    summary_part,
)
from factory_journey.services.assessment_workbook import SHEETS, write_assessment_workbook
from factory_journey.services.matrix import resolve_dataset
from factory_journey.services.output_dir import atomic_output_dir
from factory_journey.services.output_formats import (
    SMALL_RESULT_MAX_FACILITY_YEARS,
    FormatError,
    OutputPlan,
    parse_formats,
    plan_outputs,
)
from factory_journey.services.report_files import (
    write_parquet,
    write_text_formats,
)
from factory_journey.services.run_outcome import RunOutcome, input_problems, refused
from factory_journey.services.write_behind import WriteBehind

__all__ = [
    "STAGES",
    "Assessed",
    "AssessmentInputError",
    "AssessmentRun",
    "FormatError",
    "MethodologyError",
    "PriceTableError",
    "assess_dataset",
    "assess_files",
    "load_methodology_file",
    "load_peer_snapshot_file",
    "load_prices_file",
    "peer_snapshot_version",
    "write_outputs",
]

#: `progress(stage, done, total)`; stages in order.
Progress = Callable[[str, int, int], None]
STAGES: tuple[str, ...] = ("read", "matrix", "assess", "write")
#: Frames written, in order; each as .parquet, and as .csv and .json (.jsonl) when planned.
OUTPUTS: tuple[str, ...] = (
    "matrix",
    "opportunities",
    "pathways",
    "measures",
    "trajectory",
    "indicators",
)


#: Up to this many facility-years the results are also one Excel workbook (assessment.xlsx)
#: by default: the threshold of every human format (`output_formats`), so that the workbook,
#: the CSV and the JSON files come and go together; `--format xlsx` writes it at any size
#: that fits Excel's sheets.
WORKBOOK_MAX_FACILITY_YEARS = SMALL_RESULT_MAX_FACILITY_YEARS

@dataclass(frozen=True, slots=True)
class Assessed:
    """A dataset read, turned into a matrix and assessed, in memory."""

    dataset: Path
    matrix: pl.DataFrame
    result: AssessmentResult
    problems: list[Problem]


@dataclass(slots=True)
class AssessmentRun(RunOutcome):
    """The outcome of `assess_files`.

    Status: one of ok, input_problems, output_exists, not_found, bad_options.
    `formats`: what `OutputPlan.to_dict` says (formats asked, written, and why not the others).
    """

    summary: dict[str, Any] = field(default_factory=dict)
    formats: dict[str, Any] = field(default_factory=dict)

    def details(self) -> dict[str, Any]:
        return {"summary": self.summary, "formats": self.formats}


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def assess_dataset(
    dataset: str | Path,
    methodology: Methodology | None = None,
    prices: pl.DataFrame | None = None,
    progress: Progress | None = None,
    peers: pl.DataFrame | None = None,
    peers_version: str | None = None,
) -> Assessed:
    """Read, build the matrix of and assess `dataset` (`pilot` = the bundled pilot data).

    peers: a peer table (e.g. a platform's peer snapshot, `load_peer_snapshot_file`) to judge
    the peer indicators against; default: the peer groups of the dataset itself.
    peers_version: recorded as the result's `peer_snapshot` version (`peer_snapshot_version`).

    Raises `AssessmentInputError` when the dataset is missing or has blocking problems.
    """
    report = progress or _no_progress
    path, built, problems = _matrix_of(dataset, report)
    return _assess_held(path, built, problems, report, methodology, prices, peers, peers_version)


def _assess_held(path: Path, built: MatrixResult, problems: list[Problem], report: Progress,
                 methodology: Methodology | None, prices: pl.DataFrame | None,
                 peers: pl.DataFrame | None, peers_version: str | None) -> Assessed:
    """Every frame of the assessment of `built`, held together in memory."""
    report("assess", 0, 1)
    result = assess(
        built.matrix, methodology, prices=prices, matrix_versions=built.versions, peers=peers
    )
    if peers_version is not None:
        result = replace(result, versions={**result.versions, "peer_snapshot": peers_version})
    report("assess", 1, 1)
    return Assessed(path, built.matrix, result, problems)


def _matrix_of(
    dataset: str | Path, report: Progress
) -> tuple[Path, MatrixResult, list[Problem]]:
    """Read `dataset` and build its matrix: (path, matrix and versions, problems); raises
    `AssessmentInputError` when it is missing or has blocking problems."""
    path = resolve_dataset(dataset)
    if not path.exists():
        raise AssessmentInputError(f"The dataset {path} was not found.")
    report("read", 0, 1)
    # lazy: the large tables stay plans over their files; the matrix reads what it needs
    imported = read_dataset(path, lazy=True)
    report("read", 1, 1)
    problems = list(imported.problems)
    if not imported.ok:
        raise AssessmentInputError(
            f"{sum(p.severity is Severity.ERROR for p in problems)} problem(s) in the dataset "
            f"{path.name}; nothing was assessed.",
            problems,
        )
    report("matrix", 0, 1)
    tables = imported.frames()
    del imported  # the tables are not needed after the matrix: at a million facility-years
    # they are GBs that `assess` would otherwise sit on: released once aggregated
    built = build_matrix(tables, release_tables=True)
    del tables
    report("matrix", 1, 1)
    return path, built, problems


def write_frame(frame: pl.DataFrame, folder: Path, name: str, plan: OutputPlan) -> list[str]:
    """`name`.parquet, and the .csv and .json (or .jsonl) that `plan` asks for; Enum and
    Categorical become text in CSV/JSON (`flat_for_text`); CSV text cells are neutralised
    against formulas (`sink_csv`). CSV and JSON Lines are streamed, not materialised."""
    write_parquet(frame, folder / f"{name}.parquet")
    return [f"{name}.parquet", *write_text_formats(frame, folder, name, plan, xlsx=False)]


def metadata(
    assessed: Assessed, summary: dict[str, Any], plan: OutputPlan, files: list[str],
    rows: dict[str, int] | None = None,
) -> dict[str, Any]:
    """What made the outputs: package, dataset, methodology and reference-data versions; which
    files were written and why other formats were not. `rows`: rows of each output frame
    (default: those of `assessed`'s frames)."""
    from factory_journey.reference import versions as reference_versions

    return {
        "package": {"name": "factory-journey", "version": __version__},
        "dataset": assessed.dataset.name,
        "versions": dict(sorted(assessed.result.versions.items())),
        "reference_versions": reference_versions(),
        "summary": summary,
        "outputs": {**plan.to_dict(), "files": [*files, "metadata.json"],
                    "rows": rows if rows is not None else
                    {name: frame.height for name, frame in _frames(assessed).items()}},
        "warnings": [p.describe() for p in assessed.problems if p.severity is Severity.WARNING][
            :100
        ],
    }


def assess_files(
    dataset: str | Path,
    out_dir: str | Path,
    methodology: Methodology | None = None,
    prices: pl.DataFrame | None = None,
    progress: Progress | None = None,
    force: bool = False,
    formats: str | Iterable[str] | None = None,
    peers: pl.DataFrame | None = None,
    peers_version: str | None = None,
) -> AssessmentRun:
    """Assess `dataset` and write every output frame and metadata.json into `out_dir`.

    `formats`: "auto" (default), or formats from `output_formats.FORMATS` (see
    `plan_outputs`); a value that is not a format is refused (status bad_options) before any
    work. On input problems `out_dir` receives only the error report (errors.txt, .csv, .json). An
    existing, non-empty `out_dir` is replaced only with `force`; a failure leaves it as it was.
    """
    report = progress or _no_progress
    out = Path(out_dir)
    path = resolve_dataset(dataset)
    if (early := refused(AssessmentRun, path, out, force)) is not None:
        return early
    try:
        asked = parse_formats(formats)
    except FormatError as error:
        return AssessmentRun("bad_options", path, out, message=str(error))
    try:
        path, built, problems = _matrix_of(path, report)
    except AssessmentInputError as error:
        return input_problems(
            AssessmentRun, path, out, error.problems, force,
            message=f"{error} The error report is in {out}.",
        )
    plan = plan_outputs(asked, built.matrix.height)
    if not plan.xlsx:
        return _assess_and_write(path, built, problems, out, force, report, plan,
                                 methodology, prices, peers, peers_version)
    # assessment.xlsx holds every frame: made once they all are (small results only)
    held = _assess_held(path, built, problems, report, methodology, prices, peers, peers_version)
    return write_outputs(held, out, force, report, asked)


#: Frames kept alive only to be written, at most (`WriteBehind`): two being written, one
#: waiting while the next is computed.
_PENDING_WRITES = 3
#: Threads writing frames: two, so that one frame's pieces (one core each) and a small frame's
#: write run beside each other and the next chunk's computing (measured at a million
#: facility-years: the assess stage used ~1.6 of 2 cores with one thread; see
#: docs/performance.md). Each file's pieces are still written in order (`WriteBehind` keys).
WRITE_THREADS = 2


def _assess_and_write(
    path: Path,
    built: MatrixResult,
    problems: list[Problem],
    out: Path,
    force: bool,
    report: Progress,
    plan: OutputPlan,
    methodology: Methodology | None,
    prices: pl.DataFrame | None,
    peers: pl.DataFrame | None,
    peers_version: str | None,
) -> AssessmentRun:
    """Assess and write each output frame as soon as it is computed, on a second thread
    (`WriteBehind`), then let it go: the frames are never all in memory at once, and writing
    overlaps computing. Same files, same bytes as `write_outputs` (which the workbook needs:
    it holds every frame). The summary and metadata.json take counts and sums of each frame
    before it goes."""
    pieces: dict[str, Any] = {}
    rows: dict[str, int] = {}
    files: dict[str, list[str]] = {}
    # Parquet only (a large result): in chunks of whole facilities (chunked_assessment.py)
    chunked = (built.matrix.height >= chunked_assessment.CHUNK_MIN_FACILITY_YEARS
               and not (plan.csv or plan.json or plan.xlsx))
    with (atomic_output_dir(out, force) as staging,
          WriteBehind[None](_PENDING_WRITES, WRITE_THREADS) as writer):

        def write(name: str, frame: pl.DataFrame) -> None:
            rows[name] = frame.height

            def job() -> None:
                files[name] = write_frame(frame, staging, name, plan)
                pieces.update(summary_of(name, frame))

            writer.submit(job, key=name)

        write("matrix", built.matrix)  # while the assessment is computed
        report("assess", 0, 1)
        if chunked:
            parts: dict[str, list[Any]] = {name: [] for name in OUTPUTS}

            def each(name: str, frame: pl.DataFrame) -> None:
                parts[name].append(summary_part(name, frame))

            result, rows_of = chunked_assessment.assess_in_chunks(
                built.matrix, staging, writer, each, methodology, prices, built.versions, peers,
                lambda done, total: report("assess", done, total + 1),
            )
            rows.update(rows_of)
            for name in OUTPUTS[1:]:
                pieces.update(summary_of(name, pl.DataFrame(), parts[name]))
                files[name] = [f"{name}.parquet"]
        else:
            result = assess(built.matrix, methodology, prices=prices,
                            matrix_versions=built.versions, peers=peers, emit=write)
        if peers_version is not None:
            result = replace(result, versions={**result.versions, "peer_snapshot": peers_version})
        report("assess", 1, 1)
        # every job of the write-behind thread (a chunked assessment's pieces too), then
        # metadata.json: progress never goes past its total
        total = writer.submitted + 1
        report("write", 0, total)
        writer.results(lambda done: report("write", done + 1, total))
        written = [name for output in OUTPUTS for name in files[output]]
        assessed = Assessed(path, built.matrix, result, problems)
        summary = summary_from(pieces, result)
        document = metadata(assessed, summary, plan, written,
                            {output: rows[output] for output in OUTPUTS})
        (staging / "metadata.json").write_text(
            json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n",
            encoding="utf-8",
        )
        written.append("metadata.json")
        report("write", total, total)
    return AssessmentRun(
        "ok", path, out, problems, written, summary=summary, formats=plan.to_dict(),
        message=f"Assessment of {summary['facility_years']} facility-years written to {out}",
    )


def _frames(assessed: Assessed) -> dict[str, pl.DataFrame]:
    return {
        "matrix": assessed.matrix,
        "opportunities": assessed.result.opportunities,
        "pathways": assessed.result.pathways,
        "measures": assessed.result.measures,
        "trajectory": assessed.result.trajectory,
        "indicators": assessed.result.indicators,
    }


def plan_assessment_outputs(assessed: Assessed, formats: str | Iterable[str] | None = None
                            ) -> OutputPlan:
    """The formats to write for `assessed` (`output_formats.plan_outputs`); the workbook is
    written by the same rule as the other human formats, with its own threshold
    (`WORKBOOK_MAX_FACILITY_YEARS`) when it is not asked for. Raises `FormatError`."""
    frames = _frames(assessed)
    sheets = {sheet: frames[name].height for sheet, name, _ in SHEETS}
    height = assessed.matrix.height
    plan = plan_outputs(parse_formats(formats), height, sheets)
    if "xlsx" in plan.asked or not plan.xlsx or height <= WORKBOOK_MAX_FACILITY_YEARS:
        return plan
    skipped = {**plan.not_written, "xlsx": f"{height:,} facility-years, more than the "
               f"{WORKBOOK_MAX_FACILITY_YEARS:,} of assessment.xlsx"}
    return OutputPlan(plan.asked, height, plan.csv, plan.json, False, skipped, plan.notes)


def write_outputs(
    assessed: Assessed,
    out_dir: str | Path,
    force: bool = False,
    progress: Progress | None = None,
    formats: str | Iterable[str] | None = None,
) -> AssessmentRun:
    """Write the frames of `assessed` and metadata.json into `out_dir`, all or nothing, in the
    formats `plan_assessment_outputs` chooses; bad_options (nothing written) when it refuses."""
    report = progress or _no_progress
    out = Path(out_dir)
    try:
        plan = plan_assessment_outputs(assessed, formats)
    except FormatError as error:
        return AssessmentRun("bad_options", assessed.dataset, out, assessed.problems,
                             message=str(error))
    summary = summarise(assessed.matrix, assessed.result)
    frames = _frames(assessed)
    report("write", 0, len(OUTPUTS) + 1)
    with atomic_output_dir(out, force) as staging:
        written: list[str] = []
        for done, name in enumerate(OUTPUTS, start=1):
            written += write_frame(frames[name], staging, name, plan)
            report("write", done, len(OUTPUTS) + 1)
        if plan.xlsx:
            write_assessment_workbook(
                assessed.dataset.name, assessed.matrix.height, assessed.result.versions, frames,
                staging / "assessment.xlsx",
            )
            written.append("assessment.xlsx")
        (staging / "metadata.json").write_text(
            json.dumps(metadata(assessed, summary, plan, written), indent=2,
                       ensure_ascii=False, default=str)
            + "\n",
            encoding="utf-8",
        )
        written.append("metadata.json")
        report("write", len(OUTPUTS) + 1, len(OUTPUTS) + 1)
    return AssessmentRun(
        "ok",
        assessed.dataset,
        out,
        assessed.problems,
        written,
        summary=summary,
        formats=plan.to_dict(),
        message=f"Assessment of {summary['facility_years']} facility-years written to {out}",
    )
