"""Demo water and wastewater tables: withdrawal by source, recycling, discharge."""

from __future__ import annotations

import numpy as np
import polars as pl

from factory_journey.demo import params as P
from factory_journey.demo._util import (
    categorical,
    round_by,
    take,
)
from factory_journey.demo.keys import pick
from factory_journey.demo.world import (
    _COMPONENT,
    _STATUS_TEXT,
    _frame,
    _month_column,
    _month_kept,
    _present,
    _status,
    _unit_choice,
    _World,
)

# --- water and wastewater ---------------------------------------------------------------------


def _water(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    country, ftype = world.country, world.ftype
    l_pc = np.where(ftype == _COMPONENT, P.WATER_L_PER_PC_COMPONENT, P.WATER_L_PER_PC) * np.exp(
        rng.normal(0, P.WATER_PC_SIGMA, F)
    )
    l_kg = (
        P.WATER_L_PER_KG
        * P.WATER_COUNTRY[country]
        * np.exp(rng.normal(0, P.WATER_KG_SIGMA, F))
        * np.where(world.material, 1.0, 0.8)
    )
    base = (world.pcs * l_pc[:, None] + world.kg * l_kg[:, None]) / 1000.0  # m3 per year
    implements = rng.random(F) >= P.CLP_NON_IMPLEMENTERS
    effect = -rng.uniform(*P.CLP_WATER_EFFECT, F) * P.COUNTRY_EFFECT[country] * implements
    t = (world.years - world.years[0]).astype(float)
    log_mult = (
        P.WATER_DRIFT * t[None, :, None]
        + effect[:, None, None] * world.clp_exposure
        + rng.normal(0, P.WATER_NOISE, (F, Y))[:, :, None]
    )
    if world.monthly:
        factor = np.exp(log_mult + rng.normal(0, P.MONTH_NOISE, (F, Y, 12))) / 12.0
    else:
        factor = np.exp(log_mult)
    withdrawal = base[:, :, None] * factor
    world.withdrawal_month = withdrawal

    after = (world.years >= world.programme_year)[None, :]
    zld = world.discharge == 4
    p_rec = P.RECYCLING_BASE_SHARE + P.RECYCLING_ADOPTION_CLP * (world.clp[:, None] & after)
    recycles = ((rng.random(F)[:, None] < p_rec) & world.wet[:, None]) | zld[:, None]
    rec_share = np.where(zld, rng.uniform(0.5, 0.7, F), rng.uniform(*P.RECYCLED_SHARE_RANGE, F))
    recycled = withdrawal * (recycles * rec_share[:, None])[:, :, None]
    world.recycled_month = recycled

    primary = categorical(rng, P.WATER_SOURCE_BY_COUNTRY[country])
    has_rain = rng.random(F) < P.RAINWATER_SHARE[0]
    rain_share = has_rain * rng.uniform(P.RAINWATER_SHARE[1], P.RAINWATER_SHARE[2], F)
    # Row kinds: 0 withdrawal from the main source, 1 rainwater, 2 recycled.
    kind_amount = np.stack(
        [
            withdrawal * (1 - rain_share)[:, None, None],
            withdrawal * rain_share[:, None, None],
            recycled,
        ],
        axis=3,
    )  # (F, Y, M, 3)
    present = _present(rng, world, "water")
    kept = _month_kept(rng, world)
    mask = (kind_amount > 0) & (present[:, :, None] & kept)[:, :, :, None]
    f_r, y_r, m_r, k_r = np.nonzero(mask)
    amount = kind_amount[f_r, y_r, m_r, k_r]
    spikes = rng.random(len(amount)) < P.SPIKE_SHARE * world.messiness * world.monthly
    amount = np.where(spikes, amount * 10, amount)
    unit = _unit_choice(rng, P.WATER_UNITS, F)[f_r]
    volume = amount / np.array([u[2] for u in P.WATER_UNITS])[unit]
    quantity = round_by(volume, np.where(volume >= 100, 0, 1))  # meters read whole m3
    source_keys = [pick("fem_water_sources.csv", c) for c in P.WATER_SOURCE_CANDIDATES]
    source = np.where(k_r == 1, 4, primary[f_r])
    tracking = np.where(rng.random(F) < 0.7, 0, categorical(rng, np.array([0.5, 0.5]), F) + 1)
    status = _status(rng, F * Y).reshape(F, Y)[f_r, y_r]
    return _frame(
        "water",
        {
            "facility_id": world.facility_id.gather(f_r),
            "year": world.years[y_r],
            "month": _month_column(world, m_r),
            "source": take(source_keys, source, "source"),
            "flow": take(("withdrawal", "withdrawal", "recycled"), k_r, "flow"),
            "quantity": quantity,
            "unit": take([u[0] for u in P.WATER_UNITS], unit, "unit"),
            "tracking_method": take(("meter", "invoice", "estimate"), tracking[f_r], "t"),
            "verification_status": take(_STATUS_TEXT, status, "s"),
        },
        len(f_r),
    )


def _wastewater(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    assert world.withdrawal_month is not None and world.recycled_month is not None
    ratio = rng.uniform(*P.WASTEWATER_RATIO, F)[:, None, None]
    total = (world.withdrawal_month + world.recycled_month) * ratio
    per_month = 1 / 12 if world.monthly else 1.0
    domestic_need = (world.employees * P.DOMESTIC_M3_PER_EMPLOYEE_DAY * world.operating_days)[
        :, :, None
    ] * per_month
    wet = world.wet[:, None, None]
    domestic = np.where(wet, np.minimum(domestic_need, 0.3 * total), total)
    industrial = np.where(wet, total - domestic, 0.0)
    combined = world.wet & (rng.random(F) < 0.15)
    # Kinds: 0 domestic, 1 industrial, 2 combined.
    c = combined[:, None, None]
    amounts = np.stack(
        [
            np.where(c, 0.0, domestic),
            np.where(c, 0.0, industrial),
            np.where(c, total, 0.0),
        ],
        axis=3,
    )
    zld = world.discharge == 4
    recycled_share = np.where(
        industrial + c * total > 0,
        world.recycled_month / np.maximum(np.where(c, total, industrial), 1e-9),
        0.0,
    )
    present = _present(rng, world, "wastewater")
    kept = _month_kept(rng, world)
    mask = (amounts > 0) & (present[:, :, None] & kept)[:, :, :, None]
    f_r, y_r, m_r, k_r = np.nonzero(mask)
    volume = amounts[f_r, y_r, m_r, k_r]
    quantity = round_by(volume, np.where(volume >= 100, 0, 1))
    share = np.where(k_r == 0, np.nan, np.round(np.clip(recycled_share[f_r, y_r, m_r], 0, 0.95), 3))
    share = np.where(zld[f_r] & (k_r > 0), np.round(np.maximum(share, 0.9), 3), share)
    unit = np.where(rng.random(F) < 0.9, 0, 1)[f_r]
    discharge_keys = [pick("zdhc_discharge_types.csv", c) for c in P.DISCHARGE_CANDIDATES]
    status = _status(rng, F * Y).reshape(F, Y)[f_r, y_r]
    return _frame(
        "wastewater",
        {
            "facility_id": world.facility_id.gather(f_r),
            "year": world.years[y_r],
            "month": _month_column(world, m_r),
            "wastewater_type": take(("domestic", "industrial", "combined"), k_r, "w"),
            "quantity": quantity,
            "unit": take(("m3", "m³"), unit, "unit"),
            "recycled_share": pl.Series(share).fill_nan(None),
            # The ZDHC discharge type describes industrial wastewater: domestic rows of wet
            # processors leave it blank.
            "discharge_type": take(
                [*discharge_keys, None],
                np.where((k_r == 0) & world.wet[f_r], len(discharge_keys), world.discharge[f_r]),
                "d",
            ),
            "verification_status": take(_STATUS_TEXT, status, "s"),
        },
        len(f_r),
    )
