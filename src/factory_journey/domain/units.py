"""Units: one pint registry with the project's definitions, and vectorisable conversion factors.

Canonical units (architecture decision): energy MJ, volume m³, mass kg, emissions kgCO2e,
product units pieces (a pair counts as one product unit), time standard allowed minutes.
Units are converted once, at ingestion; the value and unit as reported are kept beside.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from typing import TYPE_CHECKING

from factory_journey.reference import data_path, load_csv, load_yaml

if TYPE_CHECKING:
    import pint

#: Each accepted spelling's factor to its canonical unit, generated from pint by
#: tools/make_unit_factors.py (and checked against pint by a test): pint and numpy are then
#: imported only for a conversion the table does not hold (decision 0029).
UNIT_FACTORS_FILE = "unit_factors.csv"

#: Canonical unit per dimension name used in the dataset tables.
CANONICAL_UNITS: dict[str, str] = {
    "energy": "megajoule",
    "volume": "meter**3",
    "mass": "kilogram",
    "product": "piece",
    "standard_time": "SAM",
    "length": "meter",
    "area": "meter**2",
    "co2e": "kilogram*CO2e",
}

#: Short display symbol of each canonical unit.
CANONICAL_SYMBOLS: dict[str, str] = {
    "energy": "MJ",
    "volume": "m3",
    "mass": "kg",
    "product": "pcs",
    "standard_time": "SAM",
    "length": "m",
    "area": "m2",
    "co2e": "kgCO2e",
}


class UnknownUnitError(ValueError):
    """A unit spelling that the registry does not accept."""

    def __init__(self, spelling: str, accepted: list[str]) -> None:
        super().__init__(f"unknown unit {spelling!r}")
        self.spelling = spelling
        self.accepted = accepted


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry[float]:
    """The project's pint registry: pint defaults plus `reference/data/units.txt`."""
    import pint  # ~0.35 s with numpy and the registry: only when the factor table lacks a pair

    ureg: pint.UnitRegistry[float] = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.load_definitions(str(data_path("units.txt")))
    return ureg


@lru_cache(maxsize=1)
def unit_alias_rows() -> tuple[tuple[str, str, str], ...]:
    """(spelling, pint expression, dimension) of every row of `unit_aliases.csv`, in order."""
    table = load_csv("unit_aliases.csv")
    return tuple(
        (str(row["spelling"]).strip().lower(), str(row["unit"]), str(row["dimension"]))
        for row in table.iter_rows(named=True)
    )


@lru_cache(maxsize=1)
def _aliases() -> dict[str, tuple[str, str]]:
    return {spelling: (unit, dimension) for spelling, unit, dimension in unit_alias_rows()}


@lru_cache(maxsize=1)
def _table_factors() -> dict[str, float]:
    """Spelling → factor to its dimension's canonical unit [canonical per unit], from
    `unit_factors.csv` (read with the csv module: the file is tiny and its floats must be
    read exactly as written)."""
    with data_path(UNIT_FACTORS_FILE).open(encoding="utf-8", newline="") as handle:
        return {row["spelling"]: float(row["factor"]) for row in csv.DictReader(handle)}


def normalise_spelling(spelling: str) -> str:
    """Lower-case, trimmed, inner whitespace folded: the key used to look a unit up."""
    return " ".join(str(spelling).strip().lower().split())


def accepted_units(dimension: str | None = None) -> list[str]:
    """Accepted unit spellings, optionally only those of one dimension (e.g. `"energy"`)."""
    return sorted(
        spelling for spelling, (_, dim) in _aliases().items() if dimension in (None, dim)
    )


def unit_dimension(spelling: str) -> str:
    """Dimension name (`energy`, `volume`, `mass`, …) of a unit spelling."""
    key = normalise_spelling(spelling)
    if key not in _aliases():
        raise UnknownUnitError(spelling, accepted_units())
    return _aliases()[key][1]


