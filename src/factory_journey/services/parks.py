"""Use case: assess the industrial parks of a dataset and write the park outputs, all or nothing.

read (the same `read_dataset` as every command) → park tables checked (`ingest.park_reader`) →
framework files → `engine.parks.assess_parks` → write each frame of docs/park-data-format.md
as Parquet (always) and CSV / JSON as `output_formats` plans them, park_assessment.xlsx for a
small result, plus metadata.json with the framework files (id, version, sha256), the park
measures of the collective plan (version, sha256) and the methodology, reference-data and
engine versions. Shared by `journey park assess`,
`journey run` and the park pages.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factory_journey import __version__
from factory_journey.domain.problems import Problem, Severity
from factory_journey.services.languages import NO_SUCH_LANGUAGE
from factory_journey.services.matrix import PILOT
from factory_journey.services.output_dir import atomic_output_dir
from factory_journey.services.output_formats import FormatError, parse_formats, plan_outputs
from factory_journey.services.report_files import (
    write_parquet,
    write_text_formats,
    write_workbook,
)
from factory_journey.services.run_outcome import RunOutcome, input_problems, refused

Progress = Callable[[str, int, int], None]
STAGES: tuple[str, ...] = ("read", "parks", "assess", "write")
OUTPUTS: tuple[str, ...] = (
    "parks", "park_indicators", "park_members", "park_opportunities", "park_shared_facilities",
    "requirement_results", "pillar_scores", "plan_measures", "plan_members",
)
#: Parquet files written at once: the machine's cores, or two, at most four.
WRITE_THREADS = max(2, min(4, os.cpu_count() or 2))


class ParkInputError(ValueError):
    """The park dataset or a framework file cannot be used; `problems` say where."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class ParksAssessed:
    """A park dataset read and assessed, in memory."""

    dataset: Path
    result: Any  # engine.parks.assess.ParkResult
    frameworks: Any  # engine.parks.framework_files.FrameworkSet
    problems: list[Problem]
    input_files: list[dict[str, Any]]
    #: the parks table as read (park_id, park_name, country_iso2, operator, latitude, …)
    parks: Any = None
    #: metadata.json's park_measures and reference_versions, read while the dataset was
    about: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ParkRun(RunOutcome):
    """The outcome of `park_assess_files` (status as `AssessmentRun`'s)."""

    summary: dict[str, Any] = field(default_factory=dict)
    formats: dict[str, Any] = field(default_factory=dict)

    def details(self) -> dict[str, Any]:
        return {"summary": self.summary, "formats": self.formats}


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def resolve_park_dataset(dataset: str | Path) -> Path:
    """A path as given, or the bundled park pilot for the name `pilot`."""
    path = Path(dataset)
    if str(dataset) == PILOT and not path.exists():
        from factory_journey.demo.parks import park_pilot_dataset_path

        return park_pilot_dataset_path()
    return path


def has_park_tables(path: Path) -> bool:
    """Whether a dataset folder holds a parks table (parks.csv or parks.parquet); workbooks
    and JSON are not opened for this (`journey park assess` reads any format)."""
    return path.is_dir() and any((path / f"parks.{kind}").is_file()
                                 for kind in ("csv", "parquet"))


def load_frameworks(paths: Iterable[str | Path] | None = None) -> Any:
    """The framework set of `paths` (one base, any overlays), or the packaged files.

    Raises `ParkInputError` naming each fault."""
    from factory_journey.engine.parks.framework_files import (
        framework_set,
        packaged_framework_paths,
    )
    from factory_journey.engine.parks.framework_schema import FrameworkError

    chosen = [Path(p) for p in paths] if paths else packaged_framework_paths()
    try:
        return framework_set(chosen)
    except FrameworkError as error:
        raise ParkInputError("The park framework cannot be used: " + "; ".join(error.messages),
                             [Problem(m, code="bad_framework") for m in error.messages]) from None


