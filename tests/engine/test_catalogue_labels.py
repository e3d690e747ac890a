"""The indicator catalogue names every publishable indicator plainly (decision 0048).

The public open-data pages show an indicator's `label` beside its id; an indicator of a
publishable group without one would show only its machine id to the public.
"""

from __future__ import annotations

from collections import Counter

from factory_journey.engine.catalogue import catalogue_version, indicators, matrix_columns
from factory_journey.engine.open_data import PUBLISHABLE_GROUPS
from factory_journey.reference import load_yaml

PUBLISHABLE = [i for i in indicators() if i.area in PUBLISHABLE_GROUPS]


def test_every_publishable_indicator_has_a_label() -> None:
    assert PUBLISHABLE, "no publishable indicator in the catalogue"
    missing = [i.name for i in PUBLISHABLE if not i.label.strip()]
    assert not missing, f"indicators.yaml: give these a `label:` {missing}"


def test_labels_are_short_plain_and_distinct() -> None:
    """A label is a name, not the id again, short enough for a table cell, and two indicators
    of one group never share one (the reader could not tell them apart)."""
    for indicator in PUBLISHABLE:
        assert indicator.label != indicator.name, indicator.name
        assert "_" not in indicator.label, (indicator.name, indicator.label)
        assert len(indicator.label) <= 70, (indicator.name, indicator.label)
        assert indicator.label == indicator.label.strip(), indicator.name
        assert indicator.label[0].isupper() or indicator.label[0].isdigit(), indicator.name
    twice = [
        key for key, n in Counter((i.area, i.label) for i in PUBLISHABLE).items() if n > 1
    ]
    assert not twice, twice


def test_the_catalogue_reads_every_label_of_the_file() -> None:
    """What the catalogue gives is the file's, indicator by indicator (not a default), and the
    columns stay in the file's order."""
    entries = load_yaml("indicators.yaml")["indicators"]
    assert [e["name"] for e in entries] == matrix_columns()
    by_name = {i.name: i.label for i in indicators()}
    for entry in entries:
        assert by_name[entry["name"]] == str(entry.get("label") or ""), entry["name"]


def test_the_version_says_labels_were_added() -> None:
    assert catalogue_version().startswith("2 ")
    assert "label" in load_yaml("indicators.yaml")["meta"]["changes"]
