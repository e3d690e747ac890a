"""Which messages each page area uses, for its catalogues (tools/update_page_catalogues.py
writes them; tests/web/test_page_catalogues.py checks every language has every message).

An area's messages are the literal first arguments of `t(...)` and `N_(...)` in its module
(`<area>.py` or the package `<area>/`) and in its templates (`templates/<area>/`); the shell's
are those of the other modules here (shell.py, errors.py, areas.py …) and of `base.html.j2`
and `templates/shell/`. An area that shows words from data (the indicator catalogue's labels on
the public pages) adds them through `DATA_MESSAGES`, so its catalogues keep in step with the
data: a label added or changed there is untranslated until the catalogues are updated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from babel.messages.extract import extract_from_file

from factory_journey.services.dataset_guidance import guidance_messages
from factory_journey.services.dataset_template import template_word_messages
from factory_journey.services.open_data.labels import label_messages
from factory_journey.services.problem_templates import catalogue_messages
from factory_journey.services.proposals.forms import name_messages
from factory_journey.web.pages.shell import LOCALES, SHELL_AREA, TEMPLATES

HERE = Path(__file__).parent
KEYWORDS = {"t": None, "N_": None}
_NOT_AREAS = {"__init__", "shell", "errors", "areas", "catalogues", "form_tokens"}
#: Area → the messages its pages show from data: message → the file that defines it, relative
#: to the package (`reference/data/indicators.yaml`).
def _facility_messages() -> dict[str, str]:
    """The data guidance's words and the downloadable templates' own words."""
    return {**guidance_messages(), **template_word_messages()}


DATA_MESSAGES: dict[str, Callable[[], dict[str, str]]] = {
    "public": label_messages, "proposals": name_messages, "facility": _facility_messages,
    # every page may show an upload's problems (the factory's uploads, a programme's cohort)
    SHELL_AREA: catalogue_messages,
}
#: How a data file is named in `area_messages`' places (they are relative to this folder).
DATA_PREFIX = "../../"


def areas_with_messages() -> list[str]:
    """The shell and every area that has a module here."""
    names = {path.stem for path in HERE.glob("*.py")} | {
        path.name for path in HERE.iterdir() if (path / "__init__.py").is_file()
    }
    return [SHELL_AREA, *sorted(names - _NOT_AREAS)]


def _sources(area: str) -> Iterator[tuple[str, Path]]:
    """(extraction method, file) of an area's modules and templates."""
    if area == SHELL_AREA:
        for path in sorted(HERE.glob("*.py")):
            if path.stem in _NOT_AREAS - {"__init__"}:
                yield "python", path
        yield "jinja2", TEMPLATES / "base.html.j2"
        templates = TEMPLATES / SHELL_AREA
    else:
        module = HERE / f"{area}.py"
        package = HERE / area
        if module.is_file():
            yield "python", module
        if package.is_dir():
            for path in sorted(package.rglob("*.py")):
                yield "python", path
        templates = TEMPLATES / area
    if templates.is_dir():
        for path in sorted(templates.rglob("*.j2")):
            yield "jinja2", path


def area_messages(area: str) -> dict[str, list[tuple[str, int]]]:
    """message → where it is used ((file relative to web/pages, line), …) for `area`."""
    found: dict[str, list[tuple[str, int]]] = {}
    for method, path in _sources(area):
        extractor = "jinja2.ext:babel_extract" if method == "jinja2" else "python"
        options = {"trim_blocks": "true", "lstrip_blocks": "true"} if method == "jinja2" else {}
        for line, message, _comments, _context in extract_from_file(
            extractor, str(path), keywords=KEYWORDS, options=options
        ):
            if isinstance(message, str) and message:
                found.setdefault(message, []).append((str(path.relative_to(HERE)), line))
    data = DATA_MESSAGES.get(area)
    for message, where in (data() if data else {}).items():
        found.setdefault(message, []).append((DATA_PREFIX + where, 0))
    return found


__all__ = ["DATA_PREFIX", "LOCALES", "area_messages", "areas_with_messages"]
