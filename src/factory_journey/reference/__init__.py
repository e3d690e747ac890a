"""Reference data shipped with the package, each file with its provenance.

Every data file under `reference/data/` states its source, licence, vintage, version and
units: CSV and text files in a sidecar `<name>.meta.yaml`, YAML files in a top-level `meta:`
mapping. `load_csv`, `load_yaml` and `meta` are the only ways the rest of the code reads them,
and `versions()` gives the versions to record beside every result. Typed accessors over
the tables (names and aliases, countries, emission factors, GWP, grid factors, water stress,
ZDHC limits) are in `factory_journey.reference.tables`; the most used are re-exported here.
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
from factory_journey.reference.tables import (
    DEFAULT_GWP_VINTAGE,
    Country,
    country_lookup,
    energy_sources,
    enum_values,
    fuel_factors,
    grid_factors,
    gwp_table,
    resolve_country,
    resolve_name,
    water_stress_category,
    zdhc_limits,
)

__all__ = [
    "DEFAULT_GWP_VINTAGE",
    "REQUIRED_META_KEYS",
    "Country",
    "ReferenceFileError",
    "country_lookup",
    "data_dir",
    "data_path",
    "energy_sources",
    "enum_values",
    "fuel_factors",
    "grid_factors",
    "gwp_table",
    "list_reference_files",
    "load_csv",
    "load_yaml",
    "meta",
    "resolve_country",
    "resolve_name",
    "versions",
    "water_stress_category",
    "zdhc_limits",
]
