"""What a user hands `journey assess` besides the dataset, read and checked: an operator's
methodology (YAML), a price table (CSV) and a peer snapshot exported from the platform
(Parquet). Each refusal names the file and what is accepted."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from factory_journey.domain.problems import Problem
from factory_journey.engine.assessment import (
    Methodology,
    MethodologyError,
    parse_methodology,
    validate_prices,
)
from factory_journey.engine.assessment.prices import PriceTableError
from factory_journey.reference.loader import parse_yaml


class AssessmentInputError(ValueError):
    """The dataset cannot be assessed: not found, or problems block the import."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def load_methodology_file(path: str | Path) -> Methodology:
    """Read and validate an operator's methodology YAML; `MethodologyError` names every fault."""
    import yaml  # only here: the reference files come from their parsed cache (issue 14)

    path = Path(path)
    if path.exists() and not path.is_file():  # a folder or a named pipe: never block on it
        raise MethodologyError([f"{path}: not a regular file"])
    try:
        document = parse_yaml(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise MethodologyError([f"{path}: cannot be read ({error.strerror})"]) from None
    except UnicodeDecodeError:
        raise MethodologyError([f"{path}: not UTF-8 text"]) from None
    except yaml.YAMLError as error:
        raise MethodologyError([f"{path}: not valid YAML ({error})"]) from None
    if not isinstance(document, dict):
        raise MethodologyError([f"{path}: the file must be a YAML mapping with meta:, areas: …"])
    try:
        return parse_methodology(document)
    except MethodologyError as error:
        raise MethodologyError([f"{path}: {m}" for m in error.messages]) from None


def load_prices_file(path: str | Path) -> pl.DataFrame:
    """Read a user price table (CSV with the columns of regional_prices.csv)."""
    path = Path(path)
    if path.exists() and not path.is_file():  # a folder or a named pipe: never block on it
        raise PriceTableError(f"{path}: not a regular file")
    try:
        frame = pl.read_csv(path, comment_prefix="#", infer_schema_length=10_000)
    except OSError as error:
        raise PriceTableError(f"{path}: cannot be read ({error.strerror})") from None
    except pl.exceptions.PolarsError:  # Polars' words are not the user's
        raise PriceTableError(
            f"{path}: cannot be read as CSV: expected UTF-8, comma-separated text with one "
            "header row, a value under each column and numbers in the price columns"
        ) from None
    return validate_prices(frame, label=f"user prices ({path.name})")


def peer_snapshot_version(path: str | Path) -> str:
    """`sha256:<hex>` of a peer snapshot file: the platform's `peer_snapshot.sha256` of the
    snapshot it was exported from (`journey peers export` writes the stored bytes)."""
    import hashlib

    try:
        return "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        raise AssessmentInputError(f"The peer snapshot {path} could not be read.") from None


def load_peer_snapshot_file(path: str | Path) -> pl.DataFrame:
    """A peer snapshot exported from the platform (`journey peers export`), checked.

    Raises `AssessmentInputError` naming the file and what is wrong.
    """
    from factory_journey.engine.assessment import validate_peer_table

    path = Path(path)
    try:
        frame = pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError):
        raise AssessmentInputError(
            f"The peer snapshot {path} could not be read: a Parquet file written by "
            "`journey peers export` is accepted."
        ) from None
    try:
        return validate_peer_table(frame, f"The peer snapshot {path.name}")
    except ValueError as error:
        raise AssessmentInputError(f"{error}.") from None
