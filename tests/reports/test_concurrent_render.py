"""PDFs compiled from many threads at once (as the web server does) are all made, and each is
the same document as when compiled alone (issue #13: a shared typst compiler raised
"Already borrowed" to concurrent requests)."""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from factory_journey.reports import render
from factory_journey.reports.context import ReportData, build_facility_context
from factory_journey.reports.i18n import translator
from factory_journey.reports.render import TEMPLATES, prepare, render_pdf
from tests.reports.conftest import TODAY

THREADS = 8
ROUNDS = 2  # compiles per thread


@pytest.fixture(scope="module")
def contexts(report_data: ReportData) -> list[dict[str, Any]]:
    facilities = sorted(report_data.matrix["facility_id"].unique().to_list())
    return [
        build_facility_context(report_data, facility, translator(lang), today=TODAY)
        for facility in facilities
        for lang in ("en", "vi")
    ]


#: What differs between two compiles of one document: the time it was made (to the second),
#: in the info dictionary and the XMP metadata, and the document ids derived from it.
_STAMPS = re.compile(
    rb"D:\d{14}Z|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)?"
    rb"|(?<=ID>)[A-Za-z0-9+/=]+(?=</xmpMM:)|/ID\s*\[[^\]]*\]"
)


def _content(pdf: bytes) -> bytes:
    return _STAMPS.sub(b"~", pdf)


def _all_at_once(work: Any, count: int) -> list[Any]:
    """`work(i)` for i in range(count), on THREADS threads released together."""
    start = threading.Barrier(THREADS)

    def run(i: int) -> Any:
        if i < THREADS:
            start.wait(timeout=60)
        return work(i)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(run, range(count)))  # re-raises the first error of any thread


def test_concurrent_compiles_give_the_documents_of_sequential_ones(
    contexts: list[dict[str, Any]],
) -> None:
    alone = [render_pdf(context) for context in contexts]
    assert len({_content(pdf) for pdf in alone}) == len(contexts)  # six different documents

    together = _all_at_once(
        lambda i: (i % len(contexts), render_pdf(contexts[i % len(contexts)])),
        THREADS * ROUNDS,
    )

    for index, pdf in together:
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
        assert _content(pdf) == _content(alone[index])


def test_a_pool_makes_no_more_compilers_than_its_size(contexts: list[dict[str, Any]]) -> None:
    pool = render.CompilerPool(2)
    template = str(TEMPLATES / "facility.typ")
    inputs = [{"ctx": json.dumps(prepare(context))} for context in contexts[:2]]

    results = _all_at_once(lambda i: pool.compile(template, inputs[i % 2]), THREADS * 2)

    assert all(isinstance(r, bytes) and r.startswith(b"%PDF-") for r in results)
    assert 1 <= pool.made <= 2  # each compile in flight holds its own compiler


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5"])
def test_a_bad_compiler_count_is_named(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("JOURNEY_PDF_COMPILERS", value)
    with pytest.raises(render.RenderError, match="JOURNEY_PDF_COMPILERS"):
        render._compiler_count()


@pytest.mark.parametrize(("value", "count"), [("", 2), ("1", 1), (" 3 ", 3)])
def test_the_compiler_count_setting(
    monkeypatch: pytest.MonkeyPatch, value: str, count: int
) -> None:
    monkeypatch.setenv("JOURNEY_PDF_COMPILERS", value)
    assert render._compiler_count() == count
