"""What the service answers: plain, typed values (never rows or sealed blobs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from privrag.models import Hit


@dataclass(frozen=True)
class QueryResult:
    hits: list[Hit]
    model_id: str
    model_digest: str
    query_entities: dict[str, int] = field(default_factory=dict)
    # Keyed hash of the *scrubbed* query: lets an audit correlate repeats, never reveals text.
    query_hash: str = ""
    # Points skipped because they did not open (tampered, or their key destroyed).
    unreadable: int = 0
    # Cosine of the query and its best-matching hit (None without hits): how specific the
    # query was, for the runtime monitor. Never returned to the caller.
    relevance: float | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """What may be said about a stored document: metadata and provenance, never its text."""

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
    embedding_precision: str = "fp32"  # what an older server's documents all were

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SweepResult:
    """One tenant's part of a sweep or erasure: document ids deleted and held (shown to the
    operator, never stored), and the signed receipt (None for a dry run or when nothing went)."""

    tenant: str
    deleted: list[str]
    held: list[str]
    receipt: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {"deleted": self.deleted, "held": self.held, "receipt": self.receipt}
