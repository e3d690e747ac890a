"""The factory pages (a factory organisation's admins, editors and viewers): the home page of
each facility and year, templates and guidance, uploads with their located problems, the
history of submissions, the assessment and its PDF report, sharing, and the team.

One package, one message catalogue (`facility.po`); a module per part of the work."""

from __future__ import annotations

from fastapi import APIRouter

from factory_journey.web.pages.facility import assessment, files, home, sharing, team, uploads
from factory_journey.web.pages.facility.common import AREA, FACTORY, WRITERS
from factory_journey.web.pages.shell import N_, NavItem

router = APIRouter()
# The parts' routes themselves (not included routers), so that the page list sees each one;
# fixed paths (/facilities/upload, /facilities/guidance) before /facilities/{facility_id}.
for part in (files, uploads, team, home, assessment, sharing):
    router.routes.extend(part.router.routes)

NAVIGATION = (
    NavItem(AREA, N_("Facilities"), "/facilities", kinds=FACTORY),
    NavItem(AREA, N_("Upload data"), "/facilities/upload", kinds=FACTORY, roles=WRITERS),
    NavItem(AREA, N_("Templates and guidance"), "/facilities/guidance", kinds=FACTORY),
    NavItem(AREA, N_("Team"), "/factory/team", kinds=FACTORY, roles=frozenset({"admin"})),
)
HOMES = {"factory_group": "/facilities"}
