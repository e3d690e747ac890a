"""The FastAPI application: JSON API over the platform services."""

from __future__ import annotations

import gc
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from factory_journey import __version__
from factory_journey.services.open_data import public_read
from factory_journey.services.platform import accounts, imports, peers, production, results
from factory_journey.services.platform.errors import PlatformError, TooManyAttempts
from factory_journey.store.database import make_engine, migrate, session_factory, transaction
from factory_journey.web import (
    log_redaction,
    routes_auth,
    routes_data,
    routes_facilities,
    routes_proposals,
    routes_public,
    routes_publication,
    routes_requests,
    routes_results,
)
from factory_journey.web.api_docs import add_docs
from factory_journey.web.body_limit import UploadBodyLimit
from factory_journey.web.head_requests import HeadAsGet
from factory_journey.web.pages.areas import include_pages
from factory_journey.web.pages.errors import (
    is_page_request,
    platform_error_page,
    server_error_page,
)
from factory_journey.web.pages.form_tokens import ShellFormTokens
from factory_journey.web.pages.shell import LANGUAGE_COOKIE
from factory_journey.web.public_cache import PublicCache
from factory_journey.web.responses import declare_errors
from factory_journey.web.security_headers import SecurityHeaders
from factory_journey.web.settings import Settings, UnsafeSettings
from factory_journey.web.validation_errors import validation_error

logger = logging.getLogger(__name__)
#: Where routes may mark answers as shared by every signed-out reader (web/public_cache.py).
PUBLIC_PREFIXES = ("/api/public/", "/open-data")


def create_app(engine: Engine | None = None, settings: Settings | None = None) -> FastAPI:
    """The app on `engine` (default: `JOURNEY_DATABASE_URL` or ./journey.db), schema migrated."""
    settings = settings or Settings.from_env()
    engine = engine or make_engine(settings.database_url)
    migrate(engine)
    factory = session_factory(engine)
    if settings.production:
        refuse_demo_accounts(factory)
    imports.expire_stale_jobs(factory)  # jobs of a killed server, not of live workers
    accounts.forget_idle_attempts(factory, settings.account_limits)
    results.warm_up()
    accounts.warm_up()
    _log_to_stderr()
    log_redaction.install()  # one-time link tokens never reach the access log
    app = FastAPI(
        lifespan=_lifespan,
        title="Factory Journey API",
        version=__version__,
        description="One Data Matrix, tailored thresholds and improvement pathways for "
        "apparel, footwear, textile and leather facilities. Sign in at /api/auth/sign-in.",
        # The docs page is ours (api_docs.py): Swagger UI from the package, no inline script.
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.api_docs else None,
    )
    app.state.session_factory = factory
    app.state.settings = settings
    _outermost(app, UploadBodyLimit)  # before the multipart parser reads a byte
    # Inside the security headers, so that a kept answer gets them as a fresh one does.
    _outermost(
        app,
        PublicCache,
        engine=engine,
        state=public_read.visibility_state,
        prefixes=PUBLIC_PREFIXES,
        language_cookies=(LANGUAGE_COOKIE,),
        tokens=ShellFormTokens(app),
    )
    _outermost(app, HeadAsGet)  # outside the cache: a HEAD is answered from a kept GET
    _outermost(app, SecurityHeaders, hsts=settings.hsts)
    if settings.trusted_proxies:
        # Outside the security headers: they read the scheme the proxy says. Only these
        # proxies' X-Forwarded-For/-Proto are believed (sign-in throttling keys on the address).
        _outermost(app, ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    if settings.api_docs:
        add_docs(app)

    @app.exception_handler(PlatformError)
    async def _platform_error(request: Request, error: PlatformError) -> Response:
        if is_page_request(request):
            return platform_error_page(request, error)
        headers = (
            {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts) else None
        )
        return JSONResponse(
            status_code=error.status, content={"detail": error.message}, headers=headers
        )

    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, server_error)

    app.include_router(routes_auth.router, prefix="/api")
    app.include_router(routes_facilities.router, prefix="/api")
    app.include_router(routes_data.router, prefix="/api")
    app.include_router(routes_results.router, prefix="/api")
    app.include_router(routes_requests.router, prefix="/api")
    app.include_router(routes_publication.router, prefix="/api")
    app.include_router(routes_public.router, prefix="/api")
    app.include_router(routes_proposals.router, prefix="/api")
    declare_errors(app)
    include_pages(app)  # after the API's handlers: the pages' handlers hand API errors back
    return app


def _outermost(app: FastAPI, middleware: Any, **options: Any) -> None:
    """Run `middleware` outside everything Starlette builds, its ServerErrorMiddleware too
    (`add_middleware` puts it inside, so a 500 went out without security headers)."""
    build = app.build_middleware_stack

    def build_wrapped() -> Any:
        return middleware(build(), **options)

    app.build_middleware_stack = build_wrapped  # type: ignore[method-assign]


async def server_error(request: Request, error: Exception) -> Response:
    """500 as a Problem with a reference (an HTML page for a page); the traceback goes to the
    server log only."""
    if is_page_request(request):
        return server_error_page(request, error)
    reference = uuid.uuid4().hex[:12]
    logger.error("unexpected error, reference %s", reference, exc_info=error)
    return JSONResponse(
        status_code=500,
        content={
            "detail": "something went wrong on our side; it has been logged with reference "
            f"{reference}: quote it when you report the problem"
        },
    )


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Few threads for the hot reads: with many, every request waits on every other one for
    # the interpreter lock, and the slowest requests get much slower.
    app.state.read_limiter = anyio.CapacityLimiter(app.state.settings.threads)
    # What start-up loaded (reference data, methodology, mappers) lives as long as the
    # process: keep it out of the collector's full passes, which otherwise stall requests.
    gc.collect()
    gc.freeze()
    recomputer = None
    if app.state.settings.peer_interval > 0:
        # After start-up, not before it: the first snapshot is computed while requests are
        # already answered (against the previous snapshot, or absolute thresholds).
        recomputer = peers.PeerRecomputer(
            app.state.session_factory, app.state.settings.peer_interval
        )
        recomputer.start()
    try:
        yield
    finally:
        if recomputer is not None:
            recomputer.stop()


def refuse_demo_accounts(factory: sessionmaker[Session]) -> None:
    """Production does not start while accounts with the published demo password can sign in."""
    with transaction(factory) as session:
        demo = production.active_demo_accounts(session)
    if demo:
        raise UnsafeSettings(
            "JOURNEY_ENV=production refuses to start: the database holds demo accounts with a "
            f"published password ({', '.join(demo)}); deactivate or delete them first"
        )


def _log_to_stderr() -> None:
    """Our INFO messages (the outbox among them) reach the server log when nothing else
    (uvicorn configures only its own loggers) has set up logging."""
    logger = logging.getLogger("factory_journey")
    if logger.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
