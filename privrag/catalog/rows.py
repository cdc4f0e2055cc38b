"""The document row, shared by the documents repository and the journal that commits it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentRow:
    tenant_id: str
    doc_uid: str
    generation: int
    wrapped_key: bytes
    key_version: int
    sealed_meta: bytes
    chunk_count: int
    classification: str
    expires_at: int
    ingested_at: int
    hold: bool
    retention_days: int | None = None
