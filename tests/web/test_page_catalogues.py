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


def _translations(lang: str) -> dict[str, dict[str, str]]:
    """area → msgid → msgstr of every page catalogue in `lang` (a key of LANGUAGES)."""
    out = {}
    for area in areas_with_messages():
        with page_catalogue_path(LOCALES, area, lang).open("rb") as handle:
            out[area] = {m.id: m.string for m in read_po(handle) if m.id and m.string}
    return out


#: Messages that mean one thing wherever they are used, so a language says them one way in
#: every area: a review found the menu's "Facilities" said as a count ("N facilities") while
#: the programme page said the plain noun. A text that means something else gets its own
#: message (the history table's column is "Kind of change", not the button's "Change").
ONE_MEANING = ("Change", "Facilities", "Facility ID", "Disputed", "disputed")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_message_of_one_meaning_is_said_one_way_in_every_area(lang: str) -> None:
    said: dict[str, dict[str, str]] = {}
    for area, messages in _translations(lang).items():
        for message in ONE_MEANING:
            if message in messages:
                said.setdefault(message, {})[area] = messages[message]
    assert said.get("Facilities", {}).keys() >= {"facility", "programme"}  # the menu, a legend
    differing = {m: areas for m, areas in said.items() if len(set(areas.values())) > 1}
    assert not differing, f"[{lang}] one message, several translations: {differing}"


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
]


@pytest.mark.parametrize(("lang", "english", "term"), TERMS)
def test_a_term_is_said_with_one_word(lang: str, english: str, term: str) -> None:
    pattern = re.compile(english, re.IGNORECASE)
    seen, other = 0, []
    for area, messages in _translations(lang).items():
        for message, text in messages.items():
            if pattern.search(message) and "'disputed'" not in text:
                seen += 1
                said = (text.startswith(term) if english.startswith("^")
                        else term.lower() in text.lower())
                if not said:
                    other.append((area, message, text))
    assert seen >= 2, f"[{lang}] no message says {english!r}: the test would check nothing"
    assert not other, f"[{lang}] {english!r} not said {term!r}: {other}"
