"""Pathway steps: rank the areas, choose the recommended and optional pathway, name modules
and measures from the programme catalogue.

Order within a facility-year: areas with a high opportunity, then low, then not assessed; within
each, higher priority first (not-assessed areas: higher relevance first); ties keep the
methodology's area order. Rank 1 is the recommended pathway.
"""

from __future__ import annotations

from itertools import permutations

import polars as pl

from factory_journey.engine.assessment.catalogue import Catalogue
from factory_journey.engine.assessment.layout import stack
from factory_journey.engine.assessment.maturity import stage_keys
from factory_journey.engine.assessment.methodology import Methodology
from factory_journey.engine.assessment.opportunities import flagged_dtype
from factory_journey.engine.assessment.plan import Frame, cached
from factory_journey.engine.assessment.priority import adaptations_dtype
from factory_journey.engine.assessment.rules import condition_expr
from factory_journey.engine.assessment.text_tables import picked, texts_dtype

KEYS: list[str] = ["facility_id", "year"]
PATHWAYS: tuple[str, ...] = ("recommended", "optional", "collect_data", "none")
STEP_KINDS: tuple[str, ...] = ("improve", "maintain", "data_foundation")


def _modules_text(names: list[str]) -> str:
    return ";".join(dict.fromkeys(names))


def _module_texts(area: str, catalogue: Catalogue, not_assessed: str = "") -> list[str]:
    """The texts `modules_expr` picks from, by its code."""
    spec = catalogue.area_modules
    foundation = [str(m) for m in spec.get("foundation", [])]
    verification = spec.get("verification")
    own = catalogue.modules_for(area)
    tail = [str(verification)] if verification else []
    return [
        _modules_text(foundation + own + tail),
        _modules_text(foundation + own),
        _modules_text(own + tail),
        _modules_text(own),
        not_assessed,
    ]


def modules_dtype(methodology: Methodology, catalogue: Catalogue, not_assessed: str) -> pl.Enum:
    """The type of the steps' `modules`: an Enum of every text of every area of `methodology`
    (and `not_assessed`), alphabetical (see opportunities.flagged_dtype)."""
    dtype = texts_dtype(_module_texts(a.key, catalogue, not_assessed) for a in methodology.areas)
    assert isinstance(dtype, pl.Enum)  # every area's texts are listed
    return dtype


def modules_expr(
    area: str,
    catalogue: Catalogue,
    columns: set[str],
    assessed: pl.Expr | None = None,
    not_assessed: str = "",
    dtype: pl.DataType | None = None,
) -> pl.Expr:
    """`;`-joined module keys for an assessed area's step, by maturity and verification
    (`not_assessed` where `assessed` is false, when given); `dtype`: of the texts (default
    String; `modules_dtype`).

    The few texts are picked by a small code and gathered from one short Series: every row
    then points into the same few strings, instead of a when/then that writes each string
    again per row (at 7 M steps: 13× faster, and a later reordering 7× faster)."""
    spec = catalogue.area_modules
    until = int(spec.get("foundation_until_stage", 0))
    below = float(spec.get("verification_below_share", 0.0))
    share_col = f"{area}_verified_share"
    unverified = (
        (pl.col(share_col).cast(pl.Float64).fill_null(0.0) < below)
        if share_col in columns
        else pl.lit(True)
    )
    early = pl.col(f"_stage_{area}") <= until
    texts = _module_texts(area, catalogue, not_assessed)
    code = (
        pl.when(early & unverified).then(0).when(early).then(1).when(unverified).then(2)
        .otherwise(3)
    )
    if assessed is not None:
        code = pl.when(assessed).then(code).otherwise(4)
    return picked(texts, dtype or pl.String(), code)


def _type_sets(catalogue: Catalogue) -> dict[tuple[str, ...], str]:
    """Column `_mft_<n>` (True = the facility's type is in the set) of each distinct set of
    factory types that measures name (`*` needs none): made once, not once per measure."""
    sets = dict.fromkeys(m.factory_types for m in catalogue.measures if "*" not in m.factory_types)
    return {types: f"_mft_{n}" for n, types in enumerate(sets)}


