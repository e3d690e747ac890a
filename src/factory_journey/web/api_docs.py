"""The API documentation page: Swagger UI served from the package (web/static/swagger-ui),
with no inline script, so that the strict Content-Security-Policy holds on it too."""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def add_docs(app: FastAPI) -> None:
    """Serve /docs and the static files it loads (/static/...)."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = escape(request.scope.get("root_path", "").rstrip("/"))
        openapi = escape(f"{root}{app.openapi_url}")
        title = escape(app.title)
        return HTMLResponse(
            "<!doctype html>\n"
            f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>\n'
            f'<link rel="stylesheet" href="{root}/static/swagger-ui/swagger-ui.css">\n'
            f'<link rel="icon" href="{root}/static/swagger-ui/favicon-32x32.png"></head>\n'
            f'<body><div id="swagger-ui" data-openapi-url="{openapi}"></div>\n'
            f'<script src="{root}/static/swagger-ui/swagger-ui-bundle.js"></script>\n'
            f'<script src="{root}/static/swagger-ui/docs-init.js"></script>\n'
            "</body></html>\n"
        )
