"""Synthetic Factory Journey datasets: vectorised numpy/polars, no per-facility Python loops.

`generate_dataset` returns the raw tables exactly as a user would hand them in (the `profiles`
table of docs/contracts.md §1 and the performance tables of `domain/tables.py`, quantities in
the units a facility reports). Parameters and their sources are in `params.py`; the choices are
described in `README.md` beside this file.

Each table draws from its own random stream (spawned from the seed), so the same seed gives
identical frames and a change in one table's code leaves the others unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from factory_journey.demo import params as P
from factory_journey.demo._util import (
    allocate,
    categorical,
    dates,
    exact_labels,
    expand,
    pad_ids,
    round_by,
    take,
)
from factory_journey.demo.keys import pick
from factory_journey.domain.tables import TABLES_BY_NAME

#: Above this many facilities the quantity tables hold annual rows (month empty) unless
#: `monthly=True` is asked for: 1,000,000 facility-years stay a few tens of millions of rows.
MONTHLY_LIMIT = 20_000

#: Order of the tables in a generated dataset.
TABLE_ORDER: tuple[str, ...] = (
    "profiles", "energy", "water", "wastewater", "waste", "air", "chemicals", "ems",
    "zdhc_wastewater", "programmes",
)

_STREAMS = (
    "world", "profiles", "energy", "water", "wastewater", "waste", "air", "chemicals", "ems",
    "zdhc_wastewater", "programmes", "quality",
)

_CUT_SEW, _MILL, _VERTICAL, _COMPONENT = range(4)


@dataclass
class _World:
    """Facility-level and facility-year latent state shared by the tables."""

    F: int
    years: np.ndarray  # (Y,)
    monthly: bool
    messiness: float
    programme_year: int
    facility_id: pl.Series
    country: np.ndarray  # (F,)
    ftype: np.ndarray
    material: np.ndarray  # mills: Material Production (else Finished Product Processing)
    footwear: np.ndarray
    cohort: np.ndarray
    clp: np.ndarray
    stz: np.ndarray
    clp_start: np.ndarray  # month of the programme year
    stz_start: np.ndarray
    clp_exposure: np.ndarray  # (F, Y, M) years of exposure at mid-month (M = 12 or 1)
    stz_exposure: np.ndarray
    employees: np.ndarray  # (F, Y)
    pcs: np.ndarray  # (F, Y)
    kg: np.ndarray  # (F, Y)
    operating_days: np.ndarray  # (F, Y)
    discharge: np.ndarray  # (F,) index into DISCHARGE_CANDIDATES
    poor_reporter: np.ndarray  # (F,) facilities that leave more months out
    coal_kg: np.ndarray | None = None  # (F, Y), filled by energy for boiler ash
    elec_month: np.ndarray | None = None  # (F, Y, M)
    thermal_month: np.ndarray | None = None
    withdrawal_month: np.ndarray | None = None
    recycled_month: np.ndarray | None = None
    has_genset: np.ndarray | None = None
    has_boiler: np.ndarray | None = None

    @property
    def Y(self) -> int:
        return len(self.years)

    @property
    def M(self) -> int:
        return 12 if self.monthly else 1

    @property
    def has_assembly(self) -> np.ndarray:
        return np.isin(self.ftype, (_CUT_SEW, _VERTICAL, _COMPONENT))

    @property
    def wet(self) -> np.ndarray:
        return np.isin(self.ftype, (_MILL, _VERTICAL))


def _exposure(starts: np.ndarray, member: np.ndarray, years: np.ndarray, programme_year: int,
              monthly: bool) -> np.ndarray:
    """Years of programme exposure at mid-month, (F, Y, 12) or averaged to (F, Y, 1)."""
    months = np.arange(1, 13)
    t = ((years[None, :, None] - programme_year) * 12 + months[None, None, :]
         - starts[:, None, None] + 0.5) / 12.0
    t = np.clip(t, 0.0, None) * member[:, None, None]
    return np.asarray(t if monthly else t.mean(axis=2, keepdims=True))


def _season(country: np.ndarray) -> np.ndarray:
    """(F, 12) seasonal weights averaging 1 over the year."""
    months = np.arange(1, 13)
    phase = 2 * np.pi * (months[None, :] - P.SEASON_PEAK_MONTH[country][:, None]) / 12.0
    return np.asarray(1.0 + P.SEASON_AMPLITUDE[country][:, None] * np.cos(phase))


def _build_world(facilities: int, years: np.ndarray, rng: np.random.Generator, monthly: bool,
                 messiness: float) -> _World:
    F = facilities
    Y = len(years)
    programme_year = int(years[0]) + 1 if Y > 1 else int(years[0])
    country = exact_labels(rng, F, P.COUNTRY_WEIGHTS)
    cohort = exact_labels(rng, F, P.COHORT_WEIGHTS)
    clp = P.COHORT_CLP[cohort]
    stz = P.COHORT_STZ[cohort]
    type_probs = P.TYPE_BY_COUNTRY[country].copy()
    type_probs[clp] *= P.TYPE_WEIGHT_CLP
    type_probs[stz] *= P.TYPE_WEIGHT_STZ
    ftype = categorical(rng, type_probs)
    material = rng.random(F) < P.MILL_MATERIAL_SHARE
    footwear = (rng.random(F) < np.array([0.03, 0.2, 0.3, 0.0, 0.2])[country]) & (
        ftype == _CUT_SEW
    )
    clp_start = rng.integers(1, 7, F)  # January–June of the programme year
    stz_start = rng.integers(1, 10, F)

    # Size and production: a base level per facility and a growth path over the years.
    employees0 = (P.EMPLOYEES_MEDIAN[ftype] * P.EMPLOYEES_COUNTRY[country]
                  * np.exp(rng.normal(0, 1, F) * P.EMPLOYEES_SIGMA[ftype]))
    employees0 = np.maximum(employees0, 30.0)
    growth = np.cumsum(
        np.concatenate(
            [np.zeros((F, 1)),
             rng.normal(P.PRODUCTION_GROWTH_MEAN, P.PRODUCTION_GROWTH_SD, (F, max(Y - 1, 0)))],
            axis=1,
        ),
        axis=1,
    )
    scale = np.exp(growth)
    pcs0 = employees0 * P.PCS_PER_EMPLOYEE[ftype] * np.exp(rng.normal(0, P.PCS_SIGMA, F))
    kg0 = employees0 * P.KG_PER_EMPLOYEE[ftype] * np.exp(rng.normal(0, P.KG_SIGMA, F))
    employees = np.ceil(employees0[:, None] * scale ** 0.5
                        * np.exp(rng.normal(0, 0.03, (F, Y))))
    pcs = np.round(pcs0[:, None] * scale, -2)
    kg = np.round(kg0[:, None] * scale, -1)
    base_days = np.array([306.0, 300.0, 302.0, 290.0, 304.0])[country]
    operating_days = np.clip(
        np.round((base_days[:, None] + rng.normal(0, 5, (F, Y))) * 2) / 2, 200, 366
    )
    discharge_probs = np.where(
        (np.isin(ftype, (_MILL, _VERTICAL)))[:, None],
        P.DISCHARGE_MILL_BY_COUNTRY[country],
        P.DISCHARGE_ASSEMBLY[None, :],
    )
    discharge = categorical(rng, discharge_probs)
    width = max(4, len(str(F)))
    return _World(
        F=F, years=years, monthly=monthly, messiness=messiness, programme_year=programme_year,
        facility_id=pad_ids("FJ-", np.arange(1, F + 1), width, "facility_id"),
        country=country, ftype=ftype, material=material, footwear=footwear, cohort=cohort,
        clp=clp, stz=stz, clp_start=clp_start, stz_start=stz_start,
        clp_exposure=_exposure(clp_start, clp, years, programme_year, monthly),
        stz_exposure=_exposure(stz_start, stz, years, programme_year, monthly),
        employees=employees, pcs=pcs, kg=kg, operating_days=operating_days,
        discharge=discharge,
        poor_reporter=np.zeros(F, dtype=bool),
    )


# --- shared row machinery --------------------------------------------------------------------


def _status(rng: np.random.Generator, n: int) -> np.ndarray:
    """Verification status code per unit (facility-year-table): 0 blank, 1 self-reported,
    2 verified, 3 disputed."""
    u = rng.random(n)
    code = np.where(rng.random(n) < P.EXPLICIT_SELF_REPORTED, 1, 0)
    code = np.where(u < P.VERIFIED_SHARE, 2, code)
    return np.where(u > 1 - P.DISPUTED_SHARE, 3, code)


_STATUS_TEXT: tuple[str | None, ...] = (None, "self-reported", "verified", "disputed")


def _present(rng: np.random.Generator, world: _World, table: str) -> np.ndarray:
    """(F, Y) mask of facility-years that hold `table` at all."""
    p = P.MISSING_TABLE.get(table, 0.0) * world.messiness
    return rng.random((world.F, world.Y)) >= p


def _month_kept(rng: np.random.Generator, world: _World, monthly: bool | None = None
                ) -> np.ndarray:
    """(F, Y, M) mask of months that were reported: gaps of 1–4 consecutive months, more
    often at poor reporters."""
    monthly = world.monthly if monthly is None else monthly
    if not monthly:
        return np.ones((world.F, world.Y, 1), dtype=bool)
    chance = np.where(world.poor_reporter, P.GAP_CHANCE[1], P.GAP_CHANCE[0]) * world.messiness
    gap = rng.random((world.F, world.Y)) < chance[:, None]
    start = rng.integers(0, 12, (world.F, world.Y))
    length = rng.integers(P.GAP_MONTHS[0], P.GAP_MONTHS[1] + 1, (world.F, world.Y)) * gap
    months = np.arange(12)[None, None, :]
    return np.asarray((months - start[:, :, None]) % 12 >= length[:, :, None])


def _month_column(world: _World, m: np.ndarray) -> pl.Series:
    if world.monthly:
        return pl.Series("month", m + 1, dtype=pl.Int64)
    return pl.Series("month", [None] * len(m), dtype=pl.Int64)


def _frame(table: str, columns: dict[str, pl.Series | np.ndarray | None], n: int) -> pl.DataFrame:
    """A frame with exactly the table's columns, in order; absent columns are typed nulls."""
    from factory_journey.domain.profile import PROFILES

    spec = PROFILES if table == "profiles" else TABLES_BY_NAME[table]
    dtypes = {"str": pl.String, "float": pl.Float64, "int": pl.Int64, "bool": pl.Boolean,
              "date": pl.Date, "list": pl.String}
    series = []
    for column in spec.columns:
        dtype = dtypes[column.type]
        value = columns.get(column.name)
        if value is None:
            series.append(pl.Series(column.name, [None] * n, dtype=dtype))
        elif isinstance(value, pl.Series):
            series.append(value.alias(column.name).cast(dtype))
        else:
            series.append(pl.Series(column.name, value).cast(dtype))
    return pl.DataFrame(series)


