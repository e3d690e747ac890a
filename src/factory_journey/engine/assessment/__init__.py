"""Assessment and improvement pathways over the Data Matrix (pure, vectorised).

`assess(matrix, methodology)` turns Data Matrix rows (one per facility-year, columns of
docs/contracts.md §3) into opportunities per impact area with their reasons, ranked pathway steps
with programme modules and measures, measure finance for the recommended step, and the Scope 1+2
trajectory. A single facility goes through the same code as a million; every output frame has a
fixed row order (docs/contracts.md §4), so the same matrix and methodology give identical bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import polars as pl

from factory_journey.engine.assessment.catalogue import Catalogue, default_catalogue
from factory_journey.engine.assessment.finance import BASELINE_COLUMNS, measure_finance
from factory_journey.engine.assessment.indicators import evaluate_indicators
from factory_journey.engine.assessment.layout import by_row_then_position
from factory_journey.engine.assessment.maturity import add_maturity
from factory_journey.engine.assessment.methodology import (
    Methodology,
    MethodologyError,
    default_methodology,
    parse_methodology,
)
from factory_journey.engine.assessment.opportunities import add_area_levels, indicator_frame
from factory_journey.engine.assessment.pathways import add_measure_choices, add_ranks, step_frame
from factory_journey.engine.assessment.peers import CODE_OF, peer_table, validate_peer_table
from factory_journey.engine.assessment.prices import default_prices, validate_prices
from factory_journey.engine.assessment.priority import add_priorities
from factory_journey.engine.assessment.thresholds import attach_absolute
from factory_journey.engine.assessment.trajectory import trajectory_frame

__all__ = [
    "PARTS",
    "AssessmentResult",
    "Catalogue",
    "Methodology",
    "MethodologyError",
    "assess",
    "default_catalogue",
    "default_methodology",
    "default_prices",
    "parse_methodology",
    "peer_table",
    "peer_table_of",
    "validate_peer_table",
    "validate_prices",
]

KEYS: list[str] = ["facility_id", "year"]
#: The frames of an `AssessmentResult`, in the order `assess` can leave them out (`parts`).
PARTS: tuple[str, ...] = ("opportunities", "pathways", "measures", "trajectory", "indicators")
_CONTEXT = ("journey_factory_type", "intensity_basis", "country_iso2", "un_subregion", "un_region")
#: Columns `evaluate_indicators` adds that only the indicators frame reads (the levels,
#: priorities, measures and steps read `_flag_`, `_gap_` and the area columns): dropped once
#: that frame is made. At a million facility-years ~1.3 GB of the wide frame.
_INDICATOR_ONLY = (
    "_v_", "_t_", "_kind_", "_lvl_", "_n_", "_miss_", "_peer_", "_plvl_", "_pn_", "_pgrp_"
)
#: The peer group keys `_pk_<name>` and the matrix columns they are made from.
_GROUP_SOURCES: tuple[tuple[str, str], ...] = (
    ("ftype", "journey_factory_type"),
    ("basis", "intensity_basis"),
    ("country_iso2", "country_iso2"),
    ("un_subregion", "un_subregion"),
    ("un_region", "un_region"),
)
#: `emit(name, frame)`: receives each frame of an assessment as soon as it is computed.
Emit = Callable[[str, pl.DataFrame], None]


@dataclass(frozen=True)
class AssessmentResult:
    """Frames of one assessment (columns in docs/contracts.md §4) and the versions behind them.

    A frame left out of `assess(..., parts=...)` is an empty frame without columns."""

    opportunities: pl.DataFrame
    pathways: pl.DataFrame
    measures: pl.DataFrame
    trajectory: pl.DataFrame
    indicators: pl.DataFrame
    versions: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def _is_sorted(frame: pl.DataFrame) -> bool:
    """True when rows are in strictly increasing (facility_id, year) order."""
    if frame.height < 2:
        return True
    fid, year = pl.col("facility_id"), pl.col("year")
    later = (fid > fid.shift(1)) | ((fid == fid.shift(1)) & (year > year.shift(1)))
    return bool(frame.select(later.slice(1).all()).item())


def _prepare(matrix: pl.DataFrame, methodology: Methodology) -> tuple[pl.DataFrame, list[str]]:
    """Sorted matrix with every column the methodology reads (absent ones as nulls, warned)."""
    needed = (
        set(_CONTEXT)
        | set(BASELINE_COLUMNS)
        | {
            "ghg_kgco2e",
            "scope2_location_kgco2e",
            "water_risk_category",
        }
    )
    for _, ind in methodology.indicators():
        needed |= {ind.column, *ind.requires}
    needed.discard("production_volume")  # stands for the volume on the intensity basis
    needed |= {"production_volume_pcs", "production_volume_kg"}
    absent = sorted(needed - set(matrix.columns))
    # One chunk per column, first: every later step adds one-chunk columns, and a frame whose
    # columns are cut differently is copied whole again by each eager step (the matrix of
    # `journey assess` arrives with one or two chunks a column: ~20 ms CPU a step at 250,000
    # facility-years, some 30 steps).
    frame = matrix.rechunk() if max(matrix.n_chunks("all"), default=1) > 1 else matrix
    if absent:
        frame = frame.with_columns(pl.lit(None).alias(c) for c in absent)
    # The matrix normally arrives sorted; checking is one pass, sorting strings is several.
    if not _is_sorted(frame):
        frame = frame.sort(KEYS, maintain_order=True)
    frame = frame.with_columns(
        _ftype=pl.col("journey_factory_type").cast(pl.String),
        _basis=pl.col("intensity_basis").cast(pl.String),
        country_iso2=pl.col("country_iso2").cast(pl.String),
        un_subregion=pl.col("un_subregion").cast(pl.String),
        un_region=pl.col("un_region").cast(pl.String),
    )
    frame = frame.with_columns(
        pl.col(source).cast(pl.Categorical).alias(code) for source, code in CODE_OF.items()
    )
    warnings = [f"the matrix has no column {name!r}; treated as missing" for name in absent]
    return frame, warnings


def peer_table_of(matrix: pl.DataFrame, methodology: Methodology | None = None) -> pl.DataFrame:
    """The peer groups of `matrix` (every facility-year in it) as a peer table: threshold and
    size `n` of every group with at least the methodology's `min_group_size` values."""
    from factory_journey.engine.assessment.indicators import value_expr

    methodology = methodology or default_methodology()
    # Only what the groups read: the group keys (as `_prepare` makes them) and the values
    # of the peer indicators; no order is needed, so no sort (a million rows: ~0.1 s CPU).
    present = set(matrix.columns)
    peer = [ind for _, ind in methodology.indicators() if ind.threshold.kind == "peer"]
    # Only those columns, taken as they are and put in one chunk each: a step over the whole
    # matrix, cut in chunks differently column by column, would copy all of it (1 M rows:
    # ~0.2 s CPU).
    needed = {"year", *(s for _, s in _GROUP_SOURCES), *(i.column for i in peer)} & present
    columns = pl.DataFrame([matrix.get_column(c) for c in matrix.columns if c in needed])
    frame = columns.rechunk().select(
        pl.col("year"),
        *(
            (pl.col(source).cast(pl.String) if source in present else pl.lit(None, pl.String))
            .cast(pl.Categorical)
            .alias(f"_pk_{name}")
            for name, source in _GROUP_SOURCES
        ),
        *(value_expr(ind, present).alias(f"_v_{ind.key}") for ind in peer),
    )
    return peer_table(frame, methodology)


