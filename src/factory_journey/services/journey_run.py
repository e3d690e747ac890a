"""The main job: the whole Factory Improvement Journey on one dataset, start to finish.

Loads the dataset into the embedded database (the platform's store, with demo accounts when
it is the bundled pilot), assesses every facility-year, writes the portfolio report and one
facility report per country in that country's language, evaluates the programmes, and
assesses the industrial parks (the bundled park pilot with the pilot, or the dataset's own park
tables) with a report per park when the park report service is there. Every
step is a service the CLI and the web also call; this module only puts them in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from factory_journey.reports.i18n import language_for_country
from factory_journey.services import assessment, evaluation, parks, reports
from factory_journey.services.matrix import resolve_dataset
from factory_journey.services.output_dir import check_target, output_lock
from factory_journey.services.platform import bootstrap

#: `progress(step, done, total)`.
Progress = Callable[[str, int, int], None]

STEPS = ("database", "assess", "reports", "evaluate", "parks")


@dataclass(slots=True)
class JourneyRun:
    """What the main job wrote, or why it stopped."""

    status: str = "ok"
    message: str = ""
    database_url: str = ""
    outputs: dict[str, Path] = field(default_factory=dict)
    facility_reports: list[Path] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)


def _no_progress(step: str, done: int, total: int) -> None:
    return None


def _one_facility_per_country(out_dir: Path) -> list[tuple[str, str]]:
    """(facility_id, country_iso2) of the highest-priority facility of each country."""
    matrix = pl.read_parquet(out_dir / "matrix.parquet")
    pathways = pl.read_parquet(out_dir / "pathways.parquet")
    latest = matrix.group_by("facility_id").agg(pl.col("year").max())
    priority_column = next(
        (c for c in ("priority", "priority_score") if c in pathways.columns), None
    )
    ranked = latest.join(matrix.select("facility_id", "year", "country_iso2"),
                         on=["facility_id", "year"])
    if priority_column is not None:
        top = pathways.group_by("facility_id", "year").agg(pl.col(priority_column).max())
        ranked = ranked.join(top, on=["facility_id", "year"], how="left").sort(
            ["country_iso2", priority_column, "facility_id"],
            descending=[False, True, False], nulls_last=True,
        )
    else:
        ranked = ranked.sort("country_iso2", "facility_id")
    first = ranked.unique("country_iso2", keep="first", maintain_order=True)
    return [(row["facility_id"], row["country_iso2"]) for row in first.iter_rows(named=True)]


def _park_reports(assessed: Path, target: Path) -> Path | None:
    """One park report per park, in its country's language, from the park outputs.

    The park report (`services.park_report`) is built on its own branch of issue 16; until it
    is merged this step writes nothing and says so by returning None."""
    try:
        from factory_journey.services.park_report import write_all_park_reports
    except ImportError:
        return None
    write_all_park_reports(assessed, target, force=True)
    return target


def run_journey(
    dataset: str | Path,
    out_dir: str | Path,
    *,
    database_url: str | None = None,
    baseline_year: int | None = None,
    followup_year: int | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> JourneyRun:
    """Run the journey on `dataset` (a path or `pilot`) and write everything under `out_dir`.

    `out_dir` is locked for the whole run: another run into it raises `OutputInUseError`.
    """
    out = Path(out_dir)
    with output_lock(out):
        return _run_journey(dataset, out, database_url, baseline_year, followup_year, force,
                            progress)


def _run_journey(
    dataset: str | Path,
    out: Path,
    database_url: str | None,
    baseline_year: int | None,
    followup_year: int | None,
    force: bool,
    progress: Progress | None,
) -> JourneyRun:
    report = progress or _no_progress
    run = JourneyRun()
    path = resolve_dataset(dataset)
    if not path.exists():
        return JourneyRun("not_found", f"The dataset {path} was not found")
    check_target(out, force)
    out.mkdir(parents=True, exist_ok=True)

    report("database", 0, 1)
    run.database_url = database_url or f"sqlite:///{(out / 'journey.db').resolve()}"
    is_pilot = str(dataset) == "pilot"
    prepared = bootstrap.prepare(run.database_url, demo=is_pilot)
    run.outputs["database"] = Path(run.database_url.removeprefix("sqlite:///"))
    if is_pilot:
        run.message = f"{prepared.imported_facilities} facilities in the embedded database"
    report("database", 1, 1)

    report("assess", 0, 1)
    assessed = assessment.assess_files(path, out / "assessment", force=True)
    if assessed.status != "ok":
        return JourneyRun(assessed.status, assessed.message, run.database_url,
                          {"assessment": out / "assessment"})
    run.outputs["assessment"] = out / "assessment"
    report("assess", 1, 1)

    chosen = _one_facility_per_country(out / "assessment")
    report("reports", 0, len(chosen) + 1)
    run.outputs["portfolio report"] = reports.write_portfolio_report(
        path, out / "reports" / "portfolio.pdf"
    )
    for done, (facility_id, country) in enumerate(chosen, start=1):
        lang = language_for_country(country)
        target = out / "reports" / f"{reports.safe_file_name(facility_id)}-{lang}.pdf"
        run.facility_reports.append(
            reports.write_facility_report(path, facility_id, target, lang=lang)
        )
        report("reports", done + 1, len(chosen) + 1)

    years = pl.read_parquet(out / "assessment" / "matrix.parquet")["year"]
    first, last = int(years.min()), int(years.max())  # type: ignore[arg-type]
    if last > first:
        report("evaluate", 0, 1)
        evaluated = evaluation.evaluate_dataset(
            path, out / "evaluation",
            baseline_year=baseline_year or first, followup_year=followup_year or last, force=True,
        )
        if evaluated.ok:
            run.outputs["evaluation"] = out / "evaluation"
            run.outputs["evaluation report"] = out / "evaluation" / "evaluation.pdf"
            run.headlines = [h.sentence() for h in evaluated.headlines]
        report("evaluate", 1, 1)

    # Parks (#16): the bundled park pilot with the pilot, or the dataset's own park tables.
    if is_pilot or parks.has_park_tables(path):
        report("parks", 0, 1)
        assessed_parks = parks.park_assess_files("pilot" if is_pilot else path, out / "parks",
                                                 force=True)
        if assessed_parks.ok:
            run.outputs["parks"] = out / "parks"
            reports_written = _park_reports(out / "parks", out / "reports" / "parks")
            if reports_written is not None:
                run.outputs["park reports"] = reports_written
        report("parks", 1, 1)
    return run
