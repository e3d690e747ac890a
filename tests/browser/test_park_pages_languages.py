"""The park pages in the languages of the parks' managers and members (a real browser, on a
360 px phone): the Ethiopian park in Amharic (Ethiopic script), the Kenyan park in Swahili, the
Vietnamese park in Chinese (a member factory's owner). The page's own words come from the
page catalogue, the framework's requirement titles and the plan's measures from the park
report's catalogue (the words of the PDF): both must be in the reader's language."""

from __future__ import annotations

import re

import pytest

from factory_journey.reports.i18n import park_translator
from factory_journey.services.languages import page_translator
from factory_journey.web.pages.catalogues import LOCALES

ETHIOPIC = re.compile(r"[\u1200-\u139f\u2d80-\u2ddf]")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("lang", "park", "script"),
    [
        ("am", "Demo Rift Valley Textile Park", ETHIOPIC),
        ("sw", "Demo Athi River Apparel Park", None),
        ("zh", "Demo Mekong Eco-Textile Park", HAN),
        ("vi", "Demo Mekong Eco-Textile Park", None),
    ],
    ids=["am", "sw", "zh", "vi"],
)
def test_the_park_manager_reads_a_park_in_its_language(  # type: ignore[no-untyped-def]
    live_server, page_as, snap, assert_accessible, lang, park, script
):
    page = page_as("park.manager", phone=True)
    page.context.add_cookies([{"name": "journey_lang", "value": lang, "url": live_server.url}])
    page.goto("/parks")
    assert page.evaluate("document.documentElement.lang") in (lang, "zh-Hans")
    with page.expect_navigation():
        page.get_by_role("link", name=park).click()
    page.wait_for_load_state("load")
    t = page_translator(LOCALES, ("park", "shell"), lang, strict=True)
    pt = park_translator(lang, strict=True)
    heading = t("Collective improvement plan")
    assert heading != "Collective improvement plan"
    assert page.get_by_role("heading", name=heading).is_visible()
    main = page.locator("main").inner_text()
    # the framework's words, as the park report prints them
    for title in ("Park management entity", "Grievance mechanism"):
        assert pt(title) in main, f"[{lang}] {pt(title)!r} not on the page"
        assert title not in main
    if script is not None:
        assert len(script.findall(main)) > 500
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, f"park-{lang}")
    assert_accessible(page)
