"""Portfolio report context: the latest year of a set of facilities → a plain dict.

Pure (no I/O): high opportunities by impact area × country × factory type (heat maps), the
facilities with the highest-priority gaps and the aggregate savings potential, translated and
formatted for the report language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from factory_journey.reports import charts
from factory_journey.reports.formatting import country_name
from factory_journey.reports.i18n import Translator
from factory_journey.reports.labels import AREA_ORDER, AREAS, FACTORY_TYPES
from factory_journey.reports.reference_names import reference_rows
from factory_journey.reports.report_data import Context, ReportData

#: The country heat map shows the countries with most facilities (the table lists all).
MAX_COUNTRY_COLUMNS = 8
#: Country × factory type rows of the portfolio heat map (most facilities first).
MAX_GROUP_ROWS = 20


def _latest(frame: pl.DataFrame, facility_ids: list[str]) -> pl.DataFrame:
    """Rows of each facility's latest year among `facility_ids`."""
    sub = frame.filter(pl.col("facility_id").is_in(facility_ids))
    last = sub.group_by("facility_id").agg(pl.col("year").max())
    return sub.join(last, on=["facility_id", "year"], how="semi")


def portfolio_headings(tr: Translator) -> dict[str, str]:
    """Section headings of the portfolio report, translated."""
    return {
        "report": tr("Portfolio report"),
        "summary": tr("Portfolio summary"),
        "by_country": tr("High opportunities by impact area and country"),
        "by_type": tr("High opportunities by impact area and factory type"),
        "by_country_type": tr("High opportunities by country, factory type and impact area"),
        "priorities": tr("Facilities with the highest priority gaps"),
        "savings": tr("Aggregate savings potential"),
        "methodology": tr("Methodology and reference data"),
    }


def _heat(tr: Translator, opps: pl.DataFrame, column: str, col_keys: list[str],
          col_labels: list[str], title: str) -> str:
    cells: list[list[float | None]] = []
    texts: list[list[str]] = []
    for area in AREA_ORDER:
        row_cells: list[float | None] = []
        row_texts: list[str] = []
        for key in col_keys:
            sub = opps.filter((pl.col("area").cast(pl.String) == area)
                              & (pl.col(column) == key)
                              & (pl.col("opportunity_level") != "not_assessed"))
            if sub.height == 0:
                row_cells.append(None)
                row_texts.append("–")
                continue
            high = sub.filter(pl.col("opportunity_level") == "high").height
            row_cells.append(high / sub.height)
            row_texts.append(f"{tr.number(high)}/{tr.number(sub.height)}")
        cells.append(row_cells)
        texts.append(row_texts)
    return charts.heatmap([tr(AREAS[a]) for a in AREA_ORDER], col_labels, cells, texts, title,
                          font=charts.font_for(tr.lang))


def _country_type_heat(tr: Translator, opps: pl.DataFrame, title: str) -> str:
    """Rows: country × factory type (most facilities first); columns: the seven areas."""
    judged = opps.filter(pl.col("opportunity_level") != "not_assessed").with_columns(
        pl.col("area").cast(pl.String))
    counts = (judged.group_by("country_iso2", "journey_factory_type", "area")
              .agg(high=(pl.col("opportunity_level") == "high").sum(), assessed=pl.len()))
    groups = (opps.group_by("country_iso2", "journey_factory_type")
              .agg(pl.col("facility_id").n_unique().alias("facilities"))
              .sort(["facilities", "country_iso2", "journey_factory_type"],
                    descending=[True, False, False])
              .head(MAX_GROUP_ROWS))
    lookup = {(r["country_iso2"], r["journey_factory_type"], r["area"]): r
              for r in counts.to_dicts()}
    labels, cells, texts = [], [], []
    for g in groups.to_dicts():
        country, ftype = g["country_iso2"], g["journey_factory_type"]
        type_label = tr(FACTORY_TYPES[ftype]) if ftype in FACTORY_TYPES else "–"
        labels.append(f"{country_name(tr, country)} · {type_label} ({tr.number(g['facilities'])})")
        row_cells: list[float | None] = []
        row_texts: list[str] = []
        for area in AREA_ORDER:
            r = lookup.get((country, ftype, area))
            row_cells.append(r["high"] / r["assessed"] if r else None)
            row_texts.append(f"{tr.number(r['high'])}/{tr.number(r['assessed'])}" if r else "–")
        cells.append(row_cells)
        texts.append(row_texts)
    return charts.heatmap(labels, [tr(AREAS[a]) for a in AREA_ORDER], cells, texts, title,
                          font=charts.font_for(tr.lang), label_width=190.0)


