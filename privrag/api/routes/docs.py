"""``/docs`` without a network: Swagger UI's files come from the ``swagger-ui-bundle`` package
and are served by this app, never from a CDN."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from swagger_ui_bundle import swagger_ui_path

from privrag.errors import NotFound

router = APIRouter(include_in_schema=False)
ASSETS = "/docs/assets"
_DIST = Path(str(swagger_ui_path))
_SERVED = {"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"}


@router.get("/docs")
def docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="privrag API",
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
    )


@router.get("/docs/assets/{name}")
def asset(name: str) -> FileResponse:
    if name not in _SERVED:
        raise NotFound("no such asset")
    return FileResponse(_DIST / name)
