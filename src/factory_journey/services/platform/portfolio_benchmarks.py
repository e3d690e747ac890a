"""Anonymised benchmarks of a (filtered) portfolio: box plots per peer group.

A peer group is the facilities of one country and factory type (and, for intensities, one
production basis, so that no box mixes pieces and kilograms). A group shows a box only with at
least `min_group_size` facilities that have a value (reference/data/portfolio_benchmarks.yaml,
5); smaller groups are counted, never drawn, and no box names a facility. The charts are the
report's SVG style (`reports.benchmark_charts`), with `n` beside every box.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from functools import cache
from typing import Any

from factory_journey.services.platform.portfolio_view import PortfolioView

#: Indicators whose value depends on the production basis (pieces or kilograms).
_PER_UNIT = frozenset({"energy_intensity", "water_intensity"})


@cache
def benchmark_rules() -> dict[str, Any]:
    """The packaged benchmark rules (minimum group size, indicators)."""
    from factory_journey.reference.loader import load_yaml

    rules = dict(load_yaml("portfolio_benchmarks.yaml"))
    rules["min_group_size"] = int(rules["min_group_size"])
    return rules


@dataclass(frozen=True, slots=True)
class BenchmarkBox:
    """One peer group's distribution of one indicator [indicator unit]; `n` facilities."""

    country_iso2: str
    journey_factory_type: str | None
    basis: str | None
    n: int
    low: float
    q1: float
    median: float
    q3: float
    high: float


@dataclass(frozen=True, slots=True)
class Benchmark:
    """An indicator's boxes (groups of at least `min_group_size`) and how many groups and
    facilities were too few to show."""

    indicator: str
    unit: str
    boxes: list[BenchmarkBox]
    groups_too_small: int
    facilities_too_few: int
    min_group_size: int


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def benchmarks(view: PortfolioView) -> list[Benchmark]:
    """Box plots of the benchmark indicators over the rows of `view`, per peer group.

    A group shows a box only with at least `min_group_size` facilities that have a value;
    the others are counted in `groups_too_small` / `facilities_too_few`.
    """
    rules = benchmark_rules()
    minimum = rules["min_group_size"]
    out = []
    for indicator in rules["indicators"]:
        groups: dict[tuple[str, str | None, str | None], list[float]] = {}
        unit = ""
        for row in view.rows:
            if indicator not in row.values:
                continue
            value, unit = row.values[indicator]
            basis = row.basis if indicator in _PER_UNIT else None
            groups.setdefault((row.country_iso2, row.journey_factory_type, basis), []).append(
                value
            )
        boxes, small, few = [], 0, 0
        for (country, kind, basis), values in sorted(groups.items(), key=lambda g: (
                -len(g[1]), g[0][0], g[0][1] or "", g[0][2] or "")):
            if len(values) < minimum:
                small, few = small + 1, few + len(values)
                continue
            q1, median, q3 = _quartiles(values)
            boxes.append(BenchmarkBox(country, kind, basis, len(values), min(values), q1,
                                      median, q3, max(values)))
        if boxes or small:
            out.append(Benchmark(indicator, unit, boxes, small, few, minimum))
    return out


def benchmark_charts(view: PortfolioView, lang: str = "en") -> list[dict[str, Any]]:
    """Each benchmark with its title, SVG box plot (in `lang`), and a table of its numbers
    (the chart's text alternative)."""
    from factory_journey.reports.benchmark_charts import Box, box_plot
    from factory_journey.reports.charts import font_for
    from factory_journey.reports.formatting import country_name, per_basis
    from factory_journey.reports.i18n import translator
    from factory_journey.reports.labels import FACTORY_TYPES, INDICATORS

    tr = translator(lang)
    out = []
    for bench in benchmarks(view):
        share = bench.unit == "share"

        def text(value: float, tr: Any = tr, share: bool = share) -> str:
            return str(tr.percent(value) if share else tr.significant(value))

        rows = []
        drawn = []
        for box in bench.boxes:
            kind = tr(FACTORY_TYPES[box.journey_factory_type]) \
                if box.journey_factory_type in FACTORY_TYPES else "–"
            label = f"{country_name(tr, box.country_iso2)} · {kind}"
            if box.basis:
                label += f" ({per_basis('/unit', box.basis).lstrip('/')})"
            drawn.append(Box(label, f"n = {tr.number(box.n)}", box.low, box.q1, box.median,
                             box.q3, box.high))
            rows.append({"group": label, "n": tr.number(box.n), "low": text(box.low),
                         "q1": text(box.q1), "median": text(box.median), "q3": text(box.q3),
                         "high": text(box.high)})
        title = tr(INDICATORS.get(bench.indicator, bench.indicator))
        bases = sorted({b.basis for b in bench.boxes if b.basis})
        unit = "" if share else " · ".join(
            per_basis(bench.unit, basis) for basis in bases) or bench.unit
        svg = ""
        if drawn:
            axis = _axis_ticks([b.high for b in drawn])
            digits = 0 if all(float(t).is_integer() for t in axis) else 1
            ticks = {t: (tr.percent(t) if share else tr.number(t, digits)) for t in axis}
            svg = box_plot(drawn, title, ticks, unit=unit, font=font_for(tr.lang))
        out.append({"indicator": bench.indicator, "title": title, "unit": unit, "svg": svg,
                    "rows": rows, "groups_too_small": bench.groups_too_small,
                    "facilities_too_few": bench.facilities_too_few,
                    "min_group_size": bench.min_group_size})
    return out


def _axis_ticks(highs: list[float]) -> list[float]:
    from factory_journey.reports.charts import nice_ticks

    return nice_ticks(0.0, max(highs or [1.0]) or 1.0)
