"""Demo waste and air tables: waste streams by disposal route, air emission sources."""

from __future__ import annotations

import numpy as np
import polars as pl

from factory_journey.demo import params as P
from factory_journey.demo._util import (
    categorical,
    expand,
    round_by,
    take,
)
from factory_journey.demo.keys import pick
from factory_journey.demo.world import (
    _STATUS_TEXT,
    _frame,
    _month_column,
    _month_kept,
    _present,
    _status,
    _unit_choice,
    _World,
)

# --- waste ------------------------------------------------------------------------------------


def _waste(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    assert world.coal_kg is not None
    present = _present(rng, world, "waste")
    kept = _month_kept(rng, world)
    unit = _unit_choice(rng, P.WASTE_UNITS, F)
    methods: list[str] = []
    method_index: dict[str, int] = {}
    parts: list[tuple[np.ndarray, ...]] = []
    stream_keys: list[str] = []
    for s, (stream, hazardous, basis, rate, sigma, types, disposal) in enumerate(P.WASTE_STREAMS):
        stream_keys.append(pick("fem_waste_streams.csv", stream))
        codes = []
        for method in disposal:
            key = pick("waste_disposal_methods.csv", method)
            if key not in method_index:
                method_index[key] = len(methods)
                methods.append(key)
            codes.append(method_index[key])
        applies = np.isin(world.ftype, types) & (rng.random(F) < 0.92)
        base = {"pc": world.pcs, "kg": world.kg, "emp": world.employees, "ash": world.coal_kg}[
            basis
        ]
        annual = (
            base
            * rate
            * np.exp(rng.normal(0, sigma, F))[:, None]
            * np.exp(rng.normal(0, 0.1, (F, Y)))
        )
        if world.monthly:
            amount = annual[:, :, None] / 12 * np.exp(rng.normal(0, 0.15, (F, Y, 12)))
            if stream in P.WASTE_QUARTERLY:
                quarters = amount.reshape(F, Y, 4, 3).sum(axis=3)
                amount = np.zeros_like(amount)
                amount[:, :, 2::3] = quarters
        else:
            amount = annual[:, :, None]
        method = np.array(codes)[categorical(rng, np.array(list(disposal.values())), F)]
        mask = (amount >= 0.5) & applies[:, None, None] & (present[:, :, None] & kept)
        f_r, y_r, m_r = np.nonzero(mask)
        parts.append(
            (
                f_r,
                y_r,
                m_r,
                np.full(len(f_r), s),
                amount[f_r, y_r, m_r],
                method[f_r],
                np.full(len(f_r), hazardous),
            )
        )
    f_r, y_r, m_r, s_r, kg, method_r, hazardous_r = (
        np.concatenate(x) for x in zip(*parts, strict=True)
    )
    order = np.lexsort((s_r, m_r, y_r, f_r))
    f_r, y_r, m_r, s_r, kg, method_r, hazardous_r = (
        x[order] for x in (f_r, y_r, m_r, s_r, kg, method_r, hazardous_r)
    )
    u = unit[f_r]
    per = np.array([x[2] for x in P.WASTE_UNITS])[u]
    quantity = round_by(kg / per, np.array([x[3] for x in P.WASTE_UNITS])[u])
    quantity = np.where(quantity <= 0, round_by(kg / per, np.full(len(u), 4)), quantity)
    status = _status(rng, F * Y).reshape(F, Y)[f_r, y_r]
    return _frame(
        "waste",
        {
            "facility_id": world.facility_id.gather(f_r),
            "year": world.years[y_r],
            "month": _month_column(world, m_r),
            "stream": take(stream_keys, s_r, "stream"),
            "hazardous": hazardous_r,
            "quantity": quantity,
            "unit": take([x[0] for x in P.WASTE_UNITS], u, "unit"),
            "disposal_method": take(methods, method_r, "d"),
            "verification_status": take(_STATUS_TEXT, status, "s"),
        },
        len(f_r),
    )


# --- air --------------------------------------------------------------------------------------


def _air(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    assert world.has_boiler is not None and world.has_genset is not None
    wet = world.wet
    n_boiler = world.has_boiler * np.where(wet, 1 + np.minimum(rng.poisson(0.8, F), 3), 1)
    n_gen = world.has_genset * (1 + (rng.random(F) < 0.3))
    n_cool = 1 + np.minimum(rng.poisson(1.5, F), 6)
    n_mobile = np.minimum(rng.poisson(0.8, F), 4)
    kinds = (
        ("Boiler", 0, n_boiler),
        ("Generator", 0, n_gen),
        ("Chiller", 1, n_cool),
        ("Forklift", 2, n_mobile),
    )
    owners, positions, kind_r = [], [], []
    for k, (_, _, counts) in enumerate(kinds):
        o, p = expand(counts)
        owners.append(o)
        positions.append(p)
        kind_r.append(np.full(len(o), k))
    f_s = np.concatenate(owners)
    pos_s = np.concatenate(positions)
    kind_s = np.concatenate(kind_r)
    order = np.lexsort((pos_s, kind_s, f_s))
    f_s, pos_s, kind_s = f_s[order], pos_s[order], kind_s[order]
    n_s = len(f_s)
    src_type = np.array([k[1] for k in kinds])[kind_s]
    # Written as facilities write them (R-410A); `pick` checks gwp.csv accepts each spelling.
    refrigerants = [name for name, _ in P.REFRIGERANT_CANDIDATES if pick("gwp.csv", name)]
    refrigerant_s = np.where(
        src_type == 1,
        categorical(rng, np.array([p for _, p in P.REFRIGERANT_CANDIDATES]), n_s),
        len(refrigerants),
    )
    charge_median = P.REFRIGERANT_RECHARGE_KG[0] * np.exp(
        rng.normal(0, P.REFRIGERANT_RECHARGE_KG[1], n_s)
    )
    track_u = rng.random(n_s)
    # Source-years.
    present = _present(rng, world, "air")
    sy_src = np.repeat(np.arange(n_s), Y)
    sy_year = np.tile(np.arange(Y), n_s)
    f_r = f_s[sy_src]
    keep = present[f_r, sy_year]
    sy_src, sy_year, f_r = sy_src[keep], sy_year[keep], f_r[keep]
    st = src_type[sy_src]
    active = world.clp[f_r] & (world.years[sy_year] >= world.programme_year)
    p_track = np.array([0.55, 0.35, 0.30])[st] + 0.3 * active
    tracked = track_u[sy_src] < p_track
    recharge = np.where(
        (st == 1) & (rng.random(len(sy_src)) >= P.REFRIGERANT_RECHARGE_KG[2]),
        np.round(charge_median[sy_src] * np.exp(rng.normal(0, 0.3, len(sy_src))), 1),
        np.where(st == 1, 0.0, np.nan),
    )
    names = pl.select(
        (
            take([k[0] for k in kinds], kind_s[sy_src], "a")
            + pl.lit(" ")
            + pl.Series(pos_s[sy_src] + 1).cast(pl.String)
        ).alias("source_name")
    ).to_series()
    status = _status(rng, F * Y).reshape(F, Y)[f_r, sy_year]
    return _frame(
        "air",
        {
            "facility_id": world.facility_id.gather(f_r),
            "year": world.years[sy_year],
            "source_name": names,
            "source_type": take(("point", "fugitive", "mobile"), st, "t"),
            "tracked": tracked,
            "refrigerant": take([*refrigerants, None], refrigerant_s[sy_src], "r"),
            "refrigerant_recharge_kg": pl.Series(recharge).fill_nan(None),
            "verification_status": take(_STATUS_TEXT, status, "s"),
        },
        len(f_r),
    )
