"""What reading a dataset gives back: typed tables, located problems and the files read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from factory_journey.domain.problems import ProblemList


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One raw file of a dataset, as read: where it is, its format and its fingerprint."""

    path: Path
    name: str
    format: str
    sha256: str
    size_bytes: int

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "format": self.format,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
        }


@dataclass(slots=True)
class ImportResult:
    """A dataset read and validated (docs/contracts.md §2).

    `tables` holds `profiles` plus every performance table present, typed as in
    `domain/tables.py`; `problems` every located problem found; `files` the raw files read.
    """

    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    problems: ProblemList = field(default_factory=ProblemList)
    files: list[SourceFile] = field(default_factory=list)
    #: park tables as loaded, unchecked (`ingest.park_reader.read_park_tables` checks them)
    park_raw: dict[str, Any] = field(default_factory=dict)
    #: lazy mode of `read_dataset`: large Parquet tables checked without an error, as lazy
    #: plans over their files (not in `tables`)
    scans: dict[str, pl.LazyFrame] = field(default_factory=dict)
    #: rows of each table in `scans` (known when it was checked)
    scan_rows: dict[str, int] = field(default_factory=dict)

    def frames(self) -> dict[str, pl.DataFrame | pl.LazyFrame]:
        """Every table, held (`tables`) or lazy (`scans`), in the order they were read."""
        from factory_journey.ingest.raw_tables import TABLE_NAMES

        both: dict[str, pl.DataFrame | pl.LazyFrame] = {**self.tables, **self.scans}
        return {name: both[name] for name in TABLE_NAMES if name in both} | both

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import (warnings allowed)."""
        return not self.problems.has_errors

    def row_counts(self) -> dict[str, int]:
        """Rows per table, `{table: rows}`, held or lazy, in the order they were read."""
        return {name: frame.height if isinstance(frame, pl.DataFrame) else self.scan_rows[name]
                for name, frame in self.frames().items()}
