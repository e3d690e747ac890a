"""The search box of /facilities: a part of a facility's name or id (any case, accents
ignored) and a country narrow the organisation's own list; the pages of a search keep it; what
is typed is text (never SQL), an over-long search is cut and said so, and nothing matching
says so with a way back to every facility."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from factory_journey.domain.name_folding import fold
from factory_journey.services.platform import accounts
from factory_journey.services.platform.facility_search import MAX_QUERY, facility_query, matches
from factory_journey.store.database import transaction
from factory_journey.store.models import Facility
from factory_journey.web.pages.shell import PAGE_COOKIE

from .conftest import make_platform

#: Factory A's facilities besides F1: 22 in Hà Nội (two pages of a search), 3 in Dhaka, one
#: with Turkish letters.
HANOI = [(f"HN{i:02d}", f"Hà Nội Garment {i:02d}", "VN") for i in range(1, 23)]
DHAKA = [(f"DK{i}", f"Dhaka Knit {i}", "BD") for i in range(1, 4)]
TURKISH = [("TR1", "Café Ürün Tekstil", "TR")]


@pytest.fixture(scope="module")
def platform(tmp_path_factory):  # type: ignore[no-untyped-def]
    platform = make_platform(tmp_path_factory)
    with transaction(platform.factory) as session:
        owner = accounts.actor_for_email(session, "owner_admin@test.example")
        for facility_id, name, country in HANOI + DHAKA + TURKISH:
            session.add(Facility(id=facility_id, name=name, country_iso2=country,
                                 owner_organisation_id=owner.organisation_id))
    return platform


def _get(platform, path: str, actor: str = "owner_viewer", **params: str):  # type: ignore[no-untyped-def]
    client = platform.client
    client.cookies.clear()
    client.cookies.set(PAGE_COOKIE, platform.tokens[actor])
    page = client.get(path, params=params)
    assert page.status_code == 200, page.text
    return html.unescape(page.text)


def _listed(text: str) -> list[str]:
    """The facility ids the page lists (the heading link of each card)."""
    return re.findall(r'<h2 id="facility-\d+"><a href="/facilities/([^"/]+)">', text)


def _pager(text: str) -> dict[str, dict[str, list[str]]]:
    """The pager's links by their words: their query parameters."""
    nav = text.split('class="pager"', 1)[1].split("</nav>", 1)[0]
    return {words: parse_qs(urlsplit(href).query)
            for href, words in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)}


def test_the_list_has_a_search_box_that_works_without_script(platform) -> None:  # type: ignore[no-untyped-def]
    text = _get(platform, "/facilities")
    assert '<form method="get" action="/facilities"' in text
    form = text.split('role="search"', 1)[1].split("</form>", 1)[0]
    assert 'name="q"' in form and 'type="search"' in form and f'maxlength="{MAX_QUERY}"' in form
    assert 'name="country"' in form and '<option value="BD">Bangladesh</option>' in form
    assert 'value="VN"' in form and 'value="TR"' in form
    assert "27 facilities." in text and len(_listed(text)) == 20  # one page of all


def test_a_part_of_a_name_finds_it_in_any_case_and_without_accents(platform) -> None:  # type: ignore[no-untyped-def]
    text = _get(platform, "/facilities", q="ha noi garment 0")
    assert "9 of 27 facilities match your search" in text
    assert _listed(text) == [f"HN0{i}" for i in range(1, 10)]
    assert 'value="ha noi garment 0"' in text  # the box keeps what was searched
    assert _listed(_get(platform, "/facilities", q="CAFÉ ürün")) == ["TR1"]
    assert _listed(_get(platform, "/facilities", q="cafe urun")) == ["TR1"]
    assert _listed(_get(platform, "/facilities", q="  knit   2 ")) == ["DK2"]


def test_a_part_of_an_id_finds_it(platform) -> None:  # type: ignore[no-untyped-def]
    assert _listed(_get(platform, "/facilities", q="dk3")) == ["DK3"]
    assert _listed(_get(platform, "/facilities", q="f1")) == ["F1"]


def test_nothing_found_is_said_with_a_way_back_to_all(platform) -> None:  # type: ignore[no-untyped-def]
    text = _get(platform, "/facilities", q="Chittagong")
    assert _listed(text) == []
    assert "No facility matches “Chittagong”." in text
    assert '<a class="button button-secondary" href="/facilities">Show all facilities</a>' in text
    assert "No facility yet" not in text
    # another organisation's facilities are not found
    other = _get(platform, "/facilities", actor="other_factory_admin", q="garment")
    assert "Hà Nội" not in other and _listed(other) == []


