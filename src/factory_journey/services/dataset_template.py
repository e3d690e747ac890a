"""Blank .xlsx templates for factories: the profile alone, or the whole dataset (the profile
and a sheet per performance table), every column with its drop-down list or number check
from the dataset contract (`dataset_guidance`), a hidden `lists` sheet with the code lists and
a `guidance` sheet. Written with `spreadsheet_safety.open_workbook`: every text cell through
`neutralise_text`, no string ever a formula.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

from factory_journey.domain.profile_rules import ACCEPTED_KIND_PROBLEM_WORDS
from factory_journey.ingest.formats import TEMPLATE_SHEETS
from factory_journey.services.dataset_guidance import (
    ColumnGuide,
    TableGuide,
    dataset_guide,
)
from factory_journey.services.languages import DEFAULT_LANGUAGE, PAGE_LOCALES, page_translator
from factory_journey.services.problem_templates import accepted_text
from factory_journey.services.spreadsheet_safety import neutralise_text, open_workbook

#: Data rows of a template that carry the drop-downs and checks.
TEMPLATE_ROWS = 1000
#: Template kinds and the tables each holds.
KINDS = ("profile", "dataset")
#: Excel's limits on a validation's texts [characters].
_TITLE, _MESSAGE = 32, 255
#: Bounds Excel needs where the contract has none.
_LOW, _HIGH = -1e15, 1e15


def _as_written(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class TemplateWords:
    """The words of a template a person reads, in one language: the guidance sheet's headings,
    "yes", the cell prompts' "Required. {description}" and "Accepted: {values}" (the spacing is
    the language's: Chinese has none after "。"), and each column's description (`describe`).
    Column names, sheet names and accepted values are never translated: an upload is read by
    them."""

    headings: tuple[str, ...] = ("Table", "Column", "Required", "Type", "What it holds",
                                 "Accepted")
    yes: str = "Yes"
    required: str = "Required. {description}"
    accepted: str = "Accepted: {values}"
    describe: Callable[[str], str] = field(default=_as_written)
    #: What a column accepts in this language (`problem_templates.accepted_text`): its words
    #: translated, its values kept as the file must hold them.
    accept: Callable[[str], str] = field(default=_as_written)

    def texts(self) -> tuple[str, ...]:
        """Its own words (not the descriptions), as a catalogue lists them."""
        return (*self.headings, self.yes, self.required, self.accepted)

    def translated(self, translate: Callable[..., str]) -> TemplateWords:
        """These words, the descriptions and what each column accepts through `translate` (a
        page's translator, which fills `{placeholders}`)."""
        return TemplateWords(
            headings=tuple(translate(text) for text in self.headings), yes=translate(self.yes),
            required=translate(self.required), accepted=translate(self.accepted),
            describe=translate, accept=partial(accepted_text, gettext=translate))


#: The template's words in English (the guidance page's words); a page translates them with
#: `ENGLISH.translated(t)`.
ENGLISH = TemplateWords()


def template_word_messages() -> dict[str, str]:
    """The template's own words → this file, for the facility pages' catalogue
    (web/pages/catalogues.DATA_MESSAGES)."""
    return dict.fromkeys(ENGLISH.texts(), "services/dataset_template.py")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _validation(guide: ColumnGuide, source: str | None,
                words: TemplateWords = ENGLISH) -> dict[str, Any] | None:
    """The xlsxwriter data validation of a column, or None for free text."""
    options: dict[str, Any]
    if source is not None:
        options = {"validate": "list", "source": source,
                   # Spellings, labels and aliases of the keys are accepted too: warn only.
                   "error_type": "stop" if guide.strict else "warning"}
    elif guide.type in ("int", "float"):
        kind = "integer" if guide.type == "int" else "decimal"
        low = guide.minimum if guide.minimum is not None else _LOW
        high = guide.maximum if guide.maximum is not None else _HIGH
        options = {"validate": kind, "criteria": "between", "minimum": low, "maximum": high}
    elif guide.type == "date":
        return None  # YYYY-MM is accepted too, which no Excel date check allows
    else:
        return None
    described = words.describe(guide.description)
    prompt = words.required.format(description=described) if guide.required else described
    options.update({
        "ignore_blank": True,
        "input_title": _cut(guide.name, _TITLE),
        "input_message": _cut(prompt, _MESSAGE),
        "error_title": _cut(guide.name, _TITLE),
        "error_message": _cut(words.accepted.format(values=words.accept(guide.accepted)),
                              _MESSAGE),
    })
    return options


def _tables(kind: str) -> tuple[TableGuide, ...]:
    if kind not in KINDS:
        raise ValueError(f"unknown template {kind!r}; accepted: {', '.join(KINDS)}")
    guide = dataset_guide()
    return guide[:1] if kind == "profile" else guide


@cache
def template_xlsx(kind: str) -> bytes:
    """The `profile` or `dataset` template as .xlsx bytes, in English (made once a process: it
    depends on the packaged contract and reference lists only)."""
    return template_in(kind, ENGLISH)


#: The page catalogues a template's words are read from: the facility pages' (which list them:
#: web/pages/catalogues.DATA_MESSAGES), then the shell's, as the guidance page reads them.
TEMPLATE_AREAS = ("facility", "shell")


@cache
def template_for(kind: str, lang: str) -> bytes:
    """The `profile` or `dataset` template with its guidance and cell prompts in `lang` (a key
    of `languages.LANGUAGES`; a word without a translation stays English): the facility pages'
    download and `journey profile template --language`. Made once a process per kind and
    language (it depends on the packaged contract and catalogues only). Sheets and column
    names are the same in every language: an upload is read by them."""
    if lang == DEFAULT_LANGUAGE:
        return template_xlsx(kind)
    return template_in(kind, ENGLISH.translated(page_translator(PAGE_LOCALES, TEMPLATE_AREAS,
                                                                lang)))


def template_in(kind: str, words: TemplateWords) -> bytes:
    """The `profile` or `dataset` template with its guidance and prompts in `words`' language;
    its sheets and columns the same as in every language."""
    tables = _tables(kind)
    with tempfile.TemporaryDirectory(prefix="journey-template-") as tmp:
        path = Path(tmp) / f"{kind}-template.xlsx"
        with open_workbook(path, title=f"Factory Journey {kind} template") as workbook:
            bold = workbook.add_format({"bold": True})
            wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
            sheets = [workbook.add_worksheet(t.name) for t in tables]
            lists = workbook.add_worksheet(TEMPLATE_SHEETS[0])
            guidance = workbook.add_worksheet(TEMPLATE_SHEETS[1])
            list_column = 0
            list_sources: dict[tuple[str, ...], str] = {}
            for sheet, table in zip(sheets, tables, strict=True):
                for index, column in enumerate(table.columns):
                    sheet.write_string(0, index, neutralise_text(column.name), bold)
                    sheet.set_column(index, index, max(12, min(40, len(column.name) + 2)))
                    source = None
                    if column.choices:
                        source = list_sources.get(column.choices)
                        if source is None:
                            lists.write_string(0, list_column, neutralise_text(
                                f"{table.name}.{column.name}"))
                            for row, value in enumerate(column.choices, start=1):
                                lists.write_string(row, list_column, neutralise_text(value))
                            letter = _letter(list_column)
                            source = f"=lists!${letter}$2:${letter}${len(column.choices) + 1}"
                            list_sources[column.choices] = source
                            list_column += 1
                    options = _validation(column, source, words)
                    if options is not None:
                        sheet.data_validation(1, index, TEMPLATE_ROWS, index, options)
                sheet.freeze_panes(1, 0)
            lists.hide()
            for index, text in enumerate(words.headings):
                guidance.write_string(0, index, neutralise_text(text), bold)
            row = 1
            for table in tables:
                for column in table.columns:
                    kind = ACCEPTED_KIND_PROBLEM_WORDS.get(column.type, column.type)
                    cells = (table.name, column.name, words.yes if column.required else "",
                             words.accept(kind), words.describe(column.description),
                             words.accept(column.accepted))
                    for index, text in enumerate(cells):
                        guidance.write_string(row, index, neutralise_text(text), wrap)
                    row += 1
            for index, width in enumerate((16, 40, 9, 8, 60, 70)):
                guidance.set_column(index, index, width)
            guidance.freeze_panes(1, 0)
            sheets[0].activate()
        return path.read_bytes()


def _letter(index: int) -> str:
    """Excel column letters of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
