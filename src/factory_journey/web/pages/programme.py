"""The programme officer's pages: cohorts, participation records, and the evaluation (the same
content and charts as `journey evaluate`), with the facilities without comparable data of each
area and the evaluation as CSV or XLSX. Rules live in services/platform/cohorts.py,
programme_evaluation.py, evaluation_gaps.py and evaluation_export.py; these handlers read the
request and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from factory_journey.services.platform import cohorts
from factory_journey.services.platform.accounts import Actor
from factory_journey.services.platform.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PlatformError,
)
from factory_journey.services.platform.evaluation_export import evaluation_file
from factory_journey.services.platform.evaluation_gaps import facilities_without_comparable_data
from factory_journey.services.platform.files import attachment_disposition
from factory_journey.services.platform.programme_evaluation import (
    chosen_years,
    evaluate_cohort,
    years_available,
)
from factory_journey.services.problem_templates import problem_text
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
#: The evaluation's areas (keys of the evaluation rules) in the reader's language; an area
#: not named here shows the rules' English label.
EVALUATION_AREAS = {
    "energy": N_("Energy efficiency"),
    "water": N_("Water efficiency"),
    "wastewater": N_("Wastewater recycling"),
    "chemicals": N_("Chemical management"),
    "waste": N_("Waste"),
    "air": N_("Air emissions tracking"),
    "ems": N_("EMS baselines and targets"),
}
#: Why a facility has no comparable data in an area (keys of engine.evaluation.REASONS).
REASON_NAMES = {
    "not_in_both_years": N_("No data for one or both years"),
    "factory_type_changed": N_("The factory type changed between the years"),
    "basis_changed": N_("Production measured differently (pieces or kg) in the two years"),
    "missing_indicator": N_("The figure could not be worked out for one or both years"),
    "zero_baseline": N_("The value of the baseline year is 0"),
    "disputed_data": N_("Data disputed in one or both years"),
    "incomplete": N_("Too few months reported"),
    "unverified": N_("Too little of the data verified"),
}

#: The inputs a cohort refusal is about (`PlatformError.field`: services/platform/cohorts.py)
#: → the form field it is shown at and that field's label, which names it in the message.
REFUSED_FIELDS = {
    "facilities": ("facility", N_("Facilities")),
    "name": ("name", N_("Name of the cohort")),
    "file": ("file", N_("Participation records (CSV or Excel)")),
}


def _refusal(error: PlatformError, t: Callable[..., str]) -> tuple[str, str]:
    """The form field a refusal is shown at, and its reason in the reader's language, named
    by the field's label ("Tên nhóm: …"), not by the API's key ("name: …")."""
    field, label = REFUSED_FIELDS.get(error.field or "", ("name", None))
    reason = problem_text(error.reason, t)
    if label is None:
        return field, reason
    return field, t("{field}: {reason}", field=t(label), reason=reason)


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
        field, reason = _refusal(error, t)
        return _home(request, user, session, values=values,
                     errors={field: t("Not saved: {reason}", reason=reason)},
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
                     errors={"file": t("Not read: {reason}", reason=_refusal(error, t)[1])},
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
    base, follow = chosen_years(years, _int(baseline), _int(followup))
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
            "gaps": facilities_without_comparable_data(session, user, outcome) if outcome
            else [],
            "area_names": EVALUATION_AREAS,
            "reason_names": REASON_NAMES,
            "query": urlencode({"cohort": cohort_id or "", "baseline": base,
                                "followup": follow}),
            "error": error,
        },
        400 if refused else 200,
    )


def _export(session: SessionDep, user: PageUser, kind: str, cohort: str, baseline: str,
            followup: str) -> Response:
    found = evaluation_file(session, user, _int(cohort), _int(baseline), _int(followup), kind)
    return Response(found.content, media_type=found.media_type, headers={
        "Content-Disposition": attachment_disposition(found.filename),
        "Cache-Control": "private, no-store",
    })


@router.get("/programme/evaluation/export.csv")
def export_csv(user: PageUser, session: SessionDep, cohort: str = "", baseline: str = "",
               followup: str = "") -> Response:
    """The evaluation the page shows with the same choices: one row per facility and area."""
    return _export(session, user, "csv", cohort, baseline, followup)


@router.get("/programme/evaluation/export.xlsx")
def export_xlsx(user: PageUser, session: SessionDep, cohort: str = "", baseline: str = "",
                followup: str = "") -> Response:
    """The evaluation the page shows with the same choices: the per facility and area table,
    then every table of the evaluation."""
    return _export(session, user, "xlsx", cohort, baseline, followup)
