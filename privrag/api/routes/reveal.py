"""Reversible PII mode over HTTP: operators only, every call audited (by the gateway, which
records route, operator key id, status and the target: tenant and document uid; never the
values, never the document id). The document id may contain ``/``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from privrag.api.auth import OperatorAuth
from privrag.api.routes._shared import GatewayDep, error_responses
from privrag.api.state import request_info

router = APIRouter(prefix="/v1")


class Revealed(BaseModel):
    doc_id: str
    originals: dict[str, str]


@router.post(
    "/admin/tenants/{name}/documents/{doc_id:path}/reveal",
    response_model=Revealed,
    responses=error_responses(404),
    summary="Original values behind a document's pseudonyms (reversible mode; operator)",
)
def reveal(name: str, doc_id: str, _op: OperatorAuth, gw: GatewayDep, request: Request) -> Revealed:
    # Named only once both are known to exist: no caller-typed text reaches the audit line.
    uid = gw.rag.document_uid(name, doc_id)
    request_info(request).touched(tenant=name, doc_uid=uid)
    return Revealed(doc_id=doc_id, originals=gw.rag.reveal(name, doc_id))
