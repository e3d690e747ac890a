"""The collective improvement plan of a park: shared measures, their figures and member shares.

Pure and vectorised over every park and year at once. For each park-year and shared measure of
`park_measures.yaml`:

- the participants are the members with a value above 0 in the measure's `participants_when`
  column (every member when it has none);
- the savings are the measure's fraction (low, central = midpoint, high) of each participant's
  own baseline, summed: grid electricity substituted [kWh] = fraction × energy_electric_mj / 3.6,
  heat saved [MJ] = fraction × energy_thermal_mj, water recycled [m³] = fraction ×
  wastewater_to_central_m3, waste diverted [kg] = fraction × waste_total_kg;
- money [USD/yr] prices each participant's savings at its country's prices (regional_prices):
  kWh × electricity_usd_per_kwh, GJ × thermal_fuel_usd_per_gj, m³ × water_usd_per_m3;
- CO2e [kgCO2e/yr] = kWh × the participant's grid factor, or MJ × its own thermal factor
  (scope1_kgco2e / energy_thermal_mj); not quantified for water and waste (0);
- the investment [USD] is the central quantity (kWh/yr, GJ/yr, m³/yr) × USD per unit, or USD
  per park, per participant, or per worker of the participants; low and high use the ends of
  the USD range;
- costs and benefits split across the participants by the measure's basis: member share =
  member's value of the split column / the participants' sum (equal: 1 / participants). When a
  participant has no value above 0 for it, the measure splits equally and `split_note` says why.

Inputs: `members`, one row per park_id × facility_id × year (columns in `MEMBER_COLUMNS`; the
optional ones may be absent), member pathway `steps` (facility_id, year, area, pathway,
measures, modules: the assessment's pathways frame) and a price table (engine prices).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from factory_journey.engine.assessment.finance import join_prices
from factory_journey.engine.assessment.prices import default_prices
from factory_journey.engine.parks.plan_measures import (
    EFFECT_BASELINE,
    ParkMeasure,
    ParkMeasures,
    default_park_measures,
)
from factory_journey.engine.parks.plan_steps import Covered, PlanInputError, covered_steps

KEY_COLUMNS: tuple[str, ...] = ("park_id", "facility_id", "year")
#: Member columns the plan reads besides the keys [MJ, kgCO2e, kgCO2e/kWh, m³, kg, workers].
MEMBER_COLUMNS: tuple[str, ...] = (
    "country_iso2",
    "energy_electric_mj",
    "energy_thermal_mj",
    "scope1_kgco2e",
    "grid_factor_kgco2e_per_kwh",
    "wastewater_to_central_m3",
    "waste_total_kg",
    "production_volume_kg",
    "workers",
)
QUANTITY_COLUMNS: dict[str, str] = {
    "electricity_substituted": "electricity_saved_kwh",
    "thermal_energy": "energy_saved_mj",
    "water_recycled": "water_saved_m3",
    "waste_diverted": "waste_diverted_kg",
}
#: Figures split across members by share (sums over the park equal the measure's figures).
SPLIT_FIGURES: tuple[str, ...] = (
    *QUANTITY_COLUMNS.values(),
    "money_saved_usd",
    "co2e_saved_kgco2e",
    "investment_usd",
)
MJ_PER_KWH = 3.6


@dataclass(frozen=True)
class CollectivePlan:
    """`measures`: one row per park-year × shared measure; `members`: one row per park-year ×
    measure × participating member with its share; `versions`: the measures file version."""

    measures: pl.DataFrame
    members: pl.DataFrame
    versions: dict[str, str]


def measure_frame(park_measures: ParkMeasures) -> pl.DataFrame:
    """One row per shared measure: effect, investment and split parameters, covers as lists."""
    rows = []
    for m in park_measures.measures:
        rows.append({
            "measure": m.key,
            "measure_title": m.title,
            "area": m.area,
            "effect_kind": m.effect.kind,
            "_f_lo": m.effect.fraction[0],
            "_f_hi": m.effect.fraction[1],
            "investment_basis": m.investment.basis,
            "_usd_lo": m.investment.usd[0],
            "_usd_hi": m.investment.usd[1],
            "split_basis": m.split.basis,
            "split_column": m.split.column,
            "_participants_when": m.participants_when,
            "_baseline": EFFECT_BASELINE[m.effect.kind],
            "covers_measures": list(m.covers.measures),
            "covers_modules": list(m.covers.modules),
            "covers_requirements": list(m.covers.requirements),
            "co2e_basis": m.co2e_basis,
            "certainty": m.certainty,
            "source": m.source,
        })
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        "covers_measures": pl.List(pl.String), "covers_modules": pl.List(pl.String),
        "covers_requirements": pl.List(pl.String), "split_column": pl.String,
        "_participants_when": pl.String, "_baseline": pl.String}
    return pl.DataFrame(rows, schema_overrides=schema, infer_schema_length=None)


def _prepare_members(members: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in KEY_COLUMNS if c not in members.columns]
    if missing:
        raise PlanInputError(f"the park member table lacks the columns {missing}")
    extra = [pl.lit(None, dtype=pl.Float64).alias(c) for c in MEMBER_COLUMNS
             if c not in members.columns and c != "country_iso2"]
    if "country_iso2" not in members.columns:
        extra.append(pl.lit("*").alias("country_iso2"))
    out = members.with_columns(extra).select(*KEY_COLUMNS, *MEMBER_COLUMNS)
    return out.with_columns(pl.col(c).cast(pl.Float64) for c in MEMBER_COLUMNS[1:])


def _figures(measure: ParkMeasure) -> list[pl.Expr]:
    """Per participant: quantities, money and CO2e at low, central and high fractions."""
    kind = measure.effect.kind
    column = EFFECT_BASELINE[kind]
    base = pl.col(column).fill_null(0.0) if column else pl.lit(0.0)
    thermal_factor = pl.when(pl.col("energy_thermal_mj") > 0).then(
        pl.col("scope1_kgco2e") / pl.col("energy_thermal_mj"))
    zero = pl.lit(0.0)
    low, high = measure.effect.fraction
    figures = []
    for tag, fraction in (("lo", low), ("mid", (low + high) / 2), ("hi", high)):
        amount = base * fraction
        kwh = amount / MJ_PER_KWH if kind == "electricity_substituted" else zero
        mj = amount if kind == "thermal_energy" else zero
        m3 = amount if kind == "water_recycled" else zero
        kg = amount if kind == "waste_diverted" else zero
        # A factor is only needed where there is something to multiply: 0 × unknown is 0.
        if kind == "electricity_substituted":
            money = kwh * pl.col("electricity_usd_per_kwh")
            co2e = pl.when(kwh == 0).then(0.0).otherwise(kwh * pl.col("grid_factor_kgco2e_per_kwh"))
        elif kind == "thermal_energy":
            money = mj / 1000.0 * pl.col("thermal_fuel_usd_per_gj")
            co2e = pl.when(mj == 0).then(0.0).otherwise(mj * thermal_factor)
        elif kind == "water_recycled":
            money, co2e = m3 * pl.col("water_usd_per_m3"), zero
        else:
            money, co2e = zero, zero
        figures += [kwh.alias(f"_kwh_{tag}"), mj.alias(f"_mj_{tag}"), m3.alias(f"_m3_{tag}"),
                    kg.alias(f"_kg_{tag}"), money.alias(f"_usd_saved_{tag}"),
                    co2e.alias(f"_co2e_{tag}")]
    return figures


def _participants(people: pl.DataFrame, measure: ParkMeasure) -> pl.DataFrame:
    """The members taking part in `measure`, with their figures and their share of it."""
    when = measure.participants_when
    part = people if when is None else people.filter(pl.col(when) > 0)
    split = measure.split
    value = pl.col(split.column) if split.column else pl.lit(1.0)
    park = "_py"  # the park-year's row id: the same groups as (park_id, year), cheaper keys
    lacking = (value.is_null() | (value <= 0)) if split.basis != "equal" else pl.lit(False)
    part = part.with_columns(
        *_figures(measure), pl.lit(measure.key).alias("measure"),
        pl.lit(split.basis).alias("split_basis"),
        lacking.sum().over(park).alias("_lacking"), pl.len().over(park).alias("participants"),
        value.alias("_split"))
    # Equal split for the whole measure when any participant lacks the split value.
    weight = pl.when(pl.col("_lacking") > 0).then(1.0).otherwise(pl.col("_split"))
    note = (pl.when(pl.col("_lacking") > 0).then(pl.format(
        f"equal split: {{}} of {{}} participants have no {split.column}", pl.col("_lacking"),
        pl.col("participants"))) if split.column else pl.lit(None, dtype=pl.String))
    return part.with_columns(weight.alias("split_value"),
                             (weight / weight.sum().over(park)).alias("share"),
                             note.alias("split_note"))


def _investment(usd: pl.Expr) -> pl.Expr:
    basis = pl.col("investment_basis")
    return (pl.when(basis == "electricity_kwh").then(usd * pl.col("electricity_saved_kwh"))
            .when(basis == "energy_gj").then(usd * pl.col("energy_saved_mj") / 1000.0)
            .when(basis == "water_m3").then(usd * pl.col("water_saved_m3"))
            .when(basis == "park").then(usd)
            .when(basis == "member").then(usd * pl.col("participants"))
            .when(basis == "worker").then(usd * pl.col("_workers"))
            .otherwise(None))


def plan_covers(park_measures: ParkMeasures | None = None) -> pl.DataFrame:
    """What each shared measure covers of the member steps (measure, covers_measures,
    covers_modules), in the measures' order: the `covers` of `plan_steps.covered_steps`."""
    return _covers(measure_frame(park_measures or default_park_measures()))


