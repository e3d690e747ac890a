"""Extract the web pages' messages and update their .po catalogues, keeping translations.

    python tools/update_page_catalogues.py            # every area
    python tools/update_page_catalogues.py account    # one area (each area owns its files)
    python tools/update_page_catalogues.py --check    # exit 1 if a catalogue is out of date

Writes `src/factory_journey/web/pages/locales/<lang>/LC_MESSAGES/<area>.po` for vi, zh_Hans,
bn, km, tr, am and sw (English is the message itself). New messages arrive untranslated; then
tests/web/test_page_catalogues.py fails until every language has them: translate them (a
draft is fine: the header says so). Messages no longer used are dropped.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from factory_journey.services.languages import LANGUAGES  # noqa: E402
from factory_journey.web.pages.catalogues import (  # noqa: E402
    DATA_PREFIX,
    LOCALES,
    area_messages,
    areas_with_messages,
)

HEADER = """\
# {language} messages of the Factory Journey web pages, area "{area}".
# DRAFT: translated by developers, to be reviewed by a native speaker who works with
# factories. Keep {{placeholders}} unchanged. Update with tools/update_page_catalogues.py.
#"""


def template(area: str) -> Catalog:
    pot = Catalog(project="factory-journey", version=f"pages-{area}", charset="utf-8")
    for message, places in area_messages(area).items():
        pot.add(message, locations=[(_location(file), 0) for file, _line in places[:1]])
    return pot


def _location(file: str) -> str:
    """Where a message is written, relative to the package: a page module or template, or a
    data file (the indicator catalogue's labels, web/pages/catalogues.py DATA_MESSAGES)."""
    return file.removeprefix(DATA_PREFIX) if file.startswith(DATA_PREFIX) else f"web/pages/{file}"


def merged(area: str, lang_dir: str, pot: Catalog) -> Catalog:
    path = LOCALES / lang_dir / "LC_MESSAGES" / f"{area}.po"
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang_dir)
    else:
        catalog = Catalog(locale=lang_dir, project="factory-journey", charset="utf-8")
    catalog.update(pot, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    for message in catalog:
        # The pages fill `{name}` placeholders (str.format); Babel's guess that a text with
        # "50 % of" is a %-format makes `msgfmt -c` fail on every translation of it.
        message.flags.discard("python-format")
    catalog.header_comment = HEADER.format(language=lang_dir, area=area)
    catalog.revision_date = catalog.creation_date = pot.creation_date.replace(
        year=2026, month=12, day=7, hour=0, minute=0, second=0, microsecond=0
    )
    catalog.last_translator = "Factory Journey contributors (DRAFT, needs review)"
    catalog.fuzzy = False
    catalog.version = f"pages-{area}"
    return catalog


def po_text(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=False,
             include_previous=False, include_lineno=False)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    check = "--check" in argv
    wanted = [a for a in argv if not a.startswith("--")] or areas_with_messages()
    stale = []
    for area in wanted:
        pot = template(area)
        for lang, (lang_dir, _locale) in LANGUAGES.items():
            if lang == "en":
                continue
            path = LOCALES / lang_dir / "LC_MESSAGES" / f"{area}.po"
            content = po_text(merged(area, lang_dir, pot))
            old = path.read_bytes() if path.exists() else b""
            if _without_dates(old) == _without_dates(content):
                continue
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
    for path in stale:
        print(("out of date: " if check else "wrote ") + str(path.relative_to(ROOT)))
    return 1 if check and stale else 0


def _without_dates(content: bytes) -> bytes:
    return b"\n".join(
        line for line in content.splitlines()
        if not line.startswith((b'"POT-Creation-Date', b'"Generated-By'))
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
