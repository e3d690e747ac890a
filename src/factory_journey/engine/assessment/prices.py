"""Energy and water prices for money saved: packaged regional defaults or a user's table."""

from __future__ import annotations

from functools import cache

import polars as pl

from factory_journey.reference.loader import load_csv, meta

DEFAULT_PRICES = "regional_prices.csv"
PRICE_COLUMNS: tuple[str, ...] = (
    "electricity_usd_per_kwh",
    "thermal_fuel_usd_per_gj",
    "water_usd_per_m3",
)


class PriceTableError(ValueError):
    """A price table lacks columns or holds values that are not non-negative numbers."""


def validate_prices(prices: pl.DataFrame, label: str = "user prices") -> pl.DataFrame:
    """Check and normalise a price table; rows of a user table override the packaged defaults.

    Columns: country_iso2 (`*` = default), electricity_usd_per_kwh [USD/kWh],
    thermal_fuel_usd_per_gj [USD/GJ], water_usd_per_m3 [USD/m3]. Missing countries and the `*`
    row come from the defaults.
    """
    missing = [c for c in ("country_iso2", *PRICE_COLUMNS) if c not in prices.columns]
    if missing:
        raise PriceTableError(f"{label}: missing columns {missing}")
    typed = prices.select(
        pl.col("country_iso2").cast(pl.String).str.strip_chars().str.to_uppercase(),
        *[pl.col(c).cast(pl.Float64, strict=False) for c in PRICE_COLUMNS],
    )
    for column in PRICE_COLUMNS:
        bad = typed.filter(pl.col(column).is_null() | (pl.col(column) < 0))
        if bad.height:
            raise PriceTableError(
                f"{label}: {column} must be a number >= 0 (country {bad['country_iso2'][0]!r})"
            )
    duplicated = typed.filter(pl.col("country_iso2").is_duplicated())
    if duplicated.height:
        raise PriceTableError(f"{label}: country {duplicated['country_iso2'][0]!r} appears twice")
    typed = typed.with_columns(price_source=pl.lit(label))
    defaults = default_prices().filter(
        ~pl.col("country_iso2").is_in(typed["country_iso2"].to_list())
    )
    return pl.concat([typed, defaults], how="vertical").sort("country_iso2")


@cache
def default_prices() -> pl.DataFrame:
    """The packaged regional prices (project estimates), with a `price_source` label.

    One shared frame per process (polars frames are not changed in place here), so that
    `assess` can recognise it and skip validating it again.
    """
    block = meta(DEFAULT_PRICES)
    label = f"{DEFAULT_PRICES} {block.get('version')} ({block.get('certainty')} estimate)"
    return (
        load_csv(DEFAULT_PRICES)
        .select(
            pl.col("country_iso2").cast(pl.String),
            *[pl.col(c).cast(pl.Float64) for c in PRICE_COLUMNS],
        )
        .with_columns(price_source=pl.lit(label))
        .sort("country_iso2")
    )
