"""Operator routes for what the CLI does beside a running server: tenant retention and PII
policies (merged, never replaced wholesale), legal holds, keys, pending offboardings, erasure by
subject in a named tenant, and verification of the receipts and the audit log."""

from __future__ import annotations

from fastapi import APIRouter

from privrag.api.auth import OperatorAuth
from privrag.api.routes._shared import GatewayDep, error_responses
from privrag.api.routes.retention import Erasure
from privrag.api.schemas_ops import (
    HoldOut,
    Holds,
    KeyInfo,
    KeyList,
    OperatorForget,
    OperatorKeyCreate,
    OperatorKeyCreated,
    PendingList,
    PendingOffboarding,
    PiiPolicyChange,
    PiiPolicyOut,
    RetentionChange,
    RetentionChanged,
    RetentionOut,
    Verified,
)
from privrag.api.state import Gateway
from privrag.catalog import ApiKeyRow

router = APIRouter(prefix="/v1/admin")


def _retention(gw: Gateway, name: str) -> RetentionOut:
    return RetentionOut(**gw.rag.tenants.retention(name).to_dict())


@router.get(
    "/tenants/{name}/retention",
    response_model=RetentionOut,
    responses=error_responses(404),
    summary="A tenant's retention policy (operator)",
)
def get_retention(name: str, _op: OperatorAuth, gw: GatewayDep) -> RetentionOut:
    return _retention(gw, name)


@router.patch(
    "/tenants/{name}/retention",
    response_model=RetentionChanged,
    responses=error_responses(404),
    summary="Merge a change into a tenant's retention policy; re-dates documents (operator)",
)
def change_retention(
    name: str, body: RetentionChange, _op: OperatorAuth, gw: GatewayDep
) -> RetentionChanged:
    drop_default = "default_days" in body.model_fields_set and body.default_days is None
    policy, redated = gw.rag.tenants.update_retention(
        name,
        default_days=body.default_days,
        drop_default=drop_default,
        by_class={str(k): v for k, v in body.by_class.items()},
        clear=body.clear,
    )
    return RetentionChanged(policy=RetentionOut(**policy.to_dict()), redated=redated)


@router.get(
    "/tenants/{name}/pii-policy",
    response_model=PiiPolicyOut,
    responses=error_responses(404),
    summary="A tenant's PII policy (operator)",
)
def get_pii_policy(name: str, _op: OperatorAuth, gw: GatewayDep) -> PiiPolicyOut:
    return PiiPolicyOut(**gw.rag.tenants.pii_policy(name).to_dict())


@router.patch(
    "/tenants/{name}/pii-policy",
    response_model=PiiPolicyOut,
    responses=error_responses(404),
    summary="Add or drop PII types, or change the operator; not retroactive (operator)",
)
def change_pii_policy(
    name: str, body: PiiPolicyChange, _op: OperatorAuth, gw: GatewayDep
) -> PiiPolicyOut:
    policy = gw.rag.tenants.update_pii_policy(
        name, operator=body.operator, add=body.add, drop=body.drop
    )
    return PiiPolicyOut(**policy.to_dict())


@router.put(
    "/tenants/{name}/hold",
    response_model=HoldOut,
    responses=error_responses(404),
    summary="Legal hold on a whole tenant (operator)",
)
def hold_tenant(name: str, _op: OperatorAuth, gw: GatewayDep) -> HoldOut:
    gw.rag.tenants.set_hold(name, True)
    return HoldOut(tenant=name, hold=True)


@router.delete(
    "/tenants/{name}/hold",
    response_model=HoldOut,
    responses=error_responses(404),
    summary="Lift a tenant's legal hold (operator)",
)
def release_tenant(name: str, _op: OperatorAuth, gw: GatewayDep) -> HoldOut:
    gw.rag.tenants.set_hold(name, False)
    return HoldOut(tenant=name, hold=False)


@router.put(
    "/tenants/{name}/documents/{doc_id:path}/hold",
    response_model=HoldOut,
    responses=error_responses(404),
    summary="Legal hold on one document (operator)",
)
def hold_document(name: str, doc_id: str, _op: OperatorAuth, gw: GatewayDep) -> HoldOut:
    gw.rag.hold(name, doc_id, True)
    return HoldOut(tenant=name, doc_id=doc_id, hold=True)


