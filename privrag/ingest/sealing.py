"""Sealing of chunk payloads and document metadata under a document's data key.

The associated data binds tenant, document (opaque uid), generation and chunk index, so a
sealed payload copied to another chunk, document or tenant fails to open.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from privrag.crypto import context, open_sealed, seal


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
