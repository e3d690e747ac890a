"""The FastAPI application: JSON API over the platform services."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, update

from factory_journey import __version__
from factory_journey.services.platform import results
from factory_journey.services.platform.errors import PlatformError
from factory_journey.store.database import make_engine, migrate, session_factory
from factory_journey.store.models import ImportJob, utcnow
from factory_journey.web import routes_auth, routes_data, routes_facilities, routes_results
from factory_journey.web.responses import declare_errors
from factory_journey.web.settings import Settings


def create_app(engine: Engine | None = None, settings: Settings | None = None) -> FastAPI:
    """The app on `engine` (default: `JOURNEY_DATABASE_URL` or ./journey.db), schema migrated."""
    settings = settings or Settings.from_env()
    engine = engine or make_engine(settings.database_url)
    migrate(engine)
    factory = session_factory(engine)
    _mark_interrupted_jobs(engine)
    results.warm_up()
    app = FastAPI(
        lifespan=_lifespan,
        title="Factory Journey API",
        version=__version__,
        description="One Data Matrix, tailored thresholds and improvement pathways for "
        "apparel, footwear, textile and leather facilities. Sign in at /api/auth/sign-in.",
    )
    app.state.session_factory = factory
    app.state.settings = settings

    @app.exception_handler(PlatformError)
    async def _platform_error(_request: Request, error: PlatformError) -> JSONResponse:
        return JSONResponse(status_code=error.status, content={"detail": error.message})

    app.include_router(routes_auth.router, prefix="/api")
    app.include_router(routes_facilities.router, prefix="/api")
    app.include_router(routes_data.router, prefix="/api")
    app.include_router(routes_results.router, prefix="/api")
    declare_errors(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Few threads for the hot reads: with many, every request waits on every other one for
    # the interpreter lock, and the slowest requests get much slower.
    app.state.read_limiter = anyio.CapacityLimiter(app.state.settings.threads)
    # What start-up loaded (reference data, methodology, mappers) lives as long as the
    # process: keep it out of the collector's full passes, which otherwise stall requests.
    gc.collect()
    gc.freeze()
    yield


def _mark_interrupted_jobs(engine: Engine) -> None:
    """Jobs left running by a killed server committed nothing; say so (their upload is kept)."""
    with engine.begin() as connection:
        connection.execute(
            update(ImportJob)
            .where(ImportJob.status.in_(("queued", "running")))
            .values(status="interrupted", stage="interrupted", finished_at=utcnow())
        )
