"""Demo energy table: electricity and fuels per facility-year or month, by factory type."""

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
