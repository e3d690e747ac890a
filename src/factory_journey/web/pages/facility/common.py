"""What the factory pages share: the area name, who sees the navigation, and the translator."""

from __future__ import annotations

from fastapi import Request

from factory_journey.services.languages import Translator
from factory_journey.web.pages.shell import page_language, translator

AREA = "facility"
FACTORY = frozenset({"factory_group"})
WRITERS = frozenset({"admin", "editor"})
#: The area's own style sheet (linked from its templates; the CSP allows only files).
STYLES = "/static/pages/facility.css"


def tr(request: Request) -> Translator:
    """The facility area's translator for this request."""
    return translator(request, AREA)


def language(request: Request) -> str:
    """The reader's language (a report language too: the assessment and PDF use it)."""
    return page_language(request)
