"""The verifier's pages: the queue, a facility-year's data points, one data point (its value,
provenance, evidence and history) with the form to verify or dispute it, and its evidence.

The facility that owns the data reads the same facility and data point pages, without the
form (`verification_view.may`). Every rule is in the services (`verification_queue`,
`verification_view`, `verification_decision`, `evidence`); a refused decision is shown again
with what the verifier typed, and nothing of it is kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from babel.numbers import parse_pattern
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from jinja2 import pass_context
from markupsafe import Markup, escape
from starlette.datastructures import UploadFile

from factory_journey.domain.verification import Subject
from factory_journey.services.languages import page_translator
from factory_journey.services.platform import evidence
from factory_journey.services.platform.errors import Conflict, InvalidInput, TooLarge
from factory_journey.services.platform.files import attachment_disposition, inline_disposition
from factory_journey.services.platform.verification_data_point import data_point
from factory_journey.services.platform.verification_decision import (
    DECISIONS,
    Document,
    attach_document,
    decide,
)
from factory_journey.services.platform.verification_queue import verification_queue
from factory_journey.services.platform.verification_view import facility_year
from factory_journey.web.deps import FacilityId, RowId, SessionDep
from factory_journey.web.pages.shell import (
    LOCALES,
    N_,
    SHELL_AREA,
    CsrfForm,
    NavItem,
    PageUser,
    environment,
    redirect,
    render,
    settings_of,
    translator,
)
from factory_journey.web.uploads import read_at_most

router = APIRouter()
AREA = "verification"

NAVIGATION = (
    NavItem(AREA, N_("Verification queue"), "/verification", kinds=frozenset({"verifier"})),
)
HOMES = {"verifier": "/verification"}

#: Each status in the reader's words (the badge shows the word, never the colour alone).
STATUS_LABELS = {
    "verified": N_("Verified"),
    "disputed": N_("Disputed"),
    "self-reported": N_("Self-reported"),
}
#: What a record did, in the history.
DECISION_LABELS = {
    "verified": N_("verified"),
    "disputed": N_("disputed"),
    "self-reported": N_("returned to self-reported"),
}
YES_NO = (N_("no"), N_("yes"))
#: Each table a verifier checks, as a person calls it.
TABLE_LABELS = {
    "profiles": N_("Facility profile"),
    "energy": N_("Energy"),
    "water": N_("Water"),
    "wastewater": N_("Wastewater"),
    "waste": N_("Waste"),
    "air": N_("Air emissions"),
    "chemicals": N_("Chemicals (ZDHC InCheck)"),
    "ems": N_("Environmental management"),
    "zdhc_wastewater": N_("ZDHC wastewater tests"),
}
#: Largest comment or note kept from a form [characters] (a refused form shows it again).
MAX_TEXT = 4000

Year = Annotated[int, Path(ge=1900, le=2100)]
Table = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]


@pass_context
def verification_status_label(context: Any, status: str) -> str:
    """The status word in the page's language, from this area's catalogue: the badge partial
    (`verification/_status_badge.html.j2`) calls it, whichever area's page includes it."""
    language = context.get("lang", "en")
    t = page_translator(LOCALES, (AREA, SHELL_AREA), language)
    return t.gettext(STATUS_LABELS.get(status, STATUS_LABELS["self-reported"]))


environment().globals["verification_status_label"] = verification_status_label


def _show(request: Request) -> Any:
    """A function for templates: a reported value as a person reads it, in the locale."""
    t = translator(request, AREA)
    # One locale and one pattern per number of decimals for the whole page: a facility-year
    # shows a few hundred values, and parsing them again for each costs more than the page.
    locale = t.locale
    patterns = [parse_pattern("#,##0" + ("." + "0" * d if d else "")) for d in range(4)]

    def show(value: Any) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return t(YES_NO[int(value)])
        if isinstance(value, int):
            return str(patterns[0].apply(value, locale))
        if isinstance(value, float):
            digits = next((d for d in range(4) if round(value, d) == round(value, 3)), 3)
            return str(patterns[digits].apply(value, locale))
        # A code such as `purchased_electricity` may break after its underscores on a phone.
        return Markup(escape(str(value)).replace("_", "_<wbr>"))

    return show


def _when(request: Request) -> Any:
    t = translator(request, AREA)

    def when(moment: datetime | None) -> str:
        if moment is None:
            return "–"
        return f"{t.date(moment)} {moment:%H:%M} UTC"

    return when


def _helpers(request: Request) -> dict[str, Any]:
    return {
        "show": _show(request),
        "when": _when(request),
        "decision_labels": DECISION_LABELS,
        "table_labels": TABLE_LABELS,
    }


@router.get("/verification")
def queue_page(request: Request, user: PageUser, session: SessionDep) -> Response:
    """The facilities shared with the verifier's organisation, waiting ones first."""
    entries = verification_queue(session, user)
    return render(request, "verification/queue.html.j2", {"entries": entries, **_helpers(request)})


@router.get("/verification/facilities/{facility_id}")
def facility_page(
    request: Request,
    user: PageUser,
    session: SessionDep,
    facility_id: FacilityId,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    table: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]+$")] = None,
    waiting: bool = False,
) -> Response:
    """A facility-year's tables with their counts and one table's data points (the latest
    year, the first table with data points waiting, by default)."""
    view = facility_year(session, user, facility_id, year, table)
    return render(
        request,
        "verification/facility.html.j2",
        {"view": view, "waiting_only": waiting, **_helpers(request)},
    )


# The evidence routes come before the data point routes: `/evidence/7/download` would
# otherwise match `/{year}/{table}/{row}` and be refused as a year.


