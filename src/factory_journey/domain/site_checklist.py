"""A facility's verification checklist of the Site Information, from its profile.

The checklist text is data (`reference/data/site_information_checklist.yaml`, from the seed's
"How this will be verified" sections). Only the questions that apply to the facility are
listed (product categories only for assemblers and finished product processors, …), and
sub-questions only where the parent answer is Yes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from factory_journey.domain.profile import SUB_QUESTIONS, FacilityProfile
from factory_journey.reference import load_yaml

CHECKLIST_FILE = "site_information_checklist.yaml"


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """What a verifier checks for one question of one facility."""

    ref_id: str
    question: str
    answer: Any
    verified_2024: bool
    documents: tuple[str, ...] = ()
    interview: tuple[str, ...] = ()
    inspect: tuple[str, ...] = ()
    sub_questions: tuple[tuple[str, str, Any], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return {
            "ref_id": self.ref_id,
            "question": self.question,
            "answer": self.answer,
            "verified_2024": self.verified_2024,
            "documents": list(self.documents),
            "interview": list(self.interview),
            "inspect": list(self.inspect),
            "sub_questions": [
                {"key": key, "question": text, "answer": answer}
                for key, text, answer in self.sub_questions
            ],
        }


@lru_cache(maxsize=1)
def checklist_questions() -> tuple[dict[str, Any], ...]:
    """The 16 questions of the checklist file, in FEM order."""
    return tuple(load_yaml(CHECKLIST_FILE)["questions"])


def _answer(profile: FacilityProfile, ref_id: str) -> Any:
    if ref_id == "sipfacilityannualprodvol":
        return {
            key: {"quantity": volume.quantity, "unit": volume.unit}
            for key, volume in profile.sipfacilityannualprodvol.items()
        }
    value = getattr(profile, ref_id)
    if isinstance(value, list):
        return [item.model_dump(mode="json") if hasattr(item, "model_dump") else item
                for item in value]
    return value


def _applies(profile: FacilityProfile, question: dict[str, Any]) -> bool:
    applies_to = question.get("applies_to") or []
    return not applies_to or bool(set(applies_to) & set(profile.sipfacilitytype))


def facility_checklist(profile: FacilityProfile) -> list[ChecklistItem]:
    """The verification checklist of one facility: applicable questions and sub-questions."""
    items: list[ChecklistItem] = []
    for question in checklist_questions():
        ref_id = str(question["ref_id"])
        if not _applies(profile, question):
            continue
        subs: list[tuple[str, str, Any]] = []
        answer = getattr(profile, ref_id, None)
        # The evidence of a yes/no question proves the Yes (flow charts, certificates);
        # after a No there is nothing to collect.
        evidence = answer is True or not isinstance(answer, bool | None) or ref_id not in (
            SUB_QUESTIONS)
        if answer is True:
            columns = SUB_QUESTIONS.get(ref_id, {})
            for sub in question.get("sub_questions") or []:
                key = str(sub["key"])
                column = columns.get(key, key)
                subs.append((key, str(sub["question"]), _answer(profile, column)))
        items.append(
            ChecklistItem(
                ref_id=ref_id,
                question=str(question["question"]),
                answer=_answer(profile, ref_id),
                verified_2024=bool(question.get("verified_2024", True)),
                documents=tuple(question.get("documents") or ()) if evidence else (),
                interview=tuple(question.get("interview") or ()) if evidence else (),
                inspect=tuple(question.get("inspect") or ()) if evidence else (),
                sub_questions=tuple(subs),
            )
        )
    return items
