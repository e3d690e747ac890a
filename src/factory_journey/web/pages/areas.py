"""The areas of the web pages. Registering an area is ONE line in `AREAS`: its module name,
under the marker of the area (a line under each marker, so that areas merge without conflict).

An area module `factory_journey.web.pages.<name>` has:
  - `router`: a fastapi `APIRouter` of its pages (they are left out of the OpenAPI document and
    each needs a line in tests/web/test_page_authorisation.py);
  - optionally `NAVIGATION`: a sequence of `shell.NavItem` (header links, per kind and role);
  - optionally `HOMES`: organisation kind → the path `/` sends a signed-in member of that kind
    to (factory_group, brand, programme, park_operator, verifier); a kind no area claims goes
    to /account, which says its pages are coming.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from factory_journey.services.languages import FONTS
from factory_journey.web.pages.errors import add_page_error_handlers
from factory_journey.web.pages.shell import NavItem

STATIC = Path(__file__).parents[1] / "static" / "pages"

AREAS: tuple[str, ...] = (
    # account (shell: sign in and out, passwords, invitations, language)
    "account",
    # facility
    "facility",
    # portfolio
    "portfolio",
    "requests",
    # programme
    "programme",
    # verification
    "verification",
    # park
    "park",
    # public
    "public",
    "publishing",
    # proposals
    "proposals",
)


def area_modules() -> list[ModuleType]:
    return [importlib.import_module(f"factory_journey.web.pages.{name}") for name in AREAS]


def area_routers() -> list[tuple[str, APIRouter]]:
    """(area name, router) of every registered area, in `AREAS` order."""
    return [(module.__name__.rsplit(".", 1)[1], module.router) for module in area_modules()]


def navigation() -> list[NavItem]:
    return [item for module in area_modules() for item in getattr(module, "NAVIGATION", ())]


def homes() -> dict[str, str]:
    """Organisation kind → home path, from every area's `HOMES` (two areas may not claim one
    kind: that is a mistake, refused at start-up)."""
    found: dict[str, str] = {}
    for module in area_modules():
        for kind, path in getattr(module, "HOMES", {}).items():
            if kind in found:
                raise RuntimeError(f"two page areas claim the home of {kind!r}")
            found[kind] = path
    return found


def include_pages(app: FastAPI) -> None:
    """Serve every area's pages on `app`, outside the OpenAPI document."""
    for _name, router in area_routers():
        app.include_router(router, include_in_schema=False)
    app.state.page_navigation = navigation()
    app.state.page_homes = homes()
    # Always served (the API docs' /static is not, in production): CSS, htmx, images.
    app.mount("/static/pages", StaticFiles(directory=STATIC), name="page-static")
    # The reports' fonts (Noto, OFL), for devices without Khmer, Bengali or Chinese fonts; the
    # CSS asks for one only when a page has a character of its script that nothing else draws.
    app.mount("/fonts", StaticFiles(directory=FONTS), name="page-fonts")
    add_page_error_handlers(app)
