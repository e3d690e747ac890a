"""Uploading a dataset: the form, the import's progress (htmx polls the job; without
JavaScript the page offers a link to look again), then every problem located with a link to
its guidance, or the versions the import made."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from factory_journey.services.platform import imports
from factory_journey.services.platform.errors import InvalidInput, TooLarge
from factory_journey.services.platform.upload_jobs import job_view
from factory_journey.services.problem_templates import problem_text
from factory_journey.web.deps import FactoryDep, RowId, SessionDep
from factory_journey.web.pages.facility.common import STYLES, tr
from factory_journey.web.pages.shell import CsrfForm, PageUser, redirect, render
from factory_journey.web.uploads import read_at_most

router = APIRouter()

#: How often the job page asks for news while the import runs [s].
POLL_SECONDS = 1


def _form(request: Request, errors: dict[str, str], status: int = 200) -> Response:
    return render(request, "facility/upload.html.j2", {
        "styles": STYLES,
        "errors": errors,
        "suffixes": sorted(imports.DATASET_SUFFIXES),
        "max_mb": imports.MAX_UPLOAD_BYTES // 1_000_000,
    }, status_code=status)


@router.get("/facilities/upload")
def upload_form(request: Request, user: PageUser) -> Response:
    imports.check_upload(user)  # viewers are told they may not, before choosing a file
    return _form(request, {})


@router.post("/facilities/upload")
def upload(
    request: Request,
    user: PageUser,
    form: CsrfForm,
    session: SessionDep,
    factory: FactoryDep,
    background: BackgroundTasks,
) -> Response:
    """Keep the file, start its import as a job, and go to the job's page."""
    imports.check_upload(user)
    t = tr(request)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return _form(request, {"file": t("Choose a file to upload.")}, 400)
    content = read_at_most(file, imports.MAX_UPLOAD_BYTES + 1)  # type: ignore[arg-type]
    try:
        stored = imports.store_upload(session, user, file.filename, file.content_type or "",
                                      content)
    except (InvalidInput, TooLarge) as error:  # in the reader's language, the file named
        return _form(request, {"file": problem_text(error.message, t)}, error.status)
    job = imports.create_job(session, stored)
    session.commit()  # the raw file and the job exist before the import starts
    background.add_task(imports.run_import, factory, job.id, user)
    return redirect(f"/facilities/uploads/{job.id}")


@router.get("/facilities/uploads/{job_id}")
def job_page(request: Request, job_id: RowId, user: PageUser, session: SessionDep) -> Response:
    """The import's progress; when it has ended, its problems or the versions it made. An
    htmx request (the page polling itself) gets the status part only."""
    view = job_view(session, user, job_id)
    session.commit()  # an interruption found here is recorded before the answer
    template = ("facility/job_status.html.j2" if request.headers.get("hx-request")
                else "facility/job.html.j2")
    return render(request, template, {"styles": STYLES, "job": view, "poll": POLL_SECONDS})
