"""docs/methodology.md is generated from the methodology data and must be up to date."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    path = ROOT / "tools" / "make_methodology_doc.py"
    spec = importlib.util.spec_from_file_location("make_methodology_doc", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_methodology_doc_is_up_to_date():
    tool = _tool()
    current = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    assert current == tool.render(), (
        "docs/methodology.md is out of date: run python tools/make_methodology_doc.py"
    )


def test_methodology_doc_carries_the_reasoning_and_every_indicator():
    from factory_journey.engine.assessment import default_methodology

    text = _tool().render()
    methodology = default_methodology()
    assert methodology.reasoning.split(".")[0] in text
    for _, indicator in methodology.indicators():
        assert f"`{indicator.key}`" in text
