"""One tenant's documents and queries; the tenant is the credential's, never the request's.

Handlers are thin: call the service, shape the answer, note ids (never text) for the audit line.
Sync handlers run in the threadpool; the service serialises its own writes."""

from __future__ import annotations

from fastapi import APIRouter, Request

from privrag.api.auth import DeleteAuth, IngestAuth, QueryAuth
from privrag.api.routes._shared import GatewayDep, error_responses
from privrag.api.schemas import (
    Deleted,
    DocumentList,
    DocumentOut,
    IngestedDocument,
    IngestRequest,
    IngestResponse,
    ModelOut,
    ProvenanceOut,
    QueryHit,
    QueryRequest,
    QueryResponse,
)
from privrag.api.state import request_info
from privrag.errors import InvalidInput
from privrag.models import Document

router = APIRouter(prefix="/v1")


@router.post(
    "/documents",
    response_model=IngestResponse,
    responses=error_responses(413),
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
    with gw.limits.ingest.admit(cred.tenant_id, sum(len(d.text) for d in docs)):
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
            IngestedDocument(
                id=r.doc_id,
                chunks=r.chunks,
                entities=r.entities,
                replaced=r.replaced,
                flagged=r.flagged,
            )
            for r in reports
        ],
        chunks=chunks,
        entities=totals,
        flagged=sum(r.flagged for r in reports),
    )


@router.get(
    "/documents",
    response_model=DocumentList,
    responses=error_responses(),
    summary="List the caller's document ids (scope: query)",
)
def list_documents(cred: QueryAuth, gw: GatewayDep) -> DocumentList:
    return DocumentList(documents=gw.rag.list_documents(cred.tenant))


@router.get(
    "/documents/{doc_id:path}",
    response_model=DocumentOut,
    responses=error_responses(404),
    summary="Metadata and provenance of one document, never its text (scope: query)",
)
def get_document(doc_id: str, cred: QueryAuth, gw: GatewayDep) -> DocumentOut:
    return DocumentOut(**gw.rag.get_document(cred.tenant, doc_id).to_dict())


@router.delete(
    "/documents/{doc_id:path}",
    response_model=Deleted,
    responses=error_responses(404),
    summary="Delete a document and shred its key (scope: delete)",
)
def delete_document(doc_id: str, cred: DeleteAuth, gw: GatewayDep) -> Deleted:
    gw.rag.delete(cred.tenant, doc_id)
    return Deleted(deleted=doc_id)


@router.post(
    "/query",
    response_model=QueryResponse,
    responses=error_responses(),
    summary="Retrieve scrubbed chunks with provenance (scope: query)",
)
def query(body: QueryRequest, cred: QueryAuth, gw: GatewayDep, request: Request) -> QueryResponse:
    reserved = gw.limits.reserve_retrieval(cred.key_id, cred.tenant_id, body.k)
    classes = body.filter.classification if body.filter is not None else None
    returned = 0
    try:
        result = gw.rag.query(
            cred.record,
            body.query,
            k=reserved,
            classifications=classes,
            mode=body.mode,
            exclude_flags=body.exclude_flags,
        )
        returned = len(result.hits)
    finally:
        gw.limits.release_retrieval(cred.key_id, cred.tenant_id, reserved - returned)
    info = request_info(request)
    if result.unreadable:
        info.unreadable = result.unreadable
        gw.metrics.unreadable_points.inc(result.unreadable)
    info.chunk_ids = [h.chunk_id for h in result.hits]
    info.model = f"{result.model_id}@{result.model_digest}"
    info.query_hash = result.query_hash
    gw.metrics.retrieved_chunks.inc(len(result.hits))
    gw.monitor.observe_query(
        tenant=cred.tenant,
        key_id=cred.key_id,
        chunk_ids=info.chunk_ids,
        relevance=result.relevance,
    )
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
                flags=list(h.flags),
            )
            for h in result.hits
        ],
        model=ModelOut(id=result.model_id, digest=result.model_digest),
    )
