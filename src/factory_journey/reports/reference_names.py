"""The rows of a report's methodology table (which reference data, in which version), with each
reference named in the report's language.

An assessment records the version of every reference it used (`ReportData.versions`: name →
version and source). The names are the engine's keys: `methodology`, `prices`, a packaged file
such as `gwp.csv`, and those the Data Matrix was built with under `matrix:`. A reader needs
what each one is, so the table says it in words; a file keeps its name beside the words (it is
what one looks up). The versions and sources stay as recorded: file names, releases, sources.
"""

from __future__ import annotations

from collections.abc import Mapping

from factory_journey.reports.i18n import Translator
from factory_journey.reports.labels import N_

#: The prefix of the versions the Data Matrix was built with (engine.assessment).
MATRIX_PREFIX = "matrix:"
#: Reference key → what it is, in the order the table lists them (the methodology first).
REFERENCE_NAMES: dict[str, str] = {
    "methodology": N_("Methodology"),
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


def reference_name(tr: Translator, key: str) -> str:
    """What the reference `key` is, in `tr`'s language; a file keeps its name beside the words
    ("Global warming potentials (gwp.csv)"). A key not known here is shown as recorded."""
    bare = key.removeprefix(MATRIX_PREFIX)
    if bare not in REFERENCE_NAMES:
        return key
    name = tr(REFERENCE_NAMES[bare])
    return tr("{name} ({file})", name=name, file=bare) if "." in bare else name


def reference_rows(tr: Translator, versions: Mapping[str, str]) -> list[dict[str, str]]:
    """The methodology table's rows, {"name", "value"}: the known references in the order of
    REFERENCE_NAMES, then any other by its key; each value as recorded."""
    def rank(key: str) -> tuple[int, str]:
        return _ORDER.get(key.removeprefix(MATRIX_PREFIX), len(_ORDER)), key

    return [{"name": reference_name(tr, key), "value": str(versions[key])}
            for key in sorted(versions, key=rank)]


__all__ = ["MATRIX_PREFIX", "REFERENCE_NAMES", "reference_name", "reference_rows"]
