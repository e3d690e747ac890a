"""Demo tables of resource use: energy, water, wastewater, waste and air."""

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
    _COMPONENT,
    _STATUS_TEXT,
    _frame,
    _month_column,
    _month_kept,
    _present,
    _season,
    _status,
    _unit_choice,
    _World,
)

# --- energy -----------------------------------------------------------------------------------


def _energy(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y, M = world.F, world.Y, world.M
    country, ftype = world.country, world.ftype
    assembly_intensity = np.where(
        ftype == _COMPONENT,
        P.ENERGY_MJ_PER_PC_COMPONENT * np.exp(rng.normal(0, 0.4, F)),
        P.ENERGY_MJ_PER_PC * np.exp(rng.normal(0, P.ENERGY_PC_SIGMA, F)),
    )
    mill_intensity = (
        P.ENERGY_MJ_PER_KG
        * np.exp(rng.normal(0, P.ENERGY_KG_SIGMA, F))
        * np.where(world.material, 1.0, P.ENERGY_PROCESSING_FACTOR)
    )
    es_a = np.clip(rng.normal(*P.ELECTRIC_SHARE_ASSEMBLY, F), 0.5, 0.97)
    es_m = np.clip(rng.normal(*P.ELECTRIC_SHARE_MILL, F), 0.1, 0.6)
    part_a = world.pcs * assembly_intensity[:, None]
    part_m = world.kg * mill_intensity[:, None]
    base_elec = part_a * es_a[:, None] + part_m * es_m[:, None]
    base_th = part_a * (1 - es_a[:, None]) + part_m * (1 - es_m[:, None])

    # Intensity path: drift for everyone, programme effect for CLP participants, noise.
    implements = rng.random(F) >= P.CLP_NON_IMPLEMENTERS
    effect = -rng.uniform(*P.CLP_ENERGY_EFFECT, F) * P.COUNTRY_EFFECT[country] * implements
    t = (world.years - world.years[0]).astype(float)
    log_mult = (
        P.ENERGY_DRIFT * t[None, :, None]
        + effect[:, None, None] * world.clp_exposure
        + rng.normal(0, P.ENERGY_NOISE, (F, Y))[:, :, None]
    )
    if world.monthly:
        month_factor = (
            np.exp(log_mult + rng.normal(0, P.MONTH_NOISE, (F, Y, 12)))
            * _season(country)[:, None, :]
            / 12.0
        )
    else:
        month_factor = np.exp(log_mult)
    elec = base_elec[:, :, None] * month_factor
    thermal = base_th[:, :, None] * month_factor
    world.elec_month, world.thermal_month = elec, thermal

    # Source shares (F, Y, S): electricity side and thermal side.
    S = len(P.ENERGY_SOURCE_CANDIDATES)
    share_e = np.zeros((F, Y, S))
    share_t = np.zeros((F, Y, S))
    after = (world.years >= world.programme_year)[None, :]
    p_solar = (
        P.SOLAR_BASE_SHARE
        + P.SOLAR_ADOPTION_PER_YEAR * t[None, :]
        + P.SOLAR_ADOPTION_CLP * (world.clp[:, None] & after)
    )
    has_solar = rng.random(F)[:, None] < p_solar
    solar = has_solar * rng.uniform(*P.SOLAR_ELECTRIC_SHARE, F)[:, None]
    has_ren = rng.random(F) < P.RENEWABLE_PURCHASE_SHARE
    ren = has_ren[:, None] * rng.uniform(0.2, 0.6, F)[:, None] * np.ones((1, Y))
    has_gen = rng.random(F) < P.GENSET_SHARE_BY_COUNTRY[country]
    world.has_genset = has_gen
    gen = has_gen[:, None] * rng.uniform(*P.GENSET_ELECTRIC_SHARE, F)[:, None] * np.ones((1, Y))
    share_e[:, :, P.SRC_SOLAR] = solar
    share_e[:, :, P.SRC_REN] = ren
    share_e[:, :, P.SRC_GRID] = np.clip(1 - solar - ren - gen, 0.05, 1.0)
    share_e[:, :, P.SRC_DIESEL] = gen / P.GENSET_EFFICIENCY  # fuel input per MJ of electricity

    primary = P.THERMAL_SOURCES[categorical(rng, P.THERMAL_FUEL_BY_COUNTRY[country])]
    world.has_boiler = primary != P.SRC_STEAM
    has_second = rng.random(F) < 0.25
    second = np.where(rng.random(F) < 0.5, P.SRC_LPG, P.SRC_DIESEL)
    has_second &= second != primary
    second_share = has_second * rng.uniform(0.05, 0.2, F)
    rows = np.arange(F)
    for y in range(Y):
        share_t[rows, y, primary] += 1 - second_share
        share_t[rows, y, second] += second_share
    # Fuel switch away from coal by some CLP participants, from the year after the programme.
    switch = world.clp & (primary == P.SRC_COAL) & (rng.random(F) < P.COAL_SWITCH_PROB_CLP)
    target = np.where(np.isin(country, (2, 4)), P.SRC_BIO, P.SRC_GAS)
    switched = switch[:, None] & (world.years >= world.programme_year + 1)[None, :]
    moved = share_t[:, :, P.SRC_COAL] * P.COAL_SWITCH_FRACTION * switched
    share_t[:, :, P.SRC_COAL] -= moved
    for y in range(Y):
        share_t[rows, y, target] += moved[:, y]

    coal_mj = thermal.sum(axis=2) * (share_t[:, :, P.SRC_COAL] + share_t[:, :, P.SRC_BIO])
    world.coal_kg = coal_mj / 20.0  # mixed coal/biomass at ~20 MJ/kg, for boiler ash only

    present = _present(rng, world, "energy")
    kept = _month_kept(rng, world)
    exists = ((share_e + share_t) > 0) & present[:, :, None]
    f_idx, y_idx, s_idx = np.nonzero(exists)
    n_src = len(f_idx)
    f_r = np.repeat(f_idx, M)
    y_r = np.repeat(y_idx, M)
    s_r = np.repeat(s_idx, M)
    m_r = np.tile(np.arange(M), n_src)
    keep = kept[f_r, y_r, m_r]
    f_r, y_r, s_r, m_r = f_r[keep], y_r[keep], s_r[keep], m_r[keep]
    mj = (
        elec[f_r, y_r, m_r] * share_e[f_r, y_r, s_r]
        + thermal[f_r, y_r, m_r] * share_t[f_r, y_r, s_r]
    )
    spikes = rng.random(len(mj)) < P.SPIKE_SHARE * world.messiness * world.monthly
    mj = np.where(spikes, mj * 10, mj)

    # Units per facility and source.
    unit_idx = np.zeros((F, S), dtype=np.int64)
    unit_names: list[str] = []
    unit_mj = []
    unit_dec = []
    unit_offset = []
    for s, options in enumerate(P.ENERGY_UNITS):
        unit_offset.append(len(unit_names))
        unit_idx[:, s] = _unit_choice(rng, options, F)
        for name, _, per, dec in options:
            unit_names.append(name)
            unit_mj.append(per)
            unit_dec.append(dec)
    flat_unit = np.array(unit_offset)[s_r] + unit_idx[f_r, s_r]
    quantity = round_by(mj / np.array(unit_mj)[flat_unit], np.array(unit_dec)[flat_unit])

    sources = [pick("fem_energy_sources.csv", *c) for c in P.ENERGY_SOURCE_CANDIDATES]
    tracking = np.where(
        np.isin(s_r, (P.SRC_GRID, P.SRC_SOLAR, P.SRC_REN)),
        np.where(rng.random(F)[f_r] < 0.85, 0, 1),
        categorical(rng, np.array([0.3, 0.6, 0.1]), F)[f_r],
    )
    dormitory = rng.random(F) < 0.1
    production_share = np.where(
        (s_r == P.SRC_GRID) & dormitory[f_r], np.round(rng.uniform(0.9, 0.98, F)[f_r], 2), np.nan
    )
    instrument = np.where(s_r == P.SRC_REN, categorical(rng, np.array([0.6, 0.2, 0.2]), F)[f_r], 3)
    status = _status(rng, F * Y).reshape(F, Y)[f_r, y_r]
    n = len(f_r)
    return _frame(
        "energy",
        {
            "facility_id": world.facility_id.gather(f_r),
            "year": world.years[y_r],
            "month": _month_column(world, m_r),
            "source": take(sources, s_r, "source"),
            "quantity": quantity,
            "unit": take(unit_names, flat_unit, "unit"),
            "tracking_method": take(("meter", "invoice", "estimate"), tracking, "tracking_method"),
            "production_share": pl.Series(production_share).fill_nan(None),
            "instrument": take(("EAC", "PPA", "green_tariff", None), instrument, "instrument"),
            "verification_status": take(_STATUS_TEXT, status, "verification_status"),
        },
        n,
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