@lru_cache(maxsize=4096)
def conversion_factor(spelling: str, target: str | None = None) -> float:
    """Multiplier that turns a quantity in unit `spelling` into `target` [target per unit].

    `target` is a spelling or pint expression; by default the canonical unit of the
    spelling's dimension. Raises `UnknownUnitError` for a spelling not in the alias table and
    `pint.DimensionalityError` when the two units measure different things.

    Answered from the generated factor table when both units are accepted spellings of one
    dimension (a ratio of two canonical factors, rounded as pint's answer is; the test
    compares every pair with pint), otherwise by pint.
    """
    key = normalise_spelling(spelling)
    aliases = _aliases()
    factors = _table_factors()
    if key in aliases and key in factors:
        if target is None:
            return factors[key]
        target_key = normalise_spelling(target)
        if (
            target_key in factors
            and target_key in aliases
            and aliases[target_key][1] == aliases[key][1]
        ):
            return float(f"{factors[key] / factors[target_key]:.12g}")
    return pint_conversion_factor(spelling, target)


def pint_conversion_factor(spelling: str, target: str | None = None) -> float:
    """`conversion_factor` computed by pint itself (the authority the table is made from)."""
    key = normalise_spelling(spelling)
    aliases = _aliases()
    if key not in aliases:
        raise UnknownUnitError(spelling, accepted_units())
    expression, dimension = aliases[key]
    if target is None:
        target_expression = CANONICAL_UNITS[dimension]
    else:
        target_key = normalise_spelling(target)
        target_expression = aliases[target_key][0] if target_key in aliases else target
    ureg = registry()
    factor = float(ureg.Quantity(1.0, expression).to(target_expression).magnitude)
    # 12 significant digits: exact factors (1 kWh = 3.6 MJ) stay exact, float noise goes.
    return float(f"{factor:.12g}")


GAS_VOLUMES_FILE = "gas_volumes.yaml"


@lru_cache(maxsize=1)
def _gas_volumes() -> tuple[tuple[float, float], dict[str, tuple[float, float]], frozenset[str]]:
    """(normal (T [K], p [kPa]), pint unit → its (T, p), gaseous fuels) of gas_volumes.yaml."""
    document = load_yaml(GAS_VOLUMES_FILE)
    normal = document["normal"]
    reference = (float(normal["temperature_k"]), float(normal["pressure_kpa"]))
    conditions = {
        str(entry["unit"]): (float(entry["temperature_k"]), float(entry["pressure_kpa"]))
        for entry in document["conditions"]
    }
    return reference, conditions, frozenset(str(f) for f in document["gaseous_fuels"])


def gaseous_fuels() -> frozenset[str]:
    """Fuels (`fuel` of fem_energy_sources.csv) reported as a gas volume (natural gas, …)."""
    return _gas_volumes()[2]


def gas_reference_conditions(spelling: str) -> tuple[float, float]:
    """(temperature [K], absolute pressure [kPa]) a gas volume in unit `spelling` is stated at.

    A unit that states no conditions (m3, L, gal) is taken at normal conditions (0 °C,
    101.325 kPa), those of the fuel densities (gas_volumes.yaml, `plain`)."""
    key = normalise_spelling(spelling)
    aliases = _aliases()
    if key not in aliases:
        raise UnknownUnitError(spelling, accepted_units())
    normal, conditions, _ = _gas_volumes()
    return conditions.get(aliases[key][0], normal)


@lru_cache(maxsize=256)
def gas_volume_to_normal(spelling: str) -> float:
    """Normal cubic metres (0 °C, 101.325 kPa) per cubic metre of gas measured at the
    reference conditions of `spelling` [Nm³/m³]: the ideal-gas ratio T_n/T × p/p_n.

    Multiply the geometric volume in m³ (`conversion_factor`) by it: 1 scf = 0.0283168 m³ at
    60 °F and 14.696 psia = 0.0283168 × 273.15/288.706 = 0.026791 Nm³ (1/37.33)."""
    temperature, pressure = gas_reference_conditions(spelling)
    (normal_t, normal_p), _, _ = _gas_volumes()
    return (normal_t / temperature) * (pressure / normal_p)
