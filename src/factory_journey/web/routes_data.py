"""Uploads and import jobs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, UploadFile

from factory_journey.services.platform import facilities, imports
from factory_journey.web.deps import CurrentActor, FactoryDep, RowId, SessionDep
from factory_journey.web.responses import errors
from factory_journey.web.schemas import JobPublic

router = APIRouter(tags=["data"])


@router.post("/uploads", response_model=JobPublic, status_code=202, responses=errors(401, 403, 422))
async def upload_dataset(
    session: SessionDep,
    factory: FactoryDep,
    actor: CurrentActor,
    background: BackgroundTasks,
    file: Annotated[UploadFile, File()],
) -> JobPublic:
    """Upload a dataset (.xlsx, .json, .csv or .zip of CSVs); the import runs as a job."""
    content = await file.read()
    upload = imports.store_upload(
        session, actor, file.filename or "dataset", file.content_type or "", content
    )
    job = imports.create_job(session, upload)
    session.commit()  # the raw file and the job exist before the import starts
    background.add_task(imports.run_import, factory, job.id, actor)
    return JobPublic.model_validate(job)


@router.get("/jobs/{job_id}", response_model=JobPublic, responses=errors(401, 404, 422))
def get_job(job_id: RowId, session: SessionDep, actor: CurrentActor) -> JobPublic:
    return JobPublic.model_validate(facilities.job(session, actor, job_id))
