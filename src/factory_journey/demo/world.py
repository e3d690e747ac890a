"""The synthetic world a demo dataset is drawn from (facilities, types, countries, cohorts,
years, programme exposure) and the row machinery every table shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from factory_journey.demo import params as P
from factory_journey.demo._util import (
    categorical,
    exact_labels,
    pad_ids,
)
from factory_journey.domain.tables import TABLES_BY_NAME

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


def _exposure(
    starts: np.ndarray, member: np.ndarray, years: np.ndarray, programme_year: int, monthly: bool
) -> np.ndarray:
    """Years of programme exposure at mid-month, (F, Y, 12) or averaged to (F, Y, 1)."""
    months = np.arange(1, 13)
    t = (
        (years[None, :, None] - programme_year) * 12
        + months[None, None, :]
        - starts[:, None, None]
        + 0.5
    ) / 12.0
    t = np.clip(t, 0.0, None) * member[:, None, None]
    return np.asarray(t if monthly else t.mean(axis=2, keepdims=True))


def _season(country: np.ndarray) -> np.ndarray:
    """(F, 12) seasonal weights averaging 1 over the year."""
    months = np.arange(1, 13)
    phase = 2 * np.pi * (months[None, :] - P.SEASON_PEAK_MONTH[country][:, None]) / 12.0
    return np.asarray(1.0 + P.SEASON_AMPLITUDE[country][:, None] * np.cos(phase))


def _build_world(
    facilities: int, years: np.ndarray, rng: np.random.Generator, monthly: bool, messiness: float
) -> _World:
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
    footwear = (rng.random(F) < np.array([0.03, 0.2, 0.3, 0.0, 0.2])[country]) & (ftype == _CUT_SEW)
    clp_start = rng.integers(1, 7, F)  # January–June of the programme year
    stz_start = rng.integers(1, 10, F)

    # Size and production: a base level per facility and a growth path over the years.
    employees0 = (
        P.EMPLOYEES_MEDIAN[ftype]
        * P.EMPLOYEES_COUNTRY[country]
        * np.exp(rng.normal(0, 1, F) * P.EMPLOYEES_SIGMA[ftype])
    )
    employees0 = np.maximum(employees0, 30.0)
    growth = np.cumsum(
        np.concatenate(
            [
                np.zeros((F, 1)),
                rng.normal(P.PRODUCTION_GROWTH_MEAN, P.PRODUCTION_GROWTH_SD, (F, max(Y - 1, 0))),
            ],
            axis=1,
        ),
        axis=1,
    )
    scale = np.exp(growth)
    pcs0 = employees0 * P.PCS_PER_EMPLOYEE[ftype] * np.exp(rng.normal(0, P.PCS_SIGMA, F))
    kg0 = employees0 * P.KG_PER_EMPLOYEE[ftype] * np.exp(rng.normal(0, P.KG_SIGMA, F))
    employees = np.ceil(employees0[:, None] * scale**0.5 * np.exp(rng.normal(0, 0.03, (F, Y))))
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
        F=F,
        years=years,
        monthly=monthly,
        messiness=messiness,
        programme_year=programme_year,
        facility_id=pad_ids("FJ-", np.arange(1, F + 1), width, "facility_id"),
        country=country,
        ftype=ftype,
        material=material,
        footwear=footwear,
        cohort=cohort,
        clp=clp,
        stz=stz,
        clp_start=clp_start,
        stz_start=stz_start,
        clp_exposure=_exposure(clp_start, clp, years, programme_year, monthly),
        stz_exposure=_exposure(stz_start, stz, years, programme_year, monthly),
        employees=employees,
        pcs=pcs,
        kg=kg,
        operating_days=operating_days,
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


def _month_kept(rng: np.random.Generator, world: _World, monthly: bool | None = None) -> np.ndarray:
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
    dtypes = {
        "str": pl.String,
        "float": pl.Float64,
        "int": pl.Int64,
        "bool": pl.Boolean,
        "date": pl.Date,
        "list": pl.String,
    }
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


def _unit_choice(
    rng: np.random.Generator, options: Sequence[tuple[Any, ...]], n: int
) -> np.ndarray:
    return categorical(rng, np.array([o[1] for o in options]), n)
