"""The store contract: payload field names, point types, hybrid fusion, the VectorStore
protocol every backend honours, and the helpers the backends share."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from privrag.errors import InvalidInput


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
    VECTOR_KEY = "vk"  # the vector key version the point was protected under
    # Screening verdict (privrag.screening): flag names, and the score. Points stored before
    # screening existed have neither and count as unflagged.
    FLAGS = "flags"
    SCREEN = "scr"


SPARSE = "lex"  # the sparse vector's name in every backend


@dataclass(frozen=True)
class SparseVector:
    """Sorted, distinct term ids with their weights."""

    indices: tuple[int, ...]
    values: tuple[float, ...]

    def __bool__(self) -> bool:
        return bool(self.indices)


@dataclass(frozen=True)
class Fusion:
    """Hybrid ranking: weighted reciprocal rank fusion of the dense and the sparse candidates
    (``1 / (k + rank)`` each), each list ``prefetch`` deep (at least twice the limit)."""

    k: int = 60
    dense_weight: float = 1.0
    sparse_weight: float = 1.0
    prefetch: int = 50

    def depth(self, limit: int) -> int:
        return max(self.prefetch, 2 * limit)

    def fused(self, limit: int) -> int:
        """How many fused points to fetch: every candidate, so ties at the cut are settled by
        ``canonical`` the same way on every backend."""
        return 2 * self.depth(limit)


@dataclass(frozen=True)
class StoredPoint:
    id: str
    vector: Sequence[float]
    payload: dict[str, Any]
    sparse: SparseVector | None = None


@dataclass(frozen=True)
class ScoredPoint:
    id: str
    score: float
    payload: dict[str, Any]
    # The stored (protected) dense vector, when the search asked for it (``with_vectors``).
    vector: tuple[float, ...] | None = None


class VectorStore(Protocol):
    def ensure_tenant(self, tenant_id: str) -> None: ...

    def upsert(self, tenant_id: str, points: Sequence[StoredPoint]) -> None: ...

    def search(
        self,
        tenant_id: str,
        vector: Sequence[float] | None,
        *,
        limit: int,
        now: int,
        classifications: Sequence[str] | None = None,
        sparse: SparseVector | None = None,
        fusion: Fusion | None = None,
        exclude_flags: Sequence[str] | None = None,
        with_vectors: bool = False,
    ) -> list[ScoredPoint]:
        """Dense (``vector`` only), sparse (``sparse`` only) or hybrid (both) search over the
        tenant's unexpired points, leaving out points carrying any of ``exclude_flags``. An
        empty sparse query adds nothing; with no vector either, nothing is found.
        ``with_vectors`` returns each point's stored dense vector as well."""
        ...

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

    def delete_documents(self, tenant_id: str, doc_uids: Sequence[str]) -> None:
        """Delete every point of each of ``doc_uids`` in one store write (a sweep's batch)."""
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


def rank_key(score: float, point_id: str) -> tuple[float, str]:
    """The order ``canonical`` puts points in: best first, ties by id."""
    return (-round(score, 6), point_id)


def canonical(found: list[ScoredPoint], limit: int) -> list[ScoredPoint]:
    """Best first, ties by id: fused ranks tie often, and backends order ties differently."""
    return sorted(found, key=lambda p: rank_key(p.score, p.id))[:limit]


def require_tenant(tenant_id: str) -> str:
    if not tenant_id or not isinstance(tenant_id, str):
        raise InvalidInput("a store call needs a tenant")
    return tenant_id
