"""The one error body, with the HTTP status each ``PrivragError`` class carries.

Every error leaves as ``{"error": {"code", "message", "request_id"}}``; the status is the class's
own (a TenantSuspended is 403 although Unauthenticated, its sibling, is 401).
Messages of KeyUnavailable and of anything unexpected are replaced by a generic sentence: they
may name internals. Nothing here ever renders a traceback.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from privrag.errors import (
    KeyUnavailable,
    PrivragError,
    RateLimited,
    StoreUnavailable,
)

log = logging.getLogger("privrag.api")

GENERIC: dict[type[PrivragError], str] = {
    KeyUnavailable: "the server could not serve this request",
    StoreUnavailable: "the store is unavailable; try again later",
}
INTERNAL_MESSAGE = "internal error"


def body(code: str, message: str, request_id: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "request_id": request_id}}


def body_bytes(code: str, message: str, request_id: str) -> bytes:
    return json.dumps(body(code, message, request_id)).encode()


def request_id_of(request: Request) -> str:
    info = getattr(request.state, "privrag", None)
    return getattr(info, "request_id", "")


def _note(request: Request, code: str) -> None:
    info = getattr(request.state, "privrag", None)
    if info is not None:
        info.code = code


def privrag_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PrivragError)
    status = exc.status
    code, message = exc.code, exc.message
    for cls, generic in GENERIC.items():
        if isinstance(exc, cls):
            message = generic
    if status == 500 and not isinstance(exc, KeyUnavailable):
        code, message = "internal", INTERNAL_MESSAGE
    _note(request, code)
    headers = None
    if isinstance(exc, RateLimited):
        headers = {"Retry-After": str(int(exc.retry_after))}
    return JSONResponse(
        body(code, message, request_id_of(request)), status_code=status, headers=headers
    )


def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        code, message = "invalid_json", "the request body is not valid JSON"
    else:
        # Field locations and pydantic's messages only: never the offending input value.
        parts = [
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body') or 'body'}: "
            f"{e.get('msg', 'invalid')}"
            for e in errors[:5]
        ]
        code, message = "invalid_input", "; ".join(parts)
    _note(request, code)
    return JSONResponse(body(code, message, request_id_of(request)), status_code=422)


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "access_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "internal" if exc.status_code >= 500 else "error")
    if exc.status_code == 400:
        # FastAPI raises 400 for a body it could not parse at all.
        code, status, message = "invalid_json", 422, "the request body is not valid JSON"
    else:
        status = exc.status_code
        message = {
            404: "no such route",
            405: "method not allowed on this route",
        }.get(status, "request refused")
    _note(request, code)
    return JSONResponse(
        body(code, message, request_id_of(request)),
        status_code=status,
        headers=getattr(exc, "headers", None),
    )
