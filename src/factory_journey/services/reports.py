"""Use case: facility and portfolio reports (HTML or PDF) of a dataset, one or all facilities.

read → matrix → assessment (once) → report context (pure) → HTML or PDF. `write_all_reports`
renders every facility in parallel worker processes, each loaded once with the assessed frames
and a warm PDF compiler. Shared by `journey report` and the web.
"""

from __future__ import annotations

import os
import pickle
import re
import tempfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Literal

import polars as pl

from factory_journey.domain.problems import Problem
from factory_journey.engine.assessment import Catalogue, default_catalogue
from factory_journey.engine.assessment.methodology import Methodology, default_methodology
from factory_journey.reports.context import (
    FacilityNotFoundError,
    ReportData,
    build_facility_context,
    build_portfolio_context,
)
from factory_journey.reports.i18n import LANGUAGES, UnknownLanguageError, translator
from factory_journey.reports.render import RenderError, _compiler_count, render_html, render_pdf
from factory_journey.services.assessment import AssessmentInputError, assess_dataset
from factory_journey.services.matrix import resolve_dataset
from factory_journey.services.options import REPORT_FORMATS
from factory_journey.services.output_dir import atomic_output_dir, atomic_output_file


def pdf_compilers() -> int:
    """`JOURNEY_PDF_COMPILERS` as the renderer reads it, for a check at start-up; `ValueError`
    with the renderer's message when it is not a whole number of at least 1."""
    try:
        return _compiler_count()
    except RenderError as error:
        raise ValueError(str(error)) from None


Format = Literal["pdf", "html"]
FORMATS = REPORT_FORMATS  # named in `journey --help`, hence kept in services.options
#: `progress(done, total)` after each report written.
Progress = Callable[[int, int], None]

__all__ = [
    "FORMATS",
    "LANGUAGES",
    "FacilityNotFoundError",
    "ReportInputError",
    "UnknownLanguageError",
    "facility_ids",
    "load_report_data",
    "render_facility",
    "render_portfolio",
    "report_data",
    "safe_file_name",
    "translator_for",
    "write_all_reports",
    "write_facility_report",
    "write_portfolio_report",
]


class ReportInputError(ValueError):
    """The dataset cannot be reported on: not found, or problems block the import."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(slots=True)
class ReportRun:
    """Reports written by one call."""

    files: list[Path] = field(default_factory=list)


def translator_for(lang: str) -> None:
    """Check that a report language exists (raises UnknownLanguageError)."""
    translator(lang)


def load_report_data(dataset: str | Path) -> ReportData:
    """Read, build the matrix of, and assess a dataset (`pilot` = the bundled pilot data)."""
    try:
        assessed = assess_dataset(dataset)
    except AssessmentInputError as error:
        if not error.problems:  # the dataset was not found
            raise ReportInputError(str(error)) from None
        problems = error.problems
        raise ReportInputError(
            f"{len(problems)} problem(s) in the dataset {resolve_dataset(dataset).name}; fix "
            "them first (`journey matrix` writes a located error report).", problems) from None
    result = assessed.result
    frames = {name: getattr(result, name) for name in ASSESSMENT_FRAMES}
    return report_data(assessed.matrix, frames, result.versions, assessed.dataset.name)


#: The assessment frames a report reads (docs/contracts.md §4).
ASSESSMENT_FRAMES: tuple[str, ...] = (
    "opportunities", "pathways", "measures", "trajectory", "indicators"
)


def report_data(matrix: pl.DataFrame, frames: dict[str, pl.DataFrame],
                versions: dict[str, str], dataset_name: str,
                catalogue: Catalogue | None = None,
                methodology: Methodology | None = None,
                peers: pl.DataFrame | None = None) -> ReportData:
    """The report inputs from a matrix and the `ASSESSMENT_FRAMES`, with the programme
    catalogue's module and measure titles (for a dataset here, a stored snapshot on the
    platform). `catalogue`: the one the assessment used (default: the packaged one); a module
    an accepted Join the Journey proposal added is titled with the proposal it came from.
    `methodology`: the one the assessment used, for the percentile of each peer threshold;
    default: the packaged one when `versions` names it, else none (the report then says
    "a percentile", never a percentile the assessment may not have used).
    `peers`: the peer table the assessment was judged against when `matrix` is not the whole
    peer population (a platform facility: its assessment's peer snapshot,
    `services.platform.peers.peer_table_named`); each indicator's peer line then gives the
    median and n of the group behind its threshold. None: medians over `matrix` itself."""
    catalogue = catalogue or default_catalogue()
    if methodology is None and versions.get("methodology") == default_methodology().label:
        methodology = default_methodology()
    percentiles = {} if methodology is None else methodology.peer_percentiles()
    return ReportData(
        matrix=matrix,
        **{name: frames[name] for name in ASSESSMENT_FRAMES},
        versions=dict(versions),
        module_titles={
            m.key: f"{m.title} ({m.proposal})" if m.proposal else m.title
            for m in catalogue.modules
        },
        measure_titles={m.key: m.title for m in catalogue.measures},
        dataset_name=dataset_name,
        peer_percentiles=percentiles,
        peers=peers,
    )


def facility_ids(data: ReportData, country: str | None = None,
                 factory_type: str | None = None) -> list[str]:
    """Facility ids of the dataset, optionally those of one country (ISO alpha-2) or type."""
    frame = data.matrix
    if country:
        frame = frame.filter(pl.col("country_iso2") == country.upper())
    if factory_type:
        frame = frame.filter(pl.col("journey_factory_type") == factory_type)
    return sorted(set(frame["facility_id"].to_list()))


def render_facility(data: ReportData, facility_id: str, lang: str = "en", fmt: str = "pdf",
                    year: int | None = None) -> bytes:
    """One facility report as bytes (PDF, or UTF-8 HTML)."""
    context = build_facility_context(data, facility_id, translator(lang), year=year)
    return render_pdf(context) if fmt == "pdf" else render_html(context).encode("utf-8")


def render_portfolio(data: ReportData, lang: str = "en", fmt: str = "pdf",
                     ids: list[str] | None = None, title: str = "") -> bytes:
    """A portfolio report over `ids` (default: every facility) as bytes."""
    context = build_portfolio_context(data, translator(lang), ids, title=title)
    return render_pdf(context) if fmt == "pdf" else render_html(context).encode("utf-8")


def _write_atomic(path: Path, content: bytes) -> None:
    """Write `path` whole or not at all, in a marked staging folder beside it that the next
    run cleans if this one is killed (a bare hidden temporary file was left for ever)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output_file(path) as staging:
        staging.write_bytes(content)  # an ordinary file: the umask applies


