"""The versioned routes. Handlers are thin: take the tenant from the credential, call the
service, shape the answer, note ids (never text) for the audit line. Sync handlers run in the
threadpool; the service serialises its own writes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from privrag.api.auth import DeleteAuth, IngestAuth, OperatorAuth, QueryAuth
from privrag.api.schemas import (
    Deleted,
    DocumentList,
    DocumentOut,
    ErrorBody,
    Health,
    IngestedDocument,
    IngestRequest,
    IngestResponse,
    KeyCreate,
    KeyCreated,
    ModelOut,
    ProvenanceOut,
    QueryHit,
    QueryRequest,
    QueryResponse,
    Revoked,
    TenantCreate,
    TenantList,
    TenantOut,
)
from privrag.api.state import Gateway, gateway, request_info
from privrag.errors import InvalidInput, StoreUnavailable
from privrag.models import Document, Tenant

GatewayDep = Annotated[Gateway, Depends(gateway)]


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody} for status in (*statuses, 401, 403, 422, 429, 500, 503)}


v1 = APIRouter(prefix="/v1")
ops = APIRouter()


@v1.post(
    "/documents",
    response_model=IngestResponse,
    responses=_errors(413),
    summary="Ingest a batch of documents (scope: ingest)",
)
def ingest(
    body: IngestRequest, cred: IngestAuth, gw: GatewayDep, request: Request
) -> IngestResponse:
    limit = gw.settings.api_max_batch_documents
    if len(body.documents) > limit:
        raise InvalidInput(f"at most {limit} documents per batch")
    docs = [
        Document(
            id=d.id,
            text=d.text,
            source=d.source,
            metadata=d.metadata,
            classification=d.classification,
            retention_days=d.retention_days,
        )
        for d in body.documents
    ]
    request_info(request).documents = len(docs)
    reports = gw.rag.ingest(cred.tenant, docs)
    totals: dict[str, int] = {}
    chunks = 0
    for report in reports:
        chunks += report.chunks
        for kind, count in report.entities.items():
            totals[kind] = totals.get(kind, 0) + count
            gw.metrics.pii_entities.labels(type=kind, where="ingest").inc(count)
    gw.metrics.ingest_documents.inc(len(reports))
    gw.metrics.ingest_chunks.inc(chunks)
    return IngestResponse(
        documents=[
            IngestedDocument(id=r.doc_id, chunks=r.chunks, entities=r.entities, replaced=r.replaced)
            for r in reports
        ],
        chunks=chunks,
        entities=totals,
    )


@v1.get(
    "/documents",
    response_model=DocumentList,
    responses=_errors(),
    summary="List the caller's document ids (scope: query)",
)
def list_documents(cred: QueryAuth, gw: GatewayDep) -> DocumentList:
    return DocumentList(documents=gw.rag.list_documents(cred.tenant))


@v1.get(
    "/documents/{doc_id:path}",
    response_model=DocumentOut,
    responses=_errors(404),
    summary="Metadata and provenance of one document, never its text (scope: query)",
)
def get_document(doc_id: str, cred: QueryAuth, gw: GatewayDep) -> DocumentOut:
    return DocumentOut(**gw.rag.get_document(cred.tenant, doc_id).to_dict())


@v1.delete(
    "/documents/{doc_id:path}",
    response_model=Deleted,
    responses=_errors(404),
    summary="Delete a document and shred its key (scope: delete)",
)
def delete_document(doc_id: str, cred: DeleteAuth, gw: GatewayDep) -> Deleted:
    gw.rag.delete(cred.tenant, doc_id)
    return Deleted(deleted=doc_id)


@v1.post(
    "/query",
    response_model=QueryResponse,
    responses=_errors(),
    summary="Retrieve scrubbed chunks with provenance (scope: query)",
)
def query(body: QueryRequest, cred: QueryAuth, gw: GatewayDep, request: Request) -> QueryResponse:
    gw.limits.check_retrieval(cred.key_id, body.k)
    classes = body.filter.classification if body.filter is not None else None
    result = gw.rag.query(
        cred.tenant, body.query, k=body.k, classifications=classes, mode=body.mode
    )
    gw.limits.charge_retrieval(cred.key_id, len(result.hits))
    info = request_info(request)
    info.chunk_ids = [h.chunk_id for h in result.hits]
    info.model = f"{result.model_id}@{result.model_digest}"
    info.query_hash = result.query_hash
    gw.metrics.retrieved_chunks.inc(len(result.hits))
    for kind, count in result.query_entities.items():
        gw.metrics.pii_entities.labels(type=kind, where="query").inc(count)
    return QueryResponse(
        results=[
            QueryHit(
                doc_id=h.doc_id,
                chunk_id=h.chunk_id,
                text=h.text,
                score=h.score,
                provenance=ProvenanceOut(**h.provenance.to_dict()),
            )
            for h in result.hits
        ],
        model=ModelOut(id=result.model_id, digest=result.model_digest),
    )


def _tenant_out(tenant: Tenant) -> TenantOut:
    return TenantOut(name=tenant.name, status=tenant.status, created_at=tenant.created_at)


@v1.post(
    "/admin/tenants",
    response_model=TenantOut,
    status_code=201,
    responses=_errors(409),
    summary="Create a tenant (operator)",
)
def create_tenant(body: TenantCreate, _op: OperatorAuth, gw: GatewayDep) -> TenantOut:
    return _tenant_out(gw.rag.tenants.create(body.name))


@v1.get("/admin/tenants", response_model=TenantList, responses=_errors(), summary="List tenants")
def list_tenants(_op: OperatorAuth, gw: GatewayDep) -> TenantList:
    return TenantList(tenants=[_tenant_out(t) for t in gw.rag.tenants.list()])


@v1.post(
    "/admin/tenants/{name}/keys",
    response_model=KeyCreated,
    status_code=201,
    responses=_errors(404),
    summary="Create a tenant API key; the key is shown once (operator)",
)
def create_key(name: str, body: KeyCreate, _op: OperatorAuth, gw: GatewayDep) -> KeyCreated:
    issued = gw.access.issue_tenant_key(gw.rag.tenants.get(name), body.scopes)
    return KeyCreated(key_id=issued.key_id, key=issued.key, scopes=list(issued.scopes), tenant=name)


@v1.delete(
    "/admin/keys/{key_id}",
    response_model=Revoked,
    responses=_errors(404),
    summary="Revoke a key at once (operator)",
)
def revoke_key(key_id: str, _op: OperatorAuth, gw: GatewayDep) -> Revoked:
    gw.access.revoke(key_id)
    return Revoked(revoked=key_id)


@v1.post(
    "/admin/tenants/{name}/suspend",
    response_model=TenantOut,
    responses=_errors(404),
    summary="Kill switch: every key of the tenant answers 403 at once (operator)",
)
def suspend_tenant(name: str, _op: OperatorAuth, gw: GatewayDep) -> TenantOut:
    return _tenant_out(gw.rag.tenants.suspend(name))


@v1.post(
    "/admin/tenants/{name}/resume",
    response_model=TenantOut,
    responses=_errors(404),
    summary="Lift a suspension (operator)",
)
def resume_tenant(name: str, _op: OperatorAuth, gw: GatewayDep) -> TenantOut:
    return _tenant_out(gw.rag.tenants.resume(name))


@ops.get("/healthz", response_model=Health, summary="Liveness")
def healthz() -> Health:
    return Health(status="ok")


@ops.get(
    "/readyz",
    response_model=Health,
    responses={503: {"model": ErrorBody}},
    summary="Readiness: store, catalog and model loaded",
)
def readyz(gw: GatewayDep) -> Health:
    rag = gw.rag
    try:
        rag.catalog.tenants()
        ready = bool(rag.embedder.dim) and rag.store is not None and not rag._closed
    except Exception as exc:
        raise StoreUnavailable("not ready") from exc
    if not ready:
        raise StoreUnavailable("not ready")
    return Health(status="ready")


@ops.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}},
    summary="Prometheus metrics",
)
def metrics(gw: GatewayDep) -> Response:
    return Response(generate_latest(gw.metrics.registry), media_type=CONTENT_TYPE_LATEST)
