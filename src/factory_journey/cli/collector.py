"""The garbage collector while `journey` starts: paused while modules load, on for the work.

Loading the command line and a command's services makes some 200,000 long-lived objects
(modules, classes, functions, pydantic schemas) and next to no garbage, yet every 700 new
objects start a collection that walks them: 0.1–0.2 s of a one-facility `journey assess`
(issue 14), freeing nothing. So the `journey` script (`cli.main`) pauses the collector while
it imports, and before a command works it freezes what was loaded (`gc.freeze`: later
collections skip it, as the web app does after its start-up) and turns the collector back on,
so that a long run still frees its reference cycles. A command that imports its services
lazily does so inside `quiet_imports()`.

Only the script does this: `typer.testing.CliRunner` and other callers of the Typer app keep
their process's collector as it is (a freeze there would keep a test's garbage for good).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_managed = False


def start() -> None:
    """Pause automatic collection until `resume` (called once, by the `journey` script)."""
    global _managed
    if gc.isenabled():
        _managed = True
        gc.disable()


def resume() -> None:
    """Keep what is loaded out of later collections and collect automatically again (only
    when `start` paused the collector)."""
    if _managed and not gc.isenabled():
        gc.freeze()
        gc.enable()


def stop() -> None:
    """The collector on, and `quiet_imports` inert again (when `main` returns: a test that
    calls it in-process keeps a working collector). What was frozen stays frozen: unfrozen,
    it would all be walked again by the collections of the interpreter's exit."""
    global _managed
    if _managed:
        _managed = False
        gc.enable()


@contextmanager
def quiet_imports() -> Iterator[None]:
    """Imports inside the block run without collections; the collector is on after it."""
    if _managed:
        gc.disable()
    try:
        yield
    finally:
        resume()
