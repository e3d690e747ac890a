"""The brand analyst's portfolio: filter, sort, anonymised benchmarks and exports.

Every rule of the portfolio page lives here (the page and the exports only call it):
- which facilities: those the organisation may read the assessment of (`portfolio.portfolio`,
  so a revoked grant is gone from the very next call);
- filters: country, factory type, the level of one impact area, verified or not, and year (the
  facility's latest year by default; a facility without data in the year asked is left out);
- sort: by name, country, factory type, year, number of high opportunities, or one area's level;
- benchmarks: portfolio_benchmarks.py, over the rows this module keeps;
- exports: exactly the rows and columns the filtered table shows (`EXPORT_COLUMNS`), as CSV and
  XLSX through `spreadsheet_safety`.
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import InvalidInput
from factory_journey.services.platform.portfolio import portfolio
from factory_journey.store.models import AssessmentSnapshot, Facility

#: Impact areas in the order of the reports.
AREAS: tuple[str, ...] = ("energy", "water", "wastewater", "chemicals", "ems", "waste", "air")
LEVELS: tuple[str, ...] = ("high", "low", "not_assessed")
FACTORY_TYPES: tuple[str, ...] = ("cut_sew", "mill", "vertical", "component", "raw_material")
SORTS: tuple[str, ...] = ("name", "country", "type", "year", "high", *AREAS)
_LEVEL_RANK = {"high": 0, "low": 1, "not_assessed": 2, None: 3}


@dataclass(frozen=True, slots=True)
class PortfolioFilter:
    """What the analyst asked for; empty means everything."""

    countries: tuple[str, ...] = ()
    factory_types: tuple[str, ...] = ()
    area: str | None = None
    level: str | None = None
    verified: bool | None = None
    year: int | None = None
    sort: str = "name"
    descending: bool = False

    def query(self) -> list[tuple[str, str]]:
        """The filter as query parameters (the page's links and export links)."""
        out = [("country", c) for c in self.countries]
        out += [("type", t) for t in self.factory_types]
        if self.area:
            out.append(("area", self.area))
        if self.level:
            out.append(("level", self.level))
        if self.verified is not None:
            out.append(("verified", "yes" if self.verified else "no"))
        if self.year is not None:
            out.append(("year", str(self.year)))
        if self.sort != "name":
            out.append(("sort", self.sort))
        if self.descending:
            out.append(("order", "desc"))
        return out


@dataclass(frozen=True, slots=True)
class FilterProblem:
    """A filter value not accepted: which field, the value, and what is accepted."""

    field: str
    value: str
    accepted: str


def _values(params: Mapping[str, Sequence[str]], name: str) -> list[str]:
    return [v.strip() for v in params.get(name, ()) if v.strip()]


def parse_filter(
    params: Mapping[str, Sequence[str]],
) -> tuple[PortfolioFilter, list[FilterProblem]]:
    """A filter from query parameters (each name → its values). Values not accepted are left
    out of the filter and listed, so that a page keeps the rest and says what was wrong."""
    problems: list[FilterProblem] = []

    def one_of(name: str, accepted: Sequence[str]) -> str | None:
        values = _values(params, name)
        if not values:
            return None
        if values[0] not in accepted:
            problems.append(FilterProblem(name, values[0], ", ".join(accepted)))
            return None
        return values[0]

    countries = []
    for code in _values(params, "country"):
        if len(code) == 2 and code.isascii() and code.isalpha():
            countries.append(code.upper())
        else:
            problems.append(FilterProblem("country", code, "two-letter ISO country codes"))
    types = []
    for kind in _values(params, "type"):
        if kind in FACTORY_TYPES:
            types.append(kind)
        else:
            problems.append(FilterProblem("type", kind, ", ".join(FACTORY_TYPES)))
    area, level = one_of("area", AREAS), one_of("level", LEVELS)
    verified_text = one_of("verified", ("yes", "no"))
    year = None
    year_values = _values(params, "year")
    if year_values:
        text = year_values[0]
        if text.isdigit() and 1990 <= int(text) <= 2100:
            year = int(text)
        else:
            problems.append(FilterProblem("year", text, "a year from 1990 to 2100"))
    sort = one_of("sort", SORTS) or "name"
    order = one_of("order", ("asc", "desc"))
    return PortfolioFilter(
        countries=tuple(dict.fromkeys(countries)),
        factory_types=tuple(dict.fromkeys(types)),
        area=area,
        level=level if area else None,
        verified=None if verified_text is None else verified_text == "yes",
        year=year,
        sort=sort,
        descending=order == "desc",
    ), problems


@dataclass(frozen=True, slots=True)
class YearSummary:
    """One facility-year of a snapshot, as the portfolio needs it."""

    levels: dict[str, str | None]
    #: Largest share of the year's data marked verified by a verifier, over the areas [0–1].
    verified_share: float
    #: Indicator → (value, unit) [in the unit of the assessment's indicator table].
    values: dict[str, tuple[float, str]]
    #: Production basis of the intensities (`pc`, `kg`, …), None when unknown.
    basis: str | None


_summaries: OrderedDict[tuple[str, int], dict[int, YearSummary]] = OrderedDict()
_summaries_lock = threading.Lock()


def _summary(session: Session, snapshot_id: int) -> dict[int, YearSummary]:
    """Year → summary of one stored snapshot (kept per process: snapshots never change)."""
    key = (str(session.get_bind().engine.url), snapshot_id)
    with _summaries_lock:
        if key in _summaries:
            return _summaries[key]
    row = session.get(AssessmentSnapshot, snapshot_id)
    assert row is not None
    parts = row.result.get("parts", {})
    years: dict[int, dict[str, Any]] = {}
    for o in parts.get("opportunities", []):
        if o.get("year") is None:
            continue
        year = years.setdefault(o["year"], {"levels": {}, "verified": 0.0, "values": {}})
        year["levels"][o["area"]] = o.get("opportunity_level")
        year["verified"] = max(year["verified"], o.get("verified_share") or 0.0)
    for i in parts.get("indicators", []):
        if i.get("year") in years and isinstance(i.get("value"), int | float):
            years[i["year"]]["values"][i["indicator"]] = (float(i["value"]), i.get("unit") or "")
    bases = {m["year"]: m.get("intensity_basis") for m in parts.get("matrix", [])}
    summary = {
        y: YearSummary(d["levels"], d["verified"], d["values"], bases.get(y))
        for y, d in years.items()
    }
    with _summaries_lock:
        _summaries[key] = summary
        while len(_summaries) > 8192:
            _summaries.popitem(last=False)
    return summary


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    facility_id: str
    name: str
    os_hub_id: str | None
    country_iso2: str
    journey_factory_type: str | None
    relation: str
    scope: str | None
    year: int
    levels: dict[str, str | None]
    verified: bool
    high_count: int
    values: dict[str, tuple[float, str]] = field(repr=False)
    basis: str | None = None


@dataclass(frozen=True, slots=True)
class PortfolioView:
    rows: list[PortfolioRow]
    #: Facilities in the portfolio before filtering.
    total: int
    #: What the filters may choose from (countries and years present).
    countries: list[str]
    years: list[int]
    filter: PortfolioFilter


def _row(line: Any, facility: Facility | None, year: int, summary: YearSummary) -> PortfolioRow:
    return PortfolioRow(
        facility_id=line.facility_id,
        name=line.name,
        os_hub_id=facility.os_hub_id if facility is not None else None,
        country_iso2=line.country_iso2,
        journey_factory_type=line.journey_factory_type,
        relation=line.relation,
        scope=line.scope,
        year=year,
        levels={a: summary.levels.get(a) for a in AREAS},
        verified=summary.verified_share > 0,
        high_count=sum(1 for a in AREAS if summary.levels.get(a) == "high"),
        values=summary.values,
        basis=summary.basis,
    )


def _keep(row: PortfolioRow, f: PortfolioFilter) -> bool:
    if f.countries and row.country_iso2 not in f.countries:
        return False
    if f.factory_types and row.journey_factory_type not in f.factory_types:
        return False
    if f.area and f.level and row.levels.get(f.area) != f.level:
        return False
    return f.verified is None or row.verified == f.verified


def _sort_key(f: PortfolioFilter) -> Any:
    if f.sort == "country":
        return lambda r: (r.country_iso2, r.name.lower(), r.facility_id)
    if f.sort == "type":
        return lambda r: (r.journey_factory_type or "~", r.name.lower(), r.facility_id)
    if f.sort == "year":
        return lambda r: (r.year, r.name.lower(), r.facility_id)
    if f.sort == "high":
        return lambda r: (r.high_count, r.name.lower(), r.facility_id)
    if f.sort in AREAS:
        return lambda r: (_LEVEL_RANK[r.levels.get(f.sort)], r.name.lower(), r.facility_id)
    return lambda r: (r.name.lower(), r.facility_id)


def portfolio_view(session: Session, actor: Actor, f: PortfolioFilter) -> PortfolioView:
    """The facilities the actor may read, filtered and sorted as `f` says."""
    lines = portfolio(session, actor)
    rows: list[PortfolioRow] = []
    countries: set[str] = set()
    years: set[int] = set()
    for line in lines:
        summary = _summary(session, line.snapshot_id)
        countries.add(line.country_iso2)
        years.update(summary)
        if not summary:
            continue
        year = f.year if f.year is not None else max(summary)
        if year not in summary:
            continue
        row = _row(line, session.get(Facility, line.facility_id), year, summary[year])
        if _keep(row, f):
            rows.append(row)
    rows.sort(key=_sort_key(f), reverse=f.descending)
    return PortfolioView(rows, len(lines), sorted(countries), sorted(years), f)


#: The exported columns: what the table shows, one column per area level.
EXPORT_COLUMNS: tuple[str, ...] = (
    "facility_id", "facility_name", "os_hub_id", "country_iso2", "journey_factory_type",
    "year", "verified", "high_opportunities", *(f"{a}_level" for a in AREAS), "relation",
    "scope",
)


def export_frame(view: PortfolioView) -> pl.DataFrame:
    """The rows of `view` as the export writes them (`EXPORT_COLUMNS`, in the view's order)."""
    records = [
        {
            "facility_id": r.facility_id,
            "facility_name": r.name,
            "os_hub_id": r.os_hub_id,
            "country_iso2": r.country_iso2,
            "journey_factory_type": r.journey_factory_type,
            "year": r.year,
            "verified": "yes" if r.verified else "no",
            "high_opportunities": r.high_count,
            **{f"{a}_level": r.levels.get(a) for a in AREAS},
            "relation": r.relation,
            "scope": r.scope,
        }
        for r in view.rows
    ]
    schema: dict[str, Any] = {c: pl.String for c in EXPORT_COLUMNS}
    schema.update(year=pl.Int64, high_opportunities=pl.Int64)
    return pl.DataFrame(records, schema=schema)


def export(session: Session, actor: Actor, f: PortfolioFilter, kind: str) -> tuple[bytes, str]:
    """(file bytes, media type) of the filtered portfolio as `csv` or `xlsx`."""
    from factory_journey.services.spreadsheet_safety import open_workbook, write_csv, write_sheet

    frame = export_frame(portfolio_view(session, actor, f))
    if kind not in ("csv", "xlsx"):
        raise InvalidInput(f"export: csv or xlsx, not {kind!r}")
    with tempfile.TemporaryDirectory(prefix="journey-portfolio-") as folder:
        path = Path(folder) / f"portfolio.{kind}"
        if kind == "csv":
            write_csv(frame, path)
            return path.read_bytes(), "text/csv; charset=utf-8"
        with open_workbook(path, "Portfolio") as workbook:
            write_sheet(workbook, frame, "portfolio", autofit=True)
        return path.read_bytes(), XLSX_TYPE


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
