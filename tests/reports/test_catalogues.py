"""Every report message is translated in every language, with its placeholders intact."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from factory_journey.reports.i18n import (
    LANGUAGES,
    MissingTranslationError,
    UnknownLanguageError,
    catalogue_path,
    translator,
)

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w+)\}")
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with catalogue_path(lang).open("rb") as handle:
        return read_po(handle)


def test_six_report_languages() -> None:
    assert set(LANGUAGES) >= {"en", "vi", "zh", "bn", "km", "tr"}


def test_catalogues_match_the_code() -> None:
    """A new or changed message in the code must be in the catalogues (run the tool)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "update_catalogues.py"), "--check"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_translated(lang: str) -> None:
    catalog = _catalog(lang)
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, f"[{lang}] untranslated or fuzzy: {untranslated}"
    pot = _catalog_pot()
    assert {m.id for m in pot if m.id} <= {m.id for m in catalog if m.id}


def _catalog_pot():  # type: ignore[no-untyped-def]
    with (catalogue_path("vi").parents[2] / "reports.pot").open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_kept(lang: str) -> None:
    for message in _catalog(lang):
        if message.id:
            assert set(PLACEHOLDER.findall(message.id)) == set(
                PLACEHOLDER.findall(message.string)
            ), f"[{lang}] {message.id!r} → {message.string!r}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_differ_from_english_headings(lang: str) -> None:
    tr = translator(lang, strict=True)
    assert tr("Recommended pathway") != "Recommended pathway"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_header_marks_review(lang: str) -> None:
    assert "NEEDS REVIEW" in catalogue_path(lang).read_text(encoding="utf-8").split("msgid")[0]


def test_strict_translator_fails_on_a_missing_message() -> None:
    with pytest.raises(MissingTranslationError):
        translator("vi", strict=True)("A message nobody translated")


def test_lenient_translator_records_the_miss() -> None:
    tr = translator("vi")
    assert tr("A message nobody translated") == "A message nobody translated"
    assert "A message nobody translated" in tr.missing


def test_unknown_language() -> None:
    with pytest.raises(UnknownLanguageError):
        translator("xx")
    assert translator("zh-Hans").lang == "zh"


@pytest.mark.parametrize(
    ("lang", "number", "percent"),
    [("en", "12,345.7", "38%"), ("vi", "12.345,7", "38%"), ("tr", "12.345,7", "%38"),
     ("zh", "12,345.7", "38%"), ("bn", "12,345.7", "38%"), ("km", "12,345.7", "38%")],
)
def test_locale_numbers(lang: str, number: str, percent: str) -> None:
    tr = translator(lang)
    assert tr.number(12345.67, 1) == number
    assert tr.percent(0.38).replace("\u00a0", "") == percent
