"""The vector store contract every backend honours; the only package that imports Qdrant.

A store keeps one physical shard (or collection) per tenant and refuses any call without a
tenant. Payloads hold only what a filter needs in clear (opaque document id, generation, chunk
index, expiry, classification, hold flag) plus the sealed blob; they never hold text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from privrag.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Callable

    from privrag.config import Settings


class Field:
    """The clear payload fields a point carries (the only names a filter may use); everything
    else about a chunk is inside ``SEALED``. ``privrag.ingest.codec`` builds and reads them."""

    DOC = "doc"  # opaque document uid (keyed hash of the id)
    GEN = "gen"  # generation: a re-ingest writes a new one
    CHUNK = "chunk"  # chunk index within the generation
    EXP = "exp"  # expiry, Unix seconds (NEVER_EXPIRES for none)
    CLS = "cls"  # classification
    HOLD = "hold"  # legal hold
    SEALED = "sealed"  # base64 AES-GCM blob: text and provenance


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

    def scroll_points(
        self, tenant_id: str, *, offset: str | None = None, limit: int = 256
    ) -> tuple[list[StoredPoint], str | None]:
        """One page of the tenant's points with vectors and payloads as stored, in id order,
        and the offset of the next page (None at the end). Migration resumes from that offset."""
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


def open_store(settings: Settings, *, dim: Callable[[], int]) -> VectorStore:
    """The backend the settings name: a Qdrant server/cluster when ``qdrant_url`` is set, else
    embedded Qdrant Edge shards. Imports lazily so the unused vendor is never loaded."""
    if settings.qdrant_url is not None:
        from privrag.store.server import ServerStore, server_config

        return ServerStore(server_config(settings), dim=dim)
    from privrag.store.edge import EdgeStore

    return EdgeStore(
        settings.shards_dir, dim=dim, hnsw_threshold_points=settings.hnsw_threshold_points
    )
