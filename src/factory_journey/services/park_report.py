"""Use case: the park report of one park-year (PDF or HTML, in any report language).

The report reads the outputs of `journey park assess` (docs/park-data-format.md), the
collective improvement plan included (plan_measures, plan_members), either from a folder that
command wrote or by assessing a park dataset in memory with the same service
(`services.parks.assess_park_dataset`), and renders the pure context (reports.park_context)
with the shared renderers. Shared by `journey park report`,
`journey run` and the park pages.
"""

from __future__ import annotations

import importlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

import polars as pl

from factory_journey.domain.problems import Problem
from factory_journey.engine.parks.framework_schema import Framework, parse_framework
from factory_journey.reference.loader import data_dir, load_yaml
from factory_journey.reports.i18n import (
    PARK_COUNTRY_LANGUAGES,
    PARK_LANGUAGES,
    UnknownLanguageError,
    park_translator,
)
from factory_journey.reports.park_context import (
    ParkNotFoundError,
    ParkReportData,
    build_park_context,
)
from factory_journey.reports.render import render_html, render_pdf
from factory_journey.services.output_dir import atomic_output_dir, atomic_output_file

#: The tables `journey park assess` writes (docs/park-data-format.md), all required here.
OUTPUT_TABLES: tuple[str, ...] = (
    "park_indicators", "park_members", "park_opportunities", "park_shared_facilities",
    "requirement_results", "pillar_scores", "plan_measures", "plan_members",
)
FORMATS: tuple[str, ...] = ("pdf", "html")

__all__ = [
    "FORMATS",
    "PARK_LANGUAGES",
    "ParkNotFoundError",
    "ParkReportInputError",
    "UnknownLanguageError",
    "default_language",
    "load_park_report_data",
    "render_park",
    "write_all_park_reports",
    "write_park_report",
]