def _unit_choice(rng: np.random.Generator, options: Sequence[tuple[Any, ...]],
                 n: int) -> np.ndarray:
    return categorical(rng, np.array([o[1] for o in options]), n)


# --- energy -----------------------------------------------------------------------------------


def _energy(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y, M = world.F, world.Y, world.M
    country, ftype = world.country, world.ftype
    assembly_intensity = np.where(
        ftype == _COMPONENT,
        P.ENERGY_MJ_PER_PC_COMPONENT * np.exp(rng.normal(0, 0.4, F)),
        P.ENERGY_MJ_PER_PC * np.exp(rng.normal(0, P.ENERGY_PC_SIGMA, F)),
    )
    mill_intensity = (P.ENERGY_MJ_PER_KG * np.exp(rng.normal(0, P.ENERGY_KG_SIGMA, F))
                      * np.where(world.material, 1.0, P.ENERGY_PROCESSING_FACTOR))
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
    log_mult = (P.ENERGY_DRIFT * t[None, :, None]
                + effect[:, None, None] * world.clp_exposure
                + rng.normal(0, P.ENERGY_NOISE, (F, Y))[:, :, None])
    if world.monthly:
        month_factor = np.exp(log_mult + rng.normal(0, P.MONTH_NOISE, (F, Y, 12))) \
            * _season(country)[:, None, :] / 12.0
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
    p_solar = (P.SOLAR_BASE_SHARE + P.SOLAR_ADOPTION_PER_YEAR * t[None, :]
               + P.SOLAR_ADOPTION_CLP * (world.clp[:, None] & after))
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

    coal_mj = (thermal.sum(axis=2) * (share_t[:, :, P.SRC_COAL] + share_t[:, :, P.SRC_BIO]))
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
    mj = (elec[f_r, y_r, m_r] * share_e[f_r, y_r, s_r]
          + thermal[f_r, y_r, m_r] * share_t[f_r, y_r, s_r])
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
    tracking = np.where(np.isin(s_r, (P.SRC_GRID, P.SRC_SOLAR, P.SRC_REN)),
                        np.where(rng.random(F)[f_r] < 0.85, 0, 1),
                        categorical(rng, np.array([0.3, 0.6, 0.1]), F)[f_r])
    dormitory = rng.random(F) < 0.1
    production_share = np.where(
        (s_r == P.SRC_GRID) & dormitory[f_r], np.round(rng.uniform(0.9, 0.98, F)[f_r], 2), np.nan
    )
    instrument = np.where(s_r == P.SRC_REN, categorical(rng, np.array([0.6, 0.2, 0.2]), F)[f_r],
                          3)
    status = _status(rng, F * Y).reshape(F, Y)[f_r, y_r]
    n = len(f_r)
    return _frame("energy", {
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
    }, n)


# --- water and wastewater ---------------------------------------------------------------------


def _water(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    country, ftype = world.country, world.ftype
    l_pc = np.where(ftype == _COMPONENT, P.WATER_L_PER_PC_COMPONENT, P.WATER_L_PER_PC) * np.exp(
        rng.normal(0, P.WATER_PC_SIGMA, F))
    l_kg = (P.WATER_L_PER_KG * P.WATER_COUNTRY[country]
            * np.exp(rng.normal(0, P.WATER_KG_SIGMA, F))
            * np.where(world.material, 1.0, 0.8))
    base = (world.pcs * l_pc[:, None] + world.kg * l_kg[:, None]) / 1000.0  # m3 per year
    implements = rng.random(F) >= P.CLP_NON_IMPLEMENTERS
    effect = -rng.uniform(*P.CLP_WATER_EFFECT, F) * P.COUNTRY_EFFECT[country] * implements
    t = (world.years - world.years[0]).astype(float)
    log_mult = (P.WATER_DRIFT * t[None, :, None] + effect[:, None, None] * world.clp_exposure
                + rng.normal(0, P.WATER_NOISE, (F, Y))[:, :, None])
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
    kind_amount = np.stack([
        withdrawal * (1 - rain_share)[:, None, None],
        withdrawal * rain_share[:, None, None],
        recycled,
    ], axis=3)  # (F, Y, M, 3)
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
    return _frame("water", {
        "facility_id": world.facility_id.gather(f_r),
        "year": world.years[y_r],
        "month": _month_column(world, m_r),
        "source": take(source_keys, source, "source"),
        "flow": take(("withdrawal", "withdrawal", "recycled"), k_r, "flow"),
        "quantity": quantity,
        "unit": take([u[0] for u in P.WATER_UNITS], unit, "unit"),
        "tracking_method": take(("meter", "invoice", "estimate"), tracking[f_r], "t"),
        "verification_status": take(_STATUS_TEXT, status, "s"),
    }, len(f_r))


def _wastewater(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    assert world.withdrawal_month is not None and world.recycled_month is not None
    ratio = rng.uniform(*P.WASTEWATER_RATIO, F)[:, None, None]
    total = (world.withdrawal_month + world.recycled_month) * ratio
    per_month = 1 / 12 if world.monthly else 1.0
    domestic_need = (world.employees * P.DOMESTIC_M3_PER_EMPLOYEE_DAY
                     * world.operating_days)[:, :, None] * per_month
    wet = world.wet[:, None, None]
    domestic = np.where(wet, np.minimum(domestic_need, 0.3 * total), total)
    industrial = np.where(wet, total - domestic, 0.0)
    combined = world.wet & (rng.random(F) < 0.15)
    # Kinds: 0 domestic, 1 industrial, 2 combined.
    c = combined[:, None, None]
    amounts = np.stack([
        np.where(c, 0.0, domestic),
        np.where(c, 0.0, industrial),
        np.where(c, total, 0.0),
    ], axis=3)
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
    share = np.where(k_r == 0, np.nan,
                     np.round(np.clip(recycled_share[f_r, y_r, m_r], 0, 0.95), 3))
    share = np.where(zld[f_r] & (k_r > 0), np.round(np.maximum(share, 0.9), 3), share)
    unit = np.where(rng.random(F) < 0.9, 0, 1)[f_r]
    discharge_keys = [pick("zdhc_discharge_types.csv", c) for c in P.DISCHARGE_CANDIDATES]
    status = _status(rng, F * Y).reshape(F, Y)[f_r, y_r]
    return _frame("wastewater", {
        "facility_id": world.facility_id.gather(f_r),
        "year": world.years[y_r],
        "month": _month_column(world, m_r),
        "wastewater_type": take(("domestic", "industrial", "combined"), k_r, "w"),
        "quantity": quantity,
        "unit": take(("m3", "m³"), unit, "unit"),
        "recycled_share": pl.Series(share).fill_nan(None),
        # The ZDHC discharge type describes industrial wastewater: domestic rows of wet
        # processors leave it blank.
        "discharge_type": take([*discharge_keys, None], np.where(
            (k_r == 0) & world.wet[f_r], len(discharge_keys), world.discharge[f_r]), "d"),
        "verification_status": take(_STATUS_TEXT, status, "s"),
    }, len(f_r))


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
        base = {"pc": world.pcs, "kg": world.kg, "emp": world.employees,
                "ash": world.coal_kg}[basis]
        annual = base * rate * np.exp(rng.normal(0, sigma, F))[:, None] \
            * np.exp(rng.normal(0, 0.1, (F, Y)))
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
        parts.append((f_r, y_r, m_r, np.full(len(f_r), s), amount[f_r, y_r, m_r],
                      method[f_r], np.full(len(f_r), hazardous)))
    f_r, y_r, m_r, s_r, kg, method_r, hazardous_r = (
        np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((s_r, m_r, y_r, f_r))
    f_r, y_r, m_r, s_r, kg, method_r, hazardous_r = (
        x[order] for x in (f_r, y_r, m_r, s_r, kg, method_r, hazardous_r))
    u = unit[f_r]
    per = np.array([x[2] for x in P.WASTE_UNITS])[u]
    quantity = round_by(kg / per, np.array([x[3] for x in P.WASTE_UNITS])[u])
    quantity = np.where(quantity <= 0, round_by(kg / per, np.full(len(u), 4)), quantity)
    status = _status(rng, F * Y).reshape(F, Y)[f_r, y_r]
    return _frame("waste", {
        "facility_id": world.facility_id.gather(f_r),
        "year": world.years[y_r],
        "month": _month_column(world, m_r),
        "stream": take(stream_keys, s_r, "stream"),
        "hazardous": hazardous_r,
        "quantity": quantity,
        "unit": take([x[0] for x in P.WASTE_UNITS], u, "unit"),
        "disposal_method": take(methods, method_r, "d"),
        "verification_status": take(_STATUS_TEXT, status, "s"),
    }, len(f_r))


# --- air --------------------------------------------------------------------------------------


def _air(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    assert world.has_boiler is not None and world.has_genset is not None
    wet = world.wet
    n_boiler = world.has_boiler * np.where(wet, 1 + np.minimum(rng.poisson(0.8, F), 3), 1)
    n_gen = world.has_genset * (1 + (rng.random(F) < 0.3))
    n_cool = 1 + np.minimum(rng.poisson(1.5, F), 6)
    n_mobile = np.minimum(rng.poisson(0.8, F), 4)
    kinds = (("Boiler", 0, n_boiler), ("Generator", 0, n_gen), ("Chiller", 1, n_cool),
             ("Forklift", 2, n_mobile))
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
        rng.normal(0, P.REFRIGERANT_RECHARGE_KG[1], n_s))
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
        (take([k[0] for k in kinds], kind_s[sy_src], "a")
         + pl.lit(" ")
         + pl.Series(pos_s[sy_src] + 1).cast(pl.String)).alias("source_name")
    ).to_series()
    status = _status(rng, F * Y).reshape(F, Y)[f_r, sy_year]
    return _frame("air", {
        "facility_id": world.facility_id.gather(f_r),
        "year": world.years[sy_year],
        "source_name": names,
        "source_type": take(("point", "fugitive", "mobile"), st, "t"),
        "tracked": tracked,
        "refrigerant": take([*refrigerants, None], refrigerant_s[sy_src], "r"),
        "refrigerant_recharge_kg": pl.Series(recharge).fill_nan(None),
        "verification_status": take(_STATUS_TEXT, status, "s"),
    }, len(f_r))


# --- chemicals --------------------------------------------------------------------------------


def _chemicals(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    reports = (rng.random(F) < P.CHEM_REPORTING[world.ftype]) | world.stz
    products0 = P.CHEM_PRODUCTS_MEDIAN[world.ftype] * np.exp(
        rng.normal(0, P.CHEM_PRODUCTS_SIGMA, F))
    share0 = rng.beta(*P.GATEWAY_BASE, F)
    gain = rng.uniform(*P.STZ_GATEWAY_GAIN, F) * (rng.random(F) >= P.STZ_NO_CHANGE)
    level_target = categorical(rng, np.array([0.55, 0.40, 0.05]), F) + 1
    verified_p = np.where(world.stz, P.INCHECK_VERIFIED_SHARE[1], P.INCHECK_VERIFIED_SHARE[0])
    verified_u = rng.random(F)
    # InCheck is a monthly report: always 12 months a year, even for large annual datasets.
    exposure = _exposure(world.stz_start, world.stz, world.years, world.programme_year, True)
    t = (world.years - world.years[0]).astype(float)
    present = _present(rng, world, "chemicals") & reports[:, None]
    kept = _month_kept(rng, world, monthly=True)
    f_r, y_r, m_r = np.nonzero(present[:, :, None] & kept)
    n = len(f_r)
    e = exposure[f_r, y_r, m_r]
    products = np.maximum(
        np.round(products0[f_r] * np.exp(0.02 * t[y_r] + rng.normal(0, 0.05, n))), 1)
    share = np.clip(share0[f_r] + P.GATEWAY_DRIFT * t[y_r] + gain[f_r] * e
                    + rng.normal(0, P.GATEWAY_NOISE, n), 0, 1)
    on_gateway = np.round(products * share)
    shift = np.minimum(0.05 * e, 0.15)
    l3 = np.floor(on_gateway * (P.MRSL_LEVEL_SHARES[2] + shift))
    l2 = np.floor(on_gateway * P.MRSL_LEVEL_SHARES[1])
    l1 = on_gateway - l2 - l3
    stz_level = np.where(
        world.stz[f_r] & (e > 0),
        np.minimum(level_target[f_r], 1 + (e >= 1.0) + (e >= 1.5)),
        0,
    )
    verified = verified_u[f_r] < verified_p[f_r] + 0.2 * (e > 0)
    status = _status(rng, F * Y).reshape(F, Y)[f_r, y_r]
    return _frame("chemicals", {
        "facility_id": world.facility_id.gather(f_r),
        "year": world.years[y_r],
        "month": m_r + 1,
        "products_in_inventory": products.astype(np.int64),
        "products_on_gateway": on_gateway.astype(np.int64),
        "mrsl_level_1": l1.astype(np.int64),
        "mrsl_level_2": l2.astype(np.int64),
        "mrsl_level_3": l3.astype(np.int64),
        "incheck_verified": verified,
        "supplier_to_zero_level": stz_level.astype(np.int64),
        "verification_status": take(_STATUS_TEXT, status, "s"),
    }, n)



# --- EMS --------------------------------------------------------------------------------------


def _ems(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    A = len(P.EMS_AREAS)
    maturity = rng.beta(2, 2, F)[:, None, None]
    t = (world.years - world.years[0]).astype(float)[None, :, None]
    after = (world.years >= world.programme_year)[None, :, None]
    covered = (world.clp[:, None, None] & P.CLP_AREAS[None, None, :]) | (
        world.stz[:, None, None] & P.STZ_AREAS[None, None, :])
    programme = covered & after  # (F, Y, A)
    u = rng.random((F, 5, A))  # fixed per facility and area: answers only ever improve
    policy = u[:, 0][:, None, :] < 0.35 + 0.5 * maturity + 0.03 * t + 0.3 * programme
    system = u[:, 1][:, None, :] < 0.10 + 0.5 * maturity + 0.02 * t
    baseline = u[:, 2][:, None, :] < 0.25 + 0.5 * maturity + 0.04 * t + 0.5 * programme
    target = baseline & (u[:, 3][:, None, :] < 0.15 + 0.5 * maturity + 0.04 * t
                         + 0.6 * programme)
    tracks = target & (u[:, 4][:, None, :] < 0.7 + 0.2 * maturity + 0.1 * programme)
    clp_target = target & (world.clp[:, None, None] & P.CLP_AREAS[None, None, :]) & after
    pct = np.where(clp_target, np.round(rng.uniform(40, 60, (F, 1, A))),  # CLP: 40–60 % by 2030
                   np.round(rng.uniform(5, 25, (F, 1, A))))
    target_year = np.where(clp_target, 2030,
                           world.years[None, :, None] + rng.integers(1, 6, (F, 1, A)))
    present = _present(rng, world, "ems")
    f_r, y_r, a_r = np.nonzero(np.broadcast_to(present[:, :, None], (F, Y, A)))
    has_target = target[f_r, y_r, a_r]
    status = _status(rng, F * Y).reshape(F, Y)[f_r, y_r]
    return _frame("ems", {
        "facility_id": world.facility_id.gather(f_r),
        "year": world.years[y_r],
        "area": take(P.EMS_AREAS, a_r, "area"),
        "has_policy": policy[f_r, y_r, a_r],
        "has_management_system": system[f_r, y_r, a_r],
        "has_baseline": baseline[f_r, y_r, a_r],
        "has_target": has_target,
        "target_reduction_pct": pl.Series(
            np.where(has_target, pct[f_r, 0, a_r], np.nan)).fill_nan(None),
        "target_year": pl.Series(np.where(has_target, target_year[f_r, y_r, a_r], -1)).replace(
            -1, None),
        "tracks_progress": tracks[f_r, y_r, a_r],
        "verification_status": take(_STATUS_TEXT, status, "s"),
    }, len(f_r))


# --- ZDHC wastewater tests --------------------------------------------------------------------


def _zdhc_limits() -> tuple[list[str], np.ndarray, list[str]]:
    from factory_journey.reference import load_csv

    table = load_csv("zdhc_wastewater_limits.csv")
    key = "parameter" if "parameter" in table.columns else "key"
    rows = {r[key]: r for r in table.iter_rows(named=True)}
    names, limits, units = [], [], []
    for wanted in P.ZDHC_PARAMETERS:
        parameter = pick("zdhc_wastewater_limits.csv", wanted)
        row = rows[parameter]
        names.append(parameter)
        limits.append(float(row["foundational"]))
        units.append(str(row["unit"]))
    return names, np.array(limits), units


def _zdhc(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    names, limits, units = _zdhc_limits()
    Pn = len(names)
    tests = (rng.random(F) < P.ZDHC_TESTING[world.ftype]) | (world.stz & world.wet)
    tests &= world.discharge != 4  # zero liquid discharge: nothing leaves the site
    quality = rng.normal(0, P.ZDHC_FACILITY_SD, F)
    # Two samples a year (ZDHC asks for two); one, the second, in annual mode, which keeps a
    # 1,000,000 facility-year dataset at about 9 million result rows instead of 18 million.
    sampled = tests[:, None, None] & (rng.random((F, Y, 2)) >= 0.08 * world.messiness)
    if not world.monthly:
        sampled[:, :, 0] = False
    f_s, y_s, k_s = np.nonzero(sampled)
    n_s = len(f_s)
    month = np.where(k_s == 0, rng.integers(2, 6, n_s), rng.integers(8, 12, n_s))
    day = rng.integers(1, 29, n_s)
    year = world.years[y_s]
    exposure = np.maximum(
        (year - world.programme_year) + (month - world.stz_start[f_s]) / 12.0, 0.0
    ) * (world.stz[f_s] | world.clp[f_s])
    r_s = np.repeat(np.arange(n_s), Pn)
    p_r = np.tile(np.arange(Pn), n_s)
    f_r = f_s[r_s]
    n = len(r_s)
    log_value = (np.log(P.ZDHC_MEDIAN_OF_LIMIT) + quality[f_r] - 0.15 * exposure[r_s]
                 + rng.normal(0, P.ZDHC_SAMPLE_SD, n))
    value = limits[p_r] * np.exp(log_value)
    special = {name: names.index(name) if name in names else -1
               for name in ("ph", "temperature_difference", "persistent_foam")}
    ph = p_r == special["ph"]
    temp = p_r == special["temperature_difference"]
    foam = p_r == special["persistent_foam"]
    value[ph] = np.clip(rng.normal(7.5, 0.6, int(ph.sum())), 4.5, 11.0)
    value[temp] = np.clip(rng.normal(6.0, 3.5, int(temp.sum())), 0.2, None)
    value[foam] = (rng.random(int(foam.sum())) < 0.05).astype(float)
    decimals = np.clip(2 - np.floor(np.log10(np.maximum(limits, 1e-9))), 0, 5).astype(int)
    decimals[[i for i in (special["ph"], special["temperature_difference"]) if i >= 0]] = 1
    decimals = decimals[p_r]
    value = round_by(value, decimals)
    discharge_keys = [pick("zdhc_discharge_types.csv", c) for c in P.DISCHARGE_CANDIDATES]
    sample_date = dates(year, month, day, "sample_date")
    report = pl.select(
        (pl.lit("CS-") + world.facility_id.gather(f_s).str.replace("FJ-", "")
         + pl.lit("-") + pl.Series(year).cast(pl.String)
         + pl.Series(k_s + 1).cast(pl.String)).alias("report_id")
    ).to_series()
    status = _status(rng, F * Y).reshape(F, Y)[f_s, y_s]
    return _frame("zdhc_wastewater", {
        "facility_id": world.facility_id.gather(f_r),
        "sample_date": sample_date.gather(r_s),
        "parameter": take(names, p_r, "parameter"),
        "value": value,
        "unit": take(units, p_r, "unit"),
        "discharge_type": take(discharge_keys, world.discharge[f_r], "d"),
        "sampling_point": take(("discharged",), np.zeros(n, dtype=np.int64), "p"),
        "report_id": report.gather(r_s),
        "verification_status": take(_STATUS_TEXT, status[r_s], "s"),
    }, n)


# --- programmes -------------------------------------------------------------------------------


def _programmes(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    clp_key = pick("programmes.csv", "clp")
    stz_key = pick("programmes.csv", "stz")
    f_c = np.nonzero(world.clp)[0]
    f_z = np.nonzero(world.stz)[0]
    f_r = np.concatenate([f_c, f_z])
    prog = np.concatenate([np.zeros(len(f_c), dtype=np.int64), np.ones(len(f_z), dtype=np.int64)])
    order = np.lexsort((prog, f_r))
    f_r, prog = f_r[order], prog[order]
    start_month = np.where(prog == 0, world.clp_start[f_r], world.stz_start[f_r])
    day = rng.integers(1, 29, len(f_r))
    start = dates(np.full(len(f_r), world.programme_year), start_month, day, "start_date")
    return _frame("programmes", {
        "facility_id": world.facility_id.gather(f_r),
        "programme": take((clp_key, stz_key), prog, "programme"),
        "start_date": start,
    }, len(f_r))


# --- profiles ---------------------------------------------------------------------------------


def _os_hub_ids(rng: np.random.Generator, country: np.ndarray) -> pl.Series:
    """Valid Open Supply Hub IDs (domain-facts §6), vectorised."""
    alphabet = np.frombuffer(b"0123456789ABCDEFGHJKMNPQRSTVWXYZ", dtype=np.uint8)
    n = len(country)
    cc = np.frombuffer("".join(P.COUNTRIES).encode(), dtype=np.uint8).reshape(-1, 2)[country]
    year = rng.integers(2019, 2024, n)
    doy = rng.integers(1, 366, n)
    digits = np.stack([year // 1000, year // 100 % 10, year // 10 % 10, year % 10,
                       doy // 100, doy // 10 % 10, doy % 10], axis=1)
    rand = rng.integers(0, 32, (n, 5))
    body = np.concatenate([digits, rand], axis=1)  # alphabet indices of the 12 characters
    check = (cc.astype(np.int64).sum(axis=1) + body.sum(axis=1)) % 32
    chars = np.concatenate([cc, alphabet[body], alphabet[check][:, None]], axis=1)
    return pl.Series("sip_osh_id", chars.astype(np.uint8).view("S15").ravel().astype(str))


def _profiles(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    f_r = np.repeat(np.arange(F), Y)
    y_r = np.tile(np.arange(Y), F)
    n = F * Y
    ftype, country = world.ftype, world.country
    # Country as written: alpha-2 mostly, else the English name or alpha-3 (consistent per
    # facility).
    spelling = categorical(rng, np.array(P.COUNTRY_SPELLING), F) * (world.messiness > 0)
    written = [*P.COUNTRIES, *P.COUNTRY_NAMES, *P.COUNTRY_ISO3]
    sitecountry = take(written, spelling * len(P.COUNTRIES) + country, "sitecountry")
    assembler = pick("fem_facility_types.csv", "finalProductAssembly")
    processing = pick("fem_facility_types.csv", "printingProductDyeingAndLaundering")
    material = pick("fem_facility_types.csv", "materialProduction")
    component = pick("fem_facility_types.csv", "hardComponentTrimProduction")
    type_text = [assembler, material, processing, component, f"{assembler};{material}",
                 f"{assembler};{processing}"]
    not_material = (~world.material).astype(np.int64)
    type_idx = np.select(
        [ftype == _CUT_SEW, ftype == _MILL, ftype == _VERTICAL],
        [np.zeros(F, dtype=np.int64), 1 + not_material, 4 + not_material],
        3,
    )
    categories = [pick("fem_product_categories.csv", c)
                  for c in ("apparel", "footwear", "home_textiles")]
    sectors = [pick("fem_industry_sectors.csv", c) for c in ("apparel", "footwear",
                                                              "home_textiles")]
    category = np.where(world.footwear, 1, np.where(rng.random(F) < 0.06, 2, 0))
    needs_category = (ftype == _CUT_SEW) | (ftype == _VERTICAL) | (
        (ftype == _MILL) & ~world.material)
    material_keys = [pick("fem_material_types.csv", m) for m in
                     ("textiles", "metal", "rubber_plastics", "paper_cardboard")]
    materials = np.where(ftype == _COMPONENT, rng.integers(0, 4, F), 0)
    needs_material = (ftype == _COMPONENT) | (((ftype == _MILL) | (ftype == _VERTICAL))
                                             & world.material)

    pcs = world.pcs[f_r, y_r]
    kg = world.kg[f_r, y_r]
    missing_volume = rng.random(n) < P.MISSING_PRODUCTION * world.messiness
    # Units of the production volume: pcs mostly; pairs for footwear; some tonnes for mills.
    pc_unit = np.where(world.footwear, 3, categorical(rng, np.array([0.85, 0.10, 0.05]), F))
    kg_unit = categorical(rng, np.array([0.85, 0.12, 0.03]), F)
    pc_div = np.array([1.0, 1.0, 12.0, 1.0])[pc_unit][f_r]
    kg_div = np.array([1.0, 1000.0, 0.45359237])[kg_unit][f_r]
    pc_qty = np.round(pcs / pc_div)
    kg_qty = round_by(kg / kg_div, np.array([0, 2, 0])[kg_unit][f_r])
    columns: dict[str, pl.Series | np.ndarray | None] = {}
    prodvol = "sipfacilityannualprodvol"
    has_pc = ((ftype == _CUT_SEW) | (ftype == _VERTICAL))[f_r] & ~missing_volume
    has_comp = (ftype == _COMPONENT)[f_r] & ~missing_volume
    has_kg = ((ftype == _MILL) | (ftype == _VERTICAL))[f_r] & ~missing_volume
    pc_units = ["pcs", "pieces", "dozen", "pairs", None]
    kg_units = ["kg", "t", "lb", None]
    for key, has in ((assembler, has_pc), (component, has_comp)):
        columns[f"{prodvol}_{key}"] = pl.Series(np.where(has, pc_qty, np.nan)).fill_nan(None)
        columns[f"{prodvol}_{key}_unit"] = take(pc_units, np.where(has, pc_unit[f_r], 4), "u")
    is_material = world.material[f_r]
    for key, sel in ((material, has_kg & is_material), (processing, has_kg & ~is_material)):
        columns[f"{prodvol}_{key}"] = pl.Series(np.where(sel, kg_qty, np.nan)).fill_nan(None)
        columns[f"{prodvol}_{key}_unit"] = take(kg_units, np.where(sel, kg_unit[f_r], 3), "u")

    zone_p = np.array([0.30, 0.60, 0.50, 0.30, 0.40])[country]
    in_zone = rng.random(F) < zone_p
    parks_per_country = np.maximum(3, allocate(F, P.COUNTRY_WEIGHTS) // 25)
    park_no = (rng.random(F) * parks_per_country[country]).astype(np.int64) + 1
    park_id = pl.select(
        pl.when(pl.Series(in_zone))
        .then(pl.Series(np.array(P.COUNTRIES)[country]) + pl.lit("-PARK-")
              + pl.Series(park_no).cast(pl.String).str.zfill(2))
        .otherwise(None).alias("park_id")
    ).to_series()
    treats = rng.random(F) < np.where(world.wet, 0.92, 0.3)
    treat_text = ["primary;secondary;sludge", "primary;secondary;tertiary;sludge",
                  "incoming_pretreatment", None]
    treat_types = np.where(world.wet, (rng.random(F) < 0.3).astype(np.int64), 2)
    treat_ops = np.where(world.wet, rng.integers(3, 15, F), rng.integers(1, 4, F))
    active = (world.clp | world.stz)[f_r] & (world.years[y_r] >= world.programme_year)
    audit = rng.random(n) < 0.5
    training = rng.random(n) < 0.3
    disclose = rng.random(F) < 0.15
    has_osh = rng.random(F) < 0.6
    group = rng.random(F) < 0.4
    stress_site = rng.random(F) < 0.1
    stress = np.round(np.clip(np.array([1.0, 2.5, 1.0, 3.4, 1.0])[country]
                              + rng.normal(0, 0.6, F), 0, 5), 2)
    status = _status(rng, n)
    adjectives = ["Golden", "River", "Lotus", "Delta", "Silk", "Harbour", "Summit", "Green",
                  "Orient", "Crescent", "Pearl", "Bridge", "Sunrise", "Jade"]
    nouns = ["Apparel", "Textile Mills", "Knit Composite", "Trims"]
    facility_name = pl.select(
        (take(adjectives, rng.integers(0, len(adjectives), F), "a") + pl.lit(" ")
         + take(nouns, ftype, "b") + pl.lit(" (demo ")
         + world.facility_id.str.replace("FJ-", "") + pl.lit(")")).alias("n")).to_series()
    osh = _os_hub_ids(rng, country)

    def fy(values: np.ndarray | pl.Series) -> pl.Series:
        series = values if isinstance(values, pl.Series) else pl.Series(values)
        return series.gather(f_r)

    def when(mask: np.ndarray, values: pl.Series) -> pl.Series:
        return pl.select(pl.when(pl.Series(mask)).then(values).otherwise(None)).to_series()

    columns.update({
        "facility_id": fy(world.facility_id),
        "facility_name": fy(facility_name),
        "year": world.years[y_r],
        "sitecountry": fy(sitecountry),
        "sipfacilitytype": take(type_text, type_idx[f_r], "t"),
        "sipproductcategories": take([*categories, None],
                                     np.where(needs_category, category, 3)[f_r], "c"),
        "sipmaterialtype": take([*material_keys, None],
                                np.where(needs_material, materials, 4)[f_r], "m"),
        "sipindustrysector": take(sectors, category[f_r], "s"),
        "sipoperatingdays": world.operating_days[f_r, y_r],
        "siptotalnumemployees": world.employees[f_r, y_r].astype(np.int64),
        "sipfacilityindustrialzone": in_zone[f_r],
        "park_id": park_id.gather(f_r),
        "sipfreshwaterpretreatused": treats[f_r],
        "sipfreshwaterpretreatused_types": take(treat_text, np.where(treats, treat_types, 3)[f_r],
                                                "t"),
        "sipfreshwaterpretreatused_operators": when(treats[f_r], fy(treat_ops)),
        "sipindustryprograms": active,
        "sipaudit": audit,
        "sipaudit_count": when(audit, pl.Series(rng.integers(1, 4, n))),
        "sipaudit_person_days": when(audit, pl.Series(rng.integers(2, 13, n) / 2.0)),
        "sipaudit_types": when(audit, take(("brand environmental audit", "ISO 14001 audit",
                                            "local authority inspection"),
                                           rng.integers(0, 3, n), "a")),
        "sipapprovedtraining": training,
        "sipapprovedtraining_course": when(training, take(("Higg FEM training",), np.zeros(
            n, dtype=np.int64), "c")),
        "sipapprovedtraining_year": when(training, pl.Series(
            world.years[y_r] - rng.integers(0, 2, n))),
        "sipincludedindiscolsure": disclose[f_r],
        "sipincludedindiscolsure_platform": when(disclose[f_r], take(
            ("corporate_website", "cdp"), (rng.random(F) < 0.3).astype(np.int64)[f_r], "p")),
        "sip_has_osh_id": has_osh[f_r],
        "sip_osh_id": when(has_osh[f_r], fy(osh)),
        "sip_is_part_of_group": group[f_r],
        "water_stress_score": pl.Series(np.where(stress_site[f_r], stress[f_r], np.nan))
        .fill_nan(None),
        "verification_status": take(_STATUS_TEXT, status, "s"),
    })
    return _frame("profiles", columns, n)


# --- entry point ------------------------------------------------------------------------------

_BUILDERS = {
    "energy": _energy, "water": _water, "wastewater": _wastewater, "waste": _waste,
    "air": _air, "chemicals": _chemicals, "ems": _ems, "zdhc_wastewater": _zdhc,
    "programmes": _programmes, "profiles": _profiles,
}
# Build order: energy before waste (boiler ash) and air; water before wastewater.
_BUILD_ORDER = ("energy", "water", "wastewater", "waste", "air", "chemicals", "ems",
                "zdhc_wastewater", "programmes", "profiles")


def normalise_years(years: range | Sequence[int] | str) -> np.ndarray:
    """Years as a sorted array; accepts a range, a list or text like `2021-2023`."""
    if isinstance(years, str):
        text = years.strip()
        if "-" in text[1:]:
            first, last = text.split("-", 1)
            values = list(range(int(first), int(last) + 1))
        else:
            values = [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
    else:
        values = [int(y) for y in years]
    if not values:
        raise ValueError("at least one year is needed")
    out = np.array(sorted(set(values)), dtype=np.int64)
    if out[0] < 1990 or out[-1] > 2100:
        raise ValueError("years must lie between 1990 and 2100")
    return out


def iter_dataset(
    facilities: int,
    years: range | Sequence[int] | str,
    seed: int,
    *,
    monthly: bool | None = None,
    messiness: float = 1.0,
) -> Iterator[tuple[str, pl.DataFrame]]:
    """The tables of `generate_dataset`, one at a time, in build order (profiles last).

    A writer can store and drop each table before the next is made, which keeps the peak
    memory of a 1,000,000 facility-year dataset at the size of its largest table.
    """
    if facilities < 1:
        raise ValueError("facilities must be at least 1")
    if messiness < 0:
        raise ValueError("messiness must be 0 or more")
    year_array = normalise_years(years)
    if monthly is None:
        monthly = facilities <= MONTHLY_LIMIT
    streams = dict(zip(_STREAMS, np.random.SeedSequence(seed).spawn(len(_STREAMS)),
                       strict=True))
    world = _build_world(facilities, year_array, np.random.default_rng(streams["world"]),
                         bool(monthly), float(messiness))
    quality = np.random.default_rng(streams["quality"])
    world.poor_reporter = quality.random(facilities) < P.POOR_REPORTER_SHARE * min(
        float(messiness), 1.0)
    for name in _BUILD_ORDER:
        yield name, _BUILDERS[name](world, np.random.default_rng(streams[name]))


def generate_dataset(
    facilities: int,
    years: range | Sequence[int] | str,
    seed: int,
    *,
    monthly: bool | None = None,
    messiness: float = 1.0,
    progress: Callable[[str], object] | None = None,
) -> dict[str, pl.DataFrame]:
    """A synthetic dataset: `{table name: frame}` for `profiles` and every performance table.

    - `facilities` facilities, every one reported in every year of `years`;
    - `seed` fixes everything: the same arguments give identical frames;
    - `monthly`: monthly rows for energy, water, wastewater and waste (chemicals are always
      monthly InCheck reports); default monthly up to `MONTHLY_LIMIT` facilities, annual above;
    - `messiness`: 0 = tidy, 1 = realistic rates of missing months and tables, spelling and
      unit variety and odd values (all still valid input; see `inject_errors` for invalid);
    - `progress`: optional callable `progress(table_name)` called after each table.
    """
    built: dict[str, pl.DataFrame] = {}
    for name, frame in iter_dataset(facilities, years, seed, monthly=monthly,
                                    messiness=messiness):
        built[name] = frame
        if progress is not None:
            progress(name)
    return {name: built[name] for name in TABLE_ORDER}


def cohorts(facilities: int, seed: int) -> pl.DataFrame:
    """The latent design of a generated dataset: facility_id, country, factory type, cohort.

    Not part of the user-facing data (a user would not have it); for tests and evaluation.
    """
    streams = np.random.SeedSequence(seed).spawn(len(_STREAMS))
    world = _build_world(facilities, np.array([2021, 2022]), np.random.default_rng(streams[0]),
                         False, 0.0)
    return pl.DataFrame({
        "facility_id": world.facility_id,
        "country_iso2": take(P.COUNTRIES, world.country, "c"),
        "factory_type": take(P.FACTORY_TYPES, world.ftype, "t"),
        "cohort": take(P.COHORTS, world.cohort, "k"),
        "clp": world.clp,
        "stz": world.stz,
    })
