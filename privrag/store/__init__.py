"""The vector store contract every backend honours; the only package that imports Qdrant.

A store keeps one physical shard (or collection) per tenant and refuses any call without a
tenant. Payloads hold only what a filter needs in clear (opaque document id, generation, chunk
index, expiry, classification, hold flag, vector key version) plus the sealed blob; they never
hold text. A point has a dense vector (already protected by the caller) and, optionally, a
sparse lexical vector (keyed term ids, BM25 weights) that the store scores with IDF computed over
the tenant's own live points. ``search`` is dense, sparse or hybrid (both, fused by reciprocal
rank in the store, one round trip) by which query vectors it is given; every backend must rank
the same data the same way (tests/store/test_hybrid.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from privrag.store.protocol import (
    SPARSE,
    Field,
    Fusion,
    ScoredPoint,
    SparseVector,
    StoredPoint,
    VectorStore,
    canonical,
    require_tenant,
)

if TYPE_CHECKING:
    from privrag.config import Settings

__all__ = [
    "SPARSE",
    "Field",
    "Fusion",
    "ScoredPoint",
    "SparseVector",
    "StoredPoint",
    "VectorStore",
    "canonical",
    "open_store",
    "require_tenant",
]


def open_store(settings: Settings, *, dim: Callable[[], int]) -> VectorStore:
    """The backend the settings name: a Qdrant server/cluster when ``qdrant_url`` is set, else
    embedded Qdrant Edge shards. Imports lazily so the unused vendor is never loaded."""
    if settings.qdrant_url is not None:
        from privrag.store.server import ServerStore
        from privrag.store.server_support import server_config

        return ServerStore(server_config(settings), dim=dim)
    from privrag.store.edge import EdgeStore
    from privrag.store.edge_pool import ShardBudget

    budget = ShardBudget(
        max_open=settings.shard_max_open,
        max_maps=settings.shard_max_maps,
        max_bytes=settings.shard_max_bytes,
        idle_s=settings.shard_idle_s,
    )
    return EdgeStore(
        settings.shards_dir,
        dim=dim,
        hnsw_threshold_points=settings.hnsw_threshold_points,
        segment_points=settings.shard_segment_points,
        budget=budget,
    )
