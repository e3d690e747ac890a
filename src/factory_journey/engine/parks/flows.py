"""Who owns each flow of a park (decision 0025): the three sets of rows the matrix engine sums.

- **members' tables**: each member's own rows, plus its flows metered at a shared facility
  (`member_facility_id`), which become the member's rows — a flow moved from one side to the
  other gives the same tables.
- **shared facilities' own tables**: the `shared_*` rows without `member_facility_id`.
- **internal deliveries**: the members' rows of an energy or water source that a shared
  facility of their park delivers in that year (`delivers_energy_source`,
  `delivers_water_source`), and a shared facility's own rows of a source that *another*
  shared facility of the park delivers (the boiler's steam at the effluent plant, the
  effluent plant's recycled water at the water plant); they stay in the user's own results
  and are taken out of the park total, whose shared-facility part already holds the inputs
  that made them.

Each set goes through the same `engine.matrix.build_matrix`; nothing here converts or sums.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

#: Provenance and flow columns that are not part of an ordinary table.
_MEMBER = "member_facility_id"


def member_tables(
    tables: Mapping[str, pl.DataFrame], shared: Mapping[str, pl.DataFrame]
) -> dict[str, pl.DataFrame]:
    """The dataset's tables with each member flow metered at a shared facility added to the
    member's own table (as the member's row, `facility_id` = the member)."""
    out = dict(tables)
    for name, frame in shared.items():
        metered = frame.filter(pl.col(_MEMBER).is_not_null())
        if metered.is_empty():
            continue
        metered = metered.with_columns(pl.col(_MEMBER).alias("facility_id")).drop(_MEMBER)
        own = out.get(name)
        out[name] = metered if own is None else pl.concat([own, metered], how="diagonal_relaxed")
    return out


def shared_own_tables(
    shared: Mapping[str, pl.DataFrame], shared_facilities: pl.DataFrame, parks: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """The shared facilities' own rows, and a `profiles` table of their facility-years (the
    park's country, so that the grid factor and water risk are the park's)."""
    out = {name: frame.filter(pl.col(_MEMBER).is_null()).drop(_MEMBER)
           for name, frame in shared.items()}
    out["profiles"] = (
        shared_facilities.select(
            pl.col("shared_facility_id").alias("facility_id"), "year",
            pl.col("name").alias("facility_name"), "park_id")
        .join(parks.select("park_id", "country_iso2"), on="park_id", how="left")
        .unique(subset=["facility_id", "year"], keep="first", maintain_order=True)
        .sort("facility_id", "year")
    )
    return out


def _delivered(shared_facilities: pl.DataFrame, column: str) -> pl.DataFrame:
    """(park_id, year, source, supplier) of what the park's shared facilities deliver."""
    if column not in shared_facilities.columns:
        return pl.DataFrame(schema={"park_id": pl.String, "year": pl.Int64,
                                    "source": pl.String, "_supplier": pl.String})
    return (shared_facilities.filter(pl.col(column).is_not_null())
            .select("park_id", "year", pl.col(column).cast(pl.String).alias("source"),
                    pl.col("shared_facility_id").alias("_supplier")).unique())


def internal_tables(
    tables: Mapping[str, pl.DataFrame],
    users: pl.DataFrame,
    shared_facilities: pl.DataFrame,
) -> dict[str, pl.DataFrame]:
    """The rows of `tables` (the members' tables, or the shared facilities' own tables) of
    the sources a shared facility of the user's park delivers that year, for `users`
    (park_id, year, facility_id: the members, or the shared facilities), with their profiles
    (same country, same grid factor as in their own matrix). A supplier's own rows of what
    it delivers are its inputs (steam bought to pass on), not a delivery to it."""
    out: dict[str, pl.DataFrame] = {}
    keys = users.select("park_id", "year", "facility_id").unique()
    for table, column in (("energy", "delivers_energy_source"),
                          ("water", "delivers_water_source")):
        frame = tables.get(table)
        delivered = _delivered(shared_facilities, column)
        if frame is None or delivered.is_empty():
            continue
        pairs = (keys.join(delivered, on=["park_id", "year"])
                 .filter(pl.col("facility_id") != pl.col("_supplier"))
                 .select("facility_id", "year", "source").unique())
        # the rows of a delivered source first (a few sources), then the three-key join
        sources = delivered["source"].unique()
        rows = (frame.lazy().filter(pl.col("source").cast(pl.String).is_in(sources.implode()))
                .join(pairs.lazy(), on=["facility_id", "year", "source"], how="semi").collect())
        if rows.height:
            out[table] = rows
    if out:
        ids = pl.concat([f.select("facility_id", "year") for f in out.values()]).unique()
        out["profiles"] = tables["profiles"].join(ids, on=["facility_id", "year"], how="semi")
    return out
