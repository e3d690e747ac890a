"""The programme officer's pages: cohorts, participation records, and the evaluation (the same
content and charts as `journey evaluate`). Rules live in services/platform/cohorts.py and
programme_evaluation.py; these handlers read the request and render."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.platform import cohorts
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import Conflict, InvalidInput, NotFound
from factory_journey.services.platform.programme_evaluation import (
    evaluate_cohort,
    years_available,
)
from factory_journey.web.deps import SessionDep
from factory_journey.web.pages.shell import (
    N_,
    CsrfForm,
    NavItem,
    PageUser,
    redirect,
    render,
    translator,
)

router = APIRouter()
AREA = "programme"
PROGRAMME = frozenset({"programme"})

NAVIGATION = (
    NavItem(AREA, N_("Cohorts"), "/programme", kinds=PROGRAMME),
    NavItem(AREA, N_("Evaluation"), "/programme/evaluation", kinds=PROGRAMME),
)
HOMES = {"programme": "/programme"}
DONE = {
    "cohort": N_("The cohort was saved."),
    "records": N_("The participation records were accepted and are now in force."),
}


def _home(
    request: Request,
    user: Actor,
    session: SessionDep,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    problems: list[Any] | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> Response:
    return render(
        request,
        "programme/home.html.j2",
        {
            "cohorts": cohorts.cohorts(session, user),
            "candidates": cohorts.candidates(session, user),
            "records": cohorts.records_in_force(session, user),
            "may_manage": user.role in ("admin", "editor"),
            "values": values or {"name": "", "facilities": []},
            "errors": errors or {},
            "problems": problems or [],
            "done": DONE.get(done or ""),
        },
        status_code,
    )


@router.get("/programme")
def programme_home(request: Request, user: PageUser, session: SessionDep,
                   done: str = "") -> Response:
    """Cohorts, the participation records in force, and the forms to change them."""
    return _home(request, user, session, done=done)


@router.post("/programme/cohorts")
def create_cohort(request: Request, user: PageUser, session: SessionDep,
                  form: CsrfForm) -> Response:
    t = translator(request, AREA)
    name = str(form.get("name", ""))
    chosen = [str(v) for v in form.getlist("facility")]
    values = {"name": name, "facilities": chosen}
    try:
        cohorts.create_cohort(session, user, name, chosen)
    except (InvalidInput, Conflict) as error:
        field = "facility" if error.message.startswith("facilities") else "name"
        return _home(request, user, session, values=values,
                     errors={field: t("Not saved: {reason}", reason=error.message)},
                     status_code=400)
    return redirect("/programme?done=cohort")


@router.post("/programme/records")
async def upload_records(request: Request, user: PageUser, session: SessionDep,
                         form: CsrfForm) -> Response:
    t = translator(request, AREA)
    upload = form.get("file")
    if upload is None or isinstance(upload, str) or not upload.filename:
        return _home(request, user, session,
                     errors={"file": t("Choose a CSV or Excel file of participation records.")},
                     status_code=400)
    content = await upload.read()
    try:
        outcome = cohorts.upload_records(session, user, upload.filename, content)
    except InvalidInput as error:
        return _home(request, user, session,
                     errors={"file": t("Not read: {reason}", reason=error.message)},
                     status_code=400)
    if outcome.records is None:
        return _home(request, user, session,
                     errors={"file": t("The file has problems; nothing was changed. Each "
                                       "problem is listed below with where it is.")},
                     problems=outcome.problems, status_code=400)
    return redirect("/programme?done=records")


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@router.get("/programme/evaluation")
def evaluation_page(
    request: Request,
    user: PageUser,
    session: SessionDep,
    cohort: str = "",
    baseline: str = "",
    followup: str = "",
) -> Response:
    """Choose a cohort and two years; the evaluation's report content and charts."""
    t = translator(request, AREA)
    years = years_available(session, user)
    base = _int(baseline) or (years[0] if years else None)
    follow = _int(followup) or (years[-1] if years else None)
    cohort_id = _int(cohort)
    outcome, error, refused = None, None, False
    if base is not None and follow is not None:
        try:
            outcome = evaluate_cohort(session, user, cohort_id, base, follow)
        except (InvalidInput, NotFound) as problem:
            error, refused = t("No evaluation: {reason}", reason=problem.message), True
    else:
        error = t("No evaluation yet: no facility shares its data with your programme.")
    return render(
        request,
        "programme/evaluation.html.j2",
        {
            "cohorts": cohorts.cohorts(session, user),
            "years": years,
            "chosen": {"cohort": cohort_id, "baseline": base, "followup": follow},
            "outcome": outcome,
            "ctx": outcome.context if outcome else None,
            "error": error,
        },
        400 if refused else 200,
    )
