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
    assert "Duplicate row: the same {columns} as an earlier row" in found
    assert found["Duplicate row: the same {columns} as an earlier row"] == "ingest/checks.py"
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
    water = pl.read_csv(folder / "water.csv", infer_schema=False)  # one unusual month
    water.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("5000000.5"))
                       .otherwise(pl.col("quantity")).alias("quantity")
                       ).write_csv(folder / "water.csv")
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
                    if t.message == "Duplicate row: the same {columns} as an earlier row")
    assert template.parts("Duplicate row: the same a and b as an earlier row") == {
        "columns": "a and b"}
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


def test_the_platforms_own_words_in_a_message_are_translated_on_their_own() -> None:
    """A rule's message sets a quantity or a group of people into its sentence ("number of
    employees beyond the hard limit…"): those are the platform's words, translated too, so
    that no English is left inside a translated sentence; a word made from the data
    ("annual volume of {label}") keeps its part of the data."""
    calls: list[tuple[str, dict[str, object]]] = []
    problem_text("number of employees beyond the hard limit of one facility (physically "
                 "impossible, or too large to compute)", _recording(calls))
    assert calls == [("number of employees", {}),
                     ("{what} beyond the hard limit of one facility (physically impossible, "
                      "or too large to compute)", {"what": "<translated>"})]
    calls.clear()
    problem_text("unusual annual volume of Material Production, please check",
                 _recording(calls))
    assert calls == [("annual volume of {label}", {"label": "Material Production"}),
                     ("unusual {what}, please check", {"what": "<translated>"})]
    calls.clear()
    problem_text("more water treatment operators (12) than employees (9)", _recording(calls))
    assert calls[0] == ("water treatment operators", {})
    assert calls[1][1] == {"who": "<translated>", "value": "12", "value2": "9"}


def test_a_list_of_column_names_keeps_the_names_and_translates_its_joints() -> None:
    calls: list[tuple[str, dict[str, object]]] = []
    problem_text("Duplicate row: the same facility_id, year, month and source as an earlier "
                 "row", _recording(calls))
    assert calls == [
        ("{first}, {then}", {"first": "facility_id", "then": "year"}),
        ("{first}, {then}", {"first": "<translated>", "then": "month"}),
        ("{first} and {then}", {"first": "<translated>", "then": "source"}),
        ("Duplicate row: the same {columns} as an earlier row", {"columns": "<translated>"}),
    ]
    calls.clear()
    problem_text("Duplicate row: the same facility_id as an earlier row", _recording(calls))
    assert calls == [("Duplicate row: the same {columns} as an earlier row",
                      {"columns": "facility_id"})]


def test_the_users_own_data_is_not_taken_for_a_word() -> None:
    """Only the placeholders that hold the platform's words are translated: a column or a
    value of the user's that happens to be such a word ("mass") stays as written."""
    calls: list[tuple[str, dict[str, object]]] = []
    problem_text("mass applies only to facility types Apparel / Footwear, and this facility "
                 "is energy", _recording(calls))
    assert calls == [("{column} applies only to facility types {applies_to}, and this facility "
                      "is {value}", {"column": "mass", "applies_to": "Apparel / Footwear",
                                     "value": "energy"})]


def test_the_words_are_found_in_the_code_that_writes_them() -> None:
    from factory_journey.domain.profile_rules import COUNTED_PROBLEM_WORDS, QUANTITY_PROBLEM_WORDS
    from factory_journey.ingest.checks import LIST_PROBLEM_WORDS
    from factory_journey.ingest.units import DIMENSION_PROBLEM_WORDS
    from factory_journey.services.problem_sources import problem_words

    found = problem_words()
    for words in (QUANTITY_PROBLEM_WORDS, COUNTED_PROBLEM_WORDS, DIMENSION_PROBLEM_WORDS):
        assert set(words.values()) <= set(found)
    assert set(LIST_PROBLEM_WORDS) <= set(found)
    assert found["number of employees"] == "domain/profile_rules.py"


def test_every_dimension_of_the_unit_table_has_its_words() -> None:
    """A dimension without words would reach a message as its code ("standard_time")."""
    from factory_journey.domain.units import _aliases
    from factory_journey.ingest.units import DIMENSION_PROBLEM_WORDS

    assert {dimension for _, dimension in _aliases().values()} == set(DIMENSION_PROBLEM_WORDS)


def test_the_rows_beyond_those_listed_are_read_with_their_own_problem() -> None:
    """'28 more rows (rows 22–49) have the same problem: Unknown unit' — the summary of a
    repeated mistake — is translated, and so is the problem it repeats."""
    from factory_journey.ingest.problem_log import more_rows_problem

    calls: list[tuple[str, dict[str, object]]] = []
    problem_text(more_rows_problem(28, 22, 49, "Unknown unit"), _recording(calls))
    assert calls == [
        ("Unknown unit", {}),
        ("{rows} more rows (rows {first}–{last}) have the same problem: {problem}",
         {"rows": "28", "first": "22", "last": "49", "problem": "<translated>"}),
    ]


def test_a_key_of_the_users_is_not_taken_for_a_list_of_columns() -> None:
    """Only the lists of column names the checks make are joined anew; a JSON key of the
    user's that reads 'energy and water' stays as written."""
    calls: list[tuple[str, dict[str, object]]] = []
    problem_text("Key 'energy and water' is not a table of a dataset and was ignored",
                 _recording(calls))
    assert calls == [("Key {key} is not a table of a dataset and was ignored",
                      {"key": "'energy and water'"})]


