"""A factory's sustainability manager reads the factory pages on a phone (390 × 844 px, the
size of a common phone): every word of the guidance table, the assessment's tables and the
facility cards is within the screen, without scrolling sideways inside a table; a link to one
column's guidance shows that column's explanation and accepted values; the page header leaves
most of the first screen to the page; and the assessment's chart draws Chinese with a font the
pages ship (a phone without a Chinese system font shows boxes otherwise)."""

from __future__ import annotations

from typing import Any

import pytest

PHONE_390 = {"width": 390, "height": 844}
#: The header (product, language, sign-out, navigation) may take at most this much of the
#: first screen [CSS px]; it took 226 px in Vietnamese before the phone layout.
HEADER_MAX_PX = 150

#: Text of `selector`'s tables (or blocks) that lies outside the viewport, or outside the
#: box of the table's scrolling wrapper, sideways: each text node's box (a Range), so a word
#: overflowing its cell counts even when the cell does not. A visually hidden caption or
#: header row (read by screen readers only) is left out.
_OUTSIDE = """(selector) => {
  const width = document.documentElement.clientWidth;
  const outside = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || node.parentElement.closest('caption, .visually-hidden')) {
        continue;
      }
      const wrap = node.parentElement.closest('.table-wrap');
      const frame = wrap ? wrap.getBoundingClientRect() : {left: 0, right: width};
      const left = Math.max(0, frame.left), right = Math.min(width, frame.right);
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const box of range.getClientRects()) {
        if (box.width > 0 && (box.left < left - 0.5 || box.right > right + 0.5)) {
          outside.push(`${node.textContent.trim().slice(0, 40)} [${Math.round(box.left)}, `
                       + `${Math.round(box.right)}]`);
          break;
        }
      }
    }
  }
  return outside;
}"""


def _phone(page_as, live_server, lang: str) -> Any:  # type: ignore[no-untyped-def]
    page = page_as("factory.admin", viewport=PHONE_390)
    page.context.add_cookies([{"name": "journey_lang", "value": lang, "url": live_server.url}])
    return page


def _first_facility(page) -> str:  # type: ignore[no-untyped-def]
    page.goto("/facilities")
    return page.locator("main h2 a").first.get_attribute("href").rsplit("/", 1)[1]


def _within_screen(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    assert page.locator(selector).count() > 0, f"nothing matches {selector}"
    outside = page.evaluate(_OUTSIDE, selector)
    assert not outside, f"{page.url}: {len(outside)} texts beyond the screen: {outside[:5]}"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def _table_roles(page) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """How many nodes of each table role the browser's accessibility tree has."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    roles = [n.get("role", {}).get("value") for n in nodes if not n.get("ignored")]
    return {role: roles.count(role)
            for role in ("table", "row", "columnheader", "rowheader", "cell")}


def _accessible_name(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    tree = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})
    return str(tree["nodes"][0]["name"]["value"])


def test_guidance_reads_on_a_phone(  # type: ignore[no-untyped-def]
    page_as, live_server, snap, assert_accessible
):
    page = _phone(page_as, live_server, "vi")
    page.goto("/facilities/guidance")
    _within_screen(page, "main table")
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= HEADER_MAX_PX, header
    snap(page, "guidance-vi")
    assert_accessible(page)
    # Laid out as cards, the tables are still tables to a screen reader: every cell under its
    # column's header, as on a desktop; the visible label of a cell is not read a second time.
    on_the_phone = _table_roles(page)
    assert on_the_phone["cell"] > 100 and on_the_phone["rowheader"] > 50, on_the_phone
    holds = "#energy-unit td:nth-of-type(2)"
    assert page.locator(holds).get_attribute("data-label")
    assert _accessible_name(page, holds) == page.locator(holds).inner_text().split("\n")[-1]
    page.set_viewport_size({"width": 1280, "height": 900})
    assert _table_roles(page) == on_the_phone
    _within_screen(page, "main table")  # and on a desktop, the long FEM names wrap
    snap(page, "guidance-vi-desktop")
    page.set_viewport_size(PHONE_390)

    # An upload problem links here: the column's explanation and accepted values are on the
    # first screen, with the labels of the column headers.
    page.goto("/facilities/guidance#energy-unit")
    page.evaluate("async () => { await document.fonts.ready; }")
    row = page.locator("#energy-unit")
    cells = row.locator("td")
    assert cells.count() == 3
    for index in (1, 2):  # what it holds, accepted
        box = cells.nth(index).bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_390["width"], box
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE_390["height"], box
        assert cells.nth(index).inner_text().strip()
    first_screen = snap(page, "guidance-anchor-vi").with_name("guidance-anchor-vi-screen.png")
    page.screenshot(path=str(first_screen))  # what the reader sees on arriving


@pytest.mark.parametrize("lang", ["vi", "zh"])
def test_assessment_and_facilities_read_on_a_phone(  # type: ignore[no-untyped-def]
    page_as, live_server, snap, assert_accessible, lang
):
    page = _phone(page_as, live_server, lang)
    facility = _first_facility(page)
    _within_screen(page, "main .card")
    snap(page, f"facilities-{lang}")
    assert_accessible(page)

    page.goto(f"/facilities/{facility}/assessment")
    assert page.locator("main table").count() >= 3  # measures, trajectory, indicators
    _within_screen(page, "main table")
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= HEADER_MAX_PX, header
    full = snap(page, f"assessment-{lang}")
    assert_accessible(page)
    # The notes under the optional pathway (why its steps have no figures; why a smaller
    # priority can come first) read on the phone, next to the steps they explain.
    notes = page.locator("main .pathway-note")
    assert notes.count() >= 1
    _within_screen(page, "main .pathway-note")
    notes.first.scroll_into_view_if_needed()
    box = notes.last.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE_390["height"], box
    step = page.locator("main h3[id^=opt-]").first
    assert step.count() == 1 and step.inner_text().strip()
    screen = full.with_name(f"assessment-pathway-{lang}.png")
    page.screenshot(path=str(screen))  # what the reader sees at the notes


def test_the_chinese_chart_uses_a_font_the_page_ships(  # type: ignore[no-untyped-def]
    page_as, live_server, snap
):
    page = _phone(page_as, live_server, "zh")
    page.goto(f"/facilities/{_first_facility(page)}/assessment")
    page.evaluate("async () => { await document.fonts.ready; }")
    found = page.evaluate(
        """() => {
          const shipped = new Set([...document.fonts].map(f => f.family.replace(/['"]/g, '')));
          const text = document.querySelector('.chart svg text');
          const families = getComputedStyle(text).fontFamily.split(',')
            .map(f => f.trim().replace(/['"]/g, ''));
          return {shipped: [...shipped], families, label: text.textContent};
        }"""
    )
    assert any("\u4e00" <= c <= "\u9fff" for c in found["label"]), found
    assert "Journey Chinese" in found["shipped"], found
    assert "Journey Chinese" in found["families"], found
    snap(page, "assessment-chart-zh")