@router.delete(
    "/tenants/{name}/documents/{doc_id:path}/hold",
    response_model=HoldOut,
    responses=error_responses(404),
    summary="Lift a document's legal hold (operator)",
)
def release_document(name: str, doc_id: str, _op: OperatorAuth, gw: GatewayDep) -> HoldOut:
    gw.rag.hold(name, doc_id, False)
    return HoldOut(tenant=name, doc_id=doc_id, hold=False)


@router.get(
    "/holds", response_model=Holds, responses=error_responses(), summary="Every hold (operator)"
)
def list_holds(_op: OperatorAuth, gw: GatewayDep) -> Holds:
    names = [t.name for t in gw.rag.tenants.list()]
    documents = {n: ids for n in names if (ids := gw.rag.held_documents(n))}
    return Holds(tenants=[n for n in names if gw.rag.tenants.held(n)], documents=documents)


@router.post(
    "/tenants/{name}/forget",
    response_model=Erasure,
    responses=error_responses(404),
    summary="Erase a data subject from a named tenant (operator)",
)
def forget_in_tenant(name: str, body: OperatorForget, _op: OperatorAuth, gw: GatewayDep) -> Erasure:
    return Erasure(**gw.rag.forget(name, body.subject, entity_type=body.type).to_dict())


def _key(row: ApiKeyRow, tenant: str | None) -> KeyInfo:
    return KeyInfo(
        key_id=row.key_id,
        kind=row.kind,
        tenant=tenant,
        scopes=sorted(row.scopes),
        label=row.label,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


@router.get(
    "/tenants/{name}/keys",
    response_model=KeyList,
    responses=error_responses(404),
    summary="A tenant's API keys, revoked ones included; never the keys (operator)",
)
def list_tenant_keys(name: str, _op: OperatorAuth, gw: GatewayDep) -> KeyList:
    tenant = gw.rag.tenants.get(name)
    return KeyList(keys=[_key(r, name) for r in gw.access.list_keys(tenant.id)])


@router.get(
    "/operator-keys",
    response_model=KeyList,
    responses=error_responses(),
    summary="Operator keys, revoked ones included; never the keys (operator)",
)
def list_operator_keys(_op: OperatorAuth, gw: GatewayDep) -> KeyList:
    return KeyList(keys=[_key(r, None) for r in gw.access.list_keys(None) if r.kind == "operator"])


@router.post(
    "/operator-keys",
    response_model=OperatorKeyCreated,
    status_code=201,
    responses=error_responses(),
    summary="Create an operator key; the key is shown once (operator)",
)
def create_operator_key(
    body: OperatorKeyCreate, op: OperatorAuth, gw: GatewayDep
) -> OperatorKeyCreated:
    issued = gw.access.issue_operator_key(body.label, created_by=op.operator_id)
    return OperatorKeyCreated(key_id=issued.key_id, key=issued.key)


@router.get(
    "/deletions",
    response_model=PendingList,
    responses=error_responses(),
    summary="Offboarding requests waiting for a second operator (operator)",
)
def list_pending(_op: OperatorAuth, gw: GatewayDep) -> PendingList:
    return PendingList(deletions=[PendingOffboarding(**p) for p in gw.rag.pending_offboardings()])


@router.get(
    "/receipts/verify",
    response_model=Verified,
    responses=error_responses(),
    summary="Check every deletion receipt's signature and the chain (operator)",
)
def verify_receipts(_op: OperatorAuth, gw: GatewayDep) -> Verified:
    report = gw.rag.verify_receipts()
    return Verified(ok=report.ok, count=report.count, problem=report.problem, line=report.line)


@router.get(
    "/audit/verify",
    response_model=Verified,
    responses=error_responses(),
    summary="Check the audit log's hash chain (operator)",
)
def verify_audit(_op: OperatorAuth, gw: GatewayDep) -> Verified:
    from privrag.audit import verify

    report = verify(gw.settings.audit_path)
    return Verified(ok=report.ok, count=report.count, problem=report.problem, line=report.line)