def test_what_a_column_accepts_is_read_in_its_words_and_numbers() -> None:
    from factory_journey.services.problem_templates import accepted_text

    calls: list[tuple[str, dict[str, object]]] = []
    accepted_text("a whole number from 1990 to 2100", _recording(calls))
    assert calls == [("a whole number", {}),
                     ("{kind} from {low} to {high}",
                      {"kind": "<translated>", "low": "1990", "high": "2100"})]
    calls.clear()
    accepted_text("usually 0 to 3,000,000 m3 for a month, 0 to 36,000,000 m3 for a year",
                  _recording(calls))
    assert calls == [("usually {month_min} to {month_max} {unit} for a month, {year_min} to "
                      "{year_max} {year_unit} for a year",
                      {"month_min": "0", "month_max": "3,000,000", "unit": "m3",
                       "year_min": "0", "year_max": "36,000,000", "year_unit": "m3"})]
    calls.clear()
    accepted_text("text: meter, invoice, estimate", _recording(calls))
    assert calls == [("text", {}), ("{kind}: {values}", {"kind": "<translated>",
                                                         "values": "meter, invoice, estimate"})]


def test_a_list_of_values_is_not_taken_for_a_range() -> None:
    """The range shapes are read only around numbers: values of the user's or of a code list
    that hold " to " or " or more" stay as written."""
    from factory_journey.services.problem_templates import accepted_text

    calls: list[tuple[str, dict[str, object]]] = []
    for text in ("Send to landfill", "landfill to sea", "pcs, pc, piece, pieces",
                 "two or more"):
        assert accepted_text(text, _recording(calls)) == text
    assert calls == []


def test_every_column_of_the_guidance_says_what_it_accepts_in_words_a_page_translates() -> None:
    """Each column's accepted text of the guidance (and so of an upload problem without its
    own) is read as the platform's words, but a plain list of the values a cell may hold."""
    from factory_journey.services.dataset_guidance import dataset_guide
    from factory_journey.services.problem_templates import accepted_text

    for table in dataset_guide():
        for column in table.columns:
            calls: list[tuple[str, dict[str, object]]] = []
            shown = accepted_text(column.accepted, _recording(calls))
            if column.choices is not None and column.accepted == ", ".join(column.choices):
                assert shown == column.accepted
            else:
                assert calls, (table.name, column.name, column.accepted)


def test_the_word_templates_name_each_placeholder_once() -> None:
    """A word is translated with its placeholders by name; one named twice would be filled
    under another name by the reader (`_template` numbers repeats)."""
    from string import Formatter

    from factory_journey.services.problem_sources import problem_words

    for text in problem_words():
        names = [field for _, field, _, _ in Formatter().parse(text) if field is not None]
        assert len(names) == len(set(names)), text


def test_the_units_of_a_fuel_are_read_with_the_list_kept() -> None:
    from factory_journey.services.problem_templates import accepted_text

    calls: list[tuple[str, dict[str, object]]] = []
    accepted_text("GJ, kWh, MJ; for fuels also volume or mass units (L, m3, Nm3, gal, kg, t, "
                  "lb, …)", _recording(calls))
    assert calls == [("{units}; for fuels also volume or mass units (L, m3, Nm3, gal, kg, t, "
                      "lb, …)", {"units": "GJ, kWh, MJ"})]


def test_a_duplicate_rows_value_is_read_as_the_platforms_words() -> None:
    """What a duplicate row found ("same as row 3") is the platform's words, not a cell of the
    file: a page translates it, the row kept. The same text as another problem's value (a
    cell of the user's) stays as written."""
    from factory_journey.ingest.checks import DUPLICATE_PROBLEM_WORDS
    from factory_journey.services.problem_sources import problem_words
    from factory_journey.services.problem_templates import value_text

    assert problem_words()[DUPLICATE_PROBLEM_WORDS["same"]] == "ingest/checks.py"
    calls: list[tuple[str, dict[str, object]]] = []
    assert value_text("same as row 3", "duplicate_row", _recording(calls)) == "<translated>"
    assert calls == [("same as row {row}", {"row": "3"})]
    calls.clear()
    assert value_text("same as row 3", "invalid", _recording(calls)) == "same as row 3"
    assert value_text(12.5, "negative_quantity", _recording(calls)) == "12.5"
    assert value_text(None, "duplicate_row", _recording(calls)) == ""
    assert calls == []


def test_only_the_listed_duplicates_are_worded() -> None:
    """The error report keeps the English words a machine reads ("same as row 2"); they are
    made for the rows listed one by one only, not for every repeat of a large file."""
    from factory_journey.domain.tables import TABLES_BY_NAME
    from factory_journey.ingest import checks
    from factory_journey.ingest.problem_log import ProblemLog, Source

    rows = 5000
    frame = pl.DataFrame({"_row": range(2, rows + 2), "facility_id": ["F1"] * rows,
                          "year": [2023] * rows, "month": [1] * rows,
                          "source": ["grid"] * rows})
    log = ProblemLog(limit=3)
    worded: list[object] = []
    original = checks.DUPLICATE_PROBLEM_WORDS

    class Counting(dict):  # type: ignore[type-arg]
        def __getitem__(self, key: str) -> str:
            worded.append(key)
            return str(original[key])

    checks.DUPLICATE_PROBLEM_WORDS = Counting(original)  # type: ignore[misc]
    try:
        checks.duplicate_rows(frame, TABLES_BY_NAME["energy"], Source("energy.csv"), log)
    finally:
        checks.DUPLICATE_PROBLEM_WORDS = original  # type: ignore[misc]
    values = [p.value for p in log.problems if p.row is not None]
    assert values == ["same as row 2"] * 3
    assert len(worded) == 3
    assert any(p.row is None and p.message.startswith(f"{rows - 4} more rows")
               for p in log.problems)
