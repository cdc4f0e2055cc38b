"""Tenant maintenance as jobs: re-scrubbing stored documents after a PII policy change, and
re-protecting vectors (a tenant from before vector protection, or a vector key rotation). Both
answer ``202`` with a job to poll at ``/v1/admin/jobs/{id}``; both are resumable, so a job lost
to a restart is simply started again.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from privrag.api.auth import OperatorAuth
from privrag.api.routes._shared import GatewayDep, error_responses
from privrag.api.routes.jobs import accepted
from privrag.api.schemas_ops import JobOut
from privrag.api.state import request_info
from privrag.service.jobs import Progress

router = APIRouter(prefix="/v1/admin/tenants/{name}")


@router.post(
    "/pii/rescrub",
    response_model=JobOut,
    status_code=202,
    responses=error_responses(404, 409),
    summary="Re-scrub the tenant's stored documents with its current PII policy, as a job "
    "(operator)",
)
def start_rescrub(
    name: str, _op: OperatorAuth, gw: GatewayDep, request: Request, response: Response
) -> JobOut:
    gw.rag.tenants.get(name)
    request_info(request).touched(tenant=name)

    def work(progress: Progress) -> dict[str, Any]:
        return gw.rag.rescrub(name, progress=progress).to_dict()

    return accepted(gw.jobs.submit("pii_rescrub", work, tenant=name), response)


@router.post(
    "/vectors/reprotect",
    response_model=JobOut,
    status_code=202,
    responses=error_responses(404, 409),
    summary="Re-protect the tenant's vectors under a new vector key version, as a job (operator)",
)
def start_reprotection(
    name: str, _op: OperatorAuth, gw: GatewayDep, request: Request, response: Response
) -> JobOut:
    gw.rag.tenants.get(name)
    request_info(request).touched(tenant=name)

    def work(progress: Progress) -> dict[str, Any]:
        done = gw.rag.reprotect_vectors(name, progress=progress)
        return {
            "tenant": name,
            "version": done.version,
            "rewritten": done.rewritten,
            "skipped": done.skipped,
            "finished": done.finished,
        }

    return accepted(gw.jobs.submit("vector_reprotect", work, tenant=name), response)
