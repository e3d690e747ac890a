"""The plain names the public open-data pages show for each published value's indicator.

A published value names its indicator by a machine id (`energy_intensity_mj_per_unit`,
`cetp-1.wastewater_m3`, `env_ghg_target`), which the JSON API keeps; a reader of the pages
gets a short name in their language beside it (decision 0048). The names are data, not code:

- a facility's indicators (`engine.open_data.PUBLISHABLE_GROUPS`): the `label` of the
  indicator catalogue (reference/data/indicators.yaml);
- a park's indicators and its shared facilities' figures (`<shared facility>.<column>`): the
  park report's words for them (reports.park_reasons.INDICATORS, reports.park_labels.TOTALS),
  else the catalogue's label of the same column, else `PARK_ONLY` below (the few park figures
  no report names);
- a park's requirement results and pillar scores: the titles of the packaged park frameworks.

The first two are messages of the public pages' catalogues (`label_messages` lists them for
tools/update_page_catalogues.py, and tests/web/test_page_catalogues.py fails until each is
translated); framework titles are translated by the park report's catalogue (every page
language), as on the signed-in park pages; a language without it would show them in English.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from factory_journey.engine.catalogue import indicators
from factory_journey.engine.open_data import PUBLISHABLE_GROUPS
from factory_journey.reports.i18n import PARK_LANGUAGES, park_translator
from factory_journey.reports.park_labels import TOTALS
from factory_journey.reports.park_reasons import INDICATORS
from factory_journey.services.park_report import (
    packaged_framework_texts,
    packaged_requirement_titles,
)

#: Where the labels are written, relative to the package (for the catalogues' locations).
CATALOGUE_FILE = "reference/data/indicators.yaml"
THIS_FILE = "services/open_data/labels.py"
#: Park figures that neither the park report nor the catalogue names (the report does not show
#: them): indicator of park_indicators, or column of a shared facility → English label.
PARK_ONLY: dict[str, str] = {
    "members": "Member factories",
    "members_assessed": "Number of members assessed",
    "employees": "Workers",
    "production_volume_pcs": "Pieces produced",
    "production_volume_kg": "Production by weight",
    "has_central_effluent_plant": "Has a central effluent treatment plant",
    "water_recycled_reused_m3": "Volume of water recycled or reused",
    "waste_diverted_kg": "Amount of waste diverted from disposal",
    "waste_kg_per_employee": "Waste per employee",
    "members_high_share_wastewater": "Members with a high wastewater opportunity",
    "members_high_share_waste": "Members with a high waste opportunity",
    "members_high_share_air": "Members with a high air emissions opportunity",
    "members_high_share_ems": "Members with a high environmental management opportunity",
    "type": "Type of shared facility",
}


@cache
def catalogue_labels() -> dict[str, str]:
    """Indicator name → its catalogue label, for every indicator of a publishable group
    (an empty label where the catalogue lacks one: the tests fail on it)."""
    return {i.name: i.label for i in indicators() if i.area in PUBLISHABLE_GROUPS}


@cache
def park_labels() -> dict[str, str]:
    """Park indicator → the park report's words for it (park_reasons first, then the totals
    table's)."""
    return {**{name: label for name, label, _unit in TOTALS}, **INDICATORS}


def page_label(group: str, indicator: str) -> str:
    """The English label (a message of the public catalogue) of `indicator` in `group`;
    empty when the indicator has none there."""
    if group in PUBLISHABLE_GROUPS:
        return catalogue_labels().get(indicator, "")
    if group == "shared_facilities":
        indicator = indicator.rpartition(".")[2]
    elif group != "park_indicators":
        return ""
    return (park_labels().get(indicator) or catalogue_labels().get(indicator)
            or PARK_ONLY.get(indicator, ""))


def framework_title(group: str, indicator: str) -> str:
    """The packaged park frameworks' English title of a requirement or pillar; empty for an
    indicator of another group or of a framework the platform does not ship."""
    if group == "requirement_results":
        return packaged_requirement_titles().get(indicator, "")
    if group == "pillar_scores":
        return packaged_framework_texts()["pillar_titles"].get(indicator, "")
    return ""


def value_label(group: str, indicator: str, lang: str, translate: Callable[[str], str]) -> str:
    """The name to show for `indicator` of `group` in `lang`: a catalogue or park label through
    `translate` (the page's public catalogue), a framework title through the park report's
    catalogue, or empty (the page then shows the id alone)."""
    message = page_label(group, indicator)
    if message:
        return translate(message)
    title = framework_title(group, indicator)
    if title:
        return park_translator(lang if lang in PARK_LANGUAGES else "en")(title)
    return ""


def label_messages() -> dict[str, str]:
    """Every label the public pages translate with their own catalogue → the file (relative to
    the package) that defines it; for the catalogue updater and its test."""
    out = {label: CATALOGUE_FILE for label in catalogue_labels().values() if label}
    for label in INDICATORS.values():
        out.setdefault(label, "reports/park_reasons.py")
    for _name, label, _unit in TOTALS:
        out.setdefault(label, "reports/park_labels.py")
    for label in PARK_ONLY.values():
        out.setdefault(label, THIS_FILE)
    return out
