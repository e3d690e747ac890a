"""Extract report messages and update the .po catalogues (Babel), keeping translations.

    python tools/update_catalogues.py          # write reports.pot, merge into every .po
    python tools/update_catalogues.py --check  # exit 1 if a catalogue is out of date

Messages come from `tr("...")` and `N_("...")` calls in `src/factory_journey/reports/*.py`
and from the measure titles of the programme catalogue (reference/data/programme_modules.yaml).
New messages arrive untranslated, and tests/reports/test_catalogues.py then fails until every
language has them. The .po files are read directly at run time; no compile step.

The park reports have their own domain (`park.pot`, `<lang>/LC_MESSAGES/park.po` in the
same languages): `pt("...")` and `NP_("...")` calls in the reports package, the impact-area names of
`reports/labels.py`, the reference names of `reports/reference_names.py` (the methodology
table), the park data template's words and column descriptions
(`ingest/park_template.template_messages`), the pillar, requirement and shared-measure titles
and the questions (with their units) of the packaged park framework files and
park_measures.yaml.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "src" / "factory_journey" / "reports"
LOCALES = REPORTS / "locales"
CATALOGUE = ROOT / "src" / "factory_journey" / "reference" / "data" / "programme_modules.yaml"
DATA = ROOT / "src" / "factory_journey" / "reference" / "data"
sys.path.insert(0, str(ROOT / "src"))

from factory_journey.reports.i18n import LANGUAGES  # noqa: E402

#: The catalogue directories of the report languages (English is the message itself); the
#: facility and park catalogues have the same languages (decision 0049).
LANGS: tuple[str, ...] = tuple(folder for code, (folder, _l) in LANGUAGES.items() if code != "en")


def template() -> Catalog:
    pot = Catalog(project="factory-journey", version="reports", charset="utf-8")
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(REPORTS),
        method_map=[("*.py", "python")],
        keywords={"tr": None, "N_": None},
    ):
        if isinstance(message, str) and message:
            pot.add(message, locations=[(f"reports/{filename}", lineno)])
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    for measure in data.get("measures", []):
        pot.add(measure["title"], locations=[("reference/data/programme_modules.yaml", 0)],
                auto_comments=[f"measure {measure['key']}"])
    return pot


def park_template() -> Catalog:
    """The park-report messages (domain `park`)."""
    pot = Catalog(project="factory-journey", version="park", charset="utf-8")
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(REPORTS),
        method_map=[("*.py", "python")],
        keywords={"pt": None, "NP_": None},
    ):
        if isinstance(message, str) and message:
            pot.add(message, locations=[(f"reports/{filename}", lineno)])
    sys.path.insert(0, str(ROOT / "src"))
    from factory_journey.reports.labels import AREAS

    for key, text in AREAS.items():
        pot.add(text, locations=[("reports/labels.py", 0)], auto_comments=[f"area {key}"])
    # the methodology table names its references with the facility report's words (`N_`)
    from factory_journey.reports.reference_names import REFERENCE_NAMES, WITH_FILE

    for key, text in REFERENCE_NAMES.items():
        pot.add(text, locations=[("reports/reference_names.py", 0)],
                auto_comments=[f"reference {key}"])
    pot.add(WITH_FILE, locations=[("reports/reference_names.py", 0)],
            auto_comments=["a reference's name with its file or framework id"])
    # the park data template's guidance and cell messages (`journey park template`, the park
    # pages' download): its own words and the park columns' descriptions
    from factory_journey.ingest.park_template import template_messages

    for text in template_messages():
        pot.add(text, locations=[("ingest/park_template.py", 0)],
                auto_comments=["park data template"])
    for path in sorted((DATA / "park_frameworks").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        where = [(f"reference/data/park_frameworks/{path.name}", 0)]
        for pillar in data.get("pillars", []):
            pot.add(pillar["title"], locations=where, auto_comments=[f"pillar {pillar['key']}"])
            for requirement in pillar.get("requirements", []):
                pot.add(requirement["title"], locations=where,
                        auto_comments=[f"requirement {requirement['id']}"])
                # the report says what evidence was needed when none was named
                if requirement.get("evidence_required"):
                    pot.add(requirement["evidence"], locations=where,
                            auto_comments=[f"evidence of requirement {requirement['id']}"])
        # the park data template's guidance lists each question, a number's unit with it
        for question in data.get("questions", []):
            pot.add(question["text"], locations=where,
                    auto_comments=[f"question {question['id']}"])
            if question.get("unit"):
                pot.add(question["unit"], locations=where,
                        auto_comments=[f"unit of question {question['id']}"])
    measures = yaml.safe_load((DATA / "park_measures.yaml").read_text(encoding="utf-8"))
    covered: set[str] = set()
    for measure in measures.get("measures", []):
        pot.add(measure["title"], locations=[("reference/data/park_measures.yaml", 0)],
                auto_comments=[f"park measure {measure['key']}"])
        covered.update(measure.get("covers", {}).get("measures", []))
    # the member pathway steps a shared measure covers, named in the plan's split table
    steps = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    for step in steps.get("measures", []):
        if step["key"] in covered:
            pot.add(step["title"], locations=[("reference/data/programme_modules.yaml", 0)],
                    auto_comments=[f"member pathway step {step['area']}:{step['key']}"])
    return pot


def po_text(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=False,
             include_previous=False, include_lineno=False)
    return buffer.getvalue()


def merged(lang_dir: str, pot: Catalog, domain: str = "reports") -> Catalog:
    path = LOCALES / lang_dir / "LC_MESSAGES" / f"{domain}.po"
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang_dir)
    else:
        catalog = Catalog(locale=lang_dir, project="factory-journey", charset="utf-8")
    catalog.update(pot, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def _messages(content: bytes) -> list[tuple[object, ...]]:
    """What a catalogue says: each message, its translation, flags and comments, in order.

    Headers are left out on purpose: `Generated-By` names the Babel release and
    `POT-Creation-Date` the moment of extraction, so comparing them would fail the check on
    every new Babel release or every run, with no message changed.
    """
    if not content:
        return []
    catalog = read_po(io.BytesIO(content))
    return [
        (m.id, m.string, sorted(m.flags), list(m.auto_comments), list(m.user_comments))
        for m in catalog
        if m.id
    ]


def main(check: bool = False) -> int:
    pot = template()
    stale = []
    targets = {LOCALES / "reports.pot": po_text(pot)}
    for lang_dir in LANGS:
        targets[LOCALES / lang_dir / "LC_MESSAGES" / "reports.po"] = po_text(merged(lang_dir, pot))
    park = park_template()
    targets[LOCALES / "park.pot"] = po_text(park)
    for lang_dir in LANGS:
        targets[LOCALES / lang_dir / "LC_MESSAGES" / "park.po"] = po_text(
            merged(lang_dir, park, "park"))
    for path, content in targets.items():
        old = path.read_bytes() if path.exists() else b""
        if _messages(old) != _messages(content):
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
    for path in stale:
        print(("out of date: " if check else "updated: ") + str(path.relative_to(ROOT)))
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