def build_portfolio_context(data: ReportData, tr: Translator, facility_ids: list[str] | None = None,
                            title: str = "", today: dt.date | None = None) -> Context:
    """Opportunities by area × country × factory type, top gaps and savings of a set."""
    ids = facility_ids or sorted(set(data.matrix["facility_id"].to_list()))
    matrix = _latest(data.matrix, ids)
    keys = matrix.select("facility_id", "year")
    opps = data.opportunities.join(keys, on=["facility_id", "year"], how="semi")
    steps = data.pathways.join(keys, on=["facility_id", "year"], how="semi")
    measures = data.measures.join(keys, on=["facility_id", "year"], how="semi")
    h = portfolio_headings(tr)

    by_size = matrix["country_iso2"].drop_nulls().value_counts(sort=True)
    countries = sorted(by_size["country_iso2"].head(MAX_COUNTRY_COLUMNS).to_list())
    types = [t for t in FACTORY_TYPES if t in set(matrix["journey_factory_type"].to_list())]
    names = dict(zip(matrix["facility_id"].to_list(), matrix["facility_name"].to_list(),
                     strict=True))
    top = (steps.filter(pl.col("pathway") == "recommended").sort("priority", descending=True,
                                                                 nulls_last=True).head(15))
    priorities = []
    for r in top.to_dicts():
        fid = str(r["facility_id"])
        m_rows = measures.filter(pl.col("facility_id") == fid)
        priorities.append({
            "facility": names.get(fid) or fid, "id": fid,
            "country": country_name(tr, r.get("country_iso2")
                                    or _first(matrix, fid, "country_iso2")),
            "type": tr(FACTORY_TYPES.get(str(r.get("journey_factory_type")), "Mill")),
            "area": tr(AREAS[str(r["area"])]),
            "priority": tr.number(r.get("priority")),
            "savings": tr.money(float(m_rows["money_saved_usd"].fill_null(0).sum())),
        })
    by_area = []
    for area in AREA_ORDER:
        sub = measures.filter(pl.col("area").cast(pl.String) == area)
        if sub.height == 0:
            continue
        by_area.append({
            "area": tr(AREAS[area]),
            "facilities": tr.number(sub["facility_id"].n_unique()),
            "savings": tr.money(float(sub["money_saved_usd"].fill_null(0).sum())),
            "investment": tr.money(float(sub["investment_usd"].fill_null(0).sum())),
            "co2e": tr("{n} t", n=tr.number(float(sub["co2e_saved_kgco2e"].fill_null(0).sum())
                                             / 1000)),
        })
    high_count = opps.filter(pl.col("opportunity_level") == "high").height
    return {
        "kind": "portfolio",
        "lang": tr.lang,
        "headings": h,
        "title": title or h["report"],
        "labels": {
            "facility": tr("Facility"), "country": tr("Country"), "type": tr("Factory type"),
            "area": tr("Impact area"), "priority": tr("Priority"),
            "savings": tr("Savings per year"), "investment": tr("Investment"),
            "co2e": tr("CO2e avoided per year"), "facilities": tr("Facilities"),
            "total": tr("Total"),
            "heat_note": tr("Each cell: facilities with a high opportunity / facilities assessed."),
            "version_name": tr("Reference"), "version_value": tr("Version and source"),
            "estimates_note": tr("Savings are estimates; negative values mean added cost."),
            "page": tr("Page {page} of {pages}"),
        },
        "summary": [
            {"label": tr("Facilities"), "value": tr.number(len(ids))},
            {"label": tr("Countries"), "value": tr.number(by_size.height)},
            {"label": tr("High opportunities"), "value": tr.number(high_count)},
            {"label": tr("Savings per year"),
             "value": tr.money(float(measures["money_saved_usd"].fill_null(0).sum()))},
        ],
        "by_country": _heat(tr, opps, "country_iso2", countries,
                            [country_name(tr, c) for c in countries], h["by_country"]),
        "by_type": _heat(tr, opps, "journey_factory_type", types,
                         [tr(FACTORY_TYPES[t]) for t in types], h["by_type"]),
        "by_country_type": _country_type_heat(tr, opps, h["by_country_type"]),
        "priorities": priorities,
        "savings": by_area,
        "totals": {
            "savings": tr.money(float(measures["money_saved_usd"].fill_null(0).sum())),
            "investment": tr.money(float(measures["investment_usd"].fill_null(0).sum())),
            "co2e": tr("{n} t", n=tr.number(float(measures["co2e_saved_kgco2e"].fill_null(0)
                                                   .sum()) / 1000)),
        },
        "versions": reference_rows(tr, data.versions),
        "generated": tr("Generated on {date}", date=tr.date(today or dt.date.today())),
    }


def _first(matrix: pl.DataFrame, facility_id: str, column: str) -> Any:
    rows = matrix.filter(pl.col("facility_id") == facility_id)[column]
    return rows[0] if rows.len() else None
