"""The pages' proposal and review forms: what is typed comes back as typed; numbers that
cannot be read are named, never dropped."""

from __future__ import annotations

import pytest

from factory_journey.engine.assessment import default_methodology
from factory_journey.services.proposals.forms import (
    choice_names,
    form_choices,
    form_values,
    proposal_from_form,
    review_from_form,
)
from factory_journey.services.proposals.rubric import rubric

from .conftest import content


def _as_form(values):  # type: ignore[no-untyped-def]
    return {k: v if isinstance(v, list) else [v] for k, v in values.items()}


def test_a_proposal_round_trips_through_its_form():
    original = content(stages=(1, 2), regions=("VN", "BD"))
    original["measures"][0]["effects"] = {"water": [0.05, 0.125]}
    parsed = proposal_from_form(_as_form(form_values(original)))
    assert parsed.problems == []
    assert parsed.content["measures"][0]["effects"]["water"] == pytest.approx([0.05, 0.125])
    parsed.content["measures"][0]["effects"] = original["measures"][0]["effects"]
    assert parsed.content == original


def test_a_number_that_cannot_be_read_is_named():
    form = _as_form({"title": "T", "measure_1_title": "M", "measure_1_water_low": "5x",
                     "measure_1_usd_low": "lots"})
    parsed = proposal_from_form(form)
    assert [w for w, _ in parsed.problems] == ["measures.1.effects.water", "measures.1.investment"]
    assert "'5x' is not a number" in parsed.problems[0][1]


def test_a_review_form_gives_scores_and_a_recusal_gives_none():
    keys = rubric().sub_keys()
    form = _as_form({f"score:{k}": "4" for k in keys} | {"recommendation": "accept",
                                                         "comment:impact": "Large"})
    review, problems = review_from_form(form)
    assert problems == [] and review["scores"] == dict.fromkeys(keys, 4)
    assert review["comments"] == {"impact": "Large"} and review["recommendation"] == "accept"
    recusal, _ = review_from_form(form | {"conflict_of_interest": ["yes"],
                                          "conflict_statement": ["We fund them."]})
    assert recusal["scores"] == {} and recusal["recommendation"] is None


def test_an_empty_measure_slot_is_no_measure():
    """The selects of an unused slot send their first options; that is not a measure."""
    form = _as_form({"title": "T", "measure_2_basis": "facility",
                     "measure_2_certainty": "unverified"})
    assert "measures" not in proposal_from_form(form).content


def test_every_choice_has_a_name_in_words():
    """A proposer chooses areas, factory types, stages and indicators by name, not by key."""
    names = choice_names()
    methodology = default_methodology()
    indicators = {i.key for a in methodology.areas for i in a.indicators}
    assert set(names["indicators"]) == indicators
    assert set(names["areas"]) == {a.key for a in methodology.areas}
    for table in names.values():
        for key, name in table.items():
            assert "_" not in name and name[0].isupper(), (key, name)  # words, not a key
    assert names["factory_types"]["cut_sew"] == "Cut and sew"
    choices = form_choices()
    assert ("Water", "water_recycled_reused_share", "Water recycled or reused") in (
        choices["indicators"])
