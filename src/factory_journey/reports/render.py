"""Render a report context to HTML (Jinja2) or PDF (typst, see decision 0006).

Both renderers take the same context dict, built once by `reports.context`; the PDF gets it as
JSON through typst's `sys.inputs`, so user text is never spliced into markup. Only the fonts
shipped in `reports/fonts/` are used (system fonts are ignored), so the output is the same on
every machine.
"""

from __future__ import annotations

import json
import os
import threading
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


def _compiler_count() -> int:
    """How many PDFs one process compiles at once (`JOURNEY_PDF_COMPILERS`, default 2).

    Measured in decision 0011: every option was safe and CPU per PDF was the same, so the
    bound decides. One (a lock) caps a process's compiles at one core (typst takes 45-60 ms
    of one core per report); one per thread lets the route's thread pool run dozens at once
    on two cores for no more throughput. Two keeps both cores busy with one worker process.
    """
    value = os.environ.get("JOURNEY_PDF_COMPILERS", "").strip()
    if not value:
        return 2
    if not value.isdigit() or int(value) < 1:
        raise RenderError(
            f"JOURNEY_PDF_COMPILERS must be a whole number of at least 1, not {value[:20]!r}."
        )
    return int(value)


class CompilerPool:
    """At most `size` typst compilers per process, each used by one thread at a time.

    A `typst.Compiler` may not be used by two threads at once (its `compile` borrows it
    mutably and raises "Already borrowed" to the second); web requests render on a pool of
    threads. Compilers are made when first needed and share one font store (fonts are
    indexed once per process; a compiler then costs under a millisecond), and the
    in-memory caches of typst are shared by the whole process anyway.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._idle: list[Any] = []
        self._fonts: Any = None
        self.made = 0  #: compilers made so far (never more than `size`)

    def _new_compiler(self) -> Any:
        with self._lock:
            if self._fonts is None:
                self._fonts = typst.Fonts(
                    include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(FONTS)]
                )
            fonts = self._fonts
            self.made += 1
        # One compiler serves every kind of report: each `compile` names its own template
        # (`<kind>.typ`); the main file given here (the shared style) is never compiled.
        return typst.Compiler(
            input=str(TEMPLATES / "style.typ"), root=str(TEMPLATES), font_paths=fonts
        )

    def compile(self, template: str, sys_inputs: dict[str, str]) -> Any:
        """The PDF of `template`; waits while all `size` compilers are busy."""
        with self._slots:
            with self._lock:
                compiler = self._idle.pop() if self._idle else None
            if compiler is None:
                compiler = self._new_compiler()
            result = compiler.compile(input=template, format="pdf", sys_inputs=sys_inputs)
            # Only a compiler that came back normally is used again (not one that raised).
            with self._lock:
                self._idle.append(compiler)
            return result


_pool: CompilerPool | None = None
_pool_lock = threading.Lock()


def _compilers() -> CompilerPool:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = CompilerPool(_compiler_count())
        return _pool


def _forget_pool() -> None:
    # A forked child must not inherit compilers or slots held by its parent's other threads.
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_pool)


def render_pdf(context: dict[str, Any]) -> bytes:
    """The PDF of a report context; safe to call from many threads at once."""
    template = str(TEMPLATES / f"{context['kind']}.typ")
    payload = json.dumps(prepare(context), ensure_ascii=False)
    try:
        result = _compilers().compile(template, {"ctx": payload})
    except Exception as error:  # typst raises its own error type with the template location
        raise RenderError(f"The PDF could not be made: {error}") from error
    if not isinstance(result, bytes):
        raise RenderError("The PDF engine returned no document.")
    return result
