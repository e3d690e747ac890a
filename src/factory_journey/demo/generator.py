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

import numpy as np
import polars as pl

from factory_journey.demo import params as P
from factory_journey.demo._util import take
from factory_journey.demo.energy import _energy
from factory_journey.demo.practices import _chemicals, _ems, _programmes, _zdhc
from factory_journey.demo.profiles_table import _profiles
from factory_journey.demo.waste_air import _air, _waste
from factory_journey.demo.water import _wastewater, _water
from factory_journey.demo.world import _build_world

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
