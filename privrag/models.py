"""Plain typed value objects that cross module boundaries.

They carry no behaviour beyond validation of their own shape; nothing here touches a vendor
library, the disk or a key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Qdrant's integer index is i64; "never expires" is stored as the last second of year 9999 so
# that one range filter (expires_at > now) covers both cases.
NEVER_EXPIRES = 253_402_300_799

CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")


@dataclass(frozen=True)
class Document:
    """A document as a caller hands it to ingestion (text not yet scrubbed)."""

    id: str
    text: str
    source: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    classification: str = "internal"
    retention_days: int | None = None


@dataclass(frozen=True)
class Tenant:
    id: str
    name: str
    created_at: int
    status: str = "active"


@dataclass(frozen=True)
class Provenance:
    """Where a chunk came from and what touched it on the way in (sealed with the chunk)."""

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
    # "bf16" or "fp32" (privrag/embed.py); chunks stored before it was recorded were all fp32.
    embedding_precision: str = "fp32"

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Chunk:
    """A scrubbed span of a document, ready to embed and seal."""

    doc_id: str
    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """One retrieval result: scrubbed text, score and provenance, for one tenant."""

    doc_id: str
    chunk_id: str
    text: str
    score: float
    provenance: Provenance
    # What the hit carries: "prompt_injection" (screened at ingest), and from the output filter
    # "url", "email", "code", "secret_redacted" (privrag.screening).
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "chunk_id": self.chunk_id,
            "text": self.text,
            "score": self.score,
            "provenance": self.provenance.to_dict(),
            "flags": list(self.flags),
        }


@dataclass(frozen=True)
class IngestReport:
    """What ingesting one document did: counts only, never text."""

    doc_id: str
    chunks: int
    entities: dict[str, int]
    replaced: bool
    flagged: int = 0  # chunks screening flagged as prompt injection


@dataclass(frozen=True)
class TrainingRecord:
    """One document's scrubbed chunks, opened for a training job of exactly one tenant."""

    tenant_id: str
    doc_id: str
    doc_uid: str
    content_hash: str
    chunks: tuple[str, ...]
