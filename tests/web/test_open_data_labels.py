"""The public open-data pages name each indicator in the reader's language (decision 0048).

Every label the pages show from data (the indicator catalogue's, the park report's words) is a
message of the public catalogues, translated in every web language; the page shows, for each
published value, that name with the id the JSON uses under it, in English and in Vietnamese.
"""

from __future__ import annotations

import html
import re

import pytest
from babel.messages.pofile import read_po

from factory_journey.engine.catalogue import indicators
from factory_journey.engine.open_data import PUBLISHABLE_GROUPS
from factory_journey.engine.park_open_data import SHARED_COLUMNS
from factory_journey.engine.parks import indicators as park_indicators
from factory_journey.engine.parks import standing
from factory_journey.reference import load_yaml
from factory_journey.reports.i18n import park_translator
from factory_journey.services.languages import LANGUAGES, page_catalogue_path
from factory_journey.services.open_data import labels
from factory_journey.services.open_data.refresh import refresh
from factory_journey.store.database import transaction
from factory_journey.web.pages.catalogues import LOCALES, area_messages

from .conftest import make_platform

TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
FACILITY = "F1"  # conftest.make_platform's facility
ROW = re.compile(
    r'<tr><td>[^<]*</td><td>(?:<span class="indicator-name">([^<]*)</span> )?'
    r'<code class="indicator-id">([^<]*)</code></td>'
)


def _translations(lang: str) -> dict[str, str]:
    with page_catalogue_path(LOCALES, "public", lang).open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and not m.fuzzy and m.string}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_label_is_translated_in_every_web_language(lang: str) -> None:
    translations = _translations(lang)
    wanted = labels.label_messages()
    assert {i.label for i in indicators() if i.area in PUBLISHABLE_GROUPS} <= set(wanted)
    missing = sorted(m for m in wanted if not translations.get(m))
    assert not missing, f"public.po [{lang}] lacks {missing[:5]}: run update_page_catalogues.py"


def test_the_public_catalogues_take_the_labels_from_the_data() -> None:
    """A label added or changed in indicators.yaml is a message of the public area, so the
    catalogue check (test_page_catalogues, update_page_catalogues.py --check) fails until it
    is translated; and it is said where it comes from."""
    used = area_messages("public")
    for message, where in labels.label_messages().items():
        assert message in used, message
        assert any(place.endswith(where) for place, _line in used[message]), message
    assert "Share of water recycled or reused" in labels.label_messages()


def test_each_group_gets_the_name_its_data_give() -> None:
    catalogue = {i.name: i.label for i in indicators()}
    english = labels.page_label
    assert english("water", "water_recycled_reused_share") == catalogue[
        "water_recycled_reused_share"]
    assert english("energy", "energy_intensity_mj_per_unit") == catalogue[
        "energy_intensity_mj_per_unit"]
    # A park's indicators: the park report's words, else the catalogue's for the same column.
    assert english("park_indicators", "members_assessed_share") == "Members assessed"
    assert english("park_indicators", "energy_total_mj") == "Total energy"
    assert english("park_indicators", "waste_hazardous_kg") == catalogue["waste_hazardous_kg"]
    assert english("shared_facilities", "cetp-1.wastewater_m3") == "Wastewater"
    assert english("shared_facilities", "cetp-1.zdhc_parameters_failing_foundational") == (
        catalogue["zdhc_parameters_failing_foundational"])
    assert english("park_indicators", "no_such_indicator") == ""
    assert english("requirement_results", "energy_total_mj") == ""
    # Requirements and pillars: the packaged framework's titles, in the park catalogue's words.
    framework = load_yaml("park_frameworks/ifeip2-2026.1.yaml")
    pillar = framework["pillars"][0]
    requirement = pillar["requirements"][0]
    same = str
    assert labels.value_label("requirement_results", requirement["id"], "en", same) == (
        requirement["title"])
    assert labels.value_label("pillar_scores", pillar["key"], "en", same) == pillar["title"]
    vietnamese = labels.value_label("requirement_results", requirement["id"], "vi", same)
    assert vietnamese == park_translator("vi")(requirement["title"]) != requirement["title"]
    khmer = labels.value_label("pillar_scores", pillar["key"], "km", same)
    assert khmer == park_translator("km")(pillar["title"]) != pillar["title"]
    # A language the park catalogue lacks keeps the framework's English title.
    assert labels.value_label("pillar_scores", pillar["key"], "fr", same) == pillar["title"]
    assert labels.value_label("pillar_scores", "no_such_pillar", "en", same) == ""


def test_every_park_figure_the_engine_makes_has_a_name() -> None:
    """Each park indicator the park engine can write (its totals, ratios, standing and
    members' shares) and each shared-facility figure a park may publish."""
    names = {*park_indicators.TOTALS, *park_indicators.RATIOS, *standing.STANDING_UNITS,
             "members_assessed_share", "members_zdhc_tested_share", "members_zdhc_green_share",
             *(f"members_high_share_{area}" for area in standing.AREAS)}
    unnamed = sorted(n for n in names if not labels.page_label("park_indicators", n))
    assert not unnamed, unnamed
    for column in ("type", *(column for column, _unit in SHARED_COLUMNS)):
        assert labels.page_label("shared_facilities", f"cetp.1.{column}"), column


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """F1 of the web tests' platform (conftest.make_platform), every group published, and its
    client signed out."""
    platform = make_platform(tmp_path_factory)
    answer = platform.client.put(f"/api/facilities/{FACILITY}/publication",
                                 json={"groups": list(PUBLISHABLE_GROUPS)},
                                 headers=platform.headers("owner_admin"))
    assert answer.status_code == 200, answer.text
    with transaction(platform.factory) as session:
        refresh(session)
    platform.client.cookies.clear()  # a signed-out reader
    return platform.client


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_facility_page_names_every_value_in_the_readers_language(published, lang):
    client = published
    api = client.get(f"/api/public/facilities/{FACILITY}").json()
    ids = [value["indicator"] for year in api["years"] for value in year["values"]]
    assert len(ids) > 40 and {v["group"] for y in api["years"] for v in y["values"]} == set(
        PUBLISHABLE_GROUPS)
    client.cookies.set("journey_lang", lang)
    page = client.get(f"/open-data/facilities/{FACILITY}")
    assert page.status_code == 200
    rows = [(html.unescape(name or ""), code) for name, code in ROW.findall(page.text)]
    assert [code for _name, code in rows] == ids  # every value, in the JSON's order
    catalogue = {i.name: i.label for i in indicators()}
    words = _translations(lang) if lang != "en" else {}
    for name, code in rows:
        assert name == words.get(catalogue[code], catalogue[code]), (lang, code, name)
        assert name and name != code
    if lang == "vi":  # the names are Vietnamese, not the English labels
        assert sum(name != catalogue[code] for name, code in rows) == len(rows)
