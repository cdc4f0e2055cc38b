"""What the scale-out store needs around qdrant-client: its settings, the connection, the one
error guard (every qdrant-client failure becomes ``StoreUnavailable``), tenant-scoped point ids,
and the conversion of points to and from qdrant-client's models. Also ``Placements``: where each
tenant lives (shared collection, being promoted, or its own collection), recorded in a small
placement collection in the cluster so stateless replicas agree, cached briefly."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from qdrant_client import QdrantClient, models

from privrag.config import Settings
from privrag.errors import InvalidInput, StoreUnavailable
from privrag.store.protocol import (
    SPARSE,
    Field,
    ScoredPoint,
    SparseVector,
    StoredPoint,
    require_tenant,
)

T = TypeVar("T")

TENANT_FIELD = "tid"
ID_FIELD = "pid"
POINT_NS = uuid.UUID("0b3e4f2a-6f0e-4d7b-8c1a-2f4d5e6a7b8c")
TENANT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
PLACEMENT_NS = uuid.UUID("5d1f7c1e-2b7a-4c55-9d8e-0c6a51c3e2a1")
SPARSE_PARAMS = models.SparseVectorParams(modifier=models.Modifier.IDF)
INDEXES: dict[str, models.PayloadSchemaType] = {
    Field.DOC: models.PayloadSchemaType.KEYWORD,
    Field.GEN: models.PayloadSchemaType.INTEGER,
    Field.EXP: models.PayloadSchemaType.INTEGER,
    Field.CLS: models.PayloadSchemaType.KEYWORD,
    Field.HOLD: models.PayloadSchemaType.BOOL,
    Field.FLAGS: models.PayloadSchemaType.KEYWORD,
}
SHARED, PROMOTING, DEDICATED = "shared", "promoting", "dedicated"


def guard(what: str, fn: Callable[[], T]) -> T:
    try:
        return fn()
    except (StoreUnavailable, InvalidInput):
        raise
    except Exception as exc:  # UnexpectedResponse, httpx/grpc errors, ValueError (local mode)
        raise StoreUnavailable(f"vector store failed to {what}") from exc


@dataclass(frozen=True)
class ServerStoreConfig:
    """How to reach the cluster and how to lay tenants out in it.

    ``location`` is a URL (``https://qdrant:6333``) or ``":memory:"`` for qdrant-client's
    in-process mode, which serves the same client API but ignores payload indexes and has no
    shard keys. ``shard_key_buckets`` > 0 creates the shared collection with custom sharding and
    hashes each tenant to one of that many shard keys (cluster only).
    """

    location: str
    api_key: str | None = None
    verify: bool | str = True  # False, True, or a CA bundle path
    timeout_s: int = 10
    prefix: str = "privrag_"
    replication_factor: int = 1
    shard_number: int = 1
    write_consistency_factor: int = 1
    write_ordering: str = "weak"  # weak | medium | strong, per update request
    shard_key_buckets: int = 0
    placement_cache_s: float = 2.0

    @property
    def local(self) -> bool:
        return self.location == ":memory:"


@dataclass(frozen=True)
class Placement:
    tier: str
    cursor: str | None = None  # promotion: the next shared-collection id to copy


def server_config(settings: Settings) -> ServerStoreConfig:
    """The store's view of the PRIVRAG_QDRANT_* settings (already checked for insecure values)."""
    assert settings.qdrant_url is not None
    verify: bool | str = settings.qdrant_tls_verify
    if verify and settings.qdrant_ca_cert is not None:
        verify = str(settings.qdrant_ca_cert)
    key = settings.qdrant_api_key
    return ServerStoreConfig(
        location=settings.qdrant_url,
        api_key=key.get_secret_value() if key is not None else None,
        verify=verify,
        timeout_s=settings.qdrant_timeout_s,
        prefix=settings.qdrant_collection_prefix,
        replication_factor=settings.qdrant_replication_factor,
        shard_number=settings.qdrant_shard_number,
        write_consistency_factor=settings.qdrant_write_consistency_factor,
        write_ordering=settings.qdrant_write_ordering,
        shard_key_buckets=settings.qdrant_shard_key_buckets,
    )


def connect(config: ServerStoreConfig) -> QdrantClient:
    if config.local:
        return QdrantClient(location=":memory:")
    return guard(
        "connect",
        lambda: QdrantClient(
            url=config.location,
            api_key=config.api_key,
            timeout=config.timeout_s,
            verify=config.verify,
            # Version checks call the server at construction; readiness probes do that job.
            check_compatibility=False,
        ),
    )


def check_tenant(tenant_id: str) -> str:
    require_tenant(tenant_id)
    if not TENANT_ID.match(tenant_id):
        raise InvalidInput("a tenant id must be 1-64 letters, digits, '-' or '_'")
    return tenant_id


def placement_id(tenant_id: str) -> str:
    return str(uuid.uuid5(PLACEMENT_NS, tenant_id))


def match(key: str, value: Any) -> models.FieldCondition:
    return models.FieldCondition(key=key, match=models.MatchValue(value=value))


def match_any(key: str, values: Iterable[Any]) -> models.FieldCondition:
    return models.FieldCondition(key=key, match=models.MatchAny(any=list(values)))


def flagged(flags: Sequence[str] | None) -> list[models.FieldCondition]:
    """Conditions for a ``must_not``: points carrying any of ``flags`` (a point stored before
    screening has no such field and is never excluded)."""
    return [match_any(Field.FLAGS, flags)] if flags else []


def physical_id(tenant_id: str, point_id: str) -> str:
    # Point ids are global in a collection: scoping them by tenant means no tenant can overwrite
    # another's point in the shared collection, whatever ids it chooses.
    return str(uuid.uuid5(POINT_NS, f"{tenant_id}/{point_id}"))


def point_struct(tenant_id: str, point: StoredPoint) -> models.PointStruct:
    vector: dict[str, Any] = {"": list(point.vector)}
    if point.sparse:
        vector[SPARSE] = models.SparseVector(
            indices=list(point.sparse.indices), values=list(point.sparse.values)
        )
    return models.PointStruct(
        id=physical_id(tenant_id, point.id),
        vector=vector,
        payload={**point.payload, TENANT_FIELD: tenant_id, ID_FIELD: point.id},
    )


def dense_of(vector: Any) -> list[float]:
    if isinstance(vector, dict):
        vector = vector.get("", [])
    return [float(x) for x in vector or []]


def sparse_of(vector: Any) -> SparseVector | None:
    found = vector.get(SPARSE) if isinstance(vector, dict) else None
    if found is None:
        return None
    return SparseVector(tuple(int(i) for i in found.indices), tuple(float(v) for v in found.values))


def scored(found: Sequence[models.ScoredPoint], with_vectors: bool) -> list[ScoredPoint]:
    """Search results with the caller's ids and payloads (and dense vectors, if asked for)."""
    out = []
    for p in found:
        pid, payload = unpack(p.payload)
        vector = tuple(dense_of(p.vector)) if with_vectors else None
        out.append(ScoredPoint(pid, float(p.score), payload, vector))
    return out


def unpack(payload: dict[str, Any] | None) -> tuple[str, dict[str, Any]]:
    """The caller's point id and payload, with the fields this backend adds taken out."""
    out = dict(payload or {})
    out.pop(TENANT_FIELD, None)
    return str(out.pop(ID_FIELD)), out


class Placements:
    def __init__(self, client: QdrantClient, config: ServerStoreConfig) -> None:
        self._client = client
        self._cfg = config
        self._lock = threading.RLock()
        self._cache: dict[str, tuple[float, Placement | None]] = {}
        self._ready = False

    @property
    def collection(self) -> str:
        return f"{self._cfg.prefix}placement"

    def _ensure(self) -> None:
        name = self.collection
        if self._ready:
            return
        if not guard("list collections", lambda: self._client.collection_exists(name)):
            guard(
                "create the placement collection",
                lambda: self._client.create_collection(
                    name,
                    vectors_config=models.VectorParams(size=1, distance=models.Distance.DOT),
                    replication_factor=self._cfg.replication_factor,
                    write_consistency_factor=self._cfg.write_consistency_factor,
                ),
            )
        self._ready = True

    def get(self, tenant_id: str) -> Placement | None:
        """Where the tenant lives (None: never ensured). Cached briefly: tiers change rarely and
        a promotion waits out the cache before it copies anything."""
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(tenant_id)
            if cached is not None and now - cached[0] < self._cfg.placement_cache_s:
                return cached[1]
        self._ensure()
        found = guard(
            "read a placement",
            lambda: self._client.retrieve(
                self.collection, [placement_id(tenant_id)], with_payload=True
            ),
        )
        placement = None
        if found:
            payload = found[0].payload or {}
            placement = Placement(str(payload["tier"]), payload.get("cursor"))
        with self._lock:
            self._cache[tenant_id] = (now, placement)
        return placement

    def set(self, tenant_id: str, placement: Placement | None) -> None:
        self._ensure()
        pid = placement_id(tenant_id)
        if placement is None:
            guard(
                "delete a placement",
                lambda: self._client.delete(
                    self.collection,
                    models.PointIdsList(points=[pid]),
                    wait=True,
                    ordering=models.WriteOrdering.STRONG,
                ),
            )
        else:
            payload = {"tenant": tenant_id, "tier": placement.tier, "cursor": placement.cursor}
            point = models.PointStruct(id=pid, vector=[1.0], payload=payload)
            guard(
                "write a placement",
                lambda: self._client.upsert(
                    self.collection,
                    [point],
                    wait=True,
                    ordering=models.WriteOrdering.STRONG,
                ),
            )
        with self._lock:
            self._cache[tenant_id] = (time.monotonic(), placement)
