"""Reference data shipped with the package, each file with its provenance.

Every data file under `reference/data/` states its source, licence, vintage, version and
units: CSV and text files in a sidecar `<name>.meta.yaml`, YAML files in a top-level `meta:`
mapping. `load_csv`, `load_yaml` and `meta` are the only ways the rest of the code reads them,
and `versions()` gives the versions to record beside every result.
"""

from factory_journey.reference.loader import (
    REQUIRED_META_KEYS,
    ReferenceFileError,
    data_dir,
    data_path,
    list_reference_files,
    load_csv,
    load_yaml,
    meta,
    versions,
)

__all__ = [
    "REQUIRED_META_KEYS",
    "ReferenceFileError",
    "data_dir",
    "data_path",
    "list_reference_files",
    "load_csv",
    "load_yaml",
    "meta",
    "versions",
]