def _covers(table: pl.DataFrame) -> pl.DataFrame:
    return table.select("measure", "covers_measures", "covers_modules").unique(
        "measure", maintain_order=True)


def collective_plan(members: pl.DataFrame, steps: pl.DataFrame | None = None,
                    park_measures: ParkMeasures | None = None,
                    prices: pl.DataFrame | None = None,
                    covered: Covered | None = None) -> CollectivePlan:
    """The collective improvement plan of every park-year in `members` (see the module doc).

    `covered`: `covered_steps(plan_covers(park_measures), steps)` when the caller computed it
    already (beside other work); `steps` are then not read."""
    park_measures = park_measures or default_park_measures()
    table = measure_frame(park_measures)
    if covered is None:
        covered = covered_steps(_covers(table), steps)
    people = join_prices(_prepare_members(members),
                         default_prices() if prices is None else prices)
    group = ["park_id", "year", "measure"]
    sums = [pl.col(f"_{q}_{t}").sum().alias(f"_{q}_{t}") for q in ("kwh", "mj", "m3", "kg",
            "usd_saved", "co2e") for t in ("lo", "mid", "hi")]
    co2e_gaps = (pl.col("_co2e_mid").is_null()).sum().alias("_co2e_missing")
    parks = people.select("park_id", "year").unique(maintain_order=True)
    # Row ids that ride along (`_py` the park-year's row in `parks`, `_pr` the member's row in
    # `people`, `_mi` the measure's row in `table`), so that each participant's row finds its
    # measure total and its covered steps by position, not by joining ~1 M rows on text keys.
    people = people.with_row_index("_pr").join(
        parks.with_row_index("_py"), on=["park_id", "year"], how="left", maintain_order="left")
    order = {m: i for i, m in enumerate(table["measure"].to_list())}
    # One pass per measure over the members: each reads the columns it names, no more.
    parts, totals = [], []
    for measure in park_measures.measures:
        part = _participants(people, measure)
        parts.append(part.select(*group, "facility_id", "split_basis", "split_value", "share",
                                 "_py", "_pr", pl.lit(order.get(measure.key), pl.UInt32)
                                 .alias("_mi")))
        totals.append(part.group_by("_py", maintain_order=True).agg(
            pl.col("park_id", "year", "measure").first(),
            *sums, co2e_gaps, pl.col("participants").first(), pl.col("split_note").first(),
            pl.col("workers").fill_null(0.0).sum().alias("_workers")).drop("_py"))
    long = pl.concat(parts, how="vertical_relaxed")
    agg = pl.concat(totals, how="vertical_relaxed")
    plan = (parks.join(table, how="cross")
            .join(agg, on=group, how="left", maintain_order="left")
            .with_columns(pl.col("participants").fill_null(0).cast(pl.Int64)))
    plan = plan.with_columns(
        pl.col("_kwh_mid").fill_null(0.0).alias("electricity_saved_kwh"),
        pl.col("_mj_mid").fill_null(0.0).alias("energy_saved_mj"),
        pl.col("_m3_mid").fill_null(0.0).alias("water_saved_m3"),
        pl.col("_kg_mid").fill_null(0.0).alias("waste_diverted_kg"),
        pl.col("_usd_saved_mid").fill_null(0.0).alias("money_saved_usd"),
        pl.col("_usd_saved_lo").fill_null(0.0).alias("money_saved_usd_low"),
        pl.col("_usd_saved_hi").fill_null(0.0).alias("money_saved_usd_high"),
        # A CO2e sum with a participant's factor unknown would understate it: null instead.
        *[pl.when(pl.col("_co2e_missing").fill_null(0) > 0).then(None)
          .otherwise(pl.col(f"_co2e_{t}").fill_null(0.0)).alias(name)
          for t, name in (("mid", "co2e_saved_kgco2e"), ("lo", "co2e_saved_kgco2e_low"),
                          ("hi", "co2e_saved_kgco2e_high"))],
        pl.col("_workers").fill_null(0.0),
    )
    plan = plan.with_columns(
        pl.when(pl.col("participants") > 0).then(_investment((pl.col("_usd_lo")
                                                              + pl.col("_usd_hi")) / 2))
        .otherwise(0.0).alias("investment_usd"),
        pl.when(pl.col("participants") > 0).then(_investment(pl.col("_usd_lo")))
        .otherwise(0.0).alias("investment_usd_low"),
        pl.when(pl.col("participants") > 0).then(_investment(pl.col("_usd_hi")))
        .otherwise(0.0).alias("investment_usd_high"),
        pl.when(pl.col("participants") == 0).then(pl.format(
            "no member has {} above 0", pl.col("_participants_when")))
        .otherwise(pl.col("split_note")).alias("split_note"),
    ).with_columns(
        pl.when(pl.col("money_saved_usd") > 0)
        .then(pl.col("investment_usd") / pl.col("money_saved_usd"))
        .alias("simple_payback_years"),
        pl.lit(park_measures.version).alias("park_measures_version"),
    )
    measure_cols = [
        "park_id", "year", "measure", "measure_title", "area", "effect_kind", "participants",
        *QUANTITY_COLUMNS.values(), "money_saved_usd", "money_saved_usd_low",
        "money_saved_usd_high", "co2e_saved_kgco2e", "co2e_saved_kgco2e_low",
        "co2e_saved_kgco2e_high", "investment_basis", "investment_usd", "investment_usd_low",
        "investment_usd_high", "simple_payback_years", "split_basis", "split_column",
        "split_note", "co2e_basis", "covers_measures", "covers_modules", "covers_requirements",
        "certainty", "source", "park_measures_version",
    ]
    plan = plan.select(measure_cols)
    shares = _member_shares(long, plan, covered, people, parks.height)
    return CollectivePlan(plan, shares,
                          {"park_measures": f"{park_measures.version} (park_measures.yaml)"})