def _evidence_response(row: Any, inline: bool) -> Response:
    disposition = inline_disposition if inline else attachment_disposition
    headers = {
        "Content-Disposition": disposition(row.filename),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    if inline and row.content_type.startswith("image/"):
        # An image shown on its own: nothing in it may run or reach our pages. (Not for a PDF:
        # Chromium's viewer refuses a sandboxed document; a PDF that could run anything was
        # refused at upload, and the site's policy still applies to it.)
        headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return Response(row.content, media_type=evidence.download_content_type(row), headers=headers)


@router.get("/verification/facilities/{facility_id}/evidence/{evidence_id}")
def open_evidence(
    user: PageUser, session: SessionDep, facility_id: FacilityId, evidence_id: RowId
) -> Response:
    """The document in the browser when it is a PDF or an image; otherwise a download."""
    row = evidence.evidence_file(session, user, facility_id, evidence_id)
    return _evidence_response(row, evidence.opens_inline(row))


@router.get("/verification/facilities/{facility_id}/evidence/{evidence_id}/download")
def download_evidence(
    user: PageUser, session: SessionDep, facility_id: FacilityId, evidence_id: RowId
) -> Response:
    """The document as uploaded, as a download."""
    row = evidence.evidence_file(session, user, facility_id, evidence_id)
    return _evidence_response(row, False)


def _point_page(
    request: Request,
    session: SessionDep,
    user: Any,
    facility_id: str,
    year: int,
    table: str,
    row: int,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    upload_errors: dict[str, str] | None = None,
    recorded: str | None = None,
    added: bool = False,
    status_code: int = 200,
) -> Response:
    view = data_point(session, user, facility_id, year, table, row)
    return render(
        request,
        "verification/data_point.html.j2",
        {
            "point": view,
            "values": values or {},
            "errors": errors or {},
            "upload_errors": upload_errors or {},
            "added": added,
            "recorded": recorded if recorded in DECISIONS else None,
            "decisions": DECISIONS,
            "max_mb": settings_of(request).evidence_max_bytes / 1e6,
            **_helpers(request),
        },
        status_code,
    )


@router.get("/verification/facilities/{facility_id}/{year}/{table}/{row}")
def data_point_page(
    request: Request,
    user: PageUser,
    session: SessionDep,
    facility_id: FacilityId,
    year: Year,
    table: Table,
    row: RowId,
    recorded: str | None = None,
    added: bool = False,
) -> Response:
    """One data point: value, provenance, evidence, history, and (for a verifier) the form."""
    return _point_page(
        request, session, user, facility_id, year, table, row, recorded=recorded, added=added
    )


def _document(form: Any, max_bytes: int) -> Document | None:
    """The file of the form's `document` field, at most `max_bytes` + 1 bytes of it (one more
    tells the service it is too large); None when no file was chosen."""
    upload = form.get("document")
    if isinstance(upload, UploadFile) and upload.filename:
        return Document(upload.filename, read_at_most(upload, max_bytes + 1))  # type: ignore[arg-type]
    return None


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value[:MAX_TEXT] if isinstance(value, str) else ""


@router.post("/verification/facilities/{facility_id}/{year}/{table}/{row}")
def record_decision(
    request: Request,
    user: PageUser,
    session: SessionDep,
    form: CsrfForm,
    facility_id: FacilityId,
    year: Year,
    table: Table,
    row: RowId,
) -> Response:
    """Verify or dispute the data point; committed before the answer, which shows it."""
    values = {
        name: _text(form, name)
        for name in ("decision", "comment", "observation", "evidence_id", "version")
    }
    max_bytes: int = settings_of(request).evidence_max_bytes
    document = _document(form, max_bytes)
    evidence_id = int(values["evidence_id"]) if values["evidence_id"].isdigit() else None
    version = int(values["version"]) if values["version"].isdigit() else None
    try:
        decide(
            session,
            user,
            facility_id,
            year,
            Subject(table, row),
            values["decision"],
            version=version,
            comment=values["comment"],
            observation=values["observation"],
            evidence_id=evidence_id,
            document=document,
            max_bytes=max_bytes,
        )
    except (InvalidInput, TooLarge, Conflict) as error:
        session.rollback()  # nothing of a refused decision is kept
        t = translator(request, AREA)
        message = error.message
        if document is not None:
            message += " " + t("Choose the document again: a browser does not keep it.")
        return _point_page(
            request,
            session,
            user,
            facility_id,
            year,
            table,
            row,
            values=values,
            errors={"form": message},
            status_code=error.status,
        )
    return redirect(
        f"/verification/facilities/{facility_id}/{year}/{table}/{row}"
        f"?recorded={values['decision']}#history"
    )


@router.post("/verification/facilities/{facility_id}/{year}/{table}/{row}/evidence")
def add_document(
    request: Request,
    user: PageUser,
    session: SessionDep,
    form: CsrfForm,
    facility_id: FacilityId,
    year: Year,
    table: Table,
    row: RowId,
) -> Response:
    """Upload a document for the data point (the facility's writers): the verifier sees it."""
    max_bytes: int = settings_of(request).evidence_max_bytes
    try:
        attach_document(
            session,
            user,
            facility_id,
            year,
            Subject(table, row),
            _document(form, max_bytes),
            max_bytes=max_bytes,
        )
    except (InvalidInput, TooLarge) as error:
        session.rollback()
        return _point_page(
            request,
            session,
            user,
            facility_id,
            year,
            table,
            row,
            upload_errors={"upload": error.message},
            status_code=error.status,
        )
    return redirect(
        f"/verification/facilities/{facility_id}/{year}/{table}/{row}?added=1#evidence-heading"
    )
