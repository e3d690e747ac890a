"""Every reference file states source, licence, vintage, version and units."""

import pytest

from factory_journey.reference import REQUIRED_META_KEYS, list_reference_files, meta
from factory_journey.reference.loader import missing_meta_keys


def test_there_are_reference_files():
    assert "units.txt" in list_reference_files()


@pytest.mark.parametrize("name", list_reference_files())
def test_reference_file_has_provenance(name):
    missing = missing_meta_keys(name)
    assert not missing, f"{name} lacks provenance keys {missing} (need {REQUIRED_META_KEYS})"


@pytest.mark.parametrize("name", list_reference_files())
def test_certainty_is_labelled(name):
    # domain-facts.md marks each fact primary / secondary / unverified; the file says which.
    assert meta(name).get("certainty") in {"primary", "secondary", "unverified", "project"}
