"""Uploads and import jobs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, UploadFile

from factory_journey.services.platform import imports
from factory_journey.web.deps import CurrentActor, FactoryDep, RowId, SessionDep
from factory_journey.web.responses import errors
from factory_journey.web.schemas import JobPublic
from factory_journey.web.uploads import read_at_most

router = APIRouter(tags=["data"])


@router.post(
    "/uploads",
    response_model=JobPublic,
    status_code=202,
    responses=errors(400, 401, 403, 413, 422),
)
def upload_dataset(
    session: SessionDep,
    factory: FactoryDep,
    actor: CurrentActor,
    background: BackgroundTasks,
    file: Annotated[UploadFile, File()],
) -> JobPublic:
    """Upload a dataset (.xlsx, .json, .csv or .zip of CSVs, at most 50 MB); the import runs
    as a job."""
    # A plain `def`: hashing and writing a 50 MB file happen in a worker thread. The permission
    # is asked before the file is read, and no more than the limit plus one byte is read.
    imports.check_upload(actor)
    # One byte past the limit is enough for the service to refuse the file as too large.
    content = read_at_most(file, imports.MAX_UPLOAD_BYTES + 1)
    filename = file.filename or "dataset"
    upload = imports.store_upload(session, actor, filename, file.content_type or "", content)
    job = imports.create_job(session, upload)
    session.commit()  # the raw file and the job exist before the import starts
    background.add_task(imports.run_import, factory, job.id, actor)
    return JobPublic.model_validate(job)


@router.get("/jobs/{job_id}", response_model=JobPublic, responses=errors(401, 404, 422))
def get_job(job_id: RowId, session: SessionDep, actor: CurrentActor) -> JobPublic:
    """An import job of your organisation; one whose server died says "interrupted"."""
    job = imports.job_status(session, actor, job_id)
    session.commit()  # an interruption found here is recorded before the answer
    return JobPublic.model_validate(job)


@router.post(
    "/jobs/{job_id}/retry",
    response_model=JobPublic,
    status_code=202,
    responses=errors(401, 403, 404, 409, 422),
)
def retry_job(
    job_id: RowId,
    session: SessionDep,
    factory: FactoryDep,
    actor: CurrentActor,
    background: BackgroundTasks,
) -> JobPublic:
    """Import the kept file of a failed or interrupted job again, as a new job (admins and
    editors of the uploading factory organisation, as for uploading)."""
    job = imports.retry_job(session, actor, job_id)
    session.commit()  # the new job exists before the import starts
    background.add_task(imports.run_import, factory, job.id, actor)
    return JobPublic.model_validate(job)
