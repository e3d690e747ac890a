"""What decided a park requirement, said in the report's language (reports.park_reasons).

The engine's English sentence (`requirement_results.decided_by`) stays the record; the report
says the same from the row's columns in Amharic, Swahili or Vietnamese: these tests check that
each case (indicator with thresholds, a missing figure, a yes/partly/no answer with evidence,
one lowered for missing evidence, a number answered, an unanswered question) reads in the
language and keeps the figures, and that every indicator a packaged framework tests has a label.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from factory_journey.reference.loader import data_dir, load_yaml
from factory_journey.reports.i18n import park_translator
from factory_journey.reports.park_context import build_park_context
from factory_journey.reports.park_reasons import INDICATORS, decided_by, steps_text
from factory_journey.services.park_report import load_park_report_data

ETHIOPIC = re.compile(r"[\u1200-\u137f]")
#: English words of the engine's sentence that must not reach a translated report
ENGLISH = re.compile(r"\b(questionnaire|needs|partly|evidence|judged|answered|no data)\b")
EVIDENCE = {"pm_management_entity": "registration or mandate of the entity, its organisation "
                                    "chart and budget"}


def _row(**values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "requirement_id": "pm_management_entity", "test_kind": "questionnaire",
        "subject": "pm_management_entity", "comparison": None, "met_threshold": None,
        "partly_threshold": None, "value": None, "answer": None, "unit": "yes/partly/no",
        "evidence": None, "decided_by": ""}
    row.update(values)
    return row


def test_every_framework_indicator_has_a_label() -> None:
    tested = set()
    for path in sorted((data_dir() / "park_frameworks").glob("*.yaml")):
        for pillar in load_yaml(f"park_frameworks/{path.name}")["pillars"]:
            for requirement in pillar["requirements"]:
                if requirement["test"]["kind"] == "indicator":
                    tested.add(requirement["test"]["indicator"])
    assert tested and tested <= set(INDICATORS), sorted(tested - set(INDICATORS))


def test_an_indicator_shows_its_figure_and_both_thresholds() -> None:
    en = park_translator("en", strict=True)
    row = _row(test_kind="indicator", subject="members_high_share_energy", comparison="<=",
               met_threshold=0.25, partly_threshold=0.5, value=0.4, unit="share 0-1")
    assert decided_by(en, row, EVIDENCE) == (
        "Members with a high energy opportunity: 40%; met at 25% or less, "
        "partly met at 50% or less")
    more = _row(test_kind="indicator", subject="shared_facilities", comparison=">=",
                met_threshold=2.0, partly_threshold=1.0, value=3.0, unit="count")
    assert decided_by(en, more, EVIDENCE) == (
        "Shared facilities: 3; met at 2 or more, partly met at 1 or more")
    # a figure just short of its threshold never reads as the threshold itself
    short = _row(test_kind="indicator", subject="renewable_share", comparison=">=",
                 met_threshold=0.2, partly_threshold=0.1, value=0.1996, unit="share 0-1")
    assert decided_by(en, short, EVIDENCE).startswith("Renewable energy share: 19.96%; met at")
    missing = _row(test_kind="indicator", subject="renewable_share", comparison=">=",
                   met_threshold=0.2, unit="share 0-1")
    assert decided_by(en, missing, EVIDENCE) == "Renewable energy share: no data for this year"


def test_a_lowered_answer_names_the_evidence_needed_in_the_language() -> None:
    lowered = _row(value=1.0, answer="yes", decided_by=(
        "questionnaire pm_management_entity = yes; no evidence named (needs: registration or "
        "mandate of the entity, its organisation chart and budget), judged one step lower"))
    en = decided_by(park_translator("en", strict=True), lowered, EVIDENCE)
    assert en == ("Answer: yes; no evidence named (needed: registration or mandate of the "
                  "entity, its organisation chart and budget), judged one step lower")
    am = decided_by(park_translator("am", strict=True), lowered, EVIDENCE)
    assert ETHIOPIC.search(am) and not ENGLISH.search(am), am
    assert "organisation chart" not in am
    # the same answer with evidence named is not lowered, and the file is quoted as is
    named = _row(value=1.0, answer="yes", evidence="entity-2024.pdf",
                 decided_by="questionnaire pm_management_entity = yes; evidence: entity-2024.pdf")
    sw = decided_by(park_translator("sw", strict=True), named, EVIDENCE)
    assert "entity-2024.pdf" in sw and not ENGLISH.search(sw.replace("entity-2024.pdf", "")), sw


def test_the_parts_are_joined_by_the_languages_own_marks() -> None:
    """Chinese and Amharic join a reason's parts with their own punctuation (；、 and ፤ ፣),
    not the ASCII marks of the English sentence."""
    row = _row(test_kind="indicator", subject="shared_facilities", comparison=">=",
               met_threshold=2.0, partly_threshold=1.0, value=3.0, unit="count")
    zh = decided_by(park_translator("zh", strict=True), row, EVIDENCE)
    assert "；" in zh and "：" in zh and "; " not in zh and ": " not in zh, zh
    am = decided_by(park_translator("am", strict=True), row, EVIDENCE)
    assert "፤" in am and "; " not in am, am
    titles = {"energy:metering": "Energy metering", "water:leaks": "Water leak repair"}
    listed = steps_text(park_translator("zh"), "energy:metering;water:leaks", titles)
    assert "、" in listed and ", " not in listed, listed
    assert steps_text(park_translator("en"), "energy:metering;water:leaks", titles) == \
        "Energy metering, Water leak repair"


@pytest.mark.parametrize("lang", ["en", "vi", "am", "sw"])
def test_numbers_and_unanswered_questions(lang: str) -> None:
    pt = park_translator(lang, strict=True)
    number = _row(subject="pm_symbiosis_links", comparison=">=", met_threshold=2.0,
                  partly_threshold=1.0, value=4.0, answer="4", unit="count")
    text = decided_by(pt, number, EVIDENCE)
    assert "4" in text and "2" in text and "1" in text
    assert decided_by(pt, _row(), EVIDENCE) == pt("Not answered in the park questionnaire")
    wrong = decided_by(pt, _row(answer="maybe"), EVIDENCE)
    assert "maybe" in wrong


@cache
def _pilot():  # type: ignore[no-untyped-def]
    return load_park_report_data("pilot")


@pytest.mark.parametrize(("lang", "park"), [("am", "DEMO-ET-01"), ("sw", "DEMO-KE-01"),
                                            ("vi", "DEMO-VN-01")])
def test_the_pilot_report_says_what_decided_and_covered_in_its_language(
        lang: str, park: str) -> None:
    context = build_park_context(_pilot(), park, park_translator(lang, strict=True))
    reasons = [i["decided_by"] for block in context["requirements"] for i in block["items"]]
    assert reasons and all(r and not ENGLISH.search(r) for r in reasons), \
        [r for r in reasons if ENGLISH.search(r)]
    covers = [s["covers"] for s in context["plan"]["split"]]
    assert covers and not any(":" in c for c in covers), covers