def assess(
    matrix: pl.DataFrame,
    methodology: Methodology | None = None,
    catalogue: Catalogue | None = None,
    prices: pl.DataFrame | None = None,
    matrix_versions: dict[str, str] | None = None,
    peers: pl.DataFrame | None = None,
    parts: Collection[str] | None = None,
    emit: Emit | None = None,
) -> AssessmentResult:
    """Assess every facility-year of `matrix` with `methodology` (default fj-2026.2).

    prices: frame with country_iso2 (`*` = default row), electricity_usd_per_kwh [USD/kWh],
    thermal_fuel_usd_per_gj [USD/GJ], water_usd_per_m3 [USD/m3] and price_source; default: the
    packaged regional prices (project estimates).
    peers: a peer table (`peer_table`, e.g. a platform's peer snapshot) whose groups judge the
    peer indicators; default: the peer groups of `matrix` itself.
    parts: the frames to compute (names in `PARTS`); default all. The others are left empty
    and cost nothing: a caller that reads only the opportunities (the park view) skips the
    measures' finance, the trajectory and the 15-rows-per-facility-year indicators frame. A
    frame that is computed is the same, row for row, as in a full assessment.
    emit: called with (name, frame) for each computed frame as soon as it is ready (in the
    order trajectory, indicators, opportunities, pathways, measures); the result then holds
    those frames empty, so a caller that writes them out never holds them all at once (at a
    million facility-years the frames are ~4 GB in memory). The frames are the same.
    """
    wanted = set(PARTS if parts is None else parts)
    if unknown := sorted(wanted - set(PARTS)):
        raise ValueError(f"unknown assessment part(s) {unknown}; known: {', '.join(PARTS)}")
    methodology = methodology or default_methodology()
    catalogue = catalogue or default_catalogue()
    if prices is None or prices is default_prices():
        prices = default_prices()  # packaged and already valid
    else:
        prices = validate_prices(prices)
    frame, warnings = _prepare(matrix, methodology)
    frame = attach_absolute(frame, methodology, CODE_OF)
    # Eager on purpose: one lazy plan over these hundreds of expressions measured slower
    # (optimiser time) for one facility and for a million.
    columns = frozenset(frame.columns)
    frame = evaluate_indicators(frame, methodology, columns, peers)
    frame = add_maturity(frame, methodology, columns)
    frame = add_area_levels(frame, methodology)

    empty = pl.DataFrame()

    def made(name: str, computed: pl.DataFrame) -> pl.DataFrame:
        if emit is None:
            return computed
        emit(name, computed)
        return empty

    # The trajectory and the indicators read only what the levels were made from: made
    # first, so that the columns only the indicators read can go before the long frames.
    trajectory = indicators = empty
    if "trajectory" in wanted:
        trajectory = made("trajectory", trajectory_frame(frame, methodology))
    if "indicators" in wanted:
        indicators = made("indicators", indicator_frame(frame, methodology))
    frame = frame.drop(
        c for c in frame.columns if c.startswith(_INDICATOR_ONLY) and c not in columns
    )
    opportunities = pathways = measures = empty
    if wanted & {"opportunities", "pathways", "measures"}:
        # priorities, measure choices and ranks serve only the long frames of the areas
        frame = add_priorities(frame, methodology, columns)
        frame = add_measure_choices(frame, methodology, catalogue, columns)
        frame = add_ranks(frame, methodology)
        steps = step_frame(frame, methodology, catalogue, columns)
        # The measures need only the baseline columns: let the ~200 derived columns of the
        # wide frame go first (at a million facility-years GBs, more than the measures frame).
        baseline = frame.select(*BASELINE_COLUMNS)
        del frame
        if "opportunities" in wanted:
            opportunities = made("opportunities", _opportunities(steps))
        if wanted & {"pathways", "measures"}:
            pathways = _pathways(steps, len(methodology.areas))
            del steps  # the columns neither frame took are freed here
            recommended = _recommended(pathways, baseline) if "measures" in wanted else None
            del baseline
            pathways = made("pathways", pathways) if "pathways" in wanted else empty
            if recommended is not None:
                measures = made("measures", _measures(recommended, catalogue, prices, methodology))

    versions = {
        "methodology": methodology.label,
        "programme_modules": catalogue.version,
        "prices": ";".join(sorted(set(prices["price_source"].to_list()))),
        **{f"matrix:{k}": v for k, v in sorted((matrix_versions or {}).items())},
    }
    return AssessmentResult(
        opportunities=opportunities,
        pathways=pathways,
        measures=measures,
        trajectory=trajectory,
        indicators=indicators,
        versions=versions,
        warnings=tuple(warnings),
    )


