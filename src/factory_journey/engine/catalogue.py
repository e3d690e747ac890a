"""The indicator catalogue (`reference/data/indicators.yaml`): the matrix's columns as data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from factory_journey.reference import load_yaml, meta

DIRECTIONS: tuple[str, ...] = ("lower_is_better", "higher_is_better", "none")


@dataclass(frozen=True, slots=True)
class Indicator:
    """One column of the Data Matrix and what it means.

    `unit` is the unit of the values (`MJ`, `kgCO2e`, `share`, `-` for text and flags);
    `inputs` the dataset tables it is computed from; `fem_ref_ids` the Higg FEM Ref IDs of
    the questions it answers, where FEM has them; `label` the short plain English name the
    public pages show (a message of their catalogues), empty for an indicator never published.
    """

    name: str
    area: str
    unit: str
    direction: str
    description: str
    formula: str
    inputs: tuple[str, ...]
    fem_ref_ids: tuple[str, ...]
    label: str = ""


@lru_cache(maxsize=1)
def indicators() -> tuple[Indicator, ...]:
    """Every indicator of the catalogue, in matrix column order."""
    document = load_yaml("indicators.yaml")
    out = []
    for entry in document["indicators"]:
        out.append(
            Indicator(
                name=str(entry["name"]),
                area=str(entry["area"]),
                unit=str(entry["unit"]),
                direction=str(entry.get("direction", "none")),
                description=str(entry["description"]),
                formula=str(entry.get("formula", "")),
                inputs=tuple(entry.get("inputs") or ()),
                fem_ref_ids=tuple(entry.get("fem_ref_ids") or ()),
                label=str(entry.get("label") or ""),
            )
        )
    return tuple(out)


def matrix_columns() -> list[str]:
    """The matrix's column names, in order, as the catalogue lists them."""
    return [indicator.name for indicator in indicators()]


def catalogue_version() -> str:
    """Version and vintage of the catalogue, recorded beside every matrix."""
    block = meta("indicators.yaml")
    return f"{block.get('version', '?')} ({block.get('vintage', '?')})"
