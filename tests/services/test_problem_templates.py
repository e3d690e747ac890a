"""Problem messages made from the data read through their templates: each template found in
the ingest source gives back the parts it was filled with, the messages the ingest really
writes are read by a template or are fixed texts, and a text of no template is left alone."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from factory_journey.ingest import read_dataset
from factory_journey.services.problem_sources import problem_messages
from factory_journey.services.problem_templates import (
    _templates,
    problem_text,
    template_messages,
)


def _recording(calls: list[tuple[str, dict[str, object]]]):  # type: ignore[no-untyped-def]
    def gettext(message: str, **params: object) -> str:
        calls.append((message, params))
        return "<translated>"

    return gettext


def test_the_templates_of_the_ingest_code_are_found() -> None:
    found = template_messages()
    assert "Duplicate row: the same {key} as an earlier row" in found
    assert found["Duplicate row: the same {key} as an earlier row"] == "ingest/checks.py"
    # a pl.format text of the profile rules, its `{}` named
    assert ("training year {value} is after the self-assessment of reporting year {value2}"
            in found)
    # a template without enough fixed words to be told apart is not kept ("{value} or more")
    assert all(template.fixed >= 10 for template in _templates())
    assert "{value} or more" not in found


@pytest.mark.parametrize("template", _templates(), ids=lambda t: t.message[:40])
def test_every_template_gives_back_its_parts(template) -> None:  # type: ignore[no-untyped-def]
    parts = {name: f"«{name} {i}»" for i, name in enumerate(template.names)}
    text = template.message.format(**parts)
    calls: list[tuple[str, dict[str, object]]] = []
    assert problem_text(text, _recording(calls)) == "<translated>"
    # read by this template, or by a more specific one that gives the same text back
    message, given = calls[0]
    assert message.format(**given) == text
    assert message == template.message or len(message) > len(template.message)


def test_a_fixed_text_is_translated_as_itself_and_another_is_left_alone() -> None:
    calls: list[tuple[str, dict[str, object]]] = []
    fixed = next(iter(problem_messages()))
    assert problem_text(fixed, _recording(calls)) == "<translated>"
    assert calls == [(fixed, {})]
    calls.clear()
    assert problem_text("Something no code writes", _recording(calls)) == \
        "Something no code writes"
    assert problem_text(None, _recording(calls)) == ""
    assert calls == []


def test_the_messages_of_a_dataset_with_mistakes_are_all_readable(tmp_path: Path) -> None:
    """The problems the ingest writes for a dataset with planted errors and duplicate rows:
    every message is a fixed text or read by a template. (Accepted texts that list the
    accepted values or a range are shown as written: they are codes and numbers.)"""
    from factory_journey.services.demo_data import make_demo_data

    folder = tmp_path / "bad"
    make_demo_data(6, [2022, 2023], 7, folder, errors=True)
    energy = pl.read_csv(folder / "energy.csv", infer_schema=False)
    pl.concat([energy, energy.head(2)]).write_csv(folder / "energy.csv")
    problems = read_dataset(folder).problems
    codes = {problem.code for problem in problems}
    assert {"duplicate_row", "unusual_quantity", "wrong_unit_dimension"} <= codes, codes
    fixed = set(problem_messages())
    unread = [problem.message for problem in problems if problem.message not in fixed
              and not any(t.parts(problem.message) is not None for t in _templates())]
    assert not unread, unread


def test_a_crafted_text_is_read_in_one_pass() -> None:
    """Names and values from a file reach the messages. A text made to repeat a template's
    fixed words made a regular expression of lazy groups backtrack for ~0.2 s; the templates
    read it in one pass (measured: ~1 ms for every template). It is of no template, so it
    shows as written. A value may hold words of the template, and a text with more after a
    template's end is not of that template."""
    crafted = ("x is a sub-answer of x, which is x: " * 12)[:400]
    assert problem_text(crafted, _recording([])) == crafted
    template = next(t for t in _templates()
                    if t.message == "Duplicate row: the same {key} as an earlier row")
    assert template.parts("Duplicate row: the same a and b as an earlier row") == {
        "key": "a and b"}
    assert template.parts("Duplicate row: the same a as an earlier row!") is None


def test_a_rules_per_row_text_is_read_by_its_own_template() -> None:
    """The rule's per-row message begins with its summary's words, and the summary's template
    ends in a placeholder, which would take the rest of the text; the per-row template, more
    specific, is tried first and reads it whole."""
    calls: list[tuple[str, dict[str, object]]] = []
    text = ("sipproductcategories applies only to facility types Apparel / Footwear, and this "
            "facility is Mill")
    problem_text(text, _recording(calls))
    assert calls == [("{column} applies only to facility types {applies_to}, and this facility "
                      "is {value}", {"column": "sipproductcategories",
                                     "applies_to": "Apparel / Footwear", "value": "Mill"})]
