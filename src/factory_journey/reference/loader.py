"""Single loader for the package's reference data and its provenance."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

import polars as pl
import yaml

try:  # libyaml's C parser: several times faster than the pure-Python one, same safe subset
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # a PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

#: Every reference file must state these (in its sidecar or its `meta:` block).
REQUIRED_META_KEYS: tuple[str, ...] = ("source", "licence", "vintage", "version", "units")

_DATA_SUFFIXES = (".csv", ".yaml", ".txt")


class ReferenceFileError(LookupError):
    """A reference file is missing or lacks its provenance."""


def data_dir() -> Path:
    """The folder that holds the packaged reference data."""
    return Path(str(resources.files("factory_journey.reference") / "data"))


def data_path(name: str) -> Path:
    """Path of reference file `name` (a relative path with its suffix, e.g. `gwp.csv`)."""
    path = data_dir() / name
    if not path.is_file():
        raise ReferenceFileError(f"reference file {name!r} is not in {data_dir()}")
    return path


def list_reference_files() -> list[str]:
    """Every data file (not sidecar) under the reference folder, as relative paths, sorted."""
    root = data_dir()
    names = []
    for path in root.rglob("*"):
        if not path.is_file() or path.name.endswith(".meta.yaml"):
            continue
        if path.suffix in _DATA_SUFFIXES:
            names.append(path.relative_to(root).as_posix())
    return sorted(names)


def parse_yaml(source: str | bytes | IO[str] | IO[bytes]) -> Any:
    """A YAML document parsed safely (plain data only), with the C parser where available.

    Every YAML read in the package goes through here (reference files, a user's methodology
    file, account limits), so no code path falls back to the slow pure-Python parser.
    """
    return yaml.load(source, Loader=_SafeLoader)


@cache
def read_yaml_file(path: Path) -> Any:
    """The YAML file at `path`, parsed once per process and shared: callers must not mutate it.

    A reference file's data and its `meta:` block both come from this one parse.
    """
    with path.open(encoding="utf-8") as handle:
        return parse_yaml(handle)


def _sidecar(name: str) -> Path:
    stem = name.rsplit(".", 1)[0]
    return data_dir() / f"{stem}.meta.yaml"


@cache
def meta(name: str) -> dict[str, Any]:
    """Provenance of reference file `name`: source, licence, vintage, version, units and more."""
    path = data_path(name)
    if path.suffix == ".yaml":
        document = read_yaml_file(path) or {}
        block = document.get("meta") if isinstance(document, dict) else None
        if not isinstance(block, dict):
            raise ReferenceFileError(f"reference file {name!r} has no top-level 'meta:' mapping")
        return dict(block)
    sidecar = _sidecar(name)
    if not sidecar.is_file():
        raise ReferenceFileError(f"reference file {name!r} has no sidecar {sidecar.name}")
    block = read_yaml_file(sidecar) or {}
    if not isinstance(block, dict):
        raise ReferenceFileError(f"sidecar {sidecar.name} is not a mapping")
    return dict(block)


def missing_meta_keys(name: str) -> list[str]:
    """The required provenance keys that file `name` lacks or leaves empty."""
    block = meta(name)
    return [key for key in REQUIRED_META_KEYS if not str(block.get(key, "") or "").strip()]


@cache
def load_csv(name: str) -> pl.DataFrame:
    """Reference table `name` as a polars DataFrame (read once, then cached; do not mutate)."""
    path = data_path(name)
    return pl.read_csv(path, comment_prefix="#", infer_schema_length=10_000)


@cache
def load_yaml(name: str) -> dict[str, Any]:
    """Reference document `name` (a YAML mapping, `meta:` included; parsed once, do not mutate)."""
    document = read_yaml_file(data_path(name))
    if not isinstance(document, dict):
        raise ReferenceFileError(f"reference file {name!r} is not a YAML mapping")
    return document


def versions() -> dict[str, str]:
    """`{file name: "version (vintage)"}` for every reference file, to record beside results."""
    out: dict[str, str] = {}
    for name in list_reference_files():
        block = meta(name)
        out[name] = f"{block.get('version', '?')} ({block.get('vintage', '?')})"
    return out
