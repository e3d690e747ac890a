"""Demo tables of management practice: chemicals (InCheck), EMS, ZDHC wastewater tests and
programme participation."""

from __future__ import annotations

import numpy as np
import polars as pl

from factory_journey.demo import params as P
from factory_journey.demo._util import (
    categorical,
    dates,
    round_by,
    take,
)
from factory_journey.demo.keys import pick
from factory_journey.demo.world import (
    _STATUS_TEXT,
    _exposure,
    _frame,
    _month_kept,
    _present,
    _status,
    _World,
)

# --- chemicals --------------------------------------------------------------------------------


def _chemicals(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    reports = (rng.random(F) < P.CHEM_REPORTING[world.ftype]) | world.stz
    products0 = P.CHEM_PRODUCTS_MEDIAN[world.ftype] * np.exp(
        rng.normal(0, P.CHEM_PRODUCTS_SIGMA, F)
    )
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
        np.round(products0[f_r] * np.exp(0.02 * t[y_r] + rng.normal(0, 0.05, n))), 1
    )
    share = np.clip(
        share0[f_r] + P.GATEWAY_DRIFT * t[y_r] + gain[f_r] * e + rng.normal(0, P.GATEWAY_NOISE, n),
        0,
        1,
    )
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
    return _frame(
        "chemicals",
        {
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
        },
        n,
    )


# --- EMS --------------------------------------------------------------------------------------


def _ems(world: _World, rng: np.random.Generator) -> pl.DataFrame:
    F, Y = world.F, world.Y
    A = len(P.EMS_AREAS)
    maturity = rng.beta(2, 2, F)[:, None, None]
    t = (world.years - world.years[0]).astype(float)[None, :, None]
    after = (world.years >= world.programme_year)[None, :, None]
    covered = (world.clp[:, None, None] & P.CLP_AREAS[None, None, :]) | (
        world.stz[:, None, None] & P.STZ_AREAS[None, None, :]
    )
    programme = covered & after  # (F, Y, A)
    u = rng.random((F, 5, A))  # fixed per facility and area: answers only ever improve
    policy = u[:, 0][:, None, :] < 0.35 + 0.5 * maturity + 0.03 * t + 0.3 * programme
    system = u[:, 1][:, None, :] < 0.10 + 0.5 * maturity + 0.02 * t
    baseline = u[:, 2][:, None, :] < 0.25 + 0.5 * maturity + 0.04 * t + 0.5 * programme
    target = baseline & (u[:, 3][:, None, :] < 0.15 + 0.5 * maturity + 0.04 * t + 0.6 * programme)
    tracks = target & (u[:, 4][:, None, :] < 0.7 + 0.2 * maturity + 0.1 * programme)
    clp_target = target & (world.clp[:, None, None] & P.CLP_AREAS[None, None, :]) & after
    pct = np.where(
        clp_target,
        np.round(rng.uniform(40, 60, (F, 1, A))),  # CLP: 40–60 % by 2030
        np.round(rng.uniform(5, 25, (F, 1, A))),
    )
    target_year = np.where(
        clp_target, 2030, world.years[None, :, None] + rng.integers(1, 6, (F, 1, A))
    )
    present = _present(rng, world, "ems")
    f_r, y_r, a_r = np.nonzero(np.broadcast_to(present[:, :, None], (F, Y, A)))
    has_target = target[f_r, y_r, a_r]
    status = _status(rng, F * Y).reshape(F, Y)[f_r, y_r]
    return _frame(
        "ems",
        {
            "facility_id": world.facility_id.gather(f_r),
            "year": world.years[y_r],
            "area": take(P.EMS_AREAS, a_r, "area"),
            "has_policy": policy[f_r, y_r, a_r],
            "has_management_system": system[f_r, y_r, a_r],
            "has_baseline": baseline[f_r, y_r, a_r],
            "has_target": has_target,
            "target_reduction_pct": pl.Series(
                np.where(has_target, pct[f_r, 0, a_r], np.nan)
            ).fill_nan(None),
            "target_year": pl.Series(np.where(has_target, target_year[f_r, y_r, a_r], -1)).replace(
                -1, None
            ),
            "tracks_progress": tracks[f_r, y_r, a_r],
            "verification_status": take(_STATUS_TEXT, status, "s"),
        },
        len(f_r),
    )


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
    log_value = (
        np.log(P.ZDHC_MEDIAN_OF_LIMIT)
        + quality[f_r]
        - 0.15 * exposure[r_s]
        + rng.normal(0, P.ZDHC_SAMPLE_SD, n)
    )
    value = limits[p_r] * np.exp(log_value)
    special = {
        name: names.index(name) if name in names else -1
        for name in ("ph", "temperature_difference", "persistent_foam")
    }
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
        (
            pl.lit("CS-")
            + world.facility_id.gather(f_s).str.replace("FJ-", "")
            + pl.lit("-")
            + pl.Series(year).cast(pl.String)
            + pl.Series(k_s + 1).cast(pl.String)
        ).alias("report_id")
    ).to_series()
    status = _status(rng, F * Y).reshape(F, Y)[f_s, y_s]
    return _frame(
        "zdhc_wastewater",
        {
            "facility_id": world.facility_id.gather(f_r),
            "sample_date": sample_date.gather(r_s),
            "parameter": take(names, p_r, "parameter"),
            "value": value,
            "unit": take(units, p_r, "unit"),
            "discharge_type": take(discharge_keys, world.discharge[f_r], "d"),
            "sampling_point": take(("discharged",), np.zeros(n, dtype=np.int64), "p"),
            "report_id": report.gather(r_s),
            "verification_status": take(_STATUS_TEXT, status[r_s], "s"),
        },
        n,
    )


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
    return _frame(
        "programmes",
        {
            "facility_id": world.facility_id.gather(f_r),
            "programme": take((clp_key, stz_key), prog, "programme"),
            "start_date": start,
        },
        len(f_r),
    )
