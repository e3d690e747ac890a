"""The member pathway steps a shared measure of the collective plan covers (`plan`).

For each participant of a park measure: `area:measure` of its recommended or optional steps
that the park measure covers, and the programme modules of those steps it covers, `;`-joined
in the order of the park measure's `covers` lists (then by area).

Vectorised without a text per member: each text a park measure can cover is a bit of a mask;
a member-year's mask is the OR of its steps' masks, and the few distinct masks are turned into
text once. The ~700,000 steps of 1,000 parks are keyed by integer codes of their
(area, measures, modules) text, never joined or de-duplicated on the text itself: the text is
read once per distinct step (about a hundred).
"""

from __future__ import annotations

import numpy as np
import polars as pl

STEP_PATHWAYS = ("recommended", "optional")
#: The step columns whose text decides what a park measure covers, and their integer codes.
STEP_TEXT: tuple[str, ...] = ("area", "measures", "modules")
CODES: tuple[str, ...] = ("_area_code", "_measures_code", "_modules_code")


#: What `covered_steps` returns: member-years, their masks per park measure, mask → text.
Covered = tuple[pl.DataFrame, pl.DataFrame, dict[str, pl.DataFrame]]


class PlanInputError(ValueError):
    """The member table lacks a key column the plan needs, or a measure covers too much."""


def covered_steps(covers: pl.DataFrame, steps: pl.DataFrame | None) -> Covered | None:
    """The masks of the steps each park measure of `covers` (measure, covers_measures,
    covers_modules) covers, from the member `steps` (facility_id, year, area, pathway,
    measures, modules: the assessment's pathways frame).

    Returns (facility_id, year → `_g`, 0..G-1), the masks of (`_g`, `_m`) at row `_m` × G +
    `_g` (`_mask_steps`, `_mask_modules`, `_m`) and, per kind, (`_m`, mask → text), `_m`
    being the row of `covers`; None without steps."""
    if steps is None or steps.height == 0:
        return None
    coded = steps.with_columns(_codes(steps))
    chosen = coded.filter(pl.col("pathway").cast(pl.String).is_in(STEP_PATHWAYS)).select(
        pl.col("facility_id").cast(pl.String), pl.col("year").cast(pl.Int64), *CODES)
    chosen = _member_year_ids(chosen)
    # The text of each distinct step, read at the first row of its codes.
    distinct = (coded.unique(list(CODES), keep="first")
                .join(chosen.select(CODES).unique(), on=list(CODES), how="semi")
                .select(*CODES, *_texts()))
    bits, texts = [], {}
    for kind, out in (("measures", "steps"), ("modules", "modules")):
        wanted = (covers.with_row_index("_m").select(
            "_m", pl.col(f"covers_{kind}").alias("_item")).explode("_item")
            .drop_nulls("_item").with_row_index("_rank"))
        items = distinct.with_columns(pl.col(kind).str.split(";").alias("_item")).explode("_item")
        matched = items.join(wanted, on="_item", how="inner")
        text = pl.format("{}:{}", pl.col("area"), pl.col("_item")) if kind == "measures" \
            else pl.col("_item")
        matched = matched.with_columns(text.alias("_text"))
        # One bit per distinct text of a park measure, in covers order, then by area.
        numbered = (matched.select("_m", "_rank", "area", "_text").unique(["_m", "_text"])
                    .sort("_m", "_rank", "area", "_text")
                    .with_columns(pl.int_range(pl.len()).over("_m").cast(pl.UInt64).alias("_bit")))
        if numbered.height and numbered["_bit"].max() >= 64:  # type: ignore[operator]
            raise PlanInputError("a park measure covers more than 64 step texts")
        numbered = numbered.with_columns(pl.Series(
            "_val", [1 << b for b in numbered["_bit"].to_list()], dtype=pl.UInt64))
        step_bits = (matched.join(numbered.select("_m", "_text", "_val"), on=["_m", "_text"])
                     .group_by(*CODES, "_m").agg(
                         pl.col("_val").unique().sum().alias(f"_mask_{out}")))
        bits.append(step_bits)
        texts[out] = numbered
    per_step = bits[0].join(bits[1], on=[*CODES, "_m"], how="full", coalesce=True).with_columns(
        pl.col("_mask_steps").fill_null(0), pl.col("_mask_modules").fill_null(0))
    # One row per distinct step with a mask column per park measure and kind; each chosen
    # step reads its row, and the masks are OR-ed over each member-year's run of steps (`_g`
    # counts the runs 0, 1, … in row order), then one row per (`_g`, `_m`).
    measures = covers.height
    wide = per_step.pivot(on="_m", index=list(CODES), values=["_mask_steps", "_mask_modules"])
    names = [f"{kind}_{m}" for kind in ("_mask_steps", "_mask_modules") for m in range(measures)]
    wide = wide.with_columns(pl.lit(0, pl.UInt64).alias(n) for n in names
                             if n not in wide.columns).fill_null(0)
    per_row = chosen.select(*CODES).join(wide, on=list(CODES), how="left",
                                         maintain_order="left").fill_null(0)
    group = chosen["_g"].cast(pl.Int64).to_numpy()
    starts = np.flatnonzero(np.diff(group, prepend=-1))
    ored = pl.DataFrame({n: np.bitwise_or.reduceat(per_row[n].to_numpy(), starts)
                         if starts.size else np.zeros(0, np.uint64) for n in names},
                        schema=dict.fromkeys(names, pl.UInt64))
    masks = pl.concat([ored.select(
        pl.col(f"_mask_steps_{m}").alias("_mask_steps"),
        pl.col(f"_mask_modules_{m}").alias("_mask_modules"),
        pl.lit(m, pl.UInt32).alias("_m")) for m in range(measures)])
    words = {}
    for out, numbered in texts.items():
        seen = masks.select("_m", f"_mask_{out}").unique().filter(pl.col(f"_mask_{out}") > 0)
        listed = (seen.join(numbered.select("_m", "_bit", "_val", "_text"), on="_m")
                  .filter((pl.col(f"_mask_{out}") & pl.col("_val")) > 0)
                  .sort("_m", f"_mask_{out}", "_bit")
                  .group_by("_m", f"_mask_{out}", maintain_order=True)
                  .agg(pl.col("_text").str.join(";").alias(f"covered_{out}")))
        words[out] = listed
    member_years = chosen.select("facility_id", "year", "_g").unique("_g", maintain_order=True)
    return member_years, masks, words


