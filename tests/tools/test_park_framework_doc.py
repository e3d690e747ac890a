"""docs/park-framework.md is generated from the park framework files and must be up to date."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tool():  # type: ignore[no-untyped-def]
    path = ROOT / "tools" / "make_park_framework_doc.py"
    spec = importlib.util.spec_from_file_location("make_park_framework_doc", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_park_framework_doc_is_up_to_date() -> None:
    current = (ROOT / "docs" / "park-framework.md").read_text(encoding="utf-8")
    assert current == _tool().render(), (
        "docs/park-framework.md is out of date: run python tools/make_park_framework_doc.py"
    )


def test_doc_names_every_requirement_question_and_measure_with_its_certainty() -> None:
    tool = _tool()
    text = tool.render()
    for framework in tool.frameworks():
        assert framework.meta.licence.split(".")[0] in text
        for pillar in framework.pillars:
            for requirement in pillar.requirements:
                row = next(line for line in text.splitlines()
                           if line.startswith(f"| `{requirement.id}` |"))
                assert row.rstrip(" |").endswith(requirement.certainty)
        for question in framework.questions:
            assert f"| `{question.id}` |" in text
    for measure in tool.default_park_measures().measures:
        assert f"| `{measure.key}` |" in text
