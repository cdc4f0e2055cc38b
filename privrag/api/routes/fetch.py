"""``POST /v1/documents/fetch``: documents by id with their scrubbed chunk texts (scope query).

It returns nothing a query could not (scrubbed chunks of the caller's own tenant), and is
charged to the same retrieval budget, chunk for chunk, so it is no way around the brake.
Unknown and expired ids are left out, as vector stores' ``get_by_ids`` expects.
"""

from __future__ import annotations

from fastapi import APIRouter

from privrag.api.auth import QueryAuth
from privrag.api.routes._shared import GatewayDep, error_responses
from privrag.api.schemas_ops import Fetched, FetchedDocument, FetchRequest
from privrag.errors import BudgetExhausted

router = APIRouter(prefix="/v1")


@router.post(
    "/documents/fetch",
    response_model=Fetched,
    responses=error_responses(),
    summary="Documents by id with their scrubbed chunks (scope: query)",
)
def fetch(body: FetchRequest, cred: QueryAuth, gw: GatewayDep) -> Fetched:
    found = gw.rag.document_texts(cred.tenant, body.ids)
    wanted = sum(len(chunks) for _, chunks in found)
    # Reserved atomically before anything is returned: all of it, or the request is refused.
    reserved = gw.limits.reserve_retrieval(cred.key_id, cred.tenant_id, max(wanted, 1))
    if reserved < wanted:
        gw.limits.release_retrieval(cred.key_id, cred.tenant_id, reserved)
        raise BudgetExhausted("these documents hold more chunks than the retrieval budget allows")
    gw.limits.release_retrieval(cred.key_id, cred.tenant_id, reserved - wanted)
    gw.monitor.observe_query(
        tenant=cred.tenant,
        key_id=cred.key_id,
        chunk_ids=[f"{info.doc_id}\x00{i}" for info, chunks in found for i in range(len(chunks))],
    )
    return Fetched(
        documents=[
            FetchedDocument(
                doc_id=info.doc_id,
                chunks=chunks,
                metadata=info.metadata,
                source=info.source,
                classification=info.classification,
            )
            for info, chunks in found
        ]
    )