def _codes(steps: pl.DataFrame) -> list[pl.Expr]:
    """Integers equal exactly where the step's (area, measures, modules) text is: the physical
    codes of an Enum or Categorical column, of the text made Categorical otherwise; a missing
    text is read as an empty one (`_texts`), so it has a code of its own, -1."""
    out = []
    for name, code in zip(STEP_TEXT, CODES, strict=True):
        column = pl.col(name)
        if not isinstance(steps.schema[name], pl.Enum | pl.Categorical):
            column = column.cast(pl.String).cast(pl.Categorical)
        out.append(column.to_physical().cast(pl.Int64).fill_null(-1).alias(code))
    return out


def _texts() -> list[pl.Expr]:
    return [pl.col("area").cast(pl.String), pl.col("measures").cast(pl.String).fill_null(""),
            pl.col("modules").cast(pl.String).fill_null("")]


def _member_year_ids(chosen: pl.DataFrame) -> pl.DataFrame:
    """`_g`, one id per member-year: a run id, since the steps of a member-year come together
    (as the assessment's pathways frame gives them); sorted first when they do not."""
    ids = chosen.with_columns(pl.struct("facility_id", "year").rle_id().alias("_g"))
    # Every member-year starts a run, so the member-years come together exactly when the
    # runs' first rows (one per run, ~7 times fewer than the steps) name distinct member-years.
    starts = ids.filter(pl.col("_g").is_first_distinct())
    if starts.height != starts.select("facility_id", "year").n_unique():
        ids = chosen.sort("facility_id", "year", maintain_order=True).with_columns(
            pl.struct("facility_id", "year").rle_id().alias("_g"))
    return ids
