"""Evaluation report context: an `EvaluationResult` → one plain, JSON-able dict.

Pure (no I/O). Laid out like the seed's "Proof of Concept — The Results": headline improvement
shares, participation record, country distribution, regional insights, shares by group, the
effect against the control group, improvement cycles, caveats on data quality and the method.
Every figure carries the counts behind it. The HTML template (`evaluation.html.j2`, autoescaped)
and the typst template (`evaluation.typ`, data through `sys.inputs`) render the same dict.

English only: the area, group and caveat texts come from the evaluation rules and the engine
in English, so a translated frame around them would mix languages (decision 0005, point 9).
Table cells are text; `numeric` lists the columns to align right.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import polars as pl

from factory_journey.engine.evaluation import REASONS, EvaluationResult
from factory_journey.engine.evaluation.rules import AreaRule, GroupRule
from factory_journey.reports.charts import MUTED, SERIES
from factory_journey.reports.evaluation_charts import Bar, Interval, bar_chart, effect_chart
from factory_journey.reports.report_data import Context

#: Areas whose effect is drawn as a chart (every area is in the table).
EFFECT_CHART_AREAS: tuple[str, ...] = ("energy", "water", "wastewater", "chemicals")
#: Areas whose share by group is drawn as a chart (every area is in the table).
GROUP_CHART_AREAS: tuple[str, ...] = ("energy", "water")


class HeadlineFigure(Protocol):
    """A headline share as the evaluation service computes it (`services.evaluation.Headline`)."""

    @property
    def label(self) -> str: ...
    @property
    def improved(self) -> str: ...
    @property
    def share_improved(self) -> float | None: ...
    @property
    def n_improved(self) -> int: ...
    @property
    def n_comparable(self) -> int: ...
    @property
    def n_facilities(self) -> int: ...
    def sentence(self) -> str: ...


HEADINGS: dict[str, str] = {
    "headline": "Headline results",
    "participation": "Participation record of the facilities",
    "countries": "Country distribution",
    "regional": "Regional insights",
    "groups": "Share of facilities improving, by participation group",
    "effect": "Effect against the control group",
    "cycles": "Improvement cycles",
    "caveats": "Caveats on data quality",
    "method": "Method",
}


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


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "–"
    return f"{_num(low, sign=True)} to {_num(high, sign=True)}"


def _share_cell(row: dict[str, Any]) -> str:
    if not row["n_comparable"]:
        return f"– (0 of {row['n_facilities']})"
    return f"{_pct(row['share_improved'])} ({row['n_improved']}/{row['n_comparable']})"


def _table(head: Sequence[str], rows: Iterable[Sequence[Any]],
           numeric: Iterable[int] = ()) -> dict[str, Any]:
    return {"head": list(head), "rows": [[str(cell) for cell in row] for row in rows],
            "numeric": list(numeric)}


class _Labels:
    """Names of areas, groups and countries shared by the sections."""

    def __init__(self, result: EvaluationResult, country_names: dict[str, str]) -> None:
        self.result = result
        self.rules = result.rules
        self.country_names = country_names
        self.areas = {a: r.label for a, r in self.rules.areas.items()}
        self.units = {a: r.change_unit for a, r in self.rules.areas.items()}

    def group(self, key: str | None) -> str:
        return "no group" if key is None else self.rules.group_label(key)

    def short_group(self, key: str | None) -> str:
        return self.group(key).removeprefix("Participated in ")

    def colour(self, key: str) -> str:
        if key == self.rules.control_group:
            return MUTED
        keys = self.rules.group_keys
        return SERIES[keys.index(key) % len(SERIES)] if key in keys else SERIES[0]

    def country(self, code: str | None) -> str:
        if code is None:
            return "unknown country"
        return self.country_names.get(code, code)

    def area_shares(self, frame: pl.DataFrame, key: str) -> tuple[list[Any], dict[Any, Any]]:
        """Row keys of a share table (first-seen order) and its rows by (key, area)."""
        keys = frame.get_column(key).unique(maintain_order=True).to_list()
        return keys, {(r[key], r["area"]): r for r in frame.iter_rows(named=True)}

    def share_row(self, cells: dict[Any, Any], key: Any) -> list[str]:
        return [_share_cell(cells[(key, a)]) if (key, a) in cells else "–" for a in self.areas]


def _headline(figures: Sequence[HeadlineFigure]) -> Context:
    return {
        "cards": [{"share": _pct(h.share_improved), "what": h.improved,
                   "counts": f"{h.n_improved} of {h.n_comparable} comparable · "
                             f"{h.n_facilities} in cohort"} for h in figures],
        "chart": bar_chart(
            [Bar(h.label, h.share_improved, _pct(h.share_improved),
                 f"{h.n_improved} of {h.n_comparable}") for h in figures],
            "Share of facilities improving per impact area", maximum=1.0),
        "sentences": [h.sentence() + "." for h in figures],
        "note": "A share is over the facilities with comparable data in both years; the others "
                "are counted in the caveats below, never dropped.",
    }


def _participation(lab: _Labels) -> Context:
    sizes = lab.result.group_sizes.filter((pl.col("n_facilities") > 0) | pl.col("is_control"))
    rows = list(sizes.iter_rows(named=True))
    return {
        "cards": [{"label": r["label"], "n": str(r["n_facilities"])} for r in rows],
        "chart": bar_chart(
            [Bar(lab.short_group(r["group"]), float(r["n_facilities"]), str(r["n_facilities"]),
                 colour=lab.colour(r["group"])) for r in rows],
            "Participation record"),
    }


def _countries(lab: _Labels) -> Context:
    dist = lab.result.country_distribution
    rows = list(dist.iter_rows(named=True))
    keys = [k for k in lab.rules.group_keys if k in dist.columns and dist[k].sum() > 0]
    return {
        "chart": bar_chart([Bar(lab.country(r["country_iso2"]), float(r["n_facilities"]),
                                str(r["n_facilities"])) for r in rows], "Country distribution"),
        "table": _table(["Country", "Facilities", *(lab.short_group(k) for k in keys)],
                        ([lab.country(r["country_iso2"]), r["n_facilities"],
                          *(r[k] for k in keys)] for r in rows),
                        numeric=range(1, len(keys) + 2)),
    }


def _regional(lab: _Labels, insights: Sequence[str]) -> Context:
    countries, cells = lab.area_shares(lab.result.shares_by_country, "country_iso2")
    return {
        "sentences": list(insights) or ["Too few facilities per country to rank."],
        "table": _table(["Country", *lab.areas.values()],
                        ([lab.country(c), *lab.share_row(cells, c)] for c in countries),
                        numeric=range(1, len(lab.areas) + 1)),
        "note": f"Share improved (improved/comparable facilities). Countries with fewer than "
                f"{lab.rules.min_group_size} comparable facilities in an area are not ranked.",
    }


def _groups(lab: _Labels) -> Context:
    present, cells = lab.area_shares(lab.result.shares_by_group, "group")
    groups = [g for g in lab.rules.group_keys if g in present]
    charts = []
    for area in GROUP_CHART_AREAS:
        bars = [Bar(lab.short_group(g), cells[(g, area)]["share_improved"],
                    _pct(cells[(g, area)]["share_improved"]),
                    f"n={cells[(g, area)]['n_comparable']}", lab.colour(g))
                for g in groups if (g, area) in cells]
        if bars:
            charts.append({"title": lab.areas[area],
                           "svg": bar_chart(bars, f"{lab.areas[area]} by group", maximum=1.0)})
    change_rows = [
        [lab.areas.get(r["area"], r["area"]), lab.short_group(r["group"]), r["n_comparable"],
         _num(r["mean_change"], sign=True), _num(r["median_change"], sign=True),
         r["change_unit"]]
        for r in lab.result.change_by_group.iter_rows(named=True)
    ]
    return {
        "note": "Share improved (improved/comparable facilities).",
        "table": _table(["Area", *(lab.short_group(g) for g in groups)],
                        ([label, *(_share_cell(cells[(g, a)]) if (g, a) in cells else "–"
                                   for g in groups)] for a, label in lab.areas.items()),
                        numeric=range(1, len(groups) + 1)),
        "charts": charts,
        "change_heading": "Change per group",
        "change_note": "For intensities a negative change is a reduction (better); for shares "
                       "and counts a positive change is better.",
        "change_table": _table(["Area", "Group", "n", "Mean change", "Median change", "Unit"],
                               change_rows, numeric=(2, 3, 4)),
    }


def _effect_charts(lab: _Labels) -> list[dict[str, str]]:
    charts = []
    for area in EFFECT_CHART_AREAS:
        area_rows = lab.result.did.filter(pl.col("area") == area)
        if area_rows.get_column("did").drop_nulls().is_empty():
            continue  # nothing to draw; the table says why
        intervals = [
            Interval(lab.short_group(r["group"]), r["did"], r["ci_low"], r["ci_high"],
                     ("" if r["did"] is not None else "too few: ")
                     + f"n={r['n_group']} vs {r['n_control']}")
            for r in area_rows.iter_rows(named=True)
        ]
        lower_is_better = lab.rules.areas[area].direction == "lower_is_better"
        charts.append({"title": f"{lab.areas[area]} ({lab.units[area]})",
                       "svg": effect_chart(intervals, f"Effect on {lab.areas[area]}",
                                           lab.units[area], lower_is_better=lower_is_better)})
    return charts


def _effect(lab: _Labels) -> Context:
    did, rules = lab.result.did, lab.rules
    confidence = f"{rules.bootstrap.confidence:.0%}"
    intro = (
        "Difference-in-differences: the mean change of a group minus the mean change of the "
        f"control group ({lab.group(rules.control_group)}), in the area's change unit. "
        f"{confidence} intervals: bootstrap percentile ({rules.bootstrap.replicates:,} resamples "
        f"of facilities within each group, seed {rules.bootstrap.seed}) and Welch's t interval, "
        f"with its p-value. No estimate below {rules.min_group_size} comparable facilities in a "
        "group or in the control group: such rows say why."
    )
    rows = [
        [f"{lab.areas.get(r['area'], r['area'])} ({lab.units.get(r['area'], '')})",
         lab.short_group(r["group"]), f"{r['n_group']} / {r['n_control']}",
         _num(r["mean_change_group"], sign=True), _num(r["mean_change_control"], sign=True),
         _num(r["did"], sign=True), _interval(r["ci_low"], r["ci_high"]),
         _interval(r["welch_ci_low"], r["welch_ci_high"]), _p(r["p_value"]), r["note"] or ""]
        for r in did.iter_rows(named=True)
    ]
    return {
        "intro": intro,
        "charts": _effect_charts(lab),
        "table": _table(["Area (unit)", "Group", "n group / control", "Group change",
                         "Control change", "DiD", f"{confidence} CI bootstrap",
                         f"{confidence} CI Welch", "p", "Note"], rows, numeric=(2, 3, 4, 5, 8)),
        "empty": "No estimate: no group has comparable data." if did.is_empty() else "",
    }


def _cycles(lab: _Labels) -> Context:
    cycles = lab.result.shares_by_cycle
    if cycles.is_empty():
        return {"intro": f"No cycle of {lab.result.cycle_years} year(s) fits in the evaluation "
                         "window.", "table": _table([], [])}
    _, cells = lab.area_shares(cycles, "cycle")
    spans = cycles.select("cycle_years", "cycle", "start_year", "end_year").unique().sort(
        "cycle_years", "cycle")
    return {
        "intro": "Share of facilities improving in each cycle (default cycle "
                 f"{lab.result.cycle_years} year(s); a facility may have its own).",
        "table": _table(["Cycle", *lab.areas.values()],
                        ([f"{r['start_year']}–{r['end_year']} ({r['cycle_years']} y)",
                          *lab.share_row(cells, r["cycle"])]
                         for r in spans.iter_rows(named=True)),
                        numeric=range(1, len(lab.areas) + 1)),
    }


def _caveats(lab: _Labels) -> Context:
    reasons = (lab.result.changes.filter(pl.col("reason").is_not_null())
               .group_by("area", "reason").agg(pl.len().alias("n")))
    order = {a: i for i, a in enumerate(lab.rules.areas)}
    rows = sorted(reasons.rows(), key=lambda r: (order.get(r[0], 99), -r[2], r[1]))
    return {
        "entries": [{"message": c.message,
                   "examples": f"e.g. {', '.join(c.examples)}" if c.examples else ""}
                  for c in lab.result.caveats],
        "empty": "No caveats." if not lab.result.caveats else "",
        "reasons_heading": "Facilities without comparable data",
        "reasons": _table(["Area", "Not comparable because", "Facilities"],
                          ([lab.areas.get(a, a), REASONS.get(r, r), n] for a, r, n in rows),
                          numeric=(2,)),
        "note": "Each facility and area with its reason and the years involved is in "
                "facility_changes.csv.",
    }


def _band(rule: AreaRule) -> str:
    if rule.change == "relative":
        return f"±{rule.noise_band:.0%} of baseline"
    if rule.derived_count_of_areas:
        return f"±{rule.noise_band:g}"
    return f"±{rule.noise_band * 100:g} percentage points"


def _group_rule(group: GroupRule) -> str:
    if group.none:
        return "no programme"
    if group.any and not group.all_of:
        return "any programme"
    text = "all of " + ", ".join(group.all_of)
    return text + (f"; none of {', '.join(group.none_of)}" if group.none_of else "")


def _method(lab: _Labels) -> Context:
    rules = lab.rules
    quality = "disputed input excluded" if rules.exclude_disputed else "disputed input kept"
    return {
        "intro": f"Rules {rules.name} (version {rules.version}). A facility improved when its "
                 "change beyond the noise band goes the better way, regressed when it goes the "
                 "other way, and held inside the band. Both years must be present and usable "
                 f"({quality}; minimum verified share {rules.min_verified_share:.0%}).",
        "table": _table(["Area", "Indicator", "Better", "Noise band (held)", "Min. months",
                         "Annualised", "Same factory type"],
                        ([r.label, r.indicator, r.direction.replace("_", " "), _band(r),
                          r.min_months_reported or "–",
                          "yes" if r.annualise_partial_years else "no",
                          "yes" if r.same_factory_type_required else "no"]
                         for r in rules.areas.values())),
        "groups_heading": "Participation groups",
        "groups_intro": "From the programmes active between 1 January of the baseline year and "
                        "31 December of the follow-up year; the first rule that matches:",
        "groups": [{"label": g.label, "key": g.key, "rule": _group_rule(g)}
                   for g in rules.groups],
    }


def build_evaluation_context(
    result: EvaluationResult,
    headlines: Sequence[HeadlineFigure],
    *,
    insights: Sequence[str],
    dataset_name: str,
    country_names: dict[str, str],
    created: str,
) -> Context:
    """Everything the evaluation report shows, formatted, charts included as SVG.

    `headlines` and `insights` (regional insight sentences with country names) are those the
    evaluation service computes; `country_names` maps ISO alpha-2 codes to names; `created`
    is the creation time written in the footer.
    """
    lab = _Labels(result, country_names)
    title = f"Factory Improvement Journey — evaluation {result.baseline_year}–" \
            f"{result.followup_year}"
    return {
        "kind": "evaluation",
        "lang": "en",
        "title": title,
        "kicker": "Proof of Concept — the results",
        "subtitle": (
            f"Dataset {dataset_name} · cohort: {result.cohort.describe()} · baseline "
            f"{result.baseline_year}, follow-up {result.followup_year} · improvement cycle "
            f"{result.cycle_years} year(s) · rules {result.rules.name}"
        ),
        "generated": f"Created {created}",
        "headings": dict(HEADINGS),
        "labels": {"page": "Page {page} of {pages}"},
        "headline": _headline(headlines),
        "participation": _participation(lab),
        "countries": _countries(lab),
        "regional": _regional(lab, insights),
        "groups": _groups(lab),
        "effect": _effect(lab),
        "cycles": _cycles(lab),
        "caveats": _caveats(lab),
        "method": _method(lab),
    }
