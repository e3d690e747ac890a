"""The problems of an upload in the reader's language: the fixed texts of the ingest code are
found in its source (a new one cannot be missed) and every page language has them."""

from __future__ import annotations

import re
from string import Formatter

import pytest

from factory_journey.ingest import parse
from factory_journey.reports.i18n import LANGUAGES
from factory_journey.services.languages import page_translator
from factory_journey.services.problem_sources import problem_messages
from factory_journey.web.pages.catalogues import LOCALES


def test_the_fixed_problem_texts_are_found_in_the_ingest_code() -> None:
    found = problem_messages()
    for text in ("A value is required here", "Not an accepted value", "Unknown unit",
                 "Negative quantity", "Below the accepted range", "The file is empty",
                 "a Parquet file, or a CSV file"):
        assert text in found, text
    # the type check's texts come from a table, not a literal: each is listed
    for kind in ("float", "int", "bool", "date"):
        assert f"Not {parse.TYPE_WORDS[kind]}" in found
        assert parse.ACCEPTED_FORMS[kind] in found
    # a message made from the data is not (it names a column or a value): no placeholder;
    # braces of a fixed text (the JSON shape `{"profiles": [{...}, ...]}`) are not one
    assert not any(re.search(r"\{[A-Za-z_]\w*\}", text) for text in found)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_page_language_has_them(lang: str) -> None:
    t = page_translator(LOCALES, ("shell",), lang, strict=True)
    for text in problem_messages():
        assert t(text), text  # strict: a missing one raises
    assert t("Not a number") != "Not a number"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_page_language_has_the_words_set_into_them(lang: str) -> None:
    """The platform's own words inside a message ("number of employees", "mass", the joints
    of a list) are translated too: a translated sentence keeps no English words but the
    user's own data."""
    from factory_journey.services.problem_sources import problem_words
    from factory_journey.services.problem_templates import problem_text

    t = page_translator(LOCALES, ("shell",), lang, strict=True)
    for text in problem_words():
        names = {field: "x" for _, field, _, _ in Formatter().parse(text) if field}
        assert t(text, **names), text
    shown = problem_text("unusual number of employees, please check (outside the plausible "
                         "range of one facility; accepted)", t)
    assert "employees" not in shown
    shown = problem_text("Duplicate row: the same facility_id, year and month as an earlier "
                         "row", t)
    assert "facility_id" in shown and "month" in shown and " and " not in shown
