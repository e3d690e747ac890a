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
