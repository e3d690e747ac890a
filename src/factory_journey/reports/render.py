"""Render a report context to HTML (Jinja2) or PDF (typst, see decision 0006).

Both renderers take the same context dict, built once by `reports.context`; the PDF gets it as
JSON through typst's `sys.inputs`, so user text is never spliced into markup. Only the fonts
shipped in `reports/fonts/` are used (system fonts are ignored), so the output is the same on
every machine.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import typst

from factory_journey.reports.glyphs import outline_text

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
FONTS = HERE / "fonts"


class RenderError(RuntimeError):
    """The PDF engine rejected a report (a template or data problem, never user input)."""


@lru_cache(maxsize=1)
def _jinja() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _outlined(value: Any) -> Any:
    """The context with the text of every SVG chart turned into shaped glyph outlines."""
    if isinstance(value, dict):
        return {k: _outlined(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_outlined(v) for v in value]
    if isinstance(value, str) and value.startswith("<svg"):
        return outline_text(value)
    return value


def prepare(context: dict[str, Any]) -> dict[str, Any]:
    """What both renderers receive: the context with charts outlined (see `glyphs`)."""
    return _outlined(context)  # type: ignore[no-any-return]


def render_html(context: dict[str, Any]) -> str:
    """A self-contained HTML page (inline CSS and SVG; fonts by name, no network)."""
    template = _jinja().get_template(f"{context['kind']}.html.j2")
    return template.render(ctx=prepare(context))


@lru_cache(maxsize=1)
def _compiler() -> Any:
    """A typst compiler kept per process: fonts are loaded and indexed once.

    One compiler serves every kind of report: each `compile` names its own template
    (`<kind>.typ`); the main file given here (the shared style) is never compiled itself.
    """
    return typst.Compiler(
        input=str(TEMPLATES / "style.typ"),
        root=str(TEMPLATES),
        font_paths=[str(FONTS)],
        ignore_system_fonts=True,
    )


def render_pdf(context: dict[str, Any]) -> bytes:
    """The PDF of a report context."""
    template = str(TEMPLATES / f"{context['kind']}.typ")
    payload = json.dumps(prepare(context), ensure_ascii=False)
    try:
        result = _compiler().compile(input=template, format="pdf", sys_inputs={"ctx": payload})
    except Exception as error:  # typst raises its own error type with the template location
        raise RenderError(f"The PDF could not be made: {error}") from error
    if not isinstance(result, bytes):
        raise RenderError("The PDF engine returned no document.")
    return result
