"""Every message a page area uses is translated in its catalogue for every language.

An area's messages are found in its module and templates (web/pages/catalogues.py); a new
message fails here until `python tools/update_page_catalogues.py <area>` has added it and it
is translated in every page language (vi, zh_Hans, bn, km, tr, am, sw).
"""

from __future__ import annotations

import re
import string

import pytest
from babel.messages.pofile import read_po

from factory_journey.reports.i18n import LOCALES_DIR as REPORT_LOCALES
from factory_journey.services.languages import LANGUAGES, page_catalogue_path
from factory_journey.web.pages.areas import AREAS, navigation
from factory_journey.web.pages.catalogues import LOCALES, area_messages, areas_with_messages
from factory_journey.web.pages.shell import TEMPLATES

TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("area", areas_with_messages())
@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(area: str, lang: str) -> None:
    path = page_catalogue_path(LOCALES, area, lang)
    assert path.is_file(), f"no catalogue {path}: run python tools/update_page_catalogues.py"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    assert not catalog.fuzzy, f"{path}: the header is marked fuzzy"
    assert "DRAFT" in path.read_text(encoding="utf-8").split("msgid")[0]
    translations = {m.id: m.string for m in catalog if m.id and not m.fuzzy}
    # `{name}` placeholders, never %-formats: a "python-format" flag in the file (Babel's
    # guess for "50 % of") makes `msgfmt -c` refuse the translation
    assert "#, python-format" not in path.read_text(encoding="utf-8"), path
    used = area_messages(area)
    missing = sorted(m for m in used if not translations.get(m))
    assert not missing, (
        f"{path.name} [{lang}] lacks {len(missing)} message(s), e.g. {missing[:3]}; run "
        f"python tools/update_page_catalogues.py {area} and translate them"
    )
    for message in used:
        assert _fields(translations[message]) == _fields(message), (lang, message)


def test_the_finder_sees_messages_of_templates_and_modules() -> None:
    """The extraction itself: a template message and a module message of the shell."""
    shell = area_messages("shell")
    assert "Skip to main content" in shell  # base.html.j2
    assert "Page not found" in shell  # errors.py, N_()
    assert "Sign in" in area_messages("account")  # templates/account/sign_in.html.j2


def test_navigation_labels_are_in_their_area() -> None:
    for item in navigation():
        assert item.label in area_messages(item.area), item


def test_every_registered_area_has_catalogues() -> None:
    assert set(AREAS) <= set(areas_with_messages())


def test_templates_have_no_inline_script_or_style() -> None:
    """The Content-Security-Policy refuses inline scripts, styles and event handlers."""
    for template in TEMPLATES.rglob("*.j2"):
        text = template.read_text(encoding="utf-8")
        assert "<script>" not in text and "style=" not in text and "<style" not in text, (
            f"{template}: no inline script or style (the Content-Security-Policy refuses them)"
        )
        assert not re.search(r"\son[a-z]+=", text), f"{template}: no inline event handler"


#: The report catalogues, read beside the page areas: a park officer reads the park page and
#: the park report, a programme officer the pages and the PDF, so they say a thing one way.
REPORT_AREAS = {"report": "reports.po", "park report": "park.po"}


def _translations(lang: str) -> dict[str, dict[str, str]]:
    """area → msgid → msgstr of every page catalogue and of the report catalogues
    (`REPORT_AREAS`) in `lang` (a key of LANGUAGES)."""
    paths = {area: page_catalogue_path(LOCALES, area, lang) for area in areas_with_messages()}
    folder = REPORT_LOCALES / LANGUAGES[lang][0] / "LC_MESSAGES"
    paths |= {area: folder / name for area, name in REPORT_AREAS.items()}
    out = {}
    for area, path in paths.items():
        with path.open("rb") as handle:
            out[area] = {m.id: m.string for m in read_po(handle) if m.id and m.string}
    return out


#: Messages that mean one thing wherever they are used, so a language says them one way in
#: every area: a review found the menu's "Facilities" said as a count ("N facilities") while
#: the programme page said the plain noun. A text that means something else gets its own
#: message (the history table's column is "Kind of change", not the button's "Change").
ONE_MEANING = ("Change", "Facilities", "Facility ID", "Disputed", "disputed", "Verified",
               "Verifier", "Leading, verified", "self-reported (default), verified or disputed.",
               "Metered share")
