"""docs/data-format.md is generated from domain/tables.py and must be up to date."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from factory_journey.domain.profile import PROFILES
from factory_journey.domain.tables import PERFORMANCE_TABLES
from tests.ingest.dataset_helpers import ROOT


def _tool() -> ModuleType:
    path = ROOT / "tools" / "make_data_format_doc.py"
    spec = importlib.util.spec_from_file_location("make_data_format_doc", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_format_doc_is_up_to_date() -> None:
    tool = _tool()
    current = tool.DOC.read_text(encoding="utf-8")
    assert tool.render(current) == current, (
        "docs/data-format.md is out of date: run python tools/make_data_format_doc.py"
    )


def test_every_table_and_column_is_documented() -> None:
    text = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    for table in (PROFILES, *PERFORMANCE_TABLES):
        assert f"### `{table.name}`" in text
        for column in table.columns:
            assert f"| `{column.name}` |" in text, (table.name, column.name)
