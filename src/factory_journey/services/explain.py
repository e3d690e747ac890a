"""Use case: explain in plain words why each impact area of one facility got its level and why
its pathway is ordered as it is. The whole dataset is assessed (peer groups need the others);
the words are built from the same frames that `journey assess` writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from factory_journey.engine.assessment import (
    Catalogue,
    Methodology,
    default_catalogue,
    default_methodology,
)
from factory_journey.engine.assessment.methodology import Area
from factory_journey.reference.countries import resolve_country
from factory_journey.reports.labels import FACTORY_TYPES, INDICATORS, ZDHC_LEVELS
from factory_journey.services.assessment import Assessed, assess_dataset


class FacilityNotAssessedError(LookupError):
    """The facility (or the year asked for) is not in the dataset."""


@dataclass(slots=True)
class Explanation:
    """Plain-words explanation of one facility-year: a title and sections of lines."""

    facility_id: str
    year: int
    title: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)

    def text(self) -> str:
        lines = [self.title, ""]
        for heading, body in self.sections:
            lines += [heading, *[f"  {line}" for line in body], ""]
        return "\n".join(lines).rstrip() + "\n"


def _number(value: Any) -> str:
    if value is None:
        return "unknown"
    number = float(value)
    if number == int(number) and abs(number) < 1e15:
        return f"{int(number):,}"
    return f"{number:,.3g}" if abs(number) < 1000 else f"{number:,.0f}"


def _share(value: Any) -> str:
    return "unknown" if value is None else f"{float(value):.0%}"


def _yes_no(value: Any) -> str:
    return "unknown" if value is None else ("yes" if float(value) >= 1 else "no")


def _zdhc_level(value: Any) -> str:
    """ZDHC wastewater level in words (the methodology's ordinal: 0 fail … 3 aspirational)."""
    return "unknown" if value is None else ZDHC_LEVELS.get(round(float(value)), str(value))


def _modules(keys: Any, catalogue: Catalogue | None = None) -> str:
    """Programme module titles for `;`-joined module keys."""
    catalogue = catalogue or default_catalogue()
    titles = {m.key: m.title for m in catalogue.modules}
    return ", ".join(titles.get(k, k) for k in str(keys or "").split(";") if k)


def _indicator_name(key: str) -> str:
    return INDICATORS.get(key, key.replace("_", " "))


def _where(factory_type: Any, country: Any) -> str:
    """`a mill in Bangladesh (BD)`: the facility's type and country in words."""
    kind = FACTORY_TYPES.get(str(factory_type)) if factory_type else None
    kind_text = f"a {kind.lower()} facility" if kind else "a facility of unknown type"
    if not country:
        return f"{kind_text} in an unknown country"
    resolved = resolve_country(str(country))
    name = resolved.common_name if resolved else str(country)
    return f"{kind_text} in {name} ({country})"


def _level_line(area: Area, opp: dict[str, Any]) -> str:
    """Why the area got its level, with the rule of the methodology in words."""
    level = str(opp["opportunity_level"])
    if level == "not_assessed":
        return f"Not assessed because data are missing: {opp['missing_data']}."
    worse = [k for k in str(opp["indicators_worse"] or "").split(";") if k]
    weights = {i.key: i.weight for i in area.indicators}
    decisive = [k for k in worse if any(i.key == k and i.decisive for i in area.indicators)]
    named = ", ".join(f"{_indicator_name(k)} (weight {weights.get(k, 1):g})" for k in worse)
    score = opp["area_score"]
    if area.high_at is None:
        rule = "any indicator worse than its threshold makes the area high"
    else:
        rule = f"the area is high from a score of {area.high_at:.0%}"
    if level == "high":
        if decisive and area.high_at is not None:
            return (
                f"High because {', '.join(_indicator_name(k) for k in decisive)} is worse than "
                f"its threshold, which is decisive on its own (score {score:.0%}; worse: {named})."
            )
        return f"High: score {score:.0%} — worse than the threshold: {named}; {rule}."
    if not worse:
        return "Low because every indicator that could be judged meets its threshold."
    return f"Low: score {score:.0%} — worse than the threshold: {named}; {rule}."


def _indicator_line(row: dict[str, Any], min_peers: int) -> str:
    name = _indicator_name(str(row["indicator"]))
    if row["missing_data"] is not None:
        return f"{name}: not judged — {row['missing_data']}."
    unit = "" if row["unit"] in ("share", "yes/no", "level") else f" {row['unit']}"
    show = {"share": _share, "yes/no": _yes_no, "level": _zdhc_level}.get(
        str(row["unit"]), _number
    )
    worse = bool(row["worse_than_threshold"])
    better = "lower" if row["direction"] == "lower_is_better" else "higher"
    verdict = "worse than" if worse else "meets"
    kind = row["threshold_kind"]
    if kind == "peer":
        why = f"peer threshold from {row['peer_group_size']} {row['peer_group']}"
    elif kind == "absolute_fallback":
        why = (
            f"absolute threshold ({row['threshold_certainty']}), used because no peer group "
            f"had at least {min_peers} facilities with a value"
        )
    else:
        why = f"absolute threshold ({row['threshold_certainty']})"
    gap = f"; gap {_share(row['gap'])}" if worse else ""
    return (
        f"{name}: {show(row['value'])}{unit} {verdict} the threshold "
        f"{show(row['threshold'])}{unit} ({better} is better; {why}){gap}."
    )


def _rows(frame: pl.DataFrame, facility_id: str, year: int) -> list[dict[str, Any]]:
    return frame.filter(
        (pl.col("facility_id") == facility_id) & (pl.col("year") == year)
    ).to_dicts()


def explain_assessed(
    assessed: Assessed,
    facility_id: str,
    year: int | None = None,
    methodology: Methodology | None = None,
    catalogue: Catalogue | None = None,
) -> Explanation:
    """Explanation of `facility_id` in `year` (default: its latest year) from an assessment.

    catalogue: the programme catalogue the assessment used (default: the packaged one); a
    module or measure an accepted Join the Journey proposal added is named with its proposal.
    """
    methodology = methodology or default_methodology()
    catalogue = catalogue or default_catalogue()
    result = assessed.result
    years = sorted(
        result.opportunities.filter(pl.col("facility_id") == facility_id)["year"].unique().to_list()
    )
    if not years:
        raise FacilityNotAssessedError(f"The facility {facility_id!r} is not in the dataset.")
    if year is None:
        year = int(years[-1])
    elif year not in years:
        raise FacilityNotAssessedError(
            f"The facility {facility_id!r} has no data for {year}; years: "
            + ", ".join(str(y) for y in years)
        )
    opportunities = {str(r["area"]): r for r in _rows(result.opportunities, facility_id, year)}
    indicators = _rows(result.indicators, facility_id, year)
    steps = sorted(_rows(result.pathways, facility_id, year), key=lambda r: int(r["rank"]))
    measures = _rows(result.measures, facility_id, year)
    first = next(iter(opportunities.values()))
    title = (
        f"Facility {facility_id}, {year}: "
        f"{_where(first['journey_factory_type'], first['country_iso2'])}; methodology "
        f"{methodology.label}."
    )
    explanation = Explanation(facility_id, year, title)
    min_peers = methodology.peer_rules.min_group_size
    levels = {"high": "HIGH opportunity", "low": "low opportunity", "not_assessed": "NOT ASSESSED"}
    for area in methodology.areas:
        opp = opportunities[area.key]
        level = str(opp["opportunity_level"])
        lines = [_level_line(area, opp)]
        lines += [_indicator_line(r, min_peers) for r in indicators if str(r["area"]) == area.key]
        lines.append(
            f"Verified inputs: {_share(opp['verified_share'])}. Maturity: stage "
            f"{opp['maturity_stage']} ({opp['maturity_stage_key']})."
        )
        explanation.sections.append((f"{area.title}: {levels[level]}", lines))

    w = methodology.priority.weights
    order = [
        "Areas with a high opportunity come first, then low, then not assessed; within each, "
        "the higher priority first (ties keep the methodology's area order).",
        f"priority = 100 × ({w.gap} × gap + {w.relevance} × relevance + {w.region} × regional "
        f"factor + {w.maturity} × maturity need).",
    ]
    titles = {a.key: a.title for a in methodology.areas}
    for step in steps:
        area_key = str(step["area"])
        role = {"none": "maintain (every threshold met)", "collect_data": "collect data"}.get(
            str(step["pathway"]), str(step["pathway"])
        )
        head = f"{step['rank']}. {titles.get(area_key, area_key)} — {role}"
        if step["priority"] is None:
            order.append(
                f"{head}: not assessed, so no priority; collect the missing data "
                f"({_modules(step['modules'], catalogue)})."
            )
            continue
        adapt = (
            f"; raised by {step['regional_adaptations'].replace(';', ', ')}"
            if step["regional_adaptations"]
            else ""
        )
        order.append(
            f"{head}: priority {step['priority']:.1f} from gap {_share(step['gap'])}, relevance "
            f"{step['relevance']:.2f} for this factory type, regional factor "
            f"{step['regional_factor']:.2f}{adapt}, maturity need {step['maturity_need']:.2f} "
            f"(stage {step['maturity_stage']})."
        )
    explanation.sections.append(("Why the pathway is in this order", order))

    recommended = [s for s in steps if s["pathway"] == "recommended"]
    lines = []
    for step in recommended:
        lines.append(f"Programme modules: {_modules(step['modules'], catalogue)}.")
        lines += _proposal_lines(step, catalogue)
    for m in measures:
        payback = (
            f"simple payback {m['simple_payback_years']:.1f} years"
            if m["simple_payback_years"] is not None
            else "no simple payback (no money saved)"
        )
        quantified = any(m[c] for c in ("energy_saved_mj", "water_saved_m3", "co2e_saved_kgco2e"))
        saves = (
            f"saves about {_number(m['energy_saved_mj'])} MJ, {_number(m['water_saved_m3'])} m3 "
            f"water, {_number(m['co2e_saved_kgco2e'])} kgCO2e and USD "
            f"{_number(m['money_saved_usd'])} a year"
            if quantified
            else "savings not quantified"
        )
        lines.append(
            f"{m['measure_title']}: {saves}; investment about USD "
            f"{_number(m['investment_usd'])}; {payback} ({m['savings_certainty']}: "
            f"{m['savings_source']})."
        )
    if recommended:
        explanation.sections.append(
            (
                f"Recommended pathway: {titles.get(str(recommended[0]['area']), '')} "
                f"({recommended[0]['step_kind'].replace('_', ' ')})",
                lines,
            )
        )
    trajectory = _rows(result.trajectory, facility_id, year)
    if trajectory and trajectory[0]["baseline_kgco2e"] is not None:
        t = trajectory[0]
        status = "on track" if t["on_track"] else "above the target"
        line = (
            f"Baseline {t['baseline_year']}: {_number(t['baseline_kgco2e'])} kgCO2e; "
            f"target for {year}: {_number(t['target_kgco2e'])} kgCO2e "
            f"(−{t['annual_reduction']:.1%} of the baseline a year); "
            f"actual {_number(t['ghg_kgco2e'])} kgCO2e: {status} "
            f"(gap {_number(t['gap_to_target_kgco2e'])} kgCO2e)."
        )
        explanation.sections.append(("Scope 1 and 2 trajectory", [line]))
    return explanation


def _proposal_lines(step: dict[str, Any], catalogue: Catalogue) -> list[str]:
    """"From …" lines for the step's modules and measures that accepted proposals added."""
    keys = [k for c in ("modules", "measures") for k in str(step[c] or "").split(";") if k]
    titles = {e.key: e.title for e in (*catalogue.modules, *catalogue.measures)}
    return [
        f"{titles.get(key, key)}: from the {source}."
        for key in dict.fromkeys(keys)
        if (source := catalogue.proposal_of(key))
    ]


def explain(
    dataset: str | Path,
    facility_id: str,
    year: int | None = None,
    methodology: Methodology | None = None,
    prices: pl.DataFrame | None = None,
) -> Explanation:
    """Assess `dataset` and explain `facility_id` (see `explain_assessed`)."""
    assessed = assess_dataset(dataset, methodology, prices)
    return explain_assessed(assessed, facility_id, year, methodology)