def _opportunities(steps: pl.DataFrame) -> pl.DataFrame:
    """The opportunities frame: one row per area × facility-year, area-major (contracts §4)."""
    return steps.select(
        *KEYS,
        "journey_factory_type",
        "country_iso2",
        "area",
        "opportunity_level",
        "indicators_judged",
        "indicators_worse",
        "area_score",
        "gap",
        "missing_data",
        "verified_share",
        "maturity_stage",
        "maturity_stage_key",
        "methodology_version",
    )


def _pathways(steps: pl.DataFrame, areas: int) -> pl.DataFrame:
    """The pathways frame: each facility-year's areas together, by rank (contracts §4)."""
    pathways = steps.select(
        *KEYS,
        "journey_factory_type",
        "country_iso2",
        "rank",
        "area",
        "opportunity_level",
        "pathway",
        "step_kind",
        "priority",
        "gap",
        "relevance",
        "regional_factor",
        "regional_adaptations",
        "maturity_stage",
        "maturity_need",
        pl.col("_stage_facility").alias("facility_maturity_stage"),
        "modules",
        "measures",
        "methodology_version",
    )
    # every block (area) holds the facility-year's own keys and context
    per_row = (*KEYS, "journey_factory_type", "country_iso2", "facility_maturity_stage",
               "methodology_version")
    return by_row_then_position(pathways, areas, "rank", per_row)


def _recommended(pathways: pl.DataFrame, baseline: pl.DataFrame) -> pl.DataFrame:
    """The recommended step of each facility-year that names measures, with its baseline;
    `baseline`: the matrix's `BASELINE_COLUMNS`, in the order of the assessed rows."""
    # Exactly one recommended step per facility-year, in frame order: align, no join needed.
    return (
        pathways.filter(pl.col("rank") == 1)
        .select(*KEYS, "area", "measures", "country_iso2")
        .hstack(baseline)
        .filter(pl.col("measures").is_not_null())
    )


def _measures(
    recommended: pl.DataFrame,
    catalogue: Catalogue,
    prices: pl.DataFrame,
    methodology: Methodology,
) -> pl.DataFrame:
    """Finance of the measures of each facility-year's recommended step (contracts §4);
    `recommended`: what `_recommended` gives."""
    return (
        measure_finance(recommended, catalogue, prices)
        .select(
            *KEYS,
            "area",
            "measure_rank",
            "measure",
            "measure_title",
            "measure_modules",
            "energy_saved_mj",
            "electricity_saved_kwh",
            "water_saved_m3",
            "co2e_saved_kgco2e",
            "co2e_saved_kgco2e_low",
            "co2e_saved_kgco2e_high",
            "money_saved_usd",
            "money_saved_usd_low",
            "money_saved_usd_high",
            "investment_basis",
            "investment_usd",
            "investment_usd_low",
            "investment_usd_high",
            "simple_payback_years",
            "savings_certainty",
            "savings_source",
            "price_source",
        )
        .with_columns(methodology_version=pl.lit(methodology.label, pl.Enum([methodology.label])))
    )
