"""The evaluation report as one self-contained HTML page (inline CSS and SVG, no network).

Laid out like the seed's "Proof of Concept — The Results": headline improvement shares,
participation record, country distribution, regional insights, then the effect against the
control group, improvement cycles, caveats on data quality and the method. Every figure shows
the counts behind it. All text from data is escaped (`html.escape`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

import polars as pl

from factory_journey.engine.evaluation import REASONS, EvaluationResult
from factory_journey.services.evaluation_charts import (
    SERIES,
    Bar,
    Interval,
    bar_chart,
    effect_chart,
)

if TYPE_CHECKING:
    from factory_journey.services.evaluation import Headline

GROUP_COLOURS = {"clp_stz": SERIES[0], "stz_only": SERIES[1], "clp_only": SERIES[2],
                 "other_programme": SERIES[3], "control": SERIES[4]}

#: Areas whose effect is drawn as a chart (all areas are in the table).
EFFECT_CHART_AREAS: tuple[str, ...] = ("energy", "water", "wastewater", "chemicals")

STYLE = """
body{font-family:system-ui,'Noto Sans','Segoe UI',Arial,sans-serif;color:#1f2937;margin:0;
background:#f8fafc}
main{max-width:980px;margin:0 auto;padding:24px 28px 48px;background:#fff}
h1{font-size:26px;margin:8px 0 4px}h2{font-size:20px;margin:32px 0 8px;
border-bottom:2px solid #0f766e;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
.sub{color:#6b7280;margin:0 0 16px}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{flex:1 1 150px;border:1px solid #e5e7eb;border-radius:8px;padding:12px 14px}
.card .big{font-size:30px;font-weight:700;color:#0f766e}.card .what{font-size:13px}
.card .n{font-size:12px;color:#6b7280}
table{border-collapse:collapse;font-size:13px;margin:8px 0 4px;width:100%}
th,td{border-bottom:1px solid #e5e7eb;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f1f5f9}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#6b7280}.caveat{background:#fff7ed;border-left:4px solid #c2410c;
padding:6px 10px;margin:6px 0;font-size:13px}
.note{font-size:12px;color:#6b7280}figure{margin:8px 0}
@media print{body{background:#fff}main{padding:0}h2{break-after:avoid}
table,figure,.cards{break-inside:avoid}}
"""


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _num(value: float | None, digits: int = 1, sign: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+,.{digits}f}" if sign else f"{value:,.{digits}f}"


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]],
           numeric: Sequence[int] = ()) -> str:
    """An HTML table; cells are escaped text, `numeric` column indexes are right-aligned."""
    head = "".join(
        f'<th class="num">{escape(h)}</th>' if i in numeric else f"<th>{escape(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{escape(str(c))}</td>' if i in numeric else
            f"<td>{escape(str(c))}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _share_cell(row: dict[str, Any]) -> str:
    if not row["n_comparable"]:
        return f"– (0 of {row['n_facilities']})"
    return f"{_pct(row['share_improved'])} ({row['n_improved']}/{row['n_comparable']})"


class _Context:
    """Labels shared by the sections."""

    def __init__(self, result: EvaluationResult, country_names: dict[str, str]) -> None:
        self.result = result
        self.rules = result.rules
        self.country_names = country_names
        self.area_labels = {a: r.label for a, r in self.rules.areas.items()}
        self.units = {a: r.change_unit for a, r in self.rules.areas.items()}

    def group(self, key: str | None) -> str:
        return "no group" if key is None else self.rules.group_label(key)

    def short_group(self, key: str | None) -> str:
        return self.group(key).removeprefix("Participated in ")

    def country(self, code: str | None) -> str:
        if code is None:
            return "unknown country"
        return self.country_names.get(code, code)


def _headline_section(ctx: _Context, figures: Sequence[Headline]) -> str:
    cards = "".join(
        f'<div class="card"><div class="big">{_pct(h.share_improved)}</div>'
        f'<div class="what">{escape(h.improved)}</div>'
        f'<div class="n">{h.n_improved} of {h.n_comparable} comparable · '
        f'{h.n_facilities} in cohort</div></div>'
        for h in figures
    )
    chart = bar_chart(
        [Bar(h.label, h.share_improved, f"n={h.n_comparable}") for h in figures],
        "Share of facilities improving per impact area", maximum=1.0,
    )
    sentences = "".join(f"<li>{escape(h.sentence())}.</li>" for h in figures)
    return (f"<h2>Headline results</h2><div class=\"cards\">{cards}</div>"
            f"<figure>{chart}</figure><ul>{sentences}</ul>"
            '<p class="note">A share is over the facilities with comparable data in both years '
            "(n); the others are counted in the caveats below, never dropped.</p>")


def _participation_section(ctx: _Context) -> str:
    sizes = ctx.result.group_sizes.filter(
        (pl.col("n_facilities") > 0) | pl.col("is_control")
    )
    cards = "".join(
        f'<div class="card"><div class="what">{escape(row["label"])}</div>'
        f'<div class="big">{row["n_facilities"]}</div></div>'
        for row in sizes.iter_rows(named=True)
    )
    chart = bar_chart(
        [Bar(ctx.short_group(r["group"]), float(r["n_facilities"]), "",
             GROUP_COLOURS.get(r["group"], SERIES[0])) for r in sizes.iter_rows(named=True)],
        "Participation record", percent=False,
    )
    return (f"<h2>Participation record of the facilities</h2>"
            f"<div class=\"cards\">{cards}</div><figure>{chart}</figure>")


def _country_section(ctx: _Context) -> str:
    dist = ctx.result.country_distribution
    chart = bar_chart(
        [Bar(ctx.country(r["country_iso2"]), float(r["n_facilities"]))
         for r in dist.iter_rows(named=True)],
        "Country distribution", percent=False,
    )
    keys = [k for k in ctx.rules.group_keys if k in dist.columns and dist[k].sum() > 0]
    table = _table(
        ["Country", "Facilities", *(ctx.short_group(k) for k in keys)],
        ([ctx.country(r["country_iso2"]), r["n_facilities"], *(r[k] for k in keys)]
         for r in dist.iter_rows(named=True)),
        numeric=range(1, len(keys) + 2),
    )
    return f"<h2>Country distribution</h2><figure>{chart}</figure>{table}"


def _groups_section(ctx: _Context) -> str:
    shares = ctx.result.shares_by_group
    groups = [g for g in ctx.rules.group_keys if g in set(shares["group"].to_list())]
    cells = {(r["group"], r["area"]): r for r in shares.iter_rows(named=True)}
    rows = [
        [ctx.area_labels[a], *(_share_cell(cells[(g, a)]) if (g, a) in cells else "–"
                               for g in groups)]
        for a in ctx.rules.areas
    ]
    table = _table(["Area", *(ctx.short_group(g) for g in groups)], rows,
                   numeric=range(1, len(groups) + 1))
    charts = []
    for area in ("energy", "water"):
        bars = [Bar(ctx.short_group(g), cells[(g, area)]["share_improved"],
                    f"n={cells[(g, area)]['n_comparable']}", GROUP_COLOURS.get(g, SERIES[0]))
                for g in groups if (g, area) in cells]
        if bars:
            charts.append(f"<h3>{escape(ctx.area_labels[area])}</h3><figure>"
                          + bar_chart(bars, f"{ctx.area_labels[area]} by group", maximum=1.0)
                          + "</figure>")
    change = ctx.result.change_by_group
    change_rows = [
        [ctx.area_labels.get(r["area"], r["area"]), ctx.short_group(r["group"]),
         r["n_comparable"], _num(r["mean_change"], sign=True),
         _num(r["median_change"], sign=True), r["change_unit"]]
        for r in change.iter_rows(named=True)
    ]
    change_table = _table(["Area", "Group", "n", "Mean change", "Median change", "Unit"],
                          change_rows, numeric=(2, 3, 4))
    return ("<h2>Share of facilities improving, by participation group</h2>"
            "<p class=\"note\">Share improved (improved / comparable facilities).</p>"
            f"{table}{''.join(charts)}<h3>Change per group</h3>"
            "<p class=\"note\">For intensities a negative change is a reduction (better); "
            "for shares and counts a positive change is better.</p>" + change_table)


def _effect_section(ctx: _Context) -> str:
    did = ctx.result.did
    rules = ctx.rules
    intro = (
        "<p>Difference-in-differences: the mean change of a group minus the mean change of "
        f"the control group ({escape(ctx.group(rules.control_group))}), in the area's change "
        f"unit. {rules.bootstrap.confidence:.0%} intervals: bootstrap percentile "
        f"({rules.bootstrap.replicates:,} resamples of facilities within each group, seed "
        f"{rules.bootstrap.seed}) and Welch's t interval (scipy), with its p-value. No "
        f"estimate below {rules.min_group_size} comparable facilities in a group or in the "
        "control group.</p>"
    )
    if did.is_empty():
        return f"<h2>Effect against the control group</h2>{intro}<p>No estimate.</p>"
    charts = []
    for area in EFFECT_CHART_AREAS:
        rows = did.filter(pl.col("area") == area)
        if rows.is_empty():
            continue
        intervals = [
            Interval(ctx.short_group(r["group"]), r["did"], r["ci_low"], r["ci_high"],
                     f"n={r['n_group']} vs {r['n_control']}" if r["did"] is not None
                     else "too few facilities")
            for r in rows.iter_rows(named=True)
        ]
        charts.append(f"<h3>{escape(ctx.area_labels[area])}</h3><figure>"
                      + effect_chart(intervals, f"Effect on {ctx.area_labels[area]}",
                                     ctx.units[area],
                                     lower_is_better=rules.areas[area].direction
                                     == "lower_is_better")
                      + "</figure>")
    table_rows = [
        [ctx.area_labels.get(r["area"], r["area"]), ctx.short_group(r["group"]),
         r["n_group"], r["n_control"], _num(r["mean_change_group"], sign=True),
         _num(r["mean_change_control"], sign=True), _num(r["did"], sign=True),
         f"{_num(r['ci_low'], sign=True)} to {_num(r['ci_high'], sign=True)}"
         if r["did"] is not None else "–",
         f"{_num(r['welch_ci_low'], sign=True)} to {_num(r['welch_ci_high'], sign=True)}"
         if r["did"] is not None else "–",
         _p(r["p_value"]), ctx.units.get(r["area"], ""), r["note"] or ""]
        for r in did.iter_rows(named=True)
    ]
    table = _table(["Area", "Group", "n group", "n control", "Group change", "Control change",
                    "DiD", "Bootstrap CI", "Welch CI", "p", "Unit", "Note"], table_rows,
                   numeric=(2, 3, 4, 5, 6, 9))
    return f"<h2>Effect against the control group</h2>{intro}{''.join(charts)}{table}"


def _regional_section(ctx: _Context) -> str:
    sentences = []
    for area in ("energy", "water"):
        ranked = ctx.result.regional_insights.filter(
            (pl.col("area") == area) & pl.col("rank").is_not_null()
        ).head(2)
        if ranked.is_empty():
            continue
        named = ", ".join(
            f"{ctx.country(r['country_iso2'])} ({_pct(r['share_improved'])}, "
            f"n={r['n_comparable']})" for r in ranked.iter_rows(named=True)
        )
        sentences.append(f"<li>{escape(ctx.area_labels[area])}: the highest shares of "
                         f"facilities improving were in {escape(named)}.</li>")
    shares = ctx.result.shares_by_country
    countries = shares.get_column("country_iso2").unique(maintain_order=True).to_list()
    cells = {(r["country_iso2"], r["area"]): r for r in shares.iter_rows(named=True)}
    rows = [[ctx.country(c), *(_share_cell(cells[(c, a)]) if (c, a) in cells else "–"
                               for a in ctx.rules.areas)] for c in countries]
    table = _table(["Country", *ctx.area_labels.values()], rows,
                   numeric=range(1, len(ctx.area_labels) + 1))
    return ("<h2>Regional insights</h2>"
            f"<ul>{''.join(sentences) or '<li>Too few facilities per country to rank.</li>'}"
            f"</ul>{table}<p class=\"note\">Countries with fewer than "
            f"{ctx.rules.min_group_size} comparable facilities in an area are not ranked.</p>")


def _cycles_section(ctx: _Context) -> str:
    cycles = ctx.result.shares_by_cycle
    if cycles.is_empty():
        return ("<h2>Improvement cycles</h2><p>No cycle of "
                f"{ctx.result.cycle_years} years fits in the evaluation window.</p>")
    cells = {(r["cycle"], r["area"]): r for r in cycles.iter_rows(named=True)}
    spans = cycles.select("cycle_years", "cycle", "start_year", "end_year").unique().sort(
        "cycle_years", "cycle")
    rows = [
        [f"{r['start_year']}→{r['end_year']} ({r['cycle_years']} y)",
         *(_share_cell(cells[(r["cycle"], a)]) if (r["cycle"], a) in cells else "–"
           for a in ctx.rules.areas)]
        for r in spans.iter_rows(named=True)
    ]
    return ("<h2>Improvement cycles</h2><p>Share of facilities improving in each cycle "
            f"(default cycle {ctx.result.cycle_years} year(s); a facility may have its own).</p>"
            + _table(["Cycle", *ctx.area_labels.values()], rows,
                     numeric=range(1, len(ctx.area_labels) + 1)))


def _caveats_section(ctx: _Context) -> str:
    items = "".join(
        f'<div class="caveat">{escape(c.message)}'
        + (f' <span class="muted">e.g. {escape(", ".join(c.examples))}</span>'
           if c.examples else "") + "</div>"
        for c in ctx.result.caveats
    ) or "<p>No caveats.</p>"
    reasons = (
        ctx.result.changes.filter(pl.col("reason").is_not_null())
        .group_by("area", "reason").agg(pl.len().alias("n"))
    )
    order = {a: i for i, a in enumerate(ctx.rules.areas)}
    rows = sorted(reasons.rows(), key=lambda r: (order.get(r[0], 99), -r[2], r[1]))
    table = _table(["Area", "Not comparable because", "Facilities"],
                   ([ctx.area_labels.get(a, a), REASONS.get(r, r), n] for a, r, n in rows),
                   numeric=(2,))
    return (f"<h2>Caveats on data quality</h2>{items}"
            f"<h3>Facilities without comparable data</h3>{table}"
            "<p class=\"note\">Each facility and area with its reason and the years involved "
            "is in facility_changes.csv.</p>")


def _method_section(ctx: _Context) -> str:
    rules = ctx.rules
    rows = [
        [r.label, r.indicator, r.direction.replace("_", " "),
         f"±{r.noise_band:.0%} of baseline" if r.change == "relative"
         else (f"±{r.noise_band:g}" if r.derived_count_of_areas
               else f"±{r.noise_band * 100:g} percentage points"),
         r.min_months_reported or "–", "yes" if r.annualise_partial_years else "no",
         "yes" if r.same_factory_type_required else "no"]
        for r in rules.areas.values()
    ]
    table = _table(["Area", "Indicator", "Better", "Noise band (held)", "Min. months",
                    "Annualised", "Same factory type"], rows)
    groups = "".join(
        f"<li><b>{escape(g.label)}</b> ({escape(g.key)}): "
        + escape("no programme" if g.none else "any programme" if g.any and not g.all_of
                 else "all of " + ", ".join(g.all_of)
                 + (f"; none of {', '.join(g.none_of)}" if g.none_of else ""))
        + "</li>"
        for g in rules.groups
    )
    quality = ("disputed input excluded" if rules.exclude_disputed else "disputed input kept")
    return (
        f"<h2>Method</h2><p>Rules {escape(rules.name)} (version {escape(rules.version)}). "
        "A facility improved when its change beyond the noise band goes the better way, "
        "regressed when it goes the other way, and held inside the band. Both years must "
        f"be present and usable ({escape(quality)}; minimum verified share "
        f"{rules.min_verified_share:.0%}).</p>{table}"
        "<h3>Participation groups</h3><p>From the programmes active between 1 January of "
        f"the baseline year and 31 December of the follow-up year; first rule that "
        f"matches:</p><ul>{groups}</ul>"
        "<p class=\"note\">A PDF of this report is not produced yet: it belongs to the report "
        "layer (issue 5). Print this page to PDF from a browser meanwhile.</p>"
    )


def render_report(
    result: EvaluationResult,
    figures: Sequence[Headline],
    *,
    dataset_name: str,
    country_names: dict[str, str],
    created: str,
) -> str:
    """The whole report as one HTML document (UTF-8 text)."""
    ctx = _Context(result, country_names)
    title = (f"Factory Improvement Journey — evaluation {result.baseline_year}–"
             f"{result.followup_year}")
    subtitle = (
        f"Dataset {dataset_name} · cohort: {result.cohort.describe()} · baseline "
        f"{result.baseline_year}, follow-up {result.followup_year} · improvement cycle "
        f"{result.cycle_years} year(s) · rules {result.rules.name} · created {created}"
    )
    sections = (
        _headline_section(ctx, figures),
        _participation_section(ctx),
        _country_section(ctx),
        _regional_section(ctx),
        _groups_section(ctx),
        _effect_section(ctx),
        _cycles_section(ctx),
        _caveats_section(ctx),
        _method_section(ctx),
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>"
        f"<p class=\"sub\">Proof of Concept — the results</p><h1>{escape(title)}</h1>"
        f"<p class=\"sub\">{escape(subtitle)}</p>{''.join(sections)}</main></body></html>\n"
    )