def _measure_scores(
    area: str,
    methodology: Methodology,
    catalogue: Catalogue,
    columns: set[str],
    type_sets: dict[tuple[str, ...], str] | None = None,
) -> list[tuple[str, pl.Expr]]:
    """(measure key, sort key) for the measures of `area`; sort key -1 = does not apply.

    Sort key: the largest gap among the failed indicators the measure addresses (0 if none)
    in 1e-4 steps, then catalogue order, so keys are unique and no order depends on sort
    stability.
    """
    flags = {ind.key for _, ind in methodology.indicators()}
    scores: list[tuple[str, pl.Expr]] = []
    for measure in (m for m in catalogue.measures if m.area == area):
        applies: pl.Expr
        if "*" in measure.factory_types:
            applies = pl.lit(True)
        elif type_sets:
            applies = pl.col(type_sets[measure.factory_types])
        else:
            applies = pl.col("_ftype").is_in(list(measure.factory_types)).fill_null(False)
        for condition in measure.when:
            applies = applies & condition_expr(condition, columns, area)
        if measure.maturity_stages:  # `_stage_<area>` is added before measures are chosen
            stages = list(measure.maturity_stages)
            applies = applies & pl.col(f"_stage_{area}").is_in(stages).fill_null(False)
        gaps = [
            pl.when(pl.col(f"_flag_{k}")).then(pl.col(f"_gap_{k}"))
            for k in measure.addresses
            if k in flags
        ]
        best = pl.max_horizontal(gaps).fill_null(0.0) if gaps else pl.lit(0.0)
        key = (best * 10_000).round(0).cast(pl.Int64) * 1_000 + (999 - len(scores))
        scores.append((measure.key, pl.when(applies).then(key).otherwise(pl.lit(-1, pl.Int64))))
    return scores


def add_measure_choices(
    frame: Frame, methodology: Methodology, catalogue: Catalogue, columns: frozenset[str]
) -> Frame:
    """Add `_measures_<area>`: `;`-joined keys of at most N applicable measures, best first.

    Scores, then the best, second best, … are materialised as columns in turn so that each
    step stays a few cheap comparisons for a million rows.
    """
    steps, drop = cached(
        "measure_choices",
        (methodology, catalogue),
        columns,
        lambda: _measure_steps(methodology, catalogue, columns),
    )
    for step in steps:
        frame = frame.with_columns(step)
    return frame.drop(drop)


#: Up to this many combinations of measures in a step's list, the list text is looked up.
_CHOICE_TABLE_MAX = 1 << 16


def _measure_steps(
    methodology: Methodology, catalogue: Catalogue, frame_columns: frozenset[str]
) -> tuple[list[list[pl.Expr]], list[str]]:
    limit = methodology.pathways.max_measures_per_step
    columns = set(frame_columns)
    type_sets = _type_sets(catalogue)
    per_area = {
        a.key: _measure_scores(a.key, methodology, catalogue, columns, type_sets)
        for a in methodology.areas
    }
    steps: list[list[pl.Expr]] = [
        [
            pl.col("_ftype").is_in(list(types)).fill_null(False).alias(name)
            for types, name in type_sets.items()
        ],
        [
            expr.alias(f"_msk_{a}_{i}")
            for a, items in per_area.items()
            for i, (_, expr) in enumerate(items)
        ],
    ]
    drop = [*type_sets.values()]
    drop += [f"_msk_{a}_{i}" for a, items in per_area.items() for i in range(len(items))]
    texts = []
    for a, items in per_area.items():
        keys = [key for key, _ in items]
        count = min(limit, len(keys))
        if count == 0:
            texts.append(pl.lit(None, pl.String).alias(f"_measures_{a}"))
        elif (len(keys) + 1) ** count <= _CHOICE_TABLE_MAX and len(keys) < 1000:
            tops = _best_steps(a, len(keys), count)
            for position, expr in enumerate(tops):
                if len(steps) < position + 3:
                    steps.append([])
                steps[position + 2].append(expr)
            drop += [f"_mtop_{a}_{p}" for p in range(count)]
            texts.append(_listed_text(keys, a, count).alias(f"_measures_{a}"))
        else:
            if len(steps) < 3:
                steps.append([])
            steps[2] += _rank_exprs(a, len(keys))
            drop += [f"_mrk_{a}_{i}" for i in range(len(keys))]
            texts.append(_ranked_text(keys, a, count).alias(f"_measures_{a}"))
    return [*steps, texts], drop


def _best_steps(area: str, measures: int, count: int) -> list[pl.Expr]:
    """`_mtop_<area>_<p>`: the sort key (`_measure_scores`) of the measure in position p
    (0 = best), for p < count; -1 or null where fewer measures apply. Position p is the
    largest key below position p-1's: keys of applicable measures are unique."""
    scores = [pl.col(f"_msk_{area}_{i}") for i in range(measures)]
    tops = [pl.max_horizontal(scores).alias(f"_mtop_{area}_0")]
    for position in range(1, count):
        above = pl.col(f"_mtop_{area}_{position - 1}")
        tops.append(
            pl.max_horizontal([pl.when(s < above).then(s) for s in scores]).alias(
                f"_mtop_{area}_{position}"
            )
        )
    return tops


