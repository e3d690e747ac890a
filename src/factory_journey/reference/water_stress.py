"""Baseline water stress: WRI Aqueduct 4.0 category bands and the built-in country defaults."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from factory_journey.reference.loader import ReferenceFileError, load_csv, load_yaml

BANDS_FILE = "water_stress_bands.yaml"
COUNTRIES_FILE = "water_stress_countries.csv"
SCORE_MIN = 0.0
SCORE_MAX = 5.0


@dataclass(frozen=True, slots=True)
class WaterStressBand:
    """One Aqueduct category: [score_min, score_max) on the 0–5 score (the last band includes
    5) and [ratio_pct_min, ratio_pct_max) of withdrawal/supply [%] (None = no upper bound)."""

    key: str
    label: str
    score_min: float
    score_max: float
    ratio_pct_min: float
    ratio_pct_max: float | None


@lru_cache(maxsize=1)
def water_stress_bands() -> tuple[WaterStressBand, ...]:
    """The Aqueduct 4.0 baseline water stress bands, lowest first."""
    bands = load_yaml(BANDS_FILE).get("bands")
    if not isinstance(bands, list) or not bands:
        raise ReferenceFileError(f"{BANDS_FILE} has no 'bands:' list")
    out = tuple(
        WaterStressBand(
            key=str(b["key"]),
            label=str(b["label"]),
            score_min=float(b["score_min"]),
            score_max=float(b["score_max"]),
            ratio_pct_min=float(b["ratio_pct_min"]),
            ratio_pct_max=None if b.get("ratio_pct_max") is None else float(b["ratio_pct_max"]),
        )
        for b in bands
    )
    for lower, upper in itertools.pairwise(out):
        if lower.score_max != upper.score_min:
            raise ReferenceFileError(f"{BANDS_FILE}: gap between {lower.key} and {upper.key}")
    return out


def water_stress_category(score: float | None) -> str | None:
    """Category key (`low` … `extremely_high`) of an Aqueduct baseline water stress score [0–5].

    None or NaN → None (risk unknown). A score outside 0–5 raises ValueError.
    """
    if score is None or math.isnan(score):
        return None
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise ValueError(f"water stress score {score} is outside {SCORE_MIN}–{SCORE_MAX}")
    bands = water_stress_bands()
    for band in bands:
        if band.score_min <= score < band.score_max:
            return band.key
    return bands[-1].key


def water_stress_category_for_ratio(ratio_pct: float | None) -> str | None:
    """Category key of a withdrawal/supply ratio [%]; None or NaN → None."""
    if ratio_pct is None or math.isnan(ratio_pct):
        return None
    if ratio_pct < 0:
        raise ValueError(f"withdrawal/supply ratio {ratio_pct} % is negative")
    for band in water_stress_bands():
        if ratio_pct >= band.ratio_pct_min and (
            band.ratio_pct_max is None or ratio_pct < band.ratio_pct_max
        ):
            return band.key
    raise ReferenceFileError(f"{BANDS_FILE}: no band holds {ratio_pct} %")


def water_stress_category_expr(score: pl.Expr) -> pl.Expr:
    """Vectorised `water_stress_category`: scores outside 0–5 and nulls give null."""
    bands = water_stress_bands()
    expr: pl.Expr = pl.lit(None, dtype=pl.Utf8)
    # Built from the top band down so that each lower band overrides on its own range.
    for i, band in enumerate(reversed(bands)):
        upper_ok = score <= band.score_max if i == 0 else score < band.score_max
        expr = pl.when((score >= band.score_min) & upper_ok).then(pl.lit(band.key)).otherwise(expr)
    return expr


def water_stress_countries() -> pl.DataFrame:
    """Built-in country defaults: iso3, score (may be null), category, aqueduct_version.

    Deliberately incomplete (see its meta): a country not listed has unknown water risk
    unless the user loads a table or gives a site score.
    """
    return load_csv(COUNTRIES_FILE).with_columns(
        pl.col("score").cast(pl.Float64), pl.col("aqueduct_version").cast(pl.Utf8)
    )
