"""Priority of each impact area (methodology formula), computed wide per facility-year.

priority = 100 × (w_gap·gap + w_relevance·relevance + w_region·regional_factor
                  + w_maturity·maturity_need), every term 0–1, so priority is 0–100 [points].
"""

from __future__ import annotations

import polars as pl

from factory_journey.engine.assessment.methodology import Methodology
from factory_journey.engine.assessment.plan import Frame, cached
from factory_journey.engine.assessment.rules import condition_expr
from factory_journey.engine.assessment.text_tables import combination_texts, picked, texts_dtype


def relevance_expr(area: str, methodology: Methodology) -> pl.Expr:
    """Relevance of `area` to the facility's journey factory type (0–1); `*` row otherwise."""
    table = methodology.priority.relevance
    expr: pl.Expr = pl.lit(float(table["*"][area]))
    for ftype in sorted(table):
        if ftype != "*":
            expr = (
                pl.when(pl.col("_ftype") == ftype)
                .then(pl.lit(float(table[ftype][area])))
                .otherwise(expr)
            )
    return expr


#: Up to this many adaptations of an area, its `_adapt_` text is looked up (2**n texts).
_ADAPT_TABLE_MAX = 10


def _adaptation_texts(area: str, methodology: Methodology) -> list[str | None] | None:
    """Every `_adapt_` text of `area` by bit code; None when it has more than
    `_ADAPT_TABLE_MAX` adaptations (its text is then joined per row)."""
    keys = [a.key for a in methodology.regional_adaptations if area in a.areas]
    return combination_texts(keys, _ADAPT_TABLE_MAX)


def adaptations_dtype(methodology: Methodology) -> pl.DataType:
    """The type of every `_adapt_<area>` (the steps' `regional_adaptations`): one for all
    areas (`text_tables.texts_dtype`)."""
    return cached("adaptations_dtype", (methodology,), frozenset(),
                  lambda: texts_dtype(_adaptation_texts(a.key, methodology)
                                      for a in methodology.areas))


def regional_exprs(
    area: str, methodology: Methodology, columns: set[str]
) -> tuple[pl.Expr, pl.Expr]:
    """(regional factor 0–1, `;`-joined keys of the adaptations that raised it, of
    `adaptations_dtype`)."""
    dtype = adaptations_dtype(methodology)
    adaptations = [a for a in methodology.regional_adaptations if area in a.areas]
    hits = [condition_expr(a.when, columns, area) for a in adaptations]  # never null
    # The largest factor of the adaptations that apply, at least the default.
    factor = pl.max_horizontal(
        pl.lit(methodology.priority.default_regional_factor),
        *(
            pl.when(hit).then(pl.lit(a.regional_factor))
            for a, hit in zip(adaptations, hits, strict=True)
        ),
    )
    if not hits:
        return factor, pl.lit(None, dtype)
    keys = [a.key for a in adaptations]
    texts = _adaptation_texts(area, methodology)
    if texts is None:
        text = pl.concat_str(
            [pl.when(hit).then(pl.lit(k)) for k, hit in zip(keys, hits, strict=True)],
            separator=";",
            ignore_nulls=True,
        )
        return factor, pl.when(pl.any_horizontal(hits)).then(text)
    # The keys by a bit code from a table of every combination (see opportunities'
    # `_flagged_expr`): no text joined per row.
    code = pl.sum_horizontal([hit.cast(pl.Int64) * (1 << bit) for bit, hit in enumerate(hits)])
    return factor, picked(texts, dtype, code)


def add_priorities(frame: Frame, methodology: Methodology, columns: frozenset[str]) -> Frame:
    """Add `_rel_ _reg_ _adapt_ _need_ _prio_` per area (priority null when not assessed)."""
    steps = cached(
        "priority", (methodology,), columns, lambda: _priority_steps(methodology, columns)
    )
    for step in steps:
        frame = frame.with_columns(step)
    return frame


def _priority_steps(methodology: Methodology, frame_columns: frozenset[str]) -> list[list[pl.Expr]]:
    weights = methodology.priority.weights
    top = len(methodology.maturity.stages)
    columns = set(frame_columns)
    exprs: list[pl.Expr] = []
    for area in methodology.areas:
        a = area.key
        factor, applied = regional_exprs(a, methodology, columns)
        need = (
            (pl.lit(top) - pl.col(f"_stage_{a}").cast(pl.Float64)) / max(top - 1, 1)
            if top > 1
            else pl.lit(0.0)
        )
        exprs += [
            relevance_expr(a, methodology).alias(f"_rel_{a}"),
            factor.alias(f"_reg_{a}"),
            applied.alias(f"_adapt_{a}"),
            need.alias(f"_need_{a}"),
        ]
    scores = []
    for area in methodology.areas:
        a = area.key
        score = 100.0 * (
            weights.gap * pl.col(f"_areagap_{a}")
            + weights.relevance * pl.col(f"_rel_{a}")
            + weights.region * pl.col(f"_reg_{a}")
            + weights.maturity * pl.col(f"_need_{a}")
        )
        # Rounded so that float noise never reorders areas between machines or runs.
        scores.append(score.round(4).alias(f"_prio_{a}"))
    return [exprs, scores]