def _listed_text(keys: list[str], area: str, count: int) -> pl.Expr:
    """`;`-joined `keys` of the measures in positions 0…count-1 (`_mtop_<area>_<p>`), null
    if none.

    The list is a number in base len(keys)+1 (digit: 1 + index of the measure at that
    position, 0 none), looked up in a table of every such number: each row then points into
    a few short strings, instead of a when/then chain per position and a join per row (the
    250,000 rows of a chunk: ~10x faster). A sort key ends in 999 - the measure's index."""
    radix = len(keys) + 1
    code: pl.Expr = pl.lit(0, pl.Int64)
    for position in range(count):
        top = pl.col(f"_mtop_{area}_{position}")
        digit = pl.when(top >= 0).then(1_000 - top % 1_000).otherwise(0)
        code = code * radix + digit.fill_null(0)
    # Only lists of distinct measures filling the first positions occur: the rest stay null
    # (building those ~6,000 of the 14,641 texts of 10 measures x 4 positions: ~6 ms).
    texts: list[str | None] = [None] * radix**count
    for length in range(1, count + 1):
        for chosen in permutations(range(len(keys)), length):
            number = 0
            for position in range(count):
                number = number * radix + (chosen[position] + 1 if position < length else 0)
            texts[number] = ";".join(keys[i] for i in chosen)
    return picked(texts, pl.String(), code)


def _rank_exprs(area: str, measures: int) -> list[pl.Expr]:
    """`_mrk_<area>_<i>`: how many applicable measures come before measure i; null if it
    does not apply (for areas with too many measures to look their lists up)."""
    ranks = []
    for i in range(measures):
        me = pl.col(f"_msk_{area}_{i}")
        ahead = [(pl.col(f"_msk_{area}_{j}") > me).cast(pl.Int8) for j in range(measures) if j != i]
        rank = pl.sum_horizontal(ahead) if ahead else pl.lit(0, pl.Int8)
        ranks.append(pl.when(me >= 0).then(rank).alias(f"_mrk_{area}_{i}"))
    return ranks


def _ranked_text(keys: list[str], area: str, count: int) -> pl.Expr:
    """`;`-joined `keys` of the measures ranked 0…count-1 (`_mrk_<area>_<i>`), null if none."""
    picked = []
    for position in range(count):
        choice: pl.Expr = pl.lit(None, pl.String)
        for i, key in enumerate(keys):
            choice = (
                pl.when(pl.col(f"_mrk_{area}_{i}") == position).then(pl.lit(key)).otherwise(choice)
            )
        picked.append(choice)
    text = pl.concat_str(picked, separator=";", ignore_nulls=True)
    return pl.when(text != "").then(text)


def add_ranks(frame: Frame, methodology: Methodology) -> Frame:
    """Add `_rank_<area>` (1 = recommended) from one unique integer sort key per area.

    Key, smaller first: level (high, low, not assessed), then priority descending (relevance
    for not-assessed areas) in 1e-4 steps, then the methodology's area order.
    """
    keys, ranks, drop = cached(
        "ranks", (methodology,), frozenset(), lambda: _rank_steps(methodology)
    )
    return frame.with_columns(keys).with_columns(ranks).drop(drop)


def _rank_steps(methodology: Methodology) -> tuple[list[pl.Expr], list[pl.Expr], list[str]]:
    areas = [a.key for a in methodology.areas]
    keys = []
    for order, a in enumerate(areas):
        level = pl.col(f"_level_{a}").to_physical().cast(pl.Int64)  # high 0, low 1, not 2
        score = (
            pl.when(pl.col(f"_level_{a}") != "not_assessed")
            .then(pl.col(f"_prio_{a}"))
            .otherwise(pl.col(f"_rel_{a}") * 100.0)
        )
        points = (score * 10_000).round(0).cast(pl.Int64)
        keys.append((level * 10**9 + (10**7 - points) * 100 + order).alias(f"_sk_{a}"))
    ranks = []
    for a in areas:
        ahead = [(pl.col(f"_sk_{b}") < pl.col(f"_sk_{a}")).cast(pl.Int8) for b in areas if b != a]
        rank = pl.sum_horizontal(ahead) + 1 if ahead else pl.lit(1)
        ranks.append(rank.cast(pl.Int8).alias(f"_rank_{a}"))
    return keys, ranks, [f"_sk_{a}" for a in areas]


def step_frame(
    frame: pl.DataFrame, methodology: Methodology, catalogue: Catalogue, columns: frozenset[str]
) -> pl.DataFrame:
    """Long frame, one row per area × facility-year (area-major, areas in methodology
    order), with rank, pathway role, modules and measures. `frame` must be sorted by
    facility and year and hold the `_rank_` and `_measures_` columns (`add_measure_choices`,
    `add_ranks`)."""
    selects, finish = cached(
        "steps",
        (methodology, catalogue),
        columns,
        lambda: _step_exprs(methodology, catalogue, columns),
    )
    # Area-major stack (see layout.py); `assess` reorders the pathways by facility and rank.
    return stack(frame, selects, finish)


