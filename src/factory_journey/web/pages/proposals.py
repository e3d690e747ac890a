"""Join the Journey pages: proposers draft, attach, submit and revise; committee seats review.

Every rule is in services/proposals; these handlers turn forms into calls and answers into
pages. A refused form is shown again with what was typed and every problem, located.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from factory_journey.services.platform.errors import InvalidInput, TooLarge
from factory_journey.services.platform.evidence import download_content_type
from factory_journey.services.platform.files import attachment_disposition
from factory_journey.services.proposals import (
    builds,
    drafting,
    forms,
    reading,
    reviewing,
    rubric,
    submission,
)
from factory_journey.services.proposals.committee import is_member
from factory_journey.services.proposals.records import require
from factory_journey.web.deps import RowId, SessionDep
from factory_journey.web.pages.shell import (
    N_,
    CsrfForm,
    NavItem,
    PageUser,
    redirect,
    render,
    settings_of,
    translator,
)

router = APIRouter()
AREA = "proposals"

NAVIGATION = (NavItem(AREA, N_("Join the Journey"), "/proposals"),)

#: States in the reader's words.
STATE_NAMES = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "under_review": N_("Under review"),
    "changes_requested": N_("Changes requested"),
    "accepted": N_("Accepted"),
    "rejected": N_("Rejected"),
}
EFFECT_NAMES = {
    "thermal_energy": N_("Thermal energy"),
    "electric_energy": N_("Electricity"),
    "water": N_("Water"),
    "scope1": N_("Scope 1 CO2e (on-site fuels)"),
}
BASIS_NAMES = {
    "facility": N_("factory"),
    "energy_gj": N_("GJ saved a year"),
    "switched_gj": N_("GJ a year switched to another fuel"),
    "electricity_kwh": N_("kWh a year substituted"),
    "water_m3": N_("m³ of water saved a year"),
}
CERTAINTY_NAMES = {
    "unverified": N_("Unverified"),
    "secondary": N_("Secondary source"),
    "primary": N_("Primary source"),
}
RECOMMENDATIONS = {
    "accept": N_("Accept"),
    "changes": N_("Ask for changes"),
    "reject": N_("Reject"),
}


def _lists(form: FormData) -> dict[str, list[str]]:
    return {key: [str(v) for v in form.getlist(key) if isinstance(v, str)] for key in form}


def _anchor(where: str) -> str:
    """The id of the form part a problem is about (`measures.2.effects` → `measure-2`)."""
    parts = where.split(".")
    if parts[0] == "measures" and len(parts) > 1:
        return f"measure-{parts[1]}"
    return parts[0].replace("_", "-")


def _problems(items: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"where": where, "anchor": _anchor(where), "message": msg} for where, msg in items]


def _form_page(
    request: Request,
    values: dict[str, Any],
    problems: list[tuple[str, str]],
    proposal_id: int | None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "proposals/form.html.j2",
        {
            "values": values,
            "problems": _problems(problems),
            "choices": forms.form_choices(),
            "effect_names": EFFECT_NAMES,
            "basis_names": BASIS_NAMES,
            "certainty_names": CERTAINTY_NAMES,
            "proposal_id": proposal_id,
            "action": f"/proposals/{proposal_id}/edit" if proposal_id else "/proposals/new",
        },
        status_code,
    )


@router.get("/proposals")
def proposal_list(request: Request, user: PageUser, session: SessionDep) -> Response:
    rows = reading.list_proposals(session, user)
    return render(
        request,
        "proposals/list.html.j2",
        {
            "rows": [
                {"proposal": p, "organisation": name, "state": STATE_NAMES[p.state],
                 "own": p.organisation_id == user.organisation_id}
                for p, name in rows
            ],
            "may_propose": user.role in ("admin", "editor"),
            "committee": is_member(session, user),
        },
    )


@router.get("/proposals/new")
def new_proposal(request: Request, user: PageUser) -> Response:
    require(user, "proposal.create")
    return _form_page(request, {}, [], None)


@router.post("/proposals/new")
def create_proposal(
    request: Request, user: PageUser, form: CsrfForm, session: SessionDep
) -> Response:
    require(user, "proposal.create")
    raw = _lists(form)
    parsed = forms.proposal_from_form(raw)
    if parsed.problems:
        return _form_page(request, raw, parsed.problems, None, 422)
    try:
        proposal = drafting.create_draft(session, user, parsed.content)
    except InvalidInput as error:
        return _form_page(request, raw, [("title", error.message)], None, 422)
    session.commit()
    return redirect(f"/proposals/{proposal.id}")


@router.get("/proposals/{proposal_id}")
def proposal_page(
    proposal_id: RowId, request: Request, user: PageUser, session: SessionDep
) -> Response:
    return _detail(request, user, session, proposal_id, [], 200)


def _detail(
    request: Request,
    user: Any,
    session: Any,
    proposal_id: int,
    refused: list[tuple[str, str]],
    status_code: int,
) -> Response:
    shown = reading.view(session, user, proposal_id)
    reviews = reading.reviews(session, user, proposal_id)
    numbers = {v.id: v.number for v in shown.versions}
    latest = shown.versions[-1] if shown.versions else None
    writer = user.role in ("admin", "editor")
    return render(
        request,
        "proposals/detail.html.j2",
        {
            "shown": shown,
            "proposal": shown.proposal,
            "state": STATE_NAMES[shown.proposal.state],
            "latest": latest,
            "content": latest.content if latest else {},
            "names": forms.choice_names(),
            "effect_names": EFFECT_NAMES,
            "basis_names": BASIS_NAMES,
            "build_label": (
                builds.get_build(session, shown.proposal.methodology_build_id).label
                if shown.proposal.methodology_build_id
                else None
            ),
            "problems": _problems(shown.problems),
            "refused": _problems(refused),
            "reviews": [{"row": r, "version": numbers.get(r.version_id)} for r in reviews],
            "rubric": rubric.rubric(),
            "recommendations": RECOMMENDATIONS,
            "state_names": STATE_NAMES,
            "may_edit": shown.own and writer and shown.proposal.state == "draft",
            "may_revise": shown.own and writer and shown.proposal.state == "changes_requested",
            "may_review": shown.reviewer and writer and not shown.reviewed_by_my_seat
            and shown.proposal.state in ("submitted", "under_review"),
        },
        status_code,
    )


@router.get("/proposals/{proposal_id}/edit")
def edit_proposal(
    proposal_id: RowId, request: Request, user: PageUser, session: SessionDep
) -> Response:
    version = drafting.editable_version(session, user, proposal_id)
    return _form_page(request, forms.form_values(version.content), [], proposal_id)


@router.post("/proposals/{proposal_id}/edit")
def save_proposal(
    proposal_id: RowId, request: Request, user: PageUser, form: CsrfForm, session: SessionDep
) -> Response:
    drafting.editable_version(session, user, proposal_id)
    raw = _lists(form)
    parsed = forms.proposal_from_form(raw)
    if parsed.problems:
        return _form_page(request, raw, parsed.problems, proposal_id, 422)
    try:
        drafting.update_draft(session, user, proposal_id, parsed.content)
    except InvalidInput as error:
        return _form_page(request, raw, [("title", error.message)], proposal_id, 422)
    session.commit()
    return redirect(f"/proposals/{proposal_id}")


@router.post("/proposals/{proposal_id}/attachments")
def attach(
    proposal_id: RowId, request: Request, user: PageUser, form: CsrfForm, session: SessionDep
) -> Response:
    drafting.check_attach(session, user, proposal_id)
    upload = form.get("file")
    t = translator(request, AREA)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _detail(request, user, session, proposal_id,
                       [("file", t("Choose a file to attach."))], 422)
    max_bytes: int = settings_of(request).evidence_max_bytes
    content = upload.file.read(max_bytes + 1)
    try:
        drafting.attach(session, user, proposal_id, upload.filename, content, max_bytes=max_bytes)
    except (InvalidInput, TooLarge) as error:
        session.rollback()
        return _detail(request, user, session, proposal_id, [("file", error.message)],
                       error.status)
    session.commit()
    return redirect(f"/proposals/{proposal_id}")


@router.get("/proposals/{proposal_id}/attachments/{attachment_id}")
def download(
    proposal_id: RowId, attachment_id: RowId, user: PageUser, session: SessionDep
) -> Response:
    row = reading.attachment(session, user, proposal_id, attachment_id)
    return Response(
        row.content,
        media_type=download_content_type(row),  # type: ignore[arg-type]
        headers={
            "Content-Disposition": attachment_disposition(row.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@router.post("/proposals/{proposal_id}/submit")
def submit(
    proposal_id: RowId, request: Request, user: PageUser, _form: CsrfForm, session: SessionDep
) -> Response:
    try:
        submission.submit(session, user, proposal_id)
    except submission.ProposalInvalid as error:
        session.rollback()
        return _detail(request, user, session, proposal_id, error.problems, 422)
    session.commit()
    return redirect(f"/proposals/{proposal_id}")


@router.post("/proposals/{proposal_id}/revise")
def revise(
    proposal_id: RowId, user: PageUser, _form: CsrfForm, session: SessionDep
) -> Response:
    submission.revise(session, user, proposal_id)
    session.commit()
    return redirect(f"/proposals/{proposal_id}/edit")


def _review_page(
    request: Request,
    user: Any,
    session: Any,
    proposal_id: int,
    values: dict[str, Any],
    problems: list[tuple[str, str]],
    status_code: int = 200,
) -> Response:
    reviewing.check_may_review(session, user, proposal_id)
    shown = reading.view(session, user, proposal_id)
    return render(
        request,
        "proposals/review.html.j2",
        {
            "proposal": shown.proposal,
            "latest": shown.versions[-1],
            "rubric": rubric.rubric(),
            "values": values,
            "problems": [
                {"where": w, "anchor": w.replace(".", "-").replace(":", "-"), "message": m}
                for w, m in problems
            ],
            "recommendations": RECOMMENDATIONS,
        },
        status_code,
    )


@router.get("/proposals/{proposal_id}/review")
def review_page(
    proposal_id: RowId, request: Request, user: PageUser, session: SessionDep
) -> Response:
    return _review_page(request, user, session, proposal_id, {}, [])


@router.post("/proposals/{proposal_id}/review")
def add_review(
    proposal_id: RowId, request: Request, user: PageUser, form: CsrfForm, session: SessionDep
) -> Response:
    reviewing.check_may_review(session, user, proposal_id)
    raw = {key: value[-1] for key, value in _lists(form).items() if value}
    arguments, problems = forms.review_from_form(_lists(form))
    if not problems:
        try:
            reviewing.add_review(session, user, proposal_id, **arguments)
        except reviewing.ReviewInvalid as error:
            session.rollback()
            problems = error.problems
    if problems:
        return _review_page(request, user, session, proposal_id, raw, problems, 422)
    session.commit()
    return redirect(f"/proposals/{proposal_id}")
