"""A framework file that cannot be used is refused with the key that is wrong; overlays add
requirements for the parks of their countries only."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from factory_journey.engine.parks.framework_files import (
    framework_set,
    packaged_framework_paths,
)
from factory_journey.engine.parks.framework_schema import FrameworkError, parse_framework
from tests.engine.parks.hand_park import FRAMEWORK

BASE = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))

OVERLAY = {
    "meta": {"id": "tiny-overlay", "title": "t", "version": "1", "kind": "overlay",
             "extends": "tiny-eip", "countries": ["VN"], "source": "tests", "licence": "x",
             "vintage": "2026", "units": "none", "certainty": "project"},
    "questions": [{"id": "vn_symbiosis", "text": "A symbiosis link?"}],
    "pillars": [{"key": "national", "title": "National", "requirements": [{
        "id": "VN-1", "title": "Symbiosis", "definition": "d", "prerequisite": True,
        "test": {"kind": "questionnaire", "question": "vn_symbiosis"}, "evidence": "e",
        "source": "s", "certainty": "unverified"}]}],
}


def _write(tmp_path: Path, name: str, document: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["pillars"][1]["requirements"][0]["test"].pop("comparison"),
     "comparison"),
    (lambda d: d["pillars"][0]["requirements"].append(d["pillars"][0]["requirements"][0]),
     "given twice"),
    (lambda d: d["meta"].pop("licence"), "meta.licence"),
    (lambda d: d["scoring"].update(partly_met_credit=2), "partly_met_credit"),
    (lambda d: d["pillars"][1]["requirements"][0]["test"].update(kind="vibes"), "kind"),
])
def test_a_bad_framework_names_what_is_wrong(change, words: str) -> None:
    document = copy.deepcopy(BASE)
    change(document)
    with pytest.raises(FrameworkError) as refused:
        parse_framework(document, "tiny.yaml")
    assert words in str(refused.value)
    assert str(refused.value).startswith("tiny.yaml")


def test_an_overlay_applies_to_its_countries_only(tmp_path: Path) -> None:
    chosen = framework_set([FRAMEWORK, _write(tmp_path, "o.yaml", OVERLAY)])
    vietnam, origin = chosen.for_country("VN")
    kenya, _ = chosen.for_country("KE")
    ids = {r.id for p in vietnam.pillars for r in p.requirements}
    assert "VN-1" in ids and origin == {"VN-1": "tiny-overlay"}
    assert "VN-1" not in {r.id for p in kenya.pillars for r in p.requirements}


def test_an_overlay_of_another_framework_is_refused(tmp_path: Path) -> None:
    other = copy.deepcopy(OVERLAY)
    other["meta"]["extends"] = "someone-else"
    with pytest.raises(FrameworkError, match="extends 'someone-else'"):
        framework_set([FRAMEWORK, _write(tmp_path, "o.yaml", other)])


def test_a_question_nobody_defines_is_refused(tmp_path: Path) -> None:
    document = copy.deepcopy(BASE)
    document["questions"] = document["questions"][1:]
    with pytest.raises(FrameworkError, match="PM-1 asks a question"):
        framework_set([_write(tmp_path, "f.yaml", document)])


def test_the_packaged_frameworks_are_one_base_and_its_overlays() -> None:
    chosen = framework_set(packaged_framework_paths())
    assert chosen.base.meta.kind == "framework"
    assert all(o.meta.extends == chosen.base.meta.id for o in chosen.overlays)