def _step_exprs(
    methodology: Methodology, catalogue: Catalogue, frame_columns: frozenset[str]
) -> tuple[list[list[pl.Expr]], list[pl.Expr]]:
    columns = set(frame_columns)
    area_enum = pl.Enum([a.key for a in methodology.areas])
    stages = stage_keys(methodology)
    foundation_modules = _modules_text([str(m) for m in catalogue.modules_for("data_foundation")])
    foundation_measures = ";".join(m.key for m in catalogue.measures if m.key == "metering") or None
    # One type per text column for every area, so the areas stack; Enums where the texts can
    # be listed (Parquet writes them from codes; the pathways' reordering gathers codes).
    worse_dtype, adapt_dtype = flagged_dtype(methodology), adaptations_dtype(methodology)
    module_dtype = modules_dtype(methodology, catalogue, foundation_modules)

    def per_area(a: str) -> dict[str, pl.Expr]:
        share_col = f"{a}_verified_share"
        assessed = pl.col(f"_level_{a}") != "not_assessed"
        return {
            "area": pl.lit(a, area_enum),
            "rank": pl.col(f"_rank_{a}"),
            "opportunity_level": pl.col(f"_level_{a}"),
            "indicators_judged": pl.col(f"_judged_{a}"),
            "indicators_worse": pl.col(f"_flagged_{a}").cast(worse_dtype),
            "gap": pl.col(f"_areagap_{a}"),
            "area_score": pl.col(f"_score_{a}"),
            "missing_data": pl.col(f"_missing_{a}").cast(pl.String),
            "verified_share": (
                pl.col(share_col).cast(pl.Float64)
                if share_col in columns
                else pl.lit(None, pl.Float64)
            ),
            "maturity_stage": pl.col(f"_stage_{a}"),
            "relevance": pl.col(f"_rel_{a}").cast(pl.Float64),
            "regional_factor": pl.col(f"_reg_{a}").cast(pl.Float64),
            "regional_adaptations": pl.col(f"_adapt_{a}").cast(adapt_dtype),
            "maturity_need": pl.col(f"_need_{a}").cast(pl.Float64),
            "priority": pl.when(assessed).then(pl.col(f"_prio_{a}")),
            "modules": modules_expr(a, catalogue, columns, assessed, foundation_modules,
                                    module_dtype),
            "measures": pl.when(assessed).then(pl.col(f"_measures_{a}")).cast(pl.String),
        }

    selects = [
        [
            *[
                pl.col(k)
                for k in (
                    *KEYS,
                    "journey_factory_type",
                    "country_iso2",
                    "_stage_facility",
                )
            ],
            *[e.alias(n) for n, e in per_area(a.key).items()],
        ]
        for a in methodology.areas
    ]
    first = pl.col("rank") == 1
    level = pl.col("opportunity_level")
    # A low opportunity with indicators worse than their thresholds is still an opportunity
    # ("other improvement opportunities"): it joins the optional pathway; only an area that
    # meets every threshold is merely maintained.
    has_gap = (level == "high") | ((level == "low") & pl.col("indicators_worse").is_not_null())
    # Codes into `PATHWAYS` and `STEP_KINDS`, the Enum values then picked from a short
    # Series: no text written per row and cast (see modules_expr).
    pathway = (
        pl.when(first).then(0).when(has_gap).then(1).when(level == "not_assessed").then(2)
        .otherwise(3)
    )
    step_kind = pl.when(has_gap).then(0).when(level == "low").then(1).otherwise(2)
    finish = [
        _stage_key_expr(stages),
        pl.lit(pl.Series(PATHWAYS, dtype=pl.Enum(list(PATHWAYS)))).gather(pathway)
        .alias("pathway"),
        pl.lit(pl.Series(STEP_KINDS, dtype=pl.Enum(list(STEP_KINDS)))).gather(step_kind)
        .alias("step_kind"),
        pl.when(first & (level == "not_assessed"))
        .then(pl.lit(foundation_measures, pl.String))
        .otherwise(pl.col("measures"))
        .alias("measures"),
        pl.lit(methodology.label, pl.Enum([methodology.label])).alias("methodology_version"),
    ]
    return selects, finish


def _stage_key_expr(stages: dict[int, str]) -> pl.Expr:
    """`maturity_stage_key`: the key of the step's `maturity_stage` number, an Enum."""
    dtype = pl.Enum(list(stages.values()))
    numbers = sorted(stages)
    if numbers == list(range(1, len(numbers) + 1)):  # stages 1…N: picked by position
        keys = pl.lit(pl.Series([stages[n] for n in numbers], dtype=dtype))
        return keys.gather(pl.col("maturity_stage").cast(pl.Int64) - 1).alias(
            "maturity_stage_key"
        )
    return (
        pl.col("maturity_stage")
        .replace_strict(stages, return_dtype=dtype)
        .alias("maturity_stage_key")
    )
