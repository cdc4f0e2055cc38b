"""A point's payload, typed, and the sealing of chunks and document metadata.

``PointPayload`` is the one place that writes and reads the clear payload fields
(``privrag.store.Field``). Chunk text and provenance, and a document's metadata, are sealed
under the document's data key; the associated data binds tenant, document (opaque uid),
generation and chunk index, so a sealed payload copied to another chunk, document or tenant
fails to open.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from privrag.crypto import context, open_sealed, seal
from privrag.store import Field


def chunk_context(tenant_id: str, doc_uid: str, generation: int, index: int) -> bytes:
    return context("chunk", tenant_id, doc_uid, generation, index)


def meta_context(tenant_id: str, doc_uid: str, generation: int) -> bytes:
    return context("doc-meta", tenant_id, doc_uid, generation)


def seal_json(key: bytes, value: dict[str, Any], aad: bytes) -> bytes:
    return seal(key, json.dumps(value, separators=(",", ":")).encode(), aad)


def open_json(key: bytes, blob: bytes, aad: bytes) -> dict[str, Any]:
    return dict(json.loads(open_sealed(key, blob, aad)))


def to_text(blob: bytes) -> str:
    return base64.b64encode(blob).decode()


def from_text(value: str) -> bytes:
    return base64.b64decode(value)


@dataclass(frozen=True)
class PointPayload:
    doc_uid: str
    generation: int
    chunk: int
    expires_at: int
    classification: str
    hold: bool
    sealed: bytes
    vector_key: int | None = None  # the vector key version it was protected under
    # Screening verdict (privrag.screening): filterable flags and the score, never the text.
    # Absent on points stored before screening: no flags, no score.
    flags: tuple[str, ...] = ()
    screen_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            Field.FLAGS: list(self.flags),
            Field.SCREEN: self.screen_score,
            Field.VECTOR_KEY: self.vector_key,
            Field.DOC: self.doc_uid,
            Field.GEN: self.generation,
            Field.CHUNK: self.chunk,
            Field.EXP: self.expires_at,
            Field.CLS: self.classification,
            Field.HOLD: self.hold,
            Field.SEALED: to_text(self.sealed),
        }

    @classmethod
    def from_dict(cls, payload: dict[str, Any]) -> PointPayload:
        return cls(
            doc_uid=str(payload[Field.DOC]),
            generation=int(payload[Field.GEN]),
            chunk=int(payload[Field.CHUNK]),
            expires_at=int(payload[Field.EXP]),
            classification=str(payload[Field.CLS]),
            hold=bool(payload[Field.HOLD]),
            sealed=from_text(payload[Field.SEALED]),
            vector_key=payload.get(Field.VECTOR_KEY),
            flags=tuple(str(f) for f in payload.get(Field.FLAGS) or ()),
            screen_score=payload.get(Field.SCREEN),
        )


def seal_chunk(
    key: bytes,
    *,
    tenant_id: str,
    doc_uid: str,
    generation: int,
    index: int,
    text: str,
    provenance: dict[str, Any],
    flags: tuple[str, ...] = (),
) -> bytes:
    # The flags are sealed too: the clear copy serves the store's filter, the sealed one is what
    # a hit reports, so clearing a clear field cannot make a flagged chunk look clean.
    return seal_json(
        key,
        {"text": text, "provenance": provenance, "flags": list(flags)},
        chunk_context(tenant_id, doc_uid, generation, index),
    )


def open_chunk(key: bytes, tenant_id: str, payload: PointPayload) -> dict[str, Any]:
    """``{"text", "provenance", "flags"}`` of a stored chunk (no ``flags`` if stored before
    screening); ``KeyUnavailable`` if it was moved."""
    return open_json(
        key,
        payload.sealed,
        chunk_context(tenant_id, payload.doc_uid, payload.generation, payload.chunk),
    )
