"""The licences a publisher may choose (reference data `open_data_licences.yaml`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from factory_journey.reference import load_yaml, meta
from factory_journey.services.platform.errors import InvalidInput

FILE = "open_data_licences.yaml"


@dataclass(frozen=True, slots=True)
class Licence:
    id: str
    name: str
    url: str


@lru_cache(maxsize=1)
def licences() -> tuple[Licence, ...]:
    """Every accepted licence, in the file's order."""
    return tuple(
        Licence(str(e["id"]), str(e["name"]), str(e["url"])) for e in load_yaml(FILE)["licences"]
    )


def default_licence() -> str:
    return str(load_yaml(FILE)["default"])


def licences_version() -> str:
    return str(meta(FILE)["version"])


def licence(licence_id: str) -> Licence:
    """The licence of that SPDX id; a clear error naming the accepted ones otherwise."""
    for item in licences():
        if item.id == licence_id:
            return item
    accepted = ", ".join(item.id for item in licences())
    raise InvalidInput(f"licence {licence_id!r} is not one we accept; choose one of {accepted}")
