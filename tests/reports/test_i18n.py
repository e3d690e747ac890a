"""Locale formatting shared by reports and pages."""

from __future__ import annotations

from factory_journey.reports.i18n import translator


def test_a_country_is_named_in_the_reader_s_language() -> None:
    assert translator("en").country("VN") == "Vietnam"
    assert translator("vi").country("vn") == "Việt Nam"
    assert translator("zh").country("BD") == "孟加拉国"
    assert translator("en").country("XX") == "XX"  # no name: the code as given
    assert translator("en").country(None) == "–"
