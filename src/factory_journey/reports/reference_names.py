"""The rows of a report's methodology table (which reference data, in which version), with each
reference named in the report's language.

An assessment records the version of every reference it used (`ReportData.versions`: name →
version and source). The names are the engine's keys: `methodology`, `prices`, a packaged file
such as `gwp.csv`, and those the Data Matrix was built with under `matrix:`; a park assessment
adds its framework files (`park_framework:<id>`) and the shared measures (`park_measures`). A
reader needs what each one is, so the table says it in words; a file (or a framework) keeps its
name beside the words (it is what one looks up). The versions and sources stay as recorded:
file names, releases, sources. A reference recorded twice with the same version (the Data
Matrix's copy and the assessment's) is listed once.

The facility and portfolio reports translate these names with the report catalogue (`N_`,
reports.po); the park report with the park catalogue (park.po), to which
tools/update_catalogues.py adds every name here; the park-only names are marked `NP_` so that
they stay out of the facility catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping

from factory_journey.reports.i18n import Translator
from factory_journey.reports.labels import N_
from factory_journey.reports.park_labels import NP_

#: The prefix of the versions the Data Matrix was built with (engine.assessment).
MATRIX_PREFIX = "matrix:"
#: How a name is shown with its file or framework id ("Global warming potentials (gwp.csv)").
WITH_FILE = N_("{name} ({file})")
#: Reference key → what it is, in the order the table lists them (the methodology first).
REFERENCE_NAMES: dict[str, str] = {
    "methodology": N_("Methodology"),
    # a park assessment's: `park_framework:<id>` (one per framework file), `park_measures`
    "park_framework": NP_("Park assessment framework"),
    "park_measures": NP_("Shared measures of the collective plan"),
    "programme_modules": N_("Improvement programmes and measures"),
    "prices": N_("Prices of the savings estimates"),
    "peer_snapshot": N_("Peer comparison data"),
    "peer_table": N_("Peer comparison table"),
    "engine": N_("Calculation software"),
    "indicators.yaml": N_("Indicator catalogue"),
    "plausibility_bounds.yaml": N_("Plausibility limits of the data checks"),
    "countries.csv": N_("Countries and regions"),
    "fem_facility_types.csv": N_("Facility types (Higg FEM)"),
    "fem_energy_sources.csv": N_("Energy sources (Higg FEM)"),
    "gas_volumes.yaml": N_("Gas volume conversions"),
    "ipcc_fuel_factors.csv": N_("Fuel emission factors (IPCC)"),
    "grid_carbon_intensity.csv": N_("Grid electricity carbon intensity"),
    "grid_vintage": N_("Grid electricity factors used"),
    "gwp.csv": N_("Global warming potentials"),
    "gwp_vintage": N_("Global warming potentials used"),
    "water_stress_bands.yaml": N_("Water stress levels"),
    "water_stress_countries.csv": N_("Water stress by country"),
    "waste_disposal_methods.csv": N_("Waste disposal methods"),
    "zdhc_wastewater_limits.csv": N_("ZDHC wastewater limits"),
}
_ORDER = {key: rank for rank, key in enumerate(REFERENCE_NAMES)}


def _kind(key: str) -> tuple[str, str]:
    """(the REFERENCE_NAMES key of `key`, what to show beside its name: the file or the
    framework id, or "")."""
    bare = key.removeprefix(MATRIX_PREFIX)
    family, colon, ident = bare.partition(":")
    if colon:  # `park_framework:ifeip2`: one name for the family, the id beside it
        return family, ident
    return bare, bare if "." in bare else ""


def reference_name(tr: Translator, key: str) -> str:
    """What the reference `key` is, in `tr`'s language; a file or a framework keeps its name
    beside the words ("Global warming potentials (gwp.csv)"). A key not known here is shown as
    recorded."""
    known, beside = _kind(key)
    if known not in REFERENCE_NAMES:
        return key
    name = tr(REFERENCE_NAMES[known])
    return tr(WITH_FILE, name=name, file=beside) if beside else name


def reference_rows(tr: Translator, versions: Mapping[str, str]) -> list[dict[str, str]]:
    """The methodology table's rows, {"name", "value"}: the known references in the order of
    REFERENCE_NAMES, then any other by its key; each value as recorded. A reference recorded
    both under `matrix:` and plainly with the same value is one row (the same name and value
    twice would read as a mistake)."""
    def rank(key: str) -> tuple[int, str]:
        return _ORDER.get(_kind(key)[0], len(_ORDER)), key

    rows: list[dict[str, str]] = []
    for key in sorted(versions, key=rank):
        row = {"name": reference_name(tr, key), "value": str(versions[key])}
        if row not in rows:
            rows.append(row)
    return rows


__all__ = ["MATRIX_PREFIX", "REFERENCE_NAMES", "WITH_FILE", "reference_name", "reference_rows"]