def _member_shares(long: pl.DataFrame, plan: pl.DataFrame, covered: Covered | None,
                   people: pl.DataFrame, park_years: int) -> pl.DataFrame:
    """Each participant's share of each measure's figures, and the member steps it covers.

    `long` carries `_py`, `_mi` and `_pr` (see `collective_plan`): `plan` holds park-year
    `_py`'s measure `_mi` at row `_py` × measures + `_mi` (park-years crossed with the
    measures, in order), and `people` member `_pr`'s facility and year."""
    # `collective_plan` builds `plan` as the park-years crossed with the measures, in order,
    # and gives every participant row its `_py` and `_mi`: the totals are found by position.
    measures = plan.height // park_years if park_years else 0
    at = pl.col("_py").cast(pl.Int64) * measures + pl.col("_mi").cast(pl.Int64)
    rows = pl.concat([long, plan.select(SPLIT_FIGURES)[long.select(at).to_series()]],
                     how="horizontal")
    rows = rows.with_columns(pl.col(c) * pl.col("share") for c in SPLIT_FIGURES)
    rows = rows.with_columns(pl.col("facility_id").cast(pl.String), pl.col("year").cast(pl.Int64))
    if covered is None:
        return rows.drop("_py", "_mi", "_pr").with_columns(
            pl.lit("").alias("covered_steps"), pl.lit("").alias("covered_modules"))
    member_years, masks, texts = covered
    runs = member_years.height
    # `covers` lists the measures in the plan's order, so a row's measure index is its `_mi`
    rows = rows.with_columns(pl.col("_mi").alias("_m"))
    # each member's member-year id, found once per member and gathered per participant row
    member_g = people.select(pl.col("facility_id").cast(pl.String),
                             pl.col("year").cast(pl.Int64)).join(
        member_years, on=["facility_id", "year"], how="left", maintain_order="left")["_g"]
    rows = rows.with_columns(member_g.gather(rows["_pr"]).alias("_g")).drop("_py", "_mi", "_pr")
    # A participant without steps has no `_g`: it reads a row of zero masks past the end.
    position = pl.when(pl.col("_g").is_null()).then(masks.height).otherwise(
        pl.col("_m").cast(pl.Int64) * runs + pl.col("_g"))
    padded = pl.concat([masks, pl.DataFrame({"_mask_steps": [0], "_mask_modules": [0],
                                             "_m": [0]}, schema=masks.schema)])
    found = padded.select("_mask_steps", "_mask_modules")[rows.select(position).to_series()]
    # the texts are joined to the masks alone and set beside the rows (not a copy of them)
    keys = pl.concat([rows.select("_m"), found], how="horizontal")
    words = [keys.join(texts[kind], on=["_m", f"_mask_{kind}"], how="left",
                       maintain_order="left")[f"covered_{kind}"].fill_null("")
             for kind in ("steps", "modules")]
    return rows.drop("_m", "_g").with_columns(words)
