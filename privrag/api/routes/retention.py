"""Erasure and offboarding over HTTP.

``POST /v1/forget`` (scope ``delete``) erases a data subject from the caller's tenant only; the
subject value travels in the body and is never logged or audited. Offboarding is two steps by
two *different named* operators (keys with different labels; the shared env operator key takes
no part): a request returns a pending id, another operator approves (or either cancels). Both
answer with the signed deletion receipt. Each audit line names the tenant and request touched.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from privrag.api.auth import DeleteAuth, NamedOperatorAuth, OperatorAuth
from privrag.api.routes._shared import GatewayDep, error_responses
from privrag.api.schemas import ErrorBody, Strict
from privrag.api.state import request_info

router = APIRouter(prefix="/v1")


class ForgetRequest(Strict):
    subject: str = Field(min_length=1, max_length=1000)
    type: str | None = Field(default=None, max_length=64, pattern=r"^[A-Z_]+$")


class Erasure(BaseModel):
    deleted: list[str]
    held: list[str]
    receipt: dict[str, Any] | None


class OffboardingRequested(BaseModel):
    request_id: str


class Receipt(BaseModel):
    receipt: dict[str, Any]


class Cancelled(BaseModel):
    cancelled: str


@router.post(
    "/forget",
    response_model=Erasure,
    responses=error_responses(),
    summary="Erase every document that mentioned a data subject (scope: delete)",
)
def forget(body: ForgetRequest, cred: DeleteAuth, gw: GatewayDep) -> Erasure:
    result = gw.rag.forget(cred.tenant, body.subject, entity_type=body.type)
    return Erasure(**result.to_dict())


@router.post(
    "/admin/tenants/{name}/deletion",
    response_model=OffboardingRequested,
    responses=error_responses(404),
    summary="Request crypto-shredding of a tenant; another operator must approve (operator)",
)
def request_offboarding(
    name: str, op: NamedOperatorAuth, gw: GatewayDep, request: Request
) -> OffboardingRequested:
    request_id = gw.rag.request_offboarding(name, requested_by=op.operator_id)
    request_info(request).touched(tenant=name, request_id=request_id)
    return OffboardingRequested(request_id=request_id)


@router.post(
    "/admin/deletions/{request_id}/approve",
    response_model=Receipt,
    responses={**error_responses(404, 409), 403: {"model": ErrorBody}},
    summary="Approve a pending tenant deletion: a different operator; irreversible (operator)",
)
def approve_offboarding(
    request_id: str, op: NamedOperatorAuth, gw: GatewayDep, request: Request
) -> Receipt:
    receipt = gw.rag.approve_offboarding(request_id, approved_by=op.operator_id)
    request_info(request).touched(tenant=str(receipt.get("tenant")), request_id=request_id)
    return Receipt(receipt=receipt)


@router.post(
    "/admin/deletions/{request_id}/cancel",
    response_model=Cancelled,
    responses=error_responses(404),
    summary="Cancel a pending tenant deletion (operator)",
)
def cancel_offboarding(
    request_id: str, op: OperatorAuth, gw: GatewayDep, request: Request
) -> Cancelled:
    request_info(request).touched(request_id=request_id)
    gw.rag.cancel_offboarding(request_id, cancelled_by=op.operator_id)
    return Cancelled(cancelled=request_id)