def assess_park_dataset(
    dataset: str | Path,
    frameworks: Iterable[str | Path] | None = None,
    progress: Progress | None = None,
) -> ParksAssessed:
    """Read `dataset` (`pilot` = the bundled pilot), check its park tables and assess its
    parks. Raises `ParkInputError` with located problems when something blocks it."""
    from factory_journey.ingest import read_dataset
    from factory_journey.ingest.park_reader import read_park_tables

    report = progress or _no_progress
    path = resolve_park_dataset(dataset)
    if not path.exists():
        raise ParkInputError(f"The dataset {path} was not found.")
    report("read", 0, 1)
    with ThreadPoolExecutor(max_workers=1) as reader:
        # The files are read (Polars, the GIL released) while this thread loads the
        # frameworks and the reference files' versions and imports the park engine.
        reading = reader.submit(read_dataset, path)
        chosen = load_frameworks(frameworks)
        about = {"park_measures": _park_measures_file(),
                 "reference_versions": _reference_versions()}
        from factory_journey.engine.parks.assess import assess_parks
        imported = reading.result()
    report("read", 1, 1)
    problems = list(imported.problems)
    report("parks", 0, 1)
    parks = None
    if imported.ok:
        parks, park_problems = read_park_tables(imported)
        problems += list(park_problems)
    report("parks", 1, 1)
    if parks is None or any(p.severity is Severity.ERROR for p in problems):
        errors = sum(p.severity is Severity.ERROR for p in problems)
        raise ParkInputError(
            f"{errors} problem(s) in the dataset {path.name}; no park was assessed.", problems)
    report("assess", 0, 1)
    input_files = [f.to_dict() for f in imported.files]
    tables = imported.tables
    del imported  # the tables are let go once the matrices are built (release_tables)
    result = assess_parks(tables, parks, chosen, release_tables=True)
    report("assess", 1, 1)
    return ParksAssessed(path, result, chosen, problems, input_files, parks.parks, about)


def summarise(assessed: ParksAssessed) -> dict[str, Any]:
    """Counts for a person: parks, park-years, members, requirement results, mean scores."""
    result = assessed.result
    results = result.requirement_results
    # sorted: group_by's order varies run to run, and metadata.json must not
    by_result = results.group_by("result").len().sort("result")
    counts = {str(k): int(v) for k, v in by_result.iter_rows()}
    members = result.park_members
    return {
        "parks": result.park_indicators["park_id"].n_unique(),
        "park_years": result.park_indicators.select("park_id", "year").unique().height,
        "member_years": members.height,
        "requirement_results": counts,
        "framework": assessed.frameworks.base.version_label,
        "overlays": [o.version_label for o in assessed.frameworks.overlays],
    }


