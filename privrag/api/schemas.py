"""Request and response bodies of the HTTP API (pydantic; unknown fields are refused).

``extra="forbid"`` on every request model is what makes a smuggled ``tenant`` field a 422: the
tenant comes from the credential only. ``strict=True`` takes JSON types as they are: ``true``
is not 1 and ``"5"`` is not 5. What is accepted can always be returned (valid Unicode, plain
JSON metadata of bounded depth: ``privrag.ingest.validate``). Response models carry no document text except the
scrubbed chunk text a query returns.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from privrag.errors import InvalidInput
from privrag.ingest.validate import plain_json, unicode_text

Classification = Literal["public", "internal", "confidential", "restricted"]
Scope = Literal["delete", "ingest", "query"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class DocumentIn(Strict):
    id: str = Field(min_length=1, max_length=256)
    text: str = Field(min_length=1)
    source: str = Field(default="", max_length=1024)
    metadata: dict[str, Any] = Field(default_factory=dict)
    classification: Classification = "internal"
    retention_days: int | None = Field(default=None, ge=1, le=36_500)

    @field_validator("metadata")
    @classmethod
    def _plain_json(cls, value: dict[str, Any]) -> dict[str, Any]:
        # NaN/Infinity parse from a lenient JSON body but could never be returned as JSON;
        # neither could a lone surrogate or a structure deeper than the serializer goes.
        try:
            return dict(plain_json(value, what="metadata"))
        except InvalidInput as exc:
            raise ValueError(exc.message) from exc

    @field_validator("id", "text", "source")
    @classmethod
    def _unicode(cls, value: str) -> str:
        try:
            return unicode_text(value, what="text")
        except InvalidInput as exc:
            raise ValueError(exc.message) from exc


class IngestRequest(Strict):
    documents: list[DocumentIn] = Field(min_length=1)


class IngestedDocument(BaseModel):
    id: str
    chunks: int
    entities: dict[str, int]
    replaced: bool
    flagged: int = Field(default=0, description="chunks flagged as prompt injection")


class IngestResponse(BaseModel):
    documents: list[IngestedDocument]
    chunks: int
    entities: dict[str, int]
    flagged: int = Field(default=0, description="chunks flagged as prompt injection")


class QueryFilter(Strict):
    classification: list[Classification] | None = None


class QueryRequest(Strict):
    query: str = Field(min_length=1, max_length=100_000)
    k: int = Field(default=5, ge=1, le=1000)
    filter: QueryFilter | None = None
    mode: Literal["dense", "sparse", "hybrid"] = "hybrid"
    # Off by default: flagged chunks are returned, with their flags.
    exclude_flags: list[Literal["prompt_injection"]] | None = None


class ProvenanceOut(BaseModel):
    doc_id: str
    chunk_index: int
    source: str
    content_hash: str
    ingested_at: int
    scrubber_version: str
    scrubber_config: str
    embedding_model: str
    embedding_digest: str
    classification: str
    expires_at: int | None
    embedding_precision: str = Field(
        default="fp32", description='"bf16" or "fp32": what the embedding pass ran in'
    )


class QueryHit(BaseModel):
    doc_id: str
    chunk_id: str
    text: str
    score: float
    provenance: ProvenanceOut
    flags: list[str] = Field(
        default_factory=list,
        description='"prompt_injection" (screened at ingest); "url", "email", "code", '
        '"secret_redacted" (output filter)',
    )


class ModelOut(BaseModel):
    id: str
    digest: str


class QueryResponse(BaseModel):
    results: list[QueryHit]
    model: ModelOut


class DocumentOut(BaseModel):
    doc_id: str
    source: str
    metadata: dict[str, Any]
    classification: str
    chunks: int
    ingested_at: int
    expires_at: int | None
    content_hash: str
    entities: dict[str, int]
    scrubber_version: str
    embedding_model: str
    embedding_digest: str
    embedding_precision: str


class Deleted(BaseModel):
    deleted: str


class TenantCreate(Strict):
    name: str = Field(min_length=1, max_length=63)


class TenantOut(BaseModel):
    name: str
    status: str
    created_at: int


class TenantList(BaseModel):
    tenants: list[TenantOut]


class KeyCreate(Strict):
    scopes: list[Scope] = Field(min_length=1)


class KeyCreated(BaseModel):
    key_id: str
    key: str
    scopes: list[str]
    tenant: str


class Revoked(BaseModel):
    revoked: str


class Health(BaseModel):
    status: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    request_id: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class DocumentList(BaseModel):
    documents: list[str]