def write_facility_report(dataset: str | Path, facility_id: str, out: str | Path,
                          lang: str = "en", fmt: str = "pdf", year: int | None = None) -> Path:
    """Write one facility report to `out` (written whole or not at all)."""
    data = load_report_data(dataset)
    target = Path(out)
    _write_atomic(target, render_facility(data, facility_id, lang, fmt, year))
    return target


def write_portfolio_report(dataset: str | Path, out: str | Path, lang: str = "en",
                           fmt: str = "pdf", country: str | None = None,
                           factory_type: str | None = None, title: str = "",
                           only: list[str] | None = None) -> Path:
    """Write a portfolio report of the dataset, or of the facilities of one country, one
    factory type and/or the list `only` (a brand's suppliers, a programme cohort)."""
    data = load_report_data(dataset)
    ids = facility_ids(data, country, factory_type)
    if only is not None:
        unknown = sorted(set(only) - set(facility_ids(data)))
        if unknown:
            raise ReportInputError(f"Not in the dataset: {', '.join(unknown[:10])}.")
        ids = [i for i in ids if i in set(only)]
    if not ids:
        raise ReportInputError("No facility matches that selection.")
    target = Path(out)
    _write_atomic(target, render_portfolio(data, lang, fmt, ids, title or data.dataset_name))
    return target


def safe_file_name(facility_id: str) -> str:
    """A file name for a facility id: letters, digits, `-`, `_` and `.` only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", facility_id).strip("._") or "facility"


# Worker processes (issue 14, decision 0021). A spawned worker imports polars, the engine and
# typst for about a second, so the workers are started before the dataset is assessed and
# import while the parent assesses; the parent then renders too, so `workers` processes render
# in all. Spawn, not fork: a child forked after Polars has run inherits its thread pool without
# its threads and can hang. The assessed frames go to the workers once, as a pickle in a
# private temporary folder that each worker reads on its first chunk, not with every chunk
# (6 MB and ~16 ms of the parent's pickling a chunk at 300 facilities: CPU the parent, which
# renders too, spent 75 times in a 300-report run).
_WORKER: dict[str, Any] = {}
#: Facilities a task: small enough that the processes finish within a report or two of each
#: other, large enough that sending the frames with each task costs little.
CHUNK = 4


def _init_worker(data: ReportData) -> None:
    _WORKER["data"] = data


def _warm() -> None:
    """Nothing: submitted first so that each worker starts (and imports) at once."""


def _render_one(facility_id: str, lang: str, fmt: str, folder: str) -> str:
    content = render_facility(_WORKER["data"], facility_id, lang, fmt)
    path = Path(folder) / f"{safe_file_name(facility_id)}.{fmt}"
    path.write_bytes(content)
    return path.name


def _render_chunk(source: str, facility_ids: list[str], lang: str, fmt: str,
                  folder: str) -> list[str]:
    """In a worker: the reports of `facility_ids`, the frames read from `source` (the parent's
    pickle of its `ReportData`) on the worker's first chunk of the run."""
    if _WORKER.get("source") != source:
        _init_worker(pickle.loads(Path(source).read_bytes()))  # written by the parent, below
        _WORKER["source"] = source
    return [_render_one(fid, lang, fmt, folder) for fid in facility_ids]