#: Of those, the ones checked on the pages only: in the reports "Facilities" heads a count
#: ("Số cơ sở", number of facilities: another meaning), and "Facility ID" follows the
#: reports' word for a facility (工厂, কারখানা), which differs from the pages' throughout.
PAGES_ONLY = {"Facilities", "Facility ID"}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_message_of_one_meaning_is_said_one_way_in_every_area(lang: str) -> None:
    said: dict[str, dict[str, str]] = {}
    for area, messages in _translations(lang).items():
        for message in ONE_MEANING:
            if message in messages and not (area in REPORT_AREAS and message in PAGES_ONLY):
                said.setdefault(message, {})[area] = messages[message]
    assert said.get("Facilities", {}).keys() >= {"facility", "programme"}  # the menu, a legend
    differing = {m: areas for m, areas in said.items() if len(set(areas.values())) > 1}
    assert not differing, f"[{lang}] one message, several translations: {differing}"


#: One English message, two meanings, each said one way in the areas that mean it (a review
#: found the programme's problem table saying "Accepted" — the values a column accepts — as a
#: request's status "accepted", and Vietnamese proposals the other way round):
#: message → the groups of areas of one meaning.
TWO_MEANINGS = {
    # a request's or a proposal's status | the column of the values a file may hold
    "Accepted": (("portfolio", "requests", "proposals"), ("facility", "shell", "programme")),
    # to share data (the button, the request's choice) | a member's part of a shared cost
    "Share": (("facility", "requests"), ("park", "park report")),
}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_message_of_two_meanings_is_said_one_way_per_meaning(lang: str) -> None:
    translations = _translations(lang)
    for message, groups in TWO_MEANINGS.items():
        for areas in groups:
            said = {area: translations[area][message] for area in areas}
            assert len(set(said.values())) == 1, f"[{lang}] {message!r}: {said}"


#: One word for one thing in a language (a review found Vietnamese saying the button "Change"
#: both "Đổi" and "Thay đổi", and the verification status "disputed" both "bị phản đối" and
#: "có tranh chấp"): every message whose English matches says it with the language's term,
#: unless it quotes the file's own value ('disputed', a literal of the dataset format). An
#: English pattern anchored at the start ("Change …", a button) wants the term first.
TERMS = [
    ("vi", r"\bdisputed?\b", "phản đối"),
    ("zh", r"\bdisputed?\b", "异议"),
    ("vi", r"^Change\b", "Đổi"),
    ("zh", r"^Change\b", "更改"),
    # the verification status "verified" (a review found "Đã thẩm định" on the public page and
    # 已核实 / 已验证 / 已核验 in Chinese): the verification pages' word, in every area and
    # report; in Vietnamese the verifier and verification too ("verify them with an audit"
    # is another meaning, left out); in Chinese the verifier and the verification are 核查
    ("vi", r"\bverif(ied|iers?|ication)\b", "xác minh"),
    ("zh", r"\bverified\b", "核实"),
    ("zh", r"\bverif(iers?|ication)\b", "核查"),
    ("bn", r"\bverified\b", "যাচাই"),
    ("km", r"\bverified\b", "ផ្ទៀងផ្ទាត់"),
    ("tr", r"\bverified\b", "doğrula"),
    ("sw", r"\bverified\b", "thibitish"),
    # (Amharic bends the stem, ተረጋገጠ / ያረጋግጠው: its "Verified" is in ONE_MEANING instead)
]
#: The dataset format's own values, which a translation quotes as they are ("'verified' hoặc
#: 'disputed'"): such a message says the literal, not the term.
LITERAL = re.compile(r"\b(verified|disputed)\b")


@pytest.mark.parametrize(("lang", "english", "term"), TERMS)
def test_a_term_is_said_with_one_word(lang: str, english: str, term: str) -> None:
    pattern = re.compile(english, re.IGNORECASE)
    seen, other = 0, []
    for area, messages in _translations(lang).items():
        for message, text in messages.items():
            if pattern.search(message) and not LITERAL.search(text):
                seen += 1
                said = (text.startswith(term) if english.startswith("^")
                        else term.lower() in text.lower())
                if not said:
                    other.append((area, message, text))
    assert seen >= 2, f"[{lang}] no message says {english!r}: the test would check nothing"
    assert not other, f"[{lang}] {english!r} not said {term!r}: {other}"
