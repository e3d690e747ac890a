"""The summary of an assessment for a person (counts of levels per area, recommended areas,
totals of the measures), made from the output frames, or added up from the pieces of a
chunked assessment (`summary_part` of each piece, `summary_of` to put them together): the same
summary however the rows were cut (measure totals with `math.fsum`)."""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from factory_journey.engine.assessment import AssessmentResult


def summary_part(name: str, frame: pl.DataFrame) -> Any:
    """What output frame `name` adds to the summary, in a form that adds up over the pieces of
    a chunked assessment (`summary_of` puts the parts of one frame together)."""
    if name == "opportunities":
        return frame.group_by("area", "opportunity_level").len()
    if name == "pathways":
        return (
            frame.filter(pl.col("pathway") == "recommended").group_by("area", "step_kind").len()
        )
    if name == "measures":
        # the values themselves (~24 bytes a measure): a float sum depends on the order of
        # its terms, fsum over all of them does not (same total however the rows were cut)
        return frame.select(pl.col(MEASURE_TOTALS).fill_null(0))
    return None


#: Columns of the measures frame the summary totals.
MEASURE_TOTALS = ("money_saved_usd", "investment_usd", "co2e_saved_kgco2e")


def summary_of(name: str, frame: pl.DataFrame, parts: list[Any] | None = None
                ) -> dict[str, Any]:
    """The counts and sums of the summary that output frame `name` gives (see `summarise`);
    `parts`: the `summary_part`s of its pieces instead of `frame` (a chunked assessment)."""
    if name == "matrix":
        return {
            "facility_years": frame.height,
            "facilities": frame["facility_id"].n_unique() if frame.height else 0,
        }
    if parts is None:
        parts = [summary_part(name, frame)]
    if name == "opportunities":
        levels = pl.concat(parts).group_by("area", "opportunity_level").agg(pl.col("len").sum())
        by_area: dict[str, dict[str, int]] = {}
        for row in levels.sort("area", "opportunity_level").iter_rows(named=True):
            by_area.setdefault(str(row["area"]), {})[str(row["opportunity_level"])] = int(
                row["len"]
            )
        return {"levels_by_area": by_area}
    if name == "pathways":
        recommended = (
            pl.concat(parts).group_by("area", "step_kind").agg(pl.col("len").sum())
            .sort("area", "step_kind")
        )
        return {"recommended": [
            {"area": str(r["area"]), "step_kind": r["step_kind"], "facility_years": r["len"]}
            for r in recommended.iter_rows(named=True)
        ]}
    if name == "measures":
        values = pl.concat(parts)
        return {
            "measures": values.height,
            **{column: math.fsum(values[column].to_numpy()) for column in MEASURE_TOTALS},
        }
    return {}


#: Keys of the summary made from the output frames, in the order written.
SUMMARY_KEYS = ("facility_years", "facilities", "levels_by_area", "recommended", "measures",
                 "money_saved_usd", "investment_usd", "co2e_saved_kgco2e")


def summary_from(pieces: dict[str, Any], result: AssessmentResult) -> dict[str, Any]:
    return {
        **{key: pieces[key] for key in SUMMARY_KEYS},
        "methodology": result.versions.get("methodology"),
        "warnings": list(result.warnings),
    }


def summarise(matrix: pl.DataFrame, result: AssessmentResult) -> dict[str, Any]:
    """Counts for a person: levels per area, recommended areas, totals of the measures."""
    pieces: dict[str, Any] = {}
    for name, frame in (("matrix", matrix), ("opportunities", result.opportunities),
                        ("pathways", result.pathways), ("measures", result.measures)):
        pieces.update(summary_of(name, frame))
    return summary_from(pieces, result)