def park_assess_files(
    dataset: str | Path,
    out_dir: str | Path,
    frameworks: Iterable[str | Path] | None = None,
    progress: Progress | None = None,
    force: bool = False,
    formats: str | Iterable[str] | None = None,
) -> ParkRun:
    """Assess the parks of `dataset` and write every output and metadata.json into `out_dir`.

    On input problems (dataset or framework) `out_dir` receives only the error report. An
    existing, non-empty `out_dir` is replaced only with `force`; a failure leaves it as it was.
    """
    report = progress or _no_progress
    out = Path(out_dir)
    path = resolve_park_dataset(dataset)
    if (early := refused(ParkRun, path, out, force)) is not None:
        return early
    try:
        asked = parse_formats(formats)
    except FormatError as error:
        return ParkRun("bad_options", path, out, message=str(error))
    try:
        assessed = assess_park_dataset(path, frameworks, report)
    except ParkInputError as error:
        return input_problems(ParkRun, path, out, error.problems, force,
                              message=f"{error} The error report is in {out}.")
    frames = assessed.result.frames()
    try:
        plan = plan_outputs(asked, assessed.result.park_members.height,
                            {name: frame.height for name, frame in frames.items()})
    except FormatError as error:
        return ParkRun("bad_options", path, out, assessed.problems, message=str(error))
    summary = summarise(assessed)
    report("write", 0, len(OUTPUTS) + 1)
    with atomic_output_dir(out, force) as staging:
        written: list[str] = []
        # The Parquet files are encoded at the same time (Polars releases the GIL while it
        # writes, and one file alone keeps a core idle); the bytes of each file do not depend
        # on it, and the files are listed in OUTPUTS order whatever order they finish in.
        with ThreadPoolExecutor(max_workers=WRITE_THREADS) as pool:
            pending = {name: pool.submit(write_parquet, frames[name],
                                         staging / f"{name}.parquet")
                       for name in sorted(OUTPUTS, key=lambda n: -frames[n].height)}
            for done, name in enumerate(OUTPUTS, start=1):
                pending[name].result()
                written += [f"{name}.parquet",
                            *write_text_formats(frames[name], staging, name, plan, xlsx=False)]
                report("write", done, len(OUTPUTS) + 1)
        if plan.xlsx:
            about = [("Dataset", path.name),
                     ("Framework", assessed.frameworks.base.version_label),
                     ("Format", "docs/park-data-format.md describes every sheet and column")]
            write_workbook(staging / "park_assessment.xlsx",
                           {name: frames[name] for name in OUTPUTS}, about)
            written.append("park_assessment.xlsx")
        metadata = {
            "package": {"name": "factory-journey", "version": __version__},
            "dataset": path.name,
            "input_files": assessed.input_files,
            "framework": {
                "id": assessed.frameworks.base.meta.id,
                "version": assessed.frameworks.base.meta.version,
                "overlays": {o.meta.id: o.meta.version for o in assessed.frameworks.overlays},
                "files": assessed.frameworks.files,
                "partly_met_credit": assessed.frameworks.base.scoring.partly_met_credit,
            },
            "park_measures": assessed.about.get("park_measures") or _park_measures_file(),
            "versions": dict(sorted(assessed.result.versions.items())),
            "reference_versions": (assessed.about.get("reference_versions")
                                   or _reference_versions()),
            "summary": summary,
            "outputs": {**plan.to_dict(), "files": [*written, "metadata.json"],
                        "rows": {name: frame.height for name, frame in frames.items()}},
            "warnings": [p.describe() for p in assessed.problems
                         if p.severity is Severity.WARNING][:100],
        }
        (staging / "metadata.json").write_text(
            json.dumps(metadata, indent=2, ensure_ascii=False, default=str) + "\n",
            encoding="utf-8")
        written.append("metadata.json")
        report("write", len(OUTPUTS) + 1, len(OUTPUTS) + 1)
    return ParkRun("ok", path, out, assessed.problems, written, summary=summary,
                   formats=plan.to_dict(),
                   message=f"Assessment of {summary['park_years']} park-years written to {out}")


def _park_measures_file() -> dict[str, Any]:
    """Version and sha256 of the packaged park_measures.yaml the collective plan used."""
    import hashlib

    from factory_journey.engine.parks.plan_measures import (
        DEFAULT_PARK_MEASURES,
        default_park_measures,
    )
    from factory_journey.reference.loader import data_dir

    content = (data_dir() / DEFAULT_PARK_MEASURES).read_bytes()
    return {"file": DEFAULT_PARK_MEASURES, "version": default_park_measures().version,
            "sha256": hashlib.sha256(content).hexdigest()}


def _reference_versions() -> dict[str, Any]:
    from factory_journey.reference import versions

    return versions()


def write_park_template(path: str | Path, frameworks: Iterable[str | Path] | None = None,
                        language: str = "en") -> tuple[Path | None, list[Problem]]:
    """The blank park workbook at `path` (.xlsx), with the framework's questions in its
    guidance, its guidance and cell messages in `language` (a park report language: the
    park catalogue); returns the path, or None and the problems that stopped it."""
    from factory_journey.ingest.park_template import write_park_template as write
    from factory_journey.reports.i18n import (
        PARK_LANGUAGES,
        UnknownLanguageError,
        park_translator,
    )

    try:
        translate = park_translator(language).gettext
    except UnknownLanguageError:
        return None, [Problem(NO_SUCH_LANGUAGE, value=language,
                              accepted=", ".join(PARK_LANGUAGES), code="invalid")]
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        return None, [Problem("the output file must end in .xlsx", file=target.name,
                              value=target.suffix, accepted=".xlsx", code="invalid")]
    if not target.parent.exists():
        return None, [Problem("the output folder does not exist", file=str(target.parent),
                              code="not_found")]
    try:
        chosen = load_frameworks(frameworks)
    except ParkInputError as error:
        return None, error.problems
    combined = chosen.base
    for overlay in chosen.overlays:
        from factory_journey.engine.parks.framework_schema import with_overlays

        combined = with_overlays(combined, [overlay])
    try:
        return write(target, combined, translate), []
    except OSError as error:
        return None, [Problem(f"the template could not be written: {error.strerror}",
                              file=str(target), code="write_failed")]
