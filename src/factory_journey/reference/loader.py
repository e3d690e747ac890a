"""Single loader for the package's reference data and its provenance.

A reference YAML file is parsed once per process, and its parsed form is kept as JSON beside
it (`__pycache__/<stem>.<sha256>.json`, like Python's bytecode) so that the next process reads
that instead of parsing YAML: loading the JSON is about ten times faster, and a command whose
reference files are all cached never imports PyYAML. The cache is keyed by the SHA-256 of the
file's bytes, so an edited file is parsed afresh, and it is exactly as trusted as the files it
sits beside; where the folder cannot be written, files are parsed every time
(docs/decisions/0038-parsed-reference-yaml-cache.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from contextlib import suppress
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

import polars as pl

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


def safe_loader() -> Any:
    """PyYAML's safe loader, libyaml's C one where available (several times faster than the
    pure-Python one, same safe subset). Imported on first use: see the module's docstring."""
    import yaml

    try:
        return yaml.CSafeLoader
    except AttributeError:  # a PyYAML built without libyaml
        return yaml.SafeLoader


def parse_yaml(source: str | bytes | IO[str] | IO[bytes]) -> Any:
    """A YAML document parsed safely (plain data only), with the C parser where available.

    Every YAML read in the package goes through here (reference files, a user's methodology
    file, account limits), so no code path falls back to the slow pure-Python parser.
    Raises `yaml.YAMLError` on a document that is not YAML.
    """
    import yaml

    return yaml.load(source, Loader=safe_loader())


#: Bumped when what a cached parse holds changes, so that older cache files are not read.
PARSED_CACHE_FORMAT = 1
#: The folder, beside each reference YAML file, that holds its parsed form.
PARSED_CACHE_DIR = "__pycache__"


@cache
def read_yaml_file(path: Path) -> Any:
    """The YAML file at `path`, parsed once per process and shared: callers must not mutate it.

    A reference file's data and its `meta:` block both come from this one parse. A file of
    the reference folder is read from its parsed cache when that was made from the same bytes
    (`parsed_cache_path`), and the cache is written after a parse.
    """
    raw = path.read_bytes()
    if not _in_reference_folder(path):
        return parse_yaml(raw.decode("utf-8"))
    digest = hashlib.sha256(raw).hexdigest()
    cached = _read_parsed(path, digest)
    if cached is not None:
        return cached["data"]
    document = parse_yaml(raw.decode("utf-8"))
    _write_parsed(path, digest, document)
    return document


def parsed_cache_path(path: Path, digest: str) -> Path:
    """Where the parse of reference file `path` with SHA-256 `digest` (hex) is kept."""
    return path.parent / PARSED_CACHE_DIR / f"{path.stem}.{digest}.json"


@cache
def _reference_root() -> Path:
    return data_dir().resolve()


def _in_reference_folder(path: Path) -> bool:
    return path.resolve().is_relative_to(_reference_root())


def _read_parsed(path: Path, digest: str) -> dict[str, Any] | None:
    """The cache entry of `path` at `digest`, or None when there is none or it is unusable."""
    try:
        entry = json.loads(parsed_cache_path(path, digest).read_bytes())
    except (OSError, ValueError):
        return None
    if (not isinstance(entry, dict) or entry.get("format") != PARSED_CACHE_FORMAT
            or entry.get("sha256") != digest or "data" not in entry):
        return None
    return entry


def _write_parsed(path: Path, digest: str, document: Any) -> None:
    """Keep `document` (the parse of `path` at `digest`) for the next process, written whole
    (a temporary file renamed) and only when JSON gives it back equal; entries of earlier
    versions of the file are removed. A folder that cannot be written is left as it is."""
    entry = {"format": PARSED_CACHE_FORMAT, "sha256": digest, "data": document}
    try:
        text = json.dumps(entry, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # not plain JSON data (e.g. a date): parse it each time
        return
    if json.loads(text) != entry:
        return
    target = parsed_cache_path(path, digest)
    stale = re.compile(rf"{re.escape(path.stem)}\.[0-9a-f]{{64}}\.json")
    # one temporary name per process and thread: the dataset reader's threads read in parallel
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        target.parent.mkdir(exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
        for other in target.parent.iterdir():
            if other != target and stale.fullmatch(other.name):
                other.unlink(missing_ok=True)
    except OSError:  # read-only install, full disk: the next process parses again
        with suppress(OSError):
            temporary.unlink(missing_ok=True)


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
