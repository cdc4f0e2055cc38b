"""Operator routes: tenants, their keys, and the kill switch. Each names what it touched
(tenant, key id) for its audit line."""

from __future__ import annotations

from fastapi import APIRouter, Request

from privrag.api.auth import OperatorAuth
from privrag.api.routes._shared import GatewayDep, error_responses
from privrag.api.schemas import (
    KeyCreate,
    KeyCreated,
    Revoked,
    TenantCreate,
    TenantList,
    TenantOut,
)
from privrag.api.state import request_info
from privrag.models import Tenant

router = APIRouter(prefix="/v1")


def _tenant_out(tenant: Tenant) -> TenantOut:
    return TenantOut(name=tenant.name, status=tenant.status, created_at=tenant.created_at)


@router.post(
    "/admin/tenants",
    response_model=TenantOut,
    status_code=201,
    responses=error_responses(409),
    summary="Create a tenant (operator)",
)
def create_tenant(
    body: TenantCreate, _op: OperatorAuth, gw: GatewayDep, request: Request
) -> TenantOut:
    tenant = gw.rag.tenants.create(body.name)
    request_info(request).touched(tenant=tenant.name)
    return _tenant_out(tenant)


@router.get(
    "/admin/tenants", response_model=TenantList, responses=error_responses(), summary="List tenants"
)
def list_tenants(_op: OperatorAuth, gw: GatewayDep) -> TenantList:
    return TenantList(tenants=[_tenant_out(t) for t in gw.rag.tenants.list()])


@router.post(
    "/admin/tenants/{name}/keys",
    response_model=KeyCreated,
    status_code=201,
    responses=error_responses(404),
    summary="Create a tenant API key; the key is shown once (operator)",
)
def create_key(
    name: str, body: KeyCreate, _op: OperatorAuth, gw: GatewayDep, request: Request
) -> KeyCreated:
    issued = gw.access.issue_tenant_key(gw.rag.tenants.get(name), body.scopes)
    request_info(request).touched(tenant=name, key_id=issued.key_id)
    return KeyCreated(key_id=issued.key_id, key=issued.key, scopes=list(issued.scopes), tenant=name)


@router.delete(
    "/admin/keys/{key_id}",
    response_model=Revoked,
    responses=error_responses(404),
    summary="Revoke a tenant key, or the caller's own operator key, at once (operator)",
)
def revoke_key(key_id: str, op: OperatorAuth, gw: GatewayDep, request: Request) -> Revoked:
    revoked = gw.access.revoke(key_id, by=op.operator_id)
    request_info(request).touched(tenant=revoked.tenant, key_id=revoked.key_id)
    return Revoked(revoked=key_id)


@router.post(
    "/admin/tenants/{name}/suspend",
    response_model=TenantOut,
    responses=error_responses(404),
    summary="Kill switch: every key of the tenant answers 403 at once (operator)",
)
def suspend_tenant(name: str, _op: OperatorAuth, gw: GatewayDep, request: Request) -> TenantOut:
    tenant = gw.rag.tenants.suspend(name)
    request_info(request).touched(tenant=tenant.name)
    return _tenant_out(tenant)


@router.post(
    "/admin/tenants/{name}/resume",
    response_model=TenantOut,
    responses=error_responses(404),
    summary="Lift a suspension (operator)",
)
def resume_tenant(name: str, _op: OperatorAuth, gw: GatewayDep, request: Request) -> TenantOut:
    tenant = gw.rag.tenants.resume(name)
    request_info(request).touched(tenant=tenant.name)
    return _tenant_out(tenant)
