"""Provenance of the matrix: one row per input row, not per indicator.

Each input row of a table feeds every indicator of its area (`indicator` holds the area name;
the catalogue's `inputs` say which indicators read which table), so storing the row once keeps
the provenance as large as the input, never inputs × indicators. The frame is built lazily and
only collected when asked for.
"""

from __future__ import annotations

import polars as pl

from factory_journey.domain.tables import TABLES_BY_NAME

#: Input table → matrix area whose indicators it feeds.
TABLE_AREAS: dict[str, str] = {
    "profiles": "keys",
    "energy": "energy",
    "water": "water",
    "wastewater": "wastewater",
    "zdhc_wastewater": "wastewater",
    "waste": "waste",
    "air": "air",
    "chemicals": "chemicals",
    "ems": "ems",
}

PROVENANCE_SCHEMA: dict[str, type[pl.DataType]] = {
    "facility_id": pl.String,
    "year": pl.Int64,
    "indicator": pl.String,
    "table": pl.String,
    "ref_id": pl.String,
    "_file": pl.String,
    "_sheet": pl.String,
    "_row": pl.Int64,
    "verification_status": pl.String,
    "unit_reported": pl.String,
}


def _ref_id(table: str) -> str | None:
    """The FEM Ref ID of the table's defining column (e.g. `ensourceheader`), if any."""
    spec = TABLES_BY_NAME.get(table)
    if spec is None:
        return "sitecountry" if table == "profiles" else None
    return next((c.fem_ref_id for c in spec.columns if c.fem_ref_id), None)


def _column(name: str, schema: pl.Schema, dtype: type[pl.DataType]) -> pl.Expr:
    if name in schema:
        return pl.col(name).cast(dtype).alias(name)
    return pl.lit(None, dtype=dtype).alias(name)


def provenance_frame(tables: dict[str, pl.LazyFrame]) -> pl.LazyFrame:
    """Long provenance frame (PROVENANCE_SCHEMA) over every input row of `tables`."""
    parts = []
    for table, frame in tables.items():
        area = TABLE_AREAS.get(table)
        if area is None:
            continue
        schema = frame.collect_schema()
        status = _column("verification_status", schema, pl.String).fill_null("self-reported")
        parts.append(
            frame.select(
                pl.col("facility_id").cast(pl.String),
                pl.col("year").cast(pl.Int64),
                pl.lit(area).alias("indicator"),
                pl.lit(table).alias("table"),
                pl.lit(_ref_id(table), dtype=pl.String).alias("ref_id"),
                _column("_file", schema, pl.String),
                _column("_sheet", schema, pl.String),
                _column("_row", schema, pl.Int64),
                status,
                _column("unit_reported", schema, pl.String),
            )
        )
    if not parts:
        return pl.LazyFrame(schema=PROVENANCE_SCHEMA)
    return pl.concat(parts, how="vertical")
