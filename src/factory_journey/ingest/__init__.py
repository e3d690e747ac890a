"""Readers of user files (CSV, XLSX, JSON, Parquet) into validated tables with located problems.

`read_dataset(path) -> ImportResult` is the entry point for a whole dataset (docs/contracts.md
§2). It is imported lazily so that the small cell and profile readers load without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from factory_journey.ingest.dataset_reader import read_dataset
    from factory_journey.ingest.result import ImportResult, SourceFile

__all__ = ["ImportResult", "SourceFile", "read_dataset"]


def __getattr__(name: str) -> Any:
    if name == "read_dataset":
        from factory_journey.ingest.dataset_reader import read_dataset

        return read_dataset
    if name in ("ImportResult", "SourceFile"):
        from factory_journey.ingest import result

        return getattr(result, name)
    raise AttributeError(name)