def write_all_reports(dataset: str | Path | ReportData, out_dir: str | Path, lang: str = "en",
                      fmt: str = "pdf", workers: int = 2, force: bool = False,
                      progress: Progress | None = None, ids: list[str] | None = None) -> ReportRun:
    """Write one report per facility into `out_dir` (all or nothing), over `workers` processes
    (this one and `workers - 1` others, started before `dataset` is read and assessed)."""
    translator(lang)  # fail early on an unknown language
    if workers <= 1:
        data = dataset if isinstance(dataset, ReportData) else load_report_data(dataset)
        return _write_all(data, out_dir, lang, fmt, force, progress, ids, None, 1)
    # One typst (rayon) thread a process once the processes fill the cores: with its default
    # of a thread per core, the two processes' threads contended (300 reports on 2 cores:
    # 9.97 s wall, 17.8 s CPU against 9.13 s, 16.4 s). Set before the workers are spawned (they
    # inherit it) and before this process renders (rayon reads it on first use); a value the
    # user set is kept.
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=get_context("spawn")) as pool:
        for _ in range(workers - 1):
            pool.submit(_warm)
        try:
            data = dataset if isinstance(dataset, ReportData) else load_report_data(dataset)
            return _write_all(data, out_dir, lang, fmt, force, progress, ids, pool, workers)
        except BaseException:
            pool.shutdown(cancel_futures=True)  # no chunk starts after a failure
            raise


def _write_all(data: ReportData, out_dir: str | Path, lang: str, fmt: str, force: bool,
               progress: Progress | None, ids: list[str] | None,
               pool: ProcessPoolExecutor | None, workers: int) -> ReportRun:
    selected = ids if ids is not None else facility_ids(data)
    report = progress or (lambda done, total: None)
    run = ReportRun()
    with atomic_output_dir(Path(out_dir), force) as staging:
        folder = str(staging)
        report(0, len(selected))
        _init_worker(data)
        if pool is None or len(selected) < 2 * CHUNK:
            for done, fid in enumerate(selected, start=1):
                run.files.append(Path(out_dir) / _render_one(fid, lang, fmt, folder))
                report(done, len(selected))
        else:
            _render_shared(data, selected, lang, fmt, folder, pool, workers, run, Path(out_dir),
                           report)
    run.files.sort()
    return run


def _render_shared(data: ReportData, selected: list[str], lang: str, fmt: str, folder: str,
                   pool: ProcessPoolExecutor, workers: int, run: ReportRun, out_dir: Path,
                   report: Progress) -> None:
    """Chunks of `selected` rendered by the pool's workers and by this process, each taking the
    next chunk when it is free."""
    chunks = deque(selected[i:i + CHUNK] for i in range(0, len(selected), CHUNK))
    slots = 2 * max(1, workers - 1)  # one chunk running and one waiting in each worker

    def collect(names: list[str]) -> None:
        run.files.extend(out_dir / name for name in names)
        report(len(run.files), len(selected))

    with tempfile.TemporaryDirectory(prefix="journey-reports-") as private:
        source = Path(private) / "report-data.pickle"
        source.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        _share(str(source), chunks, lang, fmt, folder, pool, slots, collect)


def _share(source: str, chunks: deque[list[str]], lang: str, fmt: str, folder: str,
           pool: ProcessPoolExecutor, slots: int, collect: Callable[[list[str]], None]) -> None:
    """Keep `slots` chunks with the pool (each worker reads the frames from `source` once) and
    render the next chunk here whenever the pool is full; `collect` each chunk's file names."""
    inflight: set[Future[list[str]]] = set()
    while chunks or inflight:
        while chunks and len(inflight) < slots:
            inflight.add(pool.submit(_render_chunk, source, chunks.popleft(), lang, fmt, folder))
        if chunks:  # this process takes the next chunk itself
            collect([_render_one(fid, lang, fmt, folder) for fid in chunks.popleft()])
            finished = {future for future in inflight if future.done()}
        else:
            finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
        for future in finished:
            inflight.discard(future)
            collect(future.result())