def test_the_pages_of_a_search_keep_it(platform) -> None:  # type: ignore[no-untyped-def]
    first = _get(platform, "/facilities", q="garment")
    assert "22 of 27 facilities match your search" in first
    assert len(_listed(first)) == 20 and "Page 1 of 2" in first
    assert _pager(first)["Next"] == {"q": ["garment"], "page": ["2"]}
    second = _get(platform, "/facilities", q="garment", page="2")
    assert _listed(second) == ["HN21", "HN22"] and "Page 2 of 2" in second
    assert _pager(second)["Previous"] == {"q": ["garment"], "page": ["1"]}
    # a search with a country keeps both; words with spaces and accents survive the link
    paged = _get(platform, "/facilities", q="Hà Nội", country="VN")
    assert _pager(paged)["Next"] == {"q": ["Hà Nội"], "country": ["VN"], "page": ["2"]}
    # without a search the links are the plain pages
    assert _pager(_get(platform, "/facilities"))["Next"] == {"page": ["2"]}


def test_a_country_narrows_the_list(platform) -> None:  # type: ignore[no-untyped-def]
    assert _listed(_get(platform, "/facilities", country="bd")) == ["DK1", "DK2", "DK3"]
    assert _listed(_get(platform, "/facilities", country="BD", q="knit 1")) == ["DK1"]
    none = _get(platform, "/facilities", country="BD", q="garment")
    assert _listed(none) == [] and "No facility in Bangladesh matches “garment”." in none
    # a country that is not two letters is no filter
    assert "27 facilities." in _get(platform, "/facilities", country="B' OR '1'='1")


@pytest.mark.parametrize("typed", ["%' OR 1=1 --", "%", "_", "' OR ''='", "\\", "*"])
def test_what_is_typed_is_text_never_sql(platform, typed: str) -> None:  # type: ignore[no-untyped-def]
    text = _get(platform, "/facilities", q=typed)
    assert _listed(text) == []  # no facility name or id holds these characters
    assert f"No facility matches “{typed.strip()}”." in text


def test_a_search_that_is_too_long_is_cut_and_said_so(platform) -> None:  # type: ignore[no-untyped-def]
    text = _get(platform, "/facilities", q="Dhaka Knit 1" + "x" * 5000)
    assert f"only its first {MAX_QUERY} characters were used" in text
    box = re.search(r'<input id="field-q" name="q" type="search" value="([^"]*)"', text)
    assert box and len(box.group(1)) == MAX_QUERY
    assert _listed(text) == []  # the cut words still hold the x's
    assert f"only its first {MAX_QUERY}" not in _get(platform, "/facilities", q="x" * MAX_QUERY)


def test_a_search_in_another_language_reads_in_it(platform) -> None:  # type: ignore[no-untyped-def]
    client = platform.client
    client.cookies.clear()
    client.cookies.set(PAGE_COOKIE, platform.tokens["owner_viewer"])
    page = html.unescape(client.get("/facilities", params={"q": "zzz"},
                                    headers={"accept-language": "vi"}).text)
    assert "Không có cơ sở nào khớp với “zzz”." in page and "Xem tất cả cơ sở" in page


def test_the_search_rules() -> None:
    assert fold("  Hà   NỘI Đồng ") == "ha noi dong"
    assert fold("İstanbul Işık") == fold("istanbul isik")
    assert fold("ঢাকা নিট") == "ঢাকা নিট"  # Bengali vowel signs are letters, kept
    query = facility_query("x" * (MAX_QUERY + 1), "vn")
    assert query.cut and len(query.text) == MAX_QUERY and query.country == "VN"
    assert facility_query("a\x00b\tc", "Viet Nam") == facility_query("a b c")
    assert not facility_query(" ", "").active
    assert matches(facility_query("dong"), "VN-7", "Đồng Nai Dyeing", "VN")
    assert not matches(facility_query("dong", "BD"), "VN-7", "Đồng Nai Dyeing", "VN")
    assert matches(facility_query("", "vn"), "VN-7", "Đồng Nai Dyeing", "vn")
