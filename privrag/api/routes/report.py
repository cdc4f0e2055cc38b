"""``GET /v1/admin/tenants/{name}/report``: the tenant's DPIA / data-inventory report (operator).

JSON by default, the self-contained HTML page with ``?format=html``. Counts, types and opaque
ids only (``privrag.monitoring.report``); the audit line names the tenant."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from privrag.api.auth import OperatorAuth
from privrag.api.routes._shared import GatewayDep, error_responses
from privrag.api.state import request_info
from privrag.monitoring.html import render
from privrag.monitoring.report import build_report

router = APIRouter(prefix="/v1/admin")


@router.get(
    "/tenants/{name}/report",
    response_model=None,
    responses={
        200: {
            "description": "The report",
            "content": {"application/json": {"schema": {"type": "object"}}, "text/html": {}},
        },
        **error_responses(404),
    },
    summary="The tenant's data protection report, JSON or HTML (operator)",
)
def tenant_report(
    name: str,
    _op: OperatorAuth,
    gw: GatewayDep,
    request: Request,
    format: Literal["json", "html"] = "json",
) -> Response:
    request_info(request).touched(tenant=name)
    report = build_report(gw.rag, name)
    if format == "html":
        return HTMLResponse(render(report))
    return JSONResponse(report)
