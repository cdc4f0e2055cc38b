"""The vector store contract every backend honours; the only package that imports Qdrant.

A store keeps one physical shard (or collection) per tenant and refuses any call without a
tenant. Payloads hold only what a filter needs in clear (opaque document id, generation, chunk
index, expiry, classification, hold flag) plus the sealed blob; they never hold text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from privrag.errors import InvalidInput


@dataclass(frozen=True)
class StoredPoint:
    id: str
    vector: Sequence[float]
    payload: dict[str, Any]


@dataclass(frozen=True)
class ScoredPoint:
    id: str
    score: float
    payload: dict[str, Any]


class VectorStore(Protocol):
    def ensure_tenant(self, tenant_id: str) -> None: ...

    def upsert(self, tenant_id: str, points: Sequence[StoredPoint]) -> None: ...

    def search(
        self,
        tenant_id: str,
        vector: Sequence[float],
        *,
        limit: int,
        now: int,
        classifications: Sequence[str] | None = None,
    ) -> list[ScoredPoint]: ...

    def delete_document(
        self,
        tenant_id: str,
        doc_uid: str,
        *,
        only_generation: int | None = None,
        except_generation: int | None = None,
    ) -> None:
        """Delete a document's points: all, only one generation's, or all but one's."""
        ...

    def update_vectors(
        self, tenant_id: str, vectors: Sequence[tuple[str, Sequence[float]]]
    ) -> None:
        """Replace the vectors of existing points (id, vector); ids and payloads stay as they are."""
        ...

    def set_fields(self, tenant_id: str, doc_uid: str, fields: dict[str, Any]) -> None:
        """Set clear payload fields (expiry, hold) on every point of a document."""
        ...

    def count(self, tenant_id: str, *, doc_uid: str | None = None) -> int: ...

    def points(self, tenant_id: str, *, doc_uid: str | None = None) -> Iterator[ScoredPoint]:
        """Every point of the tenant (or of one document), payload only, score 0."""
        ...

    def compact(self, tenant_id: str) -> None:
        """Physically remove deleted points from the tenant's files (cost ~ affected data)."""
        ...

    def drop_tenant(self, tenant_id: str) -> None: ...

    def close(self) -> None: ...


def require_tenant(tenant_id: str) -> str:
    if not tenant_id or not isinstance(tenant_id, str):
        raise InvalidInput("a store call needs a tenant")
    return tenant_id
