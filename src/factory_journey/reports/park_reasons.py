"""What decided a park requirement's result, said in the report's language.

`journey park assess` records in `requirement_results.decided_by` one English sentence per
requirement (the engine's own account, kept for auditors and the published data). A park
manager reads the report in Amharic, Swahili or Vietnamese, so the report says the same thing
again from the structured columns of the same row (test_kind, subject, comparison, thresholds,
value, answer, unit, evidence) with the park catalogue's words: the answer or figure, what the
framework needs, the evidence named, and, when evidence was required and none was named, what
was needed and that the result was judged one step lower. No rule is re-decided here: the
result is the engine's, and whether it was lowered for missing evidence is read from the
engine's sentence.

Pure (no I/O); the translator is the park catalogue's (`pt`, see `park_labels`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from factory_journey.engine.parks.scoring import LOWERED_WORDS
from factory_journey.reports.i18n import Translator
from factory_journey.reports.park_labels import NP_

#: Park indicators the packaged frameworks test (park_indicators.indicator → label); a test
#: checks that every framework indicator has one.
INDICATORS: dict[str, str] = {
    "members_assessed_share": NP_("Members assessed"),
    "members_high_share_energy": NP_("Members with a high energy opportunity"),
    "members_high_share_water": NP_("Members with a high water opportunity"),
    "members_high_share_chemicals": NP_("Members with a high chemicals opportunity"),
    "members_zdhc_tested_share": NP_("Members with a ZDHC wastewater test"),
    "members_zdhc_green_share": NP_("Tested members passing ZDHC"),
    "central_plant_zdhc_pass": NP_("Central effluent plant passes ZDHC"),
    "renewable_share": NP_("Renewable energy share"),
    "water_recycled_reused_share": NP_("Water recycled or reused"),
    "waste_diversion_share": NP_("Waste diverted from disposal"),
    "shared_facilities": NP_("Shared facilities"),
}

#: Questionnaire answers in words (`yes/partly/no` questions).
ANSWERS: dict[str, str] = {"yes": NP_("yes"), "partly": NP_("partly"), "no": NP_("no")}



def _figure(pt: Translator, value: float | None, unit: str | None, digits: int = 0) -> str:
    """A value in its unit's terms: shares as percentages, 0/1 as yes/no, else a number
    (`digits` decimals; whole numbers without any when `digits` is 0)."""
    if value is None:
        return "–"
    kind = (unit or "").strip()
    if kind.startswith("share"):
        return pt.percent(value, digits)
    if kind == "0/1":
        return pt(ANSWERS["yes"]) if value >= 1.0 else pt(ANSWERS["no"])
    return pt.number(value, digits or (0 if float(value).is_integer() else 2))


def _value_text(pt: Translator, row: Mapping[str, Any]) -> str:
    """The row's value with as many decimals as it takes (up to 4) not to read as equal to a
    threshold it is not equal to: 19.96 % against "met at 20 %" must not show as 20 %."""
    value, unit = row.get("value"), row.get("unit")
    limits = [row[k] for k in ("met_threshold", "partly_threshold") if row.get(k) is not None]
    for digits in range(0, 5):
        text = _figure(pt, value, unit, digits)
        if not any(t != value and _figure(pt, t, unit, digits) == text for t in limits):
            break
    return text


def _needs(pt: Translator, row: Mapping[str, Any]) -> str:
    comparison = row.get("comparison")
    if comparison is None or row.get("met_threshold") is None:
        return ""
    at_least = comparison in (">=", ">")
    met = _figure(pt, row["met_threshold"], row.get("unit"))
    if (row.get("unit") or "").strip() == "0/1":  # a yes/no figure: no "or more"
        return pt("met when {value}", value=met)
    if row.get("partly_threshold") is None:
        return (pt("met at {value} or more", value=met) if at_least
                else pt("met at {value} or less", value=met))
    partly = _figure(pt, row["partly_threshold"], row.get("unit"))
    return (pt("met at {met} or more, partly met at {partly} or more", met=met, partly=partly)
            if at_least else
            pt("met at {met} or less, partly met at {partly} or less", met=met, partly=partly))


def decided_by(pt: Translator, row: Mapping[str, Any],
               evidence_needed: Mapping[str, str]) -> str:
    """One requirement_results row → what decided it, in `pt`'s language.

    evidence_needed: requirement id → the evidence its framework asks for (English msgid).
    """
    subject = str(row.get("subject") or "")
    value = row.get("value")
    parts: list[str]
    if row.get("test_kind") == "indicator":
        label = pt(INDICATORS[subject]) if subject in INDICATORS else subject
        if value is None:
            return pt("{indicator}: no data for this year", indicator=label)
        parts = [pt("{indicator}: {value}", indicator=label, value=_value_text(pt, row))]
    else:
        answer = row.get("answer")
        if answer is None:
            return pt("Not answered in the park questionnaire")
        if value is None:
            return pt("Answered “{answer}”, which this question does not accept",
                      answer=str(answer))
        word = str(answer).strip().lower()
        shown = (pt(ANSWERS[word]) if word in ANSWERS and row.get("comparison") is None
                 else _value_text(pt, row))
        parts = [pt("Answer: {answer}", answer=shown)]
    if needs := _needs(pt, row):
        parts.append(needs)
    if row.get("evidence"):
        parts.append(pt("evidence: {files}", files=str(row["evidence"])))
    if LOWERED_WORDS in str(row.get("decided_by") or ""):
        needed = evidence_needed.get(str(row.get("requirement_id")), "")
        parts.append(pt("no evidence named (needed: {evidence}), judged one step lower",
                        evidence=pt(needed)) if needed else
                     pt("no evidence named, judged one step lower"))
    return _joined(pt, parts, _SEMICOLON)


def steps_text(pt: Translator, covered: str | None, titles: Mapping[str, str]) -> str:
    """`energy:metering;energy:steam_traps` (plan_members.covered_steps) → the steps' titles,
    translated, comma-separated; a step without a title keeps its key; '–' for none."""
    keys = [k for k in str(covered or "").split(";") if k]
    return _joined(pt, [pt(titles[k]) if k in titles else k for k in keys],
                   _COMMA) or "–"


#: The separators of a list in words, translated (marked here for the catalogue).
_SEMICOLON = NP_("{first}; {then}")
_COMMA = NP_("{first}, {then}")


def _joined(pt: Translator, parts: list[str], pair: str) -> str:
    """`parts` joined by the language's separator: `pair` ("{first}; {then}") is translated,
    so Chinese reads "甲；乙" and Amharic "ሀ፤ ለ", not ASCII marks between them."""
    text = parts[0] if parts else ""
    for part in parts[1:]:
        text = pt(pair, first=text, then=part)
    return text