class ParkReportInputError(ValueError):
    """The park outputs or dataset cannot be reported on; `problems` say where."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def _packaged_frameworks() -> list[Framework]:
    folder = data_dir() / "park_frameworks"
    return [parse_framework(load_yaml(f"park_frameworks/{p.name}"), p.name)
            for p in sorted(folder.glob("*.yaml"))]


class _FrameworkTexts(TypedDict):
    pillar_titles: dict[str, str]
    attributions: dict[str, str]
    evidence_needed: dict[str, str]
    step_titles: dict[str, str]


def _framework_texts(frameworks: list[Framework]) -> _FrameworkTexts:
    """The report's texts from the frameworks: pillar key → title (`pillar_titles`),
    framework id → attribution or source line (`attributions`), requirement id → the evidence
    it asks for (`evidence_needed`), and member pathway step → title (`step_titles`)."""
    lines = {f.meta.id: f"{f.meta.title} ({f.meta.version}). {f.meta.attribution or f.meta.source}"
             for f in frameworks}
    steps = load_yaml("programme_modules.yaml").get("measures", [])
    return _FrameworkTexts(
        pillar_titles={p.key: p.title for f in frameworks for p in f.pillars},
        attributions=lines,
        evidence_needed={r.id: r.evidence for f in frameworks for p in f.pillars
                         for r in p.requirements if r.evidence_required},
        step_titles={f"{s['area']}:{s['key']}": str(s["title"]) for s in steps},
    )


@cache
def packaged_framework_texts() -> _FrameworkTexts:
    """`_framework_texts` of the packaged frameworks (read once per process)."""
    return _framework_texts(_packaged_frameworks())


@cache
def packaged_requirement_titles() -> dict[str, str]:
    """Requirement id → title, of every packaged framework (read once per process)."""
    return {r.id: r.title for f in _packaged_frameworks() for p in f.pillars
            for r in p.requirements}


def _optional(folder: Path, name: str) -> pl.DataFrame | None:
    path = folder / f"{name}.parquet"
    if not path.is_file():
        return None
    try:
        return pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise ParkReportInputError(f"{path} cannot be read: {error}") from None


def _required(folder: Path, name: str) -> pl.DataFrame:
    frame = _optional(folder, name)
    if frame is None:
        raise ParkReportInputError(
            f"{folder} has no {name}.parquet: give the folder `journey park assess` wrote, "
            "or the park dataset itself.")
    return frame


def _from_outputs(folder: Path) -> ParkReportData:
    frames = {name: _required(folder, name) for name in OUTPUT_TABLES}
    metadata: dict[str, Any] = {}
    if (folder / "metadata.json").is_file():
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    versions = {str(k): str(v) for k, v in metadata.get("versions", {}).items()}
    return ParkReportData(
        **frames, parks=_optional(folder, "parks"), **packaged_framework_texts(),
        versions=versions, dataset_name=str(metadata.get("dataset", folder.name)),
    )


def _from_dataset(dataset: str | Path) -> ParkReportData:
    try:
        parks_service = importlib.import_module("factory_journey.services.parks")
    except ImportError:
        raise ParkReportInputError(
            "Park assessment is not available in this installation; give the folder that "
            "`journey park assess` wrote.") from None
    try:
        assessed = parks_service.assess_park_dataset(dataset)
    except parks_service.ParkInputError as error:
        raise ParkReportInputError(str(error), list(error.problems)) from None
    result = assessed.result
    frames = result.frames()
    frameworks = [assessed.frameworks.base, *assessed.frameworks.overlays]
    return ParkReportData(
        **{name: frames[name] for name in OUTPUT_TABLES}, parks=frames["parks"],
        **_framework_texts(frameworks), versions=dict(result.versions),
        dataset_name=Path(assessed.dataset).name,
    )


def load_park_report_data(source: str | Path) -> ParkReportData:
    """The park outputs of `source`: a folder `journey park assess` wrote (it holds
    park_indicators.parquet), or a park dataset (`pilot` = the bundled pilot) to assess."""
    path = Path(source)
    if path.is_dir() and (path / "park_indicators.parquet").is_file():
        return _from_outputs(path)
    return _from_dataset(source)


def default_language(data: ParkReportData, park_id: str) -> str:
    """The language read first in the park's country (`am` in Ethiopia, `sw` in Kenya and
    Tanzania, `vi` in Vietnam), English elsewhere or when the country is not known."""
    if data.parks is None or "country_iso2" not in data.parks.columns:
        return "en"
    rows = data.parks.filter(pl.col("park_id") == park_id)["country_iso2"].to_list()
    return PARK_COUNTRY_LANGUAGES.get(str(rows[0] or "").upper(), "en") if rows else "en"


def render_park(data: ParkReportData, park_id: str, lang: str = "en", fmt: str = "pdf",
                year: int | None = None) -> bytes:
    """One park report as bytes (PDF, or UTF-8 HTML)."""
    context = build_park_context(data, park_id, park_translator(lang), year=year)
    return render_pdf(context) if fmt == "pdf" else render_html(context).encode("utf-8")


def write_park_report(source: str | Path, park_id: str, out: str | Path,
                      lang: str | None = None, fmt: str = "pdf",
                      year: int | None = None) -> tuple[Path, str]:
    """Write the report of `park_id` to `out`, whole or not at all; returns the path and the
    language used (`lang`, or the park country's when None)."""
    if fmt not in FORMATS:
        raise ParkReportInputError(f"The format must be one of {', '.join(FORMATS)}.")
    if lang is not None:
        park_translator(lang)  # an unknown language fails before the dataset is read
    data = load_park_report_data(source)
    chosen = lang or default_language(data, park_id)
    content = render_park(data, park_id, chosen, fmt, year)
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output_file(target) as staging:
        staging.write_bytes(content)
    return target, chosen


def write_all_park_reports(source: str | Path | ParkReportData, out_dir: str | Path,
                           fmt: str = "pdf", lang: str | None = None,
                           force: bool = False) -> list[Path]:
    """One report per park (its latest year) into `out_dir`, named `<park_id>.<fmt>`, each in
    `lang` or in its country's language; all or nothing (for `journey run` and the demo)."""
    if fmt not in FORMATS:
        raise ParkReportInputError(f"The format must be one of {', '.join(FORMATS)}.")
    if lang is not None:
        park_translator(lang)
    data = source if isinstance(source, ParkReportData) else load_park_report_data(source)
    parks = sorted({str(p) for p in data.park_indicators["park_id"].to_list()})
    folder = Path(out_dir)
    written = []
    with atomic_output_dir(folder, force) as staging:
        for park_id in parks:
            name = f"{safe_park_file_name(park_id)}.{fmt}"
            chosen = lang or default_language(data, park_id)
            (staging / name).write_bytes(render_park(data, park_id, chosen, fmt))
            written.append(folder / name)
    return written


def safe_park_file_name(park_id: str) -> str:
    """A file name for a park id: letters, digits, `-`, `_` and `.` only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", park_id).strip("._") or "park"
