"""What an open-data publication of a facility holds, derived from its Data Matrix (pure).

A publication lists values in long form, one row per (year, indicator), each with its unit
and the verification status of the group it belongs to; and the facility's ZDHC-style
discharge status per year. Which groups and years a publisher consented to is applied by the
single consent filter in `services/open_data/consent_filter.py`, not here.

Discharge status (ZDHC's public disclosure portal, domain-facts §7): green when every tested
substance of the latest discharged sample passes (meets at least the foundational limit),
yellow when one fails and a corrective action plan is filed, red when one fails without one;
none when nothing was tested.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from factory_journey.engine.catalogue import indicators

#: Indicator groups (the catalogue's areas) a publisher may publish. Production volumes
#: (commercially sensitive) and keys (published in the profile) are not offered; the
#: quality area's verified shares are carried as each value's verification status instead.
PUBLISHABLE_GROUPS: tuple[str, ...] = (
    "energy",
    "ghg",
    "water",
    "wastewater",
    "waste",
    "air",
    "chemicals",
    "ems",
)
#: The matrix column giving the verified share of each group's values [share 0–1]. GHG is
#: computed from the energy data, so it is as verified as they are.
_VERIFIED_SHARE: dict[str, str] = {
    "energy": "energy_verified_share",
    "ghg": "energy_verified_share",
    "water": "water_verified_share",
    "wastewater": "wastewater_verified_share",
    "waste": "waste_verified_share",
    "air": "air_verified_share",
    "chemicals": "chemicals_verified_share",
    "ems": "ems_verified_share",
}
DISCHARGE_STATUSES: tuple[str, ...] = ("green", "yellow", "red")
VERIFICATION_STATUSES: tuple[str, ...] = ("verified", "partly verified", "self-reported")

#: The long table of published values: its columns, in order, and their types.
VALUE_SCHEMA: dict[str, pl.DataType] = {
    "year": pl.Int32(),
    "indicator_group": pl.String(),
    "indicator": pl.String(),
    "value": pl.Float64(),
    "value_text": pl.String(),
    "unit": pl.String(),
    "verification_status": pl.String(),
}


@dataclass(frozen=True, slots=True)
class DischargeYear:
    """The discharge status of one facility-year and the counts it rests on."""

    year: int
    status: str | None
    parameters_tested: int
    parameters_failing: int
    corrective_action_plan: bool


def discharge_status(tested: int, failing: int, corrective_action_plan: bool) -> str | None:
    """ZDHC-style colour of a facility-year's latest discharged sample.

    `tested` and `failing` are counts of parameters [count]: tested = graded against a limit,
    failing = below the foundational limit. None when nothing was tested.
    """
    if tested <= 0:
        return None
    if failing <= 0:
        return "green"
    return "yellow" if corrective_action_plan else "red"


def verification_status(verified_share: float | None) -> str:
    """`verified` when every value of the group was verified (share 1), `partly verified` when
    some were, `self-reported` when none (or the share is unknown) [share 0–1 in]."""
    if verified_share is None or verified_share != verified_share or verified_share <= 0:
        return "self-reported"
    return "verified" if verified_share >= 1 else "partly verified"


def discharge_years(matrix: pl.DataFrame, plans: frozenset[int]) -> list[DischargeYear]:
    """The discharge status of every year of a one-facility matrix; `plans`: the years with a
    corrective action plan filed."""
    out = []
    for row in matrix.sort("year").iter_rows(named=True):
        tested = int(row.get("zdhc_parameters_tested") or 0)
        failing = int(row.get("zdhc_parameters_failing_foundational") or 0)
        year = int(row["year"])
        has_plan = year in plans
        out.append(
            DischargeYear(year, discharge_status(tested, failing, has_plan), tested, failing,
                          has_plan)
        )
    return out


def long_values(matrix: pl.DataFrame) -> pl.DataFrame:
    """Every publishable value of a one-facility matrix, one row per (year, indicator).

    Numbers and flags (1 = true, 0 = false) are in `value` in the indicator's unit; text
    values (a level, a category) in `value_text`. Missing values are left out.
    """
    rows: list[dict[str, object]] = []
    catalogue = [i for i in indicators() if i.area in PUBLISHABLE_GROUPS]
    for record in matrix.sort("year").iter_rows(named=True):
        year = int(record["year"])
        for indicator in catalogue:
            raw = record.get(indicator.name)
            if raw is None or (isinstance(raw, float) and raw != raw):
                continue
            share = record.get(_VERIFIED_SHARE[indicator.area])
            number: float | None
            text: str | None
            if isinstance(raw, int | float):  # bool is an int: flags become 1.0 / 0.0
                number, text = float(raw), None
            else:
                number, text = None, str(raw)
            rows.append(
                {
                    "year": year,
                    "indicator_group": indicator.area,
                    "indicator": indicator.name,
                    "value": number,
                    "value_text": text,
                    "unit": indicator.unit,
                    "verification_status": verification_status(
                        float(share) if isinstance(share, int | float) else None
                    ),
                }
            )
    return pl.DataFrame(rows, schema=VALUE_SCHEMA)


def peer_statistics(values: pl.DataFrame, minimum: int) -> pl.DataFrame:
    """Count, median and mean of each (country, year, indicator) over the contributors' values,
    only for groups of at least `minimum` distinct contributors (facilities).

    `values`: subject_id, country_iso2, year, indicator, unit, value [unit of the indicator].
    """
    numbers = values.filter(pl.col("value").is_not_null())
    return (
        numbers.group_by("country_iso2", "year", "indicator", "unit")
        .agg(
            pl.col("subject_id").n_unique().alias("contributors"),
            pl.col("value").median().alias("median"),
            pl.col("value").mean().alias("mean"),
        )
        .filter(pl.col("contributors") >= minimum)
        .sort("country_iso2", "year", "indicator")
    )
